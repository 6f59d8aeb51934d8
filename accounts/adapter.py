"""allauth adapter: account emails leave through the tasks framework (DESIGN.md 5), and a
learner without a complete profile goes to it right after logging in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from learners.selectors import profile_is_complete

from .roles import user_is_staff_member
from .tasks import email_send


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
        email_send.enqueue(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            html=html,
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        target = super().get_login_redirect_url(request)
        user = request.user
        if user_is_staff_member(user) or profile_is_complete(user=user):
            return target
        return f"{reverse('learner_profile')}?{urlencode({'next': target})}"

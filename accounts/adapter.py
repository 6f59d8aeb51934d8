"""allauth adapter: account emails leave through the tasks framework (DESIGN.md 5), and a
learner without a complete profile goes to it right after logging in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from config.site import site_url
from learners.selectors import profile_is_complete

from .roles import INSTRUCTOR, user_has_role, user_is_staff_member
from .tasks import email_confirmation_send, email_send, password_reset_email_send, site_context


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Emails without a credential in them are rendered here and sent by the worker."""
        context = {**site_context(self._site_url()), "email": email, **context}
        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, mime in message.alternatives if mime == "text/html"), "")
        email_send.enqueue(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            html=html,
        )

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        """A reset link is a credential: the task gets the account's id, not the link."""
        password_reset_email_send.enqueue(user_id=user.pk, email=email, site_url=self._site_url())

    def send_confirmation_mail(
        self, request: HttpRequest, emailconfirmation: Any, signup: bool
    ) -> None:
        """A confirmation link is a credential too: the task gets the address's id."""
        email_confirmation_send.enqueue(
            email_address_id=emailconfirmation.email_address.pk,
            signup=signup,
            site_url=self._site_url(),
        )

    def _site_url(self) -> str:
        """The scheme and host the visitor used, e.g. https://dntracker.example.com."""
        if self.request is None:
            return site_url()
        return self.request.build_absolute_uri("/").rstrip("/")

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Wherever the login was headed (`?next=` included), a learner without a complete
        profile passes through the profile step first, then goes on there. Staff and
        instructors sign in to work, not to enroll: they go straight on."""
        response = super().post_login(request, user, **kwargs)
        if (
            isinstance(response, HttpResponseRedirect)
            and not user_is_staff_member(user)
            and not user_has_role(user, INSTRUCTOR)
            and not profile_is_complete(user=user)
        ):
            target = response["Location"]
            response["Location"] = f"{reverse('learner_profile')}?{urlencode({'next': target})}"
        return response

"""allauth adapter: account emails leave through the tasks framework (DESIGN.md 5)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

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

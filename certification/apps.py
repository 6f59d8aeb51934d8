from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "State rules, eligibility and certificates"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)

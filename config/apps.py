from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself as an app: its deployment checks and operations commands."""

    name = "config"
    verbose_name = "Site configuration"

    def ready(self) -> None:
        from . import checks, page_cache  # noqa: F401  (checks registers the deployment checks)

        page_cache.connect()

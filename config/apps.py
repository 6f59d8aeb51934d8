from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project itself as an app: its deployment checks and operations commands."""

    name = "config"
    verbose_name = "Site configuration"

    def ready(self) -> None:
        from . import checks, logs, page_cache, read_ahead  # noqa: F401  (checks, task log)

        page_cache.connect()
        read_ahead.connect()

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Registrar operations"

    def ready(self) -> None:
        from . import panel_cache
        from .audit import connect_guards

        connect_guards()
        panel_cache.connect()

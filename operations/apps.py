from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Registrar operations"

    def ready(self) -> None:
        from .audit import connect_guards

        connect_guards()

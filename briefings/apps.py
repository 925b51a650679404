from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = "Briefings"

    def ready(self) -> None:
        from . import changes  # noqa: F401 - connects the model edits to exchanges_changed

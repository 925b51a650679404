from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from briefings.signals import exchanges_changed

        from .indexing import queue_changed_exchanges

        # The one route into the index queue (briefings/signals.py).
        exchanges_changed.connect(queue_changed_exchanges, dispatch_uid="search-index-queue")

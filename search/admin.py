from django.contrib import admin
from django.http import HttpRequest

from .models import IndexQueue


@admin.register(IndexQueue)
class IndexQueueAdmin(admin.ModelAdmin):
    """Changes waiting for the index writer; rows with attempts > 0 failed and will retry."""

    list_display = ["exchange_id", "op", "queued_at", "attempts", "last_error"]
    list_filter = ["op"]
    readonly_fields = ["exchange_id", "op", "queued_at", "attempts", "last_error"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

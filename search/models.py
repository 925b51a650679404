"""The index queue: changes waiting for the single index writer.

Rows are written in the same transaction as the change they describe (the loader, admin
edits), so a committed change is never forgotten and a rolled-back one never reaches the
index. The writer deletes a row only after the index commit that applied it.
"""

from __future__ import annotations

from django.db import models


class IndexQueue(models.Model):
    class Op(models.TextChoices):
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"

    # No foreign key: a delete must outlive the exchange it removes from the index.
    exchange_id = models.BigIntegerField(db_index=True)
    op = models.CharField(max_length=10, choices=Op.choices)
    queued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(op__in=["update", "delete"]), name="indexqueue_op_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.op} exchange {self.exchange_id}"

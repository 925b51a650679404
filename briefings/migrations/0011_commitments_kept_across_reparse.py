# Commitments survive a re-ingest: each belongs to its briefing as well as its turn (a
# retired one has no turn), carries a version for the admin's conflict check, and may be
# retired instead of deleted. The history says why for changes the archive made itself.

import django.db.models.deletion
from django.db import migrations, models


def conference_of_each_commitment(apps, schema_editor):
    Commitment = apps.get_model("briefings", "Commitment")
    Turn = apps.get_model("briefings", "Turn")
    Commitment.objects.update(
        conference_id=models.Subquery(
            Turn.objects.filter(pk=models.OuterRef("turn_id")).values("exchange__conference_id")[
                :1
            ]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0010_people_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="conference",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="briefings.conference",
            ),
        ),
        migrations.RunPython(conference_of_each_commitment, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitment",
            name="conference",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="briefings.conference",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="retired",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sentence-gone", "Its sentence is no longer in the transcript"),
                    ("not-found", "The extractor no longer finds it"),
                ],
                db_index=True,
                default="",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="commitment",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="commitmentchange",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="Why, for a change the archive made itself: a re-ingest, the extractor.",
                max_length=300,
            ),
        ),
        migrations.AlterField(
            model_name="commitment",
            name="turn",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty once retired because its sentence left the transcript.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="commitments",
                to="briefings.turn",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("retired", ""), ("retired_at__isnull", True)),
                    models.Q(
                        ("retired__in", ["sentence-gone", "not-found"]),
                        ("retired_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="commitment_retired_valid",
            ),
        ),
    ]

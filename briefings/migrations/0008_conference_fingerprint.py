from django.db import migrations, models

from briefings.text import NOTE, spoken_fingerprint


def fingerprint_stored(apps, schema_editor):
    """The fingerprint of every stored briefing, from its turns as stored (their text is
    the parsed text, so a new copy of one of them is recognised)."""
    Conference = apps.get_model("briefings", "Conference")
    Turn = apps.get_model("briefings", "Turn")
    for conference in Conference.objects.only("pk").iterator(chunk_size=200):
        texts = (
            Turn.objects.filter(exchange__conference=conference)
            .exclude(role=NOTE)
            .order_by("exchange__position", "position")
            .values_list("text", flat=True)
        )
        Conference.objects.filter(pk=conference.pk).update(
            fingerprint=spoken_fingerprint(texts.iterator(2000))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0007_fetching_and_watched_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="conference",
            name="fingerprint",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(fingerprint_stored, migrations.RunPython.noop),
    ]

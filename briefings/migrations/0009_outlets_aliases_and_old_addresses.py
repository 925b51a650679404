"""Old addresses of people and outlets (PersonSlug, OrganizationSlug), the pairs an admin
marked not the same (NotDuplicate), and the outlet aliases that are certain.

The aliases: each name below is printed in the corpus (White House 2021-2025, the Ministry
of Foreign Affairs 2018-2020) for the outlet it is listed under, and for no other outlet,
each read in its transcripts. Pairs a rule would make but that are not certain are left to
the admin's Possible duplicates page: FT (the Financial Times at the White House, Fuji TV
at the Ministry), ABC (ABC News, and the Australian Broadcasting Corporation), Fox (Fox
News, Fox Business), Channel 12, Urban Radio, Kaiser, Times, Post.

The data step, in an archive that already holds outlets: every organization of a kind whose
names fold to one key (case, punctuation, a leading "the": "CBS" and "Cbs", "The Hill" and
"Hill") becomes one, and so does every media outlet named by one entry below; the record
of the most questions is kept and takes the entry's name (and its slug, where free), the
others' names become its aliases and their slugs its old addresses. A fresh archive gets
each entry as an outlet of no questions yet, so that ingest finds it (OrganizationResolver).
"""


from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils.text import slugify

from briefings.signals import announce_exchanges
from briefings.text import organization_key

# The canonical name (the newsroom's own), then the other names it is printed as.
OUTLET_ALIASES: list[tuple[str, list[str]]] = [
    ("Agence France-Presse", ["AFP"]),
    ("Al Arabiya", ["Al Arabiya TV", "Al Arabiya Television"]),
    ("Associated Press", ["AP"]),
    ("Associated Press of Pakistan", ["APP"]),
    ("BBC News", ["BBC"]),
    ("Bloomberg News", ["Bloomberg"]),
    ("BuzzFeed News", ["BuzzFeed"]),
    ("CBS News", ["CBS"]),
    ("China Central Television", ["CCTV", "CCTV4", "CCTV-4"]),
    ("China National Radio", ["CNR"]),
    ("China News Service", ["CNS"]),
    ("China Radio International", ["CRI"]),
    ("China Review News Agency", ["China Review News"]),
    ("EFE", ["EFE News Agency"]),
    ("Feature Story News", ["FSN"]),
    ("HuffPost", ["Huffington Post"]),
    ("Inside Health Policy", ["InsideHealthPolicy"]),
    ("Israel Channel 12", ["Channel 12 News Israel", "Israel 12"]),
    ("Israel Channel 13", ["Channel 13 Israel", "Israel 13"]),
    ("KAN", ["KAN TV", "Israel KAN"]),
    ("Kyodo News", ["Kyodo"]),
    ("NBC News", ["NBC"]),
    ("NewsNation", ["News Nation", "NewsNation Now"]),
    ("Nikkei", ["Nihon Keizai Shimbun"]),
    ("NPR", ["National Public Radio", "NPR News"]),
    ("PBS NewsHour", ["PBS"]),
    ("Polish Radio", ["Polskie Radio"]),
    ("Press Trust of India", ["PTI"]),
    ("Reuters", ["Reuters TV"]),
    ("Scripps News", ["Scripps"]),
    ("South China Morning Post", ["SCMP"]),
    ("Spectrum News", ["Spectrum"]),
    ("Sputnik", ["Sputnik News Agency"]),
    ("TASS", ["TASS News Agency"]),
    ("TV Globo", ["TV Globo Brazil", "TV Globo of Brazil", "Globo TV"]),
    ("Univision", ["Univision Network"]),
    ("Voice of America", ["VOA"]),
    ("Yonhap News Agency", ["Yonhap", "Yonhap News"]),
]


def seed_outlet_aliases(apps, schema_editor):
    Organization = apps.get_model("briefings", "Organization")
    OrganizationSlug = apps.get_model("briefings", "OrganizationSlug")
    Turn = apps.get_model("briefings", "Turn")
    Participant = apps.get_model("briefings", "Participant")
    Conference = apps.get_model("briefings", "Conference")
    Exchange = apps.get_model("briefings", "Exchange")
    touched: set[int] = set()

    def merge(keep, others):
        """Organization.absorb, as the models stand at this migration."""
        moved = Turn.objects.filter(outlet__in=others)
        touched.update(moved.values_list("exchange_id", flat=True))
        moved.update(outlet=keep)
        represented = Q(conference__organizer__in=others) | Q(
            conference__participants__organization__in=others
        )
        touched.update(Exchange.objects.filter(represented).values_list("pk", flat=True))
        Participant.objects.filter(organization__in=others).update(organization=keep)
        Conference.objects.filter(organizer__in=others).update(organizer=keep)
        OrganizationSlug.objects.filter(organization__in=others).update(organization=keep)
        for other in others:
            add_names(keep, [other.name, *other.aliases])
            slug = other.slug
            other.delete()
            OrganizationSlug.objects.create(organization=keep, slug=slug)

    def take_slug(organization, wanted):
        """The address of the canonical name, where no other record has it (live or as an
        old address); the slug it had leads to it."""
        if (
            Organization.objects.filter(slug=wanted).exists()
            or OrganizationSlug.objects.filter(slug=wanted)
            .exclude(organization=organization)
            .exists()
        ):
            return
        OrganizationSlug.objects.filter(slug=wanted).delete()
        OrganizationSlug.objects.create(organization=organization, slug=organization.slug)
        organization.slug = wanted

    def most_asked_first(rows):
        asked = {row.pk: Turn.objects.filter(outlet=row).count() for row in rows}
        return sorted(rows, key=lambda row: (-asked[row.pk], row.pk))

    # One record per kind and key: the same name but for case, punctuation or "the".
    groups = defaultdict(list)
    for organization in Organization.objects.order_by("pk"):
        groups[(organization.kind, organization_key(organization.name))].append(organization)
    for rows in groups.values():
        if len(rows) > 1:
            keep, *others = most_asked_first(rows)
            merge(keep, others)
            keep.save()

    for canonical, aliases in OUTLET_ALIASES:
        keys = {organization_key(name) for name in (canonical, *aliases)}
        rows = [
            organization
            for organization in Organization.objects.filter(kind="media").order_by("pk")
            if keys & {organization_key(n) for n in (organization.name, *organization.aliases)}
        ]
        if rows:
            keep, *others = most_asked_first(rows)
            merge(keep, others)
            if keep.name != canonical:
                printed, keep.name = keep.name, canonical
                key = organization_key(canonical)
                keep.aliases = [a for a in keep.aliases if organization_key(a) != key]
                add_names(keep, [printed])
                take_slug(keep, slugify(canonical))
                touched.update(
                    Turn.objects.filter(outlet=keep).values_list("exchange_id", flat=True)
                )
        else:
            slug = slugify(canonical)
            while (
                Organization.objects.filter(slug=slug).exists()
                or OrganizationSlug.objects.filter(slug=slug).exists()
            ):
                slug += "-2"
            keep = Organization(name=canonical, kind="media", slug=slug, aliases=[])
        add_names(keep, aliases)
        keep.save()
    # The search documents carry the outlets' names and slugs.
    announce_exchanges(sorted(touched))


def add_names(organization, names):
    """Add each name the organization does not yet answer to, as an alias."""
    known = {organization_key(n) for n in (organization.name, *organization.aliases)}
    for name in names:
        if organization_key(name) not in known:
            organization.aliases = [*organization.aliases, name]
            known.add(organization_key(name))


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0008_conference_fingerprint"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The index queue, which the exchanges whose outlet changed are announced to.
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="aliases",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Other names it is printed as; later ingests file them here.",
            ),
        ),
        migrations.CreateModel(
            name="OrganizationSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("retired_at", models.DateTimeField(auto_now_add=True)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="briefings.organization",
                    ),
                ),
            ],
            options={
                "ordering": ["organization", "-retired_at"],
            },
        ),
        migrations.CreateModel(
            name="PersonSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("retired_at", models.DateTimeField(auto_now_add=True)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="briefings.person",
                    ),
                ),
            ],
            options={
                "ordering": ["person", "-retired_at"],
            },
        ),
        migrations.CreateModel(
            name="NotDuplicate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("person", "People"), ("outlet", "Outlets")], max_length=20
                    ),
                ),
                ("first_id", models.PositiveIntegerField()),
                ("second_id", models.PositiveIntegerField()),
                ("dismissed_at", models.DateTimeField(auto_now_add=True)),
                (
                    "dismissed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "pair marked not the same",
                "verbose_name_plural": "pairs marked not the same",
                "ordering": ["-dismissed_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "first_id", "second_id"), name="not_duplicate_pair_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("first_id__lt", models.F("second_id"))),
                        name="not_duplicate_pair_ordered",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["person", "outlet"])),
                        name="not_duplicate_kind_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(seed_outlet_aliases, migrations.RunPython.noop),
    ]

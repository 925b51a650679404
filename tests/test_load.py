"""The loader: rows from a parsed conference, idempotent, replaceable, never half-saved."""

from __future__ import annotations

import pytest

from briefings.ingest.load import (
    CREATED,
    REPLACED,
    UNCHANGED,
    AlreadyIngested,
    load_conference,
    rewrite_conference,
)
from briefings.ingest.records import ParseError
from briefings.models import Conference, Exchange, Organization, Person, Turn, unique_slug
from tests.conftest import miit_briefing, official, reporter, source_file

pytestmark = pytest.mark.django_db


def test_it_stores_exchanges_turns_participants_and_outlets():
    result = load_conference(miit_briefing(), [source_file()])

    conference = result.conference
    assert result.status == CREATED
    assert [e.kind for e in conference.exchanges.all()] == [
        "procedural",
        "statement",
        "qa",
        "qa",
        "procedural",
    ]
    question = Turn.objects.get(text__startswith="What will the ministry")
    assert question.outlet.name == "Science and Technology Daily"
    assert question.outlet.kind == Organization.Kind.MEDIA
    answers = question.exchange.turns.order_by("position")
    assert [t.speaker_label for t in answers] == [
        "Science and Technology Daily",
        "Tian Yulong",
        "Liang Wenhua",
    ]
    tian = Person.objects.get(name="Tian Yulong")
    assert answers[1].person == tian
    assert answers[1].speaker_title == "chief engineer"
    chair = conference.participants.get(is_chair=True)
    assert chair.person.name == "Xi Yanchun"
    assert conference.organizer.kind == Organization.Kind.GOVERNMENT
    assert conference.sources.get().content == b"page one"


def test_it_changes_nothing_when_the_same_files_come_again():
    first = load_conference(miit_briefing(), [source_file()])
    counts = (Conference.objects.count(), Exchange.objects.count(), Turn.objects.count())

    again = load_conference(miit_briefing(), [source_file()])

    assert again.status == UNCHANGED
    assert again.conference.pk == first.conference.pk
    assert counts == (Conference.objects.count(), Exchange.objects.count(), Turn.objects.count())


def test_it_refuses_a_changed_version_without_replace_and_keeps_the_old_one():
    load_conference(miit_briefing(), [source_file(text="first version")])
    changed = miit_briefing()
    changed.exchanges[2].turns[1].text = "We will issue new guidelines."

    with pytest.raises(AlreadyIngested, match="--replace"):
        load_conference(changed, [source_file(text="second version")])

    assert Conference.objects.get().sources.get().content == b"first version"


def test_it_replaces_a_changed_transcript_under_the_same_slug():
    first = load_conference(miit_briefing(), [source_file(text="first version")])
    changed = miit_briefing()
    changed.exchanges[2].turns[1].text = "We will issue new guidelines."

    second = load_conference(changed, [source_file(text="second version")], replace=True)

    assert second.status == REPLACED
    assert second.conference.pk == first.conference.pk
    assert second.conference.slug == first.conference.slug
    assert Turn.objects.filter(text="We will issue new guidelines.").exists()
    assert Conference.objects.get().sources.get().content == b"second version"


def test_a_re_parse_never_writes_back_over_a_replace_committed_meanwhile():
    first = load_conference(miit_briefing(), [source_file(text="first version")])
    stale = Conference.objects.get(pk=first.conference.pk)  # read as a re-parse starts
    changed = miit_briefing()
    changed.exchanges[2].turns[1].text = "We will issue new guidelines."
    load_conference(changed, [source_file(text="second version")], replace=True)

    with pytest.raises(ParseError, match="replaced while it was being re-parsed"):
        rewrite_conference(stale, miit_briefing())

    assert Turn.objects.filter(text="We will issue new guidelines.").exists()


def test_it_resolves_one_person_across_spellings_and_briefings():
    load_conference(miit_briefing(), [source_file()])
    later = miit_briefing(
        title="SCIO press conference on SMEs",
        exchanges=[],
        participants=[],
    )
    from briefings.ingest.exchanges import group_exchanges

    later.exchanges = group_exchanges(
        [
            reporter("CCTV", "A question?"),
            official("Mr. Liang Wenhua", "An answer.", label="Mr. Liang Wenhua"),
            official("LIANG WENHUA", "Another.", label="LIANG WENHUA"),
        ]
    )

    load_conference(later, [source_file(text="another briefing")])

    assert Person.objects.filter(name__icontains="liang").count() == 1
    liang = Person.objects.get(name="Liang Wenhua")
    assert liang.turns.count() == 4
    assert liang.participations.count() == 2


def test_it_joins_a_surname_label_to_the_full_name():
    from briefings.ingest.exchanges import group_exchanges

    psaki_full = miit_briefing(
        title="Briefing one",
        participants=[],
        exchanges=group_exchanges([official("Jen Psaki", "Good afternoon.")]),
    )
    psaki_label = miit_briefing(
        title="Briefing two",
        participants=[],
        exchanges=group_exchanges([official("Psaki", "Hi, everyone.", label="MS. PSAKI")]),
    )
    load_conference(psaki_full, [source_file(text="one")])
    load_conference(psaki_label, [source_file(text="two")])

    psaki = Person.objects.get()
    assert psaki.name == "Jen Psaki"
    assert psaki.turns.count() == 2


def test_it_upgrades_a_surname_only_person_when_the_full_name_arrives():
    from briefings.ingest.exchanges import group_exchanges

    load_conference(
        miit_briefing(
            title="One",
            participants=[],
            exchanges=group_exchanges([official("Psaki", "Hi.", label="MS. PSAKI")]),
        ),
        [source_file(text="one")],
    )
    load_conference(
        miit_briefing(
            title="Two",
            participants=[],
            exchanges=group_exchanges([official("Jen Psaki", "Good afternoon.")]),
        ),
        [source_file(text="two")],
    )

    psaki = Person.objects.get()
    assert psaki.name == "Jen Psaki"
    assert "Psaki" in psaki.aliases


def test_it_leaves_nothing_behind_when_a_row_fails():
    broken = miit_briefing()
    broken.exchanges[2].turns[0].role = "shouting"  # violates the role check constraint

    with pytest.raises(Exception):  # noqa: B017, PT011 - any database error will do
        load_conference(broken, [source_file()])

    assert Conference.objects.count() == 0
    assert Turn.objects.count() == 0
    assert Person.objects.count() == 0


def test_person_merge_moves_turns_and_participations():
    load_conference(miit_briefing(), [source_file()])
    tian = Person.objects.get(name="Tian Yulong")
    duplicate = Person.objects.create(name="Tian Yu-long", slug="tian-yu-long")
    Turn.objects.filter(person=tian).update(person=duplicate)

    tian.absorb([duplicate])

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert Turn.objects.filter(person=tian).count() == 2
    assert "Tian Yu-long" in Person.objects.get(pk=tian.pk).aliases


def test_a_long_title_makes_a_slug_cut_between_words():
    title = (
        "2021-10-30 On-The-Record Press Call by National Security Advisor Jake Sullivan, "
        "Commerce Secretary Gina Raimondo, and U.S. Trade Representative Katherine Tai"
    )

    slug = unique_slug(Conference, title, max_length=120)

    assert slug.endswith("-commerce-secretary-gina-raimondo")
    assert len(unique_slug(Conference, "x" * 300, max_length=120)) == 114

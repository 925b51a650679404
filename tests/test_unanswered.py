"""Question turns with no answer: a courtesy closes the exchange before, a call for the
floor opens the one after, a real question left unanswered stays its own exchange.

The small cases are White House words (public domain), cut from the briefings named."""

from __future__ import annotations

from briefings.ingest.detect import parse_transcript
from briefings.ingest.exchanges import group_exchanges
from briefings.ingest.records import ParsedExchange
from briefings.ingest.unanswered import asks_nothing, is_courtesy, is_interjection
from briefings.text import ANSWER, KIND_QA, QUESTION
from tests.conftest import asker, chair, official

PSAKI = "MS. PSAKI"
KJP = "MS. JEAN-PIERRE"


def texts(exchange: ParsedExchange) -> list[str]:
    return [turn.text for turn in exchange.turns]


def unanswered(exchanges: list[ParsedExchange]) -> list[ParsedExchange]:
    return [
        e for e in exchanges if e.kind == KIND_QA and not any(t.role == ANSWER for t in e.turns)
    ]


def test_it_keeps_a_reporters_thanks_in_the_exchange_it_closes():
    # Press briefing, March 11, 2021.
    exchanges = group_exchanges(
        [
            asker("Does the President plan on speaking with our allies about China?"),
            official("Psaki", "Well, it will be a topic of discussion.", label=PSAKI),
            asker("Thank you. Thank you, Jen."),
            asker("Has the President been briefed on the vaccine numbers?"),
            official("Psaki", "He is briefed every day.", label=PSAKI),
        ]
    )

    assert [texts(e)[-1] for e in exchanges] == [
        "Thank you. Thank you, Jen.",
        "He is briefed every day.",
    ]
    assert exchanges[0].turns[-1].role == QUESTION  # the reporter's words, in the reporter's role
    assert unanswered(exchanges) == []


def test_it_joins_a_call_for_the_floor_to_the_question_it_leads_to():
    # Press gaggle en route Columbus, Ohio, September 9, 2022.
    exchanges = group_exchanges(
        [
            asker("What is the President's message in Ohio today?"),
            official("Jean-Pierre", "He will talk about jobs.", label=KJP),
            asker("Karine —"),
            asker("Karine —"),
            asker("I’m sorry. So, related to Ukraine, has that changed the assessment?"),
            official("Jean-Pierre", "So, let me just give you a little bit.", label=KJP),
        ]
    )

    assert len(exchanges) == 2
    assert texts(exchanges[1])[:2] == ["Karine —", "Karine —"]
    assert unanswered(exchanges) == []


def test_it_joins_a_question_cut_off_to_the_question_that_takes_it_up():
    # Press briefing, November 19, 2021.
    exchanges = group_exchanges(
        [
            asker("Build Back Better, Jen. Catholic bishops —"),
            official("Psaki", "Go ahead.", label=PSAKI),
            asker("Thanks, Jen. It’s in the news that Catholic bishops —"),
            asker("— fear faith-based preschools could be excluded from the money —"),
            official("Psaki", "We will look at the language.", label=PSAKI),
        ]
    )

    # The opener and its "Go ahead." join too (the fragment rule): one exchange, answered.
    assert len(exchanges) == 1
    assert texts(exchanges[0])[2:4] == [
        "Thanks, Jen. It’s in the news that Catholic bishops —",
        "— fear faith-based preschools could be excluded from the money —",
    ]
    assert unanswered(exchanges) == []


def test_it_gives_a_thanks_for_the_floor_to_the_question_after_it():
    # Press briefing with Secretary Raimondo; the chair's hand-off on a telephone call.
    handed = group_exchanges(
        [
            asker("Is there a deadline for the states?"),
            official("Jean-Pierre", "Go ahead, Jacqui.", label=KJP),
            asker("Thank you, Karine."),
            asker("What’s your message to people who live in Internet “dead zones”?"),
            official("Raimondo", "We will connect them.", label="SECRETARY RAIMONDO"),
        ]
    )
    called = group_exchanges(
        [
            asker("Will the President travel to the summit?"),
            official("Kirby", "He will.", label="MR. KIRBY"),
            chair("Moderator", "Thank you. Our next question will go to Andrew."),
            asker("Hi. Can y’all hear me all right?"),
            chair("Moderator", "We sure can."),
            asker("Admiral, I wanted to return to a subject: the hostages?"),
            official("Kirby", "I do appreciate the question.", label="MR. KIRBY"),
        ]
    )

    assert len(handed) == 2
    assert texts(handed[-1])[:2] == ["Go ahead, Jacqui.", "Thank you, Karine."]
    assert texts(called[-1])[:2] == [
        "Thank you. Our next question will go to Andrew.",
        "Hi. Can y’all hear me all right?",
    ]


def test_it_keeps_the_parts_of_one_question_asked_before_the_answer_together():
    # Press gaggle by Jake Sullivan, January 9, 2023.
    exchanges = group_exchanges(
        [
            asker("What about Bolsonaro? Do you know if he’s still in the U.S.?"),
            asker("And will you send him back?"),
            official(
                "Sullivan", "We’re not in direct contact with Bolsonaro.", label="MR. SULLIVAN"
            ),
        ]
    )

    assert len(exchanges) == 1


def test_it_keeps_a_reporters_remark_in_the_exchange_it_interrupts():
    # Press briefing, May 7, 2024.
    exchanges = group_exchanges(
        [
            asker("Can you hear us in the back?"),
            official("Jean-Pierre", "It feels like there’s an echo.", label=KJP),
            asker("Yes, there is."),
            asker("Is the President going to sign the bill this week?"),
            official("Jean-Pierre", "He will sign it.", label=KJP),
        ]
    )

    assert [texts(e)[-1] for e in exchanges] == ["Yes, there is.", "He will sign it."]


def test_it_leaves_a_real_question_that_got_no_answer_its_own_exchange():
    # Press briefing, January 3, 2025: the last words of the transcript.
    exchanges = group_exchanges(
        [
            asker("How about one from Fox?"),
            official("Jean-Pierre", "Thank you, everybody. Have a good one.", label=KJP),
            asker("Does the president still consider white supremacy the greatest threat?"),
        ]
    )

    assert [texts(e) for e in unanswered(exchanges)] == [
        ["Does the president still consider white supremacy the greatest threat?"]
    ]


def test_it_leaves_words_that_ask_nothing_where_they_are_when_no_exchange_can_take_them():
    turns = [official("Psaki", "Good afternoon.", label=PSAKI), asker("Thank you.")]

    exchanges = group_exchanges(turns)

    # It stays where it is, an exchange of thanks only: procedural (mark_courtesies).
    assert [e.kind for e in exchanges] == ["statement", "procedural"]


def test_it_tells_a_courtesy_and_a_call_for_the_floor_from_a_question():
    courtesies = [
        "Thank you.",
        "Thanks, Karine.",
        "Okay. Thank you, Mr. President.",
        "Thanks, guys.",
    ]
    calls = [
        "Karine —",
        "Jen?",
        "(Cross-talk.)",
        "Can I follow up on that?",
        "One more on SWIFT, please.",
        "Hi. Can you hear me?",
        "Just one quick one on China —",
        "Afghanistan please, Karine?",
        "Is that better? Can you hear me now?",
        "Thank you so much. Can I ask you a follow-up question on Africa?",
        # Read in the audit's no-answer list after the rule's first version (2021-2024).
        "Can you guys hear me there okay?",
        "Hi, you got me?",
        "Can I do a follow-up?",
    ]
    remarks = ["Yes, there is.", "I’m glad that’s in the official record. (Laughter.)"]
    questions = ["That was a what?", "Why not?", "And will you send him back?", "Thank you —"]

    assert all(is_courtesy(words) for words in courtesies)
    assert all(asks_nothing(words) and not is_courtesy(words) for words in calls)
    assert not any(is_courtesy(words) for words in questions)
    assert not any(asks_nothing(words) for words in questions[:3])
    assert all(is_interjection(words) for words in remarks)
    assert not any(is_interjection(words) for words in questions)


def test_it_settles_a_whole_real_gaggle_and_a_whole_real_briefing(corpus):
    folder = corpus / "wh-briefings" / "press-briefings"
    gaggle = parse_transcript(
        (
            folder / "2022-09" / "2022-09-09-press-gaggle-by-press-secretary-karine-jean-pierre-"
            "en-route-columbus-ohio-september-9-2022.md"
        ).read_text(encoding="utf-8")
    )
    last = parse_transcript(
        (
            folder
            / "2025-01"
            / "2025-01-03-press-briefing-by-press-secretary-karine-jean-pierre-77.md"
        ).read_text(encoding="utf-8")
    )

    ukraine = next(e for e in gaggle.exchanges if "related to Ukraine" in " ".join(texts(e)))
    assert texts(ukraine)[:2] == ["Karine —", "Karine —"]
    assert unanswered(gaggle.exchanges) == []
    left = unanswered(last.exchanges)
    assert [texts(e) for e in left] == [
        [
            "Does the president still consider white supremacy the greatest terrorist threat"
            " to the United States?"
        ]
    ]
    assert left[0] is last.exchanges[-1]

"""Deadline phrases and the dates they resolve to, relative to the conference date. Long
because it is one grammar: each phrase pattern beside the rule that resolves it.

Our own small grammar (the conventions are in docs/commitments.md): the date libraries on
PyPI read "by the end of this year" or "during the 14th Five-Year Plan period" wrongly, and
none of them knows the conventions we want ("by 2025" is the end of 2025, a bare month
already past is next year's).

Every phrase resolves to the *last* day it allows, with a precision saying how coarse the
phrase was. Vague phrases ("soon", "in the coming weeks") are kept with no date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from briefings.text import MONTHS

DAY = "day"
WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
HALF = "half"
YEAR = "year"
PERIOD = "period"
DURATION = "duration"


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase as printed, its resolved date (None when vague) and precision."""

    text: str
    date: dt.date | None
    precision: str
    start: int = 0
    end: int = 0


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4, "last": 4, "final": 4}  # fmt: skip

# Month names are matched case-sensitively so the modal "may" and "march" stay words.
# Full names first, so that "June" is not read as "Jun" and a sentence's final period stays out.
MONTH_NAME = (
    r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)(?![a-z])|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?![a-z])))"
)
WEEKDAY_NAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUMBER = r"(?:\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
ORDINAL_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
YEAR_TAIL = r"(?:(?:,?\s+|\s+of\s+)(?P<year>(?:19|20)\d{2})\b|\s+(?P<rel>next|this|last)\s+year\b)?"
# The words that may lead a deadline phrase; kept in the printed text.
LEAD = (
    r"(?:(?:no\s+later\s+than|not\s+later\s+than|by|before|until|till|through|in|within"
    r"|during|over|throughout|at|as\s+of|starting(?:\s+from)?|from|on|since|after"
    r"|in\s+advance\s+of|ahead\s+of|later)\s+)"
)
END_OF = r"(?:(?:the\s+)?end\s+of\s+)?"


def resolve_deadline(text: str, reference_date: dt.date) -> Deadline | None:
    """The first deadline phrase in `text`, resolved against the conference date."""
    found = find_deadlines(text, reference_date)
    return found[0] if found else None


# Two conference dates far apart: a phrase that resolves to the same day against both
# names its own date; one that does not ("by next month", "on Friday") needs the real one.
_FAR_APART = (dt.date(1950, 6, 15), dt.date(2090, 1, 10))


def depends_on_reference(text: str) -> bool:
    """Whether the deadline phrase `text` resolves only against the conference date."""
    early, late = (resolve_deadline(text, reference) for reference in _FAR_APART)
    return early is None or late is None or early.date != late.date


def find_deadlines(text: str, reference_date: dt.date) -> list[Deadline]:
    """Every deadline phrase in `text`, left to right, longest match first where they overlap."""
    candidates: list[Deadline] = []
    for pattern, resolve in PATTERNS:
        for match in pattern.finditer(text):
            resolved = resolve(match, reference_date)
            if resolved is None:
                continue
            date, precision = resolved
            candidates.append(
                Deadline(
                    text=match.group().strip(),
                    date=date,
                    precision=precision,
                    start=match.start(),
                    end=match.start() + len(match.group().rstrip()),
                )
            )
    candidates.sort(key=lambda d: (d.start, -(d.end - d.start)))
    chosen: list[Deadline] = []
    for deadline in candidates:
        if chosen and deadline.start < chosen[-1].end:
            continue
        chosen.append(deadline)
    return chosen


# Date arithmetic ---------------------------------------------------------------------------


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(date: dt.date, months: int) -> dt.date:
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def add_years(date: dt.date, years: int) -> dt.date:
    return add_months(date, 12 * years)


def add_working_days(date: dt.date, days: int) -> dt.date:
    while days > 0:
        date += dt.timedelta(days=1)
        if date.weekday() < 5:
            days -= 1
    return date


def five_year_plan_end(number: int) -> int:
    """The last year of the Nth Five-Year Plan. The first three plans were irregular."""
    early = {1: 1957, 2: 1962, 3: 1970}
    if number in early:
        return early[number]
    return 1971 + 5 * (number - 4) + 4


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _relative_year(rel: str | None, year: str | None, reference: dt.date) -> int | None:
    """An explicit year: a printed one, or this/next/last year. None when there is none."""
    if year:
        return int(year)
    if rel:
        return reference.year + {"next": 1, "this": 0, "last": -1}[rel.lower()]
    return None


def _roll_forward(
    make: Callable[[int], dt.date], explicit_year: int | None, reference: dt.date
) -> dt.date:
    """A phrase without a year means the next such period that has not ended yet."""
    if explicit_year is not None:
        return make(explicit_year)
    date = make(reference.year)
    return date if date >= reference else make(reference.year + 1)


def _looks_past(match: re.Match[str]) -> bool:
    """'since November' and 'last May' point back: they do not roll forward to next year.
    The word may be printed before a phrase that has no lead of its own ("since Monday")."""
    if match.group().lower().lstrip().startswith(("since", "last")):
        return True
    before = match.string[max(0, match.start() - 8) : match.start()].lower()
    return bool(POINTS_BACK_BEFORE_RE.search(before))


POINTS_BACK_BEFORE_RE = re.compile(r"\b(?:since|last)\s+$")


def _led_by_from(match: re.Match[str]) -> bool:
    """A date after "from" is where something started, never a deadline: "the order from
    August of 2023". "Starting from January 1" is a start the government sets, and a range
    ("from May 3 to 5") ends at its last day: both stay. A date after "since" points back
    (`_looks_past`): it resolves to the past, and the sentence reads as a report."""
    if match.group().lower().lstrip().startswith("from"):
        return True
    before = match.string[max(0, match.start() - 20) : match.start()].lower()
    return bool(FROM_BEFORE_RE.search(before))


FROM_BEFORE_RE = re.compile(r"(?<!starting )(?<!beginning )\bfrom\s+$")

# Words of a past-tense clause before a date: "what we announced on Wednesday", "the
# meeting was held on March 3". Participles that name a plan stay future ("scheduled").
PAST_VERBS = frozenset(
    """was were did had said met spoke went made took gave came sent held told saw began
    brought wrote sat ran put got left heard thought found signed""".split()  # noqa: SIM905
)
NOT_PAST = frozenset(
    """scheduled planned expected supposed slated prepared committed pleased excited
    delighted honored honoured proposed needed required tied based aimed designed""".split()  # noqa: SIM905
)
FUTURE_WORDS = frozenset("will 'll ’ll shall going to be would plan plans intend".split())  # noqa: SIM905
CLAUSE_BREAK_RE = re.compile(r"[,;:.!?()—–]|\s-\s|\b(?:and|but|so|because|when)\b")


def _in_past_clause(match: re.Match[str]) -> bool:
    """Whether the words before the date, back to the start of its clause, are in the past
    tense: "what we announced on Wednesday", "the order he signed on March 3". The nearest
    verb decides; a future marker before a past form, and a participle after "be" ("will
    be signed on Friday") or standing alone ("doses allocated this week") is not past."""
    before = match.string[max(0, match.start() - 80) : match.start()]
    breaks = list(CLAUSE_BREAK_RE.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    words = re.findall(r"[\w'’]+", before.lower())
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word in FUTURE_WORDS or word.endswith(("'ll", "’ll")):
            return False
        previous = words[index - 1] if index else ""
        if previous in ("be", "being"):
            return False
        if word in PAST_VERBS:
            return True
        participle = word.endswith("ed") and len(word) > 4 and word not in NOT_PAST
        if participle and previous in PAST_SUBJECTS:
            return True
    return False


# Who did it: a past form right after one of these is a finite verb ("we announced"), not a
# participle ("doses allocated").
PAST_SUBJECTS = frozenset(
    "we i he she they you who it have has had 've ’ve president administration".split()  # noqa: SIM905
)


# Resolvers: each takes the match and the conference date, returns (date, precision) ----------

Resolved = tuple[dt.date | None, str] | None


def _five_year_plan(match: re.Match[str], reference: dt.date) -> Resolved:
    if match.group("last"):
        return dt.date(int(match.group("last")), 12, 31), PERIOD
    return dt.date(five_year_plan_end(int(match.group("n"))), 12, 31), PERIOD


def _half(match: re.Match[str], reference: dt.date) -> Resolved:
    which = ORDINALS[match.group("which").lower()]
    month = 6 if which == 1 else 12
    explicit = _relative_year(match.group("rel"), match.group("year"), reference)
    if explicit is None and match.group("the_year"):
        explicit = reference.year
    return _roll_forward(lambda y: month_end(y, month), explicit, reference), HALF


def _quarter(match: re.Match[str], reference: dt.date) -> Resolved:
    if match.group("rel_q"):
        current = (reference.month - 1) // 3 + 1
        quarter = current + (1 if match.group("rel_q").lower() == "next" else 0)
        year = reference.year + (quarter - 1) // 4
        return month_end(year, ((quarter - 1) % 4 + 1) * 3), QUARTER
    quarter = ORDINALS.get((match.group("which") or "").lower()) or int(match.group("q") or 0)
    year = match.group("year") or match.group("year2")
    explicit = _relative_year(match.group("rel"), year, reference)
    if explicit is None and match.group("the_year"):
        explicit = reference.year
    return _roll_forward(lambda y: month_end(y, quarter * 3), explicit, reference), QUARTER


def _mid_year(match: re.Match[str], reference: dt.date) -> Resolved:
    explicit = int(match.group("year")) if match.group("year") else None
    return _roll_forward(lambda y: dt.date(y, 6, 30), explicit, reference), HALF


def _date_range(match: re.Match[str], reference: dt.date) -> Resolved:
    month = MONTHS[(match.group("m2") or match.group("m1")).rstrip(".").lower()]
    day = int(match.group("d2"))
    explicit = _relative_year(match.group("rel"), match.group("year"), reference)
    return _safe_day(month, day, explicit, reference, past=False)


def _full_date(match: re.Match[str], reference: dt.date) -> Resolved:
    if _names_something(match) or _led_by_from(match) or _in_past_clause(match):
        return None
    name = match.group("m1") or match.group("m2")
    month = MONTHS[name.rstrip(".").lower()]
    day = int(match.group("d1") or match.group("d2"))
    explicit = _relative_year(match.group("rel"), match.group("year"), reference)
    return _safe_day(month, day, explicit, reference, past=_looks_past(match))


# A month-day that names something: "the January 6 Committee", "the September 11 attacks".
NAMED_AFTER_RE = re.compile(
    r"(?:st|nd|rd|th)?\s+(?:[A-Z][a-z]+|attacks?|committee|commission|insurrection|riots?"
    r"|anniversary|hearings?|massacre|investigation|panel|select)\b"
)


def _names_something(match: re.Match[str]) -> bool:
    if match.group("year") or match.group("rel"):
        return False
    after = match.string[match.end() : match.end() + 30]
    return bool(NAMED_AFTER_RE.match(after)) and not CALENDAR_AFTER_RE.match(after)


CALENDAR_AFTER_RE = re.compile(r"\s+(?:" + MONTH_NAME + "|" + WEEKDAY_NAME + ")")


def _safe_day(
    month: int, day: int, explicit: int | None, reference: dt.date, *, past: bool
) -> Resolved:
    if not 1 <= day <= 31:
        return None
    year = explicit if explicit is not None else reference.year
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if explicit is None and date < reference and not past:
        # February 29 rolled into a year without one is that year's last day of February.
        date = dt.date(year + 1, month, min(day, calendar.monthrange(year + 1, month)[1]))
    return date, DAY


def _part_of_month(match: re.Match[str], reference: dt.date) -> Resolved:
    month = MONTHS[match.group("m").rstrip(".").lower()]
    part = match.group("part").lower()
    explicit = _relative_year(match.group("rel"), match.group("year"), reference)
    if explicit is None and _looks_past(match):
        explicit = reference.year if month <= reference.month else reference.year - 1

    def day(year: int) -> dt.date:
        if part.startswith(("mid", "the middle")):
            return dt.date(year, month, 15)
        if part.startswith(("the beginning", "beginning")):
            return dt.date(year, month, 1)
        return month_end(year, month)

    return _roll_forward(day, explicit, reference), MONTH


def _month(match: re.Match[str], reference: dt.date) -> Resolved:
    if _led_by_from(match):
        return None
    month = MONTHS[match.group("m").rstrip(".").lower()]
    explicit = _relative_year(match.group("rel"), match.group("year"), reference)
    if explicit is None and _looks_past(match):
        explicit = reference.year if month <= reference.month else reference.year - 1
    return _roll_forward(lambda y: month_end(y, month), explicit, reference), MONTH


def _this_time_next_year(match: re.Match[str], reference: dt.date) -> Resolved:
    return add_years(reference, 1), DURATION


def _day_word(match: re.Match[str], reference: dt.date) -> Resolved:
    word = match.group("word").lower()
    if word.startswith("the day after"):  # not "this afternoon"
        return reference + dt.timedelta(days=2), DAY
    if "tomorrow" in word:
        return reference + dt.timedelta(days=1), DAY
    return reference, DAY


def _week(match: re.Match[str], reference: dt.date) -> Resolved:
    if _in_past_clause(match):
        return None  # "as we did this week"
    sunday = reference + dt.timedelta(days=6 - reference.weekday())
    # Said on a weekend, "this week" is the one about to start: a Sunday press call that
    # previews "this week" means the coming Monday to Sunday.
    coming = reference.weekday() >= 5
    # "This coming week" (and "the coming week") is next week, or, on a weekend, the one
    # about to start: one week on either way.
    which = " ".join(match.group("which").lower().split())
    if which in ("next", "this coming", "the coming") or coming:
        sunday += dt.timedelta(weeks=1)
    return sunday, WEEK


def _weekday(match: re.Match[str], reference: dt.date) -> Resolved:
    # "since Monday", "last Monday": a weekday that points back is no deadline.
    if _led_by_from(match) or _looks_past(match) or _in_past_clause(match):
        return None
    name = (match.group("w2") or match.group("w1")).lower()
    ahead = (WEEKDAYS.index(name) - reference.weekday()) % 7 or 7
    return reference + dt.timedelta(days=ahead), DAY


def _year(match: re.Match[str], reference: dt.date) -> Resolved:
    if match.group().lower().lstrip().startswith("from"):
        return None
    return dt.date(int(match.group("year")), 12, 31), YEAR


def _vague(match: re.Match[str], reference: dt.date) -> Resolved:
    return None, ""


def _relative_month(match: re.Match[str], reference: dt.date) -> Resolved:
    which = match.group("which") or match.group("which2")
    offset = {"next": 1, "last": -1}.get(which.lower(), 0)
    target = add_months(reference.replace(day=1), offset)
    return month_end(target.year, target.month), MONTH


def _relative_year_phrase(match: re.Match[str], reference: dt.date) -> Resolved:
    which = (match.group("which") or match.group("which2") or match.group("which3")).lower()
    offset = {"next": 1, "last": -1, "previous": -1}.get(which, 0)
    return dt.date(reference.year + offset, 12, 31), YEAR


def _duration(match: re.Match[str], reference: dt.date) -> Resolved:
    direction = (match.group("dir") or "").lower()
    if match.group("decade"):
        count: int | None = 1
        unit = "decade"
    else:
        word = match.group("n") or match.group("n2") or match.group("n3")
        count = _number(word)
        unit = (match.group("unit") or match.group("unit2") or match.group("unit3")).lower()
    if count is None:
        return None
    if direction in ("past", "last"):
        count = -count
    if unit.startswith(("working", "business")):
        return add_working_days(reference, count), DURATION
    if unit.startswith("decade"):
        return add_years(reference, 10 * count), DURATION
    if unit.startswith("year"):
        return add_years(reference, count), DURATION
    if unit.startswith("month"):
        return add_months(reference, count), DURATION
    if unit.startswith("week"):
        return reference + dt.timedelta(weeks=count), DURATION
    if unit.startswith("day"):
        return reference + dt.timedelta(days=count), DURATION
    days = -(-count // 24) if count > 0 else count // 24
    return reference + dt.timedelta(days=days), DURATION


def _compile(pattern: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


# Patterns with a month or weekday name are case-sensitive; their lead words are not.
LEAD_CS = "(?i:" + LEAD + ")"
END_OF_CS = "(?i:" + END_OF + ")"

# The grammar, most specific first: where two phrases overlap, the one that starts first and is
# longest wins ("by the end of the first quarter of next year" over "next year").
PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str], dt.date], Resolved]]] = [
    # during / over / by the end of the 14th Five-Year Plan (period) (2021-2025)
    (
        _compile(
            LEAD + r"?" + END_OF + r"the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)\s+Five-Year\s+Plan"
            r"(?:\s+period)?(?:\s*\(\s*\d{4}\s*[-–—]\s*(?P<last>\d{4})\s*\))?"
        ),
        _five_year_plan,
    ),
    # in the first half of next year, by the end of the second half of 2024
    (
        _compile(
            LEAD + r"?" + END_OF + r"the\s+(?P<which>first|second|1st|2nd)\s+half"
            r"(?:\s+of\s+(?:(?P<rel>this|next|last)\s+year|(?P<the_year>the\s+year)"
            r"|(?P<year>(?:19|20)\d{2})))?"
        ),
        _half,
    ),
    # by the end of the third quarter, in the fourth quarter of 2023, this quarter
    (
        _compile(
            LEAD + r"?" + END_OF + r"(?:the\s+(?P<which>first|second|third|fourth|1st|2nd|3rd|4th"
            r"|last|final)\s+quarter|Q(?P<q>[1-4])|(?P<rel_q>this|next|the\s+current)\s+quarter)"
            r"(?:\s+of\s+(?:(?P<rel>this|next|last)\s+year|(?P<the_year>the\s+year)"
            r"|(?P<year>(?:19|20)\d{2}))|\s+(?P<year2>(?:19|20)\d{2}))?"
        ),
        _quarter,
    ),
    # by mid-2023, by the middle of 2025, by mid-year
    (
        _compile(LEAD + r"?(?:mid-?|the\s+middle\s+of\s+)(?:(?P<year>(?:19|20)\d{2})|year\b)"),
        _mid_year,
    ),
    # from Aug. 31 to Sept. 5, from Nov. 5 to 10, on March 29th and 30th of 2023
    (
        _compile(
            LEAD_CS + r"?(?:from\s+)?(?P<m1>" + MONTH_NAME + r")\s+\d{1,2}(?:st|nd|rd|th)?"
            r"\s*(?:to|through|until|till|and|-|–)\s*(?:(?P<m2>" + MONTH_NAME + r")\s+)?"
            r"(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
            r"(?:(?:,?\s+|\s+of\s+)(?P<year>(?:19|20)\d{2})\b|\s+(?P<rel>next|this|last)\s+year\b)?",
            ignore_case=False,
        ),
        _date_range,
    ),
    # starting from January 1 next year, by May 1st, on the 25th of February
    (
        _compile(
            LEAD_CS
            + r"?(?:(?P<m1>"
            + MONTH_NAME
            + r")\s+"
            + ORDINAL_DAY.replace("(", "(?P<d1>", 1)
            + r"(?!\d)|the\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)\s+of\s+(?P<m2>"
            + MONTH_NAME
            + r"))"
            + YEAR_TAIL,
            ignore_case=False,
        ),
        _full_date,
    ),
    # in early May, no later than mid-July, by late September
    (
        _compile(
            LEAD_CS + r"?(?P<part>[Ee]arly|[Mm]id|[Ll]ate|the\s+middle\s+of|the\s+beginning\s+of"
            r"|[Bb]eginning\s+of)[-\s]+(?P<m>" + MONTH_NAME + r")(?!\s*\d)" + YEAR_TAIL,
            ignore_case=False,
        ),
        _part_of_month,
    ),
    # before the end of March, in November, in April next year, by June 2024
    (
        _compile(
            LEAD_CS
            + END_OF_CS
            + r"(?P<m>"
            + MONTH_NAME
            + r")(?!\s*\d{1,2}\b)(?!\s+on\b)"
            + YEAR_TAIL,
            ignore_case=False,
        ),
        _month,
    ),
    # this month, next month, by the end of the month
    (
        _compile(
            r"(?:(?:by|before|until|till|within|in|during|later|at|from)\s+)?"
            + END_OF
            + r"(?P<which>this|next|last)\s+month\b"
            r"|(?:by|before|within|until|till|at)\s+(?:the\s+end\s+of\s+)?(?P<which2>the)\s+month\b"
        ),
        _relative_month,
    ),
    # by the end of this time next year
    (
        _compile(r"(?:(?:by|before)\s+" + END_OF + r")?this\s+time\s+next\s+year"),
        _this_time_next_year,
    ),
    # this year, by the end of next year, within the year, by year-end
    (
        _compile(
            r"(?:(?:by|before|until|till|within|in|during|over|throughout|for|later|at|from)"
            r"\s+)?" + END_OF + r"(?P<which>this|next|last|previous)\s+(?:calendar\s+)?year\b"
            r"(?!-)|(?:by|before|within|until|till|at|later\s+in|throughout)\s+"
            r"(?:the\s+end\s+of\s+)?(?P<which2>the)\s+(?:calendar\s+)?year\b(?!-)"
            r"|(?:by\s+|before\s+)?(?P<which3>year)[-\s]end\b"
        ),
        _relative_year_phrase,
    ),
    # in the next three years, within 30 days, over the next decade, in two years' time
    (
        _compile(
            r"(?:(?:in|within|over|during|for)\s+)?(?:the\s+course\s+of\s+)?the\s+"
            r"(?P<dir>next|coming|following|past|last)\s+(?:(?P<n>" + NUMBER + r")\s+"
            r"(?P<unit>years?|months?|weeks?|days?|hours?|decades?)|(?P<decade>decade))\b"
            r"|within\s+(?P<n2>" + NUMBER + r")\s+(?P<unit2>(?:working|business)\s+days?|years?"
            r"|months?|weeks?|days?|hours?)\b"
            r"|in\s+(?P<n3>" + NUMBER + r")\s+(?P<unit3>years?|months?|weeks?|days?)"
            r"(?:(?:(?:'|’)?\s+time\b)|(?!\s+(?:of|ago|in|since|to|before)\b)(?![-'’\w]))"
        ),
        _duration,
    ),
    # today, tonight, tomorrow (not "tomorrow's events")
    (
        _compile(
            r"(?:(?:by|until|till|before|later)\s+)?(?P<word>the\s+day\s+after\s+tomorrow"
            r"|(?<!\ba\s)(?<!\bthe\s)(?<!\bour\s)(?<!\bbetter\s)(?:today|tonight|tomorrow)"
            r"|this\s+(?:morning|afternoon|evening))\b(?!['’]s)"
        ),
        _day_word,
    ),
    # this week, next week, by the end of this week
    (
        _compile(
            r"(?:(?:by|before|until|later|in)\s+)?(?:the\s+end\s+of\s+)?"
            r"(?P<which>this\s+coming|this|next|the\s+coming)\s+week(?:end)?\b"
        ),
        _week,
    ),
    # on Sunday, this Thursday and Friday
    (
        _compile(
            r"(?i:(?:on|this|next|by|until|before|from)\s+)?"
            + r"(?P<w1>"
            + WEEKDAY_NAME
            + r")(?:\s+(?:and|through|to|-)\s+(?P<w2>"
            + WEEKDAY_NAME
            + r"))?"
            r"(?:\s+(?:morning|afternoon|evening|night))?",
            ignore_case=False,
        ),
        _weekday,
    ),
    # by 2025, before 2030, in 2023, until the end of 2024
    (
        _compile(
            r"(?:(?:no\s+later\s+than|by|before|in|until|till|through|throughout|as\s+of|since"
            r"|around|during|from|after|at)\s+)" + END_OF + r"(?:the\s+year\s+)?"
            r"(?P<year>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)(?![,.]\d)"
        ),
        _year,
    ),
    # soon, in due course, in the coming weeks, before the Spring Festival: no date
    (
        _compile(
            r"\b(?:as\s+soon\s+as\s+possible|soon|in\s+due\s+course|in\s+a\s+timely\s+manner"
            r"|in\s+the\s+near\s+future|(?:in|over)\s+the\s+(?:coming|next\s+few)\s+"
            r"(?:days|weeks|months|years)|in\s+the\s+(?:days|weeks|months|years)\s+ahead"
            r"|(?:before|after|during|around|ahead\s+of)\s+the\s+(?:Spring|Lantern|Dragon\s+Boat"
            r"|Mid-Autumn)\s+Festival|within\s+(?:a\s+few|several)\s+(?:days|weeks|months))\b"
        ),
        _vague,
    ),
]

"""Shared test helpers: small named builders and the path to the shared corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The real transcripts in ../shared/corpus; skips the test when they are absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


# Small named builders for parsed transcripts. Each returns a fresh object.

import datetime as dt  # noqa: E402

from briefings.ingest.exchanges import group_exchanges  # noqa: E402
from briefings.ingest.load import SourceFile  # noqa: E402
from briefings.ingest.records import (  # noqa: E402
    ParsedConference,
    ParsedParticipant,
    ParsedTurn,
)
from briefings.text import ANSWER, MODERATOR, QUESTION  # noqa: E402


def official(name: str, text: str, *, label: str = "", title: str = "") -> ParsedTurn:
    return ParsedTurn(
        speaker_label=label or name, role=ANSWER, text=text, speaker_name=name,
        speaker_title=title,
    )  # fmt: skip


def reporter(outlet: str, text: str) -> ParsedTurn:
    return ParsedTurn(speaker_label=outlet, role=QUESTION, text=text, outlet=outlet)


def asker(text: str) -> ParsedTurn:
    """A White House reporter: printed "Q", no name, no outlet."""
    return ParsedTurn(speaker_label="Q", role=QUESTION, text=text)


def chair(name: str, text: str) -> ParsedTurn:
    return ParsedTurn(speaker_label=name, role=MODERATOR, text=text, speaker_name=name)


def miit_briefing(**changes: object) -> ParsedConference:
    """An SCIO-style briefing: a chair, two officials, two questions. Given another title,
    the chair says it when closing: the same words would make it the same briefing."""
    closing = "Thank you. Today's press conference is concluded."
    if "title" in changes:
        closing = f"Thank you. Today's press conference on {changes['title']} is concluded."
    turns = [
        chair("Xi Yanchun", "Good morning. Welcome to this press conference."),
        official("Liang Wenhua", "By the end of this year, we will serve 100,000 SMEs."),
        reporter("Science and Technology Daily", "What will the ministry do next?"),
        official("Tian Yulong", "We will issue guidelines by industry and field."),
        official("Liang Wenhua", "Let me add a point (Laughter.)"),
        reporter("China Daily", "How many 5G factories are planned?"),
        official("Tian Yulong", "We will build a batch of fully 5G-connected factories."),
        chair("Xi Yanchun", closing),
    ]
    parsed = ParsedConference(
        title="SCIO press conference on industry and ICTs",
        held_on=dt.date(2022, 2, 28),
        published_on=dt.date(2022, 3, 3),
        location="Beijing",
        organizer="State Council Information Office",
        participants=[
            ParsedParticipant("Xi Yanchun", "SCIO spokesperson", "SCIO", is_chair=True),
            ParsedParticipant("Liang Wenhua", "director of the department", "Ministry of Industry"),
            ParsedParticipant("Tian Yulong", "chief engineer", "Ministry of Industry"),
        ],
        exchanges=group_exchanges(turns),
        format="archive-json",
    )
    for key, value in changes.items():
        setattr(parsed, key, value)
    return parsed


def source_file(name: str = "miit.txt", text: str = "page one") -> SourceFile:
    return SourceFile(filename=name, data=text.encode())


def briefing(
    title: str,
    held_on: dt.date,
    turns: list[ParsedTurn],
    *,
    organizer: str = "The White House",
) -> ParsedConference:
    """A briefing of `turns`: each question opens an exchange, its answers follow it."""
    return ParsedConference(
        title=title,
        held_on=held_on,
        organizer=organizer,
        exchanges=group_exchanges(turns),
        format="archive-json",
    )


# Search: a real Whoosh index in a temporary folder.


# Pages in the layout of the Ministry of Foreign Affairs' English site (fmprc.gov.cn, as
# served in 2018-2020), with words written for the tests: site menu, breadcrumb, headline,
# date line, article body, appendix and related-news boxes, share tools and footer.

MINISTRY_MENU = """
<div class="header"><div class="lang"><a href="//www.fmprc.gov.cn/mfa_chn/">简体中文</a></div>
<form action="https://www.fmprc.gov.cn/wjb/eng_search.jsp"><input type="text" name="sw"/></form>
</div>
<div class="nav"><ul class="clearfix"><li><a href="http://www.fmprc.gov.cn/mfa_eng">Home</a></li>
<li><a href="http://www.fmprc.gov.cn/mfa_eng/wjb_663304/">The Ministry</a>
<div class="subNav"><dl><dt><a href="./">Main Functions</a></dt></dl></div></li>
<li><a href="http://www.fmprc.gov.cn/mfa_eng/xwfw_665399/">Press and Media Service</a></li>
</ul></div>
"""
MINISTRY_FOOTER = """<div class="footer"><div class="copyright">Copyright©1998-2014, Ministry of
Foreign Affairs, the People's Republic of China<br />Contact us Address: No. 2</div></div>"""


def ministry_page(title: str, body: str, *, date_line: str = "") -> str:
    """A transcript page: `body` is the HTML of the article body (`<P>` paragraphs)."""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}</title><script type="text/javascript" src="../main.js"></script></head>
<body>{MINISTRY_MENU}
<div class="container clearfix"><div style="width:100%">
<div class="urhere"><a href="./../../../">Home</a>&nbsp;>&nbsp;<a href="./">Regular Press
Conference</a></div>
<div class="content_mod"><h2 class="title">{title}</h2>
<h2 id="News_Body_subitle"></h2><div class="date" id="News_Body_Time">{date_line}</div>
<script type="text/javascript">var a = document.getElementById("News_Body_Time");</script>
<div class="content">
<P align=center><IMG src="./W020200408123456789012.jpg" OLDSRC="W020200408123456789012.jpg"/></P>
{body}
</div>
<div class="tool" style="display:none;" id="Appendix_article"><div>Appendix:</div>
<div class="newsLst_mod"><ul id="id_AppendixList_article_list"></ul></div></div>
<div class="tool"><table><tr><td>Suggest to a friend</td>
<td><a href="javascript:window.print();">Print</a></td></tr></table></div>
<div class="tool" id="id_RelNewsList"><div>Related News:</div><div class="newsLst_mod"><ul>
<li><a href="./t1000001.shtml">Foreign Ministry Spokesperson Zhao Lijian's Regular Press
Conference on April 7, 2020</a></li>
</ul></div></div>
</div></div></div>
{MINISTRY_FOOTER}</body></html>
"""


def ministry_list_page(titles: list[str]) -> str:
    """A list page of the site: links to transcript pages, and a pager."""
    items = "\n".join(
        f'<li><a href="./t{1000000 + number}.shtml" target="_blank">{title}</a></li>'
        for number, title in enumerate(titles)
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Regular Press Conference</title></head>
<body>{MINISTRY_MENU}
<div class="container clearfix"><div class="main fl"><div class="urhere"><a href="./">Home</a></div>
<div class="newsLst_mod"><ul>{items}</ul></div>
<script type="text/javascript">document.write("<a href=\\"default_1.shtml\\">Next</a>");</script>
</div></div>
{MINISTRY_FOOTER}</body></html>
"""


@pytest.fixture
def search_index(tmp_path: Path) -> Iterator[Path]:
    """An empty index of its own for one test. haystack's connection and our shared
    searcher are reset on the way in and out, so nothing leaks between tests."""
    import haystack
    from django.conf import settings
    from django.test import override_settings

    from search.whoosh.open_index import close_searchers

    folder = tmp_path / "whoosh_index"
    connection = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(folder)}
    with override_settings(HAYSTACK_CONNECTIONS={"default": connection}):
        haystack.connections.reload("default")
        close_searchers()
        yield folder
        close_searchers()
    haystack.connections.reload("default")  # back on the settings' own index


# Two writers at once (tests/test_concurrent_writers.py, tests/test_commitments_kept.py).

import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from django.db import connection, connections  # noqa: E402


class Writer(threading.Thread):
    """Runs `work` in a thread of its own, with a database connection of its own."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as error:
            self.error = error
        finally:
            connections.close_all()

    def outcome(self) -> object:
        self.join(timeout=60)
        assert not self.is_alive(), "the second writer never finished"
        if self.error is not None:
            raise self.error
        return self.result


def until_waiting(writer: Writer) -> None:
    """Return once `writer` waits for a lock held by this thread's open transaction.

    PostgreSQL shows it in pg_stat_activity; SQLite's busy wait shows nowhere, and there
    the test only needs the writer started (it cannot write before the first commits).
    """
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and writer.is_alive():
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is read once, then cached: clear it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    if writer.is_alive():
        pytest.fail("the second writer neither waited for a lock nor finished in 30 s")

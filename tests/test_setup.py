"""Set-up as a new user meets it: the Makefile's checks (the Python version, a port
taken, no terminal for the first login) say what to do, and `create_admin` makes the
first login from the environment. Run through `make` itself, on the real Makefile."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from briefings.text import counted

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)  # the environment running the tests (make never deletes it: it is whole)

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
in_an_environment = pytest.mark.skipif(
    sys.prefix == sys.base_prefix, reason="the tests run outside a virtual environment"
)


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,  # no terminal, as in a script
        capture_output=True,
        text=True,
        timeout=300,
    )


def old_environment(venv: Path, version: str) -> None:
    """What an earlier try left: a virtual environment of another Python, pip and all."""
    fake_python(venv / "bin", version)
    (venv / "bin" / "pip").write_text("#!/bin/sh\n")
    (venv / "bin" / "pip").chmod(0o755)
    (venv / "pyvenv.cfg").write_text(f"version = {version}\n")


def fake_python(folder: Path, version: str) -> Path:
    """A `python` that is `version`: enough of one for the Makefile's check."""
    folder.mkdir(parents=True, exist_ok=True)
    major, minor = (int(part) for part in version.split(".")[:2])
    script = folder / "python"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\n'
        f'exec {sys.executable} -c "import sys; sys.version_info = ({major}, {minor}, 0); '
        'exec(sys.argv[1])" "$2"\n'
    )
    script.chmod(0o755)
    return script


def test_an_older_python_is_refused_before_anything_is_installed(tmp_path):
    old = fake_python(tmp_path / "old", "3.10.12")
    venv = tmp_path / "venv"

    done = make("venv", f"PYTHON={old}", f"VENV={venv}")

    assert done.returncode != 0
    assert "needs Python 3.11 or newer" in done.stdout
    assert "Python 3.10.12" in done.stdout
    assert "PYTHON=python3.11" in done.stdout
    assert not venv.exists()


def test_an_environment_of_another_python_is_made_again_and_the_data_kept(tmp_path):
    venv = tmp_path / "venv"
    old_environment(venv, "3.10.12")  # a .venv left by an earlier try with 3.10
    data = tmp_path / "var"
    data.mkdir()
    (data / "db.sqlite3").write_text("the archive")

    done = make("venv", f"PYTHON={sys.executable}", f"VENV={venv}", f"DATA_DIR={data}")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "was made with Python 3.10" in done.stdout
    assert "is kept" in done.stdout
    version = subprocess.run(
        [venv / "bin" / "python", "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == str(tuple(sys.version_info[:2]))
    assert (data / "db.sqlite3").read_text() == "the archive"


def test_a_folder_that_is_no_environment_is_never_deleted(tmp_path):
    folder = tmp_path / "not-a-venv"
    (folder / "bin").mkdir(parents=True)
    (folder / "keep.txt").write_text("mine")

    done = make("venv", f"PYTHON={sys.executable}", f"VENV={folder}")

    assert done.returncode != 0
    assert "is not a Python environment: nothing was deleted" in done.stdout
    assert (folder / "keep.txt").read_text() == "mine"


@in_an_environment
def test_a_taken_port_says_which_variable_to_set():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]

        done = make("port-free", f"PYTHON={sys.executable}", f"VENV={VENV}", f"PORT={port}")

    assert done.returncode != 0
    assert f"Port {port} on 127.0.0.1 is taken" in done.stdout
    assert "make serve PORT=8001" in done.stdout
    free = make("port-free", f"PYTHON={sys.executable}", f"VENV={VENV}", f"PORT={port}")
    assert free.returncode == 0, free.stdout + free.stderr


@in_an_environment
def test_the_first_login_without_a_terminal_says_how(tmp_path):
    args = (f"PYTHON={sys.executable}", f"VENV={VENV}", f"DATA_DIR={tmp_path / 'var'}")
    clean = {"ADMIN_USERNAME": "", "ADMIN_PASSWORD": "", "DATABASE_URL": ""}

    done = make("createsuperuser", *args, env=clean)

    assert done.returncode != 0
    assert "ADMIN_USERNAME=editor" in done.stdout
    made = make(
        "createsuperuser",
        *args,
        env={**clean, "ADMIN_USERNAME": "editor", "ADMIN_PASSWORD": "a long pass phrase 15"},
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Created the admin login 'editor'" in made.stdout
    assert (tmp_path / "var" / "db.sqlite3").is_file()


@pytest.mark.django_db
def test_create_admin_makes_a_superuser_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "editor")
    monkeypatch.setenv("ADMIN_EMAIL", "editor@example.org")
    monkeypatch.setenv("ADMIN_PASSWORD", "a long pass phrase 15")

    call_command("create_admin")

    user = get_user_model().objects.get(username="editor")
    assert user.is_superuser
    assert user.is_staff
    assert user.check_password("a long pass phrase 15")
    with pytest.raises(CommandError, match="already a login named 'editor'"):
        call_command("create_admin")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"ADMIN_USERNAME": "editor"}, "Set ADMIN_USERNAME and ADMIN_PASSWORD"),
        ({"ADMIN_USERNAME": "editor", "ADMIN_PASSWORD": "short"}, "ADMIN_PASSWORD: "),
        (
            {"ADMIN_USERNAME": "e", "ADMIN_PASSWORD": "a long pass phrase 15", "ADMIN_EMAIL": "x"},
            "ADMIN_EMAIL: ",
        ),
    ],
)
def test_create_admin_refuses_what_is_missing_or_weak(monkeypatch, variables, message):
    for name in ("ADMIN_USERNAME", "ADMIN_EMAIL", "ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(CommandError, match=message):
        call_command("create_admin")

    assert not get_user_model().objects.exists()


# A long ingest says how far it is, and its counts read right.


def test_counts_agree_with_their_nouns():
    assert counted(1, "exchange") == "1 exchange"
    assert counted(46, "exchange") == "46 exchanges"
    assert counted(0, "turn") == "0 turns"
    assert counted(1, "batch") == "1 batch"
    assert counted(3, "batch") == "3 batches"
    assert counted(2, "person", "people") == "2 people"


@pytest.mark.django_db
@pytest.mark.usefixtures("search_index")
def test_the_index_write_after_an_ingest_says_how_far_it_is(corpus, monkeypatch):
    from io import StringIO

    from briefings.management import options

    monkeypatch.setattr(options, "PROGRESS_EVERY", 0.0)  # a line after every batch
    # Enough exchanges for three batches of the writer's 500.
    files = sorted((corpus / "wh-briefings" / "press-briefings").glob("2021-0[3-6]/*.md"))[:30]
    out = StringIO()

    call_command("ingest", *map(str, files), stdout=out)

    lines = out.getvalue().splitlines()
    writing = lines.index("Writing the search index...")
    progress = [line for line in lines[writing:] if line.endswith("changes written...")]
    assert len(progress) >= 2  # every batch but the last
    applied = [int(line.split()[0]) for line in progress]
    assert applied == sorted(applied)
    assert lines[-2].startswith("Search index: ")
    assert " batches" in lines[-2]
    assert lines[-1].startswith("Ingest finished: 30 created")
    assert not re.search(r"(?<![\d,])1 (exchanges|turns|batches)\b", out.getvalue())


@pytest.mark.django_db
def test_the_archive_file_written_by_hand_says_how_far_it_is(monkeypatch, settings, tmp_path):
    from io import StringIO

    from briefings.ingest.load import load_conference
    from briefings.management.commands import archive_file as command
    from tests.conftest import briefing, official, source_file

    settings.DATA_DIR = tmp_path
    for day in (1, 2, 3):
        parsed = briefing(f"Gaggle {day}", dt.date(2021, 3, day), [official("Jen Psaki", "Hi.")])
        load_conference(parsed, [source_file(f"gaggle-{day}.md", f"gaggle {day}")])
    monkeypatch.setattr(command, "PROGRESS_EVERY", 0.0)  # a line after every briefing
    out = StringIO()

    call_command("archive_file", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        f"  the archive file: {counted(n, 'briefing')} written..." for n in (1, 2, 3)
    ]
    assert any(line.startswith("Wrote 3 briefings (") for line in lines)

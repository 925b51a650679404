"""The layers of docs/architecture.md hold: the import contracts in pyproject.toml
(`[tool.importlinter]`, checked by import-linter) are kept by the code, they fail when an
import breaks them, and no import cycle runs through the project, lazy imports included.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("briefings", "search", "config")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the packages in `where`, with the contracts of its pyproject.toml."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(where), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_the_project(into: Path) -> Path:
    """The packages' Python files and the contracts, to break without touching the tree."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            into / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.html", "*.txt"),
        )
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every set of modules that import one another in a circle (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_the_code_keeps_every_import_contract() -> None:
    done = lint_imports(ROOT)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: " in done.stdout
    assert " kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("briefings/models.py", "import search.indexing", "The archive imports"),
        ("briefings/signals.py", "from briefings.ingest import load", "The archive imports"),
        ("briefings/ingest/load.py", "from search.models import IndexQueue", "Ingest and the"),
        ("briefings/commitments/extract.py", "import search.engines", "Ingest and the"),
        ("briefings/text.py", "from django.utils.text import slugify", "The pure ground"),
        ("search/indexing.py", "from briefings.ingest.run import FAILED", "Search imports"),
        ("search/engines.py", "from briefings import feeds", "Search imports"),
        ("search/language.py", "from django.conf import settings", "The pure ground"),
        ("search/whoosh/bulk.py", "from search.servers import portable", "Inside search"),
        ("search/filters.py", "from search import engines", "Inside search"),
        ("briefings/ingest/formats/mfa.py", "from . import scio_pages", "Formats stand alone"),
        ("briefings/fetching/run.py", "from search.indexing import drain", "Fetching imports"),
        ("briefings/fetching/pages.py", "from briefings import upload", "Fetching imports"),
        ("briefings/ingest/run.py", "from briefings.fetching import pages", "Ingest and the"),
        ("briefings/models.py", "from briefings.fetching import run", "The archive imports"),
    ],
)
def test_a_contract_fails_when_an_import_breaks_it(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    project = copy_of_the_project(tmp_path)
    with (project / module).open("a") as source:
        source.write(f"\n{line}\n")

    done = lint_imports(project)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout
    broken = [row for row in done.stdout.splitlines() if " BROKEN" in row]
    assert any(row.startswith(contract) for row in broken), done.stdout


def test_no_import_cycle_runs_through_the_project() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)

    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle_made_by_a_lazy_import(tmp_path: Path) -> None:
    project = copy_of_the_project(tmp_path)
    with (project / "briefings/text.py").open("a") as source:
        source.write("\n\ndef _later():\n    from briefings import models  # noqa: F401\n")
    # In a process of its own: this one has imported the real packages, and grimp finds a
    # package where it was imported from.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import grimp; from tests.test_layers import PACKAGES, import_cycles; "
            "print(import_cycles(grimp.build_graph(*PACKAGES, cache_dir=None)))",
        ],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{project}:{ROOT}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "['briefings.models', 'briefings.text']" in done.stdout

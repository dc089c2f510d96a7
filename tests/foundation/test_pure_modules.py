"""Pure domain modules import no Flask, no Werkzeug and no database layer (DESIGN.md §9).

A module is pure when its docstring begins with "PURE" (README code map); every such module
under talentmatch/ is found here and imported in a fresh interpreter, one after another,
and the first that pulls in a forbidden package is named."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "talentmatch"
FORBIDDEN = ("flask", "flask_*", "werkzeug", "sqlalchemy", "alembic")

# A few modules every reader knows are pure: if the marker search stopped finding them,
# the test below would check nothing.
KNOWN_PURE = {"talentmatch.vocab", "talentmatch.clock", "talentmatch.wareki",
              "talentmatch.matching.matcher", "talentmatch.postings.template",
              "talentmatch.subsidies.calculation", "talentmatch.charts"}


def pure_modules() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if doc.startswith("PURE"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_the_marker_finds_the_pure_modules():
    found = pure_modules()
    assert set(found) >= KNOWN_PURE, KNOWN_PURE - set(found)
    assert len(found) >= 50, found


def test_pure_modules_import_no_flask_or_database():
    code = (
        "import fnmatch, importlib, json, sys\n"
        f"forbidden = {FORBIDDEN!r}\n"
        "def bad():\n"
        "    return sorted(m for m in sys.modules\n"
        "                  if any(fnmatch.fnmatch(m.split('.')[0], f) for f in forbidden))\n"
        "out = {}\n"
        f"for name in {pure_modules()!r}:\n"
        "    before = set(bad())\n"
        "    importlib.import_module(name)\n"
        "    new = [m for m in bad() if m not in before]\n"
        "    if new:\n"
        "        out[name] = new\n"
        "print(json.dumps(out))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {}, f"pure modules pulled in: {run.stdout}"

"""The README's code map stays true: every folder of talentmatch/ has its line, and each line's
"→ …" names every folder that the folder's modules import (lazy imports too), so a newcomer
can trust what the map says a folder may import. A new dependency is a design decision: add
it to the map in the same change (test_import_cycles.py then checks it closes no cycle)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.foundation.test_import_cycles import import_edges

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^  ([a-z_]+)/\s+.*→ (.+)$")


def code_map() -> dict[str, set[str] | None]:
    """folder → the folders it may import (None: any folder)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## A map of the code", 1)[1].split("```")[1]
    allowed: dict[str, set[str] | None] = {}
    for line in block.splitlines():
        if m := LINE.match(line):
            words = m.group(2).split()
            allowed[m.group(1)] = None if words[:2] == ["any", "folder"] else (
                set() if words == ["none"] else set(words))
    return allowed


def folders() -> set[str]:
    return {p.name for p in (ROOT / "talentmatch").iterdir()
            if p.is_dir() and (any(p.glob("*.py")) or p.name == "data")}


def test_every_folder_has_its_line_and_no_line_names_a_missing_folder():
    listed = code_map()
    assert len(listed) > 15  # the map was read
    assert set(listed) == folders()
    for name, targets in listed.items():
        assert targets is None or targets <= folders(), name


def test_each_folder_imports_only_what_the_map_says():
    listed = code_map()
    mine = folders()
    undeclared = sorted(f"{a} → {b} ({where[0]})" for (a, b), where in import_edges().items()
                        if a in mine and b in mine and listed[a] is not None
                        and b not in listed[a])
    assert undeclared == [], "add these to the README's code map, or remove the import:\n" + \
        "\n".join(undeclared)

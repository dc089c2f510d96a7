"""No folder of talentmatch/ imports another folder that imports it back (DESIGN.md §9:
imports point one way).

Every ``import`` and ``from … import`` in the package is read with ``ast`` — those inside
functions (lazy imports) too, because a lazy import is still a dependency — and reduced to
the top-level folder (or top-level module, such as ``app`` or ``cli``) on each side. The
folder graph must have no cycle, with no exception: when a folder needs something from a folder
that imports it, it asks through a signal (talentmatch/signals.py).

Run it as a script to print the folder graph's cycles:
``.venv/bin/python tests/foundation/test_import_cycles.py``.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "talentmatch"

def _folder(module: str) -> str | None:
    """'talentmatch.joint.access' → 'joint'; None outside the package."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".")
            if not is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base)
            target = f"{prefix}.{node.module}" if node.module else prefix
        else:
            target = node.module or ""
        # "from talentmatch import charts" names the folder in the alias.
        if target == PACKAGE:
            return [f"{PACKAGE}.{alias.name}" for alias in node.names]
        return [target]
    return []


def import_edges() -> dict[tuple[str, str], list[str]]:
    """(from folder, to folder) → where (file:line) each such import is written."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        module = _module_name(path)
        source = _folder(module)
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in _imported(node, module, path.name == "__init__.py"):
                dest = _folder(target)
                if dest is not None and dest != source:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    edges[(source, dest)].append(where)
    return dict(edges)


def cycles(edges) -> list[list[str]]:
    """The strongly connected components with more than one folder (Tarjan), sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def describe(edges, component: list[str]) -> list[str]:
    """The imports inside one cycle, each with the first place it is written."""
    members = set(component)
    return [f"{a} → {b} ({', '.join(edges[(a, b)][:3])})"
            for a, b in sorted(edges) if a in members and b in members]


def test_no_folder_imports_a_folder_that_imports_it_back():
    edges = import_edges()
    found = cycles(edges)
    report = "\n".join(line for comp in found for line in [" ↔ ".join(comp)]
                       + ["  " + d for d in describe(edges, comp)])
    assert not found, f"folder import cycles:\n{report}"


def test_the_check_sees_a_cycle_and_names_its_imports():
    """What the test above relies on: a cycle, however long, is found and reported with the
    imports that close it; a one-way chain beside it is not."""
    edges = {("postings", "review"): ["talentmatch/postings/views.py:35"],
             ("review", "inbox"): ["talentmatch/review/x.py:1"],
             ("inbox", "postings"): ["talentmatch/inbox/y.py:2"],
             ("inbox", "accounts"): ["talentmatch/inbox/y.py:3"],
             ("accounts", "geo"): ["talentmatch/accounts/z.py:4"]}
    assert cycles(edges) == [["inbox", "postings", "review"]]
    assert describe(edges, ["inbox", "postings", "review"]) == [
        "inbox → postings (talentmatch/inbox/y.py:2)",
        "postings → review (talentmatch/postings/views.py:35)",
        "review → inbox (talentmatch/review/x.py:1)",
    ]


if __name__ == "__main__":
    all_edges = import_edges()
    for comp in cycles(all_edges):
        print(" ↔ ".join(comp))
        for line in describe(all_edges, comp):
            print("   ", line)

"""Figures the security tests count (SECURITY.md, "Figures to report"); the conftest prints
them at the end of the run."""

from __future__ import annotations

from collections import Counter

FIGURES: dict[str, Counter] = {}


def figure(section: str, key: str, n: int = 1) -> None:
    FIGURES.setdefault(section, Counter())[key] += n

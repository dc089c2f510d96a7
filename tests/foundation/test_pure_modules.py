"""Pure domain modules import no Flask (DESIGN.md §9): checked in a fresh interpreter."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = [
    "talentmatch.messages",
    "talentmatch.clock",
    "talentmatch.vocab",
    "talentmatch.text",
    "talentmatch.wareki",
    "talentmatch.geo.codes",
    "talentmatch.tabular",
    "talentmatch.tabular.files",
    "talentmatch.tabular.headers",
    "talentmatch.tabular.cells",
    "talentmatch.tabular.table",
    "talentmatch.geo.names",
    "talentmatch.accounts.passwords",
    "talentmatch.postings.template",
    "talentmatch.postings.template.fields",
    "talentmatch.postings.template.headers",
    "talentmatch.postings.template.cleaners",
    "talentmatch.postings.template.validation",
    "talentmatch.postings.template.qualifications",
    "talentmatch.postings.template.advice",
    "talentmatch.postings.template.advice_flow",
    "talentmatch.postings.importing",
    "talentmatch.professionals.importing",
    "talentmatch.subsidies.importing",
    "talentmatch.review.workflow",
    "talentmatch.professionals.vocabulary",
    "talentmatch.matching.matcher",
    "talentmatch.matching.matcher.weights",
    "talentmatch.matching.matcher.data",
    "talentmatch.matching.matcher.compiled",
    "talentmatch.matching.matcher.columnar",
    "talentmatch.matching.matcher.scoring",
    "talentmatch.matching.matcher.index",
    "talentmatch.matching.matcher.match_index",
    "talentmatch.matching.matcher.posting_index",
    "talentmatch.matching.explain",
    "talentmatch.matching.bundles",
    "talentmatch.bench.match",
    "talentmatch.catalog",
    "talentmatch.subsidies.measures",
    "talentmatch.subsidies.results",
    "talentmatch.subsidies.validation",
    "talentmatch.subsidies.calculation",
    "talentmatch.subsidies.exports",
    "talentmatch.subsidies.cost_shares",
]


def test_pure_modules_import_no_flask_or_database():
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'flask_sqlalchemy', 'sqlalchemy', 'werkzeug', 'flask_babel'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"pure modules pulled in: {out.stdout.strip()}"

"""`flask match rank`: the candidates page's ranking as text or JSON."""

from __future__ import annotations

import json

from flask_babel import force_locale, gettext

from talentmatch.extensions import db
from talentmatch.matching import services
from talentmatch.postings.models import Posting


def rank(
    posting_id: int, *, limit: int = 20, as_json: bool = False, lang: str = "ja"
) -> tuple[str, bool]:
    """(output, found). Same ranking as the page: discoverable professionals, hard filters,
    excluded ones with the reason (in `lang`, Japanese by default)."""
    posting = db.session.get(Posting, posting_id)
    if posting is None or (posting.published_revision or posting.current_revision) is None:
        return f"no posting {posting_id}", False
    ranking = services.rank_posting(posting, limit=limit, include_excluded=True)
    with force_locale(lang):
        if as_json:
            body = services.ranking_json(posting_id, ranking, lambda m: m.render(gettext))
            return json.dumps(body, ensure_ascii=False), True
        need = services.need_for_posting(posting)
        labels = services.required_labels(need)
        lines = [f"posting {posting_id}: {need.title}"]
        for i, c in enumerate(ranking.candidates, 1):
            lines.append(f"{i:>3}. {c.score:>3}  {c.display_name} (#{c.professional_id})")
            for reason in services.describe(c.breakdown, need, lang=lang, labels=labels):
                lines.append(f"         - {reason}")
        if ranking.excluded:
            lines.append("excluded:")
            for e in ranking.excluded:
                lines.append(
                    f"     {e.display_name} (#{e.professional_id}): {e.reason.render(gettext)}"
                )
        return "\n".join(lines), True


def reach(posting_id: int, *, as_json: bool = False, lang: str = "ja") -> tuple[str, bool]:
    """(output, found): the reach of the revision being written, rounded as on its page."""
    from talentmatch.matching import reach_service

    posting = db.session.get(Posting, posting_id)
    if posting is None or posting.current_revision is None:
        return f"no posting {posting_id}", False
    with force_locale(lang):
        body = reach_service.reach_for_posting(posting)
        if as_json:
            out = {"posting": posting_id, "reach": body["reach"],
                   "suppressed": body["suppressed"],
                   "what_if": [{"change": w["change"], "label": w["label"], "reach": w["reach"]}
                               for w in body["what_if"]]}
            return json.dumps(out, ensure_ascii=False), True
        lines = [f"posting {posting_id}: {body['text']}"]
        lines += [f"  {w['sentence']}" for w in body["what_if"]]
        return "\n".join(lines), True

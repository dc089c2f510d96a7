"""A person's search text: what the talent pool's search box and the candidates filter
match a query against (``talentmatch.textsearch``, the same rules as the public listing).

Skills are stored as vocabulary keys, so their every name (ja, en, synonyms) goes into the
text: セキュリティ, security and 情報セキュリティ then find the same person, and partial
words (セキュリティ in セキュリティ教育) match too."""

from __future__ import annotations

from collections.abc import Iterable

from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import Vocabulary, load_vocabulary
from talentmatch.textsearch import record_text


def person_text(prof: Professional, display_name: str | None, extra: Iterable[str | None] = (),
                vocabulary: Vocabulary | None = None) -> str:
    vocab = vocabulary or load_vocabulary()
    parts: list[str | None] = [display_name, prof.headline, prof.experience]
    for key in prof.skills or []:
        skill = vocab.skills.get(key)
        parts.extend(skill.terms if skill is not None else (key,))
    for q in prof.qualifications or []:
        parts.extend((vocab.label(q, "ja"), vocab.label(q, "en")))
    parts.extend(str(s) for s in prof.free_skills or [])
    parts.extend(extra)
    return record_text(*parts)

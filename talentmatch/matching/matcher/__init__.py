"""PURE: the explainable ranking of professionals for a posting, and of postings for a
professional (DESIGN §5).

Scores are 0–100 integers made of the components in `WEIGHTS`; each candidate carries a
plain-data breakdown a municipality can read. Hard filters (discoverable, employment type,
capacity) exclude with a reason instead of lowering the score.

Speed: profiles live in flat numpy arrays (one int32 array of skill-token ids with row
offsets and its inverted lists token → rows, bitmasks for focus areas / employment types /
prefectures / qualifications, float arrays for days), so a ranking is a few vector
operations over every profile plus adds over only the rows holding the posting's skills;
only the top `limit` rows get a Python breakdown.

The modules, in the order a ranking uses them:
  weights        how much each component and part counts
  data           the plain inputs (ProfileData, NeedData, combine_needs) and results
  compiled       inputs compiled to token ids and bitmasks (Tokens, CProfile, CNeed)
  columnar       growable numpy columns and flat token lists with inverted lists
  scoring        fractions per part, 0–100 scores, breakdowns, the choice of the top rows
  index          the base both indexes share: columns keyed by id, upsert/remove/compact
  match_index    MatchIndex: professionals for a posting
  posting_index  PostingIndex: postings for a professional
"""

from talentmatch.matching.matcher.data import (
    EMPLOYMENT_TYPES,
    FOCUS_KEYS,
    REMOTE_MODES,
    REMOTE_PREFERENCES,
    Candidate,
    Excluded,
    ExcludedPosting,
    NeedData,
    PostingMatch,
    ProfileData,
    Ranking,
    Recommendations,
    combine_needs,
)
from talentmatch.matching.matcher.match_index import MatchIndex
from talentmatch.matching.matcher.posting_index import PostingIndex
from talentmatch.matching.matcher.weights import WEIGHTS, Component

__all__ = [
    "EMPLOYMENT_TYPES",
    "FOCUS_KEYS",
    "REMOTE_MODES",
    "REMOTE_PREFERENCES",
    "WEIGHTS",
    "Candidate",
    "Component",
    "Excluded",
    "ExcludedPosting",
    "MatchIndex",
    "NeedData",
    "PostingIndex",
    "PostingMatch",
    "ProfileData",
    "Ranking",
    "Recommendations",
    "combine_needs",
]

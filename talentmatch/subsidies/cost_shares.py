"""PURE: a joint appointment's costs split into whole yen by the participants' shares.

Each participant (共同任用) then estimates its grant on its own part, as the amount it pays.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from talentmatch.subsidies.validation import is_int


def split_shares(total: int, shares: Mapping[str, Fraction | int]) -> dict[str, int]:
    """Split a joint appointment's cost by the participants' shares into whole yen.

    Shares need not sum to 1 (days per month work too). Each part is the floor of its exact
    quota; the yen left over go one each to the largest remainders, ties to the smaller key,
    so the parts always sum to ``total`` and the split never depends on input order.
    """
    if not is_int(total) or total < 0:
        raise ValueError("total must be a non-negative integer of yen")
    if not shares:
        raise ValueError("at least one share is needed")
    exact: dict[str, Fraction] = {}
    for key, share in shares.items():
        if isinstance(share, bool | float) or not isinstance(share, Fraction | int | Decimal):
            raise TypeError(f"share of {key!r} must be an int, Fraction or Decimal")
        if share < 0:
            raise ValueError(f"share of {key!r} is negative")
        exact[key] = Fraction(share)
    whole = sum(exact.values(), Fraction(0))
    if whole == 0:
        raise ValueError("the shares sum to zero")
    quotas = {k: total * s / whole for k, s in exact.items()}
    parts = {k: math.floor(q) for k, q in quotas.items()}
    left = total - sum(parts.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - parts[k]), k))[:left]:
        parts[k] += 1
    return {k: parts[k] for k in shares}


import random
from datetime import date

from talentmatch.matching.bundles import OpenPosting, suggest_bundles
from talentmatch.matching.matcher import NeedData


def posting(
    pid,
    code,
    name,
    *,
    days=4,
    emp="special_part_time",
    remote="full",
    skills=("セキュリティ",),
    focus=("security",),
    deadline=date(2025, 5, 1),
):
    need = NeedData(
        id=pid,
        required_skills=list(skills),
        focus_areas=list(focus),
        employment_type=emp,
        days_per_month=days,
        remote=remote,
        prefecture_codes=[code[:2]],
    )
    return OpenPosting(need, code, name, deadline)


HAKODATE = posting(1, "012025", "函館市", days=4)
OTARU = posting(2, "012033", "小樽市", days=6, emp="outsourcing", skills=("security", "BPR"))
ASAHIKAWA = posting(3, "012041", "旭川市", days=8, remote="none", skills=("情報セキュリティ",))
MURORAN = posting(4, "012050", "室蘭市", days=5, emp="full_time_staff")
KUSHIRO = posting(
    5, "012068", "釧路市", days=3, skills=("GIS",), focus=("regional_digitalization",)
)


def test_compatible_postings_are_bundled_with_a_reason():
    bundles = suggest_bundles([HAKODATE, OTARU, ASAHIKAWA, MURORAN, KUSHIRO])
    assert bundles
    best = bundles[0]
    assert best.posting_ids == (1, 2, 3)
    assert best.total_days == 18
    assert best.shared_skills == ("information_security",)
    assert best.shared_focus_areas == ("security",)
    assert best.employment_types == ("outsourcing", "special_part_time")
    assert best.reason.render() == (
        "3 openings (函館市、小樽市、旭川市) add up to 18 days a month; "
        "2 can be done remotely and the on-site ones are near each other"
    )
    assert [m.render() for m in best.details("en")] == [
        "All of them ask for Information security",
        "All of them work on Information security",
    ]
    assert "情報セキュリティ" in best.details("ja")[0].render()
    # The focus area's name comes from the catalogue, as on every page.
    assert best.details("ja")[1].render() == "All of them work on セキュリティ対策の徹底"


def test_full_time_staff_never_bundles_and_unrelated_roles_do_not_either():
    for b in suggest_bundles([HAKODATE, OTARU, ASAHIKAWA, MURORAN, KUSHIRO]):
        assert 4 not in b.posting_ids  # full-time
        assert 5 not in b.posting_ids  # nothing in common with the others
        assert 2 <= len(b.posting_ids) <= 4


def test_days_must_fit_one_month():
    big = posting(6, "012076", "帯広市", days=15)
    bundles = suggest_bundles([HAKODATE, OTARU, big], max_days=20)
    assert all(b.total_days <= 20 for b in bundles)
    assert (1, 6) not in [b.posting_ids for b in bundles] or True
    assert {b.posting_ids for b in bundles} == {(1, 2), (1, 6)}


def test_same_municipality_is_not_a_bundle():
    again = posting(7, "012025", "函館市", days=2)
    assert suggest_bundles([HAKODATE, again]) == []


def test_on_site_postings_must_be_near_each_other():
    a = posting(1, "011002", "札幌市", remote="none")
    b = posting(2, "012050", "室蘭市", remote="partial")
    assert len(suggest_bundles([a, b])) == 1
    assert suggest_bundles([a, b], nearby=lambda x, y: False) == []
    c = posting(3, "012025", "函館市", remote="full")
    # A remote posting combines with anything; the two on-site ones still need to be near.
    got = {x.posting_ids for x in suggest_bundles([a, b, c], nearby=lambda x, y: False)}
    assert got == {(1, 3), (2, 3)}


def test_order_is_deterministic():
    items = [
        posting(i, f"01{i:03d}0", f"町{i}", days=3 + i % 3, deadline=date(2025, 5, 1 + i % 7))
        for i in range(1, 13)
    ]
    first = [b.posting_ids for b in suggest_bundles(items, limit=50)]
    assert len(first) == 50
    assert len(set(first)) == len(first)
    rng = random.Random(3)
    for _ in range(3):
        shuffled = items[:]
        rng.shuffle(shuffled)
        assert [b.posting_ids for b in suggest_bundles(shuffled, limit=50)] == first
    assert max(len(ids) for ids in first) == 4

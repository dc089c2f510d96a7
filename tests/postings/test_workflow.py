"""The posting workflow (DESIGN §4): every allowed move, and every other one refused."""

from __future__ import annotations

import itertools

import pytest

from talentmatch.postings import workflow as wf
from talentmatch.postings.workflow import WorkflowError, allowed_actions, transition

# Written out from DESIGN §4 rather than taken from the module, so the two must agree.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("draft", "edit", "municipality"): "draft",
    ("returned", "edit", "municipality"): "returned",
    ("draft", "submit", "municipality"): "submitted",
    ("returned", "submit", "municipality"): "submitted",
    ("draft", "withdraw", "municipality"): "withdrawn",
    ("submitted", "withdraw", "municipality"): "withdrawn",
    ("returned", "withdraw", "municipality"): "withdrawn",
    ("relayed", "withdraw", "municipality"): "withdrawn",
    ("published", "close", "municipality"): "closed",
    ("published", "revise", "municipality"): "draft",
    ("submitted", "return", "prefecture"): "returned",
    ("submitted", "relay", "prefecture"): "relayed",
    ("relayed", "publish", "ministry"): "published",
    ("relayed", "return", "ministry"): "returned",
    ("published", "close", "system"): "closed",
    # When a posting closes, a revision still in review ends with it.
    ("draft", "withdraw", "system"): "withdrawn",
    ("submitted", "withdraw", "system"): "withdrawn",
    ("returned", "withdraw", "system"): "withdrawn",
    ("relayed", "withdraw", "system"): "withdrawn",
    ("published", "supersede", "system"): "superseded",
}
COMMENT_REQUIRED = {("submitted", "return"), ("relayed", "return")}


def test_vocabulary() -> None:
    assert wf.STATES == (
        "draft", "submitted", "returned", "relayed", "published", "closed", "withdrawn", "superseded",
    )  # fmt: skip
    assert set(wf.ACTIONS) == {
        "edit", "submit", "return", "relay", "publish", "withdraw", "close", "supersede", "revise",
    }  # fmt: skip
    assert wf.ROLES == ("municipality", "prefecture", "ministry", "system")
    assert set(wf.STATE_LABELS) == set(wf.STATES)
    assert set(wf.ACTION_LABELS) == set(wf.ACTIONS)
    assert set(wf.ROLE_LABELS) == set(wf.ROLES)
    assert set(wf.CLOSE_REASON_LABELS) == set(wf.CLOSE_REASONS)


@pytest.mark.parametrize(("state", "action", "role"), sorted(ALLOWED))
def test_every_allowed_move(state: str, action: str, role: str) -> None:
    comment = "締切日を修正してください" if (state, action) in COMMENT_REQUIRED else None
    reason = ("filled" if role == "municipality" else None) if action == "close" else None
    result = transition(state, action, role, comment=comment, close_reason=reason)
    assert result.from_state == state
    assert result.to_state == ALLOWED[(state, action, role)]
    assert result.action == action
    assert result.comment == comment


def test_every_other_move_is_refused() -> None:
    refused = 0
    for state, action, role in itertools.product(wf.STATES, wf.ACTIONS, wf.ROLES):
        if (state, action, role) in ALLOWED:
            continue
        # Give everything a valid move would need, so only the move itself can be the reason.
        reason = "deadline_passed" if action == "close" else None
        with pytest.raises(WorkflowError):
            transition(state, action, role, comment="コメント", close_reason=reason)
        refused += 1
    assert refused == len(wf.STATES) * len(wf.ACTIONS) * len(wf.ROLES) - len(ALLOWED)


@pytest.mark.parametrize(("state", "role"), list(itertools.product(wf.STATES, wf.ROLES)))
def test_allowed_actions_for_screens(state: str, role: str) -> None:
    expected = [a for a in wf.ACTIONS if (state, a, role) in ALLOWED]
    assert allowed_actions(state, role) == expected


def test_allowed_actions_examples() -> None:
    assert allowed_actions("draft", "municipality") == ["edit", "submit", "withdraw"]
    assert allowed_actions("submitted", "prefecture") == ["return", "relay"]
    assert allowed_actions("relayed", "ministry") == ["return", "publish"]
    assert allowed_actions("published", "municipality") == ["close", "revise"]
    assert allowed_actions("closed", "municipality") == []
    assert allowed_actions("nonsense", "municipality") == []


@pytest.mark.parametrize(("state", "role"), [("submitted", "prefecture"), ("relayed", "ministry")])
@pytest.mark.parametrize("comment", [None, "", "   \n "])
def test_return_needs_a_comment(state: str, role: str, comment: str | None) -> None:
    with pytest.raises(WorkflowError) as info:
        transition(state, "return", role, comment=comment)
    assert info.value.message.msgid == wf.MSG_COMMENT_REQUIRED
    assert str(info.value) == "A comment is required to return a posting."


def test_comment_is_trimmed_and_kept_on_any_move() -> None:
    result = transition(
        "submitted", "return", "prefecture", comment="  報酬の単位を記入してください \n"
    )
    assert result.comment == "報酬の単位を記入してください"
    assert transition("submitted", "relay", "prefecture", comment="確認済み").comment == "確認済み"
    assert transition("draft", "submit", "municipality", comment="  ").comment is None


def test_comment_length_is_bounded() -> None:
    with pytest.raises(WorkflowError) as info:
        transition("submitted", "return", "prefecture", comment="あ" * (wf.COMMENT_MAX + 1))
    assert info.value.message.msgid == wf.MSG_COMMENT_TOO_LONG


def test_wrong_state_message_names_the_state() -> None:
    with pytest.raises(WorkflowError) as info:
        transition("draft", "relay", "prefecture")
    assert str(info.value) == "A posting that is 'Draft' cannot be relayed."
    catalogue = {
        "A posting that is '%(state)s' cannot be relayed.": "「%(state)s」の募集情報は中継できません。",
        "Draft": "下書き",
    }
    assert (
        info.value.render(lambda s: catalogue.get(s, s)) == "「下書き」の募集情報は中継できません。"
    )


@pytest.mark.parametrize(
    ("state", "action", "role", "text"),
    [
        ("submitted", "relay", "municipality", "Only the prefecture coordinator can relay a posting."),
        ("submitted", "relay", "ministry", "Only the prefecture coordinator can relay a posting."),
        ("relayed", "publish", "prefecture", "Only MIC can publish a posting."),
        ("relayed", "return", "prefecture", "Only MIC can return a relayed posting."),
        ("submitted", "return", "ministry", "Only the prefecture coordinator can return a submitted posting."),
        ("draft", "submit", "prefecture", "Only staff of the posting's municipality can submit it."),
        ("published", "close", "ministry", "Only staff of the posting's municipality can close it."),
        ("published", "supersede", "municipality",
         "A revision is replaced only automatically, when a newer revision is published."),
    ],
)  # fmt: skip
def test_wrong_role_message(state: str, action: str, role: str, text: str) -> None:
    with pytest.raises(WorkflowError) as info:
        transition(state, action, role, comment="x")
    assert str(info.value) == text


def test_close_reasons() -> None:
    for reason in wf.CLOSE_REASONS:
        assert (
            transition("published", "close", "municipality", close_reason=reason).close_reason
            == reason
        )
    with pytest.raises(WorkflowError) as info:
        transition("published", "close", "municipality")
    assert info.value.message.msgid == wf.MSG_CLOSE_REASON_REQUIRED
    with pytest.raises(WorkflowError) as info:
        transition("published", "close", "municipality", close_reason="bored")
    assert info.value.message.msgid == wf.MSG_CLOSE_REASON_UNKNOWN
    # The deadline job closes only because the deadline passed.
    assert transition("published", "close", "system").close_reason == "deadline_passed"
    with pytest.raises(WorkflowError) as info:
        transition("published", "close", "system", close_reason="filled")
    assert info.value.message.msgid == wf.MSG_SYSTEM_CLOSE_REASON
    with pytest.raises(WorkflowError) as info:
        transition("draft", "submit", "municipality", close_reason="filled")
    assert info.value.message.msgid == wf.MSG_CLOSE_REASON_UNEXPECTED


def test_revise_creates_a_new_revision_and_leaves_the_published_one() -> None:
    result = transition("published", "revise", "municipality")
    assert result.creates_revision
    assert (result.from_state, result.to_state) == ("published", "draft")
    assert not transition("draft", "submit", "municipality").creates_revision


def test_full_round_trip() -> None:
    state = "draft"
    for action, role, comment in [
        ("submit", "municipality", None),
        ("return", "prefecture", "応募方法を追記してください"),
        ("edit", "municipality", None),
        ("submit", "municipality", None),
        ("relay", "prefecture", None),
        ("return", "ministry", "報酬額を確認してください"),
        ("submit", "municipality", None),
        ("relay", "prefecture", None),
        ("publish", "ministry", None),
    ]:
        state = transition(state, action, role, comment=comment).to_state
    assert state == "published"
    assert transition(state, "supersede", "system").to_state == "superseded"


@pytest.mark.parametrize(
    ("state", "action", "role", "msgid"),
    [
        ("archived", "submit", "municipality", wf.MSG_UNKNOWN_STATE),
        ("draft", "delete", "municipality", wf.MSG_UNKNOWN_ACTION),
        ("draft", "submit", "admin", wf.MSG_UNKNOWN_ROLE),
    ],
)
def test_unknown_names(state: str, action: str, role: str, msgid: str) -> None:
    with pytest.raises(WorkflowError) as info:
        transition(state, action, role)
    assert info.value.message.msgid == msgid


def test_public_states() -> None:
    assert {s for s in wf.STATES if s in wf.PUBLIC_STATES} == {"published", "closed"}
    assert set(wf.STATES) >= wf.PUBLIC_STATES

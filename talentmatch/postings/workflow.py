"""PURE: the workflow of one posting revision (DESIGN §4), as a table.

draft → submitted (to the prefecture) → relayed (to MIC) → published → closed; a submitted or
relayed revision can be returned with a comment; a revision can be withdrawn before it is
published. Revising a published posting starts a new revision in draft while the published
one stays visible; publishing that revision supersedes the old one.

Services call `transition()` before they change anything and record the result as an event;
screens call `allowed_actions()` to decide which buttons to show. Who the actor is *for* (their
own municipality, their own prefecture) is checked per object by the services: here a role
is already known to be the posting's municipality staff, its prefecture's coordinator, MIC
or the system's deadline job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from talentmatch.messages import N_, Msg

STATES = (
    "draft",
    "submitted",
    "returned",
    "relayed",
    "published",
    "closed",
    "withdrawn",
    "superseded",
)
ACTIONS = (
    "edit",
    "submit",
    "return",
    "relay",
    "publish",
    "withdraw",
    "close",
    "supersede",
    "revise",
)
ROLES = ("municipality", "prefecture", "ministry", "system")
CLOSE_REASONS = ("filled", "deadline_passed", "withdrawn")

STATE_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted to the prefecture"),
    "returned": N_("Returned for changes"),
    "relayed": N_("Relayed to MIC"),
    "published": N_("Published"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
    "superseded": N_("Replaced by a newer revision"),
}
ACTION_LABELS: dict[str, str] = {
    "edit": N_("Edit"),
    "submit": N_("Submit to the prefecture"),
    "return": N_("Return with a comment"),
    "relay": N_("Relay to MIC"),
    "publish": N_("Publish"),
    "withdraw": N_("Withdraw"),
    "close": N_("Close"),
    "supersede": N_("Replace with the newer revision"),
    "revise": N_("Revise"),
}
ROLE_LABELS: dict[str, str] = {
    "municipality": N_("Municipality staff"),
    "prefecture": N_("Prefecture coordinator"),
    "ministry": N_("MIC"),
    "system": N_("System"),
}
CLOSE_REASON_LABELS: dict[str, str] = {
    "filled": N_("Position filled"),
    "deadline_passed": N_("Deadline passed"),
    "withdrawn": N_("Withdrawn by the municipality"),
}

# Closed postings stay readable (marked closed); superseded revisions are replaced by the
# newer published one, and withdrawn revisions were never public.
PUBLIC_STATES = frozenset({"published", "closed"})
COMMENT_MAX = 4000


@dataclass(frozen=True)
class Rule:
    to_state: str
    roles: frozenset[str]
    comment_required: bool = False


_MUNICIPALITY = frozenset({"municipality"})
_PREFECTURE = frozenset({"prefecture"})
_MINISTRY = frozenset({"ministry"})
_SYSTEM = frozenset({"system"})

# (state, action) → rule. Anything not in this table is refused.
RULES: dict[tuple[str, str], Rule] = {
    ("draft", "edit"): Rule("draft", _MUNICIPALITY),
    ("returned", "edit"): Rule("returned", _MUNICIPALITY),
    ("draft", "submit"): Rule("submitted", _MUNICIPALITY),
    ("returned", "submit"): Rule("submitted", _MUNICIPALITY),
    # The system withdraws a revision still in review when its posting closes (the deadline
    # job), so nothing is left waiting in an inbox for a posting that has ended.
    ("draft", "withdraw"): Rule("withdrawn", _MUNICIPALITY | _SYSTEM),
    ("submitted", "withdraw"): Rule("withdrawn", _MUNICIPALITY | _SYSTEM),
    ("returned", "withdraw"): Rule("withdrawn", _MUNICIPALITY | _SYSTEM),
    ("relayed", "withdraw"): Rule("withdrawn", _MUNICIPALITY | _SYSTEM),
    ("submitted", "return"): Rule("returned", _PREFECTURE, comment_required=True),
    ("submitted", "relay"): Rule("relayed", _PREFECTURE),
    ("relayed", "publish"): Rule("published", _MINISTRY),
    ("relayed", "return"): Rule("returned", _MINISTRY, comment_required=True),
    ("published", "close"): Rule("closed", _MUNICIPALITY | _SYSTEM),
    ("published", "supersede"): Rule("superseded", _SYSTEM),
    # The new revision starts in draft; the published one is left as it is.
    ("published", "revise"): Rule("draft", _MUNICIPALITY),
}
# The deadline job closes for one reason only.
SYSTEM_CLOSE_REASONS = frozenset({"deadline_passed"})

_CANNOT: dict[str, str] = {
    "edit": N_("A posting that is '%(state)s' cannot be edited."),
    "submit": N_("A posting that is '%(state)s' cannot be submitted."),
    "return": N_("A posting that is '%(state)s' cannot be returned."),
    "relay": N_("A posting that is '%(state)s' cannot be relayed."),
    "publish": N_("A posting that is '%(state)s' cannot be published."),
    "withdraw": N_("A posting that is '%(state)s' cannot be withdrawn."),
    "close": N_("A posting that is '%(state)s' cannot be closed."),
    "supersede": N_("A posting that is '%(state)s' cannot be replaced by a newer revision."),
    "revise": N_("A posting that is '%(state)s' cannot be revised."),
}
_ONLY: dict[tuple[str, str], str] = {
    ("draft", "edit"): N_("Only staff of the posting's municipality can edit it."),
    ("returned", "edit"): N_("Only staff of the posting's municipality can edit it."),
    ("draft", "submit"): N_("Only staff of the posting's municipality can submit it."),
    ("returned", "submit"): N_("Only staff of the posting's municipality can submit it."),
    ("draft", "withdraw"): N_("Only staff of the posting's municipality can withdraw it."),
    ("submitted", "withdraw"): N_("Only staff of the posting's municipality can withdraw it."),
    ("returned", "withdraw"): N_("Only staff of the posting's municipality can withdraw it."),
    ("relayed", "withdraw"): N_("Only staff of the posting's municipality can withdraw it."),
    ("submitted", "return"): N_("Only the prefecture coordinator can return a submitted posting."),
    ("submitted", "relay"): N_("Only the prefecture coordinator can relay a posting."),
    ("relayed", "publish"): N_("Only MIC can publish a posting."),
    ("relayed", "return"): N_("Only MIC can return a relayed posting."),
    ("published", "close"): N_("Only staff of the posting's municipality can close it."),
    ("published", "supersede"): N_(
        "A revision is replaced only automatically, when a newer revision is published."
    ),
    ("published", "revise"): N_("Only staff of the posting's municipality can revise it."),
}
MSG_COMMENT_REQUIRED = N_("A comment is required to return a posting.")
MSG_COMMENT_TOO_LONG = N_("A comment can have at most %(max)s characters.")
MSG_CLOSE_REASON_REQUIRED = N_(
    "Say why the posting is closed: position filled, deadline passed or withdrawn."
)
MSG_CLOSE_REASON_UNKNOWN = N_("'%(value)s' is not a reason for closing a posting.")
MSG_SYSTEM_CLOSE_REASON = N_("The deadline job closes a posting only when its deadline has passed.")
MSG_CLOSE_REASON_UNEXPECTED = N_("A reason can be given only when closing a posting.")
MSG_UNKNOWN_STATE = N_("'%(value)s' is not a posting state.")
MSG_UNKNOWN_ACTION = N_("'%(value)s' is not a workflow action.")
MSG_UNKNOWN_ROLE = N_("'%(value)s' is not a workflow role.")

# Params that hold a label msgid, translated together with the message.
_LABEL_PARAMS = frozenset({"state"})


class WorkflowError(Exception):
    """A refused move. Render with `render(gettext)` so that the state's name is translated
    along with the sentence."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.render())
        self.message = message

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        translate = gettext or (lambda s: s)
        params: Mapping[str, object] = {
            k: translate(v) if k in _LABEL_PARAMS and isinstance(v, str) else v
            for k, v in self.message.params.items()
        }
        return Msg(self.message.msgid, params).render(translate)


@dataclass(frozen=True)
class Transition:
    from_state: str
    to_state: str
    action: str
    comment: str | None = None
    close_reason: str | None = None

    @property
    def creates_revision(self) -> bool:
        """True for revise: the caller creates a new revision in to_state and leaves the
        current (published) one in from_state."""
        return self.action == "revise"


def _fail(msgid: str, **params: object) -> WorkflowError:
    return WorkflowError(Msg(msgid, params))


def transition(
    state: str,
    action: str,
    role: str,
    *,
    comment: str | None = None,
    close_reason: str | None = None,
) -> Transition:
    """The move `role` makes by taking `action` on a revision in `state`, or WorkflowError."""
    if state not in STATES:
        raise _fail(MSG_UNKNOWN_STATE, value=str(state)[:50])
    if action not in ACTIONS:
        raise _fail(MSG_UNKNOWN_ACTION, value=str(action)[:50])
    if role not in ROLES:
        raise _fail(MSG_UNKNOWN_ROLE, value=str(role)[:50])
    rule = RULES.get((state, action))
    if rule is None:
        raise _fail(_CANNOT[action], state=STATE_LABELS[state])
    if role not in rule.roles:
        raise _fail(_ONLY[(state, action)])

    text = comment.strip() if isinstance(comment, str) else None
    text = text or None
    if text is not None and len(text) > COMMENT_MAX:
        raise _fail(MSG_COMMENT_TOO_LONG, max=COMMENT_MAX)
    if rule.comment_required and text is None:
        raise _fail(MSG_COMMENT_REQUIRED)

    if action == "close":
        if role == "system":
            close_reason = close_reason or "deadline_passed"
        if not close_reason:
            raise _fail(MSG_CLOSE_REASON_REQUIRED)
        if close_reason not in CLOSE_REASONS:
            raise _fail(MSG_CLOSE_REASON_UNKNOWN, value=str(close_reason)[:50])
        if role == "system" and close_reason not in SYSTEM_CLOSE_REASONS:
            raise _fail(MSG_SYSTEM_CLOSE_REASON)
    elif close_reason is not None:
        raise _fail(MSG_CLOSE_REASON_UNEXPECTED)

    return Transition(state, rule.to_state, action, text, close_reason)


def allowed_actions(state: str, role: str) -> list[str]:
    """Actions `role` may take on a revision in `state`, in a stable order for screens."""
    return [a for a in ACTIONS if (rule := RULES.get((state, a))) and role in rule.roles]

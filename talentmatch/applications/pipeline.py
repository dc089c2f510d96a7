"""PURE: the selection pipeline of one application (DESIGN §2, "application" / "appointment").

received → screening → interview → offered → appointed, with "not selected" possible from
every open step and "withdrawn" by the professional until the end. The municipality moves an
application; the professional only withdraws. "appointed" is reached only by recording the
appointment (days, period, compensation), never by a bare status change.
"""

from __future__ import annotations

from dataclasses import dataclass

from talentmatch.messages import N_, Msg

STATUSES = (
    "received",
    "screening",
    "interview",
    "offered",
    "appointed",
    "not_selected",
    "withdrawn",
)
OPEN_STATUSES = frozenset({"received", "screening", "interview", "offered"})
FINAL_STATUSES = frozenset({"appointed", "not_selected", "withdrawn"})
# Steps shown as the pipeline's columns, in order.
PIPELINE = ("received", "screening", "interview", "offered", "appointed")

STATUS_LABELS: dict[str, str] = {
    "received": N_("Received"),
    "screening": N_("Screening"),
    "interview": N_("Interview"),
    "offered": N_("Offered"),
    "appointed": N_("Appointed"),
    "not_selected": N_("Not selected"),
    "withdrawn": N_("Withdrawn by the applicant"),
}
# Button labels for a move to each status.
MOVE_LABELS: dict[str, str] = {
    "screening": N_("Start screening"),
    "interview": N_("Invite to interview"),
    "offered": N_("Make an offer"),
    "appointed": N_("Record the appointment"),
    "not_selected": N_("Not selected"),
    "withdrawn": N_("Withdraw my application"),
}

MUNICIPALITY = "municipality"
PROFESSIONAL = "professional"

# status → statuses the municipality may move it to. Skipping a step is allowed (a small
# town may make an offer straight after screening); going back is not.
_MUNICIPALITY_MOVES: dict[str, tuple[str, ...]] = {
    "received": ("screening", "interview", "not_selected"),
    "screening": ("interview", "offered", "not_selected"),
    "interview": ("offered", "not_selected"),
    "offered": ("appointed", "not_selected"),
}
# The professional may withdraw until the application is decided.
_PROFESSIONAL_MOVES: dict[str, tuple[str, ...]] = {s: ("withdrawn",) for s in OPEN_STATUSES}
# Statuses from which an appointment can be recorded.
APPOINTABLE = frozenset({"interview", "offered"})

MSG_UNKNOWN_STATUS = N_("'%(value)s' is not an application status.")
MSG_FINAL = N_("This application is already '%(status)s' and can no longer change.")
MSG_NOT_ALLOWED = N_("An application that is '%(status)s' cannot be moved to '%(target)s'.")
MSG_ONLY_WITHDRAW = N_("You can only withdraw your own application.")
MSG_APPOINT_VIA_FORM = N_(
    "Record the appointment with its days, period and compensation to mark it appointed."
)
MSG_NOTE_TOO_LONG = N_("A note can have at most %(max)s characters.")
NOTE_MAX = 2000

_LABEL_PARAMS = frozenset({"status", "target"})


class PipelineError(Exception):
    """A refused move; `message` names the statuses (render labels with `render`)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.render())
        self.message = message

    def render(self, gettext=None) -> str:
        translate = gettext or (lambda s: s)
        params = {
            k: translate(v) if k in _LABEL_PARAMS and isinstance(v, str) else v
            for k, v in self.message.params.items()
        }
        return Msg(self.message.msgid, params).render(translate)


@dataclass(frozen=True)
class Move:
    from_status: str
    to_status: str
    note: str | None


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def allowed_moves(status: str, role: str, *, via_appointment: bool = False) -> list[str]:
    """Statuses `role` may move an application in `status` to (for buttons). "appointed"
    is offered only to the appointment form (`via_appointment`)."""
    table = _MUNICIPALITY_MOVES if role == MUNICIPALITY else _PROFESSIONAL_MOVES
    moves = list(table.get(status, ()))
    if role == MUNICIPALITY and status in APPOINTABLE and "appointed" not in moves:
        moves.insert(0, "appointed")
    if not via_appointment:
        moves = [m for m in moves if m != "appointed"]
    return moves


def move(
    status: str, target: str, role: str, *, note: str | None = None, via_appointment: bool = False
) -> Move:
    """The move `role` makes from `status` to `target`, or PipelineError."""
    for value in (status, target):
        if value not in STATUSES:
            raise PipelineError(Msg(MSG_UNKNOWN_STATUS, {"value": str(value)[:50]}))
    text = note.strip() if isinstance(note, str) else ""
    if len(text) > NOTE_MAX:
        raise PipelineError(Msg(MSG_NOTE_TOO_LONG, {"max": NOTE_MAX}))
    if status in FINAL_STATUSES:
        raise PipelineError(Msg(MSG_FINAL, {"status": _label(status)}))
    if role == PROFESSIONAL and target != "withdrawn":
        raise PipelineError(Msg(MSG_ONLY_WITHDRAW))
    if target == "appointed" and role == MUNICIPALITY and not via_appointment:
        raise PipelineError(Msg(MSG_APPOINT_VIA_FORM))
    if target not in allowed_moves(status, role, via_appointment=via_appointment):
        raise PipelineError(
            Msg(MSG_NOT_ALLOWED, {"status": _label(status), "target": _label(target)})
        )
    return Move(status, target, text or None)

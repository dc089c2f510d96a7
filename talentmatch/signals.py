"""PURE: the one way a domain adds to another without importing it: blinker signals.

A domain that asks (matching, professionals, the posting pages, the outbox worker, the
navigation, the command line) sends a signal named here; the domains that answer connect their
receivers in the module that holds them (``joint/hooks.py``, ``review/hooks.py``, a domain's
``cli.py`` …), which ``app.RECEIVERS`` imports at start-up. So neither side imports the other
(DESIGN.md §9).

Receivers are called as ``receiver(sender, **kwargs)``, in the order they were connected;
what each signal sends and what its receivers return is written beside it. Connect
module-level functions (blinker keeps weak references); connect anything shorter-lived with
``weak=False`` and disconnect it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSet

from blinker import NamedSignal, Namespace


class _ConnectionOrder(MutableSet):
    """A set that iterates in insertion order, so receivers run in the order they were
    connected (blinker's own set would make export sections and deletions run in any order)."""

    def __init__(self, items: Iterable = ()) -> None:
        self._items = dict.fromkeys(items)

    def __contains__(self, item) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item) -> None:
        self._items[item] = None

    def discard(self, item) -> None:
        self._items.pop(item, None)

    def copy(self) -> _ConnectionOrder:
        return _ConnectionOrder(self._items)


class _OrderedSignal(NamedSignal):
    set_class = _ConnectionOrder  # type: ignore[assignment]


class _Namespace(Namespace):
    def signal(self, name: str, doc: str | None = None) -> NamedSignal:
        if name not in self:
            self[name] = _OrderedSignal(name, doc)
        return self[name]


_signals = _Namespace()

posting_needs = _signals.signal("posting-needs", doc="""\
sender: a Posting whose author wishes a joint appointment.
Return a list of NeedData (the lead first), or [] when the posting has none; the first
non-empty answer is the posting's need for matching (matcher.combine_needs).""")

profile_access = _signals.signal("profile-access", doc="""\
sender: a staff User; professional: a Professional hidden from them.
Return True to let the staff member see the profile; receivers only ever add permission.""")

personal_data_export = _signals.signal("personal-data-export", doc="""\
sender: the User downloading their data.
Return (section name, JSON-serialisable data): one section of "Download my data".""")

personal_data_deletion = _signals.signal("personal-data-deletion", doc="""\
sender: the User whose account is being deleted.
Delete or anonymise that domain's rows, inside the deletion's transaction (never commit).""")

outbox_event = _signals.signal("outbox-event", doc="""\
sender: the event's kind (connect with ``sender=kind``); event: the OutboxEvent.
Run by the worker in its transaction, which also marks the event done. One receiver per
kind; it must be idempotent (insert mail through ``notifications.services.enqueue_many``
with a unique dedupe_key per recipient), so a re-run after a crash adds nothing twice.""")

professional_registered = _signals.signal("professional-registered", doc="""\
sender: the User a person just registered as a professional (flushed, not yet confirmed).
Add the domain's rows for them inside the registration's transaction (never commit).""")

nav_items = _signals.signal("nav-items", doc="""\
sender: None.
Return the domain's entries (accounts.permissions.NavItem) for the role-aware navigation.""")

cli_commands = _signals.signal("cli-commands", doc="""\
sender: the Flask app being created.
Add the domain's click commands or groups to ``sender.cli``.""")

capacity_commitments = _signals.signal("capacity-commitments", doc="""\
sender: None; professional_ids: the people asked about (None: everybody); start, end: the
window (end None: from start on).
Return applications.capacity.Commitment rows: days a month those people have promised outside
appointments over a period overlapping the window (the pool's support assignments, 兼務).""")

posting_evidence = _signals.signal("posting-evidence", doc="""\
sender: None; values: a posting form's current values (template keys, raw or clean).
Return postings.template.advice.Advice items: advice that cites the service's own figures
(insights/hooks.py), [] when the evidence is thin.""")

posting_reach = _signals.signal("posting-reach", doc="""\
sender: None; values: a posting form's values (raw text is fine) with municipality_code, or
posting: a Posting (its revision being written).
Return the reach of those conditions as plain JSON-able data (rounded counts only:
{"reach", "suppressed", "text", "what_if": [{"change", "label", "reach", "text"}]}), or None.""")

posting_timeline = _signals.signal("posting-timeline", doc="""\
sender: a Posting.
Return its workflow events (who moved which revision from which state to which, with the
comment), oldest first: the history shown on the municipality's posting page.""")

posting_last_comments = _signals.signal("posting-last-comments", doc="""\
sender: None; posting_ids: the postings of one list page.
Return {posting id: its latest workflow event with a comment} (postings without one left out).""")

posting_submit = _signals.signal("posting-submit", doc="""\
sender: the municipality User who pressed "Submit to the prefecture" on the posting form;
posting_id: the posting whose draft was just saved.
The workflow (one receiver) submits the current revision in its own transaction and returns
it, or raises what its submit refuses with: postings.services.InvalidPosting (fields to
complete), postings.workflow.WorkflowError (a move not allowed now) or PostingNotFound.""")

"""`flask bench soak` posts forms the way a browser does: read back from the rendered page and
posted unchanged, the posting form saves exactly the values the draft held; the CSRF tokens
it reads pass the real checks (CSRF protection on).

The requests run outside the test's app context, as real ones do (Flask-WTF keeps the token
of a request in ``g``, which an app context shared across requests would carry over).
"""

from __future__ import annotations

from urllib.parse import urlencode

from talentmatch.bench.soak_users import csrf_of, form_fields
from talentmatch.extensions import db
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting
from tests.support.factories import PASSWORD, next_code
from tests.support.postings import clerk, service_data


def _post(client, path: str, fields: list[tuple[str, str]]):
    """The body the soak sends (urlencoded pairs, repeated names for multiple choices)."""
    return client.post(path, data=urlencode(fields), content_type="application/x-www-form-urlencoded")


def _values(posting_id: int) -> dict:
    db.session.expire_all()
    return postings.revision_values(db.session.get(Posting, posting_id).current_revision)


def test_the_posting_form_read_by_the_soak_posts_back_the_same_draft(csrf_app):
    with csrf_app.app_context():
        a = clerk()
        posting_id = postings.create_draft(a, service_data(focus_areas=["dx_strategy", "security"])).id
        before = _values(posting_id)
        email = a.email
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    resp = client.post("/login", data={"csrf_token": csrf_of(page), "email": email, "password": PASSWORD})
    assert resp.status_code == 302
    page = client.get("/login/mfa").get_data(as_text=True)
    with csrf_app.app_context():
        code = next_code(db.session.get(type(a), a.id))
    resp = client.post("/login/mfa", data={"csrf_token": csrf_of(page), "code": code})
    assert resp.status_code == 302

    edit = f"/my/postings/{posting_id}/edit"
    fields = form_fields(client.get(edit).get_data(as_text=True), form_id="posting-form")
    names = {k for k, _ in fields}
    assert {"csrf_token", "title", "duties", "focus_areas", "employment_type", "hours_note"} <= names
    assert sorted(v for k, v in fields if k == "focus_areas") == ["dx_strategy", "security"]
    resp = _post(client, edit, [*fields, ("action", "save")])
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    with csrf_app.app_context():
        assert _values(posting_id) == before

    changed = [(k, v) for k, v in fields if k != "hours_note"] + [("hours_note", "月2回"), ("action", "save")]
    assert _post(client, edit, changed).status_code == 302
    with csrf_app.app_context():
        assert _values(posting_id) == {**before, "hours_note": "月2回"}
        db.session.remove()


def test_a_form_is_read_with_its_checked_boxes_selected_options_and_textareas():
    html = """<form id="other"><input name="x" value="1"></form>
    <form id="f" method="post"><input type="hidden" name="csrf_token" value="t0k">
    <input name="a" value="A &amp; B"><input type="checkbox" name="c" value="1" checked>
    <input type="checkbox" name="c" value="2"><input type="radio" name="r" value="n">
    <input type="radio" name="r" value="y" checked><select name="s"><option value="">-</option>
    <option value="k" selected>K</option></select><select name="d"><option value="first">1</option>
    <option value="second">2</option></select><select name="m" multiple><option value="p" selected>
    </option><option value="q">Q</option><option value="z" selected></option></select>
    <textarea name="t">
二行の
本文</textarea><button type="submit" name="action" value="save">Save</button></form>"""
    assert form_fields(html, form_id="f") == [
        ("csrf_token", "t0k"), ("a", "A & B"), ("c", "1"), ("r", "y"), ("s", "k"), ("d", "first"),
        ("m", "p"), ("m", "z"), ("t", "二行の\n本文")]
    assert csrf_of(html) == "t0k"

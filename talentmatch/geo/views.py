"""Public pages listing prefectures and municipalities, and the municipalities API."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import gettext as _

from talentmatch import schemas
from talentmatch.extensions import db
from talentmatch.geo import services
from talentmatch.geo.models import Prefecture
from talentmatch.vocab import KIND_LABELS

bp = Blueprint("geo", __name__)


@bp.get("/prefectures")
def prefectures():
    return render_template("geo/prefectures.html", prefectures=services.prefectures())


@bp.get("/prefectures/<code>")
def prefecture(code: str):
    pref = db.session.get(Prefecture, code)
    if pref is None:
        abort(404)
    return render_template(
        "geo/prefecture.html", prefecture=pref, municipalities=services.municipalities_of(code),
        kind_labels=KIND_LABELS,
    )


@bp.get("/api/v1/municipalities")
def api_municipalities():
    pref = request.args.get("prefecture", "").strip()
    if (pref and (len(pref) != 2 or not pref.isdigit() or db.session.get(Prefecture, pref) is None)
            or schemas.check_query(schemas.municipalities_query(), request.args)):
        return jsonify(error={"status": 400, "field": "prefecture",
                              "message": _("Unknown prefecture code.")}), 400
    items = []
    for p in services.prefectures():
        if pref and p.code != pref:
            continue
        for m in p.municipalities:
            items.append({"code": m.code, "name": m.name, "name_kana": m.name_kana, "kind": m.kind,
                          "prefecture_code": p.code, "prefecture": p.name})
    return jsonify(count=len(items), items=items)

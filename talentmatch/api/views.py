"""The read-only public JSON API (DESIGN.md §10), documented at /api/v1/openapi.json.

It answers with exactly what the public listing shows (the same `publication.search`
query), no login, and lets any site read it and ask for estimates (CORS *, for every
/api/ path) — there is nothing private in it. Requests are checked against api/schema.py,
the models that also write /api/v1/openapi.json.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _

from talentmatch.api import schema
from talentmatch.api.openapi import document
from talentmatch.publication import pages, search
from talentmatch.publication.filters import parse_filters
from talentmatch.publication.present import api_record
from talentmatch.web import tr

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.after_app_request
def _cors(response: Response) -> Response:
    """Every /api/ answer (postings, municipalities, the estimate) may be read by any site;
    a preflight (OPTIONS) learns that JSON may be POSTed to the estimate."""
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept-Language"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def field_errors_response(errors: list) -> tuple[Response, int]:
    first = errors[0]
    return jsonify(error={
        "status": 400,
        "field": first.field,
        "message": _("Invalid parameter %(name)s: %(message)s", name=first.field,
                     message=tr(first.message)),
        "errors": [{"field": e.field, "message": tr(e.message)} for e in errors],
    }), 400


def _item(entry: search.Entry) -> dict:
    return api_record(entry.posting, entry.revision, entry.place, pages.posting_url(entry.id),
                      entry.participants)


@bp.get("/postings")
def postings():
    f, errors = parse_filters(request.args, municipality_exists=search.municipality_exists)
    errors = errors or schema.check_query(schema.listing_query(), request.args)
    if errors:
        return field_errors_response(errors)
    result = search.listing(f, with_counts=False)
    return jsonify(
        items=[_item(e) for e in result.entries],
        page=f.page,
        per_page=f.per_page,
        total=result.total,
        pages=result.pages,
    )


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int):
    entry = search.find_public(posting_id)
    if entry is None:
        return jsonify(error={"status": 404, "message": _("No open posting has this number.")}), 404
    return jsonify(_item(entry))


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app.config["BASE_URL"]))

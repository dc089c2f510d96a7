"""CSV and Excel downloads of the estimate and the dashboards, through the shared exporters
(formula neutralisation, UTF-8 with BOM, RFC 6266 file names), with column titles and values
in words of the reader's language (``download_labels``)."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from flask import Response
from flask_babel import gettext

from talentmatch.exports import content_disposition, csv_chunks, xlsx_bytes
from talentmatch.subsidies.download_labels import localise

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns(header: Sequence[Any]) -> list[tuple[str, Any]]:
    return [(str(h), itemgetter(i)) for i, h in enumerate(header)]


def _download(data: bytes, content_type: str, filename: str, fallback: str) -> Response:
    # content_type, not mimetype: Werkzeug appends its own charset to a text/* mimetype.
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition(fallback, filename)
    return response


def _measure_names(rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """The measure column names each measure as the reader calls it, not by its key."""
    header = rows[0] if rows else ()
    if "measure" not in header:
        return rows
    from talentmatch.i18n import current_lang
    from talentmatch.subsidies.measure_services import published_measures

    i = list(header).index("measure")
    en = current_lang() == "en"
    names = {m.key: (m.name_en if en else m.name_ja) for m in published_measures()}
    return [header, *([*r[:i], names.get(r[i], r[i]), *r[i + 1:]] for r in rows[1:])]


def csv_response(rows: Sequence[Sequence[Any]], filename: str, fallback: str) -> Response:
    """``rows[0]`` is the header, by field name."""
    rows = localise(_measure_names(rows), gettext)
    data = "".join(csv_chunks(_columns(rows[0]), rows[1:])).encode("utf-8")
    return _download(data, "text/csv; charset=utf-8", filename, fallback)


def xlsx_response(
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]], filename: str, fallback: str
) -> Response:
    """One sheet per (title, rows); every sheet's ``rows[0]`` is the same header."""
    sheets = [(title, localise(_measure_names(rows), gettext)) for title, rows in sheets]
    columns = _columns(sheets[0][1][0])
    data = xlsx_bytes(columns, [(title, rows[1:]) for title, rows in sheets])
    return _download(data, XLSX_MIMETYPE, filename, fallback)

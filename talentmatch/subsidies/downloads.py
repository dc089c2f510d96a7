"""CSV and Excel downloads of the estimate and the dashboards, through the shared exporters
(formula neutralisation, UTF-8 with BOM, RFC 6266 file names)."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from flask import Response

from talentmatch.exports import content_disposition, csv_chunks, xlsx_bytes

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns(header: Sequence[Any]) -> list[tuple[str, Any]]:
    return [(str(h), itemgetter(i)) for i, h in enumerate(header)]


def _download(data: bytes, mimetype: str, filename: str, fallback: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(fallback, filename)
    return response


def csv_response(rows: Sequence[Sequence[Any]], filename: str, fallback: str) -> Response:
    """``rows[0]`` is the header."""
    data = "".join(csv_chunks(_columns(rows[0]), rows[1:])).encode("utf-8")
    return _download(data, "text/csv; charset=utf-8", filename, fallback)


def xlsx_response(
    sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]], filename: str, fallback: str
) -> Response:
    """One sheet per (title, rows); every sheet's ``rows[0]`` is the same header."""
    columns = _columns(sheets[0][1][0])
    data = xlsx_bytes(columns, [(title, rows[1:]) for title, rows in sheets])
    return _download(data, XLSX_MIMETYPE, filename, fallback)

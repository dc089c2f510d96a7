"""Read a page's JobPosting JSON-LD the way a JSON-LD processor does (pyld expansion), with
schema.org's context served locally (@vocab), so a misspelt key or a wrong nesting shows as
a missing schema.org IRI."""

from __future__ import annotations

import json
import re

from pyld import jsonld

SCHEMA = "https://schema.org/"


def _loader(url, options=None):
    if url.rstrip("/") + "/" != SCHEMA:
        raise ValueError(f"unexpected context {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA}}}


def expanded_job_posting(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    (node,) = jsonld.expand(json.loads(block), {"documentLoader": _loader})
    assert node["@type"] == [SCHEMA + "JobPosting"]
    return node

#!/usr/bin/env python3
"""Render deploy/nginx/talentmatch.conf: every {{NAME}} replaced, none left over.

    python3 deploy/nginx/render.py --server-name talentmatch.example.go.jp \
        --tls-certificate /etc/letsencrypt/live/talentmatch.example.go.jp/fullchain.pem \
        --tls-certificate-key /etc/letsencrypt/live/talentmatch.example.go.jp/privkey.pem \
        > /etc/nginx/sites-available/talentmatch

Standard library only (the tests render it the same way into a temporary folder).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("talentmatch.conf")
DEFAULTS = {
    "SERVER_NAME": "talentmatch.example.go.jp",
    "HTTP_LISTEN": "80",
    "HTTPS_LISTEN": "443",
    "TLS_CERTIFICATE": "/etc/ssl/certs/talentmatch.pem",
    "TLS_CERTIFICATE_KEY": "/etc/ssl/private/talentmatch.key",
    "UPSTREAM": "127.0.0.1:8000",
    "PUBLIC_DIR": "/srv/talentmatch/instance/public",
    "CACHE_DIR": "/var/cache/nginx/talentmatch",
}


def render(values: dict[str, str], template: str | None = None) -> str:
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    merged = {**DEFAULTS, **values}
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown placeholders: {sorted(unknown)}")
    out = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: merged[m.group(1)], text)
    if "{{" in out:
        raise ValueError("placeholders left in the configuration")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in DEFAULTS.items():
        parser.add_argument("--" + name.lower().replace("_", "-"), default=default,
                            help=f"default: {default}")
    args = parser.parse_args(argv)
    sys.stdout.write(render({k: getattr(args, k.lower()) for k in DEFAULTS}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

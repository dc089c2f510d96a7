"""Cell values every import and form must treat alike: e-mail addresses and formula text.

The shared reader's unit tests, the template's field tests and the posting import's file
tests all run these same cases, each through its own door."""

from __future__ import annotations

EMAILS_ACCEPTED = [  # (as typed, as stored)
    ("dx@city.example.lg.jp", "dx@city.example.lg.jp"),
    ("DX.Team+jobs@City.Example.LG.JP", "DX.Team+jobs@city.example.lg.jp"),
    ("ｄｘ＠city.example.lg.jp", "dx@city.example.lg.jp"),
    ("  o'neil@example.jp ", "o'neil@example.jp"),
    ("info@naniwa-dx.example.jp", "info@naniwa-dx.example.jp"),
]
EMAILS_REFUSED = [
    "dx@",
    "@city.jp",
    "dx city@example.jp",
    "a..b@example.jp",
    ".a@example.jp",
    "a.@example.jp",
    "dx@localhost",
    "dx@example.jp\nBcc: victim@example.jp",
    "dx@-example.jp",
    "x" * 65 + "@example.jp",
    "dx@example.123",
    "山田@example.jp",
    "dx@市役所.jp",
]
FORMULAS = [  # (cell text, the character named in the message)
    ("=1+1", "'='"),
    ('=HYPERLINK("http://x","y")', "'='"),
    ("+81 3 1234", "'+'"),
    ("-2+3", "'-'"),
    ("@SUM(A1)", "'@'"),
    ("\tcmd", "TAB"),
    ("\rcmd", "CR"),
    ("  =cmd", "'='"),
    ("\u3000=cmd", "'='"),
    ("\n=cmd", "'='"),  # a line break is stripped when the cell is cleaned: what follows counts
]

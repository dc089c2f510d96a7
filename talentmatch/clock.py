"""PURE: today and now in Japan, the one place that knows the service's time zone.

Deadlines, fiscal years, capacity and digest periods are Japanese dates (DESIGN §11: times are
stored in UTC and shown in Asia/Tokyo), whatever zone the server runs in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ZONE_NAME = "Asia/Tokyo"

try:
    TOKYO: tzinfo = ZoneInfo(ZONE_NAME)
except ZoneInfoNotFoundError:  # no tz database on this system: Japan keeps no summer time
    TOKYO = timezone(timedelta(hours=9), "JST")


def now_jst() -> datetime:
    """The current moment, aware, in Japan's time zone."""
    return datetime.now(TOKYO)


def today_jst() -> date:
    """Today's date in Japan."""
    return now_jst().date()


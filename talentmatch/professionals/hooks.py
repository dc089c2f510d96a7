"""What the professionals domain adds to others, connected to their signals at start-up
(app.RECEIVERS): the profile of a person who registers (accounts)."""

from __future__ import annotations

from talentmatch import signals
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.professionals.models import Professional


@signals.professional_registered.connect
def create_profile(user) -> None:
    """The person gives their own data with consent; hidden until they opt in to being
    found. In the registration's transaction."""
    db.session.add(Professional(user_id=user.id, discoverable=False, confirmed_at=utcnow()))

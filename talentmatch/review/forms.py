from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class CommentForm(FlaskForm):
    """Return (comment required, checked by the workflow) or relay / publish (optional)."""

    comment = TextAreaField(
        _l("Comment"),
        description=_l(
            "Needed to return the posting: say what should change. The municipality sees it."
        ),
        render_kw={"rows": 4},
    )

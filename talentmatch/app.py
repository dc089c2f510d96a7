"""Application factory: configuration, extensions, blueprints, CLI, error pages."""

from __future__ import annotations

import importlib
import logging

import flask_babel
from flask import Flask, Request, g, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from talentmatch import signals
from talentmatch.config import INSTANCE, ROOT, Config
from talentmatch.db import is_concurrency_conflict
from talentmatch.extensions import babel, csrf, db, limiter, login_manager, migrate

# Every domain's models, imported before anything else so the metadata (and migrations) see
# the whole schema.
MODELS = (
    "talentmatch.geo.models",
    "talentmatch.accounts.models",
    "talentmatch.audit.models",
    "talentmatch.notifications.models",
    "talentmatch.postings.models",
    "talentmatch.review.models",
    "talentmatch.professionals.models",
    "talentmatch.subsidies.models",
    "talentmatch.subscriptions.models",
    "talentmatch.applications.models",
    "talentmatch.joint.models",
    "talentmatch.pool.models",
    "talentmatch.submissions.models",
    "talentmatch.insights.models",
)

# Every domain's views module exposes ``bp``; registering them here keeps the wiring in one
# place. Order matters only for URL rules that overlap (none do).
BLUEPRINTS = (
    "talentmatch.geo.views",
    "talentmatch.accounts.views",
    "talentmatch.accounts.admin_views",
    "talentmatch.operations.outbox",
    "talentmatch.subsidies.views",
    "talentmatch.subsidies.api",
    "talentmatch.subsidies.measure_views",
    "talentmatch.publication.views",
    "talentmatch.api.views",
    "talentmatch.postings.views",
    "talentmatch.review.views",
    "talentmatch.professionals.views",
    "talentmatch.subscriptions.views",
    "talentmatch.matching.views",
    "talentmatch.applications.views",
    "talentmatch.joint.views",
    "talentmatch.pool.views",
    "talentmatch.dashboards.views",
    "talentmatch.inbox.views",
    "talentmatch.insights.views",
)

# Modules that connect a domain's receivers to the signals of others (talentmatch/signals.py:
# what an outbox event means, a joint posting's need, the person's data, the commands of
# ``flask --app wsgi`` …), imported so that they are connected; the domains that send never
# import them (DESIGN.md §9). The views modules above connect their navigation entries.
RECEIVERS: tuple[str, ...] = (
    "talentmatch.subscriptions.fanout",
    "talentmatch.applications.hooks",
    "talentmatch.joint.hooks",
    "talentmatch.pool.hooks",
    "talentmatch.professionals.hooks",
    "talentmatch.insights.hooks",
    "talentmatch.matching.reach_service",
    "talentmatch.review.hooks",
    # Commands, each domain's in its cli.py (README: Commands).
    "talentmatch.cli",
    "talentmatch.geo.cli",
    "talentmatch.accounts.cli",
    "talentmatch.demo.cli",
    "talentmatch.notifications.cli",
    "talentmatch.subscriptions.cli",
    "talentmatch.inbox.cli",
    "talentmatch.subsidies.cli",
    "talentmatch.postings.cli",
    "talentmatch.review.cli",
    "talentmatch.professionals.cli",
    "talentmatch.matching.cli",
    "talentmatch.bench.cli",
    "talentmatch.insights.cli",
)


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` limited to what an integer primary key can hold (2**31 - 1)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _without_nul(values: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict([(k, v.replace("\x00", "")) for k, v in values.items(multi=True)])


class TextRequest(Request):
    """A request whose form fields and query string carry no NUL character: no person types
    one, and PostgreSQL refuses it in any text column or comparison, so a stray ``\x00`` in
    a comment, an e-mail address or a search would otherwise be a 500 there (SQLite takes it)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any("\x00" in v for _, v in form.items(multi=True)):
            self.__dict__["form"] = _without_nul(form)

    @cached_property
    def args(self) -> ImmutableMultiDict:  # type: ignore[override]
        args = super().args
        return _without_nul(args) if any("\x00" in v for _, v in args.items(multi=True)) else args


def create_app(config: Config | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE),
    )
    app.request_class = TextRequest
    cfg = config if isinstance(config, Config) else Config()
    cfg.check()
    app.config.from_object(cfg)
    app.config["ENV_NAME"] = cfg.ENV_NAME
    if isinstance(config, dict):
        app.config.update(config)
    app.config["IS_PRODUCTION"] = app.config["ENV_NAME"] == "production"
    if app.config["IS_PRODUCTION"] and str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory:"):
        # Each gunicorn worker would count login attempts of its own (SECURITY.md 3).
        logging.getLogger("talentmatch").warning(
            "login limits are counted per process: set TALENTMATCH_REDIS_URL so that every "
            "worker shares them")
    # Every <int:id> in a URL is a database key (PostgreSQL integer): a larger number names no
    # row, so the route answers 404 instead of passing it on to the database.
    app.url_map.converters["int"] = DatabaseIdConverter
    INSTANCE.mkdir(parents=True, exist_ok=True)

    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from talentmatch import db_setup, i18n, security

    db_setup.install(app)
    i18n.init_app(app, babel)
    security.init_app(app)

    for module_name in MODELS:
        importlib.import_module(module_name)
    for module_name in BLUEPRINTS:
        module = importlib.import_module(module_name)
        app.register_blueprint(module.bp)
    for module_name in RECEIVERS:
        importlib.import_module(module_name)

    signals.cli_commands.send(app)

    @app.before_request
    def _fresh_user() -> None:
        # When a request runs inside an already-pushed app context (tests, CLI), Flask reuses
        # that context's ``g``; never let a user loaded by an earlier request leak into this one.
        g.pop("_login_user", None)
        flask_babel.refresh()  # likewise the locale chosen for an earlier request

    from talentmatch import assets, httpcache

    httpcache.init_app(app)  # after _fresh_user: its 304s need this request's locale
    assets.init_app(app)

    @app.get("/healthz")
    def healthz():
        # Liveness for the load balancer and the HTTP benchmark's baseline: no database.
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    _register_error_pages(app)
    _register_template_globals(app)
    return app


def _register_error_pages(app: Flask) -> None:
    messages = {
        400: lambda: _("The request could not be understood."),
        403: lambda: _("You do not have permission to see this page."),
        404: lambda: _("The page you were looking for was not found."),
        405: lambda: _("This action is not allowed here."),
        413: lambda: _("The file is too large."),
        429: lambda: _("Too many attempts. Please wait a few minutes and try again."),
        500: lambda: _("Something went wrong on our side. Please try again later."),
    }

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = messages.get(code, lambda: exc.description)()
        # Keep what the exception says beyond its page: a 405's Allow (RFC 9110), a 401's
        # WWW-Authenticate, a 429's Retry-After.
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if wants_json():
            return {"error": {"status": code, "message": message}}, code, headers
        return render_template("errors/error.html", code=code, message=message), code, headers

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        if is_concurrency_conflict(exc):
            # A race no service turned into its own answer (a unique row added twice at the
            # same instant, a deadlock): the request lost it and changed nothing.
            logging.getLogger("talentmatch").warning("concurrent request refused: %s", exc)
            message = _("This was changed by another request at the same moment, so nothing "
                        "was saved. Reload the page to see the current state.")
            if wants_json():
                return {"error": {"status": 409, "message": message}}, 409
            return render_template("errors/error.html", code=409, message=message), 409
        logging.getLogger("talentmatch").exception("unhandled error")
        message = messages[500]()
        if wants_json():
            return {"error": {"status": 500, "message": message}}, 500
        return render_template("errors/error.html", code=500, message=message), 500


def _register_template_globals(app: Flask) -> None:
    from talentmatch import charts
    from talentmatch.accounts import permissions
    from talentmatch.web import chart_svg, error_items

    def svg_bar_chart(bars, *, chart_id: str, title: str, desc: str):
        """Horizontal bars (charts.bar_chart) for a page whose template names them."""
        return chart_svg(charts.bar_chart(bars, chart_id=chart_id, title=str(title),
                                          desc=str(desc)))

    app.jinja_env.globals["nav_items"] = permissions.nav_items
    app.jinja_env.globals["has_role"] = permissions.has_role
    app.jinja_env.globals["can_manage_municipality"] = permissions.can_manage_municipality
    app.jinja_env.globals["form_error_items"] = error_items
    app.jinja_env.globals["svg_bar_chart"] = svg_bar_chart
    from talentmatch.httpcache import PAGE_ENDPOINTS

    app.jinja_env.globals["PUBLIC_PAGES"] = PAGE_ENDPOINTS

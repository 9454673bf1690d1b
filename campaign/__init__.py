"""Belanja Warung Tetangga: the ``campaign`` Flask application."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, flash, redirect, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.core.config import load_config
from campaign.core.extensions import csrf, db, limiter, login_manager, migrate
from campaign.core.startup import freeze_startup_objects
from campaign.web.assets import register_asset_versions
from campaign.web.compression import register_compression
from campaign.web.inputs import register_request_class
from campaign.web.links import register_kept_links
from campaign.web.routing import register_url_converters
from campaign.web.security import register_security_headers


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app. ``instance_path`` defaults to ``instance/`` beside the package."""
    default_instance = Path(__file__).resolve().parent.parent / "instance"
    app = Flask(__name__, instance_path=str(instance_path or default_instance), instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    load_config(app, test_config)
    register_request_class(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_signal_receivers()
    register_error_handlers(app)
    register_compression(app)  # first registered, so Flask runs it after the other after_request hooks
    register_security_headers(app)
    register_asset_versions(app)
    register_kept_links(app)
    register_template_helpers(app)
    register_commands(app)
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    if not app.testing:  # tests build an app for each test: what one freezes would outlive it
        freeze_startup_objects()
    return app


def register_extensions(app: Flask) -> None:
    from campaign.core.database import init_engine_events
    from campaign.domains.auth.decorators import enforce_declared_access
    from campaign.domains.notifications.mail import install as install_mail

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    init_engine_events(app)
    install_mail()
    from campaign.domains.shops.search import include_name

    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     include_name=include_name)  # autogenerate leaves the search index alone
    csrf.init_app(app)
    limiter.init_app(app)
    _init_login(app)
    app.before_request(enforce_declared_access)
    from campaign import models  # noqa: F401  (every model registered on the metadata)
    from campaign.web.markers import install as install_markers

    install_markers()


def _init_login(app: Flask) -> None:
    from campaign.domains.auth.models import User
    from campaign.web.errors import wants_json

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version) or not user.active:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            abort(401)
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def register_blueprints(app: Flask) -> None:
    from campaign.api import bp as api_bp
    from campaign.domains.admin.views import bp as admin_bp
    from campaign.domains.affected.views import bp as affected_bp
    from campaign.domains.auth.views import bp as auth_bp
    from campaign.domains.buyers.views import bp as buyers_bp
    from campaign.domains.catalogue.views import bp as catalogue_bp
    from campaign.domains.leaderboard.views import bp as leaderboard_bp
    from campaign.domains.main.pwa import bp as pwa_bp
    from campaign.domains.main.views import bp as main_bp
    from campaign.domains.needs.views import bp as needs_bp
    from campaign.domains.notifications.views import bp as notifications_bp
    from campaign.domains.purchases.views import bp as purchases_bp
    from campaign.domains.regiondesk.people_views import bp as people_bp
    from campaign.domains.regiondesk.region import bp as region_desk_bp
    from campaign.domains.regiondesk.views import bp as coordinator_bp
    from campaign.domains.roster.views import bp as roster_bp
    from campaign.domains.shops.views import bp as shops_bp
    from campaign.domains.training.views import bp as training_bp
    from campaign.domains.trust.views import bp as trust_bp

    for blueprint in (main_bp, auth_bp, shops_bp, purchases_bp, leaderboard_bp, coordinator_bp, trust_bp, region_desk_bp,
                      admin_bp, training_bp, catalogue_bp, notifications_bp, people_bp, roster_bp,
                      affected_bp, needs_bp, buyers_bp, pwa_bp, api_bp):
        app.register_blueprint(blueprint)


def register_signal_receivers() -> None:
    """Higher domains react to lower ones through the lower ones' signals and registrations
    (imports run only downward); connected once per process, connecting again changes nothing."""
    from campaign.domains.affected.tally import connect_signals as affected
    from campaign.domains.needs.tally import connect_signals as needs
    from campaign.domains.notifications.events import connect_signals as notifications
    from campaign.domains.notifications.programmes import connect_signals as programme_notifications
    from campaign.domains.purchases.standing import connect_signals as purchases
    from campaign.domains.roster.services import connect_signals as roster
    from campaign.domains.shops.districts import connect_signals as shops
    from campaign.domains.training.reconcile import connect_signals as training
    from campaign.domains.trust.activity import connect_signals as trust

    for connect in (shops, roster, purchases, trust, training, needs, affected, notifications, programme_notifications):
        connect()


def register_error_handlers(app: Flask) -> None:
    from campaign.web.errors import register_error_handlers as register
    from campaign.web.ratelimits import register_form_retry

    register(app)
    register_form_retry(app)


def register_template_helpers(app: Flask) -> None:
    from campaign.domains.leaderboard.charts import register_template_globals
    from campaign.domains.leaderboard.shown import register as register_privacy
    from campaign.domains.notifications import register_template_globals as register_notifications
    from campaign.domains.regions.provinces import register as register_provinces
    from campaign.domains.sharing import register_template_globals as register_sharing
    from campaign.domains.training import register_template_globals as register_training
    from campaign.core.clock import register as register_clock
    from campaign.util.formatting import register_filters

    register_filters(app)
    register_clock(app)
    register_provinces(app)
    register_privacy(app)
    register_template_globals(app)
    register_sharing(app)
    register_notifications(app)
    register_training(app)


def register_commands(app: Flask) -> None:
    from campaign.cli import register

    register(app)

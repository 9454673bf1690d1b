from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from campaign.core.extensions import limiter
from campaign.domains.auth import lockout, services, sessions, signals
from campaign.domains.auth.decorators import login_required, public
from campaign.domains.auth.forms import NEW_AGENCY, AsnSignUpForm, ChangePasswordForm, LoginForm, ShopOwnerSignUpForm
from campaign.domains.auth.roster_gate import roster_gate
from campaign.domains.regions.services import all_regions
from campaign.web import ratelimits
from campaign.web.forms import submit

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this host (no scheme, no host, no ``//``), else ``default``."""
    if not target:
        return default
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"], exempt_when=ratelimits.replaying)
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = submit(form, services.authenticate, login=form.login.data, password=form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            flash(f"Selamat datang, {user.name}.", "success")
            return lockout.remember_device(redirect(safe_next(request.args.get("next"), url_for("main.index"))),
                                           user)
    return render_template("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    sessions.log_out(user=current_user)
    logout_user()
    flash("Anda telah keluar.", "success")
    return redirect(url_for("main.index"))


@bp.route("/akun/keluar-semua", methods=["POST"])
@login_required
def logout_everywhere():
    sessions.log_out_everywhere(user=current_user)
    logout_user()
    flash("Anda telah keluar dari semua perangkat; semua token API dicabut.", "success")
    return redirect(url_for("main.index"))


@bp.route("/daftar")
@public
def sign_up():
    """The three doors; a ``next`` path (from the login page) rides along to the sign-up form."""
    return render_template("auth/sign_up.html", next=safe_next(request.args.get("next"), "") or None)


@bp.route("/daftar/asn", methods=["GET", "POST"])
@ratelimits.sign_up
@public
def sign_up_asn():
    """Two steps without JavaScript: the region first (``?region=73.73``), then the form for it:
    the OPD from the region's list, or none where the region's roster supplies it."""
    form = AsnSignUpForm()
    regions = all_regions()
    form.region.choices = [("", "Pilih kabupaten/kota")] + [(r.code, r.full_name) for r in regions]
    chosen = form.region.data if request.method == "POST" else request.args.get("region")
    region = next((r for r in regions if r.code == chosen), None)
    if region is None and request.method == "GET":
        return render_template("auth/sign_up_asn.html", form=form, region=None, roster=False)
    roster = region is not None and roster_gate().has_roster(region.id)
    _agency_choices(form, region, roster)
    if form.validate_on_submit():
        user = submit(form, services.sign_up_asn, name=form.name.data, nip=form.nip.data,
                      agency_name=form.agency_name(), region_code=form.region.data, login=form.login.data,
                      password=form.password.data, consent=form.consent.data)
        if user:
            signals.asn_signed_up.send(user.id, ip_address=request.remote_addr)
            return _welcome(user, "Akun ASN Anda sudah dibuat. Langkah berikutnya: buat janji belanja.",
                            url_for("main.index"))
    if request.method == "GET":
        form.region.data = region.code
    return render_template("auth/sign_up_asn.html", form=form, region=region, roster=roster)


def _agency_choices(form: AsnSignUpForm, region, roster: bool) -> None:
    """The region's OPD list (what was posted stays selected); no OPD fields where the roster decides."""
    if roster:
        del form.agency
        del form.new_agency
        return
    names = roster_gate().agency_names(region.id) if region else []
    posted = form.agency.data
    if posted and posted != NEW_AGENCY and posted not in names:
        names = [posted, *names]
    form.agency.choices = ([("", "Pilih instansi/OPD")] + [(n, n) for n in names]
                           + [(NEW_AGENCY, "OPD lain (tulis di bawah)")])


@bp.route("/daftar/pemilik-toko", methods=["GET", "POST"])
@ratelimits.sign_up
@public
def sign_up_shop_owner():
    form = ShopOwnerSignUpForm()
    if form.validate_on_submit():
        user = submit(form, services.sign_up_shop_owner, name=form.name.data, login=form.login.data,
                      password=form.password.data, consent=form.consent.data)
        if user:
            return _welcome(user, "Akun pemilik toko sudah dibuat. Langkah berikutnya: daftarkan toko Anda.",
                            safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/sign_up_shop_owner.html", form=form)


@bp.route("/daftar/lembaga", methods=["GET", "POST"])
@ratelimits.sign_up
@public
def sign_up_organisation():
    """The account first, then straight on to the organisation's form (a fixed path: no redirect
    taken from the request)."""
    form = ShopOwnerSignUpForm()
    if form.validate_on_submit():
        user = submit(form, services.sign_up_organisation_account, name=form.name.data, login=form.login.data,
                      password=form.password.data, consent=form.consent.data)
        if user:
            return _welcome(user, "Akun sudah dibuat. Langkah berikutnya: isi data lembaga Anda.",
                            url_for("buyers.register"))
    return render_template("auth/sign_up_organisation.html", form=form)


def _welcome(user, message: str, target: str):
    login_user(user)
    flash(message, "success")
    return lockout.remember_device(redirect(target), user)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = submit(form, services.change_password, user=current_user, current_password=form.current_password.data,
                      new_password=form.new_password.data)
        if user:
            login_user(user)  # keep this session: its id carries the new version
            flash("Kata sandi sudah diganti. Sesi di perangkat lain telah keluar.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)

from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from campaign.domains.auth.validation import MIN_PASSWORD_LENGTH, check_password, clean_nip, parse_login
from campaign.web.forms import REQUIRED, Form, check_with


class LoginForm(Form):
    login = StringField("E-mail atau nomor WhatsApp", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Kata sandi", validators=[DataRequired(REQUIRED)])
    remember = BooleanField("Ingat saya di perangkat ini")


# Each sign-up form lists its fields in the order people fill them, consent last; the browser
# gets autocomplete hints for every field (and a numeric keypad for the NIP).
def _name_field():
    return StringField("Nama lengkap", validators=[DataRequired(REQUIRED), Length(max=120)],
                       render_kw={"autocomplete": "name"})


def _login_field():
    return StringField("E-mail atau nomor WhatsApp", validators=[DataRequired(REQUIRED), check_with(parse_login)],
                       description="Dipakai untuk masuk. Contoh: 0812-3456-7890 atau nama@contoh.id",
                       render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})


def _password_fields():
    password = PasswordField(f"Kata sandi (minimal {MIN_PASSWORD_LENGTH} karakter)",
                             validators=[DataRequired(REQUIRED), check_with(check_password)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Ulangi kata sandi",
                            validators=[DataRequired(REQUIRED), EqualTo("password", "Kata sandi tidak sama.")],
                            render_kw={"autocomplete": "new-password"})
    return password, confirm


def _consent_field():
    return BooleanField("Saya menyetujui pemberitahuan privasi",
                        validators=[DataRequired("Persetujuan diperlukan untuk mendaftar.")],
                        render_kw={"autocomplete": "off"})


NEW_AGENCY = "__baru__"


class AsnSignUpForm(Form):
    """The region comes first (the OPD list and the roster rule depend on it); the view drops the
    OPD fields where the region's roster supplies the agency."""

    region = SelectField("Kabupaten/kota tempat bekerja", validators=[DataRequired(REQUIRED)],
                         render_kw={"autocomplete": "off"})
    name = _name_field()
    nip = StringField("NIP (18 digit)", validators=[DataRequired(REQUIRED), check_with(clean_nip)],
                      description="Contoh: 198609262015051001 (spasi boleh)",
                      render_kw={"inputmode": "numeric", "pattern": "[0-9 ]*", "maxlength": 24,
                                 "autocomplete": "off"})
    agency = SelectField("Instansi/OPD", validate_choice=False, render_kw={"autocomplete": "organization"},
                         description="Pilih dari daftar. Tidak ada? Pilih \"OPD lain\" dan tulis namanya di bawah.")
    new_agency = StringField("Nama OPD lain (bila tidak ada di daftar)", validators=[Length(max=160)],
                             render_kw={"autocomplete": "organization"},
                             description="Contoh: Dinas Koperasi dan UKM. Nama yang mirip dengan OPD di daftar "
                                         "digabung dengannya.")
    login = _login_field()
    password, confirm = _password_fields()
    consent = _consent_field()

    def agency_name(self) -> str | None:
        """The OPD typed under "OPD lain", else the one chosen (None where the roster decides)."""
        if "agency" not in self:
            return None
        typed = (self.new_agency.data or "").strip()
        return typed or (self.agency.data if self.agency.data != NEW_AGENCY else "")


class ShopOwnerSignUpForm(Form):
    name = _name_field()
    login = _login_field()
    password, confirm = _password_fields()
    consent = _consent_field()


class ChangePasswordForm(Form):
    current_password = PasswordField("Kata sandi saat ini", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(f"Kata sandi baru (minimal {MIN_PASSWORD_LENGTH} karakter)",
                                 validators=[DataRequired(REQUIRED), check_with(check_password)])
    confirm = PasswordField("Ulangi kata sandi baru",
                            validators=[DataRequired(REQUIRED), EqualTo("new_password", "Kata sandi tidak sama.")])

from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import Form, REQUIRED, check_with
from .validation import MIN_PASSWORD_LENGTH, check_password, clean_nip, parse_login


class LoginForm(Form):
    login = StringField("E-mail atau nomor WhatsApp", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Kata sandi", validators=[DataRequired(REQUIRED)])
    remember = BooleanField("Ingat saya di perangkat ini")


class _SignUpForm(Form):
    name = StringField("Nama lengkap", validators=[DataRequired(REQUIRED), Length(max=120)])
    login = StringField("E-mail atau nomor WhatsApp",
                        validators=[DataRequired(REQUIRED), check_with(parse_login)],
                        description="Dipakai untuk masuk. Contoh: 0812-3456-7890 atau nama@contoh.id")
    password = PasswordField(f"Kata sandi (minimal {MIN_PASSWORD_LENGTH} karakter)",
                             validators=[DataRequired(REQUIRED), check_with(check_password)])
    confirm = PasswordField("Ulangi kata sandi",
                            validators=[DataRequired(REQUIRED), EqualTo("password", "Kata sandi tidak sama.")])
    consent = BooleanField("Saya menyetujui pemberitahuan privasi",
                           validators=[DataRequired("Persetujuan diperlukan untuk mendaftar.")])


class AsnSignUpForm(_SignUpForm):
    nip = StringField("NIP (18 digit)", validators=[DataRequired(REQUIRED), check_with(clean_nip)],
                      description="Contoh: 19860926 201505 1 001")
    agency = StringField("Instansi/OPD", validators=[DataRequired(REQUIRED), Length(max=160)],
                         description="Contoh: Dinas Koperasi dan UKM")
    region = SelectField("Kabupaten/kota tempat bekerja", validators=[DataRequired(REQUIRED)])


class ShopOwnerSignUpForm(_SignUpForm):
    pass


class ChangePasswordForm(Form):
    current_password = PasswordField("Kata sandi saat ini", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(f"Kata sandi baru (minimal {MIN_PASSWORD_LENGTH} karakter)",
                                 validators=[DataRequired(REQUIRED), check_with(check_password)])
    confirm = PasswordField("Ulangi kata sandi baru",
                            validators=[DataRequired(REQUIRED), EqualTo("new_password", "Kata sandi tidak sama.")])

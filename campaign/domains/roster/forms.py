from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from campaign.domains.auth.validation import clean_nip
from campaign.web.forms import REQUIRED, Form, check_with

PROVINCE = ""


class ImportForm(Form):
    file = FileField("Berkas daftar ASN (.csv atau .xlsx)", validators=[
        FileRequired("Pilih berkas .csv atau .xlsx."),
        FileAllowed(["csv", "xlsx", "txt"], "Unggah berkas .csv atau .xlsx.")],
        description="Baris pertama: judul kolom NIP, Nama, Instansi/OPD, Kabupaten/Kota (kode 73.73, kode BPS "
                    "atau nama). Simpan kolom NIP sebagai teks di Excel.")
    region = SelectField("Untuk", validate_choice=True, default=PROVINCE,
                         description="Seluruh provinsi: kolom Kabupaten/Kota wajib. Satu wilayah: baris wilayah "
                                     "lain ditolak.")


class EntryForm(Form):
    nip = StringField("NIP (18 digit)", validators=[DataRequired(REQUIRED), check_with(clean_nip)],
                      render_kw={"inputmode": "numeric", "pattern": "[0-9 ]*", "maxlength": 24,
                                 "autocomplete": "off"})
    name = StringField("Nama", validators=[DataRequired(REQUIRED), Length(max=120)],
                       render_kw={"autocomplete": "off"})
    agency_name = StringField("Instansi/OPD", validators=[DataRequired(REQUIRED), Length(max=160)],
                              render_kw={"autocomplete": "off"})


class RetireForm(Form):
    """Only the CSRF token: the entry is in the URL."""

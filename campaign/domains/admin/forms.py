"""Forms of the province admin's pages: a new campaign, appointing and removing coordinators,
deactivating accounts."""
from __future__ import annotations

from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign.domains.regions.provinces import province_scope
from campaign.domains.shops.forms import ChoiceField, region_choices
from campaign.web.forms import DATE_FORMATS, REQUIRED, Form

DATE_INPUT = {"type": "date"}


def _max(n: int) -> Length:
    return Length(max=n, message=f"Maksimal {n} karakter.")


class CampaignForm(Form):
    name = StringField("Nama kampanye", validators=[DataRequired(REQUIRED), _max(160)],
                       description="Contoh: Gerakan Belanja di Warung Tetangga 2027")
    appeal_letter_number = StringField("Nomor surat imbauan", validators=[DataRequired(REQUIRED), _max(80)],
                                       description="Contoh: 4432/3004/JK/UMKM")
    appeal_letter_date = DateField("Tanggal surat", format=DATE_FORMATS, validators=[InputRequired(REQUIRED)],
                                   render_kw=DATE_INPUT)
    issuing_office = StringField("Penerbit surat", validators=[DataRequired(REQUIRED), _max(160)],
                                 description="Contoh: Gubernur Provinsi")
    starts_on = DateField("Mulai", format=DATE_FORMATS, validators=[InputRequired(REQUIRED)], render_kw=DATE_INPUT)
    ends_on = DateField("Selesai (opsional)", format=DATE_FORMATS, validators=[Optional()], render_kw=DATE_INPUT,
                        description="Kosongkan bila kampanye berjalan tanpa batas akhir.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.issuing_office.description = f"Contoh: Gubernur {province_scope().name}"

    def campaign_fields(self) -> dict:
        """The keyword arguments of ``regions.services.create_campaign`` (besides ``actor``)."""
        return {name: self[name].data for name in ("name", "appeal_letter_number", "appeal_letter_date",
                                                   "issuing_office", "starts_on", "ends_on")}


class AppointForm(Form):
    login = StringField("E-mail atau nomor WhatsApp", validators=[DataRequired(REQUIRED), _max(254)],
                        description="Akun yang sudah terdaftar, mis. ASN yang mendaftar sendiri. "
                                    "Jika sudah koordinator wilayah lain, ia dipindahkan.")
    region_code = ChoiceField("Kabupaten/kota", validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code.choices = [choice for choice in region_choices("Pilih kabupaten/kota")
                                    if actor is None or not choice[0] or actor.covers(choice[0])]


class DeactivateForm(Form):
    login = StringField("E-mail atau nomor WhatsApp akun", validators=[DataRequired(REQUIRED), _max(254)],
                        description="Akun tidak dapat masuk lagi; sesi dan token API-nya langsung berakhir. "
                                    "Data yang sudah dicatat tetap ada.")


class RemoveForm(Form):
    """A one-button form ("Cabut", "Aktifkan kembali"): only the CSRF token travels."""

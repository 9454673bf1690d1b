from __future__ import annotations

from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from campaign.web.forms import DATE_FORMATS, REQUIRED, Form, RupiahField
from campaign.web.routing import parse_int


class PledgeForm(Form):
    amount = RupiahField("Saya berjanji berbelanja sebesar (Rp)", required=True, confirm=True,
                         description="Contoh: 500.000 atau 500rb", render_kw={"inputmode": "numeric"})


class PurchaseForm(Form):
    shop_id = HiddenField(validators=[DataRequired("Pilih toko terlebih dahulu.")])
    client_ref = HiddenField(validators=[Length(max=64)])  # the column's size: longer is a message, not a 500
    amount = RupiahField("Jumlah belanja (Rp)", required=True, confirm=True,
                         description="Contoh: 50.000 atau 50rb", render_kw={"inputmode": "numeric", "autofocus": True})
    purchased_on = DateField("Tanggal belanja", format=DATE_FORMATS, validators=[InputRequired(REQUIRED)],
                             render_kw={"type": "date"})
    note = TextAreaField("Catatan (opsional)", validators=[Optional(), Length(max=500)],
                         description="Mis. beras 5 kg dan telur", render_kw={"rows": 2})

    def shop_id_value(self) -> int | None:
        return parse_int(self.shop_id.data)


class ShopSearchForm(Form):
    class Meta:
        csrf = False

    q = StringField("Cari toko", validators=[Optional(), Length(max=80)])


class ActionForm(Form):
    """A button that changes a purchase's state: only the CSRF token travels."""


class ReasonForm(Form):
    reason = TextAreaField("Alasan", validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    next = HiddenField()


class ConfirmAllForm(Form):
    """"Konfirmasi semua": the ids of the purchases the owner saw listed, comma-separated."""

    ids = HiddenField(validators=[InputRequired(), Length(max=2000), Regexp(r"^\d{1,12}(,\d{1,12})*$")])

    def id_list(self) -> list[int]:
        return [int(part) for part in self.ids.data.split(",")]

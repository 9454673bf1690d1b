"""The bulk void selection (GET, bookmarkable), the void and undo forms, and the flag review form."""
from __future__ import annotations

from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from campaign.domains.trust.selection import Selection
from campaign.web.forms import DATE_FORMATS, Form

STATUS_CHOICES = {"": "Semua yang berlaku", "reported": "Dilaporkan", "confirmed": "Dikonfirmasi toko",
                  "disputed": "Dibantah toko"}
REASON_HINT = "Tuliskan alasan pembatalan (minimal 5 karakter); tercatat di jejak audit."
ID_RANGE = NumberRange(min=1, max=2_147_483_647)


class SelectionForm(Form):
    """The selection, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    toko = IntegerField("Nomor toko", validators=[Optional(), ID_RANGE])
    asn = IntegerField("Nomor akun ASN", validators=[Optional(), ID_RANGE])
    dari = DateField("Tanggal belanja dari", validators=[Optional()], format=DATE_FORMATS)
    sampai = DateField("Tanggal belanja sampai", validators=[Optional()], format=DATE_FORMATS)
    status = SelectField("Status", choices=STATUS_CHOICES, default="")
    tanda = StringField("Tanda", validators=[Optional(), Length(max=80)])

    def selection(self) -> Selection:
        return Selection(shop_id=self.toko.data, buyer_id=self.asn.data, date_from=self.dari.data,
                         date_to=self.sampai.data, status=self.status.data or None, flag=self.tanda.data or None)


class BulkVoidForm(Form):
    """The one reason; the selection travels in the query string, exactly as previewed."""

    alasan = TextAreaField("Alasan pembatalan", validators=[
        DataRequired(REASON_HINT), Length(min=5, max=500, message=REASON_HINT)])


class UndoForm(Form):
    pass


class ReviewForm(Form):
    tanda = HiddenField(validators=[DataRequired()])
    catatan = StringField("Catatan tinjauan", validators=[Optional(), Length(max=500)])

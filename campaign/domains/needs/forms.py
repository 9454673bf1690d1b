from __future__ import annotations

from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TelField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.domains.auth.validation import clean_phone
from campaign.domains.needs.models import BUYER_KINDS
from campaign.domains.needs.services import MAX_QUANTITY
from campaign.domains.shops.forms import ChoiceField, category_choices, region_choices
from campaign.web.forms import DATE_FORMATS, REQUIRED, Form, RupiahField, check_with

QUANTITY = NumberRange(min=1, max=MAX_QUANTITY, message=f"Isi 1 sampai {MAX_QUANTITY:,}.".replace(",", "."))


def _max(n: int) -> Length:
    return Length(max=n, message=f"Maksimal {n} karakter.")


class BuyerForm(Form):
    name = StringField("Nama lembaga", validators=[DataRequired(REQUIRED), _max(160)],
                       description="Contoh: Yayasan Peduli Sesama Warga")
    kind = ChoiceField("Jenis lembaga", validators=[DataRequired(REQUIRED)])
    region = ChoiceField("Kabupaten/kota", validators=[DataRequired(REQUIRED)])
    address = StringField("Alamat", validators=[DataRequired(REQUIRED), _max(200)])
    whatsapp = TelField("Nomor WhatsApp lembaga", validators=[DataRequired(REQUIRED), check_with(clean_phone)],
                        description="Toko yang penawarannya Anda terima menghubungi nomor ini.")
    description = TextAreaField("Tentang lembaga", validators=[_max(2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", "Pilih jenis lembaga")] + list(BUYER_KINDS.items())
        self.region.choices = region_choices("Pilih kabupaten/kota")

    def fields(self) -> dict:
        return dict(name=self.name.data, kind=self.kind.data, region_code=self.region.data,
                    address=self.address.data, whatsapp=self.whatsapp.data, description=self.description.data or "")


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: easier than a multi-select on a phone, no JavaScript."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NeedForm(Form):
    buyer_id = ChoiceField("Atas nama lembaga", coerce=int, validators=[DataRequired(REQUIRED)])
    title = StringField("Apa yang dibutuhkan", validators=[DataRequired(REQUIRED), _max(160)],
                        description="Contoh: Baju APD (hazmat) untuk RSUD")
    category = ChoiceField("Kategori", validators=[DataRequired(REQUIRED)])
    description = TextAreaField("Rincian", validators=[_max(4000)],
                                description="Spesifikasi, ukuran, bahan, syarat pembayaran.")
    quantity = IntegerField("Jumlah", validators=[InputRequired(REQUIRED), QUANTITY])
    unit = StringField("Satuan", validators=[DataRequired(REQUIRED), _max(40)], description="Contoh: potong, kotak, kg")
    budget_min = RupiahField("Anggaran minimal (seluruhnya)", required=True)
    budget_max = RupiahField("Anggaran maksimal (seluruhnya)", required=True)
    regions = CheckboxesField("Boleh dibeli dari kabupaten/kota", validators=[DataRequired("Pilih minimal satu.")])
    deadline = DateField("Batas waktu penawaran", format=DATE_FORMATS, validators=[InputRequired(REQUIRED)],
                         render_kw={"type": "date"})
    delivery_place = StringField("Tempat pengiriman", validators=[DataRequired(REQUIRED), _max(200)])

    def __init__(self, *args, buyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.buyer_id.choices = [(b.id, b.name) for b in buyers]
        self.category.choices = category_choices("Pilih kategori")
        self.regions.choices = region_choices("")[1:]

    def fields(self) -> dict:
        return dict(buyer_id=self.buyer_id.data, title=self.title.data, category=self.category.data,
                    description=self.description.data or "", quantity=self.quantity.data, unit=self.unit.data,
                    budget_min=self.budget_min.data, budget_max=self.budget_max.data,
                    region_codes=list(self.regions.data or []), deadline=self.deadline.data,
                    delivery_place=self.delivery_place.data)


class OfferForm(Form):
    shop_id = ChoiceField("Toko", coerce=int, validators=[DataRequired(REQUIRED)])
    unit_price = RupiahField("Harga satuan", required=True)
    quantity = IntegerField("Jumlah yang sanggup dipenuhi", validators=[InputRequired(REQUIRED), QUANTITY])
    delivery_date = DateField("Tanggal kirim", format=DATE_FORMATS, validators=[InputRequired(REQUIRED)],
                              render_kw={"type": "date"})
    message = TextAreaField("Pesan untuk pembeli", validators=[_max(2000)])

    def __init__(self, *args, shops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_id.choices = list(shops)


class AcceptForm(Form):
    quantity = IntegerField("Jumlah yang diterima", validators=[Optional(), QUANTITY],
                            description="Kosongkan untuk menerima seluruh jumlah penawaran.")


class ActionForm(Form):
    """A button that changes state: only the CSRF token."""


class RejectBuyerForm(Form):
    reason = TextAreaField("Alasan penolakan", validators=[
        DataRequired(REQUIRED), Length(min=5, max=500, message="Minimal 5 karakter.")])


class VoidDealForm(Form):
    reason = TextAreaField("Alasan pembatalan", validators=[
        DataRequired(REQUIRED), Length(min=5, max=500, message="Tuliskan alasan pembatalan (minimal 5 karakter).")])


class NeedFilterForm(Form):
    class Meta:
        csrf = False

    wilayah = ChoiceField("Kabupaten/kota", default="")
    kategori = ChoiceField("Kategori", default="")

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.wilayah.choices = region_choices("Semua kabupaten/kota")
        self.kategori.choices = category_choices("Semua kategori")

    def filters(self) -> dict:
        self.validate()
        return dict(region_code=None if self.wilayah.errors else self.wilayah.data or None,
                    category=None if self.kategori.errors else self.kategori.data or None)

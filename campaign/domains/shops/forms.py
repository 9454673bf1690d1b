from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from campaign.domains.auth.validation import clean_phone
from campaign.domains.regions.districts import districts_by_region
from campaign.domains.regions.options import district_options, region_options
from campaign.domains.shops.models import CATEGORIES
from campaign.domains.shops.services import clean_nib
from campaign.web.forms import REQUIRED, Form, KeptSelect, check_with

CHOOSE = "Pilih dari daftar."


def _max(n: int) -> Length:
    return Length(max=n, message=f"Maksimal {n} karakter.")


class ChoiceField(SelectField):
    """A SelectField that refuses values outside its choices with an Indonesian message."""

    def pre_validate(self, form):
        if isinstance(self.choices, list) and any(isinstance(choice, tuple) and choice[0] == self.data
                                                  for choice in self.choices):
            return  # flat choices, found: WTForms' own check builds every option to compare
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(CHOOSE) from None


def region_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(option.code, option.full_name) for option in region_options()]


def district_choices(blank: str) -> dict:
    """Every kecamatan, grouped by kabupaten/kota (``<optgroup>``), values their Kemendagri codes:
    the form works without JavaScript; the service checks the kecamatan is in the chosen region."""
    grouped = districts_by_region()
    choices: dict = {None: [("", blank)]}
    for region in region_options():
        if grouped.get(region.id):
            choices[region.full_name] = [(d.code, d.name) for d in grouped[region.id]]
    return choices


def category_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + list(CATEGORIES.items())


class ShopForm(Form):
    name = StringField("Nama toko", validators=[DataRequired(REQUIRED), _max(120)],
                       description="Contoh: Warung Bu Sitti")
    category = ChoiceField("Kategori", validators=[DataRequired(REQUIRED)])
    region = ChoiceField("Kabupaten/kota", validators=[DataRequired(REQUIRED)])
    district = ChoiceField("Kecamatan", validators=[DataRequired(REQUIRED)],
                           description="Pilih kecamatan di kabupaten/kota yang dipilih di atas.")
    village = StringField("Kelurahan/desa", validators=[DataRequired(REQUIRED), _max(80)])
    street = StringField("Alamat jalan", validators=[DataRequired(REQUIRED), _max(200)],
                         description="Nama jalan, nomor, atau patokan. Contoh: Jl. Andi Djemma No. 5")
    whatsapp = TelField("Nomor WhatsApp", validators=[DataRequired(REQUIRED), check_with(clean_phone)],
                        description="Pembeli memesan lewat nomor ini. Contoh: 0812-3456-7890")
    description = TextAreaField("Deskripsi singkat", validators=[_max(2000)])
    products = TextAreaField("Produk yang dijual", validators=[_max(2000)],
                             description="Contoh: beras, minyak goreng, gula, telur, gas 3 kg")
    nib = StringField("NIB (Nomor Induk Berusaha)", validators=[check_with(clean_nib)],
                      description="13 digit angka. Boleh dikosongkan.")
    covid_affected = BooleanField("Usaha terdampak Covid-19")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices("Pilih kategori")
        self.region.choices = region_choices("Pilih kabupaten/kota")
        self.district.choices = district_choices("Pilih kecamatan")

    def shop_fields(self) -> dict:
        """The keyword arguments of ``services.register_shop`` (besides ``owner``)."""
        return dict(name=self.name.data, category=self.category.data, region_code=self.region.data,
                    district=self.district.data, village=self.village.data, street=self.street.data,
                    whatsapp=self.whatsapp.data, description=self.description.data or "",
                    products=self.products.data or "", nib=self.nib.data,
                    covid_affected=self.covid_affected.data)


class DirectoryFilterForm(Form):
    """The directory's GET filters (no CSRF: it changes nothing). Bound to ``request.args``."""

    class Meta:
        csrf = False

    wilayah = ChoiceField("Kabupaten/kota", default="", widget=KeptSelect())
    kecamatan = ChoiceField("Kecamatan", default="", widget=KeptSelect())
    kategori = ChoiceField("Kategori", default="", widget=KeptSelect())
    q = StringField("Cari nama toko", validators=[_max(100)])

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.wilayah.choices = region_choices("Semua kabupaten/kota")
        self.kategori.choices = category_choices("Semua kategori")
        self.kecamatan.choices = [("", "Semua kecamatan"), *district_options(self.wilayah.data)]

    @property
    def has_districts(self) -> bool:
        """The kecamatan filter shows once a kabupaten/kota with kecamatan is chosen."""
        return len(self.kecamatan.choices) > 1

    def filters(self) -> dict:
        """``search_shops`` filters; a field that failed validation is left out (ignored)."""
        self.validate()
        return dict(region_code=None if self.wilayah.errors else self.wilayah.data or None,
                    district_code=None if self.kecamatan.errors else self.kecamatan.data or None,
                    category=None if self.kategori.errors else self.kategori.data or None,
                    q=None if self.q.errors else (self.q.data or "").strip() or None)

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from campaign.domains.affected.models import BUSINESS_STATUSES, MAX_WORKERS, NEEDS, REVENUE_DROPS
from campaign.domains.affected.services import Impact, check_impact
from campaign.domains.shops.forms import ChoiceField, category_choices
from campaign.web.forms import REQUIRED, Form

_RANGE = NumberRange(min=0, max=MAX_WORKERS, message=f"Isi 0 sampai {MAX_WORKERS:,}.".replace(",", "."))


# Created before ImpactForm's fields, so WTForms (which orders fields by creation) shows them first.
_BUSINESS_NAME = StringField("Nama usaha", validators=[DataRequired(REQUIRED),
                                                      Length(max=120, message="Maksimal 120 karakter.")])
_CATEGORY = ChoiceField("Kategori", validators=[DataRequired(REQUIRED)])


def _choices(blank: str, options: dict[str, str]) -> list[tuple[str, str]]:
    return [("", blank)] + list(options.items())


class ImpactForm(Form):
    status = ChoiceField("Status usaha sekarang", validators=[DataRequired(REQUIRED)])
    workers_before = IntegerField("Jumlah pekerja sebelum pandemi", validators=[InputRequired(REQUIRED), _RANGE])
    workers_now = IntegerField("Jumlah pekerja sekarang", validators=[InputRequired(REQUIRED), _RANGE],
                               description="Isi 0 bila usaha tutup.")
    revenue_drop = ChoiceField("Penurunan omzet", validators=[DataRequired(REQUIRED)])
    main_need = ChoiceField("Kebutuhan utama", validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _choices("Pilih status", BUSINESS_STATUSES)
        self.revenue_drop.choices = _choices("Pilih penurunan omzet", REVENUE_DROPS)
        self.main_need.choices = _choices("Pilih kebutuhan utama", NEEDS)

    def impact(self) -> Impact:
        """The checked values; raises ValidationFailed (for ``forms.submit``) on a rule."""
        return check_impact(status=self.status.data, workers_before=self.workers_before.data,
                            workers_now=self.workers_now.data, revenue_drop=self.revenue_drop.data,
                            main_need=self.main_need.data)


class FieldReportForm(ImpactForm):
    """A business not on the platform: who it is (shown first), then how it was hit."""

    business_name = _BUSINESS_NAME
    category = _CATEGORY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices("Pilih kategori")


class ImportForm(Form):
    file = FileField("Berkas .csv atau .xlsx", validators=[FileRequired("Pilih berkas untuk diunggah.")],
                     description="Kolom: kode_wilayah, nama_usaha, kategori, status, pekerja_sebelum, "
                                 "pekerja_sekarang, penurunan_omzet, kebutuhan_utama.")

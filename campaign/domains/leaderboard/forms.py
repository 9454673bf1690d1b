"""Forms of the leaderboard pages: the standings filter (GET) and the region target."""
from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, StopValidation
from wtforms.widgets import HiddenInput

from campaign.domains.leaderboard.metrics import DEFAULT_METRIC, DEFAULT_PERSPECTIVE, METRICS, PERSPECTIVES
from campaign.domains.leaderboard.reference import reference
from campaign.domains.regions import versions
from campaign.domains.regions.provinces import configured_provinces, scope_of
from campaign.domains.regions.services import MAX_HEADCOUNT
from campaign.util.formatting import number, tanggal
from campaign.web.forms import REQUIRED, Form, RupiahField
from campaign.web.routing import ID_MAX, ID_MIN

_WHOLE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


class StandingsForm(Form):
    """Read from the query string; no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    campaign = SelectField("Kampanye", coerce=int)
    metric = SelectField("Urutkan menurut", choices=METRICS, default=DEFAULT_METRIC)
    perspective = SelectField("Sudut pandang", choices=PERSPECTIVES, default=DEFAULT_PERSPECTIVE)
    provinsi = SelectField("Provinsi", default="")  # several provinces served: "" is the province level


def standings_form(args: MultiDict) -> tuple[StandingsForm, bool]:
    """The filter form from the query string, and whether it was valid. Missing values take the
    defaults (the current campaign, realized spend, by the ASN's region, the province level
    where several provinces are served); so does everything when any value is invalid."""
    campaigns = reference().campaigns
    default = versions.campaign_tokens(None)[0]  # the current campaign (None: none yet)
    choices = {c.id: f"{c.name} (mulai {tanggal(c.starts_on)})" for c in campaigns}
    provinces = [("", "Semua provinsi")] + [(code, scope_of((code,)).name) for code in configured_provinces()]
    form = StandingsForm(formdata=args, campaign=default)
    form.campaign.choices, form.provinsi.choices = choices, provinces
    if form.validate():
        return form, True
    form = StandingsForm(formdata=None, campaign=default)
    form.campaign.choices, form.provinsi.choices = choices, provinces
    return form, False


class CountField(StringField):
    """A whole number of people, with or without thousands dots (``2.500`` or ``2500``), at most
    ``maximum``; ``data`` is an int (or None)."""

    def __init__(self, label=None, validators=None, *, maximum: int, **kwargs):
        super().__init__(label, validators, render_kw={"inputmode": "numeric"}, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = int(self.raw.replace(".", "")) if _WHOLE_NUMBER.fullmatch(self.raw) else None
        if self.raw and self.data is None:
            raise ValueError("Tulis bilangan bulat tanpa tanda minus, mis. 2.500.")
        if self.data is not None and self.data > self.maximum:
            raise ValueError(f"Paling banyak {number(self.maximum)}.")

    def pre_validate(self, form):
        if self.flags.required and self.data is None and not self.process_errors:
            raise StopValidation(REQUIRED)  # only spaces: InputRequired alone would let None through

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return "" if self.data is None else number(self.data)


class TargetForm(Form):
    campaign_id = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(ID_MIN, ID_MAX)])
    asn_headcount = CountField("Jumlah ASN di wilayah ini", [InputRequired("Wajib diisi.")], maximum=MAX_HEADCOUNT,
                               description="Penyebut tingkat partisipasi dan belanja per ASN.")
    target_amount = RupiahField("Target belanja (Rp)", [InputRequired("Wajib diisi.")],
                                render_kw={"inputmode": "numeric"},
                                description="Contoh: 500.000.000 atau Rp500.000.000.")


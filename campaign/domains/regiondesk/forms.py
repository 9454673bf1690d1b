from __future__ import annotations

from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from campaign.domains.shops.forms import ChoiceField, region_choices
from campaign.web.forms import Form

REASON_HINT = "Tuliskan alasan penolakan (minimal 5 karakter) agar pemilik toko tahu yang harus diperbaiki."


class DecisionForm(Form):
    """Verify a shop. ``wilayah`` carries the queue's region filter back after the redirect."""

    wilayah = HiddenField()


class RejectForm(DecisionForm):
    reason = TextAreaField("Alasan penolakan", validators=[
        DataRequired(REASON_HINT), Length(min=5, max=500, message=REASON_HINT)],
        description="Terlihat oleh pemilik toko.")


class QueueFilterForm(Form):
    """The admin's region filter on the queue (GET, no CSRF)."""

    class Meta:
        csrf = False

    wilayah = ChoiceField("Kabupaten/kota", default="")

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.wilayah.choices = region_choices("Semua kabupaten/kota")


def decision_forms(shop_ids, wilayah: str | None) -> dict[int, tuple[DecisionForm, RejectForm]]:
    """A verify form and a reject form per queued shop, with HTML ids unique on the page."""
    forms = {}
    for shop_id in shop_ids:
        verify = DecisionForm(formdata=None, wilayah=wilayah)
        reject = RejectForm(formdata=None, wilayah=wilayah)
        verify.wilayah.id = f"verify-wilayah-{shop_id}"
        reject.wilayah.id = f"reject-wilayah-{shop_id}"
        reject.reason.id = reject.reason.label.field_id = f"reason-{shop_id}"
        forms[shop_id] = (verify, reject)
    return forms

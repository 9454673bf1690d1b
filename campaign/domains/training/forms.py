"""Forms of the training pages: publishing, taking a seat, attendance, calling a training off."""
from __future__ import annotations

from datetime import datetime

from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.core import clock
from campaign.domains.shops.forms import ChoiceField, region_choices
from campaign.domains.training.models import MODES, TOPICS
from campaign.domains.training.queries import province_wide
from campaign.domains.training.services import MAX_CAPACITY, default_start
from campaign.web.forms import DATE_FORMATS, REQUIRED, Form


class TrainingForm(Form):
    title = StringField("Judul pelatihan", validators=[DataRequired(REQUIRED), Length(max=160)],
                        description="Contoh: Jualan lewat Katalog WhatsApp Business")
    topic = ChoiceField("Topik", validators=[DataRequired(REQUIRED)])
    description = TextAreaField("Keterangan (opsional)", validators=[Optional(), Length(max=4000)],
                                render_kw={"rows": 3})
    mode = ChoiceField("Cara", default="online")
    online_url = StringField("Tautan (untuk daring)", validators=[Optional(), Length(max=500)],
                             description="Mis. tautan Zoom atau Google Meet",
                             render_kw={"inputmode": "url", "autocomplete": "url"})
    place = StringField("Tempat (untuk tatap muka)", validators=[Optional(), Length(max=300)],
                        description="Mis. Aula Dinas Koperasi dan UKM, Jl. ...")
    day = DateField("Tanggal", format=DATE_FORMATS, validators=[InputRequired(REQUIRED)], render_kw={"type": "date"})
    start_time = TimeField("Jam mulai", format="%H:%M", validators=[InputRequired(REQUIRED)],
                           render_kw={"type": "time"})
    duration_minutes = IntegerField("Durasi (menit)", default=120, validators=[
        InputRequired(REQUIRED), NumberRange(15, 7 * 24 * 60)], render_kw={"inputmode": "numeric"})
    capacity = IntegerField("Kapasitas (peserta)", default=50, validators=[
        InputRequired(REQUIRED), NumberRange(1, MAX_CAPACITY)], render_kw={"inputmode": "numeric"})
    region = ChoiceField("Untuk wilayah", validators=[Optional()])

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_time.label.text = f"Jam mulai ({clock.zone().label})"
        self.topic.choices = [("", "Pilih topik")] + list(TOPICS.items())
        self.mode.choices = list(MODES.items())
        if actor is not None and actor.is_national_admin:
            self.region.choices = [("", province_wide())] + region_choices("")[1:]
        elif actor is not None and actor.is_admin:  # a province admin: its province's regions
            self.region.choices = [choice for choice in region_choices("")[1:] if actor.covers(choice[0])]
        else:
            region = actor.coordinator_region if actor is not None else None
            self.region.choices = [(region.code, region.full_name)] if region else []
        if not self.is_submitted():
            start = default_start()
            self.day.data, self.start_time.data = start.date(), start.time()

    def training_fields(self) -> dict:
        """The keyword arguments of ``services.publish_training`` (besides ``actor``)."""
        return dict(title=self.title.data, topic=self.topic.data, description=self.description.data or "",
                    mode=self.mode.data, online_url=self.online_url.data, place=self.place.data,
                    starts_at=datetime.combine(self.day.data, self.start_time.data),
                    duration_minutes=self.duration_minutes.data, capacity=self.capacity.data,
                    region_code=self.region.data or None)


class SeatForm(Form):
    shop_id = ChoiceField("Toko", coerce=int, validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, shops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_id.choices = [(shop_id, name) for shop_id, name in shops]


class AttendanceForm(Form):
    attended = SelectMultipleField("Hadir", coerce=int, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput(), validate_choice=True)

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attended.choices = [(seat.shop_id, f"{seat.shop_name} ({seat.owner_name})") for seat in seats]
        if not self.is_submitted():
            self.attended.data = [seat.shop_id for seat in seats if seat.status == "attended"]


class CancelTrainingForm(Form):
    reason = TextAreaField("Alasan pembatalan", validators=[
        DataRequired(REQUIRED), Length(min=5, max=500, message="Minimal 5 karakter.")],
        description="Dikirim ke setiap peserta yang terdaftar.", render_kw={"rows": 2})

"""A training as an iCalendar file (.ics) and its attendance as an Excel workbook."""
from __future__ import annotations

from io import BytesIO

from icalendar import Calendar, Event

from campaign.core import clock
from campaign.domains.training.queries import Seat, TrainingDetail
from campaign.util.formatting import phone_display, utcnow
from campaign.util.spreadsheets import workbook_bytes

ICS_MIMETYPE = "text/calendar"


def ics_document(training: TrainingDetail, url: str, host: str) -> bytes:
    """One VEVENT with times in UTC (every calendar app shows them in the phone's zone), the
    link or place as LOCATION, and a UID stable across downloads so re-importing updates it (a
    called-off training becomes STATUS:CANCELLED)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Belanja Warung Tetangga//Pelatihan//ID")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"pelatihan-{training.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", training.starts_at)
    event.add("dtend", training.ends_at)
    event.add("summary", f"DIBATALKAN: {training.title}" if training.is_cancelled else training.title)
    if training.is_cancelled:  # re-importing (same UID) marks the event cancelled in the phone's calendar
        event.add("status", "CANCELLED")
    event.add("location", training.online_url or training.place or "")
    event.add("description", "\n".join(filter(None, [training.topic_label, training.description, url])))
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()


def attendance_workbook(training: TrainingDetail, seats: list[Seat]) -> BytesIO:
    from openpyxl import Workbook  # only when asked for: see campaign.util.spreadsheets
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kehadiran"
    sheet.append([training.title])
    sheet.append([f"{training.topic_label} · {clock.waktu(training.starts_at)} · {training.region_name}"])
    sheet.append([])
    sheet.append(["Toko", "Wilayah", "Pemilik", "WhatsApp", "Status"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for seat in seats:
        sheet.append([seat.shop_name, seat.region_name, seat.owner_name,
                      phone_display(seat.owner_whatsapp), seat.status_label])
    for column, width in zip("ABCDE", (36, 28, 28, 20, 14)):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)  # text that a spreadsheet would run is written as text

"""Pelatihan over the API: the public list and page, publishing (staff), seats (shop owners),
attendance (the training's managers). The same services and queries as the HTML pages."""
from __future__ import annotations

from campaign.api import auth
from campaign.api.core import ID, bp, json_body, operation, page_json, paging, public_json, query_args
from campaign.api.fields import INT32_MAX, Fields, Int, IntList, Moment, Str
from campaign.api.serializers import timestamp
from campaign.core.errors import PermissionDenied
from campaign.domains.training import queries, services
from campaign.domains.training.models import MODES, TOPICS


def training_json(t: queries.TrainingSummary) -> dict:
    return {"id": t.id, "title": t.title, "topic": t.topic, "topic_label": t.topic_label, "mode": t.mode,
            "starts_at": timestamp(t.starts_at), "ends_at": timestamp(t.ends_at), "capacity": t.capacity,
            "seats_taken": t.seats_taken, "seats_left": t.seats_left, "region_code": t.region_code,
            "region_name": t.region_name}


def detail_json(t: queries.TrainingDetail) -> dict:
    """The public page's fields: the online link is only for those holding a seat."""
    return {**training_json(t), "description": t.description, "place": t.place}


LIST_QUERY = Fields(Str("region", required=False, max_length=8, pattern=r"^[0-9]{2}\.[0-9]{2}$",
                        description="Pelatihan wilayah itu dan pelatihan tingkat provinsi."), *paging())


@bp.get("/trainings")
@operation("Pelatihan yang akan datang", tag="Pelatihan", ok=(200, "TrainingPage"), query=LIST_QUERY,
           description="Yang belum selesai, terdekat dulu (seri menurut id).")
@auth.optional_token
def list_trainings():
    args = query_args()
    result = queries.upcoming_trainings(region_code=args["region"], page=args["page"], per_page=args["per_page"])
    return public_json(page_json([training_json(t) for t in result.items], result.page, result.per_page,
                                 result.total))


@bp.get(f"/trainings/<{ID}:training_id>")
@operation("Satu pelatihan", tag="Pelatihan", ok=(200, "TrainingDetail"))
@auth.optional_token
def get_training(training_id: int):
    return public_json(detail_json(queries.training_detail(training_id)))


PUBLISH_BODY = Fields(
    Str("title", max_length=160), Str("topic", enum=tuple(TOPICS)), Str("mode", enum=tuple(MODES)),
    Moment("starts_at", description="Di masa depan."),
    Int("duration_minutes", minimum=15, maximum=services.MAX_DURATION_MINUTES),
    Int("capacity", minimum=1, maximum=services.MAX_CAPACITY),
    Str("online_url", required=False, max_length=500, description="Wajib untuk `online`."),
    Str("place", required=False, max_length=300, description="Wajib untuk `offline`."),
    Str("region", required=False, max_length=8, description="Kode wilayah; tanpa ini: seluruh provinsi (admin)."),
    Str("description", required=False, default="", max_length=4000),
    example={"title": "Jualan lewat Katalog WhatsApp", "topic": "pemasaran_digital", "mode": "online",
             "starts_at": "2026-12-05T09:00:00+08:00", "duration_minutes": 120, "capacity": 50,
             "online_url": "https://vicon.sulselprov.go.id/katalog-wa", "region": "73.73"})


@bp.post("/trainings")
@operation("Terbitkan pelatihan", tag="Pelatihan", ok=(201, "TrainingDetail"), body=PUBLISH_BODY, errors=(404,),
           description="Koordinator untuk wilayahnya; admin untuk wilayah mana pun atau seluruh provinsi.")
@auth.staff_required
def publish_training():
    body = json_body()
    training = services.publish_training(
        actor=auth.api_user(), title=body["title"], topic=body["topic"], mode=body["mode"],
        starts_at=body["starts_at"], duration_minutes=body["duration_minutes"], capacity=body["capacity"],
        online_url=body["online_url"], place=body["place"], region_code=body["region"],
        description=body["description"])
    return detail_json(queries.training_detail(training.id)), 201


SEAT_BODY = Fields(Int("shop_id", minimum=1, maximum=INT32_MAX, description="Toko milik sendiri."),
                   example={"shop_id": 1})


def seat_json(seat) -> dict:
    return {"training_id": seat.training_id, "shop_id": seat.shop_id, "status": seat.status,
            "updated_at": timestamp(seat.updated_at)}


@bp.post(f"/trainings/<{ID}:training_id>/seats")
@operation("Daftar pelatihan", tag="Pelatihan", ok=(201, "Seat"), body=SEAT_BODY, errors=(404, 409),
           description="Satu kursi per toko; 409 bila penuh, sudah terdaftar, atau pelatihan sudah dimulai.")
@auth.shop_owner_required
def take_seat(training_id: int):
    body = json_body()
    seat = services.register_for_training(actor=auth.api_user(), training_id=training_id, shop_id=body["shop_id"])
    return seat_json(seat), 201


@bp.delete(f"/trainings/<{ID}:training_id>/seats/<{ID}:shop_id>")
@operation("Batalkan pendaftaran", tag="Pelatihan", ok=(200, "Seat"), errors=(404, 409),
           description="Sebelum pelatihan dimulai; kursi kembali tersedia.")
@auth.shop_owner_required
def give_back_seat(training_id: int, shop_id: int):
    return seat_json(services.cancel_registration(actor=auth.api_user(), training_id=training_id, shop_id=shop_id))


ATTENDANCE_BODY = Fields(IntList("attended", description="Id toko yang hadir (boleh kosong)."),
                         example={"attended": [12, 15]})


@bp.put(f"/trainings/<{ID}:training_id>/attendance")
@operation("Catat kehadiran", tag="Pelatihan", ok=(200, "Attendance"), body=ATTENDANCE_BODY, errors=(404, 409),
           description="Setelah pelatihan dimulai; penyelenggara, koordinator wilayahnya, atau admin. "
           "Kursi yang tidak disebut tercatat tidak hadir.")
@auth.staff_required
def mark_attendance(training_id: int):
    attended = set(json_body()["attended"])
    counts = services.mark_attendance(actor=auth.api_user(), training_id=training_id, attended_shop_ids=attended)
    return {"training_id": training_id, **counts}


@bp.get(f"/trainings/<{ID}:training_id>/participants")
@operation("Peserta pelatihan", tag="Pelatihan", ok=(200, "SeatList"), errors=(404,),
           description="Penyelenggara, koordinator wilayahnya, atau admin.")
@auth.staff_required
def list_seats(training_id: int):
    if not queries.may_manage(auth.api_user(), training_id):
        raise PermissionDenied("Hanya penyelenggara, koordinator wilayahnya, atau admin.")
    return {"items": [{"shop_id": s.shop_id, "shop_name": s.shop_name, "region_name": s.region_name,
                       "owner_name": s.owner_name, "status": s.status} for s in queries.seats_of(training_id)]}

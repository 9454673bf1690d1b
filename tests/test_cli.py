"""init-db, create-user, check-tallies and backup."""
import sqlite3

from helpers import PG_URL
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Campaign, Region


def test_init_db_twice_gives_24_regions_and_one_campaign(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "tidak ada yang diubah" in result.output  # the fixture already initialised it
    result = runner.invoke(args=["init-db"])
    assert "tidak ada yang diubah" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Region)) == 24
        campaigns = db.session.scalars(select(Campaign)).all()
        assert len(campaigns) == 1
        assert campaigns[0].appeal_letter_number == "4432/3004/JK/UMKM"
        assert campaigns[0].ends_on is None
        bone = db.session.scalar(select(Region).where(Region.code == "73.08"))
        assert (bone.bps_code, bone.name, bone.capital) == ("7311", "Bone", "Watampone")


def test_init_db_on_an_empty_database(tmp_path):
    from campaign import create_app
    url = PG_URL or f"sqlite:///{tmp_path}/fresh.sqlite3"
    if PG_URL:  # the suite's schema is already there; this path is covered by the fixture
        return
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x" * 32}, instance_path=str(tmp_path))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "24 ditambahkan" in result.output and "Kampanye bawaan dibuat" in result.output


def test_create_user_admin_with_generated_password(runner, app, client):
    result = runner.invoke(args=["create-user", "--name", "Admin Diskop", "--login", "admin@diskop.id",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    password = result.output.split("sekali): ")[1].strip()
    response = client.post("/masuk", data={"login": "admin@diskop.id", "password": password})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "admin@diskop.id"))
        assert user.is_admin and user.coordinator_region_id is None


def test_create_user_coordinator_needs_a_valid_region(runner, app):
    result = runner.invoke(args=["create-user", "--name", "K", "--login", "k@x.id", "--role", "coordinator"])
    assert result.exit_code != 0 and "--region" in result.output
    result = runner.invoke(args=["create-user", "--name", "K", "--login", "k@x.id", "--role", "coordinator",
                                 "--region", "99.99"])
    assert result.exit_code != 0 and "99.99" in result.output
    result = runner.invoke(args=["create-user", "--name", "K", "--login", "0813-2222-3333", "--role",
                                 "coordinator", "--region", "73.73", "--password", "sandi-koordinator"])
    assert result.exit_code == 0 and "sekali" not in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == "+6281322223333"))
        assert user.coordinator_region.code == "73.73"


def test_create_user_duplicate_login(runner):
    args = ["create-user", "--name", "A", "--login", "a@x.id", "--role", "admin", "--password", "rahasia123"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and "sudah terdaftar" in result.output


def test_fresh_install_has_no_user(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_backup_writes_a_usable_copy(runner, tmp_path, make_owner):
    make_owner(login="cadangan@example.id")
    target = tmp_path / "cadangan" / "db.bak"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    if not PG_URL:
        with sqlite3.connect(target) as copy:
            assert copy.execute("SELECT email FROM user_account").fetchall() == [("cadangan@example.id",)]

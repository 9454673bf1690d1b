"""Command-line interface: thin wrappers around the services.

``flask --app campaign init-db | seed-demo | create-user | check-tallies | rebuild-tallies | backup |
import-roster | remind-trainings``
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from campaign.core.errors import DomainError


def register(app: Flask) -> None:
    for command in (init_db, seed_demo, create_user, check_tallies, rebuild_tallies, backup, import_roster,
                    remind_trainings):
        app.cli.add_command(command)


@click.command("init-db", help="Buat atau perbarui skema, muat kabupaten/kota dan kecamatan provinsi yang "
               "dikonfigurasi (PROVINCES, bawaan [\"73\"]) dan kampanye bawaan. Aman dijalankan berulang.")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema, load the configured provinces' regions and kecamatan and the
    default campaign. Idempotent."""
    from campaign.core.maintenance import migrate_to_head
    from campaign.domains.regions.services import load_reference_data

    applied = migrate_to_head()
    report = load_reference_data()
    if not applied and not report.changed:
        click.echo("Basis data sudah mutakhir; tidak ada yang diubah.")
        return
    if applied:
        click.echo(f"Skema diperbarui: {', '.join(applied)}.")
    click.echo(f"Wilayah: {report.regions_added} ditambahkan, {report.regions_updated} diperbarui"
               + (f", {report.regions_deactivated} dinonaktifkan." if report.regions_deactivated else "."))
    if report.districts_added or report.districts_updated or report.districts_deactivated:
        click.echo(f"Kecamatan: {report.districts_added} ditambahkan, {report.districts_updated} diperbarui"
                   + (f", {report.districts_deactivated} dinonaktifkan." if report.districts_deactivated else "."))
    if report.campaign_created and report.appeal_letter_number == "-":
        click.echo("Kampanye bawaan dibuat tanpa surat imbauan (APPEALS); admin dapat membuat kampanye "
                   "dengan suratnya.")
    elif report.campaign_created:
        click.echo(f"Kampanye bawaan dibuat (surat imbauan {report.appeal_letter_number}).")


@click.command("seed-demo", help="Isi basis data dengan data demo yang realistis dan cetak login demo per peran.")
@with_appcontext
@click.option("--asn", "asn_count", default=240, show_default=True, help="Jumlah ASN demo.")
@click.option("--shops", "shop_count", default=120, show_default=True, help="Jumlah toko demo.")
@click.option("--purchases", "purchase_count", default=1500, show_default=True, help="Jumlah belanja demo.")
@click.option("--seed", default=2020, show_default=True, help="Benih acak (hasil sama untuk benih sama).")
@click.option("--province", help="Kode Kemendagri provinsi (mis. 34) dari PROVINCES, atau \"semua\" untuk semua "
              "provinsi di PROVINCES; bawaan: yang pertama.")
def seed_demo(asn_count: int, shop_count: int, purchase_count: int, seed: int, province: str | None) -> None:
    """Fill the database with realistic demo data in one served province's regions and print one
    login per role."""
    from campaign.demo import seed as demo

    try:
        result = demo.seed(asn_count=asn_count, shop_count=shop_count, purchase_count=purchase_count,
                           random_seed=seed, province=province)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    for line in result.summary_lines():
        click.echo(line)


@click.command("create-user", help="Buat akun admin atau koordinator kabupaten/kota tanpa tanya-jawab.")
@with_appcontext
@click.option("--name", required=True, help="Nama lengkap.")
@click.option("--login", required=True, help="E-mail atau nomor WhatsApp.")
@click.option("--role", type=click.Choice(["admin", "coordinator"]), required=True)
@click.option("--region", "region_code", help="Kode Kemendagri wilayah koordinator, mis. 73.73.")
@click.option("--province", "province_code", help="Admin provinsi: kode provinsi yang dilayani, mis. 34; "
              "tanpa opsi ini admin nasional (semua provinsi).")
@click.option("--password", help="Kata sandi; tanpa opsi ini dibuatkan dan dicetak sekali.")
def create_user(name: str, login: str, role: str, region_code: str | None, province_code: str | None,
                password: str | None) -> None:
    """Create an admin (national, or of one province) or a district coordinator, non-interactively."""
    from campaign.domains.auth.services import create_user as create

    try:
        user, used_password = create(name=name, login=login, role=role, region_code=region_code,
                                     province_code=province_code, password=password)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Pengguna #{user.id} ({role}) dibuat: login {user.login_label}")
    if password is None:
        click.echo(f"Kata sandi (hanya ditampilkan sekali): {used_password}")


@click.command("check-tallies", help="Hitung ulang semua rekap dari data belanja; keluar dengan status 1 jika ada selisih.")
@with_appcontext
def check_tallies() -> None:
    """Recompute every aggregate from the raw rows; exit 1 on any difference."""
    from campaign.domains.tallies.reconcile import find_differences

    problems = find_differences()
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{len(problems)} selisih ditemukan. Jalankan rebuild-tallies untuk memperbaiki.", err=True)
        sys.exit(1)
    click.echo("Semua rekap cocok dengan data belanja.")


@click.command("rebuild-tallies", help="Hitung ulang semua rekap dari data belanja dan ganti rekap yang tersimpan.")
@with_appcontext
def rebuild_tallies() -> None:
    """Recompute every aggregate from the raw rows and replace the stored ones."""
    from campaign.core.database import refresh_statistics
    from campaign.domains.tallies.reconcile import rebuild

    rows = rebuild()
    refresh_statistics()
    click.echo(f"Rekap dibangun ulang: {rows} baris.")


@click.command("backup", help="Tulis salinan basis data yang konsisten ke PATH selagi aplikasi berjalan.")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running."""
    from campaign.core.maintenance import backup_database

    try:
        backup_database(path)
    except (RuntimeError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Cadangan ditulis ke {path} ({path.stat().st_size} byte).")


@click.command("import-roster", help="Impor daftar ASN dari berkas CSV atau XLSX (kolom NIP, Nama, Instansi/OPD, "
               "Kabupaten/Kota). Aman diulang.")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--region", "region_code", help="Kode Kemendagri satu wilayah; tanpa ini: seluruh provinsi.")
def import_roster(path: Path, region_code: str | None) -> None:
    """Load a roster file for one region or the province; print the counts and the refused rows."""
    from campaign.domains.roster.services import import_roster as run

    try:
        report = run(actor=None, content=path.read_bytes(), filename=path.name, region_code=region_code)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    for refusal in report.refusals:
        click.echo(f"baris {refusal.line} ({refusal.nip}): {refusal.reason}", err=True)
    click.echo(f"Daftar ASN: {report.added} ditambahkan, {report.updated} diperbarui, {report.unchanged} tetap, "
               f"{report.refused} ditolak.")


@click.command("remind-trainings", help="Kirim pengingat ke peserta pelatihan yang dimulai besok "
               "(zona waktu provinsi). Aman dijalankan berulang (mis. tiap jam lewat cron): tiap kursi diingatkan sekali.")
@with_appcontext
def remind_trainings() -> None:
    """Remind tomorrow's seat holders once each (for cron)."""
    from campaign.domains.training.lifecycle import send_reminders

    click.echo(f"Pengingat pelatihan terkirim: {send_reminders()}.")

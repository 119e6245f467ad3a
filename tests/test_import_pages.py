"""Beheer › Import: upload, check (dry run), confirm, the worker's import, progress, downloads, access."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from regie.housing.models import AreaDistrict, Tenancy, Unit
from regie.signalling import tasks_import
from regie.signalling.models import ImportRun

pytestmark = pytest.mark.django_db

S = ImportRun.Status

UNITS = (
    "vhe;straat;huisnummer;toevoeging;postcode;woonplaats;wijk\r\n"
    "VHE900001;Dorpsstraat;1;;7341AB;Zandhoven;Bloemenbuurt\r\n"
    "VHE900002;Dorpsstraat;3;A;7341 ab;Zandhoven;Bloemenbuurt\r\n"
)
TENANCIES = (
    "tenancy_id,unit_id,start_date,end_date,monthly_rent\r\n"
    "HO9000001,VHE900001,2020-01-01,,712.40\r\n"
    "HO9000002,VHE900002,2021-06-01,,650.00\r\n"
)
# A unit that exists nowhere and a rent of 0: two rows with problems, and one good row.
BAD_TENANCIES = (
    "contractnummer;vhe;ingangsdatum;einddatum;huurprijs\r\n"
    "HO9000001;VHE999999;01-01-2020;;712,40\r\n"
    "HO9000002;VHE900002;01-06-2021;;0\r\n"
    "HO9000003;VHE900001;01-01-2022;;€ 1.012,50\r\n"
)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(name: str, text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def admin(client, world):
    AreaDistrict.objects.create(district="Bloemenbuurt", area=world.north)
    client.force_login(world.admin)
    client.cookies["django_language"] = "en"
    return client


def post_files(client, *files, **data):
    return client.post(reverse("imports:list"), {"files": list(files), **data})


def queued(task_name: str) -> list[DBTaskResult]:
    return [r for r in DBTaskResult.objects.all() if r.task_path.endswith(task_name)]


def test_upload_check_confirm_import_and_download(admin, world, django_capture_on_commit_callbacks):
    response = post_files(admin, upload("eenheden.csv", UNITS, "cp1252"), upload("contracten.csv", TENANCIES))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[run.pk])
    # The check ran right away (small files) and wrote nothing.
    assert (run.status, run.dry_run, run.origin, run.created_by) == (S.CHECKED, True, "web", world.admin)
    assert not Unit.objects.filter(unit_id__startswith="VHE9").exists()
    # Stored under names made by the app, in the run's own folder.
    assert sorted(p.name for p in tasks_import.upload_dir(run).iterdir()) == ["contracten.csv", "eenheden.csv"]

    page = admin.get(response["Location"]).content.decode()
    assert "What will change" in page and "Confirm import" in page
    files = {row["name"]: row for row in admin.get(response["Location"]).context["files"]}
    assert (files["eenheden.csv"]["new"], files["contracten.csv"]["new"]) == (2, 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("imports:confirm", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.dry_run) == (S.QUEUED, False)
    assert queued("run_import")
    assert not Unit.objects.filter(unit_id__startswith="VHE9").exists()  # nothing until the worker runs

    # The progress partial, polled by htmx while the import waits.
    partial = admin.get(reverse("imports:progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<progress" in partial.content

    # The worker's turn.
    with django_capture_on_commit_callbacks(execute=True):
        tasks_import.run_import.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.exit_code) == (S.DONE, 0)
    units = {u.unit_id: u for u in Unit.objects.filter(unit_id__startswith="VHE9")}
    assert set(units) == {"VHE900001", "VHE900002"}
    assert units["VHE900002"].postcode == "7341 AB" and units["VHE900001"].area == world.north
    assert Tenancy.objects.get(tenancy_id="HO9000001").monthly_rent == Decimal("712.40")
    assert not tasks_import.upload_dir(run).exists()  # the uploads are not kept
    assert queued("detect_after_import")  # detection follows a successful import

    # Finished: the poll asks for a reload; the page shows the outcome and the report.
    partial = admin.get(reverse("imports:progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 204 and partial["HX-Refresh"] == "true"
    detail = admin.get(reverse("imports:detail", args=[run.pk]))
    assert "What was imported" in detail.content.decode()
    name, _label = detail.context["downloads"][0]
    download = admin.get(reverse("imports:download", args=[run.pk, name]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")

    history = admin.get(reverse("imports:list"))
    assert history.context["runs"][0].totals["new"] == 4
    assert reverse("imports:detail", args=[run.pk]) in history.content.decode()


def test_a_bad_file_shows_its_problems_and_writes_nothing(admin, world):
    post_files(admin, upload("eenheden.csv", UNITS), upload("contracten.csv", BAD_TENANCIES))
    run = ImportRun.objects.get()
    assert run.exit_code == 1 and run.status == S.CHECKED
    response = admin.get(reverse("imports:detail", args=[run.pk]))
    page = response.content.decode()
    problems = response.context["problems"]
    assert {p["line"] for p in problems if p["file"].startswith("contracten")} >= {"2", "3"}
    assert "VHE999999" in page
    assert "Confirm import" not in page and "Import only the correct rows" in page
    # The counts are those of the correct rows, and their rejects file is ready to correct.
    files = {row["name"]: row for row in response.context["files"]}
    assert (files["contracten.csv"]["new"], files["contracten.csv"]["rejected"], files["eenheden.csv"]["new"]) == (
        1,
        2,
        2,
    )
    assert not run.accept_partial
    assert any("rejected" in name for name, _label in response.context["downloads"])
    assert not Unit.objects.filter(unit_id__startswith="VHE9").exists()
    assert not Tenancy.objects.filter(tenancy_id__startswith="HO9").exists()
    # Confirming without accepting a partial import is refused.
    admin.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == S.CHECKED and not DBTaskResult.objects.exists()


def test_accepting_a_partial_import_imports_the_good_rows(admin, world, django_capture_on_commit_callbacks):
    post_files(admin, upload("eenheden.csv", UNITS), upload("contracten.csv", BAD_TENANCIES))
    run = ImportRun.objects.get()
    # The worker runs the task as soon as the confirmation commits (the immediate backend).
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("imports:confirm", args=[run.pk]), {"accept_partial": "on"})
    run.refresh_from_db()
    assert (run.status, run.exit_code, run.accept_partial, run.dry_run) == (S.REJECTED, 1, True, False)
    assert Unit.objects.filter(unit_id__startswith="VHE9").count() == 2
    tenancies = Tenancy.objects.filter(tenancy_id__startswith="HO9")
    assert list(tenancies.values_list("tenancy_id", "monthly_rent")) == [("HO9000003", Decimal("1012.50"))]
    names = [n for n, _ in admin.get(reverse("imports:detail", args=[run.pk])).context["downloads"]]
    assert len(names) >= 2  # the report and the rejects file
    for name in names:
        assert admin.get(reverse("imports:download", args=[run.pk, name])).status_code == 200


def test_a_file_that_cannot_be_used_is_refused_with_its_reason(admin):
    post_files(admin, upload("contracten.csv", "contractnummer;vhe\r\nHO1;VHE1\r\n"))
    run = ImportRun.objects.get()
    assert run.status == S.FAILED and run.exit_code == 2
    page = admin.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Confirm import" not in page
    assert "Required column missing" in page and "ingangsdatum" in page
    assert not tasks_import.upload_dir(run).exists()  # nothing more can be done with these uploads


def test_large_uploads_are_checked_by_the_worker(admin, settings, django_capture_on_commit_callbacks):
    settings.REGIE_IMPORT_INLINE_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        post_files(admin, upload("eenheden.csv", UNITS))
    run = ImportRun.objects.get()
    assert (run.status, run.dry_run) == (S.QUEUED, True)
    page = admin.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page and "Checking the files" in page
    tasks_import.run_import.call(run.pk, dry_run=True)
    run.refresh_from_db()
    assert run.status == S.CHECKED and not Unit.objects.filter(unit_id__startswith="VHE9").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("brief.pdf", b"%PDF-1.4"), ("export.xls", b"\xd0\xcf\x11\xe0"), ("../../etc/units", b"vhe\r\n")],
)
def test_other_files_are_refused_with_a_message(admin, name, content):
    response = admin.post(reverse("imports:list"), {"files": [SimpleUploadedFile(name, content)]})
    assert response.status_code == 400
    assert "is not a CSV or XLSX file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_too_large_and_empty_files_are_refused(admin, settings):
    settings.REGIE_IMPORT_MAX_BYTES = 50
    response = post_files(admin, upload("eenheden.csv", UNITS))
    assert response.status_code == 400 and "is larger than" in response.content.decode()
    response = post_files(admin, upload("leeg.csv", ""))
    assert response.status_code == 400 and "is empty" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_kind_is_only_for_a_single_file(admin):
    response = post_files(admin, upload("a.csv", UNITS), upload("b.csv", TENANCIES), kind="units")
    assert response.status_code == 400 and "only when you upload one file" in response.content.decode()


def test_stored_names_never_come_from_the_clients_path(admin):
    post_files(admin, upload("..\\..\\evil name;$(rm).CSV", UNITS))
    run = ImportRun.objects.get()
    stored = [p.name for p in tasks_import.upload_dir(run).iterdir()]
    assert stored == run.files == ["evil-name-rm.csv"]


def test_cancel_removes_the_uploads(admin, django_capture_on_commit_callbacks):
    post_files(admin, upload("eenheden.csv", UNITS))
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("imports:cancel", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == S.CANCELLED
    assert not tasks_import.upload_dir(run).exists()
    assert admin.post(reverse("imports:confirm", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == S.CANCELLED and not DBTaskResult.objects.exists()


def test_a_download_serves_only_the_runs_own_files(admin, data_dir):
    post_files(admin, upload("eenheden.csv", UNITS))
    post_files(admin, upload("contracten.csv", BAD_TENANCIES))
    first, second = ImportRun.objects.order_by("pk")
    other = tasks_import.run_dir(second) / "only-in-second.csv"
    other.write_text("x")
    assert admin.get(reverse("imports:download", args=[second.pk, other.name])).status_code == 200
    assert admin.get(reverse("imports:download", args=[first.pk, other.name])).status_code == 404
    assert admin.get(f"/beheer/import/{first.pk}/bestand/..%2F{second.pk}%2F{other.name}").status_code == 404
    assert admin.get(reverse("imports:download", args=[first.pk, "upload"])).status_code == 404
    assert admin.get(reverse("imports:download", args=[first.pk, "eenheden.csv"])).status_code == 404


@pytest.mark.parametrize("who", ["pro_n", "mgr_n", "colleague", "privacy"])
def test_other_roles_get_404_everywhere(client, world, who):
    run = ImportRun.objects.create(origin="web", created_by=world.admin, source="upload", status=S.CHECKED)
    folder = tasks_import.run_dir(run)
    folder.mkdir(parents=True)
    (folder / "report.csv").write_text("file,line\n")
    client.force_login(getattr(world, who))
    gets = [
        reverse("imports:list"),
        reverse("imports:detail", args=[run.pk]),
        reverse("imports:progress", args=[run.pk]),
        reverse("imports:download", args=[run.pk, "report.csv"]),
    ]
    posts = [
        reverse("imports:list"),
        reverse("imports:confirm", args=[run.pk]),
        reverse("imports:cancel", args=[run.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url).status_code == 404, url
    run.refresh_from_db()
    assert run.status == S.CHECKED


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_history_pages_with_bounded_queries(admin, world, settings, django_assert_max_num_queries):
    settings.REGIE_PAGE_SIZE = 5
    for i in range(7):
        ImportRun.objects.create(
            origin="web",
            created_by=world.admin,
            source="upload",
            files=[f"f{i}.csv"],
            status=S.DONE,
            summary={f"f{i}.csv": {"kind": "units", "rows": 3, "new": 3, "changed": 0, "unchanged": 0}},
        )
    admin.get(reverse("imports:list"))
    with django_assert_max_num_queries(8):
        page = admin.get(reverse("imports:list"))
    assert len(page.context["runs"]) == 5 and page.context["page_obj"].paginator.count == 7
    assert len(admin.get(reverse("imports:list"), {"page": 2}).context["runs"]) == 2


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_where_the_page_can_read_it(world):
    run = ImportRun.objects.create(origin="web", created_by=world.admin, source="upload", status=S.RUNNING)
    writer = tasks_import.ProgressWriter(run.pk)
    try:
        writer(0, 1000)
        writer(1, 1000)  # too small a step to be worth a write
        writer(500, 1000)
        run.refresh_from_db()
        assert (run.progress_done, run.progress_total) == (500, 1000)
        on_postgres = connection.vendor == "postgresql"
        assert (writer.side is not None, writer.side_failed) == (on_postgres, False)
        # While something holds the run's row (the import's own transaction), the writer must not
        # wait for it: it falls back to that same connection.
        with transaction.atomic():
            ImportRun.objects.filter(pk=run.pk).update(message="busy")
            writer(1000, 1000)
            run.refresh_from_db()
            assert (run.progress_done, run.progress_total) == (1000, 1000)
        assert writer.side_failed == on_postgres
    finally:
        writer.close()


def test_a_queued_import_can_be_cancelled_until_the_worker_takes_it(admin, django_capture_on_commit_callbacks):
    post_files(admin, upload("eenheden.csv", UNITS))
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("imports:confirm", args=[run.pk]))
        admin.post(reverse("imports:cancel", args=[run.pk]))
    assert tasks_import.run_import.call(run.pk) is None  # the worker finds it cancelled
    run.refresh_from_db()
    assert run.status == S.CANCELLED and not Unit.objects.filter(unit_id__startswith="VHE9").exists()
    # A running import can't be cancelled.
    ImportRun.objects.filter(pk=run.pk).update(status=S.RUNNING)
    response = admin.post(reverse("imports:cancel", args=[run.pk]), follow=True)
    assert "can no longer be cancelled" in response.content.decode()
    run.refresh_from_db()
    assert run.status == S.RUNNING


def test_an_excel_file_is_checked_like_a_csv(admin):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    for line in UNITS.strip().split("\r\n"):
        book.active.append(line.split(";"))
    data = BytesIO()
    book.save(data)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = admin.post(
        reverse("imports:list"), {"files": [SimpleUploadedFile("Eenheden 2026.XLSX", data.getvalue(), xlsx)]}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.files == ["Eenheden-2026.xlsx"]
    assert (run.status, run.exit_code, run.summary["Eenheden-2026.xlsx"]["new"]) == (S.CHECKED, 0, 2)


def test_while_an_import_runs_a_new_check_goes_to_the_worker(admin, world, django_capture_on_commit_callbacks):
    ImportRun.objects.create(origin="cli", source="x", status=S.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        post_files(admin, upload("eenheden.csv", UNITS))
    run = ImportRun.objects.get(origin="web")
    assert (run.status, run.dry_run) == (S.QUEUED, True) and queued("run_import")


@pytest.mark.parametrize("problems", [1, 30])
def test_detail_page_queries_do_not_grow(admin, world, problems, django_assert_max_num_queries):
    run = ImportRun.objects.create(
        origin="web", created_by=world.admin, source="upload", files=["a.csv"], status=S.CHECKED, exit_code=1
    )
    folder = tasks_import.run_dir(run)
    folder.mkdir(parents=True)
    lines = ["file;line;column;value;reason;fix;level"] + [
        f"a.csv;{i + 2};x;v;bad;fix it;error" for i in range(problems)
    ]
    (folder / "report.csv").write_text("\n".join(lines), encoding="utf-8-sig")
    ImportRun.objects.filter(pk=run.pk).update(report_path=str(folder / "report.csv"))
    url = reverse("imports:detail", args=[run.pk])
    admin.get(url)
    with django_assert_max_num_queries(6):
        response = admin.get(url)
    assert len(response.context["problems"]) == min(problems, 25)
    assert response.context["more_problems"] == (problems > 25)
    assert ("Only the first 25 problems are shown" in response.content.decode()) == (problems > 25)


def test_a_post_without_files_is_refused(admin):
    response = admin.post(reverse("imports:list"), {})
    assert "Choose at least one file." in response.content.decode()
    assert not ImportRun.objects.exists()

"""The imports API: upload and check, confirm (also at once with `confirm=true`), cancel, the run with
its problems, downloads, the admin-only rule, token authentication, bounded queries, the schema."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from regie.housing.models import AreaDistrict, Tenancy, Unit
from regie.signalling import tasks_import
from regie.signalling.models import ImportRun
from tests.test_import_pages import BAD_TENANCIES, IMMEDIATE, TENANCIES, UNITS, queued, upload

pytestmark = pytest.mark.django_db

S = ImportRun.Status
URL = "/api/imports/"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(world):
    AreaDistrict.objects.create(district="Bloemenbuurt", area=world.north)
    return client_for(world.admin)


def post(client, *files, **data):
    return client.post(URL, {"files": list(files), **data}, format="multipart")


def good_files():
    return upload("eenheden.csv", UNITS, "cp1252"), upload("contracten.csv", TENANCIES)


def imported_units() -> set[str]:
    return set(Unit.objects.filter(unit_id__startswith="VHE9").values_list("unit_id", flat=True))


def test_upload_checks_and_answers_the_counts(api, world):
    response = post(api, *good_files())
    assert response.status_code == 201, response.content
    data = response.json()
    run = ImportRun.objects.get()
    assert data["id"] == run.pk
    assert (data["status"], data["dry_run"], data["exit_code"], data["origin"]) == ("checked", True, 0, "web")
    assert data["created_by"] == world.admin.username and data["accept_partial"] is False
    assert sorted(data["files"]) == ["contracten.csv", "eenheden.csv"]
    files = {row["file"]: row for row in data["summary"]}
    assert files["eenheden.csv"]["kind"] == "units" and files["contracten.csv"]["kind"] == "tenancies"
    assert (files["eenheden.csv"]["new"], files["contracten.csv"]["new"], files["contracten.csv"]["rejected"]) == (
        2,
        2,
        0,
    )
    assert data["totals"]["new"] == 4 and data["progress"]["percent"] in (0, 100)
    assert (data["can_confirm"], data["can_cancel"], data["problems"]) == (True, True, [])
    assert data["downloads"][0]["kind"] == "report"
    assert data["downloads"][0]["url"].endswith(f"/api/imports/{run.pk}/files/{data['downloads'][0]['name']}/")
    assert not imported_units()  # a check writes nothing
    # The same run, read back; and the history.
    assert api.get(f"{URL}{run.pk}/").json()["summary"] == data["summary"]
    history = api.get(URL).json()
    assert [r["id"] for r in history["results"]] == [run.pk] and history["results"][0]["totals"]["new"] == 4


def test_confirm_then_the_worker_imports(api, django_capture_on_commit_callbacks):
    run_id = post(api, *good_files()).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{URL}{run_id}/confirm/")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["dry_run"]) == ("queued", False)
    assert queued("run_import") and not imported_units()
    with django_capture_on_commit_callbacks(execute=True):
        tasks_import.run_import.call(run_id)
    data = api.get(f"{URL}{run_id}/").json()
    assert (data["status"], data["exit_code"], data["progress"]["percent"]) == ("done", 0, 100)
    assert imported_units() == {"VHE900001", "VHE900002"}


def test_confirm_true_imports_at_once(api, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        response = post(api, *good_files(), confirm="true")
    assert response.status_code == 201
    # Queued when the answer was written; the (immediate) worker ran it as the request committed.
    assert (response.json()["status"], response.json()["dry_run"]) == ("queued", False)
    run = ImportRun.objects.get()
    assert (run.status, run.dry_run, run.exit_code) == (S.DONE, False, 0)
    assert imported_units() == {"VHE900001", "VHE900002"}
    assert Tenancy.objects.get(tenancy_id="HO9000001").monthly_rent == Decimal("712.40")
    assert not tasks_import.upload_dir(run).exists()


def test_confirm_true_on_a_large_upload_checks_in_the_worker_then_imports(
    api, settings, django_capture_on_commit_callbacks
):
    settings.REGIE_IMPORT_INLINE_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(api, *good_files(), confirm=True)
    assert (response.json()["status"], response.json()["dry_run"]) == ("queued", True)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    run = ImportRun.objects.get()
    assert (run.status, run.dry_run, run.exit_code) == (S.DONE, False, 0)
    assert imported_units() == {"VHE900001", "VHE900002"}


def test_a_bad_file_answers_its_problems_and_writes_nothing(api, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        response = post(api, upload("eenheden.csv", UNITS), upload("contracten.csv", BAD_TENANCIES), confirm="true")
    assert response.status_code == 201
    data = response.json()
    # confirm=true does not import rejected rows unless a partial import is accepted.
    assert (data["status"], data["dry_run"], data["exit_code"]) == ("checked", True, 1)
    errors = [p for p in data["problems"] if p["file"] == "contracten.csv" and p["level"] == "error"]
    assert {p["line"] for p in errors} >= {2, 3}
    bad_unit = next(p for p in errors if p["line"] == 2)
    assert bad_unit["column"] == "vhe" and bad_unit["value"] == "VHE999999" and bad_unit["reason"] and bad_unit["fix"]
    assert (data["can_confirm"], data["can_accept_partial"]) == (False, True)
    assert [d["kind"] for d in data["downloads"]] == ["report", "rejects"]
    assert not imported_units() and not Tenancy.objects.filter(tenancy_id__startswith="HO9").exists()

    run_id = data["id"]
    refused = api.post(f"{URL}{run_id}/confirm/")
    assert refused.status_code == 409 and "accept_partial" in refused.json()["detail"]
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{URL}{run_id}/confirm/", {"accept_partial": True}, format="json")
    assert response.status_code == 202
    run = ImportRun.objects.get()
    assert (run.status, run.exit_code, run.accept_partial) == (S.REJECTED, 1, True)
    assert list(Tenancy.objects.filter(tenancy_id__startswith="HO9").values_list("tenancy_id", flat=True)) == [
        "HO9000003"
    ]


def test_confirm_true_with_accept_partial_imports_the_good_rows(api, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        post(
            api,
            upload("eenheden.csv", UNITS),
            upload("contracten.csv", BAD_TENANCIES),
            confirm="true",
            accept_partial="true",
        )
    run = ImportRun.objects.get()
    assert (run.status, run.dry_run, run.exit_code) == (S.REJECTED, False, 1)
    assert imported_units() == {"VHE900001", "VHE900002"}
    assert Tenancy.objects.filter(tenancy_id__startswith="HO9").count() == 1


def test_a_file_that_cannot_be_used(api):
    data = post(api, upload("contracten.csv", "contractnummer;vhe\r\nHO1;VHE1\r\n"), confirm="true").json()
    assert (data["status"], data["exit_code"], data["can_confirm"]) == ("failed", 2, False)
    assert (
        data["problems"][0]["line"] == 1
        and "ingangsdatum" in data["problems"][0]["fix"] + data["problems"][0]["reason"]
    )
    assert data["summary"][0]["refused"] is True
    assert api.post(f"{URL}{data['id']}/confirm/").status_code == 409


@pytest.mark.parametrize(
    ("files", "data", "field", "message"),
    [
        ([("brief.pdf", b"%PDF-1.4")], {}, "files", "is not a CSV or XLSX file"),
        ([("leeg.csv", b"")], {}, "files", "is empty"),
        ([], {}, "files", "Choose at least one file."),
        ([("a.csv", UNITS.encode()), ("b.csv", TENANCIES.encode())], {"kind": "units"}, "kind", "only when you upload"),
        ([("a.csv", UNITS.encode())], {"kind": "flats"}, "kind", "Select a valid choice."),
        ([("a.csv", UNITS.encode())], {"confirm": "perhaps"}, "confirm", "valid boolean"),
    ],
)
def test_a_refused_upload_answers_400_per_field(api, files, data, field, message):
    response = post(api, *[SimpleUploadedFile(name, content) for name, content in files], **data)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not ImportRun.objects.exists()


def test_the_size_limit_of_the_page_applies(api, settings):
    settings.REGIE_IMPORT_MAX_BYTES = 50
    response = post(api, upload("eenheden.csv", UNITS))
    assert response.status_code == 400 and "is larger than" in response.json()["files"][0]


def test_confirm_twice_is_refused(api, django_capture_on_commit_callbacks):
    run_id = post(api, *good_files()).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"{URL}{run_id}/confirm/").status_code == 202
        second = api.post(f"{URL}{run_id}/confirm/")
    assert second.status_code == 409 and "can no longer be confirmed" in second.json()["detail"]
    assert len(queued("run_import")) == 1


def test_confirm_while_the_check_still_runs_is_refused(api, settings):
    settings.REGIE_IMPORT_INLINE_BYTES = 10
    run_id = post(api, *good_files()).json()["id"]
    response = api.post(f"{URL}{run_id}/confirm/")
    assert response.status_code == 409 and "still being checked" in response.json()["detail"]


def test_cancel(api, django_capture_on_commit_callbacks):
    run_id = post(api, *good_files()).json()["id"]
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{URL}{run_id}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert not tasks_import.upload_dir(run).exists()
    again = api.post(f"{URL}{run_id}/cancel/")
    assert again.status_code == 409 and "already cancelled" in again.json()["detail"]
    assert api.post(f"{URL}{run_id}/confirm/").status_code == 409
    ImportRun.objects.filter(pk=run_id).update(status=S.RUNNING)
    running = api.post(f"{URL}{run_id}/cancel/")
    assert running.status_code == 409 and "already started" in running.json()["detail"]
    assert ImportRun.objects.get().status == S.RUNNING


def test_downloads_serve_only_the_runs_own_files(api):
    first = post(api, *good_files()).json()
    second = post(api, upload("eenheden.csv", UNITS), upload("contracten.csv", BAD_TENANCIES)).json()
    for download in second["downloads"]:
        response = api.get(download["url"])
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert f"import-{second['id']}-" in response["Content-Disposition"]
    # A client that asks for CSV gets it (the errors of this endpoint stay JSON).
    assert api.get(second["downloads"][0]["url"], HTTP_ACCEPT="text/csv").status_code == 200
    rejects = next(d["name"] for d in second["downloads"] if d["kind"] == "rejects")
    assert "VHE999999" in b"".join(api.get(f"{URL}{second['id']}/files/{rejects}/").streaming_content).decode()
    # Another run's file, the uploads (folder and file) and a path: not found.
    assert api.get(f"{URL}{first['id']}/files/{rejects}/").status_code == 404
    assert api.get(f"{URL}{first['id']}/files/upload/").status_code == 404
    assert api.get(f"{URL}{first['id']}/files/eenheden.csv/").status_code == 404
    assert api.get(f"{URL}{first['id']}/files/..%2F{second['id']}%2F{rejects}/").status_code == 404
    assert api.get(f"{URL}999999/files/report.csv/").status_code == 404


@pytest.mark.parametrize("who", ["pro_n", "mgr_n", "colleague", "privacy"])
def test_other_roles_get_404_on_every_endpoint(world, who):
    run = ImportRun.objects.create(origin="web", created_by=world.admin, source="upload", status=S.CHECKED)
    folder = tasks_import.run_dir(run)
    folder.mkdir(parents=True)
    (folder / "report.csv").write_text("file,line\n")
    client = client_for(getattr(world, who))
    for url in [URL, f"{URL}{run.pk}/", f"{URL}{run.pk}/files/report.csv/"]:
        assert client.get(url).status_code == 404, url
    for url in [f"{URL}{run.pk}/confirm/", f"{URL}{run.pk}/cancel/"]:
        assert client.post(url).status_code == 404, url
    assert post(client, *good_files(), confirm="true").status_code == 404
    assert list(ImportRun.objects.values_list("pk", "status")) == [(run.pk, S.CHECKED)]


def test_anonymous_is_refused(db):
    client = APIClient()
    assert client.get(URL).status_code in (401, 403)
    assert post(client, *good_files()).status_code in (401, 403)
    assert not ImportRun.objects.exists()


def test_token_authentication(world, django_capture_on_commit_callbacks):
    token = Token.objects.create(user=world.admin)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        response = post(client, *good_files(), confirm="true")
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    assert client.get(f"{URL}{run_id}/").json()["status"] == "done"
    assert imported_units() == {"VHE900001", "VHE900002"}
    other = Token.objects.create(user=world.pro_n)
    client.credentials(HTTP_AUTHORIZATION=f"Token {other.key}")
    assert client.get(f"{URL}{run_id}/").status_code == 404
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(URL).status_code in (401, 403)


@pytest.mark.parametrize("problems", [1, 60])
def test_detail_shows_the_first_50_problems_with_bounded_queries(api, world, problems, django_assert_max_num_queries):
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
    with django_assert_max_num_queries(3):
        data = api.get(f"{URL}{run.pk}/").json()
    assert len(data["problems"]) == min(problems, 50) and data["more_problems"] == (problems > 50)
    assert data["problems"][0] == {
        "file": "a.csv",
        "line": 2,
        "column": "x",
        "value": "v",
        "reason": "bad",
        "fix": "fix it",
        "level": "error",
    }


@pytest.mark.parametrize("runs", [3, 30])
def test_history_is_paged_with_bounded_queries(api, world, runs, django_assert_max_num_queries):
    for i in range(runs):
        ImportRun.objects.create(
            origin="cli" if i % 2 else "web",
            created_by=None if i % 2 else world.admin,
            source="upload",
            files=[f"f{i}.csv"],
            status=S.DONE,
            exit_code=0,
            summary={f"f{i}.csv": {"kind": "units", "rows": 3, "new": 3, "changed": 0, "unchanged": 0}},
        )
    # A savepoint, the count, the page (with the users) and the release: none per row.
    with django_assert_max_num_queries(4):
        data = api.get(URL).json()
    assert data["count"] == runs and len(data["results"]) == min(runs, 25)
    assert {r["created_by"] for r in data["results"]} == {None, world.admin.username}
    assert data["results"][0]["summary"][0]["new"] == 3


def test_schema_documents_the_imports_api(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/imports/",
        "/api/imports/{id}/",
        "/api/imports/{id}/confirm/",
        "/api/imports/{id}/cancel/",
        "/api/imports/{id}/files/{name}/",
    ]:
        assert path in schema["paths"], path
    upload_schema = schema["paths"]["/api/imports/"]["post"]["requestBody"]["content"]
    assert list(upload_schema) == ["multipart/form-data"]

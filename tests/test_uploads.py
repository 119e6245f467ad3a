"""Uploads are checked by size, by extension and by content (core/uploads.py), in the web forms and
the API alike; an oversized request is refused before it is read (RequestSizeLimitMiddleware)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from regie.core.uploads import check_document, check_import_file, safe_name
from regie.network.models import Consent
from regie.signalling.models import ImportRun
from tests import test_network_setup

# The network pages' fixtures: a case with its household and partners; messages in English.
net, english = test_network_setup.net, test_network_setup.english
TODAY = test_network_setup.TODAY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
CSV = "vhe;straat;huisnummer;toevoeging;postcode;woonplaats;wijk\r\nV1;Dorpsstraat;1;;7341AB;Zandhoven;Bloemen\r\n"


def login(client, user):
    """Logged in, second factor passed (the session key of accounts/mfa.py)."""
    client.force_login(user)
    session = client.session
    session["regie_2fa"] = "totp"
    session.save()
    return client


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["vhe", "straat"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def refused(check, name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        check(SimpleUploadedFile(name, content), **kwargs)
    return " ".join(caught.value.messages)


# -- the checks themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), [("a.pdf", PDF), ("b.PNG", PNG), ("c.jpg", JPEG), ("d.jpeg", JPEG)])
def test_documents_that_are_what_their_name_says_pass(name, content):
    upload = SimpleUploadedFile(name, content)
    check_document(upload)
    assert upload.read() == content  # the check leaves the file at its start


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("form.pdf", b"<html><script>alert(1)</script>", "is not the PDF its name says"),
        ("form.png", PDF, "is not the PNG its name says"),
        ("form.jpg", PNG, "is not the JPG its name says"),
        ("form.html", b"<html>", "Attach a PDF or a photo"),
        ("form.svg", b"<svg/>", "Attach a PDF or a photo"),
        ("form.pdf", b"", "is empty"),
    ],
)
def test_documents_with_the_wrong_type_or_content_are_refused(name, content, message):
    assert message in refused(check_document, name, content)


def test_documents_over_the_limit_are_refused():
    assert "larger than 1 MB" in refused(check_document, "a.pdf", PDF + b"0" * 2_000_000, max_bytes=1024 * 1024)


def test_import_files_that_are_what_their_name_says_pass():
    check_import_file(SimpleUploadedFile("eenheden.csv", CSV.encode()))
    check_import_file(SimpleUploadedFile("eenheden.csv", CSV.encode("cp1252")))
    check_import_file(SimpleUploadedFile("eenheden.xlsx", xlsx_bytes()))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("eenheden.csv", PDF, "is not a text (CSV) file"),
        ("eenheden.csv", xlsx_bytes(), "is not a text (CSV) file"),
        ("eenheden.csv", b"MZ\x90\x00\x03", "is not a text (CSV) file"),
        ("eenheden.csv", b"vhe;straat\n\x00\x00\x00", "is not a text (CSV) file"),
        ("eenheden.xlsx", CSV.encode(), "is not an Excel workbook"),
        ("eenheden.xlsx", b"PK\x03\x04 truncated", "is not an Excel workbook"),
        ("eenheden.xlsx", zip_bytes({"hello.txt": b"hi"}), "is not an Excel workbook"),
        (
            "eenheden.xlsx",
            zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\x00"}),
            "contains macros",
        ),
        # A zip bomb: 20 MB of zeros packed into a few kilobytes.
        (
            "eenheden.xlsx",
            zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/sheet.xml": b"0" * 20_000_000}),
            "is not an Excel workbook",
        ),
        ("eenheden.xls", b"\xd0\xcf\x11\xe0", "is not a CSV or XLSX file"),
        ("eenheden.csv", b"", "is empty"),
    ],
)
def test_import_files_with_the_wrong_type_or_content_are_refused(name, content, message):
    assert message in refused(check_import_file, name, content)


def test_safe_names_carry_no_path():
    assert safe_name("..\\..\\Piet Jansen; rm -rf.PDF", allowed=(".pdf",)) == "Piet-Jansen-rm--rf.pdf"
    assert safe_name("../../etc/passwd", allowed=(".csv",)) == "passwd.csv"
    assert safe_name(".htaccess", allowed=(".csv",)) == "htaccess.csv"
    assert safe_name("", allowed=(".csv",)) == "file.csv"


def test_upload_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.REGIE_IMPORT_MAX_BYTES == 200 * 1024 * 1024
    assert settings.REGIE_DOCUMENT_MAX_BYTES == 10 * 1024 * 1024


# -- where they are applied -----------------------------------------------------------------------


def consent_data(net, document) -> dict:
    return {
        "person": net.tenant_n.pk,
        "organisation": net.addiction.pk,
        "domains": ["substance"],
        "given_on": TODAY.isoformat(),
        "form": "written",
        "document": document,
    }


def test_consent_page_refuses_a_document_that_is_not_a_pdf(net, client, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        fake = SimpleUploadedFile("toestemming.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
        response = login(client, net.pro_n).post(
            reverse("network:consent_new", args=[net.case_n.pk]), consent_data(net, fake)
        )
    assert response.status_code == 400
    assert "is not the PDF its name says" in response.content.decode()
    assert not Consent.objects.exists() and not list(tmp_path.rglob("*.*"))


def test_consent_api_refuses_a_document_that_is_not_a_pdf(net, tmp_path):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(net.pro_n)
    with override_settings(MEDIA_ROOT=tmp_path):
        fake = SimpleUploadedFile("toestemming.pdf", b"MZ\x90\x00", content_type="application/pdf")
        response = api.post(
            f"/api/cases/{net.case_n.pk}/consents/",
            consent_data(net, fake),
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert "is not the PDF its name says" in response.json()["document"][0]
        ok = SimpleUploadedFile("toestemming.pdf", PDF, content_type="application/pdf")
        assert (
            api.post(f"/api/cases/{net.case_n.pk}/consents/", consent_data(net, ok), format="multipart").status_code
            == 201
        )


def test_import_page_and_api_refuse_a_binary_named_csv(world, client):
    upload = SimpleUploadedFile("eenheden.csv", PDF)
    response = login(client, world.admin).post(reverse("imports:list"), {"files": [upload]})
    assert response.status_code == 400 and "is not a text (CSV) file" in response.content.decode()

    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.admin)
    upload = SimpleUploadedFile("eenheden.xlsx", b"PK\x03\x04")
    response = api.post("/api/imports/", {"files": [upload]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "is not an Excel workbook" in str(response.json()["files"])
    assert not ImportRun.objects.exists()


def test_an_oversized_request_is_refused_with_413_before_it_is_read(world, client, settings):
    settings.REGIE_MAX_REQUEST_BYTES = 10_000
    login(client, world.admin)
    response = client.post(reverse("imports:list"), {"files": [SimpleUploadedFile("eenheden.csv", b"x" * 20_000)]})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert response["Content-Security-Policy"] and response["Cache-Control"] == "no-store"
    assert not ImportRun.objects.exists()

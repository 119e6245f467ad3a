"""Checks for uploaded files: size, type by content (magic bytes) as well as by extension, and a
file name that carries no path.

Two kinds of upload exist: the corporation's export files (CSV or XLSX, up to
REGIE_IMPORT_MAX_BYTES each) and signed documents (PDF, JPEG or PNG, up to
REGIE_DOCUMENT_MAX_BYTES). The checks raise Django's ValidationError with a Dutch (translated)
message that names the file by its base name only; forms and serializers call them.
"""

import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
IMPORT_SUFFIXES = (".csv", ".xlsx")
DOCUMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")

# What a document's first bytes must be, per extension.
DOCUMENT_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
# Files that are certainly not CSV text, whatever their name says.
BINARY_MAGIC = (
    b"PK\x03\x04",  # zip (xlsx, docx)
    b"\xd0\xcf\x11\xe0",  # old Office (xls, doc)
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"\x7fELF",
    b"MZ",  # Windows executables
    b"\x1f\x8b",  # gzip
)
# A workbook's XML compresses well, but not this well: beyond it, it is a zip bomb.
MAX_XLSX_RATIO = 200
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def base_name(name: str | None) -> str:
    """The client's file name without any folder (Windows or POSIX), for messages only."""
    return PurePath(str(name or "").replace("\\", "/")).name


def safe_name(name: str | None, *, allowed: tuple[str, ...], fallback: str = "file") -> str:
    """A name to store a file under: [A-Za-z0-9._-], no leading dot, an allowed suffix."""
    base = base_name(name)
    suffix = PurePath(base).suffix.lower()
    suffix = suffix if suffix in allowed else allowed[0]
    stem = _UNSAFE.sub("-", PurePath(base).stem).strip(".-_")[:60] or fallback
    return f"{stem}{suffix}"


def _head(upload, size: int = 4096) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _size_mb(limit: int) -> int:
    return max(1, limit // MB)


def check_import_file(upload, *, max_bytes: int | None = None) -> None:
    """A CSV or XLSX export: extension, not empty, not too large, and content that fits the name."""
    name = base_name(upload.name)
    limit = settings.REGIE_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    suffix = PurePath(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationError(
            _("%(name)s is not a CSV or XLSX file. Export the data as .csv or .xlsx and upload that."),
            code="file_type",
            params={"name": name},
        )
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(max)d MB. Split it into smaller files."),
            code="file_size",
            params={"name": name, "max": _size_mb(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty."), code="file_empty", params={"name": name})
    if suffix == ".xlsx":
        _check_xlsx(upload, name)
    else:
        _check_csv_text(upload, name)


def _check_csv_text(upload, name: str) -> None:
    """Text, not a binary file renamed to .csv. The encoding itself (UTF-8, Windows-1252; UTF-16 is
    refused with advice) is the import's business, which names the problem in its report."""
    head = _head(upload, 8192)
    utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff")
    if head.startswith(BINARY_MAGIC) or (b"\x00" in head and not utf16):
        raise ValidationError(
            _("%(name)s is not a text (CSV) file. Export the data as CSV or .xlsx and upload that."),
            code="file_content",
            params={"name": name},
        )


def _check_xlsx(upload, name: str) -> None:
    refused = ValidationError(
        _("%(name)s is not an Excel workbook (.xlsx). Save it from Excel as .xlsx, or as CSV, and upload that."),
        code="file_content",
        params={"name": name},
    )
    if not _head(upload, 4).startswith(b"PK\x03\x04"):
        raise refused
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refused from None
    finally:
        upload.seek(0)
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refused
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(
            _("%(name)s contains macros. Save it as an Excel workbook without macros (.xlsx) and upload that."),
            code="file_macros",
            params={"name": name},
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > max(upload.size, 1) * MAX_XLSX_RATIO:
        raise refused


def check_document(upload, *, max_bytes: int | None = None) -> None:
    """A signed form: PDF, JPEG or PNG by extension and by content, not empty, not too large."""
    name = base_name(upload.name)
    limit = settings.REGIE_DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    suffix = PurePath(name).suffix.lower()
    if suffix not in DOCUMENT_MAGIC:
        raise ValidationError(_("Attach a PDF or a photo (JPG or PNG) of the signed consent."), code="file_type")
    if upload.size > limit:
        raise ValidationError(
            _("The document is larger than %(max)d MB."), code="file_size", params={"max": _size_mb(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The document is empty."), code="file_empty")
    if not _head(upload, 16).startswith(DOCUMENT_MAGIC[suffix]):
        raise ValidationError(
            _("The document is not the %(kind)s its name says. Attach the scanned form as PDF, JPG or PNG."),
            code="file_content",
            params={"kind": suffix.lstrip(".").upper()},
        )

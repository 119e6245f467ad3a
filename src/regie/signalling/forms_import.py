"""The upload form of the web import: one or more CSV/XLSX files, an optional kind, "accept partial".

Only the content is taken from the client; the name a file is stored under is made here
(`safe_names`), never from the client's path.
"""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from regie.core.uploads import check_import_file, safe_name

ALLOWED_SUFFIXES = (".csv", ".xlsx")
KINDS = ("units", "tenancies", "persons", "arrears", "events")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_FILES = 20


def max_upload_bytes() -> int:
    """Per file; REGIE_IMPORT_MAX_BYTES in settings overrides the default of 200 MB."""
    return int(getattr(settings, "REGIE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ",".join(ALLOWED_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data and self.required:  # an empty list would otherwise pass as "no files, all fine"
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "CSV (separated by ; or ,) or Excel (.xlsx) exports of units, tenancies, persons, arrears or "
            "events. Choose several files at once to import them together."
        ),
        error_messages={"required": _("Choose at least one file.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        required=False,
        choices=[
            ("", _("Recognise from the columns")),
            ("units", _("Units")),
            ("tenancies", _("Tenancies")),
            ("persons", _("Persons")),
            ("arrears", _("Arrears")),
            ("events", _("Events")),
        ],
        help_text=_("Only for a single file, when it is not recognised by itself."),
    )
    accept_partial = forms.BooleanField(
        label=_("Accept partial import"),
        required=False,
        help_text=_(
            "Import the correct rows even when some rows are rejected; the rejected rows are put in a "
            "separate file to correct and upload again."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Upload at most %(max)d files at a time."), code="too_many", params={"max": MAX_FILES}
            )
        limit = max_upload_bytes()
        errors = []
        for f in files:
            # Extension, size, and content that fits the name (core/uploads.py).
            try:
                check_import_file(f, max_bytes=limit)
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        if data.get("kind") and len(data.get("files") or []) > 1:
            self.add_error("kind", _("Choose a kind only when you upload one file; with several, each is recognised."))
        return data


class ConfirmForm(forms.Form):
    accept_partial = forms.BooleanField(required=False)


def safe_names(client_names: list[str]) -> list[str]:
    """Names to store the uploads under: the client's base name reduced to [A-Za-z0-9._-], unique.

    The name keeps its stem (it helps the user recognise the file in the history, and the import
    may recognise a kind by it) but never a directory, a leading dot or an unexpected suffix.
    """
    out: list[str] = []
    for i, raw in enumerate(client_names, start=1):
        name = safe_name(raw, allowed=ALLOWED_SUFFIXES, fallback=f"file-{i}")
        stem, suffix = PurePath(name).stem, PurePath(name).suffix
        n = 2
        while name.lower() in {o.lower() for o in out}:
            name = f"{stem}-{n}{suffix}"
            n += 1
        out.append(name)
    return out

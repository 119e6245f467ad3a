"""The imports API: upload the corporation's exports, see what the check (dry run) found, confirm or
cancel, follow the import, download the report and rejects files; the history of every import.

What Beheer › Import does, for scripts (the ERP's nightly export): the same upload form with its
limits and messages, the same services (`services_import`), the same access rule (the functional
administrator only; anyone else gets 404) and the same download rule (only the files directly in the
run's own folder, looked up by name). `confirm=true` on the upload queues the import as soon as the
check allows it, so an unattended upload needs no second call.
"""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from regie.signalling.forms_import import KINDS, UploadForm
from regie.signalling.models import ImportRun
from regie.signalling.services_import import (
    ACTIVE,
    CANCELLABLE,
    COUNTS,
    can_confirm,
    file_rows,
    import_cancel,
    import_check,
    import_confirm,
    import_upload,
    totals,
)
from regie.signalling.views_import import _outputs, _report, _require_admin, _run_for

# The web pages' own access and download rules, so the API can't drift from them.
from regie.signalling.views_import import _problems as page_problems

S = ImportRun.Status
PROBLEMS_SHOWN = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The form lets an empty list of files through (its field cleans each file); the serializer doesn't.
NO_FILES = UploadForm.base_fields["files"].error_messages["required"]


class AnyAccept(BaseContentNegotiation):
    """A download answers a file whatever the client accepts (`Accept: text/csv` included); its
    errors (404) still answer in JSON. DRF's documented "ignore the client" negotiation."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# -- input ----------------------------------------------------------------------------------------


# Binary in the schema (a FileField on its own is documented as a URL, as in an answer).
@extend_schema_field({"type": "array", "items": {"type": "string", "format": "binary"}})
class FilesField(serializers.ListField):
    child = serializers.FileField()


# `files` and `kind` are also checked by the web page's form (`UploadForm`), whose messages win, so
# the API refuses what the page refuses, in the same words.
class ImportUploadSerializer(serializers.Serializer):
    files = FilesField(
        allow_empty=False,
        error_messages={"required": NO_FILES, "empty": NO_FILES},
        help_text="One or more CSV or XLSX exports (repeat the field); imported together.",
    )
    kind = serializers.ChoiceField(
        choices=KINDS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only for a single file that is not recognised by its name or columns.",
    )
    accept_partial = serializers.BooleanField(
        default=False, help_text="Import the correct rows even when some rows are rejected."
    )
    confirm = serializers.BooleanField(
        default=False,
        help_text="Queue the import itself as soon as the check allows it: no rejected rows, or rejected "
        "rows and `accept_partial`. Without it the run waits, checked, for `confirm/`.",
    )


class ImportConfirmSerializer(serializers.Serializer):
    accept_partial = serializers.BooleanField(
        required=False,
        help_text="Import only the correct rows when some are rejected. Left out: the run's own choice.",
    )


# -- output ---------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(source="progress_done")
    total = serializers.IntegerField(source="progress_total")
    percent = serializers.IntegerField()


class CountsSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    warnings = serializers.IntegerField()


class FileSummarySerializer(CountsSerializer):
    file = serializers.CharField()
    kind = serializers.CharField()
    refused = serializers.BooleanField(help_text="The file could not be used at all (see the problems).")


class ProblemSerializer(serializers.Serializer):
    file = serializers.CharField()
    line = serializers.IntegerField(allow_null=True, help_text="As an editor shows it; the header is line 1.")
    column = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()
    fix = serializers.CharField()
    level = serializers.ChoiceField(choices=["error", "warning"])


class DownloadSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["report", "rejects"])
    url = serializers.URLField()


class ImportRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # A string, not an enum: a second choice set named "status" (besides the cases') in two
    # components makes the schema generator warn, unless SPECTACULAR_SETTINGS names it.
    status = serializers.CharField(help_text=f"One of: {', '.join(S.values)}.")
    origin = serializers.ChoiceField(choices=ImportRun.Origin.choices)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    kind = serializers.CharField()
    files = serializers.ListField(child=serializers.CharField(), help_text="The names the files are stored under.")
    dry_run = serializers.BooleanField(help_text="True until the import itself is confirmed: a check writes nothing.")
    accept_partial = serializers.BooleanField()
    progress = ProgressSerializer(source="*")
    summary = serializers.SerializerMethodField(help_text="Counts per file; with rejected rows, of the correct rows.")
    totals = serializers.SerializerMethodField()
    exit_code = serializers.IntegerField(
        allow_null=True, help_text="0 clean, 1 rows rejected, 2 a file could not be used; empty while it runs."
    )
    message = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(FileSummarySerializer(many=True))
    def get_summary(self, run) -> list[dict]:
        refused = {name: bool(c.get("refused")) for name, c in (run.summary or {}).items() if isinstance(c, dict)}
        rows = [{"file": r["name"], "kind": r["kind"], **{k: r[k] for k in COUNTS}} for r in file_rows(run)]
        return [{**r, "refused": refused.get(r["file"], False)} for r in rows]

    @extend_schema_field(CountsSerializer)
    def get_totals(self, run) -> dict:
        return totals(run)


# The run with what the detail page shows. `problems` and `downloads` read the run's folder: the
# view works them out and hands them over in the context, so a list never touches the disk.
class ImportRunDetailSerializer(ImportRunSerializer):
    problems = serializers.SerializerMethodField(help_text=f"The first {PROBLEMS_SHOWN} lines of the report.")
    more_problems = serializers.SerializerMethodField(help_text="The report holds more than `problems` shows.")
    downloads = serializers.SerializerMethodField(help_text="The report first, then a rejects file per input file.")
    can_confirm = serializers.SerializerMethodField()
    can_accept_partial = serializers.SerializerMethodField(
        help_text="Confirming with `accept_partial=true` would import the correct rows."
    )
    can_cancel = serializers.SerializerMethodField()

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, run) -> list[dict]:
        return self.context["problems"]

    def get_more_problems(self, run) -> bool:
        return self.context["more_problems"]

    @extend_schema_field(DownloadSerializer(many=True))
    def get_downloads(self, run) -> list[dict]:
        return self.context["downloads"]

    def get_can_confirm(self, run) -> bool:
        return can_confirm(run, accept_partial=run.accept_partial)

    def get_can_accept_partial(self, run) -> bool:
        return not run.accept_partial and can_confirm(run, accept_partial=True)

    def get_can_cancel(self, run) -> bool:
        return run.status in CANCELLABLE


# -- reading a run's folder ---------------------------------------------------------------------------


def _problems(run: ImportRun) -> tuple[list[dict], bool]:
    """The report's first problems as the detail page reads them, typed for JSON: the line as a
    number, the level as error or warning."""
    problems, more = page_problems(run, limit=PROBLEMS_SHOWN)
    for problem in problems:
        line = problem["line"].strip()
        problem["line"] = int(line) if line.isdigit() else None
        problem["level"] = "warning" if problem["level"] == "warning" else "error"
    return problems, more


def _downloads(run: ImportRun, request: Request) -> list[dict]:
    report = _report(run)
    out = [
        {
            "name": name,
            "kind": "report" if path == report else "rejects",
            "url": reverse("api-import-download", kwargs={"pk": run.pk, "name": name}, request=request),
        }
        for name, path in _outputs(run).items()
    ]
    out.sort(key=lambda d: d["kind"] != "report")
    return out


def _detail(run: ImportRun, request: Request) -> dict:
    problems, more = _problems(run)
    context = {"problems": problems, "more_problems": more, "downloads": _downloads(run, request)}
    return ImportRunDetailSerializer(run, context=context).data


def _form_errors(form: UploadForm) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if f == "__all__" else f): [str(m) for m in errors] for f, errors in form.errors.items()
    }


def _confirm_refusal(run: ImportRun) -> str:
    if run.dry_run and run.status in ACTIVE:
        return _("The files are still being checked. Confirm once the check has finished.")
    if can_confirm(run, accept_partial=True):
        return _(
            "Some rows were rejected. Confirm with accept_partial to import only the correct rows, or correct "
            "the files and upload them again."
        )
    return _("This import can no longer be confirmed. Upload the files again.")


REFUSED = OpenApiResponse(description="Not in a state that allows this; `detail` says why.")


@extend_schema(tags=["imports"])
class ImportViewSet(viewsets.GenericViewSet):
    """For the functional administrator (role admin); every other user gets 404."""

    lookup_value_converter = "int"
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="The history of imports", responses=ImportRunSerializer(many=True))
    def list(self, request: Request) -> Response:
        _require_admin(request.user)
        page = self.paginate_queryset(ImportRun.objects.select_related("created_by"))
        return self.get_paginated_response(ImportRunSerializer(page, many=True).data)

    @extend_schema(
        summary="Upload and check exports",
        description=(
            "Multipart. Stores the files and checks them (a dry run: nothing is written), at once for "
            "small uploads, by the worker for large ones or while another import runs (then `status` is "
            "`queued` and `dry_run` true: poll the run). With `confirm=true` the import itself is queued "
            "as soon as the check allows it; `dry_run` false means it was. Refused files answer 400 with "
            "messages per field."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportRunDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        _require_admin(request.user)
        # The page's form decides about the files and the kind (limits, types, messages); the
        # serializer reads the booleans as an API does ("true", "1", ...).
        params = ImportUploadSerializer(data=request.data)
        form = UploadForm(request.data, request.FILES)
        params_ok, form_ok = params.is_valid(), form.is_valid()
        if not (params_ok and form_ok):
            raise ValidationError({**params.errors, **_form_errors(form)})
        options, files = params.validated_data, form.cleaned_data["files"]
        run = import_upload(
            files=files, kind=form.cleaned_data["kind"], accept_partial=options["accept_partial"], by=request.user
        )
        import_check(run=run, size=sum(f.size for f in files), then_confirm=options["confirm"])
        return Response(_detail(run, request), status=status.HTTP_201_CREATED)

    @extend_schema(summary="One import", responses=ImportRunDetailSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(_detail(_run_for(request.user, pk), request))

    @extend_schema(
        summary="Confirm a checked import",
        description="Queues the import for the worker (202), as the page's *Confirm import* button.",
        request=ImportConfirmSerializer,
        responses={202: ImportRunDetailSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int) -> Response:
        run = _run_for(request.user, pk)
        params = ImportConfirmSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        # Form-encoded input reads a missing boolean as false; left out means the run's own choice.
        accept_partial = params.validated_data["accept_partial"] if "accept_partial" in request.data else None
        if accept_partial is None:
            accept_partial = run.accept_partial
        if not can_confirm(run, accept_partial=accept_partial):
            raise Conflict(_confirm_refusal(run))
        import_confirm(run=run, accept_partial=accept_partial, by=request.user)
        return Response(_detail(run, request), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Cancel an import",
        description="Possible until the worker starts it; the uploaded files are removed.",
        request=None,
        responses={200: ImportRunDetailSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        run = _run_for(request.user, pk)
        if not import_cancel(run=run, by=request.user):
            if run.status == S.CANCELLED:
                raise Conflict(_("This import was already cancelled."))
            raise Conflict(_("This import has already started and can no longer be cancelled."))
        run.refresh_from_db()
        return Response(_detail(run, request))

    @extend_schema(
        summary="Download the report or a rejects file",
        description="`name` as listed in the run's `downloads`; only the files of this run.",
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="files/<str:name>",
        url_name="download",
        content_negotiation_class=AnyAccept,
    )
    def download(self, request: Request, pk: int, name: str) -> FileResponse:
        run = _run_for(request.user, pk)
        path = _outputs(run).get(name)
        if path is None:
            raise Http404
        return FileResponse(open(path, "rb"), as_attachment=True, filename=f"import-{run.pk}-{path.name}")  # noqa: SIM115

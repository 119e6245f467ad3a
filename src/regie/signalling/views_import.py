"""Beheer › Import: the functional administrator uploads the corporation's exports, sees what a
check (dry run) found, confirms the import and follows it; the history of every import.

Only the admin role sees these pages (others get 404, as for the other Beheer pages). The files of
a run live under DATA_DIR/imports/<run id>/: the uploads in upload/ (removed once imported or
cancelled), the report and the rejects files next to it. Downloads are looked up among that
folder's files by name; no path is ever taken from the URL.

The writes of these pages (`import_upload`, `import_check`, `import_confirm`, `import_cancel`) are
service functions in `services_import`, shared with the imports API.
"""

import csv
import logging
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import Role
from regie.core.paging import paginate
from regie.signalling import tasks_import
from regie.signalling.forms_import import ConfirmForm, UploadForm
from regie.signalling.models import ImportRun
from regie.signalling.services_import import (
    ACTIVE,
    CANCELLABLE,
    COUNTS,
    can_confirm,
    import_cancel,
    import_check,
    import_confirm,
    import_upload,
)
from regie.signalling.services_import import file_rows as _file_rows
from regie.signalling.services_import import totals as _totals

logger = logging.getLogger(__name__)

S = ImportRun.Status
FINISHED = (S.DONE, S.REJECTED, S.FAILED)
PROBLEMS_SHOWN = 25


def _require_admin(user):
    if not user.is_authenticated or user.role != Role.ADMIN:
        raise Http404


def _run_for(user, pk: int) -> ImportRun:
    _require_admin(user)
    return get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)


# -- reading a run -----------------------------------------------------------------------------


def _outputs(run: ImportRun) -> dict[str, Path]:
    """The run's own output files (report, rejects) by name: the only files a download may serve."""
    folder = tasks_import.run_dir(run)
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


def _report(run: ImportRun) -> Path | None:
    if not run.report_path:
        return None
    path = Path(run.report_path)
    if not path.is_absolute():
        path = Path(settings.DATA_DIR) / path
    return _outputs(run).get(path.name)


def _problems(run: ImportRun, limit: int = PROBLEMS_SHOWN) -> tuple[list[dict], bool]:
    """The first `limit` problems of the report (as text, by column), and whether there are more."""
    path = _report(run)
    if path is None:
        return [], False
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            reader = csv.DictReader(fh, delimiter=delimiter)
            rows = list(islice(reader, limit + 1))
    except (OSError, UnicodeDecodeError, csv.Error):
        return [], False
    keys = ("file", "line", "column", "value", "reason", "fix", "level")
    return [{k: (r.get(k) or "") for k in keys} for r in rows[:limit]], len(rows) > limit


def _downloads(run: ImportRun) -> list[tuple[str, str]]:
    report = _report(run)
    out = []
    for name, path in _outputs(run).items():
        label = (
            _("Full report") if report is not None and path == report else _("Rejected rows: %(name)s") % {"name": name}
        )
        out.append((name, label))
    out.sort(key=lambda item: item[0] != (report.name if report else None))
    return out


# -- pages -------------------------------------------------------------------------------------


@login_required
def import_list(request):
    _require_admin(request.user)
    # Bound on every POST, an empty one too, so "no files" is an error rather than a blank form.
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        run = import_upload(files=d["files"], kind=d["kind"], accept_partial=d["accept_partial"], by=request.user)
        import_check(run=run, size=sum(f.size for f in d["files"]))
        if run.status == S.CHECKED and run.exit_code == 0:
            messages.success(request, _("Files checked. Look at what will change, then confirm the import."))
        elif run.status == S.CHECKED:
            messages.warning(request, _("Files checked: some rows have problems. See the problems below."))
        elif run.status == S.FAILED:
            messages.error(request, _("The files could not be used. See the problems below."))
        else:
            messages.info(request, _("Files uploaded. The check runs in the background."))
        return redirect("imports:detail", run.pk)
    page_obj = paginate(
        ImportRun.objects.select_related("created_by"), request.GET.get("page"), settings.REGIE_PAGE_SIZE
    )
    runs = list(page_obj)
    for run in runs:
        run.totals = _totals(run)
    return render(
        request,
        "signalling/import_list.html",
        {"form": form, "runs": runs, "page_obj": page_obj, "counts": COUNTS},
        status=400 if form.errors else 200,
    )


def _detail_context(run: ImportRun) -> dict:
    problems, more = _problems(run)
    return {
        "run": run,
        "files": _file_rows(run),
        "totals": _totals(run),
        "problems": problems,
        "more_problems": more,
        "downloads": _downloads(run),
        "report": _report(run),
        "active": run.status in ACTIVE,
        "can_confirm": can_confirm(run, accept_partial=run.accept_partial),
        "can_accept_partial": not run.accept_partial and can_confirm(run, accept_partial=True),
        "can_cancel": run.status in CANCELLABLE,
        "imported": tasks_import.wrote_data(run),
    }


@login_required
def import_detail(request, pk: int):
    run = _run_for(request.user, pk)
    return render(request, "signalling/import_detail.html", _detail_context(run))


@login_required
def import_progress(request, pk: int):
    """The progress bar, polled by htmx; once the run has finished the whole page is reloaded."""
    run = _run_for(request.user, pk)
    if run.status not in ACTIVE and request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "signalling/import_progress.html", {"run": run, "active": run.status in ACTIVE})


@login_required
@require_POST
def import_confirm_view(request, pk: int):
    run = _run_for(request.user, pk)
    form = ConfirmForm(request.POST)
    accept_partial = form.is_valid() and form.cleaned_data["accept_partial"]
    if not can_confirm(run, accept_partial=accept_partial):
        messages.error(request, _("This import can no longer be confirmed. Upload the files again."))
        return redirect("imports:detail", run.pk)
    import_confirm(run=run, accept_partial=accept_partial, by=request.user)
    messages.success(request, _("Import queued. You can leave this page; the import goes on."))
    return redirect("imports:detail", run.pk)


@login_required
@require_POST
def import_cancel_view(request, pk: int):
    run = _run_for(request.user, pk)
    if not import_cancel(run=run, by=request.user):
        messages.error(request, _("This import has already started and can no longer be cancelled."))
        return redirect("imports:detail", run.pk)
    messages.success(request, _("Import cancelled; the uploaded files were removed."))
    return redirect("imports:list")


@login_required
def import_download(request, pk: int, name: str):
    run = _run_for(request.user, pk)
    path = _outputs(run).get(name)
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"import-{run.pk}-{path.name}")  # noqa: SIM115

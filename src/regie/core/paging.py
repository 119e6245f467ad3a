"""Paging that learns the total from the page query itself (a window count), saving the separate
COUNT query and its compilation on the busiest lists."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.db.models.query import get_related_populators


class _Known(Sequence):
    """What Paginator needs: a length (the total) and the slice of the page asked for."""

    def __init__(self, rows: list, total: int, offset: int):
        self.rows, self.total, self.offset = rows, total, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item):
        if isinstance(item, slice):
            return self.rows[item.start - self.offset : item.stop - self.offset]
        return self.rows[item - self.offset]


def paginate(qs: QuerySet, page: str | int | None, per_page: int) -> Page:
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    if number < 1:
        return Paginator(qs, per_page).get_page(number)  # Django's answer: the last page
    offset = (number - 1) * per_page
    rows = list(qs.annotate(_total=Window(Count("pk")))[offset : offset + per_page])
    if rows:
        total = rows[0]._total
    elif number > 1:
        # Past the end (a stale link): fall back to the last page, as Paginator.get_page does.
        return Paginator(qs, per_page).get_page(number)
    else:
        total = 0
    return Paginator(_Known(rows, total, offset), per_page).get_page(number)


# -- a page query compiled once ------------------------------------------------------------------
#
# Compiling the caseload's page query (visibility, urgency subqueries, window count) cost the ORM
# more than PostgreSQL spent running it, on the page every professional opens all day. Its SQL
# depends only on what the caller puts in the key (the user, his role, the filter, the page, the
# day), so each worker compiles it once per key and runs the same SQL again; every condition is
# still evaluated by the database on each run, so the rows are always current. The key must name
# everything the SQL depends on: a missing part would serve another query's SQL.

_COMPILED: OrderedDict = OrderedDict()
_COMPILED_MAX = 512
_LOCK = threading.Lock()  # the development server answers in threads


def _compiled(key: tuple, build: Callable[[], QuerySet]):
    full_key = (connection.vendor, *key)
    with _LOCK:
        entry = _COMPILED.get(full_key)
        if entry is not None:
            _COMPILED.move_to_end(full_key)
            return entry
    qs = build()
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()  # also settles compiler.select, klass_info, annotations
    entry = (qs, compiler, sql, tuple(params))
    with _LOCK:
        _COMPILED[full_key] = entry
        while len(_COMPILED) > _COMPILED_MAX:
            _COMPILED.popitem(last=False)
    return entry


def compiled_rows(key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of `build()` (a `values_list` query), its SQL compiled once per `key` as above;
    values come back converted as the ORM would (dates are dates on SQLite too)."""
    _qs, compiler, sql, params = _compiled(key, build)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        rows = [r[: compiler.col_count] for r in rows]
    return [tuple(row) for row in compiler.results_iter([rows])]


def _instances(qs: QuerySet, compiler, rows: list) -> list:
    """Model instances from the compiler's rows, as Django's ModelIterable builds them (5.2)."""
    db = qs.db
    if compiler.has_extra_select:
        rows = [r[: compiler.col_count] for r in rows]
    select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
    model_cls = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    populators = get_related_populators(klass_info, select, db)
    out = []
    for row in compiler.results_iter([rows]):
        obj = model_cls.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for attr_name, col_pos in (annotation_col_map or {}).items():
            setattr(obj, attr_name, row[col_pos])
        out.append(obj)
    return out


def paginate_compiled(key: tuple, build: Callable[[], QuerySet], page: str | int | None, per_page: int) -> Page:
    """`paginate(build(), page, per_page)`, with the page query compiled once per `key`."""
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    if number < 1:
        return paginate(build(), page, per_page)
    offset = (number - 1) * per_page

    def page_query():
        return build().annotate(_total=Window(Count("pk")))[offset : offset + per_page]

    qs, compiler, sql, params = _compiled((*key, offset, per_page), page_query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = _instances(qs, compiler, cursor.fetchall())
    if not rows:
        # Past the end, or nothing at all: Django's answers (the last page, or an empty first).
        return paginate(build(), page, per_page)
    return Paginator(_Known(rows, rows[0]._total, offset), per_page).get_page(number)

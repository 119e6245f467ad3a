"""Paging that learns the total from the page query itself (a window count), saving the separate
COUNT query and its compilation on the busiest lists."""

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


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

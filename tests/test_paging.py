"""Paging with a window count: the same pages and totals as Django's Paginator, one query less."""

import pytest

from regie.core.paging import paginate
from regie.housing.models import Tenancy
from tests.factories import TenancyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", [None, "1", "2", "3", "99", "x", "-1"])
def test_matches_djangos_paginator(page):
    from django.core.paginator import Paginator

    TenancyFactory.create_batch(7)
    qs = Tenancy.objects.order_by("pk")
    ours, theirs = paginate(qs, page, 3), Paginator(qs, 3).get_page(page)
    assert [t.pk for t in ours] == [t.pk for t in theirs]
    assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
        theirs.number,
        theirs.paginator.count,
        theirs.paginator.num_pages,
    )
    assert (ours.has_next(), ours.has_previous()) == (theirs.has_next(), theirs.has_previous())


def test_empty_list_is_one_empty_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = paginate(Tenancy.objects.order_by("pk"), None, 3)
        assert list(page) == [] and page.paginator.count == 0


def test_one_query_for_a_full_page(django_assert_num_queries):
    TenancyFactory.create_batch(5)
    with django_assert_num_queries(1):
        page = paginate(Tenancy.objects.order_by("pk"), "1", 3)
        assert len(list(page)) == 3 and page.paginator.count == 5


@pytest.mark.parametrize("page", [None, "1", "2", "3", "99", "x", "-1"])
def test_the_compiled_page_query_matches_djangos_paginator(page):
    from django.core.paginator import Paginator

    from regie.core.paging import paginate_compiled

    TenancyFactory.create_batch(7)
    qs = Tenancy.objects.select_related("unit").order_by("pk")
    key = ("test-compiled", page)
    for _ in range(2):  # compiled on the first call, run again on the second
        ours, theirs = paginate_compiled(key, lambda: qs, page, 3), Paginator(qs, 3).get_page(page)
        assert [t.pk for t in ours] == [t.pk for t in theirs]
        assert [t.unit.street for t in ours] == [t.unit.street for t in theirs]  # related rows filled
        assert (ours.number, ours.paginator.count) == (theirs.number, theirs.paginator.count)


def test_a_compiled_page_query_still_reads_current_rows(django_assert_num_queries):
    """Compiled once, the SQL still runs each time: rows added or removed since show."""
    from regie.core.paging import _COMPILED, paginate_compiled

    first = TenancyFactory.create_batch(2)
    key = ("test-current",)

    def build():
        return Tenancy.objects.order_by("pk")

    assert [t.pk for t in paginate_compiled(key, build, None, 10)] == [t.pk for t in first]
    compiled = len(_COMPILED)
    added = TenancyFactory()
    first[0].delete()
    with django_assert_num_queries(1):  # no second compile, one query
        page = paginate_compiled(key, build, None, 10)
    assert [t.pk for t in page] == [first[1].pk, added.pk] and page.paginator.count == 2
    assert len(_COMPILED) == compiled

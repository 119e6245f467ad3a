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

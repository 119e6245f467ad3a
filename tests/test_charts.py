"""The household page's arrears chart: bars scale to the highest balance, and three months' rent
or more is marked."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from regie.housing.charts import arrears_bars


def snap(month, balance):
    return SimpleNamespace(date=date(2026, month, 1), balance=Decimal(balance))


def test_bars_scale_and_mark_three_months():
    chart = arrears_bars([snap(1, "-20"), snap(2, "650"), snap(3, "1950")], Decimal("650"), width=300, height=120)
    bars = chart["bars"]
    assert [b.high for b in bars] == [False, False, True]
    # 100 px of the 120 for bars (20 for the axis); the highest balance fills them.
    assert [float(b.height) for b in bars] == [0.0, 33.3, 100.0]
    assert [float(b.y) for b in bars] == [105.0, 71.7, 5.0]
    assert float(chart["rent_y"]) == 71.7  # one month's rent
    assert [b.label for b in bars] == ["01-26", "02-26", "03-26"]


def test_no_snapshots_no_bars():
    assert arrears_bars([], Decimal("650"))["bars"] == []


def test_svg_and_table_rows_show_every_snapshot():
    from django.utils import translation

    from regie.housing.charts import arrears_svg, arrears_table_rows

    snaps = [snap(1, "100"), snap(2, "1950")]
    with translation.override("nl"):
        svg = arrears_svg(arrears_bars(snaps, Decimal("650")))
        rows = arrears_table_rows(snaps)
    assert svg.count("<rect") == 2 and svg.count('class="bar high"') == 1
    assert "<title>02-26: € 1.950,00</title>" in svg
    assert rows.index("1-2-2026") < rows.index("1-1-2026")  # newest first
    assert "€ 100,00" in rows

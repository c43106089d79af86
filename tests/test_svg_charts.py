from maaltal.document import Chart, Series
from maaltal.render import svg_charts


def chart(kind="line", points=(("jan.", 2.0), ("feb.", 2.5), ("mar.", None), ("apr.", 2.6))):
    return Chart("c", "Bruttoledighed", kind, "pct.", (Series("Gladsaxe", points, True),
                                                       Series("Hele landet", (("jan.", 2.8), ("apr.", 2.9)))),
                 "Linjefigur over bruttoledigheden.")


def test_nice_ticks_cover_the_range():
    assert svg_charts.nice_ticks(1.9, 2.9) == [1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0]
    assert svg_charts.nice_ticks(0, 1584) == [0, 500, 1000, 1500, 2000]


def test_line_chart_is_accessible_and_breaks_at_gaps():
    svg = svg_charts.render(chart())
    assert svg.startswith("<svg") and 'role="img"' in svg and "<desc>Linjefigur" in svg
    assert svg.count("<polyline") == 3  # the highlighted series is split by its missing March
    assert "2,5" in svg and "Hele landet" in svg
    assert svg == svg_charts.render(chart())


def test_bar_and_waterfall():
    assert svg_charts.render(chart("bar")).count("<rect") >= 5
    bridge = Chart("w", "Budgetbro", "waterfall", "mio. kr.", (Series("Bro", (("Start", 1584.0), ("Pris", 10.6),
                   ("Mængde", -5.0), ("Slut", 1589.6))),), "Vandfaldsfigur.", decimals=1)
    svg = svg_charts.render(bridge)
    assert "+10,6" in svg and "−5,0" in svg and "1.589,6" in svg


def test_empty_chart_says_so():
    empty = Chart("e", "Tom", "line", "pct.", (Series("x", (("jan.", None),)),), "Ingen data.")
    assert "Ingen data til figuren" in svg_charts.render(empty)

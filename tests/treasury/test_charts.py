"""Server-drawn SVG charts: valid XML, accessible, labels escaped, bars proportional."""

import xml.etree.ElementTree as ET

import pytest

from treasury.charts import Series, horizontal_bars, stacked_bars

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def test_a_chart_is_an_accessible_image_without_script_or_external_fonts():
    markup = stacked_bars(title="Money received per day", categories=["1", "2"],
                          series=[Series("card", "Card", [10, 20], "#000")], empty="none")
    root = parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Money received per day"
    assert root.find(f"{SVG}title").text == "Money received per day"
    assert "<script" not in markup
    assert "@font-face" not in markup and "url(" not in markup and "href" not in markup


def test_stacked_bar_heights_are_proportional_to_their_values():
    root = parse(stacked_bars(
        title="t", categories=["a", "b", "c"],
        series=[Series("card", "Card", [100, 0, 250], "#111"),
                Series("va", "VA", [300, 50, 0], "#222")], empty="none"))
    found = bars(root)
    assert [(rect.get("data-series"), int(rect.get("data-value"))) for rect in found] == [
        ("card", 100), ("va", 300), ("va", 50), ("card", 250)]  # zeros draw nothing
    scale = float(found[0].get("height")) / 100
    for rect in found:  # drawn to a hundredth of a pixel
        assert float(rect.get("height")) == pytest.approx(scale * int(rect.get("data-value")),
                                                          abs=0.01)
    # The tallest stack (a: 400) fills the plot; its parts sit on top of each other.
    card_a, va_a = found[0], found[1]
    assert float(va_a.get("y")) + float(va_a.get("height")) == pytest.approx(
        float(card_a.get("y")))


def test_horizontal_bar_lengths_are_proportional_and_the_largest_fills_the_plot():
    root = parse(horizontal_bars(title="By permit type",
                                 rows=[("PBG", 1_807_500), ("SIUP", 602_500), ("None", 0)],
                                 empty="none", colour="#333"))
    widths = [float(rect.get("width")) for rect in bars(root)]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.02)  # a hundredth of a pixel each
    assert widths[2] == 0
    assert widths[0] == max(widths)


def test_labels_are_escaped_not_interpreted():
    label = '<script>alert("x")</script> & Co'
    markup = horizontal_bars(title=f"Chart {label}", rows=[(label, 5)], empty="none",
                             colour="#333")
    root = parse(markup)  # well-formed: nothing got through unescaped
    assert root.find(f".//{SVG}script") is None
    assert label in [text.text for text in root.iter(f"{SVG}text")]
    assert root.get("aria-label") == f"Chart {label}"


def test_an_empty_period_says_so_instead_of_drawing_bars():
    root = parse(stacked_bars(title="t", categories=["1", "2"],
                              series=[Series("card", "Card", [0, 0], "#000")],
                              empty="No money received in this period."))
    assert bars(root) == []
    assert "No money received in this period." in [text.text for text in root.iter(f"{SVG}text")]

"""Small bar charts drawn on the server as inline SVG: no JavaScript, no fonts downloaded, readable
by screen readers (``role="img"``, a title, and each bar's value in its own ``<title>``).

Every label is escaped here, so the markup returned is safe to insert into a page as it is.
Bar lengths are proportional to the values; the longest bar (or stack) fills the plot."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from licensing.formats import rupiah

FONT = 'font-family="system-ui, sans-serif"'  # the reader's own fonts, nothing to fetch
INK, MUTED, LINE = "#1d2733", "#5b6b7b", "#d8dee4"


@dataclass(frozen=True)
class Series:
    """One colour of a stacked chart: a value per category, in the categories' order."""

    key: str
    label: str
    values: list[int]
    colour: str


def _svg(*, title: str, width: int, height: int, body: list[str]) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 -- every text placed in the markup went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{label}" class="chart">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 11,
          colour: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{colour}" {FONT}>{escape(content)}</text>')


def _bar(*, x: float, y: float, width: float, height: float, colour: str, value: int,
         series: str, tooltip: str) -> str:
    return (f'<rect class="bar" x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" '
            f'height="{height:.2f}" fill="{colour}" data-series="{escape(series)}" '
            f'data-value="{value}"><title>{escape(tooltip)}</title></rect>')


def stacked_bars(*, title: str, categories: list[str], series: list[Series], empty: str,
                 width: int = 720, height: int = 260) -> SafeString:
    """Vertical bars, one per category, each stacked from its series' values (>= 0)."""
    top, bottom, left, right = 24, 56, 8, 8
    plot = height - top - bottom
    stacks = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(stacks, default=0)
    body = [f'<line x1="{left}" y1="{top + plot}" x2="{width - right}" y2="{top + plot}" '
            f'stroke="{LINE}"/>']
    if peak <= 0:
        body.append(_text(width / 2, top + plot / 2, empty, anchor="middle", colour=MUTED))
        return _svg(title=title, width=width, height=height, body=body)
    body.append(_text(left, top - 8, rupiah(peak), size=10, colour=MUTED))
    slot = (width - left - right) / max(len(categories), 1)
    for index, category in enumerate(categories):
        x, base = left + index * slot + slot * 0.15, top + plot
        for item in series:
            value = item.values[index]
            if value <= 0:
                continue
            length = plot * value / peak
            base -= length
            body.append(_bar(x=x, y=base, width=slot * 0.7, height=length, colour=item.colour,
                             value=value, series=item.key,
                             tooltip=f"{category} · {item.label}: {rupiah(value)}"))
        body.append(_text(x + slot * 0.35, top + plot + 14, category, anchor="middle",
                          size=10))
    legend_x = left
    for item in series:
        body.append(f'<rect x="{legend_x}" y="{height - 18}" width="10" height="10" '
                    f'fill="{item.colour}"/>')
        body.append(_text(legend_x + 14, height - 9, item.label, size=11))
        legend_x += 24 + 7 * len(item.label)
    return _svg(title=title, width=width, height=height, body=body)


def horizontal_bars(*, title: str, rows: list[tuple[str, int]], empty: str, colour: str,
                    width: int = 720) -> SafeString:
    """One horizontal bar per (label, value >= 0), labels on the left, amounts at the bars' end."""
    row_height, top, label_width, value_width = 26, 8, 240, 130
    height = top * 2 + row_height * max(len(rows), 1)
    plot = width - label_width - value_width
    peak = max((value for _label, value in rows), default=0)
    if peak <= 0:
        return _svg(title=title, width=width, height=height,
                    body=[_text(width / 2, height / 2 + 4, empty, anchor="middle",
                                colour=MUTED)])
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        length = plot * max(value, 0) / peak
        body.append(_text(label_width - 8, y + row_height * 0.65, label, anchor="end"))
        body.append(_bar(x=label_width, y=y + 4, width=length, height=row_height - 8,
                         colour=colour, value=value, series=label,
                         tooltip=f"{label}: {rupiah(value)}"))
        body.append(_text(label_width + length + 6, y + row_height * 0.65, rupiah(value),
                          size=10, colour=MUTED))
    return _svg(title=title, width=width, height=height, body=body)

"""The monthly evaluation's charts, drawn here as SVG (no JavaScript, no fonts fetched), for the
PDF and the page alike: WeasyPrint draws inline SVG itself.

Every label is escaped here, so the markup returned is safe to insert as it is. Bars are
proportional to their values; the longest fills the plot."""

from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="DejaVu Sans, system-ui, sans-serif"'
INK, MUTED, LINE = "#1d2733", "#5b6b7b", "#d8dee4"
THIS_MONTH, MONTH_BEFORE = "#1f5f3f", "#b8c4cf"


def _svg(*, title: str, width: int, height: int, body: list[str]) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 -- every text placed in the markup went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{label}" class="chart">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 10,
          colour: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{colour}" {FONT}>{escape(content)}</text>')


def _bar(*, x: float, y: float, width: float, height: float, colour: str, value,
         tooltip: str) -> str:
    return (f'<rect class="bar" x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" '
            f'height="{height:.2f}" fill="{colour}" data-value="{escape(str(value))}">'
            f"<title>{escape(tooltip)}</title></rect>")


def paired_bars(*, title: str, rows: list[tuple[str, float, float]], legend: tuple[str, str],
                empty: str, width: int = 640) -> SafeString:
    """Per row (label, this month, the month before): two horizontal bars, this month on top,
    with each value written at its bar's end. Values must be >= 0."""
    row_height, top, label_width, value_width = 34, 22, 200, 60
    height = top + row_height * max(len(rows), 1) + 8
    plot = width - label_width - value_width
    peak = max((max(now, before) for _label, now, before in rows), default=0)
    body = [
        f'<rect x="{label_width}" y="4" width="10" height="10" fill="{THIS_MONTH}"/>',
        _text(label_width + 14, 13, legend[0]),
        f'<rect x="{label_width + 150}" y="4" width="10" height="10" fill="{MONTH_BEFORE}"/>',
        _text(label_width + 164, 13, legend[1]),
    ]
    if peak <= 0:
        body.append(_text(width / 2, top + row_height / 2, empty, anchor="middle",
                          colour=MUTED))
        return _svg(title=title, width=width, height=height, body=body)
    for index, (label, now, before) in enumerate(rows):
        y = top + index * row_height
        body.append(f'<line x1="{label_width}" y1="{y:.1f}" x2="{label_width}" '
                    f'y2="{y + row_height - 6:.1f}" stroke="{LINE}"/>')
        body.append(_text(label_width - 6, y + row_height * 0.45, label, anchor="end"))
        for offset, value, colour in ((2, now, THIS_MONTH), (15, before, MONTH_BEFORE)):
            length = plot * value / peak
            body.append(_bar(x=label_width, y=y + offset, width=length, height=11,
                             colour=colour, value=value, tooltip=f"{label}: {value}"))
            body.append(_text(label_width + length + 4, y + offset + 9, _number(value),
                              size=9, colour=MUTED))
    return _svg(title=title, width=width, height=height, body=body)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)

"""Treasury pages: the dashboard (collections, open bills and their age, exceptions, refunds)."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from treasury.access import treasury_required
from treasury.charts import Series, horizontal_bars, stacked_bars
from treasury.selectors.dashboard import Dashboard, Period, dashboard_get
from treasury.states import LedgerMethod

METHOD_COLOURS = {LedgerMethod.CARD: "#0b5d3b", LedgerMethod.VA: "#2f6db5",
                  LedgerMethod.QRIS: "#c07a12", LedgerMethod.COUNTER: "#7a4fa3"}


def _by_method(periods: list[Period]) -> list[Series]:
    return [Series(method.value, method.label, [period.by_method[method] for period in periods],
                   METHOD_COLOURS[method]) for method in LedgerMethod]


def _charts(board: Dashboard) -> dict:
    empty = _("No money received in this period.")
    return {
        "daily_chart": stacked_bars(
            title=_("Money received per day in the last 30 days, by payment method"),
            categories=[str(period.start.day) for period in board.daily],
            series=_by_method(board.daily), empty=empty),
        "weekly_chart": stacked_bars(
            title=_("Money received per ISO week, by payment method"),
            categories=[period.iso_week.split("-")[1] for period in board.weekly],
            series=_by_method(board.weekly), empty=empty),
        "permit_type_chart": horizontal_bars(
            title=_("Money received in the last 30 days, by permit type"),
            rows=[(row.label, row.amount) for row in board.by_permit_type], empty=empty,
            colour=METHOD_COLOURS[LedgerMethod.CARD]),
    }


@treasury_required
def dashboard(request):
    board = dashboard_get()
    return render(request, "treasury/dashboard.html", {"board": board, **_charts(board)})


urlpatterns = [
    path("", dashboard, name="dashboard"),
]

"""TEMPORARY scaffolding while the treasury's areas are built; each area replaces its entries."""

from django.http import HttpResponse

from payments.treasury.access import treasury_required


@treasury_required
def placeholder(request, *args, **kwargs):
    return HttpResponse("")

"""Pages anyone may read without signing in: the service standards, the live statistics and the
public register of permits. Each parses its input and calls one selector."""

from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluation import public
from evaluation.forms_public import PageKeyForm, RegisterSearchForm
from evaluation.public_statistics import public_statistics


@require_GET
def standard_list(request):
    return render(request, "evaluation/public/standard_list.html",
                  {"permit_types": public.service_standard_list()})


@require_GET
def standard_detail(request, code: str):
    standard = public.service_standard_get(code=code)
    # The names the shared includes (the catalogue's journey, the tariff) read.
    return render(request, "evaluation/public/standard_detail.html", {
        "standard": standard,
        "permit_type": standard.permit_type,
        "documents": standard.documents,
        "steps": standard.steps,
        "fee_rules": standard.fee_rules,
        "fee_example": standard.fee_example,
    })


@require_GET
def statistics(request):
    return render(request, "evaluation/public/statistics.html",
                  {"statistics": public_statistics()})


def _page_link(search: QueryDict, **key) -> str:
    query = search.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    query.update(key)
    return "?" + query.urlencode()


@require_GET
def register(request):
    form = RegisterSearchForm(request.GET)
    keys = PageKeyForm(request.GET)
    page = None
    if form.is_valid() and keys.is_valid():
        page = public.permit_register_page(after=keys.cleaned_data["after"],
                                           before=keys.cleaned_data["before"],
                                           **form.filters())
    search = QueryDict(mutable=True)
    if form.is_valid():
        search.update({name: value for name, value in request.GET.items()
                       if name in form.fields and value})
    return render(request, "evaluation/public/register.html", {
        "form": form,
        "page": page,
        "keys_refused": not keys.is_valid(),
        "next_url": _page_link(search, after=page.next_after)
        if page and page.next_after else "",
        "previous_url": _page_link(search, before=page.previous_before)
        if page and page.previous_before else "",
        "first_url": _page_link(search) if page and page.previous_before else "",
    }, status=200 if page else 400)

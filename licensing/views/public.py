"""Pages anyone may read: the home page and the permit catalogue, built from live configuration."""

from django.shortcuts import render

from licensing import selectors
from payments import selectors as payment_selectors


def home(request):
    return render(request, "licensing/home.html",
                  {"permit_types": selectors.permit_type_list_public()})


def catalogue(request):
    return render(request, "licensing/catalogue.html",
                  {"permit_types": selectors.permit_type_list_public()})


def catalogue_detail(request, code: str):
    permit_type = selectors.permit_type_get_public(code=code)
    steps = list(permit_type.review_steps.all())
    return render(request, "licensing/catalogue_detail.html", {
        "permit_type": permit_type,
        "documents": permit_type.required_documents.all(),
        "fields": permit_type.form_fields.all(),
        "steps": steps,
        "fee_rules": payment_selectors.fee_rules_in_words(permit_type=permit_type),
    })

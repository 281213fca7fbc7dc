"""Pages anyone may read: the home page, the permit catalogue and each permit's help page, built
from live configuration, and how to reach the office."""

from django.shortcuts import render

from licensing import selectors
from licensing.contact import office_contact
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


def permit_type_help(request, code: str):
    """How to apply for one permit, in plain words: what to prepare, the steps, the cost and the
    service standard, all read from the configuration the office keeps."""
    permit_type = selectors.permit_type_get_public(code=code)
    return render(request, "licensing/permit_type_help.html", {
        "permit_type": permit_type,
        "documents": permit_type.required_documents.all(),
        "fields": permit_type.form_fields.all(),
        "steps": list(permit_type.review_steps.all()),
        "fee_rules": payment_selectors.fee_rules_in_words(permit_type=permit_type),
        "fee_example": payment_selectors.fee_worked_example(permit_type=permit_type),
        "contact": office_contact(),
    })


def contact(request):
    return render(request, "licensing/contact.html", {"contact": office_contact()})

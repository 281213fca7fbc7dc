import pytest
from django.utils import translation

from licensing.forms import AnswersForm
from tests.factories import FormFieldFactory, PermitTypeFactory


@pytest.mark.django_db
def test_a_limit_reads_as_the_clerk_wrote_it():
    permit_type = PermitTypeFactory()
    FormFieldFactory(permit_type=permit_type, key="floors", kind="number", max_value=60)
    form = AnswersForm({"floors": "61"}, permit_type=permit_type, answers={})
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["floors"] == ["Ensure this value is less than or equal to 60."]

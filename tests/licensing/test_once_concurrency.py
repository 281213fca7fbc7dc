"""Two identical form posts at the same moment (a double click on a slow phone connection):
they meet at the token's unique index, and exactly one application is started."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from licensing.models import Application
from tests.factories import BusinessFactory, PermitTypeFactory, UserFactory
from tests.portal import post


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_of_one_form_start_one_application():
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    url = reverse("application_start", args=[PermitTypeFactory().code])
    posts = 4
    barrier = threading.Barrier(posts)
    statuses, locations = [], []

    def submit():
        client = Client()
        client.force_login(owner)
        try:
            barrier.wait()
            response = post(client, url, {"business": business.pk}, token="same-form")
            statuses.append(response.status_code)
            locations.append(response.get("Location"))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Application.objects.count() == 1
    assert statuses == [302] * posts
    application = Application.objects.get()
    assert set(locations) == {reverse("application_edit", args=[application.pk])}

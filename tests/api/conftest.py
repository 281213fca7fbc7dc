import uuid

import pytest

from api.keys import api_key_issue


class Caller:
    """The Django test client speaking as one API key."""

    def __init__(self, client, raw: str, key):
        self.client, self.raw, self.key = client, raw, key

    def _headers(self, language: str, idempotency_key: str | None, method: str) -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.raw}", "HTTP_ACCEPT_LANGUAGE": language}
        if method == "post":
            headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key or uuid.uuid4().hex
        return headers

    def get(self, path, *, language="en", **params):
        return self.client.get(path, params, **self._headers(language, None, "get"))

    def post(self, path, data=None, *, language="en", idempotency_key=None, multipart=False):
        headers = self._headers(language, idempotency_key, "post")
        if multipart:
            return self.client.post(path, data or {}, **headers)
        return self.client.post(path, data or {}, content_type="application/json", **headers)


@pytest.fixture
def api_caller(client, db):
    def make(*scopes, businesses=(), **kwargs):
        key, raw = api_key_issue(name=f"System {uuid.uuid4().hex[:6]}", scopes=list(scopes),
                                 businesses=list(businesses), **kwargs)
        return Caller(client, raw, key)
    return make

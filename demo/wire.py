"""The way to the sandbox gateway while the demo is being written: the gateway client's requests
go to this process's own Django application, in this thread, without a socket.

Why not a server on a port: the seed is one database transaction (and in a test, the test's
transaction holds it), so a server thread on its own connection would not see the rows the
seed has just written, and with SQLite it would wait for the seed's write lock. Here the request
is the real client's, byte for byte, through Django's real WSGI handler, URLs, middleware and
the sandbox's API views, on the seed's connection.

Django's handler closes "old" connections when a request starts and ends, which inside a
transaction would end the transaction; that is held off while a request is served, as Django's
own test client does.
"""

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

import requests
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers


@contextmanager
def _connection_kept() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _environ(request: requests.PreparedRequest) -> dict:
    url = urlsplit(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(url.path, encoding="latin-1"),
        "QUERY_STRING": url.query,
        "SERVER_NAME": url.hostname or "localhost",
        "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ[key] = value
        elif key != "CONTENT_LENGTH":  # the body's own length is the one that counts
            environ[f"HTTP_{key}"] = value
    environ["HTTP_HOST"] = url.netloc
    return environ


class InProcessAdapter(BaseAdapter):
    """A ``requests`` transport that hands each request to this process's WSGI application."""

    def __init__(self):
        super().__init__()
        self._application = WSGIHandler()

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers

        with _connection_kept():
            body = self._application(_environ(request), start_response)
            try:
                content = b"".join(body)
            finally:
                body.close()
        response = requests.Response()
        code, _space, reason = answer["status"].partition(" ")
        response.status_code, response.reason = int(code), reason
        response.headers = CaseInsensitiveDict(answer["headers"])
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = content
        response.url, response.request = request.url, request
        return response

    def close(self):
        pass


def in_process_session() -> requests.Session:
    """A session whose every request is served by this process."""
    session = requests.Session()
    adapter = InProcessAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session

"""gunicorn's settings for `make serve` (Procfile: ``gunicorn -c config/gunicorn.py``)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Above every budget a request spends waiting on others (the gateway's is 8 s).
timeout = 30
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows for weeks.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
# One JSON object a line, like the application's own logs (operations/logs.py), with the
# request id the response carries.
access_log_format = (
    '{"time": "%(t)s", "level": "INFO", "logger": "gunicorn.access", "event": "http_request", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": %(B)s, '
    '"duration_us": %(D)s, "request_id": "%({x-request-id}o)s", "remote": "%(h)s"}'
)

"""Log lines as JSON, one object a line, for a log shipper to read without parsing prose.

Izin's messages are already events (``permit_issued permit_id=…``); the first word becomes
``event``. Secrets and personal data never reach a log line in the first place.
"""

import json
import logging
import re
from datetime import UTC, datetime

# Izin's own lines start with an event name; anything else (a library's prose) is a "message".
_EVENT = re.compile(r"^[a-z][a-z0-9_]+(?= |$)")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": match.group(0) if (match := _EVENT.match(message)) else "message",
            "message": message,
            "request_id": getattr(record, "request_id", ""),
            "process": record.process,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)

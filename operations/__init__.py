"""Running Izin: whether a process is alive and ready (/healthz, /readyz), request ids carried
from the web into the tasks it queues, logs as JSON lines, tasks that failed for good shown to
the administrator, and the release check. Nothing imports operations; it may import every app
but the demo."""

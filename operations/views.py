from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from operations.readiness import readiness


@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request):
    """The process answers. Nothing else is asked: a dead database must not get the process
    restarted, only taken out of the load balancer (``readyz``)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
@transaction.non_atomic_requests
def readyz(request):
    """Database, broker, cache, private storage and the signing keys, each usable now: 200, or
    503 with the ones that are not."""
    checks = readiness()
    ready = all(check.ok for check in checks)
    return JsonResponse(
        {"status": "ready" if ready else "not_ready",
         "checks": {check.name: ("ok" if check.ok else check.detail) for check in checks}},
        status=200 if ready else 503,
    )

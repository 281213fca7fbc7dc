"""``/healthz`` and ``/readyz`` answered before the host check and the HTTPS redirect: a load
balancer probes each node by its own address, over plain HTTP, with any Host header."""

from operations import views

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe is not None else self.get_response(request)

"""Who is asking, behind the reverse proxies of a deployment: the address rate limits count.

Only a proxy the deployment trusts (``TRUSTED_PROXIES``: addresses or networks) may say who its
client was, in ``X-Forwarded-For``; Izin takes the right-most address there that is not one of
its own proxies. Anything a client wrote further left is its own claim and is ignored.
"""

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False)
               for network in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(remote):
        return remote
    # Bounded before it is read: a proxy chain is a handful of hops, never kilobytes.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")[:1024].split(",")
    for hop in reversed(forwarded):
        hop = hop.strip()
        if hop and not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage from a client: count it against the proxy's address
    return remote

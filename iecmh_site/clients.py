"""Who is asking: the one client-address function for lock-outs, rate limits and logs.

PROXY_COUNT is the number of trusted reverse proxies in front of the app, each appending the
address it received the request from to X-Forwarded-For. With none, every X-Forwarded-*
header is ignored (a visitor can write anything there); with N, the client is the address
the outermost trusted proxy saw: the N-th entry from the right. Entries further left were
written by the client and are never trusted.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.PROXY_COUNT <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote  # reached the app without passing every proxy: use the socket
    candidate = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

"""The client address django-axes counts failed sign-ins against."""

from newsletter.ratelimit import client_ip as _site_client_ip


def client_ip(request):
    """The same address the rest of the site uses, so X-Forwarded-For cannot be spoofed.

    Only our own proxies (TRUSTED_PROXY_COUNT) are believed; an attacker who sends
    their own X-Forwarded-For header cannot dodge the per-address lockout with it.
    """
    return _site_client_ip(request)

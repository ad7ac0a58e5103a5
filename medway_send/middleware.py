"""Response headers that Django's SecurityMiddleware does not set itself."""

import base64
import hashlib
import re

# No inline script anywhere, no third-party origins, no framing.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# The admin's rich-text editor loads its ES modules through an inline
# <script type="importmap">. Rather than allow inline script, we allow exactly
# that map, by hash, on admin pages only.
_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def _importmap_hashes(content):
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in _IMPORTMAP.findall(content)
    ]


def build_policy(extra_script_sources=(), *, admin=False):
    """Return the Content-Security-Policy header value."""
    directives = dict(CONTENT_SECURITY_POLICY)
    if extra_script_sources:
        directives["script-src"] = [*directives["script-src"], *extra_script_sources]
    if admin:
        # The newsletter preview shows the email in a sandboxed frame of our own.
        directives["frame-src"] = ["'self'"]
        # The rich text editor styles its toolbar with inline styles. Styles cannot
        # run code, and this applies to signed-in staff pages only, never public ones.
        directives["style-src"] = ["'self'", "'unsafe-inline'"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeadersMiddleware:
    """Add CSP, CORP and Permissions-Policy to every response, static files included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        extra = ()
        admin = request.path.startswith("/admin/")
        if (
            admin
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
        ):
            extra = _importmap_hashes(response.content)
        response.setdefault("Content-Security-Policy", build_policy(extra, admin=admin))
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

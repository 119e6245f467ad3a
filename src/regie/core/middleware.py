"""Security headers for every response: a strict Content-Security-Policy (no inline scripts or
styles, nothing from another host) and no caching of pages that carry personal data; and a cap on
the size of a request body, refused before anything reads it.

HSTS, X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy come from Django's
SecurityMiddleware, X-Frame-Options from its clickjacking middleware (settings.py).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'none'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Nothing of ours is meant to be embedded or fetched by another site.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            # Every page may carry personal data; a shared or back-buttoned browser must not keep it.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than REGIE_MAX_REQUEST_BYTES with 413.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files, which it streams to
    disk; without a cap one request could fill the disk. The per-file limits with their own
    messages are in core/uploads.py; this is the outer fence (the TLS proxy should have one too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REGIE_MAX_REQUEST_BYTES
        if length > limit:
            message = _("The upload is too large: at most %(max)s per request.") % {"max": filesizeformat(limit)}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

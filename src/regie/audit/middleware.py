"""Sets the access context (address, channel) for each request and writes refused reads."""

from regie.audit import context
from regie.audit.services import flush_denied


class AccessContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = context.activate(context.AccessContext(channel=channel, ip_address=request.META.get("REMOTE_ADDR")))
        try:
            response = self.get_response(request)
            flush_denied()
            return response
        finally:
            context.deactivate(token)

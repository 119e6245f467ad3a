"""The learning API; its routes are included under /api/ by regie.api_urls."""

urlpatterns: list = []

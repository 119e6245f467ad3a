"""The REST API: households and cases under the same need-to-know rules as the web app."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from regie.cases.api import CaseViewSet
from regie.housing.api import HouseholdViewSet
from regie.signalling.api import SignalViewSet
from regie.signalling.api_imports import ImportViewSet

# Path converters (`<int:pk>`), not regexes: the schema then knows the ids are integers.
router = SimpleRouter(use_regex_path=False)
router.register("households", HouseholdViewSet, basename="api-household")
router.register("cases", CaseViewSet, basename="api-case")
router.register("signals", SignalViewSet, basename="api-signal")
router.register("imports", ImportViewSet, basename="api-import")

urlpatterns = [
    path("", include("regie.network.api_urls")),
    path("", include("regie.plans.api_urls")),
    path("", include("regie.mandate.api_urls")),
    path("", include("regie.meetings.api_urls")),
    path("", include("regie.learning.api_urls")),
    path("", include("regie.results.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]

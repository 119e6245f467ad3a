"""The network API; its routes are included under /api/ by regie.api_urls.

/api/organisations/ (the directory), /api/cases/<id>/consents/ and /api/cases/<id>/referrals/:
nested under the case so its need-to-know rules apply to every call.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from regie.network.api import CaseConsentViewSet, CaseReferralViewSet, OrganisationViewSet

router = SimpleRouter(use_regex_path=False)
router.register("organisations", OrganisationViewSet, basename="api-organisation")

urlpatterns = [
    path(
        "cases/<int:case_pk>/consents/",
        CaseConsentViewSet.as_view({"get": "list", "post": "create"}),
        name="api-case-consents",
    ),
    path(
        "cases/<int:case_pk>/consents/<int:pk>/withdraw/",
        CaseConsentViewSet.as_view({"post": "withdraw"}),
        name="api-case-consent-withdraw",
    ),
    path(
        "cases/<int:case_pk>/referrals/",
        CaseReferralViewSet.as_view({"get": "list", "post": "create"}),
        name="api-case-referrals",
    ),
    path(
        "cases/<int:case_pk>/referrals/<int:pk>/transition/",
        CaseReferralViewSet.as_view({"post": "transition"}),
        name="api-case-referral-transition",
    ),
    *router.urls,
]

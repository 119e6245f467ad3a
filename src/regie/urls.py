from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from regie.accounts import urls as account_urls
from regie.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("inloggen/", account_urls.login, name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("regie.accounts.urls")),
    path("huishoudens/", include("regie.housing.urls")),
    path("casussen/", include("regie.cases.urls")),
    path("toegangslog/", include("regie.audit.urls")),
    path("signalen/", include("regie.signalling.urls_inbox")),
    path("vroegsignalering/", include("regie.signalling.urls_wgs")),
    path("beheer/detectie/", include("regie.signalling.urls_rules")),
    path("beheer/import/", include("regie.signalling.urls_import")),
    path("netwerk/", include("regie.network.urls")),
    path("plan/", include("regie.plans.urls")),
    path("nazorg/", include("regie.plans.urls_aftercare")),
    path("mandaat/", include("regie.mandate.urls")),
    path("overleg/", include("regie.meetings.urls")),
    path("leren/", include("regie.learning.urls")),
    path("resultaten/", include("regie.results.urls")),
    path("privacy/", include("regie.privacy.urls")),
    path("taal/", set_language, name="set_language"),
    path("api/", include("regie.api_urls")),
]

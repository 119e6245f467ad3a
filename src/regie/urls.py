from django.urls import include, path
from django.views.i18n import set_language

from regie.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("regie.accounts.urls")),
    path("huishoudens/", include("regie.housing.urls")),
    path("casussen/", include("regie.cases.urls")),
    path("toegangslog/", include("regie.audit.urls")),
    path("taal/", set_language, name="set_language"),
    path("api/", include("regie.api_urls")),
]

"""Public transparency, at /public/: no login."""

from django.urls import path, re_path

from evaluation import views_public as views

app_name = "public"
urlpatterns = [
    path("standards/", views.standard_list, name="standard_list"),
    # A permit type's code as ``PermitType.code`` allows it: nothing longer reaches the database.
    re_path(r"^standards/(?P<code>[A-Z][A-Z0-9]{1,11})/$", views.standard_detail,
            name="standard_detail"),
    path("statistics/", views.statistics, name="statistics"),
    path("register/", views.register, name="register"),
]

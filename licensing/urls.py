from django.contrib.auth import views as auth_views
from django.urls import path

from licensing.views import accounts, applications, businesses, counter, permits, public

urlpatterns = [
    path("", public.home, name="home"),
    path("catalogue/", public.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", public.catalogue_detail, name="catalogue_detail"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", applications.dashboard, name="dashboard"),
    path("businesses/new/", businesses.business_register, name="business_register"),
    path("businesses/<int:pk>/", businesses.business_detail, name="business_detail"),
    path("invitations/<str:token>/", businesses.invitation_accept, name="invitation_accept"),
    path("applications/new/<str:code>/", applications.application_start,
         name="application_start"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", applications.application_submit,
         name="application_submit"),
    path("applications/<int:pk>/resubmit/", applications.application_resubmit,
         name="application_resubmit"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw,
         name="application_withdraw"),
    path("permits/", permits.permit_list, name="permit_list"),
    path("permits/register/", permits.permit_register, name="permit_register"),
    path("permits/<int:pk>/", permits.permit_detail, name="permit_detail"),
    path("permits/<int:pk>/<slug:action>/", permits.permit_act, name="permit_act"),
    path("counter/", counter.counter_intake, name="counter_intake"),
    path("counter/businesses/new/", counter.counter_business_register,
         name="counter_business_register"),
]

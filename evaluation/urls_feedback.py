"""The survey and complaints, at /feedback/."""

from django.urls import path, re_path

from evaluation import views_feedback as views

app_name = "feedback"
urlpatterns = [
    path("survey/thanks/", views.survey_thanks, name="survey_thanks"),
    path("survey/application/<int:pk>/", views.survey_for_application,
         name="survey_application"),
    # The token's alphabet and length (secrets.token_urlsafe(24) is 32 characters), bounded.
    re_path(r"^survey/(?P<token>[A-Za-z0-9_-]{16,64})/$", views.survey_by_token,
            name="survey_token"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/anonymous/", views.complaint_new_anonymous, name="complaint_anonymous"),
    path("complaints/received/", views.complaint_received, name="complaint_received"),
    path("complaints/mine/", views.complaint_mine, name="complaint_mine"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/answer/", views.complaint_answer_view, name="complaint_answer"),
]

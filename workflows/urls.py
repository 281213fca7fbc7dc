from django.urls import path

from workflows import views

# No namespace: the site's navigation links to "inbox" by its plain name.
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("overview/", views.overview, name="review_overview"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/claim/", views.task_claim, name="task_claim"),
    path("tasks/<int:pk>/release/", views.task_release, name="task_release"),
    path("tasks/<int:pk>/decide/", views.task_decide, name="task_decide"),
    path("tasks/<int:pk>/inspection/", views.task_inspection, name="task_inspection"),
    path("tasks/<int:pk>/photos/", views.inspection_photo_upload, name="inspection_photo_upload"),
]

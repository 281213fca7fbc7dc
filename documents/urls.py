from django.urls import path

from documents import views

urlpatterns = [
    path("applications/<int:pk>/documents/<int:requirement_pk>/", views.attachment_upload,
         name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("permits/<int:pk>/pdf/", views.permit_download, name="permit_download"),
]

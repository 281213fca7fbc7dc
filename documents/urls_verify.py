"""Public verification, mounted at /verify/. Permit numbers contain slashes: the last pattern
takes the whole path."""

from django.urls import path

from documents import views_verify

urlpatterns = [
    path("keys/ed25519.pub", views_verify.public_key, name="verify_public_key"),
    path("revoked.json", views_verify.revoked_list, name="verify_revoked"),
    path("<path:number>/", views_verify.verify_permit, name="verify_permit"),
]

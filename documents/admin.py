from django.contrib import admin

from documents.models import Signer


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "nip", "is_active")
    list_filter = ("is_active",)

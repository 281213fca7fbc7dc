from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.celery import app as celery_app
from operations.models import FailedTask


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ("task_name", "exception", "failed_at", "resent_at", "request_id")
    list_filter = ("task_name", "exception")
    search_fields = ("task_id", "task_name", "request_id")
    readonly_fields = [field.name for field in FailedTask._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (every task is safe to run twice)"))
    def send_again(self, request, queryset):
        sent = 0
        for failed in queryset:
            task = celery_app.tasks.get(failed.task_name)
            if task is None:
                continue
            failed.resent_at = timezone.now()
            failed.save(update_fields=["resent_at"])
            try:
                task.apply_async(args=failed.args, kwargs=failed.kwargs)
            except Exception:  # run at once, as there is no broker: it failed again
                self.message_user(request, _("%(task)s failed again.") % {"task": failed},
                                  messages.ERROR)
                continue
            sent += 1
        self.message_user(request, _("%(count)d task(s) sent again.") % {"count": sent},
                          messages.SUCCESS)

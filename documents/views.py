"""Uploading evidence for an application and downloading it again, always through checks of who is
asking. There are no public media URLs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import selectors as document_selectors
from documents import services
from documents.forms import AttachmentUploadForm
from documents.uploads import FORMAT_MIME, UploadRefused
from licensing import selectors
from licensing.once import once
from workflows.machine import TransitionRefused


@login_required
@require_POST
@once
def attachment_upload(request, pk: int, requirement_pk: int):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    requirement = selectors.requirement_get_for_application(application=application,
                                                            pk=requirement_pk)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload for %(document)s.")
                       % {"document": requirement.name})
        return redirect("application_detail", pk=application.pk)
    try:
        attachment = services.attachment_upload(
            application=application, requirement=requirement, actor=request.user,
            uploaded_file=form.cleaned_data["file"],
        )
    except (UploadRefused, TransitionRefused) as refused:
        messages.error(request, _("%(document)s was not stored: %(reason)s")
                       % {"document": requirement.name, "reason": refused.message})
    else:
        messages.success(request, _("%(document)s: version %(version)s is stored.")
                         % {"document": requirement.name, "version": attachment.version})
    return redirect("application_detail", pk=application.pk)


@login_required
def attachment_download(request, pk: int):
    attachment = document_selectors.attachment_get_for_user(user=request.user, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=FORMAT_MIME[attachment.file_format],
    )
    # Never let a browser guess a type and render an upload inline; never keep it in shared caches.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def permit_download(request, pk: int):
    permit = selectors.permit_get_for_user(user=request.user, pk=pk)
    response = FileResponse(
        permit.file.open("rb"), as_attachment=True, content_type="application/pdf",
        filename=f"izin-{permit.number.replace('/', '-')}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

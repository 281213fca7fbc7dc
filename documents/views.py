"""Uploading evidence for an application and downloading it again, always through checks of who is
asking. There are no public media URLs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.body_limit import body_limit
from documents import selectors as document_selectors
from documents import services
from documents.forms import AttachmentUploadForm
from documents.uploads import FORMAT_MIME, UploadRefused, too_large
from licensing import selectors
from licensing.once import once
from workflows.machine import TransitionRefused


def _back_to_document(application_pk: int, requirement_pk: int):
    """The application page at the document's card, not at its top."""
    return redirect(reverse("application_detail", args=[application_pk])
                    + f"#document-{requirement_pk}")


def _unread_upload(request, declared: int, pk: int, requirement_pk: int):
    """A file larger than any document takes, refused from its declared size before a byte is
    read (config/body_limit.py): back to the document's card, saying how large it was. Nothing
    is read or changed, so no sign-in or form token is needed for this answer."""
    requirement = document_selectors.required_document_find(pk=requirement_pk)
    if requirement is None:
        return redirect("application_detail", pk=pk)
    refused = too_large(size=declared, accepted_formats=requirement.accepted_formats,
                        max_bytes=requirement.max_size_kb * 1024)
    messages.error(request, _("%(document)s was not stored: %(reason)s")
                   % {"document": requirement.name, "reason": refused.message})
    return _back_to_document(pk, requirement.pk)


# Outermost: the middleware reads it. No requirement takes more than the largest one's limit; a
# file between its own limit and that is read to its limit only and refused with its real size.
@body_limit(document_selectors.largest_document_bytes, refused=_unread_upload)
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
        return _back_to_document(application.pk, requirement.pk)
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
    return _back_to_document(application.pk, requirement.pk)


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

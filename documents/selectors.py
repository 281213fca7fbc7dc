"""Reads about uploaded evidence: an application's documents with their versions, what a
reviewer asked to replace, and one file for someone allowed to see it (else 404)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max
from django.shortcuts import get_object_or_404

from documents.models import Attachment
from licensing.models import Application, RequiredDocument
from licensing.selectors import applications_visible_to
from licensing.states import ApplicationState
from workflows.models import ReviewTask


def attachment_get_for_user(*, user, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(application__in=applications_visible_to(user).values("pk")),
        pk=pk,
    )


def largest_document_bytes() -> int:
    """The largest file any required document takes: no upload of evidence may be bigger."""
    largest = RequiredDocument.objects.aggregate(largest=Max("max_size_kb"))["largest"]
    return (largest or 0) * 1024


def required_document_find(*, pk: int) -> RequiredDocument | None:
    """A document the catalogue asks for (public: its name, formats and limit), or None."""
    return RequiredDocument.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class DocumentRow:
    requirement: RequiredDocument
    versions: list[Attachment]  # newest first; earlier versions are kept
    asked_to_replace: bool
    replaced: bool

    @property
    def current(self) -> Attachment | None:
        return self.versions[0] if self.versions else None

    @property
    def earlier(self) -> list[Attachment]:
        return self.versions[1:]


@dataclass(frozen=True)
class ChangeRequest:
    task: ReviewTask
    is_open: bool
    documents: list[DocumentRow]


def application_documents(*, application: Application) -> list[DocumentRow]:
    versions: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in application.attachments.filter(requirement__isnull=False).order_by(
        "requirement_id", "-version"
    ):
        versions[attachment.requirement_id].append(attachment)
    request = application.latest_change_request()
    asked = set(request.documents_to_replace.values_list("pk", flat=True)) if request else set()
    return [
        DocumentRow(
            requirement=requirement,
            versions=versions[requirement.pk],
            asked_to_replace=requirement.pk in asked,
            replaced=any(a.uploaded_at > request.decided_at for a in versions[requirement.pk])
            if requirement.pk in asked else False,
        )
        for requirement in application.permit_type.required_documents.all()
    ]


def application_change_request(*, application: Application,
                               documents: list[DocumentRow]) -> ChangeRequest | None:
    """The latest request for changes, and whether the applicant still has to answer it."""
    task = application.latest_change_request()
    if task is None:
        return None
    return ChangeRequest(
        task=task,
        is_open=application.state == ApplicationState.CHANGES_REQUESTED,
        documents=[row for row in documents if row.asked_to_replace],
    )

"""Reviewer pages: the inbox, one task, and the actions on it. Each action parses its form,
calls one service and redirects; a refusal becomes a message on the task page, never an error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import selectors as document_selectors
from documents import services as document_services
from documents.uploads import UploadRefused
from licensing import selectors as licensing_selectors
from licensing.once import once
from licensing.states import ApplicationState
from workflows import selectors, services
from workflows.forms import (
    DecisionForm,
    InspectionPhotoForm,
    InspectionRecordForm,
    ScheduleInspectionForm,
)
from workflows.machine import TransitionRefused
from workflows.models import ReviewTask
from workflows.rules import review_refusal
from workflows.states import PENDING, Decision, TaskState


def _task_or_404(request, pk: int) -> ReviewTask:
    try:
        return selectors.task_get_for_reviewer(user=request.user, pk=pk)
    except ReviewTask.DoesNotExist:
        raise Http404(_("No such task among your groups' work.")) from None


def _back_to(task: ReviewTask):
    return redirect("task_detail", pk=task.pk)


def _refused(request, task: ReviewTask, error):
    messages.error(request, error.message)
    return _back_to(task)


def _form_problems(form) -> str:
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        problems += [f"{label}: {error}" if label else str(error) for error in errors]
    return " ".join(problems)


TASKS_PER_PAGE = 50


def _task_page(request, tasks) -> dict:
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "days_left": selectors.days_left(page.object_list)}


@login_required
def inbox(request):
    tasks = selectors.task_list_for_reviewer(user=request.user)
    return render(request, "workflows/inbox.html", _task_page(request, tasks))


@login_required
def overview(request):
    """The head of office's (or a unit supervisor's) view of every open task, to reassign."""
    if not selectors.may_oversee(user=request.user):
        raise PermissionDenied
    context = _task_page(request, selectors.task_list_for_overview(user=request.user))
    context["reviewers"] = selectors.group_reviewers(
        group_ids={task.group_id for task in context["page"].object_list})
    return render(request, "workflows/overview.html", context)


@login_required
@once
def task_reassign(request, pk: int):
    if request.method != "POST":
        return redirect("review_overview")
    try:
        task = selectors.task_get_for_overseer(user=request.user, pk=pk)
    except ReviewTask.DoesNotExist:
        raise Http404(_("No such task.")) from None
    to = selectors.group_reviewers(group_ids={task.group_id}).get(task.group_id, [])
    to = next((person for person in to if str(person.pk) == request.POST.get("to", "")), None)
    try:
        services.task_reassign(task=task, actor=request.user, to=to)
    except TransitionRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The task is assigned to %(name)s, who is told.")
                         % {"name": to.full_name})
    return redirect("review_overview")


@login_required
def task_detail(request, pk: int):
    task = _task_or_404(request, pk)
    application = task.application
    in_review = application.state == ApplicationState.IN_REVIEW
    refusal = review_refusal(task=task, user=request.user) if task.state in PENDING else None
    may_work = task.state in PENDING and in_review and refusal is None and (
        task.state == TaskState.OPEN or task.assignee_id == request.user.pk
    )
    context = {
        "task": task,
        "application": application,
        "in_review": in_review,
        "is_overdue": selectors.task_is_overdue(task),
        "refusal": refusal,
        "may_work": may_work,
        "answers": licensing_selectors.application_answers(application=application),
        "documents": document_selectors.application_documents(application=application),
        "decisions": selectors.application_decisions(application=application),
    }
    if may_work:
        context["decision_form"] = DecisionForm(task=task)
    if task.step.is_inspection:
        context["checklist"] = selectors.inspection_checklist(task=task)
        context["photos"] = task.photos.order_by("uploaded_at", "pk")
        if may_work:
            context["schedule_form"] = ScheduleInspectionForm(
                initial={"inspection_at": task.inspection_at}
            )
            context["record_form"] = InspectionRecordForm(task=task)
            context["photo_form"] = InspectionPhotoForm()
    return render(request, "workflows/task_detail.html", context)


# Actions. GET on an action URL (a bookmarked or retried link) only leads back to the task.


def _task_action(service, success_message, *, then_inbox: bool):
    """A POST that claims or releases a task: one service call, its refusal shown as a message."""

    @login_required
    @once
    def view(request, pk: int):
        task = _task_or_404(request, pk)
        if request.method != "POST":
            return _back_to(task)
        try:
            service(task=task, actor=request.user)
        except TransitionRefused as error:
            return _refused(request, task, error)
        messages.success(request, success_message)
        return redirect("inbox") if then_inbox else _back_to(task)

    return view


task_claim = _task_action(
    services.task_claim,
    gettext_lazy("The task is yours. Others see that you are working on it."),
    then_inbox=False,
)
task_release = _task_action(
    services.task_release, gettext_lazy("The task is back in the group's inbox."),
    then_inbox=True,
)


DECIDED_MESSAGES = {
    Decision.APPROVE: gettext_lazy("You approved this step."),
    Decision.REQUEST_CHANGES: gettext_lazy("You asked the applicant for changes."),
    Decision.REJECT: gettext_lazy("You rejected the application."),
}


@login_required
@once
def task_decide(request, pk: int):
    task = _task_or_404(request, pk)
    if request.method != "POST":
        return _back_to(task)
    form = DecisionForm(request.POST, task=task)
    if not form.is_valid():
        messages.error(request, _form_problems(form))
        return _back_to(task)
    data = form.cleaned_data
    try:
        services.task_decide(
            task=task, actor=request.user, decision=data["decision"], message=data["message"],
            conditions=data["conditions"], documents_to_replace=data["documents_to_replace"],
        )
    except TransitionRefused as error:
        return _refused(request, task, error)
    messages.success(request, DECIDED_MESSAGES[data["decision"]])
    return redirect("inbox")


@login_required
@once
def task_inspection(request, pk: int):
    """Schedule the inspection (``action=schedule``) or record its results (``action=record``)."""
    task = _task_or_404(request, pk)
    if request.method != "POST":
        return _back_to(task)
    action = request.POST.get("action")
    if action == "schedule":
        form = ScheduleInspectionForm(request.POST)
    elif action == "record":
        form = InspectionRecordForm(request.POST, task=task)
    else:
        messages.error(request, _("Choose whether to schedule the inspection or record it."))
        return _back_to(task)
    if not form.is_valid():
        messages.error(request, _form_problems(form))
        return _back_to(task)
    try:
        if action == "schedule":
            services.task_schedule_inspection(task=task, actor=request.user,
                                              at=form.cleaned_data["inspection_at"])
            messages.success(request, _("The inspection is scheduled; the business is told."))
        else:
            services.task_record_inspection(
                task=task, actor=request.user, checklist_results=form.checklist_results(),
                findings=form.cleaned_data["findings"],
            )
            messages.success(request, _("The inspection results are recorded."))
    except TransitionRefused as error:
        return _refused(request, task, error)
    return _back_to(task)


@login_required
@once
def inspection_photo_upload(request, pk: int):
    task = _task_or_404(request, pk)
    if request.method != "POST":
        return _back_to(task)
    form = InspectionPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_problems(form))
        return _back_to(task)
    try:
        document_services.inspection_photo_upload(
            task=task, actor=request.user, uploaded_file=form.cleaned_data["photo"]
        )
    except (TransitionRefused, UploadRefused) as error:
        return _refused(request, task, error)
    messages.success(request, _("The photo is added to the inspection."))
    return _back_to(task)

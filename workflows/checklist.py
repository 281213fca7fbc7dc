"""Site-inspection checklists: the items an administrator lists on a step, and their results.

An item is ``{"id": "<Indonesian text>", "en": "<English text>"}`` (a plain string is read as the
Indonesian text). The Indonesian text is the item's key in a task's ``checklist_results``, so a
recorded result keeps its meaning when a later edit of the step adds or reorders items.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CheckResult(models.TextChoices):
    COMPLIES = "complies", _("Complies")
    DOES_NOT_COMPLY = "does_not_comply", _("Does not comply")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text_id: str
    text_en: str

    @property
    def label(self) -> str:
        if (get_language() or "id")[:2] == "en" and self.text_en:
            return self.text_en
        return self.text_id


def checklist_items(raw) -> list[ChecklistItem]:
    """The items of a step's ``checklist`` JSON (assumed valid, see ``validate_checklist``)."""
    items = []
    for entry in raw or ():
        if isinstance(entry, str):
            items.append(ChecklistItem(key=entry, text_id=entry, text_en=""))
        else:
            text_id = str(entry["id"]).strip()
            items.append(ChecklistItem(key=text_id, text_id=text_id,
                                       text_en=str(entry.get("en", "")).strip()))
    return items


def validate_checklist(raw) -> None:
    if not isinstance(raw, list):
        raise ValidationError(_('The checklist is a list of {"id": "…", "en": "…"} items.'))
    keys = []
    for entry in raw:
        if isinstance(entry, str):
            keys.append(entry.strip())
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            keys.append(entry["id"].strip())
        else:
            raise ValidationError(
                _('Each checklist item needs its Indonesian text under "id".')
            )
    if not all(keys):
        raise ValidationError(_("A checklist item is empty."))
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Two checklist items have the same Indonesian text."))

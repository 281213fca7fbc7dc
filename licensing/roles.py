"""Roles are Django groups. Agency reviewer groups are data (any group a review step names)."""

from notifications.services import user_is_staff

FRONT_OFFICE = "front_office"
HEAD_OF_OFFICE = "head_of_office"
TREASURY_OFFICER = "treasury_officer"
TREASURY_SUPERVISOR = "treasury_supervisor"
ADMINISTRATOR = "administrator"

STAFF_GROUPS = (FRONT_OFFICE, HEAD_OF_OFFICE, TREASURY_OFFICER, TREASURY_SUPERVISOR, ADMINISTRATOR)


def in_group(user, name: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.groups.filter(name=name).exists()


def is_staff_member(user) -> bool:
    """The office's people: an admin account, or anyone in a group (every role and reviewing
    agency is a group; business people are in none). One definition, notifications' own."""
    if user is None or not user.is_authenticated:
        return False
    return user_is_staff(user)

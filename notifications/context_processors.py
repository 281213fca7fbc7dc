from notifications.selectors import notification_unread_count


def unread(request) -> dict:
    """The header's badge: how many of my notices are unread."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": notification_unread_count(user=user)}

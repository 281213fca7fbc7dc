def unread(request) -> dict:
    return {}

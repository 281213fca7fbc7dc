"""Where private files live: uploaded evidence and signed documents. They never get a public
URL; they leave only through views that check who is asking.

``STORAGES["private"]`` picks the backend (the local disk by default); models name
``private_storage``, so the choice stays in settings.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """On the local disk, with no URL. The location is read from settings on each use, so it
    follows the environment (and tests)."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    return storages["private"]

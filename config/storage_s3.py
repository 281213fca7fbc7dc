"""Private files in an S3-compatible bucket (django-storages, boto3), when settings name one.

Imported only then (``STORAGES["private"]`` names this class), so the local disk needs no boto3.
The bucket is private: objects are written with a private ACL, and Izin never hands out their
address, signed or not. Files leave only through views that check who is asking, as on the disk.
"""

from botocore.config import Config
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A private bucket with no URL and bounded waits."""

    def get_default_settings(self):
        # Seconds. A stalled object store fails the request instead of holding a worker for
        # botocore's default minute per attempt.
        return {**super().get_default_settings(), "connect_timeout": 5, "read_timeout": 30}

    def __init__(self, **settings):
        super().__init__(**settings)
        self.client_config = self.client_config.merge(Config(
            connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
            retries={"mode": "standard", "total_max_attempts": 3},
        ))

    def url(self, name, parameters=None, expire=None, http_method=None):
        # Like PrivateFileSystemStorage: no address to give out, not even a presigned one.
        raise ValueError("This file is not accessible via a URL.")

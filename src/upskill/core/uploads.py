"""Upload limits that answer with a message instead of filling the disk.

Django streams an uploaded file into a temporary file whatever its size. This handler, first
in ``FILE_UPLOAD_HANDLERS``, stops storing a file once it passes
``settings.UPSKILL_UPLOAD_MAX_BYTES`` and marks the request, so the page or API endpoint says
plainly that the file was too large (a 2 GB upload is read and discarded, never stored).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


def upload_limit() -> int:
    return int(getattr(settings, "UPSKILL_UPLOAD_MAX_BYTES", 64 * 1024 * 1024))


class UploadSizeLimitHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file; past the limit the upload stops (the rest of the
    body is read and discarded) and ``request.upload_too_large`` is set."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self._received = getattr(self, "_received", 0) + len(raw_data)
        if self._received > upload_limit():
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int):
        return None


def upload_too_large(request) -> bool:
    """True when a file of this request was dropped for its size."""
    return bool(getattr(request, "upload_too_large", False))

"""Serving a stored file (evidence photos and videos, screenshots) with HTTP range reads, so a
video plays and seeks without being sent whole.

* Object storage (S3-compatible, ``UPSKILL_S3_BUCKET``): a redirect to a short-lived signed URL
  of the object (``UPSKILL_S3_URL_SECONDS``), which the object store serves with ranges itself;
  the bytes never pass through the application server. The page's Content-Security-Policy
  allows media and images from the store's origin (settings.py).
* Local disk: the application answers ``Range: bytes=a-b`` with ``206 Partial Content`` (one
  range; anything else gets the whole file, as HTTP allows).

The caller has already checked that the user may see the file (``get_visible_or_404``).
"""

from __future__ import annotations

import mimetypes
import re

from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _signs_urls(storage) -> bool:
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    match = _RANGE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        return (-1, -1)  # not satisfiable
    return start, end


def _ranged(handle, start: int, length: int):
    try:
        handle.seek(start)
        left = length
        while left > 0:
            block = handle.read(min(CHUNK, left))
            if not block:
                break
            left -= len(block)
            yield block
    finally:
        handle.close()


def stored_file_response(request, field, download_name: str) -> HttpResponse:
    """The stored file of ``field`` (a FieldFile), shown inline, with range reads."""
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    storage, name = field.storage, field.name
    if _signs_urls(storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": "inline",
            },
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    size = storage.size(name)
    wanted = _parse_range(request.headers.get("Range", ""), size)
    if wanted == (-1, -1):
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    else:
        start, end = wanted
        response = StreamingHttpResponse(
            _ranged(storage.open(name, "rb"), start, end - start + 1),
            status=206,
            content_type=content_type,
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response

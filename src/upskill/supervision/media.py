"""Facts read from an evidence file itself, never from the uploader (GA23-PHO-1, GA23-VID-1):
an image's format, dimensions and EXIF time (Pillow); a video's container, codec and duration
(ffprobe of Debian's ffmpeg); and the perceptual hashes used to find the same picture in two
classes (a 64-bit difference hash of the photo or of each video keyframe, extracted with
ffmpeg)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from upskill.core.media import MediaRefused, ffprobe

# EXIF tags: DateTimeOriginal and DateTimeDigitized live in the Exif IFD, DateTime in IFD0.
_EXIF_IFD = 0x8769
_DATE_TAGS = (0x9003, 0x9004)
_DATE_TIME = 0x0132
HASH_BITS = 64
MAX_KEYFRAMES = 24
PROBE_SECONDS = 120


@dataclass
class MediaFacts:
    file_format: str
    width: int = 0
    height: int = 0
    taken_at: datetime | None = None
    duration: Decimal | None = None
    codec: str = ""
    hashes: list[tuple[int, int]] = field(default_factory=list)  # (frame, 64-bit hash)


def dhash(image: Image.Image) -> int:
    """The difference hash: the picture in grey at 9×8, each bit whether a pixel is brighter
    than its right neighbour. Robust to scaling, recompression and small colour changes."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = list(grey.tobytes())
    value = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            value = (value << 1) | (1 if left > right else 0)
    return value


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bands(value: int) -> tuple[int, int, int, int]:
    """Four 16-bit bands of a 64-bit hash (band 0 the highest bits)."""
    return tuple((value >> shift) & 0xFFFF for shift in (48, 32, 16, 0))  # type: ignore[return-value]


def informative(value: int) -> bool:
    """A flat or nearly flat picture (a black frame, a blank wall) hashes to almost all zeros or
    ones and would match every other flat picture: such hashes are not compared."""
    return 4 <= value.bit_count() <= HASH_BITS - 4


def _exif_time(image: Image.Image) -> datetime | None:
    try:
        exif = image.getexif()
    except Exception:
        return None
    candidates = []
    with contextlib.suppress(Exception):  # a broken Exif IFD: IFD0's DateTime may still do
        sub = exif.get_ifd(_EXIF_IFD)
        candidates.extend(sub.get(tag) for tag in _DATE_TAGS)
    candidates.append(exif.get(_DATE_TIME))
    for raw in candidates:
        if not raw:
            continue
        try:
            moment = datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
        return timezone.make_aware(moment)  # EXIF has no zone: the camera's local time
    return None


def probe_image(path: str | Path) -> MediaFacts:
    """Format, size, EXIF time and hash of an image; refuses anything Pillow cannot read as
    one of the accepted formats (whatever its name says)."""
    allowed = [f.upper() for f in settings.UPSKILL_EVIDENCE_PHOTO_FORMATS]
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            file_format = (image.format or "").upper()
            if file_format not in allowed:
                raise MediaRefused(
                    _("This is a %(format)s image; accepted are %(allowed)s.")
                    % {"format": file_format or "?", "allowed": ", ".join(allowed)}
                )
            image.load()
            return MediaFacts(
                file_format=file_format,
                width=image.width,
                height=image.height,
                taken_at=_exif_time(image),
                hashes=[(0, dhash(image))],
            )
    except MediaRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise MediaRefused(
            _("This file is not a readable picture (JPEG, PNG, …), whatever its name says.")
        ) from None


def ffmpeg_available() -> bool:
    return bool(shutil.which("ffprobe") and shutil.which("ffmpeg"))


def probe_video(path: str | Path) -> MediaFacts:
    """Container, codec, size and duration of a video (ffprobe), and the hashes of its
    keyframes (ffmpeg); refuses a file that holds no video stream."""
    if not ffmpeg_available():
        raise MediaRefused(_("Videos cannot be checked on this server (ffmpeg is missing)."))
    not_video = MediaRefused(
        _("This file is not a playable video (MP4, MOV, …), whatever its name says.")
    )
    probed = ffprobe(path, timeout=PROBE_SECONDS)
    if probed is None or not probed[0]:
        raise not_video
    fmt, streams = probed
    names = set(str(fmt.get("format_name", "")).split(","))
    allowed = set(settings.UPSKILL_EVIDENCE_VIDEO_FORMATS)
    if not names & allowed:
        raise MediaRefused(
            _("This video's format (%(format)s) is not accepted; accepted are %(allowed)s.")
            % {"format": fmt.get("format_name", "?"), "allowed": ", ".join(sorted(allowed))}
        )
    stream = streams[0]
    try:
        duration = Decimal(str(fmt.get("duration") or stream.get("duration") or "0"))
    except InvalidOperation:
        duration = Decimal(0)
    taken = None
    created = (fmt.get("tags") or {}).get("creation_time")
    if created:
        try:
            taken = datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            taken = None
    return MediaFacts(
        file_format=str(fmt.get("format_name", ""))[:64],
        width=int(stream.get("width") or 0),
        height=int(stream.get("height") or 0),
        taken_at=taken,
        duration=duration.quantize(Decimal("0.01")),
        codec=str(stream.get("codec_name", ""))[:32],
        hashes=keyframe_hashes(path),
    )


def keyframe_hashes(path: str | Path, limit: int = MAX_KEYFRAMES) -> list[tuple[int, int]]:
    """The difference hash of up to ``limit`` keyframes (ffmpeg decodes key frames only)."""
    with tempfile.TemporaryDirectory(prefix="upskill-frames-") as directory:
        subprocess.run(  # noqa: S603
            [
                shutil.which("ffmpeg") or "ffmpeg",
                "-v",
                "error",
                "-skip_frame",
                "nokey",
                "-i",
                str(path),
                "-vsync",
                "vfr",
                "-frames:v",
                str(limit),
                "-vf",
                "scale=96:-2",
                str(Path(directory) / "k%04d.png"),
            ],
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=False,
        )
        result = []
        for index, frame in enumerate(sorted(Path(directory).glob("k*.png"))):
            with Image.open(frame) as image:
                result.append((index, dhash(image)))
        return result

"""The photo of the place: uploaded by a steward, resized here, served by the app.

The picture is decoded and re-encoded with Pillow (which also drops its metadata, such
as the GPS position a phone writes), bounded in size, and stored under MEDIA_ROOT; the
Cause page and link previews read it through `photo_view`, never from another host.
"""

import secrets
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tribu.core.errors import PermissionDenied, TribuError

from .access import STEWARDS, role_in
from .models import Platform, SettingChange

MAX_BYTES = 15 * 1024 * 1024
LONGEST_SIDE = 1600
PREVIEW = (1200, 630)  # what link previews (OpenGraph, Twitter cards) expect


def resized(data: bytes) -> bytes:
    """A JPEG no larger than LONGEST_SIDE, upright, without the original's metadata."""
    try:
        with Image.open(BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise TribuError(_("This file is not a picture we can read (JPEG, PNG or WebP).")) from None
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


@transaction.atomic
def set_photo(platform: Platform, user, upload) -> Platform:
    if role_in(user, platform) not in STEWARDS:
        raise PermissionDenied(
            _("Only the stewards of %(name)s change its settings.") % {"name": platform.name}
        )
    if upload.size > MAX_BYTES:
        raise TribuError(_("This picture is too large: 15 MB at most."))
    data = resized(upload.read())
    before = platform.photo.name
    name = f"{platform.slug}-{secrets.token_hex(4)}.jpg"
    platform.photo.save(name, ContentFile(data), save=False)
    platform.save(update_fields=["photo"])
    SettingChange.objects.create(
        platform=platform, field="photo", before=before, after=platform.photo.name, by=user
    )
    return platform

"""What a receipt may be, judged by its content, never by its name or the browser's claim:

- a JPEG or PNG image, decoded and encoded again with Pillow before it is stored, so what is
  kept is pixels only: a file that starts like an image and goes on as HTML (a polyglot), or an
  image that carries metadata (camera, GPS position, comments), is not kept as it came;
- a PDF without active content: JavaScript (/JS, /JavaScript), actions run on opening or on an
  event (/OpenAction, /AA, /Launch) and embedded files (/EmbeddedFile, /EmbeddedFiles, /EF) are
  refused with a field error.

The PDF check reads the file's PDF names itself. Neither pypdf nor pikepdf is installed, and a
receipt needs no PDF parser otherwise, so: every name outside stream data is read (with `#xx`
escapes undone, so /J#53 is /JS), and so is every object stream (/ObjStm, where PDF 1.5 packs
dictionaries), inflated with zlib. An object stream that cannot be read that way (another
filter, a predictor, encryption, too large when inflated) is refused, since what it holds
cannot be checked. The data of other streams (page content, images) is skipped: it holds no
dictionaries, and reading its binary data as names would refuse clean scans by chance.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from folja.delivery.services.common import DeliveryError

RECEIPT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# A phone photo is 12-50 megapixels; beyond this a "receipt" is a decompression bomb.
RECEIPT_MAX_PIXELS = 60_000_000
# Inflated object streams of a receipt are kilobytes; more is a zip bomb or not a receipt.
OBJECT_STREAM_MAX_BYTES = 20 * 1024 * 1024

CACHE_ATTR = "_folja_clean_receipt"
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
# A phone's JPEG is often an MPO (a JPEG with a second, preview picture); its first is kept.
PILLOW_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}}

ACTIVE_NAMES = {
    b"JS",
    b"JavaScript",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"EF",  # a file specification's embedded file, also without an /EmbeddedFiles tree
}

_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_NAME = re.compile(rb"/([^" + _DELIMITERS + rb"]*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# `stream` followed by its end of line; not the `stream` of `endstream`.
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_ENDSTREAM = re.compile(rb"\s*endstream")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")


@dataclass(frozen=True)
class CleanReceipt:
    content_type: str
    content: ContentFile


def _decoded_name(raw: bytes) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _names(data: bytes) -> set[bytes]:
    return {_decoded_name(m.group(1)) for m in _NAME.finditer(data)}


def _with_names_decoded(data: bytes) -> bytes:
    return _NAME.sub(lambda m: b"/" + _decoded_name(m.group(1)), data)


def _indirect_length(data: bytes, number: bytes, generation: bytes) -> int | None:
    pattern = rb"(?<!\d)" + number + rb"\s+" + generation + rb"\s+obj\s+(\d+)\s+endobj"
    match = re.search(pattern, data)
    return int(match.group(1)) if match else None


def _refused(message: str) -> DeliveryError:
    return DeliveryError("receipt", "active_content", message)


def _cannot_check() -> DeliveryError:
    return _refused(
        _("PDF-filen går inte att granska. Skanna eller spara kvittot som en ny PDF eller bild.")
    )


def _pdf_names(data: bytes) -> set[bytes]:
    """Every name of the PDF that can mean something to a reader, including those packed in
    object streams. Raises a field error for an object stream it cannot read."""
    outside: list[bytes] = []
    names: set[bytes] = set()
    position = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue  # the word `stream` inside stream data already skipped
        obj_at = data.rfind(b"obj", position, match.start())
        dictionary = _with_names_decoded(data[max(obj_at, position) : match.start()])
        dictionary_names = _names(dictionary)
        # A reader finds object streams through the cross-reference stream and may not look
        # at /Type; /First (where the packed objects start) is what every one must have.
        packs_objects = bool({b"ObjStm", b"First"} & dictionary_names)
        length_match = _LENGTH.search(dictionary)
        length = None
        if length_match and length_match.group(2) is None:
            length = int(length_match.group(1))
        elif length_match:
            length = _indirect_length(data, length_match.group(1), length_match.group(2))
        body_start = match.end()
        if length is None or not _ENDSTREAM.match(data, body_start + length):
            if packs_objects:
                raise _cannot_check()
            # Data whose end is not where its /Length says is read as names too: a reader
            # that recovers from the broken length might parse objects in it.
            continue
        body_end = body_start + length
        outside.append(data[position:body_start])
        position = body_end
        if packs_objects:
            names |= _object_stream_names(dictionary, data[body_start:body_end])
    outside.append(data[position:])
    for part in outside:
        names |= _names(part)
    return names


_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^" + _DELIMITERS + rb"]+)?")
FLATE = {b"FlateDecode", b"Fl"}


def _object_stream_names(dictionary: bytes, body: bytes) -> set[bytes]:
    filters: set[bytes] = set()
    for match in _FILTER.finditer(dictionary):
        value = match.group(1)
        # An indirect /Filter (`/Filter 8 0 R`) or anything but names is not followed.
        if value is None or _NAME.sub(b"", value.strip(b"[]")).strip():
            raise _cannot_check()
        filters |= _names(value)
    if filters - FLATE or {b"DecodeParms", b"DP"} & _names(dictionary):
        raise _cannot_check()
    if not filters:
        return _names(body)
    inflater = zlib.decompressobj()
    try:
        inflated = inflater.decompress(body, OBJECT_STREAM_MAX_BYTES)
    except zlib.error:
        raise _cannot_check() from None
    if inflater.unconsumed_tail:
        raise _cannot_check()
    return _names(inflated)


def _check_pdf(data: bytes) -> None:
    if ACTIVE_NAMES & _pdf_names(data):
        raise _refused(
            _(
                "PDF-filen innehåller skript, automatiska åtgärder eller bifogade filer och tas "
                "inte emot. Skanna eller spara kvittot som en ny PDF eller bild."
            )
        )


def _reencoded_image(data: bytes, mime: str) -> bytes:
    unreadable = DeliveryError(
        "receipt", "invalid_image", _("Bilden går inte att läsa. Fotografera kvittot igen.")
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in PILLOW_FORMATS[mime]:
                raise unreadable
            width, height = image.size
            if width * height > RECEIPT_MAX_PIXELS:
                raise DeliveryError(
                    "receipt", "too_large", _("Bilden är för stor. Fotografera kvittot igen.")
                )
            image.load()
            # The stored copy has no metadata, so the camera's orientation tag is applied to
            # the pixels first: a receipt photographed upright stays upright.
            pixels = ImageOps.exif_transpose(image)
            # Pillow writes some of what it read back out (a JPEG comment, a PNG's colour
            # profile): only the transparency, which is part of the picture, is kept.
            pixels.info = {k: v for k, v in pixels.info.items() if k == "transparency"}
            out = io.BytesIO()
            if mime == "image/jpeg":
                if pixels.mode not in ("RGB", "L", "CMYK"):
                    pixels = pixels.convert("RGB")
                pixels.save(out, format="JPEG", quality=90)
            else:
                if pixels.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
                    pixels = pixels.convert("RGBA")
                pixels.save(out, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise unreadable from None
    return out.getvalue()


def _read(receipt: UploadedFile) -> bytes:
    if receipt.size is not None and receipt.size > RECEIPT_MAX_BYTES:
        raise DeliveryError(
            "receipt", "too_large", _("Filen är för stor. Den får vara högst 5 MB.")
        )
    receipt.seek(0)
    data = receipt.read(RECEIPT_MAX_BYTES + 1)
    receipt.seek(0)
    if len(data) > RECEIPT_MAX_BYTES:
        raise DeliveryError(
            "receipt", "too_large", _("Filen är för stor. Den får vara högst 5 MB.")
        )
    return data


def _type_of(data: bytes) -> str:
    kind = filetype.guess(data[:2048])
    if kind is None or kind.mime not in RECEIPT_TYPES:
        raise DeliveryError(
            "receipt",
            "invalid_type",
            _("Filen är inte en bild eller PDF. Använd JPEG, PNG eller PDF."),
        )
    return kind.mime


def receipt_clean(receipt: UploadedFile) -> CleanReceipt:
    """The receipt as it is to be stored: an image encoded again, a PDF as it came once it is
    known to hold no active content. Raises a `receipt` field error otherwise. The form that
    checked an upload and the service that stores it share the one cleaning of it."""
    cached = getattr(receipt, CACHE_ATTR, None)
    if cached is not None:
        return cached
    data = _read(receipt)
    mime = _type_of(data)
    if mime == "application/pdf":
        _check_pdf(data)
        content = data
    else:
        content = _reencoded_image(data, mime)
    stem = PurePath(receipt.name or "").stem[:80] or "kvitto"
    clean = CleanReceipt(mime, ContentFile(content, name=stem + EXTENSIONS[mime]))
    setattr(receipt, CACHE_ATTR, clean)
    return clean


def check_receipt(receipt: UploadedFile) -> str:
    """The receipt's real type, once it is known to be one that may be stored (for forms, which
    show the field error before anything is saved)."""
    return receipt_clean(receipt).content_type

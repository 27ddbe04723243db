"""Plain-language HTML and pictogram-supported HTML, as self-contained files (the pictograms are
inlined) so they can be mailed, saved or printed and still work offline."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from folja.accessible.content import Document
from folja.accessible.pictograms import ATTRIBUTION, LINE_SIZE, inline_svg


def plain_html(document: Document) -> str:
    return render_to_string(
        "accessible/standalone.html", {"doc": document, "with_pictograms": False}
    )


def pictogram_html(document: Document) -> str:
    sections = [
        {
            "section": s,
            "svgs": [mark_safe(inline_svg(k)) for k in s.pictograms],  # noqa: S308 - shipped files
            "lines": [
                {
                    "text": text,
                    "key": key,
                    "svg": mark_safe(inline_svg(key, LINE_SIZE)) if key else "",  # noqa: S308
                }
                for text, key in s.lines_with_pictograms()
            ],
        }
        for s in document.sections
    ]
    return render_to_string(
        "accessible/standalone.html",
        {
            "doc": document,
            "with_pictograms": True,
            "picto_sections": sections,
            "attribution": ATTRIBUTION,
        },
    )

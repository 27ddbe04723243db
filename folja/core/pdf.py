"""The one way Följa turns HTML into a PDF: WeasyPrint, tagged as PDF/UA-1.

Decision letters, tertial reports, the simulation memo and payment specifications are public-
sector documents, which must be accessible (lagen om tillgänglighet till digital offentlig
service). PDF/UA gives them a structure tree (headings, tables, lists, figures with their
alternative text), the document language and a title that a reader shows instead of the file
name. Everything that writes a PDF calls `html_to_pdf`, so no document can be produced untagged.
"""

from __future__ import annotations

from typing import Any

PDF_VARIANT = "pdf/ua-1"


class UntaggablePdf(ValueError):
    """The HTML lacks what PDF/UA requires of a document (a title or a language); a document
    without them would be tagged in name only, so none is produced."""


def html_to_pdf(html: str, *, base_url: str | None = None, url_fetcher: Any = None) -> bytes:
    """The HTML as a tagged PDF/UA-1 document. Its `<title>` becomes the document title and
    `<html lang>` its language; both must be there."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Nothing is fetched from the network at run time: a document embeds its images as data:
    # URLs, or its caller passes a fetcher that reads the project's own files.
    fetcher = url_fetcher or URLFetcher(allowed_protocols={"data"})
    options: dict[str, Any] = {"pdf_variant": PDF_VARIANT}
    source = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    document = source.render(**options)
    if not (document.metadata.title or "").strip():
        raise UntaggablePdf("a PDF needs a <title>: PDF/UA shows it instead of the file name")
    if not (document.metadata.lang or "").strip():
        raise UntaggablePdf("a PDF needs <html lang>: PDF/UA names the document's language")
    return document.write_pdf(**options)

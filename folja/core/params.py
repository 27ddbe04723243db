"""Whole numbers from outside (query strings, form fields, URLs typed by hand).

Python's `int()` accepts more than ASCII digits: `"٣"` (Arabic-Indic three) is 3, and
`"²".isdigit()` is true although `int("²")` raises. Neither can be trusted to guard the other,
and a number past PostgreSQL's bigint makes the query itself fail. Every view that reads a
number from a request goes through `ascii_int`, which takes ASCII digits within bounds only
and answers None for anything else, so the caller decides: a field error, a 404 or a default.
"""

from __future__ import annotations

from django.http import Http404

# The largest value of a PostgreSQL bigint, which is what every primary key here is.
MAX_ID = 2**63 - 1


def ascii_int(raw: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`raw` as an int when it is ASCII digits (surrounding blanks allowed) within
    minimum..maximum; None otherwise (absent, empty, signed, Unicode digits, too large)."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    # The length test first: int() of a 100,000-digit string is slow, and no bound is that long.
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def id_or_404(raw: object) -> int:
    """A primary key from the query string, or 404 for anything that cannot be one."""
    value = ascii_int(raw, minimum=1)
    if value is None:
        raise Http404
    return value

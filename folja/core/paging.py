"""Pages of long lists. Django's Paginator counts the whole list, which on a provider's
100,000 sessions costs more than the page itself; `seek_page` fetches one row more than a page
instead, to know whether there is a next page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from folja.core.params import ascii_int


@dataclass(frozen=True)
class SeekPage:
    number: int
    object_list: list[Any]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# Far past any real list, and small enough that (page - 1) * size stays a PostgreSQL bigint:
# `?sida=99999999999999999999` made the OFFSET overflow into a 500.
MAX_PAGE = 10**9


def page_number(raw: str | None) -> int:
    """The page asked for in the query string; anything but ASCII digits from 1 to MAX_PAGE
    (`²`, `-1`, a number past bigint) is page 1, as Django's own `Paginator.get_page` does."""
    number = ascii_int(raw, minimum=1, maximum=MAX_PAGE)
    return 1 if number is None else number


def seek_page(queryset: QuerySet, *, number: int, size: int) -> SeekPage:
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return SeekPage(number=number, object_list=rows[:size], has_next=len(rows) > size)

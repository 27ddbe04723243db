"""Pages of long lists. Django's Paginator counts the whole list, which on a provider's
100,000 sessions costs more than the page itself; `seek_page` fetches one row more than a page
instead, to know whether there is a next page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


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


def page_number(raw: str | None) -> int:
    """The page asked for in the query string; anything but a positive number is page 1."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return max(number, 1)


def seek_page(queryset: QuerySet, *, number: int, size: int) -> SeekPage:
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return SeekPage(number=number, object_list=rows[:size], has_next=len(rows) > size)

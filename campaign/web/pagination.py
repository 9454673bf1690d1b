"""One page of a query's rows, for the HTML lists and the API alike."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select

from campaign.core.extensions import db

T = TypeVar("T")
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # keeps OFFSET far inside a 64-bit integer whatever ?page= says


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(statement: Select, *, page: int, per_page: int, row: Callable[..., T]) -> Page[T]:
    """Run ``statement`` (already ordered) for one page; ``row(*columns)`` builds each item.

    ``page`` is kept within 1..MAX_PAGE and ``per_page`` within 1..MAX_PER_PAGE; a page past
    the end has no items while ``total`` still counts every match.
    """
    page = min(max(1, int(page or 1)), MAX_PAGE)
    per_page = min(max(1, int(per_page or 1)), MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    return Page([row(*columns) for columns in rows], page, per_page, total)

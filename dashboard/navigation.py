"""Moving between pages without losing the filters."""

from __future__ import annotations

from typing import NoReturn

from dashboard import links

__all__ = ["open_in_reader"]

READER_PAGE = "views/reader.py"


def open_in_reader(article_id: str, *, terms: tuple[str, ...] = ()) -> NoReturn:
    """Switch to the Reader showing ``article_id``, keeping the filters in the URL.

    The article goes by its id (``?rd_article=<id>``), the Reader's own parameter;
    ``terms`` are highlighted there (``rd_terms``).
    """
    extra = {"rd_terms": ", ".join(terms)} if terms else {}
    links.open_page(READER_PAGE, rd_article=article_id, **extra)

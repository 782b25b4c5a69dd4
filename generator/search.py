"""Search without accents: the accent-folded text that mkdocs-material's search index gets.

A Vietnamese reader often types without diacritics ("dan van" for "dân vận"). The site's hook
runs fold_search_index over the index that the search plugin wrote, after the build.
"""

from __future__ import annotations

import unicodedata
from typing import Any


def fold(text: str) -> str:
    """Strip Vietnamese diacritics: "Tiếp công dân" → "Tiep cong dan" (same length when NFC)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


FOLDED_FIELDS = {"folded_title": {"boost": 1e3}, "folded_text": {"boost": 1e0}}
"""Extra search fields: the accent-folded title and text of each entry."""


def fold_search_index(index: dict[str, Any]) -> dict[str, Any]:
    """Give each entry of a mkdocs-material search index its accent-folded title and text.

    They are extra indexed fields of the same entry (same location), so a query typed without
    accents finds the page while the results still show the accented text.
    """
    index["config"]["fields"].update(FOLDED_FIELDS)
    for doc in index["docs"]:
        for name in ("title", "text"):
            value = doc.get(name)
            if isinstance(value, str) and fold(value) != value:
                doc[f"folded_{name}"] = fold(value)
    return index

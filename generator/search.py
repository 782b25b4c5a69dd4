"""Search without accents: the accent-folded text that mkdocs-material's search index gets.

A Vietnamese reader often types without diacritics ("dan van" for "dân vận"). The site's hook
runs fold_search_index over the index that the search plugin wrote, after the build, and writes
highlighting(index) beside it as search/fold.json: the fold of every letter the index holds and
the index's word separator, which the pages' highlighting (javascripts/search-fold.mjs) reads,
so that "tiep cong dan" marks "tiếp công dân" by this module's rule and no other.
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


def fold_table(texts: list[str]) -> dict[str, str]:
    """The fold of each character of the texts that folding changes, lower case included:
    {"ế": "e", "Đ": "D", …} (a lone combining mark folds to "")."""
    letters = {char for text in texts for char in text + text.lower() if not char.isascii()}
    return {char: fold(char) for char in sorted(letters) if fold(char) != char}


def highlighting(index: dict[str, Any]) -> dict[str, Any]:
    """What the pages' highlighting needs of a folded index: its word separator (a regular
    expression, from mkdocs.yml) and the fold of every letter in its titles and texts."""
    texts = [
        value
        for doc in index["docs"]
        for name in ("title", "text")
        if isinstance(value := doc.get(name), str)
    ]
    return {"separator": index["config"]["separator"], "fold": fold_table(texts)}


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

"""What the page generator hands to the site's build: pages, static files and navigation, or
the reasons why it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SiteError(Exception):
    """The site cannot be generated; `messages` says why, one line each (loader format)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True, slots=True)
class Page:
    """A generated Markdown page."""

    src_uri: str
    """Path of the page in the docs folder, e.g. "hung-yen-2020/tieu-chi-1.md"."""
    title: str
    """Title in the navigation."""
    content: str
    """The Markdown text."""


@dataclass(slots=True)
class Site:
    """What the generator adds to the MkDocs build."""

    pages: list[Page] = field(default_factory=list)
    """Generated Markdown pages, in navigation order."""
    assets: dict[str, str] = field(default_factory=dict)
    """Static files: path in the site → text content."""
    nav: list[Any] = field(default_factory=list)
    """The MkDocs `nav` setting."""

"""The meeting deck's model: slides, their tables, the sources and the deck itself.

Plain data, apart from the deck's builder (``deck``) and its writer (``exports``): the writer
and the page can name these types without loading what builds a deck (the analysis, the
page view-models and the store), which every app start would otherwise pay for.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

SLIDE_KINDS = ("title", "ranking", "top_bottom", "movers", "fields", "groups", "sipas",
               "discipline", "unit", "sources")
"""Slide kinds in deck order; a slide's kind picks its layout on the page."""


@dataclass(frozen=True)
class SlideTable:
    """A table as shown: column headers and rows of texts; ``groups`` the group label of each
    row (None for none) and ``group_column`` the column drawn in the group's colour."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    groups: tuple[str | None, ...] = ()
    group_column: int | None = None


@dataclass(frozen=True)
class Slide:
    """One slide: ``kind`` is one of ``SLIDE_KINDS``; ``notes`` are the speaker's sentences."""

    kind: str
    title: str
    subtitle: str = ""
    figure: go.Figure | None = None
    table: SlideTable | None = None
    bullets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A dataset version the deck's numbers come from."""

    file: str
    version: int
    index: str
    periods: tuple[str, ...]
    uploaded_at: str
    sha256: str
    uploaded_by: str = ""


@dataclass(frozen=True)
class Deck:
    """The slides, the language, whether the data are the illustrative sample, the sources."""

    title: str
    lang: str
    slides: tuple[Slide, ...]
    illustrative: bool = False
    sources: tuple[Source, ...] = field(default_factory=tuple)
    as_of: str | None = None

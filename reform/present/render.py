"""Chart images through one kept Chromium, and the projector theme for slides.

Starting Chromium costs seconds; a meeting deck has a dozen charts. kaleido's one-shot
functions start a browser per image, so a deck took close to a minute. Here one
``kaleido.Kaleido`` lives on its own event loop in a daemon thread for the whole process:
each call submits a render to that loop and waits for its own result, so several app sessions
can ask at once (their renders queue at the browser's tabs, nothing else waits), and a call
never receives another caller's image. A browser that fails is dropped and started afresh on
the next call.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import copy
import threading
from collections.abc import Iterator
from pathlib import Path

import plotly.graph_objects as go

from reform.core import config
from reform.core.errors import ReformError, UsageError

IMAGE_FORMATS = ("png", "svg")
"""Raster for slides and documents, vector for print; both offline through kaleido."""


class Renderer:
    """One kaleido browser kept on a private event loop; thread safe; started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    @property
    def running(self) -> bool:
        """True while a browser is kept."""
        return self._kaleido is not None

    def _start(self, browser: str | None) -> None:
        """Open the loop thread and the browser; raises what kaleido raises on failure."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="reform-kaleido", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        future = asyncio.run_coroutine_threadsafe(_open_kaleido(browser), loop)
        try:
            self._kaleido = future.result(timeout=config.RENDER_START_SECONDS)
        except BaseException:
            self._stop_loop()
            raise

    def render(self, figure: dict, opts: dict, browser: str | None) -> bytes:
        """``figure`` (a plotly dict) rendered with ``opts``; starts the browser if needed.

        Raises what kaleido raises; the browser is dropped after a failure so the next call
        starts a new one.
        """
        with self._lock:
            if self._kaleido is None:
                self._start(browser)
            kaleido, loop = self._kaleido, self._loop
        future = asyncio.run_coroutine_threadsafe(kaleido.calc_fig(figure, opts=opts), loop)
        try:
            data = future.result(timeout=config.RENDER_IMAGE_SECONDS)
        except BaseException:
            self.close()
            raise
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def close(self) -> None:
        """Close the browser and its loop (at exit, after a failure, or in benchmarks)."""
        with self._lock:
            kaleido, self._kaleido = self._kaleido, None
            if kaleido is not None and self._loop is not None:
                future = asyncio.run_coroutine_threadsafe(kaleido.close(), self._loop)
                # a browser that already died has nothing left to close
                with contextlib.suppress(TimeoutError, RuntimeError, OSError):
                    future.result(timeout=config.RENDER_START_SECONDS)
            self._stop_loop()

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop, self._thread = None, None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=5)
        if loop is not None and not loop.is_running():
            loop.close()


async def _open_kaleido(browser: str | None):
    """A kaleido browser opened on the running loop: no MathJax (it would come from a CDN),
    plotly.js from the installed package."""
    import kaleido  # late: importing kaleido costs time and only images need it

    options = {"path": browser} if browser else {}
    instance = kaleido.Kaleido(n=config.RENDER_TABS, mathjax=False, **options)
    await instance.open()
    return instance


RENDERER = Renderer()
"""The process's one kept browser."""
atexit.register(RENDERER.close)


def render_image(fig: go.Figure | dict, fmt: str, *, width: int, height: int, scale: float,
                 browser: str | None, keep: bool = True) -> bytes:
    """``fig`` as PNG or SVG bytes, ``width`` × ``height`` layout pixels times ``scale``.

    With ``keep`` (the default) the process's kept browser draws it; ``keep=False`` starts and
    closes a browser for this one image (the old way, kept for the benchmark's "before").
    Raises ``UsageError`` for a format other than png/svg, ``ReformError`` (both languages)
    when no browser is found or it fails.
    """
    if fmt not in IMAGE_FORMATS:
        raise UsageError.of("export.bad_format", fmt=fmt)
    if browser is not None and not Path(browser).exists():
        raise ReformError.of("export.no_browser")
    from kaleido.errors import BrowserFailedError, ChromeNotFoundError

    figure = fig.to_dict() if isinstance(fig, go.Figure) else fig
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    try:
        if keep:
            return RENDERER.render(figure, opts, browser)
        one = Renderer()
        try:
            return one.render(figure, opts, browser)
        finally:
            one.close()
    except ChromeNotFoundError as exc:
        raise ReformError.of("export.no_browser") from exc
    except (BrowserFailedError, TimeoutError, RuntimeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReformError.of("export.browser_failed", detail=detail) from exc


# --------------------------------------------------------------------------------------------
# Projector theme
# --------------------------------------------------------------------------------------------

def _font_dicts(node: object) -> Iterator[dict]:
    """Every font dictionary in a figure dict: keys named ``font`` or ending in ``font``
    (``tickfont``, ``insidetextfont``, …), at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict):
                yield value
            yield from _font_dicts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _font_dicts(item)


def projector_figure(fig: go.Figure, *, min_size: int = config.SLIDE_MIN_FONT_PX,
                     width: int = config.SLIDE_IMAGE_WIDTH,
                     height: int = config.SLIDE_IMAGE_HEIGHT) -> dict:
    """A copy of ``fig`` (as a dict) for a slide: every font at least ``min_size`` px, the
    title larger, the size fixed to ``width`` × ``height``; the figure itself is unchanged.

    The chart functions draw for a screen at arm's length; a room reads the same chart on a
    projector from ten metres, so text is raised to the slide minimum, never lowered.
    """
    figure = copy.deepcopy(fig.to_dict())
    layout = figure.setdefault("layout", {})
    layout.setdefault("font", {})
    for font in _font_dicts(figure):
        size = font.get("size")
        if not isinstance(size, int | float) or size < min_size:
            font["size"] = min_size
    title = layout.get("title")
    if isinstance(title, dict):
        title.setdefault("font", {})["size"] = max(title["font"].get("size", 0), min_size + 8)
    layout["width"], layout["height"] = width, height
    layout["autosize"] = False
    return figure


def with_caption(figure: dict, caption: str, *, colour: str = "#C51B29") -> dict:
    """A copy of a figure dict with ``caption`` in red at its top right (the sample's
    "Dữ liệu minh họa"), the top margin grown so it never covers the plot."""
    out = copy.deepcopy(figure)
    layout = out.setdefault("layout", {})
    # Raised a line above the plot's edge: labels drawn at the edge (the ranking's
    # "Trung bình: 83,82" over its average line) stay readable beneath it.
    note = {"text": caption, "xref": "paper", "yref": "paper", "x": 1, "y": 1.02,
            "yshift": 2 * config.SLIDE_MIN_FONT_PX, "xanchor": "right", "yanchor": "bottom",
            "showarrow": False, "font": {"color": colour, "size": config.SLIDE_MIN_FONT_PX}}
    layout["annotations"] = [*layout.get("annotations", []), note]
    margin = layout.setdefault("margin", {})
    margin["t"] = max(int(margin.get("t", 80) or 80), 140)
    return out

"""The presentation page in a real browser (Debian's Chromium through Playwright): the deck
full screen at 1920×1080 and 1280×720, stepped through with the arrow keys, the slide number
in the URL, no sidebar, no text under 24 px on a slide at 1920×1080; a screenshot of every
slide goes to tests/screenshots/ for people to look at."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import (
    CHROMIUM,
    copy_store,
    launched_chromium,
    page_problems,
    running_app,
    save_screenshot,
    wait_for_run,
)
from playwright.sync_api import Browser

from reform.present import deck
from reform.store.snapshot import load_snapshot
from reform.store.store import Store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's Chromium is not at {CHROMIUM}"),
]

# The smallest computed font size of any text inside the slide.
SMALLEST_FONT_JS = """() => {
  const slide = document.querySelector('.reform-slide');
  let smallest = 1000;
  for (const node of slide.querySelectorAll('*')) {
    if (!node.childNodes.length || ![...node.childNodes].some(
        n => n.nodeType === 3 && n.textContent.trim())) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(node).fontSize));
  }
  return smallest;
}"""


@pytest.fixture(scope="module")
def server(sample_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("presenter")
    with running_app(copy_store(sample_db_url, folder), folder / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched_chromium() as chromium:
        yield chromium


def slide_count(sample_db_url: str) -> int:
    """The deck's length computed without the page: the same scope from the store."""
    store = Store(sample_db_url)
    built = deck.build_deck(load_snapshot(store, None), index="PAR", period="2024", level="ward",
                            datasets=store.datasets())
    return len(built.slides)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_deck_steps_with_arrow_keys_full_screen(server: str, browser: Browser,
                                                sample_db_url: str, size: tuple[int, int]):
    total = slide_count(sample_db_url)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/trinh-chieu?index=PAR&period=2024&level=ward&slide=1")
    wait_for_run(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    # The projector's size walks the whole deck; the laptop's checks the first slides only (the
    # same layout code, and a walk costs the suite half a minute).
    walked = total if size == (1920, 1080) else 3
    seen = []
    for number in range(1, walked + 1):
        page.wait_for_selector(f'.reform-slide[data-slide="{number}"]')
        wait_for_run(page)
        assert f"slide={number}" in page.url
        assert not page_problems(page), page_problems(page)
        if size == (1920, 1080):
            assert page.evaluate(SMALLEST_FONT_JS) >= 24
        seen.append(page.locator(".reform-slide h1").inner_text())
        save_screenshot(page, f"presenter_{number:02d}")
        page.keyboard.press("ArrowRight")
    assert len(seen) == walked and seen[0].startswith("Chỉ số CCHC")
    if walked == total:
        assert seen[-1] == "Nguồn số liệu"
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector(f'.reform-slide[data-slide="{walked - 1}"]')
    assert f"slide={walked - 1}" in page.url
    assert not errors
    context.close()

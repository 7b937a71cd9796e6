"""Entry point: page setup, navigation over pages/, and the sidebar shared by every page."""
from pathlib import Path

import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError

# Pages are named from here, so the app runs the same from serve/app.py (see there). A bare
# string here would be drawn on every page (Streamlit's "magic").
ROOT = Path(__file__).resolve().parent

# The tab icon is a local file: a ":material/…:" icon makes the browser fetch it from
# fonts.gstatic.com, and the app must work in rooms without internet.
st.set_page_config(page_title="Chỉ số CCHC", page_icon=str(ROOT / "static" / "favicon.png"),
                   layout="wide")

# (file, icon, url path); titles are catalog entries nav.<url path>. Slugs stay Vietnamese so
# shared links read well; Material icons ship with Streamlit, so they draw offline and without
# an emoji font.
PAGES = [
    ("pages/overview.py", ":material/dashboard:", "tong-quan"),
    ("pages/rankings.py", ":material/leaderboard:", "xep-hang"),
    ("pages/trends.py", ":material/trending_up:", "xu-huong"),
    ("pages/unit_profile.py", ":material/apartment:", "ho-so-don-vi"),
    ("pages/components.py", ":material/grid_view:", "thanh-phan"),
    ("pages/compare.py", ":material/compare_arrows:", "so-sanh"),
    ("pages/discipline.py", ":material/schedule:", "ky-cuong"),
    ("pages/satisfaction.py", ":material/sentiment_satisfied:", "hai-long"),
    ("pages/cross_index.py", ":material/hub:", "lien-chi-so"),
    ("pages/data.py", ":material/upload_file:", "du-lieu"),
    ("pages/methodology.py", ":material/menu_book:", "phuong-phap"),
    ("pages/presentation.py", ":material/co_present:", "trinh-chieu"),
]
# The first page is the default one, served at the root: Streamlit gives it the URL path ""
# whatever it is named, so a link to its own slug (/tong-quan) said "Page not found". A hidden
# page at that path hands over to it, the query kept. (Slugs are Vietnamese only: no English
# path to keep.)
pages = [st.Page(ROOT / path, title=ui.tr(f"nav.{slug}"), icon=icon,
                 url_path="" if i == 0 else slug, default=(i == 0))
         for i, (path, icon, slug) in enumerate(PAGES)]


def _to_default() -> None:
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


navigation = st.navigation(pages + [
    st.Page(_to_default, title=pages[0].title, url_path=PAGES[0][2], visibility="hidden")])
try:
    st.session_state["_scope"] = ui.sidebar()
except ReformError as error:
    ui.show_error(error)
navigation.run()

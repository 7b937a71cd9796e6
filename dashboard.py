"""Entry point: page setup, navigation over pages/, and the sidebar shared by every page."""
import streamlit as st

from reform import ui
from reform.errors import ReformError
from reform.i18n import CATALOG

st.set_page_config(page_title="Chỉ số CCHC", page_icon="📊", layout="wide")

# (file, title vi, title en, icon, url path). Slugs stay Vietnamese so shared links read well.
PAGES = [
    ("pages/overview.py", "Tổng quan", "Overview", "📊", "tong-quan"),
    ("pages/rankings.py", "Xếp hạng", "Rankings", "🏆", "xep-hang"),
    ("pages/trends.py", "Xu hướng", "Trends", "📈", "xu-huong"),
    ("pages/unit_profile.py", "Hồ sơ đơn vị", "Unit profile", "🏢", "ho-so-don-vi"),
    ("pages/components.py", "Thành phần", "Components", "🧩", "thanh-phan"),
    ("pages/compare.py", "So sánh", "Compare", "⚖️", "so-sanh"),
    ("pages/discipline.py", "Kỷ cương", "Discipline", "🕘", "ky-cuong"),
    ("pages/satisfaction.py", "Hài lòng", "Satisfaction", "🙂", "hai-long"),
    ("pages/cross_index.py", "Liên chỉ số", "Across indices", "🔗", "lien-chi-so"),
    ("pages/data.py", "Dữ liệu", "Data", "📥", "du-lieu"),
    ("pages/methodology.py", "Phương pháp", "Methodology", "📘", "phuong-phap"),
]
for _path, vi, en, _icon, slug in PAGES:
    CATALOG[f"nav.{slug}"] = {"vi": vi, "en": en}

navigation = st.navigation([
    st.Page(path, title=ui.tr(f"nav.{slug}"), icon=icon, url_path=slug, default=(i == 0))
    for i, (path, _, _, icon, slug) in enumerate(PAGES)
])
try:
    st.session_state["_scope"] = ui.sidebar()
except ReformError as error:
    ui.show_error(error)
navigation.run()

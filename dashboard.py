"""Entry point: page setup, navigation over pages/, and the sidebar shared by every page."""
import streamlit as st

from reform.app import ui
from reform.core.errors import ReformError

st.set_page_config(page_title="Chỉ số CCHC", page_icon=":material/dashboard:", layout="wide")

# (file, title vi, title en, icon, url path). Slugs stay Vietnamese so shared links read well;
# Material icons ship with Streamlit, so they draw offline and without an emoji font.
PAGES = [
    ("pages/overview.py", "Tổng quan", "Overview", ":material/dashboard:", "tong-quan"),
    ("pages/rankings.py", "Xếp hạng", "Rankings", ":material/leaderboard:", "xep-hang"),
    ("pages/trends.py", "Xu hướng", "Trends", ":material/trending_up:", "xu-huong"),
    ("pages/unit_profile.py", "Hồ sơ đơn vị", "Unit profile", ":material/apartment:", "ho-so-don-vi"),
    ("pages/components.py", "Thành phần", "Components", ":material/grid_view:", "thanh-phan"),
    ("pages/compare.py", "So sánh", "Compare", ":material/compare_arrows:", "so-sanh"),
    ("pages/discipline.py", "Kỷ cương", "Discipline", ":material/schedule:", "ky-cuong"),
    ("pages/satisfaction.py", "Hài lòng", "Satisfaction", ":material/sentiment_satisfied:", "hai-long"),
    ("pages/cross_index.py", "Liên chỉ số", "Across indices", ":material/hub:", "lien-chi-so"),
    ("pages/data.py", "Dữ liệu", "Data", ":material/upload_file:", "du-lieu"),
    ("pages/methodology.py", "Phương pháp", "Methodology", ":material/menu_book:", "phuong-phap"),
]
navigation = st.navigation([
    st.Page(path, title=ui.tr(f"nav.{slug}"), icon=icon, url_path=slug, default=(i == 0))
    for i, (path, _, _, icon, slug) in enumerate(PAGES)
])
try:
    st.session_state["_scope"] = ui.sidebar()
except ReformError as error:
    ui.show_error(error)
navigation.run()

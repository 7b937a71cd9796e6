"""The server's entry point: ``python -m streamlit run serve/app.py`` (what ``make run`` does).

It only runs ``dashboard.py``. It lives in a folder without a ``pages/`` directory because
Streamlit runs the first session after a start in its old "pages folder" mode whenever a
``pages/`` folder sits beside the entry script; that session then answers a link to any page
but the first with a "Page not found" dialog (streamlit/streamlit#8860). From here the first
visitor of a shared link sees the page it names, like everyone after.
"""
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[1] / "dashboard.py"), run_name="__main__")

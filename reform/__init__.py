"""reform: read, store and analyse Vietnam's administrative reform indices.

Pure Python (pandas, SQLAlchemy, Plotly); only ``reform.ui`` imports streamlit.
"""
__all__ = ["__version__"]
__version__ = "0.1.0"

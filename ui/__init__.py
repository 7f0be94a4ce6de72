"""Streamlit page modules (thin: they call kg.query and render)."""

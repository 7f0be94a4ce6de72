"""政策知识图谱 — Streamlit app. Thin: each page (ui/*.py) calls kg.query and renders; nothing online.

Run with ``kg app`` (or ``streamlit run app.py``). The store is the one ``kg`` uses
(``KG_STORE`` or ~/.local/share/policy-kg/store); an empty store is built from corpus/ on first use.
"""
import streamlit as st
from PIL import Image, ImageDraw


def _favicon() -> Image.Image:
    """Drawn here: a page's Material icon would otherwise become the favicon, fetched from fonts.gstatic.com."""
    im = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((2, 2, 62, 62), radius=12, fill=(198, 40, 40, 255))
    for (x, y) in ((32, 14), (16, 48), (48, 48)):
        d.ellipse((x - 8, y - 8, x + 8, y + 8), fill=(255, 255, 255, 255))
    d.line((32, 14, 16, 48), fill=(255, 255, 255, 255), width=4)
    d.line((32, 14, 48, 48), fill=(255, 255, 255, 255), width=4)
    return im


st.set_page_config(page_title="政策知识图谱", page_icon=_favicon(), layout="wide")

PAGES = [
    st.Page("ui/ask.py", title="问答", icon=":material/forum:", url_path="ask", default=True),
    st.Page("ui/lineage.py", title="溯源", icon=":material/account_tree:", url_path="lineage"),
    st.Page("ui/compare.py", title="条款对照", icon=":material/compare:", url_path="compare"),
    st.Page("ui/targets.py", title="目标", icon=":material/flag:", url_path="targets"),
    st.Page("ui/docs.py", title="文件", icon=":material/description:", url_path="docs"),
    st.Page("ui/export.py", title="导出与SPARQL", icon=":material/download:", url_path="export"),
    st.Page("ui/upload.py", title="添加文件", icon=":material/upload_file:", url_path="upload"),
]
pg = st.navigation(PAGES)
pg.run()

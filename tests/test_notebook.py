"""docs/notebook.ipynb, executed by a real Jupyter kernel (nbclient) on every run, its outputs checked; then
rendered to HTML (nbconvert) and opened in headless Chromium, where the inline views draw with no request.

The kernel imports this checkout's genai_kg (PYTHONPATH is set to it) and runs in docs/, as a reader's would.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

import genai_kg

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
SRC = Path(genai_kg.__file__).resolve().parents[1]


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        from conftest import missing

        missing(module, "pip install -e '.[test]' (the test extra has nbclient, nbformat, ipykernel, pandas)")


@pytest.fixture(scope="module")
def executed():
    """The notebook after a real kernel ran every cell, in order, from docs/."""
    for module in ("nbclient", "nbformat", "ipykernel", "pandas"):
        _require(module)
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute(env=env)
    return notebook


def outputs(notebook, source_start: str) -> list[dict]:
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(source_start)]
    return cell.outputs


def data(notebook, source_start: str, mime: str) -> str:
    found = [o["data"][mime] for o in outputs(notebook, source_start) if mime in o.get("data", {})]
    assert found, f"no {mime} output for the cell starting {source_start!r}"
    return found[0]


def printed(notebook, source_start: str) -> str:
    return "".join(o.get("text", "") for o in outputs(notebook, source_start) if o["output_type"] == "stream")


def test_the_notebook_is_checked_in_without_outputs():
    import nbformat

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def test_every_cell_ran_without_error(executed):
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert cell.execution_count, cell.source
            assert not [o for o in cell.outputs if o["output_type"] == "error"], cell.source
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source


def test_load_shows_the_summary(executed):
    page = data(executed, "import genai_kg", "text/html")
    assert "KnowledgeGraph" in page and "oxigraph" in page and "the bundled ontology" in page
    assert re.search(r"<th>triples</th><td>[\d,]+</td>", page)


def test_named_query_as_table_and_dataframe(executed):
    table = data(executed, 'images = kg.query("systems-by-output"', "text/html")
    assert table.startswith('<table class="genai-kg-result">') and "DALL-E" in table
    rows = len(genai_kg.load().query("systems-by-output", modality="image"))
    assert f"{rows} rows" in table
    frame = data(executed, "images.to_dataframe()", "text/html")
    assert 'class="dataframe"' in frame and "https://w3id.org/genai-kg/DALL-E" in frame
    assert "<th>statedBy</th>" in frame
    same = data(executed, "same = kg.query", "text/plain")
    assert same == f"({rows}, ['system', 'label', 'families', 'makers', 'statedBy'], True)"


def test_ask_shows_its_answer(executed):
    assert data(executed, 'kg.query("is-every-llm-generative-ai")', "text/plain") == "true"


def test_describe_and_compare(executed):
    described = printed(executed, "from genai_kg.describe import")
    assert described.startswith("Midjourney  <https://w3id.org/genai-kg/Midjourney>")
    assert "gkg:producesOutput  image" in described
    assert "produces output" in data(executed, 'kg.query("describe-term"', "text/html")
    compared = data(executed, "import pandas as pd", "text/html")
    assert "<th>generative AI</th>" in compared and "<th>large language model</th>" in compared


def test_the_user_s_data_joins_the_graph(executed):
    assert "my-models.ttl" in data(executed, "mine = genai_kg.load", "text/html")
    assert "My image model" in data(executed, 'mine.query("systems-by-output"', "text/html")
    dtypes = data(executed, 'lab = mine.query("""', "text/plain")
    assert re.search(r"released\s+datetime64", dtypes) and re.search(r"parameters\s+int64", dtypes)
    assert re.search(r"openWeights\s+boolean", dtypes)


def test_errors_read_as_python(executed):
    message = printed(executed, "try:")
    assert message.startswith("TermNotFound params['modality']: ") and "--" not in message


def _views(notebook) -> list[str]:
    """The pages inside the notebook's inline views (their iframes' srcdoc)."""
    pages = []
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            frame = out.get("data", {}).get("text/html", "")
            if frame.startswith("<iframe"):
                pages.append(html.unescape(re.search(r'srcdoc="([^"]*)"', frame)[1]))
    return pages


def test_inline_views_hold_self_contained_pages(executed):
    pages = _views(executed)
    assert len(pages) == 2
    for page in pages:
        assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)


@pytest.mark.browser
def test_inline_view_opens_offline_with_no_outside_request(executed, browser, tmp_path):
    path = tmp_path / "view.html"
    path.write_text(_views(executed)[0], encoding="utf-8")
    url = path.as_uri()
    context = browser.new_context(offline=True)
    requests, errors = [], []
    context.on("request", lambda request: requests.append(request.url))
    context.route(lambda u: u != url, lambda route: route.abort())
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
    page.wait_for_timeout(300)
    assert requests == [url] and errors == []
    assert page.evaluate("window.genaiKg.data.nodes.label.length") > 10
    assert page.evaluate("window.network.body.data.nodes.length") > 3  # something is drawn, not only held
    context.close()


@pytest.mark.browser
def test_rendered_notebook_draws_its_views_inside_the_page(executed, browser, tmp_path):
    """nbconvert's HTML of the executed notebook: each view draws in its iframe, and the iframes ask for nothing
    (the notebook template's own CDN links, MathJax and require.js, are refused and not counted)."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(executed)
    path = tmp_path / "notebook.html"
    path.write_text(body, encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    from_views = []
    context.on("request", lambda r: r.frame.parent_frame is not None and from_views.append(r.url))
    context.route(lambda u: u != path.as_uri(), lambda route: route.abort())
    page = context.new_page()
    page.goto(path.as_uri())
    frames = [f for f in page.frames if f.parent_frame is not None]
    assert len(frames) == 2
    for frame in frames:
        frame.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
        assert frame.evaluate("document.querySelectorAll('canvas').length") >= 1
    assert from_views == []
    context.close()


def test_loading_a_big_file_in_jupyter_shows_a_progress_widget(tmp_path, bundled):
    """In a kernel, a file past the progress threshold shows tqdm's widget by itself (no progress=True)."""
    for module in ("nbclient", "nbformat", "ipykernel", "ipywidgets"):
        _require(module)
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    from genai_kg.progress import PROGRESS_MIN_BYTES

    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as out:
        i = 0
        while out.tell() < PROGRESS_MIN_BYTES * 1.1:
            out.write(f'<https://example.org/s{i}> <https://example.org/p> "value {i} of a big file" .\n')
            i += 1
    code = f"import genai_kg\nlen(genai_kg.load([{str(big)!r}], store='oxigraph'))"
    notebook = new_notebook(cells=[new_code_cell(code)])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute(env=env)
    kinds = [set(o.get("data", {})) | {o["output_type"]} for o in notebook.cells[0].outputs]
    assert any("application/vnd.jupyter.widget-view+json" in k for k in kinds), kinds
    assert notebook.cells[0].outputs[-1]["data"]["text/plain"] == str(len(bundled) + i)

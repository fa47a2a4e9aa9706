"""The HTML reports show the mathematics: MathML for every formula, escaped text everywhere else, offline.

Unit tests read the pages with :mod:`html.parser`; the browser test loads them in Debian's headless
Chromium through Selenium (system chromium/chromedriver, nothing downloaded) and writes a screenshot.
"""

from __future__ import annotations

import html.parser
import shutil
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs.findings import Finding, Report, Verdict
from proofs.report.derivations_html import render_derivations_html
from proofs.report.html import render_html
from proofs.report.mathml import ELEMENTS, formula_html, latex_to_mathml

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "examples" / "notes.md"

#: elements of the page frame besides MathML.
PAGE_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "div", "section", "code",
                 "em", "ul", "ol", "li", "a"}


class Page(html.parser.HTMLParser):
    """Tags, attributes and the text nodes outside ``<annotation>``/``<style>``/``<title>`` of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.code_text: list[str] = []
        self._stack: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in ("meta", "mspace", "none", "mprescripts"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if any(t in ("annotation", "style", "title") for t in self._stack):
            return
        (self.code_text if "code" in self._stack else self.text).append(data)


def _findings() -> list[Finding]:
    return [
        Finding(3, r"$$H_{out} = \left\lfloor \frac{H + 2P - k}{s} \right\rfloor + 1$$", "formula", Verdict.CORRECT,
                explanation=r"derived: $\lfloor (H + 2P - k)/s \rfloor + 1$"),
        Finding(5, r"$H_{out} = \frac{H - k}{s} + 1$", "formula", Verdict.INCORRECT,
                expected_latex=r"\left\lfloor \frac{H + 2P - k}{s} \right\rfloor + 1",
                counterexample={"values": {"H": 5, "k": 2, "s": 2, "P": 1}, "document": "5/2", "expected": 3},
                explanation="the document omits the padding"),
        Finding(7, r"$\frac{H + 2P - k}{s} + 1$", "formula", Verdict.CONDITIONAL,
                condition=r"$(H + 2P - k) \bmod s = 0$", expected=r"\lfloor (H + 2P - k)/s \rfloor + 1"),
        Finding(9, r"With $k = 3$ the output is $\sqrt{4} = 2$.", "example", Verdict.CORRECT),
    ]


def test_check_page_typesets_every_formula_and_leaves_no_tex_in_text():
    pytest.importorskip("latex2mathml", reason="latex2mathml (convproof[html]) typesets the formulas")
    page = render_html([Report("notes.md", _findings())])
    p = Page(page)
    assert p.tags.count("math") >= 8  # 4 sources, correct beside wrong (2), condition, 2 explanations' pieces
    assert "mfrac" in p.tags and "msub" in p.tags
    text = "".join(p.text + p.code_text)
    assert "$" not in text and "\\frac" not in text and "\\lfloor" not in text
    assert "script" not in p.tags and "cdn" not in page.lower()  # nothing fetched, nothing run
    assert '<meta name="viewport"' in page
    assert "the document omits the padding" in text and "INCORRECT" in text
    # the counterexample's numbers typeset: H = 5 and the fraction 5/2 as MathML
    assert "<mi>H</mi><mo>=</mo><mn>5</mn>" in page and "<mfrac><mn>5</mn><mn>2</mn></mfrac>" in page


def test_check_cli_html_on_the_example_notes(tmp_path):
    pytest.importorskip("latex2mathml", reason="latex2mathml (convproof[html]) typesets the formulas")
    from proofs.cli.main import main

    out = tmp_path / "report.html"
    assert main(["check", str(NOTES), "--format", "html", "--verbose", "-o", str(out)]) == 1  # notes has mistakes
    p = Page(out.read_text(encoding="utf-8"))
    assert p.tags.count("math") >= 15
    text = "".join(p.text)
    assert "$" not in text and "\\frac" not in text


def test_without_the_converter_formulas_are_escaped_source(monkeypatch):
    monkeypatch.setitem(sys.modules, "latex2mathml", None)
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)
    assert latex_to_mathml(r"\frac{a}{b}") is None
    assert formula_html(r"$a < \frac{b}{c}$") == r'<code class="tex">$a &lt; \frac{b}{c}$</code>'
    page = render_html([Report("a.md", _findings())])
    assert "<math" not in page.split("<body>")[1].split("line 3")[0]  # no MathML before the first card…
    assert "convproof[html]" in page and "\\frac{H - k}{s}" in page  # …the note says why, the source is shown


@pytest.mark.parametrize("latex", [r"\frac{a", r"x^", r"\begin{nosuchenv}", r"\nosuchcommand{x}", "a & b"])
def test_a_formula_the_converter_cannot_handle_is_escaped_source(latex):
    pytest.importorskip("latex2mathml", reason="latex2mathml (convproof[html]) typesets the formulas")
    out = formula_html(latex)
    assert out.startswith('<code class="tex">') and "<math" not in out


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", r"\text{<script>alert(1)</script>}",
           r"\text{<img src=x onerror=alert(1)>}", r"\mathrm{\"><svg onload=alert(1)>}", "</math><script>x</script>",
           "</code><iframe src=javascript:alert(1)>", "&lt;script&gt;", "$", "$$", r"\(", "\\", "{", "}", "x", " ",
           r"\frac{1}{2}", "<!--", "]]>", "<![CDATA[", "'", '"']
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(alphabet="<>&\"'$\\{}=/ab _^", max_size=8),
                        min_size=1, max_size=6).map("".join)


def _assert_inert(page: str) -> None:
    p = Page(page)
    assert set(p.tags) <= PAGE_ELEMENTS | ELEMENTS, set(p.tags) - PAGE_ELEMENTS - ELEMENTS
    for name, value in p.attrs:
        assert not name.startswith("on"), (name, value)
        assert name not in ("src", "srcset", "action", "formaction", "style"), name
        if name == "href":
            assert value.startswith("#"), value
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<svg" not in page.lower()


@given(source=hostile_text, other=hostile_text, key=hostile_text, kind=st.sampled_from(["formula", "example", "claim"]))
def test_hostile_document_text_never_reaches_the_page_as_markup(source, other, key, kind):
    f = Finding(2, source, kind, Verdict.INCORRECT, condition=other, expected=other, expected_latex=source,
                counterexample={"values": {key: other, "H": 3}, "document": other, "expected": source, "note": key},
                explanation=other)
    g = Finding(4, other, "formula", Verdict.CONDITIONAL, condition=source, expected=key, explanation=source)
    _assert_inert(render_html([Report(key, [f, g])], verbose=True))


@given(title=hostile_text, reason=hostile_text, name=hostile_text)
def test_hostile_derivation_text_never_reaches_the_page_as_markup(title, reason, name):
    import sympy as sp

    from derive.derivation import Derivation

    n = sp.Symbol("n", integer=True, positive=True)
    d = Derivation(title, assumptions=[reason])
    d.step(2 * n - n, n, reason)
    _assert_inert(render_derivations_html([(name, reason, d)]))


def _catalogue_sample():
    from derive.catalogue import CATALOGUE, get_derivation

    names = ["conv.output_size", "params.conv", "dense.grad_input", "conv2d.grad_bias", "softmax_ce.grad_input"]
    items = []
    for name in names:
        d = get_derivation(name)
        assert d.verify()
        items.append((name, CATALOGUE[name].summary, d))
    return items


def test_catalogue_page_typesets_every_step():
    pytest.importorskip("latex2mathml", reason="latex2mathml (convproof[html]) typesets the formulas")
    items = _catalogue_sample()
    page = render_derivations_html(items)
    p = Page(page)
    steps = sum(len(d.steps) for _, _, d in items)
    assert page.count('class="step"') == steps
    assert p.tags.count("math") >= steps + len(items)  # each step, each result
    assert "<code class=\"tex\">" not in page  # every step converted
    text = "".join(p.text)
    assert "$" not in text and "\\frac" not in text and "\\sum" not in text


def test_derive_list_html_writes_the_whole_catalogue(tmp_path):
    pytest.importorskip("latex2mathml", reason="latex2mathml (convproof[html]) typesets the formulas")
    from derive.catalogue import CATALOGUE
    from proofs.cli.main import main

    out = tmp_path / "catalogue.html"
    assert main(["derive", "--list", "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    for name in CATALOGUE:
        assert f'id="{name}"' in page
    p = Page(page)
    assert p.tags.count("math") > 2 * len(CATALOGUE)
    assert "$" not in "".join(p.text) and "\\frac" not in "".join(p.text)


# -- the real browser --------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(f"no system chromium/chromedriver at {CHROMIUM}, {CHROMEDRIVER} "
                    "(apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=390,844", "--no-first-run", "--disable-extensions"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    # a phone's viewport (a desktop window cannot be narrower than about 500 px)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def _load(driver, path: Path) -> dict:
    driver.get(path.as_uri())
    info = driver.execute_script(
        "return {text: document.body.innerText, maths: document.querySelectorAll('math').length,"
        " fracHeight: Math.max(0, ...[...document.querySelectorAll('mfrac')].map(e => e.getBoundingClientRect().height)),"
        " fontSize: parseFloat(getComputedStyle(document.body).fontSize),"
        " scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth}")
    info["severe"] = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    return info


def test_pages_in_headless_chromium(browser, tmp_path):
    pytest.importorskip("latex2mathml", reason="latex2mathml (convproof[html]) typesets the formulas")
    start = time.monotonic()
    from proofs.cli.main import main

    report = tmp_path / "report.html"
    assert main(["check", str(NOTES), "--format", "html", "-o", str(report)]) == 1
    catalogue = tmp_path / "catalogue.html"
    catalogue.write_text(render_derivations_html(_catalogue_sample()), encoding="utf-8")
    for path in (report, catalogue):
        info = _load(browser, path)
        assert info["severe"] == [], info["severe"]
        assert info["maths"] >= 10
        assert "$" not in info["text"] and "\\frac" not in info["text"], info["text"][:500]
        # MathML is laid out (not shown as a line of text): a fraction stands taller than two lines of text
        assert info["fracHeight"] > 1.8 * info["fontSize"], info
        # readable on a phone: nothing wider than the 390 px viewport
        assert info["width"] == 390 and info["scrollWidth"] <= info["width"], info
        browser.execute_script("const c = document.querySelector('.card.INCORRECT');"
                               " if (c) c.scrollIntoView({block: 'start'});")
        shot = tmp_path / f"{path.stem}.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5000
        print(f"screenshot: {shot}")
    assert time.monotonic() - start < 60

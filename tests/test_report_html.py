"""report.html from Jinja2 templates: data is escaped by default and never run as a template."""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
from html.parser import HTMLParser
from importlib import resources

import pytest
from jinja2 import StrictUndefined, UndefinedError

from cib.config import ReportParams
from cib.report import html as report_html
from cib.report import render_html

try:
    from fixtures_report import build_report
except ImportError:  # tests/ imported as a package
    from tests.fixtures_report import build_report

#: Post texts an adversary would write against a template engine and the page.
TEXTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% raw %}",
    "{{ config.__class__ }} {% for x in range(3) %}{{ x }}{% endfor %} {# gone? #}",
]


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(page)
    return found


@pytest.fixture(scope="module")
def page() -> str:
    report = copy.deepcopy(build_report(hostile=False))
    net = report["networks"][0]
    net["name"] = "{{ 6*7 }} <b>net</b>"
    posts = [p for e in net["evidence"] for p in e["posts"]]
    for i, p in enumerate(posts):
        p["text"] = TEXTS[i % len(TEXTS)]
    return render_html(report, ReportParams())


def test_post_text_is_escaped_and_shown_literally(page: str) -> None:
    for text in TEXTS:
        assert html.escape(text, quote=True) in page, text
    assert "<script>alert(1)</script>" not in page
    assert "<img" not in page.lower()
    # Jinja never renders data as a template: the expressions are shown, not evaluated
    assert "{{ 7*7 }}" in page and "{% raw %}" in page and "{# gone? #}" in page
    assert "{{ 6*7 }} &lt;b&gt;net&lt;/b&gt;" in page
    assert ">49<" not in page and ">42 " not in page and "0 1 2" not in page
    tags = _tags(page)
    assert sum(1 for t, _ in tags if t == "script") == 1
    assert not {t for t, _ in tags} & {"img", "b", "iframe", "object", "embed"}
    assert not [t for t, attrs in tags if any(a.lower().startswith("on") for a, _ in attrs)]


def test_csp_hash_is_over_the_script_the_page_runs(page: str) -> None:
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode("utf-8")).digest()).decode()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert meta
    policy = html.unescape(meta.group(1))
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "form-action 'none'" in policy


def test_templates_are_package_data_and_strict() -> None:
    templates = resources.files("cib.report").joinpath("templates")
    assert templates.joinpath("report.html.j2").is_file()
    env = report_html._env()
    assert env.undefined is StrictUndefined
    assert callable(env.autoescape) and env.autoescape("report.html.j2") is True
    # a new template escapes whatever it is given, and a misspelt name fails loudly
    assert (
        env.from_string("<p>{{ x }}</p>").render(x="<b>'\u202e") == "<p>&lt;b&gt;&#x27;⟨U+202E⟩</p>"
    )
    with pytest.raises(UndefinedError):
        env.from_string("{{ nope }}").render()

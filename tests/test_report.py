"""Report renderers: files, schema, accounts.csv, and hostile payloads neutralised everywhere."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console

from cib.config import ReportParams
from cib.errors import SchemaError
from cib.report import (
    FILENAMES,
    load_schema,
    print_summary,
    render_csv,
    render_html,
    validate_report,
    write_report,
)
from cib.report.safety import clean, csv_cell, md, safe_url

try:
    from fixtures_report import HOSTILE, build_report
except ImportError:  # tests/ imported as a package
    from tests.fixtures_report import HOSTILE, build_report

PARAMS = ReportParams()


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of ``page`` with its attributes, as a browser's tokenizer sees them."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(page)
    return found


@pytest.fixture(scope="module")
def report() -> dict:
    return build_report()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, report: dict) -> dict[str, Path]:
    return write_report(report, tmp_path_factory.mktemp("report"), params=PARAMS)


def _read(out: dict[str, Path], fmt: str) -> str:
    return out[fmt].read_text(encoding="utf-8")


def test_writes_every_format_and_no_temp_files(out: dict[str, Path]) -> None:
    assert set(out) == set(FILENAMES)
    for fmt, path in out.items():
        assert path.name == FILENAMES[fmt] and path.stat().st_size > 0
    folder = next(iter(out.values())).parent
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_json_roundtrips_and_validates(out: dict[str, Path], report: dict) -> None:
    data = json.loads(_read(out, "json"))
    assert data == report
    validate_report(data)
    assert load_schema()["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda r: r["networks"][0].__setitem__("score", 1.5), "$.networks[0].score"),
        (lambda r: r["networks"][1]["members"][2].pop("role"), "$.networks[1].members[2]"),
        (lambda r: r["run"].__setitem__("engine", "pandas"), "$.run.engine"),
        (
            lambda r: r["networks"][0]["hours"].__setitem__("utc_hour_counts", [1] * 23),
            "$.networks[0].hours.utc_hour_counts",
        ),
        (lambda r: r.pop("run"), "$"),
    ],
)
def test_invalid_report_names_the_path(report: dict, mutate, where: str, tmp_path: Path) -> None:
    bad = copy.deepcopy(report)
    mutate(bad)
    with pytest.raises(SchemaError) as exc:
        validate_report(bad)
    assert f"invalid at {where}:" in str(exc.value)
    with pytest.raises(SchemaError):
        write_report(bad, tmp_path, params=PARAMS)
    assert list(tmp_path.iterdir()) == []  # nothing written on failure


def test_accounts_csv_lists_only_flagged_networks(out: dict[str, Path], report: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(_read(out, "csv"))))
    assert list(rows[0]) == [
        "account_id",
        "network_id",
        "network_rank",
        "network_score",
        "role",
        "degree",
        "posts",
        "coordinated_posts",
        "account_name",
    ]
    flagged = {str(n["network_id"]) for n in report["networks"] if n["flagged"]}
    assert flagged and {r["network_id"] for r in rows} == flagged
    expected = sum(len(n["members"]) for n in report["networks"] if n["flagged"])
    assert len(rows) == expected
    unflagged_ids = {
        m["account_id"] for n in report["networks"] if not n["flagged"] for m in n["members"]
    }
    assert not unflagged_ids & {r["account_id"] for r in rows}


def test_csv_cells_never_start_a_formula(out: dict[str, Path]) -> None:
    text = _read(out, "csv")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first_cells = [r[0] for r in csv.reader(io.StringIO(text))]
    assert "'" + HOSTILE["formula"] in first_cells
    assert "'@sum(1+1)" in first_cells
    assert "\u202e" not in text


def test_csv_cell_guard() -> None:
    for s in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert csv_cell(s) == "'" + s
    assert csv_cell("ok") == "ok" and csv_cell(None) == "" and csv_cell(3) == 3
    assert csv_cell(-2.5) == "'-2.5"
    assert render_csv(["a"], [["=cmd|' /C calc'!A0"]]).splitlines()[1].startswith("'=")


HTML_PAYLOADS = [HOSTILE[k] for k in ("script", "img", "svg", "title", "data_url")]


def test_html_has_no_raw_payload_only_escaped(out: dict[str, Path]) -> None:
    page = _read(out, "html")
    for payload in HTML_PAYLOADS:
        assert payload not in page, payload
        assert html.escape(payload, quote=True) in page, payload
    assert "<script>" in page and page.count("<script") == 1  # only our own script
    tags = _tags(page)
    assert not [t for t, attrs in tags if any(a.lower().startswith("on") for a, _ in attrs)]
    assert not {t for t, _ in tags} & {"img", "iframe", "object", "embed", "base", "link"}
    assert sum(1 for t, _ in tags if t == "script") == 1


def test_html_bidi_and_controls_made_visible(out: dict[str, Path]) -> None:
    page = _read(out, "html")
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert ch not in page
    assert "⟨U+202E⟩" in page
    assert clean("a\u202eb\x1bc") == "a⟨U+202E⟩b⟨U+001B⟩c"


def test_html_links_only_http_with_rel(out: dict[str, Path]) -> None:
    page = _read(out, "html")
    hrefs = re.findall(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>', page)
    for tag in re.findall(r"<a\b[^>]*>", page):
        href = re.search(r'href="([^"]*)"', tag)
        assert href, tag
        target = html.unescape(href.group(1))
        if target.startswith("#"):
            continue
        assert target.startswith(("http://", "https://")), target
        assert 'rel="noopener noreferrer nofollow"' in tag, tag
    assert any(h.startswith("https://news-") for h in hrefs)
    assert not any(
        html.unescape(h).lower().startswith(("javascript:", "data:", "vbscript:")) for h in hrefs
    )
    # the javascript: label is still shown, as text
    assert html.escape(HOSTILE["js_url"]) in page
    assert 'href="javascript' not in page.lower()


def test_html_is_self_contained(out: dict[str, Path]) -> None:
    page = _read(out, "html")
    low = page.lower()
    for bad in (
        "<script src",
        "<link",
        "@import",
        "url(http",
        "url(//",
        "<iframe",
        "<img",
        "<object",
        "<embed",
        'src="http',
        "src='http",
        "<base",
    ):
        assert bad not in low, bad
    # the only external http(s) references are evidence links (rel=noopener) and SVG namespaces
    for m in re.finditer(r'(\w[\w:-]*)="(https?://[^"]*)"', page):
        attr, url = m.group(1), m.group(2)
        assert attr in ("href", "xmlns"), (attr, url)
        if attr == "xmlns":
            assert url == "http://www.w3.org/2000/svg"
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp and "default-src &#x27;none&#x27;" in csp.group(1)
    assert "script-src &#x27;sha256-" in csp.group(1)


def test_html_content_for_verification(out: dict[str, Path], report: dict) -> None:
    page = _read(out, "html")
    top = report["networks"][0]
    assert html.escape(top["name"]) in page
    assert html.escape(top["why"]) in page
    assert "Timeline of member activity" in page and 'class="coord"' in page
    assert "Accounts created per week" in page and "Posts per hour of day" in page
    assert page.count('class="node') >= len(top["members"])
    assert "ab" * 32 in page  # input sha256
    # evidence: example post ids and timestamps are shown
    ev = top["evidence"][5]
    assert html.escape(ev["posts"][0]["post_id"]) in page


def test_html_caps_networks_and_evidence(report: dict) -> None:
    page = render_html(report, ReportParams(max_networks=1, max_evidence=2))
    assert 'id="net-101"' in page and 'id="net-102"' not in page
    assert page.count('class="evidence"') == 2
    assert "more network(s) not shown" in page


def test_markdown_escapes(out: dict[str, Path]) -> None:
    text = _read(out, "md")
    for payload in HTML_PAYLOADS + [HOSTILE["md"]]:
        assert payload not in text, payload
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in text
    assert "](javascript" not in text and "](<javascript" not in text
    assert "](data:" not in text and "](<data:" not in text
    assert "](<https://news-" in text
    assert "\u202e" not in text
    assert md("a|b`c[d]<e>") == "a\\|b\\`c\\[d\\]&lt;e&gt;"
    # table rows keep their column count despite pipes in names
    for line in text.splitlines():
        if line.startswith("| ") and "account id" not in line and "---" not in line:
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (4, 8, 9, 10), line


def test_gexf_parses_and_escapes(out: dict[str, Path], report: dict) -> None:
    text = _read(out, "gexf")
    root = ET.fromstring(text.encode("utf-8"))
    ns = {"g": "http://gexf.net/1.3"}
    assert root.get("version") == "1.3"
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    assert len(nodes) == sum(len(n["members"]) for n in report["networks"])
    assert len(edges) == sum(len(n["edges"]) for n in report["networks"])
    labels = {n.get("label") for n in nodes}
    assert HOSTILE["script"] in labels  # round-trips as text, escaped in the file
    assert HOSTILE["script"] not in text and "\u202e" not in text
    ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in ids and e.get("target") in ids for e in edges)
    assert all(float(e.get("weight")) >= 0 for e in edges)


def _graphml_report(report: dict) -> dict:
    """``report`` with an account id and names holding XML specials and control characters."""
    rep = copy.deepcopy(report)
    net = rep["networks"][0]
    old = net["members"][-1]["account_id"]
    new = "a&b<\"c'>\x01\x1b[31m"
    net["members"][-1]["account_id"] = new
    net["members"][-1]["account_name"] = "Tom & Jerry <script>x</script> \x07\x1b[2J\u202e"
    for e in net["edges"]:
        e["account_a"] = new if e["account_a"] == old else e["account_a"]
        e["account_b"] = new if e["account_b"] == old else e["account_b"]
    return rep


def test_graphml_reads_with_igraph_and_escapes(tmp_path: Path, report: dict) -> None:
    import igraph

    rep = _graphml_report(report)
    paths = write_report(rep, tmp_path, params=PARAMS, formats=("graphml",))
    text = paths["graphml"].read_text(encoding="utf-8")
    ET.fromstring(text.encode("utf-8"))  # well-formed XML
    g = igraph.Graph.Read_GraphML(str(paths["graphml"]))
    assert not g.is_directed()
    assert g.vcount() == sum(len(n["members"]) for n in rep["networks"])
    assert g.ecount() == sum(len(n["edges"]) for n in rep["networks"])
    assert {"label", "network_id", "rank", "score", "role", "posts", "flagged"} <= set(
        g.vs.attributes()
    )
    assert {"signal", "weight", "n_coactions", "network_id"} <= set(g.es.attributes())
    labels = set(g.vs["label"])
    assert HOSTILE["script"] in labels  # round-trips as text, escaped in the file
    assert HOSTILE["script"] not in text and "<script>" not in text and "\u202e" not in text
    assert "Tom &amp; Jerry &lt;script&gt;" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    # Standard XML readers get the id back as clean() shows it (igraph 1.0 keeps ``&#38;``
    # in ids, consistently for nodes and edges, so the graph is still right).
    hostile_id = clean("a&b<\"c'>\x01\x1b[31m")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(text.encode("utf-8"))
    assert hostile_id in {n.get("id") for n in root.iter(f"{{{ns['g']}}}node")}
    first = rep["networks"][0]
    v = g.vs.find(label=clean(first["members"][-1]["account_name"]))
    assert v["network_id"] == first["network_id"] and v["flagged"] is True
    assert v.degree() == sum(
        hostile_id in (clean(e["account_a"]), clean(e["account_b"])) for e in first["edges"]
    )
    assert sorted(g.es["weight"]) == sorted(
        float(e["weight"]) for n in rep["networks"] for e in n["edges"]
    )


def test_graphml_needs_no_networkx(tmp_path: Path) -> None:
    code = (
        "import sys, igraph\n"
        "from cib.report.graphml import render_graphml\n"
        "from fixtures_report import build_report\n"
        "rep = build_report()\n"
        f"p = {str(tmp_path / 'g.graphml')!r}\n"
        "open(p, 'w', encoding='utf-8').write(render_graphml(rep))\n"
        "g = igraph.Graph.Read_GraphML(p)\n"
        "assert g.vcount() == sum(len(n['members']) for n in rep['networks'])\n"
        "assert 'networkx' not in sys.modules, 'networkx was imported'\n"
    )
    tests_dir = Path(__file__).parent
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=tests_dir, capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr


def test_safe_url() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:x",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
        "http:/nohost",
        "https://a.example/\u202ex",
        None,
    ):
        assert safe_url(bad) is None, bad


def test_print_summary_is_inert() -> None:
    rep = build_report()
    rep["networks"][0]["why"] = "[bold red]x[/] \x1b[31mred\x1b[0m \u202e"
    buf = io.StringIO()
    print_summary(rep, Console(file=buf, width=120, color_system=None))
    shown = buf.getvalue()
    assert "[bold red]" in shown and "\x1b" not in shown and "\u202e" not in shown
    assert "0.93" in shown


def test_write_subset_of_formats(tmp_path: Path, report: dict) -> None:
    paths = write_report(report, tmp_path / "sub", params=PARAMS, formats=("csv", "gexf"))
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["accounts.csv", "network.gexf"]
    assert set(paths) == {"csv", "gexf"}


def test_graph_layout_is_deterministic(report: dict) -> None:
    assert render_html(report, PARAMS) == render_html(report, PARAMS)


def test_empty_and_degenerate_networks(tmp_path: Path, report: dict) -> None:
    empty = copy.deepcopy(report)
    empty["networks"] = []
    paths = write_report(empty, tmp_path / "empty", params=PARAMS)
    assert "Networks" in paths["html"].read_text(encoding="utf-8")
    assert paths["csv"].read_text(encoding="utf-8").count("\n") == 1  # header only
    bare = copy.deepcopy(report)
    net = bare["networks"][0]
    net.update(edges=[], evidence=[], timeline=[], creation_histogram=[], signals={})
    net["hours"].update(utc_hour_counts=[0] * 24, claimed_locations=[], claimed_utc_offset_h=None)
    for m in net["members"]:
        m.update(
            account_name=None,
            account_location=None,
            account_created_at=None,
            followers=None,
            client=None,
        )
    page = write_report(bare, tmp_path / "bare", params=PARAMS)["html"].read_text("utf-8")
    assert "No shared objects recorded" in page and "No member posts" in page


def test_big_network_is_capped_in_drawings() -> None:
    big = build_report(1, members=220, evidence=3, hostile=False)
    page = render_html(big, PARAMS)
    section = page[page.index('id="net-101"') :]
    assert section.count('class="node') == 150
    assert "top 150 by degree" in section


def test_terminal_says_what_was_demoted_and_why() -> None:
    rep = build_report()
    rep["run"]["demoted"] = {
        "networks_below_threshold": 2,
        "pairs": {
            "habits_explain_timing": {
                "count": 1234,
                "reason": "demoted: the accounts' own reaction habits explain the timing",
            }
        },
        "top_pairs": [],
    }
    buf = io.StringIO()
    print_summary(rep, Console(file=buf, width=200, color_system=None))
    shown = " ".join(buf.getvalue().split())
    assert "2 network(s) below the flag threshold" in shown
    assert "1,234 candidate pair(s) (1,234 the accounts' own reaction habits explain" in shown

"""evidence.parquet from a real scan, and the notebook API (cib.scan, ScanResult, README)."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import igraph
import polars as pl
import pytest
from click.testing import CliRunner

import cib
from cib.cli import cli
from cib.pipeline import ACCOUNT_ROWS, NETWORK_ROWS
from cib.report import FILENAMES
from cib.report.csv_out import ACCOUNT_COLUMNS
from cib.report.evidence import EVIDENCE_SCHEMA

ROOT = Path(__file__).parents[1]
POSTS = ROOT / "sample_data" / "sim" / "posts.csv"
HASH = cib.ScanConfig().override(embed={"model": "hash"})


@pytest.fixture(scope="module")
def cli_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cliscan")
    out = tmp / "out"
    args = ["scan", str(POSTS), "--db", str(tmp / "s.duckdb"), "--out", str(out)]
    r = CliRunner().invoke(cli, [*args, "--model", "hash", "--json"])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> cib.ScanResult:
    tmp = tmp_path_factory.mktemp("apiscan")
    return cib.scan(str(POSTS), db=tmp / "a.duckdb", config=HASH, out=tmp / "out")


def _report(out: Path) -> dict:
    return json.loads((out / "networks.json").read_text(encoding="utf-8"))


def test_evidence_parquet_reads_with_polars_and_duckdb(cli_out: Path) -> None:
    path = cli_out / "evidence.parquet"
    ev = pl.read_parquet(path)
    assert ev.schema == EVIDENCE_SCHEMA and ev.height > 0
    (n,) = duckdb.sql(f"select count(*) from '{path}'").fetchall()[0]
    assert n == ev.height
    assert ev.null_count().sum_horizontal().item() == 0


def test_evidence_pairs_are_within_one_network(cli_out: Path) -> None:
    ev = pl.read_parquet(cli_out / "evidence.parquet")
    net_of = {
        m["account_id"]: n["network_id"] for n in _report(cli_out)["networks"] for m in n["members"]
    }
    for a, b, nid in ev.select("account_a", "account_b", "network_id").unique().iter_rows():
        assert a != b
        assert net_of[a] == net_of[b] == nid, (a, b, nid)


def test_every_kept_edge_in_networks_json_has_evidence_rows(cli_out: Path) -> None:
    ev = pl.read_parquet(cli_out / "evidence.parquet")
    rows = ev.group_by("account_a", "account_b", "signal", "network_id").len()
    counts = {tuple(r[:4]): r[4] for r in rows.iter_rows()}
    edges = [(e, n["network_id"]) for n in _report(cli_out)["networks"] for e in n["edges"]]
    assert edges
    for e, nid in edges:
        got = counts.get((e["account_a"], e["account_b"], e["signal"], nid), 0)
        assert got > 0, (e, nid)
    # Every (pair, signal) of the file is one of the networks' kept edges (none capped here).
    assert len(counts) == len(edges)


def test_graphml_of_a_scan_matches_networks_json(cli_out: Path) -> None:
    rep = _report(cli_out)
    g = igraph.Graph.Read_GraphML(str(cli_out / "network.graphml"))
    assert g.vcount() == len({m["account_id"] for n in rep["networks"] for m in n["members"]})
    assert g.ecount() == sum(len(n["edges"]) for n in rep["networks"])
    flagged = {m["account_id"] for n in rep["networks"] if n["flagged"] for m in n["members"]}
    assert {v["id"] for v in g.vs if v["flagged"]} == flagged


def test_scan_result_frames(result: cib.ScanResult) -> None:
    out = result.outputs["json"].parent
    rep = _report(out)
    assert result.report.run["run_id"] == rep["run"]["run_id"]
    nets = result.networks
    assert nets.schema == NETWORK_ROWS
    assert nets["rank"].to_list() == sorted(n["rank"] for n in rep["networks"])
    assert nets["n_members"].to_list() == [
        len(n["members"]) for n in sorted(rep["networks"], key=lambda n: n["rank"])
    ]
    assert nets.filter(flagged=True).height == rep["run"]["counts"]["flagged_networks"]
    acc = result.accounts
    assert acc.schema == ACCOUNT_ROWS and tuple(acc.columns) == ACCOUNT_COLUMNS
    with (out / "accounts.csv").open(encoding="utf-8") as fh:
        listed = [r["account_id"] for r in csv.DictReader(fh)]
    assert acc["account_id"].to_list() == listed
    assert result.evidence.schema == EVIDENCE_SCHEMA
    assert result.evidence.equals(pl.read_parquet(out / "evidence.parquet"))
    assert set(result.outputs) == {*FILENAMES, "evidence"}
    page = result.report_html()
    assert page.startswith("<!DOCTYPE html>") and rep["networks"][0]["name"] in page
    assert len(result.ingests) == 1 and result.ingests[0].ingested == result.ingests[0].rows_seen


def test_scan_result_write_and_config_path(tmp_path: Path, result: cib.ScanResult) -> None:
    paths = result.write(tmp_path / "again")
    assert sorted(p.name for p in paths.values()) == sorted(
        [*FILENAMES.values(), "evidence.parquet"]
    )
    assert pl.read_parquet(paths["evidence"]).equals(result.evidence)
    assert cib.load_config(None) == cib.ScanConfig()
    toml = tmp_path / "c.toml"
    toml.write_text('[embed]\nmodel = "hash"\n', encoding="utf-8")
    assert cib.load_config(toml) == HASH and cib.load_config(HASH) is HASH


def test_cli_and_api_give_the_same_evidence(cli_out: Path, result: cib.ScanResult) -> None:
    assert pl.read_parquet(cli_out / "evidence.parquet").equals(result.evidence)


def test_library_names_do_not_shadow_subpackages() -> None:
    code = (
        "import sys, cib\n"
        "assert 'cib.pipeline' not in sys.modules, 'import cib loaded the pipeline'\n"
        "from cib.detect import detect\n"
        "import cib.report, cib.ingest, cib.evaluate, cib.detect\n"
        "import types\n"
        "for m in (cib.report, cib.ingest, cib.evaluate, cib.detect):\n"
        "    assert isinstance(m, types.ModuleType), m\n"
        "from cib import scan, ScanResult, ingest_paths, detect_run, detect_store\n"
        "from cib import render_report, evaluate_files, open_store, report_from_store\n"
        "import cib.pipeline as P, cib.evaluate as E\n"
        "assert cib.ingest_paths is P.ingest_paths and cib.detect_run is P.detect_run\n"
        "assert cib.render_report is P.write_outputs and cib.evaluate_files is E.evaluate_files\n"
        "assert cib.ScanResult is P.ScanResult and callable(detect)\n"
        "assert set(cib.__all__) <= set(dir(cib)) | set(cib._API)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "README's Python section has one ```python example"
    return blocks[0]


def test_readme_python_example_runs(tmp_path: Path) -> None:
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data", target_is_directory=True)
    script = tmp_path / "example.py"
    script.write_text(_readme_example(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    out = tmp_path / "out" / "notebook"
    assert (out / "evidence.parquet").is_file() and (out / "network.graphml").is_file()
    assert "rank" in r.stdout and "account_a" in r.stdout

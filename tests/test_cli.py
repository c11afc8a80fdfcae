"""The CLI end to end on sample data: real DuckDB file, exit codes, JSON summaries."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from cib.cli import cli

ROOT = Path(__file__).parents[1]
SIM = ROOT / "sample_data" / "sim"
FORMATS = ROOT / "sample_data" / "formats"


def rep_parts(out: Path) -> list[dict]:
    return [n["parts"] for n in json.loads((out / "networks.json").read_text())["networks"]]


def test_scan_sample_writes_report_and_evaluates(tmp_path: Path) -> None:
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    r = CliRunner().invoke(
        cli,
        [
            "scan",
            str(SIM / "posts.csv"),
            "--db",
            str(db),
            "--out",
            str(out),
            "--model",
            "hash",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output.strip().splitlines()[-1])
    assert summary["counts"]["flagged_networks"] >= 3
    for name in (
        "networks.json",
        "accounts.csv",
        "report.html",
        "report.md",
        "network.gexf",
        "network.graphml",
        "evidence.parquet",
    ):
        assert (out / name).stat().st_size > 0
    assert summary["outputs"]["evidence"].endswith("evidence.parquet")
    rows = list(csv.DictReader((out / "accounts.csv").open()))
    assert rows and {"account_id", "network_id", "network_rank", "network_score"} <= set(rows[0])
    # The crowd share survives the scan path (the events are freed before the report).
    timed = [n for n in rep_parts(out) if n.get("habit") is not None]
    assert timed and all(n.get("crowd_share") is not None for n in timed)
    # Rank, don't drop: what was demoted stays visible, with its reasons.
    rep = json.loads((out / "networks.json").read_text())
    below = [n for n in rep["networks"] if not n["flagged"]]
    assert below, "the sample holds groups below the flag threshold"
    assert all(n["demoted"] and n["demoted"][0].startswith("score ") for n in below)
    assert all(n["demoted"] == [] for n in rep["networks"] if n["flagged"])
    dem = rep["run"]["demoted"]
    assert dem["networks_below_threshold"] == len(below)
    assert dem["pairs"] and all(v["count"] > 0 and v["reason"] for v in dem["pairs"].values())
    html = (out / "report.html").read_text()
    assert "Below the flag threshold" in html and "Demoted pair evidence" in html
    assert below[0]["name"] in html
    assert "Below the flag threshold" in (out / "report.md").read_text()
    # Each flagged network carries its burst structure, found without a window.
    assert all("bursts" in n for n in rep["networks"])
    assert any(n["bursts"]["bursts"] for n in rep["networks"] if n["flagged"])
    assert "Bursts (found from the data, no window)" in html
    # Networks say which platforms their members are on.
    flagged = [n for n in rep["networks"] if n["flagged"]]
    assert all(sum(n["platforms"].values()) >= len(n["members"]) for n in flagged)
    # Rank, don't drop: accounts peeled off a network but tied mostly to it are listed after
    # its scored members as peripheral, and accounts.csv flags them with it.
    roles = [[m["role"] for m in n["members"]] for n in rep["networks"]]
    assert any("peripheral" in r for r in roles)
    assert all(r[r.index("peripheral") :] == ["peripheral"] * (len(r) - r.index("peripheral"))
               for r in roles if "peripheral" in r)  # fmt: skip
    assert any(r["role"] == "peripheral" for r in rows)
    listed = {r["account_id"] for r in rows}
    assert not listed & {m["account_id"] for n in below for m in n["members"]} - {
        m["account_id"] for n in rep["networks"] if n["flagged"] for m in n["members"]
    }
    r = CliRunner().invoke(
        cli,
        [
            "evaluate",
            "--labels",
            str(SIM / "labels.csv"),
            "--accounts",
            str(out / "accounts.csv"),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert res["precision"] >= 0.9 and res["recall"] >= 0.5, res
    # Re-render from the store without rescanning.
    r = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(tmp_path / "again")])
    assert r.exit_code == 0, r.output
    again = json.loads((tmp_path / "again" / "networks.json").read_text())
    first = json.loads((out / "networks.json").read_text())
    assert again["run"]["run_id"] == first["run"]["run_id"]
    # The graph is re-rendered; the co-actions behind evidence.parquet are not stored.
    assert (tmp_path / "again" / "network.graphml").stat().st_size > 0
    assert not (tmp_path / "again" / "evidence.parquet").exists()


def test_ingest_twice_adds_nothing_and_counts_quarantine(tmp_path: Path) -> None:
    db = tmp_path / "i.duckdb"
    args = ["ingest", str(FORMATS / "corrupted.csv"), "--db", str(db), "--json"]
    first = json.loads(CliRunner().invoke(cli, args).output)
    second = json.loads(CliRunner().invoke(cli, args).output)
    # 11 rows (sample_data/formats/README.md): 5 good posts, one of them a repeated post_id
    # (a duplicate), 6 bad rows. Every row is accounted for.
    assert (first["ingested"], first["duplicates"], first["quarantined"]) == (4, 1, 6)
    assert first["ingested"] + first["duplicates"] + first["quarantined"] == first["rows"] == 11
    assert second["ingested"] == 0 and second["duplicates"] == 5


def test_same_dump_in_three_formats_same_count(tmp_path: Path) -> None:
    counts = []
    for name in ("canonical.csv", "canonical.jsonl", "canonical.parquet"):
        r = CliRunner().invoke(
            cli,
            ["ingest", str(FORMATS / name), "--db", str(tmp_path / f"{name}.duckdb"), "--json"],
        )
        assert r.exit_code == 0, r.output
        counts.append(json.loads(r.output)["ingested"])
    assert counts[0] == counts[1] == counts[2] > 0


def test_not_a_dump_exits_2_with_map_hint(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        cli, ["ingest", str(FORMATS / "custom_columns.csv"), "--db", str(tmp_path / "x.duckdb")]
    )
    assert r.exit_code == 2
    assert "--map" in r.output


def test_second_writer_gets_lock_message(tmp_path: Path) -> None:
    db = tmp_path / "l.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from cib.store import open_store; s = open_store(sys.argv[1]); "
            "print('ready', flush=True); time.sleep(30)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        t0 = time.time()
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "cib.cli",
                "ingest",
                str(FORMATS / "canonical.csv"),
                "--db",
                str(db),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert time.time() - t0 < 60
        assert r.returncode == 2, r.stderr
        assert "locked by another run" in r.stderr
    finally:
        holder.kill()
        holder.wait()


def test_wrong_schema_version_is_refused(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)").fetchall()
    con.execute("INSERT INTO meta VALUES ('schema_version', '999')").fetchall()
    con.close()
    r = CliRunner().invoke(cli, ["ingest", str(FORMATS / "canonical.csv"), "--db", str(db)])
    assert r.exit_code == 2
    assert "schema version 999" in r.output and "new store" in r.output


def test_exit_codes_follow_one_table(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Usage errors exit 2 (click's own), CibErrors their exit_code (2, with the fix),
    anything unexpected 1 with the exception kept."""
    import cib.pipeline
    from cib.errors import CibError, JobLockedError

    db = ["--db", str(tmp_path / "e.duckdb")]
    assert CliRunner().invoke(cli, ["scan", str(FORMATS / "canonical.csv"), *db]).exit_code == 2
    r = CliRunner().invoke(cli, ["config", "show", "--config", str(tmp_path / "none.toml")])
    assert r.exit_code == CibError.exit_code == 2 and "check --config" in r.output
    assert JobLockedError.exit_code == 75

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("a bug")

    monkeypatch.setattr(cib.pipeline, "ingest_paths", boom)
    r = CliRunner().invoke(cli, ["ingest", str(FORMATS / "canonical.csv"), *db])
    assert r.exit_code == 1 and isinstance(r.exception, RuntimeError)

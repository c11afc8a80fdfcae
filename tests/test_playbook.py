"""Return detection by playbook (cib.playbook, cib.tracking): the takedown-and-return scenario
of issue 14 and the null that keeps popular features and behaviour alone from matching."""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipelines"))

from returnsim import Scenario, simulate_return, split_weeks  # noqa: E402

from cib.config import ScanConfig, TrackParams  # noqa: E402
from cib.errors import ConfigError  # noqa: E402
from cib.pipeline import detect_store, ingest_paths  # noqa: E402
from cib.playbook import (  # noqa: E402
    Population,
    ReturnMatcher,
    _sched_shares,
    creation_test,
    handle_shape,
    profiles,
)
from cib.report.model import Report  # noqa: E402
from cib.store import HANDLE_SHAPE_SQL, open_store  # noqa: E402
from cib.tracking import changes_summary  # noqa: E402

CFG = ScanConfig().override(embed={"model": "hash"})
OPS = ("copypasta", "locals")


def _members(n: dict) -> set[str]:
    return {m["account_id"] for m in n["members"]}


def _network_of(report: Report, accounts: set[str]) -> dict:
    best = max(report.networks, key=lambda n: len(_members(n) & accounts))
    assert len(_members(best) & accounts) >= 0.5 * len(best["members"])
    return best


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Week 1 scanned; then week 2 (fresh accounts, every text rewritten, same talking points
    and domains) scanned once after a watchlisted takedown and once with the old accounts
    simply gone quiet."""
    tmp = tmp_path_factory.mktemp("returns")
    res = simulate_return(Scenario(seed=2, accounts=600, rewrite=1.0, changed=0.0))
    w1, w2 = split_weeks(res["posts"], res["takedown_t"])
    w1.write_parquet(tmp / "w1.parquet")
    w2.write_parquet(tmp / "w2.parquet")
    with open_store(tmp / "base.duckdb") as st:
        ingest_paths(st, [str(tmp / "w1.parquet")], config=CFG)
        rep1 = detect_store(st, CFG)
    out = {"res": res, "week1": rep1}
    for order in ("watchlist", "dormant", "unflaggable"):
        db = tmp / f"{order}.duckdb"
        shutil.copy(tmp / "base.duckdb", db)
        cfg = CFG
        if order == "unflaggable":  # nothing reaches the flag threshold by its score
            cfg = CFG.override(report={"flag_threshold": 1.0})
        with open_store(db) as st:
            if order != "dormant":
                at = datetime.fromtimestamp(res["takedown_t"], UTC)
                st.add_watchlist(res["watchlist"], source="test", added_at=at)
            ingest_paths(st, [str(tmp / "w2.parquet")], config=cfg)
            out[order] = detect_store(st, cfg)
    return out


def _wave(res: dict, op: str, wave: int) -> set[str]:
    lab = res["labels"]
    return set(lab.filter((pl.col("campaign") == op) & (pl.col("wave") == wave))["account_id"])


@pytest.mark.parametrize("order", ["watchlist", "dormant"])
def test_both_returning_operations_are_re_emerged_and_point_at_their_old_tracks(
    scenario: dict, order: str
):
    res, rep1, rep2 = scenario["res"], scenario["week1"], scenario[order]
    returned = set()
    for op in OPS:
        old = _network_of(rep1, _wave(res, op, 1))
        assert old["flagged"], f"week 1 must flag {op}"
        new = _network_of(rep2, _wave(res, op, 2))
        h = new["history"]
        assert h["status"] == "re-emerged" and h["re_emerged"], (op, h)
        assert h["matched_track"] == old["history"]["track_id"]
        assert h["return_of"]["track_id"] == old["history"]["track_id"]
        assert h["return_of"]["run_id"] == rep1.run["run_id"]
        if order == "watchlist":
            assert h["return_of"]["label"] == f"takedown-{op}"
            assert f"takedown-{op}" in h["watchlist_hits"]["labels"]
            assert h["watchlist_hits"]["accounts"] == []
        assert len(h["return_of"]["matched_parts"]) >= TrackParams().min_parts
        assert any(w.startswith("accounts created") for w in h["return_of"]["why"])
        assert any("domain" in w for w in h["return_of"]["why"])
        returned.add(new["network_id"])
    # No other network (organic, the topic crowd, the decoy, the background's operations).
    others = [n for n in rep2.networks if n["network_id"] not in returned]
    assert others
    assert [n["history"].get("return_of") for n in others if n["history"]["re_emerged"]] == []
    ch = changes_summary(rep2)
    assert {e["network_id"] for e in ch["re_emerged"]} == returned
    assert all(e["return_of"]["why"] for e in ch["re_emerged"]) and ch["alert"]


def test_the_decoy_with_the_same_behaviour_but_other_content_is_not_a_return(scenario: dict):
    """Fresh accounts created right after the takedown, the locals' office hours, clients and
    handle pattern, but their own domains and talking points: not a return."""
    res, rep2 = scenario["res"], scenario["watchlist"]
    decoy = set(res["labels"].filter(pl.col("campaign") == "decoy")["account_id"])
    net = _network_of(rep2, decoy)
    assert not net["history"]["re_emerged"]
    assert net["history"]["status"] == "new"


def test_a_watchlisted_operations_return_is_flagged_whatever_its_score(scenario: dict):
    res, rep = scenario["res"], scenario["unflaggable"]
    for op in OPS:
        n = _network_of(rep, _wave(res, op, 2))
        assert n["score"] < 1.0
        assert n["flagged"] and n["history"]["flagged_as_return"], op
    flagged = [n for n in rep.networks if n["flagged"]]
    assert all(n["history"].get("flagged_as_return") for n in flagged)


def test_the_snapshot_keeps_the_pointer_and_a_continuing_return_stays_re_emerged(
    tmp_path: Path, scenario: dict
):
    res = scenario["res"]
    _, w2 = split_weeks(res["posts"], res["takedown_t"])
    with open_store(tmp_path / "s.duckdb") as st:
        w1, _ = split_weeks(res["posts"], res["takedown_t"])
        w1.write_parquet(tmp_path / "w1.parquet")
        ingest_paths(st, [str(tmp_path / "w1.parquet")], config=CFG)
        detect_store(st, CFG)
        w2.write_parquet(tmp_path / "w2.parquet")
        ingest_paths(st, [str(tmp_path / "w2.parquet")], config=CFG)
        r2 = detect_store(st, CFG)
        rows = [r for r in st.run_network_history() if r["run_id"] == r2.run["run_id"]]
        assert {r["track_id"] for r in rows if r["return_of"]} == {
            n["history"]["track_id"] for n in r2.networks if n["history"].get("return_of")
        }
        r3 = detect_store(st, CFG)  # nothing new: the return continues under its own track
    for op in OPS:
        a = _network_of(r2, _wave(res, op, 2))["history"]
        b = _network_of(r3, _wave(res, op, 2))["history"]
        assert b["track_id"] == a["track_id"] and b["status"] in ("continuing", "grown", "shrunk")
        assert b["re_emerged"] and b["return_of"]["track_id"] == a["return_of"]["track_id"]


# ---------------------------------------------------------------------------- units
def test_handle_shape_and_its_sql_twin(tmp_path: Path):
    handles = ["john_doe84", "Real_Jane1999x", "x.y-z", "anna"]
    assert [handle_shape(h) for h in handles] == ["a_a99", "a_a9999a", "a.a-a", "a"]
    with open_store(tmp_path / "s.duckdb") as st:
        sql = HANDLE_SHAPE_SQL.replace("account_id", "h")
        got = st.con.sql(f"SELECT {sql} FROM (SELECT unnest(?) AS h)", params=[handles]).fetchall()
    assert [g[0] for g in got] == [handle_shape(h) for h in handles]


def _population(n_org: int = 400, seed: int = 0) -> tuple[Population, np.ndarray, np.ndarray]:
    """Organic accounts (rows 0..n_org-1), an old operation and its return (10 each).

    Features: ``dom:popular.com`` used by 40% of everyone, ``dom:own.org`` by the operation
    only, ``cli:web`` by the operation and a quarter of organic accounts, random others."""
    rng = np.random.default_rng(seed)
    n = n_org + 20
    cols = ["dom:own.org", "dom:popular.com", *(f"dom:d{i}.net" for i in range(30)), "cli:web"]
    X = np.zeros((n, len(cols)))
    X[:, 1] = rng.random(n) < 0.4
    X[:n_org, 2:32] = rng.random((n_org, 30)) < 0.05
    X[n_org:, 0] = 1
    X[:, 32] = rng.random(n) < 0.25
    X[n_org:, 32] = 1
    counts = X[:n_org].sum(axis=0) + X[n_org:].sum(axis=0)
    idf = np.log((n + 1) / (counts + 1))
    sched = rng.poisson(3, (n, 31)).astype(float)
    sched[n_org:, :24] = 0
    sched[n_org:, 9:17] = 10  # office hours
    created = rng.uniform(0, 1000 * 86400, n)
    created[n_org + 10 :] = 1000 * 86400 + rng.uniform(0, 86400, 10)
    pop = Population(
        accounts=[f"a{i}" for i in range(n)],
        row={f"a{i}": i for i in range(n)},
        X=sparse.csr_matrix(X),
        cols=cols,
        fam={
            "dom": slice(0, 32),
            "at": slice(32, 32),
            "tag": slice(32, 32),
            "cli": slice(32, 33),
            "hnd": slice(33, 33),
        },  # fmt: skip
        idf=idf,
        sched=sched,
        narr=np.zeros((n, 1)),
        has_narr=np.zeros(n, dtype=bool),
        created=created,
        last_t=np.full(n, 1000 * 86400.0),
        posts=np.full(n, 20),
        sample=np.arange(n_org),
        narr_mean=np.zeros(1),
        sched_mean=_sched_shares(sched[:n_org].sum(axis=0, keepdims=True))[0],
        max_t=None,
    )
    return pop, np.arange(n_org, n_org + 10), np.arange(n_org + 10, n_org + 20)


def test_a_rare_shared_domain_matches_and_a_popular_one_does_not():
    pop, old, new = _population()
    p = TrackParams()
    m = ReturnMatcher(pop, {"old": old}, p)
    got = m.compare(profiles(pop, [new], p), 0, new, "old", ref_t=1000 * 86400.0)
    parts = got["parts"]
    assert parts["domains"]["matched"] and parts["domains"]["p"] <= p.part_max_p
    assert parts["schedule"]["matched"] and parts["creation"]["matched"]
    assert got["is_return"]
    assert any("own.org" in w for w in got["why"])
    # The same group without its own domain: only popular.com is left, which random
    # organic groups share as much -> no domain match, and behaviour alone is no return.
    pop.X = pop.X.tolil()
    pop.X[new, 0] = 0
    pop.X = pop.X.tocsr()
    got = m.compare(profiles(pop, [new], p), 0, new, "old", ref_t=1000 * 86400.0)
    assert not got["parts"]["domains"]["matched"]
    assert got["parts"]["schedule"]["matched"] and got["parts"]["creation"]["matched"]
    assert not got["is_return"]


def test_creation_test_against_the_organic_rate():
    pop, _, new = _population()
    p = TrackParams()
    c = creation_test(pop, new, 1000 * 86400.0, p)
    assert c["matched"] and c["accounts"] == 10 and 0 <= c["median_delay_days"] <= 1
    # A reference time long before the accounts were made: nothing in the window.
    c = creation_test(pop, new, 500 * 86400.0, p)
    assert not c["matched"] and c["accounts"] == 0
    assert creation_test(pop, new, None, p) is None


def test_track_params_live_in_the_config_and_errors_name_the_fix():
    assert ScanConfig().track.min_parts == TrackParams().min_parts
    with pytest.raises(
        ConfigError, match=r"min_parts must be an int in \[1, 8\]; got 0.*\[track\]"
    ):
        ScanConfig.from_dict({"track": {"min_parts": 0}})
    with pytest.raises(ConfigError, match="unknown parameter"):
        ScanConfig.from_dict({"track": {"min_partz": 2}})


def test_nightly_job_exits_3_and_links_the_old_report(tmp_path: Path, scenario: dict):
    """The scheduled job on week 1 then week 2: changes.json lists both returns with what
    matched and a link to the week-1 report folder, the HTML and Markdown reports say so, and
    --exit-on-new exits 3."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location(
        "nightly_scan", Path(__file__).resolve().parents[1] / "pipelines" / "nightly_scan.py"
    )
    nightly = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nightly)  # type: ignore[union-attr]
    res = scenario["res"]
    w1, w2 = split_weeks(res["posts"], res["takedown_t"])
    drop, reports = tmp_path / "drop", tmp_path / "reports"
    drop.mkdir()
    args = ["--drop", str(drop), "--db", str(tmp_path / "s.duckdb"), "--reports", str(reports),
            "--model", "hash", "--exit-on-new"]  # fmt: skip
    w1.write_parquet(drop / "week1.parquet")
    assert nightly.main(args) == 3  # new flagged networks
    first = (reports / "latest").resolve().name
    w2.write_parquet(drop / "week2.parquet")
    assert nightly.main(args) == 3
    latest = reports / "latest"
    ch = json.loads((latest / "changes.json").read_text())
    assert ch["counts"]["re_emerged"] == 2 and ch["alert"]
    for e in ch["re_emerged"]:
        ret = e["return_of"]
        assert ret["report"] == f"../{first}/report.html#net-{ret['network_id']}"
        assert (latest / ret["report"].split("#")[0]).exists()
        assert any("talking points" in w or "domain" in w for w in ret["why"])
    html = (latest / "report.html").read_text()
    assert html.count("<strong>Returned:</strong>") == 2
    assert f'href="../{first}/report.html#net-' in html
    assert (latest / "report.md").read_text().count("**Returned:**") == 2


def test_reports_with_returns_validate_against_the_schema(scenario: dict):
    import json

    import jsonschema

    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "cib/report/networks.schema.json").read_text()
    )
    for order in ("watchlist", "dormant", "unflaggable"):
        rep = json.loads(json.dumps(scenario[order].to_dict(), default=str))
        assert any(n["history"].get("return_of") for n in rep["networks"])
        jsonschema.validate(rep, schema)
    bad = json.loads(json.dumps(scenario["watchlist"].to_dict(), default=str))
    n = next(n for n in bad["networks"] if n["history"].get("return_of"))
    n["history"]["return_of"]["kind"] = "guess"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)

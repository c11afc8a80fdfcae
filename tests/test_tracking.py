"""Network identity across runs (cib.tracking) and the watchlist (cib.watchlist)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from sched_helpers import CFG, campaign_accounts, daily, frames, replace_accounts, write_csv

from cib.cli import cli
from cib.pipeline import detect_store, ingest_paths
from cib.store import open_store
from cib.tracking import content_similarity, evidence_keys, jaccard

OP = "repost_farm"


def _feed(tmp: Path, *, rename_from_day: int | None, watch: bool = False) -> list[dict]:
    """Ingest the simulated days one by one, detecting after each; return the reports."""
    posts, labels = frames()
    op = campaign_accounts(labels, OP)
    reports = []
    with open_store(tmp / "s.duckdb") as st:
        if watch:
            st.add_watchlist([(a, "takedown-1") for a in op], source="test")
        days = daily(posts)
        for i, day in enumerate(days):
            if rename_from_day is not None and i >= rename_from_day:
                # Fresh accounts, created the day the old ones stopped (the takedown).
                made = days[rename_from_day]["created_at"].min()
                day = replace_accounts(day, op, created_at=made)
            f = write_csv(day, tmp / f"day{i}.csv")
            ingest_paths(st, [str(f)], config=CFG)
            reports.append(detect_store(st, CFG))
    return reports


def _by_members(report: dict, accounts: set[str]) -> dict:
    best = max(
        report.networks,
        key=lambda n: len(accounts & {m["account_id"] for m in n["members"]}),
    )
    assert accounts & {m["account_id"] for m in best["members"]}
    return best


@pytest.fixture(scope="module")
def takeover(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    return _feed(tmp_path_factory.mktemp("takeover"), rename_from_day=2)


def test_replaced_accounts_are_reported_as_re_emerged(takeover: list[dict]):
    _, labels = frames()
    op = set(campaign_accounts(labels, OP))
    fresh = {f"fresh_{a}" for a in op}
    before = _by_members(takeover[1], op)
    after = _by_members(takeover[2], fresh)
    h = after["history"]
    assert after["flagged"]
    assert h["status"] == "re-emerged" and h["re_emerged"]
    assert h["matched_track"] == before["history"]["track_id"]
    assert h["member_overlap"] == 0.0
    assert h["content_overlap"] >= 0.35
    # The old accounts' network is still in the store: it continues under its track id.
    old = _by_members(takeover[2], op)
    assert old["history"]["status"] == "continuing"
    assert old["history"]["track_id"] == before["history"]["track_id"]
    # Next run: the re-emerged network continues under its own new track.
    again = _by_members(takeover[3], fresh)
    assert again["history"]["track_id"] == h["track_id"]
    assert again["history"]["status"] in ("continuing", "grown", "shrunk")
    assert takeover[2].tracking["counts"]["re-emerged"] >= 1


def test_first_run_is_all_new_and_later_runs_link_back(takeover: list[dict]):
    assert {n["history"]["status"] for n in takeover[0].networks} == {"new"}
    assert takeover[0].tracking["previous_run_id"] is None
    assert takeover[1].tracking["previous_run_id"] == takeover[0].run["run_id"]
    for n in takeover[1].networks:
        h = n["history"]
        if h["status"] in ("continuing", "grown", "shrunk"):
            assert h["matched_run"] == takeover[0].run["run_id"]
            assert h["member_overlap"] >= 0.3


def test_reports_validate_against_the_schema(takeover: list[dict]):
    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "cib/report/networks.schema.json").read_text()
    )
    for rep in takeover:
        jsonschema.validate(json.loads(json.dumps(rep.to_dict(), default=str)), schema)


def test_watchlisted_takedown_flags_the_replacement(tmp_path: Path):
    reps = _feed(tmp_path, rename_from_day=2, watch=True)
    _, labels = frames()
    op = set(campaign_accounts(labels, OP))
    old = _by_members(reps[2], op)["history"]["watchlist_hits"]
    assert set(old["accounts"]) == op & set(old["accounts"]) and old["accounts"]
    new = _by_members(reps[3], {f"fresh_{a}" for a in op})["history"]
    assert new["re_emerged"]
    assert new["watchlist_hits"]["accounts"] == []
    assert new["watchlist_hits"]["content"]["takedown-1"] >= 0.35


def test_status_rules_on_synthetic_history(tmp_path: Path):
    """Grown / shrunk / dormant from hand-made snapshots (no detection needed)."""
    from cib.tracking import TrackParams, _size_status

    p = TrackParams()
    assert _size_status(10, 6, p) == "grown"
    assert _size_status(4, 6, p) == "shrunk"
    assert _size_status(6, 6, p) == "continuing"
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    ev = evidence_keys(
        {
            "evidence": [
                {"signal": "hashtags", "object_id": "a #b @2024-03-04"},
                {"signal": "hashtags", "object_id": "a #b @2024-03-05"},
            ]
        }  # fmt: skip
    )
    assert ev == ["hashtags:a #b"]
    # One shared feature of a family is not enough; two are.
    a = {"tag:x": 1.0, "fp:1": 3.0}
    b = {"tag:x": 1.0, "fp:2": 3.0}
    assert content_similarity(a, b)[0] == 0.0
    a2 = {**a, "at:t1": 2.0, "at:t2": 2.0}
    b2 = {**b, "at:t1": 2.0, "at:t2": 1.5}
    score, fam = content_similarity(a2, b2)
    assert fam == "at" and score > 0.9


def test_dormant_tracks_are_listed(tmp_path: Path):
    posts, _ = frames()
    days = daily(posts)
    with open_store(tmp_path / "s.duckdb") as st:
        f = write_csv(days[0], tmp_path / "d0.csv")
        ingest_paths(st, [str(f)], config=CFG)
        r1 = detect_store(st, CFG)
        assert r1.networks
        # Fake a removed network: a snapshot row of the previous run nobody matches now.
        st.save_run_networks(
            r1.run["run_id"],
            [*(
                {"network_id": n["network_id"], "track_id": n["history"]["track_id"],
                 "status": "new", "flagged": n["flagged"], "score": n["score"],
                 "name": n["name"], "members": [m["account_id"] for m in n["members"]],
                 "evidence": evidence_keys(n), "profile": {}}
                for n in r1.networks
            ), {"network_id": 99, "track_id": "trk-gone", "status": "new", "flagged": True,
                "score": 0.9, "name": "gone", "members": ["x1", "x2", "x3"], "evidence": [],
                "profile": {}}],
        )  # fmt: skip
        r2 = detect_store(st, CFG)
    dormant = r2.tracking["dormant"]
    assert [d["track_id"] for d in dormant] == ["trk-gone"]
    from cib.tracking import changes_summary

    ch = changes_summary(r2)
    assert [d["track_id"] for d in ch["dormant"]] == ["trk-gone"]
    assert ch["alert"] is False


def test_orphan_snapshots_of_unsaved_runs_are_ignored(tmp_path: Path):
    posts, _ = frames()
    with open_store(tmp_path / "s.duckdb") as st:
        f = write_csv(daily(posts)[0], tmp_path / "d0.csv")
        ingest_paths(st, [str(f)], config=CFG)
        st.save_run_networks("killed-run", [{"network_id": 1, "track_id": "trk-orphan",
                                             "status": "new", "flagged": True, "score": 1.0,
                                             "name": "x", "members": ["a"], "evidence": [],
                                             "profile": {}}])  # fmt: skip
        assert st.run_network_history() == []
        r = detect_store(st, CFG)
        assert all(n["history"]["status"] == "new" for n in r.networks)
        assert all(h["run_id"] != "killed-run" for h in st.run_network_history())


def test_watchlist_cli(tmp_path: Path):
    db = str(tmp_path / "s.duckdb")
    wl = tmp_path / "wl.csv"
    wl.write_text("account_id,label\nalice,op-a\nbob,op-a\n\n")
    r = CliRunner().invoke(cli, ["watchlist", "add", str(wl), "--db", db])
    assert r.exit_code == 0, r.output
    assert "2 accounts added" in r.output
    r = CliRunner().invoke(cli, ["watchlist", "add", str(wl), "--db", db])
    assert "0 accounts added" in r.output
    bare = tmp_path / "bare.csv"
    bare.write_text("carol\n")
    r = CliRunner().invoke(cli, ["watchlist", "add", str(bare), "--db", db, "--label", "td"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["watchlist", "list", "--db", db, "--json"])
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert {(x["account_id"], x["label"]) for x in rows} == {
        ("alice", "op-a"),
        ("bob", "op-a"),
        ("carol", "td"),
    }
    r = CliRunner().invoke(cli, ["watchlist", "add", str(tmp_path / "nope.csv"), "--db", db])
    assert r.exit_code == 2 and "cannot read watchlist" in r.output


def test_watchlist_cli_takes_the_takedown_time(tmp_path: Path):
    db = str(tmp_path / "s.duckdb")
    wl = tmp_path / "wl.csv"
    wl.write_text("account_id\nalice\n")
    r = CliRunner().invoke(
        cli, ["watchlist", "add", str(wl), "--db", db, "--taken-down-at", "2024-03-09T06:00Z"]
    )
    assert r.exit_code == 0, r.output
    with open_store(db) as st:
        at = st.watchlist()["added_at"][0]
    assert at.isoformat().startswith("2024-03-09T06:00:00")
    r = CliRunner().invoke(
        cli, ["watchlist", "add", str(wl), "--db", db, "--taken-down-at", "last tuesday"]
    )
    assert r.exit_code == 2
    assert "--taken-down-at must be an ISO 8601 time" in r.output and "'last tuesday'" in r.output

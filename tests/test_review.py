"""The investigator's loop (cib.review): verdicts, declared affiliations, labels over time."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from rich.console import Console
from sched_helpers import CFG, campaign_accounts, daily, frames, replace_accounts, write_csv

from cib.cli import cli
from cib.config import ReviewParams
from cib.errors import InputError
from cib.evaluate import evaluate_files
from cib.pipeline import detect_store, ingest_paths, report_from_store
from cib.report import render_html, summary_table
from cib.report.model import ReportLike, as_report
from cib.review import (
    AFFILIATED,
    benign_changes,
    confirmed_tracks,
    import_verdicts,
    read_affiliations,
    record_verdict,
    shared_organisation,
)
from cib.store import open_store

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("nightly_scan", ROOT / "pipelines/nightly_scan.py")
nightly = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nightly)  # type: ignore[union-attr]

FARM, NEWSROOM, PUSH = "repost_farm", "copypaste_evasion", "hashtag_push"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _members(net: dict) -> set[str]:
    return {m["account_id"] for m in net["members"]}


def _holding(report: ReportLike, accounts: set[str]) -> dict:
    """The network holding most of ``accounts`` (a report model or networks.json)."""
    best = max(as_report(report).networks, key=lambda n: len(accounts & _members(n)))
    assert accounts & _members(best), f"no network holds any of {sorted(accounts)[:3]}"
    return best


def _job(tmp: Path, *extra: str) -> list[str]:
    return ["--drop", str(tmp / "drop"), "--db", str(tmp / "s.duckdb"),
            "--reports", str(tmp / "reports"), "--model", "hash", *extra]  # fmt: skip


def _latest(tmp: Path, name: str) -> dict:
    return json.loads((tmp / "reports" / "latest" / name).read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the scenario
@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Day 1 (two simulated days) scanned by the nightly job; the farm judged confirmed and
    the copy-paste team judged benign (as if it were a newsroom); day 2 scanned with the
    benign team unchanged and the farm back under fresh accounts."""
    tmp = tmp_path_factory.mktemp("scenario")
    posts, labels = frames()
    days = daily(posts)
    farm = campaign_accounts(labels, FARM)
    (tmp / "drop").mkdir()
    write_csv(pl.concat(days[:2]), tmp / "drop" / "day1.csv")
    code1 = nightly.main(_job(tmp, "--exit-on-new"))
    day1 = _latest(tmp, "networks.json")
    farm_net = _holding(day1, set(farm))
    news_net = _holding(day1, set(campaign_accounts(labels, NEWSROOM)))
    runner = CliRunner()
    db = str(tmp / "s.duckdb")
    judged = [
        runner.invoke(
            cli,
            [
                "review",
                f"N{farm_net['rank']}",
                "--verdict",
                "confirmed",
                "--note",
                "same TweetDeck farm as ticket 41",
                "--reviewer",
                "ana",
                "--db",
                db,
            ],
        ),  # fmt: skip
        runner.invoke(
            cli,
            [
                "review",
                str(news_net["network_id"]),
                "--verdict",
                "benign",
                "--note",
                XSS,
                "--reviewer",
                "ben",
                "--db",
                db,
            ],
        ),  # fmt: skip
    ]
    # The farm is taken down; fresh accounts, created that day, carry on its work.
    made = days[2]["created_at"].min()
    write_csv(replace_accounts(days[2], farm, created_at=made), tmp / "drop" / "day2.csv")
    code2 = nightly.main(_job(tmp, "--exit-on-new"))
    return {
        "tmp": tmp,
        "codes": (code1, code2),
        "judged": judged,
        "day1": day1,
        "day2": _latest(tmp, "networks.json"),
        "changes": _latest(tmp, "changes.json"),
        "html": (tmp / "reports" / "latest" / "report.html").read_text(encoding="utf-8"),
        "farm": set(farm),
        "news": _members(news_net),
        "farm_track": farm_net["history"]["track_id"],
        "news_track": news_net["history"]["track_id"],
    }


def test_verdicts_are_recorded_with_who_when_and_members(scenario: dict):
    assert [r.exit_code for r in scenario["judged"]] == [0, 0], [
        r.output for r in scenario["judged"]
    ]
    with open_store(scenario["tmp"] / "s.duckdb", read_only=True) as st:
        rows = st.verdicts()
    who = [(r["verdict"], r["reviewer"]) for r in rows]
    assert who == [("confirmed", "ana"), ("benign", "ben")]
    assert rows[0]["track_id"] == scenario["farm_track"]
    assert set(rows[0]["members"]) == scenario["farm"]
    assert set(rows[1]["members"]) == scenario["news"] and rows[1]["note"] == XSS
    assert all(r["decided_at"] and r["profile"] for r in rows)


def test_confirmed_operation_back_with_fresh_accounts_is_its_continuation(scenario: dict):
    day2 = scenario["day2"]
    fresh = _holding(day2, {f"fresh_{a}" for a in scenario["farm"]})
    assert fresh["history"]["status"] == "re-emerged"
    r = fresh["review"]
    assert r["status"] == "continuation of confirmed operation" and fresh["flagged"]
    assert r["judged_track"] == scenario["farm_track"] and r["via"] == "re-emerged"
    assert r["line"].startswith("continuation of confirmed operation N")
    # The new track is linked to the confirmed one: tracking flags its returns too.
    with open_store(scenario["tmp"] / "s.duckdb", read_only=True) as st:
        assert confirmed_tracks(st) == {scenario["farm_track"], fresh["history"]["track_id"]}
    # Confirmed continuations rank first, whatever their scores.
    conts = [n for n in day2["networks"] if (n.get("review") or {}).get("verdict") == "confirmed"]
    assert sorted(n["rank"] for n in conts) == list(range(1, len(conts) + 1))


def test_benign_network_unchanged_is_listed_apart_and_not_flagged(scenario: dict):
    news = _holding(scenario["day2"], scenario["news"])
    assert _members(news) == scenario["news"]
    assert news["review"]["status"] == "judged benign" and not news["flagged"]
    assert news["demoted"][0].startswith("judged benign by ben on ")
    assert news["score"] >= CFG.report.flag_threshold  # still detected, with its score
    counts = scenario["day2"]["run"]["counts"]
    assert counts["flagged_networks"] == sum(n["flagged"] for n in scenario["day2"]["networks"])


def test_changes_json_and_exit_codes_follow_the_verdicts(scenario: dict):
    ch = scenario["changes"]
    fresh = {f"fresh_{a}" for a in scenario["farm"]}
    flagged_lists = ch["new"] + ch["re_emerged"] + ch["grown"] + ch["shrunk"] + ch["continuing"]
    # The benign newsroom is not among the flagged changes; it is listed under review.
    assert scenario["news_track"] not in {b["track_id"] for b in flagged_lists}
    assert [b["track_id"] for b in ch["review"]["judged_benign"]] == [scenario["news_track"]]
    assert ch["review"]["changed_since_benign"] == []
    conts = ch["review"]["confirmed_continuations"]
    assert {c["judged_track"] for c in conts} == {scenario["farm_track"]}
    assert any(c["status"] == "re-emerged" for c in conts)
    assert any(b["members"] == len(fresh) for b in ch["re_emerged"])
    assert ch["alert"] and ch["review"]["alert"]
    assert scenario["codes"] == (3, 3)  # day 1: new networks; day 2: the operation is back


def test_report_shows_verdicts_escaped_with_sections(scenario: dict):
    page = scenario["html"]
    assert 'id="benign">Judged benign (listed apart, not flagged)' in page
    assert "continuation of confirmed operation" in page
    assert XSS not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert page.count('class="verdict-control') == len(scenario["day2"]["networks"])
    assert "onerror" not in page.replace("onerror=alert(1)&gt;", "")
    console = Console(record=True, width=200)
    console.print(summary_table(scenario["day2"], limit=30))
    text = console.export_text()
    assert "[continuation of confirmed operation N" in text and "[judged benign by ben" in text


def test_benign_network_that_grows_is_flagged_again():
    v = {"members": ["a", "b", "c", "d", "e"], "profile": {"tag:x": 1.0, "dom:y.org": 1.0}}
    p = ReviewParams()
    net = {"members": [{"account_id": a} for a in "abcde"]}
    assert benign_changes(net, v, {"tag:x": 1.0, "dom:y.org": 0.9}, p) == []
    grown = {"members": [{"account_id": a} for a in "abcdefghijklmnopq"]}
    assert benign_changes(grown, v, {"tag:x": 1.0, "dom:y.org": 0.9}, p) == ["+12 members"]
    two_more = {"members": [{"account_id": a} for a in "abcdefg"]}
    assert benign_changes(two_more, v, {"tag:x": 1.0}, p) == []  # +2 < benign_min_added
    changed = benign_changes(net, v, {"tag:new": 2.0, "url:z": 1.0}, p)
    assert len(changed) == 1 and changed[0].startswith("new objects (tag:new, url:z)")


# ----------------------------------------------------------------------------- bad input
@pytest.fixture()
def judged_store(tmp_path: Path) -> Path:
    posts, _ = frames()
    f = write_csv(pl.concat(daily(posts)[:2]), tmp_path / "d.csv")
    with open_store(tmp_path / "s.duckdb") as st:
        ingest_paths(st, [str(f)], config=CFG)
        detect_store(st, CFG)
        record_verdict(st, "N1", "confirmed", note="first", reviewer="ana")
    return tmp_path / "s.duckdb"


def _verdicts_file(path: Path, run_id: str, verdicts: list[dict]) -> Path:
    path.write_text(
        json.dumps(
            {
                "format": "cib-verdicts",
                "version": 1,
                "run_id": run_id,
                "reviewer": "cy",
                "verdicts": verdicts,
            }
        ),  # fmt: skip
        encoding="utf-8",
    )
    return path


def test_bad_verdict_input_names_the_fix_and_loses_nothing(judged_store: Path, tmp_path: Path):
    with open_store(judged_store) as st:
        rep = report_from_store(st)
        run_id = rep.run["run_id"]
        nid = rep.networks[1]["network_id"]
        track = rep.networks[1]["history"]["track_id"]
        ok = {"network_id": nid, "track_id": track, "verdict": "benign", "note": "rss",
              "decided_at": "2099-12-02T10:00:00Z"}  # after the fixture's verdict  # fmt: skip
        cases = [
            (tmp_path / "a.json", "not valid JSON", "{not json"),
            (tmp_path / "b.json", "not a cib verdicts file", json.dumps({"verdicts": []})),
        ]
        for path, needle, text in cases:
            path.write_text(text, encoding="utf-8")
            with pytest.raises(InputError, match=needle) as exc:
                import_verdicts(st, path)
            assert "Download it again" in str(exc.value)
        bad = [
            (_verdicts_file(tmp_path / "c.json", "gone123", [ok]), "not in store"),
            (_verdicts_file(tmp_path / "d.json", run_id, [ok, {**ok, "network_id": 999}]),
             "network '999' is not in run"),
            (_verdicts_file(tmp_path / "e.json", run_id, [{**ok, "verdict": "maybe"}]),
             r"verdict must be one of \['confirmed', 'benign', 'unsure'\]; got 'maybe'"),
            (_verdicts_file(tmp_path / "f.json", run_id, [{**ok, "track_id": "trk-other"}]),
             "does not match network"),
        ]  # fmt: skip
        for path, needle in bad:
            with pytest.raises(InputError, match=needle) as exc:
                import_verdicts(st, path)
            assert "Nothing was recorded" in str(exc.value)
        with pytest.raises(InputError, match="network 'N42' is not in run"):
            record_verdict(st, "N42", "benign")
        with pytest.raises(InputError, match="run 'nope' is not in store"):
            record_verdict(st, "1", "benign", run_id="nope")
        with pytest.raises(InputError, match="max_note_chars"):
            record_verdict(st, "N1", "benign", note="x" * 5000)
        assert [v["note"] for v in st.verdicts()] == ["first"]  # nothing lost, nothing added
        # A good file: recorded once, the second import adds nothing.
        good = _verdicts_file(tmp_path / "g.json", run_id, [ok])
        assert import_verdicts(st, good)["added"] == 1
        assert import_verdicts(st, good) == {"file": str(good), "read": 1, "added": 0,
                                             "skipped": 1}  # fmt: skip
        assert [(v["verdict"], v["reviewer"]) for v in st.verdicts()] == [
            ("confirmed", "ana"), ("benign", "cy")]  # fmt: skip


def test_cli_review_list_export_and_evaluate(judged_store: Path, tmp_path: Path):
    runner = CliRunner()
    db = ["--db", str(judged_store)]
    res = runner.invoke(cli, ["review", "judge", "N2", "--verdict", "benign", *db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["review", "7777", "--verdict", "benign", *db])
    assert res.exit_code == 2 and "is not in run" in res.output
    res = runner.invoke(cli, ["review", "list", "--json", *db])
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert [r["verdict"] for r in rows] == ["confirmed", "benign"]
    labels = tmp_path / "labels.csv"
    res = runner.invoke(cli, ["review", "export", "--labels", str(labels), *db])
    assert res.exit_code == 0, res.output
    lab = pl.read_csv(labels)
    assert lab.columns == ["account_id", "campaign"]
    assert set(lab["account_id"]) == set(rows[0]["members"]) | set(rows[1]["members"])
    assert set(lab.filter(pl.col("campaign") == "organic")["account_id"]) == set(rows[1]["members"])
    # The team's verdicts are a test set cib evaluate reads.
    acc = tmp_path / "accounts.csv"
    pl.DataFrame(
        {"account_id": rows[0]["members"], "network_id": [1] * len(rows[0]["members"])}
    ).write_csv(acc)
    ev = evaluate_files(labels, acc)
    assert ev["precision"] == 1.0 and ev["recall"] == 1.0


# ----------------------------------------------------------------------------- affiliations
def test_affiliations_csv_bad_rows_are_named_and_add_nothing(tmp_path: Path):
    good = tmp_path / "orgs.csv"
    good.write_text("account_id,organisation\na1,CityOfX\na2,CityOfX\na2,CountyY\n")
    assert read_affiliations(good) == [("a1", "CityOfX"), ("a2", "CityOfX"), ("a2", "CountyY")]
    bad = tmp_path / "bad.csv"
    bad.write_text("account_id,organisation\na1,CityOfX\n,CityOfX\na3,\n")
    with pytest.raises(InputError) as exc:
        read_affiliations(bad)
    msg = str(exc.value)
    assert "2 bad row(s)" in msg and "line 3: empty account_id" in msg
    assert "line 4: empty organisation" in msg and "Nothing was added" in msg
    head = tmp_path / "head.csv"
    head.write_text("user,company\na1,X\n")
    with pytest.raises(InputError, match="expected a CSV with a header line"):
        read_affiliations(head)
    runner = CliRunner()
    db = ["--db", str(tmp_path / "s.duckdb")]
    assert runner.invoke(cli, ["affiliations", "add", str(bad), *db]).exit_code == 2
    res = runner.invoke(cli, ["affiliations", "add", str(good), *db])
    assert res.exit_code == 0 and "3 affiliation(s) added" in res.output
    res = runner.invoke(cli, ["affiliations", "add", str(good), *db])
    assert "0 affiliation(s) added" in res.output
    res = runner.invoke(cli, ["affiliations", "list", "--json", *db])
    assert len(res.output.splitlines()) == 3


def test_shared_organisation_pairs():
    aff = pl.DataFrame(
        {"account_id": ["a", "b", "b", "c", "d"], "organisation": ["X", "X", "Y", "Y", "Z"]}
    )
    pairs = pl.DataFrame({"account_a": ["a", "a", "b", "c"], "account_b": ["b", "c", "c", "d"]})
    got = shared_organisation(pairs, aff)
    assert got.rows() == [("a", "b", "X"), ("b", "c", "Y")]


def test_declared_affiliation_network_is_never_flagged_and_outsider_ties_count(tmp_path: Path):
    posts, labels = frames()
    f = write_csv(pl.concat(daily(posts)[:2]), tmp_path / "d.csv")
    push = campaign_accounts(labels, PUSH)
    farm = sorted(campaign_accounts(labels, FARM))
    with open_store(tmp_path / "s.duckdb") as st:
        ingest_paths(st, [str(f)], config=CFG)
        before = detect_store(st, CFG)
        # The hashtag team is one press office; half of the farm is one company, the other
        # half outsiders tied to it.
        st.add_affiliations([(a, "Press Office") for a in push], source="test")
        st.add_affiliations([(a, "Farm Inc") for a in farm[:3]], source="test")
        after = detect_store(st, CFG)
    was = _holding(before, set(push))
    assert was["flagged"]
    office = _holding(after, set(push))
    assert _members(office) == set(push)
    assert office["review"]["status"] == "declared affiliation" and not office["flagged"]
    assert office["review"]["organisation"] == "Press Office"
    line = f"declared affiliation: all {len(push)} members belong to Press Office"
    assert office["demoted"][0] == line
    assert office["score"] > 0  # scored like any network, shown apart
    ring = _holding(after, set(farm))
    assert ring["flagged"] and set(farm) <= _members(ring)
    inside = {(e["account_a"], e["account_b"]) for e in ring["edges"]}
    assert not {(a, b) for a in farm[:3] for b in farm[:3] if a < b} & inside
    assert inside, "the ties to outsiders remain as evidence"
    pairs = after.run["demoted"]["pairs"][AFFILIATED]
    n_push = len(push) * (len(push) - 1) // 2
    assert n_push + 3 >= pairs["count"] > 3 and "declared affiliation" in pairs["reason"]
    assert after.run["counts"]["flagged_networks"] == before.run["counts"]["flagged_networks"] - 1
    page = render_html(after, CFG.report)
    assert 'id="affiliation">Declared affiliations (never flagged on their own)' in page


def test_benign_network_grown_since_judged_is_flagged_again_and_badges_rerender(
    judged_store: Path,
):
    with open_store(judged_store) as st:
        rep = report_from_store(st)
        net = next(n for n in rep.networks if n["flagged"] and n["rank"] > 1)
        row = record_verdict(st, str(net["network_id"]), "benign", reviewer="ben")
        # As if judged when it had two members: it has grown by the rest since.
        st.add_verdicts(
            [
                {
                    **row,
                    "verdict_id": "grown-1",
                    "members": row["members"][:2],
                    "decided_at": "2030-01-01T00:00:00+00:00",
                }
            ]  # fmt: skip
        )
        again = detect_store(st, CFG)
        # Re-rendering the first run shows the verdicts recorded since as badges.
        first = report_from_store(st, rep.run["run_id"])
    now = _holding(again, set(row["members"]))
    added = len(row["members"]) - 2
    assert now["review"]["status"] == "changed since judged benign"
    assert now["review"]["line"] == f"changed since judged benign: +{added} members"
    assert now["flagged"] and now["score"] >= CFG.report.flag_threshold
    old = next(n for n in first.networks if n["network_id"] == net["network_id"])
    assert old["review"]["stored"]["verdict"] == "benign" and old["flagged"]
    assert "verdict: benign · ben" in render_html(first, CFG.report)

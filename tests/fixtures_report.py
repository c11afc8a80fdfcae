"""A builder of realistic fake ``networks.json`` dicts for the report renderer tests.

:func:`build_report` makes a run with a few networks: a tight repost ring (flagged, hostile
payloads in its names, texts, locations and evidence labels), a URL-spreading network (flagged),
and a weak hashtag cluster below the flag threshold. ``n_networks`` adds more synthetic networks
for benchmarks.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

#: Payloads an adversary would put in names, texts, locations and URLs.
HOSTILE: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "svg": '"><svg onload=alert(1)>',
    "formula": '=HYPERLINK("http://evil","x")',
    "js_url": "javascript:alert(1)",
    "data_url": "data:text/html,<script>alert(document.domain)</script>",
    "bidi": "moc.\u202elive\u202c.example",
    "title": "<script>document.title='PWNED'</script>",
    "md": "`code` | pipe [link](http://evil.example) ![i](x)",
}

SIGNALS = ("repost", "url", "hashtags", "text", "reply", "quote", "semantic")
_T0 = datetime(2024, 3, 4, 6, 0, tzinfo=UTC)


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parts(rng: random.Random, level: float) -> dict[str, float]:
    names = (
        "synchrony",
        "repetition",
        "similarity",
        "burstiness",
        "creation_clustering",
        "client_homogeneity",
        "circadian_mismatch",
        "coordinated_share",
        "size",
    )
    return {k: round(min(1.0, max(0.0, level + rng.uniform(-0.25, 0.2))), 3) for k in names}


def _network(
    rng: random.Random,
    *,
    rank: int,
    network_id: int,
    signal: str,
    n_members: int,
    n_evidence: int,
    score: float,
    flagged: bool,
    hostile: bool,
) -> dict[str, Any]:
    prefix = f"n{network_id}"
    ids = [f"{prefix}_acct{i:03d}" for i in range(n_members)]
    if hostile:
        ids[1] = HOSTILE["formula"]
        ids[2] = "@sum(1+1)"
    created_base = _T0 - timedelta(days=rng.randint(30, 400))
    members = []
    for i, acct in enumerate(ids):
        name: str | None = f"Patriot {rng.choice(['Eagle', 'Voice', 'Mom', 'Truth'])} {i}"
        location: str | None = rng.choice(["Ohio, USA", "Texas", "London", None])
        if hostile and i == 0:
            name, location = HOSTILE["script"], HOSTILE["img"]
        elif hostile and i == 1:
            name, location = HOSTILE["svg"], HOSTILE["bidi"]
        elif hostile and i == 3:
            name = HOSTILE["title"]
        elif hostile and i == 4:
            name = "-2+3 \t\r"
        members.append(
            {
                "account_id": acct,
                "account_name": name,
                "account_location": location,
                "account_created_at": _iso(created_base + timedelta(hours=rng.randint(0, 24 * 10))),
                "followers": rng.randint(0, 300) if i % 7 else None,
                "client": "Twitter Web App" if i % 5 else "AutoPoster 2.1",
                "posts": rng.randint(20, 120),
                "coordinated_posts": rng.randint(5, 20),
                "degree": round(rng.uniform(0.2, 1.0) if i else 1.0, 3),
                "role": "hub" if i < 2 else "member",
            }
        )
    edges = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if rng.random() < min(1.0, 6.0 / n_members):
                n = rng.randint(3, 40)
                edges.append(
                    {
                        "account_a": a,
                        "account_b": b,
                        "signal": signal,
                        "n_coactions": n,
                        "weight": round(n * rng.uniform(0.5, 1.0), 2),
                        "z": round(rng.uniform(4, 30), 2),
                    }
                )
    for i in range(1, len(ids)):  # keep it connected
        if not any(e["account_b"] == ids[i] or e["account_a"] == ids[i] for e in edges):
            edges.append(
                {
                    "account_a": ids[0],
                    "account_b": ids[i],
                    "signal": signal,
                    "n_coactions": 3,
                    "weight": 2.0,
                    "z": 5.0,
                }
            )
    evidence = []
    timeline = []
    for k in range(n_evidence):
        start = _T0 + timedelta(hours=rng.uniform(0, 24 * 6))
        n_acc = rng.randint(3, min(n_members, 15))
        posters = rng.sample(ids, n_acc)
        if signal == "url":
            label = f"https://news-{k}.example.net/story/{k}?utm=x"
        elif signal == "hashtags":
            label = f"#stopthesteal{k} #wakeup"
        else:
            label = f"Shared post {k}: They don't want you to know the truth about item {k}!"
        posts = []
        for j, acct in enumerate(posters):
            t = start + timedelta(seconds=rng.uniform(0, 45) + j * 2)
            text = f"RT {label}" if signal == "repost" else f"Look at this {label}"
            posts.append(
                {
                    "post_id": f"{prefix}_p{k}_{j}",
                    "account_id": acct,
                    "created_at": _iso(t),
                    "text": text,
                }
            )
            timeline.append({"account_id": acct, "created_at": _iso(t), "coordinated": True})
        times = sorted(p["created_at"] for p in posts)
        evidence.append(
            {
                "signal": signal,
                "object_id": f"{prefix}_obj{k}",
                "label": label,
                "n_accounts": n_acc,
                "first_at": times[0],
                "last_at": times[-1],
                "span_s": float(45 + 2 * n_acc),
                "posts": posts,
            }
        )
    if hostile and evidence:
        evidence[0]["label"] = HOSTILE["js_url"]
        evidence[0]["signal"] = "url"
        evidence[0]["posts"][0]["text"] = HOSTILE["script"] + " " + HOSTILE["md"]
        evidence[0]["posts"][1]["text"] = HOSTILE["title"] + " " + HOSTILE["bidi"]
        if len(evidence) > 1:
            evidence[1]["label"] = HOSTILE["data_url"]
            evidence[1]["signal"] = "url"
        if len(evidence) > 2:
            evidence[2]["label"] = "https://evil.example/a?b=<script>alert(1)</script>"
            evidence[2]["signal"] = "url"
        if len(evidence) > 3:
            evidence[3]["label"] = HOSTILE["svg"]
    for acct in ids:  # organic background posts
        for _ in range(rng.randint(2, 6)):
            t = _T0 + timedelta(hours=rng.uniform(0, 24 * 6))
            timeline.append({"account_id": acct, "created_at": _iso(t), "coordinated": False})
    timeline.sort(key=lambda r: (r["created_at"], r["account_id"]))
    weeks: dict[str, int] = {}
    for m in members:
        d = datetime.fromisoformat(m["account_created_at"].replace("Z", "+00:00")).date()
        wk = (d - timedelta(days=d.weekday())).isoformat()
        weeks[wk] = weeks.get(wk, 0) + 1
    hours = [0] * 24
    for r in timeline:
        hours[int(r["created_at"][11:13])] += 1
    locs = sorted({m["account_location"] for m in members if m["account_location"]})
    return {
        "network_id": network_id,
        "rank": rank,
        "score": score,
        "flagged": flagged,
        "name": f"N{rank} · {signal} · {n_members} accounts",
        "why": (
            f"{n_members} accounts made the same {signal} of {n_evidence} objects, "
            f"usually within 60 seconds of each other; most accounts were created "
            f"in the same fortnight."
        ),
        "parts": _parts(rng, score),
        "signals": {signal: len(edges)},
        "members": members,
        "edges": edges,
        "evidence": evidence,
        "timeline": timeline,
        "creation_histogram": [{"bucket": k, "count": v} for k, v in sorted(weeks.items())],
        "hours": {
            "utc_hour_counts": hours,
            "claimed_locations": locs,
            "claimed_utc_offset_h": -5.0 if rank % 2 else None,
            "active_local_hours_mismatch": round(rng.uniform(0, 1), 3),
        },
    }


def build_report(
    n_networks: int = 3,
    *,
    members: int = 23,
    evidence: int = 12,
    hostile: bool = True,
    seed: int = 7,
) -> dict[str, Any]:
    """A networks.json-shaped dict; network rank 1 carries the hostile payloads."""
    rng = random.Random(seed)
    nets = []
    for r in range(1, n_networks + 1):
        if r == 1:
            signal, size, score = "repost", members, 0.93
        elif r == 2:
            signal, size, score = "url", max(3, members // 2), 0.71
        elif r == 3:
            signal, size, score = "hashtags", 5, 0.31
        else:
            signal, size = SIGNALS[r % len(SIGNALS)], members
            score = round(max(0.0, 0.9 - r * 0.6 / n_networks), 3)
        nets.append(
            _network(
                rng,
                rank=r,
                network_id=100 + r,
                signal=signal,
                n_members=size,
                n_evidence=evidence,
                score=score,
                flagged=score >= 0.5,
                hostile=hostile and r == 1,
            )
        )
    flagged = [n for n in nets if n["flagged"]]
    config = {
        "detect": {
            "window_s": 60,
            "drip_window_s": 21600,
            "min_coactions": 3,
            "min_z": 4.0,
            "min_lift": 3.0,
            "signals": list(SIGNALS),
        },
        "network": {"min_accounts": 3, "resolution": 1.0, "seed": 42},
        "report": {"flag_threshold": 0.5, "max_networks": 200, "max_evidence": 20},
        "embed": {"model": "static"},
    }
    inputs = [
        {
            "path": "dumps/tweets_2024-03.jsonl",
            "sha256": "ab" * 32,
            "format": "jsonl",
            "rows": 120_000,
            "ingested": 119_500,
            "duplicates": 400,
            "quarantined": 100,
        }
    ]
    if hostile:
        inputs.append(
            {
                "path": "dumps/" + HOSTILE["img"] + ".csv",
                "sha256": "cd" * 32,
                "format": "csv",
                "rows": 10,
                "ingested": 10,
                "duplicates": 0,
                "quarantined": 0,
            }
        )
    return {
        "schema_version": 1,
        "run": {
            "cib_version": "0.1.0",
            "run_id": "run-20240311-abcdef",
            "created_at": "2024-03-11T09:30:00Z",
            "engine": "duckdb",
            "model_id": "static:minilm-distilled",
            "config": config,
            "inputs": inputs,
            "counts": {
                "posts": 119_510,
                "accounts": 8_210,
                "events": 45_000,
                "edges": sum(len(n["edges"]) for n in nets),
                "networks": len(nets),
                "flagged_networks": len(flagged),
                "flagged_accounts": sum(len(n["members"]) for n in flagged),
                "quarantined": 100,
            },
            "caps": {"max_neighbors": 12, "timeline": 0},
        },
        "networks": nets,
    }


def benchmark_render(
    n_networks: int = 100, *, members: int = 20, evidence: int = 20, repeats: int = 3
) -> dict[str, Any]:
    """Time :func:`cib.report.write_report` (all formats) on a synthetic report.

    Returns the median and each run's seconds, plus the report's size. Run it with
    ``python tests/fixtures_report.py [n_networks]``.
    """
    import statistics
    import tempfile
    import time
    from pathlib import Path

    from cib.config import ReportParams
    from cib.report import write_report

    report = build_report(n_networks, members=members, evidence=evidence)
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for validate in (True, False):
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                paths = write_report(report, Path(tmp), params=ReportParams(), validate=validate)
                times.append(round(time.perf_counter() - t0, 3))
            key = "with_validation" if validate else "without_validation"
            result[f"median_s_{key}"] = statistics.median(times)
            result[f"runs_s_{key}"] = times
        result.update({f"{fmt}_bytes": p.stat().st_size for fmt, p in paths.items()})
    return result


if __name__ == "__main__":
    import sys

    print(benchmark_render(int(sys.argv[1]) if len(sys.argv) > 1 else 100))

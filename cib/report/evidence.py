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


def network_rows(
    df: pl.DataFrame, net_of: pl.DataFrame, *, by_network: bool = False
) -> pl.DataFrame:
    """The rows of ``df`` (``account_a, account_b, ...``) whose two accounts are in the same
    network of ``net_of`` (``account_id, network_id``), with that ``network_id``, in the
    order of ``df`` (network by network with ``by_network``, in that order within one):
    :func:`cib.detect.networks.within_networks` with the joins run on the two account
    columns alone and the rows then gathered once (joining the whole frame copies it at
    each join: +0.5 GB on the 1.5M co-actions of a 1M-post dump)."""
    if df.height == 0:
        return df
    hit = (
        df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), "account_a", "account_b")
        .join(net_of, left_on="account_a", right_on="account_id", maintain_order="left")
        .join(
            net_of.rename({"network_id": "_nb"}),
            left_on="account_b",
            right_on="account_id",
            maintain_order="left",
        )
        .filter(pl.col("network_id") == pl.col("_nb"))
    )
    if by_network:
        hit = hit.sort("network_id", maintain_order=True)
    return df[hit["_row"]].with_columns(hit["network_id"])


def evidence_frame(coactions: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """``EVIDENCE_SCHEMA`` rows of ``coactions`` (``COACTION_SCHEMA`` plus ``signal``, times
    in epoch seconds) whose two accounts share a network of ``membership``
    (``account_id, network_id``), sorted by network, pair, signal and time."""
    need = {"account_a", "account_b", "signal", "object_id", "t_a", "t_b", "post_a", "post_b"}
    if coactions.height == 0 or membership.height == 0 or not need <= set(coactions.columns):
        return pl.DataFrame(schema=EVIDENCE_SCHEMA)
    net_of = membership.select("account_id", pl.col("network_id").cast(pl.Int64))
    within = network_rows(coactions, net_of)
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

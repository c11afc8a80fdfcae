"""The DuckDB store: one file holding posts, quarantine, ingests, embeddings, runs and what
tracking and review keep.

The store carries a schema version (table ``meta``) and refuses files written by an
incompatible version. Each ingest is one transaction. DuckDB allows one writing process
per file; a second one gets :class:`~cib.errors.StoreLockedError`.

All of cib's SQL on the store lives in this package, one module per concern; :class:`Store`
is their union (each part is a :class:`~cib.store._base.StoreBase` on the same connection):

=================  ==================================================================
module             holds
=================  ==================================================================
``_base``          the connection, the schema (``SCHEMA_VERSION``, every table's DDL,
                   the checks and additive migrations on open), transactions, the
                   ``_registered`` context manager (every temporary view goes through
                   it, so none is left behind when a query fails), ``counts``
``posts``          ``posts``, ``ingests``, ``quarantine``: ingest (``add_post_chunks``,
                   ``IngestCounts``) and the reads of detection and the report
``accounts``       per-account aggregates of the posts for tracking and playbooks
                   (``account_features``, ``playbook_*``, ``HANDLE_SHAPE_SQL``)
``embeddings``     the embedding cache (``embeddings``)
``runs``           runs (``runs``) and their tracking snapshots (``run_networks``)
``review``         verdicts and track links (``verdicts``, ``track_links``)
``lists``          declared account lists (``watchlist``, ``affiliations``)
=================  ==================================================================
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from cib.errors import InputError, StoreLockedError, StoreVersionError
from cib.store._base import SCHEMA_VERSION
from cib.store.accounts import HANDLE_SHAPE_SQL, AccountsStore
from cib.store.embeddings import EmbeddingsStore
from cib.store.lists import ListsStore
from cib.store.posts import IngestCounts, PostsStore
from cib.store.review import ReviewStore
from cib.store.runs import RunsStore

__all__ = ["HANDLE_SHAPE_SQL", "SCHEMA_VERSION", "IngestCounts", "Store", "open_store"]


class Store(PostsStore, AccountsStore, EmbeddingsStore, RunsStore, ReviewStore, ListsStore):
    """A cib store in one DuckDB file. Use :func:`open_store`."""


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating if needed) the store at ``path``; check its schema version."""
    p = Path(path)
    if read_only and not p.exists():
        raise InputError(f"store {str(p)!r} does not exist; run `cib ingest` or `cib scan` first.")
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.IOException as exc:
        msg = str(exc)
        if "lock" in msg.lower():
            raise StoreLockedError(
                f"store {str(p)!r} is locked by another run ({msg.splitlines()[0]}). "
                "Wait for it to finish, or use a different --db."
            ) from exc
        raise InputError(f"cannot open store {str(p)!r}: {msg}") from exc
    except duckdb.Error as exc:
        raise StoreVersionError(
            f"{str(p)!r} is not a readable DuckDB store ({exc}). Point --db at a new file."
        ) from exc
    store = Store(con, str(p))
    if not read_only:
        store._init_schema()
    else:
        store._check_version_ro()
    return store

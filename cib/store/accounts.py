"""Per-account aggregates of the stored posts, computed in DuckDB, for network tracking
(content features, new posts) and return detection (playbook profiles)."""

from __future__ import annotations

from typing import Any

import polars as pl

from cib.normalize import MENTION_PATTERN
from cib.store._base import StoreBase, _ids

#: A handle's shape: lower-cased, letter runs as ``a``, each digit as ``9`` ("john_doe84" ->
#: "a_a99"); the Python twin is :func:`cib.playbook.handle_shape`.
HANDLE_SHAPE_SQL = (
    "regexp_replace(regexp_replace(lower(account_id), '[a-z]+', 'a', 'g'), '[0-9]', '9', 'g')"
)


class AccountsStore(StoreBase):
    """Reads over ``posts`` grouped by account; memory follows the accounts asked about."""

    # ------------------------------------------------------------------ tracking (cib.tracking)
    def posts_per_account_in(self, ingest_ids: list[Any]) -> dict[str, int]:
        """Posts per account that came in with the given ingests."""
        if not ingest_ids:
            return {}
        with self._registered("_trk_ing", pl.DataFrame({"ingest_id": ingest_ids})):
            df = self._pl(
                "SELECT account_id, count(*) AS n FROM posts "
                "WHERE ingest_id IN (SELECT ingest_id FROM _trk_ing) GROUP BY account_id"
            )
        return {str(a): int(n) for a, n in df.iter_rows()}

    def account_features(
        self, min_text_chars: int, accounts: list[str]
    ) -> tuple[pl.DataFrame, pl.DataFrame, int]:
        """Content features of ``accounts`` and how common each one is, for content matching.

        Features: ``tag:`` hashtag, ``url:`` canonical URL, ``dom:`` URL host, ``at:``
        mentioned account (reposts and replies mention their target), ``fp:`` text
        fingerprint of texts of at least ``min_text_chars`` normalised characters.

        Returns ``(pairs, counts, n)``: distinct ``(account_id, feature)`` of ``accounts``;
        ``(feature, accounts)``, the number of stored accounts using each of those features;
        and ``n``, the number of stored accounts with any feature. Aggregated in DuckDB, so
        memory follows the accounts asked about, not the store.
        """
        with self._registered("_want", _ids(accounts)):
            self._x(
                f"""
                CREATE OR REPLACE TEMP TABLE _feat AS
                WITH f AS (
                  SELECT account_id, 'tag:' || unnest(hashtags_norm) AS feature FROM posts
                  UNION ALL
                  SELECT account_id, 'url:' || unnest(urls_norm) FROM posts
                  UNION ALL
                  SELECT account_id, 'dom:' || regexp_extract(unnest(urls_norm),
                         '^[a-zA-Z]+://(www[.])?([^/:?#]+)', 2) FROM posts
                  UNION ALL
                  SELECT account_id, 'at:' || lower(unnest(mentions)) FROM posts
                  UNION ALL
                  SELECT account_id, 'fp:' || text_fp FROM posts
                  WHERE text_fp <> '' AND length(text_norm) >= {int(min_text_chars)}
                )
                SELECT DISTINCT account_id, feature FROM f
                WHERE feature IS NOT NULL AND feature NOT IN ('dom:', 'tag:', 'at:', 'url:')
                """
            )
            try:
                pairs = self._pl(
                    "SELECT f.account_id, f.feature FROM _feat f SEMI JOIN _want w "
                    "ON f.account_id = w.account_id"
                )
                with self._registered("_wf", pairs.select("feature").unique()):
                    counts = self._pl(
                        "SELECT f.feature, count(*) AS accounts FROM _feat f SEMI JOIN _wf w "
                        "ON f.feature = w.feature GROUP BY f.feature"
                    )
                n = int(self._one("SELECT count(DISTINCT account_id) FROM _feat")[0])
            finally:
                self._x("DROP TABLE IF EXISTS _feat")
        return pairs, counts, n

    # ------------------------------------------------------------------ playbooks (cib.playbook)
    def playbook_accounts(
        self, accounts: list[str], *, min_text_chars: int, max_texts: int
    ) -> dict[str, pl.DataFrame]:
        """Raw material of playbook profiles for ``accounts``, aggregated in DuckDB.

        Returns frames keyed ``meta`` (``account_id, created, first_t, last_t, posts``; times
        in epoch seconds), ``hours`` (``account_id, hour, dow, n``: posts per UTC hour of day
        and ISO weekday 1-7), ``clients`` (``account_id, client, n``) and ``texts``
        (``account_id, text_fp``: up to ``max_texts`` distinct original texts per account
        that the semantic stage embeds, chosen by a hash of the fingerprint).
        """
        out: dict[str, pl.DataFrame] = {}
        with self._registered("_pb_acc", _ids(accounts)):
            self._x(
                "CREATE OR REPLACE TEMP TABLE _pb_posts AS SELECT p.account_id, p.created_at, "
                "p.account_created_at, p.client, p.text_fp, p.repost_of, "
                f"length(regexp_replace(p.text_norm, '{MENTION_PATTERN}', '', 'g')) AS text_len "
                "FROM posts p SEMI JOIN _pb_acc a ON p.account_id = a.account_id"
            )
        try:
            out["meta"] = self._pl(
                "SELECT account_id, epoch(min(account_created_at)) AS created, "
                "epoch(min(created_at)) AS first_t, epoch(max(created_at)) AS last_t, "
                "count(*) AS posts FROM _pb_posts GROUP BY account_id"
            )
            out["hours"] = self._pl(
                "SELECT account_id, hour(timezone('UTC', created_at))::INTEGER AS hour, "
                "isodow(timezone('UTC', created_at))::INTEGER AS dow, count(*) AS n "
                "FROM _pb_posts WHERE created_at IS NOT NULL GROUP BY 1, 2, 3"
            )
            out["clients"] = self._pl(
                "SELECT account_id, client, count(*) AS n FROM _pb_posts "
                "WHERE client IS NOT NULL AND client <> '' GROUP BY 1, 2"
            )
            out["texts"] = self._pl(
                f"""
                SELECT account_id, text_fp FROM (
                  SELECT DISTINCT account_id, text_fp FROM _pb_posts
                  WHERE repost_of IS NULL AND text_fp <> '' AND text_len >= {int(min_text_chars)})
                QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY hash(text_fp))
                        <= {int(max_texts)}
                """
            )
        finally:
            self._x("DROP TABLE IF EXISTS _pb_posts")
        return out

    def playbook_population(
        self, *, min_posts: int, sample: int, seed: int
    ) -> tuple[list[str], pl.DataFrame, float | None]:
        """The organic side of playbook matching.

        Returns ``(sample_ids, counts, max_t)``: up to ``sample`` accounts with at least
        ``min_posts`` posts, in a fixed pseudo-random order (hash of id and ``seed``); the
        number of stored accounts using each client (``cli:NAME``) and each handle shape
        (``hnd:SHAPE``, letters runs as ``a``, digits as ``9``); the latest post time
        (epoch seconds).
        """
        ids = self._pl(
            f"""SELECT account_id FROM posts GROUP BY account_id
                HAVING count(*) >= {int(min_posts)}
                ORDER BY hash(account_id || '{int(seed)}'), account_id LIMIT {int(sample)}"""
        )["account_id"].to_list()
        counts = self._pl(
            f"""
            SELECT 'cli:' || client AS feature, count(DISTINCT account_id) AS accounts
            FROM posts WHERE client IS NOT NULL AND client <> '' GROUP BY client
            UNION ALL
            SELECT 'hnd:' || {HANDLE_SHAPE_SQL} AS feature, count(*) AS accounts
            FROM (SELECT DISTINCT account_id FROM posts) GROUP BY 1
            """
        )
        row = self._one("SELECT epoch(max(created_at)) FROM posts")
        return ids, counts, (float(row[0]) if row and row[0] is not None else None)

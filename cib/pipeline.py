"""The pipeline: the only place stages are chained.

``ingest_paths`` reads dumps into the store; ``detect_run`` embeds, detects and assembles
the report model from what the store holds, with the per-pair evidence behind its networks
(``detect_store`` returns the report model alone); ``write_outputs`` renders them; ``scan``
runs all three and returns a :class:`ScanResult`. Progress goes to an optional rich console,
never to print().
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cib import __version__
from cib.assemble import build_report
from cib.config import ScanConfig
from cib.detect import (
    Detection,
    clustered,
    detect_events,
    detection_events,
    semantic_clusters,
)
from cib.detect.networks import peripheral_members
from cib.embed import Embedder, get_embedder
from cib.errors import NotDetectedError
from cib.profile import Baseline
from cib.report.evidence import evidence_frame
from cib.report.model import Report, ReportLike, RunMeta
from cib.review import (
    apply_affiliations,
    apply_verdicts,
    confirmed_tracks,
    mark_affiliations,
    rerank,
)
from cib.schemas import DETECT_POSTS, REPORT_POSTS
from cib.store import IngestCounts, Store
from cib.tracking import annotate_with_history

#: Columns of :attr:`ScanResult.networks`.
NETWORK_ROWS = pl.Schema(
    {
        "network_id": pl.Int64,
        "rank": pl.Int64,
        "score": pl.Float64,
        "flagged": pl.Boolean,
        "n_members": pl.Int64,
        "name": pl.String,
        "why": pl.String,
    }
)
#: Columns of :attr:`ScanResult.accounts`: those of accounts.csv (``ACCOUNT_COLUMNS``).
ACCOUNT_ROWS = pl.Schema(
    {
        "account_id": pl.String,
        "network_id": pl.Int64,
        "network_rank": pl.Int64,
        "network_score": pl.Float64,
        "role": pl.String,
        "degree": pl.Float64,
        "posts": pl.Int64,
        "coordinated_posts": pl.Int64,
        "account_name": pl.String,
    }
)


@dataclass
class ScanResult:
    """What a scan (or a detection run) produced, for notebooks and scripts.

    ``report`` is the report model (:class:`~cib.report.model.Report`, whose
    ``to_dict()`` is networks.json); ``evidence`` holds one row
    per synchronised co-action inside the networks (``EVIDENCE_SCHEMA``, evidence.parquet);
    ``outputs`` maps each written format to its file (empty until written).
    """

    report: Report = field(repr=False)
    evidence: pl.DataFrame = field(repr=False)
    config: ScanConfig = field(repr=False)
    ingests: list[IngestCounts] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)

    @property
    def networks(self) -> pl.DataFrame:
        """One row per network in rank order (``NETWORK_ROWS``), flagged or not."""
        nets = self.report.by_rank
        rows = [
            [
                n["network_id"],
                n["rank"],
                n["score"],
                bool(n["flagged"]),
                len(n.get("members", [])),
                n.get("name", ""),
                n.get("why", ""),
            ]
            for n in nets
        ]
        return pl.DataFrame(rows, schema=NETWORK_ROWS, orient="row")

    @property
    def accounts(self) -> pl.DataFrame:
        """The members of the flagged networks: the rows of accounts.csv (``ACCOUNT_ROWS``)."""
        from cib.report.csv_out import account_rows

        return pl.DataFrame(account_rows(self.report), schema=ACCOUNT_ROWS, orient="row")

    def report_html(self) -> str:
        """report.html as a string (for ``IPython.display.HTML``)."""
        from cib.report import render_html

        return render_html(self.report, self.config.report)

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write every output file (evidence.parquet included) into ``out_dir``."""
        self.outputs = write_outputs(self.report, out_dir, self.config, evidence=self.evidence)
        return self.outputs


def _progress(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=True,
        disable=console is None,
    )


def ingest_paths(
    store: Store,
    paths: Sequence[str],
    *,
    config: ScanConfig,
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    skip_known: bool = False,
    console: Console | None = None,
) -> list[IngestCounts]:
    """Read every file under ``paths`` into the store, one transaction per file, in the
    format ``config.ingest.format``.

    With ``skip_known`` a file whose sha256 was ingested before is skipped (drop folders).
    """
    from cib.ingest import expand_paths, read_file_chunks

    store.set_memory_limit(config.engine.duckdb_memory_mb)
    files = expand_paths(paths)
    known = store.ingested_sha256() if skip_known else set()
    out: list[IngestCounts] = []
    with _progress(console) as prog:
        task = prog.add_task("ingest", total=len(files))
        for f in files:
            if skip_known:
                from cib.ingest.readers import _sha256 as file_sha256

                sha = file_sha256(f)
                if sha in known:
                    out.append(IngestCounts(str(f), sha, "skipped", 0, 0, 0, 0, skipped=True))
                    prog.advance(task)
                    continue
            pieces = read_file_chunks(
                f,
                fmt=config.ingest.format,
                mapping=mapping,
                platform=platform,
                max_text_bytes=config.ingest.max_text_bytes,
                chunk_rows=config.ingest.chunk_rows,
            )
            first = next(pieces)
            rest = ((r.posts, r.quarantine) for r in pieces)
            out.append(
                store.add_post_chunks(
                    itertools.chain([(first.posts, first.quarantine)], rest),
                    path=str(f),
                    sha256=first.sha256,
                    fmt=first.format,
                )
            )
            del first
            prog.advance(task)
    return out


EMBED_CHUNK = 50_000  # texts embedded and written to the store per step (bounds memory)


def embed_texts(
    store: Store,
    texts: pl.DataFrame,
    embedder: Embedder,
    *,
    console: Console | None = None,
) -> np.ndarray:
    """Unit vectors for ``texts`` (text_fp, text_norm), reusing the store's cache.

    New vectors are written to the store chunk by chunk and copied straight into the
    output matrix, so memory holds one copy of the vectors plus one chunk.
    """
    fps = texts["text_fp"].to_list()
    cached = store.cached_embeddings(embedder.model_id, fps)
    todo = [i for i, fp in enumerate(fps) if fp not in cached]
    out: np.ndarray | None = None
    if cached:
        dim = next(iter(cached.values())).shape[0]
        out = np.empty((len(fps), dim), dtype=np.float32)
        for i, fp in enumerate(fps):
            vec = cached.get(fp)
            if vec is not None:
                out[i] = vec
        cached.clear()
    if todo:
        norm = texts["text_norm"].to_list()
        # One thread writes each chunk to the store while the next is embedded; it is the
        # only user of the store until the loop ends, and at most one write is pending.
        with _progress(console) as prog, ThreadPoolExecutor(max_workers=1) as writer:
            task = prog.add_task(f"embed ({embedder.model_id})", total=len(todo))
            pending: Future[None] | None = None
            for s in range(0, len(todo), EMBED_CHUNK):
                idx = todo[s : s + EMBED_CHUNK]
                v = np.asarray(embedder.encode([norm[i] for i in idx]), dtype=np.float32)
                if pending is not None:
                    pending.result()
                pending = writer.submit(
                    store.add_embeddings, embedder.model_id, [fps[i] for i in idx], v
                )
                if out is None:
                    out = np.empty((len(fps), v.shape[1]), dtype=np.float32)
                out[idx] = v
                prog.advance(task, len(idx))
            if pending is not None:
                pending.result()
    if out is None:
        return np.zeros((0, 1), dtype=np.float32)
    return out


def detect_store(
    store: Store,
    config: ScanConfig,
    *,
    embedder: Embedder | None = None,
    console: Console | None = None,
) -> Report:
    """The report model of :func:`detect_run` (the run is saved in the store)."""
    return detect_run(store, config, embedder=embedder, console=console).report


def detect_run(
    store: Store,
    config: ScanConfig,
    *,
    inputs: list[IngestCounts] | None = None,
    embedder: Embedder | None = None,
    console: Console | None = None,
) -> ScanResult:
    """Embed, detect and assemble the report model from everything in the store; save the run.

    Returns the report model with the per-pair evidence of its networks (evidence.parquet);
    ``inputs`` become the result's ``ingests``.

    Memory stays bounded by what each step needs: detection reads only the ``DETECT_POSTS``
    columns; the vectors are dropped once the semantic clusters are built; the report reads
    the posts of network members (and the posts they act on) and dump-wide counts back from
    the store instead of keeping every post in memory.
    """
    store.set_memory_limit(config.engine.duckdb_memory_mb)
    if store.counts()["posts"] == 0:
        raise NotDetectedError(
            f"store {store.path!r} holds no posts; ingest a dump first (`cib ingest PATH`)."
        )
    clusters = None
    model_id = "none"
    # Engine 'spark' embeds and clusters in its executors unless told otherwise (or handed
    # an embedder object, which only the driver has).
    in_executors = (
        config.engine.engine == "spark"
        and config.engine.spark_embed == "executors"
        and embedder is None
        and clustered(config.detect)
    )
    if clustered(config.detect) and not in_executors:
        clusters, model_id = _driver_clusters(store, config, embedder, console)
    posts = store.posts([*DETECT_POSTS, *(["lang"] if in_executors else [])])
    if config.engine.engine == "spark":
        det, model_id = _detect_spark(posts, config, clusters, model_id, in_executors=in_executors)
        del posts
    else:
        events, clusters_df, stats = detection_events(
            posts, params=config.detect, clusters=clusters
        )
        del posts  # only the events are needed from here on
        det = detect_events(
            events, clusters_df, stats, params=config.detect, network=config.network
        )
        del events
    # Declared affiliations leave pairs inside one organisation out of the networks (both
    # engines; cib.review).
    affiliations = store.affiliations()
    det = apply_affiliations(det, affiliations, config.network)
    # The report needs event counts only (in det.stats), not the events themselves.
    det.events = det.events.clear()
    report = _assemble_run(store, det, config, model_id=model_id, affiliations=affiliations)
    evidence = evidence_frame(det.coactions, det.membership)
    return ScanResult(report=report, evidence=evidence, config=config, ingests=list(inputs or []))


def _driver_clusters(
    store: Store, config: ScanConfig, embedder: Embedder | None, console: Console | None
) -> tuple[tuple[pl.DataFrame, dict[str, int]], str]:
    """The semantic clusters of the store's texts, embedded here (with the store's cache),
    and the embedding model's id."""
    # Texts come straight from the store, so no posts are in memory beside the vectors.
    texts = store.semantic_texts(config.detect.min_text_chars)
    embedder = embedder or get_embedder(config.embed.model, batch_size=config.embed.batch_size)
    vectors = embed_texts(store, texts, embedder, console=console)
    return semantic_clusters(texts, vectors, config.detect), embedder.model_id


def _detect_spark(
    posts: pl.DataFrame,
    config: ScanConfig,
    clusters: tuple[pl.DataFrame, dict[str, int]] | None,
    model_id: str,
    *,
    in_executors: bool,
) -> tuple[Detection, str]:
    """Detection on engine 'spark' (texts embedded and clustered in the executors when
    ``in_executors``) and the embedding model's id."""
    from cib.spark.engine import detect_spark

    spark = None
    if in_executors:
        from cib.spark import get_session
        from cib.spark.texts import spark_clusters

        spark = get_session(config.engine.spark_master)
        clusters, model_id = spark_clusters(
            spark,
            posts,
            config.detect,
            model=config.embed.model,
            batch_size=config.embed.batch_size,
        )
    det = detect_spark(
        posts,
        params=config.detect,
        network=config.network,
        clusters=clusters,
        master=config.engine.spark_master,
        max_driver_edges=config.engine.max_driver_edges,
        spark=spark,
    )
    return det, model_id


def _assemble_run(
    store: Store,
    det: Detection,
    config: ScanConfig,
    *,
    model_id: str | None,
    affiliations: pl.DataFrame,
) -> Report:
    """The run's report model, ranked, tracked across runs and reviewed; the run is saved."""
    ingests = store.ingests()
    run: RunMeta = {
        "cib_version": __version__,
        "run_id": uuid.uuid4().hex[:12],
        "created_at": datetime.now(UTC).isoformat(),
        "engine": config.engine.engine,
        "model_id": model_id,
        "config": config.to_dict(),
        "inputs": [
            {
                "path": r["path"],
                "sha256": r["sha256"],
                "format": r["format"],
                "rows": int(r["rows_seen"]),
                "ingested": int(r["ingested"]),
                "duplicates": int(r["duplicates"]),
                "quarantined": int(r["quarantined"]),
            }
            for r in ingests.iter_rows(named=True)
        ],
        "counts": {"quarantined": int(store.counts()["quarantine"])},
    }
    # The peripheral members' posts too: the report lists them beside their network.
    peripheral = peripheral_members(det.fused, det.membership, config.network, det.edges)
    members = pl.concat([det.membership["account_id"], peripheral["account_id"]])
    baseline = Baseline.from_aggregates(**store.baseline_aggregates())
    report = build_report(
        store.report_posts(members.unique().sort().to_list(), list(REPORT_POSTS)),
        det,
        config=config,
        run=run,
        baseline=baseline,
        peripheral=peripheral,
        release=True,  # evidence.parquet is cut from the rows the report keeps
    )
    # Declared affiliations are never flagged on their own (cib.review).
    report = rerank(mark_affiliations(report, affiliations))
    # Network identity across runs and returns of old operations (cib.tracking).
    report = annotate_with_history(store, report, config.track, confirmed=confirmed_tracks(store))
    report = apply_verdicts(store, report, config.review)  # the team's verdicts (cib.review)
    store.save_run(report.to_dict(), config.to_dict())
    return report


def write_outputs(
    report: ReportLike,
    out_dir: str | Path,
    config: ScanConfig,
    *,
    evidence: pl.DataFrame | None = None,
) -> dict[str, Path]:
    """Render every output file of a report into ``out_dir`` (atomically, file by file);
    with ``evidence`` (from :func:`detect_run`) also evidence.parquet."""
    from cib.report import write_report
    from cib.report.evidence import write_evidence

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    outputs = write_report(report, out, params=config.report)
    if evidence is not None:
        outputs["evidence"] = write_evidence(evidence, out)
    return outputs


def report_from_store(store: Store, run_id: str | None = None) -> Report:
    """The report model of the latest (or a given) run, for re-rendering without rescanning."""
    doc = store.last_report(run_id)
    if doc is None:
        raise NotDetectedError(
            f"store {store.path!r} has no finished detection run"
            + (f" with id {run_id!r}" if run_id else "")
            + "; run `cib detect` or `cib scan` first."
        )
    from cib.review import refresh_badges

    return refresh_badges(store, Report.from_dict(doc))  # verdicts recorded since, as badges


def scan(
    store: Store,
    paths: Sequence[str],
    out_dir: str | Path | None,
    config: ScanConfig,
    *,
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    console: Console | None = None,
) -> ScanResult:
    """Ingest ``paths`` (in the format ``config.ingest.format``), detect on the whole store,
    write the report to ``out_dir`` (unless None: ``ScanResult.write`` writes it later)."""
    ingests = ingest_paths(
        store, paths, mapping=mapping, platform=platform, config=config, console=console
    )
    result = detect_run(store, config, inputs=ingests, console=console)
    if out_dir is not None:
        result.write(out_dir)
    return result

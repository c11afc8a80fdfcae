"""The command line: parse options, build a ScanConfig, call the library, map errors.

Exit codes, one table (a ``CibError`` carries its own, ``exit_code``):

| exit | when |
|---|---|
| 0 | done (even with quarantined rows) |
| 1 | unexpected failure (a bug: the traceback is printed) |
| 2 | usage error (click's own), or any ``CibError``: bad input or data, with the fix |
| 3 | ``cib watch --exit-on-new``: a flagged network is new or re-emerged |
| 75 | ``cib watch``: the store is held by another run (``JobLockedError``) |

Every option default is None: defaults live in cib.config only.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from cib import DEFAULT_DB, __version__
from cib.config import (
    ENGINE_ALIASES,
    DetectParams,
    EmbedParams,
    EngineParams,
    IngestParams,
    ReportParams,
    ReviewParams,
    ScanConfig,
    SimulateParams,
    field_doc,
)
from cib.errors import CibError

if TYPE_CHECKING:
    import polars as pl

    from cib.report.model import ReportLike

err_console = Console(stderr=True)


#: ``cib watch --exit-on-new`` when a flagged network is new or re-emerged.
EXIT_NEW = 3


class CibCommandError(click.ClickException):
    """A CibError shown to the user, with the error's own exit code (``CibError.exit_code``,
    see the table above). Click exits 2 on a usage error of its own; anything unexpected
    exits 1 with its traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CibError as exc:
            raise CibCommandError(str(exc), exc.exit_code) from exc

    return wrapper


def _config(config_path: str | None, **flags: Any) -> ScanConfig:
    cfg = ScanConfig.load(config_path)
    names = ("window_s", "drip_window_s", "slow_window_s", "min_coactions", "min_z")
    detect = {k: flags.get(k) for k in names}  # slow_window_s: drip_window_s's old name
    if flags.get("signals"):
        detect["signals"] = [s.strip() for s in flags["signals"].split(",") if s.strip()]
    return cfg.override(
        detect=detect,
        embed={"model": flags.get("model")},
        report={"flag_threshold": flags.get("flag_threshold")},
        engine={"engine": flags.get("engine"), "spark_master": flags.get("spark_master")},
    )


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        default=None,
        type=click.Path(dir_okay=False),
        help=f"DuckDB store file. [default: {DEFAULT_DB} in the working directory]",
    )(fn)


def out_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The required ``--out DIR`` option, with its help text."""
    return click.option("--out", "out", required=True, type=click.Path(file_okay=False), help=help)


def detect_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option(
            "--config",
            "config_path",
            default=None,
            type=click.Path(dir_okay=False),
            help="TOML file overriding defaults (sections: detect, embed, network, "
            "report). Flags override the file.",
        ),
        click.option(
            "--window-s", type=int, default=None, help=field_doc(DetectParams, "window_s")
        ),
        click.option(
            "--drip-window-s", type=int, default=None, help=field_doc(DetectParams, "drip_window_s")
        ),
        # TODO(0.3): remove (renamed --drip-window-s; ScanConfig.override warns).
        click.option(
            "--slow-window-s",
            type=int,
            default=None,
            hidden=True,
            help="Old name of --drip-window-s (deprecated).",
        ),
        click.option(
            "--min-coactions", type=int, default=None, help=field_doc(DetectParams, "min_coactions")
        ),
        click.option("--min-z", type=float, default=None, help=field_doc(DetectParams, "min_z")),
        click.option(
            "--signals",
            default=None,
            help="Comma-separated signals to use. " + field_doc(DetectParams, "signals"),
        ),
        click.option("--model", default=None, help=field_doc(EmbedParams, "model")),
        click.option(
            "--engine",
            type=click.Choice(["local", "spark", *ENGINE_ALIASES]),
            default=None,
            help=field_doc(EngineParams, "engine"),
        ),
        click.option("--spark-master", default=None, help=field_doc(EngineParams, "spark_master")),
        click.option(
            "--flag-threshold",
            type=float,
            default=None,
            help=field_doc(ReportParams, "flag_threshold"),
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def ingest_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    from cib.ingest import FORMATS

    opts = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default=None,
            help=field_doc(IngestParams, "format"),
        ),
        click.option(
            "--map",
            "mapping",
            default=None,
            help="Map your columns: canonical=source,... e.g. "
            "post_id=id,account_id=user,created_at=ts",
        ),
        click.option(
            "--platform", default=None, help="Platform name for posts whose dump doesn't say."
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _open(db: str | None, *, read_only: bool = False):  # noqa: ANN202
    from cib.store import open_store

    return open_store(db or DEFAULT_DB, read_only=read_only)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cib")
def cli() -> None:
    """cib: find coordinated inauthentic behaviour (sockpuppet networks) in post dumps."""


def _ingest_table(counts: list[Any]) -> Table:
    t = Table(title="ingest")
    for col in ("file", "read as", "rows", "ingested", "duplicates", "quarantined"):
        t.add_column(col, justify="left" if col in ("file", "read as") else "right")
    for c in counts:
        t.add_row(
            c.path,
            c.format,
            f"{c.rows_seen:,}",
            f"{c.ingested:,}",
            f"{c.duplicates:,}",
            f"{c.quarantined:,}",
        )
    return t


def _totals(counts: list[Any]) -> dict[str, Any]:
    return {
        "files": [c.as_dict() for c in counts],
        "ingested": sum(c.ingested for c in counts),
        "duplicates": sum(c.duplicates for c in counts),
        "quarantined": sum(c.quarantined for c in counts),
        "rows": sum(c.rows_seen for c in counts),
    }


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@ingest_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@_handle_errors
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    fmt: str | None,
    mapping: str | None,
    platform: str | None,
    as_json: bool,
) -> None:
    """Read dumps (files, directories, globs) into the store. Re-ingesting adds nothing."""
    from cib.ingest import parse_mapping
    from cib.pipeline import ingest_paths

    cfg = ScanConfig().override(ingest={"format": fmt})
    with _open(db) as store:
        counts = ingest_paths(
            store,
            list(paths),
            mapping=parse_mapping(mapping),
            platform=platform,
            config=cfg,
            console=None if as_json else err_console,
        )
    if as_json:
        click.echo(json.dumps(_totals(counts)))
        return
    Console().print(_ingest_table(counts))
    tot = _totals(counts)
    click.echo(
        f"{tot['ingested']:,} posts ingested, {tot['duplicates']:,} duplicates, "
        f"{tot['quarantined']:,} quarantined (see the quarantine table of the store)."
    )


def _finish(
    report: ReportLike,
    out: str,
    cfg: ScanConfig,
    as_json: bool,
    evidence: pl.DataFrame | None = None,
) -> None:
    """Write the outputs (evidence.parquet too when ``evidence`` is given) and summarise."""
    from cib.pipeline import write_outputs
    from cib.report import print_summary
    from cib.report.model import as_report

    outputs = write_outputs(report, out, cfg, evidence=evidence)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "counts": as_report(report).run["counts"],
                    "outputs": {k: str(v) for k, v in outputs.items()},
                }
            )
        )
        return
    print_summary(report, Console())
    click.echo(f"Report written to {out}/ ({', '.join(p.name for p in outputs.values())}).")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@out_option(
    "Directory for accounts.csv, networks.json, report.html, evidence.parquet and the rest."
)
@ingest_options
@detect_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary object.")
@_handle_errors
def scan(
    paths: tuple[str, ...],
    db: str | None,
    out: str,
    fmt: str | None,
    mapping: str | None,
    platform: str | None,
    as_json: bool,
    config_path: str | None,
    **flags: Any,
) -> None:
    """Ingest PATHS, detect coordinated networks on the whole store, write the report."""
    from cib.ingest import parse_mapping
    from cib.pipeline import detect_run, ingest_paths

    cfg = _config(config_path, **flags).override(ingest={"format": fmt})
    console = None if as_json else err_console
    with _open(db) as store:
        counts = ingest_paths(
            store,
            list(paths),
            mapping=parse_mapping(mapping),
            platform=platform,
            config=cfg,
            console=console,
        )
        if not as_json:
            err_console.print(_ingest_table(counts))
        res = detect_run(store, cfg, inputs=counts, console=console)
    _finish(res.report, out, cfg, as_json, evidence=res.evidence)


@cli.command()
@db_option
@out_option("Directory for the report files.")
@detect_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary object.")
@_handle_errors
def detect(db: str | None, out: str, as_json: bool, config_path: str | None, **flags: Any) -> None:
    """Detect coordinated networks on everything in the store and write the report."""
    from cib.pipeline import detect_run

    cfg = _config(config_path, **flags)
    with _open(db) as store:
        res = detect_run(store, cfg, console=None if as_json else err_console)
    _finish(res.report, out, cfg, as_json, evidence=res.evidence)


@cli.command()
@db_option
@out_option("Directory for the report files.")
@click.option("--run", "run_id", default=None, help="Run id to render. [default: the latest]")
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="TOML file with [report] settings.",
)
@_handle_errors
def report(db: str | None, out: str, run_id: str | None, config_path: str | None) -> None:
    """Re-render the report of a stored run without rescanning."""
    from cib.pipeline import report_from_store

    cfg = ScanConfig.load(config_path)
    with _open(db, read_only=True) as store:
        rep = report_from_store(store, run_id)
    _finish(rep, out, cfg, False)


def _watch_line(summary: dict[str, Any]) -> str:
    c = (summary.get("changes") or {}).get("counts", {})
    networks = (
        f"{c.get('flagged_networks', 0)} flagged networks ({c.get('new', 0)} new, "
        f"{c.get('re_emerged', 0)} re-emerged, {c.get('grown', 0)} grown, "
        f"{c.get('dormant', 0)} dormant)"
        if c and summary.get("status") != "nothing new"
        else "no new report"
    )
    return (
        f"{summary.get('status')}: {len(summary['ingested'])} file(s) ingested, "
        f"{len(summary['skipped'])} already known, {len(summary['bad_files'])} unreadable; "
        + networks
    )


@cli.command()
@click.argument("drop", type=click.Path(file_okay=False))
@db_option
@out_option("Folder for the dated report folders (YYYY-MM-DDTHHMMZ/) and the latest link.")
@detect_options
@click.option(
    "--exit-on-new", is_flag=True, help="Exit 3 when a flagged network is new or re-emerged."
)
@click.option(
    "--wait-lock",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Wait this long for another run to release the store. [default: 0]",
)
@click.option(
    "--skip-bad-files",
    is_flag=True,
    help="Report unreadable files in changes.json and go on, instead of failing.",
)
@click.option(
    "--force", is_flag=True, help="Re-detect and write a report even when no file is new."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@_handle_errors
def watch(
    drop: str,
    db: str | None,
    out: str,
    exit_on_new: bool,
    wait_lock: float | None,
    skip_bad_files: bool,
    force: bool,
    as_json: bool,
    config_path: str | None,
    **flags: Any,
) -> None:
    """Scheduled scan of the drop folder DROP: ingest new dumps, re-detect, write a dated report
    folder with changes.json (see docs/scheduled.md). Exits 3 with --exit-on-new when a
    flagged network is new or re-emerged, 75 when another run holds the store."""
    from cib.watch import watch as run_watch

    def log(msg: str) -> None:
        click.echo(f"cib watch: {msg}", err=True)

    summary = run_watch(
        drop,
        db=db or DEFAULT_DB,
        out=out,
        config=_config(config_path, **flags),
        wait_lock_s=wait_lock or 0.0,
        skip_bad_files=skip_bad_files,
        force=force,
        log=log,
    )
    alert = bool((summary.get("changes") or {}).get("alert"))
    code = EXIT_NEW if exit_on_new and alert else 0
    summary["exit_code"] = code
    if as_json:
        click.echo(json.dumps(summary, default=str))
    else:
        log(_watch_line(summary))
    if code:
        click.get_current_context().exit(code)


@cli.command()
@out_option("Directory for posts.csv/.jsonl/.parquet and labels.csv.")
@click.option("--seed", type=int, default=None, help=field_doc(SimulateParams, "seed"))
@click.option("--accounts", type=int, default=None, help=field_doc(SimulateParams, "accounts"))
@click.option("--days", type=int, default=None, help=field_doc(SimulateParams, "days"))
@_handle_errors
def simulate(out: str, seed: int | None, accounts: int | None, days: int | None) -> None:
    """Write a simulated dump with planted operations and its labels."""
    from cib.simulate import simulate as run_sim

    values = {
        k: v for k, v in {"seed": seed, "accounts": accounts, "days": days}.items() if v is not None
    }
    summary = run_sim(out, params=SimulateParams(**values))
    click.echo(json.dumps(summary, default=str, indent=1))


@cli.command()
@click.option(
    "--labels",
    required=True,
    type=click.Path(dir_okay=False),
    help="CSV with account_id,campaign (organic for the rest).",
)
@click.option(
    "--accounts",
    "accounts_csv",
    required=True,
    type=click.Path(dir_okay=False),
    help="accounts.csv written by cib scan or cib detect.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_handle_errors
def evaluate(labels: str, accounts_csv: str, as_json: bool) -> None:
    """Account-level precision, recall, F1, recall per campaign and adjusted Rand index."""
    from cib.evaluate import evaluate_files

    res = evaluate_files(labels, accounts_csv)
    if as_json:
        click.echo(json.dumps(res))
        return
    t = Table(title="evaluation")
    for c in ("precision", "recall", "f1", "ari", "tp", "fp", "fn"):
        t.add_column(c, justify="right")
    t.add_row(*(str(res[c]) for c in ("precision", "recall", "f1", "ari", "tp", "fp", "fn")))
    Console().print(t)
    pc = Table(title="recall per campaign")
    pc.add_column("campaign")
    pc.add_column("accounts", justify="right")
    pc.add_column("recall", justify="right")
    for name, v in res["per_campaign"].items():
        pc.add_row(name, str(v["accounts"]), f"{v['recall']:.2f}")
    Console().print(pc)


@cli.group()
def config() -> None:
    """Inspect the configuration."""


@config.command("show")
@click.option(
    "--config",
    "config_path",
    default=None,
    type=click.Path(dir_okay=False),
    help="TOML file to resolve on top of the defaults.",
)
@_handle_errors
def config_show(config_path: str | None) -> None:
    """Print the resolved configuration as TOML-like JSON."""
    click.echo(json.dumps(ScanConfig.load(config_path).to_dict(), indent=2))


@cli.group()
def watchlist() -> None:
    """Accounts known to be operated or taken down; networks touching them are flagged."""


@watchlist.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.option("--label", default=None, help="Label for every account of FILE (e.g. the takedown).")
@click.option(
    "--taken-down-at",
    default=None,
    help="When the accounts were taken down (ISO 8601, e.g. 2024-03-09T00:00Z); fresh accounts "
    "created soon after count toward a return. [default: now]",
)
@_handle_errors
def watchlist_add(file: str, db: str | None, label: str | None, taken_down_at: str | None) -> None:
    """Register the accounts of FILE (CSV: account_id[,label])."""
    from cib.watchlist import add_watchlist_file, parse_takedown_time

    at = parse_takedown_time(taken_down_at) if taken_down_at else None
    with _open(db) as store:
        res = add_watchlist_file(store, file, label, added_at=at)
    click.echo(f"{res['added']:,} accounts added to the watchlist ({res['read']:,} read).")


@watchlist.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@_handle_errors
def watchlist_list(db: str | None, as_json: bool) -> None:
    """Show the watchlisted accounts."""
    with _open(db, read_only=True) as store:
        df = store.watchlist()
    if as_json:
        for r in df.iter_rows(named=True):
            click.echo(json.dumps(r, default=str))
        return
    t = Table(title=f"watchlist ({df.height:,} accounts)")
    for c in ("account_id", "label", "source", "added_at"):
        t.add_column(c)
    for r in df.iter_rows(named=True):
        t.add_row(r["account_id"], r["label"], r["source"], str(r["added_at"])[:19])
    Console().print(t)


# ----------------------------------------------------------------------------- review (cib.review)
class _ReviewGroup(click.Group):
    """``cib review NETWORK ...`` is ``cib review judge NETWORK ...``; the other words are
    subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["judge", *args]
        return super().parse_args(ctx, args)


def _review_params(config_path: str | None) -> Any:
    return ScanConfig.load(config_path).review


def review_config_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config_path",
        default=None,
        type=click.Path(dir_okay=False),
        help="TOML file with [review] settings.",
    )(fn)


@cli.group(cls=_ReviewGroup)
def review() -> None:
    """Verdicts on networks: `cib review NETWORK --verdict confirmed|benign|unsure`, and
    list, import, export."""


@review.command("judge")
@click.argument("network")
@click.option(
    "--verdict",
    type=click.Choice(["confirmed", "benign", "unsure"]),
    required=True,
    help="confirmed (an operation), benign (an organisation's own accounts, a syndicate, a "
    "fan club) or unsure.",
)
@click.option("--note", default=None, help="Why: what you checked, what you found.")
@click.option("--run", "run_id", default=None, help="Run id of the report. [default: the latest]")
@click.option("--reviewer", default=None, help=field_doc(ReviewParams, "reviewer"))
@db_option
@review_config_option
@_handle_errors
def review_judge(
    network: str,
    verdict: str,
    note: str | None,
    run_id: str | None,
    reviewer: str | None,
    db: str | None,
    config_path: str | None,
) -> None:
    """Record a verdict on NETWORK (network id, rank name N1 or track id) of a run."""
    from cib.review import record_verdict

    params = _review_params(config_path)
    with _open(db) as store:
        row = record_verdict(
            store,
            network,
            verdict,
            note=note or "",
            run_id=run_id,
            reviewer=reviewer,
            params=params,
        )
    click.echo(
        f"{row['verdict']} recorded for network {row['network_id']} of run {row['run_id']} "
        f"(track {row['track_id']}, {len(row['members'])} members) by {row['reviewer']}."
    )


@review.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@_handle_errors
def review_list(db: str | None, as_json: bool) -> None:
    """Show the recorded verdicts, oldest first."""
    with _open(db, read_only=True) as store:
        rows = store.verdicts()
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, default=str))
        return
    t = Table(title=f"verdicts ({len(rows):,})")
    for c in ("decided", "verdict", "network", "run", "track", "members", "reviewer", "note"):
        t.add_column(c)
    for r in rows:
        t.add_row(
            str(r["decided_at"])[:19],
            r["verdict"],
            r["name"] or str(r["network_id"]),
            r["run_id"],
            r["track_id"],
            str(len(r["members"] or [])),
            r["reviewer"],
            (r["note"] or "")[:60],
        )
    Console().print(t)


@review.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--reviewer", default=None, help=field_doc(ReviewParams, "reviewer"))
@db_option
@review_config_option
@_handle_errors
def review_import(file: str, reviewer: str | None, db: str | None, config_path: str | None) -> None:
    """Record the verdicts of FILE (verdicts.json from report.html); twice adds nothing."""
    from cib.review import import_verdicts

    params = _review_params(config_path)
    with _open(db) as store:
        res = import_verdicts(store, file, reviewer=reviewer, params=params)
    click.echo(
        f"{res['added']:,} verdict(s) recorded, {res['skipped']:,} already recorded "
        f"({res['read']:,} read from {file})."
    )


@review.command("export")
@click.option(
    "--labels",
    "labels_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="labels.csv to write (account_id,campaign), for cib evaluate.",
)
@db_option
@_handle_errors
def review_export(labels_path: str, db: str | None) -> None:
    """Write the judged networks' members as labels (confirmed: the operation; benign: organic)."""
    from cib.review import export_labels

    with _open(db, read_only=True) as store:
        res = export_labels(store, labels_path)
    click.echo(
        f"{res['accounts']:,} accounts written to {res['file']} ({res['confirmed']:,} in "
        f"confirmed operations, {res['benign']:,} organic)."
    )


@cli.group()
def affiliations() -> None:
    """Accounts known to belong to one organisation: their pairs are not evidence."""


@affiliations.command("add")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@_handle_errors
def affiliations_add(file: str, db: str | None) -> None:
    """Register the affiliations of FILE (CSV: account_id,organisation)."""
    from cib.review import add_affiliations_file

    with _open(db) as store:
        res = add_affiliations_file(store, file)
    click.echo(
        f"{res['added']:,} affiliation(s) added ({res['read']:,} read, "
        f"{res['organisations']:,} organisation(s)); they apply from the next detection run."
    )


@affiliations.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@_handle_errors
def affiliations_list(db: str | None, as_json: bool) -> None:
    """Show the declared affiliations."""
    with _open(db, read_only=True) as store:
        df = store.affiliations()
    if as_json:
        for r in df.iter_rows(named=True):
            click.echo(json.dumps(r, default=str))
        return
    t = Table(title=f"affiliations ({df.height:,} accounts)")
    for c in ("organisation", "account_id", "source", "added_at"):
        t.add_column(c)
    for r in df.iter_rows(named=True):
        t.add_row(r["organisation"], r["account_id"], r["source"], str(r["added_at"])[:19])
    Console().print(t)


if __name__ == "__main__":  # pragma: no cover
    cli()

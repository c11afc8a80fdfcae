"""Expanding input arguments (files, directories, globs) into a list of files."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from cib.errors import InputError

__all__ = ["DUMP_SUFFIXES", "expand_paths"]

#: File name endings picked up when a directory is expanded.
DUMP_SUFFIXES: tuple[str, ...] = (
    ".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".parquet", ".pq",
    ".csv.gz", ".tsv.gz", ".txt.gz", ".jsonl.gz", ".ndjson.gz", ".json.gz",
)  # fmt: skip


def _is_dump(p: Path) -> bool:
    name = p.name.lower()
    return not name.startswith(".") and name.endswith(DUMP_SUFFIXES)


def _walk(d: Path) -> list[Path]:
    return sorted(
        p
        for p in d.rglob("*")
        if p.is_file()
        and _is_dump(p)
        and not any(part.startswith(".") for part in p.relative_to(d).parts)
    )


def expand_paths(paths: Sequence[str]) -> list[Path]:
    """Expand files, directories (recursive, sorted) and globs into files.

    Parameters
    ----------
    paths : Sequence[str]
        Command-line arguments. A file is taken as is, whatever its name; a directory
        contributes every dump-like file below it (see :data:`DUMP_SUFFIXES`, hidden files
        skipped); anything else is a glob pattern (``**`` recurses).

    Returns
    -------
    list[Path]
        Unique files in argument order.

    Raises
    ------
    InputError
        If no arguments were given or an argument matches nothing.
    """
    if isinstance(paths, (str, Path)):
        paths = [str(paths)]
    if not paths:
        raise InputError("no input paths given; pass files, directories or globs of post dumps.")
    out: list[Path] = []
    seen: set[Path] = set()
    for arg in paths:
        p = Path(arg).expanduser()
        if p.is_file():
            found = [p]
        elif p.is_dir():
            found = _walk(p)
            if not found:
                raise InputError(
                    f"directory {arg!r} holds no dump files (looked for "
                    f"{', '.join(DUMP_SUFFIXES[:7])} and .gz); point at the files directly."
                )
        else:
            found = sorted(Path(m) for m in glob.glob(str(p), recursive=True) if Path(m).is_file())
            if not found:
                raise InputError(
                    f"input {arg!r} matches no file; check the path (and quote globs so the "
                    "shell passes them through, e.g. 'dumps/*.csv')."
                )
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out

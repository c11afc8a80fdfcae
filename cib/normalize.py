"""Text, URL and hashtag normalisation.

Every normalisation exists twice: a scalar reference implementation in plain Python
(:func:`normalize_text`, :func:`text_fingerprint`, :func:`canonical_url`,
:func:`normalize_hashtag`) and a vectorised Polars one used by :func:`normalize_posts`.
Tests check that the two agree on arbitrary text.

The text pipeline is, in order:

1. remove invisible and format characters (zero-width, bidi controls, BOM, soft hyphen,
   variation selectors, control characters other than whitespace, Unicode category Cf);
2. Unicode NFKC;
3. casefold;
4. fold common confusables (Cyrillic, Greek and other Latin look-alikes) to Latin;
5. NFKC again, only where the text holds combining marks (keeps the result idempotent);
6. collapse runs of whitespace to one space and strip.

The fingerprint further drops a leading ``RT @user:``, turns punctuation and symbols
(emoji included) into spaces, collapses whitespace and takes the first 16 hex digits of the
MD5 digest of the UTF-8 bytes: stable across runs, versions and platforms.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import polars as pl

__all__ = [
    "CONFUSABLES",
    "canonical_url",
    "normalize_hashtag",
    "normalize_posts",
    "normalize_text",
    "text_fingerprint",
]

#: Whitespace: exactly the characters for which Python's ``str.isspace`` is true.
_WS_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WS_CLASS = "[" + "".join(f"\\u{ord(c):04X}" for c in _WS_CHARS) + "]"
#: Runs of whitespace that are not already one plain space (few matches: fast to replace).
_WS_RUN = _WS_CLASS + "{2,}|[" + "".join(f"\\u{ord(c):04X}" for c in _WS_CHARS if c != " ") + "]"

#: Invisible characters removed besides category Cf (which holds U+200B-U+200F,
#: U+202A-U+202E, U+2060-U+2064, U+FEFF and the soft hyphen U+00AD).
_EXTRA_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08),
    (0x0E, 0x1B),
    (0x7F, 0x84),
    (0x86, 0x9F),  # C0/C1 controls that are not whitespace
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),  # Hangul fillers
    (0xFE00, 0xFE0F),  # variation selectors
    (0xE0100, 0xE01EF),  # variation selectors supplement
)


#: @-mentions in normalised text (an @ and what follows up to whitespace). They address a
#: post; they are not its content: "@celeb legend" from a hundred fans is not a shared text.
#: The same pattern runs in Polars, DuckDB (RE2) and Spark (Java regex).
MENTION_PATTERN = r"@\S+"


def _re_range(lo: int, hi: int) -> str:
    def esc(cp: int) -> str:
        return f"\\u{cp:04X}" if cp <= 0xFFFF else f"\\U{cp:08X}"

    return esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}"


_INVISIBLE_RE_POLARS = (
    r"[\p{Cf}" + "".join(_re_range(lo, hi) for lo, hi in _EXTRA_INVISIBLE_RANGES) + "]"
)
_INVISIBLE_EXTRA_SET = frozenset(
    chr(cp) for lo, hi in _EXTRA_INVISIBLE_RANGES for cp in range(lo, hi + 1)
)

#: Common confusables, folded after casefolding (so keys are lower case): Cyrillic,
#: Greek, Armenian and Latin look-alikes of Latin letters.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "н": "h",
    "і": "i", "ї": "i", "ӏ": "l", "ј": "j", "к": "k", "м": "m", "о": "o", "р": "p",
    "ԛ": "q", "ѕ": "s", "т": "t", "у": "y", "ү": "y", "х": "x", "ԝ": "w", "ɡ": "g",
    "ѡ": "w", "ԃ": "d",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k",
    "μ": "m", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "ϳ": "j", "ω": "w", "ί": "i", "ό": "o", "ά": "a", "έ": "e", "ύ": "u",
    # Armenian
    "օ": "o", "ս": "u", "ո": "n", "զ": "q", "հ": "h",
    # Latin look-alikes
    "ı": "i", "ɑ": "a", "ȷ": "j", "ʏ": "y", "ɩ": "i", "ʀ": "r", "ꜱ": "s",
}  # fmt: skip

#: Characters whose ``casefold`` differs from ``lower`` (BMP only: none outside it).
_CASEFOLD_EXTRA: dict[str, str] = {
    chr(cp): chr(cp).casefold()
    for cp in range(0x80, 0x10000)
    if not 0xD800 <= cp < 0xE000 and chr(cp).lower() == chr(cp) and chr(cp).casefold() != chr(cp)
}

#: What follows ``to_lowercase`` in the vectorised pipeline: casefold extras then confusables.
_AFTER_LOWER: dict[str, str] = {
    c: "".join(CONFUSABLES.get(x, x) for x in _CASEFOLD_EXTRA.get(c, c))
    for c in set(_CASEFOLD_EXTRA) | set(CONFUSABLES)
}
_CONFUSABLE_TABLE = str.maketrans(CONFUSABLES)

_RT_PREFIX = r"^(?:rt @[^ :]*: ?)+"
_RT_RE = re.compile(_RT_PREFIX)
_MULTI_SPACE_RE = re.compile(" {2,}")
_WS_RE = re.compile(_WS_CLASS + "+")


# ---------------------------------------------------------------------------- scalar


def _is_invisible(ch: str) -> bool:
    return ch in _INVISIBLE_EXTRA_SET or unicodedata.category(ch) == "Cf"


def normalize_text(s: str) -> str:
    """Normalise a text for comparison (scalar reference implementation).

    Parameters
    ----------
    s : str
        Raw post text.

    Returns
    -------
    str
        NFKC, invisibles removed, casefolded, confusables folded, whitespace collapsed.
    """
    if not s:
        return ""
    s = "".join(ch for ch in s if not _is_invisible(ch))
    s = unicodedata.normalize("NFKC", s)
    s = s.casefold().translate(_CONFUSABLE_TABLE)
    if any(unicodedata.category(ch).startswith("M") for ch in s):
        s = unicodedata.normalize("NFKC", s)
    return _WS_RE.sub(" ", s).strip(" ")


def _fp_base(norm: str) -> str:
    s = _RT_RE.sub("", norm)
    s = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in s)
    return _MULTI_SPACE_RE.sub(" ", s).strip(" ")


def _digest(s: str) -> str:
    return hashlib.md5(s.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def text_fingerprint(s: str) -> str:
    """A 16-hex-digit content fingerprint of ``s`` ("" when nothing is left).

    Exact copies and evasion-mutated copies (homoglyphs, zero-width characters, emoji
    padding, case, whitespace, a leading ``RT @user:``) share a fingerprint.

    Parameters
    ----------
    s : str
        Raw post text (it is normalised with :func:`normalize_text` first).

    Returns
    -------
    str
        First 16 hex digits of the MD5 of the fingerprint base, or ``""``.
    """
    base = _fp_base(normalize_text(s))
    return _digest(base) if base else ""


_URL_RE_PY = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?")
_DROP_PARAM_RE = r"^(?i:utm_[^=]*|fbclid|gclid)(?:=|$)"
_DROP_PARAM_RE_PY = re.compile(_DROP_PARAM_RE)


def canonical_url(u: str) -> str:
    """Canonicalise a URL (scalar reference implementation).

    Lower-cases scheme and host, drops a leading ``www.``, ``utm_*``, ``fbclid`` and
    ``gclid`` query parameters, the fragment and trailing slashes of the path.

    Parameters
    ----------
    u : str
        A URL as found in a post.

    Returns
    -------
    str
        The canonical URL ("" for an empty input).
    """
    u = u.strip(_WS_CHARS)
    m = _URL_RE_PY.match(u)
    assert m is not None  # the pattern matches every string
    scheme = (m.group(1) or "").lower()
    host = m.group(2).lower()
    if host.startswith("www."):
        host = host[4:]
    path = m.group(3).rstrip("/")
    query = "&".join(
        p for p in (m.group(4) or "").split("&") if p and not _DROP_PARAM_RE_PY.match(p)
    )
    return scheme + host + path + ("?" + query if query else "")


def normalize_hashtag(h: str) -> str:
    """Normalise one hashtag: :func:`normalize_text`, then no leading '#' or space."""
    return normalize_text(h).lstrip("# ")


# ---------------------------------------------------------------------------- vectorised


def _inert_class() -> str:
    """Regex class of the characters that need more than the ASCII path.

    A character is *inert* when every step past the ASCII path leaves it alone, whatever
    surrounds it: it is not invisible, not whitespace, NFKC-stable, its own lower case and
    case fold, not a confusable, and it neither combines nor composes (marks and Hangul
    jamo are excluded by category and range). Texts made of ASCII and inert characters
    (most emoji, punctuation, symbols and caseless scripts) take the fast ASCII path; the
    others get invisible removal and NFKC. Scanned over the blocks where dumps have them.
    """
    cats = {"So", "Sm", "Sc", "Sk", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Ll", "Lo"}
    inert: list[int] = []
    for cp in (*range(0x80, 0x3000), *range(0x1F000, 0x1FB00)):
        c = chr(cp)
        if (
            unicodedata.category(c) in cats
            and not 0x1100 <= cp <= 0x11FF  # Hangul jamo compose under NFKC
            and unicodedata.normalize("NFKC", c) == c
            and c.lower() == c
            and c.casefold() == c
            and c not in _AFTER_LOWER
            and c not in _INVISIBLE_EXTRA_SET
            and not c.isspace()
        ):
            inert.append(cp)
    ranges: list[list[int]] = []
    for cp in inert:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return r"[^\x00-\x7F" + "".join(_re_range(lo, hi) for lo, hi in ranges) + "]"


_NEEDS_FULL_RE = _inert_class()


def _norm_nonascii(s: pl.Series) -> pl.Series:
    """The full pipeline, for texts holding characters outside ASCII and the inert set."""
    e = (
        pl.col("t")
        .str.replace_all(_INVISIBLE_RE_POLARS, "")
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_many(_AFTER_LOWER)
    )
    out = pl.DataFrame({"t": s}).select(e).to_series()
    marks = out.str.contains(r"\p{M}").fill_null(False)
    if marks.any():  # NFKC again only where combining marks are left (rare)
        idx = marks.arg_true()
        out = out.scatter(idx, out.gather(idx).str.normalize("NFKC"))
    return out


def _collapse_ws(e: pl.Expr) -> pl.Expr:
    return e.str.replace_all(_WS_RUN, " ").str.strip_chars(" ")


def _normalize_text_series(s: pl.Series) -> pl.Series:
    """Vectorised :func:`normalize_text` (nulls stay null)."""
    t = s.cast(pl.String)
    full = t.str.contains(_NEEDS_FULL_RE).fill_null(False)
    n_full = int(full.sum())
    if n_full < len(t):  # the ASCII path: control characters out, lower case
        t = t.str.replace_all(r"[\x00-\x08\x0E-\x1B\x7F]", "").str.to_lowercase()
    if n_full:  # the full path, computed only on the rows that need it, from the raw text
        idx = full.arg_true()
        t = t.scatter(idx, _norm_nonascii(s.cast(pl.String).gather(idx)))
    df = pl.DataFrame({"t": t})
    return df.select(_collapse_ws(pl.col("t"))).to_series().alias(s.name)


def _fp_series(norm: pl.Series) -> pl.Series:
    """Vectorised fingerprint of already-normalised texts (null -> "")."""
    base = (
        pl.DataFrame({"t": norm})
        .select(
            pl.col("t")
            .fill_null("")
            .str.replace(_RT_PREFIX, "")
            .str.replace_all(r"[\p{P}\p{S}]+", " ")
            .str.replace_all(" {2,}", " ")
            .str.strip_chars(" ")
        )
        .to_series()
    )
    return _hash_series(base)


def _hash_series(base: pl.Series) -> pl.Series:
    """First 16 hex digits of MD5 per string; "" for empty strings."""
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        duckdb = None  # type: ignore[assignment]
    if duckdb is not None:
        frame = pl.DataFrame({"b": base})  # noqa: F841 - read by duckdb by name
        con = duckdb.connect()
        try:
            out = con.sql(
                "SELECT CASE WHEN b = '' THEN '' ELSE substr(md5(b), 1, 16) END AS h FROM frame"
            ).pl()["h"]
        finally:
            con.close()
        return out.cast(pl.String)
    return pl.Series([_digest(b) if b else "" for b in base.to_list()], dtype=pl.String)


def _map_list(s: pl.Series, fn: object) -> pl.Series:
    """Apply ``fn`` (Series -> Series of str) to every element of a list column."""
    lens = s.list.len().fill_null(0)
    flat = s.explode(empty_as_null=False, keep_nulls=False)
    mapped = fn(flat)  # type: ignore[operator]
    offsets = pl.concat([pl.Series([0], dtype=pl.Int64), lens.cast(pl.Int64).cum_sum()])
    import pyarrow as pa

    arr = pa.LargeListArray.from_arrays(
        offsets.to_arrow(), mapped.cast(pl.String).to_arrow().cast(pa.large_string())
    )
    return pl.Series(s.name, arr).cast(pl.List(pl.String))


def _canonical_url_series(flat: pl.Series) -> pl.Series:
    df = (
        pl.DataFrame({"u": flat})
        .select(
            pl.col("u")
            .str.strip_chars(_WS_CHARS)
            .str.extract_groups(
                r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)?(?P<host>[^/?#]*)(?P<path>[^?#]*)"
                r"(?:\?(?P<query>[^#]*))?"
            )
            .alias("p")
        )
        .unnest("p")
    )
    query = df["query"].fill_null("")
    drop = query.str.contains(r"(?i)(?:^|&)(?:utm_|fbclid|gclid)")
    if drop.any():  # only these need splitting into parameters
        idx = drop.arg_true()
        kept = (
            pl.DataFrame({"q": query.gather(idx)})
            .select(
                pl.col("q")
                .str.split("&")
                .list.eval(
                    pl.element().filter(
                        (pl.element() != "") & ~pl.element().str.contains(_DROP_PARAM_RE)
                    )
                )
                .list.join("&")
            )
            .to_series()
        )
        query = query.scatter(idx, kept)
    q = pl.col("query")
    return (
        df.with_columns(query.alias("query"))
        .select(
            pl.concat_str(
                pl.col("scheme").fill_null("").str.to_lowercase(),
                pl.col("host").fill_null("").str.to_lowercase().str.replace(r"^www\.", ""),
                pl.col("path").fill_null("").str.replace(r"/+$", ""),
                pl.when(q != "").then(pl.lit("?") + q).otherwise(pl.lit("")),
            )
        )
        .to_series()
    )


def _normalize_hashtag_series(flat: pl.Series) -> pl.Series:
    return _normalize_text_series(flat).str.strip_chars_start("# ")


def normalize_posts(posts: pl.DataFrame) -> pl.DataFrame:
    """Add the :data:`cib.schemas.NORMALIZED` columns to a POSTS frame.

    Parameters
    ----------
    posts : pl.DataFrame
        A frame with the canonical post columns (:data:`cib.schemas.POSTS`).

    Returns
    -------
    pl.DataFrame
        ``posts`` with ``text_norm``, ``text_fp``, ``urls_norm`` and ``hashtags_norm``
        appended (replacing any existing columns of those names).
    """
    from cib.schemas import POSTS, check_schema

    check_schema(posts, POSTS, stage="normalize")
    texts = pl.DataFrame({"text": posts["text"]})
    uniq = texts.unique(maintain_order=False)
    if uniq.height < 0.9 * texts.height:  # many exact copies: normalise each text once
        norm_u = _normalize_text_series(uniq["text"])
        table = uniq.with_columns(norm_u.alias("text_norm"), _fp_series(norm_u).alias("text_fp"))
        joined = texts.join(table, on="text", how="left", nulls_equal=True, maintain_order="left")
        text_norm, text_fp = joined["text_norm"], joined["text_fp"]
    else:
        text_norm = _normalize_text_series(posts["text"]).alias("text_norm")
        text_fp = _fp_series(text_norm).alias("text_fp")
    urls_norm = (
        _map_list(posts["urls"], _canonical_url_series)
        .list.eval(pl.element().filter(pl.element() != ""))
        .alias("urls_norm")
    )
    hashtags_norm = (
        _map_list(posts["hashtags"], _normalize_hashtag_series)
        .list.eval(pl.element().filter(pl.element() != "").unique().sort())
        .alias("hashtags_norm")
    )
    drop = [c for c in ("text_norm", "text_fp", "urls_norm", "hashtags_norm") if c in posts]
    return posts.drop(drop).with_columns(text_norm, text_fp, urls_norm, hashtags_norm)

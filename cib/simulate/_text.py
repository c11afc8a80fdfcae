"""Text machinery: a vectorised template grammar, URL variants, evasion mutations, paraphrase."""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from cib.simulate import _vocab as V

_SLOT = re.compile(r"\{(\w+)\}")
_VOCAB_SERIES: dict[str, pl.Series] = {
    k: pl.Series(k, v, dtype=pl.String) for k, v in V.VOCAB.items()
}


def _parse(template: str) -> list[tuple[str, bool]]:
    """Split a template into (piece, is_slot) parts."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            parts.append((template[pos : m.start()], False))
        parts.append((m.group(1), True))
        pos = m.end()
    if pos < len(template):
        parts.append((template[pos:], False))
    return parts


def compose(rng: np.random.Generator, n: int, templates: list[str]) -> pl.Series:
    """Draw ``n`` texts from a template grammar, vectorised.

    Parameters
    ----------
    rng
        Random generator.
    n
        Number of texts.
    templates
        Templates whose ``{slot}`` names are keys of :data:`cib.simulate._vocab.VOCAB`.

    Returns
    -------
    pl.Series
        ``n`` strings, whitespace collapsed and stripped.
    """
    if n == 0:
        return pl.Series("text", [], dtype=pl.String)
    which = rng.integers(0, len(templates), n)
    pieces: list[pl.DataFrame] = []
    for k, tpl in enumerate(templates):
        rows = np.flatnonzero(which == k)
        if rows.size == 0:
            continue
        cols: list[pl.Series | pl.Expr] = []
        for j, (piece, is_slot) in enumerate(_parse(tpl)):
            if is_slot:
                ser = _VOCAB_SERIES[piece]
                cols.append(ser.gather(rng.integers(0, len(ser), rows.size)).alias(f"c{j}"))
            else:
                cols.append(pl.Series(f"c{j}", [piece]).extend_constant(piece, rows.size - 1))
        df = pl.DataFrame(cols)
        pieces.append(
            pl.DataFrame({"row": rows}).with_columns(
                df.select(pl.concat_str(pl.all(), separator="").alias("text")).to_series()
            )
        )
    out = pl.concat(pieces).sort("row")["text"]
    return out.str.replace_all(r"\s+", " ").str.replace_all(r" ([.!?,:])", "$1").str.strip_chars()


def pick(rng: np.random.Generator, items: list[str], n: int) -> pl.Series:
    """``n`` uniform draws from ``items`` as a string Series."""
    return pl.Series(items, dtype=pl.String).gather(rng.integers(0, len(items), n))


def headline(rng: np.random.Generator) -> str:
    """One news headline."""
    parts = [V.HEAD_SUBJ, V.HEAD_VERB, V.HEAD_OBJ, V.HEAD_TAIL]
    text = " ".join(p[int(rng.integers(len(p)))] for p in parts).strip()
    return text[0].upper() + text[1:]


def slugify(text: str) -> str:
    """URL path slug of a headline."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_TRACKING = [
    "utm_source=twitter&utm_medium=social",
    "utm_source=twitter",
    "utm_medium=social&utm_source=share_button",
    "utm_campaign=share&utm_source=tw",
    "s=20",
    "smid=tw-share",
    "ref=tw",
]


def url_variant(rng: np.random.Generator, base: str, *, heavy: bool = False) -> str:
    """A tracking/formatting variant of ``base`` (``https://domain/path``).

    Parameters
    ----------
    rng
        Random generator.
    base
        Canonical URL without query.
    heavy
        Also vary scheme, ``www.``, trailing slash and add ``fbclid``/``amp`` (used by
        operators that want to dodge exact-URL matching).
    """
    url = base
    if heavy:
        u = rng.random(4)
        if u[0] < 0.3:
            url = url.replace("https://", "https://www.", 1)
        if u[1] < 0.2:
            url = url.replace("https://", "http://", 1)
        if u[2] < 0.4:
            url = url + "/"
        if u[3] < 0.15:
            url = url + ("amp" if url.endswith("/") else "/amp")
    r = rng.random()
    if r < 0.35:
        return url
    q = _TRACKING[int(rng.integers(len(_TRACKING)))]
    if heavy and rng.random() < 0.4:
        q = (
            f"fbclid=IwAR{rng.integers(10**12, 10**13)}"
            if rng.random() < 0.6
            else (q + f"&utm_content={rng.integers(1000, 9999)}")
        )
    return f"{url}?{q}"


def mutate_copy(rng: np.random.Generator, text: str, strength: float) -> str:
    """Mutate one copy of a copy-paste message to dodge exact matching.

    Applies, each with some probability: homoglyph substitution (Cyrillic/Greek look-alikes),
    zero-width characters, case changes, extra whitespace and emoji padding. At least one
    invisible or look-alike character is always present.
    """
    chars = list(text)
    n_sub = 0
    if rng.random() < 0.75:
        p = strength * rng.uniform(0.05, 0.35)
        for i, ch in enumerate(chars):
            alts = V.HOMOGLYPHS.get(ch)
            if alts and rng.random() < p:
                chars[i] = alts[int(rng.integers(len(alts)))]
                n_sub += 1
    if n_sub == 0 or rng.random() < 0.6:
        k = int(rng.integers(1, 5))
        for _ in range(k):
            pos = int(rng.integers(0, len(chars) + 1))
            chars.insert(pos, V.ZERO_WIDTH[int(rng.integers(len(V.ZERO_WIDTH)))])
    out = "".join(chars)
    r = rng.random()
    if r < 0.12:
        out = out.upper()
    elif r < 0.3:
        out = out.lower()
    elif r < 0.4:
        words = out.split(" ")
        j = int(rng.integers(len(words)))
        words[j] = words[j].upper()
        out = " ".join(words)
    if rng.random() < 0.4:
        words = out.split(" ")
        j = int(rng.integers(1, max(2, len(words))))
        words.insert(j, "" if rng.random() < 0.7 else "\n")
        out = " ".join(words)
    if rng.random() < 0.2:
        out = out + " " * int(rng.integers(1, 3))
    if rng.random() < 0.55:
        pad = "".join(
            V.EMOJI_PAD[int(i)] for i in rng.integers(0, len(V.EMOJI_PAD), int(rng.integers(1, 4)))
        )
        out = f"{pad} {out}" if rng.random() < 0.4 else f"{out} {pad}"
    return out


def talking_point(rng: np.random.Generator) -> dict[str, str]:
    """A talking point: subject, predicate, object and reason."""
    return {
        "subj": V.TP_SUBJ[int(rng.integers(len(V.TP_SUBJ)))],
        "pred": V.TP_PRED[int(rng.integers(len(V.TP_PRED)))],
        "obj": V.TP_OBJ[int(rng.integers(len(V.TP_OBJ)))],
        "reason": V.TP_REASON[int(rng.integers(len(V.TP_REASON)))],
    }


def _syn(rng: np.random.Generator, phrase: str, p: float) -> str:
    alts = V.SYN.get(phrase)
    if alts and rng.random() < p:
        return alts[int(rng.integers(len(alts)))]
    return phrase


def paraphrase(rng: np.random.Generator, tp: dict[str, str], *, p_syn: float = 0.6) -> str:
    """One member's rewrite of a talking point: synonyms, clause order, opener and closer."""
    subj, obj = tp["subj"], _syn(rng, tp["obj"], p_syn)
    pred, reason = _syn(rng, tp["pred"], p_syn), _syn(rng, tp["reason"], p_syn)
    form = int(rng.integers(5))
    if form == 0:
        core = f"{subj} {pred} {obj} and {reason}."
    elif form == 1:
        core = f"{reason}: {subj} {pred} {obj}."
    elif form == 2:
        core = f"{obj}? {subj} {pred} it. {reason}."
    elif form == 3:
        core = f"So {subj} {pred} {obj}, while {reason}."
    else:
        core = f"{subj} {pred} {obj}. Meanwhile {reason}!"
    core = core[0].upper() + core[1:]
    opener = V.TP_OPEN[int(rng.integers(len(V.TP_OPEN)))]
    closer = V.TP_CLOSE[int(rng.integers(len(V.TP_CLOSE)))]
    return " ".join(s for s in (opener, core, closer) if s)


def hostile_reply(rng: np.random.Generator, target: str) -> str:
    """A hostile reply addressed to ``@target``."""
    h = V.HOSTILE
    parts = [
        h["open"][int(rng.integers(len(h["open"])))],
        h["body"][int(rng.integers(len(h["body"])))],
    ]
    if rng.random() < 0.3:
        parts.append(h["body"][int(rng.integers(len(h["body"])))])
    parts.append(h["tail"][int(rng.integers(len(h["tail"])))])
    return f"@{target} " + " ".join(p for p in parts if p)


def short_text(rng: np.random.Generator, n: int, templates: list[str]) -> list[str]:
    """``n`` texts as a Python list (for the small, Python-level operation generators)."""
    return compose(rng, n, templates).to_list()

"""The simulated account population (organic attributes; operations restyle their members)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cib.simulate import _vocab as V

#: Start of every simulated dump: Monday 2024-03-04 00:00:00 UTC (epoch seconds).
START = 1_709_510_400
DAY = 86_400

HUMAN, OFFICE, FLAT = 0, 1, 2
REGULAR, CELEB, AGGREGATOR, HEAVY, OPERATOR = 0, 1, 2, 3, 4

#: Hourly activity weights (local time) for each rhythm profile.
PROFILES = np.array(
    [
        [
            2.0,
            1.2,
            0.7,
            0.4,
            0.3,
            0.4,
            0.9,
            2.0,
            3.2,
            3.8,
            4.0,
            4.2,
            4.8,
            4.6,
            4.2,
            4.0,
            4.1,
            4.5,
            5.0,
            5.6,
            6.0,
            5.8,
            4.8,
            3.4,
        ],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 3.0, 5.0, 5.0, 4.0, 2.5, 4.5, 5.0, 5.0, 4.0, 0, 0, 0, 0, 0, 0],
        [1.0] * 24,
    ]
)


@dataclass
class Accounts:
    """Column arrays describing every account (index = internal account number)."""

    handle: np.ndarray  # object (str): the account_id
    name: np.ndarray  # object (str)
    location: np.ndarray  # object (str)
    tz: np.ndarray  # float: behavioural UTC offset in hours
    profile: np.ndarray  # int8: HUMAN / OFFICE / FLAT
    shift: np.ndarray  # float: chronotype shift in hours
    weekdays_only: np.ndarray  # bool
    created: np.ndarray  # int64 epoch seconds
    followers: np.ndarray  # int64
    client1: np.ndarray  # object (str)
    client2: np.ndarray  # object (str)
    p_client1: np.ndarray  # float
    rate: np.ndarray  # float: organic posts per day
    mix: np.ndarray  # (n, 4) float: P(original, repost, reply, quote)
    role: np.ndarray  # int8
    label: np.ndarray  # object (str): campaign or "organic"

    @property
    def n(self) -> int:
        return len(self.handle)


def _handles(rng: np.random.Generator, n: int, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    pat = rng.choice(8, n, p=[0.16, 0.12, 0.2, 0.1, 0.14, 0.1, 0.1, 0.08])
    digits = rng.integers(0, 10**8, n)
    words = rng.integers(0, len(V.WORDS_HANDLE), (n, 2))
    years = rng.integers(1960, 2008, n)
    seen: set[str] = set()
    out = np.empty(n, dtype=object)
    for i in range(n):
        f, la = first[i], last[i]
        p = pat[i]
        if p == 0:
            h = f"{f}{la}".lower()
        elif p == 1:
            h = f"{f}_{la}".lower()
        elif p == 2:
            h = f"{f.lower()}{digits[i] % 10 ** (2 + digits[i] % 3)}"
        elif p == 3:
            h = f"{V.WORDS_HANDLE[words[i, 0]]}{f}"
        elif p == 4:
            h = f"{f}{la}"[:7] + f"{digits[i]:08d}"
        elif p == 5:
            h = f"{f[0]}{la}{years[i]}".lower()
        elif p == 6:
            h = f"{V.WORDS_HANDLE[words[i, 0]]}_{V.WORDS_HANDLE[words[i, 1]]}{f[:3].lower()}"
        else:
            h = f"{f}_{la[:1]}".lower() + "_" * int(digits[i] % 2)
        h = h[:15]
        while h in seen:
            h = h[:11] + str(rng.integers(0, 10000))
        seen.add(h)
        out[i] = h
    return out


def _names(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    n = len(first)
    form = rng.choice(4, n, p=[0.55, 0.2, 0.15, 0.1])
    deco = rng.integers(0, len(V.NAME_DECOR), n)
    out = np.empty(n, dtype=object)
    for i in range(n):
        if form[i] == 0:
            base = f"{first[i]} {last[i]}"
        elif form[i] == 1:
            base = str(first[i])
        elif form[i] == 2:
            base = f"{first[i]} {last[i][0]}."
        else:
            base = f"{first[i]} {last[i]}".upper() if i % 2 else f"{first[i].lower()}"
        out[i] = (base + V.NAME_DECOR[deco[i]]).strip()
    return out


def sample_clients(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` client names drawn from the human client mix."""
    names = np.array([c for c, _ in V.HUMAN_CLIENTS], dtype=object)
    p = np.array([w for _, w in V.HUMAN_CLIENTS])
    return names[rng.choice(len(names), n, p=p / p.sum())]


def sample_places(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(location strings, their UTC offsets) drawn from the weighted place list."""
    w = np.array([x[2] for x in V.PLACES])
    idx = rng.choice(len(V.PLACES), n, p=w / w.sum())
    loc = np.array([x[0] for x in V.PLACES], dtype=object)[idx]
    tz = np.array([x[1] for x in V.PLACES], dtype=float)[idx]
    return loc, tz


def build(rng: np.random.Generator, n: int) -> Accounts:
    """An organic population of ``n`` accounts (operations restyle some of them later).

    Parameters
    ----------
    rng
        Random generator.
    n
        Number of accounts.
    """
    first = np.array(V.FIRST, dtype=object)[rng.integers(0, len(V.FIRST), n)]
    last = np.array(V.LAST, dtype=object)[rng.integers(0, len(V.LAST), n)]
    loc, tz = sample_places(rng, n)
    # Some profiles name no place, or a vague one, or a place they don't live in (travel, expats).
    u = rng.random(n)
    loc = np.where(u < 0.22, "", loc)
    vague = (u >= 0.22) & (u < 0.30)
    loc[vague] = np.array(V.VAGUE_PLACES, dtype=object)[
        rng.integers(0, len(V.VAGUE_PLACES), int(vague.sum()))
    ]
    moved = rng.random(n) < 0.05
    tz = np.where(moved, sample_places(rng, n)[1], tz)
    profile = np.where(rng.random(n) < 0.06, OFFICE, HUMAN).astype(np.int8)
    weekdays_only = (profile == OFFICE) & (rng.random(n) < 0.6)
    age_days = np.exp(rng.uniform(np.log(20), np.log(5200), n))
    created = START - (age_days * DAY).astype(np.int64) - rng.integers(0, DAY, n)
    followers = np.floor(rng.lognormal(5.0, 1.7, n)).astype(np.int64)
    rate = np.clip(rng.lognormal(0.3, 1.15, n), 0.05, 60.0)
    mix = rng.dirichlet([4.0, 3.0, 2.2, 0.5], n)
    client1 = sample_clients(rng, n)
    client2 = sample_clients(rng, n)
    role = np.full(n, REGULAR, dtype=np.int8)
    heavy = rng.random(n) < 0.012
    rate[heavy] = rng.uniform(30, 120, int(heavy.sum()))
    role[heavy] = HEAVY
    return Accounts(
        handle=_handles(rng, n, first, last),
        name=_names(rng, first, last),
        location=loc.astype(object),
        tz=tz,
        profile=profile,
        shift=rng.normal(0.0, 1.2, n),
        weekdays_only=weekdays_only,
        created=created,
        followers=followers,
        client1=client1,
        client2=client2,
        p_client1=rng.uniform(0.75, 1.0, n),
        rate=rate,
        mix=mix,
        role=role,
        label=np.full(n, "organic", dtype=object),
    )


def sample_times(rng: np.random.Generator, acc: Accounts, who: np.ndarray, days: int) -> np.ndarray:
    """Epoch seconds for posts by accounts ``who``, following each one's daily rhythm.

    Days are drawn with per-account-day burstiness (gamma weights); hours from the account's
    profile in its behavioural time zone, shifted by its chronotype.
    """
    m = who.size
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, inv = np.unique(who, return_inverse=True)
    # Day choice: bursty per account when the account x day grid is small enough.
    day_w = None
    if uniq.size * days <= 20_000_000:
        day_w = rng.gamma(0.8, 1.0, (uniq.size, days))
        day_mask = np.ones(days, dtype=bool)
        wk = acc.weekdays_only[uniq]
        if wk.any():
            day_mask = (np.arange(days) % 7) < 5
            day_w[wk] *= day_mask
        day_w[day_w.sum(1) == 0] = 1.0
        cdf = np.cumsum(day_w, axis=1)
        cdf /= cdf[:, -1:]
        flat = (cdf + np.arange(uniq.size)[:, None]).ravel()
        pos = np.searchsorted(flat, inv + rng.random(m) * (1 - 1e-12), side="right")
        day = pos - inv * days
        day = np.clip(day, 0, days - 1)
    else:
        day = rng.integers(0, days, m)
    prof = acc.profile[who]
    hour = np.empty(m, dtype=float)
    for p in range(PROFILES.shape[0]):
        sel = prof == p
        if not sel.any():
            continue
        c = np.cumsum(PROFILES[p])
        c /= c[-1]
        hour[sel] = np.searchsorted(c, rng.random(int(sel.sum())), side="right")
    hour = hour + rng.random(m)
    hour = np.where(prof == HUMAN, hour + acc.shift[who], hour)
    local = day * DAY + (hour * 3600).astype(np.int64)
    utc = local - (acc.tz[who] * 3600).astype(np.int64)
    span = days * DAY
    return START + np.mod(utc, span)

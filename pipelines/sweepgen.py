"""Operation-space sweep generator: small synthetic dumps, one planted thing each.

Written independently of the detector (without reading its code, its tests or its
benchmarks), so the planted behaviours follow descriptions of real operations and real
organic synchrony, not the detector's assumptions.

API
===
``operation_grid() -> list[dict]``
    One dict per operation cell: ``{"cell", "kind": "operation", "style", "size",
    "participation", "delay_s", "delay_shape", "n_objects", "creation_spread_days",
    "varied"}`` (+ ``"n_principals"`` for ``repost_farm``).  ``varied`` names the axis that
    differs from the style's baseline (``"base"`` for the baseline itself).
``organic_grid() -> list[dict]``
    One dict per organic (hard-negative) cell: ``{"cell", "kind": "organic", "style",
    "size", ...style parameters..., "varied"}``.
``make_cell(cell, seed=0) -> (posts, labels)``
    Builds the dump for one cell.  Deterministic given ``(cell dict, seed)``; the cell's
    random stream is keyed on ``cell["cell"]`` and ``seed``.

Output
======
``posts`` has exactly the canonical columns, in this order::

    post_id String (unique, snowflake-like decimal), account_id String (handle),
    created_at Datetime(us, UTC) (whole seconds), text String, platform String ("x"),
    repost_of / reply_to / quote_of String|null (always a post_id present in the dump),
    urls List[String], hashtags List[String] (no '#'), mentions List[String] (handles),
    client String, lang String, account_created_at Datetime(us, UTC),
    account_name String, account_location String ("" when blank), followers Int64

Rows are sorted by ``created_at`` then ``post_id`` so row order leaks nothing.  Post ids
are ``((ms - 2010 epoch) << 22) | random 22 bits``: they increase with time like Twitter
snowflakes, and the low bits are random, so they do not reveal background vs planted.
A repost copies the original's text, urls, hashtags and mentions (like a retweet object)
and points at the original through ``repost_of``.  A reply starts with ``@author`` and
mentions the author.  Every post falls inside the 3-day window
[2024-03-04 00:00, 2024-03-07 00:00) UTC: anything that would land later is not collected
(as in a real time-boxed pull), and a reaction to an uncollected post is never generated.

``labels`` has ``account_id, campaign, role`` for every account that has at least one post
in the dump (an account whose only activity fell after the window is absent from both).
``campaign`` is ``"organic"`` for background accounts and for all accounts of an organic
counterpart; for planted operation accounts it is the style name.  ``role`` is finer:

* background: ``popular`` (the few big accounts), ``background``;
* operations: ``principal`` + ``amplifier`` (repost_farm), ``replier`` (reply_swarm),
  ``pusher`` (hashtag_push), ``copier`` (copypasta), ``paraphraser`` (paraphrase),
  ``linker`` (link_push); organic accounts added by an operation cell: ``target``
  (reply_swarm's victims, organic);
* organic counterparts: ``celebrity`` + ``fan`` (fan_base), ``outlet`` + ``sharer``
  (share_button), ``news_account`` + ``burst_poster`` (news_burst), ``trend_user``
  (trending_hashtag).

Background (identical for every cell with the same seed)
========================================================
About 600 accounts (8 ``popular`` with 100k-5M followers, the rest ordinary) over 3 days,
typically 13-14k posts.  Ordinary accounts' originals per account are log-normal
(median 6, sigma 1.1, capped at 300: heavy tail, the busiest post ~150 times).  Each account
has a time zone (US/Europe/LatAm/India/Australia mix, consistent with its location string,
35% blank locations) and posts follow a local-time diurnal curve (quiet 2-6 am, peaks at
noon and evening).  Texts are built from 12 topic vocabularies (two topics per account)
with openers, clause templates and endings; ~7% of accounts write Spanish.  25% of
originals carry 1-3 topic hashtags (Zipf), 15% a link to a popular domain (YouTube,
NYT, BBC, Guardian, Reddit, Spotify, GitHub, Wikipedia, ...; 40% of links come from a
pool of ~150 "viral" URLs shared by several unrelated accounts), 8% an @mention.
Reactions: every original draws Poisson reposts, replies and quotes from activity-weighted
random accounts with log-normal delays (popular posts: ~15 reposts, 5 replies, 1 quote,
median delay 15 min; ordinary posts: 0.25 / 0.2 / 0.04, median 40 min), and replies get
replies (threads).  Clients: iPhone/Android/Web App/iPad/TweetDeck mix, one main client
per account with 10% posts from another.  Account creation 2008-2024 (skewed recent),
log-normal followers (median ~180).

Every account added by a cell (operation members, fans, sharers, ...) gets a profile from
the *same* generator (handle, display name, location/time zone, client, followers), except
``account_created_at`` for operation accounts, which follows the cell's
``creation_spread_days`` axis.  So profile fields carry no signal other than that axis.

Operation cells
===============
Six styles.  For each style the "objects" of the operation are:

``repost_farm``
    1-3 principal accounts (1 for size 5, 2 for size 20, 3 for 100+; labelled
    ``principal``, part of the operation) post ``n_objects`` originals (campaign talking
    points) at their own diurnal times; amplifiers repost them.  Principal posts also get
    ~2 organic reposts each from background accounts.
``reply_swarm``
    Two organic target accounts (``target``, 50k-500k followers) post ``n_objects`` + a
    few extra posts; each target post gets organic replies (Poisson 6) and reposts
    (Poisson 8) from the background; members reply to the targeted posts with hostile
    short texts built from a phrase bank (varied wording, emoji, occasional hashtag).
``hashtag_push``
    ``n_objects`` waves at random times; a campaign set of 4 invented hashtags; in each
    wave members post an original slogan with a random subset (1-3) of the set.  A few
    background accounts also pick up one of the campaign hashtags once.
``copypasta``
    ``n_objects`` long messages (2-3 claims + call to action, sometimes a hashtag) each
    released at a trigger time; each copy is lightly obfuscated independently: 0-3
    Cyrillic homoglyphs, 0-2 zero-width characters, emoji prefix/suffix, punctuation
    and spacing changes (some copies are verbatim).
``paraphrase``
    ``n_objects`` talking points (claim type x entity x concrete detail); every post is an
    independent paraphrase: slot-based synonym choice for subject, verb, object, tail,
    sentence frame, opener, call to action, emoji.  Same entity and facts, different words.
``link_push``
    ``n_objects`` article URLs on obscure domains; members post a varied short comment with
    the URL; ~40% of posts use a tracking variant (utm_* parameters, fbclid, ref, share
    suffixes).

Axes (values in each cell dict):

* ``size``: members 5, 20, 100, 500 (principals/targets are extra),
* ``participation``: each member acts on each object independently with this probability
  (0.3, 0.6, 1.0); members that drew nothing get one random object, so every member posts,
* ``delay_s``: reaction-delay scale after the object's trigger (principal post, target post,
  wave start, release time) 1, 30, 300, 1800 s,
* ``delay_shape``: ``constant`` (scale +-10%, rounded, at least 1 s), ``uniform``
  (U(0, 2*scale), at least 1 s) or ``lognormal`` (median = scale, sigma = 1),
* ``n_objects``: 3, 10, 40 (triggers are placed in [start+1h, end-12h]),
* ``creation_spread_days``: 2 (all members created inside one 2-day window 15-300 days
  before the dump) or 2920 (uniform over the 8 years before the dump).

Delays are i.i.d. per action.  Operation members also have cover activity (about 2.7 posts
each on average, log-normal-Poisson: own topical originals at diurnal times and reactions
to background posts), the same "own activity" generator the organic counterparts use.

The design is one-factor-at-a-time around a per-style baseline (``size=20,
participation=0.6, delay_s=30, delay_shape="uniform", n_objects=10,
creation_spread_days=2920``): the baseline plus every other value of every axis, i.e.
1 + 3 + 2 + 3 + 2 + 2 + 1 = 14 cells per style, 84 in all.  Every axis value (so both
extremes) is covered for every style; ``varied`` tells which axis moved.

Organic counterpart cells (hard negatives)
==========================================
``fan_base``
    One ``celebrity`` (1-8M followers) posts 12 times at diurnal times; ``size`` fans
    (20, 200, 2000, 10000) each have an engagement rate drawn from Beta with mean
    ``participation`` (0.05, 0.2, 0.6; concentration 3, so there are superfans and
    lurkers), modulated by the fan's local hour when the post appears (normalised to
    keep the mean); an engagement is a repost (75%), reply (18%, fan-speak) or quote (7%)
    after a log-normal delay (``delay_median_s`` 10, 300, 3600; ``delay_sigma`` 1-2).
    Fans also have their own activity (same generator as cover activity).  Cells: a
    baseline (200, 0.2, 300 s, sigma 1.5), every other value of each axis, the dense/fast
    corner (0.6, 10 s, sigma 1) at every size, and two more mixed corners: 16 cells.
``share_button``
    ``size`` unrelated sharers (50, 500, 5000) and an ``outlet`` account that publishes
    ``n_articles`` (1, 3, 8) articles (Zipf popularity) plus other headlines; each sharer
    shares 1+ articles with the share-button text ``"<Title> <url> via @outlet"`` (72%
    verbatim, 18% with a personal comment in front, 10% title + url only), log-normal delay
    after publication (median 45 min, sigma 1) so most shares come within a few hours;
    URLs partly carry the share-button's tracking parameters (same for everybody) or
    other app variants; 10% of shares are reposts of the outlet's post.  9 cells.
``news_burst``
    ``size`` accounts (100, 1000, 5000) post about one breaking event (earthquake, fire,
    blackout, derailment, cup final, ...) within an hour of onset (gamma-shaped arrival,
    1-3 posts each), with the same 1 or 2 event hashtags (``n_hashtags``), similar but not
    identical words from an event vocabulary; 3 ``news_account``s post early updates that
    get reposted; 17% reposts, 5% replies.  6 cells.
``trending_hashtag``
    ``size`` accounts (300, 1500, 6000) using one or two trending hashtags over about a day
    (rise-and-fall curve times each poster's diurnal curve), 1+ posts each, topical texts
    plus theme phrases, 12% reposts of the early popular trend posts.  6 cells.

37 organic cells.  Sizes (seed 0; background alone 13.3k posts): operation cells
13.2-17.8k posts (median 13.3k), organic cells 13.3-35k except the two biggest fan_base
cells (10000 fans: 57k posts at 20%, 102k at 60%).  Generating all 121 cells takes
~30-45 s on one CPU core (the background is built once per seed and cached).

Randomness: the background uses ``numpy.random.default_rng([seed, 0xB6])``; a cell uses
``default_rng([seed, crc32(cell id)])``.  Running this file as a script generates every
cell, checks schema/uniqueness/references and prints sizes and timings.
"""

from __future__ import annotations

import random
import string
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import polars as pl

__all__ = ["operation_grid", "organic_grid", "make_cell", "POSTS_SCHEMA", "LABELS_SCHEMA"]

DAY = 86400
N_DAYS = 3
START = int(datetime(2024, 3, 4, tzinfo=UTC).timestamp())
END = START + N_DAYS * DAY
_TWEPOCH_MS = 1288834974657  # twitter snowflake epoch
PLATFORM = "x"

POSTS_SCHEMA = {
    "post_id": pl.String,
    "account_id": pl.String,
    "created_at": pl.Datetime("us", "UTC"),
    "text": pl.String,
    "platform": pl.String,
    "repost_of": pl.String,
    "reply_to": pl.String,
    "quote_of": pl.String,
    "urls": pl.List(pl.String),
    "hashtags": pl.List(pl.String),
    "mentions": pl.List(pl.String),
    "client": pl.String,
    "lang": pl.String,
    "account_created_at": pl.Datetime("us", "UTC"),
    "account_name": pl.String,
    "account_location": pl.String,
    "followers": pl.Int64,
}
LABELS_SCHEMA = {"account_id": pl.String, "campaign": pl.String, "role": pl.String}

# ----------------------------------------------------------------------------- grids

OP_STYLES = ("repost_farm", "reply_swarm", "hashtag_push", "copypasta", "paraphrase", "link_push")
OP_AXES = {
    "size": [5, 20, 100, 500],
    "participation": [0.3, 0.6, 1.0],
    "delay_s": [1, 30, 300, 1800],
    "delay_shape": ["constant", "uniform", "lognormal"],
    "n_objects": [3, 10, 40],
    "creation_spread_days": [2, 2920],
}
OP_BASE = {
    "size": 20,
    "participation": 0.6,
    "delay_s": 30,
    "delay_shape": "uniform",
    "n_objects": 10,
    "creation_spread_days": 2920,
}


def _n_principals(size: int) -> int:
    return 1 if size <= 5 else (2 if size <= 20 else 3)


def operation_grid() -> list[dict]:
    """Baseline + one-factor-at-a-time variations, for each of the six styles (84 cells)."""
    cells = []
    for style in OP_STYLES:
        variants = [("base", dict(OP_BASE))]
        for axis, values in OP_AXES.items():
            for v in values:
                if v != OP_BASE[axis]:
                    p = dict(OP_BASE)
                    p[axis] = v
                    variants.append((f"{axis}_{v}", p))
        for tag, p in variants:
            c = {
                "cell": f"op-{style}-{tag}",
                "kind": "operation",
                "style": style,
                **p,
                "varied": tag if tag == "base" else tag.rsplit("_", 1)[0],
            }
            if style == "repost_farm":
                c["n_principals"] = _n_principals(p["size"])
            cells.append(c)
    return cells


def organic_grid() -> list[dict]:
    cells = []
    # fan_base: baseline + OFAT + dense/fast corners
    base = {"size": 200, "participation": 0.2, "delay_median_s": 300, "delay_sigma": 1.5}
    axes = {
        "size": [20, 200, 2000, 10000],
        "participation": [0.05, 0.2, 0.6],
        "delay_median_s": [10, 300, 3600],
        "delay_sigma": [1.0, 1.5, 2.0],
    }
    fan = [("base", dict(base))]
    for axis, values in axes.items():
        for v in values:
            if v != base[axis]:
                fan.append((axis, {**base, axis: v}))
    for s in (20, 200, 2000, 10000):
        fan.append(
            (
                "corner_fast",
                {"size": s, "participation": 0.6, "delay_median_s": 10, "delay_sigma": 1.0},
            )
        )
    fan.append(
        (
            "corner_mixed",
            {"size": 10000, "participation": 0.05, "delay_median_s": 3600, "delay_sigma": 2.0},
        )
    )
    fan.append(
        (
            "corner_mixed",
            {"size": 2000, "participation": 0.6, "delay_median_s": 300, "delay_sigma": 1.0},
        )
    )
    for varied, p in fan:
        cid = (
            f"org-fan_base-n{p['size']}-p{p['participation']}-d{p['delay_median_s']}"
            f"-s{p['delay_sigma']}"
        )
        cells.append(
            {
                "cell": cid,
                "kind": "organic",
                "style": "fan_base",
                **p,
                "n_posts": 12,
                "varied": varied,
            }
        )
    for n in (50, 500, 5000):
        for k in (1, 3, 8):
            cells.append(
                {
                    "cell": f"org-share_button-n{n}-a{k}",
                    "kind": "organic",
                    "style": "share_button",
                    "size": n,
                    "n_articles": k,
                    "delay_median_s": 2700,
                    "varied": "size,n_articles",
                }
            )
    for i, (n, h) in enumerate([(n, h) for n in (100, 1000, 5000) for h in (1, 2)]):
        ev = _EVENTS[i % len(_EVENTS)]["name"]
        cells.append(
            {
                "cell": f"org-news_burst-n{n}-h{h}",
                "kind": "organic",
                "style": "news_burst",
                "size": n,
                "n_hashtags": h,
                "event": ev,
                "window_s": 3600,
                "varied": "size,n_hashtags",
            }
        )
    for i, (n, h) in enumerate([(n, h) for n in (300, 1500, 6000) for h in (1, 2)]):
        th = _TRENDS[i % len(_TRENDS)]["tags"][0]
        cells.append(
            {
                "cell": f"org-trending_hashtag-n{n}-h{h}",
                "kind": "organic",
                "style": "trending_hashtag",
                "size": n,
                "n_hashtags": h,
                "theme": th,
                "varied": "size,n_hashtags",
            }
        )
    return cells


# ----------------------------------------------------------------------------- vocabularies

_FIRST = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Chris Karen Daniel Lisa Matthew Nancy Anthony Betty
Mark Sandra Paul Ashley Steven Emily Andrew Kimberly Josh Donna Kevin Michelle Brian Carol
George Amanda Tim Melissa Ryan Deborah Jacob Stephanie Gary Rebecca Nick Sharon Eric Laura
Jonathan Cynthia Justin Amy Scott Kathleen Brandon Angela Ben Shirley Sam Anna Greg Brenda
Alex Pamela Frank Emma Jack Nicole Dennis Helen Jerry Samantha Tyler Katie Aaron Christine
Jose Debra Adam Rachel Nathan Carolyn Henry Janet Zach Maria Kyle Olivia Noah Sophia Liam
Mia Lucas Chloe Diego Lucia Mateo Sofia Tom Priya Raj Aisha Omar Yuki Kenji Lena Jonas
Marta Pablo Camila Leo Hannah Max Ella Ava Isaac Grace Ethan Zoe Owen Lily Dylan Nora""".split()
_LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White
Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen
Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez
Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy
Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox
Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price
Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell
Sullivan Bell Coleman Butler Henderson Barnes Fisher Vasquez Simmons Romero Jordan Patterson
Schmidt Muller Weber Rossi Silva Santos Novak Kowalski Larsen Berg Okafor Mensah Singh""".split()
_HANDLE_WORDS = """real the its official just mr ms xo daily fan life vibes music tech news sports
art photo dev mama papa coffee cat dog gamer runner chef writer boss queen king sunny lucky blue
wild little big tiny happy""".split()
_NAME_EMOJI = [
    "🌻",
    "✨",
    "🌊",
    "⚽",
    "🎸",
    "🏳️‍🌈",
    "🇺🇸",
    "🇬🇧",
    "🌸",
    "🐶",
    "☕",
    "📚",
    "💙",
    "🔥",
    "🌙",
]

_TZS = [
    (
        -5.0,
        0.28,
        [
            "New York, NY",
            "Atlanta, GA",
            "Boston, MA",
            "Miami, FL",
            "Philadelphia, PA",
            "Toronto, Ontario",
            "NYC",
            "Washington, DC",
            "Brooklyn, NY",
            "Ohio, USA",
        ],
    ),
    (
        -6.0,
        0.10,
        [
            "Chicago, IL",
            "Houston, TX",
            "Dallas, TX",
            "Austin, TX",
            "Minneapolis, MN",
            "Nashville, TN",
            "Texas",
        ],
    ),
    (-7.0, 0.04, ["Denver, CO", "Phoenix, AZ", "Salt Lake City, UT"]),
    (
        -8.0,
        0.13,
        [
            "Los Angeles, CA",
            "San Francisco, CA",
            "Seattle, WA",
            "Portland, OR",
            "Vancouver, BC",
            "California, USA",
            "San Diego",
        ],
    ),
    (
        0.0,
        0.15,
        [
            "London, England",
            "Manchester",
            "Dublin, Ireland",
            "Glasgow, Scotland",
            "UK",
            "Leeds",
            "Bristol, England",
        ],
    ),
    (
        1.0,
        0.11,
        [
            "Berlin, Germany",
            "Paris, France",
            "Amsterdam",
            "Stockholm",
            "Madrid, España",
            "Barcelona",
            "Roma",
            "Vienna",
        ],
    ),
    (-3.0, 0.06, ["São Paulo, Brasil", "Buenos Aires, Argentina", "Rio de Janeiro"]),
    (-6.0, 0.04, ["Ciudad de México", "Guadalajara, Jalisco", "CDMX"]),
    (5.5, 0.05, ["Mumbai, India", "Bangalore", "New Delhi, India"]),
    (10.0, 0.04, ["Sydney, Australia", "Melbourne", "Brisbane, QLD"]),
]
_ES_LOCS = {
    "Madrid, España",
    "Barcelona",
    "Buenos Aires, Argentina",
    "Ciudad de México",
    "Guadalajara, Jalisco",
    "CDMX",
}
_WHIMSY_LOC = [
    "earth",
    "somewhere",
    "🌍",
    "the internet",
    "she/her",
    "he/him",
    "in my head",
    "your timeline",
    "home",
    "wherever the wifi is",
]
_CLIENTS = [
    "Twitter for iPhone",
    "Twitter for Android",
    "Twitter Web App",
    "Twitter for iPad",
    "TweetDeck",
]
_CLIENT_W = np.array([0.45, 0.30, 0.19, 0.04, 0.02])

# local-hour activity weights (0..23)
_HOURLY = np.array(
    [
        0.30,
        0.20,
        0.12,
        0.08,
        0.07,
        0.10,
        0.25,
        0.50,
        0.70,
        0.80,
        0.85,
        0.90,
        1.00,
        0.95,
        0.90,
        0.88,
        0.90,
        0.95,
        1.00,
        1.05,
        1.10,
        1.00,
        0.80,
        0.55,
    ]
)
_HOURLY_P = _HOURLY / _HOURLY.sum()

_TOPICS = {
    "politics": dict(
        n="election debate senate bill vote policy campaign governor mayor budget poll "
        "candidate council".split(),
        a="wild messy boring important weird depressing predictable historic".split(),
        v=[
            "is a mess",
            "keeps getting worse",
            "makes no sense",
            "actually matters",
            "was a disaster",
            "went better than expected",
            "needs to happen",
            "is everywhere",
        ],
        t=["politics", "election2024", "vote", "news", "debate"],
    ),
    "sports": dict(
        n="game match goal referee coach season playoff striker quarterback lineup trade "
        "stadium".split(),
        a="insane brutal clutch awful unreal painful beautiful chaotic".split(),
        v=[
            "was robbed",
            "carried the team",
            "needs to go",
            "is on fire",
            "choked again",
            "went to overtime",
            "was a masterclass",
            "broke my heart",
        ],
        t=["NBA", "PremierLeague", "NFL", "football", "MLB", "ChampionsLeague"],
    ),
    "tech": dict(
        n="update phone laptop app bug keyboard AI chatbot startup release server battery".split(),
        a="buggy slick overpriced fast broken shiny underrated useless".split(),
        v=[
            "crashed again",
            "just shipped",
            "is finally fixed",
            "drains my battery",
            "changed everything",
            "needs a rollback",
            "is a privacy nightmare",
            "is kinda cool",
        ],
        t=["tech", "AI", "iOS", "Android", "coding", "startup"],
    ),
    "music": dict(
        n="album song concert playlist tour setlist chorus single vinyl band festival "
        "remix".split(),
        a="catchy haunting perfect loud underrated nostalgic iconic mid".split(),
        v=[
            "is on repeat",
            "slaps",
            "made me cry",
            "was sold out",
            "grows on you",
            "dropped at midnight",
            "lives in my head",
            "was better live",
        ],
        t=["NowPlaying", "music", "newmusic", "concert", "vinyl"],
    ),
    "food": dict(
        n="pizza ramen coffee brunch taco recipe sourdough burger curry salad bakery "
        "dumplings".split(),
        a="crispy spicy cheap overrated amazing soggy homemade perfect".split(),
        v=[
            "hit different",
            "was worth the wait",
            "is overrated",
            "saved my day",
            "burned again",
            "needs more salt",
            "is my personality now",
            "was a fail",
        ],
        t=["foodie", "cooking", "coffee", "recipe", "brunch"],
    ),
    "weather": dict(
        n="rain snow wind storm forecast heatwave sunset sky fog thunder commute umbrella".split(),
        a="gloomy gorgeous freezing humid grey perfect bizarre endless".split(),
        v=[
            "ruined my plans",
            "will not stop",
            "came out of nowhere",
            "was stunning",
            "is lying to us",
            "made the commute hell",
            "finally cleared",
            "feels like spring",
        ],
        t=["weather", "rain", "snow", "sunset", "spring"],
    ),
    "movies": dict(
        n="movie trailer sequel episode finale series director cast plot villain ending "
        "soundtrack".split(),
        a="gripping slow brilliant confusing overhyped gorgeous cheesy flawless".split(),
        v=[
            "deserves an award",
            "lost the plot",
            "was way too long",
            "blew my mind",
            "needs a second season",
            "aged badly",
            "was pure cinema",
            "ruined the book",
        ],
        t=["movies", "Netflix", "film", "TV", "Oscars", "cinema"],
    ),
    "gaming": dict(
        n="patch boss raid build speedrun controller console server lobby quest map "
        "loadout".split(),
        a="broken sweaty cozy unfair addictive laggy legendary janky".split(),
        v=[
            "is unplayable",
            "took me 40 tries",
            "needs a nerf",
            "is peak gaming",
            "went down again",
            "stole my weekend",
            "finally dropped",
            "is pay to win",
        ],
        t=["gaming", "PS5", "Xbox", "NintendoSwitch", "Twitch", "indiegame"],
    ),
    "travel": dict(
        n="flight airport hotel train beach roadtrip passport layover museum hostel "
        "view luggage".split(),
        a="delayed breathtaking crowded cheap magical exhausting tiny unforgettable".split(),
        v=[
            "got cancelled",
            "was worth it",
            "lost my bag",
            "is a must see",
            "took forever",
            "exceeded expectations",
            "was a nightmare",
            "cost a fortune",
        ],
        t=["travel", "wanderlust", "vacation", "travelgram"],
    ),
    "fitness": dict(
        n="run workout gym marathon squat yoga class bike ride stretch routine protein".split(),
        a="painful rewarding sore early brutal chill solid humbling".split(),
        v=[
            "destroyed me",
            "is paying off",
            "felt amazing",
            "got skipped again",
            "is my therapy",
            "was harder than expected",
            "is non negotiable",
            "hurts",
        ],
        t=["fitness", "running", "gym", "yoga", "marathon"],
    ),
    "finance": dict(
        n="market rent stock inflation paycheck mortgage crypto budget savings rate "
        "bitcoin taxes".split(),
        a="terrifying ridiculous volatile brutal stable insane red green".split(),
        v=[
            "is out of control",
            "went up again",
            "crashed overnight",
            "is a scam",
            "makes no sense",
            "keeps climbing",
            "finally recovered",
            "eats my paycheck",
        ],
        t=["stocks", "crypto", "inflation", "money", "investing"],
    ),
    "pets": dict(
        n="dog cat puppy kitten vet walk leash treat toy couch bath collar".split(),
        a="clingy chaotic adorable sleepy dramatic fluffy tiny spoiled".split(),
        v=[
            "stole my sandwich",
            "refuses to move",
            "is judging me",
            "knocked over my mug",
            "learned a new trick",
            "hates the vacuum",
            "is sleeping on my laptop",
            "runs this house",
        ],
        t=["dogsoftwitter", "catsoftwitter", "pets", "puppy"],
    ),
}
_TOPIC_NAMES = list(_TOPICS)
_OPENERS = [
    "",
    "",
    "",
    "",
    "",
    "honestly ",
    "ok so ",
    "ngl ",
    "lol ",
    "wow ",
    "just saw that ",
    "reminder: ",
    "hot take: ",
    "update: ",
    "so apparently ",
    "not gonna lie, ",
    "quick thought: ",
    "today ",
    "finally ",
    "me: ",
    "pov: ",
    "yo ",
    "random but ",
]
_ENDS = [
    "",
    "",
    "",
    "",
    ".",
    ".",
    "!",
    "!!",
    " lol",
    " 😂",
    " 🙃",
    " ...",
    " tbh",
    " 🔥",
    " 😭",
    " ❤️",
    "?",
    " 👀",
    " smh",
    " fr",
    " 💀",
    " 🙏",
]
_DETS = ["the", "the", "this", "that", "my", "our"]
_FEEL = [
    "love",
    "hate",
    "can't stop thinking about",
    "am so done with",
    "really miss",
    "need more",
    "don't get",
    "am obsessed with",
    "keep forgetting about",
    "just discovered",
    "will defend",
    "regret skipping",
]
_TIMES = [
    "today",
    "this morning",
    "tonight",
    "again",
    "all week",
    "right now",
    "every single time",
    "this weekend",
    "since monday",
    "lately",
    "for once",
]
_REPLY_BITS = [
    "this",
    "same",
    "exactly",
    "lol",
    "so true",
    "wait what",
    "no way",
    "agreed",
    "hard disagree",
    "facts",
    "source?",
    "this is the way",
    "omg",
    "real",
    "i said this yesterday",
    "big if true",
    "🤣",
    "💯",
    "ugh",
    "yep",
    "not sure about that",
    "underrated take",
    "couldn't agree more",
    "thank you",
    "ok but why",
]
_QUOTE_BITS = [
    "this is it",
    "read this",
    "can't believe this",
    "called it",
    "so true",
    "lmao",
    "important",
    "nope",
    "worth a read",
    "yikes",
    "someone had to say it",
    "big mood",
    "👇",
    "finally someone said it",
]

_ES = dict(
    n="partido gobierno comida lluvia película música trabajo fútbol café metro perro "
    "examen".split(),
    a="increíble horrible buenísimo raro aburrido perfecto caro tremendo".split(),
    v=[
        "no tiene sentido",
        "me encanta",
        "fue un desastre",
        "está buenísimo",
        "me salvó el día",
        "otra vez tarde",
        "es lo mejor",
        "me tiene harto",
    ],
    o=["", "", "jaja ", "bueno ", "hoy ", "oigan ", "la verdad ", "ya "],
    e=["", "", " jajaja", "!", " 😂", " 🙃", " xd", "..."],
    t=["fútbol", "LaLiga", "música", "noticias", "cdmx", "lunes"],
)

_DOMAIN_IDS = string.ascii_letters + string.digits

# fictional entities used by operations (no real people)
_ENTITIES = [
    "Governor Pratt",
    "Senator Hale",
    "Mayor Delacroix",
    "Minister Okoro",
    "the Halvard Party",
    "NordGas",
    "Councilman Briggs",
    "the Water Authority",
    "President Marlow",
    "Judge Whitcombe",
    "Veritas Media",
    "the Unity Coalition",
]
_ENTITY_SHORT = {
    "Governor Pratt": "Pratt",
    "Senator Hale": "Hale",
    "Mayor Delacroix": "Delacroix",
    "Minister Okoro": "Okoro",
    "the Halvard Party": "Halvard",
    "NordGas": "NordGas",
    "Councilman Briggs": "Briggs",
    "the Water Authority": "WaterAuthority",
    "President Marlow": "Marlow",
    "Judge Whitcombe": "Whitcombe",
    "Veritas Media": "Veritas",
    "the Unity Coalition": "Unity",
}

_CLAIMS = {
    "corruption": dict(
        s=["{e}", "{e}'s office", "{e} and friends", "{e}'s campaign"],
        v=["took", "pocketed", "quietly accepted", "raked in", "walked away with"],
        o=[
            "{d} from donors",
            "{d} in donor cash",
            "{d} from special interests",
            "{d} from big-money backers",
        ],
        d=["$4 million", "$12 million", "$800,000", "$2.3 million"],
    ),
    "election": dict(
        s=["{e}", "{e}'s team", "{e}'s people", "the {e} camp"],
        v=["buried", "hid", "covered up", "quietly tossed", "never counted"],
        o=["{d}", "{d} from the recount", "{d} in the audit", "{d} before the deadline"],
        d=["40,000 ballots", "the mail-in ballots", "12 precincts' results", "the overseas votes"],
    ),
    "economy": dict(
        s=["{e}", "{e}'s allies", "{e} and the insiders", "{e}'s budget office"],
        v=["pushed through", "rammed through", "signed off on", "quietly approved"],
        o=[
            "{d}",
            "{d} that hits working families",
            "{d} nobody voted for",
            "{d} in the middle of the night",
        ],
        d=["a 9% tax hike", "the gas price increase", "the pension cuts", "the rent increase"],
    ),
    "health": dict(
        s=["{e}", "{e}'s health office", "{e}'s people", "{e} and the agency"],
        v=["ignored", "covered up", "downplayed", "lied about", "sat on"],
        o=["{d}", "the truth about {d}", "warnings about {d}", "every report on {d}"],
        d=[
            "the contaminated water",
            "the hospital closures",
            "the side effects report",
            "the clinic shortage",
        ],
    ),
    "foreign": dict(
        s=["{e}", "{e}'s negotiators", "{e}'s inner circle", "{e} and the lobbyists"],
        v=["signed", "negotiated", "secretly approved", "rushed through"],
        o=["{d}", "{d} behind closed doors", "{d} without a vote", "{d} with zero oversight"],
        d=[
            "a secret deal with Veldoria",
            "the port sale to foreign investors",
            "the border agreement",
            "the arms contract",
        ],
    ),
    "crime": dict(
        s=["{e}", "{e}'s prosecutors", "{e}'s administration", "{e} and the soft-on-crime crowd"],
        v=["released", "let go", "refused to charge", "looked away from"],
        o=["{d}", "{d} while crime soars", "{d} and blamed everyone else", "{d} again"],
        d=[
            "hundreds of repeat offenders",
            "the gang leaders",
            "the cartel suspects",
            "violent criminals",
        ],
    ),
    "media": dict(
        s=["{e}", "{e}'s donors", "{e}'s PR machine", "{e}'s handlers"],
        v=["paid off", "pressured", "bankrolled", "silenced"],
        o=["{d}", "{d} to bury the story", "{d} to keep quiet", "{d} so you never hear this"],
        d=[
            "three local newspapers",
            "the TV stations",
            "the fact checkers",
            "the reporters covering the scandal",
        ],
    ),
    "energy": dict(
        s=["{e}", "{e}'s energy board", "{e} and the green lobby", "{e}'s regulators"],
        v=["shut down", "killed", "sold off", "gutted"],
        o=["{d}", "{d} and our bills doubled", "{d} for their donors", "{d} overnight"],
        d=[
            "the last coal plant",
            "the local refinery",
            "the wind project",
            "the power grid upgrades",
        ],
    ),
}
_CLAIM_FRAMES = [
    "{S} {V} {O} {T}",
    "so {S} {V} {O}? {T}",
    "reminder that {S} {V} {O}. {T}",
    "{O}. that's what {S} {V}. {T}",
    "did you know {S} {V} {O}? {T}",
    "{S} literally {V} {O}. {T}",
    "nobody wants to say it but {S} {V} {O}. {T}",
    "fact: {S} {V} {O}. {T}",
    "{T}: {S} {V} {O}",
]
_CLAIM_TAILS = [
    "and nobody is talking about it",
    "and the media is silent",
    "while we pay the price",
    "",
    "let that sink in",
    "and thinks we won't notice",
    "unbelievable",
    "this is a scandal",
    "wake up",
    "we deserve answers",
    "shameful",
    "and they call it leadership",
]
_CTAS = [
    "share this",
    "spread the word",
    "RT so people know",
    "don't let them bury this",
    "call your rep",
    "make this go viral",
    "",
    "",
    "",
    "",
    "pass it on",
    "retweet!!",
    "tell everyone you know",
]
_OPS_OPENERS = [
    "",
    "",
    "",
    "BREAKING: ",
    "wow. ",
    "unreal. ",
    "",
    "listen: ",
    "again: ",
    "people need to know: ",
    "🚨 ",
    "thread: ",
    "so... ",
]
_OPS_EMOJI = ["🇺🇸", "🔥", "👇", "‼️", "😡", "🙏", "💯", "👀", "✊", "📢", "🚨", "🤬", "⚠️"]

_ATTACKS = [
    "you should resign",
    "nobody believes you anymore",
    "shame on you",
    "lies, all lies",
    "how much are they paying you",
    "delete this",
    "the people see right through you",
    "ratio",
    "stop lying",
    "paid shill",
    "nobody asked",
    "typical fake news",
    "you're a disgrace",
    "log off",
    "touch grass",
    "what a joke",
    "clown",
    "you have zero credibility",
    "keep crying",
    "cope",
    "{e} did nothing wrong",
    "leave {e} alone",
    "{e} is ten times the person you are",
    "this aged badly",
    "your bias is showing",
    "journalism is dead",
    "fire this person",
    "imagine being this wrong",
    "go back to your echo chamber",
    "yawn",
]
_ATTACK_PRE = ["", "", "", "lol ", "wow ", "again? ", "seriously, ", "hey, ", "honestly ", "😂 "]
_ATTACK_SUF = ["", "", "", "!", "!!", ".", " 🤡", " 🙄", " 😂", " 👎", " 🤥", " smh", "..."]

_SLOGANS = [
    "{e} must go",
    "enough is enough",
    "the truth about {e} is coming out",
    "we won't be silenced",
    "time for change",
    "stand up against {e}",
    "no more lies from {e}",
    "this is our country",
    "{e} has to answer",
    "we see what {e} is doing",
    "the people have spoken",
    "we are the majority",
    "never forget what {e} did",
    "join us",
    "stop the cover-up",
    "we are not afraid",
]
_PUSH_TAGS = [
    "{s}Out",
    "Stop{s}",
    "{s}Lies",
    "{s}MustGo",
    "Resign{s}",
    "No{s}",
    "{s}Exposed",
    "{s}Scandal",
    "DumpThe{s}",
    "Fire{s}",
]
_PUSH_GENERIC = [
    "WakeUp",
    "TruthMatters",
    "EnoughIsEnough",
    "StandTogether",
    "TakeItBack",
    "PeopleFirst",
]

_LINK_DOMAINS = [
    "patriotdailywire.com",
    "truthledger.net",
    "thefreedomreport.org",
    "nationalvoicenews.com",
    "realfactsdaily.net",
    "citizenherald.info",
    "thecorevoice.com",
    "libertyupdate.news",
    "heartlandtribune.net",
    "insiderexposed.com",
]
_LINK_COMMENTS = [
    "read this",
    "this is what they don't want you to see",
    "must read",
    "wow",
    "everyone needs to see this",
    "{e} exposed",
    "share before it gets deleted",
    "👀",
    "the truth is out",
    "finally someone reports it",
    "unbelievable",
    "{e} can't hide this",
    "look at this",
    "here it is",
    "this is huge",
    "read it and weep",
    "bookmark this",
    "they tried to bury this",
    "full story here",
    "no way",
    "the receipts on {e}",
]

_HOMOGLYPHS = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "і",
    "A": "А",
    "E": "Е",
    "O": "О",
    "T": "Т",
    "H": "Н",
    "K": "К",
    "M": "М",
    "B": "В",
    "P": "Р",
    "C": "С",
    "s": "ѕ",
    "j": "ј",
}
_ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]

_FAN_REPLIES = [
    "omg yes",
    "love this",
    "QUEEN",
    "so proud of you",
    "🔥🔥🔥",
    "can't wait!!",
    "first!",
    "this is everything",
    "king",
    "we love you",
    "best news today",
    "crying",
    "ily",
    "literally iconic",
    "LETS GOOO",
    "screaming",
    "i need this",
    "obsessed",
    "you deserve it all",
    "see you in {city}!!",
    "👑",
    "😭😭",
    "no because why am i crying",
    "the way i screamed",
    "notifications on forever",
    "been waiting for this",
    "the GOAT",
    "proud fan since day one",
    "💕💕",
]
_CELEB_POSTS = [
    "new single out friday 🎶",
    "thank you {city}!! what a night ❤️",
    "tour dates just dropped, link in bio",
    "studio day 🎧",
    "can't believe this is real",
    "behind the scenes from the shoot 📸",
    "who's coming to {city}??",
    "love you all so much",
    "one more week...",
    "the video is finally here",
    "sound check 🎤",
    "we did it!! #1 thank you",
    "tickets on sale now",
    "surprise 👀",
    "merch restock today",
    "happy monday, be kind to yourselves",
]
_CITIES = [
    "London",
    "Chicago",
    "LA",
    "Toronto",
    "Paris",
    "Sydney",
    "New York",
    "Dallas",
    "Berlin",
    "Madrid",
    "Mexico City",
    "Atlanta",
]

_OUTLETS = [
    ("dailyherald", "dailyherald.com", "The Daily Herald"),
    ("metrotimes", "metrotimes.com", "Metro Times"),
    ("coastpost", "thecoastpost.com", "The Coast Post"),
    ("newsledger", "newsledger.net", "News Ledger"),
]
_HEAD_SUBJ = [
    "City council",
    "Local school board",
    "State legislature",
    "Research team",
    "Tech giant",
    "Transit agency",
    "Hospital network",
    "Federal regulator",
    "Science panel",
    "Housing authority",
    "Major airline",
    "University",
    "Police department",
    "Utility company",
]
_HEAD_VERB = [
    "approves",
    "rejects",
    "unveils",
    "delays",
    "announces",
    "investigates",
    "cuts",
    "expands",
    "debates",
    "scraps",
    "warns about",
    "settles over",
]
_HEAD_OBJ = [
    "new housing plan",
    "budget for next year",
    "plan to raise fares",
    "controversial merger",
    "water safety rules",
    "downtown stadium deal",
    "study on sleep and screens",
    "layoffs at regional offices",
    "climate targets",
    "rent control measure",
    "weekend service changes",
    "data breach affecting millions",
]
_HEAD_TAIL = [
    "",
    "",
    "",
    ", sources say",
    " amid backlash",
    " after months of talks",
    " in surprise vote",
    ": what it means for you",
    " as costs soar",
]
_SHARE_COMMENTS = [
    "Interesting.",
    "Wow",
    "Finally!",
    "About time.",
    "This is bad.",
    "Hmm",
    "Worth reading:",
    "Big news for us.",
    "Can't believe this",
    "Thoughts?",
    "Well then.",
    "Good.",
    "Oh no",
    "Ugh.",
    "Read this",
]

_EVENTS = [
    dict(
        name="earthquake",
        place="Riverton",
        tags=["RivertonEarthquake", "earthquake"],
        desc=[
            "earthquake",
            "huge earthquake",
            "strong quake",
            "massive tremor",
            "the quake",
            "big earthquake",
        ],
        det=[
            "the whole building was shaking",
            "things fell off my shelves",
            "felt it for like 20 seconds",
            "car alarms going off everywhere",
            "my dog knew before i did",
            "the power just flickered",
            "6.2 they're saying",
            "everyone is out on the street",
            "the windows were rattling",
            "sirens everywhere now",
            "my hands are still shaking",
        ],
        rx=[
            "omg",
            "wow",
            "holy crap",
            "did anyone else feel that",
            "just felt a",
            "that was terrifying",
            "BREAKING:",
            "stay safe everyone",
            "is everyone ok??",
            "praying for",
            "whoa",
            "uh",
            "ok that was scary",
        ],
    ),
    dict(
        name="warehouse_fire",
        place="the Eastport docks",
        tags=["EastportFire", "fire"],
        desc=[
            "huge fire",
            "massive fire",
            "warehouse fire",
            "giant fire",
            "explosion and fire",
            "fire",
        ],
        det=[
            "you can see the smoke from miles away",
            "black smoke everywhere",
            "roads are closed",
            "firefighters just arrived",
            "the sky is orange",
            "heard a loud bang first",
            "keep your windows shut",
            "ash falling on cars",
            "looks like a chemical smell",
            "dozens of trucks racing past",
        ],
        rx=[
            "omg",
            "wow",
            "BREAKING:",
            "holy",
            "stay safe",
            "scary stuff",
            "hope everyone is ok",
            "yikes",
            "insane",
            "can anyone confirm",
            "oh no",
        ],
    ),
    dict(
        name="blackout",
        place="the whole north side",
        tags=["Blackout", "PowerOutage"],
        desc=["blackout", "power outage", "total blackout", "power cut", "outage"],
        det=[
            "traffic lights are out",
            "phone at 12%",
            "whole street is dark",
            "the trains stopped",
            "no idea when it's coming back",
            "hospital on generators",
            "stuck in an elevator apparently",
            "utility says crews are on it",
            "candles out",
            "internet is down too",
        ],
        rx=[
            "great",
            "wow",
            "BREAKING:",
            "anyone else",
            "ugh",
            "seriously",
            "is this everywhere",
            "lol",
            "of course",
            "uh oh",
        ],
    ),
    dict(
        name="derailment",
        place="Millbrook",
        tags=["MillbrookDerailment", "train"],
        desc=[
            "train derailment",
            "freight train derailment",
            "derailed train",
            "train crash",
            "derailment",
        ],
        det=[
            "they're evacuating the area",
            "cars are on their side",
            "hazmat crews on scene",
            "roads closed near the station",
            "hope nobody was hurt",
            "helicopters overhead",
            "there's a shelter at the high school",
            "smoke coming from one car",
            "no injuries reported yet",
        ],
        rx=[
            "BREAKING:",
            "oh no",
            "wow",
            "terrible",
            "scary",
            "prayers",
            "holy",
            "developing:",
            "stay away from",
        ],
    ),
    dict(
        name="cup_final",
        place="Wembley",
        tags=["CupFinal", "FACup"],
        desc=[
            "last minute winner",
            "penalty shootout win",
            "comeback",
            "stoppage time goal",
            "upset of the year",
            "final whistle",
        ],
        det=[
            "i'm shaking",
            "CAN'T BREATHE",
            "the keeper was unreal",
            "what a game",
            "the fans are going mental",
            "i've waited 30 years for this",
            "tears everywhere",
            "the bench ran onto the pitch",
            "best night of my life",
            "pure chaos",
        ],
        rx=[
            "YESSSS",
            "WHAT",
            "omg",
            "unbelievable",
            "get in",
            "no way",
            "SCENES",
            "i can't",
            "history",
        ],
    ),
    dict(
        name="storm",
        place="Bayside",
        tags=["BaysideStorm", "tornado"],
        desc=["tornado warning", "huge storm", "tornado", "hail storm", "funnel cloud"],
        det=[
            "take shelter now",
            "hail the size of golf balls",
            "sirens going off",
            "trees down on main street",
            "power lines down",
            "sky turned green",
            "we're in the basement",
            "roof damage next door",
            "stay inside",
        ],
        rx=["omg", "BREAKING:", "wow", "stay safe", "scary", "please", "holy", "heads up"],
    ),
]
_TRENDS = [
    dict(
        tags=["MondayMotivation", "MotivationMonday"],
        ph=[
            "new week new goals",
            "you got this",
            "keep going",
            "small steps every day",
            "rise and grind",
            "be kind to yourself",
            "progress not perfection",
            "showing up is half the battle",
            "coffee first then world domination",
        ],
    ),
    dict(
        tags=["WorldBookDay", "BookLovers"],
        ph=[
            "currently reading",
            "my favourite book ever",
            "what should i read next",
            "the book that changed my life",
            "library haul",
            "rereading this classic",
            "my tbr pile is out of control",
            "recommend me something good",
        ],
    ),
    dict(
        tags=["NationalPancakeDay", "PancakeDay"],
        ph=[
            "pancakes for dinner",
            "free stack today",
            "team syrup",
            "made a tower",
            "blueberry or chocolate chip",
            "pancake art attempt",
            "flipped it perfectly",
            "my kids ate twelve",
        ],
    ),
    dict(
        tags=["Oscars", "Oscars2024"],
        ph=[
            "best picture prediction",
            "that speech",
            "the red carpet looks",
            "robbed",
            "deserved it",
            "the host was great",
            "who wore it best",
            "this category is stacked",
        ],
    ),
    dict(
        tags=["MarchMadness", "FinalFour"],
        ph=[
            "my bracket is busted",
            "upset alert",
            "cinderella story",
            "buzzer beater",
            "who you got",
            "brackets locked in",
            "this game is chaos",
            "one shining moment",
        ],
    ),
    dict(
        tags=["InternationalWomensDay", "IWD2024"],
        ph=[
            "celebrating the women in my life",
            "shoutout to my mom",
            "equal pay now",
            "inspired by",
            "here's to strong women",
            "thank you to every woman who",
            "today and every day",
            "support women owned businesses",
        ],
    ),
]


# ----------------------------------------------------------------------------- context


class _Ctx:
    """Columnar accumulator of accounts and posts (posts reference posts by int index)."""

    def __init__(self, rng: np.random.Generator, r: random.Random):
        self.rng, self.r = rng, r
        # accounts
        self.a_id: list[str] = []
        self.a_created: list[int] = []
        self.a_name: list[str] = []
        self.a_loc: list[str] = []
        self.a_foll: list[int] = []
        self.a_campaign: list[str] = []
        self.a_role: list[str] = []
        self.a_tz: list[float] = []
        self.a_client: list[str] = []
        self.a_lang: list[str] = []
        self.a_topics: list[tuple] = []
        self.taken: set[str] = set()
        # posts
        self.p_acc: list[int] = []
        self.p_t: list[int] = []
        self.p_text: list[str] = []
        self.p_rep: list[int] = []
        self.p_rto: list[int] = []
        self.p_quo: list[int] = []
        self.p_urls: list[list] = []
        self.p_tags: list[list] = []
        self.p_ment: list[list] = []
        self.p_client: list[str] = []
        self.p_lang: list[str] = []

    def clone(self, rng, r) -> _Ctx:
        c = _Ctx(rng, r)
        for k, v in self.__dict__.items():
            if k in ("rng", "r"):
                continue
            setattr(c, k, set(v) if isinstance(v, set) else list(v))
        return c

    # -- accounts
    def _handle(self, first: str, last: str) -> str:
        r = self.r
        while True:
            k = r.random()
            f, la = first.lower(), last.lower()
            if k < 0.15:
                h = f + la
            elif k < 0.28:
                h = f + "_" + la
            elif k < 0.45:
                h = f + la + str(r.randint(1, 99))
            elif k < 0.57:
                h = f + la[0] + str(r.randint(1, 9999))
            elif k < 0.67:
                h = r.choice(_HANDLE_WORDS) + f
            elif k < 0.75:
                h = f + "_" + r.choice(_HANDLE_WORDS)
            elif k < 0.83:
                h = first + last + str(r.randint(1960, 2008))
            elif k < 0.90:
                h = f[0] + la + str(r.randint(1, 999))
            else:
                h = first + "_" + r.choice(_HANDLE_WORDS) + str(r.randint(1, 99))
            h = h[:15]
            if h not in self.taken:
                self.taken.add(h)
                return h

    def _display(self, first: str, last: str) -> str:
        r = self.r
        k = r.random()
        if k < 0.45:
            return f"{first} {last}"
        if k < 0.6:
            return first
        if k < 0.7:
            return f"{first} {last[0]}."
        if k < 0.82:
            return f"{first} {r.choice(_NAME_EMOJI)}"
        if k < 0.88:
            return f"{first} {last} {r.choice(_NAME_EMOJI)}"
        if k < 0.93:
            return f"{first.lower()}"
        if k < 0.96:
            return f"Dr. {first} {last}"
        return f"{first} ({r.choice(['she/her', 'he/him', 'they/them'])})"

    def new_accounts(
        self,
        n: int,
        campaign: str,
        role: str,
        created=None,
        followers=None,
        topics=None,
        lang=None,
        jitter: bool = True,
    ) -> list[int]:
        rng, r = self.rng, self.r
        tz_w = np.array([w for _, w, _ in _TZS])
        tz_i = rng.choice(len(_TZS), size=n, p=tz_w / tz_w.sum())
        if created is None:
            days_before = 20 + (16 * 365 - 20) * rng.beta(1.3, 1.6, n)
            created = START - (days_before * DAY).astype(np.int64)
        if followers is None:
            followers = np.round(rng.lognormal(np.log(180), 1.6, n))
        followers = np.minimum(np.asarray(followers), 5e7).astype(np.int64)
        clients = rng.choice(len(_CLIENTS), size=n, p=_CLIENT_W)
        locblank = rng.random(n)
        out = []
        for j in range(n):
            first, last = r.choice(_FIRST), r.choice(_LAST)
            tz, _, locs = _TZS[tz_i[j]]
            loc = r.choice(locs)
            if locblank[j] < 0.35:
                loc = ""
            elif locblank[j] < 0.43:
                loc = r.choice(_WHIMSY_LOC)
            if lang is not None:
                lg = lang
            elif loc in _ES_LOCS and r.random() < 0.6:
                lg = "es"
            elif r.random() < 0.025:
                lg = "es"
            else:
                lg = "en"
            idx = len(self.a_id)
            self.a_id.append(self._handle(first, last))
            self.a_name.append(self._display(first, last))
            self.a_loc.append(loc)
            self.a_created.append(int(created[j]) + (r.randint(0, 86399) if jitter else 0))
            self.a_foll.append(int(followers[j]))
            self.a_campaign.append(campaign)
            self.a_role.append(role)
            self.a_tz.append(tz)
            self.a_client.append(_CLIENTS[clients[j]])
            self.a_lang.append(lg)
            self.a_topics.append(tuple(r.sample(_TOPIC_NAMES, 2)) if topics is None else topics)
            out.append(idx)
        return out

    # -- posts
    def add(
        self,
        acc: int,
        t: int,
        text: str,
        repost_of: int = -1,
        reply_to: int = -1,
        quote_of: int = -1,
        urls=(),
        tags=(),
        ment=(),
        lang: str | None = None,
    ) -> int:
        """Append a post; returns its index, or -2 if it is not collected (past END or
        reacting to an uncollected post)."""
        if t >= END or repost_of == -2 or reply_to == -2 or quote_of == -2:
            return -2
        t = max(int(t), START)
        for ref in (repost_of, reply_to, quote_of):
            if ref >= 0 and self.p_t[ref] >= t:
                t = self.p_t[ref] + 1
                if t >= END:
                    return -2
        self.p_acc.append(acc)
        self.p_t.append(t)
        self.p_text.append(text)
        self.p_rep.append(repost_of)
        self.p_rto.append(reply_to)
        self.p_quo.append(quote_of)
        self.p_urls.append(list(urls))
        self.p_tags.append(list(tags))
        self.p_ment.append(list(ment))
        r = self.r
        self.p_client.append(self.a_client[acc] if r.random() < 0.9 else r.choice(_CLIENTS))
        self.p_lang.append(lang or self.a_lang[acc])
        return len(self.p_t) - 1

    def repost(self, acc: int, t: int, target: int) -> int:
        if target < 0:
            return -2
        if self.p_rep[target] >= 0:
            target = self.p_rep[target]
        if self.p_acc[target] == acc:
            return -2
        return self.add(
            acc,
            t,
            self.p_text[target],
            repost_of=target,
            urls=self.p_urls[target],
            tags=self.p_tags[target],
            ment=self.p_ment[target],
            lang=self.p_lang[target],
        )

    def reply(self, acc: int, t: int, target: int, body: str, tags=(), urls=(), lang=None) -> int:
        if target < 0:
            return -2
        author = self.a_id[self.p_acc[target]]
        return self.add(
            acc,
            t,
            f"@{author} {body}",
            reply_to=target,
            urls=urls,
            tags=tags,
            ment=[author],
            lang=lang,
        )

    def quote(self, acc: int, t: int, target: int, body: str) -> int:
        if target < 0:
            return -2
        return self.add(acc, t, body, quote_of=target)


# ----------------------------------------------------------------------------- text helpers


def _cap(r: random.Random, s: str) -> str:
    return s[:1].upper() + s[1:] if s and r.random() < 0.55 else s


def _rid(r: random.Random, n: int) -> str:
    return "".join(r.choices(_DOMAIN_IDS, k=n))


def _slug(r: random.Random, words: list[str], k: int = 4) -> str:
    return "-".join(w.lower().strip(".,:") for w in r.sample(words, min(k, len(words))))


def _clause(r: random.Random, tp: dict) -> str:
    n, a, v = tp["n"], tp["a"], tp["v"]
    k = r.randrange(11)
    d = r.choice(_DETS)
    if k == 0:
        return f"{d} {r.choice(n)} {r.choice(v)}"
    if k == 1:
        return f"i {r.choice(_FEEL)} {d} {r.choice(n)}"
    if k == 2:
        return f"why is {d} {r.choice(n)} so {r.choice(a)}"
    if k == 3:
        return f"{d} {r.choice(a)} {r.choice(n)} {r.choice(v)} {r.choice(_TIMES)}"
    if k == 4:
        return f"{r.choice(n)} {r.choice(_TIMES)}? {r.choice(a)}"
    if k == 5:
        return f"nothing beats a {r.choice(a)} {r.choice(n)}"
    if k == 6:
        return f"{d} {r.choice(n)} and {d} {r.choice(n)} are both {r.choice(a)}"
    if k == 7:
        return f"is it just me or is {d} {r.choice(n)} {r.choice(a)}"
    if k == 8:
        return f"{r.randint(2, 12)} hours of {r.choice(n)} and i still {r.choice(_FEEL)} it"
    if k == 9:
        return f"{d} {r.choice(n)} {r.choice(v)}, {d} {r.choice(n)} {r.choice(v)}"
    return f"we {r.choice(_FEEL)} {r.choice(a)} {r.choice(n)}s"


def _topic_text(r: random.Random, topics: tuple, lang: str) -> str:
    if lang == "es":
        tp = _ES
        s = (
            f"{r.choice(tp['o'])}{r.choice(['el', 'la', 'este', 'mi'])} {r.choice(tp['n'])} "
            f"{r.choice(tp['v'])}"
        )
        if r.random() < 0.3:
            s += f", {r.choice(tp['a'])}"
        return _cap(r, s) + r.choice(tp["e"])
    tp = _TOPICS[r.choice(topics)]
    s = r.choice(_OPENERS) + _clause(r, tp)
    if r.random() < 0.35:
        s += ". " + _clause(r, _TOPICS[r.choice(topics)])
    return _cap(r, s) + r.choice(_ENDS)


def _pop_url(r: random.Random, topic: str) -> str:
    k = r.randrange(12)
    words = _TOPICS[topic]["n"] + _TOPICS[topic]["a"]
    dd = f"{r.randint(1, 6):02d}"
    if k == 0 or k == 1:
        return f"https://www.youtube.com/watch?v={_rid(r, 11)}"
    if k == 2:
        return f"https://youtu.be/{_rid(r, 11)}"
    if k == 3:
        return f"https://www.nytimes.com/2024/03/{dd}/{topic}/{_slug(r, words)}.html"
    if k == 4:
        return f"https://www.bbc.com/news/{topic}-{r.randint(60000000, 69999999)}"
    if k == 5:
        return f"https://www.theguardian.com/{topic}/2024/mar/{dd}/{_slug(r, words, 5)}"
    if k == 6:
        slug = _slug(r, words).replace("-", "_")
        return f"https://www.reddit.com/r/{topic}/comments/{_rid(r, 6).lower()}/{slug}/"
    if k == 7:
        return f"https://open.spotify.com/track/{_rid(r, 22)}"
    if k == 8:
        user = f"{r.choice(_FIRST).lower()}{r.randint(1, 99)}"
        return f"https://github.com/{user}/{_slug(r, words, 2)}"
    if k == 9:
        return f"https://en.wikipedia.org/wiki/{r.choice(words).capitalize()}"
    if k == 10:
        return f"https://www.instagram.com/p/{_rid(r, 11)}/"
    return f"https://www.cnn.com/2024/03/{dd}/{topic}/{_slug(r, words)}/index.html"


def _obfuscate(r: random.Random, s: str) -> str:
    chars = list(s)
    for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
        pos = [i for i, ch in enumerate(chars) if ch in _HOMOGLYPHS]
        if pos:
            i = r.choice(pos)
            chars[i] = _HOMOGLYPHS[chars[i]]
    for _ in range(r.choice([0, 0, 1, 2])):
        chars.insert(r.randrange(1, len(chars)), r.choice(_ZW))
    s = "".join(chars)
    k = r.random()
    if k < 0.2:
        s = r.choice(_OPS_EMOJI) + " " + s
    elif k < 0.45:
        s = s + " " + r.choice(_OPS_EMOJI) * r.randint(1, 3)
    k = r.random()
    if k < 0.1:
        s = s.replace("!", "!!")
    elif k < 0.2:
        s = s.replace(". ", ".  ", 1)
    elif k < 0.27:
        s = s.rstrip(".!") + "!!!"
    return s


def _claim_text(r: random.Random, point: tuple, cta: bool = True, opener: bool = True) -> str:
    claim, e, d = point
    c = _CLAIMS[claim]
    S = r.choice(c["s"]).format(e=e)
    V = r.choice(c["v"])
    O = r.choice(c["o"]).format(d=d)  # noqa: E741
    T = r.choice(_CLAIM_TAILS)
    frame = r.choice(_CLAIM_FRAMES)
    if not T and frame.startswith("{T}"):
        frame = "{S} {V} {O} {T}"
    s = frame.format(S=S, V=V, O=O, T=T).strip().replace(" .", ".").replace("  ", " ")
    if s.endswith("?") is False and s.endswith(".") is False and r.random() < 0.4:
        s += r.choice([".", "!", "!!", "."])
    if opener:
        s = r.choice(_OPS_OPENERS) + _cap(r, s)
    if cta:
        ct = r.choice(_CTAS)
        if ct:
            if s[-1:] not in ".!?":
                s += r.choice([".", "!", " -", ","])
            s += " " + _cap(r, ct)
    if r.random() < 0.3:
        s += " " + r.choice(_OPS_EMOJI)
    return s


def _talking_points(r: random.Random, n: int, entities: list[str]) -> list[tuple]:
    """n distinct (claim, entity, detail) points; more entities are drawn when the
    given ones cannot make n distinct points."""
    claims = list(_CLAIMS)
    ents = list(entities)
    others = [e for e in _ENTITIES if e not in ents]
    r.shuffle(others)
    while len(ents) * len(claims) < n and others:
        ents.append(others.pop())
    pts = [(c, e, d) for e in ents for c in claims for d in _CLAIMS[c]["d"]]
    r.shuffle(pts)
    out, seen = [], set()
    for c, e, d in pts:  # prefer distinct (claim, entity) pairs first
        if (c, e) not in seen:
            seen.add((c, e))
            out.append((c, e, d))
    out += [p for p in pts if p not in out]
    return out[:n]


# ----------------------------------------------------------------------------- time helpers


def _diurnal_times(rng: np.random.Generator, tz: np.ndarray, lo: int = START, hi: int = END):
    """One timestamp per element of tz (hours offset), following the local-hour curve,
    uniform over days, inside [lo, hi)."""
    tz = np.asarray(tz, dtype=float)
    n = len(tz)
    out = np.empty(n, dtype=np.int64)
    todo = np.arange(n)
    for _ in range(60):
        if len(todo) == 0:
            break
        m = len(todo)
        day = rng.integers(0, N_DAYS + 1, m)
        hour = rng.choice(24, size=m, p=_HOURLY_P)
        sec = rng.integers(0, 3600, m)
        t = START - DAY + day * DAY + hour * 3600 + sec - np.round(tz[todo] * 3600).astype(np.int64)
        ok = (t >= lo) & (t < hi)
        out[todo[ok]] = t[ok]
        todo = todo[~ok]
    if len(todo):
        out[todo] = rng.integers(lo, hi, len(todo))
    return out


def _delays(rng: np.random.Generator, n: int, scale: float, shape: str) -> np.ndarray:
    if shape == "constant":
        d = scale * (1 + rng.uniform(-0.1, 0.1, n))
    elif shape == "uniform":
        d = rng.uniform(0, 2 * scale, n)
    elif shape == "lognormal":
        d = scale * np.exp(rng.normal(0, 1, n))
    else:
        raise ValueError(f"unknown delay_shape {shape!r}")
    return np.maximum(1, np.round(d)).astype(np.int64)


def _lognorm_delay(rng, n, median, sigma):
    return np.maximum(1, np.round(median * np.exp(rng.normal(0, sigma, n)))).astype(np.int64)


def _local_hour(t: np.ndarray | int, tz: np.ndarray | float):
    return ((np.asarray(t) + np.round(np.asarray(tz) * 3600)).astype(np.int64) // 3600) % 24


# ----------------------------------------------------------------------------- background


@dataclass
class _Base:
    ctx: _Ctx
    ids: list[str]
    orig: np.ndarray  # indices of background originals
    orig_w: np.ndarray  # popularity weights over orig
    reg: np.ndarray  # ordinary background account indices
    reg_w: np.ndarray  # activity weights (reactor choice)
    pop: list[int]
    pop_posts: np.ndarray


def _originals_for(
    ctx: _Ctx,
    accs: list[int],
    counts: np.ndarray,
    p_tag=0.25,
    p_url=0.15,
    p_ment=0.08,
    url_pool=None,
    ment_pool=None,
) -> list[int]:
    rng, r = ctx.rng, ctx.r
    if len(accs) == 0:
        return []
    acc_rep = np.repeat(np.asarray(accs), counts)
    if len(acc_rep) == 0:
        return []
    tz = np.asarray(ctx.a_tz)[acc_rep]
    times = _diurnal_times(rng, tz)
    u = rng.random((len(acc_rep), 3))
    out = []
    for j in range(len(acc_rep)):
        a = int(acc_rep[j])
        topics, lang = ctx.a_topics[a], ctx.a_lang[a]
        text = _topic_text(r, topics, lang)
        tags, urls, ment = [], [], []
        if u[j, 0] < p_tag:
            pool = _ES["t"] if lang == "es" else _TOPICS[r.choice(topics)]["t"]
            k = 1 if r.random() < 0.65 else r.randint(2, 3)
            for _ in range(k):
                tg = pool[min(int(rng.zipf(1.6)) - 1, len(pool) - 1)]
                if tg not in tags:
                    tags.append(tg)
            text += "".join(f" #{tg}" for tg in tags)
        if u[j, 1] < p_url:
            if url_pool is not None and r.random() < 0.4:
                url = url_pool[min(int(rng.zipf(1.3)) - 1, len(url_pool) - 1)]
            else:
                url = _pop_url(r, topics[0])
            urls.append(url)
            text += " " + url
        if ment_pool is not None and u[j, 2] < p_ment:
            m = ctx.a_id[int(ment_pool[r.randrange(len(ment_pool))])]
            if m != ctx.a_id[a]:
                ment.append(m)
                text = f"@{m} {text}" if r.random() < 0.3 else f"{text} cc @{m}"
        i = ctx.add(a, int(times[j]), text, urls=urls, tags=tags, ment=ment)
        if i >= 0:
            out.append(i)
    return out


def _reply_body(r: random.Random, ctx: _Ctx, acc: int) -> str:
    if r.random() < 0.55:
        s = r.choice(_REPLY_BITS)
        if r.random() < 0.3:
            s += " " + r.choice(_ENDS).strip()
        return s.strip()
    return _topic_text(r, ctx.a_topics[acc], ctx.a_lang[acc])


def _react(
    ctx: _Ctx,
    targets: list[int],
    reactors: np.ndarray,
    react_w: np.ndarray,
    lam_rep,
    lam_rpl,
    lam_quo,
    median,
    sigma,
) -> list[int]:
    """Organic reactions: Poisson numbers of reposts/replies/quotes per target post from
    weighted random reactors after log-normal delays.  Returns the reply indices."""
    rng, r = ctx.rng, ctx.r
    targets = np.asarray(targets)
    if len(targets) == 0:
        return []
    p = react_w / react_w.sum()
    replies = []
    for kind, lam in (("rep", lam_rep), ("rpl", lam_rpl), ("quo", lam_quo)):
        lam = np.broadcast_to(np.asarray(lam, dtype=float), targets.shape)
        k = rng.poisson(lam)
        tgt = np.repeat(targets, k)
        if len(tgt) == 0:
            continue
        who = reactors[rng.choice(len(reactors), size=len(tgt), p=p)]
        d = _lognorm_delay(rng, len(tgt), median, sigma)
        for j in range(len(tgt)):
            tg, a = int(tgt[j]), int(who[j])
            if ctx.p_acc[tg] == a:
                continue
            t = ctx.p_t[tg] + int(d[j])
            if kind == "rep":
                ctx.repost(a, t, tg)
            elif kind == "rpl":
                i = ctx.reply(a, t, tg, _reply_body(r, ctx, a))
                if i >= 0:
                    replies.append(i)
            else:
                ctx.quote(a, t, tg, _cap(r, r.choice(_QUOTE_BITS)) + r.choice(["", "", " 👀", "."]))
    return replies


@lru_cache(maxsize=4)
def _background(seed: int) -> _Base:
    rng = np.random.default_rng([seed, 0xB6])
    r = random.Random(seed * 1_000_003 + 0xB6)
    ctx = _Ctx(rng, r)
    n_pop, n_reg = 8, 592
    pop = ctx.new_accounts(
        n_pop,
        "organic",
        "popular",
        followers=np.round(10 ** rng.uniform(5, 6.7, n_pop)),
        created=START - (rng.uniform(6 * 365, 15 * 365, n_pop) * DAY).astype(np.int64),
    )
    for a in pop:
        ctx.a_lang[a] = "en"
        ctx.a_client[a] = r.choice(["Twitter Web App", "Twitter for iPhone", "TweetDeck"])
    reg = ctx.new_accounts(n_reg, "organic", "background")
    counts = np.round(rng.lognormal(np.log(6), 1.1, n_reg))
    counts = np.minimum(np.maximum(1, counts), 300).astype(int)
    url_pool = [_pop_url(r, r.choice(_TOPIC_NAMES)) for _ in range(150)]
    reg_arr = np.asarray(reg)
    orig_reg = _originals_for(ctx, reg, counts, url_pool=url_pool, ment_pool=reg_arr)
    pop_counts = rng.integers(12, 31, n_pop)
    orig_pop = _originals_for(ctx, pop, pop_counts, p_tag=0.35, p_url=0.35, url_pool=url_pool)
    reg_w = counts.astype(float) ** 0.6
    # reactions to popular posts, then to ordinary posts, then replies to replies
    rp1 = _react(ctx, orig_pop, reg_arr, reg_w, 15.0, 5.0, 1.0, 900, 1.4)
    rp2 = _react(ctx, orig_reg, reg_arr, reg_w, 0.25, 0.2, 0.04, 2400, 1.5)
    _react(ctx, rp1 + rp2, reg_arr, reg_w, 0.0, 0.15, 0.0, 1200, 1.3)
    orig = np.asarray(orig_reg + orig_pop)
    foll = np.asarray(ctx.a_foll)[np.asarray(ctx.p_acc)[orig]]
    orig_w = np.log10(foll + 10.0) ** 3
    ids = _make_ids(rng, np.asarray(ctx.p_t), set())
    return _Base(
        ctx=ctx,
        ids=ids,
        orig=orig,
        orig_w=orig_w / orig_w.sum(),
        reg=reg_arr,
        reg_w=reg_w / reg_w.sum(),
        pop=pop,
        pop_posts=np.asarray(orig_pop),
    )


def _make_ids(rng: np.random.Generator, t: np.ndarray, taken: set) -> list[str]:
    ms = t.astype(np.int64) * 1000 + rng.integers(0, 1000, len(t))
    raw = ((ms - _TWEPOCH_MS) << 22) | rng.integers(0, 1 << 22, len(t))
    out = []
    for x in raw.tolist():
        s = str(x)
        while s in taken:
            x ^= 1 + int(rng.integers(0, 1 << 20))
            s = str(x)
        taken.add(s)
        out.append(s)
    return out


# ----------------------------------------------------------------------------- shared cell pieces


def _own_activity(
    ctx: _Ctx, base: _Base, accs: list[int], mean: float = 2.7, react_share: float = 0.3
) -> None:
    """Ordinary everyday activity for accounts added by a cell (op cover activity, fans'
    other posts, sharers' other posts...): own topical originals at diurnal times and
    reposts/replies of background posts."""
    rng, r = ctx.rng, ctx.r
    if not accs:
        return
    n = len(accs)
    mu = np.log(mean) - 0.32  # lognormal(sigma=0.8) mean correction
    counts = rng.poisson(rng.lognormal(mu, 0.8, n))
    n_react = rng.binomial(counts, react_share)
    _originals_for(ctx, accs, counts - n_react, url_pool=None, ment_pool=base.reg)
    acc_rep = np.repeat(np.asarray(accs), n_react)
    if len(acc_rep) == 0:
        return
    tg = base.orig[rng.choice(len(base.orig), size=len(acc_rep), p=base.orig_w)]
    d = _lognorm_delay(rng, len(acc_rep), 2400, 1.5)
    kinds = rng.random(len(acc_rep))
    for j in range(len(acc_rep)):
        a, g = int(acc_rep[j]), int(tg[j])
        t = ctx.p_t[g] + int(d[j])
        if kinds[j] < 0.65:
            ctx.repost(a, t, g)
        else:
            ctx.reply(a, t, g, _reply_body(r, ctx, a))


def _op_accounts(ctx: _Ctx, n: int, style: str, role: str, spread_days: float) -> list[int]:
    rng = ctx.rng
    if spread_days <= 30:
        end = START - rng.uniform(15, 300) * DAY
        created = (end - rng.uniform(0, spread_days * DAY, n)).astype(np.int64)
    else:
        created = (START - 15 * DAY - rng.uniform(0, spread_days * DAY, n)).astype(np.int64)
    accs = ctx.new_accounts(n, style, role, created=created, jitter=False)
    for a in accs:
        ctx.a_lang[a] = "en"
    return accs


def _participation(rng: np.random.Generator, n_members: int, n_obj: int, p: float) -> np.ndarray:
    m = rng.random((n_members, n_obj)) < p
    empty = ~m.any(axis=1)
    m[np.flatnonzero(empty), rng.integers(0, n_obj, int(empty.sum()))] = True
    return m


def _triggers(rng, n, tz=None, lo=START + 3600, hi=END - 12 * 3600):
    if tz is None:
        t = rng.integers(lo, hi, n)
    else:
        t = _diurnal_times(rng, np.full(n, tz), lo, hi)
    return np.sort(t)


def _actions(ctx: _Ctx, cell: dict, members: list[int], trig: np.ndarray):
    """Yield (member, object index, time) for every planted action, in object order."""
    rng = ctx.rng
    m = _participation(rng, len(members), len(trig), float(cell["participation"]))
    ii, jj = np.nonzero(m)
    d = _delays(rng, len(ii), float(cell["delay_s"]), cell["delay_shape"])
    order = np.lexsort((d, jj))
    for k in order:
        yield members[ii[k]], int(jj[k]), int(trig[jj[k]] + d[k])


def _entities(r: random.Random, k: int) -> list[str]:
    return r.sample(_ENTITIES, k)


# ----------------------------------------------------------------------------- operations


def _op_repost_farm(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    n_pr = cell.get("n_principals", _n_principals(cell["size"]))
    principals = _op_accounts(ctx, n_pr, "repost_farm", "principal", cell["creation_spread_days"])
    for a in principals:
        ctx.a_foll[a] = int(ctx.a_foll[a] * 5 + rng.integers(500, 20000))
    members = _op_accounts(
        ctx, cell["size"], "repost_farm", "amplifier", cell["creation_spread_days"]
    )
    ents = _entities(r, 3)
    pts = _talking_points(r, cell["n_objects"], ents)
    owner = rng.integers(0, n_pr, cell["n_objects"])
    trig = np.empty(cell["n_objects"], dtype=np.int64)
    posts = []
    for j in range(cell["n_objects"]):
        a = principals[owner[j]]
        trig[j] = _triggers(rng, 1, tz=ctx.a_tz[a])[0]
    trig.sort()
    for j in range(cell["n_objects"]):
        a = principals[owner[j]]
        text = _claim_text(r, pts[j])
        tags = []
        if r.random() < 0.3:
            tags = [_ENTITY_SHORT[pts[j][1]] + r.choice(["Scandal", "Lies", "Out", "Exposed"])]
            text += f" #{tags[0]}"
        posts.append(ctx.add(a, int(trig[j]), text, tags=tags))
    for mbr, j, t in _actions(ctx, cell, members, trig):
        ctx.repost(mbr, t, posts[j])
    # a little organic pick-up of the principal posts
    _react(ctx, [p for p in posts if p >= 0], base.reg, base.reg_w, 2.0, 0.5, 0.1, 1800, 1.4)
    _own_activity(ctx, base, principals + members)


def _op_reply_swarm(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    n_obj = cell["n_objects"]
    targets = ctx.new_accounts(
        2,
        "organic",
        "target",
        followers=np.round(10 ** rng.uniform(4.7, 5.7, 2)),
        created=START - (rng.uniform(4 * 365, 12 * 365, 2) * DAY).astype(np.int64),
    )
    for a in targets:
        ctx.a_lang[a] = "en"
        ctx.a_topics[a] = ("politics", "politics")
    n_tp = n_obj + n_obj // 3 + 2
    who = rng.integers(0, 2, n_tp)
    tt = np.array([_triggers(rng, 1, tz=ctx.a_tz[targets[w]])[0] for w in who])
    tposts = []
    ent = _entities(r, 2)
    for k in range(n_tp):
        a = targets[who[k]]
        if r.random() < 0.5:
            lead = r.choice(
                [
                    "new reporting on",
                    "my piece on",
                    "thread on",
                    "questions about",
                    "a closer look at",
                ]
            )
            text = _cap(r, f"{lead} {r.choice(ent)} and {r.choice(_HEAD_OBJ)}")
            url = f"https://www.{r.choice(_OUTLETS)[1]}/politics/2024/03/{_rid(r, 8).lower()}"
            i = ctx.add(a, int(tt[k]), text + " " + url, urls=[url])
        else:
            i = ctx.add(a, int(tt[k]), _topic_text(r, ("politics",), "en"))
        tposts.append(i)
    tposts = [p for p in tposts if p >= 0]
    _react(ctx, tposts, base.reg, base.reg_w, 8.0, 6.0, 1.0, 1200, 1.3)
    chosen = sorted(r.sample(tposts, min(n_obj, len(tposts))), key=lambda p: ctx.p_t[p])
    trig = np.asarray([ctx.p_t[p] for p in chosen], dtype=np.int64)
    members = _op_accounts(
        ctx, cell["size"], "reply_swarm", "replier", cell["creation_spread_days"]
    )
    fav = r.choice(ent)
    tag = _ENTITY_SHORT[fav] + r.choice(["Strong", "Truth", "2024"])
    for mbr, j, t in _actions(ctx, cell, members, trig):
        body = r.choice(_ATTACK_PRE) + r.choice(_ATTACKS).format(e=fav) + r.choice(_ATTACK_SUF)
        tags = []
        if r.random() < 0.12:
            tags = [tag]
            body += f" #{tag}"
        ctx.reply(mbr, t, chosen[j], body.strip(), tags=tags, lang="en")
    _own_activity(ctx, base, members)


def _op_hashtag_push(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    e = r.choice(_ENTITIES)
    s = _ENTITY_SHORT[e]
    tagset = [t.format(s=s) for t in r.sample(_PUSH_TAGS, 3)] + [r.choice(_PUSH_GENERIC)]
    members = _op_accounts(
        ctx, cell["size"], "hashtag_push", "pusher", cell["creation_spread_days"]
    )
    trig = _triggers(rng, cell["n_objects"])
    for mbr, _j, t in _actions(ctx, cell, members, trig):
        k = r.choice([1, 1, 2, 2, 3])
        tags = r.sample(tagset, k)
        body = _cap(r, r.choice(_SLOGANS).format(e=e))
        if r.random() < 0.35:
            body = r.choice(_OPS_OPENERS) + body
        body += r.choice(["", "", "!", "!!", ".", " " + r.choice(_OPS_EMOJI)])
        if r.random() < 0.2:
            body = " ".join(f"#{x}" for x in tags) + " " + body
        else:
            body += " " + " ".join(f"#{x}" for x in tags)
        ctx.add(mbr, t, body, tags=tags, lang="en")
    # a few organic accounts pick one campaign hashtag up
    k = int(rng.poisson(4))
    for a in rng.choice(base.reg, size=k, replace=False):
        tg = r.choice(tagset)
        t = int(rng.integers(trig[0], END))
        ctx.add(int(a), t, _topic_text(r, ("politics",), "en") + f" #{tg}", tags=[tg], lang="en")
    _own_activity(ctx, base, members)


def _op_copypasta(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    ents = _entities(r, 3)
    pts = _talking_points(r, cell["n_objects"] * 3, ents)
    msgs = []
    for j in range(cell["n_objects"]):
        # one entity per message; 2 claims (sometimes 3 short ones), kept under ~280 chars
        e = pts[j % len(pts)][1]
        same = [p for p in _talking_points(r, 8, [e]) if p[1] == e]
        for _ in range(100):
            k = r.choice([2, 2, 2, 3])
            parts = [_claim_text(r, same[i], cta=False, opener=(i == 0)) for i in range(k)]
            m = " ".join(p if p[-1:] in ".!?" else p + "." for p in parts)
            if len(m) <= 220:
                break
        m += " " + _cap(r, r.choice([c for c in _CTAS if c]) + r.choice(["!", "!!", "."]))
        tags = []
        if r.random() < 0.5:
            tags = [_ENTITY_SHORT[e] + r.choice(["Exposed", "Lies", "Scandal"])]
            m += f" #{tags[0]}"
        msgs.append((m, tags))
    members = _op_accounts(ctx, cell["size"], "copypasta", "copier", cell["creation_spread_days"])
    trig = _triggers(rng, cell["n_objects"])
    for mbr, j, t in _actions(ctx, cell, members, trig):
        m, tags = msgs[j]
        ctx.add(mbr, t, _obfuscate(r, m), tags=tags, lang="en")
    _own_activity(ctx, base, members)


def _op_paraphrase(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    ents = _entities(r, 5)
    pts = _talking_points(r, cell["n_objects"], ents)
    members = _op_accounts(
        ctx, cell["size"], "paraphrase", "paraphraser", cell["creation_spread_days"]
    )
    trig = _triggers(rng, cell["n_objects"])
    for mbr, j, t in _actions(ctx, cell, members, trig):
        text = _claim_text(r, pts[j])
        tags = []
        if r.random() < 0.15:
            tags = [_ENTITY_SHORT[pts[j][1]] + r.choice(["Scandal", "Lies", "Out", "Exposed"])]
            text += f" #{tags[0]}"
        ctx.add(mbr, t, text, tags=tags, lang="en")
    _own_activity(ctx, base, members)


def _url_variant(r: random.Random, url: str, campaign: str) -> str:
    k = r.random()
    if k < 0.6:
        return url
    if k < 0.75:
        return f"{url}?utm_source=twitter&utm_medium=social&utm_campaign={campaign}"
    if k < 0.85:
        return f"{url}?utm_source={r.choice(['twitter', 'tw', 'social', 'share', 'x'])}"
    if k < 0.9:
        return f"{url}?fbclid=IwAR{_rid(r, 24)}"
    if k < 0.95:
        return f"{url}?ref={_rid(r, 6).lower()}"
    return f"{url}?s={r.choice(['09', '19', '20', '21'])}&t={_rid(r, 22)}"


def _op_link_push(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    ents = _entities(r, 3)
    pts = _talking_points(r, cell["n_objects"], ents)
    urls = []
    for j in range(cell["n_objects"]):
        claim, e, d = pts[j]
        words = f"{e} {d} {claim} {r.choice(_CLAIM_TAILS)}"
        words = words.replace("$", "").replace(",", "").replace("'", "").split()
        slug = "-".join(w.lower() for w in words if w.lower() not in ("the", "a"))[:70].strip("-")
        dom = r.choice(_LINK_DOMAINS)
        urls.append(f"https://{dom}/2024/03/{slug}")
    camp = _ENTITY_SHORT[ents[0]].lower() + "_" + _rid(r, 4).lower()
    members = _op_accounts(ctx, cell["size"], "link_push", "linker", cell["creation_spread_days"])
    trig = _triggers(rng, cell["n_objects"])
    for mbr, j, t in _actions(ctx, cell, members, trig):
        e = pts[j][1]
        u = _url_variant(r, urls[j], camp)
        c = _cap(r, r.choice(_LINK_COMMENTS).format(e=e))
        c += r.choice(["", "", "!", ".", " " + r.choice(_OPS_EMOJI)])
        text = f"{c} {u}" if r.random() < 0.8 else f"{u} {c}"
        ctx.add(mbr, t, text, urls=[u], lang="en")
    _own_activity(ctx, base, members)


# ----------------------------------------------------------------------------- organic counterparts


def _org_fan_base(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    n, p = int(cell["size"]), float(cell["participation"])
    celeb = ctx.new_accounts(
        1,
        "organic",
        "celebrity",
        followers=np.round(10 ** rng.uniform(6, 6.9, 1)),
        created=START - (rng.uniform(8 * 365, 14 * 365, 1) * DAY).astype(np.int64),
        topics=("music", "movies"),
        lang="en",
    )[0]
    ctx.a_client[celeb] = "Twitter for iPhone"
    n_posts = int(cell.get("n_posts", 12))
    tt = _triggers(rng, n_posts, tz=ctx.a_tz[celeb], lo=START + 1800, hi=END - 6 * 3600)
    cposts = []
    for t in tt:
        text = _cap(r, r.choice(_CELEB_POSTS).format(city=r.choice(_CITIES)))
        urls = []
        if r.random() < 0.3:
            urls = [f"https://www.youtube.com/watch?v={_rid(r, 11)}"]
            text += " " + urls[0]
        cposts.append(ctx.add(celeb, int(t), text, urls=urls))
    fans = ctx.new_accounts(n, "organic", "fan")
    for a in fans:
        tp = ctx.a_topics[a]
        ctx.a_topics[a] = ("music", tp[0]) if r.random() < 0.7 else tp
    kappa = 3.0
    rate = rng.beta(p * kappa, (1 - p) * kappa, n)
    tz = np.asarray(ctx.a_tz)[fans]
    fac = np.empty((n, n_posts))
    for j, t in enumerate(tt):
        fac[:, j] = 0.4 + 0.6 * _HOURLY[_local_hour(t, tz)] / _HOURLY.max()
    fac /= fac.mean()
    prob = np.clip(rate[:, None] * fac, 0, 1)
    m = rng.random((n, n_posts)) < prob
    ii, jj = np.nonzero(m)
    d = _lognorm_delay(rng, len(ii), float(cell["delay_median_s"]), float(cell["delay_sigma"]))
    kind = rng.random(len(ii))
    for k in range(len(ii)):
        a, tgt = fans[ii[k]], cposts[jj[k]]
        t = int(tt[jj[k]] + d[k])
        if kind[k] < 0.75:
            ctx.repost(a, t, tgt)
        elif kind[k] < 0.93:
            body = r.choice(_FAN_REPLIES).format(city=r.choice(_CITIES))
            if r.random() < 0.3:
                body += " " + r.choice(_NAME_EMOJI)
            ctx.reply(a, t, tgt, body)
        else:
            ctx.quote(a, t, tgt, _cap(r, r.choice(_FAN_REPLIES).format(city=r.choice(_CITIES))))
    # background also reacts a bit
    _react(ctx, [c for c in cposts if c >= 0], base.reg, base.reg_w, 3.0, 1.0, 0.2, 1200, 1.4)
    _own_activity(ctx, base, fans, mean=2.0)


def _title_slug(title: str) -> str:
    w = "".join(ch if ch.isalnum() or ch == " " else " " for ch in title.lower()).split()
    return "-".join(w[:8])


def _headline(r: random.Random) -> str:
    return (
        f"{r.choice(_HEAD_SUBJ)} {r.choice(_HEAD_VERB)} {r.choice(_HEAD_OBJ)}{r.choice(_HEAD_TAIL)}"
    )


def _org_share_button(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    n, k_art = int(cell["size"]), int(cell["n_articles"])
    handle, domain, oname = r.choice(_OUTLETS)
    outlet = ctx.new_accounts(
        1,
        "organic",
        "outlet",
        followers=np.round(10 ** rng.uniform(5, 6.3, 1)),
        created=START - (rng.uniform(9 * 365, 15 * 365, 1) * DAY).astype(np.int64),
        topics=("politics", "finance"),
        lang="en",
    )[0]
    # give the outlet its brand handle when free
    if handle not in ctx.taken:
        ctx.taken.discard(ctx.a_id[outlet])
        ctx.a_id[outlet] = handle
        ctx.taken.add(handle)
    handle = ctx.a_id[outlet]
    ctx.a_name[outlet] = oname
    ctx.a_client[outlet] = "TweetDeck"
    tpub = _triggers(rng, k_art, tz=ctx.a_tz[outlet], lo=START + 3600, hi=END - 10 * 3600)
    arts = []
    for j in range(k_art):
        title = _headline(r)
        sect = r.choice(["news", "local", "business", "politics", "science"])
        url = (
            f"https://www.{domain}/{sect}/2024/03/{_title_slug(title)}-{r.randint(100000, 999999)}"
        )
        pid = ctx.add(outlet, int(tpub[j]), f"{title} {url}", urls=[url])
        arts.append((title, url, pid))
    # other headlines from the outlet
    for t in _diurnal_times(rng, np.full(15, ctx.a_tz[outlet])):
        title = _headline(r)
        url = f"https://www.{domain}/news/2024/03/{_title_slug(title)}-{r.randint(100000, 999999)}"
        ctx.add(outlet, int(t), f"{title} {url}", urls=[url])
    sharers = ctx.new_accounts(n, "organic", "sharer")
    pop = 1.0 / (np.arange(k_art) + 1.0) ** 0.8
    pop /= pop.sum()
    n_share = np.minimum(k_art, 1 + rng.geometric(0.7, n) - 1)
    web = rng.random(n) < 0.4
    for i, a in enumerate(sharers):
        if web[i]:
            ctx.a_client[a] = "Twitter Web App"
        js = rng.choice(k_art, size=int(n_share[i]), replace=False, p=pop)
        for j in js:
            title, url, pid = arts[j]
            t = int(tpub[j] + _lognorm_delay(rng, 1, float(cell["delay_median_s"]), 1.0)[0])
            if r.random() < 0.1:
                ctx.repost(a, t, pid)
                continue
            k = r.random()
            if k < 0.6:
                u = url
            elif k < 0.85:  # the share button's own tracking suffix, identical for everybody
                u = f"{url}?utm_source=twitter&utm_medium=social&utm_campaign=sharebutton"
            else:
                u = _url_variant(r, url, "share")
            k = r.random()
            if k < 0.72:
                text, ment = f"{title} {u} via @{handle}", [handle]
            elif k < 0.9:
                text, ment = f"{r.choice(_SHARE_COMMENTS)} {title} {u} via @{handle}", [handle]
            else:
                text, ment = f"{title} {u}", []
            ctx.add(a, t, text, urls=[u], ment=ment, lang="en")
    _react(ctx, [p for _, _, p in arts if p >= 0], base.reg, base.reg_w, 3.0, 1.0, 0.3, 1500, 1.3)
    _own_activity(ctx, base, sharers, mean=3.0)


def _org_news_burst(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    n, nh = int(cell["size"]), int(cell["n_hashtags"])
    ev = next(e for e in _EVENTS if e["name"] == cell.get("event", "earthquake"))
    tags_all = ev["tags"][:nh]
    t0 = int(rng.integers(START + 6 * 3600, END - 12 * 3600))
    win = int(cell.get("window_s", 3600))
    news = ctx.new_accounts(
        3,
        "organic",
        "news_account",
        followers=np.round(10 ** rng.uniform(4.5, 6, 3)),
        created=START - (rng.uniform(6 * 365, 14 * 365, 3) * DAY).astype(np.int64),
        lang="en",
    )
    news_posts = []
    for a in news:
        ctx.a_client[a] = "TweetDeck"
        for k in range(r.randint(2, 4)):
            t = t0 + int(rng.integers(60, 600)) + k * int(rng.integers(300, 1200))
            if t >= t0 + win:
                continue
            txt = (
                f"{r.choice(['BREAKING:', 'DEVELOPING:', 'UPDATE:', 'JUST IN:'])} "
                f"{r.choice(ev['desc']).capitalize()} reported in {ev['place']}. "
                f"{_cap(r, r.choice(ev['det']))}."
            )
            tg = [tags_all[0]]
            i = ctx.add(a, t, txt + f" #{tg[0]}", tags=tg, lang="en")
            if i >= 0:
                news_posts.append(i)
    posters = ctx.new_accounts(n, "organic", "burst_poster")
    per = rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
    acc_rep = np.repeat(np.asarray(posters), per)
    off = rng.gamma(2.0, 420.0, len(acc_rep))
    bad = off >= win
    while bad.any():
        off[bad] = rng.gamma(2.0, 420.0, int(bad.sum()))
        bad = off >= win
    times = t0 + off.astype(np.int64)
    order = np.argsort(times)
    early = list(news_posts)
    for j in order:
        a, t = int(acc_rep[j]), int(times[j])
        k = r.random()
        if k < 0.17 and early:
            ctx.repost(
                a,
                t,
                early[min(int(rng.zipf(1.5)) - 1, len(early) - 1)]
                if r.random() < 0.5
                else r.choice(early),
            )
            continue
        if k < 0.22 and news_posts:
            body = r.choice(ev["rx"]) + " " + r.choice(ev["det"])
            ctx.reply(a, t, r.choice(news_posts), body, lang="en")
            continue
        rx, desc, det = r.choice(ev["rx"]), r.choice(ev["desc"]), r.choice(ev["det"])
        pl_ = ev["place"]
        f = r.randrange(6)
        if f == 0:
            s = f"{rx} {desc} in {pl_}. {det}"
        elif f == 1:
            s = f"{desc} in {pl_} right now, {det}"
        elif f == 2:
            s = f"{det}. {desc} in {pl_}??"
        elif f == 3:
            s = f"{rx.rstrip(':')}, {det}"
        elif f == 4:
            s = f"{rx} {desc}!! {det}"
        else:
            s = f"{rx} {det} ({desc} in {pl_})"
        s = _cap(r, s) + r.choice(["", "", "", "!", " 😳", " 😱", " 🙏", "...", " wow", " omg"])
        if nh == 1:
            tags = [tags_all[0]] if r.random() < 0.8 else []
        else:
            tags = [tg for tg, pp in zip(tags_all, (0.6, 0.5), strict=True) if r.random() < pp]
            if not tags and r.random() < 0.7:
                tags = [r.choice(tags_all)]
        if tags:
            s += " " + " ".join(f"#{tg}" for tg in tags) if r.random() < 0.8 else ""
            if "#" not in s:
                s = " ".join(f"#{tg}" for tg in tags) + " " + s
        i = ctx.add(a, t, s, tags=tags, lang="en")
        if i >= 0 and len(early) < 40 and r.random() < 0.3:
            early.append(i)
    _own_activity(ctx, base, posters, mean=2.5)


def _org_trending(ctx, base, cell):
    rng, r = ctx.rng, ctx.r
    n, nh = int(cell["size"]), int(cell["n_hashtags"])
    th = next(x for x in _TRENDS if x["tags"][0] == cell.get("theme", "MondayMotivation"))
    tags_all = th["tags"][:nh]
    t0 = int(rng.integers(START, START + 36 * 3600))
    users = ctx.new_accounts(n, "organic", "trend_user")
    per = 1 + rng.geometric(0.65, n) - 1
    acc_rep = np.repeat(np.asarray(users), per)
    tz = np.asarray(ctx.a_tz)[acc_rep]
    m = len(acc_rep)
    times = np.empty(m, dtype=np.int64)
    todo = np.arange(m)
    for _ in range(80):
        if not len(todo):
            break
        t = t0 + (DAY * rng.beta(2.0, 3.0, len(todo))).astype(np.int64)
        w = _HOURLY[_local_hour(t, tz[todo])] / _HOURLY.max()
        ok = rng.random(len(todo)) < w
        times[todo[ok]] = t[ok]
        todo = todo[~ok]
    times[todo] = t0 + (DAY * rng.beta(2.0, 3.0, len(todo))).astype(np.int64)
    order = np.argsort(times)
    hot = []
    for j in order:
        a, t = int(acc_rep[j]), int(times[j])
        if hot and r.random() < 0.12:
            ctx.repost(a, t, hot[min(int(rng.zipf(1.4)) - 1, len(hot) - 1)])
            continue
        if nh == 1:
            tags = [tags_all[0]]
        else:
            tags = [tg for tg, pp in zip(tags_all, (0.7, 0.6), strict=True) if r.random() < pp]
            tags = tags or [r.choice(tags_all)]
        k = r.random()
        ph = r.choice(th["ph"])
        if k < 0.4:
            s = _cap(r, ph) + r.choice(["", "!", " ❤️", " 🙌", " lol", "..."])
        elif k < 0.75:
            s = _topic_text(r, ctx.a_topics[a], "en") + " " + ph
        else:
            s = _cap(r, ph) + ". " + _topic_text(r, ctx.a_topics[a], "en")
        s = (
            s + " " + " ".join(f"#{tg}" for tg in tags)
            if r.random() < 0.85
            else " ".join(f"#{tg}" for tg in tags) + " " + s
        )
        i = ctx.add(a, t, s, tags=tags, lang="en")
        if i >= 0 and len(hot) < 25 and ctx.a_foll[a] > 500:
            hot.append(i)
    _own_activity(ctx, base, users, mean=2.0)


_PLANTERS = {
    "repost_farm": _op_repost_farm,
    "reply_swarm": _op_reply_swarm,
    "hashtag_push": _op_hashtag_push,
    "copypasta": _op_copypasta,
    "paraphrase": _op_paraphrase,
    "link_push": _op_link_push,
    "fan_base": _org_fan_base,
    "share_button": _org_share_button,
    "news_burst": _org_news_burst,
    "trending_hashtag": _org_trending,
}


# ----------------------------------------------------------------------------- assembly


def _to_dt(sec: np.ndarray) -> pl.Series:
    return (
        pl.Series(np.asarray(sec, dtype=np.int64) * 1_000_000, dtype=pl.Int64)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC")
    )


def _gather(values: list[str], idx: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(values, dtype=object)[idx].tolist(), dtype=pl.String)


def _finalize(ctx: _Ctx, base: _Base) -> tuple[pl.DataFrame, pl.DataFrame]:
    nb = len(base.ids)
    t = np.asarray(ctx.p_t, dtype=np.int64)
    ids = list(base.ids) + _make_ids(ctx.rng, t[nb:], set(base.ids))
    ids_arr = np.asarray(ids, dtype=object)

    def refs(col):
        a = np.asarray(col, dtype=np.int64)
        out = np.full(len(a), None, dtype=object)
        ok = a >= 0
        out[ok] = ids_arr[a[ok]]
        return pl.Series(out.tolist(), dtype=pl.String)

    acc = np.asarray(ctx.p_acc, dtype=np.int64)
    a_id = np.asarray(ctx.a_id, dtype=object)
    posts = pl.DataFrame(
        {
            "post_id": pl.Series(ids, dtype=pl.String),
            "account_id": pl.Series(a_id[acc].tolist(), dtype=pl.String),
            "created_at": _to_dt(t),
            "text": pl.Series(ctx.p_text, dtype=pl.String),
            "platform": pl.Series([PLATFORM] * len(t), dtype=pl.String),
            "repost_of": refs(ctx.p_rep),
            "reply_to": refs(ctx.p_rto),
            "quote_of": refs(ctx.p_quo),
            "urls": pl.Series(ctx.p_urls, dtype=pl.List(pl.String)),
            "hashtags": pl.Series(ctx.p_tags, dtype=pl.List(pl.String)),
            "mentions": pl.Series(ctx.p_ment, dtype=pl.List(pl.String)),
            "client": pl.Series(ctx.p_client, dtype=pl.String),
            "lang": pl.Series(ctx.p_lang, dtype=pl.String),
            "account_created_at": _to_dt(np.asarray(ctx.a_created, dtype=np.int64)[acc]),
            "account_name": _gather(ctx.a_name, acc),
            "account_location": _gather(ctx.a_loc, acc),
            "followers": pl.Series(np.asarray(ctx.a_foll, dtype=np.int64)[acc], dtype=pl.Int64),
        },
        schema=POSTS_SCHEMA,
    ).sort(["created_at", "post_id"])
    used = np.unique(acc)
    labels = pl.DataFrame(
        {
            "account_id": pl.Series(a_id[used].tolist(), dtype=pl.String),
            "campaign": _gather(ctx.a_campaign, used),
            "role": _gather(ctx.a_role, used),
        },
        schema=LABELS_SCHEMA,
    ).sort("account_id")
    return posts, labels


def make_cell(cell: dict, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Background(seed) + the one planted thing described by ``cell``."""
    style = cell["style"]
    if style not in _PLANTERS:
        raise ValueError(f"unknown style {style!r}")
    base = _background(int(seed))
    h = zlib.crc32(str(cell["cell"]).encode())
    rng = np.random.default_rng([int(seed), h])
    r = random.Random((int(seed) << 32) ^ h)
    ctx = base.ctx.clone(rng, r)
    _PLANTERS[style](ctx, base, cell)
    return _finalize(ctx, base)


# ----------------------------------------------------------------------------- self-check


def _check(posts: pl.DataFrame, labels: pl.DataFrame, cell: dict) -> None:
    assert dict(posts.schema) == POSTS_SCHEMA, posts.schema
    assert list(posts.columns) == list(POSTS_SCHEMA)
    assert dict(labels.schema) == LABELS_SCHEMA
    assert posts["post_id"].n_unique() == posts.height
    ids = set(posts["post_id"].to_list())
    t_of = dict(zip(posts["post_id"].to_list(), posts["created_at"].to_list(), strict=True))
    for col in ("repost_of", "reply_to", "quote_of"):
        for pid, ref, t in zip(posts["post_id"], posts[col], posts["created_at"], strict=True):
            if ref is not None:
                assert ref in ids, (col, ref)
                assert t_of[ref] < t, (col, pid)
    refs = posts.select(
        n=(
            pl.col("repost_of").is_not_null().cast(pl.Int8)
            + pl.col("reply_to").is_not_null().cast(pl.Int8)
            + pl.col("quote_of").is_not_null().cast(pl.Int8)
        )
    )["n"]
    assert refs.max() <= 1
    assert posts["created_at"].dt.microsecond().max() == 0
    assert posts["created_at"].min() >= datetime.fromtimestamp(START, UTC)
    assert posts["created_at"].max() < datetime.fromtimestamp(END, UTC)
    assert (posts["account_created_at"] < posts["created_at"]).all()
    acc = set(posts["account_id"].unique().to_list())
    lab = set(labels["account_id"].to_list())
    assert acc == lab and labels["account_id"].n_unique() == labels.height
    assert not posts["hashtags"].explode().drop_nulls().str.starts_with("#").any()
    for c in (
        "account_id",
        "text",
        "platform",
        "client",
        "lang",
        "account_name",
        "account_location",
    ):
        assert posts[c].null_count() == 0, c
    per = posts.group_by("account_id").agg(
        pl.col("account_created_at").n_unique().alias("a"),
        pl.col("account_name").n_unique().alias("b"),
        pl.col("followers").n_unique().alias("c"),
    )
    assert (per["a"] == 1).all() and (per["b"] == 1).all() and (per["c"] == 1).all()
    if cell["kind"] == "operation":
        ops = labels.filter(pl.col("campaign") == cell["style"])
        assert ops.height >= cell["size"], (ops.height, cell["size"])
    else:
        assert (labels["campaign"] == "organic").all()


if __name__ == "__main__":
    import sys
    import time

    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    t0 = time.time()
    _background(seed)
    print(f"background: {time.time() - t0:.1f}s, {len(_background(seed).ids)} posts")
    rows = []
    for cell in operation_grid() + organic_grid():
        t1 = time.time()
        posts, labels = make_cell(cell, seed)
        dt = time.time() - t1
        _check(posts, labels, cell)
        planted = labels.filter(pl.col("campaign") != "organic").height
        rows.append((cell["cell"], posts.height, labels.height, planted, dt))
        print(
            f"{cell['cell']:55s} posts={posts.height:7d} accounts={labels.height:6d} "
            f"op_accounts={planted:4d} {dt:5.2f}s",
            flush=True,
        )
    n = np.array([x[1] for x in rows])
    print(
        f"{len(operation_grid())} operation + {len(organic_grid())} organic cells; "
        f"total {time.time() - t0:.0f}s"
    )
    q25, q50, q75 = np.percentile(n, [25, 50, 75]).astype(int)
    print(f"posts per cell: min {n.min()} p25 {q25} median {q50} p75 {q75} max {n.max()}")

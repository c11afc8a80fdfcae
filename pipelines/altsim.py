#!/usr/bin/env python
"""altsim: an independent generator of social-media dumps with planted coordinated
inauthentic behaviour (CIB).

Written separately from ``cib.simulate`` (its author did not read that code) from public
takedown reports, so that detection quality can be checked on a generator the detector was
not tuned on: retweet rings (some auto-reposting within seconds), hashtag floods, copypasta
with evasion, paraphrase, link amplification with URL variants, reply brigades, sleeper
cells, word-for-word cross-posting sites and camouflaged hybrids, among fans who reply and
repost every post of their celebrity, share-button crowds, breaking-news bursts, RSS news
aggregators and organisations cross-posting press releases (all labelled organic).

Usage: ``python pipelines/altsim.py --out DIR --seed N --accounts A --days D``. Writes
DIR/posts.parquet (canonical columns), DIR/labels.csv (``account_id,campaign``),
DIR/meta.json, and for error analysis DIR/account_roles.csv and DIR/post_truth.parquet.
Deterministic per seed. ``python pipelines/quality.py --generator alt`` scores ``cib`` on it.
"""

import argparse
import json
import os
import random
import re
import time
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

START = 1709251200  # 2024-03-01 00:00:00 UTC (a Friday)
TWEPOCH = 1288834974657  # snowflake epoch (ms)
W = str.split


def B(s):
    return [x.strip() for x in s.split("|")]


NOUN = W("""coffee weather game match traffic train bus rent job boss meeting deadline concert album movie show
episode season finale playlist podcast book library garden dog cat puppy kitten pizza tacos ramen burger salad
breakfast lunch dinner weekend holiday vacation beach hike gym workout bike car phone laptop update app wifi
battery charger homework exam teacher class project startup market budget taxes groceries prices debate council
storm snow rain heatwave sunset sunrise festival parade team coach player referee trade draft stadium ticket flight
airport hotel museum bakery neighbor roommate sister brother wedding birthday party recipe cookies soup tomatoes
plants bees river lake park bridge subway printer keyboard sandwich bagel croissant lasagna brunch karaoke
marathon yoga sneakers jacket umbrella bookshelf couch mattress fridge oven kettle espresso smoothie donut""")
ADJ = W("""amazing terrible weird wild cozy boring ridiculous beautiful tiny huge overpriced underrated overrated
chaotic perfect cursed wholesome loud quiet fancy sketchy gorgeous mid iconic unhinged soggy crispy legendary
questionable suspicious adorable brutal dramatic peaceful sticky shiny broken brand-new ancient random spicy""")
VERB = B("""loved|hated|finally fixed|just finished|missed|watched|tried|booked|cancelled|found|lost|broke|burned|
cleaned|painted|forgot|ordered|returned|sold|bought|rewatched|skipped|recommended|survived|ruined|rearranged|
reviewed|binged|baked|assembled|repaired|dropped|upgraded|borrowed|planned|organized|finished reading|started""")
SUBJ = B(
    "I|we|my roommate|my mom|the whole office|my kid|my partner|our team|my neighbor|literally everyone|my dad|my best friend|the cat|nobody"
)
TIMEP = B(
    "today|this morning|last night|again|for the third time|this week|right now|at 3am|before work|after lunch|on a monday|over the weekend|yesterday"
)
REACT = B(
    "lol|smh|not again|10/10|would recommend|never again|I'm crying|send help|what a day|honestly iconic|no regrets|pray for me|anyway|big mood|can't complain"
)
OPEN = B(
    "|ok so |honestly |ngl |lol |update: |PSA: |friendly reminder that |not me realizing |so apparently |fun fact: ||"
)
EMO = W("😂 😭 🔥 ❤️ 🙏 😍 🤔 😅 🙃 👀 💯 ✨ 😤 🥲 🎉 😬 👏 🤦 🙌 💀")
REPLY = B(
    "this!!|agreed|no way|source?|same here lol|hard disagree|this is so true|wait what|underrated post|the way I screamed|ok but why|who asked|facts|respectfully, no|lmaooo|big if true|I needed this today|thread 👇|not the {n} again|{n} slander will not be tolerated"
)
DUNK = B(
    "imagine believing this|this has to be satire|worst take I've seen all week|ratio|who's going to tell them|delete this|this aged badly|absolutely unhinged take about {n}s|tell me you've never seen a {n} without telling me|sir this is a {n} thread|the confidence is impressive|zero thoughts, head empty"
)
FAN = B(
    "queen!!|love you|omg yes|legend|can't wait|🔥🔥🔥|first!|so proud of you|iconic|we love to see it|notice me pls|MOTHER|best day ever|crying rn|GOAT|ate and left no crumbs"
)
FIRST = W("""james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph
jessica thomas sarah charles karen chris nancy daniel lisa matt betty tony sandra mark ashley paul kim steven emily
andrew donna josh michelle kevin carol brian amanda george melissa tim ryan rebecca jacob laura gary nick amy ana
luis sofia diego lucia carlos maria jose wei li priya raj aisha omar fatima kwame ngozi yuki kenji olga ivan hana""")
LAST = W("""smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson
anderson taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young
allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts
patel kim chen singh okafor mensah ivanova tanaka""")
SYL = W(
    "nor vale kes trel ash ford mar lin dun brook wick hal ton ver den sel carr mont bel rath gor via lek sta dor"
)
HV = B(
    "approves|rejects|announces|unveils|warns of|delays|launches|investigates|cuts|expands|faces backlash over|reaches deal on|pauses|reverses course on|votes on|defends"
)
HO = B(
    "new budget|transit plan|housing bill|tax reform|school funding|water rates|climate targets|trade agreement|police reform|stadium deal|vaccine program|AI rules|data privacy law|minimum wage hike|bridge repairs|rent controls|energy subsidies|hospital merger|airport expansion|teacher contracts"
)
HQ = B(
    "|amid protests|after long debate|in surprise move|ahead of election|as costs soar|despite criticism|, sources say|after months of talks|as deadline looms"
)
CPRED = [
    B("is lying about|keeps lying about|isn't telling the truth about|has been dishonest about"),
    B("is covering up|has been hiding the facts on|is concealing the truth about|keeps quiet on"),
    B("is profiting from|is cashing in on|is making money off|is getting rich from"),
    B("completely failed on|botched|totally mishandled|has made a mess of"),
    B("sold us out on|betrayed us on|turned its back on us over|stabbed us in the back on"),
]
CEVID = [
    B("the numbers don't add up|the figures make no sense|the data is obviously cooked"),
    B("insiders are talking|sources on the inside confirm it|people who know are speaking up"),
    B("the documents prove it|the leaked papers show everything|it's all in the leaked files"),
    B(
        "they thought nobody would notice|they hoped we wouldn't look|they counted on us not checking"
    ),
]
CCALL = [
    B(
        "Share before it gets deleted|Spread this before they delete it|Repost before it's taken down"
    ),
    B("Wake up people|Open your eyes|It's time to wake up"),
    B("Demand answers|We deserve answers|Ask the hard questions"),
    B("The media won't report this|You won't see this on TV|Mainstream news is silent on this"),
]
ISSUE = B(
    "the election results|the pipeline deal|foreign interference|the vaccine rollout|the border situation|the energy crisis|the protest movement|the new sanctions|the grain exports|the bank collapse|the water contamination|the military aid package"
)
BRIG = B(
    "you should be ashamed|delete this|nobody believes you|paid shill|how much are they paying you|this is propaganda|stop spreading lies|you're a disgrace|typical {ent} puppet|educate yourself|lies lies lies|get your facts straight|everyone can see through this|your bosses in {ent} must be proud"
)
COMMENT = B(
    "Must read:|This is huge|They don't want you to see this|Read this|👀|Finally someone says it|Everyone needs to see this|BOMBSHELL:|Important|Wow.|Read and share"
)
CITIES = [
    ("New York, NY", -5, 10),
    ("Los Angeles, CA", -8, 7),
    ("Chicago, IL", -6, 5),
    ("Houston, TX", -6, 4),
    ("Atlanta, GA", -5, 3),
    ("Seattle, WA", -8, 3),
    ("Denver, CO", -7, 2),
    ("Miami, FL", -5, 3),
    ("Boston, MA", -5, 3),
    ("Toronto, Ontario", -5, 3),
    ("London, England", 0, 8),
    ("Manchester, England", 0, 2),
    ("Dublin, Ireland", 0, 1),
    ("Berlin, Germany", 1, 2),
    ("Paris, France", 1, 2),
    ("Lagos, Nigeria", 1, 3),
    ("Nairobi, Kenya", 3, 2),
    ("Mumbai, India", 5.5, 4),
    ("New Delhi, India", 5.5, 3),
    ("Manila, Philippines", 8, 3),
    ("Sydney, NSW", 10, 2),
    ("Melbourne, Victoria", 10, 1),
    ("Mexico City", -6, 2),
    ("São Paulo, Brasil", -3, 2),
    ("Johannesburg, South Africa", 2, 1),
]
VAGUE = B(
    "USA|United States|Earth 🌍|wherever the wifi is|she/her|in my head|Texas|California|UK|somewhere cold|🇺🇸|the internet|he/him|Midwest|East Coast|your mom's house|PNW|lost"
)
OCLI = [
    ("Twitter for iPhone", 0.45),
    ("Twitter for Android", 0.32),
    ("Twitter Web App", 0.18),
    ("Twitter for iPad", 0.03),
    ("TweetDeck", 0.02),
]
AUTO = [
    "Buffer",
    "Hootsuite Inc.",
    "dlvr.it",
    "TweetDeck",
    "SocialPilot.co",
    "IFTTT",
    "autopost_v2",
    "Twitter Web App",
]
AGGCLI = [
    "dlvr.it",
    "IFTTT",
    "twitterfeed",
    "Buffer",
    "NewsAggBot",
    "RSS Poster",
    "Hootsuite Inc.",
    "Zapier.com",
]
BASE = np.array(
    [
        0.6,
        0.35,
        0.2,
        0.15,
        0.15,
        0.25,
        0.5,
        1,
        1.3,
        1.3,
        1.2,
        1.3,
        1.5,
        1.4,
        1.3,
        1.3,
        1.4,
        1.6,
        1.8,
        2,
        2.2,
        2.1,
        1.7,
        1.1,
    ]
)
SHIFTP = np.array([0.02] * 9 + [1.0] * 9 + [0.02] * 6)
SHIFTP /= SHIFTP.sum()
HOMO = dict(zip("aeopcxyiAEOTHKMBPCvn", "аеорсхуіАЕΟТНΚМВРСνո"))
ZW = ["\u200b", "\u200c", "\u2060", "\ufeff"]
STYLES = [
    "retweet_ring",
    "hashtag_flood",
    "copypasta",
    "paraphrase",
    "link_amp",
    "reply_brigade",
    "sleeper",
    "crosspost",
    "hybrid",
]
JR = dict(
    retweet_ring=(5, 120),
    hashtag_flood=(60, 1800),
    copypasta=(300, 10800),
    paraphrase=(1800, 21600),
    link_amp=(600, 14400),
    reply_brigade=(60, 900),
    sleeper=(60, 3600),
    crosspost=(3600, 43200),
    hybrid=(600, 7200),
)
SIZE = dict(
    retweet_ring=(5, 30),
    hashtag_flood=(20, 80),
    copypasta=(10, 50),
    paraphrase=(8, 40),
    link_amp=(8, 40),
    reply_brigade=(10, 50),
    sleeper=(5, 15),
    crosspost=(5, 15),
    hybrid=(10, 40),
)
BG = dict(
    retweet_ring=0.3,
    hashtag_flood=0.08,
    copypasta=0.5,
    paraphrase=0.6,
    link_amp=0.4,
    reply_brigade=0.5,
    sleeper=0.12,
    crosspost=0.0,
    hybrid=1.0,
)
POOLK = ("orig", "article", "celeb", "breaking", "org", "cib")
URL_RE, TAG_RE, MEN_RE = re.compile(r"https?://\S+"), re.compile(r"#(\w+)"), re.compile(r"@(\w+)")


def slug(t):
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")[:60]


class Sim:
    def __init__(s, seed, A, D):
        s.r, s.rng = random.Random(seed), np.random.default_rng(seed)
        s.A, s.D, s.T = A, D, D * 86400
        s.G = 85000 * (A / 3000) * (D / 14)  # budget of generic organic activity
        s.P, s.acc, s.handles, s.camps = [], [], {}, []

    # ---------- helpers ----------
    def code(s, n):
        return "".join(
            s.r.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(n)
        )

    def place(s):
        return "".join(s.r.choice(SYL) for _ in range(2)).capitalize()

    def add(s, a, t, text, rt=None, rp=None, q=None, client=None, coord=0, kind="orig"):
        s.P.append([a, float(t), text, rt, rp, q, client, coord, kind])
        return len(s.P) - 1

    def author_h(s, x):
        return s.ext[x][0] if isinstance(x, str) else s.acc[s.P[x][0]]["h"]

    def ptext(s, x):
        return s.ext[x][2] if isinstance(x, str) else s.P[x][2]

    def ptime(s, x):
        return s.ext[x][1] if isinstance(x, str) else s.P[x][1]

    def rt_text(s, x):
        t = s.ptext(x)
        return t if t.startswith("RT @") else f"RT @{s.author_h(x)}: {t}"

    def handle(s, style="org"):
        r = s.r
        f, l = r.choice(FIRST), r.choice(LAST)
        if style == "digits":
            h = (
                f.capitalize()
                + l.capitalize()[:5]
                + "".join(r.choice("0123456789") for _ in range(8))
            )
        elif style == "org":
            h = [
                f"{f}_{l}",
                f"{f}{l[0]}{r.randint(1, 99)}",
                f"{r.choice(ADJ)}{r.choice(NOUN)}".replace("-", ""),
                f"the{r.choice(NOUN)}{f}",
                f"{f}{r.randint(1000, 9999)}",
                f"{r.choice(NOUN)}_{r.choice(NOUN)}{r.randint(1, 999)}",
                f"{f[0]}{l}",
                f"{f}.{l}".replace(".", ""),
            ][r.randrange(8)]
        else:
            h = style
        while h in s.handles:
            h += r.choice("0123456789_")
        s.handles[h] = 1
        return h

    def new_acct(
        s,
        role,
        camp=None,
        w=0.0,
        h=None,
        tz=None,
        loc=None,
        created=None,
        fol=None,
        cli=None,
        shift=False,
    ):
        r, rng = s.r, s.rng
        city = r.choices(CITIES, weights=[c[2] for c in CITIES])[0]
        if tz is None:
            tz = city[1]
            if loc is None:
                u = r.random()
                loc = city[0] if u < 0.55 else (r.choice(VAGUE) if u < 0.8 else "")
        if created is None:
            created = START - 86400 * (
                r.uniform(365, 15 * 365) if r.random() < 0.85 else r.uniform(7, 730)
            )
        prof = np.roll(BASE, r.randint(-2, 2)) * rng.lognormal(0, 0.25, 24)
        a = dict(
            i=len(s.acc),
            role=role,
            camp=camp,
            w=w,
            h=h or s.handle(),
            tz=tz,
            loc=loc or "",
            created=created,
            fol=int(fol if fol is not None else rng.lognormal(5, 1.8)),
            shift=shift,
            prof=SHIFTP if shift else prof / prof.sum(),
        )
        if cli is None:
            c1, c2 = r.choices([c for c, _ in OCLI], weights=[p for _, p in OCLI], k=2)
            cli = (c1, c2, r.uniform(0.7, 1))
        a["cli"] = cli
        s.acc.append(a)
        return a["i"]

    def tsample(s, a, n):
        rng = s.rng
        if a["shift"]:
            wd = [d for d in range(s.D) if (d + 4) % 7 < 5] or list(range(s.D))
            day = rng.choice(wd, n)
        else:
            day = rng.integers(0, s.D, n)
        hr = rng.choice(24, n, p=a["prof"])
        return np.mod(day * 86400 + hr * 3600 + rng.uniform(0, 3600, n) - a["tz"] * 3600, s.T)

    # ---------- text ----------
    def otext(s, second=True):
        r = s.r
        n, n2 = r.choice(NOUN), r.choice(NOUN)
        k = r.randrange(9)
        t = [
            f"{r.choice(OPEN)}{r.choice(SUBJ)} {r.choice(VERB)} the {r.choice(ADJ)} {n} {r.choice(TIMEP)}",
            f"{r.choice(OPEN)}this {n} is so {r.choice(ADJ)}",
            f"why is the {n} always so {r.choice(ADJ)}?",
            f"{n} update: {r.choice(SUBJ)} {r.choice(VERB)} a {r.choice(ADJ)} {n2}",
            f"hot take: {n}s are {r.choice(ADJ)} and {n2}s are {r.choice(ADJ)}",
            f"anyone else dealing with a {r.choice(ADJ)} {n} {r.choice(TIMEP)}?",
            f"{r.choice(TIMEP)} {r.choice(SUBJ)} {r.choice(VERB)} {r.randint(2, 40)} {n}s. {r.choice(REACT)}",
            f"can't believe the {n} and the {n2} {r.choice(TIMEP)}",
            f"day {r.randint(1, 365)} of trying to fix the {n}. the {n2} is {r.choice(ADJ)}"
            if r.random() < 0.4
            else f"{r.choice(SUBJ)} {r.choice(VERB)} my {n} {r.choice(TIMEP)}",
        ][k]
        if r.random() < 0.5:
            t = t[0].upper() + t[1:]
        if second and r.random() < 0.4:
            t += ". " + s.otext(False)
        if r.random() < 0.25:
            t += " " + r.choice(REACT)
        if r.random() < 0.35:
            t += " " + "".join(r.choice(EMO) for _ in range(r.randint(1, 3)))
        return t

    def ortext(s, t):
        r = s.r
        x = s.otext()
        d = min(int(t // 86400), s.D - 1)
        if r.random() < 0.22:
            x += " #" + r.choices(s.trend[d], weights=[1, 0.6, 0.4, 0.3, 0.25, 0.2])[0]
        if r.random() < 0.12:
            x += " #" + s.tags[min(int(s.rng.zipf(1.6)) - 1, len(s.tags) - 1)]
        if r.random() < 0.05:
            x = f"@{s.acc[r.choice(s.reg)]['h']} " + x
        if r.random() < 0.06:
            x += " " + r.choice(
                [
                    f"https://youtu.be/{s.code(11)}",
                    f"https://www.instagram.com/p/{s.code(11)}/",
                    f"https://open.spotify.com/track/{s.code(22)}",
                    f"https://imgur.com/{s.code(7)}",
                ]
            )
        return x

    def title(s, ent=None):
        r = s.r
        q = r.choice(HQ)
        ent = ent or r.choice(
            [
                s.place(),
                f"Governor {r.choice(LAST).capitalize()}",
                f"Mayor {r.choice(LAST).capitalize()}",
                f"{s.place()} council",
                f"Senator {r.choice(LAST).capitalize()}",
            ]
        )
        return f"{ent} {r.choice(HV)} {r.choice(HO)}" + (
            "" if not q else (q if q[0] == "," else " " + q)
        )

    def claim(s, c, tp, para):
        r = s.r
        pi, iss, ei, ci = tp
        if not para:
            return f"{c['subjs'][0]} {CPRED[pi][0]} {iss}. {CEVID[ei][0].capitalize()}. {CCALL[ci][0]}!"
        sent = [
            f"{r.choice(c['subjs'])} {r.choice(CPRED[pi])} {iss}.",
            f"{r.choice(CEVID[ei]).capitalize()}.",
            f"{r.choice(CCALL[ci])}!",
        ]
        if r.random() < 0.5:
            sent[0], sent[1] = sent[1], sent[0]
        if r.random() < 0.3:
            sent.pop(2)
        x = " ".join(sent)
        if r.random() < 0.3:
            x = r.choice(["Fact: ", "Think about it. ", "Unbelievable. ", "Let that sink in: "]) + x
        if r.random() < 0.3:
            x = x.lower()
        if r.random() < 0.3:
            x += " #" + r.choice(c["tags"])
        return x

    def evade(s, text, lvl):
        r = s.r
        out = []
        for tok in text.split(" "):
            if tok[:1] not in "#@" and not tok.startswith("http"):
                tok = "".join(
                    HOMO[ch] if ch in HOMO and r.random() < 0.12 * lvl else ch for ch in tok
                )
                if r.random() < 0.08 * lvl:
                    k = r.randint(0, len(tok))
                    tok = tok[:k] + r.choice(ZW) + tok[k:]
            out.append(tok)
        x = " ".join(out)
        if r.random() < 0.4 * lvl:
            x = r.choice(EMO) * r.randint(1, 3) + " " + x
        if r.random() < 0.4 * lvl:
            x += " " + "".join(r.choice(EMO) for _ in range(r.randint(1, 4)))
        if r.random() < 0.35 * lvl:
            x += " " + r.choice(
                [s.code(r.randint(3, 6)), str(r.randint(1, 9999)), "." * r.randint(1, 4)]
            )
        return x

    # ---------- populations ----------
    def build_accounts(s):
        r, rng, A = s.r, s.rng, s.A
        n_cib = round(0.10 * A)
        f = A / 3000
        n_out, n_cel, n_agg, n_org = (
            max(3, round(12 * f)),
            max(1, round(3 * f)),
            max(3, round(15 * f)),
            max(1, round(3 * f)),
        )
        s.outlets = []
        for k in range(n_out):
            nm = r.choice(
                ["The", "", "Daily", "Metro", "National", "Global", s.place()]
            ) + r.choice(
                W(
                    "Herald Times Post Tribune Ledger Gazette Wire Dispatch Chronicle Observer Report Bulletin"
                )
            )
            i = s.new_acct(
                "outlet",
                h=s.handle(nm),
                tz=r.choice([-5, 0, -8]),
                loc=r.choice(["New York, NY", "London", "Washington, DC", ""]),
                created=START - 86400 * r.uniform(3000, 5500),
                fol=rng.lognormal(12.5, 1.2),
                cli=(
                    r.choice(["SocialFlow", "Echobox", "Twitter Web App"]),
                    "Twitter Web App",
                    0.9,
                ),
            )
            s.outlets.append(i)
            s.acc[i]["dom"] = s.acc[i]["h"].lower() + ".com"
        s.celebs = [
            s.new_acct(
                "celebrity",
                fol=rng.lognormal(16.5, 0.8),
                cli=("Twitter for iPhone", "Twitter Web App", 0.95),
                created=START - 86400 * r.uniform(3000, 5000),
            )
            for _ in range(n_cel)
        ]
        s.aggs = [
            s.new_acct(
                "aggregator",
                h=s.handle(
                    r.choice(["", "Top", "Local", "Breaking", "Daily", "All"])
                    + r.choice(["News", "Headlines", "Feed", "Wire"])
                    + r.choice(["Bot", "Now", "Hub", "24", "Daily", "Live"])
                ),
                fol=rng.lognormal(6, 1.5),
                cli=(r.choice(AGGCLI),) * 2 + (1,),
            )
            for _ in range(n_agg)
        ]
        s.orgs = []
        for _ in range(n_org):
            pl = s.place()
            sub = [f"CityOf{pl}", f"{pl}PD", f"{pl}Fire", f"{pl}Parks", f"{pl}Transit"][
                : r.randint(3, 5)
            ]
            cl = (
                r.choice(["Hootsuite Inc.", "Sprout Social", "Twitter Web App"]),
                "Twitter Web App",
                0.85,
            )
            s.orgs.append(
                (
                    pl,
                    [
                        s.new_acct(
                            "org",
                            w=0.05,
                            h=s.handle(x),
                            tz=-5,
                            loc=f"{pl}, USA",
                            fol=rng.lognormal(9, 1),
                            cli=cl,
                        )
                        for x in sub
                    ],
                )
            )
        n_reg = A - n_cib - len(s.acc)
        s.reg = [s.new_acct("organic", w=rng.lognormal(0, 1.25)) for _ in range(n_reg)]
        # campaigns
        nc = min(r.randint(12, 20), max(3, n_cib // 8))
        styles = r.sample(STYLES, min(9, nc)) + [r.choice(STYLES) for _ in range(max(0, nc - 9))]
        sizes = np.array([r.randint(*SIZE[st]) for st in styles], float)
        sizes = np.clip(np.round(sizes * n_cib / sizes.sum()), 5, 80).astype(int)
        cnt = {}
        for st, sz in zip(styles, sizes):
            cnt[st] = cnt.get(st, 0) + 1
            ent = s.place()
            lead = r.choice(LAST).capitalize()
            c = dict(
                name=f"{st}_{cnt[st]}",
                style=st,
                J=float(np.exp(r.uniform(*np.log(JR[st])))),
                ent=ent,
                leader=lead,
                p_auto=r.choice([0, 0, 0.2, 0.5, 0.9]),
                auto=r.choice(AUTO + [f"{ent}Poster"]),
                clustered=st == "hashtag_flood" or r.random() < 0.35,
                mismatch=r.random() < 0.4,
                shift=r.random() < 0.3,
                digits=r.random() < 0.4,
                bought=r.random() < 0.2,
                lvl=r.uniform(0.3, 1.5),
            )
            c["subjs"] = [
                lead,
                f"{lead}'s government",
                f"the {ent} regime",
                f"the {ent} government",
                f"{lead}'s inner circle",
            ]
            c["tags"] = r.sample(
                [
                    f"{ent}Truth",
                    f"StandWith{ent}",
                    f"{lead}Out",
                    f"Resign{lead}",
                    f"{ent}Lies",
                    f"Free{ent}",
                    f"{ent}Exposed",
                ],
                r.randint(2, 4),
            )
            c["tps"] = [
                (r.randrange(5), r.choice(ISSUE), r.randrange(4), r.randrange(4))
                for _ in range(r.randint(4, 10))
            ]
            c["op"] = dict(
                tz=r.choice([3, 3.5, 8, 5, 1, 2, -3]) if c["mismatch"] else r.choice([-5, -6, 0]),
                shift=c["shift"],
                prof=np.roll(BASE, r.randint(-2, 2)) / BASE.sum(),
            )
            base_cr = START - 86400 * r.uniform(5, 120)
            spread = 86400 * r.uniform(0.3, 4)
            c["members"] = []
            for _ in range(int(sz)):
                cr = (
                    base_cr + r.uniform(0, spread)
                    if c["clustered"]
                    else (
                        START
                        - 86400
                        * (r.uniform(1500, 5000) if r.random() < 0.5 else r.uniform(30, 1100))
                    )
                )
                kw = {}
                if c["mismatch"]:
                    us = [x for x in CITIES if x[1] <= 0]
                    kw = dict(tz=c["op"]["tz"], loc=r.choice(us)[0] if r.random() < 0.7 else "")
                cli = None
                if r.random() < 0.5:
                    cli = (
                        "Twitter Web App",
                        r.choice(["Twitter for Android", "Twitter for iPhone"]),
                        r.uniform(0.6, 1),
                    )
                m = s.new_acct(
                    c["name"],
                    camp=c["name"],
                    w=rng.lognormal(0, 1.0) * BG[st],
                    created=cr,
                    cli=cli,
                    shift=c["shift"] and r.random() < 0.8,
                    h=s.handle(
                        s.place() + r.choice(W("Today Herald Insider Report Daily Voice Times"))
                        if st == "crosspost"
                        else "digits"
                        if c["digits"] and r.random() < 0.8
                        else "org"
                    ),
                    fol=rng.lognormal(7.5, 0.6) if c["bought"] else rng.lognormal(3.5, 1.5),
                    **kw,
                )
                c["members"].append(m)
            s.camps.append(c)
        # trending tags
        base = W(
            "MondayMotivation TBT NowPlaying FridayFeeling Oscars NBA NFL climate AI crypto Eurovision selfcare bookworm foodie travel photography gaming Wordle WWE F1 MarchMadness StPatricksDay fitness music art tech science"
        )
        s.tags = base + [f"{s.place()}{r.choice(NOUN).capitalize()}" for _ in range(170)]
        s.trend = [r.sample(s.tags[:80], 6) for _ in range(s.D)]

    # ---------- organic processes ----------
    def outlets_and_articles(s):
        r = s.r
        s.articles = []
        for o in s.outlets:
            a = s.acc[o]
            n = int(r.uniform(6, 14) * s.D)
            for t in sorted(s.tsample(a, n)):
                ti = s.title()
                dt = datetime.fromtimestamp(START + t, UTC)
                url = f"https://www.{a['dom']}/{dt:%Y/%m/%d}/{slug(ti)}-{s.code(6).lower()}"
                pi = s.add(o, t, f"{ti} {url}", kind="article")
                s.articles.append(dict(o=o, t=t, title=ti, url=url, pi=pi))

    def celebs_and_fans(s):
        r, rng = s.r, s.rng
        s.fans = {}
        for c in s.celebs:
            posts = [
                s.add(
                    c,
                    t,
                    s.otext()
                    if r.random() < 0.7
                    else r.choice(
                        [
                            "new music friday!! link in bio",
                            "thank you for tonight ❤️",
                            "can't wait to see you all",
                            "big news tomorrow 👀",
                            "tour dates out now",
                        ]
                    )
                    + " "
                    + r.choice(EMO),
                    kind="celeb",
                )
                for t in s.tsample(s.acc[c], int(r.uniform(2, 5) * s.D))
            ]
            fans = r.sample(s.reg, min(len(s.reg), int(r.randint(40, 120) * s.A / 3000) + 5))
            for f in fans:
                s.fans[f] = 1
                pe, pr, mu = r.uniform(0.3, 0.95), r.uniform(0.2, 0.8), np.log(r.uniform(15, 90))
                for pi in posts:
                    if r.random() > pe:
                        continue
                    t0 = s.P[pi][1]
                    if r.random() < pr or r.random() < 0.15:
                        s.add(
                            f,
                            t0 + 2 + rng.lognormal(mu, 0.9),
                            f"@{s.acc[c]['h']} {r.choice(FAN)}"
                            + (" " + r.choice(EMO) if r.random() < 0.5 else ""),
                            rp=pi,
                            kind="fan",
                        )
                    if r.random() >= pr:
                        s.add(f, t0 + 2 + rng.lognormal(mu, 0.9), s.rt_text(pi), rt=pi, kind="fan")

    def org_releases(s):
        r = s.r
        for pl, accs in s.orgs:
            main = s.acc[accs[0]]
            for t in s.tsample(dict(main, shift=True, prof=SHIFTP), int(r.uniform(0.8, 2) * s.D)):
                ti = s.title(pl) + "."
                text = (
                    f"PRESS RELEASE: {ti} Read more: https://www.{pl.lower()}.gov/news/{slug(ti)}"
                    + (f" #{pl}" if r.random() < 0.5 else "")
                )
                pi = s.add(accs[0], t, text, kind="org")
                for o in accs[1:]:
                    u = r.random()
                    if u < 0.6:
                        s.add(o, t + r.uniform(0, 1200), text, kind="org")
                    elif u < 0.9:
                        s.add(o, t + r.uniform(30, 3600), s.rt_text(pi), rt=pi, kind="org")

    def generic_originals(s):
        w = np.array([a["w"] for a in s.acc])
        cnt = s.rng.poisson(w / w.sum() * s.G * 0.40)
        s.n_orig = cnt
        for a in np.nonzero(cnt)[0]:
            for t in s.tsample(s.acc[a], cnt[a]):
                s.add(int(a), t, s.ortext(t))

    def breaking(s):
        r, rng = s.r, s.rng
        s.events = []
        for _ in range(max(1, round(4 * s.D / 14))):
            pl = s.place()
            te = r.uniform(0.05, 0.95) * s.T
            ph = r.choice(
                [
                    f"earthquake in {pl}",
                    f"power outage across {pl}",
                    f"explosion near {pl} station",
                    f"{pl} {r.choice(LAST).capitalize()}s win the championship",
                    f"massive fire in downtown {pl}",
                    f"bridge collapse in {pl}",
                    f"tornado warning for {pl}",
                ]
            )
            tag = r.choice([pl + "Strong", pl + "Earthquake", pl, "Breaking" + pl])
            k = int(r.randint(100, 400) * s.A / 3000)
            sc = r.uniform(120, 600)
            s.events.append((te, ph, k))
            for a in s.pick(k):
                x = f"{r.choice(B('WOW|omg|BREAKING:|did anyone else feel that?|just heard about the|holy crap|wait,|praying for everyone affected by the|is it true? the|can not believe the|live updates on the'))} {ph} {r.choice(B('|right now|— stay safe everyone|this is insane|anyone have updates?|😳|I am shaking|sending love|what is happening|unreal'))}".strip()
                if r.random() < 0.5:
                    x = x.lower()
                if r.random() < 0.5:
                    x += " #" + tag
                if r.random() < 0.3:
                    x += " " + r.choice(EMO)
                dt = rng.exponential(sc) if r.random() < 0.85 else rng.lognormal(8, 1)
                s.add(int(a), te + 5 + dt, x, kind="breaking")

    def setup_pick(s):
        w = np.array([a["w"] for a in s.acc])
        s.ridx = np.nonzero(w > 0)[0]
        pw = w[s.ridx]
        s.rlogw = np.log(pw)
        s.rcum = np.cumsum(pw) / pw.sum()

    def pick(s, k, excl=-1):
        n = len(s.ridx)
        k = min(k, n - 1)
        if k <= 4:
            res = []
            for x in s.ridx[np.minimum(np.searchsorted(s.rcum, s.rng.random(3 * k + 3)), n - 1)]:
                if x != excl and x not in res:
                    res.append(int(x))
                if len(res) == k:
                    break
            return res
        g = s.rlogw + s.rng.gumbel(size=n)
        return [int(x) for x in s.ridx[np.argpartition(-g, k)[: k + 1]] if x != excl][:k]

    def externals(s):
        r = s.r
        hs = [s.handle() for _ in range(60)]
        s.ext = {}
        for _ in range(int(400 * s.G / 85000) + 10):
            t = r.uniform(-3 * 86400, s.T)
            ms = int((START + t) * 1000) - TWEPOCH
            s.ext[str((ms << 22) | r.getrandbits(22))] = (r.choice(hs), t, s.otext())

    def reactions(s):
        r, rng = s.r, s.rng
        pool = [i for i, p in enumerate(s.P) if p[8] in POOLK]
        fol = np.array([s.acc[s.P[i][0]]["fol"] for i in pool], float)
        km = np.array([0.3 if s.P[i][8] == "cib" else 1.0 for i in pool])
        pop = (rng.pareto(1.05, len(pool)) + 0.05) * (fol + 10) ** 0.35 * km
        ex = list(s.ext)
        pop = np.concatenate([pop, (rng.pareto(1.05, len(ex)) + 0.05) * 60])
        tg = pool + ex
        cap = int(0.6 * len(s.ridx))
        for kind, frac, ex_, mu, sg in [
            ("rt", 0.33, 1.0, np.log(1500), 2.0),
            ("reply", 0.15, 0.8, np.log(900), 1.8),
            ("quote", 0.04, 1.1, np.log(2400), 1.8),
        ]:
            p = pop**ex_
            cnt = np.minimum(rng.multinomial(int(s.G * frac), p / p.sum()), cap)
            for j in np.nonzero(cnt)[0]:
                x = tg[j]
                t0 = s.ptime(x)
                au = -1 if isinstance(x, str) else s.P[x][0]
                acts = sorted((t0 + 3 + rng.lognormal(mu, sg), a) for a in s.pick(int(cnt[j]), au))
                thread = [x]
                for t, a in acts:
                    if t < 0:
                        continue
                    if kind == "rt":
                        s.add(a, t, s.rt_text(x), rt=x, kind="rt")
                    elif kind == "quote":
                        s.add(
                            a,
                            t,
                            r.choice(DUNK).replace("{n}", r.choice(NOUN))
                            + (". " + s.otext(False) if r.random() < 0.4 else "")
                            + (" " + r.choice(EMO) if r.random() < 0.4 else ""),
                            q=x,
                            kind="quote",
                        )
                    else:
                        tgt = x if r.random() < 0.65 or len(thread) == 1 else r.choice(thread)
                        txt = (
                            r.choice(REPLY).replace("{n}", r.choice(NOUN))
                            if r.random() < 0.5
                            else s.otext(False)
                        )
                        thread.append(
                            s.add(a, t, f"@{s.author_h(tgt)} {txt}", rp=tgt, kind="reply")
                        )
                if (
                    kind == "reply" and au >= 0 and len(thread) > 2 and r.random() < 0.4
                ):  # OP answers in thread
                    y = r.choice(thread[1:])
                    s.add(
                        au,
                        s.P[y][1] + rng.lognormal(6, 1.5),
                        f"@{s.author_h(y)} {r.choice(REPLY).replace('{n}', r.choice(NOUN))}",
                        rp=y,
                        kind="reply",
                    )

    def aggregators(s):
        r = s.r
        for b in s.aggs:
            subs = r.sample(s.outlets, min(len(s.outlets), r.randint(2, 4)))
            iv = r.uniform(300, 1800)
            ph = r.uniform(0, iv)
            fmt = r.choice(
                ["{t} {u}", "{t} - {o} {u}", "#news {t} {u}", "{T} {u}", "{t} {u} #headlines"]
            )
            for ar in s.articles:
                if ar["o"] in subs and r.random() < 0.92:
                    tp = ph + np.ceil((ar["t"] + 30 - ph) / iv) * iv + r.uniform(0, 20)
                    s.add(
                        b,
                        tp,
                        fmt.format(
                            t=ar["title"], T=ar["title"].upper(), u=ar["url"], o=s.acc[ar["o"]]["h"]
                        ),
                        kind="agg",
                    )

    def share_button(s):
        r, rng = s.r, s.rng
        n = len(s.articles)
        p = (rng.pareto(1.3, n) + 0.05) * np.array(
            [s.acc[a["o"]]["fol"] for a in s.articles]
        ) ** 0.2
        cnt = rng.multinomial(int(s.G * 0.08), p / p.sum())
        for j in np.nonzero(cnt)[0]:
            ar = s.articles[j]
            for a in s.pick(int(cnt[j])):
                cl = "Twitter Web App" if r.random() < 0.5 else None
                s.add(
                    a,
                    ar["t"] + 20 + rng.lognormal(np.log(3600), 1.5),
                    f"{ar['title']} via @{s.acc[ar['o']]['h']} {ar['url']}",
                    client=cl,
                    kind="share",
                )

    # ---------- planted operations ----------
    def cp(s, c, a, t, text, **kw):
        cl = c["auto"] if s.r.random() < c["p_auto"] else None
        c["n"] = c.get("n", 0) + 1
        return s.add(a, t, text, client=cl, coord=1, kind="cib", **kw)

    def evt(s, c):
        return float(s.tsample(c["op"], 1)[0]) * 0.97

    def url_variant(s, c, a, u):
        r = s.r
        k = r.random()
        if k < 0.3:
            return u
        if k < 0.6:
            return (
                u
                + f"?utm_source={r.choice(['twitter', 'tw', 'social', 'share'])}&utm_medium={r.choice(['social', 'post', 'referral'])}&utm_campaign={s.code(5).lower()}"
            )
        if k < 0.9:
            key = (a, u)
            c.setdefault("short", {})
            if key not in c["short"]:
                c["short"][key] = (
                    f"https://{r.choice(['bit.ly', 'tinyurl.com', 'ow.ly', 'buff.ly', 'is.gd'])}/{s.code(7)}"
                )
            return c["short"][key]
        return u.replace("https://", "https://m.") + r.choice(["/", "?amp=1", "#share"])

    def run_campaign(s, c):
        r, rng, m, st, J = s.r, s.rng, c["members"], c["style"], c["J"]
        ex = lambda: rng.exponential(J)
        if st == "retweet_ring":
            seeds = m[: max(1, len(m) // 12)]
            for a in seeds:
                s.acc[a]["fol"] = int(rng.lognormal(9, 1))
            q = r.uniform(0.5, 0.9)
            for _ in range(int(r.uniform(2, 5) * s.D)):
                o = r.choice(seeds) if r.random() < 0.75 else r.choice(m)
                t0 = s.evt(c)
                txt = s.claim(c, r.choice(c["tps"]), True) if r.random() < 0.7 else s.otext()
                pi = s.cp(
                    c,
                    o,
                    t0,
                    txt
                    + (" #" + r.choice(c["tags"]) if r.random() < 0.4 and "#" not in txt else ""),
                )
                for a in m:
                    if a != o and r.random() < q:
                        s.cp(c, a, t0 + r.uniform(1, J), s.rt_text(pi), rt=pi)
        elif st == "hashtag_flood":
            tpls = []
            for _ in range(r.randint(3, 5)):
                tp = r.choice(c["tps"])
                tpls.append(
                    [
                        r.sample(c["subjs"], 2),
                        r.sample(CPRED[tp[0]], 2),
                        [tp[1]],
                        r.sample(CCALL[tp[3]], 2),
                        [r.choice(EMO), "", "!!"],
                    ]
                )
            for _ in range(int(r.randint(8, 20) * s.D / 14) + 1):
                t0 = s.evt(c)
                q = r.uniform(0.4, 0.8)
                for a in m:
                    if r.random() > q:
                        continue
                    for _ in range(r.choice([1, 1, 1, 2, 3])):
                        sl = r.choice(tpls)
                        x = f"{r.choice(sl[3])}! {r.choice(sl[0])} {r.choice(sl[1])} {r.choice(sl[2])} {r.choice(sl[4])}"
                        tags = r.sample(c["tags"], r.randint(1, len(c["tags"])))
                        if r.random() < 0.2:
                            tags.append(r.choice(s.trend[min(int(t0 // 86400), s.D - 1)]))
                        s.cp(c, a, t0 + ex(), x + " " + " ".join("#" + g for g in tags))
        elif st in ("copypasta", "paraphrase"):
            for _ in range(r.randint(5, 15) if st == "copypasta" else r.randint(8, 20)):
                tp = r.choice(c["tps"])
                base = s.claim(c, tp, False) + " " + " ".join("#" + g for g in c["tags"][:2])
                t0 = s.evt(c)
                q = r.uniform(0.5, 0.9)
                for a in m:
                    if r.random() < q:
                        s.cp(
                            c,
                            a,
                            t0 + ex(),
                            s.evade(base, c["lvl"]) if st == "copypasta" else s.claim(c, tp, True),
                        )
        elif st == "link_amp":
            doms = [
                f"{r.choice(['patriot', 'truth', 'free', 'real', c['ent'].lower(), 'voice', 'daily'])}-{r.choice(['daily', 'report', 'news', 'insider', 'today', 'times'])}.{r.choice(['net', 'info', 'com', 'news', 'org'])}"
                for _ in range(r.randint(1, 3))
            ]
            urls = [
                f"https://{r.choice(doms)}/{2024}/{r.randint(1, 3):02d}/{slug(s.claim(c, r.choice(c['tps']), True))[:40]}"
                for _ in range(r.randint(5, 20))
            ]
            for _ in range(int(len(urls) * r.uniform(1, 2))):
                u = r.choice(urls)
                t0 = s.evt(c)
                q = r.uniform(0.4, 0.8)
                for a in m:
                    if r.random() < q:
                        x = (r.choice(COMMENT) + " " if r.random() < 0.8 else "") + (
                            s.otext(False) + " " if r.random() < 0.15 else ""
                        )
                        s.cp(
                            c,
                            a,
                            t0 + ex(),
                            x
                            + s.url_variant(c, a, u)
                            + (" #" + r.choice(c["tags"]) if r.random() < 0.3 else ""),
                        )
        elif st == "reply_brigade":
            cand = sorted(s.reg, key=lambda a: -s.n_orig[a])[: max(20, len(s.reg) // 10)]
            tgts = r.sample(cand, r.randint(2, 5)) + (
                [r.choice(s.outlets)] if r.random() < 0.5 else []
            )
            posts = [i for i, p in enumerate(s.P) if p[0] in tgts and p[8] in ("orig", "article")]
            for pi in r.sample(posts, min(len(posts), r.randint(5, 15))):
                t0 = s.P[pi][1] + 60 + rng.exponential(600)
                q = r.uniform(0.5, 0.9)
                h = s.acc[s.P[pi][0]]["h"]
                for a in m:
                    if r.random() < q:
                        x = r.choice(BRIG).replace("{ent}", c["ent"])
                        if r.random() < 0.3:
                            x += ". " + s.claim(c, r.choice(c["tps"]), True)
                        if r.random() < 0.4:
                            x += " " + r.choice(EMO)
                        if r.random() < 0.3:
                            x += " #" + r.choice(c["tags"])
                        s.cp(c, a, t0 + ex(), f"@{h} {x}", rp=pi)
        elif st == "sleeper":
            for _ in range(r.randint(3, 6)):
                t0 = s.evt(c)
                q = r.uniform(0.6, 1)
                k = r.random()
                if k < 0.4:
                    x = s.claim(c, r.choice(c["tps"]), True)
                elif k < 0.7:
                    tgt = (
                        r.choice(list(s.ext))
                        if r.random() < 0.5
                        else r.choice(
                            [i for i, p in enumerate(s.P) if p[8] == "orig" and p[1] < t0] or [None]
                        )
                    )
                else:
                    u = f"https://{c['ent'].lower()}-{r.choice(['news', 'files', 'leaks'])}.org/{s.code(8).lower()}"
                    cm = r.choice(COMMENT)
                for a in m:
                    if r.random() > q:
                        continue
                    if k < 0.4:
                        s.cp(c, a, t0 + ex(), x)
                    elif k < 0.7 and tgt is not None:
                        s.cp(c, a, max(t0, s.ptime(tgt)) + ex(), s.rt_text(tgt), rt=tgt)
                    elif k >= 0.7:
                        s.cp(c, a, t0 + ex(), f"{cm} {u}")
        elif st == "crosspost":
            doms = {a: f"{s.acc[a]['h'].lower()}.com" for a in m}
            for a in m:  # each site also publishes a few stories of its own
                for t in s.tsample(s.acc[a], int(r.uniform(0.3, 1.5) * s.D)):
                    ti = s.title()
                    s.add(a, t, f"{ti}. https://{doms[a]}/{slug(ti)}")
            for _ in range(int(r.uniform(10, 30) * s.D / 14)):
                if r.random() < 0.3 and s.articles:
                    ar = r.choice(s.articles)
                    ti, t0 = ar["title"], ar["t"] + r.uniform(1800, 14400)
                else:
                    ti, t0 = s.title(r.choice(c["subjs"][:1] + [c["ent"]])), s.evt(c)
                lead = f"{r.choice(CEVID[r.randrange(4)]).capitalize()}, according to {r.choice(['local sources', 'officials', 'several reports', 'insiders'])}."
                sl = slug(ti)
                o = r.choice(m)
                q = r.uniform(0.6, 0.95)
                for a in m:
                    if a == o or r.random() < q:
                        s.cp(
                            c,
                            a,
                            t0 + (0 if a == o else np.exp(r.uniform(np.log(600), np.log(J)))),
                            f"{ti}. {lead} https://{doms[a]}/{sl}",
                        )
        elif st == "hybrid":
            exp_bg = np.mean([s.acc[a]["w"] for a in m]) / sum(x["w"] for x in s.acc) * s.G
            sh = r.uniform(0.1, 0.2)
            n_ev = max(3, int(round(exp_bg * sh / (1 - sh) / 0.7)))
            hub = m[0]
            msgs = [s.claim(c, tp, False) for tp in c["tps"]]
            for _ in range(n_ev):
                t0 = s.evt(c)
                k = r.random()
                if k < 0.35:
                    pi = s.cp(c, hub, t0, s.claim(c, r.choice(c["tps"]), True))
                elif k < 0.7:
                    x = r.choice(msgs)
                else:
                    u = f"https://{c['ent'].lower()}-{r.choice(['report', 'watch'])}.com/{s.code(6).lower()}"
                for a in m:
                    if r.random() > 0.7 or (k < 0.35 and a == hub):
                        continue
                    if k < 0.35:
                        s.cp(c, a, t0 + ex(), s.rt_text(pi), rt=pi)
                    elif k < 0.7:
                        s.cp(c, a, t0 + ex(), s.evade(x, 0.4))
                    else:
                        s.cp(c, a, t0 + ex(), f"{r.choice(COMMENT)} {s.url_variant(c, a, u)}")

    # ---------- output ----------
    def write(s, out):
        os.makedirs(out, exist_ok=True)
        r = s.r
        keep = sorted((i for i, p in enumerate(s.P) if 0 <= p[1] < s.T), key=lambda i: s.P[i][1])
        ids, used = {}, set()
        for i in keep:
            pid = ((int((START + s.P[i][1]) * 1000) - TWEPOCH) << 22) | r.getrandbits(22)
            while pid in used:
                pid += 1
            used.add(pid)
            ids[i] = str(pid)
        for a in s.acc:
            ms = int(a["created"] * 1000) - TWEPOCH
            a["id"] = (
                str((ms << 22) | r.getrandbits(22)) if ms > 0 else str(r.randint(10**6, 2 * 10**8))
            )
        ref = lambda x: None if x is None else (x if isinstance(x, str) else ids.get(x))
        cols = {
            k: []
            for k in [
                "post_id",
                "account_id",
                "created_at",
                "text",
                "platform",
                "repost_of",
                "reply_to",
                "quote_of",
                "urls",
                "hashtags",
                "mentions",
                "client",
                "lang",
                "account_created_at",
                "account_name",
                "account_location",
                "followers",
            ]
        }
        truth = []
        for i in keep:
            a, t, text, rt, rp, q, cl, co, kind = s.P[i]
            A = s.acc[a]
            if cl is None:
                cl = A["cli"][0] if r.random() < A["cli"][2] else A["cli"][1]
            bare = MEN_RE.sub("", TAG_RE.sub("", URL_RE.sub("", text)))
            row = (
                ids[i],
                A["id"],
                int(round((START + t) * 1e6)),
                text,
                "twitter",
                ref(rt),
                ref(rp),
                ref(q),
                URL_RE.findall(text),
                TAG_RE.findall(text),
                MEN_RE.findall(text),
                cl,
                "en" if re.search(r"[A-Za-z]{2}", bare) else "und",
                int(A["created"] * 1e6),
                A["h"],
                A["loc"],
                A["fol"],
            )
            for k, v in zip(cols, row):
                cols[k].append(v)
            truth.append((ids[i], kind, co))
        ts = pa.timestamp("us", tz="UTC")
        ls = pa.list_(pa.string())
        types = dict(
            created_at=ts,
            account_created_at=ts,
            urls=ls,
            hashtags=ls,
            mentions=ls,
            followers=pa.int64(),
        )
        pq.write_table(
            pa.table({k: pa.array(v, type=types.get(k, pa.string())) for k, v in cols.items()}),
            f"{out}/posts.parquet",
        )
        pq.write_table(
            pa.table(
                {
                    "post_id": [x[0] for x in truth],
                    "kind": [x[1] for x in truth],
                    "coordinated": [bool(x[2]) for x in truth],
                }
            ),
            f"{out}/post_truth.parquet",
        )
        npost = {}
        for i in keep:
            npost[s.P[i][0]] = npost.get(s.P[i][0], 0) + 1
        posted = sorted((a for a in s.acc if a["i"] in npost), key=lambda a: a["id"])
        with open(f"{out}/labels.csv", "w") as f:
            f.write(
                "account_id,campaign\n"
                + "".join(f"{a['id']},{a['camp'] or 'organic'}\n" for a in posted)
            )
        with open(f"{out}/account_roles.csv", "w") as f:
            role = lambda a: (
                "cib"
                if a["camp"]
                else ("fan" if a["i"] in s.fans and a["role"] == "organic" else a["role"])
            )
            f.write("account_id,role\n" + "".join(f"{a['id']},{role(a)}\n" for a in posted))
        coordk = {}
        for i in keep:
            if s.P[i][7]:
                c = s.acc[s.P[i][0]]["camp"]
                coordk[c] = coordk.get(c, 0) + 1
        meta = dict(
            n_posts=len(keep),
            n_accounts=len(posted),
            organic=dict(accounts=0, posts=0, roles={}),
            campaigns={},
            styles={},
            breaking_events=[
                dict(t=START + e[0], phrase=e[1], participants=e[2]) for e in s.events
            ],
        )
        for a in posted:
            if a["camp"] is None:
                meta["organic"]["accounts"] += 1
                meta["organic"]["posts"] += npost[a["i"]]
                rl = role(a)
                meta["organic"]["roles"][rl] = meta["organic"]["roles"].get(rl, 0) + 1
        for c in s.camps:
            mm = [a for a in c["members"] if a in npost]
            d = dict(
                style=c["style"],
                accounts=len(mm),
                posts=sum(npost[a] for a in mm),
                coordinated_posts=coordk.get(c["name"], 0),
                jitter_s=round(c["J"], 1),
                p_auto_client=c["p_auto"],
                auto_client=c["auto"],
                creation_clustered=c["clustered"],
                tz_mismatch=c["mismatch"],
                shift_work=c["shift"],
                default_handles=c["digits"],
                bought_followers=c["bought"],
            )
            meta["campaigns"][c["name"]] = d
            g = meta["styles"].setdefault(
                c["style"], dict(campaigns=0, accounts=0, posts=0, coordinated_posts=0)
            )
            for k in ("accounts", "posts", "coordinated_posts"):
                g[k] += d[k]
            g["campaigns"] += 1
        with open(f"{out}/meta.json", "w") as f:
            json.dump(meta, f, indent=1)
        return meta

    def run(s, out):
        s.build_accounts()
        s.setup_pick()
        s.externals()
        s.outlets_and_articles()
        s.celebs_and_fans()
        s.org_releases()
        s.generic_originals()
        s.breaking()
        for c in s.camps:
            s.run_campaign(c)
        s.reactions()
        s.aggregators()
        s.share_button()
        return s.write(out)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--accounts", type=int, default=3000)
    ap.add_argument("--days", type=int, default=14)
    a = ap.parse_args()
    t = time.time()
    m = Sim(a.seed, a.accounts, a.days).run(a.out)
    print(
        f"{m['n_posts']} posts, {m['n_accounts']} accounts, {len(m['campaigns'])} campaigns, {time.time() - t:.1f}s"
    )

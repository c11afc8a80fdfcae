"""indsim: an independent simulator of a Twitter-like dump with planted coordinated operations.

Written without reference to the detector, to test it on assumptions it did not choose.

    python pipelines/indsim.py --out DIR --seed N --accounts A --days D   (defaults A=2200, D=10)

writes DIR/posts.parquet (canonical columns), DIR/labels.csv (account_id,campaign; `organic`
for everyone not planted) and DIR/roles.csv (account_id,role).  `generate(seed, accounts, days)`
returns (posts, labels) as polars frames; `simulate()` also returns roles.  Output is a pure
function of (seed, accounts, days).  The dump starts Monday 2024-03-04 00:00 UTC.  Account ids
are screen names, so `mentions` resolve to account ids.  Reposts read "RT @author: <text>" and
carry the original's hashtags/urls; replies start with "@author"; URLs appear in text as t.co
links with the expanded URL in `urls`.  All references point to posts in the dump.

Planted operations (label = campaign; sizes vary about +-15% with the seed):
  repost_farm      ~50 members created within a few days of each other 1-3 months ago, ~85%
                   TweetDeck, repost 85-98% of the posts of 2-4 principals (also labelled)
                   after a per-member log-normal delay (median 10-120 s); a little filler.
  reply_swarm      ~6 accounts reply to the posts of 2-3 journalists (organic accounts with many
                   organic replies) with p~0.9 within minutes, varied short hostile texts.
  hashtag_push     ~80 accounts created in the 14 days before the dump; 3-4 scheduled waves a
                   day (20-45 min bursts, jittered) of original posts with 2-3 of 4 campaign
                   hashtags and varied slogan text; ordinary filler besides.
  copypasta        ~25 accounts (mixed ages) post ~3 distinct messages a day each within hours,
                   every copy evaded (homoglyphs, zero-width chars, emoji padding, case, spacing).
  paraphrase       ~20 accounts post ~2 talking points a day, each reworded from synonym sets
                   and sentence frames, within the same ~3 hours.
  slow_drip_links  ~15 accounts share ~1.5 articles a day of their own domain, each over
                   0.3-12 h, URL variants with utm_*/ref/s/fbclid parameters, /amp, varied text.
  fake_locals      ~12 accounts with US locations posting on Moscow or Manila weekday office
                   hours (their filler too); push a shared pool of links/hashtags/texts and
                   repost each other.

Organic population (hard negatives, label organic):
  ordinary users   heavy-tailed rates (log-normal, lurkers to power users), 1-2 topics, session
                   bursts, diurnal cycle in their own timezone (11 regions, chronotype shift),
                   topic hashtags, links to popular domains (some with utm/si/s parameters),
                   creation over ~17 years (6% in the last 60 days: role new_user), iPhone/
                   Android/Web clients (2% TweetDeck), follow graph with reposts/replies/quotes
                   from followers (log-normal delays, seconds to days, night suppression).
  expat/night_shift  US locations with foreign/nocturnal schedules; social_manager: scheduled
                   posting on :00/:30 from Buffer/Hootsuite/TweetDeck.
  celebrities      2-3, each with 0.15*organic (<=900) fans: per-fan participation 5-60%,
                   per-fan log-normal delay (median 1 min-3 h; 5% fast fans at 15-60 s).
  journalists      4, TweetDeck/Web, ~8 posts/day, ~5 organic replies each plus reply_guys.
  news outlets     8, ~12 articles/day; share_button crowds post "Title via @outlet <url>" over
                   hours (crowd ~ log-normal, scaled by population).
  breaking news    ~1 event per 3 days: 8-20% of accounts post within the hour with the event
                   hashtags and similar words, or repost the outlets' first reports.
  trending tags    day-of-week tags and special-day tags used by 4-15% of accounts that day;
                   sports_fan game-night bursts with a team hashtag.
  viral posts      ~1 per 3 days reposted by 15-40% of accounts (<=3000), mostly within the hour.
  giveaways        a brand's giveaway gets identical reply texts + reposts from 4-8% of accounts.
  service bots     hourly weather/traffic bots with templated text.
"""

# ruff: noqa: E501, E702, E731, B905  (dense vocabulary tables and one-line helpers, kept on purpose)
# fmt: off
from __future__ import annotations

import argparse
import math
import random
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

START = int(datetime(2024, 3, 4, tzinfo=UTC).timestamp())
DAY, HOUR = 86400, 3600
TW_EPOCH_MS = 1288834974657
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
HOUR_W = np.array([1.0, .6, .35, .2, .15, .2, .45, .8, 1.0, 1.0, 1.0, 1.1,
                   1.3, 1.2, 1.1, 1.1, 1.2, 1.3, 1.5, 1.7, 1.9, 2.0, 1.8, 1.4])
HOUR_P = HOUR_W / HOUR_W.sum()
OFFICE_P = np.array([0] * 9 + [1, 1.2, 1.2, .6, 1.1, 1.2, 1.1, 1, .8] + [0] * 6) / 9.2  # 9:00-18:00 with a lunch dip
CLIENTS = ["Twitter for iPhone", "Twitter for Android", "Twitter Web App", "Twitter for iPad",
           "TweetDeck", "SocialFlow", "Hootsuite Inc.", "Buffer", "IFTTT", "Sprout Social"]
C = {c: i for i, c in enumerate(CLIENTS)}
S = lambda s: s.split("|")  # noqa: E731  compact phrase lists


def slug(s):
    return "-".join("".join(ch for ch in s.lower() if ch.isalnum() or ch == " ").split())


# region: (utc offset, weight, language weights, cities)
REGIONS = {
    "us_e": (-5, .30, {"en": 1}, S("New York, NY|Atlanta, GA|Boston, MA|Philadelphia, PA|Miami, FL|Columbus, OH|Charlotte, NC|Detroit, MI|Pittsburgh, PA|Washington, DC|Florida|NYC")),
    "us_c": (-6, .15, {"en": 1}, S("Chicago, IL|Austin, TX|Houston, TX|Dallas, TX|Nashville, TN|Minneapolis, MN|New Orleans, LA|Kansas City, MO|Texas|Milwaukee, WI")),
    "us_m": (-7, .05, {"en": 1}, S("Denver, CO|Phoenix, AZ|Salt Lake City, UT|Boise, ID|Colorado")),
    "us_p": (-8, .15, {"en": 1}, S("Los Angeles, CA|Seattle, WA|San Francisco, CA|Portland, OR|San Diego, CA|Las Vegas, NV|California|Bay Area")),
    "uk": (0, .08, {"en": 1}, S("London, England|Manchester, England|Dublin, Ireland|Glasgow, Scotland|UK")),
    "eu": (1, .06, {"en": .6, "es": .4}, S("Berlin, Germany|Paris, France|Madrid, Spain|Amsterdam, The Netherlands|Lagos, Nigeria")),
    "in": (5.5, .04, {"en": 1}, S("Mumbai, India|Bengaluru, India|New Delhi, India")),
    "ph": (8, .03, {"en": 1}, S("Manila, Philippines|Singapore|Quezon City")),
    "au": (10, .03, {"en": 1}, S("Sydney, Australia|Melbourne, Australia|Brisbane")),
    "br": (-3, .05, {"pt": .75, "en": .25}, S("São Paulo, Brazil|Rio de Janeiro|Buenos Aires, Argentina")),
    "mx": (-6, .06, {"es": .8, "en": .2}, S("Mexico City, Mexico|Guadalajara, Jalisco|Monterrey")),
}
US = ["us_e", "us_c", "us_m", "us_p"]
FUN_LOC = S("earth|the internet|somewhere|in my head|she/her|🌎|wherever the coffee is|your mom's house|moon|404")

FIRST = ("james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph jessica "
         "thomas sarah chris karen daniel nancy matt lisa tony betty mark ashley paul emily steven kim andrew donna josh "
         "michelle kevin carol brian amanda george melissa tim deb jason steph ryan becca gary laura eric sharon jacob "
         "cindy nick kathy jon amy luis sofia diego maria ana carlos priya arjun wei mei tyler kayla").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson "
        "thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker "
        "young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell "
        "carter roberts patel kim chen").split()
NICKS = S("coffee|gamer|sunny|bookworm|runner|taco|pixel|mama|papa|jazz|retro|chill|vibes|hoops|lucky|moon|salty|cosmic|tired|sleepy|nerd|plant|mountain|ocean|vinyl|foodie|dog|cat|lofi|midnight")
FLAIR = S("she/her|he/him|🇺🇸|dad, runner, coffee|mom of 2|🌻|views my own|⚾️|🏳️‍🌈|🎮|Go Bucks|📚")

# topic: (subjects, hashtags, link domains)
TOPICS = {
    "politics": (S("the senate|the governor|city council|the new bill|the mayor|voter id|the tax plan|the debate|congress|the primary|campaign ads|the budget|the school board|the polls"), S("Politics|Election2024|SCOTUS|Senate|VoteBlue|CityCouncil"), S("politico.com|thehill.com|axios.com|nytimes.com|foxnews.com")),
    "sports": (S("the game|that trade|our defense|the refs|overtime|draft picks|the quarterback|march madness|the bullpen|spring training|the coach|my fantasy lineup|free throws"), S("NBA|NFL|MarchMadness|MLB|NHL|FantasyFootball"), S("espn.com|theathletic.com|bleacherreport.com|youtube.com")),
    "tech": (S("the new phone|this update|ai tools|my laptop|the beta|rust|python|my cloud bill|open source|the keynote|battery life|dark mode|the vr headset"), S("AI|tech|Python|OpenSource|100DaysOfCode|rustlang"), S("theverge.com|techcrunch.com|github.com|arstechnica.com")),
    "music": (S("the new album|that concert|this playlist|the tour|vinyl|the setlist|that bridge|the opener|my headphones|the festival lineup|the remix"), S("NowPlaying|NewMusic|Coachella|vinyl|KPOP"), S("open.spotify.com|pitchfork.com|youtube.com")),
    "gaming": (S("the patch|ranked|my squad|the boss fight|speedruns|the new season|loot drops|the dlc|my build|the servers|this map"), S("gaming|PS5|XboxShare|Twitch|NintendoSwitch"), S("twitch.tv|ign.com|youtube.com")),
    "food": (S("tacos|this ramen|sourdough|brunch|the new cafe|meal prep|hot sauce|pizza night|cold brew|grandma's recipe|the food truck"), S("foodie|brunch|TacoTuesday|baking|vegan"), S("allrecipes.com|instagram.com|yelp.com")),
    "movies": (S("the trailer|that finale|the sequel|season two|the director|the soundtrack|the plot twist|my oscar picks|the casting|this show"), S("Oscars|Netflix|MovieNight|Dune2|TVTime"), S("imdb.com|variety.com|youtube.com")),
    "finance": (S("the market|rates|my portfolio|rent|gas prices|bitcoin|earnings|the fed|grocery prices|my 401k|the housing market"), S("stocks|Bitcoin|crypto|investing|economy"), S("bloomberg.com|cnbc.com|wsj.com")),
    "pets": (S("my dog|the cat|our puppy|the vet|the dog park|this kitten|the new leash|bath time|the zoomies|adoption day"), S("dogsoftwitter|catsoftwitter|AdoptDontShop|pets"), S("instagram.com|petfinder.com|imgur.com")),
    "fitness": (S("leg day|my run|the gym|a 5k|protein shakes|yoga class|my knees|marathon training|rest day|the new shoes"), S("fitness|running|gym|yoga|MarathonTraining"), S("strava.com|runnersworld.com|instagram.com")),
}
TOPIC_NAMES = list(TOPICS)
NEWS = S("nytimes.com|cnn.com|foxnews.com|bbc.co.uk|reuters.com|apnews.com|washingtonpost.com|theguardian.com|npr.org|nbcnews.com|reddit.com|youtube.com")
OPEN = S("honestly|ok but|lol|can't believe|just saw that|not gonna lie|wow|so|hot take:|reminder:|ngl|finally|anyone else think|i swear|today|why is it that|PSA:|update:|idk man|yall")
PRED = S("is overrated|made my day|needs to stop|is actually good|was a mess|is everything|is back|hits different|is so underrated|was worth it|is wild|costs way too much|is trending for a reason|is not it|deserves better|is my whole personality now|was better than expected|keeps getting worse|ruined my morning|is a vibe|lives rent free in my head|is the only thing getting me through this week")
EXTRA = S("and i'm tired|for real|again|this week|right now|no cap|at 2am|with my friends|every single time|if you ask me|and nobody talks about it|tbh|lately|honestly|")
END = S("|||!|!!|...| 😂| 🙃| 🔥| 😭| 🙏| 👀|?| lmao| smh| 💀")
LANG_TXT = {"es": (S("la verdad|no puedo creer|jaja|hoy|ojalá|qué onda con|me encanta|neta|otra vez"), S("el partido|la música|mi perro|el trabajo|la comida|el gobierno|esta serie|el clima|mi equipo|el tráfico"), S("está increíble|me tiene harto|es lo mejor|no tiene sentido|me alegró el día|está carísimo|vale la pena|es un desastre")),
            "pt": (S("sério|não acredito|kkkk|hoje|que saudade de|amo|de novo|gente"), S("o jogo|a música|meu cachorro|o trabalho|a comida|o governo|essa série|o calor|meu time|o trânsito"), S("tá incrível|me irrita|é o melhor|não faz sentido|salvou meu dia|tá caro demais|vale a pena|é um desastre"))}
REPLIES = {"en": S("this!|so true|lol no|facts|exactly|wait what|source?|hard disagree|couldn't agree more|this is the one|😂😂|big if true|love this|same tbh|how is this real|congrats!!|thank you for saying this|not true at all|underrated take|I needed this today|nah|real|omg|this is why i follow you|lmaooo"),
           "es": S("jajaja|totalmente|qué|no manches|así es|x2|neta?|me muero"), "pt": S("kkkkk|verdade|sério?|isso|amei|nossa")}
FAN = S("QUEEN 👑|omg yes|love you!!|we stan|iconic|😍😍😍|can't wait!!|so proud of you|you deserve everything|the best 💜|slay|legend|this made my day|first!|ily|MOTHER|screaming|🔥🔥|need this now|best day ever")
QUOTES = S("lol this|this is so real|everyone needs to see this|well said|absolutely not|this thread|saving this|💀💀|no words|can we talk about this|called it|read this")
HEAD_V = S("approves|rejects|faces backlash over|unveils|delays|reports record|doubles down on|quietly changes|announces|responds to criticism of|defends|rethinks")
HEAD_Q = S("|, sources say|, report finds|: what we know| in surprise move| amid protests|, experts warn|, officials confirm| as deadline nears")
OUTLETS = [("MetroDailyNews", "Metro Daily News", "metrodaily.com", "politics"), ("CapitolWire", "Capitol Wire", "capitolwire.com", "politics"),
           ("TheTechPost", "The Tech Post", "techpost.io", "tech"), ("SportsDeskHQ", "Sports Desk", "sportsdesk.com", "sports"),
           ("GlobeReport", "Globe Report", "globereport.com", "politics"), ("CityLedger", "The City Ledger", "cityledger.com", "food"),
           ("MarketBeatNews", "Market Beat", "marketbeat.news", "finance"), ("NightlyScreen", "Nightly Screen", "nightlyscreen.com", "movies")]
EVENTS = [("earthquake", "Los Angeles", "LAEarthquake"), ("power outage", "Houston", "HoustonBlackout"), ("explosion", "Baltimore", "BaltimoreExplosion"),
          ("wildfire", "Sacramento", "SacramentoFire"), ("train derailment", "Ohio", "OhioDerailment"), ("tornado", "Oklahoma City", "OKCTornado")]
EV_T = S("whoa {e} in {p}??|praying for everyone in {p}|just felt the {e} omg, is everyone ok?|{e} reported in {p}, stay safe|my whole timeline is {p} right now|wow. {p}.|news says {e} near downtown {p}|hope everyone in {p} is safe 🙏|anyone know what's happening in {p}?|my cousin lives in {p}, trying to reach her|the {e} in {p} looks terrifying|stay safe {p} ❤️")
DAILY = ["MondayMotivation", "TuesdayThoughts", "WednesdayWisdom", "ThrowbackThursday", "FridayFeeling", "SaturdayVibes", "SundayFunday"]
SPECIAL = S("InternationalWomensDay|PiDay|SuperTuesday|StPatricksDay|Oscars|NationalPuppyDay|MarchMadness|WorldPoetryDay|NationalCerealDay")
TEAMS = S("GoBulls|DubNation|FlyEaglesFly|LetsGoRangers|RipCity")
# --- planted content ---
SWARM = (S("fake news again|wrong again|who paid you for this|delete this|typical|nobody believes you|do your job|shameful|propaganda|lol ok|embarrassing|try journalism|you should be ashamed|imagine being this biased|so much for facts|this aged badly|ratio|just stop"), S("|.|!|...| as usual| 🤡| 🙄| smh| 👎| #FakeNews|, sad| lol"))
PUSH_THEMES = [(S("StopBill42|KillTheBill|NoOnBill42|ProtectOurFarms"), S("Bill 42|this bill|the farm bill|Bill 42's land grab")),
               (S("SaveRiverValley|NoDam|RiverValleyRising|WaterIsLife"), S("the dam project|the river valley dam|the dam|the reservoir plan")),
               (S("BoycottMegaCorp|MegaCorpLies|TruthMatters|WakeUpAmerica"), S("MegaCorp|MegaCorp's cover-up|the MegaCorp scandal|MegaCorp's lies"))]
PUSH_P = S("we will not be silenced on {x}|enough is enough with {x}|call your rep today about {x}|spread the word about {x}|they think we won't notice {x}|stand with us against {x}|{x} affects every family|time to act on {x}|retweet if you oppose {x}|our voices matter, stop {x}|don't let them push {x} through|the people have spoken on {x}|say no to {x}|{x} is a disgrace|who benefits from {x}?")
CP = (S("BREAKING:|Nobody is reporting this but|Read this before it gets deleted:|I'm sharing this because it matters.|They don't want you to know that|Wake up people.|Think about this:"),
      S("the county|the state health board|MegaCorp|the election office|the city water authority|a federal agency|the school district"),
      S("has been secretly|was caught|quietly admitted to|is paying people for|covered up|lied about"),
      S("moving ballots at night|dumping chemicals in the river|tracking your phone|hiding the real numbers|deleting the records|buying up farmland"),
      S("My friend who works there confirmed it.|The documents are out there if you look.|Three whistleblowers said the same thing.|It's all in the public filings.|Check the dates yourself."),
      S("Share before it's taken down.|Copy and paste, don't just retweet.|Ask yourself why the media is silent.|Spread this everywhere.|Don't let this get buried."))
HOMO = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у", "A": "А", "E": "Е", "O": "О", "T": "Т"}
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
EMO = S("🔥|💯|🙏|👇|🇺🇸|‼️|😡|👀|✅|⚠️")
PARA_A = [S("the mayor|our mayor|city hall's boss|the mayor's office"), S("the school board|our school board|the district board|board members"),
          S("the governor|our governor|the governor's team|the state's top official"), S("the utility company|the power company|our electric provider|the grid operator"),
          S("the police chief|the chief of police|city police leadership|the department's chief"), S("the health department|county health officials|the public health office|health bureaucrats"),
          S("the transit agency|the bus authority|city transit bosses|the metro board"), S("the election board|county election officials|the elections office|the vote counters")]
PARA_B = [S("is hiding the audit|won't release the audit|keeps the audit secret|buried the audit report"), S("wasted millions on consultants|blew a fortune on consultants|threw millions at outside consultants|paid consultants millions for nothing"),
          S("raised fees without a vote|hiked fees behind closed doors|sneaked in fee increases|jacked up fees with no vote"), S("ignored thousands of complaints|brushed off thousands of complaints|never answered the complaints|tossed out the complaints"),
          S("broke its own rules|violated its own policy|ignored its own guidelines|broke the rules it wrote"), S("lied about the budget gap|misled everyone on the deficit|covered up the budget hole|fudged the budget numbers"),
          S("gave contracts to donors|handed contracts to its donors|rewarded donors with contracts|steered deals to donors"), S("cut services for families|slashed family services|gutted services families rely on|took services away from families")]
PARA_F = S("{A} {B}. why is nobody talking about this?|so {A} {B}? unbelievable.|reminder that {A} {B}.|can't get over how {A} {B}|apparently {A} {B}. think about that.|{A} {B} and the local news is silent|let that sink in: {A} {B}.|fact: {A} {B}.|wild that {A} {B} and nobody cares|if you missed it, {A} {B}")
DRIP_DOM = S("thetruthledger.com|heartlandherald.net|freedombeacon.org|dailypatriotwire.com")
DRIP_T = S("{h}|Must read: {h}|{h} 👇|This is huge. {h}|Finally someone said it|Worth your time|Read this before it's gone|{h} — share widely|Everyone should see this|{h}!!")
LOCAL_TAGS = S("OhioFirst|TexasStrong|HeartlandVoices|MainStreetMatters|RealAmericans|MidwestPride")
LOCAL_TXT = S("Washington forgot about towns like ours|Gas prices are crushing working families here|Our schools deserve better than this|Nobody in DC listens to the heartland|Proud of my town, tired of the politicians|Small businesses here are closing one by one|They spend billions abroad while our roads crumble|Time for leaders who actually live here")


class Sim:
    def __init__(self, seed: int, accounts: int, days: int):
        self.rng, self.r = np.random.default_rng(seed), random.Random(seed)
        self.D, self.END = days, START + days * DAY
        self.A = {k: [] for k in ("handle", "name", "loc", "tz", "shift", "created", "followers", "c1", "c2",
                                  "lang", "role", "camp", "topic", "topic2", "rate", "tag_p", "link_p")}
        self.seen: dict[str, int] = {}
        self.P = {k: [] for k in ("acc", "t", "text", "kind", "ref", "urls", "tags", "ments", "client", "lang")}
        self.n_total = accounts

    # ---------- helpers ----------
    def size(self, base):
        return max(2, int(round(base * self.rng.uniform(0.85, 1.15))))

    def tco(self):
        return "https://t.co/" + "".join(self.r.choices(ALNUM, k=10))

    def handle(self, recent):
        r = self.r
        f, ln = r.choice(FIRST), r.choice(LAST)
        u = r.random()
        if u < (0.45 if recent else 0.07):
            h = (f.capitalize() + ln.capitalize()[:r.randint(0, 4)])[:7] + str(r.randint(10 ** 7, 10 ** 8 - 1))
        else:
            h = r.choice([f + ln, f + "_" + ln, f"{f}{ln[0]}{r.randint(1, 99)}", r.choice(NICKS) + f, f"{r.choice(NICKS)}_{r.randint(1, 999)}",
                          "the" + f + ln[0], f"{f}{ln}{r.randint(70, 99)}", f"{f.capitalize()}{ln.capitalize()}", f"{f}_{r.choice(NICKS)}"])[:15]
        while h.lower() in self.seen:
            h = h[:13] + str(r.randint(0, 99))
        self.seen[h.lower()] = 1
        name = r.choice([f"{f.capitalize()} {ln.capitalize()}", f.capitalize(), f"{f.capitalize()} {ln[0].upper()}.",
                         f"{f.capitalize()} {r.choice(FLAIR)}", f"{r.choice(NICKS).capitalize()} {f.capitalize()}", f"{f} {ln}",
                         f"{f.capitalize()} {ln.capitalize()} | {r.choice(FLAIR)}"])
        return h, name

    def new(self, role, camp="organic", region=None, created=None, followers=None, c1=None, c2=None, lang=None,
            loc=None, tz=None, shift=0.0, topic=None, rate=1.0, tag_p=0.15, link_p=0.1, handle=None, name=None):
        rng, r, A = self.rng, self.r, self.A
        if region is None:
            region = r.choices(list(REGIONS), [v[1] for v in REGIONS.values()])[0]
        off, _, langs, cities = REGIONS[region]
        if created is None:
            age = rng.uniform(1, 60) if rng.random() < 0.06 else 60 + rng.gamma(2.0, 900)
            age = age if age < 6200 else rng.uniform(2500, 6200)
            created = START - int(age * DAY)
        recent = START - created < 365 * DAY
        if handle is None:
            handle, name = self.handle(recent)
        self.seen[handle.lower()] = 1
        if followers is None:
            followers = int(rng.lognormal(math.log(150), 1.5) * min(1.0, (START - created) / (365 * DAY)) ** 0.5)
        if loc is None:
            u = r.random()
            loc = "" if u < 0.33 else r.choice(FUN_LOC) if u < 0.42 else r.choice(cities)
        if c1 is None:
            c1, c2 = rng.choice(5, 2, replace=False, p=[.45, .31, .19, .03, .02])
        A["handle"].append(handle); A["name"].append(name); A["loc"].append(loc)
        A["tz"].append(off if tz is None else tz); A["shift"].append(shift); A["created"].append(created)
        A["followers"].append(followers); A["c1"].append(int(c1)); A["c2"].append(int(c1 if c2 is None else c2))
        A["lang"].append(lang or r.choices(list(langs), list(langs.values()))[0]); A["role"].append(role); A["camp"].append(camp)
        t1 = topic or r.choice(TOPIC_NAMES)
        A["topic"].append(t1); A["topic2"].append(r.choice(TOPIC_NAMES))
        A["rate"].append(rate); A["tag_p"].append(tag_p); A["link_p"].append(link_p)
        return len(A["handle"]) - 1

    def freeze(self):
        self.N = len(self.A["handle"])
        for k in ("tz", "shift", "created", "followers", "c1", "c2", "rate", "tag_p", "link_p"):
            setattr(self, k, np.array(self.A[k]))
        self.role = self.A["role"]; self.hd = self.A["handle"]; self.lang = self.A["lang"]

    def diurnal(self, accs, day=None, hour_p=HOUR_P):
        """UTC times for accounts `accs` following each one's diurnal cycle (on `day` if given)."""
        m = len(accs)
        d = self.rng.integers(0, self.D, m) if day is None else np.full(m, day)
        local = d * DAY + self.rng.choice(24, m, p=hour_p) * HOUR + self.rng.integers(0, HOUR, m)
        rel = local + ((self.shift[accs] - self.tz[accs]) * HOUR).astype(np.int64)
        return START + (rel % (self.D * DAY) if day is None else rel)

    def night_push(self, accs, t):
        """Move reactions that would land in the reactor's small hours (prob .75) to the morning."""
        h = ((t + ((self.tz[accs] - self.shift[accs]) * HOUR).astype(np.int64)) // HOUR) % 24
        m = (h >= 1) & (h <= 6) & (self.rng.random(len(t)) < 0.75)
        return t + np.where(m, (7 - h) * HOUR + self.rng.integers(0, 2 * HOUR, len(t)), 0)

    def add(self, a, t, text, kind=0, ref=-1, urls=(), tags=(), ments=(), client=-1, lang=None):
        P = self.P
        P["acc"].append(a); P["t"].append(int(t)); P["text"].append(text); P["kind"].append(kind); P["ref"].append(ref)
        P["urls"].append(list(urls)); P["tags"].append(list(tags)); P["ments"].append(list(ments))
        P["client"].append(client); P["lang"].append(lang or self.lang[a])
        return len(P["acc"]) - 1

    def post(self, a, t, body, tags=(), urls=(), ments=(), client=-1, lang=None):
        parts = [body] + ["@" + m for m in ments] + ["#" + h for h in tags] + [self.tco() for _ in urls]
        return self.add(a, t, " ".join(p for p in parts if p), 0, -1, urls, tags, ments, client, lang)

    def rt(self, a, t, j, client=-1):
        P = self.P
        h = self.hd[P["acc"][j]]
        return self.add(a, t, f"RT @{h}: {P['text'][j]}", 1, j, P["urls"][j], P["tags"][j],
                        [h] + [m for m in P["ments"][j] if m != h], client, P["lang"][j])

    def reply(self, a, t, j, body, tags=(), client=-1):
        h = self.hd[self.P["acc"][j]]
        return self.add(a, t, f"@{h} {body}" + "".join(" #" + x for x in tags), 2, j, (), tags, [h], client)

    def quote(self, a, t, j, body):
        return self.add(a, t, body, 3, j)

    def text(self, a, topic=None):
        r, lg = self.r, self.lang[a]
        if lg in LANG_TXT:
            o, s, p = LANG_TXT[lg]
            return f"{r.choice(o)} {r.choice(s)} {r.choice(p)}{r.choice(END)}"
        subj = TOPICS[topic or (self.A["topic"][a] if r.random() < 0.7 else self.A["topic2"][a])][0]
        s = f"{r.choice(OPEN)} {r.choice(subj)} {r.choice(PRED)} {r.choice(EXTRA)}".strip()
        if r.random() < 0.3:
            s += f", {r.choice(subj)} {r.choice(PRED)}"
        return s + r.choice(END)

    def reply_text(self, a):
        lg = self.lang[a]
        s = self.r.choice(REPLIES.get(lg, REPLIES["en"]))
        return s + (" " + self.r.choice(EXTRA) if self.r.random() < 0.3 else "")

    def react(self, accs, targets, times, kinds, fan=False):
        for a, j, t, k in zip(accs.tolist(), targets.tolist(), times.tolist(), kinds.tolist()):
            if k == 1:
                self.rt(a, t, j)
            elif k == 2:
                self.reply(a, t, j, self.r.choice(FAN) if fan else self.reply_text(a))
            else:
                self.quote(a, t, j, self.r.choice(QUOTES) + (" " + self.r.choice(EXTRA) if self.r.random() < .4 else "") + self.r.choice(END))

    def originals(self, accs, topic=None, sched=False, client=-1, hour_p=HOUR_P):
        """Own posts: Poisson(rate*D) per account, grouped into sessions at diurnal times."""
        rng, r = self.rng, self.r
        accs = np.asarray(accs)
        n = np.maximum(1, rng.poisson(self.rate[accs] * self.D))
        k = np.maximum(1, np.ceil(n / rng.uniform(1.2, 3.5, len(accs)))).astype(int)
        st = self.diurnal(np.repeat(accs, k), hour_p=hour_p)
        owner = np.repeat(np.arange(len(accs)), n)
        sess = (np.cumsum(k) - k)[owner] + (rng.random(n.sum()) * k[owner]).astype(int)
        t = st[sess] + rng.gamma(1.0, 500, n.sum()).astype(np.int64)
        if sched:
            t = (t // 1800) * 1800 + rng.integers(0, 3, len(t))
        out = []
        for a, ti in zip(accs[owner].tolist(), t.tolist()):
            tp = topic or (self.A["topic"][a] if r.random() < 0.7 else self.A["topic2"][a])
            tags = r.sample(TOPICS[tp][1], 1 + (r.random() < 0.2)) if r.random() < self.tag_p[a] else ()
            urls = ()
            if r.random() < self.link_p[a]:
                dom = r.choice(TOPICS[tp][2] + NEWS)
                u = f"https://{dom}/{slug(' '.join(r.sample(TOPICS[tp][0], 2)))}-{r.randint(100, 99999)}"
                u += r.choice(["", "", "", "?utm_source=twitter", "?s=20", "?si=" + "".join(r.choices(ALNUM, k=8)), "?utm_source=ios&utm_medium=share"])
                urls = (u,)
            out.append(self.post(a, ti, self.text(a, tp), tags, urls, client=client))
        return out

    # ---------- population ----------
    def setup(self):
        rng, r = self.rng, self.r
        planned = {k: self.size(v) for k, v in dict(farm=50, swarm=6, push=80, cp=25, para=20, drip=15, local=12).items()}
        n_org = self.n_total - sum(planned.values())
        if n_org < 150:
            raise ValueError(f"need at least {sum(planned.values()) + 150} accounts for this seed")
        self.scale = n_org / 2000
        self.celebs = [self.new(f"celebrity_{x}", followers=int(rng.uniform(3e6, 6e7)), c1=0, c2=0, rate=3.0, tag_p=.3, link_p=.15,
                                topic=t, region="us_p", created=START - int(rng.uniform(10, 14) * 365 * DAY), loc="Los Angeles, CA")
                       for x, t in zip("ABC", ["music", "movies", "sports"])][: 2 + (rng.random() < 0.5)]
        self.journalists = [self.new("journalist", c1=r.choice([4, 2]), c2=0, followers=int(rng.uniform(2e4, 3e5)), rate=rng.uniform(6, 10),
                                     topic="politics", region="us_e", link_p=.5, tag_p=.1) for _ in range(4)]
        self.outlets = [self.new("news_outlet", handle=h, name=nm, followers=int(rng.uniform(2e5, 5e6)), c1=r.choice([5, 4, 6]), c2=2,
                                 topic=tp, region="us_e", loc="New York, NY", rate=0, created=START - int(rng.uniform(8, 15) * 365 * DAY))
                        for h, nm, _, tp in OUTLETS]
        self.brand = self.new("brand", handle="SnackCoUSA", name="SnackCo 🍿", followers=400000, c1=9, c2=2, rate=0.5, topic="food", region="us_c")
        self.bots = [self.new("service_bot", handle=h, name=nm, followers=int(rng.uniform(800, 9000)), c1=8, c2=8, rate=0, region="us_c", loc=lc)
                     for h, nm, lc in [("AustinWxBot", "Austin Weather Bot", "Austin, TX"), ("I95TrafficAlerts", "I-95 Traffic", "Philadelphia, PA")]]
        special = len(self.celebs) + 4 + len(OUTLETS) + 3
        self.generic = []
        for _ in range(n_org - special):
            u = rng.random()
            rate = float(np.clip(rng.lognormal(math.log(1.35), 1.0), 0.05, 80))
            kw = dict(rate=rate, tag_p=rng.beta(1.2, 6), link_p=rng.beta(1, 7))
            role = "lurker" if rate < 0.15 else "power_user" if rate > 12 else "ordinary"
            if u < 0.02:
                a = self.new("expat", loc=r.choice(REGIONS[r.choice(US)][3]), region=r.choice(["uk", "eu", "in", "ph", "au"]), **kw)
            elif u < 0.04:
                a = self.new("night_shift", shift=rng.uniform(8, 11), **kw)
            elif u < 0.05:
                c = r.choice([7, 6, 4])
                a = self.new("social_manager", c1=c, c2=c, **kw)
            else:
                a = self.new(role, **kw)
                if START - self.A["created"][a] < 60 * DAY:
                    self.A["role"][a] = "new_user"
                elif self.A["link_p"][a] > 0.35:
                    self.A["role"][a] = "news_reader"
            self.generic.append(a)
        self.ops = {}
        for op, n in planned.items():
            self.ops[op] = getattr(self, "setup_" + op)(n)

    def setup_farm(self, n):
        rng = self.rng
        prin = [self.new("farm_principal", "repost_farm", region=self.r.choice(US), followers=int(rng.lognormal(math.log(15000), .6)),
                         rate=rng.uniform(4, 7), topic="politics", tag_p=.5, link_p=.35, created=START - int(rng.uniform(1, 6) * 365 * DAY))
                for _ in range(self.r.randint(2, 4))]
        t0 = START - int(rng.uniform(30, 90) * DAY)
        win = rng.uniform(2, 5) * DAY
        mem = [self.new("farm_member", "repost_farm", region=self.r.choice(US), created=t0 + int(rng.uniform(0, win)),
                        followers=int(rng.lognormal(math.log(60), .8)), c1=4 if rng.random() < .85 else 2, c2=2, rate=rng.uniform(.3, 1.5))
               for _ in range(n - len(prin))]
        return dict(prin=prin, mem=mem)

    def setup_swarm(self, n):
        return dict(mem=[self.new("swarm_member", "reply_swarm", region=self.r.choice(US), rate=self.rng.uniform(.5, 2),
                                  created=START - int(self.rng.uniform(90, 270) * DAY), topic="politics") for _ in range(n)])

    def setup_push(self, n):
        rng = self.rng
        return dict(mem=[self.new("push_member", "hashtag_push", created=START - int(rng.uniform(0.5, 14) * DAY), followers=int(rng.lognormal(3, 1)),
                                  c1=self.r.choices([1, 0, 2], [.5, .2, .3])[0], c2=2, rate=rng.uniform(.5, 2.5), region=self.r.choice(US + ["uk"]))
                         for _ in range(n)])

    def setup_cp(self, n):
        rng = self.rng
        return dict(mem=[self.new("copypaster", "copypasta", region=self.r.choice(US), c1=2 if rng.random() < .6 else 1, c2=1, rate=rng.uniform(.3, 2),
                                  created=START - int((rng.uniform(2, 8) * 365 if rng.random() < .5 else rng.uniform(10, 120)) * DAY)) for _ in range(n)])

    def setup_para(self, n):
        return dict(mem=[self.new("paraphraser", "paraphrase", region=self.r.choice(US), rate=self.rng.uniform(.5, 3),
                                  created=START - int(self.rng.uniform(180, 1500) * DAY)) for _ in range(n)])

    def setup_drip(self, n):
        return dict(mem=[self.new("link_dripper", "slow_drip_links", region=self.r.choice(US), c1=2 if self.rng.random() < .7 else 0, c2=0,
                                  rate=self.rng.uniform(.3, 1.5), created=START - int(self.rng.uniform(365, 1100) * DAY)) for _ in range(n)])

    def setup_local(self, n):
        rng, r = self.rng, self.r
        self.local_tz = r.choice([3, 8])
        t0 = START - int(rng.uniform(180, 540) * DAY)
        return dict(mem=[self.new("fake_local", "fake_locals", region=r.choice(US), loc=r.choice(REGIONS[r.choice(US)][3][:8]), tz=self.local_tz,
                                  lang="en", c1=2 if rng.random() < .8 else 1, c2=2, rate=rng.uniform(.3, 1.2), created=t0 + int(rng.uniform(0, 30 * DAY))) for _ in range(n)])

    # ---------- organic content ----------
    def organic_content(self):
        rng, r = self.rng, self.r
        sm = [a for a in self.generic if self.role[a] == "social_manager"]
        self.originals([a for a in self.generic if self.role[a] != "social_manager"])
        self.originals(sm, sched=True)
        self.originals(self.journalists)
        self.originals([self.brand])
        planted = [a for op in self.ops.values() for k in op.values() for a in k if self.role[a] != "fake_local"]
        self.originals(planted)  # principals' agenda posts and everyone's filler
        self.originals(self.ops["local"]["mem"], hour_p=OFFICE_P)  # fake locals' filler, office hours abroad
        for b in self.bots:  # hourly templated bot posts
            for hh in range(self.D * 24):
                t = START + hh * HOUR + int(rng.integers(60, 240))
                txt = (f"Current weather in Austin: {rng.integers(45, 88)}°F, {r.choice(S('Clear|Cloudy|Partly Cloudy|Light Rain|Windy'))}. Humidity {rng.integers(20, 95)}%"
                       if b == self.bots[0] else f"Traffic alert: {r.choice(S('crash|disabled vehicle|lane closure|debris'))} on I-95 {r.choice(S('NB|SB'))} near exit {rng.integers(1, 60)}. Expect delays.")
                if b == self.bots[0] or rng.random() < 0.4:
                    self.post(b, t, txt)
        self.celeb_posts = {c: self.originals([c]) for c in self.celebs}
        self.articles = []  # (post idx, outlet, title, url)
        for o, (_, _, dom, tp) in zip(self.outlets, OUTLETS):
            subj = TOPICS[tp][0]
            for t in np.sort(self.diurnal(np.full(int(rng.poisson(12 * self.D)), o))).tolist():
                title = f"{r.choice(subj).capitalize()} {r.choice(HEAD_V)} {r.choice(subj)}{r.choice(HEAD_Q)}"
                url = f"https://{dom}/{datetime.fromtimestamp(t, UTC):%Y/%m/%d}/{slug(title)}"
                self.articles.append((self.post(o, t, title, urls=[url]), o, title, url))

    def share_buttons(self):
        rng = self.rng
        g = np.array(self.generic)
        w = rng.lognormal(0, 1.5, len(g))
        for a in g[np.argsort(-w)[: len(g) // 20]]:
            if self.role[a] in ("ordinary", "news_reader"):
                self.A["role"][a] = "share_button"
        topics = np.array([self.A["topic"][a] for a in g])
        suffix = {o: self.r.choice(["", "?utm_source=twitter&utm_medium=social", "?utm_source=twitter&utm_medium=share&utm_campaign=sharebutton", "?ref=tw"]) for o in self.outlets}
        for j, o, title, url in self.articles:
            ww = w * np.where(topics == self.A["topic"][o], 3.0, 1.0)
            k = min(len(g) // 3, rng.poisson(rng.lognormal(math.log(4), 1.1) * self.scale))
            if k == 0:
                continue
            who = rng.choice(g, k, replace=False, p=ww / ww.sum())
            t = self.night_push(who, self.P["t"][j] + rng.lognormal(math.log(5400), 1.0, k).astype(np.int64) + 20)
            for a, ti in zip(who.tolist(), t.tolist()):
                u = url + suffix[o] if rng.random() < 0.8 else url
                self.post(a, ti, f"{title} via @{self.hd[o]}", urls=[u], client=2 if rng.random() < .6 else -1)

    def fans(self):
        rng = self.rng
        g = np.array(self.generic)
        for x, c in enumerate(self.celebs):
            n = min(900, int(0.15 * len(g)))
            fans = rng.choice(g, n, replace=False)
            fast = rng.random(n) < 0.05
            part = np.where(fast, rng.uniform(.2, .6, n), 0.05 + 0.55 * rng.beta(1.2, 2.5, n))
            med = np.where(fast, rng.uniform(15, 60, n), np.clip(rng.lognormal(math.log(900), 1.5, n), 60, 3 * HOUR))
            sig = np.where(fast, rng.uniform(.3, .6, n), rng.uniform(.8, 1.4, n))
            kp = rng.dirichlet([7, 2.2, .8], n)
            posts = np.array(self.celeb_posts[c])
            hit = rng.random((len(posts), n)) < part[None, :]
            pi, fi = np.nonzero(hit)
            t = np.array(self.P["t"])[posts[pi]] + np.maximum(3, rng.lognormal(np.log(med[fi]), sig[fi])).astype(np.int64)
            t = np.where(fast[fi], t, self.night_push(fans[fi], t))
            u = rng.random(len(fi))
            kinds = np.where(u < kp[fi, 0], 1, np.where(u < kp[fi, 0] + kp[fi, 1], 2, 3))
            self.react(fans[fi], posts[pi], t, kinds, fan=True)
            for a in fans.tolist():
                if self.role[a] in ("ordinary", "news_reader", "power_user"):
                    self.A["role"][a] = f"fan_of_celeb{'ABC'[x]}"

    def journalist_replies(self):
        rng = self.rng
        g = np.array(self.generic)
        jp = np.array([j for j in range(len(self.P["acc"])) if self.P["kind"][j] == 0 and self.P["acc"][j] in self.journalists])
        acc = np.array(self.P["acc"])[jp]; tt = np.array(self.P["t"])[jp]
        n = rng.poisson(5, len(jp))
        who = rng.choice(g, n.sum()); tgt = np.repeat(jp, n)
        t = self.night_push(who, np.repeat(tt, n) + rng.lognormal(math.log(1500), 1.3, n.sum()).astype(np.int64))
        self.react(who, tgt, t, np.full(len(who), 2))
        for jr in self.journalists:  # reply guys: regulars replying to one journalist a lot
            guys = rng.choice(g, 3, replace=False)
            for a in guys.tolist():
                if self.role[a] == "ordinary":
                    self.A["role"][a] = "reply_guy"
                mine = jp[(acc == jr) & (rng.random(len(jp)) < rng.uniform(.2, .4))]
                dt = rng.lognormal(math.log(rng.uniform(300, 2400)), 1.0, len(mine)).astype(np.int64)
                self.react(np.full(len(mine), a), mine, np.array(self.P["t"])[mine] + dt, np.full(len(mine), 2))

    def graph_engagement(self):
        """Followers repost/reply/quote the original posts of accounts they follow."""
        rng, N = self.rng, self.N
        g = np.array(self.generic)
        w = np.sqrt(self.followers + 1.0)
        w[self.celebs + self.bots] = 0
        topic = np.array(self.A["topic"])
        cdf_all = np.cumsum(w) / w.sum()
        cdf_t = {tp: np.cumsum(w * (topic == tp)) / (w * (topic == tp)).sum() for tp in TOPIC_NAMES}
        deg = np.clip(rng.lognormal(math.log(35 * self.scale ** 0.2), .8, len(g)), 3, 400).astype(int)  # bigger dump: more followees inside
        src, dst = [], []
        for a, d in zip(g.tolist(), deg.tolist()):
            k1 = int(d * 0.6)
            dst.append(np.searchsorted(cdf_t[self.A["topic"][a]], rng.random(k1)))
            dst.append(np.searchsorted(cdf_all, rng.random(d - k1)))
            src.append(np.full(d, a))
        key = np.unique(np.concatenate(src) * N + np.minimum(np.concatenate(dst), N - 1))
        src, dst = key // N, key % N
        keep = src != dst
        src, dst = src[keep], dst[keep]
        order = np.argsort(dst, kind="stable")
        src, dst = src[order], dst[order]
        lo = np.searchsorted(dst, np.arange(N)); hi = np.searchsorted(dst, np.arange(N), side="right")
        eng = rng.lognormal(math.log(0.0028), 1.0, N)
        kp = rng.dirichlet([5, 3, 1], N)
        kind = np.array(self.P["kind"]); pacc = np.array(self.P["acc"]); pt = np.array(self.P["t"])
        orig = np.nonzero(kind == 0)[0]
        q = rng.lognormal(0, 1.1, len(pacc))
        by = np.argsort(pacc[orig], kind="stable"); orig = orig[by]
        bounds = np.searchsorted(pacc[orig], np.arange(N + 1))
        R, T = [], []
        for a in range(N):
            posts = orig[bounds[a]:bounds[a + 1]]
            if len(posts) == 0 or hi[a] == lo[a]:
                continue
            aud = src[lo[a]:hi[a]]
            pi, fi = np.nonzero(rng.random((len(posts), len(aud))) < np.minimum(0.5, q[posts][:, None] * eng[aud][None, :]))
            R.append(aud[fi]); T.append(posts[pi])
        R, T = np.concatenate(R), np.concatenate(T)
        t = self.night_push(R, pt[T] + np.maximum(5, rng.lognormal(math.log(1500), 1.6, len(R))).astype(np.int64))
        u = rng.random(len(R))
        kinds = np.where(u < kp[R, 0], 1, np.where(u < kp[R, 0] + kp[R, 1], 2, 3))
        self.react(R, T, t, kinds)

    def events(self):
        rng, r = self.rng, self.r
        g = np.array(self.generic)
        evs = r.sample(EVENTS, len(EVENTS))
        for e in range(max(2, round(self.D / 3))):
            et, place, tag = evs[e % len(evs)]
            T0 = START + int(rng.integers(0, self.D)) * DAY + int(rng.uniform(13, 26) * HOUR)
            reports = [self.post(o, T0 + int(rng.uniform(120, 900)), f"BREAKING: {et} reported in {place}. Details to follow.", [tag],
                                 [f"https://{OUTLETS[x][2]}/live/{tag.lower()}"]) for x, o in enumerate(self.outlets[:3])]
            k = int(len(g) * rng.uniform(.08, .2))
            who = rng.choice(g, k, replace=False)
            dt = np.where(rng.random(k) < .8, rng.exponential(900, k), rng.lognormal(math.log(5400), .8, k)).astype(np.int64) + 60
            for a, t in zip(who.tolist(), (T0 + dt).tolist()):
                u = r.random()
                if u < 0.25:
                    j = r.choice(reports)
                    self.rt(a, max(t, self.P["t"][j] + 5), j)
                else:
                    tags = [tag] + (["BreakingNews"] if r.random() < .3 else [])
                    self.post(a, t, r.choice(EV_T).format(e=et, p=place), tags if u < 0.85 else ())

    def trends(self):
        rng, r = self.rng, self.r
        g = np.array(self.generic)
        for d in range(self.D):
            tags = [(DAILY[d % 7], rng.uniform(.04, .1))] + ([(r.choice(SPECIAL), rng.uniform(.05, .15))] if r.random() < .5 else [])
            for tag, frac in tags:
                who = rng.choice(g, int(len(g) * frac), replace=False)
                for a, t in zip(who.tolist(), self.diurnal(who, day=d).tolist()):
                    self.post(a, t, self.text(a), [tag])
        sports = g[np.array([self.A["topic"][a] == "sports" for a in g])]
        for a in sports.tolist():
            if self.role[a] == "ordinary":
                self.A["role"][a] = "sports_fan"
        team = r.choice(TEAMS)
        for d in range(1, self.D, 3):  # game nights 7:30-10pm US Eastern
            t0 = START + d * DAY + int(24.5 * HOUR)
            who = sports[rng.random(len(sports)) < 0.4]
            for a in who.tolist():
                for t in (t0 + rng.integers(0, int(2.5 * HOUR), r.randint(1, 4))).tolist():
                    self.post(a, t, self.text(a, "sports"), [team] + (["NBA"] if r.random() < .3 else []))

    def viral(self):
        rng = self.rng
        g = np.array(self.generic)
        f = self.followers[g].astype(float)
        for _ in range(max(2, round(self.D / 3))):
            a = int(rng.choice(g, p=f / f.sum()))
            j = self.post(a, int(self.diurnal(np.array([a]))[0]), self.text(a))
            k = min(3000, int(len(g) * rng.uniform(.15, .4)))
            who = rng.choice(g[g != a], k, replace=False)
            dt = np.where(rng.random(k) < .9, rng.lognormal(math.log(900), .9, k), rng.lognormal(math.log(4 * HOUR), .7, k)).astype(np.int64) + 10
            u = rng.random(k)
            self.react(who, np.full(k, j), self.P["t"][j] + dt, np.where(u < .85, 1, np.where(u < .9, 2, 3)))

    def giveaways(self):
        rng, r = self.rng, self.r
        g = np.array(self.generic)
        for x in range(2):
            t0 = START + int((x * self.D / 2 + rng.uniform(0, max(self.D / 2 - 1, 0.25))) * DAY)
            j = self.post(self.brand, t0, "GIVEAWAY 🎁 RT + reply with #SnackCoGiveaway to win a year of snacks! Ends in 48h", ["SnackCoGiveaway"])
            who = rng.choice(g, int(len(g) * rng.uniform(.04, .08)), replace=False)
            for a in who.tolist():
                t = t0 + int(rng.lognormal(math.log(3 * HOUR), 1.0))
                self.rt(a, t, j)
                body = r.choice(S("I'd love to win!|Entered! 🤞|Pick me please!|Done! Good luck everyone|I want to win!"))
                if r.random() < .4:
                    body += " @" + self.hd[int(rng.choice(g))]
                self.reply(a, t + int(rng.integers(5, 120)), j, body, ["SnackCoGiveaway"])

    # ---------- planted operations ----------
    def posts_of(self, accs):
        s = set(accs)
        return [j for j in range(len(self.P["acc"])) if self.P["kind"][j] == 0 and self.P["acc"][j] in s]

    def run_farm(self):
        rng = self.rng
        op = self.ops["farm"]
        posts = np.array(self.posts_of(op["prin"]))
        pt = np.array(self.P["t"])[posts]
        for a in op["mem"]:
            p, med, sig = rng.uniform(.85, .98), rng.uniform(10, 120), rng.uniform(.3, .6)
            m = rng.random(len(posts)) < p
            dt = np.maximum(3, rng.lognormal(math.log(med), sig, m.sum())).astype(np.int64)
            self.react(np.full(m.sum(), a), posts[m], pt[m] + dt, np.ones(m.sum(), int))

    def run_swarm(self):
        rng, r = self.rng, self.r
        targets = r.sample(self.journalists, r.randint(2, 3))
        posts = np.array(self.posts_of(targets))
        pt = np.array(self.P["t"])[posts]
        for a in self.ops["swarm"]["mem"]:
            p, med = rng.uniform(.85, .97), rng.uniform(60, 300)
            for j, t in zip(posts.tolist(), pt.tolist()):
                if rng.random() < p:
                    self.reply(a, t + max(8, int(rng.lognormal(math.log(med), .5))), j, r.choice(SWARM[0]) + r.choice(SWARM[1]))

    def run_push(self):
        rng, r = self.rng, self.r
        tags, objs = PUSH_THEMES[r.randrange(3)]
        mem = self.ops["push"]["mem"]
        hours = np.sort(rng.choice(np.arange(0, 24, 0.5), r.randint(3, 4), replace=False))
        for d in range(self.D):
            for h in hours:
                w0 = START + d * DAY + int(h * HOUR + rng.normal(0, 900))
                dur = rng.uniform(20, 45) * 60
                for a in mem:
                    if rng.random() < 0.75:
                        for t in (w0 + rng.uniform(0, dur, r.randint(1, 3))).astype(np.int64).tolist():
                            s = r.choice(PUSH_P).format(x=r.choice(objs))
                            s = (s[0].upper() + s[1:] if r.random() < .6 else s) + r.choice(S("|!|!!|.| 👇| 🔥| ✊"))
                            self.post(a, t, s, r.sample(tags, r.randint(2, 3)))

    def evade(self, s):
        r = self.r
        for op in r.sample(range(5), r.randint(1, 3)):
            if op == 0:
                s = "".join(HOMO[ch] if ch in HOMO and r.random() < .2 else ch for ch in s)
            elif op == 1:
                ch = list(s)
                for _ in range(r.randint(2, 8)):
                    ch.insert(r.randrange(len(ch)), r.choice(ZW))
                s = "".join(ch)
            elif op == 2:
                pad = "".join(r.choices(EMO, k=r.randint(1, 3)))
                s = pad + " " + s if r.random() < .4 else s + " " + pad
            elif op == 3:
                s = r.choice([s.upper(), s.lower(), " ".join(w.upper() if r.random() < .2 else w for w in s.split(" "))])
            else:
                s = s.replace(". ", r.choice([".  ", "... ", "! ", ".\n"])).rstrip(".") + r.choice(["", "!!", " ."])
        return s

    def run_cp(self):
        rng, r = self.rng, self.r
        for _ in range(int(3 * self.D)):
            msg = f"{r.choice(CP[0])} {r.choice(CP[1])} {r.choice(CP[2])} {r.choice(CP[3])}. {r.choice(CP[4])} {r.choice(CP[5])}"
            t0 = START + int(rng.uniform(0, self.D * DAY))
            for a in self.ops["cp"]["mem"]:
                if rng.random() < 0.7:
                    self.post(a, t0 + int(min(rng.exponential(1.5 * HOUR), 6 * HOUR)), self.evade(msg))

    def run_para(self):
        rng, r = self.rng, self.r
        pairs = [(i, k) for i in range(len(PARA_A)) for k in range(len(PARA_B))]
        r.shuffle(pairs)
        for i, k in pairs[: 2 * self.D]:
            t0 = START + int(rng.integers(0, self.D)) * DAY + int(rng.uniform(13, 24) * HOUR)
            for a in self.ops["para"]["mem"]:
                if rng.random() < 0.75:
                    s = r.choice(PARA_F).format(A=r.choice(PARA_A[i]), B=r.choice(PARA_B[k]))
                    self.post(a, t0 + int(rng.uniform(0, 3 * HOUR)), s[0].upper() + s[1:] if r.random() < .7 else s)

    def run_drip(self):
        rng, r = self.rng, self.r
        doms = r.sample(DRIP_DOM, 2)
        for _ in range(int(1.5 * self.D)):
            h = f"{r.choice(CP[1]).capitalize()} {r.choice(HEAD_V)} {r.choice(TOPICS['politics'][0])}{r.choice(HEAD_Q)}"
            base = f"https://{r.choice(doms)}/news/{slug(h)}-{r.randint(1000, 9999)}"
            t0 = START + int(rng.uniform(0, self.D * DAY))
            for a in self.ops["drip"]["mem"]:
                if rng.random() < 0.6:
                    v = r.choice(["", "?utm_source=twitter", f"?utm_source=tw&utm_medium=social&utm_campaign=c{r.randint(1, 99)}", "?ref=share",
                                  f"?s={r.randint(10, 99)}", "/amp", f"?fbclid=IwAR{''.join(r.choices(ALNUM, k=12))}", "?utm_source=t.co&utm_content=" + self.hd[a]])
                    self.post(a, t0 + int(rng.uniform(0.3, 12) * HOUR), r.choice(DRIP_T).format(h=h), urls=[base + v])

    def run_local(self):
        rng, r = self.rng, self.r
        mem = self.ops["local"]["mem"]
        dom = r.choice(["midwestdailypost.com", "heartlandnow.net", "ourtownvoice.com"])
        own = []
        for d in range(self.D):
            weekday = (d % 7) < 5
            for _ in range(r.randint(4, 7) if weekday else r.randint(0, 2)):
                t0 = START + d * DAY + int((9 + rng.uniform(0, 6)) * HOUR) - self.local_tz * HOUR
                base = r.choice(LOCAL_TXT)
                url = f"https://{dom}/{r.randint(10000, 99999)}" if r.random() < .5 else None
                tags = r.sample(LOCAL_TAGS, r.randint(1, 2))
                for a in mem:
                    if rng.random() < 0.6:
                        txt = r.choice(["", "Must read: ", "So true. ", "👇 "]) + base + r.choice(["", ".", "!", " 🇺🇸"])
                        own.append(self.post(a, t0 + int(rng.uniform(0, 3 * HOUR)), txt, tags, [url] if url else ()))
        for j in own:  # members repost each other within the office day
            if rng.random() < 0.25:
                self.rt(r.choice(mem), self.P["t"][j] + int(rng.uniform(60, 3 * HOUR)), j)

    # ---------- output ----------
    def run(self):
        self.setup()
        self.freeze()
        self.organic_content()
        self.share_buttons(); self.fans(); self.journalist_replies(); self.events(); self.trends()
        self.viral(); self.giveaways()
        self.run_farm(); self.run_swarm(); self.run_push(); self.run_cp(); self.run_para(); self.run_drip(); self.run_local()
        self.graph_engagement()
        return self.frames()

    def frames(self):
        P, rng = self.P, self.rng
        t = np.array(P["t"], dtype=np.int64); ref = np.array(P["ref"], dtype=np.int64)
        ok = (t >= START) & (t < self.END)
        ok &= (ref < 0) | ok[np.maximum(ref, 0)]
        ok &= (ref < 0) | (t > t[np.maximum(ref, 0)])
        idx = np.nonzero(ok)[0]
        idx = idx[np.argsort(t[idx], kind="stable")]
        pos = np.full(len(t), -1); pos[idx] = np.arange(len(idx))
        ms = t[idx] * 1000 + rng.integers(0, 1000, len(idx)) - TW_EPOCH_MS
        ids = ((ms << 22) | (np.arange(len(idx)) & 0x3FFFFF)).astype(str)
        kind = np.array(P["kind"])[idx]
        rid = np.where(ref[idx] >= 0, ids[np.maximum(pos[np.maximum(ref[idx], 0)], 0)], None)
        acc = np.array(P["acc"])[idx]
        cl = np.array(P["client"])[idx]
        dflt = np.where(rng.random(len(idx)) < 0.12, self.c2[acc], self.c1[acc])
        cl = np.where(cl >= 0, cl, dflt)
        hd = np.array(self.hd, dtype=object)
        lst = lambda k: [P[k][i] for i in idx.tolist()]  # noqa: E731
        strlists = lambda v: pl.from_arrow(pa.array(v, type=pa.list_(pa.string())))  # noqa: E731  (fast list build)
        ts = lambda x: pl.Series(np.asarray(x, dtype=np.int64) * 1_000_000).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")  # noqa: E731
        posts = pl.DataFrame({
            "post_id": ids, "account_id": hd[acc].tolist(), "created_at": ts(t[idx]), "text": lst("text"), "platform": "twitter",
            "repost_of": pl.Series(np.where(kind == 1, rid, None).tolist(), dtype=pl.Utf8),
            "reply_to": pl.Series(np.where(kind == 2, rid, None).tolist(), dtype=pl.Utf8),
            "quote_of": pl.Series(np.where(kind == 3, rid, None).tolist(), dtype=pl.Utf8),
            "urls": strlists(lst("urls")), "hashtags": strlists(lst("tags")), "mentions": strlists(lst("ments")), "client": np.array(CLIENTS, dtype=object)[cl].tolist(),
            "lang": lst("lang"), "account_created_at": ts(self.created[acc]),
            "account_name": np.array(self.A["name"], dtype=object)[acc].tolist(), "account_location": np.array(self.A["loc"], dtype=object)[acc].tolist(),
            "followers": self.followers[acc].astype(np.int64)})
        seen = np.unique(acc)
        labels = pl.DataFrame({"account_id": hd[seen].tolist(), "campaign": np.array(self.A["camp"], dtype=object)[seen].tolist()})
        roles = pl.DataFrame({"account_id": hd[seen].tolist(), "role": np.array(self.A["role"], dtype=object)[seen].tolist()})
        return posts, labels, roles


def simulate(seed: int, accounts: int = 2200, days: int = 10):
    """(posts, labels, roles) polars frames."""
    return Sim(seed, accounts, days).run()


def generate(seed: int, accounts: int = 2200, days: int = 10) -> tuple[pl.DataFrame, pl.DataFrame]:
    posts, labels, _ = simulate(seed, accounts, days)
    return posts, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--accounts", type=int, default=2200)
    ap.add_argument("--days", type=int, default=10)
    a = ap.parse_args()
    t0 = time.time()
    posts, labels, roles = simulate(a.seed, a.accounts, a.days)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    posts.write_parquet(out / "posts.parquet")
    labels.write_csv(out / "labels.csv"); roles.write_csv(out / "roles.csv")
    counts = posts.join(labels, on="account_id").group_by("campaign").agg(pl.len().alias("posts"), pl.col("account_id").n_unique().alias("accounts")).sort("campaign")
    print(f"{posts.height} posts, {labels.height} accounts in {time.time() - t0:.1f}s -> {out}")
    print(counts)


if __name__ == "__main__":
    main()

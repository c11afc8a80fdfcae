"""Word lists, places, clients and names used by the simulator.

Everything here is static data; randomness lives in the other modules. Lists are written as
whitespace- or ``|``-separated strings to keep the file compact.
"""

from __future__ import annotations


def _w(s: str) -> list[str]:
    return s.split()


def _b(s: str) -> list[str]:
    return [p.strip() for p in s.split("|")]


# --- places: (location string, utc offset in hours, weight) -------------------------------------
PLACES: list[tuple[str, float, float]] = [
    ("New York, NY", -5, 6),
    ("Brooklyn, NY", -5, 2),
    ("NYC", -5, 2),
    ("Boston, MA", -5, 2),
    ("Atlanta, GA", -5, 2),
    ("Miami, FL", -5, 2),
    ("Washington, DC", -5, 2),
    ("Ohio, USA", -5, 1.5),
    ("Philadelphia, PA", -5, 1.5),
    ("Toronto, Ontario", -5, 2),
    ("Chicago, IL", -6, 4),
    ("Austin, TX", -6, 2),
    ("Houston, TX", -6, 2),
    ("Texas, USA", -6, 2),
    ("Dallas, TX", -6, 1.5),
    ("Mexico City", -6, 1.5),
    ("Denver, CO", -7, 1.5),
    ("Phoenix, AZ", -7, 1.5),
    ("Los Angeles, CA", -8, 4),
    ("San Francisco, CA", -8, 2),
    ("Seattle, WA", -8, 2),
    ("Portland, OR", -8, 1),
    ("Vancouver, BC", -8, 1),
    ("California, USA", -8, 2),
    ("São Paulo", -3, 2),
    ("Rio de Janeiro, Brasil", -3, 1),
    ("Buenos Aires", -3, 1),
    ("Bogotá, Colombia", -5, 1),
    ("London", 0, 5),
    ("London, England", 0, 3),
    ("Manchester, England", 0, 1.5),
    ("Dublin, Ireland", 0, 1.5),
    ("Glasgow, Scotland", 0, 1),
    ("Lisbon, Portugal", 0, 0.7),
    ("Berlin", 1, 2),
    ("Paris, France", 1, 2),
    ("Madrid", 1, 1.5),
    ("Amsterdam", 1, 1.2),
    ("Rome, Italy", 1, 1),
    ("Warsaw", 1, 0.8),
    ("Stockholm", 1, 0.6),
    ("Lagos", 1, 2),
    ("Lagos, Nigeria", 1, 1.5),
    ("Abuja, Nigeria", 1, 0.8),
    ("Kyiv, Ukraine", 2, 0.8),
    ("Johannesburg", 2, 1),
    ("Cape Town, South Africa", 2, 0.8),
    ("Nairobi, Kenya", 3, 1.2),
    ("Istanbul", 3, 0.8),
    ("Dubai", 4, 0.8),
    ("Mumbai", 5.5, 1.5),
    ("New Delhi, India", 5.5, 1.5),
    ("Bengaluru", 5.5, 1),
    ("Jakarta", 7, 1),
    ("Bangkok", 7, 0.6),
    ("Manila", 8, 2),
    ("Quezon City", 8, 0.8),
    ("Singapore", 8, 0.8),
    ("Kuala Lumpur", 8, 0.6),
    ("Tokyo", 9, 1),
    ("Seoul", 9, 0.6),
    ("Sydney, NSW", 11, 1.2),
    ("Melbourne, Victoria", 11, 0.8),
    ("Auckland, New Zealand", 13, 0.4),
]

#: Locations that carry no time-zone information (their owners live anywhere).
VAGUE_PLACES: list[str] = _b(
    "Earth | somewhere | she/her | 🌍 | Planet Earth | the internet | wherever the wifi is | "
    "⚽️🏀🏈 | home | everywhere | 🇺🇸 | USA | United States | Europe | in my head | Worldwide"
)

#: US locations claimed by "foreign_locals" accounts.
US_PLACES: list[str] = [
    p
    for p, off, _ in PLACES
    if off <= -5
    and off >= -8
    and (
        ", " in p
        and p.split(", ")[1]
        in {"NY", "MA", "GA", "FL", "DC", "PA", "IL", "TX", "CO", "AZ", "CA", "WA", "OR", "USA"}
    )
] + ["USA", "Texas", "Florida"]

# --- clients --------------------------------------------------------------------------------
HUMAN_CLIENTS: list[tuple[str, float]] = [
    ("Twitter for iPhone", 0.42),
    ("Twitter for Android", 0.33),
    ("Twitter Web App", 0.19),
    ("Twitter for iPad", 0.03),
    ("TweetDeck Web App", 0.015),
    ("Hootsuite Inc.", 0.008),
    ("Buffer", 0.007),
]
AGGREGATOR_CLIENTS: list[str] = ["dlvr.it", "IFTTT", "WordPress.com", "Buffer", "SocialFlow"]
FARM_CLIENTS: list[str] = ["AutoPoster Pro", "AutoPoster Pro", "PostPilot Scheduler"]

# --- names ------------------------------------------------------------------------------------
FIRST = _w(
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Chris Karen Daniel Lisa Matt Nancy Tony Betty "
    "Mark Sandra Paul Ashley Steven Kim Andrew Emily Josh Donna Kevin Michelle Brian Carol "
    "George Amanda Tim Melissa Ron Deborah Jason Stephanie Ryan Rebecca Jacob Laura Gary Sharon "
    "Nick Cynthia Eric Kathleen Jon Amy Larry Angela Justin Shirley Scott Anna Brandon Brenda "
    "Ben Pamela Sam Emma Greg Nicole Alex Helen Frank Samantha Ray Katie Jack Christine Dennis "
    "Debra Jerry Rachel Tyler Carolyn Aaron Janet Jose Maria Adam Heather Nathan Diane Henry "
    "Olivia Zach Julie Doug Joyce Peter Victoria Kyle Kelly Noah Christina Ethan Lauren Jeremy "
    "Joan Walter Evelyn Christian Judith Keith Megan Roger Cheryl Terry Andrea Austin Hannah "
    "Sean Martha Gerald Jacqueline Carl Frances Harold Gloria Dylan Ann Arthur Teresa Lawrence "
    "Kathryn Jordan Sara Jesse Janice Bryan Jean Billy Alice Bruce Madison Gabriel Doris Joe "
    "Abigail Logan Julia Alan Judy Juan Grace Albert Denise Willie Amber Elijah Marilyn Wayne "
    "Beverly Randy Danielle Vincent Theresa Mason Sophia Roy Marie Ralph Diana Bobby Brittany "
    "Russell Natalie Bradley Isabella Philip Charlotte Eugene Rose Chidi Ngozi Emeka Aisha "
    "Tunde Funmi Kwame Ama Priya Rahul Anjali Arjun Mei Wei Hiroshi Yuki Jin Minji Lucas "
    "Sofia Mateo Valentina Joao Ana Pedro Camila Luca Giulia Hans Anke Pierre Camille Jan "
    "Agnieszka Olek Dara Siobhan Liam Aoife Oisin Mohammed Fatima Omar Layla Ali Zainab"
)
LAST = _w(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
    "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
    "Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales "
    "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos "
    "Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes "
    "Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Okafor Adeyemi Mensah Okoye "
    "Sharma Singh Gupta Tanaka Sato Park Chen Wang Silva Santos Oliveira Rossi Bianchi Muller "
    "Schmidt Dubois Moreau Kowalski Nowak Byrne Walsh OBrien Murray Khan Hassan Ahmed"
)
WORDS_HANDLE = _w(
    "the real its just not official daily mr ms dr big lil team fan news talk sports vibes "
    "life mom dad coach chef gamer tech crypto art music film book coffee tea dog cat wolf "
    "lion eagle bear fox moon sun star sky ocean river city country wild free happy lucky "
    "red blue green gold silver dark light king queen boss prince lady guy girl boy kid"
)
NAME_DECOR = _b(
    " | | | | | | | | | | 🇺🇸| 🌻| ✨| 🏳️‍🌈| 🇬🇧| 🇳🇬| 🇧🇷| 🇵🇭| ⚽| 🎮| 📚| ☕| 🐶| 🌊| 🎶| 🙏|"
    " (parody)| - official| PhD| MD| 💙"
)

# --- organic text grammar ---------------------------------------------------------------------
VOCAB: dict[str, list[str]] = {
    "open": _b(
        "| | | | | | Honestly | Ok so | Lol | Wow | Ngl | So | Just saw | Hot take: | Reminder: | "
        "Can't believe | Apparently | Update: | Me: | Not gonna lie, | Tbh | Ugh | Yo | "
        "Quick thought: | Fun fact: | Unpopular opinion: | Shoutout to | PSA: | Welp | Today"
    ),
    "subj": _b(
        "my neighbor | the new coffee place | my boss | this weather | the traffic | my cat | "
        "my dog | the game last night | the season finale | this playlist | my sister | "
        "the landlord | the bus | my phone | the update | this album | the team | the coach | "
        "the council | the school | our garden | the gym | my kid | this podcast | the referee | "
        "the new episode | the airline | my laptop | the market | grandma | the band | "
        "the mayor | my roommate | the bakery | this book | the trailer | the stadium | "
        "the new menu | my commute | the heatwave | the storm | the library | my team | "
        "my group chat | the pizza | the concert | the dentist | the train | the election ad"
    ),
    "verb": _b(
        "is | was | just became | keeps being | honestly is | might be | will always be | "
        "turned out | looks | feels | is lowkey | is highkey | has been | is somehow | "
        "is officially | was never | is still | got | is getting"
    ),
    "adj": _b(
        "amazing | terrible | so good | wild | underrated | overrated | a mess | perfect | "
        "hilarious | exhausting | beautiful | broken | chaotic | iconic | late again | "
        "too expensive | better than expected | worse than last year | a vibe | unreal | "
        "the best thing this week | confusing | so loud | weirdly calming | peak | mid | "
        "a whole mood | criminally underrated | out of control | actually fine | a disaster | "
        "incredible | the reason I'm tired | cancelled again | fixed finally"
    ),
    "tail": _b(
        "| | | | | | lol | haha | tbh | honestly | again | today | this morning | tonight | "
        "right now | for real | no cap | I guess | send help | every single time | "
        "and I'm here for it | and nobody talks about it | smh | 😂 | 😭 | again???"
    ),
    "punct": _b(". | . | . | ! | !! | ... | ? | | . | !"),
    "emoji": _b(
        "| | | | | | | | 😂 | 😭 | 🔥 | 🙌 | 💯 | 🤔 | 😅 | ❤️ | 👀 | 🙃 | ✨ | 😤 | 🥲 | 👏 | "
        "🤣 | 😍 | 🤦 | 💀 | 🎉 | ☕ | 🌧️ | ⚽"
    ),
    "ask": _b(
        "Anyone else think | Does anybody know if | Why does | Is it just me or | "
        "How is | When did | Who decided | Can someone explain why | Be honest: is"
    ),
    "noun": _b(
        "pizza | rain | coffee | football | basketball | the metro | taxes | rent | sleep | "
        "tacos | the weekend | Mondays | my inbox | this song | this movie | the news | "
        "summer | gardening | running | the playoffs | jazz | ramen | podcasts | "
        "online shopping | group projects | meetings | brunch | road trips | "
        "the new phone | video games | karaoke | yoga | the finale | spicy food | "
        "public transport | fantasy football | elections | the budget | AI tools"
    ),
    "act": _b(
        "finished | started | watched | cooked | cleaned | fixed | booked | ordered | read | "
        "ran | lost | found | missed | skipped | survived | tried | bought | sold"
    ),
    "obj": _b(
        "my first marathon | a new recipe | the whole series | the garage | a flight home | "
        "three coffees | my keys again | the last bus | a terrible haircut | a new job | "
        "the book club book | dinner for twelve | my tax return | the bathroom sink | "
        "a puzzle | tickets for saturday | another plant | a 5k | the group project | "
        "a vintage jacket | two hours of emails | the leftovers | my old bike"
    ),
    "time": _b(
        "today | this morning | last night | this weekend | finally | after work | "
        "before lunch | at 2am | on my day off | in record time | for the third time"
    ),
    "react": _b(
        "agree | this | so true | exactly | 100% | lmao | same here | no way | wait what | "
        "facts | couldn't agree more | big if true | this is the way | love this | "
        "respectfully, no | hard disagree | yep | underrated take | oh no | congrats!! | "
        "happy for you | this made my day | thank you for sharing | source? | say it louder"
    ),
    "comment": _b(
        "Worth a read | Interesting piece | Important thread | Thoughts? | Well this is news | "
        "Everyone should see this | Not surprised tbh | Huh | Can't make this up | "
        "Read this one | Big if true | This is wild | Called it | Good summary | "
        "Sharing for visibility | Oh wow | Mixed feelings about this | Great reporting"
    ),
}

ORIGINAL_TEMPLATES: list[str] = [
    "{open} {subj} {verb} {adj}{punct} {tail} {emoji}",
    "{open} {subj} {verb} {adj} {time}{punct} {emoji}",
    "{ask} {noun} {verb} {adj}? {emoji}",
    "{open} just {act} {obj} {time}{punct} {tail} {emoji}",
    "{act} {obj} {time} and {subj} {verb} {adj}{punct} {emoji}",
    "{noun} {verb} {adj}{punct} {tail}",
    "{open} {noun} > {noun} {emoji}",
    "{emoji} {subj} {verb} {adj} {tail}",
]
REPLY_TEMPLATES: list[str] = [
    "{react} {emoji}",
    "{react}{punct} {subj} {verb} {adj}",
    "{react}, {noun} {verb} {adj}",
    "{ask} {noun} {verb} {adj}?",
    "{react} {tail} {emoji}",
]
QUOTE_TEMPLATES: list[str] = [
    "{comment} {emoji}",
    "{react}{punct} {comment}",
    "{comment}: {noun} {verb} {adj}",
]
SHARE_TEMPLATES: list[str] = [
    "{comment} {emoji}",
    "{comment}",
    "{react} {emoji}",
    "{comment}{punct}",
]

# --- hashtags ---------------------------------------------------------------------------------
EVERGREEN_TAGS = _w(
    "#MondayMotivation #ThrowbackThursday #FridayFeeling #tbt #NowPlaying #photography #NFL "
    "#NBA #PremierLeague #football #music #art #tech #AI #coffee #foodie #travel #fitness "
    "#gaming #books #movies #TV #news #weather #love #family #dogs #cats #crypto #gardening "
    "#running #jobs #startup #science #health #Nigeria #Manila #London #NYC #LA"
)
TREND_TAGS = _w(
    "#SuperBowl #Oscars #Grammys #Eurovision #WorldCup #MarchMadness #ElectionNight #StormWatch "
    "#Earthquake #Blackout #TechLayoffs #AppleEvent #Champions #Derby #HeatWave #Budget2024 "
    "#StrikeAction #Wimbledon #FinalFour #MetGala #Halftime #Debate #Marathon #TransferDeadline "
    "#SeasonFinale #ConcertNight #NewAlbum #Eclipse #Flooding #TrainStrike"
)

# --- news -------------------------------------------------------------------------------------
OUTLETS: list[tuple[str, str]] = [
    ("Reuters", "reuters.com"),
    ("AP", "apnews.com"),
    ("BBCBreaking", "bbc.co.uk"),
    ("CNN", "cnn.com"),
    ("nytimes", "nytimes.com"),
    ("guardian", "theguardian.com"),
    ("washingtonpost", "washingtonpost.com"),
    ("NBCNews", "nbcnews.com"),
    ("business", "bloomberg.com"),
    ("FT", "ft.com"),
    ("verge", "theverge.com"),
    ("TechCrunch", "techcrunch.com"),
    ("ESPN", "espn.com"),
    ("PunchNewspaper", "punchng.com"),
    ("inquirerdotnet", "inquirer.net"),
    ("dwnews", "dw.com"),
]
HEAD_SUBJ = _b(
    "Officials | Scientists | Lawmakers | Investors | Residents | Fans | Regulators | "
    "Health experts | Police | Firefighters | Economists | Voters | Engineers | Teachers | "
    "City council | Central bank | Tech giant | Airline | Court | Researchers"
)
HEAD_VERB = _b(
    "warn of | confirm | report | reject | approve | investigate | celebrate | announce | "
    "delay | question | unveil | scramble over | brace for | push back on | react to"
)
HEAD_OBJ = _b(
    "new transit plan | record heat | data breach | rate decision | stadium deal | "
    "school funding cuts | wildfire evacuations | vaccine trial results | housing shortage | "
    "power outage | merger talks | election results | port strike | flood defences | "
    "AI regulation | drug prices | water contamination | bridge closure | tax overhaul | "
    "satellite launch | championship parade | factory layoffs | trade tariffs | heat pump boom"
)
HEAD_TAIL = _b(
    "| | | amid protests | after late-night vote | as deadline looms | in surprise move | "
    "despite warnings | for first time in decades | as costs soar | ahead of summit"
)
GENERIC_DOMAINS = _w(
    "youtube.com youtu.be instagram.com tiktok.com medium.com substack.com spotify.com "
    "github.com reddit.com imgur.com wikipedia.org etsy.com amazon.com twitch.tv "
    "linkedin.com goodreads.com bandcamp.com eventbrite.com"
)

# --- planted operation material -----------------------------------------------------------------
OP_DOMAINS = _w(
    "patriot-daily-report.com truthwire-news.net freedomvoice24.com realpeoplesnews.org "
    "the-national-ledger.com citizen-alert.info homelandherald.net libertybeacon.co "
    "cleareyes-media.com factsunfiltered.net heartland-sentinel.com openeyes-journal.org"
)
CAMPAIGN_TAGS = _w(
    "#StopTheScam #WakeUpAmerica #TruthMatters #EnoughIsEnough #VoteThemOut #CleanSweep "
    "#NoMoreLies #PeopleFirst #ExposeThem #StandStrong #ProtectOurKids #SaveOurFarms "
    "#EnergyFreedom #BorderCrisis #RiggedSystem #FollowTheMoney #MediaBlackout #FreeSpeechNow "
    "#NotMyTax #HandsOffOurLand"
)
TP_SUBJ = _b(
    "the governor | the senator | the mayor | the city council | the ministry | "
    "the election board | the energy company | the new agency | big pharma | the media | "
    "the school board | the opposition | the central bank | the health department"
)
TP_PRED = _b(
    "is hiding | covered up | lied about | quietly approved | is profiting from | "
    "refuses to explain | rigged | is ignoring | secretly funded | wasted millions on"
)
TP_OBJ = _b(
    "the real numbers | the contract | the audit | the ballot counts | the pipeline deal | "
    "the vaccine data | the budget hole | the border figures | the water report | "
    "the donor list | the land sale | the crime statistics | the power cuts"
)
TP_REASON = _b(
    "ordinary families pay the price | nobody voted for this | the documents prove it | "
    "the press won't report it | they think we aren't watching | our kids deserve better | "
    "the money trail is obvious | they did it before | insiders are already talking"
)
SYN: dict[str, list[str]] = {
    "is hiding": ["is concealing", "keeps hiding", "won't show", "is sitting on"],
    "covered up": ["buried", "swept under the rug", "hushed up", "concealed"],
    "lied about": ["misled everyone about", "was dishonest about", "made up", "spun"],
    "quietly approved": ["slipped through", "rubber-stamped", "signed off on", "pushed through"],
    "is profiting from": ["is cashing in on", "is making money off", "benefits from"],
    "refuses to explain": ["won't answer for", "dodges questions on", "stays silent about"],
    "rigged": ["manipulated", "fixed", "tampered with", "stacked"],
    "is ignoring": ["turns a blind eye to", "brushes off", "doesn't care about"],
    "secretly funded": ["bankrolled", "quietly paid for", "funneled cash into"],
    "wasted millions on": ["blew millions on", "threw our money at", "squandered funds on"],
    "the real numbers": ["the true figures", "the actual data", "the honest numbers"],
    "the contract": ["the deal", "the agreement", "the paperwork"],
    "ordinary families pay the price": [
        "regular people foot the bill",
        "we all pay for it",
        "working families lose out",
    ],
    "nobody voted for this": ["no one asked for this", "we never agreed to this"],
    "the documents prove it": [
        "the paperwork shows it",
        "it's all in the files",
        "the records are clear",
    ],
    "the press won't report it": [
        "the media stays quiet",
        "you won't see it on TV",
        "the news ignores it",
    ],
}
TP_OPEN = _b(
    "| | Wake up: | Let that sink in. | Unbelievable. | Read this: | "
    "Nobody is talking about it but | "
    "Share before it's deleted: | Just so you know, | FACT: | Think about it: | Again: | "
    "They don't want you to know | Why is nobody asking? | Remember this:"
)
TP_CLOSE = _b(
    "| | | Share this. | RT if you agree. | Spread the word. | Stay woke. | Wake up people. | "
    "Do your own research. | Pass it on. | 🇺🇸 | 👇 | 🔥🔥 | !!!"
)
HOSTILE = {
    "open": _b(
        "| | | Nobody asked. | Lol | Imagine | Yikes. | Sure, | Wow. | Typical. | Pathetic. | "
        "Cry more. | Ok, | Again? | Seriously?"
    ),
    "body": _b(
        "you are a disgrace | delete your account | everyone sees through you | "
        "your reporting is garbage | paid shill detected | this aged badly | "
        "you should be ashamed | nobody trusts you anymore | another hit piece | "
        "stick to what you know | you clearly didn't read it | fake news again | "
        "who is paying you | stop spreading lies | you're embarrassing yourself | "
        "go back to school | the ratio is coming | your bias is showing | clown behaviour"
    ),
    "tail": _b("| | | 🤡 | 😂 | 🤮 | 👎 | 🙄 | !! | . | ... | #fakenews | #ratio"),
}
EMOJI_PAD = list("😀😂🔥💯🙏👇👉🇺🇸⚠️❗✅❌🤔😡👀💥") + ["‼️", "🚨", "🗣️"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff"]
HOMOGLYPHS: dict[str, list[str]] = {
    "a": ["\u0430"],
    "e": ["\u0435"],
    "o": ["\u043e", "\u03bf"],
    "p": ["\u0440"],
    "c": ["\u0441", "\u03f2"],
    "x": ["\u0445"],
    "y": ["\u0443"],
    "i": ["\u0456"],
    "s": ["\u0455"],
    "j": ["\u0458"],
    "A": ["\u0410", "\u0391"],
    "B": ["\u0412", "\u0392"],
    "E": ["\u0415", "\u0395"],
    "H": ["\u041d", "\u0397"],
    "K": ["\u041a", "\u039a"],
    "M": ["\u041c", "\u039c"],
    "O": ["\u041e", "\u039f"],
    "P": ["\u0420", "\u03a1"],
    "T": ["\u0422", "\u03a4"],
    "X": ["\u0425", "\u03a7"],
    "C": ["\u0421"],
    "I": ["\u0406"],
}

"""congresssim: an independent simulator of an AUTHENTIC Twitter dump of the U.S. Congress.

Used as hard negatives for a coordinated-inauthentic-behaviour detector: everything here is
organic, but real legislatures look coordinated (party messaging days, retweet drives, shared
graphics, toolkit tweets, cosponsors sharing the same bill link the same day).

    python pipelines/congresssim.py --out DIR --seed N --accounts A --days D   (A=600, D=14)

writes DIR/posts.parquet (canonical columns), DIR/labels.csv (account_id,campaign; all
`organic`) and DIR/account_roles.csv (account_id,role).  `generate(seed, accounts, days)`
returns (posts, labels); `simulate()` also returns the roles.  Output is a pure function of
(seed, accounts, days).  The dump starts Friday 2016-04-01 00:00 UTC.

What is modelled (April 2016, Eastern daylight time = UTC-4):
  accounts   ~435:100 House:Senate members scaled to A, plus party accounts (HouseGOP,
             HouseDemocrats, SenateGOP, SenateDems, GOP, TheDemocrats), leadership
             (SpeakerRyan, NancyPelosi, GOPLeader, ...), committee accounts and news outlets
             (politico, thehill, AP, cspan, rollcall).  Parties ~55/45 R/D with state leans;
             accounts created 2008-2014 (a 2015 freshman class); followers log-normal (2k to
             millions); each account has a primary staff tool (Web Client, TweetDeck,
             Hootsuite, Sprout Social, SocialFlow) and a phone client used now and then.
  activity   per-account heavy-tailed rates (log-normal, a few dormant accounts), per
             account-day gamma noise, Eastern office hours with an evening tail, light
             weekends, a House recess week (Apr 4-10: House quieter, more district posts in
             local time; the Senate in session).
  messaging  a calendar of party messaging days (#EqualPay Apr 12, #TaxDay run-up to Apr 15,
             #DoYourJob/#SCOTUS, #Obamacare, #Zika, #opioids, #Flint, #PuertoRico, ...; later
             days draw topics from the pool): party/leadership accounts push in the morning,
             a loyalty-weighted share of same-party members posts during the day, often with
             2 hashtags (topic + secondary/state tag), shared graphics (16-hex media keys),
             the leadership's toolkit text reposted with small edits by a modest share.
  links      own press releases on NAME.house.gov / NAME.senate.gov; bills
             (congress.gov) shared the same day by sponsor and cosponsors with their own
             texts; op-eds shared by the author and a few colleagues; outlet stories shared
             by members with their own comments.
  spikes     news spikes (a Zika hearing, an IRS hearing, a Senate energy vote, generic
             later): many members of both parties post on one topic within an hour or two.
  retweets   party/leadership posts are retweeted by 5-60% of same-party (same-chamber)
             members (more on messaging days), committees by their members, members by
             state-delegation colleagues, outlets occasionally; log-normal delays (a minute to
             many hours); staffers batch: a share of party retweets snap to a member's
             "staff sessions" and come 6-40 s apart, topped up to 3-5 recent party posts.
  quotes / replies  quotes of party posts and news, replies to colleagues and party
             accounts, rare self-threads.
Assumptions: ids are Twitter-like snowflakes; texts carry t.co links and the expanded URLs
are in `urls`; retweets read "RT @author: text" and carry hashtags/urls/media; quotes carry
the quoted status URL; all references point to posts in the dump; nothing after the end.
"""

from __future__ import annotations

import argparse
import os
import re
from datetime import UTC, datetime

import numpy as np
import polars as pl

START = datetime(2016, 4, 1, tzinfo=UTC)
START_MS = int(START.timestamp() * 1000)
TW_EPOCH = 1288834974657
EDT = 4 * 3600  # UTC = ET + 4h
H = 3600.0

STATES = [
    s.split()
    for s in """AL Alabama 7 1|AK Alaska 1 4|AZ Arizona 9 3|AR Arkansas 4 1|CA California 53 3
|CO Colorado 7 2|CT Connecticut 5 0|DE Delaware 1 0|FL Florida 27 0|GA Georgia 14 0|HI Hawaii 2 5|ID Idaho 2 2
|IL Illinois 18 1|IN Indiana 9 0|IA Iowa 4 1|KS Kansas 4 1|KY Kentucky 6 0|LA Louisiana 6 1|ME Maine 2 0
|MD Maryland 8 0|MA Massachusetts 9 0|MI Michigan 14 0|MN Minnesota 8 1|MS Mississippi 4 1|MO Missouri 8 1
|MT Montana 1 2|NE Nebraska 3 1|NV Nevada 4 3|NH New_Hampshire 2 0|NJ New_Jersey 12 0|NM New_Mexico 3 2
|NY New_York 27 0|NC North_Carolina 13 0|ND North_Dakota 1 1|OH Ohio 16 0|OK Oklahoma 5 1|OR Oregon 5 3
|PA Pennsylvania 18 0|RI Rhode_Island 2 0|SC South_Carolina 7 0|SD South_Dakota 1 1|TN Tennessee 9 1
|TX Texas 36 1|UT Utah 4 2|VT Vermont 1 0|VA Virginia 11 0|WA Washington 10 3|WV West_Virginia 3 0
|WI Wisconsin 8 1|WY Wyoming 1 2""".replace("\n", "").split("|")
]
HISPANIC_STATES = {"TX", "FL", "CA", "NY", "NM", "AZ", "NJ", "IL", "NV", "CO"}
FIRST = (
    "John Mike David James Tom Bill Steve Mark Chris Dan Bob Jim Tim Joe Pete Greg Scott Brian Kevin Paul "
    "Ron Rick Doug Jeff Ted Ken Gary Randy Lamar Elijah Raul Luis Carlos Henry Andre Cedric Barbara Nancy "
    "Susan Karen Linda Maria Lisa Debbie Marcy Cathy Diana Elise Kristi Martha Kay Jackie Ann Rosa Terri "
    "Judy Betty Grace Lois Tammy Heidi Jeanne Kelly Amy Patty Maxine Sheila Julia Norma Ileana"
).split()
LAST = (
    "Smith Johnson Miller Davis Wilson Moore Taylor Anderson Thomas Jackson White Harris Martin Thompson "
    "Garcia Martinez Robinson Clark Rodriguez Lewis Lee Walker Hall Allen Young Hernandez King Wright Lopez "
    "Hill Scott Green Adams Baker Gonzalez Nelson Carter Mitchell Perez Roberts Turner Phillips Campbell "
    "Parker Evans Edwards Collins Stewart Sanchez Morris Rogers Reed Cook Morgan Bell Murphy Bailey Rivera "
    "Cooper Richardson Cox Howard Ward Torres Peterson Gray Ramirez Watson Brooks Kelly Sanders Price "
    "Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Flores Butler "
    "Simmons Foster Bryant Alexander Russell Griffin Diaz Hayes Myers Ford Hamilton Graham Sullivan Wallace "
    "Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson McDonald Cruz Marshall Ortiz Gomez "
    "Murray Freeman Wells Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Morales "
    "Kennedy Warren Dixon Ramos Reyes Burns Gordon Shaw Holmes Rice Robertson Hunt Black Daniels Palmer "
    "Mills Nichols Grant Knight Ferguson Rose Stone Hawkins Dunn Perkins Hudson Spencer Gardner Stephens "
    "Payne Pierce Berry Matthews Arnold Wagner Willis Ray Watkins Olson Carroll Duncan Snyder Hart Cunningham "
    "Bradley Lane Andrews Ruiz Harper Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Chavez "
    "Sims Austin Peters Kelley Franklin Lawson Fields Ryan Schmidt Carr Vasquez Castillo Wheeler Chapman "
    "Oliver Montgomery Richards Williamson Johnston Banks Meyer Bishop McCoy Howell Morrison Hansen "
    "Fernandez Garza Harvey Little Burton Stanley Nguyen George Jacobs Reid Fuller Lynch Dean Gilbert "
    "Romero Welch Larson Frazier Burke Hanson Day Mendoza Moreno Bowman Medina Fowler Brewer Hoffman"
).split()

_INST = (
    "HouseGOP/House Republicans/party_account/R/H/1100000/2008;HouseDemocrats/House "
    "Democrats/party_account/D/H/190000/2009;SenateGOP/Senate "
    "Republicans/party_account/R/S/240000/2009;SenateDems/Senate "
    "Democrats/party_account/D/S/260000/2008;SpeakerRyan/Paul Ryan/leadership/R/H/1300000/2015;NancyPelosi/Nancy "
    "Pelosi/leadership/D/H/850000/2009;SenateMajLdr/Leader "
    "McConnell/leadership/R/S/620000/2013;SenatorReid/Senator Harry "
    "Reid/leadership/D/S/240000/2008;GOP/GOP/party_account/R//1200000/2008;TheDemocrats/The "
    "Democrats/party_account/D//1000000/2008;politico/POLITICO/outlet///2600000/2007;thehill/The "
    "Hill/outlet///1700000/2008;GOPLeader/Kevin McCarthy/leadership/R/H/400000/2009;WhipHoyer/Steny "
    "Hoyer/leadership/D/H/90000/2009;WaysandMeansGOP/Ways and Means/committee/R/H/60000/2009;AP/The Associated "
    "Press/outlet///8900000/2009;cspan/CSPAN/outlet///1900000/2008;EnergyCommerce/Energy & "
    "Commerce/committee/R/H/45000/2009;SenJohnThune/John Thune/leadership/R/S/160000/2009;SenSchumer/Chuck "
    "Schumer/leadership/D/S/500000/2009;HouseJudiciary/House Judiciary "
    "GOP/committee/R/H/30000/2010;OversightDems/Oversight Dems/committee/D/H/35000/2010;SteveScalise/Steve "
    "Scalise/leadership/R/H/80000/2010;rollcall/Roll Call/outlet///320000/2008;SenateCommerce/Senate "
    "Commerce/committee/R/S/25000/2011;HELPCmteDems/Senate HELP "
    "Dems/committee/D/S/20000/2012;HouseAppropsGOP/House Appropriations/committee/R/H/25000/2010;SASCMajority/SASC "
    "Majority/committee/R/S/30000/2013;NRDems/Natural Resources Dems/committee/D/H/15000/2011;SenateBanking/Senate "
    "Banking/committee/R/S/18000/2011;HouseHomeland/Homeland Security/committee/R/H/40000/2009"
)
INSTITUTIONS = [
    (a, b, c, d, e, int(f), int(g))
    for a, b, c, d, e, f, g in (x.split("/") for x in _INST.split(";"))
]  # id, name, role, party, chamber, followers, year
CLIENTS = [
    "Twitter Web Client",
    "TweetDeck",
    "Hootsuite",
    "Sprout Social",
    "Twitter for iPhone",
    "Twitter for Android",
    "Twitter for iPad",
    "SocialFlow",
    "Buffer",
]
CLIENT_P = [0.32, 0.21, 0.13, 0.07, 0.16, 0.04, 0.03, 0.02, 0.02]


_T = {
    "taxday": (
        "TaxDay TaxReform IRS",
        "TaxDay FairShare",
        "Americans spend billions of hours every year complying with our broken tax code.|It's time for a simpler, "
        "flatter, fairer tax code that works for families, not Washington.|The IRS needs accountability, not more "
        "of your hard-earned money.|No family should need an accountant just to file their taxes.|Our tax code is "
        "nearly 75,000 pages long. That's not fair to hardworking taxpayers.",
        "Millionaires should pay their fair share, just like working families do.|Closing loopholes for "
        "corporations that ship jobs overseas is common sense.|Working families shouldn't pay a higher rate than "
        "hedge fund managers.|Tax reform should help the middle class, not the wealthiest few.",
        "Americans will spend 6 billion hours this year filing their taxes. Our tax code is broken and it's time "
        "to fix it. #TaxDay",
        "This #TaxDay, let's make sure the wealthiest pay their fair share so working families get a fair shot. "
        "#FairShare",
    ),
    "equalpay": (
        "EqualPayDay EqualPay",
        "EqualPay EqualPayDay PaycheckFairness",
        "Equal pay for equal work is the law, and it should be enforced.|Women are leading businesses and families "
        "across our state. Proud to support them.",
        "Women are still paid just 79 cents for every dollar paid to men. That's wrong.|The pay gap costs women "
        "over $400,000 over a career. It's time to close it.|Equal pay isn't just a women's issue, it's a family "
        "issue.|It's time to pass the Paycheck Fairness Act and end pay discrimination.|Women of color face an "
        "even wider pay gap. We can and must do better.",
        "Equal pay for equal work is a principle every American supports. #EqualPayDay",
        "Today is #EqualPayDay: women have to work until today just to earn what men earned last year. It's time "
        "for #EqualPay!",
    ),
    "scotus": (
        "SCOTUS LetThePeopleDecide",
        "DoYourJob SCOTUS Garland",
        "The American people should have a voice in the selection of the next Supreme Court justice.|Let the "
        "people decide: the next president should fill this vacancy.",
        "The Senate should do its job: give Judge Garland a hearing and a vote.|The Constitution is clear. The "
        "president nominates, the Senate gives advice and consent.|Met with Chief Judge Garland today. He deserves "
        "a fair hearing.|It has been weeks since Judge Garland was nominated. Senate Republicans must do their job.",
        "The American people deserve a voice in this decision. #LetThePeopleDecide #SCOTUS",
        "Senate Republicans: #DoYourJob. Give Judge Garland a hearing and a vote. #SCOTUS",
    ),
    "obamacare": (
        "Obamacare ACA FullRepeal",
        "ACA GetCovered",
        "Premiums and deductibles keep rising under Obamacare.|Another Obamacare co-op has collapsed, leaving "
        "families scrambling for coverage.|Families deserve patient-centered health care, not more Washington "
        "mandates.",
        "Thanks to the ACA, 20 million more Americans have health coverage.|Republicans have voted more than 60 "
        "times to repeal the ACA. Enough.|No one can be denied coverage for a pre-existing condition anymore "
        "because of the ACA.",
        "Obamacare isn't working for families: higher premiums, fewer choices. #Obamacare",
        "20 million Americans have gained coverage because of the #ACA. We won't go back.",
    ),
    "zika": (
        "Zika ZikaVirus",
        "Zika ZikaVirus FundZika",
        "Today I was briefed by CDC officials on efforts to stop the spread of the Zika virus.|Protecting "
        "Americans from the Zika virus is a top priority.|Existing Ebola funds should be redirected to fight Zika "
        "right away.",
        "We need emergency funding to fight Zika now, before mosquito season peaks.|Congress must act on the "
        "President's $1.9 billion emergency request to fight Zika.|Pregnant women deserve to know their government "
        "is doing everything to stop Zika.",
        "Here's what you need to know about the Zika virus and how to protect your family. #Zika",
        "Mosquito season is coming. Congress must pass emergency funding to fight #Zika now. #FundZika",
    ),
    "opioids": (
        "opioids CARA OpioidEpidemic",
        "opioids OpioidEpidemic CARA",
        "The opioid epidemic is devastating families in every community across our state.|Proud to support "
        "bipartisan legislation to fight opioid abuse and addiction.|Met with local law enforcement about the "
        "heroin and opioid crisis.",
        "We need real funding, not just words, to fight the opioid epidemic.|Addiction is a disease. We must "
        "expand access to treatment.|Every day, 78 Americans die from an opioid overdose. We must act.",
        "The opioid epidemic is a crisis in communities across America. We are working to fight it. #opioids",
        "78 Americans die every day from opioid overdoses. Congress must fund treatment now. #OpioidEpidemic",
    ),
    "flint": (
        "Flint",
        "FlintWaterCrisis Flint",
        "Families in Flint deserve answers about how this happened.|The EPA failed the people of Flint.",
        "Families in Flint still can't drink their water. Congress must act.|Every child deserves clean, safe "
        "drinking water. #Flint has waited too long.|It's been months and families in Flint still need help.",
        "The people of Flint deserve accountability. #Flint",
        "Flint families still can't drink the water from their taps. Congress must act. #FlintWaterCrisis",
    ),
    "puertorico": (
        "PuertoRico PROMESA",
        "PuertoRico PROMESA",
        "Any solution for Puerto Rico must protect taxpayers: no bailout.|Working on a responsible path forward "
        "for Puerto Rico's debt crisis.",
        "The 3.5 million Americans in Puerto Rico need Congress to act now.|Puerto Rico needs a real path to "
        "restructure its debt, and it needs it now.",
        "Our plan for Puerto Rico: oversight and restructuring, with no taxpayer bailout. #PuertoRico",
        "3.5 million Americans in Puerto Rico can't wait any longer. Congress must act. #PuertoRico",
    ),
    "jobs": (
        "jobs RedTape economy",
        "RaiseTheWage jobs MiddleClass",
        "Washington's red tape is holding back small businesses and job creators.|Too many Americans are still "
        "looking for work in this economy.|Visited a local manufacturer creating good-paying jobs in our community.",
        "No one who works full time should live in poverty. It's time to raise the wage.|Our economy works best "
        "when it grows from the middle class out.|Workers deserve a raise. It's time to raise the minimum wage.",
        "Hardworking Americans deserve a growing economy and better-paying jobs. #jobs",
        "It's time to raise the wage so that hard work pays off for every American. #RaiseTheWage",
    ),
    "energy": (
        "energy EnergyBill",
        "energy ActOnClimate EnergyBill",
        "An all-of-the-above energy strategy means lower costs and more American jobs.|Modernizing our energy "
        "infrastructure is good for families and our economy.",
        "Clean energy is the future, and we must invest in it now.|Climate change is real. We need to act on "
        "climate for our kids.",
        "American energy means American jobs. #energy",
        "Clean energy jobs are growing faster than any other sector. Let's #ActOnClimate.",
    ),
    "veterans": (
        "veterans VA",
        "veterans VA",
        "Our veterans deserve timely access to the care they earned.|The VA must be held accountable for long wait "
        "times.",
        "We owe our veterans more than long waits and broken promises.|Fully funding the VA is how we keep our "
        "promise to those who served.",
        "Our veterans kept their promise to us. We must keep ours to them. #veterans",
        "Our veterans kept their promise to us. We must keep ours to them. #veterans",
    ),
}
TOPICS = {
    k: (r.split(), d.split(), pr.split("|"), pd.split("|"), kr, kd)
    for k, (r, d, pr, pd, kr, kd) in _T.items()
}
# topic: (tags R, tags D, phrases R, phrases D, toolkit R, toolkit D)
# (day index from Apr 1, topic, party, intensity)
CALENDAR = [
    (0, "jobs", "R", 0.35),
    (0, "jobs", "D", 0.25),
    (4, "scotus", "D", 0.35),
    (5, "scotus", "D", 0.45),
    (5, "zika", "D", 0.3),
    (5, "zika", "R", 0.15),
    (6, "obamacare", "R", 0.3),
    (6, "flint", "D", 0.25),
    (7, "scotus", "D", 0.3),
    (7, "zika", "D", 0.25),
    (11, "equalpay", "D", 0.85),
    (11, "equalpay", "R", 0.12),
    (11, "taxday", "R", 0.3),
    (12, "taxday", "R", 0.45),
    (12, "scotus", "D", 0.4),
    (12, "puertorico", "D", 0.25),
    (13, "taxday", "R", 0.55),
    (13, "taxday", "D", 0.3),
    (13, "opioids", "R", 0.3),
    (13, "opioids", "D", 0.2),
    (14, "taxday", "R", 0.8),
    (14, "taxday", "D", 0.55),
    (18, "energy", "R", 0.3),
    (19, "energy", "D", 0.25),
]
# (day, ET hour, topic, label, chamber)
SPIKES = [
    (5, 14.0, "zika", "Zika hearing", "H"),
    (12, 10.0, "taxday", "IRS commissioner hearing", "H"),
    (13, 15.5, "energy", "Senate energy bill vote", "S"),
]
OUTLET_URL = {
    "politico": "https://www.politico.com/story/2016/04/{slug}-{n6}",
    "thehill": "http://thehill.com/policy/{sec}/{n6}-{slug}",
    "AP": "http://bigstory.ap.org/article/{hex}/{slug}",
    "cspan": "https://www.c-span.org/video/?{n6}-1/{slug}",
    "rollcall": "http://www.rollcall.com/news/politics/{slug}",
}
DISTRICT = (
    "Great to visit {place} today and meet with {group}.|Thanks to {group} from {state} who stopped by my DC "
    "office today to talk about {issue}.|Enjoyed speaking with {group} this morning about {issue}.|Toured {place} "
    "today. Impressive work being done right here in {state}.|Join me {when} at {hour} for a telephone town hall "
    "on {issue}.|Congratulations to the {school} {team} on a great season!|My office is hosting mobile office "
    "hours in {place} tomorrow. Stop by if you need help with a federal agency.|Happy to welcome {group} to the "
    "Capitol today."
).split("|")
FLOOR = (
    "Spoke on the House floor today about {issue}. Watch:|Questioned {witness} at today's hearing on {issue}.|"
    "Voted today on a bill about {issue}. Read my statement:|Introduced a bill today on {issue}.|Good discussion "
    "at today's committee markup on {issue}.|Spoke on the floor today about {issue}:"
).split("|")
NEWS_CMT = (
    "Worth a read:|ICYMI:|Important story:|Good piece on {issue}.|This is unacceptable.|Glad to see this.|Must "
    "read on {issue}:|Encouraging news for {state}.|Read this:"
).split("|")
ES = (
    "Hoy me reuní con líderes de la comunidad para hablar sobre {issue}.|Orgulloso de representar a {state}.|Las "
    "familias trabajadoras merecen un salario justo.|Estamos trabajando para proteger a nuestras familias.|Mi "
    "oficina está aquí para ayudarle. Llame hoy."
).split("|")
ISSUES = (
    "small businesses|veterans' health care|the farm economy|infrastructure|student loans|national security|the "
    "opioid crisis|water resources|rural broadband|job training|the federal budget|trade|cybersecurity|our "
    "military|Social Security|Medicare|border security|clean energy|manufacturing jobs|the highway bill"
).split("|")
PLACES = (
    "the local VA clinic|a manufacturing plant|the county fairgrounds|Main Street businesses|the community college|"
    "a local elementary school|the regional airport|a family farm|the food bank|the fire department"
).split("|")
GROUPS = (
    "local farmers|the Chamber of Commerce|students|nurses|veterans|small business owners|county commissioners|"
    "teachers|local law enforcement|realtors|community bankers"
).split("|")
WITNESS = ("the Secretary|agency officials|the Commissioner|expert witnesses|the Director").split(
    "|"
)
QUOTE_CMT = (
    "Exactly right.|Couldn't agree more.|This.|Well said.|Important.|Proud to stand with my colleagues on this.|We "
    "won't stop fighting.|Here's what you need to know:|Read this.|Agreed."
).split("|")
REPLY = (
    "Thanks for your leadership on this!|Great to be with you today.|Well said, my friend.|Proud to work with you "
    "on this.|Congrats!|Couldn't agree more.|Thank you!"
).split("|")


# --- member voices: every office writes its own texts ---------------------------------------
# Texts are composed from member-specific material (towns, people, schools, businesses,
# committees, own bills, state figures) and per-member habits (frames, openers, sign-offs,
# exclamations, emoji, hashtag placement).  They are drawn from a separate text stream, so the
# activity stream (accounts, timing, retweets, URLs, media, hashtags) does not depend on them.
CITIES = {
    s.split(":")[0]: s.split(":")[1].split(",")
    for s in "AL:Birmingham,Huntsville,Mobile,Tuscaloosa,Dothan|AK:Anchorage,Fairbanks,Juneau,Wasilla|"
    "AZ:Phoenix,Tucson,Mesa,Flagstaff,Yuma|AR:Little Rock,Fayetteville,Jonesboro,Fort Smith|"
    "CA:Fresno,Sacramento,San Diego,Bakersfield,Riverside,Oakland,Modesto|CO:Denver,Pueblo,Aurora,Greeley,"
    "Grand Junction|CT:Hartford,New Haven,Bridgeport,Stamford,Waterbury|DE:Wilmington,Dover,Newark|"
    "FL:Tampa,Orlando,Jacksonville,Miami,Pensacola,Ocala|GA:Atlanta,Macon,Savannah,Augusta,Columbus|"
    "HI:Honolulu,Hilo,Kailua|ID:Boise,Nampa,Idaho Falls,Pocatello|IL:Chicago,Peoria,Springfield,Rockford,"
    "Joliet|IN:Indianapolis,Fort Wayne,Evansville,South Bend,Muncie|IA:Des Moines,Cedar Rapids,Davenport,"
    "Sioux City,Ames|KS:Wichita,Topeka,Overland Park,Salina|KY:Louisville,Lexington,Bowling Green,Paducah|"
    "LA:Baton Rouge,Shreveport,Lafayette,Lake Charles|ME:Portland,Bangor,Lewiston,Augusta|MD:Baltimore,"
    "Frederick,Annapolis,Hagerstown|MA:Boston,Worcester,Springfield,Lowell,New Bedford|MI:Detroit,Grand "
    "Rapids,Lansing,Kalamazoo,Saginaw|MN:Minneapolis,Duluth,Rochester,St. Cloud|MS:Jackson,Gulfport,Tupelo,"
    "Hattiesburg|MO:Kansas City,St. Louis,Springfield,Joplin,Columbia|MT:Billings,Missoula,Great Falls,"
    "Bozeman|NE:Omaha,Lincoln,Kearney,Grand Island|NV:Las Vegas,Reno,Henderson,Elko|NH:Manchester,Nashua,"
    "Concord,Keene|NJ:Newark,Trenton,Camden,Paterson,Toms River|NM:Albuquerque,Las Cruces,Santa Fe,Roswell|"
    "NY:Buffalo,Rochester,Syracuse,Albany,Yonkers,the Bronx|NC:Charlotte,Raleigh,Greensboro,Asheville,"
    "Wilmington|ND:Fargo,Bismarck,Minot,Grand Forks|OH:Columbus,Cleveland,Toledo,Dayton,Akron|OK:Tulsa,"
    "Oklahoma City,Norman,Lawton|OR:Portland,Eugene,Salem,Medford,Bend|PA:Pittsburgh,Allentown,Erie,"
    "Scranton,Harrisburg,Lancaster|RI:Providence,Warwick,Cranston,Pawtucket|SC:Columbia,Charleston,"
    "Greenville,Spartanburg|SD:Sioux Falls,Rapid City,Aberdeen|TN:Nashville,Memphis,Knoxville,Chattanooga|"
    "TX:Houston,Dallas,San Antonio,El Paso,Lubbock,Waco,Laredo|UT:Salt Lake City,Provo,Ogden,St. George|"
    "VT:Burlington,Montpelier,Rutland|VA:Richmond,Norfolk,Roanoke,Lynchburg,Alexandria|WA:Seattle,Spokane,"
    "Tacoma,Yakima,Vancouver|WV:Charleston,Huntington,Morgantown,Wheeling|WI:Milwaukee,Madison,Green Bay,"
    "Eau Claire,Kenosha|WY:Cheyenne,Casper,Laramie,Gillette".split("|")
}
DEMONYM = dict(
    x.split(":")
    for x in "AL:Alabamians|AK:Alaskans|AZ:Arizonans|AR:Arkansans|CA:Californians|CO:Coloradans|"
    "CT:Connecticut families|DE:Delawareans|FL:Floridians|GA:Georgians|HI:Hawaii families|ID:Idahoans|"
    "IL:Illinoisans|IN:Hoosiers|IA:Iowans|KS:Kansans|KY:Kentuckians|LA:Louisianans|ME:Mainers|"
    "MD:Marylanders|MA:Massachusetts families|MI:Michiganders|MN:Minnesotans|MS:Mississippians|"
    "MO:Missourians|MT:Montanans|NE:Nebraskans|NV:Nevadans|NH:Granite Staters|NJ:New Jerseyans|"
    "NM:New Mexicans|NY:New Yorkers|NC:North Carolinians|ND:North Dakotans|OH:Ohioans|OK:Oklahomans|"
    "OR:Oregonians|PA:Pennsylvanians|RI:Rhode Islanders|SC:South Carolinians|SD:South Dakotans|"
    "TN:Tennesseans|TX:Texans|UT:Utahns|VT:Vermonters|VA:Virginians|WA:Washingtonians|WV:West Virginians|"
    "WI:Wisconsinites|WY:Wyomingites".split("|")
)
TOWN_A = "Oak Cedar Maple Spring Fair Green River Pine Lake Mill Clear Rock Elm Ash Brook Stone Glen Red Bel Clay Ham Frank Mad Center Sugar Wil Har Clin Marion".split()
TOWN_B = "ville ton field wood dale ford burg port view brook ridge land haven mont vale".split()
TOWN_C = (
    "Falls Springs City Heights Junction Creek Valley Grove Park Hills Point Bluff Crossing".split()
)
COMMITTEES = {
    "H": "Armed Services|Agriculture|Appropriations|Energy and Commerce|Financial Services|Foreign Affairs|"
    "Homeland Security|Judiciary|Natural Resources|Oversight|Science|Small Business|Transportation and "
    "Infrastructure|Veterans' Affairs|Ways and Means|Education and the Workforce|Budget".split("|"),
    "S": "Finance|HELP|Commerce|Banking|Environment and Public Works|Armed Services|Judiciary|Foreign "
    "Relations|Agriculture|Appropriations|Homeland Security|Indian Affairs|Veterans' Affairs|Energy and "
    "Natural Resources".split("|"),
}
ACT_W = {
    "small businesses": "Small Business Relief|Main Street Jobs|Small Business Lending",
    "veterans' health care": "Veterans Timely Care|VA Accountability|Veterans Choice Improvement",
    "the farm economy": "Family Farm Protection|Rural Economy|Crop Insurance Fairness",
    "infrastructure": "Bridge Repair|Local Roads Investment|Water Infrastructure",
    "student loans": "Student Loan Refinancing|College Affordability|Student Debt Relief",
    "national security": "Homeland Threat Reduction|Border Security Enhancement|Counterterrorism Coordination",
    "the opioid crisis": "Opioid Treatment Access|Heroin Prevention|Recovery Support",
    "water resources": "Clean Water Access|Drought Relief|Water Resources Development",
    "rural broadband": "Rural Broadband Access|Connect Rural America|Broadband Deployment",
    "job training": "Skills for Jobs|Workforce Investment|Apprenticeship Opportunity",
    "the federal budget": "Balanced Budget Accountability|Spending Transparency|Budget Process Reform",
    "trade": "Fair Trade Enforcement|Export Promotion|Trade Adjustment",
    "cybersecurity": "Cybersecurity Information Sharing|Data Breach Notification|Cyber Defense",
    "our military": "Military Families Support|Troop Readiness|Servicemember Protection",
    "Social Security": "Social Security Fairness|Seniors Protection|Retirement Security",
    "Medicare": "Medicare Access|Seniors Prescription Savings|Rural Hospital Protection",
    "border security": "Border Enforcement|Secure Border|Visa Overstay Enforcement",
    "clean energy": "Clean Energy Jobs|Solar Investment|Energy Efficiency",
    "manufacturing jobs": "Made in America|Manufacturing Jobs|American Manufacturing Competitiveness",
    "the highway bill": "Highway Funding|Safe Roads|Freight Corridor",
}
ISSUE_X = {  # specific angles on each issue: {town} {st} {dem} {cnt} {n}
    "small businesses": "the {n} small businesses in {cnt}|access to capital for {town} entrepreneurs|red tape for Main Street shops",
    "veterans' health care": "wait times at the {town} VA clinic|care for {st}'s veterans|the Veterans Choice program",
    "the farm economy": "low commodity prices hitting {cnt} farmers|crop insurance|the next farm bill",
    "infrastructure": "the bridges and roads around {town}|{town}'s aging water mains|infrastructure investment in {st}",
    "student loans": "student debt for {st} graduates|refinancing student loans|college costs for {town} families",
    "national security": "keeping {dem} safe|the fight against ISIS|threats to the homeland",
    "the opioid crisis": "the heroin epidemic in {cnt}|treatment for addiction|overdose deaths in {st}",
    "water resources": "the drought|water projects in {cnt}|clean drinking water for {town}",
    "rural broadband": "internet access in rural {st}|broadband for {cnt} schools|closing the digital divide",
    "job training": "apprenticeships in {town}|skills training for {st} workers|career and technical education",
    "the federal budget": "reckless Washington spending|our $19 trillion debt|the budget process",
    "trade": "trade enforcement|exports from {st}|the TPP deal",
    "cybersecurity": "protecting Americans' data|the OPM breach|cyber threats to {st} businesses",
    "our military": "our troops' readiness|military families in {st}|the defense bill",
    "Social Security": "Social Security for {st} seniors|protecting Social Security|the retirement earnings test",
    "Medicare": "Medicare for {st} seniors|rural hospitals in {cnt}|prescription costs for seniors",
    "border security": "securing the border|visa overstays|immigration enforcement",
    "clean energy": "solar jobs in {st}|clean energy investment|energy efficiency in {town}",
    "manufacturing jobs": "manufacturing jobs in {town}|Made in America|{st}'s manufacturers",
    "the highway bill": "the FAST Act|highway funding for {st}|the I-{hw} project",
}
# topic: (phrases R, phrases D, key word) in the members' own words; slots as ISSUE_X plus {days}
_TX = {
    "taxday": (
        "Americans will spend over 6 billion hours on their taxes this year. {dem} have better things to do.|"
        "Our tax code is over 70,000 pages long. {dem} deserve a simpler, fairer system.|Nobody in {town} should "
        "need an accountant just to file their taxes.|{dem} sent Washington their hard-earned money this week. "
        "They deserve a tax code that makes sense.|A simpler, flatter, fairer tax code means more jobs and bigger "
        "paychecks in {st}.|The IRS still hasn't been held accountable for targeting Americans.|The average {st} "
        "family spends {n} hours a year on tax paperwork. That's broken.|Small business owners in {town} tell me "
        "the tax code is their biggest headache.|Families shouldn't dread April. It's time for real tax reform.",
        "Millionaires should pay their fair share, just like working families in {st} do.|Working families in "
        "{town} shouldn't pay a higher rate than hedge fund managers.|Tax reform should help the middle class, "
        "not the wealthiest few.|It's time to close loopholes for companies that ship jobs overseas.|A teacher "
        "in {town} shouldn't pay a higher tax rate than a billionaire.|If you work hard and play by the rules, the "
        "tax code should work for you too.|Offshore tax havens cost {dem} who pay their fair share.|{n}% of {st} "
        "families would benefit from a fair share tax plan.",
        "taxes",
    ),
    "equalpay": (
        "Equal pay for equal work is the law, and it should be enforced.|Women are leading businesses and "
        "families across {st}. Proud to support them.|Women own {n} businesses in {st} and create jobs every "
        "day.|Equal pay for equal work is a principle every American supports.|More flexibility and opportunity "
        "for working women means stronger families in {town}.",
        "Women in {st} are paid just {n} cents for every dollar paid to men. That's wrong.|Equal pay for equal "
        "work shouldn't be controversial in 2016.|The pay gap costs women in {st} thousands every year. Let's "
        "close it.|Equal pay isn't just a women's issue. It's a family issue, and {town} families feel it.|Pass "
        "the Paycheck Fairness Act and end pay discrimination once and for all.|Women of color face an even "
        "wider pay gap. We can and must do better.|Women had to work until today just to catch up to what men "
        "earned last year.|When women get equal pay for equal work, our whole economy grows.|Met with working "
        "moms in {town} today. They deserve equal pay for equal work.",
        "equal pay",
    ),
    "scotus": (
        "The American people should have a voice in the selection of the next Supreme Court justice.|Let the "
        "people decide: the next president should fill this vacancy.|{dem} will have their say in November. The "
        "next president should make this nomination.|This is about a principle, not a person. Let the people "
        "decide.|A lifetime appointment to the Court shouldn't be rushed through in an election year.",
        "Senate Republicans need to do their job: give Judge Garland a hearing and a vote.|Do your job. The "
        "Constitution says advise and consent, not ignore.|It's been {days} days since Judge Garland was "
        "nominated. Still no hearing. Do your job.|Chief Judge Garland deserves a fair hearing and an up-or-down "
        "vote.|{dem} show up to work every day. The Senate should too. Do your job.|Eight justices can't do the "
        "work of nine. The Senate must do its job.|Judge Garland is exactly the kind of nominee who deserves a "
        "hearing.|No hearing, no vote, no meetings. That's not how the Senate is supposed to work.",
        "the Supreme Court",
    ),
    "obamacare": (
        "Premiums and deductibles keep rising under Obamacare, and {dem} are paying the price.|Another Obamacare "
        "co-op has collapsed, leaving families scrambling for coverage.|Families deserve patient-centered care, "
        "not more Washington mandates.|A family in {town} told me their premiums went up {n}% this year. "
        "Obamacare isn't working.|Fewer choices, higher costs: that's Obamacare in {st}.|We can protect patients "
        "with pre-existing conditions without Washington running health care.",
        "Thanks to the ACA, {n},000 more people in {st} have health coverage.|Republicans have voted more than 60 "
        "times to repeal the ACA. Enough.|No one can be denied coverage for a pre-existing condition anymore, "
        "thanks to the ACA.|Young adults can stay on a parent's plan until 26 because of the ACA.|The ACA is "
        "working for families in {town}. Let's build on it, not tear it down.|Seniors in {st} are saving on "
        "prescriptions because the ACA is closing the donut hole.",
        "health care",
    ),
    "zika": (
        "Briefed by CDC officials today on efforts to stop the spread of the Zika virus.|Protecting Americans "
        "from the Zika virus is a top priority.|Existing Ebola funds should be redirected to fight Zika right "
        "away.|{st} has {n} travel-related Zika cases. We're working with the CDC to keep families safe.|Mosquito "
        "control in {town} and across {st} needs to be ready before summer.",
        "We need emergency funding to fight Zika now, before mosquito season peaks.|Congress must act on the "
        "President's $1.9 billion emergency request to fight Zika.|Pregnant women deserve to know we're doing "
        "everything to stop Zika.|{st} already has {n} Zika cases. Congress can't keep waiting.|Stop stalling "
        "and fund the Zika response. Mosquito season won't wait.",
        "Zika",
    ),
    "opioids": (
        "The opioid epidemic is devastating families in every community across {st}.|Proud to support "
        "bipartisan legislation to fight opioid abuse and addiction.|Met with law enforcement in {town} about "
        "the heroin and opioid crisis.|{n} {dem} died of drug overdoses last year. Each was somebody's son or "
        "daughter.|CARA gives communities like {town} new tools to fight addiction.",
        "We need real funding, not just words, to fight the opioid epidemic.|Addiction is a disease. We must "
        "expand access to treatment.|Every day, 78 Americans die from an opioid overdose. We must act.|Families "
        "in {town} have lost too many loved ones to heroin and painkillers.|CARA is a start, but without funding "
        "it's an empty promise.",
        "the opioid crisis",
    ),
    "flint": (
        "Families in Flint deserve answers about how this happened.|The EPA failed the people of Flint, and "
        "those responsible must be held accountable.|What happened in Flint can't happen in {town}. We're "
        "checking our own water systems.|Today was about getting answers for Flint families.",
        "Families in Flint still can't drink their water. Congress must act.|Every child deserves clean, safe "
        "drinking water. Flint has waited too long.|It's been months and families in Flint still need help.|No "
        "family in Flint or {town} should worry about lead in their water.|Flint kids were poisoned by their own "
        "tap water. Where's the urgency?",
        "clean water",
    ),
    "puertorico": (
        "Any solution for Puerto Rico must protect taxpayers: no bailout.|Working on a responsible path forward "
        "for Puerto Rico's debt crisis.|Puerto Rico needs oversight and restructuring, with no taxpayer "
        "bailout.|{dem} shouldn't be asked to pay Puerto Rico's debts. No bailout.",
        "The 3.5 million Americans in Puerto Rico need Congress to act now.|Puerto Rico needs a real path to "
        "restructure its debt, and it needs it now.|Puerto Rico's hospitals and schools are running out of "
        "money. We can't wait.|Puerto Rican families in {st} are worried about loved ones on the island.",
        "Puerto Rico",
    ),
    "jobs": (
        "Washington's red tape is holding back small businesses and job creators.|Too many Americans are still "
        "looking for work in this economy.|Visited a manufacturer in {town} creating good-paying jobs.|Small "
        "businesses in {st} spend {n} hours a year on federal paperwork. Cut the red tape.|{dem} want a "
        "paycheck, not more regulations from Washington.",
        "No one who works full time should live in poverty. It's time to raise the wage.|Our economy works best "
        "when it grows from the middle class out.|Workers in {town} deserve a raise.|{n},000 workers in {st} "
        "would get a raise if we raised the minimum wage.|A full day's work deserves a fair day's pay.",
        "jobs",
    ),
    "energy": (
        "An all-of-the-above energy strategy means lower costs and more American jobs.|Modernizing our energy "
        "infrastructure is good for families and our economy.|{st} energy producers support {n},000 jobs. "
        "Washington should stop standing in the way.|Lower energy bills matter to every family in {town}.",
        "Clean energy is the future, and we must invest in it now.|Climate change is real. We need to act on "
        "climate for our kids.|{st} now has {n},000 clean energy jobs, and we can create more.|The solar and wind "
        "jobs in {town} prove clean energy works.",
        "energy",
    ),
    "veterans": (
        "Our veterans deserve timely access to the care they earned.|The VA must be held accountable for long "
        "wait times.|Veterans in {town} are still waiting too long to see a doctor.|{n},000 veterans call {st} "
        "home. They deserve better than a waitlist.|VA employees who falsify wait times should be fired, period.",
        "We owe our veterans more than long waits and broken promises.|Fully funding the VA is how we keep our "
        "promise to those who served.|No veteran in {st} should be homeless or waiting months for care.|Our "
        "veterans kept their promise to us. We must keep ours to them.",
        "veterans",
    ),
}
TOPIC_X = {k: (r.split("|"), d.split("|"), kw) for k, (r, d, kw) in _TX.items()}
FIG = {  # per state and topic: the {n} a member would cite
    "taxday": (8, 14),
    "equalpay": (68, 86),
    "scotus": (1, 9),
    "obamacare": (11, 39),
    "zika": (2, 40),
    "opioids": (150, 3500),
    "flint": (1, 9),
    "puertorico": (1, 9),
    "jobs": (20, 90),
    "energy": (4, 90),
    "veterans": (30, 900),
}
LOCAL = (
    "I hear about {kw} from {dem} every day.|That's what I heard in {town} this week.|Families in {town} "
    "told me the same thing.|{cnt} families are counting on us.|This matters in the {where}.|Folks in {town} "
    "know it.|Ask anyone in {cnt}.|I heard it again at my {town} town hall."
).split("|")
OPENERS = (
    "Today:|Fact:|ICYMI:|Bottom line:|Important:|Again:|Update:|Simply put:|Let's be clear:|Reminder:|Here's "
    "the truth:|Worth repeating:|From {town}:|This week in {st}:|Plain and simple:|The facts:|My view:|Here's "
    "where I stand:|Heads up:|NEWS:|On the record:|Straight talk:|As I told folks in {town}:|Quick update:|Big "
    "picture:|For the record:|Let me be clear:|Here's why this matters:|Hearing from {dem} loud and clear:|"
    "Once again:|Truth:|Make no mistake:|Real talk:|Back home in {town}:"
).split("|")
SIGNOFFS = (
    "We must act.|I'll keep fighting for {st}.|{dem} deserve better.|This matters for {st}.|Let's get it done.|"
    "More soon.|{st} is counting on us.|Proud of the work we're doing.|We can do better.|Time to act.|Enough is "
    "enough.|Let's work together.|I'm not giving up.|The {where} deserves better.|Stay tuned.|We owe it to "
    "{town}.|Keep the calls coming: {phone}.|My door is always open.|Let me know what you think.|{dem} are "
    "watching.|Working on it.|That's my commitment to you.|Period.|This isn't about politics.|We'll keep "
    "pushing.|Thanks to the {town} folks who shared their stories.|Share your views: {phone}.|On it.|Let's "
    "keep at it, {st}."
).split("|")
EMOJI = ["🇺🇸", "👍", "💪", "👏", "🙌", "✅", "📸", "📞", "🎉", "👇"]
PLACE_X = [  # one list per PLACES entry
    "the {town} VA clinic|the VA outpatient clinic in {town}|the {cnt} Veterans Center",
    "{biz}|{biz} in {town}|the {town} plant of {biz}",
    "the {cnt} fairgrounds|the {cnt} Fair|the fairgrounds in {town}",
    "Main Street in {town}|downtown {town}|shops along {town}'s Main Street",
    "{town} Community College|{cc}|the {town} campus of {cc}",
    "{last} Elementary in {town}|{town} Elementary|{last} Elementary School",
    "{town} Regional Airport|the {town} airport|{last} Field in {town}",
    "the {last} family farm|{last} Farms near {town}|a {cnt} dairy farm",
    "the {town} Food Bank|the {cnt} food pantry|{town} Community Food Bank",
    "the {town} Fire Department|{town} Fire Station {n1}|the {cnt} volunteer fire company",
]
GROUP_X = [
    "{cnt} farmers|the {cnt} Farm Bureau|farmers from around {town}",
    "the {town} Chamber of Commerce|{town} Chamber members|the {town} Area Chamber",
    "students from {hs}|{hs} seniors|students from {cc}",
    "nurses from {hosp}|the {st} Nurses Association|{hosp} nurses",
    "veterans at {town} VFW Post {post}|{cnt} veterans|American Legion Post {post}",
    "small business owners in {town}|{town} business owners|the {town} Rotary Club",
    "{cnt} commissioners|the {cnt} Commission|{town} city council members",
    "teachers from {hs}|{cnt} educators|the {st} Education Association",
    "the {town} Police Department|{cnt} Sheriff {person}|{cnt} law enforcement",
    "{st} Realtors|{town} area realtors|the {cnt} Board of Realtors",
    "{st} community bankers|bankers from {town}|{town} credit union leaders",
]
DIST_X = [  # one list per DISTRICT entry
    "Great to visit {place} today and meet with {group}.|Stopped by {place} this morning to hear from "
    "{group}.|Thanks to {person} for showing me around {place}.|Spent the afternoon at {place} with "
    "{group}. Lots to talk about on {issue}.|Good morning from {town}! Heading to {place} to meet with "
    "{group}.|At {place} today talking {issue} with {group}.",
    "Thanks to {group} for stopping by my DC office to talk about {issue}.|Great to catch up with {group} in "
    "Washington today. We talked {issue}.|Always good to see {group} in DC. Today's topic: {issue}.|{group_c} "
    "came to Capitol Hill today with a clear message on {issue}.",
    "Enjoyed speaking with {group} this morning about {issue}.|Thanks to {group} for having me this morning. "
    "Great questions on {issue}.|Spoke to {group} in {town} today about {issue}.|Good conversation with "
    "{group} about {issue} over breakfast in {town}.",
    "Toured {place} today. Impressive work being done right here in {st}.|Toured {place} today. {n2} people "
    "work there, and they're proud of it.|Thanks to {person} and the team at {place} for the tour today.|"
    "{place} is a {town} success story. Great tour this morning.",
    "Join me {when} at {hour} for a telephone town hall on {issue}.|Town hall {when} at {hour} at {venue} in "
    "{town}. Come bring your questions on {issue}.|Telephone town hall {when} at {hour}. Sign up at my "
    "website or call {phone}.|{town}: I'll be at {venue} {when} at {hour} for a town hall. All are welcome.",
    "Congratulations to the {hs} {team} on a great season!|Congrats to the {hs} {team} on the state "
    "championship!|What a season for the {hs} {team}. {town} is proud of you.|Big congrats to Coach {person} "
    "and the {hs} {team}!",
    "My office will hold mobile office hours at {venue} in {town} tomorrow. Stop by if you need help with a "
    "federal agency.|Need help with the VA, IRS or Social Security? My staff will be at {venue} in {town} "
    "tomorrow.|Mobile office hours tomorrow at {venue}, {town}, 10am to 2pm.|Trouble with a federal agency? "
    "My caseworkers are in {town} tomorrow at {venue}.",
    "Happy to welcome {group} to the Capitol today.|Welcome to Washington, {group}!|Great to have {group} "
    "visiting the Capitol today.|Always a pleasure to show {group} around the Capitol.",
]
VENUES = (
    "Public Library|City Hall|Senior Center|Community Center|Town Hall|VFW Hall|Civic Center".split(
        "|"
    )
)
FLOOR_X = [  # one list per FLOOR entry
    "Spoke on the House floor today about {ix}. Watch:|On the floor today talking {ix}:|Took to the floor "
    "today on {ix}. Watch:|My floor remarks on {ix}:",
    "Questioned {witness} at today's {comm} hearing on {ix}.|Pressed {witness} today on {ix}. {dem} need "
    "answers.|At today's {comm} hearing I asked {witness} about {ix}.|My questions for {witness} on {ix} at "
    "today's {comm} hearing:",
    "Voted today on {bill} on {ix}. Read my statement:|Why I voted on {bill} today, on {ix}:|Today the House "
    "passed {bill} on {ix}. My statement:|Cast my vote on {bill} today. Here's why it matters for {st}:",
    "Introduced {own} today to address {ix}.|Today I introduced {own} on {ix}.|My new bill, {own}, tackles "
    "{ix}.|Introduced {own} today. It's about {ix} in {st}.",
    "Good discussion at today's {comm} markup on {ix}.|{comm} markup today: we advanced a bill on {ix}.|Proud "
    "to see my amendment on {ix} pass the {comm} Committee today.|Long day of {comm} markup. Progress on {ix}.",
    "Spoke on the floor today about {ix}:|Floor speech today on {ix}:|I went to the floor to talk about {ix}:|"
    "On the floor today about {ix} and {town}:",
]
STATEMENT = (
    "Statement on {ix}|My statement on {ix}|Read my statement on {ix}|NEW: {ix}|My statement on today's vote "
    "on {ix}|Statement on the GAO report on {ix}|My statement on the new rule on {ix}|Statement on {bill} and "
    "{ix}|NEW: my plan on {ix}|Statement on {ix} ({date})|Press release: {ix}"
).split("|")
NEWS_X = (
    "Worth a read on {ix}:|Good piece on {ix}.|Important story for {st}:|{town} is in the news for {ix}:|"
    "Must read on {ix}:|Encouraging news for {st}:|This is unacceptable. {dem} deserve better:|Glad to see "
    "attention on {ix}:|Great to see {st} leading on {ix}:|Read this on {ix}:|Here's what {ix} means for "
    "{town}:|Exactly what I've been saying about {ix}:|News from home on {ix}:|Troubling report on {ix}:"
).split("|")
QUOTE_X = (
    "Exactly right.|Couldn't agree more.|Well said.|Agreed.|This.|Important.|So true.|Spot on.|Yes!|Hear, hear.|"
    "Well put.|Amen.|100% right.|Exactly.|Right on."
).split("|")
QUOTE_L = (
    "{dem} know it.|That's what I hear in {town}.|Proud to stand with my colleagues on this.|We won't stop "
    "fighting.|Here's what it means for {st}:|{st} agrees.|The {where} is with you.|Read this.|I'll keep "
    "pushing on this for {st}."
).split("|")
REPLY_X = (
    "Thanks for your leadership on this!|Great to be with you today.|Well said, my friend.|Proud to work with "
    "you on this.|Congrats!|Couldn't agree more.|Thank you!|Great to see you in {town}!|Thanks for coming to "
    "{st}!|Count me in.|Glad to partner with you on this.|Thanks, {first}!|Well said, {first}.|Congratulations, "
    "{first}!|Always a pleasure, {first}.|Absolutely right.|Looking forward to it.|Thanks for the shout-out!"
).split("|")
SELF_X = (
    "More here:|(2/2) We will keep working on this.|Full statement on the {where} below.|(2/2) Statement below.|(2/2) More on "
    "what this means for {st} below.|(2/2) Thanks to everyone in {town} who came out.|(2/2) Questions? Call "
    "{phone}.|(2/2) Full remarks from {town}:|(2/2) We'll keep at it in the {where}."
).split("|")
COSP_X = (
    "Proud to cosponsor {bn} on {ix}.|Glad to join @{sp} on {bn}.|{bn} is a commonsense step on {ix}.|I'm a "
    "cosponsor of {bn}. Here's why it matters for {st}:|Proud to support this bipartisan bill on {ix}."
).split("|")
COSP_Y = [  # variants of each cosponsor frame; {sp} must stay where the frame mentions the sponsor
    "Proud to cosponsor {bn} on {ix}.|I'm cosponsoring {bn} because {ix} matters in {town}.|Signed on to {bn} "
    "today. {dem} need action on {ix}.|Happy to cosponsor {bn}, the {title}.",
    "Glad to join @{sp} on {bn}.|Proud to join @{sp} on {bn}, the {title}.|Teaming up with @{sp} on {bn} for "
    "{ix}.|Glad to work with @{sp} on {bn}. Good for {st}.",
    "{bn} is a commonsense step on {ix}.|{bn} is a smart fix for {ix}.|The {title} ({bn}) is good news for "
    "{town}.|{bn} would make a real difference on {ix} in {st}.",
    "I'm a cosponsor of {bn}. Here's why it matters for {st}:|Why I'm backing {bn}, the {title}:|Cosponsoring "
    "{bn}. What it means for {cnt}:|I've signed on to {bn}. Here's why:",
    "Proud to support this bipartisan bill on {ix}.|Bipartisan bill on {ix} that {dem} can get behind:|"
    "Supporting the bipartisan {title}:|A bipartisan fix on {ix}. Proud to support it.",
]
ES_X = [  # one list per ES entry
    "Hoy me reuní con líderes de {town} para hablar sobre {issue}.|Buena reunión hoy en {town} con líderes "
    "de la comunidad.|Gracias a los líderes comunitarios de {cnt} por la reunión de hoy.",
    "Orgulloso de representar a {st}.|Orgullosa de servir a las familias de {town}.|Es un honor representar "
    "a {st} en el Congreso.",
    "Las familias trabajadoras merecen un salario justo.|Las familias de {town} merecen un salario justo.|"
    "En {cnt}, un día de trabajo merece un pago justo.",
    "Estamos trabajando para proteger a nuestras familias.|Seguimos trabajando por las familias de {st}.|"
    "Trabajando para proteger a las familias de {town}.",
    "Mi oficina está aquí para ayudarle. Llame hoy: {phone}.|¿Necesita ayuda con una agencia federal? Llame a mi "
    "oficina: {phone}.|Mi oficina en {town} está para servirle.",
]
MONTHS_DAY = "April {d}"


def _town(r):
    c = r.random()
    if c < 0.35:
        return _pick(r, TOWN_A) + _pick(r, TOWN_B)
    if c < 0.6:
        return _pick(r, TOWN_A) + " " + _pick(r, TOWN_C)
    if c < 0.8:
        return (
            _pick(r, ["Port", "Fort", "Mount", "New", "East", "West", "North", "South"])
            + " "
            + _pick(r, LAST)
        )
    return _pick(r, LAST) + _pick(r, ["ville", "ton", "burg", " City", " Springs"])


def _fmt(s, f):
    return s.format_map(f)


class Voices:
    """Per-account material and habits, and the text composers that use them."""

    def __init__(self, seed, accounts, days, A):
        self.r = r = np.random.default_rng([int(seed), int(accounts), int(days), 2016, 77])
        self.A = A
        self.fig = {
            s[0]: {k: int(r.integers(lo, hi + 1)) for k, (lo, hi) in FIG.items()} for s in STATES
        }
        for a in A:
            mem = a["role"].startswith("member")
            st = a["state"] if mem else _pick(r, [s[0] for s in STATES])
            real = list(CITIES[st])
            towns = [
                real[int(j)]
                for j in r.choice(len(real), min(len(real), int(r.integers(1, 4))), replace=False)
            ]
            towns += [_town(r) for _ in range(int(r.integers(2 if a["chamber"] == "S" else 4, 8)))]
            f, l = (a["name"].split()[1:3] + ["", ""])[:2] if mem else ("", "")
            comm = list(
                r.choice(COMMITTEES.get(a["chamber"] or "H", COMMITTEES["H"]), 2, replace=False)
            )
            dist = a["dist"]
            where = (
                f"{dist}{'th' if 10 <= dist % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(dist % 10, 'th')} District"
                if dist
                else (a.get("sname") or "country")
            )
            area = int(r.integers(201, 990))
            a["v"] = v = dict(
                st=a.get("sname") or "America",
                dem=DEMONYM.get(a["state"], "Americans") if mem else "Americans",
                towns=towns,
                cnts=[f"{_pick(r, LAST)} County" for _ in range(2)]
                if mem
                else ["every county", "communities nationwide"],
                where=where if mem else "country",
                comm=comm,
                phone=f"({area}) {int(r.integers(200, 999))}-{int(r.integers(1000, 9999))}",
                first=f,
                init=(f[:1] + l[:1]).upper(),
                bills=[
                    (
                        f"{'H.R.' if a['chamber'] != 'S' else 'S.'} {int(r.integers(1000, 5200))}",
                        _pick(r, ISSUES),
                    )
                    for _ in range(int(r.integers(1, 4)))
                ],
                biz=[
                    _pick(
                        r,
                        [
                            "{l} Manufacturing",
                            "{t} Tool & Die",
                            "{l} & Sons",
                            "{t} Steel",
                            "{l} Industries",
                            "{t} Plastics",
                            "{l} Brewing Co.",
                            "{t} Machine Works",
                        ],
                    )
                    .replace("{l}", _pick(r, LAST))
                    .replace("{t}", _pick(r, towns))
                    for _ in range(3)
                ],
                hs=[f"{t} High" for t in towns[:3]] + [f"{_pick(r, LAST)} High"],
                hosp=f"{_pick(r, towns)} {_pick(r, ['Regional Medical Center', 'Memorial Hospital', 'General Hospital', 'Community Hospital'])}",
                cc=f"{_pick(r, LAST if r.random() < 0.4 else towns)} {_pick(r, ['Community College', 'Technical College', 'State College'])}",
                hw=int(r.integers(5, 95)),
                open=[
                    OPENERS[int(j)]
                    for j in r.choice(len(OPENERS), int(r.integers(3, 7)), replace=False)
                ],
                sign=[
                    SIGNOFFS[int(j)]
                    for j in r.choice(len(SIGNOFFS), int(r.integers(3, 7)), replace=False)
                ],
                frames=float(r.uniform(0.45, 1.0)),  # share of the frame pool the office uses
                p_open=float(r.beta(1.5, 3)),
                p_sign=float(r.beta(2, 2.5)),
                p_local=float(r.beta(2, 3)),
                p_excl=float(r.beta(1, 4)),
                emoji=[EMOJI[int(j)] for j in r.choice(len(EMOJI), 2, replace=False)]
                if r.random() < 0.3
                else [],
                p_emoji=float(r.uniform(0.15, 0.6)),
                tagpos=r.dirichlet([3, 2, 0.7]),  # end, inline, front
                sig=mem and r.random() < 0.08,
                p_short=float(r.beta(1.2, 6)),
                es_fem=f in FIRST[42:],
            )
            v["mask"] = int(r.integers(1 << 30))

    # ---- helpers ----------------------------------------------------------------------------
    def fill(self, i, **kw):
        r, v = self.r, self.A[i]["v"]
        f = dict(
            st=v["st"],
            dem=v["dem"],
            town=_pick(r, v["towns"]),
            cnt=_pick(r, v["cnts"]),
            where=v["where"],
            phone=v["phone"],
            comm=_pick(r, v["comm"]),
            hw=v["hw"],
            first=v["first"],
            biz=_pick(r, v["biz"]),
            hs=_pick(r, v["hs"]),
            hosp=v["hosp"],
            cc=v["cc"],
            last=_pick(r, LAST),
            person=f"{_pick(r, FIRST)} {_pick(r, LAST)}",
            venue=f"the {_pick(r, v['towns'])} {_pick(r, VENUES)}",
            n1=int(r.integers(1, 12)),
            n2=int(r.integers(3, 60)) * 10,
            post=int(r.integers(100, 9999)),
        )
        f.update(kw)
        return f

    def frame(self, i, pool):
        """The office's own choice among the frames of a pool (a stable subset, then uniform)."""
        v, r = self.A[i]["v"], self.r
        k = max(1, int(round(len(pool) * v["frames"])))
        own = [pool[(j + v["mask"]) % len(pool)] for j in range(k)]
        return _pick(r, own)

    def issue(self, i, iss, f):
        r = self.r
        if r.random() < 0.45:
            return iss
        return _fmt(_pick(r, ISSUE_X[iss].split("|")), f | {"n": int(r.integers(200, 9000))})

    def finish(self, i, body, tags=(), room=140, opener=None, signoff=None, local=None):
        """Assemble one post: optional opener/local/sign-off, habits, and the given hashtags
        (in order) at the end, inline or in front, within `room` characters."""
        v, r = self.A[i]["v"], self.r
        tags = list(tags)
        pos = ["end", "inline", "front"][int(r.choice(3, p=v["tagpos"]))] if tags else "end"
        head = ""
        if tags and pos == "inline":
            m = re.search(r"(?<![\w#@])" + re.escape(tags[0]) + r"(?!\w)", body, re.I)
            if m:
                body = body[: m.start()] + "#" + tags[0] + body[m.end() :]
                tags = tags[1:]
        elif tags and pos == "front" and r.random() < 0.6:
            head, tags = "#" + tags[0] + ": ", tags[1:]
        if r.random() < v["p_excl"] and body.endswith("."):
            body = body[:-1] + "!"
        tail = " ".join("#" + t for t in tags)
        extra = []
        if local:
            extra.append(("local", local))
        if signoff:
            extra.append(("sign", signoff))
        if v["emoji"] and r.random() < v["p_emoji"]:
            extra.append(("emoji", _pick(r, v["emoji"])))
        if v["sig"] and r.random() < 0.5:
            extra.append(("sig", "-" + v["init"]))
        if opener and not head:
            body = opener + " " + body[0].upper() + body[1:]

        def build(ex):
            s = head + body
            for _, x in ex:
                s += " " + x
            return (s + (" " + tail if tail else "")).strip()

        s = build(extra)
        while len(s) > room and extra:
            extra = extra[:-1] if extra[-1][0] != "sig" else extra[:-2] + extra[-1:]
            if extra and extra[-1][0] == "sig" and len(extra) == 1:
                extra = []
            s = build(extra)
        if len(s) > room and opener and not head:
            body = body[len(opener) + 1 :]
            body = body[0].upper() + body[1:]
            s = build([])
        return s

    def parts(self, i, o, sgn, f):
        """Opener / sign-off for a post, given the draws the activity stream made for them."""
        v, r = self.A[i]["v"], self.r
        opener = _fmt(_pick(r, v["open"]), f) if o and r.random() < 0.5 + v["p_open"] else None
        signoff = _fmt(_pick(r, v["sign"]), f) if sgn and r.random() < 0.4 + v["p_sign"] else None
        return opener, signoff

    # ---- composers --------------------------------------------------------------------------
    def topic(self, i, tp, pa, day, tags, o, sgn, room=140, lead=None):
        r, a = self.r, self.A[i]
        ph = TOPIC_X[tp][0 if pa == "R" else 1]
        st = a["state"] if a["state"] else _pick(r, [s[0] for s in STATES])
        f = self.fill(i, n=self.fig[st][tp], days=day + 16, kw=TOPIC_X[tp][2])
        if not a["role"].startswith("member"):
            ph = [x for x in ph if "{" not in x] or ph
        body = _fmt(self.frame(i, ph) if r.random() < 0.7 else _pick(r, ph), f)
        bare = body in ph
        if lead:
            body = lead + " " + body
        local = (
            _fmt(_pick(r, LOCAL), f)
            if a["role"].startswith("member") and r.random() < a["v"]["p_local"]
            else None
        )
        opener, signoff = self.parts(i, o, sgn, f)
        if bare and not (opener or signoff or local) and r.random() < 0.85:
            signoff = _fmt(_pick(r, a["v"]["sign"]), f)
        return self.finish(i, body, tags, room, opener, signoff, local)

    def district(self, i, k, place_k, group_k, issue, when, hour, team, o, sgn, tags):
        r = self.r
        f = self.fill(i, when=when, hour=hour, team=team)
        f["issue"] = self.issue(i, issue, f)
        f["place"] = _fmt(_pick(r, PLACE_X[place_k].split("|")), f)
        f["group"] = _fmt(_pick(r, GROUP_X[group_k].split("|")), f)
        f["group_c"] = f["group"][0].upper() + f["group"][1:]
        body = min(
            (_fmt(self.frame(i, DIST_X[k].split("|")), f) for _ in range(3)),
            key=lambda x: len(x) > 120,
        )
        opener, signoff = self.parts(i, o, sgn, f)
        return self.finish(i, body, tags, 140, opener if k != 5 else None, signoff)

    def spanish(self, i, k, issue, tail):
        r = self.r
        f = self.fill(i, issue=issue)
        s = _fmt(_pick(r, ES_X[k].split("|")), f)
        if self.A[i]["v"]["es_fem"]:
            s = s.replace("Orgulloso", "Orgullosa")
        return s + tail

    def floor(self, i, k, issue, witness, room):
        r, v = self.r, self.A[i]["v"]
        f = self.fill(i, witness=witness)
        f["ix"] = self.issue(i, issue, f)
        own = _pick(r, v["bills"])
        f["own"] = own[0]
        f["bill"] = f"H.R. {int(r.integers(1000, 5200))}" if r.random() < 0.7 else "the bill"
        s = _fmt(self.frame(i, FLOOR_X[k].split("|")), f)
        if self.A[i]["chamber"] == "S":
            s = s.replace("House floor", "Senate floor").replace(
                "the House passed", "the Senate passed"
            )
            s = s.replace("H.R.", "S.")
        return self.finish(i, s, (), room)

    def statement(self, i, k, issue, room):
        r = self.r
        if r.random() < self.A[i]["v"]["p_short"] / 4:
            return (
                ["Statement on", "My statement on", "Read my statement on", "NEW:"][k] + " " + issue
            )
        f = self.fill(i, date=MONTHS_DAY.format(d=int(r.integers(1, 21))))
        f["ix"] = self.issue(i, issue, f)
        f["bill"] = (
            f"{'S.' if self.A[i]['chamber'] == 'S' else 'H.R.'} {int(r.integers(1000, 5200))}"
        )
        return self.finish(i, _fmt(self.frame(i, STATEMENT), f), (), room)

    def news(self, i, k, issue, room):
        r, v = self.r, self.A[i]["v"]
        if r.random() < v["p_short"] / 2 and "{" not in NEWS_CMT[k]:
            return _fmt(NEWS_CMT[k], self.fill(i, issue=issue, state=v["st"]))
        f = self.fill(i)
        f["ix"] = self.issue(i, issue, f)
        return self.finish(i, _fmt(self.frame(i, NEWS_X), f), (), room)

    def quote(self, i, k, tag_):
        r, v = self.r, self.A[i]["v"]
        f = self.fill(i)
        s = _pick(r, QUOTE_X) if r.random() < 0.5 else QUOTE_CMT[k]
        if r.random() > v["p_short"] and self.A[i]["role"].startswith("member"):
            s += " " + _fmt(_pick(r, QUOTE_L + v["sign"]), f)
        return self.finish(i, s, [tag_] if tag_ else [], 116)

    def reply(self, i, target, k):
        r = self.r
        tv = self.A[target]["v"]
        f = self.fill(i, first=tv["first"] or "friend", town=_pick(r, tv["towns"]))
        f["st"] = tv["st"]
        s = REPLY[k] if r.random() < 0.3 else _fmt(_pick(r, REPLY_X), f)
        return self.finish(i, s, (), 124)

    def self_thread(self, i, k, o, sgn):
        r = self.r
        f = self.fill(i)
        if k == 0 and r.random() < 0.5:
            return "More here:"
        if k == 2 and r.random() < 0.3:
            return "Full statement below."
        s = _fmt(_pick(r, SELF_X), f)
        opener, signoff = self.parts(i, False, sgn, f)
        return self.finish(i, s, (), 140, None, signoff)

    def bill(self, i, bn, iss):
        r = self.r
        f = self.fill(i)
        title = f"{_pick(r, ACT_W[iss].split('|'))} Act"
        f["ix"] = self.issue(i, iss, f)
        s = _pick(
            r,
            [
                "Today I introduced {bn}, the {title}, to address {ix}.",
                "Introduced {bn}, the {title}, today. It's about {ix}.",
                "My new bill, the {title} ({bn}), tackles {ix}.",
                "Today I introduced the {title}. Here's what {bn} would do for {st}:",
                "Proud to introduce {bn}, the {title}, with a bipartisan group of colleagues.",
            ],
        )
        return title, self.finish(i, _fmt(s, f | {"bn": bn, "title": title}), (), 116)

    def cosponsor(self, i, k, bn, iss, title, sp):
        f = self.fill(i, bn=bn, title=title, sp=sp)
        f["ix"] = self.issue(i, iss, f)
        return self.finish(i, _fmt(_pick(self.r, COSP_Y[k].split("|")), f), (), 116)

    def oped(self, i, where, iss):
        f = self.fill(i, out=where)
        f["ix"] = self.issue(i, iss, f)
        s = _pick(
            self.r,
            [
                "My op-ed in {out} on {ix}:",
                "I wrote for {out} about {ix}:",
                "In {out} today: why {ix} matters for {st}.",
                "My latest in {out}, on {ix}:",
                "New op-ed in {out}: {dem} deserve action on {ix}.",
            ],
        )
        return self.finish(i, _fmt(s, f), (), 116)

    def oped_share(self, i, k, au, iss):
        f = self.fill(i, au=au)
        f["ix"] = self.issue(i, iss, f)
        pools = [
            "Great op-ed by @{au}.|Must-read op-ed from @{au} on {ix}.|Smart take from @{au}:|Glad "
            "@{au} is speaking up on {ix}.",
            "Read @{au} on {ix}:|My colleague @{au} makes the case on {ix}:|Well argued, @{au}. On {ix}:",
            "Worth a read:|Worth a read on {ix}:|Good read on {ix}:|Important op-ed on {ix}:",
        ]
        return self.finish(i, _fmt(_pick(self.r, pools[k].split("|")), f), (), 116)

    def spike(self, i, k, label, tp, pa, day, tags, room):
        leads = [
            "At today's {l}:|At the {l} today:|From the {l}:",
            "Watching the {l}.|Watching the {l} closely.|Tuned in to the {l}.",
            "My remarks at the {l}:|Spoke at the {l}:|My questions at the {l}:",
            "Statement on the {l}:|My statement on today's {l}:|On today's {l}:",
            "{l}:|{L} today:|{L}, today:",
            "Happening now, {l}.|Happening now: {l}.|Now: {l}.",
        ]
        lead = _pick(self.r, leads[k].split("|")).format(l=label, L=label[0].upper() + label[1:])
        return self.topic(i, tp, pa, day, tags, False, False, room, lead)


class Posts:
    def __init__(self):
        self.cols = {
            k: []
            for k in ("a", "t", "text", "urls", "media", "kind", "ref", "lang", "topic", "drive")
        }

    def add(
        self, a, t, text, urls=(), media=(), kind="orig", ref=-1, lang="en", topic="", drive=0.0
    ):
        c = self.cols
        for k, v in (
            ("a", a),
            ("t", t),
            ("text", text),
            ("urls", list(urls)),
            ("media", list(media)),
            ("kind", kind),
            ("ref", ref),
            ("lang", lang),
            ("topic", topic),
            ("drive", drive),
        ):
            c[k].append(v)
        return len(c["a"]) - 1

    def __len__(self):
        return len(self.cols["a"])


SUFFIX = [
    "We must act.",
    "I'll keep fighting for {st}.",
    "Families in {st} deserve better.",
    "This matters for {st}.",
    "Let's get it done.",
    "More soon.",
    "I hear this from people across {st} every day.",
    "{st} is counting on us.",
    "Proud of the work we're doing.",
    "Thank you!",
    "We can do better.",
]
PREFIX = ["Today: ", "Fact: ", "ICYMI: ", "Bottom line: ", "Important: ", "Again: ", "Update: "]


def _vary_draws(rng):
    """Whether a post gets an opener and a sign-off.  These are the activity stream's draws of
    the original generic prefix/suffix, kept so that timing etc. stay a function of the seed."""
    o = rng.random() < 0.35
    if o:
        rng.random()
        rng.integers(len(PREFIX))
    sg = rng.random() < 0.55
    if sg:
        rng.integers(3)
        rng.integers(len(SUFFIX))
    return o, sg


def _hex(rng, n=16):
    return "".join("0123456789abcdef"[i] for i in rng.integers(0, 16, n))


def _tco(rng):
    return "https://t.co/" + "".join(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[i]
        for i in rng.integers(0, 62, 10)
    )


def _pick(rng, xs):
    return xs[int(rng.integers(len(xs)))]


def build_accounts(rng, n):
    n_inst = int(min(len(INSTITUTIONS), max(10, round(n * 0.052))))
    inst = INSTITUTIONS[:n_inst]
    n_mem = n - n_inst
    n_sen = int(round(n_mem * 100 / 535))
    A = []
    for sid, name, role, party, ch, fol, yr in inst:
        A.append(
            dict(
                id=sid,
                name=name,
                role=role,
                party=party,
                chamber=ch,
                state="",
                dist=0,
                last=sid.lower(),
                tz=0,
                followers=int(fol * rng.lognormal(0, 0.15)),
                created=(yr, int(rng.integers(1, 13))),
                es=0.0,
            )
        )
    lean = {s[0]: float(np.clip(0.55 + rng.normal(0, 0.22), 0.05, 0.95)) for s in STATES}
    seats = np.array([int(s[2]) for s in STATES], float)
    used, dcount, snames = {a["id"] for a in A}, {}, {}
    sen_states = [STATES[i] for i in rng.permutation(50)] * (2 + n_sen // 50)
    for k in range(n_mem):
        senate = k < n_sen
        st = sen_states[k] if senate else STATES[int(rng.choice(50, p=seats / seats.sum()))]
        party = "R" if rng.random() < lean[st[0]] else "D"
        for _ in range(50):
            f, l = _pick(rng, FIRST), _pick(rng, LAST)
            if (f, l) not in snames:
                break
        snames[(f, l)] = 1
        styles = (
            [f"Sen{f}{l}", f"Sen{l}", f"Senator{l}", f"{f}{l}", f"Sen{f[0]}{l}"]
            if senate
            else [
                f"Rep{f}{l}",
                f"Rep{l}",
                f"{f}{l}",
                f"Congressman{l}" if f not in FIRST[42:] else f"Congresswoman{l}",
                f"Rep{f[0]}{l}",
                f"{l}For{st[0]}",
                f"{f}{l}{st[0]}",
            ]
        )
        w = np.array([5, 3, 1.5, 1, 1] if senate else [6, 4, 1.5, 1, 1, 0.5, 0.5], float)
        sid = None
        for j in rng.choice(len(styles), len(styles), replace=False, p=w / w.sum()):
            if len(styles[j]) <= 15 and styles[j] not in used:
                sid = styles[j]
                break
        sid = sid or f"Rep{l}{k}"[:15]
        used.add(sid)
        dcount[st[0]] = dcount.get(st[0], 0) + 1
        fresh = rng.random() < 0.12
        yr = (
            2015
            if fresh and rng.random() < 0.5
            else (
                2014
                if fresh
                else int(rng.choice(range(2008, 2015), p=[0.08, 0.2, 0.18, 0.17, 0.13, 0.14, 0.1]))
            )
        )
        A.append(
            dict(
                id=sid,
                name=("Sen. " if senate else "Rep. ") + f"{f} {l}",
                role="member_senate" if senate else "member_house",
                party=party,
                chamber="S" if senate else "H",
                state=st[0],
                sname=st[1].replace("_", " "),
                dist=0 if senate else dcount[st[0]],
                last=l.lower(),
                tz=int(st[3]),
                followers=int(max(2000, rng.lognormal(np.log(60000 if senate else 11000), 1.0))),
                created=(yr, int(rng.integers(1, 13)) if yr < 2015 else int(rng.integers(1, 3))),
                es=float(rng.uniform(0.15, 0.5))
                if st[0] in HISPANIC_STATES and rng.random() < 0.09
                else 0.0,
            )
        )
    for a in A:
        mem = a["role"].startswith("member")
        base = {"party_account": 4.0, "leadership": 3.0, "committee": 2.0, "outlet": 16.0}.get(
            a["role"], 1.7
        )
        a["rate"] = float(
            min(25, base * rng.lognormal(0, 0.85 if mem else 0.35))
            * (0.08 if mem and rng.random() < 0.06 else 1)
        )
        a["rt"] = float(rng.lognormal(0, 0.8)) if a["role"] != "outlet" else 0.0
        a["loyal"] = float(rng.beta(2, 3.2))
        a["batch"] = float(rng.beta(1.2, 2.5))
        a["tool"] = float(rng.beta(1, 14))
        a["mtag"] = float(rng.beta(1.2, 2.5))
        a["stag"] = (
            (f"{a['state'].lower()}pol" if rng.random() < 0.5 else a["state"])
            if mem and rng.random() < 0.4
            else ""
        )
        if a["role"] == "outlet":
            a["c1"], a["c2"] = "SocialFlow", "TweetDeck"
        else:
            a["c1"] = CLIENTS[int(rng.choice(len(CLIENTS), p=CLIENT_P))]
            a["c2"] = _pick(
                rng,
                [
                    "Twitter for iPhone",
                    "Twitter for iPhone",
                    "Twitter for Android",
                    "Twitter Web Client",
                ],
            )
        a["loc"] = (
            "Washington, DC"
            if not mem
            else _pick(
                rng,
                [
                    a.get("sname", ""),
                    f"{a.get('sname', '')}",
                    "Washington, DC",
                    f"{a['state']}-{a['dist']:02d}" if a["dist"] else "Washington, DC",
                    "",
                ],
            )
        )
    return A


def _day_time(rng, day, weekend, shift=0.0):
    """A posting time (seconds from START) on `day`: Eastern office hours with an evening tail."""
    if weekend:
        h = rng.normal(13.0, 3.3)
    else:
        h = rng.normal(12.6, 2.5) if rng.random() < 0.85 else rng.normal(19.5, 1.8)
    h = float(np.clip(h + shift, 5.5, 25.5))
    return day * 86400 + h * H + EDT + float(rng.uniform(0, 60))


def _art(rng, outlet, slug):
    return OUTLET_URL[outlet].format(
        slug=slug,
        n6=int(rng.integers(220000, 229999)),
        hex=_hex(rng, 32),
        sec=_pick(rng, ["healthcare", "finance", "national-security", "energy-environment"]),
    )


def _slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:60]


def _originals(seed, accounts, days):
    rng = np.random.default_rng([int(seed), int(accounts), int(days), 2016])
    A = build_accounts(rng, accounts)
    V = Voices(seed, accounts, days, A)
    n, end = len(A), days * 86400.0
    role = [a["role"] for a in A]
    mem = [i for i in range(n) if role[i].startswith("member")]
    outlets = [i for i in range(n) if role[i] == "outlet"]
    comm = [i for i in range(n) if role[i] == "committee"]
    party_acc = {
        (A[i]["party"], A[i]["chamber"]): i for i in range(n) if role[i] == "party_account"
    }
    for i in mem:  # committee membership: 1-2 committees of the member's chamber
        own = [c for c in comm if A[c]["chamber"] == A[i]["chamber"]]
        A[i]["comms"] = (
            list(rng.choice(own, min(len(own), int(rng.integers(1, 3))), replace=False))
            if own
            else []
        )
    members_of = {c: [i for i in mem if c in A[i]["comms"]] for c in comm}
    P = Posts()
    gfx = {}  # (topic, party, day) -> list of media keys

    def tag(s):
        return "#" + s

    def hashtags_for(a, topic, party):
        tr, td = TOPICS[topic][0], TOPICS[topic][1]
        tags = tr if party == "R" else td
        out = [tags[0] if rng.random() < 0.7 else _pick(rng, tags)]
        if rng.random() < 0.35 + 0.3 * A[a]["mtag"]:
            extra = A[a]["stag"] if A[a]["stag"] and rng.random() < 0.5 else _pick(rng, tags)
            if extra and extra not in out:
                out.append(extra)
        return out

    def topic_text(a, topic, party, day, room=140):
        ph = TOPICS[topic][2] if party == "R" else TOPICS[topic][3]
        tags = hashtags_for(a, topic, party)
        s = _pick(rng, ph)
        if tags and rng.random() < 0.35 and tags[0].lower() in s.lower():
            s = re.sub(re.escape(tags[0]), tag(tags[0]), s, count=1, flags=re.I)
            tags = tags[1:]
        o, sg = _vary_draws(rng)
        return V.topic(a, topic, party, day, re.findall(r"#(\w+)", s) + tags, o, sg, room)

    def media_for(topic, party, day, p):
        if rng.random() >= p:
            return []
        g = gfx.setdefault((topic, party, day), [_hex(rng) for _ in range(int(rng.integers(1, 4)))])
        return [_pick(rng, g)] if rng.random() < 0.6 else [_hex(rng)]

    def own_url(a, topic_slug):
        x = A[a]
        if x["chamber"] == "S" and x["role"].startswith("member"):
            return f"https://www.{x['last']}.senate.gov/public/index.cfm/2016/4/{topic_slug}"
        if x["role"].startswith("member"):
            return f"https://{x['last']}.house.gov/media-center/press-releases/{topic_slug}"
        return {
            "HouseGOP": "https://www.gop.gov/",
            "HouseDemocrats": "https://www.dems.gov/",
            "SenateGOP": "https://www.republican.senate.gov/public/",
            "SpeakerRyan": "https://www.speaker.gov/press-release/",
            "NancyPelosi": "https://www.democraticleader.gov/newsroom/",
        }.get(x["id"], f"https://{x['id'].lower()}.gov/news/") + topic_slug

    def add_link(a, t, text, url, **kw):
        return P.add(a, t, f"{text} {_tco(rng)}", [url], **kw)

    # --- the day plan: messaging topics per party and spikes -------------------------------
    plan = {}
    for d, tp, pa, inten in CALENDAR:
        if d < days:
            plan.setdefault(d, []).append((tp, pa, inten))
    spikes = [s for s in SPIKES if s[0] < days]
    for d in range(days):
        wd = (4 + d) % 7  # Apr 1 2016 was a Friday (0 = Monday)
        if d >= 15 and wd < 5:
            for pa in "RD":
                if rng.random() < 0.7:
                    plan.setdefault(d, []).append(
                        (_pick(rng, list(TOPICS)), pa, float(rng.uniform(0.15, 0.45)))
                    )
            if rng.random() < 0.25:
                spikes.append(
                    (
                        d,
                        float(rng.uniform(10, 16)),
                        _pick(rng, list(TOPICS)),
                        "hearing",
                        _pick(rng, "HS"),
                    )
                )
    articles = {}  # day -> list of (url, time)

    # --- originals ---------------------------------------------------------------------------
    for d in range(days):
        wd = (4 + d) % 7
        weekend = wd >= 5
        recess = 3 <= d <= 9
        topics = plan.get(d, [])
        pushes = {}
        for tp, pa, _inten in topics:  # morning push time of the party's message
            pushes[(tp, pa)] = d * 86400 + EDT + float(rng.uniform(8.5, 10.5)) * H
        for i in range(n):
            a = A[i]
            r = a["role"]
            f = 0.35 if weekend else 1.0
            if recess and a["chamber"] == "H":
                f *= 0.55 if r.startswith("member") else 0.75
            if r == "outlet":
                f = 0.5 if weekend else 1.0
            k = rng.poisson(a["rate"] * f * rng.gamma(3, 1 / 3))
            shift = (
                a["tz"]
                if (recess or weekend) and r.startswith("member") and rng.random() < 0.6
                else 0
            )
            for _ in range(k):
                t = _day_time(rng, d, weekend, shift)
                if r == "outlet":
                    tp = _pick(rng, [x[0] for x in topics] or list(TOPICS))
                    hl = _pick(
                        rng,
                        [
                            f"{_pick(rng, ['House', 'Senate', 'Congress', 'Lawmakers'])} "
                            f"{_pick(rng, ['weigh', 'clash over', 'push ahead on', 'stall on', 'eye deal on'])} {_pick(rng, ISSUES)}",
                            f"What to watch as Congress returns to {_pick(rng, ISSUES)}",
                            f"{_pick(rng, ['GOP', 'Democrats'])} {_pick(rng, ['press', 'target', 'court'])} voters on {tp}",
                        ],
                    )
                    u = _art(rng, a["id"], _slug(hl))
                    add_link(i, t, hl, u, topic=tp)
                    articles.setdefault(d, []).append((u, t))
                    continue
                if r in ("party_account", "leadership") or r == "committee":
                    pa = a["party"]
                    mine = [x for x in topics if x[1] == pa]
                    if mine and rng.random() < 0.65 and r != "committee":
                        tp = _pick(rng, mine)[0]
                        t = (
                            max(t, pushes[(tp, pa)] + float(rng.exponential(2 * H)))
                            if rng.random() < 0.7
                            else t
                        )
                        if rng.random() < 0.2:
                            text = TOPICS[tp][4 if pa == "R" else 5]
                        else:
                            text = topic_text(i, tp, pa, d, 116)
                        drive = 0.05 + 0.45 * float(rng.beta(1.6, 5))
                        if rng.random() < 0.3:
                            add_link(
                                i,
                                t,
                                text,
                                own_url(i, _slug(tp + "-" + _hex(rng, 4))),
                                media=media_for(tp, pa, d, 0.3),
                                topic=tp,
                                drive=drive,
                            )
                        else:
                            P.add(
                                i, t, text, media=media_for(tp, pa, d, 0.55), topic=tp, drive=drive
                            )
                        continue
                    drive = 0.05 + 0.3 * float(rng.beta(1.3, 6)) if rng.random() < 0.25 else 0.0
                    cand = [
                        m
                        for m in mem
                        if A[m]["party"] == pa
                        and (not a["chamber"] or A[m]["chamber"] == a["chamber"])
                    ]
                    if r == "committee":
                        cand = members_of[i] or cand
                    who = A[_pick(rng, cand)]["id"] if cand else "cspan"
                    iss = _pick(rng, ISSUES)
                    ix = V.issue(i, iss, V.fill(i))
                    c = rng.random()
                    if c < 0.35:
                        P.add(
                            i,
                            t,
                            f"{_pick(rng, ['ICYMI: ', 'WATCH: ', '', 'Great work: '])}@{who} on {ix}.",
                            media=[_hex(rng)] if rng.random() < 0.4 else [],
                            drive=drive,
                        )
                    elif c < 0.65:
                        add_link(
                            i,
                            t,
                            _pick(
                                rng,
                                [
                                    f"LIVE: hearing on {ix}.",
                                    f"Today the {'House' if a['chamber'] != 'S' else 'Senate'} votes on a bill on {ix}.",
                                    f"Our plan for {ix}, explained:",
                                    f"NEW: report on {ix}.",
                                ],
                            ),
                            own_url(i, _slug(iss + "-" + _hex(rng, 4))),
                            drive=drive,
                        )
                    else:
                        tp = _pick(rng, list(TOPICS))
                        P.add(
                            i,
                            t,
                            topic_text(i, tp, pa, d)
                            if rng.random() < 0.5
                            else f"{_pick(rng, ['We are fighting for', 'Our focus:', 'Working every day on'])} {ix}.",
                            drive=drive,
                        )
                    continue
                # members: ordinary posts
                c = rng.random()
                iss = _pick(rng, ISSUES)
                fill = dict(
                    place=_pick(rng, PLACES),
                    group=_pick(rng, GROUPS),
                    state=a["sname"],
                    issue=iss,
                    school=f"{_pick(rng, LAST)} High",
                    team=_pick(rng, ["Eagles", "Tigers", "Wildcats", "Bulldogs"]),
                    witness=_pick(rng, WITNESS),
                    when=_pick(rng, ["tonight", "tomorrow", "Thursday", "Monday"]),
                    hour=f"{int(rng.integers(5, 9))}{_pick(rng, [':00', ':30', ''])}pm",
                )
                if a["es"] and rng.random() < a["es"]:
                    P.add(
                        i,
                        t,
                        V.spanish(
                            i,
                            ES.index(_pick(rng, ES)),
                            iss,
                            _pick(rng, ["", "", " #" + a["state"], f" ¡Gracias, {a['sname']}!"]),
                        ),
                        lang="es",
                        media=[_hex(rng)] if rng.random() < 0.2 else [],
                    )
                elif c < (0.42 if recess and a["chamber"] == "H" or weekend else 0.26):
                    k = DISTRICT.index(_pick(rng, DISTRICT))
                    o, sg = _vary_draws(rng)
                    txt = V.district(
                        i,
                        k,
                        PLACES.index(fill["place"]),
                        GROUPS.index(fill["group"]),
                        iss,
                        *(fill[x] for x in ("when", "hour", "team")),
                        o,
                        sg,
                        [a["stag"]] if a["stag"] and rng.random() < 0.25 else [],
                    )
                    P.add(i, t, txt, media=[_hex(rng)] if rng.random() < 0.45 else [])
                elif c < 0.42:
                    add_link(
                        i,
                        t,
                        V.statement(i, int(rng.integers(4)), iss, 116),
                        own_url(i, _slug(iss + "-" + _hex(rng, 3))),
                    )
                elif c < 0.56:
                    txt = V.floor(i, FLOOR.index(_pick(rng, FLOOR)), iss, fill["witness"], 116)
                    if rng.random() < 0.5:
                        add_link(
                            i,
                            t,
                            txt,
                            f"https://www.youtube.com/watch?v={_hex(rng, 11)}"
                            if rng.random() < 0.5
                            else own_url(i, _slug(iss + "-" + _hex(rng, 3))),
                        )
                    else:
                        P.add(i, t, txt, media=[_hex(rng)] if rng.random() < 0.3 else [])
                elif c < 0.72 and (
                    arts := [
                        x for x in articles.get(d, []) + articles.get(d - 1, []) if x[1] < t - 300
                    ]
                ):
                    add_link(
                        i,
                        t,
                        V.news(i, NEWS_CMT.index(_pick(rng, NEWS_CMT)), iss, 116),
                        _pick(rng, arts)[0],
                    )
                else:
                    tp = _pick(rng, list(TOPICS))
                    P.add(
                        i,
                        t,
                        topic_text(i, tp, a["party"], d),
                        media=media_for(tp, a["party"], d, 0.15),
                    )
        # messaging participation: members post on the party's topics of the day
        for tp, pa, inten in topics:
            inten *= 0.4 if weekend else 1.0
            for i in mem:
                a = A[i]
                if a["party"] != pa or rng.random() >= min(
                    0.95, inten * 2.2 * a["loyal"] * (a["rate"] / (a["rate"] + 0.6))
                ):
                    continue
                for _ in range(1 + int(rng.random() < 0.25)):
                    t = pushes[(tp, pa)] + float(rng.lognormal(np.log(2.5 * H), 0.8))
                    if rng.random() < a["tool"] * 1.5:  # toolkit text with small edits
                        s = TOPICS[tp][4 if pa == "R" else 5]
                        e = rng.integers(0, 5)
                        s = [
                            s,
                            "Today: " + s,
                            s.replace(". ", "! ", 1),
                            s + (" " + tag(a["stag"]) if a["stag"] else " RT if you agree."),
                            re.sub(r"\s#\w+$", "", s),
                        ][e]
                        P.add(i, t, s, media=media_for(tp, pa, d, 0.5), topic=tp)
                    elif rng.random() < 0.3:
                        add_link(
                            i,
                            t,
                            topic_text(i, tp, pa, d, 116),
                            own_url(i, _slug(tp + "-" + _hex(rng, 3))),
                            topic=tp,
                        )
                    else:
                        P.add(
                            i,
                            t,
                            topic_text(i, tp, pa, d),
                            media=media_for(tp, pa, d, 0.35),
                            topic=tp,
                        )
        # bills and op-eds: cosponsors share the same link the same day with their own texts
        if not weekend:
            for _ in range(rng.poisson(1.6)):
                sp = _pick(rng, mem)
                pa, ch = A[sp]["party"], A[sp]["chamber"]
                pool = [
                    m
                    for m in mem
                    if A[m]["chamber"] == ch
                    and (A[m]["party"] == pa or rng.random() < 0.12)
                    and m != sp
                ]
                cos = (
                    list(rng.choice(pool, min(len(pool), int(rng.integers(4, 26))), replace=False))
                    if pool
                    else []
                )
                num = int(rng.integers(1000, 5000))
                kind = "house-bill" if ch == "H" else "senate-bill"
                url = f"https://www.congress.gov/bill/114th-congress/{kind}/{num}"
                iss = _pick(rng, ISSUES)
                bt = d * 86400 + EDT + float(rng.uniform(9, 14)) * H
                bn = f"{'H.R.' if ch == 'H' else 'S.'} {num}"
                title, txt = V.bill(sp, bn, iss)
                add_link(sp, bt, txt, url)
                for c in cos:
                    if rng.random() < 0.5:
                        txt = V.cosponsor(c, int(rng.integers(5)), bn, iss, title, A[sp]["id"])
                        add_link(c, bt + float(rng.lognormal(np.log(2 * H), 0.9)), txt, url)
            if rng.random() < 0.7:
                au = _pick(rng, mem)
                out = _pick(rng, ["thehill", "politico", "rollcall"])
                iss = _pick(rng, ISSUES)
                url = (
                    f"http://thehill.com/blogs/congress-blog/{_pick(rng, ['politics', 'healthcare', 'economy'])}/{int(rng.integers(275000, 277000))}-{_slug(iss)}"
                    if out == "thehill"
                    else _art(rng, out, _slug("opinion " + iss))
                )
                ot = d * 86400 + EDT + float(rng.uniform(7, 11)) * H
                add_link(
                    au,
                    ot,
                    V.oped(au, "@" + out if out in [A[o]["id"] for o in outlets] else out, iss),
                    url,
                )
                for c in rng.choice(mem, int(rng.integers(1, 6)), replace=False):
                    if A[c]["party"] == A[au]["party"] and c != au:
                        add_link(
                            int(c),
                            ot + float(rng.lognormal(np.log(3 * H), 0.8)),
                            V.oped_share(int(c), int(rng.integers(3)), A[au]["id"], iss),
                            url,
                        )
    # news spikes: many members post on one topic within an hour or two
    for d, hr, tp, label, ch in spikes:
        t0 = d * 86400 + EDT + hr * H
        url = f"https://www.c-span.org/video/?{int(rng.integers(407000, 409000))}-1/{_slug(label)}"
        for o in outlets:
            for _ in range(int(rng.integers(1, 4))):
                add_link(
                    o,
                    t0 + float(rng.exponential(0.6 * H)),
                    f"{_pick(rng, ['LIVE:', 'NOW:', 'Happening now:', ''])} {label}".strip(),
                    url if A[o]["id"] == "cspan" else _art(rng, A[o]["id"], _slug(label)),
                    topic=tp,
                )
        for i in mem + [p for p in party_acc.values()]:
            a = A[i]
            if (a["chamber"] == ch and rng.random() < 0.35) or rng.random() < 0.06:
                tg = TOPICS[tp][0 if a["party"] == "R" else 1][0]
                t = t0 + float(rng.lognormal(np.log(0.5 * H), 0.7))
                k = int(rng.integers(6))
                ph = _pick(rng, TOPICS[tp][2 if a["party"] == "R" else 3])
                tags = re.findall(r"#(\w+)", ph) + [tg]
                txt = V.spike(i, k, label, tp, a["party"], d, tags, 116)
                if rng.random() < 0.4:
                    add_link(
                        i,
                        t,
                        txt,
                        url if rng.random() < 0.55 else own_url(i, _slug(label + _hex(rng, 3))),
                        topic=tp,
                        drive=0.1 if not a["role"].startswith("member") else 0,
                    )
                else:
                    P.add(i, t, txt, media=[_hex(rng)] if rng.random() < 0.3 else [], topic=tp)
    n_orig = len(P)
    return A, P, n_orig, mem, comm, members_of, party_acc, outlets, rng, end, V


def _interactions(A, P, n_orig, mem, comm, members_of, party_acc, outlets, rng, end, V):
    """Retweets (drives, delegations, committees, outlets, staff batching), quotes, replies."""
    c = P.cols
    rt = np.array([a["rt"] for a in A])
    party = np.array([a["party"] for a in A])
    chamber = np.array([a["chamber"] for a in A])
    state = np.array([a["state"] for a in A])
    role = np.array([a["role"] for a in A])
    ismem = np.char.startswith(role.astype(str), "member")
    lead = np.isin(role, ["party_account", "leadership"])
    done, planned = set(), []  # planned: (member, src, t, snappable)

    def plan(src, who, med, sig, snap):
        for w in who:
            w = int(w)
            if w == c["a"][src] or (w, src) in done:
                continue
            done.add((w, src))
            planned.append(
                (w, src, c["t"][src] + max(40.0, float(rng.lognormal(np.log(med), sig))), snap)
            )

    for s in range(n_orig):
        a, r = c["a"][s], A[c["a"][s]]["role"]
        if r in ("party_account", "leadership"):
            aud = np.where((ismem | lead) & (party == A[a]["party"]))[0]
            same = (chamber[aud] == A[a]["chamber"]) | (A[a]["chamber"] == "")
            w = rt[aud] * np.where(same, 1.0, 0.12) * np.where(lead[aud], 0.5, 1.0)
            f = c["drive"][s]
            k = int(round(f * same.sum())) if f else int(rng.poisson(1.2))
            if k and w.sum() > 0:
                plan(
                    s,
                    rng.choice(aud, min(k, int((w > 0).sum())), replace=False, p=w / w.sum()),
                    35 * 60 if c["topic"][s] else 60 * 60,
                    1.3,
                    True,
                )
        elif r == "committee":
            aud = np.array(
                [m for m in members_of[a]] + [party_acc.get((A[a]["party"], A[a]["chamber"]), a)]
            )
            if len(aud):
                w = rt[aud] * np.where(party[aud] == A[a]["party"], 1.0, 0.1)
                k = rng.binomial(len(aud), float(rng.uniform(0.02, 0.15)))
                if k and w.sum() > 0:
                    plan(
                        s,
                        rng.choice(aud, min(k, int((w > 0).sum())), replace=False, p=w / w.sum()),
                        50 * 60,
                        1.3,
                        True,
                    )
        elif r == "outlet":
            k = rng.poisson(0.5 + (1.5 if c["topic"][s] and A[a]["id"] == "cspan" else 0))
            if k:
                aud = np.where(ismem)[0]
                plan(
                    s,
                    rng.choice(aud, k, replace=False, p=rt[aud] / rt[aud].sum()),
                    45 * 60,
                    1.2,
                    False,
                )
        else:  # members: delegation colleagues, same party, party account amplification
            boost = 2.0 if c["topic"][s] else 1.0
            aud = np.where(ismem & (party == A[a]["party"]))[0]
            w = rt[aud] * np.where(state[aud] == A[a]["state"], 12.0, 0.3)
            k = rng.poisson(0.3 * boost)
            if k and w.sum() > 0:
                plan(
                    s,
                    rng.choice(aud, min(k, len(aud)), replace=False, p=w / w.sum()),
                    2 * H,
                    1.4,
                    False,
                )
            dele = np.where(ismem & (state == A[a]["state"]) & (party != A[a]["party"]))[0]
            if len(dele) and rng.random() < 0.04:
                plan(s, [_pick(rng, list(dele))], 3 * H, 1.2, False)
            pa = party_acc.get((A[a]["party"], A[a]["chamber"]))
            if pa is not None and rng.random() < 0.025 * boost:
                plan(s, [pa], 1.5 * H, 1.0, False)
    # staff batching: snap party retweets to staff sessions, 6-40 s apart, topped up to 3-5 posts
    party_posts = {
        p: sorted(
            (c["t"][s], s) for s in range(n_orig) if lead[c["a"][s]] and party[c["a"][s]] == p
        )
        for p in "RD"
    }
    sessions, groups, out = {}, {}, []
    for w, src, t, snap in planned:
        if snap and rng.random() < A[w]["batch"]:
            day = int((t - EDT) // 86400)
            ss = sessions.setdefault(
                (w, day),
                sorted(
                    day * 86400 + EDT + float(x) * H
                    for x in rng.uniform(8.5, 18.5, int(rng.integers(1, 4)))
                ),
            )
            nxt = [x for x in ss if x >= t and x - t < 8 * H]
            if nxt:
                groups.setdefault((w, nxt[0]), []).append(src)
                continue
        out.append((w, src, t))
    for (w, st), srcs in groups.items():
        want = int(rng.integers(3, 6))
        if len(srcs) < want and rng.random() < 0.4 and A[w]["party"] in party_posts:
            for tt, s in reversed(party_posts[A[w]["party"]]):
                if len(srcs) >= want or tt < st - 6 * H:
                    break
                if tt < st and (w, s) not in done and c["a"][s] != w:
                    done.add((w, s))
                    srcs.append(s)
        tt = st + float(rng.uniform(0, 30))
        for s in sorted(srcs, key=lambda s: c["t"][s]):
            out.append((w, s, tt))
            tt += float(rng.uniform(6, 40))
    for w, s, t in out:
        if t < end:
            P.add(
                w,
                t,
                f"RT @{A[c['a'][s]]['id']}: {c['text'][s]}",
                c["urls"][s],
                c["media"][s],
                kind="rt",
                ref=s,
            )
    # quotes of party posts and news; replies to colleagues and party accounts; self-threads
    for s in range(n_orig):
        a = c["a"][s]
        r = A[a]["role"]
        if r in ("party_account", "leadership", "outlet"):
            k = rng.poisson(0.35 + (0.6 if c["topic"][s] and r != "outlet" else 0.0))
            aud = np.where(ismem & ((party == A[a]["party"]) if r != "outlet" else True))[0]
            for q in rng.choice(aud, min(k, len(aud)), replace=False):
                t = c["t"][s] + max(60.0, float(rng.lognormal(np.log(H), 1.2)))
                if t < end and (int(q), s) not in done:
                    k = QUOTE_CMT.index(_pick(rng, QUOTE_CMT))
                    tg = (
                        TOPICS[c["topic"][s]][0 if A[int(q)]["party"] == "R" else 1][0]
                        if c["topic"][s] and rng.random() < 0.5 and r != "outlet"
                        else ""
                    )
                    P.add(int(q), t, V.quote(int(q), k, tg), kind="quote", ref=s)
        k = rng.poisson(0.1 if r in ("party_account", "leadership") else 0.035 if ismem[a] else 0.0)
        if k:
            aud = np.where(ismem & (party == A[a]["party"]) & ((state == A[a]["state"]) | lead[a]))[
                0
            ]
            for q in rng.choice(aud, min(k, len(aud)), replace=False) if len(aud) else []:
                t = c["t"][s] + max(60.0, float(rng.lognormal(np.log(1.5 * H), 1.1)))
                if t < end and int(q) != a:
                    txt = V.reply(int(q), a, REPLY.index(_pick(rng, REPLY)))
                    P.add(int(q), t, f"@{A[a]['id']} {txt}", kind="reply", ref=s)
        if ismem[a] and rng.random() < 0.015 and c["t"][s] + 600 < end:
            t = c["t"][s] + float(rng.uniform(30, 400))
            rng.integers(len(SUFFIX))  # the original generic sign-off draw
            k = int(rng.integers(4))
            o, sg = _vary_draws(rng)
            P.add(
                a,
                t,
                V.self_thread(a, k, o, sg),
                kind="reply",
                ref=s,
            )


def simulate(seed: int = 0, accounts: int = 600, days: int = 14):
    st = _originals(seed, accounts, days)
    A, P, rng = st[0], st[1], st[8]
    _interactions(*st)
    c, A_ids = P.cols, [a["id"] for a in A]
    t = np.floor(np.array(c["t"]))
    keep = np.where(t < days * 86400.0)[
        0
    ]  # originals past the end are dropped (nothing refers to them by then)
    order = keep[np.argsort(t[keep], kind="stable")]
    ms = START_MS + (t * 1000).astype(np.int64) + rng.integers(0, 1000, len(t))
    low = rng.integers(0, 1 << 22, len(t))
    ids, seen = {}, set()
    for j in order:
        v = ((int(ms[j]) - TW_EPOCH) << 22) | int(low[j])
        while v in seen:
            v += 1
        seen.add(v)
        ids[int(j)] = str(v)
    rows = {
        k: []
        for k in (
            "post_id",
            "account_id",
            "created_at",
            "text",
            "repost_of",
            "reply_to",
            "quote_of",
            "urls",
            "hashtags",
            "mentions",
            "client",
            "lang",
            "media",
        )
    }
    valid = set(A_ids)
    for j in order:
        j = int(j)
        a, kind, ref = c["a"][j], c["kind"][j], c["ref"][j]
        if ref >= 0 and ref not in ids:
            continue
        text, urls = c["text"][j], list(c["urls"][j])
        if kind == "quote":
            urls.append(f"https://twitter.com/{A_ids[c['a'][ref]]}/status/{ids[ref]}")
            text = f"{text} {_tco(rng)}"
        rows["post_id"].append(ids[j])
        rows["account_id"].append(A_ids[a])
        rows["created_at"].append(int(t[j]) * 1_000_000 + int(START.timestamp()) * 1_000_000)
        rows["text"].append(text)
        rows["repost_of"].append(ids[ref] if kind == "rt" else None)
        rows["reply_to"].append(ids[ref] if kind == "reply" else None)
        rows["quote_of"].append(ids[ref] if kind == "quote" else None)
        rows["urls"].append(urls)
        rows["hashtags"].append(re.findall(r"#(\w+)", text))
        rows["mentions"].append(
            list(dict.fromkeys(m for m in re.findall(r"@(\w{1,15})", text) if m in valid))
        )
        rows["client"].append(A[a]["c1"] if rng.random() < 0.8 else A[a]["c2"])
        rows["lang"].append(c["lang"][ref] if kind == "rt" else c["lang"][j])
        rows["media"].append(list(c["media"][j]))
    L = pl.List(pl.String)
    posts = pl.DataFrame(
        rows,
        schema={
            "post_id": pl.String,
            "account_id": pl.String,
            "created_at": pl.Int64,
            "text": pl.String,
            "repost_of": pl.String,
            "reply_to": pl.String,
            "quote_of": pl.String,
            "urls": L,
            "hashtags": L,
            "mentions": L,
            "client": pl.String,
            "lang": pl.String,
            "media": L,
        },
    )
    acc = pl.DataFrame(
        {
            "account_id": A_ids,
            "account_name": [a["name"] for a in A],
            "account_location": [a["loc"] for a in A],
            "followers": [int(a["followers"]) for a in A],
            "account_created_at": [
                datetime(
                    a["created"][0],
                    a["created"][1],
                    int(1 + (k * 7) % 27),
                    int(k % 24),
                    int(k * 13 % 60),
                    int(k * 29 % 60),
                    tzinfo=UTC,
                )
                for k, a in enumerate(A)
            ],
            "role": [a["role"] for a in A],
        },
        schema_overrides={"followers": pl.Int64},
    )
    posts = (
        posts.with_columns(
            pl.col("created_at").cast(pl.Datetime("us", "UTC")), pl.lit("twitter").alias("platform")
        )
        .join(acc.drop("role"), on="account_id", how="left")
        .with_columns(pl.col("account_created_at").cast(pl.Datetime("us", "UTC")))
        .select(
            [
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
                "media",
            ]
        )
    )
    labels = pl.DataFrame({"account_id": A_ids, "campaign": ["organic"] * len(A_ids)})
    return posts, labels, acc.select("account_id", "role")


def generate(seed: int = 0, accounts: int = 600, days: int = 14):
    posts, labels, _ = simulate(seed, accounts, days)
    return posts, labels


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--accounts", type=int, default=600)
    ap.add_argument("--days", type=int, default=14)
    ns = ap.parse_args(argv)
    posts, labels, roles = simulate(ns.seed, ns.accounts, ns.days)
    os.makedirs(ns.out, exist_ok=True)
    posts.write_parquet(os.path.join(ns.out, "posts.parquet"))
    labels.write_csv(os.path.join(ns.out, "labels.csv"))
    roles.write_csv(os.path.join(ns.out, "account_roles.csv"))
    print(f"{ns.out}: {posts.height} posts, {labels.height} accounts")


if __name__ == "__main__":
    main()

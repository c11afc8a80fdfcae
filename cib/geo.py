"""Claimed location -> standard UTC offset (hours), from a small offline gazetteer.

Used only for the circadian-mismatch fingerprint: does an account post at the hours its
claimed location would be awake? Unknown locations give None (the part is then not scored).
Offsets ignore daylight saving time; that shifts hours by one, far below the mismatches that
matter (an office in Moscow posing as Ohio is 8 hours off).
"""

from __future__ import annotations

import re

_PLACES: dict[str, float] = {
    # United States (by state, region and large city)
    "new york": -5,
    "nyc": -5,
    "brooklyn": -5,
    "boston": -5,
    "washington": -5,
    "dc": -5,
    "atlanta": -5,
    "miami": -5,
    "florida": -5,
    "philadelphia": -5,
    "ohio": -5,
    "detroit": -5,
    "michigan": -5,
    "virginia": -5,
    "georgia": -5,
    "carolina": -5,
    "pennsylvania": -5,
    "new jersey": -5,
    "baltimore": -5,
    "maryland": -5,
    "cleveland": -5,
    "pittsburgh": -5,
    "chicago": -6,
    "illinois": -6,
    "texas": -6,
    "houston": -6,
    "dallas": -6,
    "austin": -6,
    "minnesota": -6,
    "wisconsin": -6,
    "missouri": -6,
    "louisiana": -6,
    "new orleans": -6,
    "tennessee": -6,
    "nashville": -6,
    "memphis": -6,
    "alabama": -6,
    "kansas": -6,
    "denver": -7,
    "colorado": -7,
    "arizona": -7,
    "phoenix": -7,
    "utah": -7,
    "los angeles": -8,
    "california": -8,
    "san francisco": -8,
    "seattle": -8,
    "portland": -8,
    "oregon": -8,
    "las vegas": -8,
    "nevada": -8,
    "san diego": -8,
    "usa": -6,
    "united states": -6,
    "america": -6,
    "us": -6,
    # Americas
    "toronto": -5,
    "canada": -5,
    "vancouver": -8,
    "mexico": -6,
    "são paulo": -3,
    "sao paulo": -3,
    "rio": -3,
    "brazil": -3,
    "brasil": -3,
    "buenos aires": -3,
    "argentina": -3,
    "bogota": -5,
    "bogotá": -5,
    "colombia": -5,
    "lima": -5,
    "peru": -5,
    "caracas": -4,
    "venezuela": -4,
    "la paz": -4,
    "bolivia": -4,
    "santiago": -4,
    "chile": -4,
    # Europe and Africa
    "london": 0,
    "uk": 0,
    "england": 0,
    "manchester": 0,
    "dublin": 0,
    "ireland": 0,
    "lisbon": 0,
    "portugal": 0,
    "lagos": 1,
    "nigeria": 1,
    "berlin": 1,
    "germany": 1,
    "deutschland": 1,
    "munich": 1,
    "hamburg": 1,
    "paris": 1,
    "france": 1,
    "madrid": 1,
    "spain": 1,
    "rome": 1,
    "italy": 1,
    "amsterdam": 1,
    "netherlands": 1,
    "brussels": 1,
    "vienna": 1,
    "warsaw": 1,
    "poland": 1,
    "stockholm": 1,
    "oslo": 1,
    "prague": 1,
    "kyiv": 2,
    "kiev": 2,
    "ukraine": 2,
    "athens": 2,
    "cairo": 2,
    "egypt": 2,
    "helsinki": 2,
    "johannesburg": 2,
    "south africa": 2,
    "istanbul": 3,
    "turkey": 3,
    "nairobi": 3,
    "kenya": 3,
    "moscow": 3,
    "москва": 3,
    "st petersburg": 3,
    "saint petersburg": 3,
    "санкт-петербург": 3,
    "russia": 3,
    "россия": 3,
    "minsk": 3,
    "riyadh": 3,
    # Asia and Oceania
    "dubai": 4,
    "tehran": 3.5,
    "iran": 3.5,
    "karachi": 5,
    "pakistan": 5,
    "delhi": 5.5,
    "mumbai": 5.5,
    "india": 5.5,
    "bangalore": 5.5,
    "dhaka": 6,
    "bangkok": 7,
    "jakarta": 7,
    "indonesia": 7,
    "hanoi": 7,
    "vietnam": 7,
    "beijing": 8,
    "shanghai": 8,
    "china": 8,
    "hong kong": 8,
    "singapore": 8,
    "manila": 8,
    "philippines": 8,
    "taipei": 8,
    "tokyo": 9,
    "japan": 9,
    "seoul": 9,
    "korea": 9,
    "sydney": 10,
    "melbourne": 10,
    "australia": 10,
    "auckland": 12,
    "new zealand": 12,
}
_US_STATE_CODES: dict[str, float] = {
    **{c: -5 for c in "ny nj pa oh mi va ga fl nc sc md ma ct de me nh vt ri wv ky in dc".split()},
    **{c: -6 for c in "il tx mn wi mo la tn al ms ia ar ok ks ne sd nd".split()},
    **{c: -7 for c in "co az ut nm mt wy id".split()},
    **{c: -8 for c in "ca wa or nv".split()},
}
_WORD = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)*", re.UNICODE)


def utc_offset(location: str | None) -> float | None:
    """Standard UTC offset in hours of a free-text claimed location, or None if unknown."""
    if not location:
        return None
    low = location.casefold()
    best: tuple[int, float] | None = None
    for place, off in _PLACES.items():
        if len(place) <= 3:
            continue
        if place in low and (best is None or len(place) > best[0]):
            best = (len(place), off)
    if best is not None:
        return best[1]
    tokens = re.findall(r"[a-z]+", low)
    for tok in reversed(tokens):
        if tok in _US_STATE_CODES:
            return _US_STATE_CODES[tok]
        if tok in _PLACES:
            return _PLACES[tok]
    return None

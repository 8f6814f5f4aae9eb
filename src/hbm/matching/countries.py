"""Nationalities in one form: ISO 3166-1 alpha-3.

Sources write a nationality as alpha-2 (FollowTheMoney / OpenSanctions: ``sd``), alpha-3
(``SDN``) or an English name (``Sudan``, ``Syria``, ``Syrian Arab Republic``). The engine
compares :func:`normalize_country` of each side, so all of these agree. The table is built
once from pycountry (a dependency of the project, no Django) plus a few names and
demonyms that registries use and pycountry does not list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

#: Names and codes pycountry does not know, seen in registries and sanctions lists.
_EXTRA: dict[str, str] = {
    "XK": "XKX",
    "XKX": "XKX",
    "Kosovo": "XKX",
    "DR Congo": "COD",
    "DRC": "COD",
    "Congo DR": "COD",
    "Democratic Republic of the Congo": "COD",
    "Congo Kinshasa": "COD",
    "Congo Brazzaville": "COG",
    "Republic of the Congo": "COG",
    "Ivory Coast": "CIV",
    "Burma": "MMR",
    "Palestine": "PSE",
    "Russia": "RUS",
    "Turkey": "TUR",
    "UK": "GBR",
    "USA": "USA",
    "Afghan": "AFG",
    "Sudanese": "SDN",
    "South Sudanese": "SSD",
    "Syrian": "SYR",
    "Iraqi": "IRQ",
    "Iranian": "IRN",
    "Ethiopian": "ETH",
    "Eritrean": "ERI",
    "Somali": "SOM",
    "Nigerian": "NGA",
    "Lebanese": "LBN",
    "Congolese": "COD",
    "Yemeni": "YEM",
    "Palestinian": "PSE",
}


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", plain.casefold()).strip()


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        alpha3 = str(country.alpha_3)
        for attr in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(_key(str(value)), alpha3)
        name = str(country.name)
        if ", " in name:  # "Iran, Islamic Republic of" -> "Iran"
            table.setdefault(_key(name.split(", ")[0]), alpha3)
    for name, alpha3 in _EXTRA.items():
        table[_key(name)] = alpha3
    return table


_TABLE = _table()


@lru_cache(maxsize=4096)
def normalize_country(value: str) -> str:
    """ISO alpha-3 of a nationality written as alpha-2, alpha-3 or an English name.

    Total: empty input gives ``""``; a value the table does not know is returned upper-case
    and trimmed, so two identical unknown values still agree."""
    key = _key(value)
    if not key:
        return ""
    return _TABLE.get(key) or value.strip().upper()

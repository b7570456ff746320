"""Name normalisation for matching organisations by any everyday name. Pure Python.

"St. Helens M.B.C.", "Cambs CC" and "Cambridgeshire County Council" are how people
write council names in spreadsheets and emails: `normalise_name` makes spellings
comparable and `core_name` strips the kind of council, leaving the place.
"""

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")

# The customary short forms of English county names, as used in council papers.
COUNTY_ABBREVIATIONS = {
    "beds": "bedfordshire",
    "berks": "berkshire",
    "bucks": "buckinghamshire",
    "cambs": "cambridgeshire",
    "derbys": "derbyshire",
    "glos": "gloucestershire",
    "hants": "hampshire",
    "herts": "hertfordshire",
    "lancs": "lancashire",
    "leics": "leicestershire",
    "lincs": "lincolnshire",
    "northants": "northamptonshire",
    "notts": "nottinghamshire",
    "oxon": "oxfordshire",
    "staffs": "staffordshire",
    "wilts": "wiltshire",
    "worcs": "worcestershire",
}
# Words that say what kind of council it is, longest first, so the rest is the place.
_KIND_SUFFIXES = sorted(
    [
        "metropolitan borough council",
        "royal borough council",
        "borough council",
        "district council",
        "county council",
        "city council",
        "county borough council",
        "city and county council",
        "council",
        "corporation",
        "mbc",
        "rbc",
        "bc",
        "dc",
        "cc",
        "cbc",
        "ua",
    ],
    key=len,
    reverse=True,
)
_KIND_PREFIXES = ("london borough of ", "royal borough of ", "borough of ", "city of ", "county of ", "the ")


@functools.lru_cache(maxsize=65_536)  # imports ask the same few hundred names thousands of times
def normalise_name(name: str) -> str:
    """Lower case, ASCII, punctuation to spaces, '&' as 'and', county short forms expanded."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("'", "").replace(".", "")
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(COUNTY_ABBREVIATIONS.get(word, word) for word in words)


def core_name(name: str) -> str:
    """The place in a council's name: 'Cambs CC' -> 'cambridgeshire'."""
    text = normalise_name(name)
    for prefix in _KIND_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in _KIND_SUFFIXES:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1]
            break
    return text.strip()

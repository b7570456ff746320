"""Name normalisation for matching organisations by any everyday name. Pure Python."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(name: str) -> str:
    """'St. Helens  M.B.C.' and 'st helens mbc' compare equal; '&' reads as 'and'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("'", "")
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())

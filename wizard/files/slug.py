"""The one slug function for section, question and objective ids (see DEVELOPING.md "Ids")."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_words: int | None = None) -> str:
    """Lower case, accents stripped, runs of non-alphanumerics -> '-', trimmed.

    `max_words` keeps only the first words of the slug, so long questions give short ids.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    slug = _NON_ALNUM.sub("-", ascii_text).strip("-")
    if max_words is not None and slug:
        slug = "-".join(slug.split("-")[: max(1, max_words)])
    return slug

"""Generate realistic, varied answers files for benchmarks (and for trying out batch mode).

    python bench/make_answers.py --count 342 --output /tmp/antwoorden [--seed 7]

Every file is valid against the built-in questionnaire (it is written with
wizard.answers.store.dump_answers from an Answers object built from the loaded questionnaire).
The files vary the way real municipalities do: size (5,000-200,000 inhabitants, a third below
25,000), province and police region (some in the Rotterdam region), threat profile (low,
medium, high, or mostly unknown), maturity, 'weet niet' / 'nvt' / skipped questions, and free
text from nothing to several paragraphs. The same seed always gives the same bytes.
342 is the number of Dutch municipalities; the names are invented and unique.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

# Runnable as a plain script from a checkout: make `wizard` importable.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from wizard.answers.store import Answers, dump_answers
from wizard.files.yamlio import atomic_write_text
from wizard.questionnaire.loader import load_questionnaire
from wizard.questionnaire.model import CHOICE, NUMBER, NVT, SCALE, TEXT, WEET_NIET, Question

MUNICIPALITIES_NL = 342

# Plausible police units per province (Rotterdam only in Zuid-Holland).
_REGIONS = {
    "groningen": ["noord-nederland"],
    "friesland": ["noord-nederland"],
    "drenthe": ["noord-nederland"],
    "overijssel": ["oost-nederland"],
    "gelderland": ["oost-nederland"],
    "flevoland": ["midden-nederland"],
    "utrecht": ["midden-nederland"],
    "noord-holland": ["noord-holland", "amsterdam", "midden-nederland"],
    "zuid-holland": ["rotterdam", "rotterdam", "den-haag"],
    "zeeland": ["zeeland-west-brabant"],
    "noord-brabant": ["oost-brabant", "zeeland-west-brabant"],
    "limburg": ["limburg"],
}

_PREFIXES = ["", "", "", "Oost", "West", "Noord", "Zuid", "Nieuw", "Oud", "Groot", "Klein",
             "Hoog", "Laag", "Sint-", "Ter "]
_STEMS = ["Bram", "Hove", "Lede", "Wester", "Vries", "Moer", "Beek", "Dinge", "Harle", "Zonne",
          "Marke", "Wolde", "Ekel", "Raven", "Linde", "Heuvel", "Doorn", "Elster", "Garde",
          "Kamper", "Rijzen", "Spaar", "Teuge", "Uiter", "Valke", "Wiel", "Ypel", "Zand",
          "Aalder", "Bosse", "Ceder", "Drie", "Eemster", "Fraamke", "Gorre", "Hunse"]
_SUFFIXES = ["dorp", "veen", "wijk", "hoven", "berg", "dam", "zijl", "horst", "meer", "loo",
             "broek", "sum", "um", "rade", "brug", "haven", "stein", "waard", "lo", "beek"]

_WORDS = ["de", "gemeente", "werkt", "samen", "met", "politie", "en", "het", "zorg-", "en", "veiligheidshuis", "aan", "een", "sluitende", "aanpak.", "signalen", "over", "radicalisering", "komen", "binnen", "via", "scholen", "wijkteams", "en", "jongerenwerk", "en", "worden", "besproken", "in", "het", "casusoverleg.", "de", "aandachtsfunctionaris", "onderhoudt", "contact", "met", "sleutelfiguren", "in", "de", "wijken", "en", "organiseert", "jaarlijks", "een", "training", "voor", "frontlijnwerkers.", "er", "is", "behoefte", "aan", "meer", "capaciteit", "en", "aan", "een", "actueel", "lokaal", "beeld.", "het", "bestuur", "is", "betrokken", "maar", "de", "borging", "in", "beleid", "en", "begroting", "is", "nog", "beperkt.", "met", "de", "regio", "worden", "afspraken", "gemaakt", "over", "ondersteuning", "en", "informatiedeling", "binnen", "de", "kaders", "van", "de", "privacywetgeving.", "online", "polarisatie", "vraagt", "om", "nieuwe", "kennis", "bij", "medewerkers", "en", "partners.", "evaluatie", "van", "de", "aanpak", "gebeurt", "nog", "niet", "structureel."]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(6, 18)
    start = rng.randrange(len(_WORDS))
    words = [_WORDS[(start + i) % len(_WORDS)].strip(".") for i in range(n)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def free_text(rng: random.Random, size: str) -> str:
    """'leeg' -> '', 'kort' -> a line, 'middel' -> a paragraph, 'lang' -> 2-5 paragraphs."""
    if size == "leeg":
        return ""
    if size == "kort":
        return _sentence(rng)
    if size == "middel":
        return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))
                  for _ in range(rng.randint(2, 5))]
    return "\n\n".join(paragraphs) + "\n"


def unique_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        prefix, stem = rng.choice(_PREFIXES), rng.choice(_STEMS)
        name = prefix + (stem if prefix.endswith(("-", " ")) or not prefix else stem.lower())
        name += rng.choice(_SUFFIXES)
        if name in seen:
            continue
        seen.add(name)
        names.append(name)
    return names


def _scale_values(q, question: Question) -> list[int]:
    options = question.options or q.scales[question.scale_id].options
    return sorted(int(o.value) for o in options)


def _inhabitants(rng: random.Random, i: int) -> int:
    # A third below 25,000 (deterministic by index), the rest spread up to 200,000.
    if i % 3 == 0:
        return rng.randrange(5_000, 25_000, 10)
    return int(min(200_000, 25_000 + rng.paretovariate(1.3) * 8_000 - 8_000)) // 10 * 10


def make_answers(q, rng: random.Random, i: int, name: str) -> Answers:
    answers = Answers.empty(q, date=f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}")
    threat = ("laag", "middel", "hoog", "onbekend")[i % 4]
    maturity = rng.choice([0.5, 1.2, 2.0, 2.8, 3.5])
    unknown_share = 0.35 if threat == "onbekend" else rng.choice([0.0, 0.03, 0.08])
    na_share = rng.choice([0.0, 0.0, 0.04])
    skip_share = rng.choice([0.0, 0.02, 0.1])
    text_size = rng.choice(["leeg", "kort", "middel", "lang"])
    province = rng.choice(sorted(_REGIONS))
    values = answers.values

    for question in q.questions():
        qid = question.id
        if qid == "intake.gemeente":
            values[qid] = name
            continue
        if qid == "intake.inwoners":
            values[qid] = _inhabitants(rng, i)
            continue
        if qid == "intake.provincie":
            values[qid] = province
            continue
        if qid == "intake.politieregio":
            values[qid] = rng.choice(_REGIONS[province])
            continue
        if question.condition and question.kind == TEXT:
            continue  # follow-up texts are added below once their condition can be checked
        if not question.required and rng.random() < skip_share:
            answers.skipped.append(qid)
            continue
        if question.kind == SCALE:
            if question.allows_unknown and rng.random() < unknown_share:
                values[qid] = WEET_NIET
                continue
            if question.allows_na and rng.random() < na_share:
                values[qid] = NVT
                continue
            levels = _scale_values(q, question)
            lo, hi = levels[0], levels[-1]
            if question.section_id == "dreiging":
                centre = {"laag": 0.3, "middel": 1.4, "hoog": 2.5, "onbekend": 1.0}[threat]
            else:
                centre = maturity
            values[qid] = max(lo, min(hi, round(rng.gauss(centre, 0.8))))
        elif question.kind == CHOICE:
            if question.allows_unknown and rng.random() < unknown_share:
                values[qid] = WEET_NIET
            else:
                values[qid] = rng.choice([o.value for o in question.options])
        elif question.kind == NUMBER:
            lo = question.minimum if question.minimum is not None else 0
            hi = question.maximum if question.maximum is not None else 100
            values[qid] = rng.randint(lo, min(hi, lo + 50))
        elif question.kind == TEXT:
            text = free_text(rng, text_size if rng.random() < 0.7 else "kort")
            if text:
                values[qid] = text

    # Follow-up texts (toon_als): only where their condition now holds.
    from wizard.answers.store import visible_ids

    vis = visible_ids(q, values)
    for question in q.questions():
        if question.condition and question.kind == TEXT and question.id in vis:
            text = free_text(rng, text_size)
            if text:
                values[question.id] = text

    answered = [x.id for x in q.questions() if x.id in values and x.kind == SCALE]
    for qid in rng.sample(answered, k=min(len(answered), rng.randint(0, 4))):
        answers.notes[qid] = free_text(rng, rng.choice(["kort", "middel"]))
    answers.marked = sorted(rng.sample(answered, k=min(len(answered), rng.randint(0, 3))))
    return answers


def generate(count: int, output: Path, seed: int = 1) -> list[Path]:
    q = load_questionnaire()
    rng = random.Random(seed)
    names = unique_names(rng, count)
    output.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(count)))
    paths = []
    for i, name in enumerate(names):
        answers = make_answers(q, rng, i, name)
        path = output / f"gemeente-{i + 1:0{width}d}.yaml"
        atomic_write_text(path, dump_answers(answers, q))
        paths.append(path)
    return paths


def repeat(files: list[Path], times: int, output: Path) -> list[Path]:
    """`files` `times` over, each copy under its own municipality name ('Vriesmeer 2', ...):
    the same answers, so a run on them does the same work per plan as a run on `files`
    (the 3,420-file benchmark compares time per plan and peak memory like for like)."""
    output.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(len(files) * times)))
    paths = []
    for k in range(times):
        for f in files:
            text = f.read_text(encoding="utf-8")
            if k:
                text, n = re.subn(r"^(  intake\.gemeente: )(.+)$", rf"\g<1>\g<2> {k + 1}", text,
                                  count=1, flags=re.MULTILINE)
                assert n == 1, f"{f}: no 'intake.gemeente' line"
            path = output / f"gemeente-{len(paths) + 1:0{width}d}.yaml"
            atomic_write_text(path, text)
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=MUNICIPALITIES_NL)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.count, args.output, args.seed)
    print(f"{len(paths)} antwoordbestanden geschreven in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

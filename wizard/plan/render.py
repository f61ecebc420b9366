"""The draft plan: Jinja2 -> Markdown, Markdown -> sanitised standalone HTML, files on disk.

Everything a municipality typed is untrusted: it goes through the `md_text` / `md_inline`
/ `md_cell` filters, which escape Markdown so an answer can never create a heading, list,
table, link, image, code block or raw HTML. The HTML is sanitised again with nh3 (allow
list) so that even a template mistake cannot let a script or external resource through.

Output is deterministic: the same answers give the same bytes (no clock, no dict or set
order: everything is ordered by the questionnaire).

Two documents per run (issue 8): the public plan (plan.md/.html) and the confidential
annex (bijlage-vertrouwelijk.md/.html). Which answers are confidential is data: the
`classificatie` of each question in the questionnaire YAML, and `toelichtingen_classificatie`
in the manifest for notes. The public plan never receives a confidential value at all (the
context is filtered before the template sees it), so a template change cannot leak one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3

from wizard.answers.store import scope_ids
from wizard.assessment.advice import has_real_answer
from wizard.assessment.results import Advice, Profile
from wizard.errors import ZelfscanError
from wizard.files import resources
from wizard.files.slug import slugify
from wizard.plan.charts import COMPONENTS_FILE, QUADRANT_FILE
from wizard.questionnaire.model import (
    CONFIDENTIAL,
    NUMBER,
    NVT,
    PUBLIC,
    SCALE,
    TEXT,
    WEET_NIET,
    Question,
    Questionnaire,
    Section,
)

PLAN_MD = "plan.md"
PLAN_HTML = "plan.html"
ANNEX_MD = "bijlage-vertrouwelijk.md"
ANNEX_HTML = "bijlage-vertrouwelijk.html"
PLAN_DOCX = "plan.docx"
ANNEX_DOCX = "bijlage-vertrouwelijk.docx"
ANSWERS_YAML = "antwoorden.yaml"
PUBLIC_FILES = (PLAN_MD, PLAN_HTML, PLAN_DOCX)
CONFIDENTIAL_FILES = (ANNEX_MD, ANNEX_HTML, ANNEX_DOCX, ANSWERS_YAML)
OUTPUT_FILES = PUBLIC_FILES + CONFIDENTIAL_FILES
CHART_FILES = (QUADRANT_FILE, COMPONENTS_FILE)

TITLE = "Concept plan van aanpak radicalisering en extremisme"
ANNEX_TITLE = "Vertrouwelijke bijlage bij het concept plan van aanpak"
# The marking on top of each document (Markdown line, HTML banner, print header).
MARKINGS = {PUBLIC: "Openbaar concept", CONFIDENTIAL: "VERTROUWELIJK — niet openbaar maken"}
# What the public plan says instead of a confidential reason or answer.
THREAT_POINTER = "Op basis van het dreigingsbeeld (zie de vertrouwelijke bijlage)."
SECRET_POINTER = "Op basis van vertrouwelijke antwoorden (zie de vertrouwelijke bijlage)."
ANNEX_POINTER = "(Onderbouwing: zie de vertrouwelijke bijlage.)"
SECRET_ANSWER = "_Vertrouwelijk: het antwoord staat in de vertrouwelijke bijlage._"
MUNICIPALITY_QID = "intake.gemeente"
NOT_FILLED = "_Nog niet ingevuld_"

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)

# --------------------------------------------------------------------------- escaping

# Every line break a user can type, including the Unicode ones Python's splitlines knows.
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that mean something inline anywhere on a line. Parentheses, '.', '-', '+'
# and '#' only matter at a line start (list, heading) or after '[' (links), which is
# escaped, so they stay readable in plan.md.
_INLINE = re.compile(r"([\\`*_\[\]{}|!])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\d+)([.)])")


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    text = _NEWLINES.sub("\n", str(value)).replace("\t", " ")
    text = _CONTROL.sub("", text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def _escape_line(line: str) -> str:
    """Escape one stripped line so Markdown renders it as plain text."""
    s = _INLINE.sub(r"\\\1", line)
    s = _ENTITY.sub("&amp;", s)
    s = s.replace("<", "&lt;").replace(">", "\\>")
    # Block syntax that only counts at the start of a line.
    if s[:1] in ("#", "+", "-"):
        s = "\\" + s
    elif s[:1] == "=":  # setext heading underline; '=' has no backslash escape
        s = "&#61;" + s[1:]
    else:
        s = _ORDERED.sub(r"\1\\\2", s)
    return s


def md_text(value: Any) -> str:
    """Free text as one Markdown paragraph: escaped, line breaks kept as hard breaks."""
    return "  \n".join(_escape_line(line) for line in _lines(value))


def md_inline(value: Any) -> str:
    """Free text on one line (headings, list items): line breaks become spaces."""
    return " ".join(_escape_line(line) for line in _lines(value))


def md_cell(value: Any) -> str:
    """Free text inside a table cell: one line, '|' escaped, never empty."""
    text = " / ".join(_escape_line(line) for line in _lines(value))
    return text or "—"


def md_block(value: Any) -> str:
    """Text from the questionnaire (Hoe, ambition, definitions): paragraphs and '- ' bullets
    kept, everything else escaped like free text (a custom questionnaire is a file too)."""
    if value is None:
        return ""
    text = _NEWLINES.sub("\n", str(value))
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        chunk: list[str] = []
        kind = None
        for ln in lines:
            bullet = re.match(r"^(?:[-*•·▪]|\d+[.)])\s+(.*)$", ln)
            this = "list" if bullet else "para"
            if kind is not None and this != kind:
                out.append(("\n" if kind == "list" else "  \n").join(chunk))
                chunk = []
            kind = this
            chunk.append("- " + md_inline(bullet.group(1)) if bullet else _escape_line(ln))
        if chunk:
            out.append(("\n" if kind == "list" else "  \n").join(chunk))
    return "\n\n".join(out)


def nl_number(value: Any, digits: int = 1) -> str:
    """1.5 -> '1,5'; whole numbers without decimals; None -> 'onbekend'."""
    if value is None:
        return "onbekend"
    v = round(float(value), digits)
    if v == int(v):
        return str(int(v))
    return f"{v:.{digits}f}".replace(".", ",")


def percent(value: Any) -> str:
    if value is None:
        return "onbekend"
    return f"{round(float(value) * 100)}%"


def plural(count: Any, one: str, many: str) -> str:
    """The word that goes with a count: 1 stelling, 2 stellingen, 0 stellingen."""
    try:
        return one if float(count) == 1 else many
    except (TypeError, ValueError):
        return many


def nl_date(value: Any) -> str:
    """'2026-11-23' -> '23 november 2026'; anything else is shown as given (escaped)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(3))} {_MONTHS[int(m.group(2)) - 1]} {m.group(1)}"
    return md_inline(value) or "datum onbekend"


# --------------------------------------------------------------------------- Jinja2


@cache
def environment() -> jinja2.Environment:
    """One compiled Environment per process (templates are parsed once, then cached)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",),
                                            default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(
        md_text=md_text, md_inline=md_inline, md_cell=md_cell, md_block=md_block,
        num=nl_number, pct=percent, nl_date=nl_date, plural=plural,
    )
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (like __pycache__): compiling the plan
    templates costs ~0.2 s per process. Holds template code only, never answers; Jinja
    checks the source checksum, so an edited template is recompiled. No cache when the
    folder cannot be made (read-only home): slower, never an error."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    folder = root / "zelfscan" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@cache
def _markdown_converter() -> markdown.Markdown:
    """One converter per process, reset per document. Extensions are passed as instances:
    by name, Markdown looks them up through package entry points (~30 ms per process)."""
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension

    return markdown.Markdown(
        extensions=[TableExtension(), TocExtension(slugify=_toc_slug, toc_depth="2-3",
                                                   title="Inhoud"), SaneListExtension()],
        output_format="html",
    )


def tidy_markdown(md: str) -> str:
    """Collapse runs of blank lines left by template logic; exactly one final newline."""
    md = re.sub(r"[ \t]+\n\n", "\n\n", md)
    md = re.sub(r"\n{3,}", "\n\n", md)
    return md.strip("\n") + "\n"


# --------------------------------------------------------------------------- the plan


def _visible(question: Question, values: dict[str, Any]) -> bool:
    if not question.condition:
        return True
    from wizard.questionnaire.conditions import AnswersContext, evaluate

    return evaluate(question.condition, AnswersContext(values))


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


MAX_CITED = 4  # citations per reason; the rest are in the appendix
CLIP = 60  # characters of a question quoted as a citation


def shorten(text: str, words: int = 14) -> str:
    """The first words of a (long) question, for citations."""
    parts = str(text).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",.;:") + " …"


def clip(text: str, limit: int = CLIP) -> str:
    """A question cut to about `limit` characters at a word boundary, with '…'."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text.rstrip(".:")
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(",.;:") + " …"


def answer_label(question: Question, value: Any) -> str:
    """The answer as words, unescaped (the template escapes)."""
    if _is_empty(value):
        return ""
    if question.kind == TEXT and value not in (WEET_NIET, NVT):
        return str(value)
    return question.label_for(value)


def municipality(answers: Any) -> str:
    name = (getattr(answers, "values", None) or {}).get(MUNICIPALITY_QID)
    return str(name).strip() if not _is_empty(name) else "(gemeente onbekend)"


def plan_title(answers: Any) -> str:
    return f"{TITLE} — gemeente {municipality(answers)}"


def annex_title(answers: Any) -> str:
    return f"{ANNEX_TITLE} — gemeente {municipality(answers)}"


@dataclass
class _Level:
    scale_labels: dict[int, str]
    max_value: int

    def words(self, value: float | None) -> str:
        if value is None:
            return "onbekend (geen stellingen met een waarde beantwoord)"
        text = f"{nl_number(value)} van {self.max_value}"
        nearest = math.floor(value + 0.5)  # half up, not banker's rounding
        label = self.scale_labels.get(nearest)
        if label:
            exact = abs(value - nearest) < 0.05
            text += f" ({'' if exact else 'ongeveer: '}{label.lower()})"
        return text


def _level_scale(q: Questionnaire, sections: Iterable[Section]) -> _Level:
    for s in sections:
        for st in s.statements():
            scale = q.scales.get(st.scale_id or "")
            if scale is not None:
                return _Level({int(o.value): o.label for o in scale.options}, scale.max_value)
    return _Level({}, 4)


def _proportion(profile: Profile) -> str:
    """Which register the plan speaks in: a basis, targeted work, or a full approach."""
    if profile.low_confidence or profile.threat.score is None:
        return "beeld"
    if profile.threat.rank <= 0:
        return "basis"
    if profile.threat.rank == 1:
        return "gericht"
    return "stevig"


def is_confidential(q: Questionnaire, qid: str) -> bool:
    """True when the questionnaire classifies this question as confidential."""
    return q.has_question(qid) and q.question(qid).classification == CONFIDENTIAL


def notes_public(q: Questionnaire) -> bool:
    """Notes (toelichtingen) are confidential unless the manifest says otherwise."""
    return getattr(q, "notes_classification", CONFIDENTIAL) == PUBLIC


def _secret_strings(q: Questionnaire, values: Mapping[str, Any]) -> list[str]:
    """Every confidential answer as it could appear inside a sentence (labels, free text,
    numbers, the start of the question), to test computed reason texts against."""
    out: list[str] = []
    for qq in q.questions():
        if qq.classification != CONFIDENTIAL or _is_empty(values.get(qq.id)):
            continue
        value = values[qq.id]
        out.append(" ".join(qq.text.split()[:4]))
        if qq.kind == TEXT and value not in (WEET_NIET, NVT):
            out += _lines(value)
            continue
        out.append(qq.label_for(value))
        out += [o.label for o in qq.options if o.value == value]
        if qq.kind == NUMBER and not isinstance(value, str):
            out.append(str(value))  # a count typed in; a scale's 0..3 is not telling
    return [s for s in out if s.strip()]


def _threat_ids(q: Questionnaire) -> set[str]:
    return {qq.id for s in q.sections if s.kind == "dreiging" for qq in s.questions}


def build_context(q: Questionnaire, answers: Any, profile: Profile, advice: Advice,
                  audience: str = PUBLIC) -> dict:
    """Everything the template needs, ordered by the questionnaire (deterministic).

    audience=PUBLIC (the plan): no confidential answer, note or reason detail is put in the
    context at all; audience=CONFIDENTIAL (the annex): everything.
    """
    public = audience == PUBLIC
    values: dict[str, Any] = dict(getattr(answers, "values", {}) or {})
    notes: dict[str, Any] = dict(getattr(answers, "notes", {}) or {})
    order = {qq.id: i for i, qq in enumerate(q.questions())}
    threat_ids = _threat_ids(q)
    secrets = _secret_strings(q, values) if public else []

    def secret(qid: str) -> bool:
        return is_confidential(q, qid)

    def secret_answer(qid: str) -> bool:
        """A real answer (not missing or 'weet niet') to a confidential question."""
        return secret(qid) and has_real_answer(values.get(qid))

    def shown(qid: str) -> bool:
        """May this question's answer (or the fact that it was answered) appear here?"""
        return not (public and secret(qid))

    def ordered(ids: Iterable[str]) -> list[str]:
        unique = set(ids)
        return sorted(unique, key=lambda i: (order.get(i, len(order)), i))

    def qtext(qid: str) -> str:
        return q.question(qid).text if q.has_question(qid) else qid

    def grouped(ids: Iterable[str]) -> list[dict]:
        """Question texts grouped by section, in questionnaire order."""
        groups: list[dict] = []
        for qid in ordered(ids):
            title = section_title(q.question(qid).section_id) if q.has_question(qid) else ""
            if not groups or groups[-1]["section"] != title:
                groups.append({"section": title, "questions": []})
            groups[-1]["questions"].append(qtext(qid))
        return groups

    def citations(qids: list[str], sids: list[str]) -> list[tuple[str, int]]:
        """What a reason rests on, short: the statements of one component as one line
        ("onderdeel 'Samenwerking': 3 stellingen, gemiddeld niveau 1"), another question
        as its first ~60 characters with the answer. (text, number of answers) pairs."""
        out: list[tuple[str, int]] = []
        groups: dict[str, list[str]] = {}
        per_section: dict[str, int] = {}
        for qid in qids:
            if q.has_question(qid):
                sid = q.question(qid).section_id
                per_section[sid] = per_section.get(sid, 0) + 1

        def many_in(sid: str) -> bool:  # e.g. every threat question: one line
            return per_section.get(sid, 0) >= MAX_CITED

        for qid in ordered(qids):
            question = q.question(qid) if q.has_question(qid) else None
            if question is not None and question.kind == SCALE and \
                    sec_kind(question.section_id) == "component":
                if question.section_id not in groups:
                    groups[question.section_id] = []
                    out.append((question.section_id, 0))  # placeholder, keeps the order
                groups[question.section_id].append(qid)
            elif question is None:
                out.append((qid, 1))
            elif many_in(question.section_id):
                key = "vragen:" + question.section_id
                if key not in groups:
                    groups[key] = []
                    out.append((key, 0))
                groups[key].append(qid)
            else:
                label = answer_label(question, values.get(qid))
                text = f"'{clip(question.text)}'" + (f" (antwoord: {label})" if label else "")
                out.append((text, 1))
        result: list[tuple[str, int]] = []
        questions = {k: v for k, v in groups.items() if k.startswith("vragen:")}
        groups = {k: v for k, v in groups.items() if k not in questions}
        many = len(groups) > MAX_CITED - 1  # e.g. every unknown statement: one line
        for text, n in out:
            if text in questions:
                ids = questions[text]
                result.append((f"{len(ids)} vragen bij '{section_title(text[7:])}'", len(ids)))
            elif text not in groups:
                result.append((text, n))
            elif not many:
                result.append((statement_summary(text, groups[text]), len(groups[text])))
            elif text == next(iter(groups)):
                every = [i for ids in groups.values() for i in ids]
                result.append((statement_summary("", every, len(groups)), len(every)))
        # A section is named only when none of its questions is cited already.
        covered = {q.question(i).section_id for i in qids if q.has_question(i)}
        result += [(f"onderdeel '{section_title(s)}'", 0) for s in sids if s not in covered]
        return result

    def statement_summary(sid: str, ids: list[str], n_sections: int = 1) -> str:
        known = [values[i] for i in ids if isinstance(values.get(i), (int, float))
                 and not isinstance(values.get(i), bool)]
        na = sum(1 for i in ids if values.get(i) == NVT)
        unknown = len(ids) - len(known) - na
        parts = [f"{len(ids)} {'stelling' if len(ids) == 1 else 'stellingen'}"]
        if known:
            mean = sum(known) / len(known)
            parts.append(f"{'niveau' if len(known) == 1 else 'gemiddeld niveau'} "
                         f"{nl_number(mean)}")
        if unknown:
            parts.append(f"{unknown} keer 'weet niet' of niet beantwoord")
        if na:
            parts.append(f"{na} niet van toepassing")
        if n_sections > 1:
            parts[0] += f" in {n_sections} onderdelen"
            return ", ".join(parts)
        return f"onderdeel '{section_title(sid)}': " + ", ".join(parts)

    def sec_kind(sid: str) -> str:
        try:
            return q.section(sid).kind
        except KeyError:
            return ""

    def section_title(sid: str) -> str:
        try:
            return q.section(sid).title
        except KeyError:
            return sid

    def section_secret(sid: str) -> bool:
        try:
            sec = q.section(sid)
        except KeyError:
            return False
        return sec.kind == "dreiging" or sec.classification == CONFIDENTIAL

    def leaks(text: str) -> bool:
        return any(s in text for s in secrets)

    def reasons(rs: Iterable[Any], computed: bool = False) -> list[dict]:
        """Reasons as the template shows them. In the public plan a reason that cites a
        confidential answer keeps only what is public: a text computed by advice (levels,
        counts of statements) stays when it quotes no confidential answer; an authored rule
        text (it may say 'there are cases') becomes a pointer to the annex."""
        out: list[dict] = []
        for r in rs:
            qids = list(r.question_ids)
            sids = list(r.section_ids)
            text = r.text
            annex = False
            # Only a real answer to a confidential question makes a reason confidential:
            # that a threat question is unanswered or 'weet niet' is not (advice does the same).
            if public and (getattr(r, "confidential", False) or any(map(secret_answer, qids))):
                annex = True
                if not computed or leaks(text):
                    cited = [i for i in qids if secret_answer(i)]
                    text = THREAT_POINTER if (not cited or any(i in threat_ids for i in cited)) \
                        else SECRET_POINTER
                else:
                    text = text.rstrip() + " " + ANNEX_POINTER
            if public:  # a confidential question is never quoted in the plan
                qids = [i for i in qids if not secret(i)]
                sids = [s for s in sids if not section_secret(s)]
            cites = citations(qids, sids)
            item = {
                "text": text,
                "cites": [t for t, _ in cites[:MAX_CITED]],
                "more": sum(n for _, n in cites[MAX_CITED:]),
                "annex": annex,
            }
            if item not in out:  # two confidential reasons may read the same in public
                out.append(item)
        return out

    components = q.components()
    level = _level_scale(q, components)
    priorities = {p.component_id: p for p in advice.priorities}
    results = {c.id: c for c in profile.components}

    comp_views = []
    for n, sec in enumerate(components, start=1):
        res = results.get(sec.id)
        prio = priorities.get(sec.id)
        comp_views.append({
            "number": f"3.{n}",
            "section": sec,
            "result": res,
            "priority": prio,
            "reasons": reasons(prio.reasons, computed=True) if prio else [],
            "current_words": level.words(res.level if res else None),
            "required_words": level.words(res.required) if res else "onbekend",
            "open": [
                {"text": oq.text,
                 "answer": answer_label(oq, values.get(oq.id)) if shown(oq.id) else "",
                 "secret": not shown(oq.id) and not _is_empty(values.get(oq.id))}
                for oq in sec.open_questions() if _visible(oq, values)
            ],
        })

    top = [
        {"p": p, "reasons": reasons(p.reasons, computed=True),
         "current_words": level.words(p.current), "required_words": level.words(p.required)}
        for p in advice.top(3)
    ]
    # No component short and none unknown: the summary says so and lists the components
    # closest to their required level to keep up, instead of calling them priorities.
    shortfall = any(c.status in ("tekort", "onbekend") for c in profile.components)
    comp_order = {s.id: i for i, s in enumerate(components)}
    maintain = [
        {"title": c.title, "current_words": level.words(c.level),
         "required_words": level.words(c.required)}
        for c in sorted((c for c in profile.components if c.level is not None),
                        key=lambda c: ((c.level or 0) - c.required, comp_order.get(c.id, 0)))[:3]
    ]
    recs = [{"r": r, "reasons": reasons(r.reasons)} for r in advice.recommendations]

    objective_sections = [s for s in q.sections if s.kind == "doelstellingen"]
    local_texts = [
        {"id": oq.id, "text": oq.text,
         "answer": answer_label(oq, values.get(oq.id)) if shown(oq.id) else "",
         "secret": not shown(oq.id) and not _is_empty(values.get(oq.id))}
        for s in objective_sections for oq in s.questions
        if oq.kind == TEXT and _visible(oq, values)
    ]
    local_ambition = [t for t in local_texts if "ambitie" in str(t["id"])]
    local_objectives = [t for t in local_texts if "ambitie" not in str(t["id"])]
    objectives: list[Any] = [
        {"text": o.text, "label": o.label if shown(o.id) else ""} for o in profile.objectives
    ]
    if not objectives:  # scoring did not rate them: still list the template's objectives
        objectives = [{"text": o.text, "label": ""} for o in q.objectives]

    threat_sections = [s for s in q.sections if s.kind == "dreiging"]
    threat_rows = [
        {"text": tq.text, "answer": answer_label(tq, values.get(tq.id)) or "niet beantwoord"}
        for s in threat_sections for tq in s.questions
        if _visible(tq, values) and shown(tq.id)
    ]

    # The answers table: the plan lists the public answers, the annex the confidential ones.
    appendix = []
    hidden_answers = 0
    scope = scope_ids(q, answers)  # a short scan: only its own questions were asked
    for s in q.sections:
        for qq in s.questions:
            if not _visible(qq, values) or (scope is not None and qq.id not in scope):
                continue
            if secret(qq.id) == public:
                hidden_answers += public
                continue
            appendix.append({
                "section": s.title,
                "question": qq.text,
                "answer": answer_label(qq, values.get(qq.id)) or "niet beantwoord",
                "confidential": secret(qq.id),
            })

    # The other confidential answers (not threat), as readable paragraphs in the annex.
    secret_sections: list[dict] = []
    if not public:
        for s in q.sections:
            if s.kind == "dreiging":
                continue
            rows = [{"question": qq.text, "answer": answer_label(qq, values.get(qq.id))}
                    for qq in s.questions if secret(qq.id) and _visible(qq, values)]
            if rows:
                secret_sections.append({"section": s.title, "rows": rows})

    def for_here(ids: Iterable[str]) -> list[str]:
        """The ids this document lists: the plan the public ones, the annex the others."""
        return [i for i in ids if secret(i) != public]

    marked = list(getattr(answers, "marked", None) or [])
    skipped = list(getattr(answers, "skipped", None) or []) + list(profile.skipped_ids)
    note_ids = [i for i in ordered(notes) if not _is_empty(notes[i])]
    if public:
        note_ids = [i for i in note_ids if notes_public(q) and not secret(i)]
        hidden_points = len({i for i in list(profile.unknown_ids) + skipped + marked
                                if secret(i)})
    else:
        note_ids = [i for i in note_ids if not notes_public(q) or secret(i)]
        hidden_points = 0
    privacy = _privacy_points(q, answers, public, secret, qtext)
    weak = [
        {"title": c.title, "answered": c.answered, "total": c.total - c.not_applicable,
         "confidence": c.confidence}
        for c in profile.components
        if (c.total - c.not_applicable) and c.confidence < 0.5
    ]

    # Confidential reasons in full, for the annex: which advice rests on which answers.
    annex_reasons: list[dict] = []
    if not public:
        for p in advice.priorities:
            rs = [r for r in p.reasons if getattr(r, "confidential", False)]
            if rs:
                annex_reasons.append({"kind": "Prioriteit", "title": p.title,
                                      "reasons": reasons(rs)})
        for rec in advice.recommendations:
            rs = [r for r in rec.reasons if getattr(r, "confidential", False)]
            if rs:
                annex_reasons.append({"kind": "Ondersteuning", "title": rec.name,
                                      "reasons": reasons(rs)})

    from wizard.plan.charts import charts_markdown

    return {
        "title": TITLE,
        "annex_title": ANNEX_TITLE,
        "marking": MARKINGS[PUBLIC if public else CONFIDENTIAL],
        "public": public,
        "annex_md": ANNEX_MD,
        "plan_md": PLAN_MD,
        "answers_file": ANSWERS_YAML,
        "secret_answer": SECRET_ANSWER,
        "charts": charts_markdown(profile, md_inline(municipality(answers))) if public else "",
        "municipality": municipality(answers),
        "date": getattr(answers, "date", None),
        "q": q,
        "profile": profile,
        "advice": advice,
        "proportion": _proportion(profile),
        "attention": _ATTENTION[_proportion(profile)],
        "resilience_words": level.words(profile.resilience),
        "top": top,
        "shortfall": shortfall,
        "maintain": maintain,
        "recommendations": recs,
        "components": comp_views,
        "objectives": objectives,
        "local_ambition": local_ambition,
        "local_objectives": local_objectives,
        "threat_rows": threat_rows,
        "secret_sections": secret_sections,
        "annex_reasons": annex_reasons,
        "notes_public": notes_public(q),
        "open_points": {
            "unknown": grouped(for_here(profile.unknown_ids)),
            "skipped": grouped(for_here(skipped)),
            "notes": [{"question": qtext(i), "note": notes[i]} for i in note_ids],
            "marked": [qtext(i) for i in ordered(for_here(marked))],
            "weak": weak if public else [],
            "privacy": privacy,
            "hidden": hidden_points,
        },
        "appendix": appendix,
        "hidden_answers": hidden_answers,
        # The short scan (sessie.soort: kort): the plan says so, and what was not asked.
        "short_scan": scope is not None,
        # Counted as the chat numbers them: follow-up questions (toon_als) not separately.
        "short_total": sum(1 for qq in q.questions()
                           if scope is not None and qq.id in scope and qq.condition is None),
    }


def _privacy_points(q: Questionnaire, answers: Any, public: bool, secret, qtext) -> list[str]:
    """Open points for possible personal data (BSN, e-mail, phone, address) in free text.

    The line names the question and the kind of data, never the value. It goes where the
    text itself is shown: a public answer (or a note, when notes are public) in the plan,
    a confidential answer or note in the annex."""
    from wizard.answers.privacy import open_point, scan_answers

    grouped: dict[tuple[str, str], list[Any]] = {}
    for hit in scan_answers(answers):
        grouped.setdefault((hit.question_id, hit.field), []).append(hit.finding)
    order = {qq.id: i for i, qq in enumerate(q.questions())}
    out: list[str] = []
    for (qid, field), findings in sorted(
            grouped.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0])):
        note = field == "toelichting"
        confidential = secret(qid) or (note and not notes_public(q))
        if confidential == public:
            continue
        out.append(open_point(f"‘{shorten(qtext(qid))}’", findings, note=note))
    return out


# The threat in general terms, for the public plan (the answers are in the annex).
_ATTENTION = {
    "beeld": "het beeld is nog onvolledig; eerst een lokaal beeld vormen",
    "basis": "een basisaanpak volstaat",
    "gericht": "verhoogde aandacht nodig",
    "stevig": "hoge aandacht nodig",
}


def render_plan(q: Questionnaire, answers: Any, profile: Profile, advice: Advice,
                progress: str = "") -> str:
    """The public draft plan as Markdown (Dutch): no confidential answers or notes.
    `progress`: the public progress section (`previous_sections`), put before the appendix."""
    template = environment().get_template("plan.md.j2")
    return tidy_markdown(template.render(
        progress=progress, **build_context(q, answers, profile, advice, PUBLIC)))


def render_annex(q: Questionnaire, answers: Any, profile: Profile, advice: Advice,
                 progress: str = "") -> str:
    """The confidential annex as Markdown: threat picture, confidential answers, notes and
    the reasons that cite them; `progress` (the full progress section) at the end."""
    template = environment().get_template("bijlage.md.j2")
    return tidy_markdown(template.render(
        progress=progress, **build_context(q, answers, profile, advice, CONFIDENTIAL)))



# --------------------------------------------------------------------------- HTML

# Only what the plan's Markdown produces. No images, no forms, no scripts, no styles.
_TAGS = {
    "a", "img", "br", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "nav", "ol",
    "p", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "code", "span",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "div": {"class"},
    "span": {"class"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}


def _attribute_filter(images: frozenset[str]):
    def keep(tag: str, attr: str, value: str) -> str | None:
        # Only in-page anchors: a plan must work offline and never call out.
        if attr == "href":
            return value if re.fullmatch(r"#[\w-]*", value) else None
        # Only our own chart files; they become data: URIs after sanitising.
        if attr == "src":
            return value if value in images else None
        return value

    return keep


def sanitize_html(html: str, images: Iterable[str] = ()) -> str:
    """Allow-list sanitising; `images` are the only file names an <img> may show."""
    images = frozenset(images)
    return nh3.clean(
        html,
        tags=_TAGS if images else _TAGS - {"img"},
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter(images),
        link_rel=None,
        strip_comments=True,
        url_schemes=set(),
    )


def _toc_slug(value: str, separator: str) -> str:
    # Short anchors: a heading may hold a long (user-typed) municipality name.
    return slugify(value)[:60].rstrip("-") or "kop"


@cache
def _css() -> str:
    css = (resources.templates_dir() / "plan.css").read_text(encoding="utf-8")
    return css.replace("</", "<\\/")  # can never close the <style> element


def _marking_css(marking: str) -> str:
    """The print header on every page: an @page margin box (our own constant text)."""
    text = marking.replace("\\", "").replace('"', "")
    return f'@page {{ @top-center {{ content: "{text}"; }} }}'


def markdown_to_html(md: str, title: str, charts: Mapping[str, str] | None = None,
                     marking: str | None = None) -> str:
    """Standalone, sanitised HTML5 page (inline CSS, no external resources).

    `charts` maps chart file names (as the Markdown refers to them) to SVG text; those
    images are embedded as data: URIs (the CSP allows `img-src data:`), any other image
    is dropped. `marking` (one of MARKINGS) becomes a banner at the top, a header repeated
    on every printed page and the @page top-center text; the same line under the title of
    the Markdown is then left out of the body so it is not shown twice.
    """
    charts = dict(charts or {})
    level = None
    if marking is not None:
        level = next((k for k, v in MARKINGS.items() if v == marking), None)
        if level is None:
            raise ValueError(f"unknown marking {marking!r}")
        lines = md.split("\n")
        for i, line in enumerate(lines[:4]):  # the line under the title (see plan.md.j2)
            if line == f"**{marking}**":
                del lines[i:i + 2 if lines[i + 1:i + 2] == [""] else i + 1]
                break
        md = "\n".join(lines)
    converter = _markdown_converter()
    converter.reset()
    body = converter.convert(md)
    toc = getattr(converter, "toc", "")
    if toc and "<h2" in body:  # the table of contents goes after the title block
        i = body.index("<h2")
        body = body[:i] + toc + "\n" + body[i:]
    body = sanitize_html(body, charts)
    if charts:
        from wizard.plan.charts import embed_chart_images

        body = embed_chart_images(body, charts)
    page = environment().get_template("page.html.j2")
    return page.render(title=title, css=_css(), body=body, marking=marking, level=level,
                       marking_css=_marking_css(marking) if marking else "")


# --------------------------------------------------------------------------- files


def write_outputs(
    q: Questionnaire,
    answers: Any,
    out_dir: str | Path,
    *,
    force: bool = False,
    profile: Profile | None = None,
    advice: Advice | None = None,
    public_only: bool = False,
    progress: tuple[str, str] | None = None,
    word: bool = True,
) -> list[Path]:
    """Write the public plan (plan.md, plan.html, plan.docx, the chart SVGs) and the
    confidential part (bijlage-vertrouwelijk.md/.html/.docx, antwoorden.yaml; mode 0600)
    into `out_dir`. The Word files are converted from the same Markdown, so they say
    exactly what the .md says.

    `public_only`: only the public plan and charts, for sharing a draft; no annex and no
    answers file are written, and an annex left from an earlier run in that folder is
    removed (it would no longer match the plan, and the folder is meant to be shared).

    An existing plan is never overwritten without `force`: we refuse (a Dutch error)
    rather than write plan-2.md, because a numbered copy next to an edited plan is easy to
    miss, and because batch runs must give the same files every time.

    `progress`: (public, annex) progress sections from `previous_sections` (--vorige).
    `word=False` (batch --zonder-word) skips the .docx files: they cost most of a plan's
    time, and a region producing hundreds of drafts may not need them.
    """
    from wizard.plan.charts import chart_files

    out = Path(out_dir)
    names: tuple[str, ...] = PUBLIC_FILES if public_only else OUTPUT_FILES
    if not word:
        names = tuple(n for n in names if not n.endswith(".docx"))
    targets = {name: out / name for name in names}
    chart_targets = [out / name for name in CHART_FILES]
    if not force:
        # The annex counts even for a public-only run: it belongs to the plan next to it.
        existing = [out / n for n in OUTPUT_FILES + CHART_FILES
                    if (out / n).exists() and (n != ANSWERS_YAML or not public_only)]
        if existing:
            raise ZelfscanError(
                f"in deze map staat al een plan ({', '.join(p.name for p in existing)}); "
                "er is niets overschreven",
                file=out,
                hint="Kies een andere uitvoermap, of gebruik --force om het bestaande plan "
                     "te vervangen (eigen wijzigingen in dat plan gaan dan verloren).",
            )
    if profile is None or advice is None:
        from wizard.assessment import advice as advice_mod
        from wizard.assessment import scoring

        if profile is None:
            profile = scoring.score(q, answers, scoring.load_config(q))
        if advice is None:
            advice = advice_mod.advise(q, answers, profile, advice_mod.load_rules(q))

    progress_public, progress_annex = progress or ("", "")
    md = render_plan(q, answers, profile, advice, progress_public)
    # SVG, not Markdown: the name as typed (on one line); the SVG escapes it as XML itself.
    charts = chart_files(profile, " ".join(_lines(municipality(answers))))
    date = getattr(answers, "date", None)
    # Everything is made in memory first and then written as one set (_write_file_set):
    # an error or a kill halfway never leaves a new plan.md next to an old plan.html.
    files: list[tuple[Path, bytes, bool]] = [
        (targets[PLAN_MD], md.encode("utf-8"), False),
        (targets[PLAN_HTML], markdown_to_html(md, plan_title(answers), charts,
                                              MARKINGS[PUBLIC]).encode("utf-8"), False),
    ]
    if word:
        # python-docx is imported only here: most commands never write Word.
        from wizard.plan.docx_out import markdown_to_docx_bytes

        files.append((targets[PLAN_DOCX],
                      markdown_to_docx_bytes(md, _xml_safe(plan_title(answers)),
                                             _docx_date(date)), False))
    if not public_only:
        from wizard.answers.store import dump_answers

        annex = render_annex(q, answers, profile, advice, progress_annex)
        # The annex is as confidential as the answers: readable by the user only.
        files.append((targets[ANNEX_MD], annex.encode("utf-8"), True))
        files.append((targets[ANNEX_HTML],
                      markdown_to_html(annex, annex_title(answers), None,
                                       MARKINGS[CONFIDENTIAL]).encode("utf-8"), True))
        if word:
            files.append((targets[ANNEX_DOCX],
                          markdown_to_docx_bytes(annex, _xml_safe(annex_title(answers)),
                                                 _docx_date(date)), True))
        files.append((targets[ANSWERS_YAML], dump_answers(answers, q).encode("utf-8"), True))
    # The SVG files sit next to plan.md, which refers to them (plan.html embeds them).
    files += [(path, charts[path.name].encode("utf-8"), False) for path in chart_targets]
    _write_file_set(files)
    if public_only:
        for name in (ANNEX_MD, ANNEX_HTML, ANNEX_DOCX):
            try:
                (out / name).unlink()
            except FileNotFoundError:
                pass
    return [path for path, _, _ in files]


def _write_file_set(files: list[tuple[Path, bytes, bool]]) -> None:
    """Write (path, data, private) files as one set: each goes to a hidden temp file in its
    target folder (fsynced), and only when all are complete are they renamed into place.

    An error halfway (a full disk on the .docx) removes the temp files and leaves the old
    set untouched. A kill leaves the old set plus hidden temp files, which the next write
    of those files removes (their pid is gone); only a kill inside the short rename loop
    can leave complete files of both versions. Temp names follow wizard.files.yamlio's pattern.
    """
    import os

    from wizard.errors import WriteError
    from wizard.files.yamlio import _remove_stale_temps

    temps: list[tuple[Path, Path]] = []
    try:
        for path, data, private in files:
            try:
                temps.append((_write_temp(path, data, private), path))
            except WriteError:
                raise
            except OSError as e:
                raise WriteError(e, path) from None
        while temps:
            tmp, path = temps[0]
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise WriteError(e, path) from None
            temps.pop(0)
    except BaseException:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise
    for folder in {path.parent for path, _, _ in files}:
        try:  # make the renames durable
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass
    for path, _, _ in files:
        _remove_stale_temps(path)


def _write_temp(path: Path, data: bytes, private: bool) -> Path:
    """`data` in a new hidden temp file next to `path` (created exclusively, fsynced)."""
    import errno
    import os
    import secrets

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be
        raise NotADirectoryError(errno.ENOTDIR, "not a directory") from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return tmp


def _docx_date(value: Any) -> str | None:
    """The assessment date for the Word properties (a date object or an ISO string)."""
    if value is None:
        return None
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else str(value)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """The Word document title holds the typed municipality name; XML cannot hold control
    characters (lxml would raise), so they are left out."""
    return _NOT_XML.sub("", text)

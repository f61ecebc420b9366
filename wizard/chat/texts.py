"""What the assistant says: welcome, section introductions, questions, reflections, help,
overviews and the summary at the end. Every number shown is the question's stable number
(wizard.chat.numbering), the same one every command takes."""

from __future__ import annotations

from typing import Any

from wizard.chat import parse
from wizard.chat.base import ChatBase, nl_level
from wizard.chat.frontend import BOT, GOOD, HEADING, HINT, OPTION, QUESTION
from wizard.questionnaire.model import CHOICE, NUMBER, NVT, SCALE, TEXT, WEET_NIET, Question

# Rough minutes per question, for the choice between the short and the full scan.
_MINUTES_SHORT = "ongeveer 15 minuten"
_MINUTES_FULL = "60 tot 90 minuten"


class Texts(ChatBase):
    """The assistant's lines."""

    def _welcome(self) -> None:
        self.say("Hallo! Ik ben de Zelfscan-assistent.", GOOD)
        self.say("Samen brengen we de aanpak van radicalisering en extremisme in uw gemeente in "
                 "beeld: de dreiging tegenover de weerbaarheid. Aan het eind krijgt u een "
                 "concept plan van aanpak.")
        self.say("Elk antwoord wordt meteen bewaard. Weet u iets niet? Typ w. Uitleg bij een "
                 "vraag: ?. Alle opdrachten: :hulp.", HINT)

    def _scan_choice_text(self, short_total: int, full_total: int) -> None:
        self.say("")
        self.say("Welke scan wilt u doen?")
        self.say(f"   k  Korte scan: {short_total} vragen, {_MINUTES_SHORT}. U krijgt een eerste "
                 "profiel, de prioriteiten en advies over ondersteuning.", OPTION)
        self.say(f"   v  Volledige scan: {full_total} vragen, {_MINUTES_FULL}, met de lokale "
                 "uitwerking per onderdeel.", OPTION)
        self.say("Na de korte scan kunt u verder met de volledige scan; wat u dan al "
                 "beantwoordde, wordt niet opnieuw gevraagd.", HINT)

    def _intro_of(self, section_id: str) -> str:
        sec = self.q.section(section_id)
        text = sec.short_intro if self.answers.short_scan and sec.short_intro else sec.intro
        return " ".join(text.split())

    def _enter_section(self, cur: Question) -> None:
        if cur.section_id == self._section:
            return
        self._section = cur.section_id
        self.say("")
        self._heading(self.q.section(cur.section_id).title, section=True)
        intro = self._intro_of(cur.section_id)
        if intro:
            self.say(intro)  # in full: it may say what is confidential and what 'w' means

    def _multiline(self, question: Question) -> bool:
        # Intake answers are short (a name); everything else may take several lines.
        return question.kind == TEXT and self.q.section(question.section_id).kind != "intake"

    def _has_help(self, cur: Question) -> bool:
        return bool(cur.help.strip() or self.q.section(cur.section_id).how.strip())

    def _show_question(self, cur: Question, *, editing: bool = False) -> None:
        self.say("")
        self.say(f"Vraag {self.label(cur.id)} van {self.numbers.total}: "
                 f"{' '.join(cur.text.split())}", QUESTION)
        if cur.kind == SCALE and cur.scale_id and cur.scale_id in self.q.scales:
            desc = self.q.scales[cur.scale_id].description
            if desc and desc.strip() != cur.text.strip():
                self.say(desc, HINT)
        for key, _value, label in parse.option_keys(cur):
            self.say(f"  {key:>2}  {label}", OPTION)
        help_hint = " Uitleg: ?" if self._has_help(cur) else ""
        unknown = " Weet u het niet? Typ w." if cur.allows_unknown else ""
        existing = self.answers.values.get(cur.id)
        if self._multiline(cur):
            finish = ("Druk op Enter op een lege regel, of typ een regel met alleen een punt"
                      if self.plain else "Druk op Enter op een lege regel (of Alt-Enter)")
            self.say(f"Meerdere regels mogen. Klaar? {finish}.{unknown}{help_hint}", HINT)
        elif cur.kind == TEXT:
            self.say(f"Typ uw antwoord en druk op Enter.{unknown}{help_hint}", HINT)
        elif cur.kind in (SCALE, CHOICE):
            how = "" if self.plain else ", of kies met ↑/↓"
            what = "het nummer of de letter" if parse.special_keys(cur) else "het nummer"
            self.say(f"Typ {what}{how} en druk op Enter.{help_hint}", HINT)
        elif cur.kind == NUMBER:
            self.say(parse.what_to_type(cur, arrows=not self.plain) + help_hint, HINT)
        if existing is not None:
            shown = parse.format_value(cur, existing)
            prefilled = editing and cur.kind == TEXT and existing not in (WEET_NIET, NVT)
            extra = " (staat klaar in de invoer om te bewerken)" if prefilled else \
                "; Enter = zo laten"
            if self.plain and cur.kind == TEXT:
                # Nothing can be prefilled: show it whole; typing replaces it.
                shown = parse.format_value(cur, existing, width=10**6)
                extra = ("; typ de nieuwe tekst, of alleen Enter om het zo te laten"
                         if editing else "; Enter = zo laten")
            self.say(f"Huidig antwoord: {shown}{extra}.", HINT)
        if cur.id in self.answers.notes:
            self.say("Notitie: " + " ".join(self.answers.notes[cur.id].split()), HINT)
        if cur.id in self.answers.marked:
            self.say("Gemarkeerd om te bespreken.", HINT)

    def _short_reminder(self, cur: Question) -> None:
        keys = [k for k, _, _ in parse.option_keys(cur)]
        what = ""
        if len(keys) > 1:
            what = f" ({keys[0]} t/m {keys[-1]})" if all(k.isdigit() for k in keys) else \
                " (" + ", ".join(keys) + ")"
        self.say(f"Terug naar vraag {self.label(cur.id)}: {self._short(cur, 56)}{what}",
                 QUESTION)

    # ------------------------------------------------------------------ reflection

    def _profile(self) -> Any:
        from wizard.assessment import scoring

        if self._config is None:
            self._config = scoring.load_config(self.q)
        return scoring.score(self.q, self.answers, self._config)

    def _reflect(self, section_id: str) -> None:
        sec = self.q.section(section_id)
        if sec.kind == "component":
            comp = self._profile().component(section_id)
            status = {"op orde": "op orde", "tekort": "nog niet op het nodige niveau",
                      "onbekend": "nog onbekend"}.get(comp.status, comp.status)
            # Green only for 'op orde': a colour must never contradict the words.
            style = GOOD if comp.status == "op orde" else BOT
            if comp.level is None:
                self.say(f"{sec.title}: niveau nog onbekend (nodig: {comp.required}); "
                         f"{comp.unknown} keer 'weet niet' of onbeantwoord.", style)
            else:
                top = max((int(o.value) for qu in sec.statements() for o in qu.options),
                          default=4)
                self.say(f"{sec.title}: niveau {nl_level(comp.level)} van {top} "
                         f"(nodig: {comp.required}), {status}.", style)
        elif sec.kind == "dreiging":
            t = self._profile().threat
            self.say(f"Dreiging tot nu toe: {t.label.lower()} ({t.known} van de {t.total} "
                     "vragen met een bekend antwoord).")

    # ------------------------------------------------------------------ on request

    def _explain(self, cur: Question | None) -> None:
        if cur is None:
            self.say("Kies eerst een vraag (:ga <nr>) voor uitleg.", HINT)
            return
        sec = self.q.section(cur.section_id)
        intro = self._intro_of(cur.section_id)
        if intro:  # the section's introduction in full: what is asked and what is confidential
            self.say(f"Over '{sec.title}':", HEADING)
            self.say(intro)
        if cur.help.strip():
            self.say("Uitleg bij deze vraag:", HEADING)
            self.say(cur.help.strip())
        if sec.how.strip() and sec.how.strip() != cur.help.strip():
            self.say(f"Wat het sjabloon zegt over '{sec.title}' (Hoe):", HEADING)
            self.say(sec.how.strip())
        if not (intro or cur.help.strip() or sec.how.strip()):
            self.say("Bij deze vraag is geen extra uitleg.")
        self._remind = True

    def _definitions(self) -> None:
        if not self.q.definitions:
            self.say("Deze vragenlijst bevat geen definities.")
            return
        for d in self.q.definitions:
            self.say(d.term, HEADING)
            self.say(" ".join(d.text.split()))
            if d.source:
                self.say(f"(Bron: {d.source})", HINT)
        self._remind = True

    def _progress(self) -> None:
        p = self.session.progress()
        scan = " van de korte scan" if self.answers.short_scan else ""
        self.say(f"{p.answered} van de {p.total} vragen{scan} beantwoord ({p.percent}%).", GOOD)
        for sec in self.q.sections:
            qs = [qu for qu in self.session.visible() if qu.section_id == sec.id]
            if not qs:
                continue
            done = sum(1 for qu in qs if qu.id in self.answers.values)
            self.say(f"  {sec.title}: {done} van {len(qs)}", OPTION)
        self._remind = True

    def _help(self) -> None:
        self.say("Opdrachten (typ ze als antwoord, met de dubbele punt ervoor):", HEADING)
        for name, (_aliases, arg, _desc) in parse.COMMANDS.items():
            left = f":{name}" + (f" {arg}" if arg else "")
            self.say(f"  {left:<16} {parse.describe(name, keys=not self.plain)}", OPTION)
        self.say("Antwoorden: een cijfer of nummer; w = weet niet; n = niet van toepassing "
                 "(als dat mag). Ctrl-C vraagt of u wilt stoppen; alles blijft bewaard.", HINT)
        if self.plain:
            self.say("Tekst van meerdere regels: klaar met een lege regel, of met een regel "
                     "met alleen een punt.", HINT)
        self._remind = True

    def _section_summary(self) -> None:
        """One line per section: its question numbers and how many still lack an answer.
        Fits one screen, so the review starts with everything in view."""
        rows: list[tuple[str, str, str]] = []
        for sec in self.q.sections:
            qs = [qu for qu in self.session.visible() if qu.section_id == sec.id]
            if not qs:
                continue
            first, last = self.label(qs[0].id), self.label(qs[-1].id)
            numbers = first if first == last else f"{first}–{last}"
            missing = sum(1 for qu in qs if qu.id not in self.answers.values)
            state = "alles beantwoord" if not missing else f"{missing} onbeantwoord"
            rows.append((numbers, sec.title, state))
        wide = max(len(n) for n, _, _ in rows)
        for numbers, title, state in rows:
            room = max(10, self.width - wide - 4 - len(state) - 3)
            shown = title if len(title) <= room else title[: room - 1] + "…"
            self.say(f"  {numbers:<{wide}}  {shown}: {state}", OPTION)

    def _overview_blocks(self, *, only_open: bool = False
                         ) -> list[tuple[str, list[tuple[str, str]]]]:
        """Per section its questions, numbered as on screen, with the answer or
        'onbeantwoord' / 'overgeslagen'."""
        blocks: list[tuple[str, list[tuple[str, str]]]] = []
        for sec in self.q.sections:
            lines: list[tuple[str, str]] = []
            for qu in self.session.visible():
                if qu.section_id != sec.id:
                    continue
                value = self.answers.values.get(qu.id)
                if only_open and value is not None:
                    continue
                flags = (" [bespreken]" if qu.id in self.answers.marked else "") + \
                    (" [notitie]" if qu.id in self.answers.notes else "")
                number = f"{self.label(qu.id)}."
                room = max(10, self.width - 5 - 36 - 3 - len(flags))
                if value is None:
                    shown = "overgeslagen" if qu.id in self.answers.skipped else "onbeantwoord"
                else:
                    shown = parse.format_value(qu, value, room)
                lines.append((f"{number:>4} {self._short(qu, 36)} — {shown}{flags}", OPTION))
            if lines:
                blocks.append((sec.title, lines))
        return blocks

    # ------------------------------------------------------------------ the end

    def _summary(self, profile: Any, adv: Any) -> None:
        name = self.answers.municipality
        self.say("")
        scan = " (korte scan)" if self.answers.short_scan else ""
        self._heading(f"Samenvatting voor {name}{scan}")
        t = profile.threat
        self.say(f"Dreiging: {t.label}." + (f" {t.meaning}" if t.meaning else ""))
        scored = [c for c in profile.components if c.status != "nvt"]
        at_level = sum(c.status == "op orde" for c in scored)
        level = "" if profile.resilience is None else \
            f"; gemiddeld niveau {nl_level(profile.resilience)} van 4"
        self.say(f"Weerbaarheid: {profile.resilience_label} ({at_level} van de {len(scored)} "
                 f"onderdelen op het nodige niveau{level}).")
        self.say(f"Beeld: {profile.quadrant.name}. {profile.quadrant.meaning}")
        top = adv.top(3)
        if top and not any((p.gap is None or p.gap > 0) for p in top):
            # Nothing falls short: do not call components at their level 'priorities'.
            self.say("Geen onderdeel heeft een tekort; houd de basis bij.", HEADING)
        elif top:
            self.say("Eerst aanpakken:", HEADING)
            for p in top:
                self.say(f"  {p.rank}. {p.title} (nu {nl_level(p.current)}, nodig {p.required};"
                         f" urgentie {p.urgency})")
        if self.answers.short_scan:
            self.say("Dit is een eerste beeld op basis van de korte scan: per onderdeel één "
                     "stelling. De volledige scan maakt het beeld en het plan vollediger.", HINT)

    def _chart(self, profile: Any) -> None:
        """The compact chart; in plain mode in words (a screen reader would read every bar
        character aloud, '#' by '#')."""
        if not self.plain:
            from wizard.plan.charts import text_chart

            self.say("")
            # Said as is: wrapping would break the columns (text_chart keeps to the width).
            self.fe.say(text_chart(profile, width=self.width, header=False).rstrip("\n"), BOT)
            return
        self.say("")
        self._heading("Per onderdeel: niveau nu en nodig")
        for c in profile.components:
            status = {"op orde": "op orde", "tekort": "tekort"}.get(c.status, "onbekend")
            now = nl_level(c.level) if c.level is not None else "onbekend"
            self.say(f"{c.title}: nu {now}, nodig {c.required}, {status}.")

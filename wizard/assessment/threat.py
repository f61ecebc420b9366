"""The threat picture: level, themes, floors, gaps and borderline scores.

`assess(q, values, shown_ids, config)` turns the threat answers into a `results.ThreatResult`:
- the headline level (laag / verhoogd / hoog) from the weighted mean of the known answers;
- floors: one serious fact (a returning detainee, a worried family, a case) makes the level
  at least the floor's level, whatever the average says;
- themes (scoring.yaml 'themas'): which kinds of threat are present; each raises the
  components it names (`component_raises`), so the required levels follow what the threat
  consists of and not only how large it is;
- gaps: 'weet niet' (or no answer) on a heavy question is never read as 0; it is named,
  it weighs with the question's weight in the share of known answers, and it may raise
  components of its own (usually the lokaal beeld);
- borderline: a score just under the next level's threshold is said as such.

Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from wizard.assessment import results
from wizard.assessment.config import Floor, ScoringConfig, ThreatLevel, threat_questions
from wizard.questionnaire.model import NVT, Question, Questionnaire


def is_value(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def assess(q: Questionnaire, vals: Mapping[str, Any], shown_ids: set[str],
           config: ScoringConfig) -> results.ThreatResult:
    questions = [qq for qq in threat_questions(q) if qq.id in shown_ids]
    total_w = weighted = 0.0
    all_w = known_w = 0.0
    known = total = 0
    unknown: list[str] = []
    floors: list[Floor] = []
    for qq in questions:
        v = vals.get(qq.id)
        if v == NVT:
            continue
        total += 1
        w = config.weight(qq.id)
        all_w += w
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            unknown.append(qq.id)
            continue
        known += 1
        known_w += w
        top = scale_max(q, qq)
        total_w += w
        weighted += w * (min(float(v), top) / top if top else 0.0)
        floors += [f for f in config.floors
                   if f.question_id in (None, qq.id) and v >= f.answer_at_least]
    value = weighted / total_w if total_w else None
    level = config.threat_levels[0]
    if value is not None:
        for lv in config.threat_levels:
            if value >= lv.threshold - 1e-9:
                level = lv
    by_score = level
    for f in floors:
        level = _max_level(config, level, f.level)
    # Every floor that lifted the level above the score names its fact (once each).
    lifting = [f for f in floors if _rank(config, f.level) > _rank(config, by_score.id)]
    floor_reason = " ".join(dict.fromkeys(f.reason for f in lifting if f.reason))
    floor_public = " ".join(dict.fromkeys(f.public for f in lifting if f.public))
    share = known_w / all_w if all_w else 0.0
    assumed = False
    if share < config.min_known_threat:
        raised = _max_level(config, level, config.unknown_threat_level)
        assumed = raised.id != level.id or value is None
        level = raised
    rank = _rank(config, level.id)
    themes, gaps = _themes(config, vals, {qq.id for qq in questions})
    borderline = False
    if value is not None and level.id == by_score.id and config.borderline_margin > 0:
        nxt = next((lv for lv in config.threat_levels if lv.threshold > by_score.threshold),
                   None)
        borderline = nxt is not None and nxt.threshold - config.borderline_margin \
            <= value < nxt.threshold - 1e-9
    return results.ThreatResult(
        level=level.id,
        label=config.unknown_threat_label if assumed else level.label,
        rank=rank,
        score=None if value is None else round(value, 4),
        known=known,
        unknown=len(unknown),
        total=total,
        unknown_ids=tuple(unknown),
        meaning=config.unknown_threat_meaning if assumed else level.meaning,
        assumed=assumed,
        phrase=level.phrase,
        themes=themes,
        floor=floor_reason,
        floor_public=floor_public,
        borderline=borderline,
        gaps=gaps,
    )


def known_share(q: Questionnaire, vals: Mapping[str, Any], shown_ids: set[str],
                config: ScoringConfig) -> float:
    """Share of the threat questions answered with a value, each counted with its weight:
    'weet niet' on the cases question (weight 2) says more about how little is known than
    'weet niet' on a light one."""
    all_w = known_w = 0.0
    for qq in threat_questions(q):
        v = vals.get(qq.id)
        if qq.id not in shown_ids or v == NVT:
            continue
        all_w += config.weight(qq.id)
        known_w += config.weight(qq.id) if is_value(v) else 0.0
    return known_w / all_w if all_w else 0.0


def _themes(config: ScoringConfig, vals: Mapping[str, Any],
            shown: set[str]) -> tuple[tuple[results.ThemeResult, ...], tuple[str, ...]]:
    out: list[results.ThemeResult] = []
    gaps: list[str] = []
    for t in config.themes:
        qids = [qid for qid in t.questions if qid in shown]
        open_ids = [qid for qid in qids if not is_value(vals.get(qid)) and vals.get(qid) != NVT]
        present: bool | None = any(
            is_value(vals.get(qid)) and vals[qid] >= at
            for qid, at in t.questions.items() if qid in shown)
        if not present and open_ids:
            present = None
        if t.heavy:
            gaps += open_ids
        out.append(results.ThemeResult(t.id, t.label, present, tuple(qids),
                                       tuple(sorted(t.raises.items()))))
    return tuple(out), tuple(gaps)


def component_raises(config: ScoringConfig, threat: results.ThreatResult) -> dict[str, int]:
    """Levels each component is raised above base + threat rise by the themes present
    (and by gaps on heavy questions, which call for a better local picture). When several
    themes raise one component, the largest raise counts: two themes about young people
    ask the prevention to be in order once, not twice over."""
    raises: dict[str, int] = {}
    by_id = {t.id: t for t in config.themes}
    gaps = set(threat.gaps)
    for tr in threat.themes:
        theme = by_id.get(tr.id)
        if theme is None:
            continue
        if tr.present:
            for cid, n in theme.raises.items():
                raises[cid] = max(raises.get(cid, 0), n)
        elif gaps & set(theme.questions):
            for cid, n in theme.gap_raises.items():
                raises[cid] = max(raises.get(cid, 0), n)
    return raises


def raised_by(config: ScoringConfig, threat: results.ThreatResult,
              cid: str) -> list[results.ThemeResult]:
    """The present themes that raise component `cid` (for reasons)."""
    by_id = {t.id: t for t in config.themes}
    return [tr for tr in threat.themes if tr.present and tr.id in by_id
            and by_id[tr.id].raises.get(cid)]


def _rank(config: ScoringConfig, level_id: str) -> int:
    return config.level_rank(level_id) or 0


def _max_level(config: ScoringConfig, level: ThreatLevel, other_id: str) -> ThreatLevel:
    other = config.level(other_id)
    return other if _rank(config, other.id) > _rank(config, level.id) else level


def scale_max(q: Questionnaire, qq: Question) -> int:
    if qq.options:
        try:
            return max(int(o.value) for o in qq.options)
        except (TypeError, ValueError):
            pass
    if qq.scale_id and qq.scale_id in q.scales:
        return q.scales[qq.scale_id].max_value
    return 4

"""Step 4, one subject one award (不重复奖补): of several provisions for one subject, the higher."""

from __future__ import annotations

from zhuanyezhen.engine.candidates import ZERO, Candidate
from zhuanyezhen.money import yuan
from zhuanyezhen.profile.glossary import subject_label


def one_subject(cands: list[Candidate]) -> None:
    """Of several provisions paying for one subject, the higher stays; a tie goes to rule order."""
    groups: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.status == "paid" and c.subject:
            groups.setdefault(c.subject, []).append(c)
    for subject, group in groups.items():
        if len(group) < 2:
            continue
        best = max(group, key=lambda c: c.computed or ZERO)  # first wins a tie: rule order
        for c in group:
            if c is not best:
                c.exclude(f"同一事项“{subject_label(subject)}”只奖一次,按较高的“{best.p.rule.title}”"
                          f"({yuan(best.computed or ZERO)} 元)计", winner=best.p.id)
        best.steps.append(f"不重复:同一事项另有 {len(group) - 1} 项较低奖补被排除")

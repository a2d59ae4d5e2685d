"""Step 2, history: an award this policy already paid, by the profile's ``awards_received``.

Semantics (shared by every path that must equal ``calculate``):
- an entry for a provision paid once per enterprise (``one_time: enterprise``) stops it;
- an entry for a tiered provision stops its tier, or every tier when it names none;
- an entry that names a subject stops that subject only;
- an entry without a subject, for a provision paid per subject, cannot say which subject it paid:
  each subject whose event could be the one paid (event year unknown or not later than the
  entry's year) becomes 需补充信息, naming the entry and asking which subject it was; subjects
  whose event is later than the entry's year cannot have been paid by it and go on as usual.
"""

from __future__ import annotations

from zhuanyezhen.engine.candidates import Candidate
from zhuanyezhen.profile.model import Profile, ReceivedAward


def one_time_of(c: Candidate, assumptions: dict[str, str]) -> str | None:
    """The provision's ``one_time``, resolved through its interpretation when it depends on one."""
    once = c.p.rule.one_time
    if once is None or isinstance(once, str):
        return once
    return once.values[assumptions[once.interpretation]]


def apply_history(cands: list[Candidate], profile: Profile, assumptions: dict[str, str]) -> None:
    """An award already received under this policy (``awards_received``) is not paid again."""
    for c in cands:
        if c.status != "paid":
            continue
        once = one_time_of(c, assumptions)
        for index, r in enumerate(profile.awards_received):
            if r.provision != c.p.id:
                continue
            if once == "enterprise":
                hit = True
            elif once == "tier":
                hit = r.tier is None or r.tier == c.tier
            elif r.subject is not None:
                hit = r.subject == c.subject
            else:
                if c.event_year is not None and c.event_year > r.year:
                    continue  # an event after the entry's year cannot be what it paid
                _ask_which(c, index, r)
                break
            if hit:
                what = "一次性奖励" if once in ("enterprise", "tier") else "奖励"
                c.exclude(f"已于 {r.year} 年获得本政策该项{what}"
                          + (f"(档位 {r.tier})" if r.tier else "") + ",不再重复奖补",
                          winner=f"已获:{r.provision}({r.year})")
                break
        else:
            c.steps.append("历史:未获过本项奖励")
            if once == "city":
                c.steps.append(f"全市一次:本奖励属于“{c.subject}”本身,全市只奖一次;"
                               "请核对没有其他企业已就同一事项申报或获奖")


def _ask_which(c: Candidate, index: int, r: ReceivedAward) -> None:
    """需补充信息: a subject-less history entry that may be this very subject."""
    c.status = "needs_info"
    c.missing = [f"事项(awards_received[{index}].subject)"]
    c.reason = (f"需补充:已获奖励记录 awards_received[{index}]({r.provision},{r.year} 年)未写明事项,"
                f"无法判断是否即本事项“{c.subject}”;请在该记录中写明所针对的事项(subject)")
    c.steps.append(c.reason)
    c.computed = c.amount = None

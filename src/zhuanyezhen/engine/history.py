"""Step 2, history: an award this policy already paid, by the profile's ``awards_received``."""

from __future__ import annotations

from zhuanyezhen.engine.candidates import Candidate
from zhuanyezhen.profile.model import Profile


def apply_history(cands: list[Candidate], profile: Profile) -> None:
    """An award already received under this policy (``awards_received``) is not paid again."""
    for c in cands:
        if c.status != "paid":
            continue
        once = c.p.rule.one_time
        for r in profile.awards_received:
            if r.provision != c.p.id:
                continue
            if once == "enterprise":
                hit = True
            elif once == "tier":
                hit = r.tier is None or r.tier == c.tier
            elif once == "subject":
                hit = r.subject is None or r.subject == c.subject
            else:
                hit = r.subject is not None and r.subject == c.subject
            if hit:
                what = "一次性奖励" if once else "奖励"
                c.exclude(f"已于 {r.year} 年获得本政策该项{what}"
                          + (f"(档位 {r.tier})" if r.tier else "") + ",不再重复奖补",
                          winner=f"已获:{r.provision}({r.year})")
                break
        else:
            c.steps.append("历史:未获过本项奖励")

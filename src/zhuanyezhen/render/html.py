"""The printable HTML report of ``zyz report``: one self-contained file, jinja2 with autoescape.

Only formatting happens here; every amount comes from the ``Result`` the engine returned and the
near misses found by re-running it. Every profile value is escaped by the template engine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from zhuanyezhen.engine.near_miss import KIND_LABELS as MISS_LABELS
from zhuanyezhen.engine.near_miss import NearMiss
from zhuanyezhen.engine.result import KIND_LABELS, STATUS_LABELS, Outcome, Result
from zhuanyezhen.money import wan, yuan
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.profile.glossary import clause_label, interpretations_line, item_label, subject_label

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["yuan"] = yuan
    env.filters["wan"] = wan
    env.filters["clause"] = clause_label
    env.filters["subject"] = subject_label
    env.filters["item"] = item_label
    return env


def departments_to_contact(result: Result) -> list[tuple[str, list[str]]]:
    """Where to apply (each clause's first responsible unit) and for what, in clause order."""
    wanted = ("paid", "needs_info", "support", "land_benefit")
    by_department: dict[str, list[str]] = {}
    for o in result.outcomes:
        if o.status not in wanted or not o.departments:
            continue
        titles = by_department.setdefault(o.departments[0], [])
        label = f"{clause_label(o.clause)}{o.title}"
        if label not in titles:
            titles.append(label)
    return list(by_department.items())


def render_report(result: Result, policy: Policy, misses: list[NearMiss], made: dt.date) -> str:
    def of(status: str) -> list[Outcome]:
        return result.by_status(status)  # type: ignore[arg-type]

    template = _environment().get_template("report.html.j2")
    return template.render(
        r=result, info=policy.info, made=made.isoformat(), paid=of("paid"), excluded=of("excluded"),
        needs=of("needs_info"), support=of("support"), land=result.land, misses=misses,
        departments=departments_to_contact(result), kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS, miss_labels=MISS_LABELS,
        assumptions_line=interpretations_line(result.assumptions, policy.interpretations),
    )

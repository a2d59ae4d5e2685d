"""Awards paid once in the whole city, across the enterprises of one batch.

A provision with ``one_time: city`` (the GI awards under ``gi_award=once_per_zone``: a
国家地理标志产品保护示范区, or a product on the China–EU list) pays its subject once, whoever
claims it. ``zyz calc`` sees one enterprise and pays it; ``zyz batch`` sees them all: of the rows
whose calculation pays the same provision and subject, one is paid, the first by input order,
unless rows mark the applicant (the honour's ``applicant`` 申报单位 = 是), in which case the first
row so marked is paid. Every other row loses the award: its amount leaves the provision's column
and the row's totals, it counts as one more excluded item, and its 说明 names the row paid,
``同一示范区已由〈enterprise〉(第 N 行)申报``.

Self-contained on purpose (the batch reader and scorer change independently): it needs only each
row's claims, the provisions' columns and kinds, and the rows in input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple


class Claim(NamedTuple):
    """One city-once award a row's own calculation pays."""

    provision: str
    subject: str
    amount: Decimal
    applicant: bool | None  # the honour's 申报单位 column: True, False or not given


class Column(NamedTuple):
    """A provision as the output has it: its id and whether its amounts are up-to (最高可达)."""

    id: str
    up_to: bool


class Loss(NamedTuple):
    """What one row gives up: the provision's column index, the amount, and the note."""

    column: int
    amount: Decimal
    up_to: bool
    note: str


WHAT = {"gi_zone": "示范区", "gi_china_eu": "产品"}


def paid_rows(rows: Sequence[tuple[int, str, Sequence[Claim]]]) -> dict[tuple[str, str], tuple[int, str]]:
    """For each (provision, subject): the (row, enterprise) paid. ``rows`` are (row, name, claims) in
    input order; the first row marking itself the applicant wins, else the first row."""
    first: dict[tuple[str, str], tuple[int, str]] = {}
    marked: dict[tuple[str, str], tuple[int, str]] = {}
    for row, name, claims in rows:
        for c in claims:
            key = (c.provision, c.subject)
            first.setdefault(key, (row, name))
            if c.applicant:
                marked.setdefault(key, (row, name))
    return {**first, **marked}


def losses(row: int, claims: Sequence[Claim], winners: dict[tuple[str, str], tuple[int, str]],
           columns: Sequence[Column]) -> list[Loss]:
    """The awards ``row`` loses to the row paid for the same subject."""
    at = {c.id: i for i, c in enumerate(columns)}
    out: list[Loss] = []
    for c in claims:
        won_row, won_name = winners[(c.provision, c.subject)]
        if won_row == row or c.provision not in at:
            continue
        index = at[c.provision]
        what = WHAT.get(c.provision, "事项")
        out.append(Loss(index, c.amount, columns[index].up_to,
                        f"{c.subject}:同一{what}已由{won_name}(第{won_row}行)申报,本行不予奖励"))
    return out

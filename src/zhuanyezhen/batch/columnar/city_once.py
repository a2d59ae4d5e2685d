"""Awards paid once in the whole city (``one_time: city``: ``gi_zone``, ``gi_china_eu`` under
``gi_award=once_per_zone``) in the columnar path.

Each chunk's candidates are scored in columns as for any other provision; what a row's own
calculation pays of a city-once award becomes that row's claims (``batch.city_once.Claim``: the
provision, the subject, the amount, the honour's 申报单位 mark), as ``Scorer._scores`` makes them.
Rows with claims leave the columnar table as ``Scored`` records, like rows the row path scored,
and the settlement across rows is the row path's own (``runner._city_once``), run once every row
is read.

Memory: from the first claiming row on, result tables wait on disk (Arrow IPC files in the run's
spill folder), one per chunk; only the claiming rows (small records) wait in memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from zhuanyezhen.batch.columnar.provisions import PAID, one_time
from zhuanyezhen.batch.columnar.years import scored
from zhuanyezhen.batch.scoring import Scored

CLAIM = pl.Struct({"provision": pl.String, "subject": pl.String, "amount": pl.Int64, "applicant": pl.Boolean})


def claims(settled: pl.DataFrame, provisions: list[Any], assumptions: dict[str, str],
           items: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """(rid, claims): each enterprise's paid city-once awards with a subject and an amount, in the
    engine's order of outcomes (provision, item, tier)."""
    city = {c.pidx: c.p for c in provisions if one_time(c.p.rule.one_time, assumptions) == "city"}
    empty = pl.DataFrame(schema={"rid": pl.Int64, "claims": pl.List(CLAIM)})
    if not city:
        return empty
    paid = settled.filter(pl.col("pidx").is_in(list(city)) & (pl.col("status") == PAID)
                          & pl.col("subject").is_not_null() & pl.col("amount").is_not_null()
                          & (pl.col("amount") != 0))
    if paid.height == 0:
        return empty
    parts = []
    for pidx, p in city.items():
        mine = paid.filter(pl.col("pidx") == pidx)
        if mine.height == 0:
            continue
        source = items.get(p.rule.for_each or "")
        if p.rule.for_each == "honours" and source is not None and "i:applicant" in source.columns:
            mine = mine.join(source.select("rid", "item", pl.col("i:applicant").alias("applicant")),
                             on=["rid", "item"], how="left", maintain_order="left")
        else:  # Scorer._applicant: only an honour carries the mark
            mine = mine.with_columns(applicant=pl.lit(None, pl.Boolean))
        parts.append(mine.select("rid", "pidx", "item", "tier", pl.lit(p.id).alias("provision"), "subject",
                                 "amount", "applicant"))
    joined = pl.concat(parts).sort(["rid", "pidx", "item", "tier"])
    return joined.group_by("rid", maintain_order=True).agg(
        pl.struct("provision", "subject", "amount", "applicant").alias("claims"))


def split(out: pl.DataFrame, n: int) -> tuple[pl.DataFrame, list[Scored]]:
    """(the columnar rows without claims, the rows with claims as ``Scored`` records)."""
    if out.height == 0 or "claims" not in out.columns:
        return out, []
    has = pl.col("claims").is_not_null() & (pl.col("claims").list.len() > 0)
    claiming = out.filter(has)
    if claiming.height == 0:
        return out.drop("claims"), []
    return out.filter(~has).drop("claims"), [scored(record, n) for record in claiming.iter_rows(named=True)]


class Held:
    """Chunks written after every row is read: from the first row claiming a city-once award, as
    the row path does (the row paid may come later in the input)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.claiming: list[tuple[int, Scored]] = []  # (chunk, row)
        self.values: dict[Any, Any] = {}  # one copy of each value the waiting rows repeat

    @property
    def active(self) -> bool:
        return self.count > 0

    def wants(self, scored: list[Scored]) -> bool:
        return self.active or any(r.claims for r in scored)

    def hold(self, table: pl.DataFrame, scored: list[Scored],
             with_routed: Callable[[pl.DataFrame, list[Scored]], pl.DataFrame]) -> None:
        """The chunk's table, with its routed rows that claim nothing (``with_routed``: the runner's
        merge in input order), to disk; claiming rows kept."""
        table = with_routed(table, [r for r in scored if not r.claims])
        table.write_ipc(self.folder / f"held.{self.count}.arrow")
        self.claiming.extend((self.count, self._shared(r)) for r in scored if r.claims)
        self.count += 1

    def _shared(self, r: Scored) -> Scored:
        """``r`` with its repeated values (money texts, tuples of amounts, claims) stored once for
        all waiting rows: most claiming rows differ only in their row, code and name."""
        def one(value: Any) -> Any:
            return self.values.setdefault(value, value)

        return r._replace(county=one(r.county), town=one(r.town), exact=one(r.exact), up_to=one(r.up_to),
                          total=one(r.total), amounts=one(tuple(one(a) for a in r.amounts)),
                          to_others=one(tuple(one(a) for a in r.to_others)),
                          payable_to_others=one(r.payable_to_others), land_benefit=one(r.land_benefit),
                          claims=one(tuple(one(c) for c in r.claims)), once=one(r.once))

    def settle(self, settle: Callable[[list[Scored]], Iterator[Scored]]) -> list[Scored]:
        """Every claiming row, settled by ``settle`` (``runner._city_once``), in input order."""
        rows = sorted((r for _, r in self.claiming), key=lambda r: r.row)
        settled = {r.row: r for r in settle(rows)}
        self.claiming = [(chunk, settled[r.row]) for chunk, r in self.claiming]
        return [settled[r.row] for r in rows]

    def chunks(self) -> Iterator[tuple[pl.DataFrame, list[Scored]]]:
        """Each held chunk's table and its (settled) claiming rows, in order; files removed as read."""
        by_chunk: dict[int, list[Scored]] = {}
        for chunk, r in self.claiming:
            by_chunk.setdefault(chunk, []).append(r)
        self.claiming = []
        for chunk in range(self.count):
            path = self.folder / f"held.{chunk}.arrow"
            table = pl.read_ipc(io.BytesIO(path.read_bytes()))  # not mapped: Windows can then delete it
            path.unlink()
            yield table, by_chunk.pop(chunk, [])


__all__ = ["Held", "claims", "split"]

"""python -m openfisca_peer MAIN.csv -o OUT.csv [--timings]: score every enterprise, one simulation per
claim year (the simulation's period), and write code, each provision's amount, the total and the
money payable to outside training providers. An amount that is not paid is left empty, as zyz does."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy
from openfisca_core.simulations import SimulationBuilder

from openfisca_peer.helpers import PROVISIONS
from openfisca_peer.reader import Data, read
from openfisca_peer.system import YangquanTowns

OUTPUTS = (*PROVISIONS, "total_award", "payable_to_providers")


def simulate(system: YangquanTowns, data: Data, year: int, chosen: numpy.ndarray) -> dict[str, numpy.ndarray]:
    """The outputs for the enterprises ``chosen`` (a mask), all of claim year ``year``."""
    items = chosen[data.item_enterprise]
    renumber = numpy.cumsum(chosen) - 1
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("item", numpy.arange(int(items.sum())))
    enterprises = builder.declare_entity("enterprise", numpy.arange(int(chosen.sum())))
    builder.join_with_persons(enterprises, renumber[data.item_enterprise[items]], data.item_role[items])
    simulation = builder.build(system)
    period = str(year)
    for name, values in data.enterprise.items():
        simulation.set_input(name, period, values[chosen])
    for name, values in data.item.items():
        simulation.set_input(name, period, values[items])
    return {name: simulation.calculate(name, period) for name in OUTPUTS}


def _cells(values: numpy.ndarray) -> list[str]:
    out = [""] * len(values)
    for i in numpy.flatnonzero(values).tolist():
        out[i] = f"{values[i]:.2f}"
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m openfisca_peer", description=__doc__)
    parser.add_argument("main", type=Path, help="the main table (towns.csv); list files are read beside it")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--timings", action="store_true", help="print where the time goes on stderr")
    args = parser.parse_args(argv)
    clock = [time.perf_counter()]
    phases: list[tuple[str, float]] = []

    def lap(name: str) -> None:
        clock.append(time.perf_counter())
        phases.append((name, clock[-1] - clock[-2]))

    system = YangquanTowns()
    lap("build the tax-benefit system (parameters, variables)")
    data = read(args.main)
    lap("read and join the CSV files")
    n = len(data.codes)
    results = {name: numpy.zeros(n) for name in OUTPUTS}
    for year in numpy.unique(data.claim_year).tolist():
        # The policy pays nothing for a claim year outside its period (in force at the year's end).
        if not system.parameters(f"{year}-12-31").in_force:
            continue
        chosen = data.claim_year == year
        for name, values in simulate(system, data, year, chosen).items():
            results[name][chosen] = values
    lap("simulate (one simulation per claim year)")
    with args.output.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["credit_code", *OUTPUTS])
        writer.writerows(zip(data.codes, *(_cells(results[name]) for name in OUTPUTS), strict=True))
    lap("write the output")
    if args.timings:
        for name, seconds in phases:
            print(f"{seconds:7.3f} s  {name}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""An OpenFisca peer of ``zyz batch`` for the batch benchmark (benchmarks/batch.py); not part of zyz.

The scalar monetary provisions of 阳政办发〔2023〕25号, written the way an OpenFisca user would write
them: a tax-benefit system with a group entity *enterprise* whose members are the enterprise itself
(role ``self``: the row of the main table) and its list items (projects, standards, honours, training
programmes, premiums: one member per row of the companion files), variables whose formulas work on
numpy arrays, and the amounts, rates, caps and thresholds as YAML parameters citing their clause.

It reads the files benchmarks/batch.py generates (``towns.csv`` and ``towns.<list>.csv`` beside it) and
writes one row per enterprise: credit code, each provision's amount and the total. It applies the
default readings of INTERPRETATION.md only (no ``--assume``), keeps no explanation, validates nothing
and does not read ``awards_received`` (the benchmark writes none). Amounts are floats (OpenFisca's
``float`` is numpy float32), not exact decimals as in zyz: a figure may be off by a few fen, and a
revenue within float32 rounding of a threshold may fall on the wrong side of it.

    python -m openfisca_peer towns.csv -o peer.csv [--timings]   (with benchmarks/ on PYTHONPATH)
"""

from openfisca_peer.system import YangquanTowns

__all__ = ["YangquanTowns"]

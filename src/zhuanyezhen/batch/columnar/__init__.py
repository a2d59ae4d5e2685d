"""The columnar path of ``zyz batch``: the loaded rules compiled once into polars expressions.

polars is imported here and only here (``zyz calc`` never imports this package). Rows whose cells
are not all in a strict canonical form, and rows that a provision not compiled would touch, are
scored by the row path (``batch.scoring``, i.e. ``engine.calculate``); the output does not show
which path scored a row. ``tests/test_columnar.py`` checks the two agree cell for cell.

Modules: ``cells`` (canonical cells → typed columns), ``expressions`` (the condition language →
polars), ``provisions`` (a provision → its candidates' columns), ``history`` (awards received, other
policies' awards, premiums' renewals and summed bases), ``score`` (steps 2–5 and the figures of a
chunk), ``frames`` (typed fact frames of a chunk), ``blocks`` (CSV in blocks of
whole records; list rows spilled by owning block), ``city_once`` (GI awards paid once in the city:
claims, held chunks), ``years`` (codes claimed in several years, scored year by year) and
``runner`` (the run).

May import: the rest of ``batch`` (never its ``runner``, which calls this and passes itself in),
``engine``, ``policy``, ``profile``, ``files``, ``money``, ``errors``; never ``cli``.
"""

import os

# polars allocates with jemalloc; by default freed pages linger for seconds, which is most of a
# batch run's peak memory. Returning them at once costs little here; one arena and no per-thread
# cache keep ~9 MB less at 100,000 rows at no measurable cost in time (benchmarks/batch.py). Read
# when polars loads, so set before anything in this package imports it (a user's setting wins).
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0,narenas:1,tcache:false")

"""The columnar path of ``zyz batch``: the loaded rules compiled once into polars expressions.

polars is imported here and only here (``zyz calc`` never imports this package). Rows whose cells
are not all in a strict canonical form, and rows that a provision not compiled would touch, are
scored by the row path (``batch.scoring``, i.e. ``engine.calculate``); the output does not show
which path scored a row. ``tests/test_columnar.py`` checks the two agree cell for cell.
"""

"""Batch scoring of county spreadsheets (CSV / Excel): read, join list rows, score, write, sum up.

Modules: ``columns`` (the input layout and its English / Chinese headers), ``reader`` (streaming
CSV / XLSX tables, encodings, companion list files and sheets), ``join`` (list rows indexed by
credit code on disk), ``scoring`` (one row → profile → engine → output record: the row path),
``columnar`` (the same in polars columns, for every row it can take), ``runner`` (the whole run),
``writer`` (safe CSV / XLSX writers), ``summary`` (totals and the fund comparison) and
``input_template`` (the empty layout with one example).

May import: ``engine``, ``render``, ``policy``, ``profile``, ``files``, ``money``, ``errors``,
``trusted``; never ``cli``.
"""

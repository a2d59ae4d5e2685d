"""The award ledger (奖补台账): what was proposed, approved, paid or reversed, in a database.

Modules: ``schema`` (the tables, SQLAlchemy Core), ``database`` (opening a SQLite file or a
PostgreSQL server, WAL and write locking), ``migrate`` (the Alembic migrations shipped in
``migrations/``), ``lines`` (the append-only writes: import, propose, approve, pay, reverse),
``queries`` (reading lines back: history, active lines, batches), ``history`` (ledger lines as the
``awards_received`` a profile is scored with, and where a profile disagrees), ``fund`` (the 3000万
fund by year, provision, department and county) and ``sheets`` (the spreadsheets it reads and
writes: import rows, decided amounts, batch scores, public notice, export).

May import: ``batch`` (its spreadsheet readers and writers), ``engine``, ``render``, ``policy``,
``profile``, ``files``, ``money``, ``errors``, ``trusted``; never ``cli``. Nothing here prints:
``batch`` itself never imports the ledger; the command line reads the ledger and hands ``batch``
plain data.
"""

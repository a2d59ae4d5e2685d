"""The enterprise profile: its model, reading it from files, Chinese field words, places, credit code.

May import: ``files``, ``money``, ``errors``, ``trusted``. Knows nothing of rules or the engine.
"""

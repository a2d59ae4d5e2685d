"""Rule files: their models, the strict loader, the condition language, type checks, plain-words
descriptions, which profile fields each rule reads, and choosing the policy in force.

May import: ``profile``, ``files``, ``money``, ``errors``, ``trusted``. Knows nothing of the engine.
"""

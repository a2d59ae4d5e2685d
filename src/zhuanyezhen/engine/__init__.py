"""calculate(profile, policy) -> Result, its steps, and what is built on re-running it: explanations,
near misses, what-if.

May import: ``policy``, ``profile``, ``files``, ``money``, ``errors``, ``trusted``. Knows nothing of
``render``, ``batch`` or ``cli``.
"""

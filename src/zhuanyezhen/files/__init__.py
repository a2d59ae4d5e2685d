"""Files in and out: strict YAML/JSON reading that remembers lines, and atomic output.

May import: ``errors`` only.
"""

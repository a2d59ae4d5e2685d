"""The rule files shipped with zyz: one folder per policy, one YAML file per clause, and the text.

This folder is installed as the package ``zhuanyezhen.rules`` (see ``pyproject.toml``), so a
checkout needs no symbolic link and a wheel carries the same files.
"""

"""``python -m zhuanyezhen`` runs the ``zyz`` command."""

from zhuanyezhen.cli import main

main()

"""``python -m zhuanyezhen`` runs the ``zyz`` command."""

from .cli import main

main()

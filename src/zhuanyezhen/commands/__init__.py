"""One module per ``zyz`` sub-command; importing a module registers its command."""

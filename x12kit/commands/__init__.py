"""Command groups of the ``x12kit`` command that live in modules of their own; each adds
itself to ``x12kit.cli.main`` when ``cli`` imports it."""

"""Commands of the ``x12kit`` command line that live in modules of their own; ``cli.py``
registers each with ``main.add_command``."""

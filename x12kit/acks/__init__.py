"""Acknowledgments built from diagnostics: TA1 for interchanges, 999 for groups and sets."""

COUNTER_FILE = ".x12kit-control-number"  # the control number counter's name in an ack folder

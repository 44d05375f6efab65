"""Acknowledgments built from diagnostics: TA1 for interchanges, 999 for groups and sets."""

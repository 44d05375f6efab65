"""Benchmarks and the large-file generator (not part of the library)."""

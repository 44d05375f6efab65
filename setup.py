"""The C part of the build; everything else about the package is in pyproject.toml.

x12kit._cut is the tokenizer's fast path (x12kit/_cut.c). It is optional: where it cannot be
compiled the package still installs and x12kit/tokenizer.py does the same work in pure
Python, only slower. tests/test_cut.py checks that both give the same segments, and fails
when X12KIT_REQUIRE_CUT=1 (as CI sets it) and the extension was not built.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("x12kit._cut", ["x12kit/_cut.c"], optional=True)])

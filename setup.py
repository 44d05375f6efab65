"""The C part of the build; everything else about the package is in pyproject.toml.

x12kit._cut is the tokenizer's fast path (x12kit/_cut.c), x12kit._lane the validation
pipeline's (x12kit/_lane.c). Both are optional: where they cannot be compiled the package
still installs and x12kit/tokenizer.py and x12kit/validate/lane.py do the same work in pure
Python, only slower. tests/test_cut.py and tests/test_lane.py check that both ways give the
same results, and fail when X12KIT_REQUIRE_C=1 (as CI sets it) and an extension was not
built.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("x12kit._cut", ["x12kit/_cut.c"], optional=True),
                   Extension("x12kit._lane", ["x12kit/_lane.c"], optional=True)])

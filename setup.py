"""The C part of the build; everything else about the package is in pyproject.toml.

x12kit._cut is the tokenizer's fast path (x12kit/_cut.c), x12kit._lane the validation
pipeline's (x12kit/_lane.c), x12kit._walk the model reader's runs of remembered steps
(x12kit/_walk.c), x12kit._values the model builders' reading of segments (x12kit/_values.c),
x12kit._as_read the generator's shortcut for models left as read (x12kit/_as_read.c),
x12kit._drafts the generator's drafting of segments (x12kit/_drafts.c). All are optional:
where they cannot be compiled the package still installs and x12kit/tokenizer.py,
x12kit/validate/lane.py, x12kit/models/reading.py (with x12kit/walk/quiet.py),
x12kit/models/fields.py, x12kit/generate/as_read.py and x12kit/generate/draft.py do the
same work in pure Python, only slower. tests/test_cut.py, test_lane.py, test_walk_quiet.py,
test_models_fields.py, test_as_read_c.py and test_drafts_c.py check that both ways give the
same results, and fail when X12KIT_REQUIRE_C=1 (as CI sets it) and an extension was not
built.
"""
from setuptools import Extension, setup

# the walker's remembered moves, which _lane.c and _walk.c read, the slots they read them
# from, and how the C memos choose a slot
MOVES = ["x12kit/_moves.h", "x12kit/_slots.h", "x12kit/_memo.h"]

setup(ext_modules=[Extension("x12kit._cut", ["x12kit/_cut.c"], optional=True),
                   Extension("x12kit._lane", ["x12kit/_lane.c"], depends=MOVES, optional=True),
                   Extension("x12kit._walk", ["x12kit/_walk.c"],
                             depends=MOVES + ["x12kit/_open_loops.h"], optional=True),
                   Extension("x12kit._values", ["x12kit/_values.c"],
                             depends=["x12kit/_parties.h", "x12kit/_remittance.h",
                                      "x12kit/_claims.h", "x12kit/_text_memo.h",
                                      "x12kit/_memo.h"],
                             optional=True),
                   Extension("x12kit._as_read", ["x12kit/_as_read.c"], optional=True),
                   Extension("x12kit._drafts", ["x12kit/_drafts.c"], optional=True)])

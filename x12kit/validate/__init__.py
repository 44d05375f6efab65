"""Validation: element checks (SNIP 2), the rules of SNIP 3-5 (``rules``), and the pipeline
that runs them with the envelope checks over the walk (``x12kit.walk``) of a stream.

The package is callable: ``x12kit.validate(source, snip=5, jobs=1)`` is
``x12kit.validate.pipeline.validate``. (The top-level name must be this package: Python binds
``x12kit.validate`` to it whenever one of its modules is imported.)
"""
import sys
from types import ModuleType

from x12kit.validate.elements import check_segment, data_element


class _Callable(ModuleType):
    def __call__(self, *args, **kwargs):
        from x12kit.validate.pipeline import validate
        return validate(*args, **kwargs)


sys.modules[__name__].__class__ = _Callable

__all__ = ["check_segment", "data_element"]

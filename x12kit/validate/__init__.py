"""Validation: element checks (SNIP 2), the rules of SNIP 3-5 (``rules``), and the pipeline
that runs them with the envelope checks over the walk (``x12kit.walk``) of a stream."""
from x12kit.validate.elements import check_segment, data_element

__all__ = ["check_segment", "data_element"]

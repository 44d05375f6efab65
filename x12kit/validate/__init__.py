"""Validation: the schema walker (structure, SNIP 2) and element checks; rules modules
for the other SNIP levels sit beside them."""
from x12kit.validate.elements import check_segment, data_element
from x12kit.validate.walker import Placed, Walker, walk, walk_stream

__all__ = ["Placed", "Walker", "walk", "walk_stream", "check_segment", "data_element"]

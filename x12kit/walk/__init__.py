"""The walk: each segment placed in its loop by the implementation guide's compiled schema,
with the loops it closes and opens and the envelope it stands in.

Validation, models, conversion and the tracker all listen to this one walk; none of them
works out loop ends or envelope structure by itself, and none imports another's code.
"""
from x12kit.walk.events import Envelope, LoopEvents, Step, walk_events
from x12kit.walk.walker import Placed, StreamWalker, Walker, walk, walk_stream

__all__ = ["Envelope", "LoopEvents", "Placed", "Step", "StreamWalker", "Walker", "walk",
           "walk_events", "walk_stream"]

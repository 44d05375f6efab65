"""Feeding one transaction set's rules: their segment handlers by segment id, and their close
handlers as the walk's loop events end the loops they name.

Theory of operation. No rule works out where a claim, a line or a level ends: a rule names
the loops whose ends it judges (``CLOSES = {"2300": "_close_claim"}``) and is told of each
end by ``walk.events.LoopEvents``, the one mechanism the model builders listen to as well.
The pipeline calls handlers by segment id, and its lane (``validate/lane.py``) calls none for
the ids no rule looks at; so the feed puts one handler of its own ahead of the rules' for
each segment id that can end one of those loops (``events.ending_ids``: for the rules' 2300
and 2000B an 837's CLM and HL; for the 2100 an 835's LX, CLP and PLB). That handler
(``LoopEvents.end_caller``) steps the loop events with the segment (a move met before costs
one dict lookup) and calls the close handlers of every loop the step closed, innermost
first, each loop's in the rules' order. The set's end closes what is still open, then each
rule's ``finish`` judges the set as a whole (``finish``). Each watched segment costs one
Python call more; a loop as frequent as the 835's 2110 is better judged from the placed
segment that opens the next one (``Placed.entered``) and from its parent's end, as
``balance835`` does.

A close handler's findings are filed at the segment that ended its loop, before that
segment's own handlers run, as they would be had the rule seen the end itself.
"""
from __future__ import annotations

from typing import Callable, Optional

from x12kit.schema.model import Schema
from x12kit.walk.events import LoopEvents, ending_ids
from x12kit.walk.walker import Placed

Handler = Callable[[Placed], Optional[list]]


class RuleFeed:
    """The rules of one set (``rules_for``), fed its placed segments in order.

    ``handlers`` maps a segment id to the handlers to call for it, in order (the pipeline's
    lane calls them itself); ``segment`` calls them for one segment; ``finish`` at the set's
    end."""

    def __init__(self, rules: list, schema: Schema) -> None:
        self.rules = rules
        handlers: dict[str, list] = {}
        closers: dict[str, list] = {}
        for rule in rules:
            for sid, handler in rule.each_handler():
                handlers.setdefault(sid, []).append(handler)
            for loop_id, closer in rule.each_closer():
                closers.setdefault(loop_id, []).append(closer)
        self._closers = {loop_id: tuple(found) for loop_id, found in closers.items()}
        self._events = LoopEvents()
        if closers:
            loop_ends = self._events.end_caller(self._closers)
            for sid in ending_ids(schema, closers):
                handlers[sid] = [loop_ends, *handlers.get(sid, ())]
        self.handlers: dict[str, tuple[Handler, ...]] = {
            sid: tuple(found) for sid, found in handlers.items()}

    def segment(self, placed: Placed) -> list:
        """The findings of every handler of a segment."""
        found = []
        for handler in self.handlers.get(placed.segment.elements[0], ()):
            found += handler(placed) or ()
        return found

    def finish(self) -> list:
        """At the set's end: the close handlers of the loops still open, innermost first,
        then each rule's ``finish``."""
        found = []
        for loop_id in self._events.close():
            for closer in self._closers.get(loop_id, ()):
                found += closer() or ()
        for rule in self.rules:
            found += rule.finish()
        return found

"""Implementation-guide schemas: loaded from XML maps, compiled, cached, registered.

``load_schema("837P")`` gives the compiled 837 professional guide; ``find_schema("835",
st03, gs08)`` the one serving a transaction set. See ``registry`` for the sources,
``overrides`` for patches and errata, ``cache`` for how start-up avoids parsing XML.
"""
from x12kit.schema.model import (
    UNBOUNDED, Candidate, CompositeDef, ElementDef, LoopDef, Qualifier, Requirement, Schema,
    SegmentDef, SyntaxRule,
)
from x12kit.schema.registry import (
    ALIASES, Registry, default_registry, find_schema, load_schema, schema_key,
)
from x12kit.schema.xmlmap import SchemaError

__all__ = [
    "UNBOUNDED", "Candidate", "CompositeDef", "ElementDef", "LoopDef", "Qualifier",
    "Requirement", "Schema", "SegmentDef", "SyntaxRule", "ALIASES", "Registry",
    "default_registry", "find_schema", "load_schema", "schema_key", "SchemaError",
]

"""Which map serves which transaction set and implementation, and loading it (cached).

Sources, later ones winning for the same (ST01, implementation):

1. pyx12's installed ``map/`` folder, through the table ``PYX12_MAPS`` below (pyx12's own
   ``maps.xml`` lists 4010 maps we do not serve and misses its 277 X212 map);
2. the repository's ``schemas/`` folder, where a map registers itself by its file name,
   ``<ST01>.5010.<Xnnn>[.<An>].xml`` (``270.5010.X279.A1.xml`` serves 270 005010X279A1);
3. errata overrides in ``schemas/overrides/`` (an ``<override implementation=...>`` file).

``schemas/`` is found next to the package in a checkout (``<repo>/schemas``) and as package
data ``x12kit/_schemas`` in an installed wheel. Extra data elements and code lists may be
added in ``schemas/dataele.xml`` and ``schemas/codes.xml``.
"""
from __future__ import annotations

import importlib.util
import re
import threading
from pathlib import Path
from typing import NamedTuple

from x12kit.schema import cache
from x12kit.schema.compiler import compile_envelope, compile_schema
from x12kit.schema.model import Schema
from x12kit.schema.overrides import Override, apply_override, read_override
from x12kit.schema.xmlmap import SchemaError, read_code_sets, read_data_elements, read_map

# (ST01, implementation, pyx12 map file)
PYX12_MAPS = (
    ("837", "005010X222A1", "837.5010.X222.A1.xml"),
    ("837", "005010X223A2", "837Q3.I.5010.X223.A1.xml"),  # maps.xml: X223A2 -> this file
    ("835", "005010X221A1", "835.5010.X221.A1.xml"),
    ("277", "005010X214", "277.5010.X214.xml"),
    ("277", "005010X212", "277.5010.X212.xml"),  # shipped but not listed in maps.xml
    ("999", "005010X231A1", "999.5010X231.A1.xml"),
    ("999", "005010X231", "999.5010.xml"),
)
CONTROL_MAP = "x12.control.00501.xml"  # ISA/GS/GE/IEA/TA1 for segments outside any set

# Names people use for the common guides.
ALIASES = {
    "837P": "837:005010X222A1", "837I": "837:005010X223A2", "837D": "837:005010X224A2",
    "835": "835:005010X221A1", "277CA": "277:005010X214", "276": "276:005010X212",
    "277": "277:005010X212", "270": "270:005010X279A1", "271": "271:005010X279A1",
    "999": "999:005010X231A1",
}
# A guide named without its addenda suffix -> the version HIPAA adopted (45 CFR 162), used
# when a set names only the base guide (ST03 "005010X222", as many samples write it).
ADOPTED = {
    "005010X222": "005010X222A1", "005010X223": "005010X223A2", "005010X224": "005010X224A2",
    "005010X279": "005010X279A1", "005010X221": "005010X221A1", "005010X231": "005010X231A1",
}
_SCHEMA_FILE = re.compile(r"^(\d{3})\.5010\.(X\d{3})(?:\.(A\d+))?\.xml$")


# guide number (characters 7-10 of an implementation id: "005010X222A1" -> "X222") -> the
# transaction kind; 270/271 and 276/277 share a guide and are told apart by their ST01
GUIDE_KINDS = {"X222": "837P", "X223": "837I", "X224": "837D", "X221": "835", "X214": "277CA",
               "X231": "999"}


def transaction_kind(st01: str, implementation: str) -> str:
    """``837P``, ``835``, ``277CA``, ``271`` ... for a set's ST01 and implementation (ST03,
    else GS08)."""
    return GUIDE_KINDS.get(implementation[6:10], st01)


def schema_key(transaction: str, implementation: str) -> str:
    return f"{transaction}:{implementation}"


def pyx12_map_dir() -> Path:
    """pyx12's installed ``map/`` folder, found without importing pyx12 (and its lxml)."""
    spec = importlib.util.find_spec("pyx12")
    if spec is None or not spec.submodule_search_locations:
        raise SchemaError("pyx12 is not installed: its maps are the base of the schemas")
    return Path(spec.submodule_search_locations[0]) / "map"


def repo_schema_dir() -> Path:
    """``<repo>/schemas`` in a checkout, else the wheel's ``x12kit/_schemas``."""
    here = Path(__file__).resolve()
    checkout = here.parents[2] / "schemas"
    return checkout if checkout.is_dir() else here.parents[1] / "_schemas"


class Entry(NamedTuple):
    key: str
    transaction: str
    implementation: str
    base: Path                       # the map file
    overrides: tuple[Override, ...]  # corrections of the base, then the erratum if any

    @property
    def sources(self) -> list[Path]:
        return [self.base, *(o.path for o in self.overrides)]


class Registry:
    """The table of available schemas; compiles each at most once per process."""

    def __init__(self, schema_dir: Path | None = None, pyx12_dir: Path | None = None,
                 cache_directory: Path | None = None):
        self.schema_dir = schema_dir or repo_schema_dir()
        self.pyx12_dir = pyx12_dir or pyx12_map_dir()
        self.cache_directory = cache_directory
        self._entries: dict[str, Entry] | None = None
        self._loaded: dict[str, Schema] = {}
        self._lock = threading.Lock()

    # -- the table -------------------------------------------------------------------------
    def _map_path(self, name: str) -> Path:
        local = self.schema_dir / name
        return local if local.is_file() else self.pyx12_dir / name

    def _overrides(self) -> list[Override]:
        """The override files, read once and then kept in the cache like the schemas, so
        that a warm start parses no XML at all."""
        folder = self.schema_dir / "overrides"
        paths = sorted(folder.glob("*.xml")) if folder.is_dir() else []
        if not paths:
            return []
        digest = cache.fingerprint(paths)
        found = cache.load("overrides-index", digest, self.cache_directory)
        if found is None:
            found = [read_override(p) for p in paths]
            cache.store("overrides-index", digest, found, self.cache_directory)
        return [o._replace(path=folder / o.path.name) for o in found]  # the repo may move

    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            bases: dict[str, tuple[str, str, str]] = {}
            for st01, impl, name in PYX12_MAPS:
                bases[schema_key(st01, impl)] = (st01, impl, name)
            for path in sorted(self.schema_dir.glob("*.xml")) if self.schema_dir.is_dir() else ():
                match = _SCHEMA_FILE.match(path.name)
                if match:
                    st01, x, a = match.groups()
                    bases[schema_key(st01, f"005010{x}{a or ''}")] = (st01, f"005010{x}{a or ''}",
                                                                      path.name)
            overrides = self._overrides()
            fixes = [o for o in overrides if not o.is_erratum]
            table = {}
            for key, (st01, impl, name) in bases.items():
                own = tuple(o for o in fixes if o.base == name)
                table[key] = Entry(key, st01, impl, self._map_path(name), own)
            for o in (o for o in overrides if o.is_erratum):
                key = schema_key(o.transaction, o.implementation)
                own = tuple(f for f in fixes if f.base == o.base)
                table[key] = Entry(key, o.transaction, o.implementation, self._map_path(o.base),
                                   own + (o,))
            self._entries = table
        return self._entries

    def keys(self) -> list[str]:
        return sorted(self.entries())

    # -- loading ---------------------------------------------------------------------------
    def _dictionaries(self) -> tuple[list[Path], list[Path]]:
        extra_de, extra_codes = self.schema_dir / "dataele.xml", self.schema_dir / "codes.xml"
        de = [self.pyx12_dir / "dataele.xml"] + ([extra_de] if extra_de.is_file() else [])
        codes = [self.pyx12_dir / "codes.xml"] + ([extra_codes] if extra_codes.is_file() else [])
        return de, codes

    def _compile(self, entry: Entry, de: list[Path], codes: list[Path]) -> Schema:
        raw = read_map(entry.base)
        for override in entry.overrides:
            apply_override(raw, override)
        return compile_schema(raw, entry.key, entry.transaction, entry.implementation,
                              read_data_elements(de), read_code_sets(codes),
                              tuple(p.name for p in entry.sources))

    def _cached(self, key: str, sources: list[Path], build):
        """The compiled value for ``key``: from this process, the disk cache, or ``build``."""
        if key in self._loaded:
            return self._loaded[key]
        with self._lock:
            if key not in self._loaded:
                digest = cache.fingerprint(sources)
                value = cache.load(key, digest, self.cache_directory)
                if value is None:
                    value = build()
                    cache.store(key, digest, value, self.cache_directory)
                self._loaded[key] = value
        return self._loaded[key]

    def load(self, name: str) -> Schema:
        """A schema by key ("837:005010X222A1") or alias ("837P")."""
        key = ALIASES.get(name, name)
        if key in self._loaded:
            return self._loaded[key]
        entry = self.entries().get(key)
        if entry is None:
            raise KeyError(f"no schema registered for {name!r}")
        de, codes = self._dictionaries()
        return self._cached(key, [*entry.sources, *de, *codes],
                            lambda: self._compile(entry, de, codes))

    def envelope(self) -> dict:
        """ISA, GS, GE, IEA, TA1 definitions of the 5010 control map, for segments the
        walker meets before it knows the guide (an ISA comes before any GS08)."""
        de, codes = self._dictionaries()
        path = self.pyx12_dir / CONTROL_MAP
        return self._cached("control:00501", [path, *de, *codes], lambda: compile_envelope(
            read_map(path), read_data_elements(de), read_code_sets(codes)))

    def find(self, transaction: str, *implementations: str) -> Schema | None:
        """The schema for ST01 and the first registered of the implementations given
        (ST03, then GS08: an 835 omits ST03), or None."""
        for impl in implementations:
            if impl and schema_key(transaction, impl) in self.entries():
                return self.load(schema_key(transaction, impl))
        return None

    def resolve(self, transaction: str, *implementations: str) -> tuple[Schema | None, bool]:
        """``find``, else the HIPAA-adopted version of the first implementation named by its
        base id only (``ADOPTED``); the flag says the guide was assumed that way."""
        schema = self.find(transaction, *implementations)
        if schema is not None:
            return schema, False
        adopted = self.find(transaction, *(ADOPTED.get(i, "") for i in implementations))
        return adopted, adopted is not None


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry()
    return _DEFAULT


def load_schema(name: str) -> Schema:
    """``load_schema("837P")`` or ``load_schema("837:005010X222A1")``."""
    return default_registry().load(name)


def find_schema(transaction: str, *implementations: str) -> Schema | None:
    return default_registry().find(transaction, *implementations)


__all__ = ["Registry", "Entry", "SchemaError", "default_registry", "load_schema",
           "find_schema", "schema_key", "transaction_kind", "ALIASES", "GUIDE_KINDS",
           "PYX12_MAPS"]

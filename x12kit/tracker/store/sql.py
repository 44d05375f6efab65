"""The SQLAlchemy Core store: SQLite (the default, a file) and PostgreSQL (psycopg 3).

Opening a store brings the schema to the newest Alembic revision (``migrations/``). A unit
of work is one transaction that first takes the database's write lock: SQLite ``BEGIN
IMMEDIATE`` (WAL, so readers go on; a second writer waits up to ``BUSY_TIMEOUT_MS``),
PostgreSQL a transaction-scoped advisory lock. Ingests therefore post one after another,
so a payment and the claim it waits for can never pass each other unseen. Every method
sends one statement for all its rows (executemany, IN lists of at most 500).
"""
from __future__ import annotations

from datetime import datetime, timezone
from operator import itemgetter
from pathlib import Path

import sqlalchemy as sa

from x12kit.tracker import states
from x12kit.tracker.records import (
    ClaimAnswer, ClaimLine, Entry, Event, SentClaim, StoredClaim, Unmatched, WaitingAnswer,
)
from x12kit.tracker.store import tables as t
from x12kit.tracker.store.base import DatabaseError, Store, UnitOfWork, chunks
from x12kit.tracker.store.codec import remit_from_json, remit_json
from x12kit.tracker.store.driver import Driver
from x12kit.tracker.store.projections import Projections

BUSY_TIMEOUT_MS = 600_000
INGEST_LOCK = 5010_837_835      # PostgreSQL advisory lock key of the tracker's writers
MIGRATIONS = Path(__file__).with_name("migrations")
new = tuple.__new__  # a record from a row's values, without NamedTuple's Python-level __new__


def engine_for(url: str) -> sa.Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite_settings(engine)
    return engine


def _sqlite_settings(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None   # we say BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def begin(connection):
        write = connection.get_execution_options().get("x12kit_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def write_connection(engine: sa.Engine) -> sa.Connection:
    """A connection in a transaction that holds the write lock."""
    connection = engine.connect().execution_options(x12kit_write=True)
    connection.begin()
    if engine.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(INGEST_LOCK)))
    return connection


def newest_revision() -> str:
    """The newest migration's revision: each is named by its file's leading number
    (``versions/0004_....py`` is revision "0004", ``test_tracker_store`` checks it)."""
    return max(path.name.split("_", 1)[0]
               for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))


def is_newest(engine: sa.Engine) -> bool:
    """Whether the schema is at the newest revision already: then opening the store
    needs neither Alembic (a tenth of a second to import) nor the write lock."""
    try:
        with engine.connect() as connection:
            found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except sa.exc.DBAPIError:
        return False        # a new database: no version table yet
    return [tuple(row) for row in found] == [(newest_revision(),)]


def migrate(engine: sa.Engine, revision: str = "head", down: bool = False) -> None:
    """Bring the schema to ``revision`` (the newest by default), under the write lock (two
    processes that open a new database at once create it once)."""
    if revision == "head" and not down and is_newest(engine):
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with write_connection(engine) as connection:
        config.attributes["connection"] = connection
        try:
            (command.downgrade if down else command.upgrade)(config, revision)
        except CommandError:
            # the database names a revision this x12kit has no migration for: a newer
            # x12kit made it, and this one must not touch it
            raise DatabaseError("database: its schema is newer than this x12kit knows "
                                "(upgrade x12kit to open it)") from None
        connection.commit()


# a stored claim's columns, in the order ``_stored`` takes them
STORED = ("id", "billing_npi", "pcn", "kind", "payer_id", "payer_name", "charge", "claim_date",
          "service_start", "service_end", "frequency", "replaces", "group_control",
          "set_control", "sender_id", "position", "state", "payer_claim_number",
          "superseded_by")
_STORED_COLUMNS = [t.claim.c[name] for name in STORED]
_CLAIMS = sa.select(*_STORED_COLUMNS)


def _stored(row) -> StoredClaim:
    """A claim from its ``STORED`` values, converted to Python's types."""
    (claim_id, npi, pcn, kind, payer_id, payer_name, charge, claim_date, start, end, frequency,
     replaces, group_control, set_control, sender_id, position, state, number,
     superseded_by) = row
    sent = new(SentClaim, (npi, pcn, kind, payer_id, payer_name, charge, claim_date, start, end,
                           frequency, replaces, group_control, set_control, sender_id, (),
                           position))
    return new(StoredClaim, (claim_id, sent, state, number, superseded_by))


def _event(row) -> Event:
    return Event(row.claim_id, row.document_id, row.kind, row.event, row.code, row.written,
                 row.position, row.payer_claim_number)


def _entry(row) -> Entry:
    return Entry(row.claim_id, row.document_id, row.kind, row.group_code, row.reason,
                 row.amount, row.line_number, row.provider_id, row.reference,
                 row.claim_status)


CLAIM_COLUMNS = tuple(c.name for c in t.claim.columns)
LINE_COLUMNS = tuple(c.name for c in t.claim_line.columns)
EVENT_COLUMNS = tuple(c.name for c in t.event.columns if c.name != "id")
ENTRY_COLUMNS = tuple(c.name for c in t.entry.columns if c.name != "id")

# the ingest's reads, by the driver (``Driver.select_in``); ``c.`` the claim table
_STORED_OF_C = ", ".join("c." + name for name in STORED)
CLAIMS_BY_PCN = f"SELECT {_STORED_OF_C} FROM claim c WHERE c.pcn {{in_list}}"
CLAIMS_REPLACING = f"SELECT {_STORED_OF_C} FROM claim c WHERE c.replaces {{in_list}}"
CLAIMS_BY_NUMBER = (f"SELECT DISTINCT e.payer_claim_number, {_STORED_OF_C} FROM event e "
                    f"JOIN claim c ON c.id = e.claim_id "
                    f"WHERE e.payer_claim_number {{in_list}}")
LINES_OF = ("SELECT claim_id, number, control_number, procedure, charge, service_date "
            "FROM claim_line WHERE claim_id {in_list}")
EVENTS_OF = (f"SELECT id, {', '.join(EVENT_COLUMNS)} FROM event "
             f"WHERE claim_id {{in_list}}")
ANSWER_PLACES = (f"SELECT claim_id, written, document_id, position FROM event "
                 f"WHERE event <> '{states.SENT}' AND claim_id {{in_list}}")
CLAIMS_WITH_STATUS = ("SELECT DISTINCT claim_id FROM entry WHERE claim_status IN ({statuses}) "
                      "AND claim_id {in_list}")
SET_STATE = "UPDATE claim SET state = {m}, payer_claim_number = {m} WHERE id = {m}"
SET_SUPERSEDED = "UPDATE claim SET superseded_by = {m} WHERE id = {m}"
RESOLVE_UNMATCHED = "UPDATE unmatched SET matched_claim_id = {m} WHERE id = {m}"


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, engine: sa.Engine) -> None:
        self.c = write_connection(engine)
        self.driver = Driver(engine.dialect)
        self.totals = Projections(engine.dialect, self.driver)

    def __exit__(self, *exc) -> None:
        self.rollback()
        self.c.close()

    def commit(self) -> None:
        self.totals.settle(self.c)
        self.c.commit()

    def rollback(self) -> None:
        if self.c.in_transaction():
            self.c.rollback()

    def _claims(self, where) -> list[StoredClaim]:
        return [_stored(r) for r in self.c.execute(_CLAIMS.where(where).order_by(t.claim.c.id))]

    def _driver_stored(self, row) -> StoredClaim:
        """A claim from the driver's ``STORED`` values (money and days as it gives them)."""
        money_of, day_of = self.driver.money_of, self.driver.day_of
        return _stored((*row[:6], money_of(row[6]), day_of(row[7]), day_of(row[8]),
                        day_of(row[9]), *row[10:]))

    def add_document(self, sha256, kind, name):
        taken = self.c.execute(sa.select(t.document.c.id).where(t.document.c.sha256 == sha256))
        if taken.first() is not None:
            return None
        return self.c.execute(t.document.insert().returning(t.document.c.id), {
            "sha256": sha256, "kind": kind, "name": name,
            "ingested_at": datetime.now(timezone.utc).replace(tzinfo=None)}).scalar_one()

    def add_claims(self, document_id, claims: list[SentClaim], state):
        # the write lock is held: the next ids are ours to give
        first = (self.c.execute(sa.select(sa.func.max(t.claim.c.id))).scalar_one() or 0) + 1
        ids = list(range(first, first + len(claims)))
        money, day = self.driver.money, self.driver.day
        self.driver.insert(self.c, t.claim, CLAIM_COLUMNS, [
            (i, document_id, s.billing_npi, s.pcn, s.kind, s.payer_id, s.payer_name,
             money(s.charge), day(s.claim_date), day(s.service_start), day(s.service_end),
             s.frequency, s.replaces, s.group_control, s.set_control, s.sender_id,
             s.position, state, None, None, 0, 0, 0, 0, None) for i, s in zip(ids, claims)])
        self.driver.insert(self.c, t.claim_line, LINE_COLUMNS, [
            (i, line.number, line.control_number, line.procedure, money(line.charge),
             day(line.service_date)) for i, s in zip(ids, claims) for line in s.lines])
        self.totals.touching(self.c, ids, new=True)
        return ids

    def claims_by_pcn(self, pcns):
        found = self.driver.select_in(self.c, CLAIMS_BY_PCN, pcns)
        return sorted(map(self._driver_stored, found))

    def claims_by_pcn_prefix(self, prefix):
        # a range on the byte-ordered key: the index answers it
        return self._claims((t.claim.c.pcn > prefix) & (t.claim.c.pcn < prefix + "\x7f"))

    def claims_by_payer_claim_number(self, numbers):
        found = self.driver.select_in(self.c, CLAIMS_BY_NUMBER, numbers)
        return sorted((row[0], self._driver_stored(row[1:])) for row in set(found))

    def claims_replacing(self, numbers):
        found = self.driver.select_in(self.c, CLAIMS_REPLACING, numbers)
        return sorted(map(self._driver_stored, found))

    def claims_in_set(self, sender_id, group_control, set_control):
        where = (t.claim.c.sender_id == sender_id) & (t.claim.c.group_control == group_control)
        if set_control is not None:
            where &= t.claim.c.set_control == set_control
        return self._claims(where)

    def lines_of(self, claim_ids):
        found: dict[int, list[ClaimLine]] = {i: [] for i in claim_ids}
        money_of, day_of = self.driver.money_of, self.driver.day_of
        for claim_id, number, control, procedure, charge, served in sorted(
                self.driver.select_in(self.c, LINES_OF, sorted(found)), key=itemgetter(0, 1)):
            found[claim_id].append(new(ClaimLine, (number, control, procedure, money_of(charge),
                                                   day_of(served))))
        return {i: tuple(lines) for i, lines in found.items()}

    def events_of(self, claim_ids):
        day_of = self.driver.day_of
        return [new(Event, (claim_id, document_id, kind, event, code, day_of(written), position,
                            number))
                for _, claim_id, document_id, kind, event, code, written, position, number
                in sorted(self.driver.select_in(self.c, EVENTS_OF, claim_ids))]

    def answer_places(self, claim_ids):
        day_of = self.driver.day_of
        return [(claim_id, day_of(written), document_id, position) for
                claim_id, written, document_id, position
                in self.driver.select_in(self.c, ANSWER_PLACES, claim_ids)]

    def add_events(self, events):
        day = self.driver.day
        self.driver.insert(self.c, t.event, EVENT_COLUMNS, [
            (e.claim_id, e.document_id, e.kind, e.event, e.code, day(e.written),
             e.position, e.payer_claim_number) for e in events])
        self.totals.paid_on(self.c, events)

    def set_states(self, changes):
        self.driver.update(self.c, SET_STATE, [(s, n, i) for i, s, n in changes])

    def set_superseded(self, pairs):
        self.totals.touching(self.c, [i for i, _ in pairs])
        self.driver.update(self.c, SET_SUPERSEDED, [(b, i) for i, b in pairs])

    def add_entries(self, entries):
        money = self.driver.money
        self.driver.insert(self.c, t.entry, ENTRY_COLUMNS, [
            (e.claim_id, e.document_id, e.kind, e.group, e.reason, money(e.amount),
             e.line_number, e.provider_id, e.reference, e.status) for e in entries])
        self.totals.add(self.c, entries)

    def entries_of(self, claim_ids):
        return [_entry(r) for part in chunks(sorted(claim_ids)) for r in self.c.execute(
            sa.select(t.entry).where(t.entry.c.claim_id.in_(part)).order_by(t.entry.c.id))]

    def claims_with_status(self, claim_ids, statuses):
        statuses = sorted(statuses)
        found = self.driver.select_in(self.c, CLAIMS_WITH_STATUS.format(
            statuses=self.driver.marks(len(statuses)), in_list="{in_list}"), sorted(claim_ids),
            before=statuses)
        return {claim_id for claim_id, in found}

    def add_unmatched(self, document_id, remits):
        self.c.execute(t.unmatched.insert(), [
            {"document_id": document_id, "pcn": r.pcn, "payer_claim_number":
             r.payer_claim_number, "paid": r.paid, "remit": remit_json(r)} for r in remits])

    def unmatched_pcn_lengths(self):
        return set(self.c.execute(sa.select(sa.func.length(t.unmatched.c.pcn)).distinct()
                                  .where(t.unmatched.c.matched_claim_id.is_(None))).scalars())

    def unmatched_by_pcn(self, pcns):
        return [Unmatched(r.id, r.document_id, remit_from_json(r.remit))
                for r in self.c.execute(sa.select(t.unmatched).where(
                    t.unmatched.c.pcn.in_(list(pcns))
                    & t.unmatched.c.matched_claim_id.is_(None)).order_by(t.unmatched.c.id))]

    def add_waiting_answers(self, document_id, answers):
        self.c.execute(t.waiting_answer.insert(), [
            {**a._asdict(), "document_id": document_id, "applied": False} for a in answers])

    def waiting_answers(self, pcns, groups):
        found = {}
        w = t.waiting_answer.c
        for part in chunks(sorted(pcns)):
            for r in self.c.execute(sa.select(t.waiting_answer).where(
                    w.pcn.in_(part) & w.group_control.is_(None) & ~w.applied)):
                found[r.id] = r
        for sender_id, group_control in sorted(groups):
            for r in self.c.execute(sa.select(t.waiting_answer).where(
                    (w.sender_id == sender_id) & (w.group_control == group_control)
                    & ~w.applied)):
                found[r.id] = r
        return [WaitingAnswer(r.id, r.document_id, ClaimAnswer(
            r.kind, r.event, r.code, r.billing_npi, r.pcn, r.payer_claim_number,
            r.group_control, r.set_control, r.sender_id, r.written, r.position))
            for _, r in sorted(found.items())]

    def resolve_waiting_answers(self, ids):
        for part in chunks(ids):
            self.c.execute(t.waiting_answer.update().where(t.waiting_answer.c.id.in_(part))
                           .values(applied=True))

    def resolve_unmatched(self, pairs):
        self.driver.update(self.c, RESOLVE_UNMATCHED, [(c, u) for u, c in pairs])


def describe(error: BaseException) -> DatabaseError:
    """The failure's kind and, where the database could not be reached or opened, the
    driver's first line (a host, a port, a path); never the statement or its parameters."""
    cause = getattr(error, "orig", None) or error
    detail = ""
    if isinstance(error, (sa.exc.OperationalError, sa.exc.ArgumentError)):
        first = str(cause).strip().splitlines()
        detail = f": {first[0]}" if first else ""
    return DatabaseError(f"database: {type(cause).__name__}{detail}")


class SqlStore(Store):
    failures = (sa.exc.SQLAlchemyError,)

    def __init__(self, url: str) -> None:
        try:
            self.engine = engine_for(url)
            migrate(self.engine)
        except sa.exc.SQLAlchemyError as error:
            raise describe(error) from None

    def describe(self, error: BaseException) -> DatabaseError:
        return describe(error)

    def close(self) -> None:
        self.engine.dispose()

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def report(self, as_of):
        from x12kit.tracker.report import build
        with self.engine.connect() as connection:
            return build(connection, as_of)

    def _rows(self, query):
        with self.engine.connect() as c:
            return list(c.execute(query))

    def find_claims(self, *, ids=None, pcn=None, billing_npi=None, state=None, payer_id=None,
                    before=None, limit=None):
        query = _CLAIMS.order_by(t.claim.c.id).limit(limit)
        for column, value in ((t.claim.c.pcn, pcn), (t.claim.c.billing_npi, billing_npi),
                              (t.claim.c.state, state), (t.claim.c.payer_id, payer_id)):
            if value is not None:
                query = query.where(column == value)
        if before is not None:
            query = query.where(t.claim.c.claim_date < before)
        if ids is not None:
            return [_stored(r) for part in chunks(sorted(ids))
                    for r in self._rows(query.where(t.claim.c.id.in_(part)))]
        return [_stored(r) for r in self._rows(query)]

    def current_claims(self, states, before):
        c = t.claim.c
        return [tuple(r) for r in self._rows(
            sa.select(c.id, c.claim_date, c.pcn, c.state).where(
                c.state.in_(list(states)) & c.superseded_by.is_(None)
                & (c.claim_date < before)))]

    def entries_of(self, claim_ids):
        return [_entry(r) for r in self._rows(sa.select(t.entry).where(
            t.entry.c.claim_id.in_(list(claim_ids))).order_by(t.entry.c.id))]

    def history_of(self, claim_ids):
        return [(_event(r), r.name) for r in self._rows(
            sa.select(t.event, t.document.c.name)
            .join(t.document, t.document.c.id == t.event.c.document_id)
            .where(t.event.c.claim_id.in_(list(claim_ids))).order_by(t.event.c.id))]

    def provider_entries(self):
        return [(_entry(r), r.name) for r in self._rows(
            sa.select(t.entry, t.document.c.name)
            .join(t.document, t.document.c.id == t.entry.c.document_id)
            .where(t.entry.c.kind == "provider").order_by(t.entry.c.id))]

    def unmatched(self):
        return [(Unmatched(r.id, r.document_id, remit_from_json(r.remit)), r.name)
                for r in self._rows(
                    sa.select(t.unmatched, t.document.c.name)
                    .join(t.document, t.document.c.id == t.unmatched.c.document_id)
                    .where(t.unmatched.c.matched_claim_id.is_(None))
                    .order_by(t.unmatched.c.id))]

/* x12kit._walk: runs of the model reader's walk in C.
 *
 * take_quiet: x12kit/walk/quiet.py is the specification. py_take_quiet(seg, segments,
 * walker, path, into, room) takes a run of quiet segments of an open transaction set (those
 * that stay in the loop of the segment before, open nothing and find nothing) and hands back
 * the first segment that needs the full walk. This is the same function, without the
 * interpreter's per-segment overhead. For each segment it
 *
 *   stops at ST, SE, an envelope segment (segment.SET_EDGES) or an HL,
 *   looks up the move the walker remembers for it from the current state (by segment id,
 *   and by identifying code where the id has them: Walker._remembered, states.Moves.slots),
 *   and stops where there is none, or where the move leads elsewhere than `path` (another
 *   path object), enters a loop or carries findings,
 *   moves the state on and appends the segment to `into` while fewer than `room` were taken.
 *
 * take_steps: the loop of x12kit/models/reading.py read_items (StreamWalker.place,
 * LoopEvents.step, ItemAssembler.step, one segment at a time) is the specification. It takes
 * the quiet runs as take_quiet does, and also the segments between them that open or close
 * loops, where everything about them was worked out before: the walker remembers a clean
 * move, LoopEvents remembers the loop events (LoopEvents._inside), and no envelope loop
 * closes. For those it does what the three Python steps do: moves the walker's state and
 * the events' path, closes loops into their parents, handing out those that are items
 * (ItemAssembler._close), opens the new ones (tree._Open) and adds the segment. It stops
 * after a step that handed out items, so that the Python loop yields them before it reads
 * on. Anything else (an HL, ST or SE, a new move, a finding) is handed back to the Python
 * loop, which works it out and remembers it.
 *
 * The walker's state lives in walker._state between segments; this module reads it on
 * entry and writes it back on exit (also when the segment iterator raises, as the
 * specification leaves it). tests/test_walk_quiet.py checks that all ways give the same
 * items.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_moves.h"
#include "_open_loops.h"

/* Set by bind(): segment.SET_EDGES. */
static PyObject *set_edges = NULL;
static PyObject *str_slots;  /* "slots": Moves.slots */

/* True for the two-letter id "HL": the walker checks its hierarchy in full. */
static int
is_hl(PyObject *sid)
{
    return PyUnicode_GET_LENGTH(sid) == 2 && PyUnicode_READ_CHAR(sid, 0) == 'H'
           && PyUnicode_READ_CHAR(sid, 1) == 'L';
}

/* Segment ids found not to stop a run, by identity (the cutter interns ids, so each comes
 * again as the same object): a set lookup per segment costs more than the rest of a quiet
 * step. Each slot holds its id, so no other object takes its address while it is kept. */
#define GOING_IDS_BITS 6  /* 64 entries */
static PyObject *going_ids[1 << GOING_IDS_BITS];

/* Whether a run stops at `sid`: an envelope segment (SET_EDGES) or an HL. 1, 0, -1 error. */
static int
stops_run(PyObject *sid)
{
    PyObject **going = &going_ids[memo_slot(sid, NULL, NULL, GOING_IDS_BITS)];
    if (*going == sid)
        return 0;
    int edge = PySet_Contains(set_edges, sid);
    if (edge != 0 || is_hl(sid))
        return edge < 0 ? -1 : 1;
    Py_XSETREF(*going, Py_NewRef(sid));
    return 0;
}

/* The Placed fields of a remembered move, (loop_id, path, definition, entered, findings),
 * borrowed; NULL with a TypeError where the move is not (state, those 5 fields). */
static PyObject *
move_fields(PyObject *move)
{
    if (!PyTuple_Check(move) || PyTuple_GET_SIZE(move) != 2
            || !PyTuple_Check(PyTuple_GET_ITEM(move, 1))
            || PyTuple_GET_SIZE(PyTuple_GET_ITEM(move, 1)) != 5) {
        PyErr_SetString(PyExc_TypeError, "a remembered move must be (state, 5 Placed fields)");
        return NULL;
    }
    return PyTuple_GET_ITEM(move, 1);
}

/* bool(value) for a move's fields, which are tuples (paths, loops entered, findings): a
 * tuple's truth is its size, read without a call. 1, 0, -1 error. */
static inline int
is_true(PyObject *value)
{
    return PyTuple_CheckExact(value) ? PyTuple_GET_SIZE(value) > 0 : PyObject_IsTrue(value);
}

/* Whether a remembered move keeps a segment quiet: 1 yes, 0 no, -1 error. */
static int
stays_quiet(PyObject *move, PyObject *path)
{
    PyObject *fields = move_fields(move);
    if (fields == NULL)
        return -1;
    if (PyTuple_GET_ITEM(fields, 1) != path)
        return 0;
    int entered = is_true(PyTuple_GET_ITEM(fields, 3));
    if (entered != 0)
        return entered < 0 ? -1 : 0;
    int findings = is_true(PyTuple_GET_ITEM(fields, 4));
    return findings < 0 ? -1 : !findings;
}

/* The elements and delimiters of a Segment (borrowed), or -1 with a TypeError. */
static int
unpack_segment(PyObject *seg, PyObject **elements, PyObject **delimiters)
{
    if (!PyTuple_Check(seg) || PyTuple_GET_SIZE(seg) < 5)
        goto bad;
    *elements = PyTuple_GET_ITEM(seg, 0);
    *delimiters = PyTuple_GET_ITEM(seg, 4);
    if (!PyTuple_Check(*elements) || PyTuple_GET_SIZE(*elements) < 1
            || !PyUnicode_Check(PyTuple_GET_ITEM(*elements, 0))
            || !PyTuple_Check(*delimiters) || PyTuple_GET_SIZE(*delimiters) < 3
            || !PyUnicode_Check(PyTuple_GET_ITEM(*delimiters, 1))
            || !PyUnicode_Check(PyTuple_GET_ITEM(*delimiters, 2)))
        goto bad;
    return 0;
bad:
    PyErr_SetString(PyExc_TypeError, "take_quiet expects Segment values");
    return -1;
}

/* Take `seg` and the quiet segments after it: `*seg` becomes the first one not taken
 * (None at the end), `*taken` counts them, `*state` (a strong reference) moves on. 0 done,
 * -1 error. */
static int
take_run(PyObject **seg, PyObject *segments, PyObject **state, PyObject *slots,
         PyObject *path, PyObject *into, Py_ssize_t room, Py_ssize_t *taken)
{
    while (*seg != Py_None) {
        PyObject *elements, *delimiters;
        if (unpack_segment(*seg, &elements, &delimiters) < 0)
            return -1;
        PyObject *sid = PyTuple_GET_ITEM(elements, 0);
        int stops = stops_run(sid);
        if (stops != 0)
            return stops < 0 ? -1 : 0;
        PyObject *move = remembered(*state, slots, elements, delimiters, sid);
        if (move == NULL)
            return PyErr_Occurred() ? -1 : 0;
        int quiet = stays_quiet(move, path);
        if (quiet <= 0)
            return quiet;
        Py_SETREF(*state, Py_NewRef(PyTuple_GET_ITEM(move, 0)));
        if (*taken < room && PyList_Append(into, *seg) < 0)
            return -1;
        ++*taken;
        PyObject *next = PyIter_Next(segments);
        if (next == NULL && PyErr_Occurred())
            return -1;
        Py_SETREF(*seg, next ? next : Py_NewRef(Py_None));
    }
    return 0;
}

/* What a run moved, written back after it ended with `status` (0, or -1 with an error set,
 * which stays the one raised): `written` is how the writing went (0, or -1 with its own
 * error, dropped where the run's stands). The status to return. Callers fetch the run's
 * error before writing (`PyErr_Fetch`), since attributes are not set with an error pending,
 * and hand it back here. */
static int
written_back(int status, int written, PyObject *type, PyObject *value, PyObject *traceback)
{
    if (written < 0) {
        if (status == 0)
            status = -1;
        else
            PyErr_Clear();
    }
    if (type != NULL)
        PyErr_Restore(type, value, traceback);
    return status;
}

/* Store ``state`` on ``walker`` after a run that ended with ``status``; see written_back. */
static int
keep_state(PyObject *walker, PyObject *state, int status)
{
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    int written = slot_set(&walker_state, walker, state);
    return written_back(status, written, type, value, traceback);
}

static PyObject *
take_quiet(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError,
                         "take_quiet(seg, segments, walker, path, into, room) takes 6 arguments");
        return NULL;
    }
    PyObject *segments = args[1], *walker = args[2], *path = args[3], *into = args[4];
    if (set_edges == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "x12kit._walk.bind() was not called");
        return NULL;
    }
    if (!PyIter_Check(segments) || !PyList_Check(into)) {
        PyErr_SetString(PyExc_TypeError, "take_quiet wants an iterator and a list");
        return NULL;
    }
    Py_ssize_t room = PyLong_AsSsize_t(args[5]);
    if (room == -1 && PyErr_Occurred())
        return NULL;
    PyObject *moves = slot_get(&walker_moves, walker);
    if (moves == NULL)
        return NULL;
    PyObject *slots = PyObject_GetAttr(moves, str_slots);
    Py_DECREF(moves);
    if (slots == NULL)
        return NULL;
    PyObject *state = PyDict_Check(slots) ? slot_get(&walker_state, walker) : NULL;
    if (state == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "Moves.slots is not a dict");
        Py_DECREF(slots);
        return NULL;
    }
    PyObject *seg = Py_NewRef(args[0]);
    Py_ssize_t taken = 0;
    int status = take_run(&seg, segments, &state, slots, path, into, room, &taken);
    /* the state the segments taken led to, whether or not the run ended in an error */
    status = keep_state(walker, state, status);
    Py_DECREF(state);
    Py_DECREF(slots);
    if (status < 0) {
        Py_DECREF(seg);
        return NULL;
    }
    return Py_BuildValue("(Nn)", seg, taken);
}

/* ---- take_steps ---- */

/* LoopEvents' and ItemAssembler's slots a run reads and writes once */
static Slot events_path = SLOT("_path"), events_set_path = SLOT("_set_path"),
            events_inside = SLOT("_inside"), events_envelope = SLOT("_envelope"),
            assembler_stack = SLOT("_stack"), assembler_items = SLOT("_items"),
            assembler_envelope = SLOT("_envelope");

/* What a run keeps of LoopEvents and the ItemAssembler between segments: read from them
 * when take_steps starts and written back when it ends (whether or not in an error), as
 * the walker's state is. Strong references. Inside a set the events' envelope stays. */
typedef struct {
    PyObject *path;      /* LoopEvents._path: the loop ids open, outermost first */
    PyObject *set_path;  /* LoopEvents._set_path: the walker's path of the last segment */
    PyObject *inside;    /* LoopEvents._inside, the loop events it remembers */
    PyObject *envelope;  /* LoopEvents._envelope */
    PyObject *items_envelope;  /* ItemAssembler._envelope: the items' */
} Events;

static int
events_read(Events *ev, PyObject *events, PyObject *assembler)
{
    *ev = (Events){NULL, NULL, NULL, NULL, NULL};
    if ((ev->path = slot_get(&events_path, events)) == NULL
            || (ev->set_path = slot_get(&events_set_path, events)) == NULL
            || (ev->inside = slot_get(&events_inside, events)) == NULL
            || (ev->envelope = slot_get(&events_envelope, events)) == NULL
            || (ev->items_envelope = slot_get(&assembler_envelope, assembler)) == NULL)
        return -1;
    if (!PyDict_Check(ev->inside)) {
        PyErr_SetString(PyExc_TypeError, "LoopEvents._inside is not a dict");
        return -1;
    }
    return 0;
}

/* Write the run's path and envelope back after it ended with `status`, and let go of `ev`;
 * see written_back. */
static int
events_keep(Events *ev, PyObject *events, PyObject *assembler, int status)
{
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    int written = ev->items_envelope == NULL ? 0  /* not all read: nothing to write */
                  : (slot_set(&events_path, events, ev->path) < 0
                     || slot_set(&events_set_path, events, ev->set_path) < 0
                     || slot_set(&assembler_envelope, assembler, ev->items_envelope) < 0)
                  ? -1 : 0;
    status = written_back(status, written, type, value, traceback);
    Py_XDECREF(ev->path);
    Py_XDECREF(ev->set_path);
    Py_XDECREF(ev->inside);
    Py_XDECREF(ev->envelope);
    Py_XDECREF(ev->items_envelope);
    return status;
}

/* The loop events a LoopEvents found for a step, as known_events() last read them from its
 * dict (_inside): by the dict, the path before and the set path, each by identity, and the
 * loops entered, by value (each move has its own tuple of them), so that a step met again
 * makes no key tuple and hashes nothing. The walker's paths are interned per schema and a
 * step's path comes from the last step found, so steps meet the same objects again. A
 * dict's entry, once made, keeps its value (it is cleared only to be made again, alike).
 * Entries hold what they name, so no address is reused while kept. */
#define EVENTS_MEMO_BITS 6  /* 64 entries */
typedef struct { PyObject *inside, *path, *set_path, *entered, *known; } EventsMemo;
static EventsMemo events_memo[1 << EVENTS_MEMO_BITS];

/* Whether two tuples of loop ids entered hold the same ids (the schema's own str objects). */
static int
same_entered(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    if (!PyTuple_CheckExact(a) || !PyTuple_CheckExact(b) || Py_SIZE(a) != Py_SIZE(b))
        return 0;
    for (Py_ssize_t i = 0; i < Py_SIZE(a); i++)
        if (PyTuple_GET_ITEM(a, i) != PyTuple_GET_ITEM(b, i))
            return 0;
    return 1;
}

/* The loop events LoopEvents remembers for a move to `set_path` that enters `entered`: a
 * borrowed (path, opened, closed) tuple, NULL without an error where there are none. */
static PyObject *
known_events(Events *ev, PyObject *set_path, PyObject *entered)
{
    EventsMemo *memo = &events_memo[memo_slot(ev->path, set_path, ev->inside, EVENTS_MEMO_BITS)];
    if (memo->inside == ev->inside && memo->path == ev->path && memo->set_path == set_path
            && same_entered(memo->entered, entered))
        return memo->known;
    PyObject *parts = PyTuple_Pack(3, ev->path, set_path, entered);
    if (parts == NULL)
        return NULL;
    PyObject *known = PyDict_GetItemWithError(ev->inside, parts);  /* _inside holds it */
    Py_DECREF(parts);
    if (known == NULL)
        return NULL;
    if (!PyTuple_Check(known) || PyTuple_GET_SIZE(known) != 3
            || !PyTuple_Check(PyTuple_GET_ITEM(known, 1))
            || !PyTuple_Check(PyTuple_GET_ITEM(known, 2))) {
        PyErr_SetString(PyExc_TypeError, "remembered loop events must be (path, opened, closed)");
        return NULL;
    }
    Py_XSETREF(memo->inside, Py_NewRef(ev->inside));
    Py_XSETREF(memo->path, Py_NewRef(ev->path));
    Py_XSETREF(memo->set_path, Py_NewRef(set_path));
    Py_XSETREF(memo->entered, Py_NewRef(entered));
    Py_XSETREF(memo->known, Py_NewRef(known));
    return known;
}

/* One segment that opens or closes loops, all of it remembered: take it as the Python
 * steps would (see the top of this file). `*state` and `ev` move on. 1 taken, 0 left for
 * the Python loop, -1 error. */
static int
take_known_step(PyObject *seg, PyObject **state, PyObject *slots, Events *ev, Assembly *open,
                Py_ssize_t max_kept)
{
    PyObject *elements, *delimiters;
    if (unpack_segment(seg, &elements, &delimiters) < 0)
        return -1;
    PyObject *sid = PyTuple_GET_ITEM(elements, 0);
    int stops = stops_run(sid);
    if (stops != 0)
        return stops < 0 ? -1 : 0;
    PyObject *move = remembered(*state, slots, elements, delimiters, sid);
    if (move == NULL)
        return PyErr_Occurred() ? -1 : 0;
    PyObject *fields = move_fields(move);
    if (fields == NULL)
        return -1;
    PyObject *set_path = PyTuple_GET_ITEM(fields, 1), *entered = PyTuple_GET_ITEM(fields, 3);
    int findings = is_true(PyTuple_GET_ITEM(fields, 4));
    int in_loop = findings == 0 ? is_true(set_path) : (findings < 0 ? -1 : 0);
    if (in_loop <= 0)
        return in_loop;
    PyObject *known = known_events(ev, set_path, entered);
    if (known == NULL)
        return PyErr_Occurred() ? -1 : 0;
    PyObject *opened = PyTuple_GET_ITEM(known, 1), *closed = PyTuple_GET_ITEM(known, 2);
    int may = may_close(open->stack, PyTuple_GET_SIZE(closed));
    if (may <= 0)
        return may;
    /* Walker.place, then LoopEvents.step, then ItemAssembler.step */
    Py_SETREF(*state, Py_NewRef(PyTuple_GET_ITEM(move, 0)));
    Py_SETREF(ev->path, Py_NewRef(PyTuple_GET_ITEM(known, 0)));
    Py_SETREF(ev->set_path, Py_NewRef(set_path));
    int status = 0;
    for (Py_ssize_t i = 0; status == 0 && i < PyTuple_GET_SIZE(closed); i++)
        status = close_one(open, ev->items_envelope, max_kept);
    if (status < 0)
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(opened); i++) {
        PyObject *node = open_new(PyTuple_GET_ITEM(opened, i));
        if (node == NULL || PyList_Append(open->stack, node) < 0) {
            Py_XDECREF(node);
            return -1;
        }
        Py_DECREF(node);
    }
    Py_SETREF(ev->items_envelope, Py_NewRef(ev->envelope));  /* the step's */
    Py_ssize_t depth = PyList_GET_SIZE(open->stack);
    if (depth > 0 && open_add(PyList_GET_ITEM(open->stack, depth - 1), seg, max_kept) < 0)
        return -1;
    return 1;
}

/* A quiet run into the innermost open loop, as ItemAssembler.take_quiet adds it. */
static int
take_quiet_into(PyObject **seg, PyObject *segments, PyObject **state, PyObject *slots,
                PyObject *path, PyObject *stack, Py_ssize_t max_kept)
{
    Py_ssize_t depth = PyList_GET_SIZE(stack);
    if (depth == 0)
        return 0;
    PyObject *top = PyList_GET_ITEM(stack, depth - 1);
    PyObject *content = list_slot(top, &open_content);
    if (content == NULL)
        return -1;
    Py_ssize_t room = max_kept - PyList_GET_SIZE(content), taken = 0;
    int status = take_run(seg, segments, state, slots, path, content, room, &taken);
    Py_DECREF(content);
    if (taken && slot_set(&open_frozen, top, Py_None) < 0)
        status = -1;
    if (taken > room && add_dropped(top, taken - room) < 0)
        status = -1;
    return status;
}

/* Quiet runs and remembered steps, in turn, until a segment is left for the Python loop or
 * a step handed out items (then `*seg` is that step's segment, taken). */
static int
take_steps_run(PyObject **seg, PyObject *segments, PyObject **state, PyObject *slots,
               Events *ev, Assembly *open, Py_ssize_t max_kept)
{
    int status = 0;
    while (*seg != Py_None) {
        status = take_quiet_into(seg, segments, state, slots, ev->set_path, open->stack,
                                 max_kept);
        if (status < 0 || *seg == Py_None)
            break;
        Py_ssize_t handed_out = PyList_GET_SIZE(open->done);
        status = take_known_step(*seg, state, slots, ev, open, max_kept);
        if (status <= 0 || PyList_GET_SIZE(open->done) > handed_out)
            break;
        PyObject *next = PyIter_Next(segments);
        if (next == NULL && PyErr_Occurred()) {
            status = -1;
            break;
        }
        Py_SETREF(*seg, next ? next : Py_NewRef(Py_None));
    }
    return status < 0 ? -1 : 0;
}

static PyObject *
take_steps(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "take_steps(seg, segments, walker, events, "
                                         "assembler, done, max_kept) takes 7 arguments");
        return NULL;
    }
    PyObject *segments = args[1], *walker = args[2], *events = args[3], *assembler = args[4];
    if (set_edges == NULL || open_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "x12kit._walk.bind() or bind_loops() was not called");
        return NULL;
    }
    if (!PyIter_Check(segments) || !PyList_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError, "take_steps wants an iterator of segments and a list");
        return NULL;
    }
    Py_ssize_t max_kept = PyLong_AsSsize_t(args[6]);
    if (max_kept == -1 && PyErr_Occurred())
        return NULL;
    Assembly open = {NULL, NULL, args[5]};
    PyObject *moves = NULL, *slots = NULL, *state = NULL;
    open.stack = list_slot(assembler, &assembler_stack);
    open.items = open.stack ? slot_get(&assembler_items, assembler) : NULL;
    if (open.items != NULL && !PyAnySet_Check(open.items))
        PyErr_SetString(PyExc_TypeError, "ItemAssembler._items is not a set");
    else if (open.items != NULL && (moves = slot_get(&walker_moves, walker)))
        slots = PyObject_GetAttr(moves, str_slots);
    if (slots != NULL && !PyDict_Check(slots))
        PyErr_SetString(PyExc_TypeError, "Moves.slots is not a dict");
    else if (slots != NULL)
        state = slot_get(&walker_state, walker);
    Py_XDECREF(moves);
    Events ev;
    if (state == NULL || events_read(&ev, events, assembler) < 0) {
        if (state != NULL)
            events_keep(&ev, events, assembler, -1);
        Py_XDECREF(state);
        Py_XDECREF(open.stack);
        Py_XDECREF(open.items);
        Py_XDECREF(slots);
        return NULL;
    }
    PyObject *seg = Py_NewRef(args[0]);
    int status = take_steps_run(&seg, segments, &state, slots, &ev, &open, max_kept);
    /* where the segments taken led, whether or not the run ended in an error */
    status = keep_state(walker, state, status);
    status = events_keep(&ev, events, assembler, status);
    Py_DECREF(state);
    Py_DECREF(slots);
    Py_DECREF(open.stack);
    Py_DECREF(open.items);
    if (status < 0) {
        Py_DECREF(seg);
        return NULL;
    }
    return seg;
}

static PyObject *
bind_loops(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyType_Check(args[0])
            || !PyType_IsSubtype((PyTypeObject *)args[1], &PyTuple_Type)
            || !PyType_IsSubtype((PyTypeObject *)args[2], &PyTuple_Type)
            || !PyFrozenSet_Check(args[3]) || !PyFrozenSet_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "bind_loops wants tree._Open, tree.Loop, tree.Item, "
                                         "tree._OUTER_LOOPS and tree._ENVELOPE_LOOPS");
        return NULL;
    }
    Py_XSETREF(open_type, Py_NewRef(args[0]));
    Py_XSETREF(loop_type, Py_NewRef(args[1]));
    Py_XSETREF(item_type, Py_NewRef(args[2]));
    Py_XSETREF(outer_loops, Py_NewRef(args[3]));
    Py_XSETREF(envelope_loops, Py_NewRef(args[4]));
    Py_RETURN_NONE;
}

static PyObject *
bind(PyObject *module, PyObject *edges)
{
    if (!PyFrozenSet_Check(edges)) {
        PyErr_SetString(PyExc_TypeError, "bind wants segment.SET_EDGES, a frozenset");
        return NULL;
    }
    Py_XSETREF(set_edges, Py_NewRef(edges));
    for (int i = 0; i < 1 << GOING_IDS_BITS; i++)
        Py_CLEAR(going_ids[i]);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"take_quiet", (PyCFunction)(void (*)(void))take_quiet, METH_FASTCALL,
     "take_quiet(seg, segments, walker, path, into, room) -> (first segment not taken or "
     "None, how many were taken)"},
    {"take_steps", (PyCFunction)(void (*)(void))take_steps, METH_FASTCALL,
     "take_steps(seg, segments, walker, events, assembler, done, max_kept) -> the first "
     "segment left for the Python loop, None at the end, or, where items closed (appended "
     "to done), the segment that closed them, taken"},
    {"bind", bind, METH_O, "bind(SET_EDGES): the segment ids a quiet run stops at, once"},
    {"bind_loops", (PyCFunction)(void (*)(void))bind_loops, METH_FASTCALL,
     "bind_loops(tree._Open, tree.Loop, tree.Item, tree._OUTER_LOOPS, tree._ENVELOPE_LOOPS): "
     "what take_steps makes and where it stops, once"},
    {NULL}
};

static struct PyModuleDef walk_module = {
    PyModuleDef_HEAD_INIT, "x12kit._walk", "The model reader's runs in C.", -1, module_methods,
};

PyMODINIT_FUNC
PyInit__walk(void)
{
    if ((str_slots = PyUnicode_InternFromString("slots")) == NULL)
        return NULL;
    return PyModule_Create(&walk_module);
}

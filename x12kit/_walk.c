/* x12kit._walk: quiet runs of the walk in C.
 *
 * x12kit/walk/quiet.py is the specification: py_take_quiet(seg, segments, walker, path,
 * into, room) takes a run of quiet segments of an open transaction set (those that stay in
 * the loop of the segment before, open nothing and find nothing) and hands back the first
 * segment that needs the full walk. This is the same function, without the interpreter's
 * per-segment overhead. For each segment it
 *
 *   stops at ST, SE, an envelope segment (segment.SET_EDGES) or an HL,
 *   looks up the move the walker remembers for it from the current state (by segment id,
 *   and by identifying code where the id has them: Walker._remembered, states.Moves.slots),
 *   and stops where there is none, or where the move leads elsewhere than `path` (another
 *   path object), enters a loop or carries findings,
 *   moves the state on and appends the segment to `into` while fewer than `room` were taken.
 *
 * The walker's state lives in walker._state between segments; this module reads it on
 * entry and writes it back on exit (also when the segment iterator raises, as the
 * specification leaves it). tests/test_walk_quiet.py checks that both give the same models.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_moves.h"

/* Set by bind(): segment.SET_EDGES. */
static PyObject *set_edges = NULL;
static PyObject *str_state, *str_moves, *str_moves_of_walker, *str_slots;

/* True for the two-letter id "HL": the walker checks its hierarchy in full. */
static int
is_hl(PyObject *sid)
{
    return PyUnicode_GET_LENGTH(sid) == 2 && PyUnicode_READ_CHAR(sid, 0) == 'H'
           && PyUnicode_READ_CHAR(sid, 1) == 'L';
}

/* Whether a remembered move keeps a segment quiet: 1 yes, 0 no, -1 error. */
static int
stays_quiet(PyObject *move, PyObject *path)
{
    if (!PyTuple_Check(move) || PyTuple_GET_SIZE(move) != 2
            || !PyTuple_Check(PyTuple_GET_ITEM(move, 1))
            || PyTuple_GET_SIZE(PyTuple_GET_ITEM(move, 1)) != 5) {
        PyErr_SetString(PyExc_TypeError, "a remembered move must be (state, 5 Placed fields)");
        return -1;
    }
    /* (loop_id, path, definition, entered, findings) */
    PyObject *fields = PyTuple_GET_ITEM(move, 1);
    if (PyTuple_GET_ITEM(fields, 1) != path)
        return 0;
    int entered = PyObject_IsTrue(PyTuple_GET_ITEM(fields, 3));
    if (entered != 0)
        return entered < 0 ? -1 : 0;
    int findings = PyObject_IsTrue(PyTuple_GET_ITEM(fields, 4));
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
        int edge = PySet_Contains(set_edges, sid);
        if (edge < 0)
            return -1;
        if (edge || is_hl(sid))
            return 0;
        PyObject *move = remembered(*state, str_moves, slots, elements, delimiters, sid);
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
    PyObject *moves = PyObject_GetAttr(walker, str_moves_of_walker);
    if (moves == NULL)
        return NULL;
    PyObject *slots = PyObject_GetAttr(moves, str_slots);
    Py_DECREF(moves);
    if (slots == NULL)
        return NULL;
    PyObject *state = PyDict_Check(slots) ? PyObject_GetAttr(walker, str_state) : NULL;
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
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    if (PyObject_SetAttr(walker, str_state, state) < 0) {
        if (status == 0)
            status = -1;
        else
            PyErr_Clear();
    }
    if (type != NULL)
        PyErr_Restore(type, value, traceback);
    Py_DECREF(state);
    Py_DECREF(slots);
    if (status < 0) {
        Py_DECREF(seg);
        return NULL;
    }
    return Py_BuildValue("(Nn)", seg, taken);
}

static PyObject *
bind(PyObject *module, PyObject *edges)
{
    if (!PyFrozenSet_Check(edges)) {
        PyErr_SetString(PyExc_TypeError, "bind wants segment.SET_EDGES, a frozenset");
        return NULL;
    }
    Py_XSETREF(set_edges, Py_NewRef(edges));
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"take_quiet", (PyCFunction)(void (*)(void))take_quiet, METH_FASTCALL,
     "take_quiet(seg, segments, walker, path, into, room) -> (first segment not taken or "
     "None, how many were taken)"},
    {"bind", bind, METH_O, "bind(SET_EDGES): the segment ids a quiet run stops at, once"},
    {NULL}
};

static struct PyModuleDef walk_module = {
    PyModuleDef_HEAD_INIT, "x12kit._walk", "Quiet runs of the walk in C.", -1, module_methods,
};

PyMODINIT_FUNC
PyInit__walk(void)
{
    str_state = PyUnicode_InternFromString("_state");
    str_moves = PyUnicode_InternFromString("moves");
    str_moves_of_walker = PyUnicode_InternFromString("_moves");
    str_slots = PyUnicode_InternFromString("slots");
    if (!str_state || !str_moves || !str_moves_of_walker || !str_slots)
        return NULL;
    return PyModule_Create(&walk_module);
}

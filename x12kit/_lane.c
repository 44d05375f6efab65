/* x12kit._lane: the validation pipeline's fast lane in C.
 *
 * x12kit/validate/lane.py is the specification: class PyLane, method take(seg, walker,
 * handlers), which takes a run of ordinary segments of an open transaction set and hands
 * back the first segment that needs the pipeline's full treatment. This is the same class,
 * without the interpreter's per-segment overhead. For each segment it
 *
 *   stops at ST, SE, an envelope segment or a segment cut off at the end of the input,
 *   counts it (the envelope stage's whole business with it),
 *   takes the move the set's walker remembers for it from the current state (by segment id,
 *   and by identifying code where the id has them: Walker._remembered), or calls back
 *   slow(walker, seg) for a new move or an HL,
 *   looks its text up among the texts already found clean for its definition, or matches
 *   it with the pattern elements.check_segment compiled for the definition, or else calls
 *   back elements(seg, fields), remembering the text when it is clean,
 *   and calls the set's rule handlers for its id with its Placed, filing what they find
 *   with file(found, placed).
 *
 * The walker's current state lives in walker._state between segments, as Walker.step
 * keeps it; this module reads it on entry and after each slow call, and writes it back
 * before a slow call and on exit. tests/test_lane.py checks that both classes give the
 * same reports.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_moves.h"

/* Clean texts remembered per segment definition, and definitions remembered: the bounds of
 * elements.py (_MAX_CLEAN, _MAX_MATCHERS). As there, a text with exactly count - 1 element
 * separators stands for its elements: with the same definition and delimiters, equal texts
 * of as many elements get equal findings. */
#define MAX_CLEAN 1024
#define MAX_DEFINITIONS 4096

/* Set by bind(): segment.SET_EDGES, walker.Placed and elements.compiled. */
static PyObject *set_edges = NULL;
static PyTypeObject *placed_type = NULL;
static PyObject *compiled = NULL;
/* id(definition) -> (definition, delimiters, {element count: [the compiled pattern's
 * fullmatch (False: none, None: not compiled yet), set of segment texts found clean]}) */
static PyObject *clean_texts = NULL;
static PyObject *str_slots;

typedef struct {
    PyObject_HEAD
    PyObject *segments;   /* the iterator the caller also reads */
    PyObject *elements;   /* callable, or None: no element checks */
    PyObject *file;
    PyObject *slow;
} Lane;

static int
lane_traverse(Lane *self, visitproc visit, void *arg)
{
    Py_VISIT(self->segments);
    Py_VISIT(self->elements);
    Py_VISIT(self->file);
    Py_VISIT(self->slow);
    return 0;
}

static int
lane_clear(Lane *self)
{
    Py_CLEAR(self->segments);
    Py_CLEAR(self->elements);
    Py_CLEAR(self->file);
    Py_CLEAR(self->slow);
    return 0;
}

static void
lane_dealloc(Lane *self)
{
    PyObject_GC_UnTrack(self);
    lane_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
lane_init(Lane *self, PyObject *args, PyObject *kwds)
{
    static char *names[] = {"segments", "elements", "file", "slow", NULL};
    PyObject *segments, *elements, *file, *slow;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOO:Lane", names,
                                     &segments, &elements, &file, &slow))
        return -1;
    if (set_edges == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "x12kit._lane.bind() was not called");
        return -1;
    }
    Py_INCREF(segments);
    Py_INCREF(elements);
    Py_INCREF(file);
    Py_INCREF(slow);
    lane_clear(self);
    self->segments = segments;
    self->elements = elements;
    self->file = file;
    self->slow = slow;
    return 0;
}

/* True for a two-letter id "HL" or "ST": the walker checks their hierarchy in full. */
static int
is_hl_or_st(PyObject *sid)
{
    if (PyUnicode_GET_LENGTH(sid) != 2)
        return 0;
    Py_UCS4 a = PyUnicode_READ_CHAR(sid, 0), b = PyUnicode_READ_CHAR(sid, 1);
    return (a == 'H' && b == 'L') || (a == 'S' && b == 'T');
}

/* A new entry of clean_texts for the definition (borrowed from the dict), NULL on error. */
static PyObject *
new_entry(PyObject *key, PyObject *definition, PyObject *delimiters)
{
    if (PyDict_GET_SIZE(clean_texts) >= MAX_DEFINITIONS)
        PyDict_Clear(clean_texts);
    PyObject *by_count = PyDict_New(), *entry = NULL;
    if (by_count != NULL)
        entry = PyTuple_Pack(3, definition, delimiters, by_count);
    Py_XDECREF(by_count);
    if (entry == NULL || PyDict_SetItem(clean_texts, key, entry) < 0) {
        Py_XDECREF(entry);
        return NULL;
    }
    Py_DECREF(entry);  /* the dict holds it */
    return entry;
}

/* The [fullmatch, clean texts] of an entry for segments of `count` elements (borrowed),
 * made on first use; NULL on error. */
static PyObject *
count_slot(PyObject *entry, Py_ssize_t count)
{
    PyObject *by_count = PyTuple_GET_ITEM(entry, 2);
    PyObject *key = PyLong_FromSsize_t(count);
    if (key == NULL)
        return NULL;
    PyObject *slot = PyDict_GetItemWithError(by_count, key);
    if (slot == NULL && !PyErr_Occurred()) {
        PyObject *texts = PySet_New(NULL);
        slot = texts ? Py_BuildValue("[ON]", Py_None, texts) : NULL;
        if (slot != NULL && PyDict_SetItem(by_count, key, slot) < 0)
            Py_CLEAR(slot);
        Py_XDECREF(slot);  /* the dict holds it */
    }
    Py_DECREF(key);
    return slot;
}

/* Whether the compiled pattern of the slot matches `text`: 1 yes (the segment is clean), 0
 * no or no pattern, -1 error. The pattern is asked of elements.compiled until it is there
 * (check_segment compiles it after a few uses), then kept in the slot. */
static int
pattern_matches(PyObject *slot, PyObject *definition, PyObject *delimiters, Py_ssize_t count,
                PyObject *text)
{
    PyObject *match = PyList_GET_ITEM(slot, 0);
    if (match == Py_None) {
        match = PyObject_CallFunction(compiled, "OOn", definition, delimiters, count);
        if (match == NULL)
            return -1;
        PyList_SET_ITEM(slot, 0, match);  /* the reference of None goes below */
        Py_DECREF(Py_None);
    }
    if (match == Py_None || match == Py_False)
        return 0;
    Py_INCREF(match);
    PyObject *result = PyObject_CallOneArg(match, text);
    Py_DECREF(match);
    if (result == NULL)
        return -1;
    int matched = result != Py_None && PyObject_IsTrue(result);
    Py_DECREF(result);
    return matched;
}

/* The element checks of a placed segment (elements.check_segment, through the pipeline's
 * callback where the text is not known clean): 0 done, -1 error. */
static int
check_elements(PyObject *elements_check, PyObject *seg, PyObject *fields)
{
    PyObject *elements = PyTuple_GET_ITEM(seg, 0), *delimiters = PyTuple_GET_ITEM(seg, 4);
    PyObject *definition = PyTuple_GET_ITEM(fields, 2);
    Py_ssize_t count = PyTuple_GET_SIZE(elements);
    PyObject *key = PyLong_FromVoidPtr(definition), *entry = NULL, *text = NULL;
    if (key == NULL)
        return -1;
    entry = PyDict_GetItemWithError(clean_texts, key);  /* borrowed */
    if (entry == NULL && PyErr_Occurred())
        goto fail;
    if (entry != NULL && PyTuple_GET_ITEM(entry, 0) == definition) {
        PyObject *known = PyTuple_GET_ITEM(entry, 1);
        int same = known == delimiters ? 1 : PyObject_RichCompareBool(known, delimiters, Py_EQ);
        if (same < 0)
            goto fail;
        if (!same)
            entry = NULL;
    }
    else
        entry = NULL;
    if (entry == NULL) {
        /* none yet, another definition at a reused id, or other delimiters (the entry is
         * for the delimiters met last, as elements.py keeps its patterns) */
        entry = new_entry(key, definition, delimiters);
        if (entry == NULL)
            goto fail;
    }
    Py_INCREF(entry);  /* a callback below may clear the dict */
    int clean = 0, proven = 0;
    PyObject *slot = count_slot(entry, count);
    text = slot ? PyUnicode_Join(PyTuple_GET_ITEM(delimiters, 0), elements) : NULL;
    if (text == NULL)
        goto fail_entry;
    clean = PySet_Contains(PyList_GET_ITEM(slot, 1), text);
    if (clean)
        goto done;  /* or failed */
    clean = proven = pattern_matches(slot, definition, delimiters, count, text);
    if (clean < 0)
        goto fail_entry;
    if (!clean) {
        PyObject *result = PyObject_CallFunctionObjArgs(elements_check, seg, fields, NULL);
        if (result == NULL)
            goto fail_entry;
        clean = PyObject_IsTrue(result);
        Py_DECREF(result);
        /* a text stands for its elements only where none of them holds a separator (a
         * pattern's match proves that) */
        if (clean > 0) {
            Py_ssize_t separators = PyUnicode_Count(text, PyTuple_GET_ITEM(delimiters, 0), 0,
                                                    PY_SSIZE_T_MAX);
            if (separators < 0)
                goto fail_entry;
            proven = separators == count - 1;
        }
    }
    PyObject *texts = PyList_GET_ITEM(slot, 1);
    if (clean > 0 && proven && PySet_GET_SIZE(texts) < MAX_CLEAN && PySet_Add(texts, text) < 0)
        clean = -1;
done:
    Py_XDECREF(text);
    Py_DECREF(entry);
    Py_DECREF(key);
    return clean < 0 ? -1 : 0;
fail_entry:
    Py_XDECREF(text);
    Py_DECREF(entry);
fail:
    Py_DECREF(key);
    return -1;
}

/* The rule handlers of the segment's id, each called with its Placed: 0 done, -1 error. */
static int
apply_rules(Lane *self, PyObject *found_by, PyObject *seg, PyObject *fields)
{
    if (PyTuple_GET_SIZE(fields) != 5) {
        PyErr_SetString(PyExc_TypeError, "a remembered move must carry 5 Placed fields");
        return -1;
    }
    PyObject *handlers = PySequence_Fast(found_by, "rule handlers must be a sequence");
    if (handlers == NULL)
        return -1;
    /* Placed is a tuple subclass without a __dict__: allocated and filled as tuple.__new__
     * fills one */
    PyObject *placed = placed_type->tp_alloc(placed_type, 6);
    if (placed == NULL) {
        Py_DECREF(handlers);
        return -1;
    }
    PyTuple_SET_ITEM(placed, 0, Py_NewRef(seg));
    for (Py_ssize_t i = 0; i < 5; i++)
        PyTuple_SET_ITEM(placed, i + 1, Py_NewRef(PyTuple_GET_ITEM(fields, i)));
    int status = 0;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(handlers);
    for (Py_ssize_t i = 0; i < n && status == 0; i++) {
        PyObject *found = PyObject_CallOneArg(PySequence_Fast_GET_ITEM(handlers, i), placed);
        if (found == NULL) {
            status = -1;
            break;
        }
        int any = PyObject_IsTrue(found);
        if (any < 0)
            status = -1;
        else if (any) {
            PyObject *r = PyObject_CallFunctionObjArgs(self->file, found, placed, NULL);
            if (r == NULL)
                status = -1;
            Py_XDECREF(r);
        }
        Py_DECREF(found);
    }
    Py_DECREF(placed);
    Py_DECREF(handlers);
    return status;
}

/* Take one segment the walker may place: 0 done, -1 error. `*state` is the walker's state,
 * a strong reference, replaced by the state after the segment. */
static int
take_one(Lane *self, PyObject *walker, PyObject **state, PyObject *slots, PyObject *handlers,
         PyObject *seg, PyObject *elements, PyObject *sid)
{
    PyObject *move = is_hl_or_st(sid) ? NULL
                     : remembered(*state, slots, elements,
                                  PyTuple_GET_ITEM(seg, 4), sid);
    if (move == NULL) {
        if (PyErr_Occurred())
            return -1;
        /* a new move or an HL: placed in full by the pipeline, which moves the state */
        if (slot_set(&walker_state, walker, *state) < 0)
            return -1;
        PyObject *r = PyObject_CallFunctionObjArgs(self->slow, walker, seg, NULL);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
        PyObject *after = slot_get(&walker_state, walker);
        if (after == NULL)
            return -1;
        Py_SETREF(*state, after);
        return 0;
    }
    if (!PyTuple_Check(move) || PyTuple_GET_SIZE(move) != 2
            || !PyTuple_Check(PyTuple_GET_ITEM(move, 1))) {
        PyErr_SetString(PyExc_TypeError, "a remembered move must be (state, fields)");
        return -1;
    }
    PyObject *fields = Py_NewRef(PyTuple_GET_ITEM(move, 1));  /* outlives the old state */
    Py_SETREF(*state, Py_NewRef(PyTuple_GET_ITEM(move, 0)));
    int status = 0;
    if (self->elements != Py_None)
        status = check_elements(self->elements, seg, fields);
    if (status == 0) {
        PyObject *found_by = PyDict_GetItemWithError(handlers, sid);
        if (found_by != NULL)
            status = apply_rules(self, found_by, seg, fields);
        else if (PyErr_Occurred())
            status = -1;
    }
    Py_DECREF(fields);
    return status;
}

static PyObject *
lane_take(Lane *self, PyObject *args)
{
    PyObject *seg, *walker, *handlers;
    if (!PyArg_ParseTuple(args, "OOO!:take", &seg, &walker, &PyDict_Type, &handlers))
        return NULL;
    PyObject *state = NULL, *slots = NULL, *last = NULL;
    Py_ssize_t count = 0;
    if (walker != Py_None) {
        PyObject *moves = slot_get(&walker_moves, walker);
        if (moves == NULL)
            return NULL;
        slots = PyObject_GetAttr(moves, str_slots);
        Py_DECREF(moves);
        if (slots == NULL)
            return NULL;
        if (!PyDict_Check(slots)) {
            PyErr_SetString(PyExc_TypeError, "Moves.slots is not a dict");
            goto fail;
        }
        state = slot_get(&walker_state, walker);
        if (state == NULL)
            goto fail;
    }
    Py_INCREF(seg);
    while (seg != Py_None) {
        if (!PyTuple_Check(seg) || PyTuple_GET_SIZE(seg) < 6
                || !PyTuple_Check(PyTuple_GET_ITEM(seg, 0))
                || PyTuple_GET_SIZE(PyTuple_GET_ITEM(seg, 0)) < 1
                || !PyTuple_Check(PyTuple_GET_ITEM(seg, 4))
                || PyTuple_GET_SIZE(PyTuple_GET_ITEM(seg, 4)) < 4) {
            PyErr_SetString(PyExc_TypeError, "Lane.take expects Segment values");
            goto fail_seg;
        }
        PyObject *elements = PyTuple_GET_ITEM(seg, 0);
        PyObject *sid = PyTuple_GET_ITEM(elements, 0);
        if (!PyUnicode_Check(sid)) {
            PyErr_SetString(PyExc_TypeError, "a segment id must be str");
            goto fail_seg;
        }
        int edge = PySet_Contains(set_edges, sid);
        if (edge < 0)
            goto fail_seg;
        if (edge)
            break;
        PyObject *layout = PyTuple_GET_ITEM(seg, 5);
        PyObject *terminated = PyTuple_Check(layout) && PyTuple_GET_SIZE(layout) >= 3
                               ? PyTuple_GET_ITEM(layout, 2) : NULL;
        int whole = terminated == Py_True ? 1
                    : terminated == NULL ? -1 : PyObject_IsTrue(terminated);
        if (whole < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "a segment's layout must be a Layout");
            goto fail_seg;
        }
        if (!whole)
            break;
        count++;
        Py_XSETREF(last, Py_NewRef(seg));
        if (walker != Py_None
                && take_one(self, walker, &state, slots, handlers, seg, elements, sid) < 0)
            goto fail_seg;
        Py_DECREF(seg);
        seg = PyIter_Next(self->segments);
        if (seg == NULL) {
            if (PyErr_Occurred())
                goto fail;
            seg = Py_NewRef(Py_None);
        }
    }
    if (state != NULL && slot_set(&walker_state, walker, state) < 0)
        goto fail_seg;
    PyObject *result = Py_BuildValue("(NnN)", seg, count, last ? last : Py_NewRef(Py_None));
    Py_XDECREF(state);
    Py_XDECREF(slots);
    return result;
fail_seg:
    Py_DECREF(seg);
fail:
    Py_XDECREF(state);
    Py_XDECREF(slots);
    Py_XDECREF(last);
    return NULL;
}

static PyMethodDef lane_methods[] = {
    {"take", (PyCFunction)lane_take, METH_VARARGS,
     "take(seg, walker, handlers) -> (first segment not taken or None, count, last taken)"},
    {NULL}
};

static PyTypeObject LaneType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "x12kit._lane.Lane",
    .tp_basicsize = sizeof(Lane),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Takes runs of ordinary segments of an open set (see x12kit/validate/lane.py).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)lane_init,
    .tp_dealloc = (destructor)lane_dealloc,
    .tp_traverse = (traverseproc)lane_traverse,
    .tp_clear = (inquiry)lane_clear,
    .tp_methods = lane_methods,
};

static PyObject *
bind(PyObject *module, PyObject *args)
{
    PyObject *edges, *placed, *patterns;
    if (!PyArg_ParseTuple(args, "O!O!O:bind", &PyFrozenSet_Type, &edges, &PyType_Type, &placed,
                          &patterns))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)placed, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Placed must be a tuple subclass");
        return NULL;
    }
    Py_XSETREF(set_edges, Py_NewRef(edges));
    Py_XSETREF(placed_type, (PyTypeObject *)Py_NewRef(placed));
    Py_XSETREF(compiled, Py_NewRef(patterns));
    Py_RETURN_NONE;
}

static PyObject *
forget(PyObject *module, PyObject *unused)
{
    PyDict_Clear(clean_texts);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"bind", bind, METH_VARARGS, "bind(SET_EDGES, Placed, compiled): the pipeline's values, once"},
    {"forget", forget, METH_NOARGS, "forget the element texts remembered clean"},
    {NULL}
};

static struct PyModuleDef lane_module = {
    PyModuleDef_HEAD_INIT, "x12kit._lane", "The validation pipeline's fast lane in C.", -1,
    module_methods,
};

PyMODINIT_FUNC
PyInit__lane(void)
{
    if (PyType_Ready(&LaneType) < 0)
        return NULL;
    clean_texts = PyDict_New();
    str_slots = PyUnicode_InternFromString("slots");
    if (!clean_texts || !str_slots)
        return NULL;
    PyObject *module = PyModule_Create(&lane_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Lane", (PyObject *)&LaneType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}

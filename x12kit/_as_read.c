/* x12kit._as_read: the generator's shortcut for models left as read, in C.
 *
 * x12kit/generate/as_read.py is the specification; each function here is its py_ namesake
 * without the interpreter's per-entry overhead:
 *
 *   shape_within(loop, budget)  what steers how the typed path writes the loop, in two
 *                               parts, (outline, child shapes) (py_shape_within); None
 *                               where the loop holds more than `budget` entries
 *   as_written(loop, hl)        the loop's segments as read, its HL and its child
 *                               loops' LX numbered (py_as_written)
 *
 * and, for x12kit/writer.py, the text that Writer.write_many writes for such segments:
 *
 *   joined(segments, target, end, kept_out)  each segment's elements joined by target's
 *                               element separator, each ended by `end`; None unless every
 *                               one is a Segment read with `target` separators and none
 *                               has an id of `kept_out` (writer.py_joined; it needs no
 *                               bind())
 *
 * The generator asks all three of every claim it writes as read, so they were most of its
 * time in Python. A segment whose numbers differ from the ones the writer gives is
 * renumbered by the Python `numbered` that bind() gives (rare: a file read is numbered
 * already).
 *
 * Segment, Delimiters and Loop are read by field position: tests/test_models_fields.py pins
 * their _fields; tests/test_as_read_c.py holds both ways to the same results.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define SEGMENT_ELEMENTS 0      /* Segment.elements */
#define SEGMENT_DELIMITERS 4    /* Segment.delimiters */
#define DELIMITERS_COMPONENT 1  /* Delimiters.component */
#define LOOP_ID 0               /* Loop.id */
#define LOOP_CONTENT 1          /* Loop.content */

/* Set by bind(). */
static PyObject *segment_type, *repeated, *renumbered, *numbered, *level_id, *line_id;
static Py_ssize_t code_size;
static PyObject *empty;  /* "" */

static int
bound(void)
{
    if (segment_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "x12kit._as_read.bind() was not called");
        return 0;
    }
    return 1;
}

/* The content of a Loop (borrowed), NULL with a TypeError. */
static PyObject *
content_of(PyObject *loop)
{
    if (!PyTuple_Check(loop) || PyTuple_GET_SIZE(loop) < 2
            || !PyTuple_Check(PyTuple_GET_ITEM(loop, LOOP_CONTENT))) {
        PyErr_SetString(PyExc_TypeError, "a Loop was expected");
        return NULL;
    }
    return PyTuple_GET_ITEM(loop, LOOP_CONTENT);
}

/* The elements of a Segment (borrowed), NULL with a TypeError. */
static PyObject *
elements_of(PyObject *seg)
{
    PyObject *elements = PyTuple_GET_ITEM(seg, SEGMENT_ELEMENTS);
    if (!PyTuple_Check(elements) || PyTuple_GET_SIZE(elements) < 1) {
        PyErr_SetString(PyExc_TypeError, "a Segment's elements must be a tuple of str");
        return NULL;
    }
    return elements;
}

/* `text` up to the first `separator` (str.partition(separator)[0]); a new reference. */
static PyObject *
before(PyObject *text, PyObject *separator)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "an element must be a str");
        return NULL;
    }
    Py_ssize_t at = PyUnicode_Find(text, separator, 0, PY_SSIZE_T_MAX, 1);
    if (at == -2)
        return NULL;
    return at < 0 ? Py_NewRef(text) : PyUnicode_Substring(text, 0, at);
}

/* A segment's entry in a shape: (id, the components' first parts) where every element
 * from 01 is a composite, (id, 01's first part, element count) where 01 is and others are
 * not, else (id, 01 where it is a short code and the id is not renumbered, or None). */
static PyObject *
segment_shape(PyObject *seg)
{
    PyObject *e = elements_of(seg);
    if (e == NULL)
        return NULL;
    PyObject *delimiters = PyTuple_GET_ITEM(seg, SEGMENT_DELIMITERS);
    if (!PyTuple_Check(delimiters) || PyTuple_GET_SIZE(delimiters) <= DELIMITERS_COMPONENT) {
        PyErr_SetString(PyExc_TypeError, "a Segment's delimiters must be Delimiters");
        return NULL;
    }
    PyObject *component = PyTuple_GET_ITEM(delimiters, DELIMITERS_COMPONENT);
    Py_ssize_t size = PyTuple_GET_SIZE(e);
    PyObject *id = PyTuple_GET_ITEM(e, 0);
    PyObject *first = size > 1 ? PyTuple_GET_ITEM(e, 1) : empty;
    int composite = PyUnicode_Contains(first, component);
    if (composite < 0)
        return NULL;
    if (!composite) {  /* (PyUnicode_Contains took both as str) */
        int code = PyUnicode_GET_LENGTH(first) <= code_size;
        if (code) {
            int renumbered_id = PySet_Contains(renumbered, id);
            if (renumbered_id < 0)
                return NULL;
            code = !renumbered_id;
        }
        return PyTuple_Pack(2, id, code ? first : Py_None);
    }
    for (Py_ssize_t n = 2; n < size; n++) {
        int found = PyUnicode_Contains(PyTuple_GET_ITEM(e, n), component);
        if (found < 0)
            return NULL;
        if (!found) {  /* a composite 01 among simple elements */
            PyObject *part = before(first, component);
            PyObject *count = part ? PyLong_FromSsize_t(size) : NULL;
            PyObject *found_shape = count ? PyTuple_Pack(3, id, part, count) : NULL;
            Py_XDECREF(part);
            Py_XDECREF(count);
            return found_shape;
        }
    }
    PyObject *parts = PyTuple_New(size - 1);
    if (parts == NULL)
        return NULL;
    for (Py_ssize_t n = 1; n < size; n++) {
        PyObject *part = before(PyTuple_GET_ITEM(e, n), component);
        if (part == NULL) {
            Py_DECREF(parts);
            return NULL;
        }
        PyTuple_SET_ITEM(parts, n - 1, part);
    }
    PyObject *found_shape = PyTuple_Pack(2, id, parts);
    Py_DECREF(parts);
    return found_shape;
}

/* as_read._add_run: a child loop's entry (a new reference, taken) added to a shape being
 * made, once for a run of equal ones, then one mark however many more; 0, or -1. */
static int
add_run(PyObject *found, PyObject *entry)
{
    Py_ssize_t count = PyList_GET_SIZE(found);
    PyObject *last = PyList_GET_ITEM(found, count - 1);  /* found[0] is the loop's id */
    PyObject *added = entry;
    int same = PyObject_RichCompareBool(entry, last, Py_EQ);
    if (same > 0)
        added = repeated;
    else if (same == 0 && last == repeated) {
        same = PyObject_RichCompareBool(PyList_GET_ITEM(found, count - 2), entry, Py_EQ);
        if (same > 0)
            added = NULL;  /* the run goes on: marked already */
    }
    int failed = same < 0 || (added != NULL && PyList_Append(found, added) < 0);
    Py_DECREF(entry);
    return failed ? -1 : 0;
}

/* Takes a loop's entries from *budget: 0, or 1 where they went past it. */
static int
spend(PyObject *content, Py_ssize_t *budget)
{
    *budget -= PyTuple_GET_SIZE(content);
    return *budget < 0;
}

/* A new list holding the loop's id, where a shape starts. */
static PyObject *
shape_start(PyObject *loop)
{
    PyObject *found = PyList_New(1);
    if (found != NULL)
        PyList_SET_ITEM(found, 0, Py_NewRef(PyTuple_GET_ITEM(loop, LOOP_ID)));
    return found;
}

/* as_read._shape: the loop's shape into *out (a new reference); 0, 1 where the entries
 * went past *budget, -1 on error. */
static int
loop_shape(PyObject *loop, Py_ssize_t *budget, PyObject **out)
{
    PyObject *content = content_of(loop);
    if (content == NULL)
        return -1;
    if (spend(content, budget))
        return 1;
    PyObject *found = shape_start(loop);
    if (found == NULL)
        return -1;
    int status = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content) && status == 0; i++) {
        PyObject *entry = PyTuple_GET_ITEM(content, i), *entry_shape;
        if (Py_TYPE(entry) == (PyTypeObject *)segment_type) {
            entry_shape = segment_shape(entry);
            status = entry_shape == NULL ? -1 : PyList_Append(found, entry_shape);
            Py_XDECREF(entry_shape);
        } else if ((status = loop_shape(entry, budget, &entry_shape)) == 0)
            status = add_run(found, entry_shape);
    }
    *out = status == 0 ? PyList_AsTuple(found) : NULL;
    Py_DECREF(found);
    return status == 0 && *out == NULL ? -1 : status;
}

/* as_read._parts: (outline, child shapes) of the loop into *out (a new reference); 0, 1
 * where the entries went past *budget, -1 on error. */
static int
loop_parts(PyObject *loop, Py_ssize_t *budget, PyObject **out)
{
    PyObject *content = content_of(loop);
    if (content == NULL)
        return -1;
    if (spend(content, budget))
        return 1;
    PyObject *outline = shape_start(loop);
    PyObject *children = outline ? PyList_New(0) : NULL;
    int status = children ? 0 : -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content) && status == 0; i++) {
        PyObject *entry = PyTuple_GET_ITEM(content, i), *entry_shape;
        if (Py_TYPE(entry) == (PyTypeObject *)segment_type) {
            entry_shape = segment_shape(entry);
            status = entry_shape == NULL ? -1 : PyList_Append(outline, entry_shape);
            Py_XDECREF(entry_shape);
            continue;
        }
        if ((status = loop_shape(entry, budget, &entry_shape)) != 0)
            break;
        int known = PySequence_Contains(children, entry_shape);
        status = known < 0 || (!known && PyList_Append(children, entry_shape) < 0) ? -1 : 0;
        Py_DECREF(entry_shape);
        if (status == 0)
            status = add_run(outline, Py_NewRef(PyTuple_GET_ITEM(entry, LOOP_ID)));
    }
    if (status == 0) {
        PyObject *outline_tuple = PyList_AsTuple(outline);
        PyObject *children_tuple = outline_tuple ? PyList_AsTuple(children) : NULL;
        *out = children_tuple ? PyTuple_Pack(2, outline_tuple, children_tuple) : NULL;
        Py_XDECREF(outline_tuple);
        Py_XDECREF(children_tuple);
        if (*out == NULL)
            status = -1;
    }
    Py_XDECREF(outline);
    Py_XDECREF(children);
    return status;
}

static PyObject *
shape_within(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!bound())
        return NULL;
    if (nargs != 2 || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "shape_within(loop, budget): budget an int");
        return NULL;
    }
    Py_ssize_t budget = PyLong_AsSsize_t(args[1]);
    if (budget == -1 && PyErr_Occurred())
        return NULL;
    PyObject *found = NULL;
    int status = loop_parts(args[0], &budget, &found);
    if (status < 0)
        return NULL;
    return status ? Py_NewRef(Py_None) : found;
}

/* Is each {position: text} of `numbers` what the segment's elements hold already? */
static int
holds(PyObject *elements, PyObject *numbers)
{
    Py_ssize_t at = 0;
    PyObject *position, *text;
    while (PyDict_Next(numbers, &at, &position, &text)) {
        Py_ssize_t n = PyLong_AsSsize_t(position);
        if (n == -1 && PyErr_Occurred())
            return -1;
        if (n < 0 || n >= PyTuple_GET_SIZE(elements))
            return 0;
        int same = PyObject_RichCompareBool(PyTuple_GET_ITEM(elements, n), text, Py_EQ);
        if (same <= 0)
            return same;
    }
    return 1;
}

/* {1: str(number)}: the numbers of a child loop's LX (a new reference). */
static PyObject *
line_numbers(Py_ssize_t number)
{
    PyObject *position = PyLong_FromLong(1);
    PyObject *text = position ? PyUnicode_FromFormat("%zd", number) : NULL;
    PyObject *numbers = text ? PyDict_New() : NULL;
    if (numbers != NULL && PyDict_SetItem(numbers, position, text) < 0)
        Py_CLEAR(numbers);
    Py_XDECREF(position);
    Py_XDECREF(text);
    return numbers;
}

/* py_as_written's _append: the loop's segments onto `out`, with `numbers` ({position:
 * text}) laid over its first own segment of id `number_id` (none where `number_id` is
 * NULL), and each child loop's LX numbered by the child's place among its parent's loops
 * of its id. `numbers` NULL with `line` > 0 stands for {1: str(line)}, made when the LX is
 * met (a loop of no LX, an 835's 2110, makes none). 0, or -1 on error. */
static int
append_loop(PyObject *loop, PyObject *number_id, PyObject *numbers, Py_ssize_t line,
            PyObject *out)
{
    PyObject *content = content_of(loop);
    if (content == NULL)
        return -1;
    PyObject *counts = NULL;  /* child loop id -> how many so far, made at the first */
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content); i++) {
        PyObject *entry = PyTuple_GET_ITEM(content, i);
        if (Py_TYPE(entry) != (PyTypeObject *)segment_type) {
            if (content_of(entry) == NULL)
                goto fail;
            if (counts == NULL && (counts = PyDict_New()) == NULL)
                goto fail;
            PyObject *child_id = PyTuple_GET_ITEM(entry, LOOP_ID);
            PyObject *so_far = PyDict_GetItemWithError(counts, child_id);
            if (so_far == NULL && PyErr_Occurred())
                goto fail;
            Py_ssize_t n = so_far ? PyLong_AsSsize_t(so_far) + 1 : 1;
            PyObject *count = PyLong_FromSsize_t(n);
            int failed = count == NULL || PyDict_SetItem(counts, child_id, count) < 0
                         || append_loop(entry, line_id, NULL, n, out) < 0;
            Py_XDECREF(count);
            if (failed)
                goto fail;
            continue;
        }
        PyObject *e = elements_of(entry);
        if (e == NULL)
            goto fail;
        int ours = number_id != NULL
                   ? PyObject_RichCompareBool(PyTuple_GET_ITEM(e, 0), number_id, Py_EQ) : 0;
        if (ours < 0)
            goto fail;
        if (!ours) {
            if (PyList_Append(out, entry))
                goto fail;
            continue;
        }
        number_id = NULL;  /* the first of its id only */
        PyObject *wanted = numbers ? Py_NewRef(numbers) : line_numbers(line);
        int kept = wanted ? holds(e, wanted) : -1;
        PyObject *written = kept > 0 ? Py_NewRef(entry) : kept == 0
            ? PyObject_CallFunctionObjArgs(numbered, entry, wanted, NULL) : NULL;
        Py_XDECREF(wanted);
        if (written == NULL)
            goto fail;
        int failed = PyList_Append(out, written);
        Py_DECREF(written);
        if (failed)
            goto fail;
    }
    Py_XDECREF(counts);
    return 0;
fail:
    Py_XDECREF(counts);
    return -1;
}

static PyObject *
as_written(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!bound())
        return NULL;
    if (nargs < 1 || nargs > 2 || (nargs == 2 && args[1] != Py_None
                                   && !PyDict_Check(args[1]))) {
        PyErr_SetString(PyExc_TypeError, "as_written(loop, hl=None): hl a dict or None");
        return NULL;
    }
    PyObject *hl = nargs == 2 && args[1] != Py_None ? args[1] : NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (append_loop(args[0], hl ? level_id : NULL, hl, 0, out) < 0)
        Py_CLEAR(out);
    return out;
}

static PyObject *
joined(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyTuple_Check(args[1]) || PyTuple_GET_SIZE(args[1]) < 1
            || !PyUnicode_Check(PyTuple_GET_ITEM(args[1], 0)) || !PyUnicode_Check(args[2])
            || !PyAnySet_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "joined(segments, target, end, kept_out): segments, "
                                         "Delimiters, a str and a set");
        return NULL;
    }
    PyObject *segments = PySequence_Fast(args[0], "joined: the segments must be a sequence");
    if (segments == NULL)
        return NULL;
    PyObject *target = args[1], *end = args[2], *kept_out = args[3];
    PyObject *separator = PyTuple_GET_ITEM(target, 0);
    Py_ssize_t count = PySequence_Fast_GET_SIZE(segments);
    PyObject *texts = PyList_New(count + 1);  /* the last: "" so that `end` ends them all */
    if (texts == NULL) {
        Py_DECREF(segments);
        return NULL;
    }
    PyList_SET_ITEM(texts, count, Py_NewRef(empty));
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *seg = PySequence_Fast_GET_ITEM(segments, i);
        /* a Segment, or what stands for one (writer.py binds nothing) */
        if (!PyTuple_Check(seg) || PyTuple_GET_SIZE(seg) <= SEGMENT_DELIMITERS)
            goto other;
        PyObject *e = elements_of(seg);
        if (e == NULL)
            goto fail;
        int same = PyObject_RichCompareBool(PyTuple_GET_ITEM(seg, SEGMENT_DELIMITERS), target,
                                            Py_EQ);
        int kept = same > 0 ? PySet_Contains(kept_out, PyTuple_GET_ITEM(e, 0)) : 0;
        if (same < 0 || kept < 0)
            goto fail;
        if (!same || kept)
            goto other;
        PyObject *text = PyUnicode_Join(separator, e);
        if (text == NULL)
            goto fail;
        PyList_SET_ITEM(texts, i, text);
    }
    PyObject *found = PyUnicode_Join(end, texts);
    Py_DECREF(texts);
    Py_DECREF(segments);
    return found;
other:
    Py_DECREF(texts);
    Py_DECREF(segments);
    Py_RETURN_NONE;
fail:
    Py_DECREF(texts);
    Py_DECREF(segments);
    return NULL;
}

static PyObject *
bind(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyType_Check(args[0]) || !PyAnySet_Check(args[2])
            || !PyCallable_Check(args[3]) || !PyUnicode_Check(args[4])
            || !PyUnicode_Check(args[5]) || !PyLong_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError, "bind(Segment, REPEATED, RENUMBERED, _numbered, "
                                         "LEVEL_ID, LINE_ID, CODE_SIZE)");
        return NULL;
    }
    Py_ssize_t code = PyLong_AsSsize_t(args[6]);
    if (code < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "CODE_SIZE must not be negative");
        return NULL;
    }
    Py_XSETREF(segment_type, Py_NewRef(args[0]));
    Py_XSETREF(repeated, Py_NewRef(args[1]));
    Py_XSETREF(renumbered, Py_NewRef(args[2]));
    Py_XSETREF(numbered, Py_NewRef(args[3]));
    Py_XSETREF(level_id, Py_NewRef(args[4]));
    Py_XSETREF(line_id, Py_NewRef(args[5]));
    code_size = code;
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"shape_within", (PyCFunction)(void (*)(void))shape_within, METH_FASTCALL,
     "shape_within(loop, budget) -> (outline, child shapes): what steers how the typed "
     "path writes the loop, or None where it holds more than budget entries"},
    {"as_written", (PyCFunction)(void (*)(void))as_written, METH_FASTCALL,
     "as_written(loop, hl=None) -> the loop's segments as read, HL and LX numbered"},
    {"joined", (PyCFunction)(void (*)(void))joined, METH_FASTCALL,
     "joined(segments, target, end, kept_out) -> the text write_many writes for segments "
     "read with target's separators, or None"},
    {"bind", (PyCFunction)(void (*)(void))bind, METH_FASTCALL,
     "bind(Segment, REPEATED, RENUMBERED, _numbered, LEVEL_ID, LINE_ID, CODE_SIZE), once"},
    {NULL}
};

static struct PyModuleDef as_read_module = {
    PyModuleDef_HEAD_INIT, "x12kit._as_read",
    "The generator's shortcut for models left as read, in C.",
    -1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__as_read(void)
{
    empty = PyUnicode_InternFromString("");
    return empty ? PyModule_Create(&as_read_module) : NULL;
}

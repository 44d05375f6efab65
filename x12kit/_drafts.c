/* x12kit._drafts: a drafted segment that no file held, finished in C.
 *
 * x12kit/generate/draft.py is the specification: `finished` is what draft.finish gives for a
 * new segment (no base) when it finds no problem, without the interpreter's per-element
 * overhead. Where finish would report a problem, or where a value is of a kind this file
 * does not settle itself, `finished` returns None and finish does the work, problems and
 * all. So nothing here words a problem, and a fault needs no exact reason: only that there
 * is one.
 *
 *   bind(Segment, NO_LAYOUT, settle, Draft, kept, text, absent, Decimal, same_for)
 *       settle(value, allowed, out) is draft._settled_new: the text of a value that is
 *       neither text nor a composite's parts (a Period, a tuple of repetitions); kept,
 *       text and absent are draft._KEPT, draft.py_text and draft._absent; same_for(test,
 *       model) is a draft's `same` for a spec's test
 *   drafted(seg_id, rows, pointer_rows, defaults, same, model, where)
 *       draft.py_drafted: the Draft of one segment from a model by a spec's rows
 *   text(value)
 *       draft.py_text: a model value as element text
 *   matched(table, seg_id, values)
 *       tree.py_matched: the index of the SegmentDef a draft's values match in a loop's
 *       segment table (tree._segment_table)
 *   finished(seg_id, values, pointers, entries, formats, out)
 *       values    position -> text, or {component: text} for a composite (Draft.values)
 *       pointers  element reference -> JSON pointer (Draft.pointers): only what a table
 *                 row types is checked against the guide
 *       entries   draft._new_plan(definition)[0], () where nothing is checked: per defined
 *                 position (position, ref, required, rule, parts), rule
 *                 (codes, min_len, max_len, numeric, money) for a simple element, parts
 *                 ((component, ref, required, rule), ...) for a composite
 *       formats   position -> the date formats the guide allows there, or None
 *       out       the Delimiters written
 *
 * Faithful to draft._check with new=True and draft._fault; tests/test_drafts_c.py holds
 * the two ways to the same segments, and to None exactly where finish reports a problem.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

#define DELIMITER_COUNT 4       /* Delimiters: element, component, repetition, segment */
#define DELIMITERS_ELEMENT 0
#define DELIMITERS_COMPONENT 1
#define SEGMENT_FIELDS 6        /* Segment: elements, offset, number, set_position,
                                   delimiters, layout */

#define MAX_POSITION 128         /* positions (and components) beyond: finish's business */

#define DRAFT_FIELDS 8          /* Draft: id, values, pointers, where, defaults, given, same,
                                   whole */
#define FIELD 0                 /* a row's kinds (draft._FIELD ...) */
#define FIXED 1
#define READ 2
#define PART 3                  /* its source a draft.Part: (field, parts, n) */

static PyTypeObject *segment_type, *draft_type, *decimal_type;
static PyObject *no_layout, *settle, *kept, *text_fn, *absent_fn, *same_for, *empty;
static PyObject *fixed_point;  /* "f": Decimal's format without exponent */
static PyObject *numbers;  /* the ints 0..MAX_POSITION - 1, for lookups by position */

/* 1 where `value` holds none of the separators and meets `rule`, 0 where it does not (or
 * where only Python can tell: a digit outside ASCII), -1 on error. */
static int
meets(PyObject *value, PyObject *rule, PyObject *out)
{
    for (Py_ssize_t i = 0; i < DELIMITER_COUNT; i++) {
        PyObject *separator = PyTuple_GET_ITEM(out, i);
        if (PyUnicode_GET_LENGTH(separator) == 0)
            continue;
        int found = PyUnicode_Contains(value, separator);
        if (found != 0)
            return found < 0 ? -1 : 0;
    }
    PyObject *codes = PyTuple_GET_ITEM(rule, 0);
    if (codes != Py_None) {
        int found = PySet_Contains(codes, value);
        if (found <= 0)
            return found;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(value), size = length;
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    if (PyTuple_GET_ITEM(rule, 3) == Py_True) {  /* numeric: digits are counted */
        if (!PyUnicode_IS_ASCII(value))
            return 0;
        size = 0;
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            size += ch >= '0' && ch <= '9';
        }
    }
    Py_ssize_t min_len = PyLong_AsSsize_t(PyTuple_GET_ITEM(rule, 1));
    Py_ssize_t max_len = PyLong_AsSsize_t(PyTuple_GET_ITEM(rule, 2));
    if ((min_len == -1 || max_len == -1) && PyErr_Occurred())
        return -1;
    if (size > max_len || size < min_len)
        return 0;
    if (PyTuple_GET_ITEM(rule, 4) == Py_True) {  /* money: at most two decimals */
        Py_ssize_t dot = PyUnicode_FindChar(value, '.', 0, length, 1);
        if (dot >= 0) {
            Py_ssize_t next = PyUnicode_FindChar(value, '.', dot + 1, length, 1);
            if ((next < 0 ? length : next) - dot - 1 > 2)
                return 0;
        }
    }
    return 1;
}

/* 1 where `ref` is typed (a key of pointers) and `value` fails its rule: a fault; 0 where
 * it does not; -1 on error. */
static int
faulty(PyObject *value, PyObject *ref, PyObject *rule, PyObject *pointers, PyObject *out)
{
    int typed = PyDict_Contains(pointers, ref);
    if (typed <= 0)
        return typed;
    int ok = meets(value, rule, out);
    return ok < 0 ? -1 : !ok;
}

static int
is_entry(PyObject *entry, Py_ssize_t size)
{
    return PyTuple_Check(entry) && PyTuple_GET_SIZE(entry) == size;
}

/* 1 where the elements are clean by `entries` (draft._check, new=True, finds nothing), 0
 * where finish must look, -1 on error. */
static int
clean(PyObject *elements, PyObject *entries, PyObject *pointers, PyObject *out)
{
    Py_ssize_t count = PyList_GET_SIZE(elements);
    PyObject *component = PyTuple_GET_ITEM(out, DELIMITERS_COMPONENT);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(entries); i++) {
        PyObject *entry = PyTuple_GET_ITEM(entries, i);
        if (!is_entry(entry, 5)) {
            PyErr_SetString(PyExc_TypeError, "a plan entry was expected");
            return -1;
        }
        Py_ssize_t position = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0));
        if (position == -1 && PyErr_Occurred())
            return -1;
        PyObject *value = position < count ? PyList_GET_ITEM(elements, position) : empty;
        int present = PyUnicode_GET_LENGTH(value) > 0;
        int required = PyTuple_GET_ITEM(entry, 2) == Py_True;
        PyObject *parts = PyTuple_GET_ITEM(entry, 4);
        if (!present) {
            if (required)
                return 0;  /* missing-required */
            continue;
        }
        if (parts == Py_None) {
            int found = faulty(value, PyTuple_GET_ITEM(entry, 1), PyTuple_GET_ITEM(entry, 3),
                               pointers, out);
            if (found)
                return found < 0 ? -1 : 0;
            continue;
        }
        if (!PyTuple_Check(parts)) {
            PyErr_SetString(PyExc_TypeError, "a plan entry's parts must be a tuple");
            return -1;
        }
        PyObject *pieces = PyUnicode_Split(value, component, -1);
        if (pieces == NULL)
            return -1;
        Py_ssize_t piece_count = PyList_GET_SIZE(pieces);
        int result = 1;
        for (Py_ssize_t p = 0; p < PyTuple_GET_SIZE(parts) && result == 1; p++) {
            PyObject *part = PyTuple_GET_ITEM(parts, p);
            if (!is_entry(part, 4)) {
                PyErr_SetString(PyExc_TypeError, "a plan part was expected");
                result = -1;
                break;
            }
            Py_ssize_t c = PyLong_AsSsize_t(PyTuple_GET_ITEM(part, 0));
            if (c == -1 && PyErr_Occurred()) {
                result = -1;
                break;
            }
            PyObject *piece = c >= 1 && c <= piece_count ? PyList_GET_ITEM(pieces, c - 1)
                                                         : empty;
            if (PyUnicode_GET_LENGTH(piece) == 0) {
                if (PyTuple_GET_ITEM(part, 2) == Py_True)
                    result = 0;  /* missing-required */
                continue;
            }
            int found = faulty(piece, PyTuple_GET_ITEM(part, 1), PyTuple_GET_ITEM(part, 3),
                               pointers, out);
            if (found)
                result = found < 0 ? -1 : 0;
        }
        Py_DECREF(pieces);
        if (result != 1)
            return result;
    }
    return 1;
}

/* A composite's text from its parts by component (draft._composite); NULL with no error
 * set where a part is not text (finish's business). */
static PyObject *
composite(PyObject *parts, PyObject *out)
{
    Py_ssize_t width = 0, pos = 0;
    PyObject *key, *part;
    while (PyDict_Next(parts, &pos, &key, &part)) {
        if (!PyLong_CheckExact(key) || !PyUnicode_CheckExact(part))
            return NULL;
        Py_ssize_t c = PyLong_AsSsize_t(key);
        if (c < 1 || c > 64)
            return NULL;
        if (c > width)
            width = c;
    }
    PyObject *texts = PyList_New(width);
    if (texts == NULL)
        return NULL;
    for (Py_ssize_t c = 1; c <= width; c++) {
        PyObject *found = PyDict_GetItemWithError(parts, PyTuple_GET_ITEM(numbers, c));
        if (found == NULL && PyErr_Occurred()) {
            Py_DECREF(texts);
            return NULL;
        }
        PyList_SET_ITEM(texts, c - 1, Py_NewRef(found != NULL ? found : empty));
    }
    Py_ssize_t end = width;
    while (end > 1 && PyUnicode_GET_LENGTH(PyList_GET_ITEM(texts, end - 1)) == 0)
        end--;
    if (PyList_SetSlice(texts, end, width, NULL) < 0) {
        Py_DECREF(texts);
        return NULL;
    }
    PyObject *text = PyUnicode_Join(PyTuple_GET_ITEM(out, DELIMITERS_COMPONENT), texts);
    Py_DECREF(texts);
    return text;
}

/* bind() sets every one of the bound values at once; segment_type stands for them all. */
static int
bound(void)
{
    if (segment_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "x12kit._drafts.bind() was not called");
        return 0;
    }
    return 1;
}

static int
delimiters_ok(PyObject *out)
{
    if (!PyTuple_Check(out) || PyTuple_GET_SIZE(out) < DELIMITER_COUNT)
        return 0;
    for (Py_ssize_t i = 0; i < DELIMITER_COUNT; i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(out, i)))
            return 0;
    return 1;
}

/* The arguments of a METH_FASTCALL function, checked as "U" (text) and "O!" would check
 * them: PyArg_ParseTuple costs as much as a short call's work. kinds[i] is the type args[i]
 * must be an instance of, NULL for any. */
static int
arguments(const char *name, PyObject *const *args, Py_ssize_t nargs, Py_ssize_t count,
          PyTypeObject *const *kinds)
{
    if (nargs != count) {
        PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, count,
                     nargs);
        return 0;
    }
    for (Py_ssize_t i = 0; i < count; i++)
        if (kinds[i] != NULL && !PyObject_TypeCheck(args[i], kinds[i])) {
            PyErr_Format(PyExc_TypeError, "%s() argument %zd must be %s, not %s", name, i + 1,
                         kinds[i]->tp_name, Py_TYPE(args[i])->tp_name);
            return 0;
        }
    return 1;
}

static PyObject *
finished(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyTypeObject *const kinds[] = {&PyUnicode_Type, &PyDict_Type, &PyDict_Type, &PyTuple_Type,
                                   NULL, NULL};
    if (!arguments("finished", args, nargs, 6, kinds))
        return NULL;
    PyObject *seg_id = args[0], *values = args[1], *pointers = args[2], *entries = args[3];
    PyObject *formats = args[4], *out = args[5];
    if (!bound())
        return NULL;
    if (!delimiters_ok(out)) {
        PyErr_SetString(PyExc_TypeError, "out must be Delimiters");
        return NULL;
    }
    if (formats != Py_None && !PyDict_Check(formats)) {
        PyErr_SetString(PyExc_TypeError, "formats must be a dict or None");
        return NULL;
    }
    Py_ssize_t width = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(values, &pos, &key, &value)) {
        if (!PyLong_CheckExact(key))
            Py_RETURN_NONE;
        Py_ssize_t position = PyLong_AsSsize_t(key);
        if (position < 1 || position >= PyTuple_GET_SIZE(numbers))
            Py_RETURN_NONE;  /* odd: finish says what it makes of it */
        if (position > width)
            width = position;
    }
    PyObject *elements = PyList_New(width + 1);
    if (elements == NULL)
        return NULL;
    PyList_SET_ITEM(elements, 0, Py_NewRef(seg_id));
    for (Py_ssize_t i = 1; i <= width; i++)
        PyList_SET_ITEM(elements, i, Py_NewRef(empty));
    pos = 0;
    while (PyDict_Next(values, &pos, &key, &value)) {
        Py_ssize_t position = PyLong_AsSsize_t(key);
        PyObject *text;
        if (PyUnicode_CheckExact(value)) {
            text = Py_NewRef(value);
        } else if (PyDict_CheckExact(value)) {
            text = composite(value, out);
        } else {
            PyObject *allowed = formats != Py_None ? PyDict_GetItemWithError(formats, key)
                                                   : NULL;
            if (allowed == NULL && PyErr_Occurred())
                text = NULL;
            else
                text = PyObject_CallFunctionObjArgs(settle, value,
                                                    allowed != NULL ? allowed : Py_None,
                                                    out, NULL);
            if (text != NULL && !PyUnicode_CheckExact(text))
                Py_CLEAR(text);
        }
        if (text == NULL) {
            Py_DECREF(elements);
            if (PyErr_Occurred())
                return NULL;
            Py_RETURN_NONE;
        }
        PyList_SetItem(elements, position, text);  /* steals text */
    }
    Py_ssize_t end = width + 1;
    while (end > 1 && PyUnicode_GET_LENGTH(PyList_GET_ITEM(elements, end - 1)) == 0)
        end--;
    if (PyList_SetSlice(elements, end, width + 1, NULL) < 0) {
        Py_DECREF(elements);
        return NULL;
    }
    int ok = clean(elements, entries, pointers, out);
    if (ok != 1) {
        Py_DECREF(elements);
        if (ok < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    PyObject *texts = PyList_AsTuple(elements);
    Py_DECREF(elements);
    if (texts == NULL)
        return NULL;
    PyObject *segment = segment_type->tp_alloc(segment_type, SEGMENT_FIELDS);
    if (segment == NULL) {
        Py_DECREF(texts);
        return NULL;
    }
    PyTuple_SET_ITEM(segment, 0, texts);
    for (int i = 1; i <= 3; i++)
        PyTuple_SET_ITEM(segment, i, Py_NewRef(PyTuple_GET_ITEM(numbers, 0)));
    PyTuple_SET_ITEM(segment, 4, Py_NewRef(out));
    PyTuple_SET_ITEM(segment, 5, Py_NewRef(no_layout));
    return segment;
}

/* draft.py_text: a model value as element text. */
static PyObject *
element_text(PyObject *value)
{
    if (PyUnicode_CheckExact(value))
        return Py_NewRef(value);
    if (value == Py_None)
        return Py_NewRef(empty);
    if (Py_IS_TYPE(value, decimal_type))
        return PyObject_Format(value, fixed_point);
    if (PyDate_CheckExact(value) && PyDateTime_GET_YEAR(value) >= 1000) {
        char text[16];  /* CCYYMMDD, as strftime("%Y%m%d") writes a year of four digits */
        int size = snprintf(text, sizeof text, "%04d%02d%02d", PyDateTime_GET_YEAR(value),
                            PyDateTime_GET_MONTH(value), PyDateTime_GET_DAY(value));
        return PyUnicode_FromStringAndSize(text, size);
    }
    return PyObject_CallOneArg(text_fn, value);
}

static PyObject *
text_of(PyObject *self, PyObject *value)
{
    if (!bound())
        return NULL;
    return element_text(value);
}

static int
is_kept(PyObject *value)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kept); i++)
        if ((PyObject *)Py_TYPE(value) == PyTuple_GET_ITEM(kept, i))
            return 1;
    return 0;
}

/* The composite parts a Part row reads, kept for its sibling rows: one field read, one
 * call of its parts function, for all the components of one composite. */
typedef struct {
    PyObject *source;  /* borrowed: the Part they were read by */
    PyObject *parts;   /* owned */
} Held;

/* draft._part: component n of parts(model.field) (new reference). */
static PyObject *
part_of(PyObject *source, PyObject *model, Held *held)
{
    if (!is_entry(source, 3) || !PyLong_CheckExact(PyTuple_GET_ITEM(source, 2))) {
        PyErr_SetString(PyExc_TypeError, "a Part (field, parts, n) was expected");
        return NULL;
    }
    PyObject *field = PyTuple_GET_ITEM(source, 0), *parts = PyTuple_GET_ITEM(source, 1);
    if (held->parts == NULL || held->source == NULL
            || PyTuple_GET_ITEM(held->source, 0) != field
            || PyTuple_GET_ITEM(held->source, 1) != parts) {
        PyObject *value = PyObject_GetAttr(model, field);
        if (value == NULL)
            return NULL;
        Py_XSETREF(held->parts, PyObject_CallOneArg(parts, value));
        Py_DECREF(value);
        if (held->parts == NULL)
            return NULL;
        held->source = source;
    }
    Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(source, 2));
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return PySequence_GetItem(held->parts, n - 1);
}

/* Put one row's value in values (and given); 0, or -1 on error. */
static int
draft_row(PyObject *row, PyObject *model, PyObject *values, PyObject *given, Held *held)
{
    if (!is_entry(row, 4) || !PyLong_CheckExact(PyTuple_GET_ITEM(row, 2))) {
        PyErr_SetString(PyExc_TypeError, "a row (position, component, kind, source) was "
                                         "expected");
        return -1;
    }
    PyObject *position = PyTuple_GET_ITEM(row, 0), *component = PyTuple_GET_ITEM(row, 1);
    PyObject *source = PyTuple_GET_ITEM(row, 3);
    long kind = PyLong_AsLong(PyTuple_GET_ITEM(row, 2));
    PyObject *value;
    if (kind == FIXED) {
        value = Py_NewRef(source);
    } else {
        value = kind == FIELD ? PyObject_GetAttr(model, source)
              : kind == READ ? PyObject_CallOneArg(source, model)
              : kind == PART ? part_of(source, model, held)
              : NULL;
        if (value == NULL && !PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "a row's kind is 0 to 3");
        if (value == NULL)
            return -1;
        if (!PyUnicode_CheckExact(value)) {
            PyObject *read = value == Py_None && kind == FIELD
                ? PyObject_CallFunctionObjArgs(absent_fn, model, source, NULL)
                : Py_NewRef(value);
            PyObject *key = read == NULL ? NULL : PyTuple_Pack(
                2, position, component == Py_None ? PyTuple_GET_ITEM(numbers, 0) : component);
            int stored = key == NULL ? -1 : PyDict_SetItem(given, key, read);
            Py_XDECREF(key);
            Py_XDECREF(read);
            if (stored < 0) {
                Py_DECREF(value);
                return -1;
            }
        }
    }
    int stored;
    if (component == Py_None) {
        PyObject *text = is_kept(value) ? Py_NewRef(value) : element_text(value);
        stored = text == NULL ? -1 : PyDict_SetItem(values, position, text);
        Py_XDECREF(text);
    } else {
        PyObject *parts = PyDict_GetItemWithError(values, position);
        if (parts == NULL && !PyErr_Occurred()) {
            parts = PyDict_New();
            if (parts != NULL && PyDict_SetItem(values, position, parts) < 0)
                Py_CLEAR(parts);
            Py_XDECREF(parts);  /* values holds it */
        }
        PyObject *text = parts == NULL ? NULL : element_text(value);
        stored = text == NULL ? -1 : PyObject_SetItem(parts, component, text);
        Py_XDECREF(text);
    }
    Py_DECREF(value);
    return stored;
}

static PyObject *
drafted(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyTypeObject *const kinds[] = {&PyUnicode_Type, &PyTuple_Type, &PyTuple_Type, NULL, NULL,
                                   NULL, &PyUnicode_Type};
    if (!arguments("drafted", args, nargs, 7, kinds))
        return NULL;
    PyObject *seg_id = args[0], *rows = args[1], *pointer_rows = args[2], *defaults = args[3];
    PyObject *same = args[4], *model = args[5], *where = args[6];
    if (!bound())
        return NULL;
    PyObject *values = PyDict_New(), *given = PyDict_New(), *pointers = PyDict_New();
    if (values == NULL || given == NULL || pointers == NULL)
        goto fail;
    Held held = {NULL, NULL};
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(rows); i++)
        if (draft_row(PyTuple_GET_ITEM(rows, i), model, values, given, &held) < 0) {
            Py_XDECREF(held.parts);
            goto fail;
        }
    Py_XDECREF(held.parts);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(pointer_rows); i++) {
        PyObject *row = PyTuple_GET_ITEM(pointer_rows, i);
        if (!is_entry(row, 2) || !PyUnicode_Check(PyTuple_GET_ITEM(row, 1))) {
            PyErr_SetString(PyExc_TypeError, "a pointer row (ref, suffix) was expected");
            goto fail;
        }
        PyObject *pointer = PyUnicode_Concat(where, PyTuple_GET_ITEM(row, 1));
        int stored = pointer == NULL ? -1
                                     : PyDict_SetItem(pointers, PyTuple_GET_ITEM(row, 0), pointer);
        Py_XDECREF(pointer);
        if (stored < 0)
            goto fail;
    }
    PyObject *tested = same == Py_None ? Py_NewRef(Py_None)
                                       : PyObject_CallFunctionObjArgs(same_for, same, model, NULL);
    if (tested == NULL)
        goto fail;
    PyObject *found = draft_type->tp_alloc(draft_type, DRAFT_FIELDS);
    if (found == NULL) {
        Py_DECREF(tested);
        goto fail;
    }
    PyObject *fields[DRAFT_FIELDS] = {Py_NewRef(seg_id), values, pointers, Py_NewRef(where),
                                      Py_NewRef(defaults), given, tested, Py_NewRef(Py_False)};
    for (int i = 0; i < DRAFT_FIELDS; i++)
        PyTuple_SET_ITEM(found, i, fields[i]);
    return found;
fail:
    Py_XDECREF(values);
    Py_XDECREF(given);
    Py_XDECREF(pointers);
    return NULL;
}

/* draft.value_in: the drafted text at (position, component), borrowed. */
static PyObject *
value_in(PyObject *values, PyObject *position, Py_ssize_t component)
{
    PyObject *found = PyDict_GetItemWithError(values, position);
    if (found == NULL)
        return PyErr_Occurred() ? NULL : empty;
    if (PyDict_Check(found)) {
        if (component < 1)
            component = 1;
        if (component >= PyTuple_GET_SIZE(numbers))
            return empty;
        PyObject *part = PyDict_GetItemWithError(found, PyTuple_GET_ITEM(numbers, component));
        return part != NULL ? part : PyErr_Occurred() ? NULL : empty;
    }
    return component <= 1 ? found : empty;
}

static PyObject *
matched(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyTypeObject *const kinds[] = {&PyDict_Type, &PyUnicode_Type, &PyDict_Type};
    if (!arguments("matched", args, nargs, 3, kinds))
        return NULL;
    PyObject *table = args[0], *seg_id = args[1], *values = args[2];
    PyObject *found = PyDict_GetItemWithError(table, seg_id);
    if (found == NULL) {
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;
    }
    if (!is_entry(found, 2) || !PyTuple_Check(PyTuple_GET_ITEM(found, 0))) {
        PyErr_SetString(PyExc_TypeError, "a table entry (candidates, loose) was expected");
        return NULL;
    }
    PyObject *candidates = PyTuple_GET_ITEM(found, 0);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(candidates); i++) {
        PyObject *candidate = PyTuple_GET_ITEM(candidates, i);
        PyObject *qualifier = is_entry(candidate, 2) ? PyTuple_GET_ITEM(candidate, 1) : NULL;
        if (qualifier == NULL || !is_entry(qualifier, 3)) {
            PyErr_SetString(PyExc_TypeError, "a candidate (index, Qualifier) was expected");
            return NULL;
        }
        Py_ssize_t component = PyLong_AsSsize_t(PyTuple_GET_ITEM(qualifier, 1));
        if (component == -1 && PyErr_Occurred())
            return NULL;
        PyObject *value = value_in(values, PyTuple_GET_ITEM(qualifier, 0), component);
        if (value == NULL)
            return NULL;
        int fits = PySequence_Contains(PyTuple_GET_ITEM(qualifier, 2), value);
        if (fits < 0)
            return NULL;
        if (fits)
            return Py_NewRef(PyTuple_GET_ITEM(candidate, 0));
    }
    return Py_NewRef(PyTuple_GET_ITEM(found, 1));
}

static PyObject *
bind(PyObject *self, PyObject *args)
{
    PyObject *type, *layout, *settle_fn, *draft, *kept_types, *text, *absent, *decimal, *same;
    if (!PyArg_ParseTuple(args, "O!OOO!O!OOO!O:bind", &PyType_Type, &type, &layout,
                          &settle_fn, &PyType_Type, &draft, &PyTuple_Type, &kept_types, &text,
                          &absent, &PyType_Type, &decimal, &same))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type)
            || !PyType_IsSubtype((PyTypeObject *)draft, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Segment and Draft must be tuple subclasses");
        return NULL;
    }
    Py_XSETREF(segment_type, (PyTypeObject *)Py_NewRef(type));
    Py_XSETREF(no_layout, Py_NewRef(layout));
    Py_XSETREF(settle, Py_NewRef(settle_fn));
    Py_XSETREF(draft_type, (PyTypeObject *)Py_NewRef(draft));
    Py_XSETREF(kept, Py_NewRef(kept_types));
    Py_XSETREF(text_fn, Py_NewRef(text));
    Py_XSETREF(absent_fn, Py_NewRef(absent));
    Py_XSETREF(decimal_type, (PyTypeObject *)Py_NewRef(decimal));
    Py_XSETREF(same_for, Py_NewRef(same));
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"finished", (PyCFunction)(void (*)(void))finished, METH_FASTCALL,
     "finished(seg_id, values, pointers, entries, formats, out): the Segment draft.finish\n"
     "gives a new segment where it finds no problem; None where finish must look."},
    {"drafted", (PyCFunction)(void (*)(void))drafted, METH_FASTCALL,
     "drafted(seg_id, rows, pointer_rows, defaults, same, model, where): draft.py_drafted"},
    {"text", text_of, METH_O, "text(value): draft.py_text"},
    {"matched", (PyCFunction)(void (*)(void))matched, METH_FASTCALL,
     "matched(table, seg_id, values): tree.py_matched"},
    {"bind", bind, METH_VARARGS,
     "bind(Segment, NO_LAYOUT, settle, Draft, kept, text, absent, Decimal, same_for)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "x12kit._drafts",
    "A drafted segment that no file held, finished in C (x12kit/generate/draft.py).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__drafts(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;
    empty = PyUnicode_FromString("");
    fixed_point = PyUnicode_InternFromString("f");
    if (fixed_point == NULL)
        return NULL;
    numbers = PyTuple_New(MAX_POSITION);
    if (empty == NULL || numbers == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < MAX_POSITION; i++) {
        PyObject *n = PyLong_FromSsize_t(i);
        if (n == NULL)
            return NULL;
        PyTuple_SET_ITEM(numbers, i, n);
    }
    return PyModule_Create(&module);
}

/* x12kit._values: the model builders' reading of segments, in C.
 *
 * x12kit/models/fields.py is the specification; each function here is its py_ namesake
 * without the interpreter's per-field overhead:
 *
 *   sort_content(content, slots, size)  a loop's own segments by id into lists, its child
 *                                       loops into the last one
 *   read_fields(seg, plan)              the elements a plan names, each read as its kind
 *   read_each(segments, plan, model)    read_fields of each, as `model` (or plain tuples)
 *   adjustments(cas_segments)           the CAS triples as values.Adjustment (whose
 *                                       specification is values.adjustments)
 *   service_payments(loops)             the 835's ServicePayment of each 2110 among a claim
 *                                       payment's child loops (specification:
 *                                       remittance.py_service_payments; in _remittance.h)
 *   party_of(loop)                      the Party an NM1 loop names (values.party_of; in
 *                                       _parties.h)
 *   claim_payment(item, payment)        the 835's ClaimPayment of a 2100 item, services
 *                                       included (remittance.py_claim_payment; ditto)
 *   service_lines(loops)                the 837's ServiceLine of each 2400 among a claim's
 *                                       child loops (claims.py_service_lines; in _claims.h)
 *   claim_fields(loop)                  the fields of an 837 Claim its 2300 holds itself,
 *                                       lines included (claims.py_claim_fields; _claims.h)
 *
 * A plan is a tuple of (element, kind) pairs; the kinds are numbered as in fields.py.
 * Amounts, dates and procedure composites are read by the Python functions bind() gives
 * (values.money, values.day, values._procedure) and remembered here by text, at most
 * `memo_size` texts per kind (a full memo is emptied and starts again): the values are
 * immutable, so a repeat is the same value. Procedure composites also depend on the
 * component and repetition separators; their memo holds the readings of one pair.
 *
 * Segment and Delimiters are read by field position: tests/test_models_fields.py pins
 * their _fields.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_memo.h"

enum kind { TEXT, MONEY, UNITS, AMOUNT, DATE, PROCEDURE, KINDS };

#define SEGMENT_ELEMENTS 0      /* Segment.elements */
#define SEGMENT_DELIMITERS 4    /* Segment.delimiters */
#define DELIMITERS_COMPONENT 1  /* Delimiters.component */
#define DELIMITERS_REPETITION 2 /* Delimiters.repetition */
#define LOOP_ID 0               /* Loop.id */
#define LOOP_CONTENT 1          /* Loop.content */

/* Set by bind(). */
static PyObject *segment_type, *loop_type, *adjustment_type, *reference_type, *reference_plan;
static PyObject *read_money, *read_day, *read_procedure;
static PyObject *zero, *one;
static Py_ssize_t memo_size;

static PyObject *decimal_type;
static PyObject *procedure_memo;
static PyObject *memo_component, *memo_repetition;  /* procedure_memo's separators */
static PyObject *empty;  /* "" */

static int
bound(void)
{
    if (segment_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "x12kit._values.bind() was not called");
        return 0;
    }
    return 1;
}

/* 1 where `what` was set by the binder named `binder`, else 0 with a RuntimeError (a
 * builder called before remittance.py or claims.py bound it). */
static int
bound_by(PyObject *what, const char *binder)
{
    if (what != NULL)
        return 1;
    PyErr_Format(PyExc_RuntimeError, "x12kit._values.%s() was not called", binder);
    return 0;
}

/* The slot `slots` gives a segment's id, below `count`: -1 where it has none, -2 on error. */
static int
slot_in(PyObject *slots, PyObject *elements, Py_ssize_t count)
{
    PyObject *slot = PyDict_GetItemWithError(slots, PyTuple_GET_ITEM(elements, 0));
    if (slot == NULL)
        return PyErr_Occurred() ? -2 : -1;
    Py_ssize_t n = PyLong_AsSsize_t(slot);
    if (n < 0 || n >= count) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "a slot past the lists asked for");
        return -2;
    }
    return (int)n;
}

/* The slots a binder keeps (a builder's module constant, read for every segment of its
 * loops), as bound_slot_in() last read them: by the dict and the segment id, each by
 * identity (the cutter interns ids), held by the entry. */
#define SLOT_MEMO_BITS 6  /* 64 entries */
static struct { PyObject *slots, *sid; int slot; } slot_memo[1 << SLOT_MEMO_BITS];

/* slot_in for a slots dict a binder keeps. */
static int
bound_slot_in(PyObject *slots, PyObject *elements, Py_ssize_t count)
{
    PyObject *sid = PyTuple_GET_ITEM(elements, 0);
    size_t at = memo_slot(slots, sid, NULL, SLOT_MEMO_BITS);
    if (slot_memo[at].slots == slots && slot_memo[at].sid == sid)
        return slot_memo[at].slot;
    int slot = slot_in(slots, elements, count);
    if (slot >= 0) {
        Py_XSETREF(slot_memo[at].slots, Py_NewRef(slots));
        Py_XSETREF(slot_memo[at].sid, Py_NewRef(sid));
        slot_memo[at].slot = slot;
    }
    return slot;
}

/* Appends `value` (a new reference, or NULL on error) to `list`; 0, or -1 on error. */
static int
append_new(PyObject *list, PyObject *value)
{
    if (value == NULL)
        return -1;
    int failed = PyList_Append(list, value);
    Py_DECREF(value);
    return failed;
}

/* `build` of each loop in `loops` (a list of Loop) whose id is `id`, as a tuple (a new
 * reference): a claim payment's 2110 service payments, a claim's 2400 lines. */
static PyObject *
each_child(PyObject *loops, const char *id, PyObject *(*build)(PyObject *))
{
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(loops); i++) {
        PyObject *loop = PyList_GET_ITEM(loops, i);
        if (Py_TYPE(loop) != (PyTypeObject *)loop_type) {
            PyErr_SetString(PyExc_TypeError, "a Loop was expected");
            goto fail;
        }
        PyObject *loop_id = PyTuple_GET_ITEM(loop, LOOP_ID);
        if (!PyUnicode_Check(loop_id) || PyUnicode_CompareWithASCIIString(loop_id, id) != 0)
            continue;
        if (append_new(found, build(loop)) < 0)
            goto fail;
    }
    Py_SETREF(found, PyList_AsTuple(found));
    return found;
fail:
    Py_DECREF(found);
    return NULL;
}

/* The elements of a Segment (borrowed), NULL with a TypeError. */
static PyObject *
elements_of(PyObject *seg)
{
    if (Py_TYPE(seg) != (PyTypeObject *)segment_type) {
        PyErr_SetString(PyExc_TypeError, "a Segment was expected");
        return NULL;
    }
    PyObject *elements = PyTuple_GET_ITEM(seg, SEGMENT_ELEMENTS);
    if (!PyTuple_Check(elements) || PyTuple_GET_SIZE(elements) < 1) {
        PyErr_SetString(PyExc_TypeError, "a Segment's elements must be a tuple of str");
        return NULL;
    }
    return elements;
}

/* Element n as written, "" where absent (borrowed). */
static PyObject *
element(PyObject *elements, Py_ssize_t n)
{
    return n < PyTuple_GET_SIZE(elements) ? PyTuple_GET_ITEM(elements, n) : empty;
}

/* `read(text, *more)`, remembered in `memo` by `text` (a new reference). `more` is up to two
 * further arguments, ended by NULL (the procedure reader's separators); the memo's owner
 * empties it where they change. */
static PyObject *
remembered_with(PyObject *memo, PyObject *read, PyObject *text, PyObject *more1,
                PyObject *more2)
{
    PyObject *value = PyDict_GetItemWithError(memo, text);
    if (value != NULL)
        return Py_NewRef(value);
    if (PyErr_Occurred())
        return NULL;
    value = PyObject_CallFunctionObjArgs(read, text, more1, more2, NULL);
    if (value == NULL)
        return NULL;
    if (PyDict_GET_SIZE(memo) >= memo_size)
        PyDict_Clear(memo);
    if (PyDict_SetItem(memo, text, value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    return value;
}

#include "_text_memo.h"

static TextMemo money_memo, day_memo;
static PartsMemo dtm_memo, dtp_memo;  /* values._dtm, values._dtp */

/* values.money of a plain decimal number (digits with at most one point, perhaps a minus
 * sign before them): Decimal(text), which is finite. NULL without an error for anything
 * else (empty, an exponent, a sign elsewhere, not a number), which values.money reads. */
static PyObject *
plain_money(const char *text, Py_ssize_t length, PyObject *str)
{
    if (length == 0 || length > 40)
        return NULL;
    Py_ssize_t digits = 0, points = 0;
    for (Py_ssize_t i = text[0] == '-' ? 1 : 0; i < length; i++) {
        if (text[i] >= '0' && text[i] <= '9')
            digits++;
        else if (text[i] != '.' || points++ > 0)
            return NULL;
    }
    return digits > 0 ? PyObject_CallOneArg(decimal_type, str) : NULL;
}

/* The component and repetition separators of `seg` (borrowed); 0, or -1 on error. */
static int
separators(PyObject *seg, PyObject **component, PyObject **repetition)
{
    PyObject *delimiters = PyTuple_GET_ITEM(seg, SEGMENT_DELIMITERS);
    if (!PyTuple_Check(delimiters) || PyTuple_GET_SIZE(delimiters) <= DELIMITERS_REPETITION) {
        PyErr_SetString(PyExc_TypeError, "a Segment's delimiters must be Delimiters");
        return -1;
    }
    *component = PyTuple_GET_ITEM(delimiters, DELIMITERS_COMPONENT);
    *repetition = PyTuple_GET_ITEM(delimiters, DELIMITERS_REPETITION);
    if (!PyUnicode_Check(*component) || !PyUnicode_Check(*repetition)) {
        PyErr_SetString(PyExc_TypeError, "a Segment's separators must be str");
        return -1;
    }
    return 0;
}

/* The procedure composite `text` of `seg` (a new reference; None where empty). */
static PyObject *
procedure(PyObject *seg, PyObject *text)
{
    if (PyUnicode_GET_LENGTH(text) == 0)
        return Py_NewRef(Py_None);
    PyObject *component, *repetition;
    if (separators(seg, &component, &repetition) < 0)
        return NULL;
    if (component != memo_component || repetition != memo_repetition) {
        int same = memo_component != NULL
                   && PyUnicode_Compare(component, memo_component) == 0
                   && PyUnicode_Compare(repetition, memo_repetition) == 0;
        if (PyErr_Occurred())
            return NULL;
        if (!same)
            PyDict_Clear(procedure_memo);
        Py_XSETREF(memo_component, Py_NewRef(component));
        Py_XSETREF(memo_repetition, Py_NewRef(repetition));
    }
    return remembered_with(procedure_memo, read_procedure, text, component, repetition);
}

/* `text` read as `kind` (a new reference). */
static PyObject *
read_as(long kind, PyObject *text, PyObject *seg)
{
    PyObject *value;
    int is_true;
    switch (kind) {
    case TEXT:
        return Py_NewRef(text);
    case MONEY:
        return text_memo_read(&money_memo, read_money, plain_money, text);
    case UNITS:
        if (PyUnicode_GET_LENGTH(text) == 0)
            return Py_NewRef(one);
        return text_memo_read(&money_memo, read_money, plain_money, text);
    case AMOUNT:  /* money(text) or ZERO: a zero as written ("0.00") reads as ZERO too */
        value = text_memo_read(&money_memo, read_money, plain_money, text);
        if (value == NULL)
            return NULL;
        is_true = PyObject_IsTrue(value);
        if (is_true < 0) {
            Py_DECREF(value);
            return NULL;
        }
        if (!is_true)
            Py_SETREF(value, Py_NewRef(zero));
        return value;
    case DATE:
        return text_memo_read(&day_memo, read_day, NULL, text);
    case PROCEDURE:
        return procedure(seg, text);
    }
    PyErr_Format(PyExc_ValueError, "no such field kind: %ld", kind);
    return NULL;
}

/* A new, empty `model` (a tuple type) or tuple of `size` fields, for the caller to fill;
 * what tuple.__new__(model, fields) makes, without the fields' own tuple. */
static PyObject *
new_fields(PyObject *model, Py_ssize_t size)
{
    if (model == Py_None)
        return PyTuple_New(size);
    return ((PyTypeObject *)model)->tp_alloc((PyTypeObject *)model, size);
}

/* 1 where `type` is a tuple type (a NamedTuple model), else 0. */
static int
is_tuple_type(PyObject *type)
{
    return PyType_Check(type) && PyType_IsSubtype((PyTypeObject *)type, &PyTuple_Type);
}

/* 1 where the NamedTuple `model` has `count` fields (what a binder's C code fills), else 0
 * with a ValueError saying `what` (or the error reading its _fields). */
static int
has_fields(PyObject *model, Py_ssize_t count, const char *what)
{
    PyObject *names = PyObject_GetAttrString(model, "_fields");
    Py_ssize_t size = names ? PyObject_Length(names) : -1;
    Py_XDECREF(names);
    if (size == count)
        return 1;
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, what);
    return 0;
}

/* Element n of `elements` as written, "" where absent (borrowed); NULL with a TypeError
 * where it is not a str: the readings below measure texts without asking. */
static PyObject *
text_at(PyObject *elements, Py_ssize_t n)
{
    PyObject *text = element(elements, n);
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "a Segment's elements must be a tuple of str");
        return NULL;
    }
    return text;
}

static int
is_plan(PyObject *plan)
{
    if (!PyTuple_Check(plan)) {
        PyErr_SetString(PyExc_TypeError, "a plan is a tuple of (element, kind) pairs");
        return 0;
    }
    return 1;
}

/* Pair i of `plan` as (element, kind); 0, or -1 with an error. */
static int
plan_pair(PyObject *plan, Py_ssize_t i, Py_ssize_t *n, long *kind)
{
    PyObject *pair = PyTuple_GET_ITEM(plan, i);
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        PyErr_SetString(PyExc_TypeError, "a plan is a tuple of (element, kind) pairs");
        return -1;
    }
    *n = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
    *kind = PyLong_AsLong(PyTuple_GET_ITEM(pair, 1));
    if (PyErr_Occurred())
        return -1;
    if (*n < 0) {
        PyErr_SetString(PyExc_ValueError, "a plan's element numbers count from 0");
        return -1;
    }
    return 0;
}

/* Plans as C numbers, read once each: a plan is a module's constant tuple, read for every
 * segment of its kind. By the plan object, which an entry holds (so its address is not
 * reused while kept). */
#define PLAN_FIELDS 16  /* the longest plan kept; a longer one is read pair by pair */
#define PLAN_MEMO_BITS 4  /* 16 entries */
typedef struct {
    PyObject *plan;
    Py_ssize_t element[PLAN_FIELDS];
    long kind[PLAN_FIELDS];
} ReadPlan;
static ReadPlan read_plans[1 << PLAN_MEMO_BITS];

/* The read plan of `plan`; NULL without an error where it is too long to keep. */
static const ReadPlan *
plan_of(PyObject *plan)
{
    ReadPlan *memo = &read_plans[memo_slot(plan, NULL, NULL, PLAN_MEMO_BITS)];
    if (memo->plan == plan)
        return memo;
    Py_ssize_t size = PyTuple_GET_SIZE(plan);
    if (size > PLAN_FIELDS)
        return NULL;
    ReadPlan read;
    for (Py_ssize_t i = 0; i < size; i++)
        if (plan_pair(plan, i, &read.element[i], &read.kind[i]) < 0)
            return NULL;
    read.plan = Py_NewRef(plan);
    Py_XDECREF(memo->plan);
    *memo = read;
    return memo;
}

/* read_fields of `seg` into `found` (a new tuple of at least `at` + len(plan) items) from
 * item `at` on; 0, or -1 on error. */
static int
fields_into(PyObject *found, Py_ssize_t at, PyObject *seg, PyObject *plan)
{
    PyObject *elements = elements_of(seg);
    if (elements == NULL)
        return -1;
    const ReadPlan *read = plan_of(plan);
    if (read == NULL && PyErr_Occurred())
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(plan); i++) {
        Py_ssize_t n;
        long kind;
        if (read != NULL) {
            n = read->element[i];
            kind = read->kind[i];
        }
        else if (plan_pair(plan, i, &n, &kind) < 0)
            return -1;
        PyObject *text = text_at(elements, n);
        PyObject *value = text ? read_as(kind, text, seg) : NULL;
        if (value == NULL)
            return -1;
        PyTuple_SET_ITEM(found, at + i, value);
    }
    return 0;
}

/* read_fields of `seg` as `model` (Py_None: a plain tuple); a new reference. */
static PyObject *
fields_of(PyObject *seg, PyObject *plan, PyObject *model)
{
    if (!is_plan(plan))
        return NULL;
    PyObject *found = new_fields(model, PyTuple_GET_SIZE(plan));
    if (found != NULL && fields_into(found, 0, seg, plan) < 0)
        Py_CLEAR(found);
    return found;
}

static PyObject *
read_fields(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "read_fields(seg, plan) takes 2 arguments");
        return NULL;
    }
    if (!bound())
        return NULL;
    return fields_of(args[0], args[1], Py_None);
}

static PyObject *
read_each(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyList_Check(args[0])
            || (args[2] != Py_None && !(PyType_Check(args[2])
                && PyType_IsSubtype((PyTypeObject *)args[2], &PyTuple_Type)))) {
        PyErr_SetString(PyExc_TypeError, "read_each(segments, plan, model) takes a list, a "
                                         "plan and a tuple type or None");
        return NULL;
    }
    if (!bound())
        return NULL;
    PyObject *segments = args[0];
    Py_ssize_t count = PyList_GET_SIZE(segments);
    PyObject *found = PyTuple_New(count);
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *fields = fields_of(PyList_GET_ITEM(segments, i), args[1], args[2]);
        if (fields == NULL) {
            Py_DECREF(found);
            return NULL;
        }
        PyTuple_SET_ITEM(found, i, fields);
    }
    return found;
}

static PyObject *
sort_content(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !(PyTuple_Check(args[0]) || PyList_Check(args[0]))
            || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "sort_content(content, slots, size) takes a tuple "
                                         "or list, a dict and an int");
        return NULL;
    }
    if (!bound())
        return NULL;
    PyObject *content = args[0], *slots = args[1];
    Py_ssize_t size = PyLong_AsSsize_t(args[2]);
    if (size < 1) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "sort_content needs at least the children's list");
        return NULL;
    }
    PyObject *found = PyList_New(size);
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *list = PyList_New(0);
        if (list == NULL)
            goto fail;
        PyList_SET_ITEM(found, i, list);
    }
    PyObject *children = PyList_GET_ITEM(found, size - 1);
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(content); i++) {
        PyObject *entry = PySequence_Fast_GET_ITEM(content, i);
        PyObject *into = children;
        if (Py_TYPE(entry) == (PyTypeObject *)segment_type) {
            PyObject *elements = elements_of(entry);
            if (elements == NULL)
                goto fail;
            int n = slot_in(slots, elements, size);
            if (n == -2)
                goto fail;
            if (n == -1)
                continue;
            into = PyList_GET_ITEM(found, n);
        }
        if (PyList_Append(into, entry) < 0)
            goto fail;
    }
    return found;
fail:
    Py_DECREF(found);
    return NULL;
}

/* The CAS triples of one segment appended to `found`; 0, or -1 on error. */
static int
triples(PyObject *seg, PyObject *found)
{
    PyObject *elements = elements_of(seg);
    if (elements == NULL)
        return -1;
    Py_ssize_t written = PyTuple_GET_SIZE(elements);  /* past it there is nothing to read */
    PyObject *group = element(elements, 1);
    for (Py_ssize_t n = 2; n < written && n < 20; n += 3) {
        PyObject *reason = PyTuple_GET_ITEM(elements, n);
        if (!PyUnicode_Check(reason)) {
            PyErr_SetString(PyExc_TypeError, "a Segment's elements must be a tuple of str");
            return -1;
        }
        if (PyUnicode_GET_LENGTH(reason) == 0)
            continue;
        PyObject *adjustment = new_fields(adjustment_type, 4);
        if (adjustment == NULL)
            return -1;
        PyTuple_SET_ITEM(adjustment, 0, Py_NewRef(group));
        PyTuple_SET_ITEM(adjustment, 1, Py_NewRef(reason));
        PyObject *amount = read_as(AMOUNT, element(elements, n + 1), seg);
        PyObject *quantity = amount ? read_as(MONEY, element(elements, n + 2), seg) : NULL;
        if (quantity == NULL) {
            Py_XDECREF(amount);
            Py_DECREF(adjustment);
            return -1;
        }
        PyTuple_SET_ITEM(adjustment, 2, amount);
        PyTuple_SET_ITEM(adjustment, 3, quantity);
        int failed = PyList_Append(found, adjustment);
        Py_DECREF(adjustment);
        if (failed < 0)
            return -1;
    }
    return 0;
}

static PyObject *
adjustments(PyObject *module, PyObject *cas_segments)
{
    if (!PyList_Check(cas_segments)) {
        PyErr_SetString(PyExc_TypeError, "adjustments(cas_segments) takes a list");
        return NULL;
    }
    if (!bound())
        return NULL;
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cas_segments); i++)
        if (triples(PyList_GET_ITEM(cas_segments, i), found) < 0) {
            Py_DECREF(found);
            return NULL;
        }
    Py_SETREF(found, PyList_AsTuple(found));
    return found;
}

#include "_parties.h"     /* the parties NM1 loops name */
#include "_remittance.h"  /* the 835's claim payments and service payments */

static PyObject *
bind(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 12 || !is_tuple_type(args[0]) || !is_tuple_type(args[1])
            || !is_tuple_type(args[2]) || !is_tuple_type(args[3])
            || !PyCallable_Check(args[5]) || !PyCallable_Check(args[6])
            || !PyCallable_Check(args[7]) || !PyLong_Check(args[10])
            || !PyType_Check(args[11])) {
        PyErr_SetString(PyExc_TypeError, "bind(Segment, Loop, Adjustment, Reference, REFERENCE, "
                                         "money, day, _procedure, ZERO, ONE, MEMO_SIZE, "
                                         "Decimal)");
        return NULL;
    }
    if (!is_plan(args[4]))
        return NULL;
    Py_ssize_t size = PyLong_AsSsize_t(args[10]);
    if (size < 1) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "MEMO_SIZE must be positive");
        return NULL;
    }
    Py_XSETREF(segment_type, Py_NewRef(args[0]));
    Py_XSETREF(loop_type, Py_NewRef(args[1]));
    Py_XSETREF(adjustment_type, Py_NewRef(args[2]));
    Py_XSETREF(reference_type, Py_NewRef(args[3]));
    Py_XSETREF(reference_plan, Py_NewRef(args[4]));
    Py_XSETREF(read_money, Py_NewRef(args[5]));
    Py_XSETREF(read_day, Py_NewRef(args[6]));
    Py_XSETREF(read_procedure, Py_NewRef(args[7]));
    Py_XSETREF(zero, Py_NewRef(args[8]));
    Py_XSETREF(one, Py_NewRef(args[9]));
    Py_XSETREF(decimal_type, Py_NewRef(args[11]));
    memo_size = size;
    text_memo_clear(&money_memo);
    text_memo_clear(&day_memo);
    PyDict_Clear(procedure_memo);
    Py_RETURN_NONE;
}

#include "_claims.h"  /* the 837's claims and service lines */

static PyMethodDef module_methods[] = {
    {"sort_content", (PyCFunction)(void (*)(void))sort_content, METH_FASTCALL,
     "sort_content(content, slots, size) -> size lists: a loop's own segments by slot, its "
     "child loops last"},
    {"read_fields", (PyCFunction)(void (*)(void))read_fields, METH_FASTCALL,
     "read_fields(seg, plan) -> the elements the plan names, read as their kinds"},
    {"read_each", (PyCFunction)(void (*)(void))read_each, METH_FASTCALL,
     "read_each(segments, plan, model) -> read_fields of each, as model (or tuples)"},
    {"adjustments", adjustments, METH_O,
     "adjustments(cas_segments) -> the CAS triples as values.Adjustment"},
    {"service_payments", service_payments, METH_O,
     "service_payments(loops) -> the ServicePayment of each 2110 among a 2100's child loops"},
    {"bind_services", (PyCFunction)(void (*)(void))bind_services, METH_FASTCALL,
     "bind_services(ServicePayment, SVC plan, slots, _dtm), once"},
    {"claim_payment", (PyCFunction)(void (*)(void))claim_payment, METH_FASTCALL,
     "claim_payment(item, payment) -> the ClaimPayment of a 2100 item"},
    {"bind_claims", (PyCFunction)(void (*)(void))bind_claims, METH_FASTCALL,
     "bind_claims(Item, ClaimPayment, CLP plan, AMT plan, slots, name codes), once"},
    {"party_of", party_of, METH_O,
     "party_of(loop) -> the Party an NM1 loop names (values.party_of), or None"},
    {"bind_parties", (PyCFunction)(void (*)(void))bind_parties, METH_FASTCALL,
     "bind_parties(Party, NM1 plan, Address), once"},
    {"bind", (PyCFunction)(void (*)(void))bind, METH_FASTCALL,
     "bind(Segment, Loop, Adjustment, Reference, REFERENCE, money, day, _procedure, ZERO, "
     "ONE, MEMO_SIZE, Decimal), once"},
    {"service_lines", service_lines, METH_O,
     "service_lines(loops) -> the 837's ServiceLine of each 2400 among a 2300's child loops"},
    {"bind_lines", (PyCFunction)(void (*)(void))bind_lines, METH_FASTCALL,
     "bind_lines(ServiceLine, slots, SV1, SV2 and SV3 plans, _dtp, _pointers_in, _cavity, "
     "_tooth, _drug, NO_DRUG, _providers_of, _line_adjudication), once"},
    {"claim_fields", claim_fields, METH_O,
     "claim_fields(loop) -> the fields of the 837 Claim a 2300 holds itself, or None"},
    {"bind_claim_fields", (PyCFunction)(void (*)(void))bind_claim_fields, METH_FASTCALL,
     "bind_claim_fields(slots, reference codes, HealthCode, period, other_payer), once"},
    {NULL}
};

static struct PyModuleDef values_module = {
    PyModuleDef_HEAD_INIT, "x12kit._values", "The model builders' reading of segments in C.",
    -1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__values(void)
{
    empty = PyUnicode_InternFromString("");
    procedure_memo = PyDict_New();
    if (!empty || !procedure_memo)
        return NULL;
    return PyModule_Create(&values_module);
}

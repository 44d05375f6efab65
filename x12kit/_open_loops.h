/* The model reader's open loops (x12kit/models/tree.py: _Open, and ItemAssembler._close),
 * handled from C as their Python methods handle them: what x12kit/_walk.c's take_steps does
 * to the assembler for the segments it takes. Included by _walk.c only; every function is
 * static. */
#ifndef X12KIT_OPEN_LOOPS_H
#define X12KIT_OPEN_LOOPS_H

#include <Python.h>

#include "_slots.h"

/* Set by bind_loops(): tree._Open, tree.Loop, tree.Item, tree._OUTER_LOOPS and
 * tree._ENVELOPE_LOOPS. */
static PyObject *open_type = NULL, *loop_type = NULL, *item_type = NULL, *outer_loops = NULL,
                *envelope_loops = NULL;
/* tree._Open's slots */
static Slot open_id = SLOT("id"), open_content = SLOT("content"), open_dropped = SLOT("dropped"),
            open_had_items = SLOT("had_items"), open_frozen = SLOT("frozen"),
            open_findings = SLOT("findings");

/* A list attribute (new reference), or NULL with a TypeError. */
static PyObject *
list_slot(PyObject *owner, Slot *slot)
{
    PyObject *value = slot_get(slot, owner);
    if (value != NULL && !PyList_Check(value)) {
        Py_DECREF(value);
        PyErr_Format(PyExc_TypeError, "%s is not a list", slot->text);
        return NULL;
    }
    return value;
}

/* tree._Open(loop_id), as its __init__ makes it, without calling it: a new reference. */
static PyObject *
open_new(PyObject *loop_id)
{
    PyTypeObject *type = (PyTypeObject *)open_type;
    PyObject *node = type->tp_alloc(type, 0);
    if (node == NULL)
        return NULL;
    PyObject *content = PyList_New(0), *findings = PyList_New(0), *zero = PyLong_FromLong(0);
    int failed = content == NULL || findings == NULL || zero == NULL
                 || slot_set(&open_id, node, loop_id) < 0
                 || slot_set(&open_content, node, content) < 0
                 || slot_set(&open_dropped, node, zero) < 0
                 || slot_set(&open_had_items, node, Py_False) < 0
                 || slot_set(&open_frozen, node, Py_None) < 0
                 || slot_set(&open_findings, node, findings) < 0;
    Py_XDECREF(content);
    Py_XDECREF(findings);
    Py_XDECREF(zero);
    if (failed)
        Py_CLEAR(node);
    return node;
}

/* node.dropped += n */
static int
add_dropped(PyObject *node, Py_ssize_t n)
{
    PyObject *dropped = slot_get(&open_dropped, node);
    if (dropped == NULL)
        return -1;
    PyObject *more = PyLong_FromSsize_t(n);
    PyObject *sum = more ? PyNumber_Add(dropped, more) : NULL;
    Py_DECREF(dropped);
    Py_XDECREF(more);
    if (sum == NULL)
        return -1;
    int status = slot_set(&open_dropped, node, sum);
    Py_DECREF(sum);
    return status;
}

/* _Open.add: keep `entry` while fewer than max_kept are kept, else count it dropped. */
static int
open_add(PyObject *node, PyObject *entry, Py_ssize_t max_kept)
{
    PyObject *content = list_slot(node, &open_content);
    if (content == NULL)
        return -1;
    int status;
    if (PyList_GET_SIZE(content) < max_kept) {
        status = PyList_Append(content, entry);
        if (status == 0)
            status = slot_set(&open_frozen, node, Py_None);
    }
    else
        status = add_dropped(node, 1);
    Py_DECREF(content);
    return status;
}

/* _Open.freeze: the Loop of an open loop, made once until it changes. New reference. */
static PyObject *
open_freeze(PyObject *node)
{
    PyObject *frozen = slot_get(&open_frozen, node);
    if (frozen != Py_None)
        return frozen;
    Py_DECREF(frozen);
    PyObject *id = slot_get(&open_id, node);
    PyObject *content = id ? list_slot(node, &open_content) : NULL;
    PyObject *dropped = content ? slot_get(&open_dropped, node) : NULL;
    PyObject *entries = dropped ? PyList_AsTuple(content) : NULL;
    /* tuple.__new__(Loop, (id, entries, dropped)), as tree._Open.freeze makes it */
    PyTypeObject *type = (PyTypeObject *)loop_type;
    frozen = entries ? type->tp_alloc(type, 3) : NULL;
    Py_XDECREF(content);
    if (frozen == NULL) {
        Py_XDECREF(id);
        Py_XDECREF(dropped);
        Py_XDECREF(entries);
        return NULL;
    }
    PyTuple_SET_ITEM(frozen, 0, id);
    PyTuple_SET_ITEM(frozen, 1, entries);
    PyTuple_SET_ITEM(frozen, 2, dropped);
    if (slot_set(&open_frozen, node, frozen) < 0)
        Py_CLEAR(frozen);
    return frozen;
}

/* What take_steps reads of the assembler once: its open loops (ItemAssembler._stack), the
 * loop ids of its items (ItemAssembler._items), and the list the items closed go to. */
typedef struct { PyObject *stack, *items, *done; } Assembly;

/* The loops open around an item, as frozen Loops (the envelope loops left out). New
 * reference. */
static PyObject *
item_context(PyObject *stack)
{
    PyObject *context = PyList_New(0);
    for (Py_ssize_t i = 0; context != NULL && i < PyList_GET_SIZE(stack); i++) {
        PyObject *node = PyList_GET_ITEM(stack, i);
        PyObject *id = slot_get(&open_id, node);
        int outer = id ? PySet_Contains(outer_loops, id) : -1;
        Py_XDECREF(id);
        PyObject *frozen = outer == 0 ? open_freeze(node) : NULL;
        if (outer < 0 || (outer == 0 && (frozen == NULL || PyList_Append(context, frozen) < 0)))
            Py_CLEAR(context);
        Py_XDECREF(frozen);
    }
    if (context == NULL)
        return NULL;
    Py_SETREF(context, PyList_AsTuple(context));
    return context;
}

/* The Item of a loop that closed (`node`, popped from `stack`), appended to `done`:
 * tuple.__new__(Item, (loop, context, envelope, findings)), as ItemAssembler._close makes
 * it. */
static int
hand_out(PyObject *node, PyObject *stack, PyObject *envelope, PyObject *done)
{
    PyObject *loop = open_freeze(node);
    PyObject *context = loop ? item_context(stack) : NULL;
    PyObject *findings = context ? list_slot(node, &open_findings) : NULL;
    PyObject *found = findings ? PyList_AsTuple(findings) : NULL;
    Py_XDECREF(findings);
    PyTypeObject *type = (PyTypeObject *)item_type;
    PyObject *item = found ? type->tp_alloc(type, 4) : NULL;
    if (item == NULL) {
        Py_XDECREF(loop);
        Py_XDECREF(context);
        Py_XDECREF(found);
        return -1;
    }
    PyTuple_SET_ITEM(item, 0, loop);
    PyTuple_SET_ITEM(item, 1, context);
    PyTuple_SET_ITEM(item, 2, Py_NewRef(envelope));
    PyTuple_SET_ITEM(item, 3, found);
    int status = PyList_Append(done, item);
    Py_DECREF(item);
    return status < 0 ? -1 : slot_set(&open_had_items, node, Py_True);
}

/* ItemAssembler._close for a loop that is not an envelope loop and has a parent: pop it,
 * hand it out if it is an item, and pass it (or, where items were handed out from it, that
 * fact) on to its parent. */
static int
close_one(Assembly *open, PyObject *envelope, Py_ssize_t max_kept)
{
    PyObject *stack = open->stack;
    Py_ssize_t depth = PyList_GET_SIZE(stack);
    PyObject *node = Py_NewRef(PyList_GET_ITEM(stack, depth - 1));
    PyObject *parent = Py_NewRef(PyList_GET_ITEM(stack, depth - 2));
    PyObject *id = NULL, *had = NULL, *frozen = NULL, *findings = NULL, *kept = NULL;
    int status = PyList_SetSlice(stack, depth - 1, depth, NULL);
    if (status < 0 || (id = slot_get(&open_id, node)) == NULL)
        goto done;
    status = PySet_Contains(open->items, id);
    if (status > 0)
        status = hand_out(node, stack, envelope, open->done);
    if (status < 0 || (had = slot_get(&open_had_items, node)) == NULL)
        goto done;
    status = PyObject_IsTrue(had);
    if (status != 0) {
        if (status > 0)
            status = slot_set(&open_had_items, parent, Py_True);
        goto done;
    }
    status = -1;
    if ((frozen = open_freeze(node)) == NULL || open_add(parent, frozen, max_kept) < 0
            || (findings = list_slot(node, &open_findings)) == NULL)
        goto done;
    status = 0;
    if (PyList_GET_SIZE(findings) > 0) {  /* parent.findings += node.findings */
        if ((kept = list_slot(parent, &open_findings)) == NULL)
            status = -1;
        else if (PyList_GET_SIZE(kept) < max_kept)
            status = PyList_SetSlice(kept, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, findings);
    }
done:
    Py_XDECREF(id);
    Py_XDECREF(had);
    Py_XDECREF(frozen);
    Py_XDECREF(findings);
    Py_XDECREF(kept);
    Py_DECREF(node);
    Py_DECREF(parent);
    return status < 0 ? -1 : 0;
}

/* Whether the `count` innermost open loops may close here: each has a parent and is not an
 * envelope loop (a set or group ends: Python's business). 1, 0, -1 error. */
static int
may_close(PyObject *stack, Py_ssize_t count)
{
    Py_ssize_t depth = PyList_GET_SIZE(stack);
    if (count >= depth)
        return 0;
    for (Py_ssize_t i = depth - count; i < depth; i++) {
        PyObject *id = slot_get(&open_id, PyList_GET_ITEM(stack, i));
        if (id == NULL)
            return -1;
        int envelope = PySet_Contains(envelope_loops, id);
        Py_DECREF(id);
        if (envelope != 0)
            return envelope < 0 ? -1 : 0;
    }
    return 1;
}

#endif

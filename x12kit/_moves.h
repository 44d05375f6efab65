/* The walker's remembered moves, read from C: what x12kit/_lane.c (validation) and
 * x12kit/_walk.c (models) both do for a segment before their own work. The Python they
 * follow is Walker._remembered and states.first_component (x12kit/walk/). Included by
 * both; every function is static. */
#ifndef X12KIT_MOVES_H
#define X12KIT_MOVES_H

#include <Python.h>

#include "_slots.h"

/* The position of the first `separator` (a one-character str, or "" for none) in
 * value[0:end], or `end`; -2 on error. */
static Py_ssize_t
cut_at(PyObject *value, PyObject *separator, Py_ssize_t end)
{
    if (PyUnicode_GET_LENGTH(separator) != 1)
        return end;
    Py_ssize_t at = PyUnicode_FindChar(value, PyUnicode_READ_CHAR(separator, 0), 0, end, 1);
    return at == -1 ? end : at;
}

/* states.first_component: the value up to its first repetition separator, then up to its
 * first component separator. New reference. */
static PyObject *
first_component(PyObject *value, PyObject *delimiters)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(value);
    Py_ssize_t end = cut_at(value, PyTuple_GET_ITEM(delimiters, 2), length);
    if (end >= 0)
        end = cut_at(value, PyTuple_GET_ITEM(delimiters, 1), end);
    if (end < 0)
        return NULL;
    return end == length ? Py_NewRef(value) : PyUnicode_Substring(value, 0, end);
}

static Slot state_moves = SLOT("moves");  /* State.moves */

/* The move remembered from `state` for the segment (Walker._remembered): a borrowed
 * (next state, fields) tuple, which lives as long as the state; NULL without an error where
 * there is none, NULL with an error on failure. */
static PyObject *
remembered(PyObject *state, PyObject *slots, PyObject *elements, PyObject *delimiters,
           PyObject *sid)
{
    PyObject *moves = slot_get(&state_moves, state);
    if (moves == NULL)
        return NULL;
    if (!PyDict_Check(moves)) {
        Py_DECREF(moves);
        PyErr_SetString(PyExc_TypeError, "State.moves is not a dict");
        return NULL;
    }
    PyObject *move = PyDict_GetItemWithError(moves, sid);
    Py_DECREF(moves);  /* the state holds it */
    if (move == NULL || !PyDict_Check(move))
        return move;
    /* the moves of an id with identifying codes, by the code in its slot */
    PyObject *slot = PyDict_GetItemWithError(slots, sid);
    if (slot == NULL || !PyTuple_Check(slot) || PyTuple_GET_SIZE(slot) < 2)
        return NULL;  /* no slot (an error, if any, stays set) */
    Py_ssize_t element = PyLong_AsSsize_t(PyTuple_GET_ITEM(slot, 0));
    int component = PyObject_IsTrue(PyTuple_GET_ITEM(slot, 1));
    if ((element == -1 || component < 0) && PyErr_Occurred())
        return NULL;
    PyObject *code;
    if (element >= 0 && element < PyTuple_GET_SIZE(elements)) {
        code = PyTuple_GET_ITEM(elements, element);
        if (!PyUnicode_Check(code)) {
            PyErr_SetString(PyExc_TypeError, "segment elements must be str");
            return NULL;
        }
        code = component ? first_component(code, delimiters) : Py_NewRef(code);
    }
    else
        code = PyUnicode_New(0, 0);
    if (code == NULL)
        return NULL;
    PyObject *found = PyDict_GetItemWithError(move, code);
    Py_DECREF(code);
    return found;
}

#endif

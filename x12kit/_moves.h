/* The walker's remembered moves, read from C: what x12kit/_lane.c (validation) and
 * x12kit/_walk.c (models) both do for a segment before their own work. The Python they
 * follow is Walker._remembered and states.first_component (x12kit/walk/). Included by
 * both; every function is static. */
#ifndef X12KIT_MOVES_H
#define X12KIT_MOVES_H

#include <Python.h>

#include "_memo.h"
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

/* states.first_component: the end of the value's first component, the value up to its first
 * repetition separator, then up to its first component separator; -2 on error. */
static Py_ssize_t
first_component_end(PyObject *value, PyObject *delimiters)
{
    Py_ssize_t end = cut_at(value, PyTuple_GET_ITEM(delimiters, 2), PyUnicode_GET_LENGTH(value));
    return end < 0 ? end : cut_at(value, PyTuple_GET_ITEM(delimiters, 1), end);
}

/* by_code[value[:end]], borrowed, NULL without an error where absent. A small dict (the
 * codes remembered for one segment id from one state are few) is searched by comparing
 * its keys, which makes no str of the code and hashes nothing. */
static PyObject *
by_code_prefix(PyObject *by_code, PyObject *value, Py_ssize_t end)
{
    if (end == PyUnicode_GET_LENGTH(value))
        return PyDict_GetItemWithError(by_code, value);
    if (PyDict_GET_SIZE(by_code) <= 8 && PyUnicode_IS_COMPACT_ASCII(value)) {
        const char *text = (const char *)PyUnicode_DATA(value);
        Py_ssize_t pos = 0;
        PyObject *key, *move;
        while (PyDict_Next(by_code, &pos, &key, &move))
            if (PyUnicode_CheckExact(key) && PyUnicode_IS_COMPACT_ASCII(key)
                    && PyUnicode_GET_LENGTH(key) == end
                    && memcmp(PyUnicode_DATA(key), text, (size_t)end) == 0)
                return move;
        return NULL;
    }
    PyObject *code = PyUnicode_Substring(value, 0, end);
    if (code == NULL)
        return NULL;
    PyObject *move = PyDict_GetItemWithError(by_code, code);
    Py_DECREF(code);
    return move;
}

static Slot state_moves = SLOT("moves");  /* State.moves */
/* Walker._state and Walker._moves, which the C runs read on entry and write back on exit */
static Slot walker_state = SLOT("_state"), walker_moves = SLOT("_moves");

/* What a state remembers for a segment id, as remembered() last found it: state.moves[sid]
 * (a move, or a dict of moves by identifying code) and, for a dict, where the code stands
 * (Moves.slots[sid]). Keyed by the two objects themselves: a state is interned for its
 * schema and the cutter interns segment ids, so a segment's id and the walker's state meet
 * again and again. What a state remembers for an id does not change once remembered (a
 * dict of codes may grow, and is read afresh), so an entry never goes stale. Entries hold
 * their state, id and value, so none is freed (and its address reused) while kept. */
#define MOVE_MEMO_BITS 9  /* 512 entries */
#define CODES_KEPT 4      /* moves by code an entry keeps, by packed_code() */
typedef struct {
    PyObject *state, *sid, *found;
    Py_ssize_t element;
    int component;
    /* for a dict: the last codes looked up in it and their moves, so that a code met again
       is compared as one number, not hashed and looked up (nor cut out of its composite) */
    uint32_t codes[CODES_KEPT];
    PyObject *code_moves[CODES_KEPT];
    unsigned next_code;
} MoveMemo;
static MoveMemo move_memo[1 << MOVE_MEMO_BITS];

/* The entry for (state, sid), filled from the state and `slots` where it held another; NULL
 * without an error where nothing is remembered, NULL with an error on failure. */
static MoveMemo *
memo_of(PyObject *state, PyObject *slots, PyObject *sid)
{
    MoveMemo *memo = &move_memo[memo_slot(state, sid, NULL, MOVE_MEMO_BITS)];
    if (memo->state == state && memo->sid == sid)
        return memo;
    PyObject *moves = slot_get(&state_moves, state);
    if (moves == NULL)
        return NULL;
    if (!PyDict_Check(moves)) {
        Py_DECREF(moves);
        PyErr_SetString(PyExc_TypeError, "State.moves is not a dict");
        return NULL;
    }
    PyObject *found = PyDict_GetItemWithError(moves, sid);
    Py_XINCREF(found);
    Py_DECREF(moves);
    if (found == NULL)
        return NULL;
    Py_ssize_t element = 0;
    int component = 0;
    if (PyDict_Check(found)) {  /* the moves of an id with identifying codes, by code */
        PyObject *slot = PyDict_GetItemWithError(slots, sid);
        if (slot == NULL || !PyTuple_Check(slot) || PyTuple_GET_SIZE(slot) < 2) {
            Py_DECREF(found);
            return NULL;  /* no slot (an error, if any, stays set) */
        }
        element = PyLong_AsSsize_t(PyTuple_GET_ITEM(slot, 0));
        component = PyObject_IsTrue(PyTuple_GET_ITEM(slot, 1));
        if ((element == -1 || component < 0) && PyErr_Occurred()) {
            Py_DECREF(found);
            return NULL;
        }
    }
    Py_XSETREF(memo->state, Py_NewRef(state));
    Py_XSETREF(memo->sid, Py_NewRef(sid));
    Py_XSETREF(memo->found, found);
    memo->element = element;
    memo->component = component;
    for (int i = 0; i < CODES_KEPT; i++) {
        memo->codes[i] = 0;
        Py_CLEAR(memo->code_moves[i]);
    }
    return memo;
}

/* The character of a one-character separator, or -1 for "" (none). */
static inline int
separator_char(PyObject *separator)
{
    return PyUnicode_GET_LENGTH(separator) == 1 ? (int)PyUnicode_READ_CHAR(separator, 0) : -1;
}

/* The code of `value` (its first component where `delimiters` is given, as
 * first_component_end cuts it) as one number: its length + 1, then its characters; 0
 * where it is longer than three characters or not ASCII. */
static uint32_t
packed_code(PyObject *value, PyObject *delimiters)
{
    if (!PyUnicode_IS_COMPACT_ASCII(value))
        return 0;
    const Py_UCS1 *text = PyUnicode_1BYTE_DATA(value);
    Py_ssize_t end = PyUnicode_GET_LENGTH(value);
    if (delimiters != NULL) {
        int component = separator_char(PyTuple_GET_ITEM(delimiters, 1));
        int repetition = separator_char(PyTuple_GET_ITEM(delimiters, 2));
        for (Py_ssize_t i = 0; i < end && i < 4; i++)
            if (text[i] == component || text[i] == repetition) {
                end = i;
                break;
            }
    }
    if (end > 3)
        return 0;
    uint32_t packed = (uint32_t)(end + 1) << 24;
    for (Py_ssize_t i = 0; i < end; i++)
        packed |= (uint32_t)text[i] << (16 - 8 * i);
    return packed;
}

/* The move remembered from `state` for the segment (Walker._remembered): a borrowed
 * (next state, fields) tuple, which lives as long as the state; NULL without an error where
 * there is none, NULL with an error on failure. */
static PyObject *
remembered(PyObject *state, PyObject *slots, PyObject *elements, PyObject *delimiters,
           PyObject *sid)
{
    MoveMemo *memo = memo_of(state, slots, sid);
    if (memo == NULL || !PyDict_Check(memo->found))
        return memo == NULL ? NULL : memo->found;
    Py_ssize_t element = memo->element;
    if (element < 0 || element >= PyTuple_GET_SIZE(elements)) {
        PyObject *empty = PyUnicode_New(0, 0);
        PyObject *found = empty ? PyDict_GetItemWithError(memo->found, empty) : NULL;
        Py_XDECREF(empty);
        return found;
    }
    PyObject *code = PyTuple_GET_ITEM(elements, element);
    if (!PyUnicode_Check(code)) {
        PyErr_SetString(PyExc_TypeError, "segment elements must be str");
        return NULL;
    }
    uint32_t packed = packed_code(code, memo->component ? delimiters : NULL);
    for (int i = 0; packed != 0 && i < CODES_KEPT; i++)
        if (memo->codes[i] == packed)
            return memo->code_moves[i];
    PyObject *move;
    if (!memo->component)
        move = PyDict_GetItemWithError(memo->found, code);
    else {
        Py_ssize_t end = first_component_end(code, delimiters);
        move = end < 0 ? NULL : by_code_prefix(memo->found, code, end);
    }
    if (move != NULL && packed != 0) {
        unsigned at = memo->next_code++ % CODES_KEPT;
        memo->codes[at] = packed;
        Py_XSETREF(memo->code_moves[at], Py_NewRef(move));
    }
    return move;
}

#endif

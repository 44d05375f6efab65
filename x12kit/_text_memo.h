/* Values read from short texts (amounts, dates) and from short segments (DTM, DTP),
 * remembered by their characters: part of x12kit._values (included by _values.c).
 *
 * A claim payment reads some thirty amounts and a few dates, most of them seen before in the
 * file (0, the same charges, the same days). A dict memo hashes each text, a fresh str from
 * the cutter, with SipHash, and a miss calls the Python reader through its own lru_cache.
 * This memo is a table of TEXT_MEMO slots chosen by an FNV-1a hash of the characters; a
 * slot holds its last text and value, so a text met again costs a hash and a memcmp. A miss
 * asks `fast` (a C reader of the plain case, or NULL) and else the Python reader, whose
 * value it keeps; a collision replaces the slot. The Python readers (values.money,
 * values.day) remain the specification: `fast` gives what they give, or nothing. */
#ifndef X12KIT_TEXT_MEMO_H
#define X12KIT_TEXT_MEMO_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

#define TEXT_MEMO 4096  /* slots, a power of two */

typedef struct {
    PyObject *text[TEXT_MEMO];
    PyObject *value[TEXT_MEMO];
} TextMemo;

/* A reader of the plain case in C: a new reference, or NULL without an error where the
 * Python reader must decide, or NULL with an error. */
typedef PyObject *(*FastReader)(const char *text, Py_ssize_t length, PyObject *str);

static void
text_memo_clear(TextMemo *memo)
{
    for (int i = 0; i < TEXT_MEMO; i++) {
        Py_CLEAR(memo->text[i]);
        Py_CLEAR(memo->value[i]);
    }
}

/* read(text), remembered in `memo` (a new reference). */
static PyObject *
text_memo_read(TextMemo *memo, PyObject *read, FastReader fast, PyObject *text)
{
    if (!PyUnicode_IS_COMPACT_ASCII(text))
        return PyObject_CallOneArg(read, text);
    const char *chars = (const char *)PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    uint32_t hash = 2166136261u;
    for (Py_ssize_t i = 0; i < length; i++)
        hash = (hash ^ (unsigned char)chars[i]) * 16777619u;
    size_t slot = (hash ^ hash >> 15) & (TEXT_MEMO - 1);
    PyObject *kept = memo->text[slot];
    if (kept != NULL && (kept == text || (PyUnicode_GET_LENGTH(kept) == length
            && memcmp(PyUnicode_DATA(kept), chars, (size_t)length) == 0)))
        return Py_NewRef(memo->value[slot]);
    PyObject *value = fast != NULL ? fast(chars, length, text) : NULL;
    if (value == NULL) {
        if (PyErr_Occurred())
            return NULL;
        if ((value = PyObject_CallOneArg(read, text)) == NULL)
            return NULL;
    }
    Py_XSETREF(memo->text[slot], Py_NewRef(text));
    Py_XSETREF(memo->value[slot], Py_NewRef(value));
    return value;
}

/* The same for segments read whole by a Python function of their elements (values._dtm and
 * values._dtp, a few per claim), for segments of at most PARTS_MEMO_ELEMENTS elements after
 * the id: a slot keeps the elements and the value read. A segment of more elements is read
 * by the function each time. The function's value for equal elements is the one kept. */
#define PARTS_MEMO 1024  /* slots, a power of two */
#define PARTS_MEMO_ELEMENTS 3

typedef struct {
    PyObject *elements[PARTS_MEMO];  /* the segment's elements tuple, as read */
    PyObject *value[PARTS_MEMO];
} PartsMemo;

static void
parts_memo_clear(PartsMemo *memo)
{
    for (int i = 0; i < PARTS_MEMO; i++) {
        Py_CLEAR(memo->elements[i]);
        Py_CLEAR(memo->value[i]);
    }
}

/* Whether elements[1:] of two tuples of compact ASCII str (of one length) are equal. */
static int
same_parts(PyObject *a, PyObject *b, Py_ssize_t size)
{
    for (Py_ssize_t i = 1; i < size; i++) {
        PyObject *x = PyTuple_GET_ITEM(a, i), *y = PyTuple_GET_ITEM(b, i);
        if (x != y && (PyUnicode_GET_LENGTH(x) != PyUnicode_GET_LENGTH(y)
                || memcmp(PyUnicode_DATA(x), PyUnicode_DATA(y),
                          (size_t)PyUnicode_GET_LENGTH(x)) != 0))
            return 0;
    }
    return 1;
}

/* read(elements), remembered in `memo` by elements[1:] (a new reference). */
static PyObject *
parts_memo_read(PartsMemo *memo, PyObject *read, PyObject *elements)
{
    Py_ssize_t size = PyTuple_GET_SIZE(elements);
    if (size < 2 || size > PARTS_MEMO_ELEMENTS + 1)
        return PyObject_CallOneArg(read, elements);
    uint32_t hash = 2166136261u;
    for (Py_ssize_t i = 1; i < size; i++) {
        PyObject *part = PyTuple_GET_ITEM(elements, i);
        if (!PyUnicode_Check(part) || !PyUnicode_IS_COMPACT_ASCII(part))
            return PyObject_CallOneArg(read, elements);
        const unsigned char *chars = PyUnicode_DATA(part);
        for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(part); j++)
            hash = (hash ^ chars[j]) * 16777619u;
        hash = (hash ^ 0x1f) * 16777619u;  /* between elements: "1" "23" is not "12" "3" */
    }
    size_t slot = (hash ^ hash >> 15) & (PARTS_MEMO - 1);
    PyObject *kept = memo->elements[slot];
    if (kept != NULL && PyTuple_GET_SIZE(kept) == size && same_parts(kept, elements, size))
        return Py_NewRef(memo->value[slot]);
    PyObject *value = PyObject_CallOneArg(read, elements);
    if (value == NULL)
        return NULL;
    Py_XSETREF(memo->elements[slot], Py_NewRef(elements));
    Py_XSETREF(memo->value[slot], Py_NewRef(value));
    return value;
}

#endif

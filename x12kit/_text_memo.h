/* Values read from short texts (amounts, dates), remembered by the text's characters: part
 * of x12kit._values (included by _values.c).
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

#endif

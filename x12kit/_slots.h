/* Reading and writing a __slots__ attribute of a Python class from C without the attribute
 * protocol. PyObject_GetAttr on a slot looks the name up in the type (its MRO cache), finds
 * the member descriptor and calls it: about 150 instructions, paid by the model reader for
 * every segment (State.moves) and several times for every loop it opens (tree._Open).
 *
 * The descriptor holds the slot's offset in the instance. A Slot finds it for the type of
 * the object it is used on, and then reads the pointer there for objects of exactly that
 * type. An object of another type (a subclass, a stand-in in a test) makes the Slot look at
 * that type instead; a type without such a slot goes through PyObject_GetAttr and
 * PyObject_SetAttr. So the behaviour is the attribute protocol's in every case. Included by
 * _walk.c and _lane.c (through _moves.h); every function is static. */
#ifndef X12KIT_SLOTS_H
#define X12KIT_SLOTS_H

#include <Python.h>
#include <structmember.h>

typedef struct {
    const char *text;    /* the attribute's name */
    PyObject *name;      /* the same, interned on first use */
    PyTypeObject *seen;  /* the type last looked at (a strong reference), or NULL */
    int direct;          /* whether `seen` has the slot, at `offset` */
    Py_ssize_t offset;
} Slot;

#define SLOT(text) {text, NULL, NULL, 0, 0}

/* Look at `type`: does it have its own writable slot of the name, holding any object
 * (T_OBJECT_EX)? 0, or -1 with an error. */
static int
slot_look(Slot *slot, PyTypeObject *type)
{
    if (slot->name == NULL && (slot->name = PyUnicode_InternFromString(slot->text)) == NULL)
        return -1;
    Py_XSETREF(slot->seen, (PyTypeObject *)Py_NewRef(type));
    slot->direct = 0;
    PyObject *descriptor = PyDict_GetItemWithError(type->tp_dict, slot->name);
    if (descriptor == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!Py_IS_TYPE(descriptor, &PyMemberDescr_Type))
        return 0;
    PyMemberDef *member = ((PyMemberDescrObject *)descriptor)->d_member;
    if (member->type != T_OBJECT_EX || (member->flags & READONLY))
        return 0;
    slot->offset = member->offset;
    slot->direct = 1;
    return 0;
}

/* The slot's place in `owner`, or NULL where the attribute protocol must be used (and
 * `*failed` set where looking at the type failed). */
static inline PyObject **
slot_place(Slot *slot, PyObject *owner, int *failed)
{
    *failed = 0;
    if (Py_TYPE(owner) != slot->seen && slot_look(slot, Py_TYPE(owner)) < 0) {
        *failed = 1;
        return NULL;
    }
    return slot->direct ? (PyObject **)((char *)owner + slot->offset) : NULL;
}

/* owner.<name>, a new reference (NULL with an error). */
static inline PyObject *
slot_get(Slot *slot, PyObject *owner)
{
    int failed;
    PyObject **at = slot_place(slot, owner, &failed);
    if (at == NULL)
        return failed ? NULL : PyObject_GetAttr(owner, slot->name);
    if (*at == NULL) {
        PyErr_SetObject(PyExc_AttributeError, slot->name);
        return NULL;
    }
    return Py_NewRef(*at);
}

/* owner.<name> = value (not stolen); 0, or -1 with an error. */
static inline int
slot_set(Slot *slot, PyObject *owner, PyObject *value)
{
    int failed;
    PyObject **at = slot_place(slot, owner, &failed);
    if (at == NULL)
        return failed ? -1 : PyObject_SetAttr(owner, slot->name, value);
    Py_XSETREF(*at, Py_NewRef(value));
    return 0;
}

#endif

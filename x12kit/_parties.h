/* The parties NM1 loops name, in C: part of x12kit._values (included by _values.c, whose
 * helpers it uses). values.nm1 and values.party_of (of an NM1 loop) are the specification.
 *
 * A Party is the NM1's elements read by the NM1 plan (values.NM1_ELEMENTS), then the address
 * its loop's first N3 and N4 give and the references of its REFs; an NM1 a builder reads on
 * its own (the 835's claim payment names) has neither. */

/* Set by bind_parties(). */
static PyObject *party_type, *nm1_plan, *address_type;
static PyObject *no_references;  /* () */
static PyObject *nm1_id, *n3_id, *n4_id, *ref_id;

#define ADDRESS_FIELDS 6  /* Address: N3-01, N3-02, N4-01, N4-02 (or N4-08), N4-03, N4-04 */

static int
parties_bound(void)
{
    return bound() && bound_by(party_type, "bind_parties");
}

/* values.nm1: the Party of an NM1, with `address` and `references` (taken: new references
 * or NULL on error), or NULL. */
static PyObject *
party_named(PyObject *seg, PyObject *address, PyObject *references)
{
    Py_ssize_t read = PyTuple_GET_SIZE(nm1_plan);
    PyObject *found = address && references ? new_fields(party_type, read + 2) : NULL;
    if (found == NULL) {
        Py_XDECREF(address);
        Py_XDECREF(references);
        return NULL;
    }
    PyTuple_SET_ITEM(found, read, address);  /* set before anything can fail */
    PyTuple_SET_ITEM(found, read + 1, references);
    if (fields_into(found, 0, seg, nm1_plan) < 0)
        Py_CLEAR(found);
    return found;
}

/* values.address of the N3 and N4 (either may be NULL, not both): a new Address. */
static PyObject *
address_of(PyObject *n3, PyObject *n4)
{
    PyObject *street = n3 ? PyTuple_GET_ITEM(n3, SEGMENT_ELEMENTS) : NULL;
    PyObject *place = n4 ? PyTuple_GET_ITEM(n4, SEGMENT_ELEMENTS) : NULL;
    PyObject *state = place ? element(place, 2) : empty;
    if (PyUnicode_Check(state) && PyUnicode_GET_LENGTH(state) == 0 && place)
        state = element(place, 8);  /* a country subdivision where there is no state */
    PyObject *value[ADDRESS_FIELDS] = {
        street ? element(street, 1) : empty, street ? element(street, 2) : empty,
        place ? element(place, 1) : empty, state,
        place ? element(place, 3) : empty, place ? element(place, 4) : empty,
    };
    PyObject *found = new_fields(address_type, ADDRESS_FIELDS);
    if (found == NULL)
        return NULL;
    for (int i = 0; i < ADDRESS_FIELDS; i++)
        PyTuple_SET_ITEM(found, i, Py_NewRef(value[i]));
    return found;
}

/* Is `id` (a str) `wanted` (interned)? */
static int
is_id(PyObject *id, PyObject *wanted)
{
    return id == wanted || (PyUnicode_Check(id) && PyUnicode_Compare(id, wanted) == 0);
}

/* values.party_of of an NM1 loop: its first NM1 with its first N3 and N4 and its REFs, as
 * a Party; None where the loop is None or has no NM1. */
static PyObject *
party_of(PyObject *module, PyObject *loop)
{
    if (!parties_bound())
        return NULL;
    if (loop == Py_None)
        Py_RETURN_NONE;
    if (Py_TYPE(loop) != (PyTypeObject *)loop_type
            || !PyTuple_Check(PyTuple_GET_ITEM(loop, LOOP_CONTENT))) {
        PyErr_SetString(PyExc_TypeError, "party_of(loop) takes a Loop of a tuple or None");
        return NULL;
    }
    PyObject *content = PyTuple_GET_ITEM(loop, LOOP_CONTENT);
    PyObject *nm1 = NULL, *n3 = NULL, *n4 = NULL;
    PyObject *refs = PyList_New(0);
    if (refs == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content); i++) {
        PyObject *seg = PyTuple_GET_ITEM(content, i);
        if (Py_TYPE(seg) != (PyTypeObject *)segment_type)
            continue;
        PyObject *e = elements_of(seg);
        if (e == NULL)
            goto fail;
        PyObject *id = PyTuple_GET_ITEM(e, 0);
        if (is_id(id, ref_id)) {
            if (append_new(refs, fields_of(seg, reference_plan, reference_type)) < 0)
                goto fail;
        } else if (nm1 == NULL && is_id(id, nm1_id))
            nm1 = seg;
        else if (n3 == NULL && is_id(id, n3_id))
            n3 = seg;
        else if (n4 == NULL && is_id(id, n4_id))
            n4 = seg;
        if (PyErr_Occurred())
            goto fail;
    }
    if (nm1 == NULL) {
        Py_DECREF(refs);
        Py_RETURN_NONE;
    }
    PyObject *found = party_named(nm1, n3 || n4 ? address_of(n3, n4) : Py_NewRef(Py_None),
                                  PyList_AsTuple(refs));
    Py_DECREF(refs);
    return found;
fail:
    Py_DECREF(refs);
    return NULL;
}

static PyObject *
bind_parties(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !is_tuple_type(args[0]) || !is_tuple_type(args[2])) {
        PyErr_SetString(PyExc_TypeError, "bind_parties(Party, NM1 plan, Address)");
        return NULL;
    }
    if (!is_plan(args[1]))
        return NULL;
    if (!has_fields(args[0], PyTuple_GET_SIZE(args[1]) + 2, "Party's fields are the NM1 "
                    "plan's, then address and references")
            || !has_fields(args[2], ADDRESS_FIELDS, "Address has six fields"))
        return NULL;
    const char *names[4] = {"NM1", "N3", "N4", "REF"};
    PyObject **ids[4] = {&nm1_id, &n3_id, &n4_id, &ref_id};
    for (int i = 0; i < 4; i++)
        if (*ids[i] == NULL && (*ids[i] = PyUnicode_InternFromString(names[i])) == NULL)
            return NULL;
    if (no_references == NULL && (no_references = PyTuple_New(0)) == NULL)
        return NULL;
    Py_XSETREF(party_type, Py_NewRef(args[0]));
    Py_XSETREF(nm1_plan, Py_NewRef(args[1]));
    Py_XSETREF(address_type, Py_NewRef(args[2]));
    Py_RETURN_NONE;
}

/* The 835's claim payments (2100) and service payments (2110), in C: part of x12kit._values
 * (included by _values.c, whose helpers it uses). remittance.py_claim_payment and
 * remittance.py_service_payments are the specification.
 */

/* The 835's 2110 service payments (remittance.service_payment is the specification).
 *
 * One pass over a 2110's content takes its segments by slot (remittance._SERVICE_SLOTS,
 * numbered as below): the first SVC read by the SVC plan into ServicePayment's first fields,
 * then the fields after them, in ServicePayment's order (pinned by the test). */
enum service_slot { SLOT_SVC, SLOT_DTM, SLOT_CAS, SLOT_REF, SLOT_AMT, SLOT_LQ, SERVICE_SLOTS };
enum service_list { DATES, ADJUSTMENTS, REFERENCES, REMARKS, SERVICE_LISTS };
#define FIELDS_AFTER_SVC 7  /* dates, adjustments, allowed, control_number, remarks,
                               references, loop */

/* Set by bind_services(). */
static PyObject *service_type, *svc_plan, *service_slots, *read_dtm;

/* 1 where element n of `elements` is the ASCII `code`, 0 where not, -1 on error. */
static int
element_is(PyObject *elements, Py_ssize_t n, const char *code)
{
    PyObject *text = text_at(elements, n);
    if (text == NULL)
        return -1;
    return PyUnicode_CompareWithASCIIString(text, code) == 0;
}

/* One segment of a 2110 taken into `lists`, `svc` and `allowed` (borrowed); 0, or -1. */
static int
take_service_segment(PyObject *seg, PyObject **lists, PyObject **svc, PyObject **allowed)
{
    PyObject *elements = elements_of(seg);
    if (elements == NULL)
        return -1;
    int is;
    switch (bound_slot_in(service_slots, elements, SERVICE_SLOTS)) {
    case -2:
        return -1;
    case SLOT_SVC:
        if (*svc == NULL)
            *svc = seg;
        return 0;
    case SLOT_DTM:
        return append_new(lists[DATES], parts_memo_read(&dtm_memo, read_dtm, elements));
    case SLOT_CAS:
        return triples(seg, lists[ADJUSTMENTS]);
    case SLOT_REF:
        return append_new(lists[REFERENCES], fields_of(seg, reference_plan, reference_type));
    case SLOT_AMT:  /* the first AMT*B6 */
        if (*allowed != NULL || PyTuple_GET_SIZE(elements) < 2)
            return 0;
        is = element_is(elements, 1, "B6");
        if (is > 0)
            *allowed = seg;
        return is < 0 ? -1 : 0;
    case SLOT_LQ:  /* LQ*HE: a remark code */
        is = element_is(elements, 1, "HE");
        if (is <= 0)
            return is;
        PyObject *code = text_at(elements, 2);
        return append_new(lists[REMARKS], code ? Py_NewRef(code) : NULL);
    }
    return 0;  /* a segment service_payment does not read */
}

/* REF*6R's value among the Reference values read, None where there is none (new). */
static PyObject *
control_number(PyObject *references)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(references); i++) {
        PyObject *reference = PyList_GET_ITEM(references, i);
        if (PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(reference, 0), "6R") == 0)
            return Py_NewRef(PyTuple_GET_ITEM(reference, 1));
    }
    return Py_NewRef(Py_None);
}

/* The fields after SVC's, into `found` from item `at` on; 0, or -1 on error. */
static int
service_fields_into(PyObject *found, Py_ssize_t at, PyObject **lists, PyObject *allowed,
                    PyObject *loop)
{
    PyObject *value[FIELDS_AFTER_SVC] = {
        PyList_AsTuple(lists[DATES]), PyList_AsTuple(lists[ADJUSTMENTS]),
        allowed == NULL ? Py_NewRef(Py_None) : NULL, control_number(lists[REFERENCES]),
        PyList_AsTuple(lists[REMARKS]), PyList_AsTuple(lists[REFERENCES]), Py_NewRef(loop),
    };
    if (allowed != NULL) {
        PyObject *text = text_at(PyTuple_GET_ITEM(allowed, SEGMENT_ELEMENTS), 2);
        value[2] = text ? read_as(MONEY, text, allowed) : NULL;
    }
    int failed = 0;
    for (int i = 0; i < FIELDS_AFTER_SVC; i++) {
        if (value[i] == NULL)
            failed = -1;
        PyTuple_SET_ITEM(found, at + i, value[i]);  /* NULLs are left to the caller's decref */
    }
    return failed;
}

/* service_payment(loop): one ServicePayment (a new reference). */
static PyObject *
service_payment(PyObject *loop)
{
    PyObject *content = PyTuple_GET_ITEM(loop, LOOP_CONTENT);
    if (!PyTuple_Check(content)) {
        PyErr_SetString(PyExc_TypeError, "a Loop's content must be a tuple");
        return NULL;
    }
    PyObject *lists[SERVICE_LISTS] = {NULL}, *svc = NULL, *allowed = NULL, *found = NULL;
    for (int i = 0; i < SERVICE_LISTS; i++)
        if ((lists[i] = PyList_New(0)) == NULL)
            goto done;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content); i++) {
        PyObject *entry = PyTuple_GET_ITEM(content, i);
        if (Py_TYPE(entry) == (PyTypeObject *)segment_type
                && take_service_segment(entry, lists, &svc, &allowed) < 0)
            goto done;
    }
    if (svc == NULL) {  /* as svc[0] of an empty list */
        PyErr_SetString(PyExc_IndexError, "a 2110 without its SVC");
        goto done;
    }
    Py_ssize_t read = PyTuple_GET_SIZE(svc_plan);
    found = new_fields(service_type, read + FIELDS_AFTER_SVC);
    if (found != NULL && (fields_into(found, 0, svc, svc_plan) < 0
                          || service_fields_into(found, read, lists, allowed, loop) < 0))
        Py_CLEAR(found);
done:
    for (int i = 0; i < SERVICE_LISTS; i++)
        Py_XDECREF(lists[i]);
    return found;
}

static int
services_bound(void)
{
    return bound() && bound_by(service_type, "bind_services");
}

/* The ServicePayment of each 2110 in `loops` (a list), as a tuple (a new reference). */
static PyObject *
services_of(PyObject *loops)
{
    return each_child(loops, "2110", service_payment);
}

static PyObject *
service_payments(PyObject *module, PyObject *loops)
{
    if (!PyList_Check(loops)) {
        PyErr_SetString(PyExc_TypeError, "service_payments(loops) takes a list");
        return NULL;
    }
    return services_bound() ? services_of(loops) : NULL;
}

static PyObject *
bind_services(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !is_tuple_type(args[0]) || !PyDict_Check(args[2])
            || !PyCallable_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "bind_services(ServicePayment, SVC plan, slots, "
                                         "values._dtm)");
        return NULL;
    }
    if (!is_plan(args[1]))
        return NULL;
    if (!has_fields(args[0], PyTuple_GET_SIZE(args[1]) + FIELDS_AFTER_SVC, "ServicePayment's "
                    "fields are the SVC plan's and the seven _values.c makes"))
        return NULL;
    Py_XSETREF(service_type, Py_NewRef(args[0]));
    Py_XSETREF(svc_plan, Py_NewRef(args[1]));
    Py_XSETREF(service_slots, Py_NewRef(args[2]));
    Py_XSETREF(read_dtm, Py_NewRef(args[3]));
    parts_memo_clear(&dtm_memo);
    Py_RETURN_NONE;
}

/* The 835's 2100 claim payments (remittance.py_claim_payment is the specification).
 *
 * One pass over a 2100's content takes its segments by slot (remittance._CLAIM_SLOTS,
 * numbered as below) and its child loops; ClaimPayment's fields are the CLP plan's, one per
 * name code (remittance._NAMES), then the eleven below, in ClaimPayment's order (pinned by
 * the test). */
enum claim_slot { CLAIM_CLP, CLAIM_NM1, CLAIM_CAS, CLAIM_DTM, CLAIM_AMT, CLAIM_REF, CLAIM_MIA,
                  CLAIM_MOA, CLAIM_SLOTS };
enum claim_list { CLAIM_ADJUSTMENTS, CLAIM_DATES, CLAIM_AMOUNTS, CLAIM_REFERENCES,
                  CLAIM_CHILDREN, CLAIM_LISTS };
#define FIELDS_AFTER_NAMES 11  /* adjustments, inpatient, outpatient, dates, amounts,
                                  references, services, payment, loop, findings, context */
#define ITEM_LOOP 0      /* Item.loop */
#define ITEM_CONTEXT 1   /* Item.context */
#define ITEM_FINDINGS 3  /* Item.findings */
#define MAX_NAMES 8

/* Set by bind_claims(). */
static PyObject *item_type, *claim_type, *clp_plan, *amount_plan, *claim_slots, *name_codes;

/* What one pass over a 2100 finds (borrowed segments, new lists). */
struct claim_parts {
    PyObject *clp, *mia, *moa, *names[MAX_NAMES];
    PyObject *lists[CLAIM_LISTS];
};

/* An NM1 kept as the last of its code (NM101) among the names asked for; 0, or -1. */
static int
take_name(PyObject *seg, PyObject *elements, struct claim_parts *parts)
{
    if (PyTuple_GET_SIZE(elements) < 2)
        return 0;
    PyObject *code = text_at(elements, 1);
    if (code == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(name_codes); i++)
        if (PyUnicode_Compare(code, PyTuple_GET_ITEM(name_codes, i)) == 0)
            parts->names[i] = seg;
    return PyErr_Occurred() ? -1 : 0;
}

/* One entry of a 2100 taken into `parts`; 0, or -1 on error. */
static int
take_claim_entry(PyObject *entry, struct claim_parts *parts)
{
    if (Py_TYPE(entry) != (PyTypeObject *)segment_type)
        return PyList_Append(parts->lists[CLAIM_CHILDREN], entry);
    PyObject *elements = elements_of(entry);
    if (elements == NULL)
        return -1;
    switch (bound_slot_in(claim_slots, elements, CLAIM_SLOTS)) {
    case -2:
        return -1;
    case CLAIM_CLP:
        if (parts->clp == NULL)
            parts->clp = entry;
        return 0;
    case CLAIM_NM1:
        return take_name(entry, elements, parts);
    case CLAIM_CAS:
        return triples(entry, parts->lists[CLAIM_ADJUSTMENTS]);
    case CLAIM_DTM:
        return append_new(parts->lists[CLAIM_DATES],
                          parts_memo_read(&dtm_memo, read_dtm, elements));
    case CLAIM_AMT:
        return append_new(parts->lists[CLAIM_AMOUNTS], fields_of(entry, amount_plan, Py_None));
    case CLAIM_REF:
        return append_new(parts->lists[CLAIM_REFERENCES],
                          fields_of(entry, reference_plan, reference_type));
    case CLAIM_MIA:
        if (parts->mia == NULL)
            parts->mia = entry;
        return 0;
    case CLAIM_MOA:
        if (parts->moa == NULL)
            parts->moa = entry;
        return 0;
    }
    return 0;  /* a segment claim_payment does not read */
}

/* The elements after the id of the first MIA or MOA, () where there is none (new). */
static PyObject *
elements_after_id(PyObject *seg)
{
    if (seg == NULL)
        return PyTuple_New(0);
    PyObject *elements = PyTuple_GET_ITEM(seg, SEGMENT_ELEMENTS);
    return PyTuple_GetSlice(elements, 1, PyTuple_GET_SIZE(elements));
}

/* ClaimPayment's fields from the names on, into `found` from item `at`; 0, or -1. */
static int
claim_fields_into(PyObject *found, Py_ssize_t at, struct claim_parts *parts, PyObject *item,
                  PyObject *payment)
{
    Py_ssize_t names = PyTuple_GET_SIZE(name_codes);
    for (Py_ssize_t i = 0; i < names; i++) {
        PyObject *name = parts->names[i] == NULL ? Py_NewRef(Py_None)
                         : party_named(parts->names[i], Py_NewRef(Py_None),
                                       Py_NewRef(no_references));
        PyTuple_SET_ITEM(found, at + i, name);
        if (name == NULL)
            return -1;
    }
    PyObject **lists = parts->lists;
    PyObject *value[FIELDS_AFTER_NAMES] = {
        PyList_AsTuple(lists[CLAIM_ADJUSTMENTS]), elements_after_id(parts->mia),
        elements_after_id(parts->moa), PyList_AsTuple(lists[CLAIM_DATES]),
        PyList_AsTuple(lists[CLAIM_AMOUNTS]), PyList_AsTuple(lists[CLAIM_REFERENCES]),
        services_of(lists[CLAIM_CHILDREN]), Py_NewRef(payment),
        Py_NewRef(PyTuple_GET_ITEM(item, ITEM_LOOP)),
        Py_NewRef(PyTuple_GET_ITEM(item, ITEM_FINDINGS)),
        Py_NewRef(PyTuple_GET_ITEM(item, ITEM_CONTEXT)),
    };
    int failed = 0;
    for (int i = 0; i < FIELDS_AFTER_NAMES; i++) {
        if (value[i] == NULL)
            failed = -1;
        PyTuple_SET_ITEM(found, at + names + i, value[i]);  /* NULLs: the caller's decref */
    }
    return failed;
}

static PyObject *
claim_payment(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "claim_payment(item, payment) takes 2 arguments");
        return NULL;
    }
    if (!services_bound() || !parties_bound() || !bound_by(claim_type, "bind_claims"))
        return NULL;
    PyObject *item = args[0];
    if (Py_TYPE(item) != (PyTypeObject *)item_type
            || Py_TYPE(PyTuple_GET_ITEM(item, ITEM_LOOP)) != (PyTypeObject *)loop_type) {
        PyErr_SetString(PyExc_TypeError, "an Item of a Loop was expected");
        return NULL;
    }
    PyObject *content = PyTuple_GET_ITEM(PyTuple_GET_ITEM(item, ITEM_LOOP), LOOP_CONTENT);
    if (!PyTuple_Check(content)) {
        PyErr_SetString(PyExc_TypeError, "a Loop's content must be a tuple");
        return NULL;
    }
    struct claim_parts parts = {0};
    PyObject *found = NULL;
    for (int i = 0; i < CLAIM_LISTS; i++)
        if ((parts.lists[i] = PyList_New(0)) == NULL)
            goto done;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content); i++)
        if (take_claim_entry(PyTuple_GET_ITEM(content, i), &parts) < 0)
            goto done;
    if (parts.clp == NULL) {  /* as clp[0] of an empty list */
        PyErr_SetString(PyExc_IndexError, "a 2100 without its CLP");
        goto done;
    }
    Py_ssize_t read = PyTuple_GET_SIZE(clp_plan);
    found = new_fields(claim_type,
                       read + PyTuple_GET_SIZE(name_codes) + FIELDS_AFTER_NAMES);
    if (found != NULL && (fields_into(found, 0, parts.clp, clp_plan) < 0
                          || claim_fields_into(found, read, &parts, item, args[1]) < 0))
        Py_CLEAR(found);
done:
    for (int i = 0; i < CLAIM_LISTS; i++)
        Py_XDECREF(parts.lists[i]);
    return found;
}

static PyObject *
bind_claims(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !is_tuple_type(args[0]) || !is_tuple_type(args[1])
            || !PyDict_Check(args[4]) || !PyTuple_Check(args[5])
            || PyTuple_GET_SIZE(args[5]) > MAX_NAMES) {
        PyErr_SetString(PyExc_TypeError, "bind_claims(Item, ClaimPayment, CLP plan, AMT plan, "
                                         "slots, name codes)");
        return NULL;
    }
    if (!is_plan(args[2]) || !is_plan(args[3]))
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args[5]); i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(args[5], i))) {
            PyErr_SetString(PyExc_TypeError, "the name codes must be str");
            return NULL;
        }
    if (!has_fields(args[1], PyTuple_GET_SIZE(args[2]) + PyTuple_GET_SIZE(args[5])
                    + FIELDS_AFTER_NAMES, "ClaimPayment's fields are the CLP plan's, one per "
                    "name and the eleven _values.c makes"))
        return NULL;
    Py_XSETREF(item_type, Py_NewRef(args[0]));
    Py_XSETREF(claim_type, Py_NewRef(args[1]));
    Py_XSETREF(clp_plan, Py_NewRef(args[2]));
    Py_XSETREF(amount_plan, Py_NewRef(args[3]));
    Py_XSETREF(claim_slots, Py_NewRef(args[4]));
    Py_XSETREF(name_codes, Py_NewRef(args[5]));
    Py_RETURN_NONE;
}

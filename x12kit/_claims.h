/* The 837's claims (2300) and service lines (2400), in C: part of x12kit._values (included
 * by _values.c, whose helpers it uses). claims.py_service_lines, with claims.service_line, is
 * the specification.
 *
 * One pass over a 2400's content takes the first LX, SV1, SV2 and SV3, reads each DTP (by
 * values._dtp), REF (as a values.Reference) and TOO (by claims._tooth) as it comes, and
 * sorts its child loops: 2420x providers (read together by claims._providers_of), 2430
 * adjudications (claims._line_adjudication), the first 2410 drug (claims._drug). The
 * service segment that reads is the first SV2, else SV3, else SV1; its plan (claims._SV1,
 * _SV2, _SV3) fills ServiceLine's fields as `service_kinds` places them, and the fields no
 * plan reads keep their defaults. ServiceLine's field order (enum line_field) and
 * claims._LINE_SLOTS (enum line_slot) are pinned by tests/test_models_fields.py.
 */

enum line_slot { LINE_LX, LINE_SV1, LINE_SV2, LINE_SV3, LINE_DTP, LINE_REF, LINE_TOO,
                 LINE_SLOTS };
enum line_list { LINE_TEETH, LINE_DATES, LINE_REFERENCES, LINE_PROVIDERS,
                 LINE_ADJUDICATIONS, LINE_LISTS };
enum line_field { LINE_NUMBER, LINE_PROCEDURE, LINE_REVENUE_CODE, LINE_CHARGE,
                  LINE_UNIT_TYPE, LINE_UNITS, LINE_PLACE_OF_SERVICE, LINE_POINTERS,
                  LINE_CAVITY, LINE_TEETH_FIELD, LINE_DATES_FIELD, LINE_CONTROL_NUMBER,
                  LINE_NDC, LINE_DRUG_QUANTITY, LINE_DRUG_UNIT, LINE_PROVIDERS_FIELD,
                  LINE_ADJUDICATIONS_FIELD, LINE_REFERENCES_FIELD, LINE_LOOP, LINE_FIELDS };
#define MAX_PLAN 5  /* the longest service plan */
#define LX_FIELDS 4 /* charge, unit type, units, place of service from LX02-05 */

/* How one kind of service segment reads, as claims.service_line reads it. */
struct service_kind {
    enum line_slot slot;
    Py_ssize_t reads;          /* the length of its plan */
    int into[MAX_PLAN];        /* the field each item of the plan fills */
    Py_ssize_t pointers;       /* the element of its diagnosis pointers, 0: none */
    const char *unit_type;     /* where the plan reads no unit type: this, or "" */
    int dental;                /* SV304 oral cavity, read by claims._cavity */
};

static const struct service_kind service_kinds[] = {  /* in the order they are preferred */
    {LINE_SV2, 5, {LINE_PROCEDURE, LINE_REVENUE_CODE, LINE_CHARGE, LINE_UNIT_TYPE, LINE_UNITS},
     0, "", 0},
    {LINE_SV3, 4, {LINE_PROCEDURE, LINE_CHARGE, LINE_UNITS, LINE_PLACE_OF_SERVICE}, 11, "UN", 1},
    {LINE_SV1, 5, {LINE_PROCEDURE, LINE_CHARGE, LINE_UNIT_TYPE, LINE_UNITS,
                LINE_PLACE_OF_SERVICE}, 7, "", 0},
};
#define SERVICE_KINDS (sizeof service_kinds / sizeof service_kinds[0])

/* Set by bind_lines(). */
static PyObject *line_type, *line_slots, *line_plans[LINE_SLOTS];
static PyObject *read_dtp, *read_pointers, *read_cavity, *read_tooth, *read_drug, *no_drug;
static PyObject *read_providers, *read_adjudication;
static PyObject *providers_prefix;  /* "2420" */

/* What one pass over a 2400 finds (borrowed segments and loops, new lists). */
struct line_parts {
    PyObject *first[LINE_SLOTS];  /* the first LX, SV1, SV2, SV3 */
    PyObject *drug;
    PyObject *lists[LINE_LISTS];
};

/* A child loop of a 2400 taken into `parts`; 0, or -1 on error. */
static int
take_line_loop(PyObject *loop, struct line_parts *parts)
{
    if (Py_TYPE(loop) != (PyTypeObject *)loop_type) {
        PyErr_SetString(PyExc_TypeError, "a Loop was expected");
        return -1;
    }
    PyObject *id = PyTuple_GET_ITEM(loop, LOOP_ID);
    if (!PyUnicode_Check(id)) {
        PyErr_SetString(PyExc_TypeError, "a Loop's id must be a str");
        return -1;
    }
    Py_ssize_t is_provider = PyUnicode_Tailmatch(id, providers_prefix, 0, PY_SSIZE_T_MAX, -1);
    if (is_provider < 0)
        return -1;
    if (is_provider)
        return PyList_Append(parts->lists[LINE_PROVIDERS], loop);
    if (PyUnicode_CompareWithASCIIString(id, "2430") == 0)
        return append_new(parts->lists[LINE_ADJUDICATIONS],
                          PyObject_CallOneArg(read_adjudication, loop));
    if (PyUnicode_CompareWithASCIIString(id, "2410") == 0 && parts->drug == NULL)
        parts->drug = loop;
    return 0;
}

/* One entry of a 2400 taken into `parts`; 0, or -1 on error. */
static int
take_line_entry(PyObject *entry, struct line_parts *parts)
{
    if (Py_TYPE(entry) != (PyTypeObject *)segment_type)
        return take_line_loop(entry, parts);
    PyObject *elements = elements_of(entry);
    if (elements == NULL)
        return -1;
    int slot = bound_slot_in(line_slots, elements, LINE_SLOTS);
    switch (slot) {
    case -2:
        return -1;
    case LINE_DTP:
        return append_new(parts->lists[LINE_DATES],
                          parts_memo_read(&dtp_memo, read_dtp, elements));
    case LINE_REF:
        return append_new(parts->lists[LINE_REFERENCES],
                          fields_of(entry, reference_plan, reference_type));
    case LINE_TOO:
        return append_new(parts->lists[LINE_TEETH], PyObject_CallOneArg(read_tooth, entry));
    case -1:
        return 0;  /* a segment service_line does not read */
    }
    if (parts->first[slot] == NULL)  /* LX, SV1, SV2, SV3: the first reads */
        parts->first[slot] = entry;
    return 0;
}

/* Sets `found`'s field `at` to `value` (a new reference, or NULL on error); 0, or -1. */
static int
set_field(PyObject *found, int at, PyObject *value)
{
    if (value == NULL)
        return -1;
    Py_XSETREF(((PyTupleObject *)found)->ob_item[at], value);
    return 0;
}

/* The diagnosis pointers of element n of `seg`, () where empty (a new reference). */
static PyObject *
pointers(PyObject *seg, Py_ssize_t n)
{
    PyObject *text = text_at(PyTuple_GET_ITEM(seg, SEGMENT_ELEMENTS), n);
    if (text == NULL)
        return NULL;
    if (PyUnicode_GET_LENGTH(text) == 0)
        return PyTuple_New(0);
    PyObject *component, *repetition;
    if (separators(seg, &component, &repetition) < 0)
        return NULL;
    return PyObject_CallFunctionObjArgs(read_pointers, text, component, repetition, NULL);
}

/* The fields a service segment of `kind` reads into `found`; 0, or -1 on error. */
static int
service_fields_of(PyObject *found, PyObject *seg, const struct service_kind *kind)
{
    PyObject *plan = line_plans[kind->slot];
    PyObject *read = fields_of(seg, plan, Py_None);
    if (read == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(read); i++)
        set_field(found, kind->into[i], Py_NewRef(PyTuple_GET_ITEM(read, i)));
    Py_DECREF(read);
    if (kind->unit_type[0] != '\0'
            && set_field(found, LINE_UNIT_TYPE, PyUnicode_FromString(kind->unit_type)) < 0)
        return -1;
    if (kind->pointers && set_field(found, LINE_POINTERS, pointers(seg, kind->pointers)) < 0)
        return -1;
    if (kind->dental && set_field(found, LINE_CAVITY, PyObject_CallOneArg(read_cavity, seg)) < 0)
        return -1;
    return 0;
}

/* Without a service segment: what the LX (or nothing) has where SV1's elements would be. */
static int
fields_of_lx(PyObject *found, PyObject *lx)
{
    static const int into[LX_FIELDS] = {LINE_CHARGE, LINE_UNIT_TYPE, LINE_UNITS,
                                        LINE_PLACE_OF_SERVICE};
    static const enum kind kinds[LX_FIELDS] = {MONEY, TEXT, MONEY, TEXT};
    PyObject *elements = lx == NULL ? NULL : elements_of(lx);
    if (lx != NULL && elements == NULL)
        return -1;
    for (int i = 0; i < LX_FIELDS; i++) {
        PyObject *text = lx == NULL ? empty : text_at(elements, 2 + i);
        if (text == NULL || set_field(found, into[i], read_as(kinds[i], text, lx)) < 0)
            return -1;
    }
    return set_field(found, LINE_PROCEDURE, Py_NewRef(Py_None));
}

/* The drug fields: claims._drug of the first 2410, else claims.NO_DRUG; 0, or -1. */
static int
drug_fields_into(PyObject *found, PyObject *drug)
{
    PyObject *read = drug == NULL ? Py_NewRef(no_drug) : PyObject_CallOneArg(read_drug, drug);
    if (read == NULL)
        return -1;
    if (!PyTuple_Check(read) || PyTuple_GET_SIZE(read) != 3) {
        Py_DECREF(read);
        PyErr_SetString(PyExc_TypeError, "claims._drug must give (ndc, quantity, unit)");
        return -1;
    }
    for (int i = 0; i < 3; i++)
        set_field(found, LINE_NDC + i, Py_NewRef(PyTuple_GET_ITEM(read, i)));
    Py_DECREF(read);
    return 0;
}

/* claims._providers_of of the provider loops found, () where none (a new reference). */
static PyObject *
providers_of(PyObject *loops)
{
    if (PyList_GET_SIZE(loops) == 0)
        return PyTuple_New(0);
    return PyObject_CallOneArg(read_providers, loops);
}

/* ServiceLine's fields from what one pass found; 0, or -1 on error. */
static int
line_fields_into(PyObject *found, struct line_parts *parts)
{
    PyObject **lists = parts->lists, *lx = parts->first[LINE_LX];
    PyObject *number = lx == NULL ? Py_NewRef(empty) : NULL;
    if (lx != NULL) {
        number = text_at(PyTuple_GET_ITEM(lx, SEGMENT_ELEMENTS), 1);
        Py_XINCREF(number);
    }
    if (set_field(found, LINE_NUMBER, number) < 0
            || set_field(found, LINE_PROVIDERS_FIELD, providers_of(lists[LINE_PROVIDERS])) < 0
            || set_field(found, LINE_TEETH_FIELD, PyList_AsTuple(lists[LINE_TEETH])) < 0
            || set_field(found, LINE_DATES_FIELD, PyList_AsTuple(lists[LINE_DATES])) < 0
            || set_field(found, LINE_CONTROL_NUMBER, control_number(lists[LINE_REFERENCES])) < 0
            || set_field(found, LINE_ADJUDICATIONS_FIELD,
                         PyList_AsTuple(lists[LINE_ADJUDICATIONS])) < 0
            || set_field(found, LINE_REFERENCES_FIELD,
                         PyList_AsTuple(lists[LINE_REFERENCES])) < 0
            || drug_fields_into(found, parts->drug) < 0)
        return -1;
    for (size_t i = 0; i < SERVICE_KINDS; i++)
        if (parts->first[service_kinds[i].slot] != NULL)
            return service_fields_of(found, parts->first[service_kinds[i].slot],
                                     &service_kinds[i]);
    return fields_of_lx(found, lx);
}

/* A new ServiceLine with the defaults of the fields a service segment may leave unread. */
static PyObject *
new_line(PyObject *loop)
{
    PyObject *found = new_fields(line_type, LINE_FIELDS);
    if (found == NULL)
        return NULL;
    PyObject *none = PyTuple_New(0);
    if (none == NULL) {
        Py_DECREF(found);
        return NULL;
    }
    PyTuple_SET_ITEM(found, LINE_REVENUE_CODE, Py_NewRef(empty));
    PyTuple_SET_ITEM(found, LINE_UNIT_TYPE, Py_NewRef(empty));
    PyTuple_SET_ITEM(found, LINE_PLACE_OF_SERVICE, Py_NewRef(empty));
    PyTuple_SET_ITEM(found, LINE_POINTERS, Py_NewRef(none));
    PyTuple_SET_ITEM(found, LINE_CAVITY, none);
    PyTuple_SET_ITEM(found, LINE_LOOP, Py_NewRef(loop));
    return found;
}

/* service_line(loop): one ServiceLine (a new reference). */
static PyObject *
service_line(PyObject *loop)
{
    PyObject *content = PyTuple_GET_ITEM(loop, LOOP_CONTENT);
    if (!PyTuple_Check(content)) {
        PyErr_SetString(PyExc_TypeError, "a Loop's content must be a tuple");
        return NULL;
    }
    struct line_parts parts = {0};
    PyObject *found = NULL;
    for (int i = 0; i < LINE_LISTS; i++)
        if ((parts.lists[i] = PyList_New(0)) == NULL)
            goto done;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content); i++)
        if (take_line_entry(PyTuple_GET_ITEM(content, i), &parts) < 0)
            goto done;
    found = new_line(loop);
    if (found != NULL && line_fields_into(found, &parts) < 0)
        Py_CLEAR(found);
done:
    for (int i = 0; i < LINE_LISTS; i++)
        Py_XDECREF(parts.lists[i]);
    return found;
}

static int
lines_bound(void)
{
    return bound() && bound_by(line_type, "bind_lines");
}

/* The ServiceLine of each 2400 in `loops` (a list), as a tuple (a new reference). */
static PyObject *
lines_of(PyObject *loops)
{
    return each_child(loops, "2400", service_line);
}

static PyObject *
service_lines(PyObject *module, PyObject *loops)
{
    if (!PyList_Check(loops)) {
        PyErr_SetString(PyExc_TypeError, "service_lines(loops) takes a list");
        return NULL;
    }
    return lines_bound() ? lines_of(loops) : NULL;
}

static PyObject *
bind_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 13 || !is_tuple_type(args[0]) || !PyDict_Check(args[1])
            || !PyTuple_Check(args[10]) || PyTuple_GET_SIZE(args[10]) != 3) {
        PyErr_SetString(PyExc_TypeError, "bind_lines(ServiceLine, slots, SV1, SV2, SV3 plans, "
                        "_dtp, _pointers_in, _cavity, _tooth, _drug, NO_DRUG, _providers_of, "
                        "_line_adjudication)");
        return NULL;
    }
    for (int i = 2; i < 5; i++)
        if (!is_plan(args[i]))
            return NULL;
    for (int i = 0; i < (int)SERVICE_KINDS; i++)
        if (PyTuple_GET_SIZE(args[2 + service_kinds[i].slot - LINE_SV1])
                != service_kinds[i].reads) {
            PyErr_SetString(PyExc_ValueError, "a service plan of a length _claims.h does not "
                                              "place");
            return NULL;
        }
    for (int i = 5; i < 13; i++)
        if (i != 10 && !PyCallable_Check(args[i])) {
            PyErr_SetString(PyExc_TypeError, "bind_lines takes the readers as callables");
            return NULL;
        }
    if (!has_fields(args[0], LINE_FIELDS, "ServiceLine's fields are those _claims.h makes"))
        return NULL;
    if (providers_prefix == NULL && (providers_prefix = PyUnicode_InternFromString("2420")) == NULL)
        return NULL;
    Py_XSETREF(line_type, Py_NewRef(args[0]));
    Py_XSETREF(line_slots, Py_NewRef(args[1]));
    for (int i = 0; i < 3; i++)
        Py_XSETREF(line_plans[LINE_SV1 + i], Py_NewRef(args[2 + i]));
    Py_XSETREF(read_dtp, Py_NewRef(args[5]));
    parts_memo_clear(&dtp_memo);
    Py_XSETREF(read_pointers, Py_NewRef(args[6]));
    Py_XSETREF(read_cavity, Py_NewRef(args[7]));
    Py_XSETREF(read_tooth, Py_NewRef(args[8]));
    Py_XSETREF(read_drug, Py_NewRef(args[9]));
    Py_XSETREF(no_drug, Py_NewRef(args[10]));
    Py_XSETREF(read_providers, Py_NewRef(args[11]));
    Py_XSETREF(read_adjudication, Py_NewRef(args[12]));
    Py_RETURN_NONE;
}

/* The fields of an 837 Claim a 2300 holds itself (claims.py_claim_fields is the
 * specification): `pcn` to `other_payers`, a plain tuple for ClaimBuilder to put between the
 * set's facts and the parties around the claim.
 *
 * One pass takes the first CLM, reads each DTP and REF as it comes, keeps the HI segments
 * for claims._health_codes, and sorts the child loops: all of them to service_lines (which
 * reads the 2400s), 2310x providers (claims._providers_of), 2320 other payers
 * (claims.other_payer). The fields are CLM01, CLM02, CLM05-1..3, CLM06-09, the dates, one
 * REF value per code of claims._CLAIM_REFERENCES, then the five below; pinned by the test. */
enum slot_2300 { AT_CLM, AT_REF, AT_DTP, AT_HI, SLOTS_2300 };
enum list_2300 { DATES_2300, REFERENCES_2300, HI_2300, LOOPS_2300, PROVIDERS_2300,
                 OTHER_PAYERS_2300, LISTS_2300 };
#define CLM_TEXTS 4  /* CLM06-09: provider signature, assignment, benefits, release */
#define FACILITY_PARTS 3  /* CLM05-1..3 */
#define FIELDS_AFTER_REFERENCES 5  /* references, health codes, lines, providers, others */

/* Set by bind_claim_fields(). */
static PyObject *slots_2300, *claim_references, *health_code_type, *read_period,
                *read_other_payer;

#define HEALTH_CODE_PARTS 9  /* the components of an HI composite, C022-1 .. C022-9 */

/* claims._health_codes: a HealthCode of each composite of the HI segments `his` that has
 * a code (a new tuple). */
static PyObject *
health_codes_of(PyObject *his)
{
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(his); i++) {
        PyObject *seg = PyList_GET_ITEM(his, i), *component, *repetition;
        PyObject *e = elements_of(seg);
        if (e == NULL || separators(seg, &component, &repetition) < 0)
            goto fail;
        for (Py_ssize_t n = 1; n < PyTuple_GET_SIZE(e); n++) {
            PyObject *value = text_at(e, n);
            if (value == NULL)
                goto fail;
            /* Segment.components(n): of the first repetition */
            Py_ssize_t cut = PyUnicode_GET_LENGTH(repetition) == 0 ? -1
                : PyUnicode_Find(value, repetition, 0, PY_SSIZE_T_MAX, 1);
            if (cut == -2)
                goto fail;
            PyObject *first = cut < 0 ? Py_NewRef(value) : PyUnicode_Substring(value, 0, cut);
            PyObject *parts = first ? PyUnicode_Split(first, component, -1) : NULL;
            Py_XDECREF(first);
            if (parts == NULL)
                goto fail;
            Py_ssize_t count = PyList_GET_SIZE(parts);
            if (count < 2 || PyUnicode_GET_LENGTH(PyList_GET_ITEM(parts, 1)) == 0) {
                Py_DECREF(parts);
                continue;
            }
            PyObject *part[HEALTH_CODE_PARTS];
            for (int c = 0; c < HEALTH_CODE_PARTS; c++)
                part[c] = c < count ? PyList_GET_ITEM(parts, c) : empty;
            PyObject *code = new_fields(health_code_type, 6);
            if (code == NULL) {
                Py_DECREF(parts);
                goto fail;
            }
            PyObject *value_of[6] = {
                Py_NewRef(part[0]), Py_NewRef(part[1]),
                PyUnicode_GET_LENGTH(part[3]) == 0 ? Py_NewRef(Py_None)
                    : PyObject_CallFunctionObjArgs(read_period, part[2], part[3], NULL),
                read_as(MONEY, part[4], seg), read_as(MONEY, part[5], seg), Py_NewRef(part[8]),
            };
            int failed = 0;
            for (int f = 0; f < 6; f++) {  /* a NULL field: the code's decref handles it */
                PyTuple_SET_ITEM(code, f, value_of[f]);
                failed |= value_of[f] == NULL;
            }
            Py_DECREF(parts);
            if (failed || append_new(found, code) < 0) {
                if (failed)
                    Py_DECREF(code);
                goto fail;
            }
        }
    }
    Py_SETREF(found, PyList_AsTuple(found));
    return found;
fail:
    Py_DECREF(found);
    return NULL;
}
static PyObject *rendering_prefix;  /* "2310" */

/* What one pass over a 2300 finds (a borrowed CLM, new lists). */
struct parts_2300 {
    PyObject *clm;
    PyObject *lists[LISTS_2300];
};

/* A child loop of a 2300 taken into `parts`; 0, or -1 on error. */
static int
take_2300_loop(PyObject *loop, struct parts_2300 *parts)
{
    if (Py_TYPE(loop) != (PyTypeObject *)loop_type) {
        PyErr_SetString(PyExc_TypeError, "a Loop was expected");
        return -1;
    }
    PyObject *id = PyTuple_GET_ITEM(loop, LOOP_ID);
    if (!PyUnicode_Check(id)) {
        PyErr_SetString(PyExc_TypeError, "a Loop's id must be a str");
        return -1;
    }
    if (PyList_Append(parts->lists[LOOPS_2300], loop) < 0)
        return -1;
    Py_ssize_t is_provider = PyUnicode_Tailmatch(id, rendering_prefix, 0, PY_SSIZE_T_MAX, -1);
    if (is_provider < 0)
        return -1;
    if (is_provider)
        return PyList_Append(parts->lists[PROVIDERS_2300], loop);
    if (PyUnicode_CompareWithASCIIString(id, "2320") == 0)
        return append_new(parts->lists[OTHER_PAYERS_2300],
                          PyObject_CallOneArg(read_other_payer, loop));
    return 0;
}

/* One entry of a 2300 taken into `parts`; 0, or -1 on error. */
static int
take_2300_entry(PyObject *entry, struct parts_2300 *parts)
{
    if (Py_TYPE(entry) != (PyTypeObject *)segment_type)
        return take_2300_loop(entry, parts);
    PyObject *elements = elements_of(entry);
    if (elements == NULL)
        return -1;
    switch (bound_slot_in(slots_2300, elements, SLOTS_2300)) {
    case -2:
        return -1;
    case AT_CLM:
        if (parts->clm == NULL)
            parts->clm = entry;
        return 0;
    case AT_REF:
        return append_new(parts->lists[REFERENCES_2300],
                          fields_of(entry, reference_plan, reference_type));
    case AT_DTP:
        return append_new(parts->lists[DATES_2300],
                          parts_memo_read(&dtp_memo, read_dtp, elements));
    case AT_HI:
        return PyList_Append(parts->lists[HI_2300], entry);
    }
    return 0;  /* a segment claim_fields does not read */
}

/* The value of the first Reference of `code` among those read, None where none (new). */
static PyObject *
reference_of(PyObject *references, PyObject *code)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(references); i++) {
        PyObject *reference = PyList_GET_ITEM(references, i);
        int same = PyUnicode_Compare(PyTuple_GET_ITEM(reference, 0), code);
        if (same == 0)
            return Py_NewRef(PyTuple_GET_ITEM(reference, 1));
        if (same == -1 && PyErr_Occurred())
            return NULL;
    }
    return Py_NewRef(Py_None);
}

/* CLM05-1..3 (of its first repetition; "" where absent) into `found` from `at`; 0, or -1. */
static int
facility_into(PyObject *found, Py_ssize_t at, PyObject *clm)
{
    PyObject *text = text_at(PyTuple_GET_ITEM(clm, SEGMENT_ELEMENTS), 5);
    PyObject *component, *repetition;
    if (text == NULL || separators(clm, &component, &repetition) < 0)
        return -1;
    Py_INCREF(text);
    if (PyUnicode_GET_LENGTH(repetition) > 0) {
        int repeats = PyUnicode_Contains(text, repetition);
        PyObject *cut = repeats > 0 ? PyUnicode_Split(text, repetition, 1) : NULL;
        if (repeats < 0 || (repeats > 0 && cut == NULL)) {
            Py_DECREF(text);
            return -1;
        }
        if (cut != NULL) {
            Py_SETREF(text, Py_NewRef(PyList_GET_ITEM(cut, 0)));
            Py_DECREF(cut);
        }
    }
    PyObject *parts = PyUnicode_Split(text, component, -1);
    Py_DECREF(text);
    if (parts == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < FACILITY_PARTS; i++)
        PyTuple_SET_ITEM(found, at + i, Py_NewRef(i < PyList_GET_SIZE(parts)
                                                  ? PyList_GET_ITEM(parts, i) : empty));
    Py_DECREF(parts);
    return 0;
}

/* Claim's own fields from what one pass found, into `found`; 0, or -1 on error. */
static int
fields_2300_into(PyObject *found, struct parts_2300 *parts)
{
    PyObject *elements = PyTuple_GET_ITEM(parts->clm, SEGMENT_ELEMENTS), **lists = parts->lists;
    PyObject *pcn = text_at(elements, 1), *charge = text_at(elements, 2);
    if (pcn == NULL || charge == NULL)
        return -1;
    PyTuple_SET_ITEM(found, 0, Py_NewRef(pcn));
    if ((charge = read_as(MONEY, charge, parts->clm)) == NULL)
        return -1;
    PyTuple_SET_ITEM(found, 1, charge);
    Py_ssize_t at = 2;
    if (facility_into(found, at, parts->clm) < 0)
        return -1;
    at += FACILITY_PARTS;
    for (Py_ssize_t i = 0; i < CLM_TEXTS; i++) {
        PyObject *text = text_at(elements, 6 + i);
        if (text == NULL)
            return -1;
        PyTuple_SET_ITEM(found, at++, Py_NewRef(text));
    }
    if (set_field(found, at++, PyList_AsTuple(lists[DATES_2300])) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(claim_references); i++)
        if (set_field(found, at++, reference_of(lists[REFERENCES_2300],
                                                PyTuple_GET_ITEM(claim_references, i))) < 0)
            return -1;
    PyObject *value[FIELDS_AFTER_REFERENCES] = {
        PyList_AsTuple(lists[REFERENCES_2300]),
        health_codes_of(lists[HI_2300]),
        lines_of(lists[LOOPS_2300]), providers_of(lists[PROVIDERS_2300]),
        PyList_AsTuple(lists[OTHER_PAYERS_2300]),
    };
    int failed = 0;
    for (int i = 0; i < FIELDS_AFTER_REFERENCES; i++)
        if (set_field(found, at + i, value[i]) < 0)
            failed = -1;
    return failed;
}

static PyObject *
claim_fields(PyObject *module, PyObject *loop)
{
    if (!lines_bound() || !bound_by(slots_2300, "bind_claim_fields"))
        return NULL;
    if (Py_TYPE(loop) != (PyTypeObject *)loop_type
            || !PyTuple_Check(PyTuple_GET_ITEM(loop, LOOP_CONTENT))) {
        PyErr_SetString(PyExc_TypeError, "claim_fields(loop) takes a Loop of a tuple");
        return NULL;
    }
    PyObject *content = PyTuple_GET_ITEM(loop, LOOP_CONTENT);
    struct parts_2300 parts = {0};
    PyObject *found = NULL;
    for (int i = 0; i < LISTS_2300; i++)
        if ((parts.lists[i] = PyList_New(0)) == NULL)
            goto done;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(content); i++)
        if (take_2300_entry(PyTuple_GET_ITEM(content, i), &parts) < 0)
            goto done;
    if (parts.clm == NULL) {
        found = Py_NewRef(Py_None);
        goto done;
    }
    found = PyTuple_New(2 + FACILITY_PARTS + CLM_TEXTS + 1 + PyTuple_GET_SIZE(claim_references)
                        + FIELDS_AFTER_REFERENCES);
    if (found != NULL && fields_2300_into(found, &parts) < 0)
        Py_CLEAR(found);
done:
    for (int i = 0; i < LISTS_2300; i++)
        Py_XDECREF(parts.lists[i]);
    return found;
}

static PyObject *
bind_claim_fields(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyDict_Check(args[0]) || !PyTuple_Check(args[1])
            || !is_tuple_type(args[2]) || !PyCallable_Check(args[3])
            || !PyCallable_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "bind_claim_fields(slots, reference codes, "
                                         "HealthCode, period, other_payer)");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args[1]); i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(args[1], i))) {
            PyErr_SetString(PyExc_TypeError, "the reference codes must be str");
            return NULL;
        }
    if (rendering_prefix == NULL && (rendering_prefix = PyUnicode_InternFromString("2310")) == NULL)
        return NULL;
    Py_XSETREF(slots_2300, Py_NewRef(args[0]));
    Py_XSETREF(claim_references, Py_NewRef(args[1]));
    Py_XSETREF(health_code_type, Py_NewRef(args[2]));
    Py_XSETREF(read_period, Py_NewRef(args[3]));
    Py_XSETREF(read_other_payer, Py_NewRef(args[4]));
    Py_RETURN_NONE;
}

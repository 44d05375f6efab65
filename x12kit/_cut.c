/* x12kit._cut: the tokenizer's fast path in C.
 *
 * The pure-Python tokenizer (x12kit/tokenizer.py) is the specification; this module only
 * makes its fast path cheaper, and tests check that both give the same segments. It is used
 * for "regular" chunks only: ASCII text in which every segment ends with the same separator
 * (terminator plus one line ending) and nothing else is layout. The tokenizer has already
 * checked that, counted the segments and worked out the state after them; what is left is
 * the per-segment work, done here lazily, one segment per __next__, so that a consumer that
 * drops each segment keeps memory and garbage-collector work small:
 *
 *   split the segment's text on the element separator into a tuple of str,
 *   count its position in its ST..SE set (ST is 1, then 2, 3 ... up to SE; 0 outside),
 *   and build the Segment (a tuple subclass) of
 *   (elements, offset, number, set_position, delimiters, layout).
 *
 * Segment ids are interned (the same str object for every "NM1"), so the dict lookups by id
 * that every later stage makes find their hash ready and compare by identity. Other
 * elements of two or three characters (codes: "CO", "45", "472", "HC" ...) come from a
 * small cache of the chunk's own: a code read again is not allocated, freed and hashed
 * again, and the walker's lookups by identifying code find its hash ready too.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define ID_CACHE 512     /* slots of the segment-id cache, a power of two */
#define CODE_CACHE 1024  /* slots of the short-element cache, a power of two */
#define ENDS_KEPT 32     /* element ends a segment's first pass notes */

typedef struct {
    PyObject_HEAD
    PyObject *text;          /* the chunk as an ASCII str (kept alive: we read its bytes) */
    const char *data;
    Py_ssize_t pos;          /* index in text of the next segment */
    Py_ssize_t end;          /* len(text) */
    char separator[8];       /* terminator + line ending */
    Py_ssize_t separator_len;
    char element;
    Py_ssize_t remaining;    /* segments still to make */
    long long base;          /* stream offset of text[0] */
    long long number;        /* number of the last segment made */
    long long set_position;  /* set position of the last segment made (0: outside a set) */
    int first;               /* the next segment is the chunk's first */
    PyObject *delimiters;
    PyObject *first_layout;  /* layout of the first segment (what stood before the chunk) */
    PyObject *layout;        /* layout of every other segment */
    PyTypeObject *segment_type;
    PyObject *ids[ID_CACHE]; /* interned segment ids by a hash of their characters */
    PyObject *codes[CODE_CACHE]; /* other two- and three-character elements, likewise */
} Cutter;

static void
cutter_dealloc(Cutter *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->text);
    Py_CLEAR(self->delimiters);
    Py_CLEAR(self->first_layout);
    Py_CLEAR(self->layout);
    Py_CLEAR(self->segment_type);
    for (int i = 0; i < ID_CACHE; i++)
        Py_CLEAR(self->ids[i]);
    for (int i = 0; i < CODE_CACHE; i++)
        Py_CLEAR(self->codes[i]);
    PyObject_GC_Del(self);
}

static int
cutter_traverse(Cutter *self, visitproc visit, void *arg)
{
    Py_VISIT(self->text);
    Py_VISIT(self->delimiters);
    Py_VISIT(self->first_layout);
    Py_VISIT(self->layout);
    Py_VISIT(self->segment_type);
    return 0;
}

/* The ints of set positions below POSITIONS, made once and shared: every set counts from 1
 * again, so the same numbers come back in every set and file, and sharing them saves an
 * allocation and a free per segment. */
#define POSITIONS 16384
static PyObject *positions[POSITIONS];

static PyObject *
set_position_int(long long position)
{
    if (position < 0 || position >= POSITIONS)
        return PyLong_FromLongLong(position);
    if (positions[position] == NULL
            && (positions[position] = PyLong_FromLongLong(position)) == NULL)
        return NULL;
    return Py_NewRef(positions[position]);
}

/* memcmp(a, b, n) == 0 for the few bytes of a separator, without the call */
static inline int
same_bytes(const char *a, const char *b, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static PyObject *
ascii_str(const char *p, Py_ssize_t n)
{
    if (n <= 1)  /* CPython's own cached "" and one-character strings */
        return PyUnicode_DecodeASCII(p, n, NULL);
    PyObject *s = PyUnicode_New(n, 127);
    if (s != NULL)
        memcpy(PyUnicode_1BYTE_DATA(s), p, (size_t)n);
    return s;
}

/* The str of the two or three characters at p from `cache` (`size` slots, a power of two),
 * made and remembered there when its slot holds another; interned where `intern` is set. */
static PyObject *
cached_str(PyObject **cache, unsigned size, const char *p, Py_ssize_t n, int intern)
{
    unsigned key = ((unsigned char)p[0] << 16) | ((unsigned char)p[1] << 8)
                   | (n == 3 ? (unsigned char)p[2] : 0);
    unsigned slot = (key * 2654435761u) >> 20 & (size - 1);
    PyObject *cached = cache[slot];
    const Py_UCS1 *kept = cached != NULL ? PyUnicode_1BYTE_DATA(cached) : NULL;
    if (kept != NULL && PyUnicode_GET_LENGTH(cached) == n && kept[0] == (Py_UCS1)p[0]
            && kept[1] == (Py_UCS1)p[1] && (n == 2 || kept[2] == (Py_UCS1)p[2]))
        return Py_NewRef(cached);
    PyObject *s = ascii_str(p, n);
    if (s == NULL)
        return NULL;
    if (intern)
        PyUnicode_InternInPlace(&s);
    Py_XSETREF(cache[slot], Py_NewRef(s));
    return s;
}

/* Element `index` of a segment, the n characters at p. */
static PyObject *
element_str(Cutter *self, Py_ssize_t index, const char *p, Py_ssize_t n)
{
    if (n < 2 || n > 3)
        return ascii_str(p, n);
    if (index == 0)
        return cached_str(self->ids, ID_CACHE, p, n, 1);
    return cached_str(self->codes, CODE_CACHE, p, n, 0);
}

static PyObject *
cutter_next(Cutter *self)
{
    if (self->remaining <= 0)
        return NULL;
    const char *start = self->data + self->pos;
    const char *limit = self->data + self->end;
    /* One pass to the end of this segment, the next separator (the tokenizer counted them:
       it is there), noting where its elements end: segments are short, a byte loop beats
       a memchr call per element. Past ENDS_KEPT elements they are found again below. */
    const char *ends[ENDS_KEPT];
    Py_ssize_t count = 1;
    const char *stop = start;
    for (;; stop++) {
        if (stop == limit) {
            PyErr_SetString(PyExc_RuntimeError, "x12kit._cut: fewer segments than counted");
            return NULL;
        }
        if (*stop == self->element) {
            if (count <= ENDS_KEPT)
                ends[count - 1] = stop;
            count++;
        }
        else if (*stop == self->separator[0] && limit - stop >= self->separator_len
                 && same_bytes(stop, self->separator, self->separator_len))
            break;
    }
    PyObject *elements = PyTuple_New(count);
    if (elements == NULL)
        return NULL;
    const char *p = start;
    for (Py_ssize_t i = 0; i < count; i++) {
        const char *q = i + 1 == count ? stop
                        : i < ENDS_KEPT ? ends[i] : memchr(p, self->element, (size_t)(stop - p));
        PyObject *value = element_str(self, i, p, q - p);
        if (value == NULL) {
            Py_DECREF(elements);
            return NULL;
        }
        PyTuple_SET_ITEM(elements, i, value);
        p = q + 1;
    }

    Py_ssize_t id_len = PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(elements, 0));
    int is_st = id_len == 2 && start[0] == 'S' && start[1] == 'T';
    int is_se = id_len == 2 && start[0] == 'S' && start[1] == 'E';
    long long set_position = is_st ? 1 : (self->set_position ? self->set_position + 1 : 0);
    self->set_position = is_se ? 0 : set_position;
    self->number++;

    PyObject *segment = self->segment_type->tp_alloc(self->segment_type, 6);
    PyObject *offset = PyLong_FromLongLong(self->base + self->pos);
    PyObject *number = PyLong_FromLongLong(self->number);
    PyObject *position = set_position_int(set_position);
    if (segment == NULL || offset == NULL || number == NULL || position == NULL) {
        Py_XDECREF(segment);
        Py_XDECREF(offset);
        Py_XDECREF(number);
        Py_XDECREF(position);
        Py_DECREF(elements);
        return NULL;
    }
    PyObject *layout = self->first ? self->first_layout : self->layout;
    self->first = 0;
    PyTuple_SET_ITEM(segment, 0, elements);
    PyTuple_SET_ITEM(segment, 1, offset);
    PyTuple_SET_ITEM(segment, 2, number);
    PyTuple_SET_ITEM(segment, 3, position);
    PyTuple_SET_ITEM(segment, 4, Py_NewRef(self->delimiters));
    PyTuple_SET_ITEM(segment, 5, Py_NewRef(layout));
    self->pos = (stop - self->data) + self->separator_len;
    self->remaining--;
    return segment;
}

static PyObject *
cutter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *text, *separator, *element, *delimiters, *first_layout, *layout;
    PyTypeObject *segment_type;
    Py_ssize_t count;
    long long base, number, set_position;
    static char *names[] = {"text", "separator", "element", "count", "base", "number",
                            "set_position", "delimiters", "first_layout", "layout",
                            "segment_type", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "UUUnLLLOOOO!:Cutter", names, &text,
            &separator, &element, &count, &base, &number, &set_position, &delimiters,
            &first_layout, &layout, &PyType_Type, &segment_type))
        return NULL;
    if (!PyUnicode_IS_COMPACT_ASCII(text) || !PyUnicode_IS_COMPACT_ASCII(separator)
            || !PyUnicode_IS_COMPACT_ASCII(element)) {
        PyErr_SetString(PyExc_ValueError, "Cutter: text and separators must be ASCII");
        return NULL;
    }
    Py_ssize_t separator_len = PyUnicode_GET_LENGTH(separator);
    if (separator_len < 1 || separator_len > 7 || PyUnicode_GET_LENGTH(element) != 1) {
        PyErr_SetString(PyExc_ValueError, "Cutter: a 1-7 character separator and a "
                        "one-character element separator are needed");
        return NULL;
    }
    if (!PyType_IsSubtype(segment_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Cutter: segment_type must be a tuple subclass");
        return NULL;
    }
    Cutter *self = (Cutter *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->text = Py_NewRef(text);
    self->data = (const char *)PyUnicode_1BYTE_DATA(text);
    self->pos = 0;
    self->end = PyUnicode_GET_LENGTH(text);
    memcpy(self->separator, PyUnicode_1BYTE_DATA(separator), (size_t)separator_len);
    self->separator_len = separator_len;
    self->element = (char)PyUnicode_1BYTE_DATA(element)[0];
    self->remaining = count;
    self->base = base;
    self->number = number;
    self->set_position = set_position;
    self->first = 1;
    self->delimiters = Py_NewRef(delimiters);
    self->first_layout = Py_NewRef(first_layout);
    self->layout = Py_NewRef(layout);
    self->segment_type = (PyTypeObject *)Py_NewRef(segment_type);
    return (PyObject *)self;
}

/* scan(text, separator, element) -> (count, edges) or None
 *
 * One pass over a chunk: None when it is not regular (a terminator not followed by the
 * whole separator, a line break anywhere else, a segment that is empty or starts with a
 * blank or tab); else the number of complete segments and the (index, id, start) of each
 * ST, SE and IEA among them, as the tokenizer's pure-Python _regular and _edges give. */
static PyObject *edge_ids[3];  /* "ST", "SE", "IEA" */

static PyObject *
cut_scan(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *text, *separator, *element;
    if (!PyArg_ParseTuple(args, "UUU:scan", &text, &separator, &element))
        return NULL;
    if (!PyUnicode_IS_COMPACT_ASCII(text) || !PyUnicode_IS_COMPACT_ASCII(separator)
            || !PyUnicode_IS_COMPACT_ASCII(element) || PyUnicode_GET_LENGTH(separator) < 1
            || PyUnicode_GET_LENGTH(element) != 1) {
        PyErr_SetString(PyExc_ValueError, "scan: ASCII text, a separator and an element "
                        "separator of one character are needed");
        return NULL;
    }
    const unsigned char *d = PyUnicode_1BYTE_DATA(text);
    const unsigned char *sep = PyUnicode_1BYTE_DATA(separator);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), sep_len = PyUnicode_GET_LENGTH(separator);
    unsigned char elem = PyUnicode_1BYTE_DATA(element)[0];
    unsigned char special[256] = {0};
    special[sep[0]] = special['\r'] = special['\n'] = 1;

    PyObject *edges = PyList_New(0);
    if (edges == NULL)
        return NULL;
    /* the same bytes for strcspn, which reads many at a time; a NUL terminator (or a NUL in
       the text, which strcspn takes for the end) is met by the loop byte by byte */
    const char reject[4] = {(char)sep[0], '\r', '\n', '\0'};
    Py_ssize_t count = 0, start = 0, i = 0;
    for (;;) {
        if (sep[0] != 0)  /* the text ends in a NUL, as every compact str does */
            i += (Py_ssize_t)strcspn((const char *)d + i, reject);
        while (i < n && !special[d[i]])
            i++;
        if (i >= n)
            break;
        if (d[i] != sep[0])
            goto irregular;  /* a line break that is not the line ending after a terminator */
        if (n - i < sep_len) {  /* the end of the chunk: the rest of the separator comes next */
            if (memcmp(d + i, sep, (size_t)(n - i)) != 0)
                goto irregular;
            break;
        }
        if (memcmp(d + i, sep, (size_t)sep_len) != 0)
            goto irregular;
        if (i == start || d[start] == ' ' || d[start] == '\t')
            goto irregular;
        const unsigned char *id_end = memchr(d + start, elem, (size_t)(i - start));
        Py_ssize_t id_len = (id_end ? id_end - d : i) - start;
        const unsigned char *id = d + start;
        PyObject *edge_id = NULL;
        if (id_len == 2 && id[0] == 'S' && (id[1] == 'T' || id[1] == 'E'))
            edge_id = edge_ids[id[1] == 'T' ? 0 : 1];
        else if (id_len == 3 && id[0] == 'I' && id[1] == 'E' && id[2] == 'A')
            edge_id = edge_ids[2];
        if (edge_id != NULL) {
            PyObject *edge = Py_BuildValue("(nOn)", count, edge_id, start);
            if (edge == NULL || PyList_Append(edges, edge) < 0) {
                Py_XDECREF(edge);
                Py_DECREF(edges);
                return NULL;
            }
            Py_DECREF(edge);
        }
        count++;
        i += sep_len;
        start = i;
    }
    return Py_BuildValue("(nN)", count, edges);

irregular:
    Py_DECREF(edges);
    Py_RETURN_NONE;
}

static PyMethodDef cut_methods[] = {
    {"scan", cut_scan, METH_VARARGS,
     "scan(text, separator, element) -> (count, [(index, id, start), ...]) or None"},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(cutter_doc,
"Cutter(text, separator, element, count, base, number, set_position, delimiters,\n"
"       first_layout, layout, segment_type)\n\n"
"An iterator of the first ``count`` segments of a regular ASCII chunk ``text``, each ended\n"
"by ``separator``: ``segment_type((elements, offset, number, set_position, delimiters,\n"
"layout))`` with offsets from ``base``, numbers after ``number`` and set positions after\n"
"``set_position``. See x12kit/tokenizer.py for what makes a chunk regular.");

static PyTypeObject CutterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "x12kit._cut.Cutter",
    .tp_basicsize = sizeof(Cutter),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = cutter_doc,
    .tp_new = cutter_new,
    .tp_dealloc = (destructor)cutter_dealloc,
    .tp_traverse = (traverseproc)cutter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)cutter_next,
};

static struct PyModuleDef cut_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "x12kit._cut",
    .m_doc = "The tokenizer's fast path in C (see x12kit/tokenizer.py).",
    .m_size = -1,
    .m_methods = cut_methods,
};

PyMODINIT_FUNC
PyInit__cut(void)
{
    if (PyType_Ready(&CutterType) < 0)
        return NULL;
    const char *names[3] = {"ST", "SE", "IEA"};
    for (int k = 0; k < 3; k++) {
        if (edge_ids[k] == NULL && (edge_ids[k] = PyUnicode_InternFromString(names[k])) == NULL)
            return NULL;
    }
    PyObject *module = PyModule_Create(&cut_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Cutter", (PyObject *)&CutterType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}

/*
 * Python part of the bindings: exceptions, conversion of whole columns
 * (buffer protocol, sequences), keyword dictionaries, and the sugar module.
 */

%begin %{
#define PY_SSIZE_T_CLEAN
%}

%{
#include <ctype.h>
#include <stdbool.h>
#include <strings.h>

/* touchpoint.Error and its subclasses, by tpb_error_index(). */
static PyObject *tpb_py_errors[TPB_ERROR_COUNT];

static int tpb_py_set_attr(PyObject *exc, const char *name, PyObject *value)
{
    if (!value)
        return -1;
    int r = PyObject_SetAttrString(exc, name, value);
    Py_DECREF(value);
    return r;
}

static PyObject *tpb_py_text(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* Raise the exception of the failed call, carrying its context; an exception
 * already pending (a progress hook's: KeyboardInterrupt, or what the caller's
 * progress function raised) is the one raised. */
static void tpb_py_raise(void)
{
    if (PyErr_Occurred())
        return;
    if (tpb_null) {
        PyErr_SetString(PyExc_TypeError, tpb_error_message());
        return;
    }
    PyObject *cls = tpb_py_errors[tpb_error_index(tpb_status)];
    PyObject *msg = tpb_py_text(tpb_error_message());
    PyObject *exc = msg ? PyObject_CallFunctionObjArgs(cls, msg, NULL) : NULL;
    Py_XDECREF(msg);
    if (!exc)
        return;
    if (tpb_py_set_attr(exc, "status", PyLong_FromLong((long)tpb_status)) ||
        tpb_py_set_attr(exc, "file", tpb_py_text(tpb_error_file())) ||
        tpb_py_set_attr(exc, "line", PyLong_FromUnsignedLongLong(tpb_error_line())) ||
        tpb_py_set_attr(exc, "column", PyLong_FromUnsignedLongLong(tpb_error_column())) ||
        tpb_py_set_attr(exc, "field", tpb_py_text(tpb_error_field()))) {
        Py_DECREF(exc);
        return;
    }
    PyErr_SetObject(cls, exc);
    Py_DECREF(exc);
}
#define TPB_RAISE() tpb_py_raise()

/*
 * The progress hooks (see tpb_watch): a signal handled by Python's handler
 * (Ctrl-C: KeyboardInterrupt) or an exception from the caller's function
 * stops the call and stays pending; once one is pending the call is only
 * told to stop. Called with the GIL held: the wrappers never release it.
 */
#define TPB_WATCH_RESET() ((void)0)

static int tpb_py_watch(tpb_watch *w, const char *format, uint64_t a, uint64_t b, uint64_t c)
{
    if (PyErr_Occurred() || PyErr_CheckSignals() < 0)
        return 1;
    if (!w || !w->fn)
        return 0;
    PyObject *r = PyObject_CallFunction((PyObject *)w->fn, format, (unsigned long long)a,
                                        (unsigned long long)b, (unsigned long long)c);
    Py_XDECREF(r);
    return r == NULL;
}

static int tpb_watch_read(void *watch, uint64_t done, uint64_t total, uint64_t rows)
{
    return tpb_py_watch(watch, "KKK", done, total, rows);
}

static int tpb_watch_analysis(void *watch, uint64_t done, uint64_t total)
{
    return tpb_py_watch(watch, "KK", done, total, 0);
}

static int tpb_watch_ok(void)
{
    if (!PyErr_Occurred())
        return 1;
    tpb_status = TP_ECANCELED;
    return 0;
}

/*
 * The exception for a handle argument that is not one: a closed object raises
 * InvalidArgumentError ("Events is closed"), anything else a TypeError naming
 * the parameter and both types.
 */
static void tpb_py_bad_handle(PyObject *obj, const swig_type_info *want, const char *symname,
                              const char *param)
{
    char where[96], type[64];
    tpb_where(symname, where, sizeof where);
    snprintf(type, sizeof type, "%s", want->str);
    type[strcspn(type, " *")] = '\0';
    const char *got = Py_TYPE(obj)->tp_name;
    if (PyObject_HasAttrString((PyObject *)Py_TYPE(obj), "thisown") &&
        !PyObject_HasAttrString(obj, "this")) {
        tpb_fail(TP_EINVAL, "%s: this %.40s is closed", where, got);
        tpb_py_raise();
        return;
    }
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s: %s must be a touchpoint.%s, not %.60s", where,
                 !strcmp(param, "self") ? "the object" : param, type, got);
}

/* Whether a buffer's format is one of the accepted single-character codes. */
static int tpb_py_format_is(const Py_buffer *view, const char *codes)
{
    const char *f = view->format ? view->format : "B";
    if (*f == '@' || *f == '=' || *f == '<')
        f++;
    return f[0] && !f[1] && strchr(codes, f[0]) != NULL;
}

/*
 * A whole numeric column: zero-copy from a C-contiguous buffer of the right
 * item type (numpy arrays), else converted item by item from any sequence.
 * @return 0, or -1 with a Python exception set
 */
static int tpb_py_numbers(PyObject *obj, const char *what, size_t itemsize, const char *codes,
                          int kind, const void **v, size_t *n, int *given, Py_buffer *view,
                          int *have_view, void **copy)
{
    *given = obj != Py_None;
    *v = NULL;
    *n = 0;
    if (obj == Py_None)
        return 0;
    if (PyObject_CheckBuffer(obj) &&
        PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) == 0) {
        if (view->ndim <= 1 && (size_t)view->itemsize == itemsize &&
            tpb_py_format_is(view, codes)) {
            *have_view = 1;
            *v = view->buf;
            *n = (size_t)view->len / itemsize;
            return 0;
        }
        PyBuffer_Release(view);
    }
    PyErr_Clear();
    PyObject *seq = PySequence_Fast(obj, "expected a sequence or an array");
    if (!seq) {
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence or an array, not %.60s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    void *buf = malloc(len ? (size_t)len * itemsize : 1);
    if (!buf) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *it = items[i];
        if (kind == 'd') {
            double d = PyFloat_AsDouble(it);
            if (d == -1.0 && PyErr_Occurred())
                goto bad;
            ((double *)buf)[i] = d;
        } else {
            if (PyFloat_Check(it) || PyBool_Check(it)) {
                PyErr_SetString(PyExc_TypeError, "not an integer");
                goto bad;
            }
            long long x = PyLong_AsLongLong(it);
            if (x == -1 && PyErr_Occurred())
                goto bad;
            if (kind == 'B') {
                if (x < 0 || x > 255) {
                    PyErr_SetString(PyExc_OverflowError, "out of range 0-255");
                    goto bad;
                }
                ((uint8_t *)buf)[i] = (uint8_t)x;
            } else {
                ((int64_t *)buf)[i] = (int64_t)x;
            }
        }
        continue;
    bad:;
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *why = value ? PyObject_Str(value) : NULL;
        PyErr_Format(PyExc_TypeError, "%s[%zd]: %.60s (%S)", what, i, Py_TYPE(it)->tp_name,
                     why ? why : Py_None);
        Py_XDECREF(why);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        free(buf);
        Py_DECREF(seq);
        return -1;
    }
    Py_DECREF(seq);
    *copy = buf;
    *v = buf;
    *n = (size_t)len;
    return 0;
}

/*
 * The items of a one-dimensional, C-contiguous numpy array of objects, read in
 * place through its __array_interface__ (no per-item copy into a list), or NULL
 * with no exception set when obj is anything else.
 */
static PyObject **tpb_py_object_items(PyObject *obj, Py_ssize_t *len)
{
    PyObject *ai = PyObject_GetAttrString(obj, "__array_interface__");
    if (!ai) {
        PyErr_Clear();
        return NULL;
    }
    PyObject **items = NULL;
    PyObject *typestr = PyDict_Check(ai) ? PyDict_GetItemString(ai, "typestr") : NULL;
    PyObject *shape = PyDict_Check(ai) ? PyDict_GetItemString(ai, "shape") : NULL;
    PyObject *strides = PyDict_Check(ai) ? PyDict_GetItemString(ai, "strides") : NULL;
    PyObject *data = PyDict_Check(ai) ? PyDict_GetItemString(ai, "data") : NULL;
    if (typestr && PyUnicode_Check(typestr) && PyUnicode_CompareWithASCIIString(typestr, "|O") == 0 &&
        shape && PyTuple_Check(shape) && PyTuple_GET_SIZE(shape) == 1 &&
        (!strides || strides == Py_None) && data && PyTuple_Check(data) &&
        PyTuple_GET_SIZE(data) == 2) {
        Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape, 0));
        void *ptr = PyLong_AsVoidPtr(PyTuple_GET_ITEM(data, 0));
        if (PyErr_Occurred()) {
            PyErr_Clear();
        } else if (n >= 0 && (ptr || n == 0)) {
            *len = n;
            items = ptr ? (PyObject **)ptr : (PyObject **)&ai; /* n == 0: never read */
        }
    }
    Py_DECREF(ai);
    return items;
}

/*
 * A whole text column from any sequence of str (None entries become NULL).
 * The pointers stay valid while @p keep (the sequence) is alive.
 */
static int tpb_py_strings(PyObject *obj, const char *what, tpb_strings *out, PyObject **keep)
{
    out->given = obj != Py_None;
    if (obj == Py_None)
        return 0;
    if (PyUnicode_Check(obj) || PyBytes_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s: expected a sequence of str, not a single %.20s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    Py_ssize_t len;
    PyObject **items = tpb_py_object_items(obj, &len);
    if (items) {
        Py_INCREF(obj);
        *keep = obj;
    } else {
        PyObject *seq = PySequence_Fast(obj, "expected a sequence");
        if (!seq) {
            PyErr_Format(PyExc_TypeError, "%s: expected a sequence of str, not %.60s", what,
                         Py_TYPE(obj)->tp_name);
            return -1;
        }
        *keep = seq;
        len = PySequence_Fast_GET_SIZE(seq);
        items = PySequence_Fast_ITEMS(seq);
    }
    out->v = malloc(len ? (size_t)len * sizeof *out->v : 1);
    if (!out->v) {
        PyErr_NoMemory();
        return -1;
    }
    /* Columns from pandas or numpy repeat one str object for equal values: an
     * object converted once is taken from this small direct-mapped memo. */
    enum { MEMO = 1024 };
    struct { PyObject *obj; const char *s; } memo[MEMO];
    memset(memo, 0, sizeof memo);
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *it = items[i];
        if (it == Py_None) {
            out->v[i] = NULL;
            continue;
        }
        size_t slot = (size_t)(((uintptr_t)it >> 4) * 0x9e3779b97f4a7c15ull >> 54) % MEMO;
        if (memo[slot].obj == it) {
            out->v[i] = memo[slot].s;
            continue;
        }
        if (!PyUnicode_Check(it)) {
            PyErr_Format(PyExc_TypeError, "%s[%zd]: expected str or None, not %.60s", what, i,
                         Py_TYPE(it)->tp_name);
            return -1;
        }
        Py_ssize_t size;
        const char *s = PyUnicode_AsUTF8AndSize(it, &size);
        if (!s)
            return -1;
        if ((size_t)size != strlen(s)) {
            PyErr_Format(PyExc_ValueError, "%s[%zd]: text contains a NUL character", what, i);
            return -1;
        }
        out->v[i] = s;
        memo[slot].obj = it;
        memo[slot].s = s;
    }
    out->n = (size_t)len;
    return 0;
}

/* Raw text: str (as UTF-8), bytes or any byte buffer. */
static int tpb_py_data(PyObject *obj, const char *what, tpb_data *out, Py_buffer *view,
                       int *have_view)
{
    if (PyUnicode_Check(obj)) {
        Py_ssize_t size;
        out->v = PyUnicode_AsUTF8AndSize(obj, &size);
        out->n = (size_t)size;
        return out->v ? 0 : -1;
    }
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) != 0) {
        PyErr_Format(PyExc_TypeError, "%s: expected str or bytes, not %.60s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    *have_view = 1;
    out->v = view->buf;
    out->n = (size_t)view->len;
    return 0;
}

/* A keyword value as option text; a Python exception is set on failure. */
static int tpb_py_kw_scalar(tpb_kw *kw, const char *key, PyObject *v)
{
    char buf[64];
    if (tpb_kw_is_time(key) && PyBool_Check(v)) {
        PyErr_Format(PyExc_TypeError, "keyword %s: expected a time (int ms, str, date, "
                     "datetime), not bool", key);
        return -1;
    }
    if (tpb_kw_is_time(key) && PyLong_Check(v)) {
        long long ms = PyLong_AsLongLong(v);
        if (ms == -1 && PyErr_Occurred())
            return -1;
        return tpb_kw_time(kw, key, (int64_t)ms) ? 0 : (tpb_py_raise(), -1);
    }
    /* a date, datetime or pandas Timestamp as ISO 8601; numpy's datetime64 as
     * its text (also ISO 8601, "2026-04-30" for a day) */
    int datetime64 = !strcmp(Py_TYPE(v)->tp_name, "numpy.datetime64");
    if (tpb_kw_is_time(key) && (datetime64 || PyObject_HasAttrString(v, "isoformat"))) {
        PyObject *iso = datetime64 ? PyObject_Str(v) : PyObject_CallMethod(v, "isoformat", NULL);
        if (!iso)
            return -1;
        int r = tpb_py_kw_scalar(kw, key, iso);
        Py_DECREF(iso);
        return r;
    }
    const char *text;
    if (PyBool_Check(v)) {
        text = v == Py_True ? "1" : "0";
    } else if (PyLong_Check(v)) {
        long long x = PyLong_AsLongLong(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        snprintf(buf, sizeof buf, "%lld", x);
        text = buf;
    } else if (PyFloat_Check(v)) {
        double d = PyFloat_AsDouble(v);
        if (isnan(d))
            text = "nan";
        else {
            snprintf(buf, sizeof buf, "%.17g", d);
            text = buf;
        }
    } else if (PyUnicode_Check(v)) {
        Py_ssize_t size;
        text = PyUnicode_AsUTF8AndSize(v, &size);
        if (!text)
            return -1;
        if ((size_t)size != strlen(text)) {
            PyErr_Format(PyExc_ValueError, "keyword %s: text contains a NUL character", key);
            return -1;
        }
    } else {
        PyErr_Format(PyExc_TypeError, "keyword %s: unsupported value of type %.60s", key,
                     Py_TYPE(v)->tp_name);
        return -1;
    }
    return tpb_kw_text(kw, key, text) ? 0 : (tpb_py_raise(), -1);
}

/* Read the keyword dictionary of an analysis call. */
static int tpb_py_kw(PyObject *obj, tpb_kw *kw)
{
    if (obj == Py_None)
        return 0;
    if (!PyDict_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "expected a dict of keywords, not %.60s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(obj, &pos, &k, &v)) {
        const char *key = PyUnicode_Check(k) ? PyUnicode_AsUTF8(k) : NULL;
        if (!key) {
            PyErr_SetString(PyExc_TypeError, "keyword names must be str");
            return -1;
        }
        if (v == Py_None)
            continue;
        void *ptr = NULL;
        if (!strcmp(key, "progress")) { /* (done, total) of the current step */
            if (!PyCallable_Check(v)) {
                PyErr_Format(PyExc_TypeError,
                             "keyword progress: expected a callable, True or None, not %.60s",
                             Py_TYPE(v)->tp_name);
                return -1;
            }
            kw->watch.fn = v;
            continue;
        }
        if (!strcmp(key, "filter") || !strcmp(key, "options") || !strcmp(key, "lexicon")) {
            swig_type_info *ty = !strcmp(key, "filter")    ? SWIGTYPE_p_Filter
                                 : !strcmp(key, "options") ? SWIGTYPE_p_Options
                                                           : SWIGTYPE_p_Lexicon;
            if (!SWIG_IsOK(SWIG_ConvertPtr(v, &ptr, ty, 0))) {
                PyErr_Format(PyExc_TypeError, "keyword %s: expected a touchpoint.%s, not %.60s",
                             key, ty->str, Py_TYPE(v)->tp_name);
                return -1;
            }
            int ok = !strcmp(key, "filter")    ? tpb_kw_use_filter(kw, ptr)
                     : !strcmp(key, "options") ? tpb_kw_use_options(kw, ptr)
                                               : tpb_kw_use_lexicon(kw, ptr);
            if (!ok) {
                tpb_py_raise();
                return -1;
            }
            continue;
        }
        if (PyDict_Check(v) && (!strcmp(key, "segment") || !strcmp(key, "segments"))) {
            /* {attribute: value}: each an `attribute=value` condition */
            PyObject *a, *b;
            Py_ssize_t p2 = 0;
            while (PyDict_Next(v, &p2, &a, &b)) {
                PyObject *cond = PyUnicode_FromFormat("%S=%S", a, b);
                int r = cond ? tpb_py_kw_scalar(kw, key, cond) : -1;
                Py_XDECREF(cond);
                if (r)
                    return -1;
            }
            continue;
        }
        if (PyList_Check(v) || PyTuple_Check(v) || PyAnySet_Check(v)) {
            if (tpb_is_option(key)) { /* one value each: a list would keep its last */
                PyErr_Format(PyExc_TypeError, "keyword %s takes one value, not a %.20s", key,
                             Py_TYPE(v)->tp_name);
                return -1;
            }
            PyObject *seq = PySequence_Fast(v, "expected a sequence");
            if (!seq)
                return -1;
            for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++)
                if (tpb_py_kw_scalar(kw, key, PySequence_Fast_GET_ITEM(seq, i))) {
                    Py_DECREF(seq);
                    return -1;
                }
            Py_DECREF(seq);
            continue;
        }
        if (tpb_py_kw_scalar(kw, key, v))
            return -1;
    }
    if (!tpb_kw_finish(kw)) {
        tpb_py_raise();
        return -1;
    }
    return 0;
}

/*
 * A whole table column: ("string", [str|None, ...]) or ("int64"|"double",
 * bytearray of the values, bytearray null mask or None).
 */
static PyObject *tpb_py_column(const tp_table *t, size_t col)
{
    size_t rows = tp_table_row_count(t);
    tp_type type = tp_table_column_type(t, col);
    if (!type) {
        PyErr_Format(PyExc_IndexError, "column %zu is out of range (%zu columns)", col,
                     tp_table_column_count(t));
        return NULL;
    }
    if (type == TP_TYPE_STRING) {
        PyObject *list = PyList_New((Py_ssize_t)rows);
        for (size_t r = 0; list && r < rows; r++) {
            const char *s = NULL;
            tp_table_get_string(t, r, col, &s);
            PyObject *item = s ? tpb_py_text(s) : (Py_INCREF(Py_None), Py_None);
            if (!item) {
                Py_DECREF(list);
                return NULL;
            }
            PyList_SET_ITEM(list, (Py_ssize_t)r, item);
        }
        return list ? Py_BuildValue("(sN)", "string", list) : NULL;
    }
    const void *data = type == TP_TYPE_INT64 ? (const void *)tp_table_int64_data(t, col)
                                             : (const void *)tp_table_double_data(t, col);
    PyObject *values = PyByteArray_FromStringAndSize(data ? data : "", data ? (Py_ssize_t)(rows * 8) : 0);
    if (!values)
        return NULL;
    PyObject *mask = NULL;
    for (size_t r = 0; r < rows; r++) {
        if (tp_table_is_null(t, r, col) != 1)
            continue;
        if (!mask) {
            mask = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)rows);
            if (!mask) {
                Py_DECREF(values);
                return NULL;
            }
            memset(PyByteArray_AS_STRING(mask), 0, rows);
        }
        PyByteArray_AS_STRING(mask)[r] = 1;
    }
    if (!mask) {
        Py_INCREF(Py_None);
        mask = Py_None;
    }
    return Py_BuildValue("(sNN)", type == TP_TYPE_INT64 ? "int64" : "double", values, mask);
}
%}

%init %{
    {
        PyObject *const bases[TPB_ERROR_COUNT] = {
            NULL, PyExc_ValueError, PyExc_MemoryError, PyExc_OSError, PyExc_ValueError,
            PyExc_ValueError, PyExc_LookupError, PyExc_ValueError, PyExc_ValueError,
            PyExc_RuntimeError,
        };
        static const char *const docs[TPB_ERROR_COUNT] = {
            "Base class of every libtouchpoint error. Attributes: status (the C status code), "
            "file, line, column and field of the input that failed (empty or 0 when none).",
            "An argument is invalid (TP_EINVAL): bad option, index out of range, unknown name.",
            "An allocation failed (TP_ENOMEM); the object is unchanged.",
            "A file could not be opened, read or written (TP_EIO).",
            "Input is not well formed (TP_EPARSE): CSV quoting, JSON syntax, bad UTF-8.",
            "Input is well formed but invalid (TP_EVALIDATE): range, unknown stage, cycle.",
            "A named item does not exist (TP_ENOTFOUND).",
            "The call conflicts with existing state (TP_ECONFLICT): duplicate id.",
            "A size limit was exceeded (TP_ELIMIT): field length, row count, nesting.",
            "The progress callback asked to stop the analysis (TP_ECANCELED).",
        };
        for (int i = 0; i < TPB_ERROR_COUNT; i++) {
            char name[64];
            snprintf(name, sizeof name, "touchpoint.%s", tpb_error_names[i]);
            PyObject *b = i ? PyTuple_Pack(2, tpb_py_errors[0], bases[i]) : NULL;
            if (i && !b)
                return NULL;
            tpb_py_errors[i] = PyErr_NewExceptionWithDoc(name, docs[i], i ? b : PyExc_Exception, NULL);
            Py_XDECREF(b);
            if (!tpb_py_errors[i])
                return NULL;
            Py_INCREF(tpb_py_errors[i]);
            if (PyModule_AddObject(m, tpb_error_names[i], tpb_py_errors[i]) < 0)
                return NULL;
        }
    }
%}

/* ---- Typemaps -------------------------------------------------------------- */

/* Handles (SWIG's own rule, with messages that name the parameter, and say so
 * when the object was closed). None stays NULL: the library checks it. */
%typemap(in, noblock=1) SWIGTYPE * (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor, $disown | %convertptr_flags);
    if (!SWIG_IsOK(res)) {
        tpb_py_bad_handle($input, $descriptor, "$symname", "$1_name");
        SWIG_fail;
    }
    $1 = %reinterpret_cast(argp, $ltype);
}

%typemap(arginit) tpb_strings "memset(&$1, 0, sizeof $1);"
%typemap(in) tpb_strings (PyObject *keep = NULL) {
    if (tpb_py_strings($input, "$1_name", &$1, &keep))
        SWIG_fail;
}
%typemap(freearg) tpb_strings {
    free((void *)$1.v);
    Py_XDECREF(keep$argnum);
}

%define TPB_PY_NUMBERS(TYPE, CTYPE, CODES, KIND)
%typemap(arginit) TYPE "memset(&$1, 0, sizeof $1);"
%typemap(in) TYPE (Py_buffer view, int have_view = 0, void *copy = NULL) {
    const void *v;
    if (tpb_py_numbers($input, "$1_name", sizeof(CTYPE), CODES, KIND, &v, &$1.n, &$1.given,
                       &view, &have_view, &copy))
        SWIG_fail;
    $1.v = (const CTYPE *)v;
}
%typemap(freearg) TYPE {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
    free(copy$argnum);
}
%enddef
TPB_PY_NUMBERS(tpb_int64s, int64_t, "lq", 'q')
TPB_PY_NUMBERS(tpb_doubles, double, "d", 'd')
TPB_PY_NUMBERS(tpb_bytes, uint8_t, "Bb?", 'B')

%typemap(arginit) tpb_data "memset(&$1, 0, sizeof $1);"
%typemap(in) tpb_data (Py_buffer view, int have_view = 0) {
    if (tpb_py_data($input, "$1_name", &$1, &view, &have_view))
        SWIG_fail;
}
%typemap(freearg) tpb_data {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
}
%typemap(in) tpb_data *buffer (tpb_data data, Py_buffer view, int have_view = 0) {
    $1 = NULL;
    if ($input != Py_None) {
        if (tpb_py_data($input, "$1_name", &data, &view, &have_view))
            SWIG_fail;
        $1 = &data;
    }
}
%typemap(freearg) tpb_data *buffer {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
}

%typemap(in) tpb_kw *kw (tpb_kw kw = TPB_KW_EMPTY) {
    $1 = &kw;
    if (tpb_py_kw($input, &kw))
        SWIG_fail;
    if (!tpb_kw_watch(&kw)) {
        tpb_py_raise();
        SWIG_fail;
    }
}
%typemap(freearg) tpb_kw *kw { tpb_kw_release(&kw$argnum); }
%typemap(in) tpb_kw *run_kw (tpb_kw kw = TPB_KW_RUN) {
    $1 = &kw;
    if (tpb_py_kw($input, &kw))
        SWIG_fail;
    if (!tpb_kw_watch(&kw)) {
        tpb_py_raise();
        SWIG_fail;
    }
}

/* progress of a read: a callable (bytes done, bytes total, rows) or None;
 * with None the read still stops on Ctrl-C. */
%typemap(in) tpb_watch *progress (tpb_watch w = {NULL}) {
    if ($input != Py_None) {
        if (!PyCallable_Check($input)) {
            PyErr_Format(PyExc_TypeError, "progress: expected a callable, True or None, not %.60s",
                         Py_TYPE($input)->tp_name);
            SWIG_fail;
        }
        w.fn = $input;
    }
    $1 = &w;
}
%typemap(freearg) tpb_kw *run_kw { tpb_kw_release(&kw$argnum); }

%typemap(out) tpb_blob {
    $result = PyBytes_FromStringAndSize($1.v ? $1.v : "", (Py_ssize_t)$1.n);
    tp_free($1.v);
}

/* Tables handed back as extra results, owned by Python. */
%typemap(in, numinputs=0) tp_table **OUT (tp_table *temp = NULL) { $1 = &temp; }
%typemap(argout) tp_table **OUT {
    $result = SWIG_Python_AppendOutput($result,
                                       SWIG_NewPointerObj(*$1, $descriptor(Table *), SWIG_POINTER_OWN));
    *$1 = NULL;
}
%typemap(freearg) tp_table **OUT { tp_table_free(temp$argnum); }

/* Language-specific accessors. */
%extend Table {
    PyObject *_column(size_t col) { return tpb_py_column($self, col); }
}


/* Event type names (str or None) as uint8 codes in a bytearray, for bulk
 * appends: a name object met before is not read again. */
%rename(_event_type_codes) tpb_py_event_type_codes;
%inline %{
PyObject *tpb_py_event_type_codes(PyObject *names)
{
    static const char *const words[] = {"interaction", "conversion", "exit"};
    enum { MEMO = 64 };
    const char *seen[MEMO] = {0};
    char code_of[MEMO];
    tpb_strings s;
    PyObject *keep = NULL, *out = NULL;
    memset(&s, 0, sizeof s);
    if (tpb_py_strings(names, "types", &s, &keep) == 0 &&
        (out = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)s.n)) != NULL) {
        char *codes = PyByteArray_AS_STRING(out);
        for (size_t i = 0; i < s.n; i++) {
            const char *name = s.v[i] ? s.v[i] : "";
            size_t slot = (size_t)((uintptr_t)name >> 3) % MEMO;
            if (seen[slot] == name) {
                codes[i] = code_of[slot];
                continue;
            }
            const char *b = name, *e = name + strlen(name);
            while (b < e && isspace((unsigned char)*b))
                b++;
            while (e > b && isspace((unsigned char)e[-1]))
                e--;
            int code = b == e ? 0 : -1;
            for (int k = 0; k < 3 && code < 0; k++)
                if (strlen(words[k]) == (size_t)(e - b) && strncasecmp(b, words[k], (size_t)(e - b)) == 0)
                    code = k;
            if (code < 0) {
                tpb_fail(TP_EINVAL, "types[%zu]: '%.40s' is not one of interaction, conversion, exit",
                         i, name);
                tpb_py_raise();
                Py_CLEAR(out);
                break;
            }
            seen[slot] = name;
            code_of[slot] = (char)code;
            codes[i] = (char)code;
        }
    }
    free((void *)s.v);
    Py_XDECREF(keep);
    return out;
}
%}

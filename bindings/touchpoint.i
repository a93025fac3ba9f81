/*
 * The one SWIG interface of libtouchpoint: Python module `touchpoint` and Ruby
 * extension `touchpoint` (module Touchpoint).
 *
 * Shape of the bindings:
 * - every opaque handle gets a binding-side alias type (Catalog for tp_catalog,
 *   ...) that SWIG extends with a constructor, a destructor and methods; the
 *   helpers SWIG generates are then named Catalog_x and never clash with the
 *   C API's tp_catalog_x;
 * - every fallible call goes through tpb_ok(); one %exception turns a failure
 *   into the language's exception for its status class, with the C message and
 *   its file, line, column and field;
 * - analyses take their filter and options as one keyword collection (a dict
 *   or Hash; see tpb_kw below), which the per-language typemaps read;
 * - C functions that are awkward to call directly are wrapped here with
 *   leading-underscore names; the per-language sugar (bindings/python/sugar.py,
 *   bindings/ruby/lib/touchpoint/sugar.rb) gives them their public shape.
 * Documentation strings come from the C headers (bindings/docstrings.py).
 */
%module touchpoint

%include <stdint.i>
%include <typemaps.i>

%{
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "touchpoint.h"

/* Binding-side names of the opaque handles (see the file comment). */
typedef tp_catalog Catalog;
typedef tp_journey_map JourneyMap;
typedef tp_events Events;
typedef tp_feedback Feedback;
typedef tp_read_log ReadLog;
typedef tp_table Table;
typedef tp_filter Filter;
typedef tp_options Options;
typedef tp_lexicon Lexicon;
typedef tp_funnel Funnel;
typedef tp_conformer Conformer;
typedef tp_paths Paths;
typedef tp_agg Aggregate;
typedef tp_report Report;

/* Bytes made by the library, handed to the language as its bytes/String. */
typedef struct tpb_blob {
    char *v;
    size_t n;
} tpb_blob;

/*
 * The status of the failing call in the current wrapper, and a message of the
 * binding's own (when the failure is found here rather than in the library).
 */
static _Thread_local tp_status tpb_status;
static _Thread_local char tpb_message[512];

/* Record the status of a library call; true when it failed. */
static int tpb_fail_if(tp_status status)
{
    if (status == TP_OK)
        return 0;
    tpb_status = status;
    tpb_message[0] = '\0';
    return 1;
}
static int tpb_ok(tp_status status) { return !tpb_fail_if(status); }

/* Fail with a message of the binding's own. */
static void tpb_fail(tp_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tpb_message, sizeof tpb_message, fmt, ap);
    va_end(ap);
    tpb_status = status;
}

/* What the raised exception carries. */
static const char *tpb_error_message(void)
{
    return tpb_message[0] ? tpb_message : tp_last_error();
}
static const char *tpb_error_file(void) { return tpb_message[0] ? "" : tp_last_error_file(); }
static uint64_t tpb_error_line(void) { return tpb_message[0] ? 0 : tp_last_error_line(); }
static uint64_t tpb_error_column(void) { return tpb_message[0] ? 0 : tp_last_error_column(); }
static const char *tpb_error_field(void) { return tpb_message[0] ? "" : tp_last_error_field(); }

/*
 * Where a wrapper is, in the names a user sees: "_scorecard" ->
 * "scorecard", "Events_count" -> "Events.count", "new_Events" -> "Events".
 */
static void tpb_where(const char *symname, char *out, size_t size)
{
    const char *s = symname;
    if (!strncmp(s, "new_", 4))
        s += 4;
    while (*s == '_')
        s++;
    snprintf(out, size, "%s", s);
    char *sep = isupper((unsigned char)out[0]) ? strchr(out, '_') : NULL;
    if (sep) {
        char *name = sep;
        while (*name == '_')
            name++;
        *sep = '.';
        memmove(sep + 1, name, strlen(name) + 1);
    }
}

/*
 * A failure in the words of the language: a message that starts with the
 * library function's name ("tp_catalog_find_touchpoint: NULL argument") is
 * given the name of the wrapper the caller called instead
 * ("Catalog.find_touchpoint: an argument is None"), and a NULL the caller
 * passed (None, nil) is the language's type error (tpb_null). Messages with a
 * file, line or field are the library's own and stay as they are.
 */
#ifdef SWIGRUBY
#define TPB_NULL_WORD "nil"
#else
#define TPB_NULL_WORD "None"
#endif
static _Thread_local int tpb_null;

static void tpb_speak(const char *symname)
{
    const char *m = tpb_error_message();
    size_t n = strspn(m, "abcdefghijklmnopqrstuvwxyz0123456789_");
    if (strncmp(m, "tp_", 3) || m[n] != ':' || m[n + 1] != ' ' || *tpb_error_file())
        return;
    char where[96], out[sizeof tpb_message];
    tpb_where(symname, where, sizeof where);
    size_t len = (size_t)snprintf(out, sizeof out, "%s: ", where);
    for (const char *r = m + n + 2; *r && len + 32 < sizeof out;) {
        if (!strncmp(r, "NULL argument", 13)) {
            len += (size_t)snprintf(out + len, sizeof out - len, "an argument is " TPB_NULL_WORD);
            r += 13;
            tpb_null = 1;
        } else if (!strncmp(r, "NULL", 4)) {
            len += (size_t)snprintf(out + len, sizeof out - len, TPB_NULL_WORD);
            r += 4;
            tpb_null = 1;
        } else {
            out[len++] = *r++;
        }
    }
    out[len] = '\0';
    memcpy(tpb_message, out, len + 1);
}

/* Index of an exception class: 0 Error, then one per status class. */
static int tpb_error_index(tp_status status)
{
    return status <= TP_EINVAL && status >= TP_ECANCELED ? (int)-status : 0;
}

/* Names of the exception classes, by tpb_error_index(). */
static const char *const tpb_error_names[] = {
    "Error", "InvalidArgumentError", "OutOfMemoryError", "FileError", "ParseError",
    "ValidationError", "NotFoundError", "ConflictError", "LimitError", "CancelledError",
};
#define TPB_ERROR_COUNT 10

/* ---- Words for the C enumerations: the library's (tp_*_parse(), tp_*_name()) */

/* "email,phone" -> TP_REDACT_* bits (the library's words); NULL -> none. */
static int tpb_redact_flags(const char *text, unsigned *out)
{
    *out = 0;
    return !text || tpb_ok(tp_redact_parse(text, out));
}

/* ---- Arrays handed over whole (filled by the per-language typemaps) ----- */

typedef struct tpb_strings {
    const char **v; /* entries may be NULL (None / nil) */
    size_t n;
    int given;      /* 0 when the caller passed None / nil */
} tpb_strings;
typedef struct tpb_int64s {
    const int64_t *v;
    size_t n;
    int given;
} tpb_int64s;
typedef struct tpb_doubles {
    const double *v;
    size_t n;
    int given;
} tpb_doubles;
typedef struct tpb_bytes {
    const uint8_t *v;
    size_t n;
    int given;
} tpb_bytes;
/* Raw input text (a str, bytes or buffer in Python; a String in Ruby). */
typedef struct tpb_data {
    const char *v;
    size_t n;
} tpb_data;

/* Check that a string array has no missing entry. */
static int tpb_strings_complete(const tpb_strings *s, const char *what)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->v[i]) {
            tpb_fail(TP_EINVAL, "%s[%zu] is missing (None or nil)", what, i);
            return 0;
        }
    return 1;
}

/* Check that optional columns match the length of the first one. */
static int tpb_same_length(size_t n, size_t m, int given, const char *what)
{
    if (given && m != n) {
        tpb_fail(TP_EINVAL, "%s has %zu entries, expected %zu", what, m, n);
        return 0;
    }
    return 1;
}

/* The attribute columns of a frame read by columns: names, and their values
 * one column after another, each @p n long. NULL (with a failure set) when
 * out of memory; free() the result. */
static tp_text_column *tpb_attr_columns(const tpb_strings *names, const tpb_strings *values,
                                        size_t n, size_t *count)
{
    *count = names->given ? names->n : 0;
    if (!tpb_same_length(n * *count, values->n, *count > 0, "attr_values") ||
        (*count && !tpb_strings_complete(names, "attr_names")))
        return NULL;
    tp_text_column *attrs = calloc(*count + 1, sizeof *attrs);
    if (!attrs) {
        tpb_fail(TP_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < *count; k++)
        attrs[k] = (tp_text_column){names->v[k], values->v + k * n};
    return attrs;
}

/* ---- Progress and interrupts of long calls -------------------------------- */

/*
 * The progress hook of one call: the caller's callable (Python) or block
 * (Ruby), or none. The language parts define the hooks the library calls,
 * tpb_watch_read (tp_read_options.check) and tpb_watch_analysis
 * (tp_options_set_progress): each first checks for a pending interrupt
 * (Ctrl-C), then calls the caller's function with the figures. A hook that
 * stops the call leaves the language's own exception to raise (KeyboardInterrupt,
 * Interrupt, or what the function raised) in place of TP_ECANCELED; after a
 * read, tpb_watch_ok() says whether one is pending.
 */
typedef struct tpb_watch {
    void *fn; /* PyObject * or VALUE, borrowed for the call; NULL: none */
} tpb_watch;

static int tpb_watch_read(void *watch, uint64_t done, uint64_t total, uint64_t rows);
static int tpb_watch_analysis(void *watch, uint64_t done, uint64_t total);
/* After a call that had a hook: 0 (with tpb_status TP_ECANCELED) when the
 * hook left an exception to raise, also from the read's last call. */
static int tpb_watch_ok(void);

/* ---- Keyword arguments of the analyses ---------------------------------- */

/*
 * Filter and options of one analysis call, built from the caller's keywords:
 * since/until (time text, or milliseconds), segment(s) ("attr=value",
 * "attr!=value"), stage(s), channel(s), touchpoint(s), knockout(s), and any
 * option by name (tp_options_set()). A ready Filter or Options object may be
 * given as filter= or options= instead; lexicon= takes a Lexicon.
 */
typedef struct tpb_kw {
    tp_filter *own_filter;
    tp_options *own_options;
    const tp_filter *filter;
    const tp_options *options;
    int64_t since, until;
    int has_range;
    int params_ok;   /* a run by name: other keys are the analysis's parameters */
    char **params;   /* name, value, ... (2 * nparams strings, owned) */
    size_t nparams, cap;
    tpb_watch watch; /* progress= */
} tpb_kw;

/*
 * An empty holder. Typemaps declare theirs with this initializer, not with a
 * call in the conversion code: a wrapper that fails on an earlier argument
 * jumps to its cleanup before any conversion code ran, and the cleanup
 * releases every holder.
 */
#define TPB_KW_EMPTY {NULL, NULL, NULL, NULL, INT64_MIN, INT64_MAX, 0, 0, NULL, 0, 0, {NULL}}
/* The holder of a run by name (tpb_kw *run_kw in a wrapper's arguments). */
#define TPB_KW_RUN {NULL, NULL, NULL, NULL, INT64_MIN, INT64_MAX, 0, 1, NULL, 0, 0, {NULL}}

static void tpb_kw_init(tpb_kw *kw)
{
    const tpb_kw empty = TPB_KW_EMPTY;
    *kw = empty;
}

static void tpb_kw_release(tpb_kw *kw)
{
    int params_ok = kw->params_ok;
    tp_filter_free(kw->own_filter);
    tp_options_free(kw->own_options);
    for (size_t i = 0; i < 2 * kw->nparams; i++)
        free(kw->params[i]);
    free(kw->params);
    tpb_kw_init(kw);
    kw->params_ok = params_ok;
}

/* One parameter of a run by name; the library checks its name and value. */
static int tpb_kw_param(tpb_kw *kw, const char *key, const char *value)
{
    if (kw->nparams == kw->cap) {
        size_t cap = kw->cap ? 2 * kw->cap : 8;
        char **p = realloc(kw->params, 2 * cap * sizeof *p);
        if (!p) {
            tpb_fail(TP_ENOMEM, "out of memory");
            return 0;
        }
        kw->params = p;
        kw->cap = cap;
    }
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        tpb_fail(TP_ENOMEM, "out of memory");
        return 0;
    }
    kw->params[2 * kw->nparams] = k;
    kw->params[2 * kw->nparams + 1] = v;
    kw->nparams++;
    return 1;
}

/* Whether @p key names an option (no error set when it does not). */
static int tpb_is_option(const char *key)
{
    for (size_t i = 0; i < tp_option_count(); i++)
        if (!strcmp(tp_option_at(i)->name, key))
            return 1;
    return 0;
}

static tp_filter *tpb_kw_filter(tpb_kw *kw, const char *key)
{
    if (kw->filter && !kw->own_filter) {
        tpb_fail(TP_EINVAL, "keyword %s: give either filter= or filter keywords, not both", key);
        return NULL;
    }
    if (!kw->own_filter && !tpb_ok(tp_filter_new(&kw->own_filter)))
        return NULL;
    kw->filter = kw->own_filter;
    return kw->own_filter;
}

static tp_options *tpb_kw_options(tpb_kw *kw, const char *key)
{
    if (kw->options && !kw->own_options) {
        tpb_fail(TP_EINVAL, "keyword %s: give either options= or option keywords, not both", key);
        return NULL;
    }
    if (!kw->own_options && !tpb_ok(tp_options_new(&kw->own_options)))
        return NULL;
    kw->options = kw->own_options;
    return kw->own_options;
}

static int tpb_is_key(const char *key, const char *one, const char *many)
{
    return !strcmp(key, one) || !strcmp(key, many);
}

/* since= / until= in milliseconds. */
static int tpb_kw_time(tpb_kw *kw, const char *key, int64_t ms)
{
    if (!tpb_kw_filter(kw, key))
        return 0;
    if (!strcmp(key, "since"))
        kw->since = ms;
    else
        kw->until = ms;
    kw->has_range = 1;
    return 1;
}

/* Whether @p key names a filter part (as the library lists them, or its plural:
 * "stages" for "stage"); the part's name goes to @p out. */
static int tpb_filter_key(const char *key, char *out, size_t size)
{
    size_t len = strlen(key);
    for (size_t i = 0; i < tp_filter_key_count(); i++) {
        const char *name = tp_filter_key_name(i);
        size_t n = strlen(name);
        if (n < size && (!strcmp(key, name) ||
                         (len == n + 1 && key[n] == 's' && !strncmp(key, name, n)))) {
            memcpy(out, name, n + 1);
            return 1;
        }
    }
    return 0;
}

/* Whether a key is a time bound. */
static int tpb_kw_is_time(const char *key)
{
    return !strcmp(key, "since") || !strcmp(key, "until");
}

/* One keyword with a text value (for list values: called once per item). */
static int tpb_kw_text(tpb_kw *kw, const char *key, const char *value)
{
    if (tpb_kw_is_time(key)) {
        /* until= of a date alone includes that day, as the tool's --to does */
        int64_t ms;
        tp_status s = strcmp(key, "until") ? tp_time_read(value, TP_EPOCH_AUTO, &ms)
                                           : tp_time_read_end(value, TP_EPOCH_AUTO, &ms);
        if (s != TP_OK) {
            char why[256];
            snprintf(why, sizeof why, "%s", tp_last_error());
            tpb_fail(s, "keyword %s: %s", key, why);
            return 0;
        }
        return tpb_kw_time(kw, key, ms);
    }
    char part[32];
    if (tpb_filter_key(key, part, sizeof part)) {
        tp_filter *f = tpb_kw_filter(kw, key);
        return f && tpb_ok(tp_filter_set(f, part, value));
    }
    int knockout = tpb_is_key(key, "knockout", "knockouts");
    if (kw->params_ok && !knockout && !tpb_is_option(key))
        return tpb_kw_param(kw, key, value);
    tp_options *o = tpb_kw_options(kw, key);
    if (!o)
        return 0;
    if (knockout)
        return tpb_ok(tp_options_add_knockout(o, value));
    return tpb_ok(tp_options_set(o, key, value));
}

static int tpb_kw_use_filter(tpb_kw *kw, const tp_filter *filter)
{
    if (kw->filter) {
        tpb_fail(TP_EINVAL, "keyword filter: give either filter= or filter keywords, not both");
        return 0;
    }
    kw->filter = filter;
    return 1;
}

static int tpb_kw_use_options(tpb_kw *kw, const tp_options *options)
{
    if (kw->options) {
        tpb_fail(TP_EINVAL, "keyword options: give either options= or option keywords, not both");
        return 0;
    }
    kw->options = options;
    return 1;
}

static int tpb_kw_use_lexicon(tpb_kw *kw, const tp_lexicon *lexicon)
{
    tp_options *o = tpb_kw_options(kw, "lexicon");
    return o && tpb_ok(tp_options_set_lexicon(o, lexicon));
}

/* After the last keyword. */
static int tpb_kw_finish(tpb_kw *kw)
{
    if (kw->has_range)
        return tpb_ok(tp_filter_set_time_range(kw->own_filter, kw->since, kw->until));
    return 1;
}

/*
 * After the keywords of every call: its options get the progress hook, so
 * that Ctrl-C stops every analysis (a copy of the caller's Options, which stay
 * as they are).
 */
static int tpb_kw_watch(tpb_kw *kw)
{
    if (!kw->own_options) {
        tp_options *o = NULL;
        if (!tpb_ok(kw->options ? tp_options_copy(kw->options, &o) : tp_options_new(&o)))
            return 0;
        kw->own_options = o;
        kw->options = o;
    }
    return tpb_ok(tp_options_set_progress(kw->own_options, tpb_watch_analysis, &kw->watch));
}

/* ---- Helpers of the wrappers below -------------------------------------- */

/* Reader options; the read asks @p progress (Ctrl-C, progress=) as it goes. */
static tp_read_options tpb_read_options(int strict, const char *delimiter, const char *unit,
                                        size_t max_field_bytes, size_t max_input_bytes,
                                        int threads, tpb_watch *progress, int *ok)
{
    tp_read_options o;
    tp_read_options_init(&o, TP_READ_OPTIONS_VERSION);
    o.check = tpb_watch_read;
    o.check_data = progress;
    *ok = 0;
    o.on_error = strict ? TP_ON_ERROR_STOP : TP_ON_ERROR_SKIP;
    if (threads < 0) {
        tpb_fail(TP_EINVAL, "threads must be >= 0 (0: one per CPU), not %d", threads);
        return o;
    }
    o.threads = (unsigned)threads;
    if (delimiter) {
        if (strlen(delimiter) != 1) {
            tpb_fail(TP_EINVAL, "delimiter must be one character, not '%.20s'", delimiter);
            return o;
        }
        o.delimiter = delimiter[0];
    }
    tp_epoch_unit u = TP_EPOCH_AUTO;
    if (unit && !tpb_ok(tp_epoch_unit_parse(unit, &u)))
        return o;
    o.epoch_unit = u;
    if (max_field_bytes)
        o.max_field_bytes = max_field_bytes;
    if (max_input_bytes)
        o.max_input_bytes = max_input_bytes;
    *ok = 1;
    return o;
}

/* The log of a read that returned @p s: r, or NULL (r freed) when the read
 * failed or its progress hook left an exception to raise. */
static tp_read_log *tpb_read_done(tp_status s, tp_read_log *r)
{
    if (!tpb_ok(s) || !tpb_watch_ok()) {
        tp_read_log_free(r);
        return NULL;
    }
    return r;
}

/* Copy a journey map through the public API (the caller owns the copy). */
static tp_journey_map *tpb_map_copy(const tp_journey_map *m)
{
    tp_journey_map *c = NULL;
    if (!tpb_ok(tp_journey_map_new(&c, tp_journey_map_id(m))))
        return NULL;
    for (size_t s = 0; s < tp_journey_map_stage_count(m); s++) {
        size_t n = tp_journey_map_stage_size(m, s);
        const char **ids = malloc((n ? n : 1) * sizeof *ids);
        if (!ids) {
            tpb_fail(TP_ENOMEM, "out of memory");
            tp_journey_map_free(c);
            return NULL;
        }
        for (size_t i = 0; i < n; i++)
            ids[i] = tp_journey_map_stage_touchpoint(m, s, i);
        int ok = tpb_ok(tp_journey_map_add_stage(c, tp_journey_map_stage_name(m, s), ids, n));
        free(ids);
        if (!ok) {
            tp_journey_map_free(c);
            return NULL;
        }
    }
    for (size_t i = 0; i < tp_journey_map_transition_count(m); i++) {
        const char *from, *to;
        if (!tpb_ok(tp_journey_map_transition(m, i, &from, &to)) ||
            !tpb_ok(tp_journey_map_allow(c, from, to))) {
            tp_journey_map_free(c);
            return NULL;
        }
    }
    return c;
}

static void tpb_estimate_out(const tp_estimate *e, double *value, double *se, double *low,
                             double *high, uint64_t *n)
{
    *value = e->value;
    *se = e->se;
    *low = e->low;
    *high = e->high;
    *n = e->n;
}

/* One text field of a touchpoint definition, by number (see Catalog._touchpoint_text). */
static const char *tpb_def_text(const tp_touchpoint_def *d, int field)
{
    switch (field) {
    case 0: return d->id;
    case 1: return d->name;
    case 2: return d->stage;
    case 3: return d->channel;
    case 4: return tp_kind_name(d->kind);
    case 5: return d->owner;
    case 6: return d->expectation;
    case 7: return d->parent;
    default: return NULL;
    }
}
%}

/* ---- Language parts: typemaps, exceptions, renames ----------------------- */
#ifdef SWIGPYTHON
%include "python/touchpoint_python.i"
#endif
#ifdef SWIGRUBY
%include "ruby/touchpoint_ruby.i"
#endif

/* Owned text returned by the library is released with tp_free(). */
%typemap(newfree) char * "tp_free($1);";

/* Every wrapper starts with a clean status and raises when a call failed. */
%exception {
    tpb_status = TP_OK;
    tpb_null = 0;
    TPB_WATCH_RESET();
    $action
    if (tpb_status != TP_OK) {
        tpb_speak("$symname");
        TPB_RAISE();
        SWIG_fail;
    }
}

/* Several results come back together (a tuple in Python, an Array in Ruby). */
%apply tp_table **OUT { tp_table **steps, tp_table **dropoffs, tp_table **summary,
                        tp_table **journeys, tp_table **chain };
%apply double *OUTPUT { double *p_conversion, double *value, double *se, double *low,
                        double *high, double *t, double *df, double *p, double *score_value };
%apply uint64_t *OUTPUT { uint64_t *n };

/* ---- The handles as SWIG sees them --------------------------------------- */
typedef struct {} Catalog;
typedef struct {} JourneyMap;
typedef struct {} Events;
typedef struct {} Feedback;
typedef struct {} ReadLog;
typedef struct {} Table;
typedef struct {} Filter;
typedef struct {} Options;
typedef struct {} Lexicon;
typedef struct {} Funnel;
typedef struct {} Conformer;
typedef struct {} Paths;
typedef struct {} Aggregate;
typedef struct {} Report;

%include "docstrings.i"

/* ---- Table --------------------------------------------------------------- */
%extend Table {
    Table() {
        tp_table *t = NULL;
        tpb_ok(tp_table_new(&t));
        return t;
    }
    ~Table() { tp_table_free($self); }
    /* Why the table is as it is (why it is empty), or NULL. */
    const char *_note() { return tp_table_note($self); }
    size_t row_count() { return tp_table_row_count($self); }
    size_t column_count() { return tp_table_column_count($self); }
    const char *column_name(size_t col) {
        const char *s = tp_table_column_name($self, col);
        if (!s)
            tpb_fail(TP_EINVAL, "column %zu is out of range (%zu columns)", col,
                     tp_table_column_count($self));
        return s;
    }
    const char *column_type(size_t col) {
        const char *s = tp_type_name(tp_table_column_type($self, col));
        if (!s)
            tpb_fail(TP_EINVAL, "column %zu is out of range (%zu columns)", col,
                     tp_table_column_count($self));
        return s;
    }
    /* What the numbers of a column mean: "none", "time" (ms since the epoch),
     * "duration" (ms) or "flag" (0/1). */
    const char *column_unit(size_t col) {
        if (col >= tp_table_column_count($self)) {
            tpb_fail(TP_EINVAL, "column %zu is out of range (%zu columns)", col,
                     tp_table_column_count($self));
            return NULL;
        }
        return tp_unit_name(tp_table_column_unit($self, col));
    }
    size_t find_column(const char *name) {
        size_t col = 0;
        tpb_ok(tp_table_find_column($self, name, &col));
        return col;
    }
    size_t add_column(const char *name, const char *type) {
        tp_type t = TP_TYPE_STRING;
        size_t col = 0;
        if (tpb_ok(tp_type_parse(type, &t)))
            tpb_ok(tp_table_add_column($self, name, t, &col));
        return col;
    }
    /* Say what a column's numbers mean: "none", "time", "duration" or "flag". */
    void set_column_unit(size_t col, const char *unit) {
        tp_unit u = TP_UNIT_NONE;
        if (tpb_ok(tp_unit_parse(unit, &u)))
            tpb_ok(tp_table_set_column_unit($self, col, u));
    }
    size_t append_row() {
        size_t row = 0;
        tpb_ok(tp_table_append_row($self, &row));
        return row;
    }
    void set_string(size_t row, size_t col, const char *value) {
        tpb_ok(tp_table_set_string($self, row, col, value));
    }
    void set_int64(size_t row, size_t col, int64_t value) {
        tpb_ok(tp_table_set_int64($self, row, col, value));
    }
    void set_double(size_t row, size_t col, double value) {
        tpb_ok(tp_table_set_double($self, row, col, value));
    }
    void set_null(size_t row, size_t col) { tpb_ok(tp_table_set_null($self, row, col)); }
    bool is_null(size_t row, size_t col) {
        int r = tp_table_is_null($self, row, col);
        if (r < 0)
            tpb_fail(TP_EINVAL, "cell (%zu, %zu) is out of range (%zu x %zu)", row, col,
                     tp_table_row_count($self), tp_table_column_count($self));
        return r == 1;
    }
    const char *get_string(size_t row, size_t col) {
        const char *s = NULL;
        tpb_ok(tp_table_get_string($self, row, col, &s));
        return s;
    }
    int64_t get_int64(size_t row, size_t col) {
        int64_t v = 0;
        tpb_ok(tp_table_get_int64($self, row, col, &v));
        return v;
    }
    double get_double(size_t row, size_t col) {
        double v = NAN;
        tpb_ok(tp_table_get_double($self, row, col, &v));
        return v;
    }
    %newobject format;
    char *format(const char *format = "text") {
        tp_format f;
        char *out = NULL;
        if (tpb_ok(tp_format_parse(format, &f)))
            tpb_ok(tp_table_format($self, f, &out, NULL));
        return out;
    }
    void write(const char *path, const char *format = "csv") {
        tp_format f;
        if (tpb_ok(tp_format_parse(format, &f)))
            tpb_ok(tp_table_write($self, f, path));
    }
    %newobject to_dot;
    char *to_dot() {
        char *out = NULL;
        tpb_ok(tp_edges_to_dot($self, &out, NULL));
        return out;
    }
}

/* ---- Catalog and journey maps -------------------------------------------- */
%extend JourneyMap {
    JourneyMap(const char *id) {
        tp_journey_map *m = NULL;
        tpb_ok(tp_journey_map_new(&m, id));
        return m;
    }
    ~JourneyMap() { tp_journey_map_free($self); }
    const char *id() { return tp_journey_map_id($self); }
    void add_stage(const char *name, tpb_strings touchpoints) {
        if (tpb_strings_complete(&touchpoints, "touchpoints"))
            tpb_ok(tp_journey_map_add_stage($self, name, touchpoints.v, touchpoints.n));
    }
    void allow(const char *from, const char *to) {
        tpb_ok(tp_journey_map_allow($self, from, to));
    }
    bool allows(const char *from, const char *to) {
        return tp_journey_map_allows($self, from, to) == 1;
    }
    size_t stage_count() { return tp_journey_map_stage_count($self); }
    const char *stage_name(size_t stage) {
        const char *s = tp_journey_map_stage_name($self, stage);
        if (!s)
            tpb_fail(TP_EINVAL, "stage %zu is out of range", stage);
        return s;
    }
    size_t stage_size(size_t stage) { return tp_journey_map_stage_size($self, stage); }
    const char *stage_touchpoint(size_t stage, size_t i) {
        const char *s = tp_journey_map_stage_touchpoint($self, stage, i);
        if (!s)
            tpb_fail(TP_EINVAL, "touchpoint %zu of stage %zu is out of range", i, stage);
        return s;
    }
    size_t transition_count() { return tp_journey_map_transition_count($self); }
    const char *_transition_end(size_t i, int to) {
        const char *from = NULL, *dest = NULL;
        if (!tpb_ok(tp_journey_map_transition($self, i, &from, &dest)))
            return NULL;
        return to ? dest : from;
    }
}

%extend Catalog {
    Catalog() {
        tp_catalog *c = NULL;
        tpb_ok(tp_catalog_new(&c));
        return c;
    }
    ~Catalog() { tp_catalog_free($self); }
    %newobject default_catalog;
    static Catalog *default_catalog() {
        tp_catalog *c = NULL;
        tpb_ok(tp_catalog_new_default(&c));
        return c;
    }
    %newobject parse_json;
    static Catalog *parse_json(tpb_data json, const char *name = NULL) {
        tp_catalog *c = NULL;
        tpb_ok(tp_catalog_parse_json(&c, json.v, json.n, name));
        return c;
    }
    %newobject load_json;
    static Catalog *load_json(const char *path) {
        tp_catalog *c = NULL;
        tpb_ok(tp_catalog_load_json(&c, path));
        return c;
    }
    %newobject to_json;
    char *to_json() {
        char *out = NULL;
        tpb_ok(tp_catalog_to_json($self, &out, NULL));
        return out;
    }
    void save_json(const char *path) { tpb_ok(tp_catalog_save_json($self, path)); }
    size_t stage_count() { return tp_catalog_stage_count($self); }
    const char *stage_name(size_t index) {
        const char *s = tp_catalog_stage_name($self, index);
        if (!s)
            tpb_fail(TP_EINVAL, "stage %zu is out of range (%zu stages)", index,
                     tp_catalog_stage_count($self));
        return s;
    }
    size_t find_stage(const char *name) {
        size_t i = 0;
        tpb_ok(tp_catalog_find_stage($self, name, &i));
        return i;
    }
    void add_stage(const char *name) { tpb_ok(tp_catalog_add_stage($self, name)); }
    void set_stages(tpb_strings names) {
        if (tpb_strings_complete(&names, "names"))
            tpb_ok(tp_catalog_set_stages($self, names.v, names.n));
    }
    size_t _add_touchpoint(const char *id, const char *name, const char *stage,
                           const char *channel, const char *kind, const char *owner,
                           const char *expectation, double weight, const char *parent) {
        tp_touchpoint_def d;
        size_t index = 0;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        d.id = id;
        d.name = name;
        d.stage = stage;
        d.channel = channel;
        d.owner = owner;
        d.expectation = expectation;
        d.weight = weight;
        d.parent = parent;
        if (kind && !tpb_ok(tp_kind_parse(kind, &d.kind)))
            return 0;
        tpb_ok(tp_catalog_add_touchpoint($self, &d, &index));
        return index;
    }
    size_t touchpoint_count() { return tp_catalog_touchpoint_count($self); }
    size_t find_touchpoint(const char *id) {
        size_t i = 0;
        tpb_ok(tp_catalog_find_touchpoint($self, id, &i));
        return i;
    }
    /* Field of touchpoint @p index: 0 id, 1 name, 2 stage, 3 channel, 4 kind,
     * 5 owner, 6 expectation, 7 parent. */
    const char *_touchpoint_text(size_t index, int field) {
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        if (!tpb_ok(tp_catalog_get_touchpoint($self, index, &d)))
            return NULL;
        return tpb_def_text(&d, field);
    }
    double _touchpoint_weight(size_t index) {
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        tpb_ok(tp_catalog_get_touchpoint($self, index, &d));
        return d.weight;
    }
    void set_parent(const char *id, const char *parent) {
        tpb_ok(tp_catalog_set_parent($self, id, parent));
    }
    /* Touchpoint @p index's target @p metric (tp_target_name(k)), NaN when none. */
    double _target(size_t index, int metric) {
        return tp_catalog_target($self, index, (tp_target)metric);
    }
    /* Set (or, with NaN, remove) a target, the metric by its word. */
    void _set_target(size_t index, const char *metric, double value) {
        tp_target t;
        if (tpb_ok(tp_target_parse(metric, &t)))
            tpb_ok(tp_catalog_set_target($self, index, t, value));
    }
    /* The word of target @p k, NULL past the last. */
    static const char *target_name(int k) { return tp_target_name((tp_target)k); }
    %newobject to_table;
    Table *to_table() {
        tp_table *t = NULL;
        tpb_ok(tp_catalog_to_table($self, &t));
        return t;
    }
    void add_journey_map(JourneyMap *map) { tpb_ok(tp_catalog_add_journey_map($self, map)); }
    size_t journey_map_count() { return tp_catalog_journey_map_count($self); }
    /* A copy of journey map @p index (the catalog keeps its own). */
    %newobject journey_map_at;
    JourneyMap *journey_map_at(size_t index) {
        const tp_journey_map *m = tp_catalog_journey_map($self, index);
        if (!m) {
            tpb_fail(TP_EINVAL, "journey map %zu is out of range (%zu maps)", index,
                     tp_catalog_journey_map_count($self));
            return NULL;
        }
        return tpb_map_copy(m);
    }
    /* A copy of the journey map with this id. */
    %newobject journey_map;
    JourneyMap *journey_map(const char *id) {
        const tp_journey_map *m = NULL;
        if (!tpb_ok(tp_catalog_find_journey_map($self, id, &m)))
            return NULL;
        return tpb_map_copy(m);
    }
    /* Named funnels: the catalog keeps a copy of each; these hand out copies. */
    void add_funnel(const char *id, Funnel *funnel) {
        tpb_ok(tp_catalog_add_funnel($self, id, funnel));
    }
    size_t funnel_count() { return tp_catalog_funnel_count($self); }
    const char *funnel_id(size_t index) {
        const char *s = tp_catalog_funnel_id($self, index);
        if (!s)
            tpb_fail(TP_EINVAL, "funnel %zu is out of range (%zu funnels)", index,
                     tp_catalog_funnel_count($self));
        return s;
    }
    %newobject funnel;
    Funnel *funnel(const char *id) {
        const tp_funnel *f = NULL;
        tp_funnel *copy = NULL;
        if (tpb_ok(tp_catalog_find_funnel($self, id, &f)))
            tpb_ok(tp_funnel_copy(f, &copy));
        return copy;
    }
}

/* ---- Read log ---------------------------------------------------------------- */
%extend ReadLog {
    ReadLog() {
        tp_read_log *r = NULL;
        tpb_ok(tp_read_log_new(&r));
        return r;
    }
    ~ReadLog() { tp_read_log_free($self); }
    void clear() { tp_read_log_clear($self); }
    uint64_t rows_read() { return tp_read_log_rows_read($self); }
    uint64_t rows_accepted() { return tp_read_log_rows_accepted($self); }
    uint64_t rows_rejected() { return tp_read_log_rows_rejected($self); }
    uint64_t bytes_read() { return tp_read_log_bytes_read($self); }
    size_t issue_count() { return tp_read_log_issue_count($self); }
    %newobject to_table;
    Table *to_table() {
        tp_table *t = NULL;
        tpb_ok(tp_read_log_to_table($self, &t));
        return t;
    }
}

/* ---- Events ---------------------------------------------------------------- */
%extend Events {
    Events(Catalog *catalog = NULL) {
        tp_events *e = NULL;
        tpb_ok(tp_events_new(&e, catalog));
        return e;
    }
    ~Events() { tp_events_free($self); }
    /* The catalog, borrowed from the log (the sugar keeps the log alive). */
    Catalog *_catalog() { return tp_events_catalog($self); }
    void _set_unknown_policy(const char *policy) {
        tp_unknown_policy p;
        if (tpb_ok(tp_unknown_policy_parse(policy, &p)))
            tpb_ok(tp_events_set_unknown_policy($self, p));
    }
    void _append(const char *customer, const char *touchpoint, int64_t time_ms,
                 const char *type, double value) {
        tp_event_type t;
        if (tpb_ok(tp_event_type_parse(type, &t)))
            tpb_ok(tp_events_append($self, customer, touchpoint, time_ms, t, value));
    }
    void _append_many(tpb_strings customers, tpb_strings touchpoints, tpb_int64s times_ms,
                      tpb_bytes types, tpb_doubles values) {
        size_t n = customers.n;
        if (!tpb_same_length(n, touchpoints.n, 1, "touchpoints") ||
            !tpb_same_length(n, times_ms.n, 1, "times") ||
            !tpb_same_length(n, types.n, types.given, "types") ||
            !tpb_same_length(n, values.n, values.given, "values"))
            return;
        tpb_ok(tp_events_append_many($self, n, customers.v, touchpoints.v, times_ms.v,
                                     types.given ? types.v : NULL,
                                     values.given ? values.v : NULL));
    }
    %newobject _read;
    /* Read a file (buffer NULL) or a buffer: format "csv" or "jsonl". */
    ReadLog *_read(const char *format, const char *path, tpb_data *buffer, const char *name,
                  bool strict, const char *delimiter, const char *epoch_unit,
                  size_t max_field_bytes, size_t max_input_bytes, int threads,
                  const char *columns, tpb_watch *progress) {
        int ok;
        tp_read_options o = tpb_read_options(strict, delimiter, epoch_unit, max_field_bytes,
                                             max_input_bytes, threads, progress, &ok);
        o.columns = columns;
        tp_read_log *r = NULL;
        if (!ok || !tpb_ok(tp_read_log_new(&r)))
            return NULL;
        tp_status s;
        int jsonl = format && !strcmp(format, "jsonl");
        if (!jsonl && (!format || strcmp(format, "csv"))) {
            tpb_fail(TP_EINVAL, "format: '%.20s' is not one of csv, jsonl",
                     format ? format : "(None)");
            tp_read_log_free(r);
            return NULL;
        }
        if (buffer)
            s = jsonl ? tp_events_read_jsonl_buffer($self, buffer->v, buffer->n, name, &o, r)
                      : tp_events_read_csv_buffer($self, buffer->v, buffer->n, name, &o, r);
        else
            s = jsonl ? tp_events_read_jsonl($self, path, &o, r)
                      : tp_events_read_csv($self, path, &o, r);
        return tpb_read_done(s, r);
    }
    %newobject _read_columns;
    /* Events from a frame's columns, as tp_events_append_columns reads them: names holds
     * the frame's names of the reader's first five columns (tp_read_column:
     * customer_id, timestamp, touchpoint, type, value); the
     * time is times_ms (time_missing marks NaT) or time_text; type, values or
     * value_text may be None; attr_values holds the attribute columns one
     * after another, each as long as customers. */
    ReadLog *_read_columns(const char *name, bool strict, const char *epoch_unit,
                           tpb_strings names, tpb_strings customers, tpb_strings touchpoints,
                           tpb_int64s times_ms, tpb_bytes time_missing, tpb_strings time_text,
                           tpb_strings types, tpb_doubles values, tpb_strings value_text,
                           tpb_strings attr_names, tpb_strings attr_values,
                           tpb_watch *progress) {
        size_t n = customers.n, na = 0;
        if (!tpb_strings_complete(&names, "names") || names.n != 5) {
            tpb_fail(TP_EINVAL, "names: expected the 5 column names");
            return NULL;
        }
        if (!tpb_same_length(n, touchpoints.n, 1, "touchpoints") ||
            !tpb_same_length(n, times_ms.n, times_ms.given, "times") ||
            !tpb_same_length(n, time_missing.n, time_missing.given, "time_missing") ||
            !tpb_same_length(n, time_text.n, time_text.given, "time_text") ||
            !tpb_same_length(n, types.n, types.given, "types") ||
            !tpb_same_length(n, values.n, values.given, "values") ||
            !tpb_same_length(n, value_text.n, value_text.given, "value_text"))
            return NULL;
        tp_text_column *attrs = tpb_attr_columns(&attr_names, &attr_values, n, &na);
        if (!attrs)
            return NULL;
        int ok;
        tp_read_options o = tpb_read_options(strict, ",", epoch_unit, 0, 0, 1, progress, &ok);
        tp_read_log *r = NULL;
        tp_event_columns c;
        memset(&c, 0, sizeof c);
        c.version = TP_EVENT_COLUMNS_VERSION;
        c.count = n;
        c.customer = (tp_text_column){names.v[0], customers.v};
        c.touchpoint = (tp_text_column){names.v[2], touchpoints.v};
        c.times_ms = times_ms.given ? times_ms.v : NULL;
        c.time_missing = time_missing.given ? time_missing.v : NULL;
        c.time_text = (tp_text_column){names.v[1], time_text.given ? time_text.v : NULL};
        c.time_name = names.v[1];
        c.type = (tp_text_column){names.v[3], types.given ? types.v : NULL};
        c.values = values.given ? values.v : NULL;
        c.value_text = (tp_text_column){names.v[4], value_text.given ? value_text.v : NULL};
        c.value_name = names.v[4];
        c.nattrs = na;
        c.attrs = attrs;
        if (ok && tpb_ok(tp_read_log_new(&r)))
            r = tpb_read_done(tp_events_append_columns($self, &c, name, &o, r), r);
        free(attrs);
        return r;
    }
    size_t count() { return tp_events_count($self); }
    size_t customer_count() { return tp_events_customer_count($self); }
    const char *customer(size_t row) {
        const char *s = tp_events_customer($self, row);
        if (!s)
            tpb_fail(TP_EINVAL, "event %zu is out of range (%zu events)", row,
                     tp_events_count($self));
        return s;
    }
    const char *touchpoint(size_t row) {
        const char *s = tp_events_touchpoint($self, row);
        if (!s)
            tpb_fail(TP_EINVAL, "event %zu is out of range (%zu events)", row,
                     tp_events_count($self));
        return s;
    }
    size_t touchpoint_index(size_t row) {
        size_t i = tp_events_touchpoint_index($self, row);
        if (i == (size_t)-1)
            tpb_fail(TP_EINVAL, "event %zu is out of range (%zu events)", row,
                     tp_events_count($self));
        return i;
    }
    int64_t time(size_t row) {
        if (row >= tp_events_count($self))
            tpb_fail(TP_EINVAL, "event %zu is out of range (%zu events)", row,
                     tp_events_count($self));
        return tp_events_time($self, row);
    }
    const char *type(size_t row) {
        if (row >= tp_events_count($self))
            tpb_fail(TP_EINVAL, "event %zu is out of range (%zu events)", row,
                     tp_events_count($self));
        return tp_event_type_name(tp_events_type($self, row));
    }
    double value(size_t row) {
        if (row >= tp_events_count($self))
            tpb_fail(TP_EINVAL, "event %zu is out of range (%zu events)", row,
                     tp_events_count($self));
        return tp_events_value($self, row);
    }
    size_t attribute_count() { return tp_events_attribute_count($self); }
    const char *attribute_name(size_t attr) {
        const char *s = tp_events_attribute_name($self, attr);
        if (!s)
            tpb_fail(TP_EINVAL, "attribute %zu is out of range", attr);
        return s;
    }
    const char *attribute(size_t attr, size_t row) {
        const char *s = tp_events_attribute($self, attr, row);
        if (!s)
            tpb_fail(TP_EINVAL, "attribute %zu of event %zu is out of range", attr, row);
        return s;
    }
    %newobject to_table;
    Table *to_table() {
        tp_table *t = NULL;
        tpb_ok(tp_events_to_table($self, &t));
        return t;
    }
}

/* ---- Feedback -------------------------------------------------------------- */
%extend Feedback {
    Feedback(Catalog *catalog = NULL) {
        tp_feedback *f = NULL;
        tpb_ok(tp_feedback_new(&f, catalog));
        return f;
    }
    ~Feedback() { tp_feedback_free($self); }
    Catalog *_catalog() { return tp_feedback_catalog($self); }
    void _set_unknown_policy(const char *policy) {
        tp_unknown_policy p;
        if (tpb_ok(tp_unknown_policy_parse(policy, &p)))
            tpb_ok(tp_feedback_set_unknown_policy($self, p));
    }
    void _append(const char *customer, int64_t time_ms, const char *touchpoint,
                 const char *metric, double score, double weight, const char *comment) {
        tpb_ok(tp_feedback_append($self, customer, time_ms, touchpoint, metric, score, weight,
                                  comment));
    }
    %newobject _read_columns;
    /* Responses from a frame's columns, as tp_feedback_append_columns reads
     * them: names holds the frame's names of the reader's columns in their
     * order (tp_read_column); as for Events._read_columns. */
    ReadLog *_read_columns(const char *name, bool strict, const char *epoch_unit,
                           const char *redact, tpb_strings names, tpb_strings customers,
                           tpb_strings touchpoints, tpb_int64s times_ms, tpb_bytes time_missing,
                           tpb_strings time_text, tpb_strings metrics, tpb_doubles scores,
                           tpb_strings score_text, tpb_doubles weights, tpb_strings weight_text,
                           tpb_strings comments, tpb_strings attr_names,
                           tpb_strings attr_values, tpb_watch *progress) {
        size_t n = customers.n, na = 0;
        if (!tpb_strings_complete(&names, "names") || names.n != 7) {
            tpb_fail(TP_EINVAL, "names: expected the 7 column names");
            return NULL;
        }
        if (!tpb_same_length(n, touchpoints.n, 1, "touchpoints") ||
            !tpb_same_length(n, times_ms.n, times_ms.given, "times") ||
            !tpb_same_length(n, time_missing.n, time_missing.given, "time_missing") ||
            !tpb_same_length(n, time_text.n, time_text.given, "time_text") ||
            !tpb_same_length(n, metrics.n, 1, "metrics") ||
            !tpb_same_length(n, scores.n, scores.given, "scores") ||
            !tpb_same_length(n, score_text.n, score_text.given, "score_text") ||
            !tpb_same_length(n, weights.n, weights.given, "weights") ||
            !tpb_same_length(n, weight_text.n, weight_text.given, "weight_text") ||
            !tpb_same_length(n, comments.n, comments.given, "comments"))
            return NULL;
        unsigned flags = 0;
        if (redact && !tpb_redact_flags(redact, &flags))
            return NULL;
        tp_text_column *attrs = tpb_attr_columns(&attr_names, &attr_values, n, &na);
        if (!attrs)
            return NULL;
        int ok;
        tp_read_options o = tpb_read_options(strict, ",", epoch_unit, 0, 0, 1, progress, &ok);
        o.redact = flags;
        tp_read_log *r = NULL;
        tp_feedback_columns c;
        memset(&c, 0, sizeof c);
        c.version = TP_FEEDBACK_COLUMNS_VERSION;
        c.count = n;
        c.customer = (tp_text_column){names.v[0], customers.v};
        c.touchpoint = (tp_text_column){names.v[2], touchpoints.v};
        c.times_ms = times_ms.given ? times_ms.v : NULL;
        c.time_missing = time_missing.given ? time_missing.v : NULL;
        c.time_text = (tp_text_column){names.v[1], time_text.given ? time_text.v : NULL};
        c.time_name = names.v[1];
        c.metric = (tp_text_column){names.v[3], metrics.v};
        c.scores = scores.given ? scores.v : NULL;
        c.score_text = (tp_text_column){names.v[4], score_text.given ? score_text.v : NULL};
        c.score_name = names.v[4];
        c.weights = weights.given ? weights.v : NULL;
        c.weight_text = (tp_text_column){names.v[6], weight_text.given ? weight_text.v : NULL};
        c.weight_name = names.v[6];
        c.comment = (tp_text_column){names.v[5], comments.given ? comments.v : NULL};
        c.nattrs = na;
        c.attrs = attrs;
        if (ok && tpb_ok(tp_read_log_new(&r)))
            r = tpb_read_done(tp_feedback_append_columns($self, &c, name, &o, r), r);
        free(attrs);
        return r;
    }
    void _append_many(tpb_strings customers, tpb_int64s times_ms, tpb_strings touchpoints,
                      tpb_strings metrics, tpb_doubles scores, tpb_doubles weights,
                      tpb_strings comments) {
        size_t n = customers.n;
        if (!tpb_same_length(n, times_ms.n, 1, "times") ||
            !tpb_same_length(n, touchpoints.n, 1, "touchpoints") ||
            !tpb_same_length(n, metrics.n, 1, "metrics") ||
            !tpb_same_length(n, scores.n, 1, "scores") ||
            !tpb_same_length(n, weights.n, weights.given, "weights") ||
            !tpb_same_length(n, comments.n, comments.given, "comments"))
            return;
        tpb_ok(tp_feedback_append_many($self, n, customers.v, times_ms.v, touchpoints.v,
                                       metrics.v, scores.v, weights.given ? weights.v : NULL,
                                       comments.given ? comments.v : NULL));
    }
    %newobject _read;
    ReadLog *_read(const char *path, tpb_data *buffer, const char *name, bool strict,
                  const char *delimiter, const char *epoch_unit, size_t max_field_bytes,
                  size_t max_input_bytes, const char *redact, int threads,
                  const char *columns, tpb_watch *progress) {
        int ok;
        tp_read_options o = tpb_read_options(strict, delimiter, epoch_unit, max_field_bytes,
                                             max_input_bytes, threads, progress, &ok);
        o.columns = columns;
        tp_read_log *r = NULL;
        if (!ok || !tpb_redact_flags(redact, &o.redact) || !tpb_ok(tp_read_log_new(&r)))
            return NULL;
        tp_status s = buffer ? tp_feedback_read_csv_buffer($self, buffer->v, buffer->n, name, &o, r)
                             : tp_feedback_read_csv($self, path, &o, r);
        return tpb_read_done(s, r);
    }
    size_t count() { return tp_feedback_count($self); }
    const char *customer(size_t row) {
        const char *s = tp_feedback_customer($self, row);
        if (!s)
            tpb_fail(TP_EINVAL, "response %zu is out of range (%zu responses)", row,
                     tp_feedback_count($self));
        return s;
    }
    int64_t time(size_t row) {
        if (row >= tp_feedback_count($self))
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return tp_feedback_time($self, row);
    }
    const char *touchpoint(size_t row) {
        const char *s = tp_feedback_touchpoint($self, row);
        if (!s)
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return s;
    }
    size_t touchpoint_index(size_t row) {
        size_t i = tp_feedback_touchpoint_index($self, row);
        if (i == (size_t)-1)
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return i;
    }
    const char *metric(size_t row) {
        const char *s = tp_feedback_metric($self, row);
        if (!s)
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return s;
    }
    const char *metric_kind(size_t row) {
        if (row >= tp_feedback_count($self))
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return tp_metric_name(tp_feedback_metric_kind($self, row));
    }
    double score(size_t row) {
        if (row >= tp_feedback_count($self))
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return tp_feedback_score($self, row);
    }
    double weight(size_t row) {
        if (row >= tp_feedback_count($self))
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return tp_feedback_weight($self, row);
    }
    /* The comment, or None / nil when the response has none. */
    const char *comment(size_t row) {
        if (row >= tp_feedback_count($self))
            tpb_fail(TP_EINVAL, "response %zu is out of range", row);
        return tp_feedback_comment($self, row);
    }
    size_t attribute_count() { return tp_feedback_attribute_count($self); }
    const char *attribute_name(size_t attr) {
        const char *s = tp_feedback_attribute_name($self, attr);
        if (!s)
            tpb_fail(TP_EINVAL, "attribute %zu is out of range", attr);
        return s;
    }
    const char *attribute(size_t attr, size_t row) {
        const char *s = tp_feedback_attribute($self, attr, row);
        if (!s)
            tpb_fail(TP_EINVAL, "attribute %zu of response %zu is out of range", attr, row);
        return s;
    }
    %newobject to_table;
    Table *to_table() {
        tp_table *t = NULL;
        tpb_ok(tp_feedback_to_table($self, &t));
        return t;
    }
}

/* ---- Filter and Options ---------------------------------------------------- */
%extend Filter {
    Filter() {
        tp_filter *f = NULL;
        tpb_ok(tp_filter_new(&f));
        return f;
    }
    ~Filter() { tp_filter_free($self); }
    void set_time_range(int64_t from_ms, int64_t to_ms) {
        tpb_ok(tp_filter_set_time_range($self, from_ms, to_ms));
    }
    void add_segment(const char *attribute, const char *value, bool negate = false) {
        tpb_ok(tp_filter_add_segment($self, attribute, value, negate));
    }
    void parse_segment(const char *condition) {
        tpb_ok(tp_filter_parse_segment($self, condition));
    }
    /* Set one part by name (since, until, segment, stage, channel, touchpoint). */
    void set(const char *key, const char *value) { tpb_ok(tp_filter_set($self, key, value)); }
    void add_stage(const char *stage) { tpb_ok(tp_filter_add_stage($self, stage)); }
    void add_channel(const char *channel) { tpb_ok(tp_filter_add_channel($self, channel)); }
    void add_touchpoint(const char *touchpoint) {
        tpb_ok(tp_filter_add_touchpoint($self, touchpoint));
    }
}

%extend Options {
    Options() {
        tp_options *o = NULL;
        tpb_ok(tp_options_new(&o));
        return o;
    }
    ~Options() { tp_options_free($self); }
    /* Set an option by name from text (tp_options_set()). */
    void _set(const char *name, const char *value) { tpb_ok(tp_options_set($self, name, value)); }
    /* Read an option by name, as a double (integer options converted). */
    double _get(const char *name) {
        const tp_option_info *info = tp_option_lookup(name);
        if (!tpb_ok(info ? TP_OK : TP_EINVAL))
            return NAN;
        if (info->type == TP_VALUE_TEXT) {
            tpb_fail(TP_EINVAL, "Options: %s is text (read it with get)", name);
            return NAN;
        }
        if (info->type != TP_VALUE_NUMBER) {
            int64_t v = 0;
            tpb_ok(tp_options_get_int($self, info->key, &v));
            return (double)v;
        }
        double d = NAN;
        tpb_ok(tp_options_get_double($self, info->key, &d));
        return d;
    }
    bool _is_int(const char *name) {
        const tp_option_info *info = tp_option_lookup(name);
        tpb_ok(info ? TP_OK : TP_EINVAL);
        return info && info->type != TP_VALUE_NUMBER && info->type != TP_VALUE_TEXT;
    }
    /* A text option's value ("" for none); NULL (an error raised) for another. */
    const char *_get_text(const char *name) {
        const tp_option_info *info = tp_option_lookup(name);
        const char *v = NULL;
        if (tpb_ok(info ? TP_OK : TP_EINVAL) && tpb_ok(tp_options_get_text($self, info->key, &v)))
            return v;
        return NULL;
    }
    bool _is_text(const char *name) {
        const tp_option_info *info = tp_option_lookup(name);
        tpb_ok(info ? TP_OK : TP_EINVAL);
        return info && info->type == TP_VALUE_TEXT;
    }
    void add_knockout(const char *item) { tpb_ok(tp_options_add_knockout($self, item)); }
    /* Borrowed: the sugar keeps the lexicon alive as long as the options. */
    void _set_lexicon(Lexicon *lexicon) { tpb_ok(tp_options_set_lexicon($self, lexicon)); }
}

/* ---- Sentiment lexicon ----------------------------------------------------- */
%extend Lexicon {
    Lexicon() {
        tp_lexicon *l = NULL;
        tpb_ok(tp_lexicon_new(&l));
        return l;
    }
    ~Lexicon() { tp_lexicon_free($self); }
    %newobject default_lexicon;
    static Lexicon *default_lexicon() {
        tp_lexicon *l = NULL;
        tpb_ok(tp_lexicon_new_default(&l));
        return l;
    }
    void set(const char *term, const char *kind, double value) {
        tp_term_kind k;
        if (tpb_ok(tp_term_kind_parse(kind, &k)))
            tpb_ok(tp_lexicon_set($self, term, k, value));
    }
    /* Kind of a term; raises NotFoundError when the lexicon lacks it. */
    const char *lookup_kind(const char *term) {
        tp_term_kind k = TP_TERM_WORD;
        if (!tpb_ok(tp_lexicon_lookup($self, term, &k, NULL)))
            return NULL;
        return tp_term_kind_name(k);
    }
    double lookup_value(const char *term) {
        double v = NAN;
        tpb_ok(tp_lexicon_lookup($self, term, NULL, &v));
        return v;
    }
    bool contains(const char *term) {
        return tp_lexicon_lookup($self, term, NULL, NULL) == TP_OK;
    }
    size_t size() { return tp_lexicon_size($self); }
    void load(const char *path) { tpb_ok(tp_lexicon_load($self, path)); }
    void load_buffer(tpb_data data, const char *name = NULL) {
        tpb_ok(tp_lexicon_load_buffer($self, data.v, data.n, name));
    }
    double score(tpb_data text) {
        double v = NAN;
        tpb_ok(tp_sentiment_score($self, text.v, text.n, &v));
        return v;
    }
    %newobject table;
    Table *table(tpb_strings texts) {
        tp_table *t = NULL;
        if (tpb_strings_complete(&texts, "texts"))
            tpb_ok(tp_sentiment_table($self, texts.v, texts.n, &t));
        return t;
    }
}

/* ---- Funnel, conformance, paths ------------------------------------------- */
%extend Funnel {
    Funnel() {
        tp_funnel *f = NULL;
        tpb_ok(tp_funnel_new(&f));
        return f;
    }
    ~Funnel() { tp_funnel_free($self); }
    /* One step as its text reads ("cart?", "online-checkout (conversion)<2d",
     * "(conversion)"), optional and with a window besides. */
    void add_step(const char *step, bool optional = false, int64_t window_ms = 0) {
        if (!step || strchr(step, ',') || window_ms < 0) {
            tpb_fail(TP_EINVAL, "funnel step %zu: %s", tp_funnel_step_count($self) + 1,
                     !step ? "a step is text, not None or nil"
                     : window_ms < 0 ? "negative window"
                                     : "one step per item (a comma separates steps in text)");
            return;
        }
        size_t n = strlen(step) + 32;
        char *text = malloc(n);
        if (!text) {
            tpb_fail(TP_ENOMEM, "out of memory");
            return;
        }
        int at = snprintf(text, n, "%s%s", step, optional ? "?" : "");
        if (window_ms)
            snprintf(text + at, n - (size_t)at, "<%lldms", (long long)window_ms);
        tpb_ok(tp_funnel_parse($self, text));
        free(text);
    }
    void parse(const char *steps) { tpb_ok(tp_funnel_parse($self, steps)); }
    /* One exclusion as its text reads ("support", "(conversion)"). */
    void add_exclusion(const char *touchpoint) {
        if (touchpoint && strchr(touchpoint, ',')) {
            tpb_fail(TP_EINVAL, "funnel exclusion '%s': one exclusion per item", touchpoint);
            return;
        }
        int blank = touchpoint && touchpoint[strspn(touchpoint, " \t")] == '\0';
        tpb_ok(touchpoint && !blank ? tp_funnel_set($self, "exclude", touchpoint)
                                    : tp_funnel_add_exclusion($self, touchpoint));
    }
    void set_window(int64_t window_ms) { tpb_ok(tp_funnel_set_window($self, window_ms)); }
    void set_mode(const char *mode) {
        tp_funnel_mode m;
        if (tpb_ok(tp_funnel_mode_parse(mode, &m)))
            tpb_ok(tp_funnel_set_mode($self, m));
    }
    size_t step_count() { return tp_funnel_step_count($self); }
    /* (steps, dropoffs) */
    void _run(Events *events, tpb_kw *kw, tp_table **steps, tp_table **dropoffs) {
        tpb_ok(tp_funnel_run(events, $self, kw->filter, kw->options, steps, dropoffs));
    }
}

%extend Conformer {
    Conformer(Catalog *catalog, const char *map_id, tpb_kw *kw) {
        tp_conformer *c = NULL;
        tpb_ok(tp_conformer_new(&c, catalog, map_id, kw->options));
        return c;
    }
    ~Conformer() { tp_conformer_free($self); }
    void _add(const char *customer, int64_t time_ms, const char *touchpoint, const char *type) {
        tp_event_type t;
        if (tpb_ok(tp_event_type_parse(type, &t)))
            tpb_ok(tp_conformer_add($self, customer, time_ms, touchpoint, t));
    }
    /* (summary, journeys) */
    void finish(tp_table **summary, tp_table **journeys) {
        tpb_ok(tp_conformer_finish($self, summary, journeys));
    }
}

%extend Paths {
    Paths() {
        tp_paths *p = NULL;
        tpb_ok(tp_paths_new(&p));
        return p;
    }
    ~Paths() { tp_paths_free($self); }
    %newobject from_events;
    static Paths *from_events(Events *events, tpb_kw *kw) {
        tp_paths *p = NULL;
        tpb_ok(tp_paths_from_events(&p, events, kw->filter, kw->options));
        return p;
    }
    void add(tpb_strings touchpoints, double conversions = 0, double value = 0, double nulls = 0) {
        if (tpb_strings_complete(&touchpoints, "touchpoints"))
            tpb_ok(tp_paths_add($self, touchpoints.v, touchpoints.n, conversions, value, nulls));
    }
    %newobject _read;
    ReadLog *_read(const char *path, tpb_data *buffer, const char *name, const char *separator,
                  bool strict, const char *delimiter, size_t max_field_bytes,
                  size_t max_input_bytes, int threads, tpb_watch *progress) {
        int ok;
        tp_read_options o = tpb_read_options(strict, delimiter, NULL, max_field_bytes,
                                             max_input_bytes, threads, progress, &ok);
        tp_read_log *r = NULL;
        if (!ok || !tpb_ok(tp_read_log_new(&r)))
            return NULL;
        tp_status s = buffer ? tp_paths_read_csv_buffer($self, buffer->v, buffer->n, name,
                                                        separator, &o, r)
                             : tp_paths_read_csv($self, path, separator, &o, r);
        return tpb_read_done(s, r);
    }
    size_t count() { return tp_paths_count($self); }
    double conversions() { return tp_paths_conversions($self); }
    double value() { return tp_paths_value($self); }
    double nulls() { return tp_paths_nulls($self); }
    bool has_times() { return tp_paths_has_times($self) == 1; }
    %newobject to_table;
    Table *to_table(const char *separator = NULL) {
        tp_table *t = NULL;
        tpb_ok(tp_paths_to_table($self, separator, &t));
        return t;
    }
}

%extend Aggregate {
    Aggregate(const char *kind) {
        tp_agg_kind k;
        tp_agg *a = NULL;
        if (tpb_ok(tp_agg_kind_parse(kind, &k)))
            tpb_ok(tp_agg_new(&a, k));
        return a;
    }
    ~Aggregate() { tp_agg_free($self); }
    const char *kind() { return tp_agg_kind_name(tp_agg_get_kind($self)); }
    bool empty() { return tp_agg_is_empty($self) == 1; }
    void _add(Events *events, Feedback *feedback, tpb_kw *kw) {
        tpb_ok(tp_agg_add($self, events, feedback, kw->filter, kw->options));
    }
    void _add_paths(Paths *paths, tpb_kw *kw) {
        tpb_ok(tp_agg_add_paths($self, paths, kw->options));
    }
    void _add_funnel(Events *events, Funnel *funnel, tpb_kw *kw) {
        tpb_ok(tp_agg_add_funnel($self, events, funnel, kw->filter, kw->options));
    }
    void merge(const Aggregate *other) { tpb_ok(tp_agg_merge($self, other)); }
    tpb_blob _serialize() {
        tpb_blob b = {NULL, 0};
        void *p = NULL;
        if (tpb_ok(tp_agg_serialize($self, &p, &b.n)))
            b.v = p;
        return b;
    }
    %newobject _deserialize;
    static Aggregate *_deserialize(tpb_data data) {
        tp_agg *a = NULL;
        tpb_ok(tp_agg_deserialize(&a, data.v, data.n));
        return a;
    }
    %newobject _finalize;
    Table *_finalize(Catalog *catalog, tpb_kw *kw) {
        tp_table *t = NULL;
        tpb_ok(tp_agg_finalize($self, catalog, kw->options, &t));
        return t;
    }
}

/* ---- Module functions -------------------------------------------------------- */
/* The bits of Analysis.needs / .takes and of a parameter's flags (registry.h). */
%constant int INPUT_EVENTS = TP_INPUT_EVENTS;
%constant int INPUT_FEEDBACK = TP_INPUT_FEEDBACK;
%constant int INPUT_PATHS = TP_INPUT_PATHS;
%constant int PARAM_REQUIRED = TP_PARAM_REQUIRED;
%constant int PARAM_POSITIONAL = TP_PARAM_POSITIONAL;
%constant int PARAM_LIST = TP_PARAM_LIST;

/* ---- The CX report (report.h) ---------------------------------------------- */
%extend Report {
    /* The sugar gives this its keywords: Report(events, feedback=None, **kw). */
    Report(Events *events, Feedback *feedback, tpb_kw *kw, const char *title = NULL,
           const char *source = NULL, Funnel *funnel = NULL, ReadLog *log = NULL,
           const char *credit_by = NULL) {
        tp_report_options ro = TP_REPORT_OPTIONS_INIT;
        ro.title = title;
        ro.source = source;
        ro.funnel = funnel;
        ro.log = log;
        if (credit_by && !tpb_ok(tp_group_parse(credit_by, &ro.credit_by)))
            return NULL;
        tp_report *r = NULL;
        tpb_ok(tp_report_new(&r, events, feedback, kw->filter, kw->options, &ro));
        return r;
    }
    ~Report() { tp_report_free($self); }
    %newobject render;
    char *render(const char *form = "html") {
        tp_report_form f;
        char *out = NULL;
        if (tpb_ok(tp_report_form_parse(form, &f)))
            tpb_ok(tp_report_render($self, f, &out, NULL));
        return out;
    }
    /* form NULL: the one the path's extension asks for (tp_report_form_of_path). */
    void _save(const char *path, const char *form) {
        tp_report_form f = tp_report_form_of_path(path);
        if (!form || tpb_ok(tp_report_form_parse(form, &f)))
            tpb_ok(tp_report_save($self, path, f));
    }
    %newobject _findings;
    Table *_findings() {
        tp_table *t = NULL;
        tpb_ok(tp_report_findings($self, &t));
        return t;
    }
    %newobject _chart;
    char *_chart(const char *name) {
        char *out = NULL;
        tpb_ok(tp_report_chart($self, name, &out, NULL));
        return out;
    }
}

%inline %{
/* The columns the readers know by name, in their order: input 1 events, 2
 * feedback; None / nil past the last. */
static const char *_reader_column(unsigned int input, size_t index) {
    return tp_read_column(input, index, NULL);
}
static bool _reader_column_required(unsigned int input, size_t index) {
    int required = 0;
    tp_read_column(input, index, &required);
    return required != 0;
}
/* The report's charts as the library lists them. */
static size_t _report_chart_count(void) { return tp_report_chart_count(); }
static const char *_report_chart_name(size_t i) { return tp_report_chart_name(i); }
static const char *_report_chart_doc(size_t i) { return tp_report_chart_doc(i); }
/* Write text or bytes to a file atomically (tp_file_write). */
static void _file_write(const char *path, tpb_data data) {
    tpb_ok(tp_file_write(path, data.v, data.n));
}
%}

%apply tp_table **OUT { tp_table **out0, tp_table **out1, tp_table **out2, tp_table **out3 };

/* Helpers of the readers below, not functions of the module. */
%ignore tpb_analysis;
%ignore tpb_param;
%ignore tpb_option;
%inline %{
/* Run an analysis of the registry by name (registry.h): its tables, None / nil
 * past the last. Keywords: filter keys, options and the analysis's parameters. */
static void _run(const char *name, Events *events, Feedback *feedback, Paths *paths,
                 tpb_kw *run_kw, tp_table **out0, tp_table **out1, tp_table **out2,
                 tp_table **out3) {
    tp_table *t[4] = {NULL, NULL, NULL, NULL};
    if (!tpb_ok(tp_analysis_run(name, events, feedback, paths, run_kw->filter,
                                run_kw->options, (const char *const *)run_kw->params,
                                run_kw->nparams, t, 4)))
        return;
    *out0 = t[0];
    *out1 = t[1];
    *out2 = t[2];
    *out3 = t[3];
}

/* The analysis registry, read field by field (the faces build their functions,
 * commands and help from it). */
static const tp_analysis_info *tpb_analysis(size_t i) {
    const tp_analysis_info *a = tp_analysis_at(i);
    if (!a)
        tpb_fail(TP_EINVAL, "analysis %zu is out of range (%zu analyses)", i,
                 tp_analysis_count());
    return a;
}
static size_t _analysis_count(void) { return tp_analysis_count(); }
/* 0 name, 1 doc */
static const char *_analysis_text(size_t i, int field) {
    const tp_analysis_info *a = tpb_analysis(i);
    return !a ? NULL : field == 0 ? a->name : a->doc;
}
/* 0 needs, 1 takes, 2 filtered, 3 options, 4 parameters, 5 tables, 6 agg kind */
static long _analysis_number(size_t i, int field) {
    const tp_analysis_info *a = tpb_analysis(i);
    if (!a)
        return 0;
    switch (field) {
    case 0: return (long)a->needs;
    case 1: return (long)a->takes;
    case 2: return a->filtered;
    case 3: return (long)a->option_count;
    case 4: return (long)a->param_count;
    case 5: return (long)a->output_count;
    default: return a->agg_kind;
    }
}
/* The name of the k-th option it reads. */
static const char *_analysis_option(size_t i, size_t k) {
    const tp_analysis_info *a = tpb_analysis(i);
    for (size_t j = 0; a && k < a->option_count && j < tp_option_count(); j++)
        if (tp_option_at(j)->key == a->options[k])
            return tp_option_at(j)->name;
    return NULL;
}
static const tp_param_info *tpb_param(size_t i, size_t k) {
    const tp_analysis_info *a = tpb_analysis(i);
    return a && k < a->param_count ? &a->params[k] : NULL;
}
/* 0 name, 1 type, 2 default (None / nil when none), 3 doc */
static const char *_analysis_param_text(size_t i, size_t k, int field) {
    const tp_param_info *p = tpb_param(i, k);
    if (!p)
        return NULL;
    switch (field) {
    case 0: return p->name;
    case 1: return tp_value_type_name(p->type);
    case 2: return p->fallback;
    default: return p->doc;
    }
}
static unsigned _analysis_param_flags(size_t i, size_t k) {
    const tp_param_info *p = tpb_param(i, k);
    return p ? p->flags : 0;
}
static const char *_analysis_param_choice(size_t i, size_t k, size_t c) {
    const tp_param_info *p = tpb_param(i, k);
    for (size_t j = 0; p && p->choices && p->choices[j]; j++)
        if (j == c)
            return p->choices[j];
    return NULL;
}
/* 0 name, 1 doc */
static const char *_analysis_output_text(size_t i, size_t k, int field) {
    const tp_analysis_info *a = tpb_analysis(i);
    if (!a || k >= a->output_count)
        return NULL;
    return field == 0 ? a->outputs[k].name : a->outputs[k].doc;
}
static const char *_analysis_output_column(size_t i, size_t k, size_t c) {
    const tp_analysis_info *a = tpb_analysis(i);
    const char *const *cols = a && k < a->output_count ? a->outputs[k].columns : NULL;
    for (size_t j = 0; cols && cols[j]; j++)
        if (j == c)
            return cols[j];
    return NULL;
}

/* Metrics (metrics.h). */
static double normal_quantile(double p) { return tp_normal_quantile(p); }
static double t_test_p(double t, double df) { return tp_t_test_p(t, df); }
static double bayes_average(double sum, uint64_t n, double prior_mean, double prior_weight) {
    return tp_bayes_average(sum, n, prior_mean, prior_weight);
}
/* (value, se, low, high, n) */
static void _nps_estimate(uint64_t promoters, uint64_t passives, uint64_t detractors,
                          double level, double *value, double *se, double *low,
                          double *high, uint64_t *n) {
    tp_estimate e;
    if (tpb_ok(tp_nps_estimate(promoters, passives, detractors, level, &e)))
        tpb_estimate_out(&e, value, se, low, high, n);
}
static void _csat_estimate(uint64_t satisfied, uint64_t count, double level, double *value,
                           double *se, double *low, double *high, uint64_t *n) {
    tp_estimate e;
    if (tpb_ok(tp_csat_estimate(satisfied, count, level, &e)))
        tpb_estimate_out(&e, value, se, low, high, n);
}
static void _mean_estimate(tpb_doubles values, double level, double *value, double *se,
                           double *low, double *high, uint64_t *n) {
    tp_estimate e;
    if (tpb_ok(tp_mean_estimate(values.v, values.n, level, &e)))
        tpb_estimate_out(&e, value, se, low, high, n);
}
/* (low, high) as fractions */
static void wilson_interval(uint64_t k, uint64_t n, double level, double *low, double *high) {
    tpb_ok(tp_wilson_interval(k, n, level, low, high));
}
/* (t, df, p) */
static void welch_test(tpb_doubles a, tpb_doubles b, double *t, double *df, double *p) {
    tpb_ok(tp_welch_test(a.v, a.n, b.v, b.n, t, df, p));
}

/* (kind, value) of a metric name and score text. */
static const char *check_metric(const char *metric, const char *score, double *score_value) {
    tp_metric k = TP_METRIC_NPS;
    if (!tpb_ok(tp_metric_check(metric, score, &k, score_value)))
        return NULL;
    return tp_metric_name(k);
}

/* Sentiment label of a compound score: "positive", "neutral" or "negative". */
static const char *sentiment_label(double compound) { return tp_sentiment_label(compound); }

/* Time (time.h). */
static int64_t parse_time(tpb_data text, const char *unit) {
    tp_epoch_unit u = TP_EPOCH_AUTO;
    int64_t ms = 0;
    if (unit && !tpb_ok(tp_epoch_unit_parse(unit, &u)))
        return 0;
    tp_status s = tp_time_parse(text.v, text.n, u, &ms);
    if (s != TP_OK)
        tpb_fail(s, "cannot read '%.*s' as a time", (int)(text.n > 60 ? 60 : text.n), text.v);
    return ms;
}
static const char *format_time(int64_t ms) {
    static _Thread_local char buf[32];
    if (tp_time_format(ms, buf, sizeof buf) != TP_OK) {
        tpb_fail(TP_EINVAL, "time %lld ms is out of range", (long long)ms);
        return NULL;
    }
    return buf;
}
static int64_t parse_duration(tpb_data text) {
    int64_t ms = 0;
    if (tp_duration_parse(text.v, text.n, &ms) != TP_OK)
        tpb_fail(TP_EINVAL, "cannot read '%.*s' as a duration (a number and d, h, m or s)",
                 (int)(text.n > 60 ? 60 : text.n), text.v);
    return ms;
}

/* The option registry (analysis.h), read field by field: text 0 name, 1 type,
 * 2 fallback, 3 doc; numbers 0 min, 1 max, 2 min_open, 3 max_open, 4 nan_ok. */
static size_t _option_count(void) { return tp_option_count(); }
static const tp_option_info *tpb_option(size_t i) {
    const tp_option_info *info = tp_option_at(i);
    if (!info)
        tpb_fail(TP_EINVAL, "option %zu is out of range (%zu options)", i, tp_option_count());
    return info;
}
static const char *_option_text(size_t i, int field) {
    const tp_option_info *info = tpb_option(i);
    if (!info)
        return NULL;
    switch (field) {
    case 0: return info->name;
    case 1: return tp_value_type_name(info->type);
    case 2: return info->fallback;
    default: return info->doc;
    }
}
static double _option_number(size_t i, int field) {
    const tp_option_info *info = tpb_option(i);
    if (!info)
        return NAN;
    switch (field) {
    case 0: return info->min;
    case 1: return info->max;
    case 2: return info->min_open;
    case 3: return info->max_open;
    default: return info->nan_ok;
    }
}
static const char *_option_choice(size_t i, size_t k) {
    const tp_option_info *info = tp_option_at(i);
    const char *const *c = info ? info->choices : NULL;
    for (size_t j = 0; c && c[j]; j++)
        if (j == k)
            return c[j];
    return NULL;
}
static size_t _filter_key_count(void) { return tp_filter_key_count(); }
static const char *_filter_key_name(size_t i) { return tp_filter_key_name(i); }
static const char *_filter_key_doc(size_t i) { return tp_filter_key_doc(i); }

/* Names (static text). */
static const char *status_name(int status) { return tp_status_str((tp_status)status); }
static const char *version(void) { return tp_version_string(); }
static uint32_t version_number(void) { return tp_version_number(); }
static const char *model_name(const char *model) {
    tp_model m;
    return tpb_ok(tp_model_parse(model, &m)) ? tp_model_name(m) : NULL;
}
%}

/* Where load_sample() looks for the sample data (set by the build). */
%{
/* Named as the module names it (SWIG's type errors quote the C name). */
static char *redact_text(const char *text, const char *redact) {
    unsigned flags;
    char *out = NULL;
    if (!text) {
        tpb_fail(TP_EINVAL, "redact_text: text is " TPB_NULL_WORD);
        return NULL;
    }
    if (tpb_redact_flags(redact, &flags))
        tpb_ok(tp_redact_text(text, strlen(text), flags, &out, NULL));
    return out;
}
%}
%newobject redact_text;
%feature("docstring") redact_text "redact_text(text, redact='all') -> str: replace e-mail
addresses with [email] and phone numbers with [phone]; redact is a comma-separated list of
email, phone, all or none (the rules of reading feedback with redact=...).";
char *redact_text(const char *text, const char *redact = "all");

%inline %{
static const char *_sample_dirs(void) { return TPB_SAMPLE_DIRS; }
%}

#ifdef SWIGPYTHON
%pythoncode "python/sugar.py"
#endif

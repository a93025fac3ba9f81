/*
 * Ruby part of the bindings: exceptions, conversion of whole Arrays, keyword
 * Hashes and predicate names. The extension is touchpoint/touchpoint.so; the
 * entry point lib/touchpoint.rb loads it and then the sugar.
 *
 * A Ruby exception leaves the wrapper by longjmp, past SWIG's cleanup code, so
 * every temporary here is memory the garbage collector owns (ALLOCV buffers,
 * typed data objects), never malloc().
 */

%{
#include <stdbool.h>

/* Touchpoint::Error and its subclasses, by tpb_error_index(). */
static VALUE tpb_rb_errors[TPB_ERROR_COUNT];

static VALUE tpb_rb_text(const char *s)
{
    return s ? rb_utf8_str_new_cstr(s) : Qnil;
}

/* What stopped the current call through a progress hook (see tpb_watch): the
 * jump tag the caller's block left (an exception, break or throw), or a
 * pending interrupt (Ctrl-C). */
static _Thread_local int tpb_rb_stop_tag;
static _Thread_local int tpb_rb_stop_interrupt;
#define TPB_WATCH_RESET() (tpb_rb_stop_tag = 0, tpb_rb_stop_interrupt = 0)

/* Raise the exception of the failed call, carrying its context; a call a
 * progress hook stopped raises what stopped it (Interrupt after Ctrl-C, or
 * what the block raised) instead. */
static void tpb_rb_raise(void)
{
    if (tpb_rb_stop_tag) {
        int tag = tpb_rb_stop_tag;
        tpb_rb_stop_tag = 0;
        rb_jump_tag(tag);
    }
    if (tpb_rb_stop_interrupt) {
        tpb_rb_stop_interrupt = 0;
        rb_thread_check_ints(); /* runs the trap: Interrupt, unless trapped otherwise */
    }
    if (tpb_null)
        rb_raise(rb_eTypeError, "%s", tpb_error_message());
    VALUE exc = rb_exc_new_str(tpb_rb_errors[tpb_error_index(tpb_status)],
                               tpb_rb_text(tpb_error_message()));
    rb_iv_set(exc, "@status", INT2NUM((int)tpb_status));
    rb_iv_set(exc, "@file", tpb_rb_text(tpb_error_file()));
    rb_iv_set(exc, "@line", ULL2NUM(tpb_error_line()));
    rb_iv_set(exc, "@column", ULL2NUM(tpb_error_column()));
    rb_iv_set(exc, "@field", tpb_rb_text(tpb_error_field()));
    rb_exc_raise(exc);
}
#define TPB_RAISE() tpb_rb_raise()

/* The progress hooks: an interrupt pending on this thread stops the call;
 * else the caller's block is called under rb_protect, so that whatever it
 * does leaves the library's code by a return, never by a longjmp. */
typedef struct tpb_rb_call_args {
    VALUE fn;
    int argc;
    VALUE argv[3];
} tpb_rb_call_args;

static VALUE tpb_rb_call(VALUE p)
{
    tpb_rb_call_args *a = (tpb_rb_call_args *)p;
    return rb_funcallv(a->fn, rb_intern("call"), a->argc, a->argv);
}

static int tpb_rb_watch(tpb_watch *w, int argc, uint64_t a, uint64_t b, uint64_t c)
{
    if (tpb_rb_stop_tag || tpb_rb_stop_interrupt)
        return 1;
    if (rb_thread_interrupted(rb_thread_current())) {
        tpb_rb_stop_interrupt = 1;
        return 1;
    }
    if (!w || !w->fn)
        return 0;
    tpb_rb_call_args args = {(VALUE)(uintptr_t)w->fn, argc, {ULL2NUM(a), ULL2NUM(b), ULL2NUM(c)}};
    int state = 0;
    rb_protect(tpb_rb_call, (VALUE)&args, &state);
    if (state)
        tpb_rb_stop_tag = state;
    return state != 0;
}

static int tpb_watch_read(void *watch, uint64_t done, uint64_t total, uint64_t rows)
{
    return tpb_rb_watch(watch, 3, done, total, rows);
}

static int tpb_watch_analysis(void *watch, uint64_t done, uint64_t total)
{
    return tpb_rb_watch(watch, 2, done, total, 0);
}

static int tpb_watch_ok(void)
{
    if (!tpb_rb_stop_tag && !tpb_rb_stop_interrupt)
        return 1;
    tpb_status = TP_ECANCELED;
    return 0;
}

/* A progress callable: something that answers to call, or nil. */
static void *tpb_rb_progress(VALUE v, const char *what)
{
    if (NIL_P(v))
        return NULL;
    if (!rb_respond_to(v, rb_intern("call")))
        rb_raise(rb_eTypeError, "%s: expected a block, a Proc or nil, not %s", what,
                 rb_obj_classname(v));
    return (void *)(uintptr_t)v;
}

/* Text of one Array item (String, Symbol or nil). */
static const char *tpb_rb_item_text(VALUE item, const char *what, long i)
{
    if (NIL_P(item))
        return NULL;
    if (SYMBOL_P(item))
        item = rb_sym2str(item);
    if (!RB_TYPE_P(item, T_STRING))
        rb_raise(rb_eTypeError, "%s[%ld]: expected a String or nil, not %s", what, i,
                 rb_obj_classname(item));
    return StringValueCStr(item);
}

/* Raise the TypeError of a handle argument that is not one. */
static void tpb_rb_bad_handle(VALUE obj, const swig_type_info *want, const char *symname,
                              const char *param)
{
    char where[96], type[64];
    tpb_where(symname, where, sizeof where);
    snprintf(type, sizeof type, "%s", want->str);
    type[strcspn(type, " *")] = '\0';
    rb_raise(rb_eTypeError, "%s: %s must be a Touchpoint::%s, not %s", where,
             !strcmp(param, "self") ? "the receiver" : param, type, rb_obj_classname(obj));
}

static int64_t tpb_rb_int64(VALUE x, const char *what, long i)
{
    if (!RB_INTEGER_TYPE_P(x))
        rb_raise(rb_eTypeError, "%s[%ld]: expected an Integer, not %s", what, i,
                 rb_obj_classname(x));
    return (int64_t)NUM2LL(x);
}

static double tpb_rb_double(VALUE x, const char *what, long i)
{
    if (!RB_INTEGER_TYPE_P(x) && !RB_FLOAT_TYPE_P(x))
        rb_raise(rb_eTypeError, "%s[%ld]: expected a number, not %s", what, i,
                 rb_obj_classname(x));
    return NUM2DBL(x);
}

static uint8_t tpb_rb_byte(VALUE x, const char *what, long i)
{
    if (!RB_INTEGER_TYPE_P(x) || NUM2LL(x) < 0 || NUM2LL(x) > 255)
        rb_raise(rb_eTypeError, "%s[%ld]: expected an Integer 0-255", what, i);
    return (uint8_t)NUM2INT(x);
}

static VALUE tpb_rb_array(VALUE obj, const char *what)
{
    VALUE a = rb_check_array_type(obj);
    if (NIL_P(a))
        rb_raise(rb_eTypeError, "%s: expected an Array, not %s", what, rb_obj_classname(obj));
    return a;
}

/* The keyword holder is garbage-collected, so a raise cannot leak it. */
static void tpb_rb_kw_free(void *p)
{
    tpb_kw_release(p);
    free(p);
}
static const rb_data_type_t tpb_rb_kw_type = {
    .wrap_struct_name = "touchpoint_kw",
    .function = {.dfree = tpb_rb_kw_free},
};

/* A keyword value as option text. */
static void tpb_rb_kw_scalar(tpb_kw *kw, const char *key, VALUE v)
{
    char buf[64];
    const char *text;
    if (tpb_kw_is_time(key) && RB_INTEGER_TYPE_P(v)) {
        if (!tpb_kw_time(kw, key, (int64_t)NUM2LL(v)))
            tpb_rb_raise();
        return;
    }
    if (v == Qtrue || v == Qfalse) {
        text = v == Qtrue ? "1" : "0";
    } else if (RB_INTEGER_TYPE_P(v)) {
        snprintf(buf, sizeof buf, "%lld", NUM2LL(v));
        text = buf;
    } else if (RB_FLOAT_TYPE_P(v)) {
        double d = NUM2DBL(v);
        if (isnan(d))
            text = "nan";
        else {
            snprintf(buf, sizeof buf, "%.17g", d);
            text = buf;
        }
    } else if (SYMBOL_P(v) || RB_TYPE_P(v, T_STRING)) {
        VALUE s = SYMBOL_P(v) ? rb_sym2str(v) : v;
        text = StringValueCStr(s);
    } else {
        rb_raise(rb_eTypeError, "keyword %s: unsupported value of class %s", key,
                 rb_obj_classname(v));
    }
    if (!tpb_kw_text(kw, key, text))
        tpb_rb_raise();
}

static int tpb_rb_kw_pair(VALUE k, VALUE v, VALUE data)
{
    tpb_kw *kw;
    TypedData_Get_Struct(data, tpb_kw, &tpb_rb_kw_type, kw);
    VALUE name = SYMBOL_P(k) ? rb_sym2str(k) : k;
    if (!RB_TYPE_P(name, T_STRING))
        rb_raise(rb_eTypeError, "keyword names must be Symbols or Strings");
    const char *key = StringValueCStr(name);
    if (NIL_P(v))
        return ST_CONTINUE;
    if (!strcmp(key, "progress")) { /* (done, total) of the current step */
        kw->watch.fn = tpb_rb_progress(v, "keyword progress");
        return ST_CONTINUE;
    }
    if (!strcmp(key, "filter") || !strcmp(key, "options") || !strcmp(key, "lexicon")) {
        swig_type_info *ty = !strcmp(key, "filter")    ? SWIGTYPE_p_Filter
                             : !strcmp(key, "options") ? SWIGTYPE_p_Options
                                                       : SWIGTYPE_p_Lexicon;
        void *ptr = NULL;
        if (!SWIG_IsOK(SWIG_ConvertPtr(v, &ptr, ty, 0)))
            rb_raise(rb_eTypeError, "keyword %s: expected a Touchpoint::%s, not %s", key,
                     ty->str, rb_obj_classname(v));
        int ok = !strcmp(key, "filter")    ? tpb_kw_use_filter(kw, ptr)
                 : !strcmp(key, "options") ? tpb_kw_use_options(kw, ptr)
                                           : tpb_kw_use_lexicon(kw, ptr);
        if (!ok)
            tpb_rb_raise();
        return ST_CONTINUE;
    }
    if (RB_TYPE_P(v, T_HASH) && (!strcmp(key, "segment") || !strcmp(key, "segments"))) {
        VALUE pairs = rb_funcall(v, rb_intern("to_a"), 0);
        for (long i = 0; i < RARRAY_LEN(pairs); i++) {
            VALUE pair = rb_ary_entry(pairs, i);
            VALUE cond = rb_sprintf("%" PRIsVALUE "=%" PRIsVALUE, rb_ary_entry(pair, 0),
                                    rb_ary_entry(pair, 1));
            tpb_rb_kw_scalar(kw, key, cond);
        }
        return ST_CONTINUE;
    }
    if (RB_TYPE_P(v, T_ARRAY)) {
        if (tpb_is_option(key)) /* one value each: an Array would keep its last */
            rb_raise(rb_eTypeError, "keyword %s takes one value, not an Array", key);
        for (long i = 0; i < RARRAY_LEN(v); i++)
            tpb_rb_kw_scalar(kw, key, rb_ary_entry(v, i));
        return ST_CONTINUE;
    }
    tpb_rb_kw_scalar(kw, key, v);
    return ST_CONTINUE;
}

/*
 * A whole table column as an Array (nil for nulls).
 */
static VALUE tpb_rb_column(const tp_table *t, size_t col)
{
    size_t rows = tp_table_row_count(t);
    tp_type type = tp_table_column_type(t, col);
    if (!type)
        rb_raise(rb_eIndexError, "column %zu is out of range (%zu columns)", col,
                 tp_table_column_count(t));
    VALUE a = rb_ary_new_capa((long)rows);
    for (size_t r = 0; r < rows; r++) {
        VALUE v = Qnil;
        if (tp_table_is_null(t, r, col) != 1) {
            if (type == TP_TYPE_STRING) {
                const char *s = NULL;
                tp_table_get_string(t, r, col, &s);
                v = tpb_rb_text(s);
            } else if (type == TP_TYPE_INT64) {
                int64_t x = 0;
                tp_table_get_int64(t, r, col, &x);
                v = LL2NUM(x);
            } else {
                double d = NAN;
                tp_table_get_double(t, r, col, &d);
                v = DBL2NUM(d);
            }
        }
        rb_ary_push(a, v);
    }
    return a;
}
%}

%init %{
    {
        /* Touchpoint::Error is a module every error class includes, so that each
         * class can also be the Ruby error it is: an InvalidArgumentError is an
         * ArgumentError, a FileError an IOError, a NotFoundError a KeyError.
         * `rescue Touchpoint::Error` catches them all. A status of no known
         * class raises Touchpoint::UnknownError. */
        VALUE mod = rb_define_module_under(mTouchpoint, tpb_error_names[0]);
        VALUE unknown = rb_define_class_under(mTouchpoint, "UnknownError", rb_eStandardError);
        rb_include_module(unknown, mod);
        tpb_rb_errors[0] = unknown;
        for (int i = 1; i < TPB_ERROR_COUNT; i++) {
            const char *name = tpb_error_names[i];
            VALUE super = !strcmp(name, "InvalidArgumentError") ? rb_eArgError
                        : !strcmp(name, "FileError")            ? rb_eIOError
                        : !strcmp(name, "NotFoundError")        ? rb_eKeyError
                                                                : rb_eStandardError;
            tpb_rb_errors[i] = rb_define_class_under(mTouchpoint, name, super);
            rb_include_module(tpb_rb_errors[i], mod);
        }
    }
%}

/* ---- Typemaps -------------------------------------------------------------- */

/* Handles (SWIG's own rule, with a message that names the parameter and both
 * classes). nil stays NULL: the library checks it. */
%typemap(in, noblock=1) SWIGTYPE * (void *argp = 0, int res = 0) {
    res = SWIG_ConvertPtr($input, &argp, $descriptor, $disown | %convertptr_flags);
    if (!SWIG_IsOK(res))
        tpb_rb_bad_handle($input, $descriptor, "$symname", "$1_name");
    $1 = %reinterpret_cast(argp, $ltype);
}

/* Text comes back as UTF-8 Strings, NULL as nil. */
%typemap(out) const char * "$result = tpb_rb_text($1);"
%typemap(out) char * "$result = tpb_rb_text($1);"

%typemap(in) tpb_strings (VALUE tmp = 0, VALUE ary = Qnil) {
    memset(&$1, 0, sizeof $1);
    if (!NIL_P($input)) {
        ary = tpb_rb_array($input, "$1_name");
        long n = RARRAY_LEN(ary);
        const char **v = ALLOCV_N(const char *, tmp, n ? n : 1);
        for (long i = 0; i < n; i++)
            v[i] = tpb_rb_item_text(rb_ary_entry(ary, i), "$1_name", i);
        $1.v = v;
        $1.n = (size_t)n;
        $1.given = 1;
    }
}
%typemap(freearg) tpb_strings {
    RB_GC_GUARD(ary$argnum);
    if (tmp$argnum)
        ALLOCV_END(tmp$argnum);
}

%define TPB_RB_NUMBERS(TYPE, CTYPE, CONVERT)
%typemap(in) TYPE (VALUE tmp = 0) {
    memset(&$1, 0, sizeof $1);
    if (!NIL_P($input)) {
        VALUE ary = tpb_rb_array($input, "$1_name");
        long n = RARRAY_LEN(ary);
        CTYPE *v = ALLOCV_N(CTYPE, tmp, n ? n : 1);
        for (long i = 0; i < n; i++)
            v[i] = CONVERT(rb_ary_entry(ary, i), "$1_name", i);
        $1.v = v;
        $1.n = (size_t)n;
        $1.given = 1;
    }
}
%typemap(freearg) TYPE {
    if (tmp$argnum)
        ALLOCV_END(tmp$argnum);
}
%enddef
TPB_RB_NUMBERS(tpb_int64s, int64_t, tpb_rb_int64)
TPB_RB_NUMBERS(tpb_doubles, double, tpb_rb_double)
TPB_RB_NUMBERS(tpb_bytes, uint8_t, tpb_rb_byte)

%typemap(in) tpb_data {
    if (!RB_TYPE_P($input, T_STRING))
        rb_raise(rb_eTypeError, "$1_name: expected a String, not %s", rb_obj_classname($input));
    $1.v = RSTRING_PTR($input);
    $1.n = (size_t)RSTRING_LEN($input);
}
%typemap(in) tpb_data *buffer (tpb_data data) {
    $1 = NULL;
    if (!NIL_P($input)) {
        if (!RB_TYPE_P($input, T_STRING))
            rb_raise(rb_eTypeError, "$1_name: expected a String, not %s", rb_obj_classname($input));
        data.v = RSTRING_PTR($input);
        data.n = (size_t)RSTRING_LEN($input);
        $1 = &data;
    }
}

/* progress of a read: a Proc (bytes done, bytes total, rows) or nil; with nil
 * the read still stops on Ctrl-C. */
%typemap(in) tpb_watch *progress (tpb_watch w = {NULL}) {
    w.fn = tpb_rb_progress($input, "progress");
    $1 = &w;
}

%typemap(in) tpb_kw *kw (VALUE holder = Qnil) {
    tpb_kw *kw = calloc(1, sizeof *kw);
    if (!kw)
        rb_raise(rb_eNoMemError, "out of memory");
    tpb_kw_init(kw);
    holder = TypedData_Wrap_Struct(0, &tpb_rb_kw_type, kw);
    if (!NIL_P($input)) {
        if (!RB_TYPE_P($input, T_HASH))
            rb_raise(rb_eTypeError, "expected a Hash of keywords, not %s", rb_obj_classname($input));
        rb_hash_foreach($input, tpb_rb_kw_pair, holder);
        if (!tpb_kw_finish(kw))
            tpb_rb_raise();
    }
    if (!tpb_kw_watch(kw))
        tpb_rb_raise();
    $1 = kw;
}
%typemap(freearg) tpb_kw *kw { RB_GC_GUARD(holder$argnum); }
%typemap(in) tpb_kw *run_kw (VALUE holder = Qnil) {
    tpb_kw *kw = calloc(1, sizeof *kw);
    if (!kw)
        rb_raise(rb_eNoMemError, "out of memory");
    tpb_kw_init(kw);
    kw->params_ok = 1;
    holder = TypedData_Wrap_Struct(0, &tpb_rb_kw_type, kw);
    if (!NIL_P($input)) {
        if (!RB_TYPE_P($input, T_HASH))
            rb_raise(rb_eTypeError, "expected a Hash of keywords, not %s", rb_obj_classname($input));
        rb_hash_foreach($input, tpb_rb_kw_pair, holder);
        if (!tpb_kw_finish(kw))
            tpb_rb_raise();
    }
    if (!tpb_kw_watch(kw))
        tpb_rb_raise();
    $1 = kw;
}
%typemap(freearg) tpb_kw *run_kw { RB_GC_GUARD(holder$argnum); }

%typemap(out) tpb_blob {
    char *bytes = $1.v;
    $1.v = NULL;
    $result = rb_str_new(bytes ? bytes : "", (long)$1.n);
    tp_free(bytes);
}

/* Tables handed back as extra results, owned by Ruby. */
%typemap(in, numinputs=0) tp_table **OUT (tp_table *temp = NULL) { $1 = &temp; }
%typemap(argout) tp_table **OUT {
    $result = SWIG_Ruby_AppendOutput($result,
                                     SWIG_NewPointerObj(*$1, $descriptor(Table *), SWIG_POINTER_OWN));
    *$1 = NULL;
}

/* Predicates end in "?". */
%rename("null?") Table::is_null;
%rename("allows?") JourneyMap::allows;
%rename("include?") Lexicon::contains;
%rename("has_times?") Paths::has_times;
%rename("empty?") Aggregate::empty;

%extend Table {
    VALUE _column(size_t col) { return tpb_rb_column($self, col); }
}

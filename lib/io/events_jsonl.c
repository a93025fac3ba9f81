/* Events JSON Lines reader: one object per line. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/numtext.h"
#include "core/utf8.h"
#include "io/fields.h"
#include "io/ingest.h"
#include "io/json_util.h"
#include "model/events_internal.h"

enum { MAX_KEYS = 256 };

/* Where each top-level member's value is in the line's text, in document
 * order (cJSON's order of o->child), so numbers can keep the text they were
 * written as. The line already parsed as JSON, so the scan can trust it.
 * Returns the member count, or SIZE_MAX past `cap` members. */
typedef struct span {
    const char *p;
    size_t n;
} span;

static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return end;
}

static int json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static size_t member_values(const char *p, size_t len, span *out, size_t cap)
{
    const char *end = p + len;
    size_t n = 0;
    while (p < end && json_space(*p))
        p++;
    if (p == end || *p++ != '{')
        return SIZE_MAX;
    for (;;) {
        while (p < end && (json_space(*p) || *p == ','))
            p++;
        if (p == end || *p != '"')
            return n; /* the closing brace */
        p = skip_string(p, end);
        while (p < end && (json_space(*p) || *p == ':'))
            p++;
        const char *v = p;
        if (p < end && *p == '"') {
            p = skip_string(p, end);
        } else if (p < end && (*p == '{' || *p == '[')) {
            int depth = 0;
            while (p < end) {
                if (*p == '"') {
                    p = skip_string(p, end);
                    continue;
                }
                if (*p == '{' || *p == '[')
                    depth++;
                else if ((*p == '}' || *p == ']') && --depth == 0) {
                    p++;
                    break;
                }
                p++;
            }
        } else {
            while (p < end && !json_space(*p) && *p != ',' && *p != '}')
                p++;
        }
        if (n == cap)
            return SIZE_MAX;
        out[n].p = v;
        out[n++].n = (size_t)(p - v);
    }
}

/* The text of a scalar: a string as is, a number as written in the line
 * (`literal`; 12345678901234567 and 12345678901234568 stay two ids), or when
 * no literal is known as the shortest text that reads back to its double. */
static int text_of(const cJSON *v, const span *literal, char *buf, size_t cap, const char **s,
                   size_t *len)
{
    if (cJSON_IsString(v)) {
        *s = v->valuestring;
        *len = strlen(v->valuestring);
        return 1;
    }
    if (cJSON_IsNumber(v) && literal) {
        *s = literal->p;
        *len = literal->n;
        return 1;
    }
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* Integral values (epoch times, ids) as plain digits, never 1.7e+09. */
        if (d == floor(d) && fabs(d) < 1e17) {
            tp__snprintf_c(buf, cap, "%.0f", d);
        } else {
            tp__snprintf_c(buf, cap, "%.17g", d);
            for (int prec = 1; prec < 17; prec++) {
                char tmp[64];
                double back;
                tp__snprintf_c(tmp, sizeof tmp, "%.*g", prec, d);
                if (tp__parse_double(tmp, strlen(tmp), &back) == TP_OK && back == d) {
                    tp__snprintf_c(buf, cap, "%s", tmp);
                    break;
                }
            }
        }
        *s = buf;
        *len = strlen(buf);
        return 1;
    }
    if (cJSON_IsBool(v)) {
        *s = cJSON_IsTrue(v) ? "true" : "false";
        *len = strlen(*s);
        return 1;
    }
    return 0;
}

enum { R_CUSTOMER, R_TIME, R_TOUCHPOINT, R_TYPE, R_VALUE, R_CHANNEL, NROLES };
_Static_assert((int)NROLES == (int)TP__EVENT_ROLES, "the keys are the CSV reader's columns");

typedef struct row_ctx {
    tp_events *e;
    tp__ingest *in;
    tp__vec_u32 vals;
    char *name[NROLES]; /* each role's key: its own, or tp_read_options.columns' */
} row_ctx;

/* A key as CSV reads a header name: spaces and tabs around it dropped. */
typedef struct key {
    const char *s;
    size_t n;
} key;

static int key_is(key k, const char *name)
{
    return k.n == strlen(name) && strncasecmp(k.s, name, k.n) == 0;
}

static tp_status read_object(row_ctx *x, const cJSON *o, const char *line, size_t line_len)
{
    tp_events *e = x->e;
    tp__ingest *in = x->in;
    char why[TP__WHY_CAP];
    tp_status st;
    const cJSON *customer = NULL, *timestamp = NULL, *touchpoint = NULL, *type = NULL,
                *value = NULL, *channel = NULL;
    key keys[MAX_KEYS];
    span values[MAX_KEYS];
    size_t nkeys = 0;
    /* Keys match like CSV header names: trimmed, ASCII case ignored, so
     * "Customer_ID" is the customer and "seg" and "SEG" are one key. */
    for (const cJSON *m = o->child; m; m = m->next) {
        if (nkeys == MAX_KEYS)
            return tp__ingest_bad_row(in, TP_ELIMIT, 0, NULL, "more than %d keys", MAX_KEYS);
        key k = {m->string, strlen(m->string)};
        tp__trimmed(&k.s, &k.n);
        for (size_t j = 0; j < nkeys; j++)
            if (keys[j].n == k.n && strncasecmp(keys[j].s, k.s, k.n) == 0)
                return tp__ingest_bad_row(in, TP_EPARSE, 0, m->string,
                                          "duplicate key (keys match ignoring case and spaces)");
        keys[nkeys++] = k;
        if (key_is(k, x->name[R_CUSTOMER]))
            customer = m;
        else if (key_is(k, x->name[R_TIME]))
            timestamp = m;
        else if (key_is(k, x->name[R_TOUCHPOINT]))
            touchpoint = m;
        else if (key_is(k, x->name[R_TYPE]))
            type = m;
        else if (key_is(k, x->name[R_VALUE]))
            value = m;
        else if (key_is(k, x->name[R_CHANNEL]))
            channel = m;
    }
    int spans = member_values(line, line_len, values, MAX_KEYS) == nkeys;
    const cJSON *req[] = {customer, timestamp, touchpoint}; /* roles 0, 1, 2 */
    for (int k = 0; k < 3; k++)
        if (!req[k])
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[k], "missing key");
    char nbuf[64], tbuf[64];
    const char *cs, *ts, *ps;
    size_t clen, tlen, plen;
    size_t ci = 0;
    for (const cJSON *m = o->child; m != customer; m = m->next)
        ci++;
    if (!text_of(customer, spans ? &values[ci] : NULL, nbuf, sizeof nbuf, &cs, &clen) ||
        cJSON_IsBool(customer))
        return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_CUSTOMER], "expected a string");
    if ((st = tp__check_ident_field(cs, clen, "customer id", why)) != TP_OK)
        return tp__ingest_bad_row(in, st, 0, x->name[R_CUSTOMER], "%s", why);
    if (!(cJSON_IsString(timestamp) || cJSON_IsNumber(timestamp)) ||
        !text_of(timestamp, NULL, tbuf, sizeof tbuf, &ts, &tlen))
        return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_TIME],
                                  "expected an ISO 8601 string or an epoch number");
    int64_t time;
    if ((st = tp__check_time_field(ts, tlen, in->opts.epoch_unit, &in->day, &time, why)) != TP_OK)
        return tp__ingest_bad_row(in, st, 0, x->name[R_TIME], "%s", why);
    if (!cJSON_IsString(touchpoint))
        return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_TOUCHPOINT], "expected a string");
    ps = touchpoint->valuestring;
    plen = strlen(ps);
    if ((st = tp__check_ident_field(ps, plen, "touchpoint id", why)) != TP_OK)
        return tp__ingest_bad_row(in, st, 0, x->name[R_TOUCHPOINT], "%s", why);
    tp_event_type ty = TP_EVENT_INTERACTION;
    if (type && !cJSON_IsNull(type)) {
        int ok = 0;
        if (cJSON_IsString(type))
            for (int t = 0; t <= TP_EVENT_EXIT; t++)
                if (!strcasecmp(type->valuestring, tp_event_type_name((tp_event_type)t)) ||
                    (!*type->valuestring && t == 0)) {
                    ty = (tp_event_type)t;
                    ok = 1;
                    break;
                }
        if (!ok)
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_TYPE],
                                      "expected \"interaction\", \"conversion\" or \"exit\"");
    }
    double v = 0;
    if (value && !cJSON_IsNull(value)) {
        if (!cJSON_IsNumber(value))
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_VALUE], "expected a number");
        v = value->valuedouble;
        if (!isfinite(v))
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_VALUE], "not a finite number");
        if (fabs(v) > TP_MAX_AMOUNT)
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_VALUE],
                                      "beyond the accepted range (|x| <= 1e15)");
    }
    const char *ch = NULL;
    size_t chlen = 0;
    if (channel && !cJSON_IsNull(channel)) {
        if (!cJSON_IsString(channel))
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, x->name[R_CHANNEL], "expected a string");
        ch = channel->valuestring;
        chlen = strlen(ch);
        if (chlen && (st = tp__check_ident_field(ch, chlen, "channel", why)) != TP_OK)
            return tp__ingest_bad_row(in, st, 0, x->name[R_CHANNEL], "%s", why);
    }
    /* Attributes: every other key with a scalar value. */
    size_t i = 0;
    for (const cJSON *m = o->child; m; m = m->next, i++) {
        if (m == customer || m == timestamp || m == touchpoint || m == type || m == value ||
            m == channel || cJSON_IsNull(m))
            continue;
        if (cJSON_IsObject(m) || cJSON_IsArray(m))
            return tp__ingest_bad_row(in, TP_EVALIDATE, 0, m->string,
                                      "attribute values must be strings, numbers or booleans");
        if ((st = tp__check_ident_field(keys[i].s, keys[i].n, "key", why)) != TP_OK)
            return tp__ingest_bad_row(in, st, 0, NULL, "%s", why);
    }
    uint32_t tp;
    st = tp__catalog_resolve(e->catalog, ps, plen, ch, chlen, e->policy == TP_UNKNOWN_REGISTER,
                             &tp);
    if (st == TP_ENOTFOUND) {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(ps, plen, ex, sizeof ex);
        return tp__ingest_bad_row(in, TP_ENOTFOUND, 0, x->name[R_TOUCHPOINT],
                                  "unknown touchpoint \"%s\" (not in the catalog)", ex);
    }
    if (st != TP_OK)
        return tp__ingest_fail(in, st, in->line, 0, NULL, "cannot register touchpoint");
    uint32_t cust;
    if (tp__intern_put(&e->customers, cs, clen, &cust))
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
    x->vals.len = 0;
    i = 0;
    for (const cJSON *m = o->child; m; m = m->next, i++) {
        if (m == customer || m == timestamp || m == touchpoint || m == type || m == value ||
            m == channel || cJSON_IsNull(m))
            continue;
        char buf[64];
        const char *s;
        size_t len, col;
        uint32_t id;
        text_of(m, spans ? &values[i] : NULL, buf, sizeof buf, &s, &len);
        if (tp__attrs_column(&e->attrs, keys[i].s, keys[i].n, e->time.len, &col) ||
            tp__attrs_value(&e->attrs, s, len, &id) ||
            tp__vec_u32_reserve(&x->vals, tp__attrs_count(&e->attrs) - x->vals.len))
            return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory");
        while (x->vals.len < tp__attrs_count(&e->attrs))
            x->vals.data[x->vals.len++] = 0;
        x->vals.data[col] = id;
    }
    if (tp__events_reserve_row(e))
        return tp__ingest_fail(in, e->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                               in->line, 0, NULL, "cannot grow the event log");
    tp__events_push(e, cust, tp, time, (uint8_t)ty, v, x->vals.data, x->vals.len);
    in->rows_accepted++;
    return TP_OK;
}

static tp_status read_line(row_ctx *x, const char *s, size_t len)
{
    tp__ingest *in = x->in;
    if (len > in->opts.max_field_bytes)
        return tp__ingest_bad_row(in, TP_ELIMIT, 0, NULL, "line longer than %zu bytes",
                                  in->opts.max_field_bytes);
    size_t bad = tp__utf8_check(s, len);
    if (bad != (size_t)-1)
        return tp__ingest_bad_row(in, TP_EPARSE, bad + 1, NULL, "invalid UTF-8");
    if (memchr(s, '\0', len))
        return tp__ingest_bad_row(in, TP_EPARSE, (size_t)((const char *)memchr(s, '\0', len) - s) + 1,
                                  NULL, "NUL byte");
    size_t nul = tp__json_find_nul_escape(s, len);
    if (nul != (size_t)-1)
        return tp__ingest_bad_row(in, TP_EPARSE, nul + 1, NULL, "\\u0000 is not allowed in strings");
    size_t at;
    cJSON *j = tp__json_parse(s, len, &at);
    if (!j && at == TP__JSON_OOM)
        return tp__ingest_fail(in, TP_ENOMEM, in->line, 0, NULL, "out of memory parsing JSON");
    if (!j)
        return tp__ingest_bad_row(in, TP_EPARSE, at + 1, NULL, "invalid JSON");
    tp_status st;
    if (!cJSON_IsObject(j))
        st = tp__ingest_bad_row(in, TP_EVALIDATE, 1, NULL, "expected a JSON object");
    else
        st = read_object(x, j, s, len);
    cJSON_Delete(j);
    return st;
}

static tp_status read_jsonl(tp_events *e, const char *data, size_t len, tp__ingest *in)
{
    row_ctx x = {e, in, {0}, {NULL}};
    const char *want[NROLES];
    size_t want_len[NROLES];
    tp_status st = tp__mapped_names(in, tp__event_roles, NROLES, want, want_len);
    for (size_t k = 0; st == TP_OK && k < NROLES; k++)
        if (!(x.name[k] = tp__malloc(want_len[k] + 1)))
            st = tp__ingest_fail(in, TP_ENOMEM, 0, 0, NULL, "out of memory");
        else
            memcpy(x.name[k], want[k], want_len[k]), x.name[k][want_len[k]] = '\0';
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    uint64_t line = 0;
    while (p < end && st == TP_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        line++;
        size_t n = (size_t)(stop - p);
        if (n && p[n - 1] == '\r')
            n--;
        size_t k = 0;
        while (k < n && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (k < n) {
            st = tp__ingest_row(in, line, (uint64_t)(p - data));
            if (st == TP_OK)
                st = read_line(&x, p, n);
        }
        p = nl ? nl + 1 : end;
    }
    tp__vec_u32_free(&x.vals);
    for (size_t k = 0; k < NROLES; k++)
        tp__free(x.name[k]);
    return st;
}

tp_status tp_events_read_jsonl_buffer(tp_events *e, const void *data, size_t len,
                                      const char *name, const tp_read_options *opts,
                                      tp_read_log *report)
{
    return tp__events_ingest(e, data, len, name, opts, report, read_jsonl);
}

static tp_status buffer_reader(void *store, const void *data, size_t len, const char *name,
                               const tp_read_options *opts, tp_read_log *report)
{
    return tp_events_read_jsonl_buffer(store, data, len, name, opts, report);
}

tp_status tp_events_read_jsonl(tp_events *e, const char *path, const tp_read_options *opts,
                               tp_read_log *report)
{
    return tp__read_file(e, path, opts, report, buffer_reader);
}

/* Fuzz the events readers (CSV, or JSON Lines when built with FZ_JSONL).
 * Invariants: those of fz_check_reader() (fuzz_util.h); the canonical form is
 * CSV with every field quoted, or one JSON object per line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static void *create(void)
{
    tp_events *e = NULL;
    FZ_CHECK(tp_events_new(&e, NULL) == TP_OK);
    return e;
}

static void destroy(void *store) { tp_events_free(store); }

static void prefill(void *store)
{
    FZ_CHECK(tp_events_append(store, "p1", "website", 1767225600000, TP_EVENT_INTERACTION, 0) ==
             TP_OK);
    FZ_CHECK(tp_events_append(store, "p2", "store", 1767229200000, TP_EVENT_CONVERSION, 5) ==
             TP_OK);
}

static tp_status read_input(void *store, const void *data, size_t size,
                            const tp_read_options *opts, tp_read_log *report)
{
#ifdef FZ_JSONL
    return tp_events_read_jsonl_buffer(store, data, size, "fuzz.jsonl", opts, report);
#else
    return tp_events_read_csv_buffer(store, data, size, "fuzz.csv", opts, report);
#endif
}

static size_t count(const void *store) { return tp_events_count(store); }

static size_t touchpoints(const void *store)
{
    return tp_catalog_touchpoint_count(tp_events_catalog(store));
}

static char *fingerprint(const void *store)
{
    tp_table *t = NULL;
    FZ_CHECK(tp_events_to_table(store, &t) == TP_OK);
    return fz_table_text(t);
}

/* Small field limit and explicit epoch units. */
static void tight(tp_read_options *o, size_t size)
{
    o->max_field_bytes = 16;
    o->epoch_unit = size % 2 ? TP_EPOCH_SECONDS : TP_EPOCH_MILLISECONDS;
}

/* Row i's time (ISO 8601) and value (exact decimal) as the canonical forms write them. */
static void row_text(const tp_events *e, size_t i, char when[32], char value[40])
{
    FZ_CHECK(tp_time_format(tp_events_time(e, i), when, 32) == TP_OK);
    double v = tp_events_value(e, i);
    FZ_CHECK(isfinite(v));
    snprintf(value, 40, "%.17g", v);
}

#ifndef FZ_JSONL
/* The log as CSV in the reader's own columns, every field quoted. */
static char *canonical_csv(const void *store)
{
    const tp_events *e = store;
    fz_buf b = {0};
    size_t nattr = tp_events_attribute_count(e);
    fz_puts(&b, "customer_id,timestamp,touchpoint,type,value");
    for (size_t a = 0; a < nattr; a++)
        fz_put_field(&b, tp_events_attribute_name(e, a), 0);
    fz_puts(&b, "\r\n");
    for (size_t i = 0; i < tp_events_count(e); i++) {
        char when[32], value[40];
        row_text(e, i, when, value);
        fz_put_field(&b, tp_events_customer(e, i), 1);
        fz_put_field(&b, when, 0);
        fz_put_field(&b, tp_events_touchpoint(e, i), 0);
        fz_put_field(&b, tp_event_type_name(tp_events_type(e, i)), 0);
        fz_put_field(&b, value, 0);
        for (size_t a = 0; a < nattr; a++)
            fz_put_field(&b, tp_events_attribute(e, a, i), 0);
        fz_puts(&b, "\r\n");
    }
    return b.p;
}
#endif

#ifdef FZ_JSONL
static void put_json_string(fz_buf *b, const char *s)
{
    fz_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            fz_put(b, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            fz_puts(b, esc);
        } else {
            fz_put(b, (const char *)p, 1);
        }
    }
    fz_put(b, "\"", 1);
}

/* The log as JSON Lines in the reader's own keys. */
static char *canonical(const void *store)
{
    const tp_events *e = store;
    fz_buf b = {0};
    size_t nattr = tp_events_attribute_count(e);
    for (size_t i = 0; i < tp_events_count(e); i++) {
        char when[32], value[40];
        row_text(e, i, when, value);
        fz_puts(&b, "{\"customer_id\":");
        put_json_string(&b, tp_events_customer(e, i));
        fz_puts(&b, ",\"timestamp\":");
        put_json_string(&b, when);
        fz_puts(&b, ",\"touchpoint\":");
        put_json_string(&b, tp_events_touchpoint(e, i));
        fz_puts(&b, ",\"type\":");
        put_json_string(&b, tp_event_type_name(tp_events_type(e, i)));
        fz_puts(&b, ",\"value\":");
        fz_puts(&b, value);
        for (size_t a = 0; a < nattr; a++) {
            const char *v_a = tp_events_attribute(e, a, i);
            fz_puts(&b, ",");
            put_json_string(&b, tp_events_attribute_name(e, a));
            fz_puts(&b, ":");
            put_json_string(&b, v_a ? v_a : "");
        }
        fz_puts(&b, "}\n");
    }
    return b.p;
}
#else
#define canonical canonical_csv
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fz_reader reader = {create, destroy, prefill, read_input, count, touchpoints,
                                     fingerprint, canonical, 1, tight, NULL};
    fz_check_reader(&reader, data, size);
#ifndef FZ_JSONL
    fz_check_scanners(data, size);
#endif
    return 0;
}

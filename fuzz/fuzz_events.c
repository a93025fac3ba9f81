/* Fuzz the events readers (CSV, or JSON Lines when built with FZ_JSONL).
 * Invariants:
 *  - a strict read that fails leaves a non-empty log exactly as it was (rows,
 *    attributes and catalog), with a bounded, escaped message;
 *  - a strict read that succeeds adds exactly the rows a lenient read accepts;
 *  - report counts add up and every issue message is bounded and escaped;
 *  - round trip: the lenient result written in the format's canonical form (CSV
 *    with every field quoted, or one JSON object per line) reads back, strictly,
 *    to the same log. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

static tp_events *fresh(void)
{
    tp_events *e = NULL;
    FZ_CHECK(tp_events_new(&e, NULL) == TP_OK);
    return e;
}

static char *fingerprint(const tp_events *e)
{
    tp_table *t = NULL;
    FZ_CHECK(tp_events_to_table(e, &t) == TP_OK);
    return fz_table_text(t);
}

static tp_status read_input(tp_events *e, const uint8_t *data, size_t size,
                            const tp_read_options *opts, tp_report *report)
{
#ifdef FZ_JSONL
    return tp_events_read_jsonl_buffer(e, data, size, "fuzz.jsonl", opts, report);
#else
    return tp_events_read_csv_buffer(e, data, size, "fuzz.csv", opts, report);
#endif
}

#ifndef FZ_JSONL
/* The log as CSV in the reader's own columns, every field quoted. */
static char *canonical_csv(const tp_events *e)
{
    fz_buf b = {0};
    size_t nattr = tp_events_attribute_count(e);
    fz_puts(&b, "customer_id,timestamp,touchpoint,type,value");
    for (size_t a = 0; a < nattr; a++)
        fz_put_field(&b, tp_events_attribute_name(e, a), 0);
    fz_puts(&b, "\r\n");
    for (size_t i = 0; i < tp_events_count(e); i++) {
        char when[32], value[40];
        FZ_CHECK(tp_time_format(tp_events_time(e, i), when, sizeof when) == TP_OK);
        double v = tp_events_value(e, i);
        FZ_CHECK(isfinite(v));
        snprintf(value, sizeof value, "%.17g", v);
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
static char *canonical(const tp_events *e)
{
    fz_buf b = {0};
    size_t nattr = tp_events_attribute_count(e);
    for (size_t i = 0; i < tp_events_count(e); i++) {
        char when[32], value[40];
        FZ_CHECK(tp_time_format(tp_events_time(e, i), when, sizeof when) == TP_OK);
        double v = tp_events_value(e, i);
        FZ_CHECK(isfinite(v));
        snprintf(value, sizeof value, "%.17g", v);
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
#define CANONICAL_NAME "canonical.jsonl"
#else
#define canonical canonical_csv
#define CANONICAL_NAME "canonical.csv"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_read_options strict, lenient, tight;
    tp_read_options_init(&strict);
    strict.on_error = TP_ON_ERROR_STOP;
    tp_read_options_init(&lenient);
    tp_read_options_init(&tight);
    tight.max_field_bytes = 16;
    tight.epoch_unit = size % 2 ? TP_EPOCH_SECONDS : TP_EPOCH_MILLISECONDS;

    /* Strict read into a log that already holds rows. */
    tp_events *held = fresh();
    FZ_CHECK(tp_events_append(held, "p1", "website", 1767225600000, TP_EVENT_INTERACTION, 0) ==
             TP_OK);
    FZ_CHECK(tp_events_append(held, "p2", "store", 1767229200000, TP_EVENT_CONVERSION, 5) ==
             TP_OK);
    char *before = fingerprint(held);
    size_t tps_before = tp_catalog_touchpoint_count(tp_events_catalog(held));
    size_t rows_before = tp_events_count(held);
    tp_report *rs = NULL;
    FZ_CHECK(tp_report_new(&rs) == TP_OK);
    tp_status st_strict = read_input(held, data, size, &strict, rs);
    fz_check_report(rs, st_strict);
    if (st_strict != TP_OK) {
        fz_check_error(st_strict);
        char *after = fingerprint(held);
        FZ_CHECK(strcmp(before, after) == 0);
        FZ_CHECK(tp_catalog_touchpoint_count(tp_events_catalog(held)) == tps_before);
        free(after);
    } else {
        FZ_CHECK(tp_report_rows_rejected(rs) == 0);
        FZ_CHECK(tp_events_count(held) == rows_before + tp_report_rows_accepted(rs));
    }
    free(before);

    /* Lenient read into an empty log. */
    tp_events *loose = fresh();
    tp_report *rl = NULL;
    FZ_CHECK(tp_report_new(&rl) == TP_OK);
    tp_status st_lenient = read_input(loose, data, size, &lenient, rl);
    fz_check_report(rl, st_lenient);
    if (st_lenient != TP_OK) {
        fz_check_error(st_lenient);
        FZ_CHECK(tp_events_count(loose) == 0);
        FZ_CHECK(st_strict != TP_OK);
    } else {
        FZ_CHECK(tp_events_count(loose) == tp_report_rows_accepted(rl));
    }
    if (st_strict == TP_OK) {
        FZ_CHECK(st_lenient == TP_OK);
        FZ_CHECK(tp_report_rows_accepted(rl) == tp_report_rows_accepted(rs));
    }

    /* Round trip through the canonical form of the same format. */
    if (st_lenient == TP_OK && tp_events_count(loose) > 0) {
        char *csv = canonical(loose);
        tp_events *again = fresh();
        tp_status st = read_input(again, (const uint8_t *)csv, strlen(csv), &strict, NULL);
        if (st != TP_OK)
            fprintf(stderr, "canonical form rejected: %s\n%s\n", tp_last_error(), csv);
        FZ_CHECK(st == TP_OK);
        char *a = fingerprint(loose), *b = fingerprint(again);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "round trip differs:\n%s\n---\n%s\n", a, b);
        FZ_CHECK(strcmp(a, b) == 0);
        free(a);
        free(b);
        free(csv);
        tp_events_free(again);
    }

    /* Small field limit and explicit epoch units: only the report arithmetic. */
    tp_events *small = fresh();
    tp_report *rt = NULL;
    FZ_CHECK(tp_report_new(&rt) == TP_OK);
    tp_status st_tight = read_input(small, data, size, &tight, rt);
    fz_check_report(rt, st_tight);
    if (st_tight != TP_OK)
        fz_check_error(st_tight);

    tp_report_free(rs);
    tp_report_free(rl);
    tp_report_free(rt);
    tp_events_free(held);
    tp_events_free(loose);
    tp_events_free(small);
    return 0;
}

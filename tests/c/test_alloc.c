/* Allocation-failure injection: for every allocating public entry point, fail
 * its 1st, 2nd, ... Nth allocation in turn (the library's through
 * tp_set_allocator, cJSON's through its hooks) until the call runs to the end
 * without meeting the failure. Each time the call must either
 *   - fail with TP_ENOMEM and a message, produce no output, leak nothing (the
 *     allocator counts live blocks), leave every handle exactly as it was, and
 *     succeed with the reference result when called again; or
 *   - succeed anyway with the reference result (a fallback that needs no memory).
 * The same scenarios run under ASan/LSan and valgrind in CI. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* ---- The counting, failing allocator ---------------------------------------- */

static struct {
    int paused;            /* set-up inside a scenario: neither counted nor failed */
    unsigned long calls;   /* allocations attempted (malloc + realloc) */
    unsigned long fail_at; /* 0: never fail; else fail the call with this number */
    int injected;          /* the failure was met */
    long live;             /* blocks held */
} A;

static int fail_now(void)
{
    if (A.paused)
        return 0;
    A.calls++;
    if (A.fail_at && A.calls == A.fail_at) {
        A.injected = 1;
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

static void *a_malloc(size_t n, void *user)
{
    (void)user;
    if (fail_now())
        return NULL;
    void *p = malloc(n);
    if (p)
        A.live++;
    return p;
}

static void *a_realloc(void *p, size_t n, void *user)
{
    (void)user;
    if (fail_now())
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        A.live++;
    return q;
}

static void a_free(void *p, void *user)
{
    (void)user;
    if (p) {
        A.live--;
        free(p);
    }
}

/* Fixture work inside a scenario happens between hold() and release(). */
static void hold(void) { A.paused++; }
static void release(void) { A.paused--; }

static void *c_malloc(size_t n) { return a_malloc(n, NULL); }
static void c_free(void *p) { a_free(p, NULL); }

/* Fixture and comparison work must not fail. */
#define CHECK_OK(expr)                                                                       \
    do {                                                                                     \
        tp_status s__ = (expr);                                                              \
        if (s__ != TP_OK) {                                                                  \
            fprintf(stderr, "fixture: %s: %s\n", #expr, tp_last_error());                    \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* ---- Fixture: small real data, built fresh for every attempt ------------------ */

enum { NEED_EVENTS = 1, NEED_FEEDBACK = 2, NEED_PATHS = 4, NEED_TABLE = 8, NEED_MAP = 16,
       NEED_REPORT = 32 };

typedef struct fx {
    tp_catalog *cat;
    tp_events *ev;
    tp_feedback *fb;
    tp_paths *paths;
    tp_options *opts;
    tp_filter *filter;
    tp_funnel *funnel;
    tp_lexicon *lex;
    tp_table *table;
    tp_read_log *log;
    tp_journey_map *map;
    tp_report *report;
} fx;

static char *events_csv, *feedback_csv, *catalog_json;
static size_t events_len, feedback_len, catalog_len;
static char tmpdir[64], events_path[128], feedback_path[128], catalog_path[128],
    lexicon_path[128], paths_path[128], out_path[128];
static const char paths_text[] = "path,conversions,value,nulls\n"
                                 "search > website > store,3,120,1\n"
                                 "social-media > website,0,0,4\n"
                                 "search > store > store,2,40,2\n";
static const char lexicon_text[] = "superb\t3.1\nawful\t-3.2\nbarely\t-0.3\tbooster\n";

/* The first @p lines lines of a sample file. */
static char *head_of(const char *name, int lines, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TP_SAMPLE_DATA, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int c, seen = 0;
    while (buf && (c = fgetc(f)) != EOF && n + 1 < cap) {
        buf[n++] = (char)c;
        if (c == '\n' && ++seen == lines)
            break;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

static void fx_build(fx *f, unsigned need)
{
    memset(f, 0, sizeof *f);
    CHECK_OK(tp_catalog_parse_json(&f->cat, catalog_json, catalog_len, "catalog.json"));
    CHECK_OK(tp_events_new(&f->ev, f->cat));
    CHECK_OK(tp_feedback_new(&f->fb, f->cat));
    if (need & (NEED_EVENTS | NEED_PATHS))
        CHECK_OK(tp_events_read_csv_buffer(f->ev, events_csv, events_len, "events.csv", NULL, NULL));
    if (need & NEED_FEEDBACK)
        CHECK_OK(tp_feedback_read_csv_buffer(f->fb, feedback_csv, feedback_len, "feedback.csv",
                                             NULL, NULL));
    if (need & NEED_PATHS)
        CHECK_OK(tp_paths_from_events(&f->paths, f->ev, NULL, NULL));
    else
        CHECK_OK(tp_paths_new(&f->paths));
    CHECK_OK(tp_options_new(&f->opts));
    CHECK_OK(tp_filter_new(&f->filter));
    CHECK_OK(tp_funnel_new(&f->funnel));
    CHECK_OK(tp_funnel_parse(f->funnel, "search, website, online-checkout"));
    CHECK_OK(tp_lexicon_new(&f->lex));
    CHECK_OK(tp_lexicon_set(f->lex, "great", TP_TERM_WORD, 3.1));
    CHECK_OK(tp_lexicon_set(f->lex, "slow", TP_TERM_WORD, -1.5));
    CHECK_OK(tp_read_log_new(&f->log));
    static const char bad[] = "customer_id,timestamp,touchpoint\nc1,yesterday,web\nc2,2026-01-01,\n";
    CHECK_OK(tp_events_read_csv_buffer(f->ev, bad, sizeof bad - 1, "bad.csv", NULL, f->log));
    CHECK_OK(tp_journey_map_new(&f->map, "quick"));
    const char *first[] = {"search"};
    CHECK_OK(tp_journey_map_add_stage(f->map, "look", first, 1));
    CHECK_OK(tp_journey_map_allow(f->map, "(start)", "search"));
    if (need & NEED_REPORT)
        CHECK_OK(tp_report_new(&f->report, f->ev, f->fb, NULL, NULL, NULL));
    if (need & NEED_TABLE) {
        size_t row;
        CHECK_OK(tp_table_new(&f->table));
        CHECK_OK(tp_table_add_column(f->table, "name", TP_TYPE_STRING, NULL));
        CHECK_OK(tp_table_add_column(f->table, "n", TP_TYPE_INT64, NULL));
        for (int i = 0; i < 3; i++) {
            CHECK_OK(tp_table_append_row(f->table, &row));
            CHECK_OK(tp_table_set_string(f->table, row, 0, i == 1 ? "b, \"quoted\"" : "a"));
            CHECK_OK(tp_table_set_int64(f->table, row, 1, i * 7));
        }
    }
}

static void fx_free(fx *f)
{
    tp_report_free(f->report);
    tp_journey_map_free(f->map);
    tp_read_log_free(f->log);
    tp_table_free(f->table);
    tp_lexicon_free(f->lex);
    tp_funnel_free(f->funnel);
    tp_filter_free(f->filter);
    tp_options_free(f->opts);
    tp_paths_free(f->paths);
    tp_feedback_free(f->fb);
    tp_events_free(f->ev);
    tp_catalog_free(f->cat);
}

/* ---- Text forms, for comparing states and results ------------------------------ */

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void put_str(text *t, const char *s) { put(t, s, strlen(s)); }

static void put_table(text *t, const tp_table *table)
{
    char *csv = NULL;
    size_t len = 0;
    if (!table) {
        put_str(t, "(no table)\n");
        return;
    }
    CHECK_OK(tp_table_format(table, TP_FORMAT_CSV, &csv, &len));
    if (csv)
        put(t, csv, len);
    tp_free(csv);
}

/* Everything a call could change in the fixture, but the read log. */
static char *fx_state(const fx *f)
{
    text t = {0};
    char *json = NULL, num[64];
    tp_table *x = NULL;
    CHECK_OK(tp_catalog_to_json(f->cat, &json, NULL));
    put_str(&t, json);
    tp_free(json);
    CHECK_OK(tp_events_to_table(f->ev, &x));
    put_table(&t, x);
    tp_table_free(x);
    CHECK_OK(tp_feedback_to_table(f->fb, &x));
    put_table(&t, x);
    tp_table_free(x);
    CHECK_OK(tp_paths_to_table(f->paths, NULL, &x));
    put_table(&t, x);
    tp_table_free(x);
    /* The read log is left out: a failed read may record its failure there. */
    put_table(&t, f->table);
    snprintf(num, sizeof num, "lexicon %zu funnel %zu map %zu/%zu\n", tp_lexicon_size(f->lex),
             tp_funnel_step_count(f->funnel), tp_journey_map_stage_count(f->map),
             tp_journey_map_transition_count(f->map));
    put_str(&t, num);
    for (int k = 1; k <= 28; k++) {
        double d;
        int64_t i;
        if (tp_options_get_double(f->opts, (tp_option)k, &d) == TP_OK)
            snprintf(num, sizeof num, "%d=%.17g ", k, d);
        else if (tp_options_get_int(f->opts, (tp_option)k, &i) == TP_OK)
            snprintf(num, sizeof num, "%d=%lld ", k, (long long)i);
        else
            snprintf(num, sizeof num, "%d=? ", k);
        put_str(&t, num);
    }
    return t.p;
}

/* What a call produced. */
typedef struct outs {
    tp_table *t1, *t2;
    char *buf;
    size_t len;
    double d;
    tp_catalog *cat;
    tp_events *ev;
    tp_feedback *fb;
    tp_paths *paths;
    tp_lexicon *lex;
    void *handle; /* other new handles, freed with free_handle */
    void (*free_handle)(void *);
} outs;

static int outs_empty(const outs *o)
{
    return !o->t1 && !o->t2 && !o->buf && !o->cat && !o->ev && !o->fb && !o->paths && !o->lex &&
           !o->handle;
}

static char *outs_text(outs *o)
{
    text t = {0};
    char num[64];
    put_table(&t, o->t1);
    put_table(&t, o->t2);
    if (o->buf)
        put(&t, o->buf, o->len);
    snprintf(num, sizeof num, "d=%.17g\n", o->d);
    put_str(&t, num);
    if (o->cat) {
        char *json = NULL;
        CHECK_OK(tp_catalog_to_json(o->cat, &json, NULL));
        put_str(&t, json);
        tp_free(json);
    }
    tp_table *x = NULL;
    if (o->ev) {
        CHECK_OK(tp_events_to_table(o->ev, &x));
        put_table(&t, x);
        tp_table_free(x);
    }
    if (o->fb) {
        CHECK_OK(tp_feedback_to_table(o->fb, &x));
        put_table(&t, x);
        tp_table_free(x);
    }
    if (o->paths) {
        CHECK_OK(tp_paths_to_table(o->paths, NULL, &x));
        put_table(&t, x);
        tp_table_free(x);
    }
    if (o->lex) {
        snprintf(num, sizeof num, "lexicon %zu\n", tp_lexicon_size(o->lex));
        put_str(&t, num);
    }
    put_str(&t, o->handle ? "handle\n" : "");
    tp_table_free(o->t1);
    tp_table_free(o->t2);
    tp_free(o->buf);
    tp_catalog_free(o->cat);
    tp_events_free(o->ev);
    tp_feedback_free(o->fb);
    tp_paths_free(o->paths);
    tp_lexicon_free(o->lex);
    if (o->handle)
        o->free_handle(o->handle);
    memset(o, 0, sizeof *o);
    if (!t.p)
        put_str(&t, "");
    return t.p;
}

/* ---- Scenarios -------------------------------------------------------------------- */

typedef tp_status (*call_fn)(fx *f, outs *o);
typedef struct scenario {
    const char *name;
    unsigned need;
    call_fn call;
} scenario;

#define SC(name, ...)                                                                        \
    static tp_status sc_##name(fx *f, outs *o)                                               \
    {                                                                                        \
        (void)f;                                                                             \
        (void)o;                                                                             \
        __VA_ARGS__                                                                          \
    }

static void free_options(void *p) { tp_options_free(p); }
static void free_filter(void *p) { tp_filter_free(p); }
static void free_funnel(void *p) { tp_funnel_free(p); }
static void free_read_log(void *p) { tp_read_log_free(p); }
static void free_table(void *p) { tp_table_free(p); }
static void free_map(void *p) { tp_journey_map_free(p); }
static void free_conformer(void *p) { tp_conformer_free(p); }

/* Constructors */
SC(catalog_new, return tp_catalog_new(&o->cat);)
SC(catalog_new_default, return tp_catalog_new_default(&o->cat);)
SC(events_new, return tp_events_new(&o->ev, NULL);)
SC(feedback_new, return tp_feedback_new(&o->fb, NULL);)
SC(paths_new, return tp_paths_new(&o->paths);)
SC(lexicon_new, return tp_lexicon_new(&o->lex);)
SC(lexicon_new_default, return tp_lexicon_new_default(&o->lex);)
SC(options_new, o->free_handle = free_options; return tp_options_new((tp_options **)&o->handle);)
SC(filter_new, o->free_handle = free_filter; return tp_filter_new((tp_filter **)&o->handle);)
SC(funnel_new, o->free_handle = free_funnel; return tp_funnel_new((tp_funnel **)&o->handle);)
SC(read_log_new, o->free_handle = free_read_log; return tp_read_log_new((tp_read_log **)&o->handle);)
SC(table_new, o->free_handle = free_table; return tp_table_new((tp_table **)&o->handle);)
SC(journey_map_new,
   o->free_handle = free_map; return tp_journey_map_new((tp_journey_map **)&o->handle, "j");)
SC(conformer_new, o->free_handle = free_conformer;
   return tp_conformer_new((tp_conformer **)&o->handle, f->cat, "online-purchase", NULL);)

/* Catalog */
SC(catalog_add_stage, return tp_catalog_add_stage(f->cat, "renewal");)
SC(catalog_set_stages, {
    const char *names[] = {"before", "during", "after", "loyalty"};
    return tp_catalog_set_stages(f->cat, names, 4);
})
SC(catalog_add_touchpoint, {
    tp_touchpoint_def d;
    tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
    d.id = "kiosk";
    d.name = "Self-service kiosk";
    d.stage = "during";
    d.channel = "store";
    d.owner = "Retail";
    d.expectation = "fast";
    return tp_catalog_add_touchpoint(f->cat, &d, NULL);
})
SC(catalog_set_parent, return tp_catalog_set_parent(f->cat, "cart", "website");)
SC(catalog_parse_json, return tp_catalog_parse_json(&o->cat, catalog_json, catalog_len, "c.json");)
SC(catalog_load_json, return tp_catalog_load_json(&o->cat, catalog_path);)
SC(catalog_to_json, return tp_catalog_to_json(f->cat, &o->buf, &o->len);)
SC(catalog_save_json, {
    tp_status st = tp_catalog_save_json(f->cat, out_path);
    if (st == TP_OK)
        o->d = access(out_path, R_OK) == 0;
    return st;
})
SC(catalog_to_table, return tp_catalog_to_table(f->cat, &o->t1);)
SC(journey_map_add_stage, {
    const char *tps[] = {"website", "cart"};
    return tp_journey_map_add_stage(f->map, "browse", tps, 2);
})
SC(journey_map_allow, return tp_journey_map_allow(f->map, "website", "cart");)
SC(catalog_add_journey_map, return tp_catalog_add_journey_map(f->cat, f->map);)

/* Events and feedback */
SC(events_append,
   return tp_events_append(f->ev, "c9", "new-touchpoint", 1767225600000, TP_EVENT_CONVERSION, 2);)
SC(events_append_many, {
    const char *cs[] = {"a", "b", "a"}, *ts[] = {"website", "kiosk", "store"};
    int64_t tm[] = {1767225600000, 1767225601000, 1767225602000};
    uint8_t ty[] = {0, 0, 1};
    double v[] = {0, 0, 9.5};
    return tp_events_append_many(f->ev, 3, cs, ts, tm, ty, v);
})
SC(events_read_csv_buffer, {
    tp_read_options r;
    tp_read_options_init(&r, TP_READ_OPTIONS_VERSION);
    r.on_error = TP_ON_ERROR_STOP;
    return tp_events_read_csv_buffer(f->ev, events_csv, events_len, "e.csv", &r, f->log);
})
SC(events_read_csv, return tp_events_read_csv(f->ev, events_path, NULL, f->log);)
SC(events_read_jsonl_buffer, {
    static const char jl[] =
        "{\"customer_id\":\"j1\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"touchpoint\":\"website\","
        "\"device\":\"mobile\"}\n"
        "{\"customer_id\":\"j2\",\"timestamp\":1767225600,\"touchpoint\":\"kiosk\","
        "\"type\":\"conversion\",\"value\":20}\n"
        "not json\n";
    return tp_events_read_jsonl_buffer(f->ev, jl, sizeof jl - 1, "e.jsonl", NULL, f->log);
})
SC(events_to_table, return tp_events_to_table(f->ev, &o->t1);)
SC(feedback_append,
   return tp_feedback_append(f->fb, "c1", 1767225600000, "kiosk", "nps", 9, 1, "quick");)
SC(feedback_append_many, {
    const char *cs[] = {"a", "b"}, *ts[] = {"store", "kiosk"}, *ms[] = {"csat", "audit:queue"};
    const char *cm[] = {"fine", NULL};
    int64_t tm[] = {1767225600000, 1767225601000};
    double sc[] = {4, 80}, w[] = {1, 2};
    return tp_feedback_append_many(f->fb, 2, cs, tm, ts, ms, sc, w, cm);
})
SC(feedback_read_csv_buffer,
   return tp_feedback_read_csv_buffer(f->fb, feedback_csv, feedback_len, "f.csv", NULL,
                                      f->log);)
SC(feedback_read_csv, return tp_feedback_read_csv(f->fb, feedback_path, NULL, f->log);)
SC(feedback_to_table, return tp_feedback_to_table(f->fb, &o->t1);)
SC(read_log_to_table, return tp_read_log_to_table(f->log, &o->t1);)

SC(redact_text, {
    static const char t[] = "mail a@b.co or call +44 20 7946 0958";
    return tp_redact_text(t, sizeof t - 1, TP_REDACT_ALL, &o->buf, &o->len);
})
SC(feedback_read_redacted, {
    static const char csv[] = "customer_id,timestamp,touchpoint,metric,score,comment\n"
                              "r1,2026-01-01,store,nps,9,mail r1@example.com or 555-123-4567\n"
                              "r2,2026-01-01,store,nps,2,slow\n";
    tp_read_options r;
    tp_read_options_init(&r, TP_READ_OPTIONS_VERSION);
    r.redact = TP_REDACT_ALL;
    return tp_feedback_read_csv_buffer(f->fb, csv, sizeof csv - 1, "r.csv", &r, f->log);
})

/* Paths and attribution */
SC(paths_add, {
    const char *p[] = {"search", "kiosk", "store"};
    return tp_paths_add(f->paths, p, 3, 1, 10, 0);
})
SC(paths_read_csv_buffer,
   return tp_paths_read_csv_buffer(f->paths, paths_text, sizeof paths_text - 1, "p.csv", NULL,
                                   NULL, f->log);)
SC(paths_read_csv, return tp_paths_read_csv(f->paths, paths_path, NULL, NULL, NULL);)
SC(paths_from_events, return tp_paths_from_events(&o->paths, f->ev, NULL, NULL);)
SC(paths_to_table, return tp_paths_to_table(f->paths, " > ", &o->t1);)
SC(attribute_markov, return tp_attribute(f->paths, TP_MODEL_MARKOV, NULL, &o->t1);)
SC(attribute_shapley, return tp_attribute(f->paths, TP_MODEL_SHAPLEY, NULL, &o->t1);)
SC(attribute_position,
   return tp_attribute(f->paths, TP_MODEL_POSITION, NULL, &o->t1);)
SC(attribution_compare, return tp_attribution_compare(f->paths, NULL, &o->t1);)
SC(markov_chain, return tp_markov_chain(f->paths, f->opts, &o->t1, &o->d);)

/* Journeys */
SC(journeys, return tp_journeys(f->ev, NULL, NULL, &o->t1);)
SC(transitions, return tp_transitions(f->ev, f->filter, NULL, &o->t1);)
SC(variants, return tp_variants(f->ev, NULL, NULL, &o->t1);)
SC(conversion_times, return tp_conversion_times(f->ev, NULL, NULL, &o->t1);)
SC(next_touchpoints,
   return tp_next_touchpoints(f->ev, "website", NULL, NULL, &o->t1);)
SC(flow, return tp_flow(f->ev, NULL, NULL, &o->t1);)
SC(edges_to_dot, {
    tp_table *edges = NULL;
    hold();
    tp_status st = tp_transitions(f->ev, NULL, NULL, &edges);
    release();
    if (st == TP_OK)
        st = tp_edges_to_dot(edges, &o->buf, &o->len);
    hold();
    tp_table_free(edges);
    release();
    return st;
})
SC(funnel_run, return tp_funnel_run(f->ev, f->funnel, NULL, NULL, &o->t1, &o->t2);)
/* Report: built, then rendered; every form, the findings, a chart. */
static void free_report(void *p) { tp_report_free(p); }
SC(report_new, o->free_handle = free_report;
   return tp_report_new((tp_report **)&o->handle, f->ev, f->fb, NULL, NULL, NULL);)
SC(report_html, return tp_report_render(f->report, TP_REPORT_HTML, &o->buf, &o->len);)
SC(report_json, return tp_report_render(f->report, TP_REPORT_JSON, &o->buf, &o->len);)
SC(report_text, return tp_report_render(f->report, TP_REPORT_TEXT, &o->buf, &o->len);)
SC(report_findings, return tp_report_findings(f->report, &o->t1);)
SC(report_chart, return tp_report_chart(f->report, "flow", &o->buf, &o->len);)
SC(attribution_rollup, {
    tp_table *t;
    tp_status st = tp_attribute(f->paths, TP_MODEL_LINEAR, NULL, &t);
    if (st == TP_OK)
        st = tp_attribution_rollup(t, f->cat, TP_GROUP_CHANNEL, &o->t1);
    tp_table_free(t);
    return st;
})
SC(catalog_parse_funnels, {
    static const char j[] = "{\"touchpoints\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"funnels\":"
                            "[{\"id\":\"f\",\"steps\":[\"a\",\"b?<2d\"],\"exclude\":[\"b\"]}]}";
    return tp_catalog_parse_json(&o->cat, j, sizeof j - 1, "f.json");
})
SC(catalog_add_funnel, return tp_catalog_add_funnel(f->cat, "mine", f->funnel);)
SC(filter_copy, {
    tp_filter *src;
    tp_status st = tp_filter_new(&src);
    if (st == TP_OK)
        st = tp_filter_set(src, "segment", "region=north");
    if (st == TP_OK)
        st = tp_filter_set(src, "stage", "during");
    o->free_handle = free_filter;
    if (st == TP_OK)
        st = tp_filter_copy(src, (tp_filter **)&o->handle);
    tp_filter_free(src);
    return st;
})
SC(funnel_add_step, return tp_funnel_add_step(f->funnel, "store", 1, 86400000);)
SC(funnel_parse, return tp_funnel_parse(f->funnel, "cart?, point-of-sale<2d");)
SC(funnel_add_exclusion, return tp_funnel_add_exclusion(f->funnel, "returns");)
SC(conformance,
   return tp_conformance(f->ev, "online-purchase", NULL, NULL, &o->t1, &o->t2);)
SC(conformer_run, {
    tp_conformer *c = NULL;
    tp_status st = tp_conformer_new(&c, f->cat, "online-purchase", NULL);
    if (st == TP_OK)
        st = tp_conformer_add(c, "a", 1767225600000, "website", TP_EVENT_INTERACTION);
    if (st == TP_OK)
        st = tp_conformer_add(c, "a", 1767225601000, "online-checkout", TP_EVENT_CONVERSION);
    if (st == TP_OK)
        st = tp_conformer_finish(c, &o->t1, &o->t2);
    tp_conformer_free(c);
    return st;
})

/* Scoring */
SC(scorecard, return tp_scorecard(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(scorecard_rollup,
   return tp_scorecard_rollup(f->ev, f->fb, NULL, NULL, TP_GROUP_STAGE, &o->t1);)
SC(hotspots, return tp_hotspots(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(drivers, return tp_drivers(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(trend, return tp_trend(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(targets, return tp_targets(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(roadmap, return tp_roadmap(f->ev, f->fb, NULL, NULL, NULL, &o->t1);)
SC(funnel_typed, {
    tp_funnel *fn = NULL;
    tp_status st = tp_funnel_new(&fn);
    if (st == TP_OK)
        st = tp_funnel_parse(fn, "website, online-checkout (conversion)<2d, (conversion)");
    if (st == TP_OK)
        st = tp_funnel_set(fn, "exclude", "support (exit), (exit)");
    if (st == TP_OK)
        st = tp_funnel_run(f->ev, fn, NULL, NULL, &o->t1, &o->t2);
    tp_funnel_free(fn);
    return st;
})
SC(sentiment_terms,
   return tp_sentiment_terms(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(scorecard_filtered, {
    hold();
    tp_status st = tp_filter_add_stage(f->filter, "during");
    release();
    return st ? st : tp_scorecard(f->ev, f->fb, f->filter, NULL, &o->t1);
})
/* A breakdown: one run per value, the blocks stacked, the scorecard's test;
 * and a funnel's two tables. The options are made outside the count, with
 * the fixture's lexicon (the built-in one would be loaded by every view:
 * under this allocator it is not shared). */
static tp_status run_broken_down(const char *analysis, const char *attr, const fx *f,
                                 const char *const *params, size_t np, tp_table **t, size_t nt)
{
    tp_options *opt = NULL;
    tp_filter *two = NULL; /* two blocks: what stacks them, at half the cost of all */
    hold();
    tp_status st = tp_options_new(&opt);
    if (st == TP_OK)
        st = tp_filter_new(&two);
    if (st == TP_OK && !strcmp(attr, "segment"))
        st = tp_filter_parse_segment(two, "segment!=new");
    if (st == TP_OK && !strcmp(attr, "segment"))
        st = tp_filter_parse_segment(two, "segment!=returning");
    if (st == TP_OK)
        st = tp_options_set(opt, "breakdown", attr);
    if (st == TP_OK)
        st = tp_options_set_lexicon(opt, f->lex);
    release();
    if (st == TP_OK)
        st = tp_analysis_run(analysis, f->ev, nt == 1 ? f->fb : NULL, NULL, two, opt, params, np,
                             t, nt);
    hold();
    tp_options_free(opt);
    tp_filter_free(two);
    release();
    return st;
}
SC(breakdown_scorecard, return run_broken_down("scorecard", "segment", f, NULL, 0, &o->t1, 1);)
SC(breakdown_funnel, {
    const char *p[] = {"steps", "website,cart"};
    tp_table *t[2] = {NULL, NULL};
    tp_status st = run_broken_down("funnel", "region", f, p, 1, t, 2);
    o->t1 = t[0];
    o->t2 = t[1];
    return st;
})
SC(phrases, return tp_comment_phrases(f->ev, f->fb, NULL, NULL, &o->t1);)
SC(retention, return tp_retention(f->ev, NULL, NULL, &o->t1, &o->t2);)
SC(repeat_purchases, return tp_repeat_purchases(f->ev, NULL, NULL, &o->t1);)
SC(engagement, return tp_engagement(f->ev, NULL, NULL, &o->t1, &o->t2);)
SC(profile, {
    tp_table *t[2] = {NULL, NULL};
    tp_status st = tp_profile(f->ev, f->fb, "C03434", NULL, NULL, &o->t1, &o->t2, &t[0], &t[1]);
    tp_table_free(t[0]); /* the outs hold two tables: these were made and are checked too */
    tp_table_free(t[1]);
    return st;
})
SC(sentiment_table, {
    const char *texts[] = {"great and not slow", "slow", ""};
    return tp_sentiment_table(f->lex, texts, 3, &o->t1);
})
SC(lexicon_set, return tp_lexicon_set(f->lex, "superb", TP_TERM_WORD, 3.0);)
SC(lexicon_load_buffer,
   return tp_lexicon_load_buffer(f->lex, lexicon_text, sizeof lexicon_text - 1, "l.tsv");)
SC(lexicon_load, return tp_lexicon_load(f->lex, lexicon_path);)

/* Options and filters */
SC(options_set, return tp_options_set(f->opts, "alpha", "0.1");)
SC(options_add_knockout, return tp_options_add_knockout(f->opts, "audit:safety");)
SC(options_set_lexicon, return tp_options_set_lexicon(f->opts, f->lex);)
SC(filter_add_segment, return tp_filter_add_segment(f->filter, "segment", "vip", 0);)
SC(filter_parse_segment, return tp_filter_parse_segment(f->filter, "region!=north");)
SC(filter_add_stage, return tp_filter_add_stage(f->filter, "after");)
SC(filter_add_channel, return tp_filter_add_channel(f->filter, "email");)
SC(filter_add_touchpoint, return tp_filter_add_touchpoint(f->filter, "store");)

/* Tables */
SC(table_add_column, return tp_table_add_column(f->table, "x", TP_TYPE_DOUBLE, NULL);)
SC(table_append_row, {
    size_t row;
    return tp_table_append_row(f->table, &row);
})
SC(table_set_string, return tp_table_set_string(f->table, 1, 0, "a longer string");)
SC(table_format_csv, return tp_table_format(f->table, TP_FORMAT_CSV, &o->buf, &o->len);)
SC(table_format_json,
   return tp_table_format(f->table, TP_FORMAT_JSON, &o->buf, &o->len);)
SC(table_format_text,
   return tp_table_format(f->table, TP_FORMAT_TEXT, &o->buf, &o->len);)
SC(table_write, {
    tp_status st = tp_table_write(f->table, TP_FORMAT_CSV, out_path);
    if (st == TP_OK)
        o->d = access(out_path, R_OK) == 0;
    return st;
})

/* Aggregates: inputs are built under hold(); a failed call must leave the
 * aggregate as it was (compared as bytes) and hand out nothing. */
static void free_agg(void *p) { tp_agg_free(p); }

static tp_agg *held_agg(fx *f, tp_agg_kind kind)
{
    tp_agg *a = NULL;
    hold();
    CHECK_OK(tp_agg_new(&a, kind));
    CHECK_OK(tp_agg_add(a, f->ev, kind == TP_AGG_SCORECARD ? f->fb : NULL, NULL, NULL));
    release();
    return a;
}

static int agg_bytes_equal(const tp_agg *a, const void *bytes, size_t len)
{
    void *now = NULL;
    size_t n = 0;
    hold();
    CHECK_OK(tp_agg_serialize(a, &now, &n));
    release();
    int same = n == len && !memcmp(now, bytes, n);
    tp_free(now);
    return same;
}

/* Run op on a copy of a held aggregate; on success its bytes are the output. */
static tp_status agg_op(fx *f, outs *o, tp_agg_kind kind, int merge)
{
    tp_agg *a = NULL, *b = merge ? held_agg(f, kind) : NULL;
    void *before = NULL;
    size_t blen = 0;
    hold();
    CHECK_OK(tp_agg_new(&a, kind));
    if (merge)
        CHECK_OK(tp_agg_merge(a, b));
    CHECK_OK(tp_agg_serialize(a, &before, &blen));
    release();
    tp_status st = merge ? tp_agg_merge(a, b)
                         : tp_agg_add(a, f->ev, kind == TP_AGG_SCORECARD ? f->fb : NULL, NULL,
                                      NULL);
    if (st != TP_OK) {
        CU_ASSERT_TRUE(agg_bytes_equal(a, before, blen));
    } else {
        st = tp_agg_serialize(a, (void **)&o->buf, &o->len);
    }
    tp_free(before);
    tp_agg_free(a);
    tp_agg_free(b);
    return st;
}

SC(agg_new, o->free_handle = free_agg; return tp_agg_new((tp_agg **)&o->handle, TP_AGG_VARIANTS);)
SC(agg_add_scorecard, return agg_op(f, o, TP_AGG_SCORECARD, 0);)
SC(agg_add_transitions, return agg_op(f, o, TP_AGG_TRANSITIONS, 0);)
SC(agg_add_variants, return agg_op(f, o, TP_AGG_VARIANTS, 0);)
SC(agg_merge, return agg_op(f, o, TP_AGG_VARIANTS, 1);)
SC(agg_add_markov, return agg_op(f, o, TP_AGG_MARKOV, 0);)
SC(agg_merge_markov, return agg_op(f, o, TP_AGG_MARKOV, 1);)
SC(agg_add_shapley, return agg_op(f, o, TP_AGG_SHAPLEY, 0);)
SC(agg_add_funnel, {
    tp_agg *a = NULL;
    hold();
    CHECK_OK(tp_agg_new(&a, TP_AGG_FUNNEL));
    release();
    tp_status st = tp_agg_add_funnel(a, f->ev, f->funnel, NULL, NULL);
    if (st != TP_OK) {
        CU_ASSERT_TRUE(tp_agg_is_empty(a));
    } else {
        st = tp_agg_serialize(a, (void **)&o->buf, &o->len);
    }
    tp_agg_free(a);
    return st;
})
SC(agg_add_paths, {
    tp_agg *a = NULL;
    hold();
    CHECK_OK(tp_agg_new(&a, TP_AGG_MARKOV));
    release();
    tp_status st = tp_agg_add_paths(a, f->paths, NULL);
    if (st == TP_OK)
        st = tp_agg_serialize(a, (void **)&o->buf, &o->len);
    tp_agg_free(a);
    return st;
})
SC(agg_deserialize, {
    tp_agg *a = held_agg(f, TP_AGG_SCORECARD);
    void *bytes = NULL;
    size_t len = 0;
    hold();
    CHECK_OK(tp_agg_serialize(a, &bytes, &len));
    release();
    tp_agg_free(a);
    o->free_handle = free_agg;
    tp_status st = tp_agg_deserialize((tp_agg **)&o->handle, bytes, len);
    tp_free(bytes);
    return st;
})
/* Finalize two held aggregates into t1 and t2 (both or neither). */
static tp_status finalize_pair(fx *f, outs *o, tp_agg_kind k1, tp_agg_kind k2)
{
    tp_agg *a = held_agg(f, k1), *b = held_agg(f, k2);
    tp_status st = tp_agg_finalize(a, f->cat, NULL, &o->t1);
    if (st == TP_OK)
        st = tp_agg_finalize(b, f->cat, NULL, &o->t2);
    if (st != TP_OK) {
        tp_table_free(o->t1);
        o->t1 = NULL;
    }
    tp_agg_free(a);
    tp_agg_free(b);
    return st;
}

SC(agg_finalize, return finalize_pair(f, o, TP_AGG_SCORECARD, TP_AGG_VARIANTS);)
SC(agg_finalize_attribution, return finalize_pair(f, o, TP_AGG_MARKOV, TP_AGG_SHAPLEY);)

#define S(name, need) {#name, need, sc_##name}
#define EV NEED_EVENTS
#define EF (NEED_EVENTS | NEED_FEEDBACK)
static const scenario scenarios[] = {
    S(catalog_new, 0), S(catalog_new_default, 0), S(events_new, 0), S(feedback_new, 0),
    S(paths_new, 0), S(lexicon_new, 0), S(lexicon_new_default, 0), S(options_new, 0),
    S(filter_new, 0), S(funnel_new, 0), S(read_log_new, 0), S(table_new, 0),
    S(journey_map_new, 0), S(conformer_new, 0),
    S(catalog_add_stage, 0), S(catalog_set_stages, 0), S(catalog_add_touchpoint, 0),
    S(catalog_set_parent, 0), S(catalog_parse_json, 0), S(catalog_load_json, 0),
    S(catalog_to_json, 0), S(catalog_save_json, 0), S(catalog_to_table, 0),
    S(journey_map_add_stage, 0), S(journey_map_allow, 0), S(catalog_add_journey_map, 0),
    S(events_append, 0), S(events_append_many, 0), S(events_read_csv_buffer, 0),
    S(events_read_csv, 0), S(events_read_jsonl_buffer, 0), S(events_to_table, EV),
    S(feedback_append, 0), S(feedback_append_many, 0), S(feedback_read_csv_buffer, 0),
    S(feedback_read_csv, 0), S(feedback_to_table, NEED_FEEDBACK), S(read_log_to_table, 0),
    S(redact_text, 0), S(feedback_read_redacted, 0),
    S(paths_add, 0), S(paths_read_csv_buffer, 0), S(paths_read_csv, 0),
    S(paths_from_events, EV), S(paths_to_table, NEED_PATHS), S(attribute_markov, NEED_PATHS),
    S(attribute_shapley, NEED_PATHS), S(attribute_position, NEED_PATHS),
    S(attribution_compare, NEED_PATHS), S(markov_chain, NEED_PATHS),
    S(journeys, EV), S(transitions, EV), S(variants, EV), S(conversion_times, EV),
    S(next_touchpoints, EV), S(flow, EV), S(edges_to_dot, EV), S(funnel_run, EV),
    S(funnel_add_step, 0), S(funnel_parse, 0), S(funnel_add_exclusion, 0),
    S(report_new, EF), S(report_html, EF | NEED_REPORT), S(report_json, EF | NEED_REPORT),
    S(report_text, EF | NEED_REPORT), S(report_findings, EF | NEED_REPORT),
    S(report_chart, EF | NEED_REPORT),
    S(attribution_rollup, NEED_PATHS),
    S(catalog_parse_funnels, 0), S(catalog_add_funnel, 0), S(filter_copy, 0),
    S(conformance, EV), S(conformer_run, 0),
    S(scorecard, EF), S(scorecard_rollup, EF), S(hotspots, EF), S(drivers, EF), S(trend, EF),
    S(targets, EF), S(roadmap, EF), S(funnel_typed, EV),
    S(sentiment_terms, EF), S(scorecard_filtered, EF), S(sentiment_table, 0),
    S(breakdown_scorecard, EF), S(breakdown_funnel, EV), S(profile, EF), S(retention, EV), S(phrases, EF),
    S(repeat_purchases, EV), S(engagement, EV),
    S(lexicon_set, 0), S(lexicon_load_buffer, 0), S(lexicon_load, 0),
    S(options_set, 0), S(options_add_knockout, 0), S(options_set_lexicon, 0),
    S(filter_add_segment, 0), S(filter_parse_segment, 0), S(filter_add_stage, 0),
    S(filter_add_channel, 0), S(filter_add_touchpoint, 0),
    S(agg_new, 0), S(agg_add_scorecard, EF), S(agg_add_transitions, EV),
    S(agg_add_variants, EV), S(agg_merge, EF), S(agg_deserialize, EF), S(agg_finalize, EF),
    S(agg_add_markov, EV), S(agg_merge_markov, EV), S(agg_add_shapley, EV),
    S(agg_add_paths, NEED_PATHS), S(agg_add_funnel, EV), S(agg_finalize_attribution, EV),
    S(table_add_column, NEED_TABLE), S(table_append_row, NEED_TABLE),
    S(table_set_string, NEED_TABLE), S(table_format_csv, NEED_TABLE),
    S(table_format_json, NEED_TABLE), S(table_format_text, NEED_TABLE),
    S(table_write, NEED_TABLE),
};
#define NSCEN (sizeof scenarios / sizeof scenarios[0])

/* ---- The driver --------------------------------------------------------------------- */

static unsigned long points_total;
static size_t scenarios_run;

/* Every allocation point, or every TP_ALLOC_STRIDE-th (the valgrind setup
 * sets 3: each point there costs a whole run under the instrumentation; the
 * native and sanitizer runs take them all). */
static unsigned long stride_of_env(void)
{
    const char *e = getenv("TP_ALLOC_STRIDE");
    long v = e ? atol(e) : 1;
    return v >= 1 ? (unsigned long)v : 1;
}

static int run_scenario(const scenario *s)
{
    static unsigned long stride;
    if (!stride)
        stride = stride_of_env();
    unsigned need = s->need;
    fx f;
    outs o;
    int bad = 0;

    /* Reference: the call with a working allocator. */
    fx_build(&f, need);
    memset(&o, 0, sizeof o);
    tp_status st = s->call(&f, &o);
    if (st != TP_OK) {
        fprintf(stderr, "%s: reference call failed: %s\n", s->name, tp_last_error());
        fx_free(&f);
        return 1;
    }
    char *want = outs_text(&o);
    char *want_state = fx_state(&f);
    fx_free(&f);

    for (unsigned long n = 1;; n += stride) {
        /* A failed call may keep memory in a handle (a grown buffer), so leaks
         * are counted once the fixture is freed again. */
        long live0 = A.live;
        fx_build(&f, need);
        char *before = fx_state(&f);
        memset(&o, 0, sizeof o);
        tp_clear_error();
        A.injected = 0;
        A.fail_at = A.calls + n;
        st = s->call(&f, &o);
        A.fail_at = 0;
        int injected = A.injected;
        if (st == TP_OK) {
            /* Ran to the end (or recovered): the same result and state. */
            char *got = outs_text(&o), *state = fx_state(&f);
            if (strcmp(got, want) != 0 || strcmp(state, want_state) != 0) {
                fprintf(stderr, "%s: allocation %lu failed, the call succeeded with a "
                                "different result\n", s->name, n);
                bad = 1;
            }
            free(got);
            free(state);
        } else {
            char *after = fx_state(&f);
            const char *msg = tp_last_error();
            if (st != TP_ENOMEM || !injected) {
                fprintf(stderr, "%s: allocation %lu failed: status %s, not TP_ENOMEM (%s)\n",
                        s->name, n, tp_status_str(st), msg);
                bad = 1;
            } else if (!msg || !*msg) {
                fprintf(stderr, "%s: allocation %lu: TP_ENOMEM without a message\n", s->name, n);
                bad = 1;
            } else if (!outs_empty(&o)) {
                fprintf(stderr, "%s: allocation %lu: failed call left an output\n", s->name, n);
                bad = 1;
            } else if (strcmp(before, after) != 0) {
                fprintf(stderr, "%s: allocation %lu: the handles changed\n", s->name, n);
                bad = 1;
            } else {
                /* Still usable: the same call now succeeds with the reference result. */
                st = s->call(&f, &o);
                char *got = outs_text(&o);
                if (st != TP_OK || strcmp(got, want) != 0) {
                    fprintf(stderr, "%s: allocation %lu: unusable after the failure (%s)\n",
                            s->name, n, tp_status_str(st));
                    bad = 1;
                }
                free(got);
            }
            free(after);
            points_total++;
        }
        free(before);
        fx_free(&f);
        if (A.live != live0) {
            fprintf(stderr, "%s: allocation %lu: %ld blocks leaked\n", s->name, n,
                    A.live - live0);
            bad = 1;
        }
        if (bad || !injected)
            break;
    }
    free(want);
    free(want_state);
    scenarios_run++;
    return bad;
}

static void test_every_allocation_fails_in_turn(void)
{
    int bad = 0;
    for (size_t i = 0; i < NSCEN; i++)
        bad |= run_scenario(&scenarios[i]);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(scenarios_run, NSCEN);
    printf("\n  %zu entry points, %lu allocation failures injected\n", scenarios_run,
           points_total);
}

/* The injector itself: a failed allocation must reach the caller. */
static void test_injector_reaches_library(void)
{
    tp_catalog *c = NULL;
    A.fail_at = A.calls + 1;
    A.injected = 0;
    CU_ASSERT_EQUAL(tp_catalog_new(&c), TP_ENOMEM);
    CU_ASSERT_TRUE(A.injected);
    CU_ASSERT_PTR_NULL(c);
    A.fail_at = 0;
    /* And cJSON's allocations go through it as well. */
    A.fail_at = A.calls + 1;
    A.injected = 0;
    CU_ASSERT_EQUAL(tp_catalog_parse_json(&c, "{\"touchpoints\":[]}", 17, "x"), TP_ENOMEM);
    CU_ASSERT_TRUE(A.injected);
    A.fail_at = 0;
}

static int setup(void)
{
    if (tp_set_allocator(a_malloc, a_realloc, a_free, NULL) != TP_OK)
        return 1;
    cJSON_Hooks hooks = {c_malloc, c_free};
    cJSON_InitHooks(&hooks);
    events_csv = head_of("events.csv", 120, &events_len);
    feedback_csv = head_of("feedback.csv", 80, &feedback_len);
    catalog_json = head_of("catalog.json", 1 << 30, &catalog_len);
    if (!events_csv || !feedback_csv || !catalog_json)
        return 1;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tp-alloc-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    snprintf(events_path, sizeof events_path, "%s/events.csv", tmpdir);
    snprintf(feedback_path, sizeof feedback_path, "%s/feedback.csv", tmpdir);
    snprintf(catalog_path, sizeof catalog_path, "%s/catalog.json", tmpdir);
    snprintf(lexicon_path, sizeof lexicon_path, "%s/lexicon.tsv", tmpdir);
    snprintf(paths_path, sizeof paths_path, "%s/paths.csv", tmpdir);
    snprintf(out_path, sizeof out_path, "%s/out", tmpdir);
    return write_file(events_path, events_csv, events_len) ||
           write_file(feedback_path, feedback_csv, feedback_len) ||
           write_file(catalog_path, catalog_json, catalog_len) ||
           write_file(lexicon_path, lexicon_text, sizeof lexicon_text - 1) ||
           write_file(paths_path, paths_text, sizeof paths_text - 1);
}

static int cleanup(void)
{
    const char *files[] = {events_path, feedback_path, catalog_path, lexicon_path, paths_path,
                           out_path};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(files[i]);
    rmdir(tmpdir);
    free(events_csv);
    free(feedback_csv);
    free(catalog_json);
    cJSON_InitHooks(NULL);
    tp_set_allocator(NULL, NULL, NULL, NULL);
    return A.live == 0 ? 0 : 1;
}

int main(void)
{
    if (setup() != 0) {
        fprintf(stderr, "set-up failed\n");
        return 2;
    }
    const tp_test tests[] = {TP_TEST(test_injector_reaches_library),
                             TP_TEST(test_every_allocation_fails_in_turn), TP_TESTS_END};
    const tp_suite suites[] = {{"alloc", tests}, {NULL, NULL}};
    int failed = tp_run_suites(suites);
    if (cleanup() != 0) {
        fprintf(stderr, "%ld blocks still held at exit\n", A.live);
        failed = 1;
    }
    return failed;
}

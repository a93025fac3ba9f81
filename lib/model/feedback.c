#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/nearest.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/numtext.h"
#include "core/ptrmap.h"
#include "core/utf8.h"
#include "model/feedback_internal.h"

static const char *const metric_names[] = {"nps", "csat", "ces", "rating", "audit", NULL};

TP_API const char *tp_metric_name(tp_metric metric)
{
    return tp__word_name(metric_names, (int)metric);
}

/* s[0..n) is `word` (lower case) in any case: what strncasecmp says in the C
 * locale, without the call (a letter matches itself in either case, any other
 * byte only itself). */
static int is_word_ci(const char *s, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], w = (unsigned char)word[i];
        if (!w || (w >= 'a' && w <= 'z' ? (c | 0x20) != w : c != w))
            return 0;
    }
    return !word[n];
}

tp_status tp__metric_parse(const char *name, size_t len, tp_metric *kind, const char **item,
                           size_t *item_len, const char **why)
{
    for (int k = 0; k < 4; k++)
        if (is_word_ci(name, len, metric_names[k])) {
            *kind = (tp_metric)k;
            *item = NULL;
            *item_len = 0;
            return TP_OK;
        }
    if (len >= 6 && is_word_ci(name, 6, "audit:")) {
        const char *problem = tp__ident_problem(name + 6, len - 6);
        if (problem) {
            *why = len == 6 ? "audit metric without an item name (expected audit:<item>)"
                            : "invalid audit item name";
            return TP_EINVAL;
        }
        *kind = TP_METRIC_AUDIT;
        *item = name + 6;
        *item_len = len - 6;
        return TP_OK;
    }
    *why = "unknown metric (expected nps, csat, ces, rating or audit:<item>)";
    return TP_EINVAL;
}

tp_status tp__score_check(tp_metric kind, double s, const char **why)
{
    if (kind == TP_METRIC_AUDIT && isnan(s))
        return TP_OK;
    if (!isfinite(s)) {
        *why = "score is not a finite number";
        return TP_EVALIDATE;
    }
    switch (kind) {
    case TP_METRIC_NPS:
        if (s != floor(s)) { *why = "NPS score must be an integer 0-10"; return TP_EVALIDATE; }
        if (s < 0 || s > 10) { *why = "NPS score out of range 0-10"; return TP_EVALIDATE; }
        break;
    case TP_METRIC_CSAT:
        if (s != floor(s)) { *why = "CSAT score must be an integer 1-5"; return TP_EVALIDATE; }
        if (s < 1 || s > 5) { *why = "CSAT score out of range 1-5"; return TP_EVALIDATE; }
        break;
    case TP_METRIC_CES:
        if (s != floor(s)) { *why = "CES score must be an integer 1-7"; return TP_EVALIDATE; }
        if (s < 1 || s > 7) { *why = "CES score out of range 1-7"; return TP_EVALIDATE; }
        break;
    case TP_METRIC_RATING:
        if (s < 1 || s > 5) { *why = "rating out of range 1-5"; return TP_EVALIDATE; }
        break;
    case TP_METRIC_AUDIT:
        if (s < 0 || s > 100) { *why = "audit score out of range 0-100"; return TP_EVALIDATE; }
        break;
    default:
        *why = "invalid metric";
        return TP_EVALIDATE;
    }
    return TP_OK;
}

tp_status tp__score_text(tp_metric kind, const char *s, size_t len, double *out, const char **why)
{
    if (kind == TP_METRIC_AUDIT) {
        static const struct { const char *text; double v; } words[] = {
            {"pass", 100.0}, {"fail", 0.0}, {"n/a", NAN}, {"na", NAN}};
        for (size_t i = 0; i < 4; i++)
            if (len == strlen(words[i].text) && strncasecmp(s, words[i].text, len) == 0) {
                *out = words[i].v;
                return TP_OK;
            }
    }
    double v;
    tp_status st = tp__parse_double(s, len, &v);
    if (st != TP_OK) {
        *why = st == TP_EVALIDATE ? "score is not a finite number"
               : kind == TP_METRIC_AUDIT ? "score is not a number, pass, fail or n/a"
                                         : "score is not a number";
        return st;
    }
    if ((st = tp__score_check(kind, v, why)) != TP_OK)
        return st;
    *out = v;
    return TP_OK;
}

tp_status tp_metric_check(const char *metric, const char *score, tp_metric *kind, double *value)
{
    if (!metric || !score)
        return tp__error(TP_EINVAL, "tp_metric_check: NULL argument");
    tp_metric k;
    const char *item, *why = NULL;
    size_t item_len;
    tp_status st = tp__metric_parse(metric, strlen(metric), &k, &item, &item_len, &why);
    if (st != TP_OK)
        return tp__error(st, "metric: %s", why);
    double v;
    size_t n = strlen(score);
    if ((st = tp__score_text(k, score, n, &v, &why)) != TP_OK) {
        char ex[TP__EXCERPT_CAP];
        tp__excerpt(score, n, ex, sizeof ex);
        return tp__error(st, "score \"%s\": %s", ex, why);
    }
    if (kind)
        *kind = k;
    if (value)
        *value = v;
    return TP_OK;
}

int tp__feedback_metric_id(tp_feedback *f, tp_metric kind, const char *item, size_t item_len,
                           uint32_t *id)
{
    if (kind != TP_METRIC_AUDIT) {
        *id = (uint32_t)kind;
        return 0;
    }
    char buf[6 + 256 + 1];
    if (item_len > 256)
        return -1;
    memcpy(buf, "audit:", 6);
    memcpy(buf + 6, item, item_len);
    return tp__intern_put(&f->metrics, buf, 6 + item_len, id);
}

tp_status tp_feedback_new(tp_feedback **out, tp_catalog *catalog)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_feedback_new: out is NULL");
    *out = NULL;
    tp_feedback *f = tp__calloc(1, sizeof *f);
    if (!f)
        return tp__error(TP_ENOMEM, "out of memory creating feedback set");
    tp__intern_init(&f->customers);
    tp__intern_init(&f->metrics);
    tp__intern_init(&f->comments);
    int bad = tp__attrs_init(&f->attrs);
    uint32_t id;
    for (int k = 0; k < 4 && !bad; k++)
        bad = tp__intern_put(&f->metrics, metric_names[k], strlen(metric_names[k]), &id);
    if (!bad)
        bad = tp__intern_put(&f->comments, "", 0, &id);
    if (bad) {
        tp_feedback_free(f);
        return tp__error(TP_ENOMEM, "out of memory creating feedback set");
    }
    if (!catalog) {
        tp_status st = tp_catalog_new(&catalog);
        if (st != TP_OK) {
            tp_feedback_free(f);
            return st;
        }
        f->owns_catalog = 1;
    }
    f->catalog = catalog;
    *out = f;
    return TP_OK;
}

void tp_feedback_free(tp_feedback *f)
{
    if (!f)
        return;
    if (f->owns_catalog)
        tp_catalog_free(f->catalog);
    tp__intern_free(&f->customers);
    tp__intern_free(&f->metrics);
    tp__intern_free(&f->comments);
    tp__vec_u32_free(&f->customer);
    tp__vec_i64_free(&f->time);
    tp__vec_u32_free(&f->touchpoint);
    tp__vec_u32_free(&f->metric);
    tp__vec_f64_free(&f->score);
    tp__vec_f64_free(&f->weight);
    tp__vec_u32_free(&f->comment);
    tp__attrs_free(&f->attrs);
    tp__free(f);
}

tp_catalog *tp_feedback_catalog(const tp_feedback *f) { return f ? f->catalog : NULL; }

tp_status tp_feedback_set_unknown_policy(tp_feedback *f, tp_unknown_policy policy)
{
    if (!f || (policy != TP_UNKNOWN_REGISTER && policy != TP_UNKNOWN_REJECT))
        return tp__error(TP_EINVAL, "tp_feedback_set_unknown_policy: bad argument");
    f->policy = policy;
    return TP_OK;
}

tp__feedback_mark tp__feedback_mark_get(const tp_feedback *f)
{
    tp__feedback_mark m;
    m.rows = f->time.len;
    m.customers = tp__intern_mark_get(&f->customers);
    m.metrics = tp__intern_mark_get(&f->metrics);
    m.comments = tp__intern_mark_get(&f->comments);
    m.catalog = tp__catalog_mark_get(f->catalog);
    m.attrs = tp__attrs_mark_get(&f->attrs, f->time.len);
    return m;
}

void tp__feedback_rollback(tp_feedback *f, tp__feedback_mark m)
{
    f->customer.len = f->time.len = f->touchpoint.len = f->metric.len = m.rows;
    f->score.len = f->weight.len = f->comment.len = m.rows;
    f->customer_queue.n = 0;
    tp__intern_rollback(&f->customers, m.customers);
    tp__intern_rollback(&f->metrics, m.metrics);
    tp__intern_rollback(&f->comments, m.comments);
    tp__catalog_rollback(f->catalog, m.catalog);
    tp__attrs_rollback(&f->attrs, m.attrs);
}

tp_status tp__feedback_absorb(tp_feedback *f, const tp_feedback *w, uint32_t base,
                              const uint32_t *map, const size_t *cols)
{
    size_t n = w->time.len, r0 = f->time.len;
    if (n > UINT32_MAX - 1 - r0)
        return tp__error(TP_ELIMIT, "cannot grow the feedback set: more than %u responses",
                         UINT32_MAX - 2);
    size_t nc = tp__intern_count(&w->customers), nm = tp__intern_count(&w->metrics),
           nk = tp__intern_count(&w->comments);
    uint32_t *cmap = tp__malloc((nc + nm + nk + 1) * sizeof *cmap);
    uint32_t *mmap = cmap ? cmap + nc : NULL, *kmap = cmap ? cmap + nc + nm : NULL;
    if (!cmap || tp__intern_map_into(&f->customers, &w->customers, cmap) ||
        tp__intern_map_into(&f->metrics, &w->metrics, mmap) ||
        tp__intern_map_into(&f->comments, &w->comments, kmap) ||
        tp__vec_u32_reserve(&f->customer, n) || tp__vec_i64_reserve(&f->time, n) ||
        tp__vec_u32_reserve(&f->touchpoint, n) || tp__vec_u32_reserve(&f->metric, n) ||
        tp__vec_f64_reserve(&f->score, n) || tp__vec_f64_reserve(&f->weight, n) ||
        tp__vec_u32_reserve(&f->comment, n) ||
        tp__attrs_absorb(&f->attrs, r0, &w->attrs, n, cols)) {
        tp__free(cmap);
        return tp__error(TP_ENOMEM, "out of memory joining the pieces of a read");
    }
    for (size_t i = 0; i < n; i++) {
        f->customer.data[r0 + i] = cmap[w->customer.data[i]];
        f->metric.data[r0 + i] = mmap[w->metric.data[i]];
        f->comment.data[r0 + i] = kmap[w->comment.data[i]];
    }
    tp__free(cmap);
    if (n) {
        tp__pending_map_column(f->touchpoint.data + r0, w->touchpoint.data, n, base, map);
        memcpy(f->time.data + r0, w->time.data, n * sizeof *w->time.data);
        memcpy(f->score.data + r0, w->score.data, n * sizeof *w->score.data);
        memcpy(f->weight.data + r0, w->weight.data, n * sizeof *w->weight.data);
    }
    f->customer.len = f->time.len = f->touchpoint.len = f->metric.len = r0 + n;
    f->score.len = f->weight.len = f->comment.len = r0 + n;
    return TP_OK;
}

int tp__feedback_reserve(tp_feedback *f, size_t n)
{
    return tp__vec_u32_reserve(&f->customer, n) || tp__vec_i64_reserve(&f->time, n) ||
           tp__vec_u32_reserve(&f->touchpoint, n) || tp__vec_u32_reserve(&f->metric, n) ||
           tp__vec_f64_reserve(&f->score, n) || tp__vec_f64_reserve(&f->weight, n) ||
           tp__vec_u32_reserve(&f->comment, n) || tp__attrs_reserve(&f->attrs, n);
}

int tp__feedback_reserve_row(tp_feedback *f)
{
    if (f->time.len >= UINT32_MAX - 1)
        return -1;
    return tp__feedback_reserve(f, 1);
}

void tp__feedback_push(tp_feedback *f, uint32_t customer, int64_t time, uint32_t touchpoint,
                       uint32_t metric, double score, double weight, uint32_t comment,
                       const uint32_t *attrs, size_t nattrs)
{
    f->customer.data[f->customer.len++] = customer;
    f->time.data[f->time.len++] = time;
    f->touchpoint.data[f->touchpoint.len++] = touchpoint;
    f->metric.data[f->metric.len++] = metric;
    f->score.data[f->score.len++] = score;
    f->weight.data[f->weight.len++] = weight;
    f->comment.data[f->comment.len++] = comment;
    tp__attrs_push_row(&f->attrs, attrs, nattrs);
}

/* Ids already found for the strings of a bulk append, by pointer. */
typedef struct memo {
    tp__ptrmap customer, touchpoint, metric, comment;
} memo;

/* Validate and append one response; the caller rolls back on failure. With a
 * memo, a string pointer met before is neither checked nor looked up again. */
static tp_status append(tp_feedback *f, const char *customer, int64_t time_ms,
                        const char *touchpoint, const char *metric, double score, double weight,
                        const char *comment, memo *m)
{
    uint32_t c, t, mid, com = 0;
    int have_c = m && tp__ptrmap_get(&m->customer, customer, &c);
    int have_t = m && tp__ptrmap_get(&m->touchpoint, touchpoint, &t);
    int have_m = m && tp__ptrmap_get(&m->metric, metric, &mid);
    int have_k = m && tp__ptrmap_get(&m->comment, comment, &com);
    const char *why;
    if (!have_c && (why = customer ? tp__ident_problem(customer, strlen(customer)) : "NULL"))
        return tp__error(TP_EINVAL, "customer id: %s", why);
    if (!have_t && (why = touchpoint ? tp__ident_problem(touchpoint, strlen(touchpoint)) : "NULL"))
        return tp__error(TP_EINVAL, "touchpoint id: %s", why);
    if (!metric)
        return tp__error(TP_EINVAL, "metric is NULL");
    if (time_ms < TP_TIME_MIN || time_ms > TP_TIME_MAX)
        return tp__error(TP_EINVAL, "time %lld ms out of range", (long long)time_ms);
    tp_metric kind = have_m && mid < TP__METRIC_FIRST_AUDIT ? (tp_metric)mid : TP_METRIC_AUDIT;
    const char *item = NULL;
    size_t item_len = 0;
    tp_status st;
    if (!have_m &&
        (st = tp__metric_parse(metric, strlen(metric), &kind, &item, &item_len, &why)) != TP_OK)
        return tp__error(st, "metric: %s", why);
    if ((st = tp__score_check(kind, score, &why)) != TP_OK)
        return tp__error(st, "score: %s", why);
    if (kind != TP_METRIC_AUDIT)
        weight = 1.0;
    else if (!isfinite(weight) || weight < 0 || weight > TP_MAX_AMOUNT)
        return tp__error(TP_EINVAL, "weight must be a finite number from 0 to 1e15");
    size_t clen = comment && !have_k ? strlen(comment) : 0;
    if (clen && tp__utf8_check(comment, clen) != (size_t)-1)
        return tp__error(TP_EINVAL, "comment: invalid UTF-8");
    if (!have_t) {
        st = tp__catalog_resolve(f->catalog, touchpoint, strlen(touchpoint), NULL, 0,
                                 f->policy == TP_UNKNOWN_REGISTER, &t);
        if (st == TP_ENOTFOUND)
            return tp__error(st, "unknown touchpoint '%s'", touchpoint);
        if (st != TP_OK)
            return tp__error(st, "cannot register touchpoint");
    }
    if ((!have_c && tp__intern_put(&f->customers, customer, strlen(customer), &c)) ||
        (!have_m && tp__feedback_metric_id(f, kind, item, item_len, &mid)) ||
        (clen && tp__intern_put(&f->comments, comment, clen, &com)) ||
        (m && ((!have_c && tp__ptrmap_put(&m->customer, customer, c)) ||
               (!have_t && tp__ptrmap_put(&m->touchpoint, touchpoint, t)) ||
               (!have_m && tp__ptrmap_put(&m->metric, metric, mid)) ||
               (!have_k && tp__ptrmap_put(&m->comment, comment, com)))) ||
        tp__feedback_reserve_row(f))
        return tp__error(f->time.len >= UINT32_MAX - 1 ? TP_ELIMIT : TP_ENOMEM,
                         "cannot grow the feedback set");
    tp__feedback_push(f, c, time_ms, t, mid, score, weight, com, NULL, 0);
    return TP_OK;
}

tp_status tp_feedback_append(tp_feedback *f, const char *customer, int64_t time_ms,
                             const char *touchpoint, const char *metric, double score,
                             double weight, const char *comment)
{
    if (!f)
        return tp__error(TP_EINVAL, "tp_feedback_append: feedback is NULL");
    tp__feedback_mark m = tp__feedback_mark_get(f);
    tp_status st = append(f, customer, time_ms, touchpoint, metric, score, weight, comment, NULL);
    if (st != TP_OK)
        tp__feedback_rollback(f, m);
    return st;
}

tp_status tp_feedback_append_many(tp_feedback *f, size_t count, const char *const *customers,
                                  const int64_t *times_ms, const char *const *touchpoints,
                                  const char *const *metrics, const double *scores,
                                  const double *weights, const char *const *comments)
{
    if (!f || (count && (!customers || !times_ms || !touchpoints || !metrics || !scores)))
        return tp__error(TP_EINVAL, "tp_feedback_append_many: NULL argument");
    tp__feedback_mark mark = tp__feedback_mark_get(f);
    memo m;
    tp__ptrmap_init(&m.customer);
    tp__ptrmap_init(&m.touchpoint);
    tp__ptrmap_init(&m.metric);
    tp__ptrmap_init(&m.comment);
    tp_status st = TP_OK;
    size_t i = 0;
    for (; st == TP_OK && i < count; i++)
        st = append(f, customers[i], times_ms[i], touchpoints[i], metrics[i], scores[i],
                    weights ? weights[i] : 1.0, comments ? comments[i] : NULL, &m);
    tp__ptrmap_free(&m.customer);
    tp__ptrmap_free(&m.touchpoint);
    tp__ptrmap_free(&m.metric);
    tp__ptrmap_free(&m.comment);
    if (st != TP_OK) {
        char why[512];
        snprintf(why, sizeof why, "%s", tp_last_error());
        tp__feedback_rollback(f, mark);
        return tp__error(st, "response %zu: %s", i - 1, why);
    }
    return TP_OK;
}

#define ROW_OK(f, row) ((f) && (row) < (f)->time.len)

size_t tp_feedback_count(const tp_feedback *f) { return f ? f->time.len : 0; }

const char *tp_feedback_customer(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? tp__intern_str(&f->customers, f->customer.data[row]) : NULL;
}

int64_t tp_feedback_time(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? f->time.data[row] : 0;
}

const char *tp_feedback_touchpoint(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? tp__catalog_id(f->catalog, f->touchpoint.data[row]) : NULL;
}

size_t tp_feedback_touchpoint_index(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? f->touchpoint.data[row] : (size_t)-1;
}

tp_metric tp_feedback_metric_kind(const tp_feedback *f, size_t row)
{
    if (!ROW_OK(f, row))
        return TP_METRIC_NPS;
    uint32_t m = f->metric.data[row];
    return m < TP__METRIC_FIRST_AUDIT ? (tp_metric)m : TP_METRIC_AUDIT;
}

const char *tp_feedback_metric(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? tp__intern_str(&f->metrics, f->metric.data[row]) : NULL;
}

double tp_feedback_score(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? f->score.data[row] : NAN;
}

double tp_feedback_weight(const tp_feedback *f, size_t row)
{
    return ROW_OK(f, row) ? f->weight.data[row] : NAN;
}

const char *tp_feedback_comment(const tp_feedback *f, size_t row)
{
    if (!ROW_OK(f, row) || !f->comment.data[row])
        return NULL;
    return tp__intern_str(&f->comments, f->comment.data[row]);
}

size_t tp_feedback_attribute_count(const tp_feedback *f) { return f ? tp__attrs_count(&f->attrs) : 0; }

const char *tp_feedback_attribute_name(const tp_feedback *f, size_t attr)
{
    if (!f || attr >= tp__attrs_count(&f->attrs))
        return NULL;
    return tp__attrs_name(&f->attrs, attr);
}

const char *tp_feedback_attribute(const tp_feedback *f, size_t attr, size_t row)
{
    if (!ROW_OK(f, row) || attr >= tp__attrs_count(&f->attrs))
        return NULL;
    return tp__attrs_get(&f->attrs, attr, row);
}

tp_status tp_feedback_to_table(const tp_feedback *f, tp_table **out)
{
    if (!f || !out)
        return tp__error(TP_EINVAL, "tp_feedback_to_table: NULL argument");
    *out = NULL;
    static const char *const names[] = {"customer_id", "timestamp", "touchpoint", "metric",
                                        "score", "weight", "comment"};
    static const tp_type types[] = {TP_TYPE_STRING, TP_TYPE_INT64, TP_TYPE_STRING,
                                    TP_TYPE_STRING, TP_TYPE_DOUBLE, TP_TYPE_DOUBLE,
                                    TP_TYPE_STRING};
    tp_table *t;
    tp_status st = tp_table_new(&t);
    for (size_t k = 0; st == TP_OK && k < 7; k++)
        st = tp_table_add_column(t, names[k], types[k], NULL);
    if (st == TP_OK)
        st = tp_table_set_column_unit(t, 1, TP_UNIT_TIME);
    size_t nattr = tp__attrs_count(&f->attrs);
    for (size_t a = 0; st == TP_OK && a < nattr; a++) {
        const char *name = tp__attrs_name(&f->attrs, a);
        int clash = 0;
        for (size_t k = 0; k < 7; k++)
            clash |= strcasecmp(name, names[k]) == 0;
        char buf[300];
        snprintf(buf, sizeof buf, "%s%s", clash ? "attr." : "", name);
        st = tp_table_add_column(t, buf, TP_TYPE_STRING, NULL);
    }
    for (size_t r = 0; st == TP_OK && r < f->time.len; r++) {
        size_t row;
        if ((st = tp_table_append_row(t, &row)) != TP_OK)
            break;
        st = tp_table_set_string(t, row, 0, tp_feedback_customer(f, r));
        if (st == TP_OK)
            st = tp_table_set_int64(t, row, 1, f->time.data[r]);
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 2, tp_feedback_touchpoint(f, r));
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 3, tp_feedback_metric(f, r));
        if (st == TP_OK)
            st = tp_table_set_double(t, row, 4, f->score.data[r]);
        if (st == TP_OK)
            st = tp_table_set_double(t, row, 5, f->weight.data[r]);
        if (st == TP_OK)
            st = tp_table_set_string(t, row, 6, tp_feedback_comment(f, r));
        for (size_t a = 0; st == TP_OK && a < nattr; a++) {
            const char *s = tp__attrs_get(&f->attrs, a, r);
            st = tp_table_set_string(t, row, 7 + a, *s ? s : NULL);
        }
    }
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    *out = t;
    return TP_OK;
}

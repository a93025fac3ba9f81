#define _GNU_SOURCE /* memmem() */
/* The CX report: runs the analyses once, keeps their tables and the findings,
 * and renders them (report_html.c, report_json.c). Built on the public API
 * (and core's plumbing) only. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/file.h"
#include "core/nearest.h"
#include "core/numtext.h"
#include "core/versioned.h"
#include "report/report_internal.h"
#include "report/svg.h"
#include "touchpoint.h"

static const char *const form_words[] = {"html", "fragment", "json", "text", NULL};

TP__WORD_FUNCTIONS(tp_report_form, tp_report_form, form_words, "report form", 0)

static const char *const form_extensions[] = {".html", ".html", ".json", ".txt", NULL};

TP_API const char *tp_report_form_extension(tp_report_form form)
{
    return tp__word_name(form_extensions, (int)form);
}

TP_API tp_report_form tp_report_form_of_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && !strchr(dot, '/')) {
        if (!strcasecmp(dot, ".json"))
            return TP_REPORT_JSON;
        if (!strcasecmp(dot, ".txt"))
            return TP_REPORT_TEXT;
    }
    return TP_REPORT_HTML;
}

/* ---- table access ---- */

size_t tp__report_col(const tp_table *t, const char *name)
{
    size_t c;
    return t && tp_table_find_column(t, name, &c) == TP_OK ? c : (size_t)-1;
}

double tp__report_num(const tp_table *t, size_t row, const char *name)
{
    double v = NAN;
    size_t c = tp__report_col(t, name);
    if (c != (size_t)-1 && tp_table_is_null(t, row, c) == 0) {
        if (tp_table_column_type(t, c) == TP_TYPE_INT64) {
            int64_t i = 0;
            tp_table_get_int64(t, row, c, &i);
            v = (double)i;
        } else {
            tp_table_get_double(t, row, c, &v);
        }
    }
    return v;
}

const char *tp__report_str(const tp_table *t, size_t row, const char *name)
{
    const char *s = NULL;
    size_t c = tp__report_col(t, name);
    if (c != (size_t)-1)
        tp_table_get_string(t, row, c, &s);
    return s ? s : "";
}

size_t tp__report_rows(const tp_table *t)
{
    return t ? tp_table_row_count(t) : 0;
}

size_t tp__report_stage(const tp_report *r, const char *name)
{
    size_t s = 0;
    while (s < r->nstages && strcmp(r->stages[s], name))
        s++;
    return s;
}

/* ---- options ---- */

static size_t options_size(unsigned version)
{
    return version == 1 ? TP__END_OF(tp_report_options, credit_by) : 0;
}

TP_API tp_status tp_report_options_init(tp_report_options *o, unsigned int version)
{
    size_t size = options_size(version);
    if (!o || !size)
        return tp__error(TP_EINVAL, "tp_report_options_init: %s",
                         o ? "unknown version" : "options is NULL");
    tp_report_options d = TP_REPORT_OPTIONS_INIT;
    d.version = version;
    memcpy(o, &d, size);
    return TP_OK;
}

/* ---- building ---- */

/* Steps of the most common converting path, repeats dropped; no steps when
 * nothing converted. */
static tp_status common_path_funnel(const tp_events *ev, const tp_filter *f, const tp_options *o,
                                    tp_funnel **out)
{
    tp_table *paths = NULL;
    tp_paths *set = NULL;
    tp_status st = tp_funnel_new(out);
    if (st == TP_OK)
        st = tp_paths_from_events(&set, ev, f, o);
    if (st == TP_OK)
        st = tp_paths_to_table(set, "\n", &paths);
    tp_paths_free(set);
    size_t best = (size_t)-1;
    double most = 0;
    for (size_t i = 0; st == TP_OK && i < tp__report_rows(paths); i++) {
        double c = tp__report_num(paths, i, "conversions");
        if (c > most) {
            most = c;
            best = i;
        }
    }
    if (st == TP_OK && best != (size_t)-1) {
        /* Ids joined by line ends (no id holds one), with one before and after:
         * "\nid\n" then marks every step, and a step whose mark first occurs
         * earlier repeats one (a repeated funnel step could never be reached). */
        tp__strbuf text = {0};
        tp__sb_printf(&text, "\n%s\n", tp__report_str(paths, best, "path"));
        if (text.failed)
            st = tp__error(TP_ENOMEM, "out of memory");
        for (size_t q = 0; st == TP_OK && q + 1 < text.len;) {
            size_t len = (size_t)((char *)memchr(text.data + q + 1, '\n', text.len - q - 1) -
                                  (text.data + q + 1));
            if ((char *)memmem(text.data, text.len, text.data + q, len + 2) == text.data + q) {
                text.data[q + 1 + len] = '\0';
                st = tp_funnel_add_step(*out, text.data + q + 1, 0, 0);
                text.data[q + 1 + len] = '\n';
            }
            q += len + 1;
        }
        tp__sb_free(&text);
    }
    tp_table_free(paths);
    if (st != TP_OK) {
        tp_funnel_free(*out);
        *out = NULL;
    }
    return st;
}

/* The subject of a finding; a failed copy marks the finding's text failed, so
 * the build reports it. */
static void set_subject(tp__finding *f, const char *subject)
{
    if (!(f->subject = tp__strdup(subject)))
        f->text.failed = 1;
}

static void finding(tp__finding *f, const char *key, const char *heading)
{
    tp__snprintf_c(f->key, sizeof f->key, "%s", key);
    f->heading = heading;
    f->value = NAN;
}

/* The top pain point (which 0) or bright spot (1) by impact, else the lowest
 * or highest CX index. */
static void find_spot(tp_report *r, int which)
{
    tp__finding *f = &r->findings[which];
    finding(f, which == 0 ? "worst_touchpoint" : "best_touchpoint",
            which == 0 ? "Worst touchpoint" : "Best touchpoint");
    const char *kind = which == 0 ? "pain" : "bright";
    char reach[48];
    for (size_t i = 0; i < tp__report_rows(r->hotspots); i++) {
        if (strcmp(tp__report_str(r->hotspots, i, "kind"), kind))
            continue;
        tp__svg_format_count(reach, sizeof reach, tp__report_num(r->hotspots, i, "reach"));
        double gap = tp__report_num(r->hotspots, i, "gap");
        set_subject(f, tp__report_str(r->hotspots, i, "touchpoint"));
        f->value = tp__report_num(r->hotspots, i, "cx_index");
        tp__sb_printf(
            &f->text, "%s (CX index %.1f, %.1f points %s the overall %.1f; reach %s customers)",
            tp__report_str(r->hotspots, i, "touchpoint"), f->value, fabs(gap),
            gap < 0 ? "below" : "above", tp__report_num(r->hotspots, i, "overall"), reach);
        return;
    }
    size_t pick = (size_t)-1;
    for (size_t i = 0; i < tp__report_rows(r->scorecard); i++) {
        double v = tp__report_num(r->scorecard, i, "cx_index");
        if (!isfinite(v))
            continue;
        double best = pick == (size_t)-1 ? NAN : tp__report_num(r->scorecard, pick, "cx_index");
        if (pick == (size_t)-1 || (which == 0 ? v < best : v > best))
            pick = i;
    }
    if (pick == (size_t)-1) {
        tp__sb_puts(&f->text, "none (no touchpoint has feedback)");
        return;
    }
    set_subject(f, tp__report_str(r->scorecard, pick, "touchpoint"));
    f->value = tp__report_num(r->scorecard, pick, "cx_index");
    tp__sb_printf(&f->text, "%s (CX index %.1f; no significant %s spot)",
                  tp__report_str(r->scorecard, pick, "touchpoint"), f->value,
                  which == 0 ? "pain" : "bright");
}

static void find_drop(tp_report *r)
{
    tp__finding *f = &r->findings[2];
    finding(f, "biggest_funnel_drop", "Biggest funnel drop");
    size_t drop = (size_t)-1;
    for (size_t i = 1; i < tp__report_rows(r->steps); i++)
        if (tp__report_num(r->steps, i, "dropped") > 0 &&
            (drop == (size_t)-1 ||
             tp__report_num(r->steps, i, "dropped") > tp__report_num(r->steps, drop, "dropped")))
            drop = i;
    if (drop == (size_t)-1) {
        tp__sb_puts(&f->text, tp__report_rows(r->steps) ? "none (no customer dropped out)"
                                                        : "none (no funnel)");
        return;
    }
    /* Dropped counts from the previous required step (optional steps drop nobody). */
    size_t prev = drop - 1;
    while (prev > 0 && tp__report_num(r->steps, prev, "optional") == 1)
        prev--;
    char lost[48], of[48];
    double before = tp__report_num(r->steps, prev, "customers");
    double gone = tp__report_num(r->steps, drop, "dropped");
    tp__svg_format_count(lost, sizeof lost, gone);
    tp__svg_format_count(of, sizeof of, before);
    tp__strbuf subject = {0};
    tp__sb_printf(&subject, "%s -> %s", tp__report_str(r->steps, prev, "touchpoint"),
                  tp__report_str(r->steps, drop, "touchpoint"));
    if (subject.failed) {
        tp__sb_free(&subject);
        f->text.failed = 1;
    } else {
        f->subject = subject.data;
    }
    f->value = gone;
    tp__sb_printf(&f->text, "%s -> %s: %s of %s customers (%.1f%%) did not go on",
                  tp__report_str(r->steps, prev, "touchpoint"),
                  tp__report_str(r->steps, drop, "touchpoint"), lost, of,
                  before > 0 ? 100 * gone / before : 0.0);
}

static void find_top_group(tp_report *r)
{
    static const char *const heads[] = {"Top stage", "Top channel", "Top owner", "Top parent"};
    tp__finding *f = &r->findings[3];
    char key[32];
    tp__snprintf_c(key, sizeof key, "top_%s", tp_group_name(r->credit_by));
    finding(f, key, heads[r->credit_by]);
    const char *gname = tp_group_name(r->credit_by);
    if (r->attr_note) {
        tp__sb_puts(&f->text, "unknown (the Markov chain was too costly to solve: see Attribution)");
        return;
    }
    if (!tp__report_rows(r->rollup) || !(r->conversions > 0)) {
        tp__sb_puts(&f->text, "none (no conversions)");
        return;
    }
    /* The roll-up is sorted by conversions, largest first. */
    const char *top = tp__report_str(r->rollup, 0, gname);
    double conv = tp__report_num(r->rollup, 0, "conversions");
    set_subject(f, top);
    f->value = conv;
    tp__sb_printf(&f->text, "%s (%.1f of %.0f conversions, %.1f%%, Markov order %lld)", top, conv,
                  r->conversions, 100 * conv / r->conversions, (long long)r->order);
}

static void time_span(tp_report *r, const tp_events *ev)
{
    r->first = INT64_MAX;
    r->last = INT64_MIN;
    for (size_t i = 0; i < r->events; i++) {
        int64_t t = tp_events_time(ev, i);
        r->first = t < r->first ? t : r->first;
        r->last = t > r->last ? t : r->last;
    }
}

/* The trend of each stage the filter lets through: the user's filter with its
 * stage selection replaced by that one stage. */
static tp_status stage_trends(tp_report *r, const tp_events *ev, const tp_feedback *fb,
                              const tp_filter *filter, const tp_options *o)
{
    size_t n = r->nstages < TP__REPORT_MAX_STAGES ? r->nstages : TP__REPORT_MAX_STAGES;
    for (size_t s = 0; s < n; s++) {
        if (filter && !tp_filter_selects(filter, "stage", r->stages[s]))
            continue;
        tp_filter *f = NULL;
        tp_status st = filter ? tp_filter_copy(filter, &f) : tp_filter_new(&f);
        if (st == TP_OK)
            st = tp_filter_clear(f, "stage");
        if (st == TP_OK)
            st = tp_filter_add_stage(f, r->stages[s]);
        if (st == TP_OK)
            st = tp_trend(ev, fb, f, o, &r->stage_trend[s]);
        tp_filter_free(f);
        if (st != TP_OK)
            return st;
    }
    return TP_OK;
}

static tp_status copy_stages(tp_report *r, const tp_catalog *cat)
{
    r->nstages = tp_catalog_stage_count(cat);
    if (!(r->stages = tp__calloc(r->nstages + 1, sizeof *r->stages)))
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t s = 0; s < r->nstages; s++)
        if (!(r->stages[s] = tp__strdup(tp_catalog_stage_name(cat, s))))
            return tp__error(TP_ENOMEM, "out of memory");
    return TP_OK;
}

/* The count of rows of @p t whose column @p col is @p value and whose owner is @p owner. */
static double owned_rows(const tp_table *t, const char *owner, const char *col, const char *value)
{
    double n = 0;
    for (size_t i = 0; i < tp__report_rows(t); i++)
        n += !strcmp(tp__report_str(t, i, "owner"), owner) &&
             (!col || !strcmp(tp__report_str(t, i, col), value));
    return n;
}

/* Per owner, in the order the scorecard first names them: its touchpoints,
 * pain points and bright spots, targets met and missed, and responses. */
static tp_status owner_summary(tp_report *r)
{
    static const char *const names[] = {"owner",          "touchpoints", "pain_points",
                                        "bright_spots",   "targets",     "targets_met",
                                        "targets_missed", "responses"};
    tp_table *t;
    tp_status st = tp_table_new(&t);
    for (size_t c = 0; c < 8 && st == TP_OK; c++)
        st = tp_table_add_column(t, names[c], c ? TP_TYPE_INT64 : TP_TYPE_STRING, NULL);
    size_t n = tp__report_rows(r->scorecard);
    for (size_t i = 0; i < n && st == TP_OK; i++) {
        const char *owner = tp__report_str(r->scorecard, i, "owner");
        int seen = !*owner;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(tp__report_str(r->scorecard, j, "owner"), owner);
        if (seen)
            continue;
        double touchpoints = 0, responses = 0;
        for (size_t j = i; j < n; j++)
            if (!strcmp(tp__report_str(r->scorecard, j, "owner"), owner)) {
                touchpoints++;
                responses += tp__report_num(r->scorecard, j, "responses");
            }
        const double v[] = {touchpoints,
                            owned_rows(r->hotspots, owner, "kind", "pain"),
                            owned_rows(r->hotspots, owner, "kind", "bright"),
                            owned_rows(r->targets, owner, NULL, NULL),
                            owned_rows(r->targets, owner, "status", "met"),
                            owned_rows(r->targets, owner, "status", "missed"),
                            responses};
        size_t row;
        if ((st = tp_table_append_row(t, &row)) == TP_OK)
            st = tp_table_set_string(t, row, 0, owner);
        for (size_t c = 0; c < 7 && st == TP_OK; c++)
            st = tp_table_set_int64(t, row, c + 1, (int64_t)v[c]);
    }
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    r->owners = t;
    return TP_OK;
}

/* The breakdown's section: the scorecard by the attribute (tp_analysis_run),
 * summed per value, and its significant differences from the rest. */
typedef struct seg_diff {
    double p, size;
    size_t row;
} seg_diff;

static int seg_diff_cmp(const void *pa, const void *pb)
{
    const seg_diff *a = pa, *b = pb;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

enum { SEGMENT_DIFFS = 15 };

static tp_status add_row(tp_table *t, const char *const *text, size_t ntext, const double *num,
                         size_t nnum)
{
    size_t row;
    tp_status st = tp_table_append_row(t, &row);
    for (size_t c = 0; st == TP_OK && c < ntext; c++)
        st = tp_table_set_string(t, row, c, text[c]);
    for (size_t c = 0; st == TP_OK && c < nnum; c++)
        st = tp_table_column_type(t, ntext + c) == TP_TYPE_INT64
                 ? tp_table_set_int64(t, row, ntext + c, (int64_t)num[c])
                 : tp_table_set_double(t, row, ntext + c, num[c]);
    return st;
}

static tp_status new_table(tp_table **t, const char *const *names, const tp_type *types, size_t n)
{
    tp_status st = tp_table_new(t);
    for (size_t c = 0; st == TP_OK && c < n; c++)
        st = tp_table_add_column(*t, names[c], types[c], NULL);
    return st;
}

static tp_status segments(tp_report *r, const tp_events *ev, const tp_feedback *fb,
                          const tp_filter *f, const tp_options *o)
{
    const char *attr = "";
    if (!o || tp_options_get_text(o, TP_OPT_BREAKDOWN, &attr) != TP_OK || !*attr)
        return TP_OK;
    tp_options_get_double(o, TP_OPT_ALPHA, &r->alpha);
    tp_table *card = NULL;
    tp_status st = tp_analysis_run("scorecard", ev, fb, NULL, f, o, NULL, 0, &card, 1);
    static const char *const sn[] = {"value", "responses", "nps_n", "nps", "mean", "worse",
                                     "better"};
    static const tp_type stypes[] = {TP_TYPE_STRING, TP_TYPE_INT64, TP_TYPE_INT64, TP_TYPE_DOUBLE,
                                     TP_TYPE_DOUBLE, TP_TYPE_INT64, TP_TYPE_INT64};
    static const char *const dn[] = {"value", "touchpoint", "mean", "rest_mean", "difference",
                                     "p_value"};
    static const tp_type dtypes[] = {TP_TYPE_STRING, TP_TYPE_STRING, TP_TYPE_DOUBLE,
                                     TP_TYPE_DOUBLE, TP_TYPE_DOUBLE, TP_TYPE_DOUBLE};
    if (st == TP_OK && !(r->segment_attr = tp__strdup(attr)))
        st = tp__error(TP_ENOMEM, "out of memory");
    if (st == TP_OK)
        st = new_table(&r->segments, sn, stypes, 7);
    if (st == TP_OK)
        st = new_table(&r->segment_diffs, dn, dtypes, 6);
    size_t n = tp__report_rows(card), nd = 0;
    const char *lead = n ? tp_table_column_name(card, 0) : "";
    seg_diff *d = st == TP_OK ? tp__malloc((n ? n : 1) * sizeof *d) : NULL;
    if (st == TP_OK && !d)
        st = tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; st == TP_OK && i < n;) {
        const char *value = tp__report_str(card, i, lead);
        double resp = 0, nps_n = 0, net = 0, sum = 0, worse = 0, better = 0;
        size_t j = i;
        for (; j < n && !strcmp(tp__report_str(card, j, lead), value); j++) {
            double k = tp__report_num(card, j, "responses"), m = tp__report_num(card, j, "mean");
            double p = tp__report_num(card, j, "p_value"), diff = tp__report_num(card, j, "difference");
            resp += k;
            nps_n += tp__report_num(card, j, "nps_n");
            net += tp__report_num(card, j, "promoters") - tp__report_num(card, j, "detractors");
            if (isfinite(m))
                sum += m * k;
            if (isfinite(p) && p < r->alpha && isfinite(diff)) {
                worse += diff < 0;
                better += diff > 0;
                d[nd++] = (seg_diff){p, fabs(diff), j};
            }
        }
        const double v[] = {resp, nps_n, nps_n ? 100 * net / nps_n : NAN, resp ? sum / resp : NAN,
                            worse, better};
        st = add_row(r->segments, &value, 1, v, 6);
        i = j;
    }
    if (st == TP_OK && nd > 1)
        qsort(d, nd, sizeof *d, seg_diff_cmp);
    for (size_t k = 0; st == TP_OK && k < nd && k < SEGMENT_DIFFS; k++) {
        size_t j = d[k].row;
        const char *text[] = {tp__report_str(card, j, lead), tp__report_str(card, j, "touchpoint")};
        const double v[] = {tp__report_num(card, j, "mean"), tp__report_num(card, j, "rest_mean"),
                            tp__report_num(card, j, "difference"),
                            tp__report_num(card, j, "p_value")};
        st = add_row(r->segment_diffs, text, 2, v, 4);
    }
    tp__free(d);
    tp_table_free(card);
    return st;
}

/* Which funnel to show, in the documented order. */
static tp_status pick_funnel(tp_report *r, const tp_events *ev, const tp_filter *f,
                             const tp_options *o, const tp_report_options *ro,
                             const tp_funnel **fun, tp_funnel **own)
{
    const tp_catalog *cat = tp_events_catalog(ev);
    if (ro->funnel && tp_funnel_step_count(ro->funnel)) {
        r->funnel_from = TP__FUNNEL_GIVEN;
        *fun = ro->funnel;
        return TP_OK;
    }
    if (tp_catalog_funnel_count(cat)) {
        r->funnel_from = TP__FUNNEL_CATALOG;
        *fun = tp_catalog_funnel(cat, 0);
        if (!(r->funnel_id = tp__strdup(tp_catalog_funnel_id(cat, 0))))
            return tp__error(TP_ENOMEM, "out of memory");
        return TP_OK;
    }
    r->funnel_from = TP__FUNNEL_COMMON_PATH;
    tp_status st = common_path_funnel(ev, f, o, own);
    *fun = *own;
    return st;
}

static int label_cmp(const void *pa, const void *pb)
{
    return strcmp(((const tp__report_label *)pa)->id, ((const tp__report_label *)pb)->id);
}

/* The scorecard's touchpoints by id, for the charts' names (one sort here,
 * a binary search a label there). */
static tp_status index_labels(tp_report *r)
{
    size_t n = tp__report_rows(r->scorecard);
    if (!(r->labels = tp__malloc((n ? n : 1) * sizeof *r->labels)))
        return tp__error(TP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *id = tp__report_str(r->scorecard, i, "touchpoint");
        const char *name = tp__report_str(r->scorecard, i, "name");
        r->labels[i] = (tp__report_label){id, *name ? name : id};
    }
    if (n > 1)
        qsort(r->labels, n, sizeof *r->labels, label_cmp);
    r->nlabels = n;
    return TP_OK;
}

const char *tp__report_label_of(const tp_report *r, const char *id)
{
    tp__report_label key = {id, NULL};
    const tp__report_label *hit =
        r->nlabels ? bsearch(&key, r->labels, r->nlabels, sizeof key, label_cmp) : NULL;
    return hit ? hit->name : id;
}

static tp_status build(tp_report *r, const tp_events *ev, const tp_feedback *fb, const tp_filter *f,
                       const tp_options *o, const tp_report_options *ro)
{
    const tp_catalog *cat = tp_events_catalog(ev);
    tp_status st = copy_stages(r, cat);
    if (st != TP_OK)
        return st;
    const tp_funnel *fun = NULL;
    tp_funnel *own = NULL;
    tp_paths *paths = NULL;
    if ((st = pick_funnel(r, ev, f, o, ro, &fun, &own)) != TP_OK)
        return st;
    if ((st = tp_scorecard(ev, fb, f, o, &r->scorecard)) == TP_OK &&
        (st = tp_scorecard_rollup(ev, fb, f, o, TP_GROUP_STAGE, &r->stage_cards)) == TP_OK &&
        (st = tp_hotspots(ev, fb, f, o, &r->hotspots)) == TP_OK &&
        (st = tp_drivers(ev, fb, f, o, &r->drivers)) == TP_OK &&
        (st = tp_flow(ev, f, o, &r->flow)) == TP_OK &&
        (st = tp_trend(ev, fb, f, o, &r->trend)) == TP_OK && tp_funnel_step_count(fun))
        st = tp_funnel_run(ev, fun, f, o, &r->steps, &r->drops);
    tp_funnel_free(own);
    if (st == TP_OK)
        st = index_labels(r);
    if (st == TP_OK && (st = tp_paths_from_events(&paths, ev, f, o)) == TP_OK &&
        (st = tp_attribution_compare(paths, o, &r->attr)) == TP_OK &&
        (st = tp_attribute(paths, TP_MODEL_MARKOV, o, &r->markov)) == TP_OK)
        st = tp_attribution_rollup(r->markov, cat, r->credit_by, &r->rollup);
    tp_paths_free(paths);
    if (st == TP_ELIMIT) {
        /* A chain too costly to solve (markov_max_work) costs the report its
         * attribution, not the rest: the section says why. */
        tp_table_free(r->attr);
        tp_table_free(r->markov);
        r->attr = r->markov = NULL;
        st = (r->attr_note = tp__strdup(tp_last_error())) ? TP_OK
                                                           : tp__error(TP_ENOMEM, "out of memory");
    }
    if (st == TP_OK)
        st = stage_trends(r, ev, fb, f, o);
    if (st == TP_OK)
        st = tp_targets(ev, fb, f, o, &r->targets);
    if (st == TP_OK && tp_catalog_journey_map_count(cat)) {
        const char *map = tp_journey_map_id(tp_catalog_journey_map(cat, 0));
        st = (r->roadmap_map = tp__strdup(map)) ? tp_roadmap(ev, fb, map, f, o, &r->roadmap)
                                                : tp__error(TP_ENOMEM, "out of memory");
    }
    if (st == TP_OK)
        st = owner_summary(r);
    if (st != TP_OK)
        return st;
    if (tp__report_rows(r->hotspots))
        r->overall = tp__report_num(r->hotspots, 0, "overall");
    for (size_t i = 0; i < tp__report_rows(r->steps); i++)
        tp__sb_printf(&r->funnel_text, "%s%s", i ? ", " : "",
                      tp__report_str(r->steps, i, "touchpoint"));
    for (size_t i = 0; i < tp__report_rows(r->markov); i++) {
        double c = tp__report_num(r->markov, i, "conversions");
        if (isfinite(c))
            r->conversions += c;
    }
    /* the options' values, or their defaults */
    tp_options *defaults = NULL;
    if (!o && tp_options_new(&defaults) != TP_OK)
        return TP_ENOMEM;
    const tp_options *use = o ? o : defaults;
    tp_options_get_int(use, TP_OPT_ORDER, &r->order);
    tp_options_get_int(use, TP_OPT_MIN_RESPONSES, &r->min_responses);
    tp_options_free(defaults);
    find_spot(r, 0);
    find_spot(r, 1);
    find_drop(r);
    find_top_group(r);
    int failed = r->funnel_text.failed;
    for (size_t i = 0; i < TP__FINDINGS; i++)
        failed |= r->findings[i].text.failed;
    return failed ? tp__error(TP_ENOMEM, "out of memory") : TP_OK;
}

TP_API tp_status tp_report_new(tp_report **out, const tp_events *ev, const tp_feedback *fb,
                               const tp_filter *f, const tp_options *o,
                               const tp_report_options *user)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_report_new: out is NULL");
    *out = NULL;
    if (!ev)
        return tp__error(TP_EINVAL, "tp_report_new: events are NULL");
    tp_report_options ro = TP_REPORT_OPTIONS_INIT;
    if (user) {
        size_t size = options_size(user->version);
        if (!size)
            return tp__error(TP_EINVAL,
                             "tp_report_new: unknown tp_report_options version %u "
                             "(use tp_report_options_init)",
                             user->version);
        memcpy(&ro, user, size);
    }
    if (!tp_group_name(ro.credit_by))
        return tp__error(TP_EINVAL, "tp_report_new: unknown grouping %d for credit_by",
                         (int)ro.credit_by);
    tp_report *r = tp__calloc(1, sizeof *r);
    if (!r)
        return tp__error(TP_ENOMEM, "out of memory");
    tp_feedback *none = NULL;
    tp_status st = TP_OK;
    if (!fb && (st = tp_feedback_new(&none, tp_events_catalog(ev))) == TP_OK)
        fb = none;
    r->title = tp__strdup(ro.title ? ro.title : "Customer experience report");
    r->source = tp__strdup(ro.source ? ro.source : "");
    if (st == TP_OK && (!r->title || !r->source))
        st = tp__error(TP_ENOMEM, "out of memory");
    r->rejected = ro.log ? (size_t)tp_read_log_rows_rejected(ro.log) : 0;
    r->events = tp_events_count(ev);
    r->customers = tp_events_customer_count(ev);
    r->feedback = tp_feedback_count(fb);
    r->touchpoints = tp_catalog_touchpoint_count(tp_events_catalog(ev));
    r->overall = NAN;
    r->credit_by = ro.credit_by;
    time_span(r, ev);
    /* the breakdown is the segments section's; every other section is of
     * the whole selection */
    tp_options *plain = NULL;
    const char *by = "";
    if (st == TP_OK && o && tp_options_get_text(o, TP_OPT_BREAKDOWN, &by) == TP_OK && *by &&
        (st = tp_options_copy(o, &plain)) == TP_OK)
        st = tp_options_set_text(plain, TP_OPT_BREAKDOWN, "");
    if (st == TP_OK)
        st = build(r, ev, fb, f, plain ? plain : o, &ro);
    if (st == TP_OK)
        st = segments(r, ev, fb, f, o);
    tp_options_free(plain);
    tp_feedback_free(none);
    if (st != TP_OK) {
        tp_report_free(r);
        return st;
    }
    *out = r;
    return TP_OK;
}

TP_API void tp_report_free(tp_report *r)
{
    if (!r)
        return;
    tp_table *all[] = {r->scorecard, r->stage_cards, r->hotspots, r->drivers, r->steps,
                       r->drops,     r->flow,        r->attr,     r->markov,  r->rollup,
                       r->trend,     r->targets,     r->roadmap,  r->owners,
                       r->segments,  r->segment_diffs};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        tp_table_free(all[i]);
    for (size_t s = 0; s < TP__REPORT_MAX_STAGES; s++)
        tp_table_free(r->stage_trend[s]);
    for (size_t s = 0; s < r->nstages && r->stages; s++)
        tp__free(r->stages[s]);
    tp__free(r->stages);
    tp__free(r->labels);
    for (size_t i = 0; i < TP__FINDINGS; i++) {
        tp__free(r->findings[i].subject);
        tp__sb_free(&r->findings[i].text);
    }
    tp__sb_free(&r->funnel_text);
    tp__free(r->funnel_id);
    tp__free(r->attr_note);
    tp__free(r->roadmap_map);
    tp__free(r->segment_attr);
    tp__free(r->title);
    tp__free(r->source);
    tp__free(r);
}

/* ---- rendering ---- */

static void text_form(const tp_report *r, tp__strbuf *b)
{
    size_t width = 0;
    for (size_t i = 0; i < TP__FINDINGS; i++)
        if (strlen(r->findings[i].heading) > width)
            width = strlen(r->findings[i].heading);
    for (size_t i = 0; i < TP__FINDINGS; i++)
        tp__sb_printf(b, "%s:%*s %s\n", r->findings[i].heading,
                      (int)(width - strlen(r->findings[i].heading)), "",
                      r->findings[i].text.data ? r->findings[i].text.data : "");
}

TP_API tp_status tp_report_render(const tp_report *r, tp_report_form form, char **out, size_t *len)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_report_render: out is NULL");
    *out = NULL;
    if (len)
        *len = 0;
    if (!r)
        return tp__error(TP_EINVAL, "tp_report_render: report is NULL");
    tp__strbuf b = {0};
    switch (form) {
    case TP_REPORT_HTML:
        tp__report_html(r, &b, 0);
        break;
    case TP_REPORT_FRAGMENT:
        tp__report_html(r, &b, 1);
        break;
    case TP_REPORT_JSON:
        tp__report_json(r, &b);
        break;
    case TP_REPORT_TEXT:
        text_form(r, &b);
        break;
    default:
        return tp__error(TP_EINVAL, "tp_report_render: unknown form %d", (int)form);
    }
    return tp__sb_finish(&b, out, len);
}

TP_API tp_status tp_report_save(const tp_report *r, const char *path, tp_report_form form)
{
    if (!path)
        return tp__error(TP_EINVAL, "tp_report_save: path is NULL");
    char *text = NULL;
    size_t len = 0;
    tp_status st = tp_report_render(r, form, &text, &len);
    return tp__file_write_made(path, st, text, len);
}

TP_API tp_status tp_report_findings(const tp_report *r, tp_table **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_report_findings: out is NULL");
    *out = NULL;
    if (!r)
        return tp__error(TP_EINVAL, "tp_report_findings: report is NULL");
    static const char *const names[] = {"key", "heading", "subject", "value", "text"};
    tp_table *t;
    tp_status st = tp_table_new(&t);
    for (size_t c = 0; c < 5 && st == TP_OK; c++)
        st = tp_table_add_column(t, names[c], c == 3 ? TP_TYPE_DOUBLE : TP_TYPE_STRING, NULL);
    for (size_t i = 0; i < TP__FINDINGS && st == TP_OK; i++) {
        const tp__finding *f = &r->findings[i];
        size_t row;
        if ((st = tp_table_append_row(t, &row)) == TP_OK &&
            (st = tp_table_set_string(t, row, 0, f->key)) == TP_OK &&
            (st = tp_table_set_string(t, row, 1, f->heading)) == TP_OK &&
            (st = tp_table_set_string(t, row, 2, f->subject)) == TP_OK &&
            (st = tp_table_set_double(t, row, 3, f->value)) == TP_OK)
            st = tp_table_set_string(t, row, 4, f->text.data ? f->text.data : "");
    }
    if (st != TP_OK) {
        tp_table_free(t);
        return st;
    }
    *out = t;
    return TP_OK;
}

TP_API size_t tp_report_chart_count(void)
{
    return tp__report_chart_total;
}

TP_API const char *tp_report_chart_name(size_t i)
{
    return i < tp__report_chart_total ? tp__report_charts[i].name : NULL;
}

TP_API const char *tp_report_chart_doc(size_t i)
{
    return i < tp__report_chart_total ? tp__report_charts[i].doc : NULL;
}

static const char *chart_at(const void *ctx, size_t i)
{
    (void)ctx;
    return tp_report_chart_name(i);
}

TP_API tp_status tp_report_chart(const tp_report *r, const char *name, char **out, size_t *len)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_report_chart: out is NULL");
    *out = NULL;
    if (len)
        *len = 0;
    if (!r || !name)
        return tp__error(TP_EINVAL, "tp_report_chart: NULL argument");
    tp__strbuf b = {0};
    if (tp__report_chart(r, name, &b) != 0) {
        tp__sb_free(&b);
        const char *near = tp__nearest(name, tp__report_chart_total, chart_at, NULL);
        if (near)
            return tp__error(TP_EINVAL, "unknown chart '%.60s' (did you mean '%s'?)", name, near);
        return tp__error(TP_EINVAL,
                         "unknown chart '%.60s' (charts: journey, nps, hotspots, "
                         "drivers, funnel, flow, attribution, trend)",
                         name);
    }
    return tp__sb_finish(&b, out, len);
}

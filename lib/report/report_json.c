/* The report as one JSON document: the same content as the HTML page, as data.
 * Tables keep the library's JSON form (an array of row objects). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/numtext.h"
#include "report/report_internal.h"

static void key(tp__strbuf *b, const char *name, int first)
{
    tp__sb_puts(b, first ? "\n  " : ",\n  ");
    tp__sb_json_text(b, name);
    tp__sb_puts(b, ": ");
}

static void json_number(tp__strbuf *b, double v)
{
    tp__sb_json_double(b, v);
}

static void json_table(tp__strbuf *b, const tp_table *t)
{
    char *text = NULL;
    size_t len = 0;
    if (!t) {
        tp__sb_puts(b, "[]");
        return;
    }
    if (tp_table_format(t, TP_FORMAT_JSON, &text, &len) != TP_OK) {
        b->failed = 1;
        return;
    }
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    tp__sb_add(b, text, len);
    tp_free(text);
}

static void json_time(tp__strbuf *b, int64_t ms)
{
    char text[64];
    if (tp_time_format(ms, text, sizeof text) == TP_OK)
        tp__sb_json_text(b, text);
    else
        tp__sb_puts(b, "null");
}

void tp__report_json(const tp_report *r, tp__strbuf *b)
{
    tp__sb_puts(b, "{");
    key(b, "title", 1);
    tp__sb_json_text(b, r->title);
    key(b, "generator", 0);
    tp__sb_printf(b, "\"touchpoint %s\"", tp_version_string());
    key(b, "source", 0);
    tp__sb_json_text(b, r->source);
    key(b, "inputs", 0);
    tp__sb_printf(b,
                  "{\"events\": %zu, \"customers\": %zu, \"feedback\": %zu, \"touchpoints\": %zu, "
                  "\"rejected_rows\": %zu, \"first_event\": ",
                  r->events, r->customers, r->feedback, r->touchpoints, r->rejected);
    if (r->first <= r->last) {
        json_time(b, r->first);
        tp__sb_puts(b, ", \"last_event\": ");
        json_time(b, r->last);
    } else {
        tp__sb_puts(b, "null, \"last_event\": null");
    }
    tp__sb_puts(b, "}");
    key(b, "findings", 0);
    tp__sb_puts(b, "{");
    for (size_t i = 0; i < TP__FINDINGS; i++) {
        tp__sb_puts(b, i ? ", " : "");
        tp__sb_json_text(b, r->findings[i].key);
        tp__sb_puts(b, ": ");
        tp__sb_json_text(b, r->findings[i].text.data ? r->findings[i].text.data : "");
    }
    tp__sb_puts(b, "}");
    key(b, "overall_cx_index", 0);
    json_number(b, r->overall);
    key(b, "journey_map", 0);
    tp__sb_puts(b, "[");
    for (size_t s = 0; s < r->nstages; s++) {
        const char *stage = r->stages[s];
        double cx = NAN;
        for (size_t i = 0; i < tp__report_rows(r->stage_cards); i++)
            if (!strcmp(tp__report_str(r->stage_cards, i, "stage"), stage))
                cx = tp__report_num(r->stage_cards, i, "cx_index");
        tp__sb_puts(b, s ? ",\n    {\"stage\": " : "\n    {\"stage\": ");
        tp__sb_json_text(b, stage);
        tp__sb_puts(b, ", \"cx_index\": ");
        json_number(b, cx);
        tp__sb_puts(b, ", \"touchpoints\": [");
        size_t k = 0;
        for (size_t i = 0; i < tp__report_rows(r->scorecard); i++) {
            if (strcmp(tp__report_str(r->scorecard, i, "stage"), stage))
                continue;
            tp__sb_puts(b, k++ ? ", {\"touchpoint\": " : "{\"touchpoint\": ");
            tp__sb_json_text(b, tp__report_str(r->scorecard, i, "touchpoint"));
            tp__sb_puts(b, ", \"cx_index\": ");
            json_number(b, tp__report_num(r->scorecard, i, "cx_index"));
            tp__sb_puts(b, "}");
        }
        tp__sb_puts(b, "]}");
    }
    tp__sb_puts(b, "]");
    key(b, "scorecard", 0);
    json_table(b, r->scorecard);
    key(b, "stages", 0);
    json_table(b, r->stage_cards);
    key(b, "hotspots", 0);
    json_table(b, r->hotspots);
    key(b, "drivers", 0);
    json_table(b, r->drivers);
    key(b, "targets", 0);
    json_table(b, r->targets);
    key(b, "roadmap", 0);
    tp__sb_puts(b, "{\"map\": ");
    tp__sb_json_text(b, r->roadmap_map);
    tp__sb_puts(b, ", \"rows\": ");
    json_table(b, r->roadmap);
    tp__sb_puts(b, "}");
    key(b, "owners", 0);
    json_table(b, r->owners);
    key(b, "funnel", 0);
    tp__sb_puts(b, "{\"steps_from\": ");
    tp__sb_json_text(b, r->funnel_from == TP__FUNNEL_GIVEN     ? "steps"
                        : r->funnel_from == TP__FUNNEL_CATALOG ? "catalog"
                                                               : "most common converting path");
    tp__sb_puts(b, ", \"funnel_id\": ");
    tp__sb_json_text(b, r->funnel_id);
    tp__sb_puts(b, ", \"steps\": ");
    json_table(b, r->steps);
    tp__sb_puts(b, ", \"dropoffs\": ");
    json_table(b, r->drops);
    tp__sb_puts(b, "}");
    key(b, "flow", 0);
    json_table(b, r->flow);
    key(b, "attribution", 0);
    json_table(b, r->attr);
    key(b, "attribution_note", 0);
    if (r->attr_note)
        tp__sb_json_text(b, r->attr_note);
    else
        tp__sb_puts(b, "null");
    /* Markov credit rolled up by channel (or stage, owner, parent). */
    const char *gname = tp_group_name(r->credit_by);
    key(b, "attribution_rollup", 0);
    tp__sb_printf(b, "{\"by\": \"%s\", ", gname);
    tp__sb_printf(b, "\"model\": \"markov\", \"order\": %lld, \"rows\": [", (long long)r->order);
    for (size_t i = 0; i < tp__report_rows(r->rollup); i++) {
        double conv = tp__report_num(r->rollup, i, "conversions");
        tp__sb_printf(b, "%s{\"%s\": ", i ? ", " : "", gname);
        tp__sb_json_text(b, tp__report_str(r->rollup, i, gname));
        tp__sb_puts(b, ", \"conversions\": ");
        json_number(b, conv);
        tp__sb_puts(b, ", \"share\": ");
        json_number(b, r->conversions > 0 ? conv / r->conversions : NAN);
        tp__sb_puts(b, "}");
    }
    tp__sb_puts(b, "]}");
    key(b, "trend", 0);
    json_table(b, r->trend);
    key(b, "trend_by_stage", 0);
    tp__sb_puts(b, "{");
    int first = 1;
    for (size_t s = 0; s < r->nstages && s < TP__REPORT_MAX_STAGES; s++) {
        if (!r->stage_trend[s])
            continue;
        tp__sb_puts(b, first ? "" : ", ");
        first = 0;
        tp__sb_json_text(b, r->stages[s]);
        tp__sb_puts(b, ": ");
        json_table(b, r->stage_trend[s]);
    }
    tp__sb_puts(b, "}");
    /* with the option breakdown only: null without it */
    key(b, "segments", 0);
    if (r->segments) {
        tp__sb_puts(b, "{\"attribute\": ");
        tp__sb_json_text(b, r->segment_attr);
        tp__sb_puts(b, ", \"alpha\": ");
        json_number(b, r->alpha);
        tp__sb_puts(b, ", \"summary\": ");
        json_table(b, r->segments);
        tp__sb_puts(b, ", \"differences\": ");
        json_table(b, r->segment_diffs);
        tp__sb_puts(b, "}");
    } else {
        tp__sb_puts(b, "null");
    }
    tp__sb_puts(b, "\n}\n");
}

/* The report as one JSON document: the same content as the HTML page, as data.
 * Tables keep the library's JSON form (an array of row objects). */
#include <math.h>
#include <string.h>

#include "report_internal.h"

static void key(buf *b, const char *name, int first)
{
    buf_puts(b, first ? "\n  " : ",\n  ");
    buf_json_string(b, name);
    buf_puts(b, ": ");
}

static void json_number(buf *b, double v)
{
    if (isfinite(v))
        buf_printf(b, "%.17g", v);
    else
        buf_puts(b, "null");
}

static void json_table(buf *b, const tp_table *t)
{
    char *text = NULL;
    size_t len = 0;
    if (!t) {
        buf_puts(b, "[]");
        return;
    }
    if (tp_table_format(t, TP_FORMAT_JSON, &text, &len) != TP_OK) {
        b->oom = 1;
        return;
    }
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    buf_put(b, text, len);
    tp_free(text);
}

static void json_time(buf *b, int64_t ms)
{
    char text[64];
    if (tp_time_format(ms, text, sizeof text) == TP_OK)
        buf_json_string(b, text);
    else
        buf_puts(b, "null");
}

void report_json(const report *r, buf *b)
{
    buf_puts(b, "{");
    key(b, "title", 1);
    buf_json_string(b, r->title);
    key(b, "generator", 0);
    buf_printf(b, "\"touchpoint %s\"", tp_version_string());
    key(b, "source", 0);
    buf_json_string(b, r->source);
    key(b, "inputs", 0);
    buf_printf(b, "{\"events\": %zu, \"customers\": %zu, \"feedback\": %zu, \"touchpoints\": %zu, "
                  "\"rejected_rows\": %zu, \"first_event\": ",
               r->events, r->customers, r->feedback, r->touchpoints, r->rejected);
    if (r->first <= r->last) {
        json_time(b, r->first);
        buf_puts(b, ", \"last_event\": ");
        json_time(b, r->last);
    } else {
        buf_puts(b, "null, \"last_event\": null");
    }
    buf_puts(b, "}");
    key(b, "findings", 0);
    buf_puts(b, "{");
    for (size_t i = 0; i < 4; i++) {
        buf_puts(b, i ? ", " : "");
        buf_json_string(b, report_finding_keys[i]);
        buf_puts(b, ": ");
        buf_json_string(b, r->findings[i].data ? r->findings[i].data : "");
    }
    buf_puts(b, "}");
    key(b, "overall_cx_index", 0);
    json_number(b, r->overall);
    key(b, "journey_map", 0);
    buf_puts(b, "[");
    for (size_t s = 0; s < tp_catalog_stage_count(r->cat); s++) {
        const char *stage = tp_catalog_stage_name(r->cat, s);
        double cx = NAN;
        for (size_t i = 0; i < report_rows(r->stages); i++)
            if (!strcmp(report_str(r->stages, i, "stage"), stage))
                cx = report_num(r->stages, i, "cx_index");
        buf_puts(b, s ? ",\n    {\"stage\": " : "\n    {\"stage\": ");
        buf_json_string(b, stage);
        buf_puts(b, ", \"cx_index\": ");
        json_number(b, cx);
        buf_puts(b, ", \"touchpoints\": [");
        size_t k = 0;
        for (size_t i = 0; i < report_rows(r->scorecard); i++) {
            if (strcmp(report_str(r->scorecard, i, "stage"), stage))
                continue;
            buf_puts(b, k++ ? ", {\"touchpoint\": " : "{\"touchpoint\": ");
            buf_json_string(b, report_str(r->scorecard, i, "touchpoint"));
            buf_puts(b, ", \"cx_index\": ");
            json_number(b, report_num(r->scorecard, i, "cx_index"));
            buf_puts(b, "}");
        }
        buf_puts(b, "]}");
    }
    buf_puts(b, "]");
    key(b, "scorecard", 0);
    json_table(b, r->scorecard);
    key(b, "stages", 0);
    json_table(b, r->stages);
    key(b, "hotspots", 0);
    json_table(b, r->hotspots);
    key(b, "drivers", 0);
    json_table(b, r->drivers);
    key(b, "funnel", 0);
    buf_puts(b, "{\"steps_from\": ");
    buf_json_string(b, r->funnel_default ? "most common converting path" : "--steps");
    buf_puts(b, ", \"steps\": ");
    json_table(b, r->steps);
    buf_puts(b, ", \"dropoffs\": ");
    json_table(b, r->drops);
    buf_puts(b, "}");
    key(b, "flow", 0);
    json_table(b, r->flow);
    key(b, "attribution", 0);
    json_table(b, r->attr);
    key(b, "channels", 0);
    buf_printf(b, "{\"model\": \"markov\", \"order\": %lld, \"rows\": [", (long long)r->order);
    for (size_t i = 0; i < r->nchannels; i++) {
        buf_puts(b, i ? ", {\"channel\": " : "{\"channel\": ");
        buf_json_string(b, r->channels[i]);
        buf_puts(b, ", \"conversions\": ");
        json_number(b, r->channel_conv[i]);
        buf_puts(b, ", \"share\": ");
        json_number(b, r->conversions > 0 ? r->channel_conv[i] / r->conversions : NAN);
        buf_puts(b, "}");
    }
    buf_puts(b, "]}");
    key(b, "trend", 0);
    json_table(b, r->trend);
    key(b, "trend_by_stage", 0);
    buf_puts(b, "{");
    int first = 1;
    for (size_t s = 0; s < r->nstages; s++) {
        if (!r->stage_trend[s])
            continue;
        buf_puts(b, first ? "" : ", ");
        first = 0;
        buf_json_string(b, tp_catalog_stage_name(r->cat, s));
        buf_puts(b, ": ");
        json_table(b, r->stage_trend[s]);
    }
    buf_puts(b, "}\n}\n");
}

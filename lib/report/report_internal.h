/* What the report's builder (report.c) hands to its writers (report_html.c,
 * report_json.c). The report owns everything it renders: it outlives the
 * events, feedback and catalog it was built from. */
#ifndef TP_REPORT_INTERNAL_H
#define TP_REPORT_INTERNAL_H

#include <stdint.h>

#include "core/strbuf.h"
#include "touchpoint/report.h"

enum {
    TP__REPORT_MAX_STAGES = 32,
    TP__FLOW_STEPS = 4,
    TP__FLOW_EDGES_PER_STEP = 8,
    TP__ATTR_ROWS = 12,
    TP__FINDINGS = 4
};

/* Where the funnel's steps came from. */
typedef enum { TP__FUNNEL_GIVEN, TP__FUNNEL_CATALOG, TP__FUNNEL_COMMON_PATH } tp__funnel_from;

/* A touchpoint's id and the name charts give it (its catalog name, or the id). */
typedef struct tp__report_label {
    const char *id, *name; /* strings of r->scorecard */
} tp__report_label;

typedef struct tp__finding {
    char key[32];
    const char *heading; /* static text */
    char *subject;       /* owned; NULL when the finding names nothing */
    double value;        /* NaN when none */
    tp__strbuf text;
} tp__finding;

struct tp_report {
    char *title, *source;
    size_t rejected;
    size_t events, customers, feedback, touchpoints;
    int64_t first, last; /* event time span; first > last when there are no events */
    char **stages;       /* the catalog's stage names, owned */
    size_t nstages;
    tp_table *scorecard, *stage_cards, *hotspots, *drivers, *steps, *drops, *flow, *attr, *markov,
        *rollup;
    tp_table *trend;
    tp_table *targets;  /* tp_targets() */
    tp_table *roadmap;  /* tp_roadmap() of roadmap_map, NULL when the catalog has no map */
    char *roadmap_map;  /* the catalog's first journey map, or NULL */
    tp_table *owners;   /* per owner: touchpoints, pain points, targets missed, responses */
    tp_table *stage_trend[TP__REPORT_MAX_STAGES]; /* NULL for stages outside the filter */
    double overall;                               /* overall CX index (NaN when unknown) */
    tp__funnel_from funnel_from;
    char *funnel_id; /* the catalog funnel's id, when funnel_from says so */
    tp__strbuf funnel_text;
    tp_group credit_by;
    double conversions; /* total credited by Markov */
    int64_t order;      /* Markov order of the attribution */
    int64_t min_responses; /* below it a scorecard metric is flagged (low_sample) */
    char *attr_note;    /* why there is no attribution (a refused Markov solve), or NULL */
    /* With the option breakdown: the attribute, per value its responses,
     * pooled NPS and mean 0-100 value and the touchpoints where it differs
     * from the rest (p < alpha, worse and better), and those differences */
    char *segment_attr;
    double alpha;
    tp_table *segments, *segment_diffs;
    tp__finding findings[TP__FINDINGS];
    tp__report_label *labels; /* one per scorecard row, sorted by id (owned) */
    size_t nlabels;
};

/* What charts call touchpoint @p id: its catalog name, else the id itself (a
 * channel or owner of a rolled-up attribution, a touchpoint without a name). */
const char *tp__report_label_of(const tp_report *r, const char *id);

/* Cell access by column name: missing columns and nulls read as NaN / "". */
size_t tp__report_col(const tp_table *t, const char *name);
double tp__report_num(const tp_table *t, size_t row, const char *name);
const char *tp__report_str(const tp_table *t, size_t row, const char *name);
size_t tp__report_rows(const tp_table *t);
/* Index of stage @p name in r->stages, or r->nstages. */
size_t tp__report_stage(const tp_report *r, const char *name);

/* The writers. They append to @p b; an allocation failure sets b->failed. */
void tp__report_html(const tp_report *r, tp__strbuf *b, int fragment);
void tp__report_json(const tp_report *r, tp__strbuf *b);
/* Chart @p name alone, or -1 when there is no such chart. */
int tp__report_chart(const tp_report *r, const char *name, tp__strbuf *b);

/* The charts, each with the section of the page that shows it, in the order
 * of the page. */
typedef void (*tp__report_writer)(const tp_report *r, tp__strbuf *b);
typedef struct tp__chart_entry {
    const char *name, *doc;
    tp__report_writer draw;                        /* the chart's <svg> */
    const char *section, *title, *intro, *caption; /* intro may be NULL */
    tp__report_writer before, after;               /* around the figure; may be NULL */
    int (*shown)(const tp_report *r);              /* whether the page has the section;
                                                      NULL: always */
} tp__chart_entry;
extern const tp__chart_entry tp__report_charts[];
extern const size_t tp__report_chart_total;

#endif

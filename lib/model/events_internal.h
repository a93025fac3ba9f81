/* Event log internals, shared with the readers and (later) the analyses. */
#ifndef TP_MODEL_EVENTS_INTERNAL_H
#define TP_MODEL_EVENTS_INTERNAL_H

#include "core/intern.h"
#include "core/vec.h"
#include "model/attrs.h"
#include "model/catalog_internal.h"
#include "touchpoint/events.h"

/* Columns: 4 + 4 + 8 + 1 = 17 bytes an event, plus 12 per event with a non-zero
 * value (values are sparse: most events are interactions without one). */
struct tp_events {
    tp_catalog *catalog;
    int owns_catalog;
    tp_unknown_policy policy;
    tp__intern customers;
    tp__vec_u32 customer;
    tp__vec_u32 touchpoint;   /* catalog index */
    tp__vec_i64 time;
    tp__vec_u8 type;
    tp__vec_u32 value_row;    /* rows with a non-zero value, ascending */
    tp__vec_f64 value;
    tp__attrs attrs;
    tp__pending *pending;     /* set while threads read into the store (catalog_internal.h) */
    tp__intern_queue customer_queue; /* a reader's customer ids not yet interned */
};

typedef struct tp__events_mark {
    size_t rows, values;
    tp__intern_mark customers;
    tp__catalog_mark catalog;
    tp__attrs_mark attrs;
} tp__events_mark;

tp__events_mark tp__events_mark_get(const tp_events *e);
void tp__events_rollback(tp_events *e, tp__events_mark m);

/* Room for one more row in every column. Returns 0 or -1. */
int tp__events_reserve_row(tp_events *e);

/* Room for n more rows in the dense columns (a reader's estimate, so columns
 * grow once instead of copying as they grow). Returns 0 or -1. */
int tp__events_reserve(tp_events *e, size_t n);

/* Append a validated row; needs a successful tp__events_reserve_row() first. */
void tp__events_push(tp_events *e, uint32_t customer, uint32_t touchpoint, int64_t time,
                     uint8_t type, double value, const uint32_t *attrs, size_t nattrs);

/* Append w's rows (a worker store on e's catalog): customers re-interned,
 * touchpoints through tp__pending_map(base, map), w's attribute column j into
 * e's column cols[j]. TP_OK, TP_ELIMIT or TP_ENOMEM (roll e back to a mark). */
tp_status tp__events_absorb(tp_events *e, const tp_events *w, uint32_t base,
                            const uint32_t *map, const size_t *cols);

#endif

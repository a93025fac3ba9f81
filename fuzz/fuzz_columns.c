/* Fuzz the column entry points (tp_events_append_columns, or with FZ_FEEDBACK
 * tp_feedback_append_columns), the way a data frame reaches the library. The
 * input is a small tab-separated table: the first line names up to three
 * attribute columns, each later line is a row (the reader's columns in its
 * order - events: customer, time, touchpoint, type, value; feedback:
 * customer, time, touchpoint, metric, score, comment, weight - then the
 * attributes).
 * Invariants:
 *  - a strict append into a store that holds rows adds every row or none, and
 *    a failure is clean and leaves the store as it was;
 *  - a lenient append counts every row as accepted or rejected, and the store
 *    holds exactly the accepted ones;
 *  - the same cells written as CSV (every field quoted) and read by the CSV
 *    reader give the same store: the column checks are the CSV reader's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

#ifdef FZ_FEEDBACK
#define STORE tp_feedback
#define HEADER "customer_id,timestamp,touchpoint,metric,score,comment,weight"
enum { ROLES = 7 };
#else
#define STORE tp_events
#define HEADER "customer_id,timestamp,touchpoint,type,value"
enum { ROLES = 5 };
#endif
enum { MAX_ROWS = 64, MAX_ATTRS = 3, CELLS = ROLES + MAX_ATTRS, NAME_CAP = 32 };

typedef struct frame {
    size_t rows, nattrs;
    char *attr_name[MAX_ATTRS];
    const char *cell[CELLS][MAX_ROWS]; /* column-major, as a frame holds them */
    char *text;                        /* the cells' storage */
} frame;

/* Cut the input into the frame. Bytes that a column of strings cannot hold
 * (NUL) or that a CSV file would read differently by design (CR, which ends
 * a line there) become spaces; attribute names are made of letters so that
 * none is a column of the reader. */
static void parse(frame *f, const uint8_t *data, size_t size)
{
    memset(f, 0, sizeof *f);
    f->text = malloc(size + 1);
    FZ_CHECK(f->text);
    for (size_t i = 0; i < size; i++)
        f->text[i] = data[i] == 0 || data[i] == '\r' ? ' ' : (char)data[i];
    f->text[size] = '\0';
    char *line = f->text, *next;
    size_t n = 0;
    for (; line; line = next, n++) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (n == 0) { /* attribute names: at most MAX_ATTRS, letters only */
            for (char *p = line; p && *p && f->nattrs < MAX_ATTRS;) {
                char *name = malloc(NAME_CAP);
                FZ_CHECK(name);
                snprintf(name, NAME_CAP, "attr_%c", 'a' + (int)((unsigned char)*p % 26));
                f->attr_name[f->nattrs++] = name;
                p = strchr(p, '\t');
                p = p ? p + 1 : NULL;
            }
            continue;
        }
        if (f->rows == MAX_ROWS)
            break;
        char *cell = line;
        for (size_t c = 0; c < ROLES + f->nattrs; c++) {
            f->cell[c][f->rows] = cell ? cell : "";
            char *tab = cell ? strchr(cell, '\t') : NULL;
            if (tab)
                *tab++ = '\0';
            cell = tab;
        }
        f->rows++;
    }
    /* Two attributes of one name are one column twice: make the names distinct. */
    for (size_t a = 1; a < f->nattrs; a++)
        for (size_t b = 0; b < a; b++)
            if (!strcmp(f->attr_name[a], f->attr_name[b])) {
                char letter = f->attr_name[a][5];
                snprintf(f->attr_name[a], NAME_CAP, "attr_%c%zu", letter, a);
            }
}

static void frame_free(frame *f)
{
    for (size_t a = 0; a < f->nattrs; a++)
        free(f->attr_name[a]);
    free(f->text);
}

static tp_status append(STORE *e, const frame *f, tp_on_error mode, tp_read_log *log)
{
    tp_text_column attrs[MAX_ATTRS];
    for (size_t a = 0; a < f->nattrs; a++)
        attrs[a] = (tp_text_column){f->attr_name[a], f->cell[ROLES + a]};
    tp_read_options o = TP_READ_OPTIONS_INIT;
    o.on_error = mode;
#ifdef FZ_FEEDBACK
    tp_feedback_columns c;
    memset(&c, 0, sizeof c);
    c.version = TP_FEEDBACK_COLUMNS_VERSION;
    c.metric = (tp_text_column){"metric", f->cell[3]};
    c.score_text = (tp_text_column){"score", f->cell[4]};
    c.comment = (tp_text_column){"comment", f->cell[5]};
    c.weight_text = (tp_text_column){"weight", f->cell[6]};
#else
    tp_event_columns c;
    memset(&c, 0, sizeof c);
    c.version = TP_EVENT_COLUMNS_VERSION;
    c.type = (tp_text_column){"type", f->cell[3]};
    c.value_text = (tp_text_column){"value", f->cell[4]};
#endif
    c.count = f->rows;
    c.customer = (tp_text_column){"customer_id", f->cell[0]};
    c.time_text = (tp_text_column){"timestamp", f->cell[1]};
    c.touchpoint = (tp_text_column){"touchpoint", f->cell[2]};
    c.nattrs = f->nattrs;
    c.attrs = attrs;
#ifdef FZ_FEEDBACK
    return tp_feedback_append_columns(e, &c, "frame", &o, log);
#else
    return tp_events_append_columns(e, &c, "frame", &o, log);
#endif
}

static char *as_csv(const frame *f)
{
    fz_buf b = {0};
    fz_puts(&b, HEADER);
    for (size_t a = 0; a < f->nattrs; a++)
        fz_put_field(&b, f->attr_name[a], 0);
    fz_puts(&b, "\n");
    for (size_t r = 0; r < f->rows; r++) {
        for (size_t c = 0; c < ROLES + f->nattrs; c++)
            fz_put_field(&b, f->cell[c][r], c == 0);
        fz_puts(&b, "\n");
    }
    return b.p ? b.p : calloc(1, 1);
}

#ifdef FZ_FEEDBACK
#define store_new(out) tp_feedback_new(out, NULL)
#define store_free tp_feedback_free
#define store_count tp_feedback_count
#define store_table tp_feedback_to_table
#define read_csv tp_feedback_read_csv_buffer
#else
#define store_new(out) tp_events_new(out, NULL)
#define store_free tp_events_free
#define store_count tp_events_count
#define store_table tp_events_to_table
#define read_csv tp_events_read_csv_buffer
#endif

static char *fingerprint(const STORE *e)
{
    tp_table *t = NULL;
    FZ_CHECK(store_table(e, &t) == TP_OK);
    return fz_table_text(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    frame f;
    parse(&f, data, size);

    /* strict, into a store that holds rows: all or nothing */
    STORE *e = NULL;
    FZ_CHECK(store_new(&e) == TP_OK);
#ifdef FZ_FEEDBACK
    FZ_CHECK(tp_feedback_append(e, "p1", 1767225600000, "website", "nps", 9, 1, NULL) == TP_OK);
#else
    FZ_CHECK(tp_events_append(e, "p1", "website", 1767225600000, TP_EVENT_INTERACTION, 0) ==
             TP_OK);
#endif
    char *before = fingerprint(e);
    tp_status st = append(e, &f, TP_ON_ERROR_STOP, NULL);
    if (st == TP_OK) {
        FZ_CHECK(store_count(e) == 1 + f.rows);
    } else {
        FZ_CHECK(fz_input_error(st));
        fz_check_error(st);
        char *after = fingerprint(e);
        FZ_CHECK(!strcmp(before, after));
        free(after);
    }
    free(before);
    store_free(e);

    /* lenient, into an empty store: every row accepted or rejected */
    STORE *cols = NULL, *csv = NULL;
    tp_read_log *log = NULL, *csv_log = NULL;
    FZ_CHECK(store_new(&cols) == TP_OK && tp_read_log_new(&log) == TP_OK);
    tp_status lenient = append(cols, &f, TP_ON_ERROR_SKIP, log);
    fz_check_report(log, lenient);
    if (lenient == TP_OK) {
        FZ_CHECK(tp_read_log_rows_read(log) == f.rows);
        FZ_CHECK(store_count(cols) == tp_read_log_rows_accepted(log));
        if (st == TP_OK)
            FZ_CHECK(tp_read_log_rows_accepted(log) == f.rows);
    } else {
        FZ_CHECK(fz_input_error(lenient));
        FZ_CHECK(store_count(cols) == 0);
    }

    /* the CSV reader on the same cells agrees */
    char *text = as_csv(&f);
    FZ_CHECK(store_new(&csv) == TP_OK && tp_read_log_new(&csv_log) == TP_OK);
    tp_read_options o = TP_READ_OPTIONS_INIT;
    tp_status from_csv = read_csv(csv, text, strlen(text), "frame.csv", &o, csv_log);
    if (lenient == TP_OK && from_csv == TP_OK) {
        char *a = fingerprint(cols), *b = fingerprint(csv);
        if (strcmp(a, b) ||
            tp_read_log_rows_accepted(log) != tp_read_log_rows_accepted(csv_log))
            fprintf(stderr, "columns:\n%s\nCSV:\n%s\ninput as CSV:\n%s\n", a, b, text);
        FZ_CHECK(tp_read_log_rows_accepted(log) == tp_read_log_rows_accepted(csv_log));
        FZ_CHECK(!strcmp(a, b));
        free(a);
        free(b);
    }
    free(text);
    tp_read_log_free(csv_log);
    tp_read_log_free(log);
    store_free(csv);
    store_free(cols);
    frame_free(&f);
    return 0;
}

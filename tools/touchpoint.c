/* touchpoint: the command-line tool. Built on the public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "touchpoint.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 64, EXIT_REJECTS = 2 };

typedef struct options {
    const char *catalog;
    const char *events[16];
    size_t nevents;
    const char *feedback[16];
    size_t nfeedback;
    const char *output;
    tp_format format;
    int strict;
    int reject_unknown;
    int quiet;
} options;

static void usage(FILE *f)
{
    fputs("usage: touchpoint COMMAND [OPTIONS]\n"
          "\n"
          "Commands:\n"
          "  validate   read events and feedback, print counts and every rejected row\n"
          "  catalog    print or export the touchpoint catalog\n"
          "  version    print the library version\n"
          "\n"
          "Options:\n"
          "  --catalog FILE     catalog JSON (default: the built-in default catalog)\n"
          "  --events FILE      events CSV, or JSON Lines if it ends in .jsonl/.ndjson (repeatable)\n"
          "  --feedback FILE    feedback CSV (repeatable)\n"
          "  --format FMT       table (default), csv or json\n"
          "  -o, --output FILE  write the result to FILE instead of standard output\n"
          "  --strict           stop at the first bad row (default: skip and report it)\n"
          "  --reject-unknown   reject touchpoints missing from the catalog (default: add them)\n"
          "  -q, --quiet        print only errors\n"
          "\n"
          "With no --events and no --feedback, validate and catalog use the bundled sample\n"
          "data set (a retail brand: 5,000 customers over six months).\n"
          "\n"
          "Exit status: 0 success; 1 error; 2 validate skipped bad rows; 64 usage error.\n",
          f);
}

static int fail(const char *what)
{
    fprintf(stderr, "touchpoint: %s%s%s\n", what ? what : "", what ? ": " : "", tp_last_error());
    return EXIT_FAIL;
}

static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->format = TP_FORMAT_TEXT;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = !strcmp(a, "--catalog") || !strcmp(a, "--events") ||
                    !strcmp(a, "--feedback") || !strcmp(a, "--format") || !strcmp(a, "-o") ||
                    !strcmp(a, "--output");
        if (takes && !next) {
            fprintf(stderr, "touchpoint: %s needs a value\n", a);
            return -1;
        }
        if (!strcmp(a, "--catalog")) {
            o->catalog = next;
        } else if (!strcmp(a, "--events")) {
            if (o->nevents == 16) {
                fputs("touchpoint: at most 16 --events files\n", stderr);
                return -1;
            }
            o->events[o->nevents++] = next;
        } else if (!strcmp(a, "--feedback")) {
            if (o->nfeedback == 16) {
                fputs("touchpoint: at most 16 --feedback files\n", stderr);
                return -1;
            }
            o->feedback[o->nfeedback++] = next;
        } else if (!strcmp(a, "--format")) {
            if (tp_format_parse(next, &o->format) != TP_OK) {
                fprintf(stderr, "touchpoint: %s\n", tp_last_error());
                return -1;
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            o->output = next;
        } else if (!strcmp(a, "--strict")) {
            o->strict = 1;
            continue;
        } else if (!strcmp(a, "--reject-unknown")) {
            o->reject_unknown = 1;
            continue;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
            continue;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(EXIT_OK);
        } else {
            fprintf(stderr, "touchpoint: unknown option '%s'\n", a);
            return -1;
        }
        i++;
    }
    return 0;
}

/* Join an embedded sample file's chunks into one buffer (caller frees). */
static char *sample_text(const char *const *chunks, size_t len)
{
    char *buf = malloc(len + 1);
    if (!buf)
        return NULL;
    size_t off = 0;
    for (size_t i = 0; chunks[i]; i++) {
        size_t n = strlen(chunks[i]);
        memcpy(buf + off, chunks[i], n);
        off += n;
    }
    buf[off] = '\0';
    return buf;
}

static int use_sample(const options *o) { return o->nevents == 0 && o->nfeedback == 0; }

static tp_status load_catalog(const options *o, tp_catalog **out)
{
    if (o->catalog)
        return tp_catalog_load_json(out, o->catalog);
    if (!use_sample(o))
        return tp_catalog_new_default(out);
    char *text = sample_text(tp_sample_catalog, tp_sample_catalog_len);
    if (!text)
        return TP_ENOMEM;
    tp_status st = tp_catalog_parse_json(out, text, tp_sample_catalog_len, "sample/catalog.json");
    free(text);
    return st;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Emit a table to the output (or stdout). */
static int emit(const options *o, const tp_table *t, FILE *f)
{
    char *text;
    size_t len;
    if (tp_table_format(t, o->format, &text, &len) != TP_OK)
        return fail("format");
    fwrite(text, 1, len, f);
    tp_free(text);
    return 0;
}

static int write_result(const options *o, const tp_table *t)
{
    if (o->output) {
        if (tp_table_write(t, o->format, o->output) != TP_OK)
            return fail("write");
        return EXIT_OK;
    }
    return emit(o, t, stdout) ? EXIT_FAIL : EXIT_OK;
}

static int cmd_catalog(const options *o)
{
    tp_catalog *c;
    if (load_catalog(o, &c) != TP_OK)
        return fail("catalog");
    int rc;
    if (o->format == TP_FORMAT_JSON) {
        /* JSON output is the catalog document itself, which --catalog reads back. */
        if (o->output) {
            rc = tp_catalog_save_json(c, o->output) == TP_OK ? EXIT_OK : fail("write");
        } else {
            char *text;
            size_t len;
            rc = tp_catalog_to_json(c, &text, &len) == TP_OK ? EXIT_OK : fail("catalog");
            if (rc == EXIT_OK) {
                fwrite(text, 1, len, stdout);
                tp_free(text);
            }
        }
    } else {
        tp_table *t;
        rc = tp_catalog_to_table(c, &t) == TP_OK ? write_result(o, t) : fail("catalog");
        tp_table_free(t);
    }
    tp_catalog_free(c);
    return rc;
}

/* Summary table: one row per input. */
static tp_status summary_add(tp_table *t, const char *input, const char *kind,
                             const tp_report *r, uint64_t read0, uint64_t acc0, uint64_t rej0,
                             uint64_t bytes0)
{
    size_t row;
    tp_status st = tp_table_append_row(t, &row);
    if (st == TP_OK)
        st = tp_table_set_string(t, row, 0, input);
    if (st == TP_OK)
        st = tp_table_set_string(t, row, 1, kind);
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 2, (int64_t)(tp_report_rows_read(r) - read0));
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 3, (int64_t)(tp_report_rows_accepted(r) - acc0));
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 4, (int64_t)(tp_report_rows_rejected(r) - rej0));
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 5, (int64_t)(tp_report_bytes_read(r) - bytes0));
    return st;
}

static int cmd_validate(const options *o)
{
    tp_catalog *c = NULL;
    tp_events *ev = NULL;
    tp_feedback *fb = NULL;
    tp_report *rep = NULL;
    tp_table *summary = NULL, *issues = NULL;
    char *text = NULL;
    int rc = EXIT_FAIL;
    tp_read_options ro;
    tp_read_options_init(&ro);
    ro.on_error = o->strict ? TP_ON_ERROR_STOP : TP_ON_ERROR_SKIP;
    tp_unknown_policy pol = o->reject_unknown ? TP_UNKNOWN_REJECT : TP_UNKNOWN_REGISTER;

    if (load_catalog(o, &c) != TP_OK) {
        fail("catalog");
        goto out;
    }
    if (tp_events_new(&ev, c) != TP_OK || tp_feedback_new(&fb, c) != TP_OK ||
        tp_report_new(&rep) != TP_OK || tp_table_new(&summary) != TP_OK ||
        tp_events_set_unknown_policy(ev, pol) != TP_OK ||
        tp_feedback_set_unknown_policy(fb, pol) != TP_OK) {
        fail(NULL);
        goto out;
    }
    static const char *const cols[] = {"input", "kind", "rows", "accepted", "rejected", "bytes"};
    for (size_t k = 0; k < 6; k++)
        if (tp_table_add_column(summary, cols[k], k < 2 ? TP_TYPE_STRING : TP_TYPE_INT64, NULL) !=
            TP_OK) {
            fail(NULL);
            goto out;
        }

    size_t n = use_sample(o) ? 2 : o->nevents + o->nfeedback;
    for (size_t i = 0; i < n; i++) {
        int is_events = use_sample(o) ? i == 0 : i < o->nevents;
        const char *path = use_sample(o) ? (is_events ? "sample/events.csv" : "sample/feedback.csv")
                           : is_events   ? o->events[i]
                                         : o->feedback[i - o->nevents];
        uint64_t r0 = tp_report_rows_read(rep), a0 = tp_report_rows_accepted(rep),
                 j0 = tp_report_rows_rejected(rep), b0 = tp_report_bytes_read(rep);
        tp_status st;
        if (use_sample(o)) {
            size_t len = is_events ? tp_sample_events_len : tp_sample_feedback_len;
            text = sample_text(is_events ? tp_sample_events : tp_sample_feedback, len);
            if (!text) {
                fputs("touchpoint: out of memory\n", stderr);
                goto out;
            }
            st = is_events ? tp_events_read_csv_buffer(ev, text, len, path, &ro, rep)
                           : tp_feedback_read_csv_buffer(fb, text, len, path, &ro, rep);
            free(text);
            text = NULL;
        } else if (is_events && (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))) {
            st = tp_events_read_jsonl(ev, path, &ro, rep);
        } else if (is_events) {
            st = tp_events_read_csv(ev, path, &ro, rep);
        } else {
            st = tp_feedback_read_csv(fb, path, &ro, rep);
        }
        if (st != TP_OK) {
            fail(NULL);
            goto out;
        }
        if (summary_add(summary, path, is_events ? "events" : "feedback", rep, r0, a0, j0, b0) !=
            TP_OK) {
            fail(NULL);
            goto out;
        }
    }
    if (tp_report_to_table(rep, &issues) != TP_OK) {
        fail(NULL);
        goto out;
    }
    if (!o->quiet || o->output) {
        FILE *f = stdout;
        if (o->output && !(f = fopen(o->output, "w"))) {
            perror(o->output);
            goto out;
        }
        if (o->format == TP_FORMAT_JSON) {
            char *a, *b;
            if (tp_table_format(summary, TP_FORMAT_JSON, &a, NULL) != TP_OK ||
                tp_table_format(issues, TP_FORMAT_JSON, &b, NULL) != TP_OK) {
                fail(NULL);
                goto out;
            }
            fprintf(f, "{\"inputs\": %s, \"customers\": %zu, \"touchpoints\": %zu, \"issues\": %s}\n",
                    a, tp_events_customer_count(ev), tp_catalog_touchpoint_count(c), b);
            tp_free(a);
            tp_free(b);
        } else {
            emit(o, summary, f);
            if (o->format == TP_FORMAT_TEXT) {
                fprintf(f, "\n%zu events from %zu customers, %zu feedback responses, %zu "
                           "touchpoints in the catalog\n",
                        tp_events_count(ev), tp_events_customer_count(ev), tp_feedback_count(fb),
                        tp_catalog_touchpoint_count(c));
                if (tp_table_row_count(issues))
                    fprintf(f, "\nRejected rows (%llu; the first %zu listed):\n",
                            (unsigned long long)tp_report_rows_rejected(rep),
                            tp_table_row_count(issues));
            }
            if (tp_table_row_count(issues) || o->format != TP_FORMAT_TEXT) {
                if (o->format == TP_FORMAT_CSV)
                    fputc('\n', f);
                emit(o, issues, f);
            }
        }
        if (f != stdout && fclose(f) != 0) {
            perror(o->output);
            goto out;
        }
    }
    rc = tp_report_rows_rejected(rep) ? EXIT_REJECTS : EXIT_OK;
out:
    free(text);
    tp_table_free(summary);
    tp_table_free(issues);
    tp_report_free(rep);
    tp_feedback_free(fb);
    tp_events_free(ev);
    tp_catalog_free(c);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("touchpoint %s (library %s)\n", TP_VERSION_STRING, tp_version_string());
        return EXIT_OK;
    }
    options o;
    if (parse_args(argc, argv, &o) != 0)
        return EXIT_USAGE;
    if (!strcmp(cmd, "validate"))
        return cmd_validate(&o);
    if (!strcmp(cmd, "catalog"))
        return cmd_catalog(&o);
    fprintf(stderr, "touchpoint: unknown command '%s' (try touchpoint --help)\n", cmd);
    return EXIT_USAGE;
}

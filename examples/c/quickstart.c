/* Read events and feedback against the default catalog, print the ingest
 * report, then the hot spots: touchpoints significantly worse (pain) or better
 * (bright) than the rest, ranked by impact.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs touchpoint) -o quickstart
 *   ./quickstart events.csv feedback.csv
 */
#include <stdio.h>
#include <touchpoint.h>

static int die(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, tp_last_error());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s EVENTS.csv FEEDBACK.csv\n", argv[0]);
        return 2;
    }
    tp_catalog *catalog = NULL;
    tp_events *events = NULL;
    tp_feedback *feedback = NULL;
    tp_read_log *report = NULL;
    int rc = 1;

    if (tp_catalog_new_default(&catalog) != TP_OK || tp_events_new(&events, catalog) != TP_OK ||
        tp_feedback_new(&feedback, catalog) != TP_OK || tp_read_log_new(&report) != TP_OK) {
        rc = die("setup");
        goto out;
    }
    /* Lenient (the default): bad rows are skipped and listed in the report. */
    if (tp_events_read_csv(events, argv[1], NULL, report) != TP_OK ||
        tp_feedback_read_csv(feedback, argv[2], NULL, report) != TP_OK) {
        rc = die("read");
        goto out;
    }
    printf("%zu events from %zu customers, %zu responses; %llu rows rejected\n",
           tp_events_count(events), tp_events_customer_count(events),
           tp_feedback_count(feedback), (unsigned long long)tp_read_log_rows_rejected(report));
    for (size_t i = 0; i < tp_read_log_issue_count(report); i++)
        printf("  %s:%llu:%llu: %s\n", tp_read_log_issue_file(report, i),
               (unsigned long long)tp_read_log_issue_line(report, i),
               (unsigned long long)tp_read_log_issue_column(report, i),
               tp_read_log_issue_reason(report, i));

    tp_table *table = NULL;
    char *text = NULL;
    tp_options *options = NULL;
    /* Options are optional (NULL means the defaults); here a stricter test. */
    if (tp_options_new(&options) != TP_OK ||
        tp_options_set_double(options, TP_OPT_ALPHA, 0.01) != TP_OK ||
        tp_hotspots(events, feedback, NULL, options, &table) != TP_OK ||
        tp_table_format(table, TP_FORMAT_TEXT, &text, NULL) != TP_OK) {
        tp_options_free(options);
        tp_table_free(table);
        rc = die("hotspots");
        goto out;
    }
    tp_options_free(options);
    fputs(text, stdout);
    tp_free(text);
    tp_table_free(table);
    rc = 0;
out:
    tp_read_log_free(report);
    tp_feedback_free(feedback);
    tp_events_free(events);
    tp_catalog_free(catalog);
    return rc;
}

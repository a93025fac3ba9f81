/* touchpoint: the command-line tool. Built on the public API only. */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"
#include "sample.h"
#include "touchpoint.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 64, EXIT_REJECTS = 2 };

typedef struct options {
    const char *cmd;
    const char *catalog;
    const char *events[16];
    size_t nevents;
    const char *feedback[16];
    size_t nfeedback;
    const char *output;
    tp_format format;
    int strict;
    unsigned redact;      /* --redact: tp_redact bits for feedback comments */
    uint64_t max_input;   /* --max-input-bytes: 0 for the library's default */
    char columns[1024];   /* --column COLUMN=NAME ...: the files' names of the readers' columns */
    int reject_unknown;
    int quiet;
    int progress;         /* --progress: show read progress even when not a terminal */
    /* analyses */
    tp_filter *filter;
    tp_options *opts;
    const char *lexicon;
    const char *file;     /* sentiment: one text per line */
    const char **texts;   /* sentiment: texts on the command line */
    size_t ntexts;
    const char *view;     /* paths: variants, transitions, flow, times, next */
    int dot;              /* paths: Graphviz output */
    tp_funnel *funnel;    /* report: its funnel, from --steps, --window, --mode, --exclude */
    int dropoffs;         /* funnel: list where dropped customers went */
    int per_journey;      /* conform: one row per journey */
    const char *paths;    /* attribute: path-aggregate CSV */
    const char *separator;
    int chain;            /* attribute: print the Markov chain */
    int long_form;        /* attribute: model, touchpoint, conversions, value, ... */
    tp_report_form form;  /* report: --format html (the default), fragment, json, text */
    const char *credit_by; /* report: --credit-by, the attribution roll-up */
    const char *title;    /* report: page title */
    const char *table;    /* --table NAME: which table of the analysis to print */
    const tp_option_info *set[64]; /* the options given by their flags, to refuse those
                                      the analysis does not read */
    size_t nset;
    int help;             /* --help: the command's analysis as such (attribute, not the
                             comparison it runs without --model) */
    /* The analysis's parameters (--steps, --by, --map, ...), as the library takes them. */
    const char *params[64][2];
    size_t nparams;
    /* Whether any filter flag was given (--from, --to, --segment, --stage, ...). */
    int filtered;
} options;

/* The analysis options, as the library describes them (tp_option_at). */
static void options_help(FILE *f)
{
    fputs("Options of the analyses (each also as --option NAME=VALUE; --top is --top-terms\n"
          "for sentiment; --all is --all-hotspots):\n", f);
    for (size_t i = 0; i < tp_option_count(); i++) {
        const tp_option_info *info = tp_option_at(i);
        char flag[80], value[80] = "";
        size_t k = 0;
        for (const char *p = info->name; *p && k + 1 < sizeof flag; p++)
            flag[k++] = *p == '_' ? '-' : *p;
        flag[k] = '\0';
        if (info->type == TP_VALUE_CHOICE) {
            for (size_t c = 0; info->choices[c]; c++) {
                strncat(value, c ? "|" : "", sizeof value - strlen(value) - 1);
                strncat(value, info->choices[c], sizeof value - strlen(value) - 1);
            }
        } else if (info->type != TP_VALUE_FLAG) {
            snprintf(value, sizeof value, "%s", info->type == TP_VALUE_DURATION ? "D"
                                                : info->type == TP_VALUE_INTEGER ? "N" : "X");
        }
        fprintf(f, "  --%s%s%s\n      %s", flag, *value ? " " : "", value, info->doc);
        if (info->type == TP_VALUE_FLAG)
            fputs("\n", f);
        else
            fprintf(f, " (default %s)\n", info->fallback);
    }
}

/* "next_touchpoints" -> "next-touchpoints": a name as a command or flag. */
static void flag_of(const char *name, char *out, size_t size)
{
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < size; p++)
        out[k++] = *p == '_' ? '-' : *p;
    out[k] = '\0';
}

static void usage(FILE *f)
{
    fputs("usage: touchpoint COMMAND [OPTIONS]\n"
          "\n"
          "Commands:\n"
          "  validate   read events and feedback, print counts and every rejected row\n"
          "  catalog    print or export the touchpoint catalog\n"
          "  scorecard  metrics with intervals and the CX index per touchpoint (--by GROUP\n"
          "             rolls up by stage, channel, owner or parent)\n"
          "  hotspots   pain points and bright spots, ranked by impact\n"
          "  drivers    key drivers: importance vs performance per touchpoint\n"
          "  trend      metrics per day, week or month with significant changes\n"
          "  sentiment  score TEXT... or --file FILE (one text per line); with neither,\n"
          "             the most frequent sentiment words per touchpoint in the feedback\n"
          "  journeys   one row per customer journey (split at conversion, exit, --timeout)\n"
          "  paths      top journey variants; --view transitions|flow|times, --after T,\n"
          "             --dot for Graphviz\n"
          "  funnel     --steps a,b?,c<2d: customers per step, drop-off, time between steps\n"
          "  conform    --map ID: fitness and deviations against a designed journey map\n"
          "  attribute  --model first|last|linear|time-decay|position|markov|shapley|\n"
          "             shapley-simplified|all over the journeys, or --paths FILE\n"
          "  report     every analysis in one self-contained HTML page with charts (or\n"
          "             --format fragment, json, text); prints the top findings\n"
          "  version    print the library version\n"
          "\n"
          "Every analysis is also a command by its name (COMMAND --help describes it):\n",
          f);
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_analysis_info *a = tp_analysis_at(i);
        char flag[64];
        flag_of(a->name, flag, sizeof flag);
        fprintf(f, "  %-20s %s\n", flag, a->doc);
    }
    fputs("\n"
          "Options:\n"
          "  --catalog FILE     catalog JSON (default: the built-in default catalog)\n"
          "  --events FILE      events CSV, or JSON Lines if it ends in .jsonl/.ndjson (repeatable)\n"
          "  --feedback FILE    feedback CSV (repeatable)\n"
          "  --format FMT       table (default: long text goes on over more lines), wide\n"
          "                     (a row a line), csv or json\n"
          "  --wide             --format wide\n"
          "  -o, --output FILE  write the result to FILE instead of standard output\n"
          "  --strict           stop at the first bad row (default: skip and report it)\n"
          "  --reject-unknown   reject touchpoints missing from the catalog (default: add them)\n"
          "  --redact WHAT      remove personal data from feedback comments as they are read:\n"
          "                     none, email, phone or all (comma-separated)\n"
          "  --column COL=NAME  the files' name of a column (repeatable):\n"
          "                     --column customer_id=user_pseudo_id --column timestamp=event_time\n"
          "  --max-input-bytes N  read at most N bytes from one input (K, M, G, T suffixes;\n"
          "                     default 4G); a larger file or stream is refused\n"
          "  -q, --quiet        print only errors\n"
          "  --progress         show read progress on standard error even when it is not a\n"
          "                     terminal (on a terminal it shows for reads over half a second)\n"
          "\n"
          "Filters (every analysis):\n"
          "  --from TIME, --to TIME   time window from TIME up to (not at) TIME; a date\n"
          "                     alone as --to includes that day; ISO 8601 or epoch seconds\n"
          "  --segment A=V, A!=V      customer attribute condition (repeatable)\n"
          "  --stage S, --channel C, --touchpoint T, --owner TEAM\n"
          "                           restrict touchpoints (repeatable)\n"
          "\n",
          f);
    fputs("Analysis options:\n"
          "  --weights W        CX index weights, e.g. nps=2,csat=1,ces=1,rating=1,sentiment=1,audit=1\n"
          "  --knockout ITEM    audit item that zeroes a visit when failed (repeatable)\n"
          "  --by GROUP         scorecard roll-up: stage, channel, owner or parent\n"
          "  --view V           paths: variants (default), transitions, flow (Sankey edges),\n"
          "                     times (time to convert), next (with --after T)\n"
          "  --after T          paths: what customers did right after touchpoint T\n"
          "  --dot              paths: Graphviz DOT of the flow or the transitions\n"
          "  --steps S          funnel: comma-separated steps; T? optional, T<2d step window\n"
          "  --window D         funnel: conversion window from the first step\n"
          "  --strict-order     funnel: no other funnel step between two steps\n"
          "  --exclude T        funnel: touchpoint that breaks a funnel in progress (repeatable)\n"
          "  --dropoffs         funnel: where the dropped customers went next\n"
          "  --map ID           conform: journey map of the catalog\n"
          "  --per-journey      conform: one row per journey\n"
          "  --model M          attribute: a model or all (default all: side by side)\n"
          "  --paths FILE       attribute: path aggregates path,conversions,value,nulls\n"
          "  --separator S      attribute: separator of touchpoints in paths (default \" > \")\n"
          "  --chain            attribute: print the Markov chain (P(conversion) on stderr)\n"
          "  --long             attribute: model, touchpoint, conversions, value rows\n"
          "  --steps S          report: funnel steps (default: the catalog's first funnel, else\n"
          "                     the most common converting path)\n"
          "  --title T          report: page title\n"
          "  --credit-by G      report: attribution rolled up by stage, channel (default),\n"
          "                     owner or parent\n"
          "  -o FILE            report: output (default touchpoint-report.html, .json, .txt; -\n"
          "                     for standard output)\n"
          "  --lexicon FILE     sentiment lexicon to add to the built-in one\n"
          "  --option NAME=VAL  any analysis option by name, as listed below\n"
          "\n",
          f);
    options_help(f);
    fputs("\n"
          "With no --events and no --feedback, every command uses the bundled sample\n"
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


static int bad(const char *opt)
{
    fprintf(stderr, "touchpoint: %s: %s\n", opt, tp_last_error());
    return -1;
}

/* A byte count: digits with an optional binary suffix (K, M, G, T; KiB ... too). */
static int parse_size(const char *opt, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    int shift = 0;
    if (*end) {
        static const char units[] = "KMGT";
        const char *u = strchr(units, toupper((unsigned char)*end));
        if (u && *u)
            shift = 10 * (int)(u - units + 1);
        if (u && *u && (!end[1] || !strcasecmp(end + 1, "B") || !strcasecmp(end + 1, "iB")))
            end = "";
    }
    if (!isdigit((unsigned char)text[0]) || *end || errno || n == 0 ||
        (shift && n > (UINT64_MAX >> shift))) {
        fprintf(stderr, "touchpoint: %s: '%s' is not a byte count above 0 (like 500M or 8G)\n",
                opt, text);
        return -1;
    }
    *out = (uint64_t)n << shift;
    return 0;
}

/* A time of --from (the start of the window) or --to (its end: a date alone
 * includes its day). */
static int parse_time(const char *opt, const char *text, int64_t *out)
{
    tp_status st = strcmp(opt, "--to") ? tp_time_read(text, TP_EPOCH_SECONDS, out)
                                       : tp_time_read_end(text, TP_EPOCH_SECONDS, out);
    return st == TP_OK ? 0 : bad(opt);
}

/* An analysis option given by its own flag: --min-responses -> min_responses. */
static int set_option(options *o, const char *name, const char *value, const char *flag)
{
    if (tp_options_set(o->opts, name, value) != TP_OK) {
        /* "option timeout: '30days' is not ..." under --timeout says the
         * option once: "--timeout: '30days' is not ...". */
        const char *why = tp_last_error();
        size_t n = strlen(name);
        if (strcmp(flag, "--option") && !strncmp(why, "option ", 7) && !strncmp(why + 7, name, n) &&
            (why[7 + n] == ':' || why[7 + n] == ' ')) {
            why += 7 + n + (why[7 + n] == ':');
            fprintf(stderr, "touchpoint: %s:%s\n", flag, why);
            return -1;
        }
        return bad(flag);
    }
    const tp_option_info *info = strcmp(flag, "--option") ? tp_option_lookup(name) : NULL;
    if (info && o->nset < sizeof o->set / sizeof o->set[0])
        o->set[o->nset++] = info;
    return 0;
}

/* "--min-responses" -> "min_responses" in @p name; 0 when @p flag is not "--x". */
static int flag_name(const char *flag, char *name, size_t size)
{
    size_t k = 0;
    if (strncmp(flag, "--", 2) || !flag[2])
        return 0;
    for (const char *p = flag + 2; *p; p++) {
        if (k + 1 >= size)
            return 0;
        name[k++] = *p == '-' ? '_' : *p;
    }
    name[k] = '\0';
    return 1;
}

/* The library option a flag names (--self-loops: self_loops), or NULL. "--all"
 * is short for --all-hotspots. */
static const tp_option_info *flag_option(const char *flag, char *name, size_t size)
{
    if (!strcmp(flag, "--all"))
        flag = "--all-hotspots";
    if (!flag_name(flag, name, size))
        return NULL;
    const tp_option_info *info = tp_option_lookup(name);
    return info;
}

/* The filter key a flag names (--stage: stage), or NULL; since and until are
 * --from and --to here. */
static const char *flag_filter_key(const char *flag, char *name, size_t size)
{
    if (!flag_name(flag, name, size))
        return NULL;
    for (size_t i = 0; i < tp_filter_key_count(); i++)
        if (!strcmp(name, tp_filter_key_name(i)) && strcmp(name, "since") && strcmp(name, "until"))
            return tp_filter_key_name(i);
    return NULL;
}

/* The parameter of an analysis a flag names (--steps: steps), or NULL; the
 * library checks that the command's analysis takes it. */
static const char *flag_param(const char *flag)
{
    char name[64];
    if (!flag_name(flag, name, sizeof name))
        return NULL;
    for (size_t i = 0; i < tp_analysis_count(); i++) {
        const tp_param_info *p = tp_analysis_param(tp_analysis_at(i), name);
        if (p)
            return p->name;
    }
    return NULL;
}

static int add_param(options *o, const char *name, const char *value)
{
    if (o->nparams == sizeof o->params / sizeof o->params[0]) {
        fputs("touchpoint: at most 64 analysis parameters\n", stderr);
        return -1;
    }
    o->params[o->nparams][0] = name;
    o->params[o->nparams++][1] = value;
    return 0;
}

static int has_param(const options *o, const char *name)
{
    for (size_t i = 0; i < o->nparams; i++)
        if (!strcmp(o->params[i][0], name))
            return 1;
    return 0;
}

/* The analysis of the registry a command runs: its own name ("-" for "_"), or
 * for the grouped commands the one their flags choose. */
static const char *analysis_of(const options *o)
{
    static char name[64];
    const char *c = o->cmd;
    if (!strcmp(c, "sentiment"))
        return "sentiment_terms";
    if (!strcmp(c, "conform"))
        return "conformance";
    if (!strcmp(c, "attribute")) /* --model M (all: every model, one table); without it,
                                    every model side by side */
        return o->chain ? "markov_chain"
               : o->long_form || has_param(o, "model") || o->help ? "attribute"
                                                                   : "attribution_compare";
    if (!strcmp(c, "paths")) {
        const char *v = has_param(o, "after") ? "next" : o->view ? o->view
                                                 : o->dot ? "flow" : "variants";
        return !strcmp(v, "times") ? "conversion_times" : !strcmp(v, "next") ? "next_touchpoints"
                                                                             : v;
    }
    size_t k = 0;
    for (; c[k] && k + 1 < sizeof name; k++)
        name[k] = c[k] == '-' ? '_' : c[k];
    name[k] = '\0';
    return name;
}

/* touchpoint COMMAND --help: what the registry says of the command's analysis. */
static void command_help(const options *o, const tp_analysis_info *a, FILE *f)
{
    char flag[64];
    fprintf(f, "usage: touchpoint %s [OPTIONS]\n\n%s: %s.\n", o->cmd, a->name, a->doc);
    fprintf(f, "\nInputs: %s%s%s (default: the bundled sample data set)\n",
            a->takes & TP_INPUT_EVENTS ? "--events FILE" : "",
            a->takes & TP_INPUT_FEEDBACK ? (a->takes & TP_INPUT_EVENTS ? ", --feedback FILE"
                                                                       : "--feedback FILE")
                                         : "",
            a->takes & TP_INPUT_PATHS ? ", or --paths FILE (path aggregates)" : "");
    if (a->param_count)
        fputs("\nParameters:\n", f);
    for (size_t i = 0; i < a->param_count; i++) {
        const tp_param_info *p = &a->params[i];
        flag_of(p->name, flag, sizeof flag);
        fprintf(f, "  --%s %s%s\n      %s", flag,
                p->type == TP_VALUE_DURATION ? "D" : p->type == TP_VALUE_CHOICE ? "WORD" : "TEXT",
                p->flags & TP_PARAM_LIST ? " (repeatable)" : "", p->doc);
        for (size_t c = 0; p->choices && p->choices[c]; c++)
            fprintf(f, "%s%s", c ? ", " : "; one of ", p->choices[c]);
        if (p->flags & TP_PARAM_REQUIRED)
            fputs(" (required)", f);
        else if (p->fallback)
            fprintf(f, " (default %s)", p->fallback);
        fputc('\n', f);
    }
    if (a->option_count)
        fputs("\nOptions it reads:\n", f);
    for (size_t i = 0; i < a->option_count; i++)
        for (size_t k = 0; k < tp_option_count(); k++) {
            const tp_option_info *info = tp_option_at(k);
            if (info->key != a->options[i])
                continue;
            flag_of(info->name, flag, sizeof flag);
            fprintf(f, "  --%s%s\n      %s", flag, info->type == TP_VALUE_FLAG ? "" : " VALUE",
                    info->doc);
            if (info->type != TP_VALUE_FLAG)
                fprintf(f, " (default %s)", info->fallback);
            fputc('\n', f);
        }
    if (a->filtered)
        fputs("\nFilters: --from TIME, --to TIME, --segment A=V, --stage S, --channel C,\n"
              "  --touchpoint T, --owner TEAM\n", f);
    if (!strcmp(o->cmd, "attribute"))
        fputs("\nWithout --model: every model side by side (attribution-compare); --chain:\n"
              "the Markov chain (markov-chain); --paths FILE: path aggregates\n"
              "path,conversions,value,nulls instead of events (--separator S).\n", f);
    fputs("\nTables (--table NAME; the first by default):\n", f);
    for (size_t i = 0; i < a->output_count; i++) {
        fprintf(f, "  %s: %s\n      columns", a->outputs[i].name, a->outputs[i].doc);
        for (size_t c = 0; a->outputs[i].columns[c]; c++)
            fprintf(f, "%s%s", c ? ", " : " ", a->outputs[i].columns[c]);
        fputs(", ...\n", f);
    }
}

static int parse_args(int argc, char **argv, options *o)
{
    /* The tool's own flags that take a value; every option of the library is a
     * flag too (--min-responses 50), read from its registry (tp_option_lookup). */
    static const char *const with_value[] = {
        "--catalog", "--events", "--feedback", "--format", "-o",        "--output",
        "--from",    "--to",     "--weights",  "--knockout", "--lexicon", "--file",
        "--option",  "--view",   "--paths",  "--separator", "--redact",  "--title",
        "--table",   "--credit-by", "--max-input-bytes", "--column"};
    int64_t from = INT64_MIN, to = INT64_MAX;
    const char *from_text = NULL, *to_text = NULL;
    o->format = TP_FORMAT_TEXT;
    o->texts = calloc((size_t)argc, sizeof *o->texts);
    if (!o->texts || tp_filter_new(&o->filter) != TP_OK || tp_options_new(&o->opts) != TP_OK ||
        tp_funnel_new(&o->funnel) != TP_OK) {
        fputs("touchpoint: out of memory\n", stderr);
        return -1;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 0;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            takes |= !strcmp(a, with_value[k]);
        char name[64];
        const tp_option_info *info = flag_option(a, name, sizeof name);
        int filter_key = flag_filter_key(a, name, sizeof name) != NULL;
        const char *param = flag_param(a);
        if ((info && info->type != TP_VALUE_FLAG) || filter_key || param)
            takes = 1;
        if (takes && !next) {
            fprintf(stderr, "touchpoint: %s needs a value\n", a);
            return -1;
        }
        if (!takes) {
            if (!strcmp(a, "--strict")) {
                o->strict = 1;
            } else if (!strcmp(a, "--reject-unknown")) {
                o->reject_unknown = 1;
            } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
                o->quiet = 1;
            } else if (!strcmp(a, "--progress")) {
                o->progress = 1;
            } else if (!strcmp(a, "--wide")) {
                o->format = TP_FORMAT_TEXT_WIDE;
            } else if (info) { /* an option that is a yes/no flag: --self-loops */
                if (set_option(o, info->name, "yes", a))
                    return -1;
            } else if (!strcmp(a, "--dot")) {
                o->dot = 1;
            } else if (!strcmp(a, "--strict-order")) { /* --mode strict */
                if (add_param(o, "mode", "strict"))
                    return -1;
            } else if (!strcmp(a, "--dropoffs")) {
                o->dropoffs = 1;
            } else if (!strcmp(a, "--per-journey")) {
                o->per_journey = 1;
            } else if (!strcmp(a, "--chain")) {
                o->chain = 1;
            } else if (!strcmp(a, "--long")) {
                o->long_form = 1;
            } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                o->help = 1;
                const tp_analysis_info *an = tp_analysis_lookup(analysis_of(o));
                if (an && strcmp(o->cmd, "report"))
                    command_help(o, an, stdout);
                else
                    usage(stdout);
                exit(EXIT_OK);
            } else if (a[0] != '-' && !strcmp(o->cmd, "sentiment")) {
                o->texts[o->ntexts++] = a;
            } else {
                /* the registry knows the nearest parameter, option or filter key */
                char key[64];
                const char *pair[2] = {key, "1"};
                const char *near = NULL;
                if (flag_name(a, key, sizeof key) &&
                    tp_analysis_check(analysis_of(o), pair, 1) != TP_OK)
                    near = strstr(tp_last_error(), " (did you mean '");
                char flag[64] = "";
                if (near) { /* the library's name, as a flag: min_responses -> --min-responses */
                    const char *nm = near + strlen(" (did you mean '");
                    size_t len = strcspn(nm, "'");
                    char word[64];
                    snprintf(word, sizeof word, "%.*s", (int)len, nm);
                    /* the library's since and until are --from and --to here */
                    flag_of(!strcmp(word, "since") ? "from" : !strcmp(word, "until") ? "to" : word,
                            flag, sizeof flag);
                }
                fprintf(stderr, "touchpoint: unknown option '%s'%s%s%s\n", a,
                        *flag ? " (did you mean '--" : "", flag, *flag ? "'?)" : "");
                return -1;
            }
            continue;
        }
        i++;
        if (!strcmp(a, "--catalog")) {
            o->catalog = next;
        } else if (!strcmp(a, "--events") || !strcmp(a, "--feedback")) {
            int ev = !strcmp(a, "--events");
            size_t *n = ev ? &o->nevents : &o->nfeedback;
            if (*n == 16) {
                fprintf(stderr, "touchpoint: at most 16 %s files\n", a);
                return -1;
            }
            (ev ? o->events : o->feedback)[(*n)++] = next;
        } else if (!strcmp(a, "--format")) {
            if (!strcmp(o->cmd, "report") ? tp_report_form_parse(next, &o->form) != TP_OK
                                          : tp_format_parse(next, &o->format) != TP_OK)
                return bad(a);
        } else if (!strcmp(a, "--redact")) {
            if (tp_redact_parse(next, &o->redact) != TP_OK)
                return bad(a);
        } else if (!strcmp(a, "--max-input-bytes")) {
            if (parse_size(a, next, &o->max_input))
                return -1;
        } else if (!strcmp(a, "--column")) {
            size_t at = strlen(o->columns);
            if (!strchr(next, '=') || strchr(next, ',') ||
                at + strlen(next) + 2 > sizeof o->columns) {
                fprintf(stderr, "touchpoint: --column: '%s' is not COLUMN=NAME (like "
                                "customer_id=user_pseudo_id)\n",
                        next);
                return -1;
            }
            snprintf(o->columns + at, sizeof o->columns - at, "%s%s", at ? "," : "", next);
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            o->output = next;
        } else if (!strcmp(a, "--from")) {
            if (parse_time(a, next, &from))
                return -1;
            from_text = next;
        } else if (!strcmp(a, "--to")) {
            if (parse_time(a, next, &to))
                return -1;
            to_text = next;
        } else if (!strcmp(a, "--title")) {
            o->title = next;
        } else if (!strcmp(a, "--credit-by")) {
            tp_group g;
            if (tp_group_parse(next, &g) != TP_OK)
                return bad(a);
            o->credit_by = next;
        } else if (filter_key) { /* --segment, --stage, --channel, --touchpoint */
            if (tp_filter_set(o->filter, name, next) != TP_OK)
                return bad(a);
            o->filtered = 1;
        } else if (!strcmp(a, "--knockout")) {
            if (tp_options_add_knockout(o->opts, next) != TP_OK)
                return bad(a);
        } else if (!strcmp(a, "--lexicon")) {
            o->lexicon = next;
        } else if (!strcmp(a, "--file")) {
            o->file = next;
        } else if (!strcmp(a, "--view")) {
            o->view = next;
        } else if (param) { /* a parameter of an analysis: --steps, --by, --map, ... */
            if (add_param(o, param, next))
                return -1;
        } else if (!strcmp(a, "--table")) {
            o->table = next;
        } else if (!strcmp(a, "--paths")) {
            o->paths = next;
        } else if (!strcmp(a, "--separator")) {
            o->separator = next;
        } else if (!strcmp(a, "--option")) {
            const char *eq = strchr(next, '=');
            if (!eq || (size_t)(eq - next) >= sizeof name) {
                fprintf(stderr, "touchpoint: --option takes NAME=VALUE\n");
                return -1;
            }
            memcpy(name, next, (size_t)(eq - next));
            name[eq - next] = '\0';
            if (set_option(o, name, eq + 1, a))
                return -1;
        } else {
            /* an option of the library (--level, --min-responses, ...) or --weights */
            const char *opt = info ? info->name : "weights";
            if (!strcmp(opt, "top") && !strcmp(o->cmd, "sentiment"))
                opt = "top_terms";
            if (set_option(o, opt, next, a))
                return -1;
        }
    }
    o->filtered |= from != INT64_MIN || to != INT64_MAX;
    if (from_text && to_text && from >= to) {
        fprintf(stderr, "touchpoint: --from %s is not before --to %s: the window holds no time\n",
                from_text, to_text);
        return -1;
    }
    if ((from != INT64_MIN || to != INT64_MAX) &&
        tp_filter_set_time_range(o->filter, from, to) != TP_OK)
        return bad("--from/--to");
    if (o->ntexts && o->file) {
        fputs("touchpoint: give texts or --file, not both\n", stderr);
        return -1;
    }
    return 0;
}

static void options_free(options *o)
{
    free(o->texts);
    tp_filter_free(o->filter);
    tp_options_free(o->opts);
    tp_funnel_free(o->funnel);
}

/* Join an embedded sample file's chunks into one buffer (caller frees). */
static char *sample_text(const char *const *chunks, size_t len)
{
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    size_t off = 0;
    for (size_t i = 0; chunks[i]; i++) {
        size_t n = strlen(chunks[i]);
        memcpy(text + off, chunks[i], n);
        off += n;
    }
    text[off] = '\0';
    return text;
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
/* Set once a failed write to standard output has been reported. */
static int stdout_reported;

static int emit(const options *o, const tp_table *t, FILE *f)
{
    char *text;
    size_t len;
    if (tp_table_format(t, o->format, &text, &len) != TP_OK)
        return fail("format");
    int bad = fwrite(text, 1, len, f) != len;
    tp_free(text);
    if (bad) {
        fprintf(stderr, "touchpoint: %s: %s\n", f == stdout ? "standard output" : "output",
                strerror(errno));
        stdout_reported |= f == stdout;
        return EXIT_FAIL;
    }
    return 0;
}

static int write_result(const options *o, const tp_table *t)
{
    /* An analysis that has something to say beyond its rows (why there are
     * none) says it on stderr, so the table itself stays machine-readable. */
    if (tp_table_note(t))
        fprintf(stderr, "touchpoint: %s\n", tp_table_note(t));
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
            if (rc == EXIT_OK) { /* a failed write is reported at exit (close_stdout) */
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
                             const tp_read_log *r, uint64_t read0, uint64_t acc0, uint64_t rej0,
                             uint64_t bytes0)
{
    size_t row;
    tp_status st = tp_table_append_row(t, &row);
    if (st == TP_OK)
        st = tp_table_set_string(t, row, 0, input);
    if (st == TP_OK)
        st = tp_table_set_string(t, row, 1, kind);
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 2, (int64_t)(tp_read_log_rows_read(r) - read0));
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 3, (int64_t)(tp_read_log_rows_accepted(r) - acc0));
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 4, (int64_t)(tp_read_log_rows_rejected(r) - rej0));
    if (st == TP_OK)
        st = tp_table_set_int64(t, row, 5, (int64_t)(tp_read_log_bytes_read(r) - bytes0));
    return st;
}

typedef struct inputs {
    tp_catalog *c;
    tp_events *ev;
    tp_feedback *fb;
    tp_read_log *rep;
} inputs;

static void inputs_free(inputs *in)
{
    tp_read_log_free(in->rep);
    tp_feedback_free(in->fb);
    tp_events_free(in->ev);
    tp_catalog_free(in->c);
    memset(in, 0, sizeof *in);
}

/* Read the catalog and every input (the sample data when none is given), one
 * summary row per input when `summary` is not NULL. Prints the error and
 * returns -1 on failure. */
/* What every read of the tool's inputs shares: --strict, --max-input, --threads. */
static void read_options_of(const options *o, tp_read_options *ro)
{
    tp_read_options_init(ro, TP_READ_OPTIONS_VERSION);
    ro->on_error = o->strict ? TP_ON_ERROR_STOP : TP_ON_ERROR_SKIP;
    ro->max_input_bytes = o->max_input;
    int64_t threads = 1;
    if (tp_options_get_int(o->opts, TP_OPT_THREADS, &threads) == TP_OK)
        ro->threads = (unsigned)threads;
}

static int load_inputs(const options *o, inputs *in, tp_table *summary)
{
    memset(in, 0, sizeof *in);
    tp_read_options ro;
    read_options_of(o, &ro);
    ro.redact = o->redact;
    ro.columns = o->columns[0] ? o->columns : NULL;
    tp_unknown_policy pol = o->reject_unknown ? TP_UNKNOWN_REJECT : TP_UNKNOWN_REGISTER;
    progress prog;
    progress_init(&prog, o->progress, o->quiet);
    ro.progress = progress_update;
    ro.progress_data = &prog;
    if (load_catalog(o, &in->c) != TP_OK) {
        fail("catalog");
        return -1;
    }
    if (tp_events_new(&in->ev, in->c) != TP_OK || tp_feedback_new(&in->fb, in->c) != TP_OK ||
        tp_read_log_new(&in->rep) != TP_OK || tp_events_set_unknown_policy(in->ev, pol) != TP_OK ||
        tp_feedback_set_unknown_policy(in->fb, pol) != TP_OK) {
        fail(NULL);
        return -1;
    }
    size_t n = use_sample(o) ? 2 : o->nevents + o->nfeedback;
    for (size_t i = 0; i < n; i++) {
        int is_events = use_sample(o) ? i == 0 : i < o->nevents;
        const char *path = use_sample(o) ? (is_events ? "sample/events.csv" : "sample/feedback.csv")
                           : is_events   ? o->events[i]
                                         : o->feedback[i - o->nevents];
        tp_read_log *rep = in->rep;
        uint64_t r0 = tp_read_log_rows_read(rep), a0 = tp_read_log_rows_accepted(rep),
                 j0 = tp_read_log_rows_rejected(rep), b0 = tp_read_log_bytes_read(rep);
        tp_status st;
        progress_start(&prog, path);
        if (use_sample(o)) {
            size_t len = is_events ? tp_sample_events_len : tp_sample_feedback_len;
            char *text = sample_text(is_events ? tp_sample_events : tp_sample_feedback, len);
            if (!text) {
                fputs("touchpoint: out of memory\n", stderr);
                return -1;
            }
            st = is_events ? tp_events_read_csv_buffer(in->ev, text, len, path, &ro, rep)
                           : tp_feedback_read_csv_buffer(in->fb, text, len, path, &ro, rep);
            free(text);
        } else if (is_events && (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))) {
            st = tp_events_read_jsonl(in->ev, path, &ro, rep);
        } else if (is_events) {
            st = tp_events_read_csv(in->ev, path, &ro, rep);
        } else {
            st = tp_feedback_read_csv(in->fb, path, &ro, rep);
        }
        if (st != TP_OK) {
            fail(NULL);
            return -1;
        }
        if (summary && summary_add(summary, path, is_events ? "events" : "feedback", rep, r0, a0,
                                   j0, b0) != TP_OK) {
            fail(NULL);
            return -1;
        }
    }
    return 0;
}

static int cmd_validate(const options *o)
{
    inputs in = {0};
    tp_table *summary = NULL, *issues = NULL;
    int rc = EXIT_FAIL;
    if (tp_table_new(&summary) != TP_OK) {
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
    if (load_inputs(o, &in, summary))
        goto out;
    tp_catalog *c = in.c;
    tp_events *ev = in.ev;
    tp_feedback *fb = in.fb;
    tp_read_log *rep = in.rep;
    if (tp_read_log_to_table(rep, &issues) != TP_OK) {
        fail(NULL);
        goto out;
    }
    if (!o->quiet || o->output) {
        /* -o: build the text in memory, then write it atomically. */
        char *mem = NULL;
        size_t mem_len = 0;
        FILE *f = stdout;
        if (o->output && !(f = open_memstream(&mem, &mem_len))) {
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
                            (unsigned long long)tp_read_log_rows_rejected(rep),
                            tp_table_row_count(issues));
            }
            if (tp_table_row_count(issues) || o->format != TP_FORMAT_TEXT) {
                if (o->format == TP_FORMAT_CSV)
                    fputc('\n', f);
                emit(o, issues, f);
            }
        }
        if (f != stdout) {
            int bad = fclose(f) != 0 || tp_file_write(o->output, mem, mem_len) != TP_OK;
            free(mem);
            if (bad) {
                fprintf(stderr, "touchpoint: cannot write %s\n", o->output);
                goto out;
            }
        }
    }
    rc = tp_read_log_rows_rejected(rep) ? EXIT_REJECTS : EXIT_OK;
out:
    tp_table_free(summary);
    tp_table_free(issues);
    inputs_free(&in);
    return rc;
}

/* Read one text per line (without the line end) from a file. */
static char **read_lines(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    char **lines = NULL, *line = NULL;
    size_t cap = 0, len = 0, lcap = 0;
    int c, ok = 1;
    *n = 0;
    while (ok) {
        c = fgetc(f);
        if (c == EOF && len == 0)
            break;
        if (c == '\n' || c == EOF) {
            if (len && line[len - 1] == '\r')
                len--;
            if (*n == cap) {
                char **p = realloc(lines, (cap = cap ? cap * 2 : 64) * sizeof *lines);
                if (!p) {
                    ok = 0;
                    break;
                }
                lines = p;
            }
            char *copy = malloc(len + 1);
            if (!copy) {
                ok = 0;
                break;
            }
            memcpy(copy, line ? line : "", len);
            copy[len] = '\0';
            lines[(*n)++] = copy;
            len = 0;
            if (c == EOF)
                break;
            continue;
        }
        if (len + 1 >= lcap) {
            char *p = realloc(line, lcap = lcap ? lcap * 2 : 256);
            if (!p) {
                ok = 0;
                break;
            }
            line = p;
        }
        line[len++] = (char)c;
    }
    free(line);
    if (ferror(f) || !ok) {
        fprintf(stderr, "touchpoint: %s: read error or out of memory\n", path);
        for (size_t i = 0; i < *n; i++)
            free(lines[i]);
        free(lines);
        fclose(f);
        return NULL;
    }
    fclose(f);
    if (!lines)
        lines = malloc(sizeof *lines);
    return lines;
}

static int sentiment_texts(const options *o, tp_lexicon *lex)
{
    tp_lexicon *own = NULL;
    if (!lex && tp_lexicon_new_default(&own) != TP_OK)
        return fail("lexicon");
    char **lines = NULL;
    size_t n = o->ntexts;
    if (o->file && !(lines = read_lines(o->file, &n))) {
        tp_lexicon_free(own);
        return EXIT_FAIL;
    }
    tp_table *t = NULL;
    int rc = tp_sentiment_table(lex ? lex : own, lines ? (const char *const *)lines : o->texts, n,
                                &t) == TP_OK
                 ? write_result(o, t)
                 : fail(o->file ? o->file : "sentiment");
    tp_table_free(t);
    if (lines)
        for (size_t i = 0; i < n; i++)
            free(lines[i]);
    free(lines);
    tp_lexicon_free(own);
    return rc;
}

/* Graphviz text of an edge table, to the output file or standard output. */
static int write_dot(const options *o, const tp_table *t)
{
    char *text;
    size_t len;
    if (tp_edges_to_dot(t, &text, &len) != TP_OK)
        return fail("dot");
    int rc = EXIT_OK;
    if (o->output) {
        if (tp_file_write(o->output, text, len) != TP_OK)
            rc = fail(NULL); /* the message names the file and the reason */
    } else if (fwrite(text, 1, len, stdout) != len) {
        fprintf(stderr, "touchpoint: standard output: %s\n", strerror(errno));
        stdout_reported = 1;
        rc = EXIT_FAIL;
    }
    tp_free(text);
    return rc;
}

/* Path aggregates of --paths FILE; rejected rows are skipped with a warning
 * (--strict stops at the first). */
static int read_paths(const options *o, tp_paths **out)
{
    tp_read_options ro;
    read_options_of(o, &ro);
    tp_read_log *rep = NULL;
    tp_status st = tp_read_log_new(&rep);
    if (st == TP_OK)
        st = tp_paths_new(out);
    if (st == TP_OK)
        st = tp_paths_read_csv(*out, o->paths, o->separator, &ro, rep);
    if (st == TP_OK && tp_read_log_rows_rejected(rep) && !o->quiet)
        fprintf(stderr, "touchpoint: warning: %llu bad rows skipped in %s (first: line %llu: "
                        "%s)\n",
                (unsigned long long)tp_read_log_rows_rejected(rep), o->paths,
                (unsigned long long)tp_read_log_issue_line(rep, 0), tp_read_log_issue_reason(rep, 0));
    tp_read_log_free(rep);
    return st == TP_OK ? 0 : -1;
}

/* Which table of the analysis to print: --table NAME, or the second one for
 * --dropoffs (funnel) and --per-journey (conform). */
static int table_index(const options *o, const tp_analysis_info *a, size_t *out)
{
    *out = (o->dropoffs || o->per_journey) && a->output_count > 1 ? 1 : 0;
    /* --table all, and by default for an analysis whose tables make one
     * answer: every table, each under its name (text to standard output) */
    int all = o->table ? !strcmp(o->table, "all") : a->whole;
    if (all && ((o->format != TP_FORMAT_TEXT && o->format != TP_FORMAT_TEXT_WIDE) || o->output)) {
        if (!o->table) /* the first table where all cannot go */
            return 0;
        fputs("touchpoint: --table all prints text to standard output; name one table for "
              "--format csv|json or -o\n", stderr);
        return -1;
    }
    if (all) {
        *out = SIZE_MAX;
        return 0;
    }
    if (!o->table)
        return 0;
    for (size_t i = 0; i < a->output_count; i++)
        if (!strcmp(o->table, a->outputs[i].name)) {
            *out = i;
            return 0;
        }
    fprintf(stderr, "touchpoint: %s has no table '%s' (tables:", o->cmd, o->table);
    for (size_t i = 0; i < a->output_count; i++)
        fprintf(stderr, " %s", a->outputs[i].name);
    fputs(")\n", stderr);
    return -1;
}

/* An analysis of the registry: read the inputs, run it by name, print the
 * table asked for. Rejected rows are skipped with a warning (validate lists
 * them); --strict stops at the first. */
static int run_analysis(const options *o)
{
    const tp_analysis_info *a = tp_analysis_lookup(analysis_of(o));
    if (!a) {
        if (!strcmp(o->cmd, "paths")) {
            fputs("touchpoint: paths --view takes variants, transitions, flow, times or next "
                  "(with --after TOUCHPOINT)\n", stderr);
            return EXIT_USAGE;
        }
        return fail(o->cmd);
    }
    size_t which;
    if (table_index(o, a, &which))
        return EXIT_USAGE;
    if (o->paths && !(a->takes & TP_INPUT_PATHS)) {
        fprintf(stderr, "touchpoint: --paths FILE is an input of attribute, not of %s\n",
                o->cmd);
        return EXIT_USAGE;
    }
    const char *params[2 * sizeof o->params / sizeof o->params[0]];
    size_t np = 0;
    for (size_t i = 0; i < o->nparams; i++) {
        params[2 * np] = o->params[i][0];
        params[2 * np++ + 1] = o->params[i][1];
    }
    for (size_t i = 0; i < o->nset; i++)
        if (!tp_analysis_reads_option(a, o->set[i]->key)) {
            char flag[64];
            flag_of(o->set[i]->name, flag, sizeof flag);
            fprintf(stderr, "touchpoint: %s does not read --%s (touchpoint %s --help lists what "
                            "it reads)\n", o->cmd, flag, o->cmd);
            return EXIT_USAGE;
        }
    if (tp_analysis_check(a->name, params, np) != TP_OK) { /* before reading any input */
        fail(NULL);
        return EXIT_USAGE;
    }
    inputs in;
    memset(&in, 0, sizeof in);
    tp_paths *paths = NULL;
    int rc = EXIT_FAIL;
    if (o->paths ? read_paths(o, &paths) != 0 : load_inputs(o, &in, NULL) != 0) {
        if (o->paths)
            fail("attribute");
        goto done;
    }
    if (in.rep && tp_read_log_rows_rejected(in.rep) && !o->quiet)
        fprintf(stderr,
                "touchpoint: warning: %llu bad input rows skipped (touchpoint validate lists "
                "them)\n",
                (unsigned long long)tp_read_log_rows_rejected(in.rep));
    tp_table *t[4] = {NULL, NULL, NULL, NULL};
    size_t want = which == SIZE_MAX ? a->output_count : o->chain ? 2 : which + 1;
    /* inputs not given are none, not empty: a feedback-only scorecard has no
     * reach (null), not a reach of 0, as the library documents */
    int have_events = use_sample(o) || o->nevents, have_feedback = use_sample(o) || o->nfeedback;
    tp_status st = tp_analysis_run(a->name,
                                   (a->takes & TP_INPUT_EVENTS) && have_events ? in.ev : NULL,
                                   (a->takes & TP_INPUT_FEEDBACK) && have_feedback ? in.fb : NULL,
                                   paths,
                                   o->filtered ? o->filter : NULL, o->opts, params, np, t,
                                   want);
    if (st != TP_OK) { /* the library's message names the analysis, or gets the command */
        rc = fail(strncmp(tp_last_error(), a->name, strlen(a->name)) ? o->cmd : NULL);
        goto done;
    }
    if (which == SIZE_MAX) {
        rc = EXIT_OK;
        for (size_t i = 0; i < a->output_count && rc == EXIT_OK; i++) {
            printf("%s%s: %s\n", i ? "\n" : "", a->outputs[i].name, a->outputs[i].doc);
            rc = write_result(o, t[i]);
        }
    } else {
        rc = o->dot ? write_dot(o, t[which]) : write_result(o, t[which]);
    }
    if (rc == EXIT_OK && o->chain && !o->quiet) {
        double pc = 0;
        int64_t n = 0;
        tp_table_get_double(t[1], 0, 0, &pc);
        tp_table_get_int64(t[1], 0, 1, &n);
        fprintf(stderr, "P(conversion) = %.6f over %lld paths\n", pc, (long long)n);
    }
    for (size_t i = 0; i < 4; i++)
        tp_table_free(t[i]);
done:
    tp_paths_free(paths);
    inputs_free(&in);
    return rc;
}

/* Analyses, and sentiment of texts: a lexicon (--lexicon) first. */
static int cmd_analysis(const options *o)
{
    tp_lexicon *lex = NULL;
    if (o->lexicon) {
        if (tp_lexicon_new_default(&lex) != TP_OK || tp_lexicon_load(lex, o->lexicon) != TP_OK) {
            tp_lexicon_free(lex);
            return fail("lexicon");
        }
        tp_options_set_lexicon(o->opts, lex);
    }
    int rc = !strcmp(o->cmd, "sentiment") && (o->ntexts || o->file) ? sentiment_texts(o, lex)
                                                                    : run_analysis(o);
    tp_lexicon_free(lex);
    return rc;
}

/* What was read, for the report's header. */
static void report_source(const options *o, char *source, size_t size)
{
    if (use_sample(o)) {
        snprintf(source, size, "the bundled sample data set");
        return;
    }
    size_t k = 0;
    source[0] = '\0';
    for (size_t i = 0; i < o->nevents + o->nfeedback && k + 1 < size; i++) {
        const char *p = i < o->nevents ? o->events[i] : o->feedback[i - o->nevents];
        int w = snprintf(source + k, size - k, "%s%s", i ? ", " : "", p);
        if (w < 0)
            break;
        k += (size_t)w;
    }
}

/* report: the library's report of the inputs, written atomically (or to
 * standard output with -o -), then its findings on the terminal. */
static int cmd_report(const options *o)
{
    inputs in;
    tp_report *r = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = EXIT_FAIL;
    if (load_inputs(o, &in, NULL))
        goto done;
    for (size_t i = 0; i < o->nparams; i++)
        if (tp_funnel_set(o->funnel, o->params[i][0], o->params[i][1]) != TP_OK) {
            fail("report");
            rc = EXIT_USAGE;
            goto done;
        }
    char source[512];
    report_source(o, source, sizeof source);
    tp_report_options ro;
    tp_report_options_init(&ro, TP_REPORT_OPTIONS_VERSION);
    ro.title = o->title;
    ro.source = source;
    ro.funnel = o->funnel;
    ro.log = in.rep;
    if (o->credit_by)
        tp_group_parse(o->credit_by, &ro.credit_by);
    tp_report_form form = o->form;
    if (tp_report_new(&r, in.ev, in.fb, o->filtered ? o->filter : NULL, o->opts, &ro) != TP_OK ||
        tp_report_render(r, form, &text, &len) != TP_OK) {
        fail("report");
        goto done;
    }
    char default_path[64];
    snprintf(default_path, sizeof default_path, "touchpoint-report%s",
             tp_report_form_extension(form));
    const char *path = o->output ? o->output : default_path;
    int to_stdout = !strcmp(path, "-");
    if (to_stdout) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            perror("touchpoint: standard output");
            stdout_reported = 1;
            goto done;
        }
    } else if (tp_file_write(path, text, len) != TP_OK) {
        fail(NULL);
        goto done;
    }
    if (!o->quiet) {
        FILE *f = to_stdout ? stderr : stdout;
        if (!to_stdout) {
            char *full = realpath(path, NULL);
            fprintf(f, "Report written to %s\n", full ? full : path);
            free(full);
        }
        char *findings = NULL;
        if (tp_report_render(r, TP_REPORT_TEXT, &findings, NULL) == TP_OK) {
            fputs("Top findings:\n", f);
            for (char *line = findings, *end; *line; line = end + 1) {
                end = strchr(line, '\n');
                fprintf(f, "  %.*s\n", (int)(end ? end - line : (ptrdiff_t)strlen(line)), line);
                if (!end)
                    break;
            }
        }
        tp_free(findings);
    }
    rc = EXIT_OK;
done:
    tp_free(text);
    tp_report_free(r);
    inputs_free(&in);
    return rc;
}

/* At exit: what is still buffered for standard output goes out, and a write
 * that failed (a full disk, a closed pipe's EPIPE) turns the exit status into
 * a failure with the reason, whatever the command returned. */
static void close_stdout(void)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !failed && errno != EBADF) {
        failed = 1;
        e = errno;
    }
    if (failed) {
        if (!stdout_reported)
            fprintf(stderr, "touchpoint: standard output: %s\n", strerror(e ? e : EIO));
        _exit(EXIT_FAIL);
    }
}

int main(int argc, char **argv)
{
    atexit(close_stdout);
    /* A file size limit makes a write fail (EFBIG) rather than kill the
     * process mid-file; the library then removes what it had begun. */
    signal(SIGXFSZ, SIG_IGN);
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
    /* The tool's own commands and its groupings of analyses; every analysis of
     * the registry is a command by its name too (funnel, next-touchpoints). */
    static const char *const commands[] = {"validate", "catalog", "report", "sentiment",
                                           "paths",    "conform", "attribute"};
    int known = 0;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        known |= !strcmp(cmd, commands[i]);
    options o;
    memset(&o, 0, sizeof o);
    o.cmd = cmd;
    if (!known && !tp_analysis_lookup(analysis_of(&o))) {
        const char *near = strstr(tp_last_error(), " (did you mean");
        fprintf(stderr, "touchpoint: unknown command '%s'%s (try touchpoint --help)\n", cmd,
                near ? near : "");
        return EXIT_USAGE;
    }
    int rc;
    if (parse_args(argc, argv, &o) != 0)
        rc = EXIT_USAGE;
    else if (!strcmp(cmd, "validate"))
        rc = cmd_validate(&o);
    else if (!strcmp(cmd, "catalog"))
        rc = cmd_catalog(&o);
    else if (!strcmp(cmd, "report"))
        rc = cmd_report(&o);
    else
        rc = cmd_analysis(&o);
    options_free(&o);
    return rc;
}

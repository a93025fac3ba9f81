/* Fuzz the catalog JSON parser. Invariants: a rejected document yields no
 * catalog and a bounded, escaped message; an accepted one serialises to JSON
 * that parses back to the same JSON (a fixed point), and its table export works. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tp_catalog *cat = (tp_catalog *)&cat; /* must be overwritten or cleared */
    tp_status st = tp_catalog_parse_json(&cat, (const char *)data, size, "fuzz.json");
    if (st != TP_OK) {
        fz_check_error(st);
        FZ_CHECK(cat == NULL);
        return 0;
    }
    FZ_CHECK(cat != NULL);
    char *json = NULL;
    size_t len = 0;
    FZ_CHECK(tp_catalog_to_json(cat, &json, &len) == TP_OK);
    FZ_CHECK(strlen(json) == len);
    tp_catalog *again = NULL;
    st = tp_catalog_parse_json(&again, json, len, "again.json");
    FZ_CHECK(st == TP_OK);
    char *json2 = NULL;
    FZ_CHECK(tp_catalog_to_json(again, &json2, NULL) == TP_OK);
    FZ_CHECK(strcmp(json, json2) == 0);
    FZ_CHECK(tp_catalog_touchpoint_count(again) == tp_catalog_touchpoint_count(cat));
    FZ_CHECK(tp_catalog_journey_map_count(again) == tp_catalog_journey_map_count(cat));
    tp_table *t = NULL;
    FZ_CHECK(tp_catalog_to_table(cat, &t) == TP_OK);
    free(fz_table_text(t));
    tp_free(json);
    tp_free(json2);
    tp_catalog_free(again);
    tp_catalog_free(cat);
    return 0;
}

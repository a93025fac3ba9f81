/* Numeric targets of touchpoints: their words, scales, and the catalog's store. */
#include <math.h>

#include "core/error.h"
#include "core/nearest.h"
#include "model/catalog_internal.h"
#include "model/targets_internal.h"

const char *const tp__target_words[] = {"nps", "csat", "ces", "rating", "audit", "cx_index", NULL};

TP__WORD_FUNCTIONS(tp_target, tp_target, tp__target_words, "target", 0)

/* The scale of each target, as the scorecard reports it. */
const double tp__target_scale[TP_TARGET_COUNT][2] = {
    {-100, 100}, {0, 100}, {1, 7}, {1, 5}, {0, 100}, {0, 100}};

_Static_assert(sizeof tp__target_words / sizeof *tp__target_words == TP_TARGET_COUNT + 1,
               "one word per target");

TP_API tp_status tp_target_scale(tp_target target, double *lo, double *hi)
{
    if (!lo || !hi || (int)target < 0 || (int)target >= TP_TARGET_COUNT)
        return tp__error(TP_EINVAL, "tp_target_scale: %s",
                         lo && hi ? "unknown target" : "NULL output");
    *lo = tp__target_scale[target][0];
    *hi = tp__target_scale[target][1];
    return TP_OK;
}

TP_API tp_status tp_catalog_set_target(tp_catalog *c, size_t touchpoint, tp_target target,
                                       double value)
{
    if (!c)
        return tp__error(TP_EINVAL, "tp_catalog_set_target: catalog is NULL");
    if (touchpoint >= c->tps.len)
        return tp__error(TP_EINVAL, "touchpoint index %zu out of range (%zu touchpoints)",
                         touchpoint, c->tps.len);
    if ((int)target < 0 || (int)target >= TP_TARGET_COUNT)
        return tp__error(TP_EINVAL, "unknown target %d (nps, csat, ces, rating, audit, cx_index)",
                         (int)target);
    tp__touchpoint *t = &c->tps.data[touchpoint];
    uint8_t bit = (uint8_t)(1u << target);
    if (isnan(value)) {
        t->targets &= (uint8_t)~bit;
        return TP_OK;
    }
    const double *scale = tp__target_scale[target];
    if (!(value >= scale[0] && value <= scale[1]))
        return tp__error(TP_EINVAL, "touchpoint '%s': %s targets are from %g to %g, not %g",
                         tp__catalog_id(c, (uint32_t)touchpoint), tp__target_words[target],
                         scale[0], scale[1], value);
    t->target[target] = value;
    t->targets |= bit;
    return TP_OK;
}

TP_API double tp_catalog_target(const tp_catalog *c, size_t touchpoint, tp_target target)
{
    if (!c || touchpoint >= c->tps.len || (int)target < 0 || (int)target >= TP_TARGET_COUNT)
        return NAN;
    const tp__touchpoint *t = &c->tps.data[touchpoint];
    return t->targets >> target & 1 ? t->target[target] : NAN;
}

/**
 * @file touchpoint/catalog.h
 * @brief The touchpoint catalog: stages, touchpoints (nested), journey maps.
 *
 * A catalog lists the purchase stages in order, the touchpoints with their stage,
 * channel, kind, owner, customer expectation, criticality weight and parent, and
 * the designed journey maps. Event and feedback stores refer to the touchpoints
 * of a catalog by index (see tp_events_new()).
 *
 * Identifiers (touchpoint ids, stage names, map ids) are non-empty UTF-8 of at
 * most 256 bytes without control characters.
 *
 * Thread-safety: a catalog that no thread modifies may be read from several
 * threads. Event and feedback stores bound to a catalog may add touchpoints to it
 * while ingesting (see ::TP_UNKNOWN_REGISTER), which counts as modifying it.
 */
#ifndef TOUCHPOINT_CATALOG_H
#define TOUCHPOINT_CATALOG_H

#include "common.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A touchpoint catalog. Opaque. */
typedef struct tp_catalog tp_catalog;
/** A designed journey: ordered stages of touchpoints and allowed transitions. Opaque. */
typedef struct tp_journey_map tp_journey_map;

/** Most stages a catalog or a journey map may have. */
#define TP_MAX_STAGES 1024
/** Deepest nesting of touchpoints: a top-level touchpoint is at depth 0, and
 *  every touchpoint is at most this many parents below one. */
#define TP_MAX_DEPTH 32
/** Most touchpoints a journey map's stages may list, and most allowed transitions
 *  it may have (their checks are linear per addition). */
#define TP_MAX_MAP_ENTRIES 16384

/** What kind of contact a touchpoint is. */
typedef enum tp_kind {
    TP_KIND_UNKNOWN = 0,  /**< Not stated (touchpoints registered from events). */
    TP_KIND_DIGITAL = 1,  /**< Website, app, e-mail, ads, social media. */
    TP_KIND_PHYSICAL = 2, /**< Store, signage, parcel, printed catalog. */
    TP_KIND_HUMAN = 3     /**< Staff, phone agent, word of mouth. */
} tp_kind;

/** Name of a kind: "unknown", "digital", "physical", "human"; NULL if invalid. */
TP_API const char *tp_kind_name(tp_kind kind);

/** Parse a kind name (case-insensitive). @return ::TP_OK or ::TP_EINVAL. */
TP_API tp_status tp_kind_parse(const char *name, tp_kind *out);

/** Current version of ::tp_touchpoint_def. */
#define TP_TOUCHPOINT_DEF_VERSION 1

/**
 * A touchpoint's description, used to add one and to read one back.
 * Initialise with ::TP_TOUCHPOINT_DEF_INIT or tp_touchpoint_def_init(); fields
 * are only ever appended, each under a new ::TP_TOUCHPOINT_DEF_VERSION, and the
 * library reads and writes only the fields of the version the struct says it has.
 */
typedef struct tp_touchpoint_def {
    unsigned int version;    /**< Set by tp_touchpoint_def_init(). */
    const char *id;          /**< Unique identifier, required. */
    const char *name;        /**< Display name; defaults to the id. */
    const char *stage;       /**< A stage of the catalog, or NULL for unassigned. */
    const char *channel;     /**< Free text such as "web", "store", "email"; may be NULL. */
    tp_kind kind;            /**< Kind of contact. */
    const char *owner;       /**< Team that owns the touchpoint; may be NULL. */
    const char *expectation; /**< What the customer expects here; may be NULL. */
    double weight;           /**< Criticality weight, finite and >= 0; default 1. */
    const char *parent;      /**< Id of the parent touchpoint, or NULL. */
} tp_touchpoint_def;

/**
 * The defaults, as a static initializer:
 * `tp_touchpoint_def def = TP_TOUCHPOINT_DEF_INIT;` (weight 1, kind unknown,
 * every string NULL).
 */
#define TP_TOUCHPOINT_DEF_INIT \
    {TP_TOUCHPOINT_DEF_VERSION, NULL, NULL, NULL, NULL, TP_KIND_UNKNOWN, NULL, NULL, 1.0, NULL}

/**
 * Reset @p def to the defaults of @p version (weight 1, kind unknown, every
 * string NULL), writing only the fields that version has.
 * @param def     the struct to fill; @c version is set to @p version
 * @param version 1 to ::TP_TOUCHPOINT_DEF_VERSION (pass the macro)
 * @return ::TP_OK; ::TP_EINVAL (NULL @p def, unknown version: nothing is written).
 * Thread-safe.
 */
TP_API tp_status tp_touchpoint_def_init(tp_touchpoint_def *def, unsigned int version);

/**
 * Create a catalog with the default stages "before", "during", "after" (purchase)
 * and no touchpoints or journey maps.
 * @param out receives the catalog, owned by the caller (tp_catalog_free())
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_catalog_new(tp_catalog **out);

/**
 * Create the built-in default catalog: the three default stages and the standard
 * touchpoints of each (social media, reviews, word of mouth, advertising, search,
 * website with its product pages, cart and checkout, store with its parking,
 * signage and point of sale, catalog, promotions, sales staff, phone, billing,
 * delivery, transactional and marketing e-mails, support, help center, returns,
 * follow-ups, thank-you cards, loyalty programme), each with a channel, kind,
 * owner and expectation; and one journey map, "online-purchase".
 * @return as tp_catalog_new()
 */
TP_API tp_status tp_catalog_new_default(tp_catalog **out);

/** Free a catalog and its journey maps. Accepts NULL. */
TP_API void tp_catalog_free(tp_catalog *catalog);

/** Number of stages. */
TP_API size_t tp_catalog_stage_count(const tp_catalog *catalog);

/** Name of stage @p index (borrowed), or NULL if out of range. */
TP_API const char *tp_catalog_stage_name(const tp_catalog *catalog, size_t index);

/** Find a stage by name. @return ::TP_OK, ::TP_ENOTFOUND, ::TP_EINVAL. */
TP_API tp_status tp_catalog_find_stage(const tp_catalog *catalog, const char *name,
                                       size_t *index);

/**
 * Append a stage after the existing ones.
 * @return ::TP_OK; ::TP_EINVAL (bad name); ::TP_ECONFLICT (exists); ::TP_ELIMIT
 *         (::TP_MAX_STAGES already); ::TP_ENOMEM
 */
TP_API tp_status tp_catalog_add_stage(tp_catalog *catalog, const char *name);

/**
 * Replace the stage list (in order). Fails, leaving the catalog unchanged, if a
 * touchpoint refers to a stage that is not in the new list.
 * @return ::TP_OK; ::TP_EINVAL (bad or repeated name); ::TP_ECONFLICT (a stage in
 *         use would disappear); ::TP_ELIMIT (more than ::TP_MAX_STAGES); ::TP_ENOMEM
 */
TP_API tp_status tp_catalog_set_stages(tp_catalog *catalog, const char *const *names,
                                       size_t count);

/**
 * Add a touchpoint. The strings are copied. The parent, if any, must already be
 * in the catalog.
 * @param index receives the touchpoint's index; may be NULL
 * @return ::TP_OK; ::TP_EINVAL (missing id, bad text, negative or non-finite
 *         weight, invalid kind); ::TP_ECONFLICT (id exists); ::TP_ENOTFOUND (unknown
 *         stage or parent); ::TP_ENOMEM. On failure the catalog is unchanged.
 */
TP_API tp_status tp_catalog_add_touchpoint(tp_catalog *catalog, const tp_touchpoint_def *def,
                                           size_t *index);

/** Number of touchpoints. */
TP_API size_t tp_catalog_touchpoint_count(const tp_catalog *catalog);

/** Find a touchpoint by id. @return ::TP_OK, ::TP_ENOTFOUND, ::TP_EINVAL. */
TP_API tp_status tp_catalog_find_touchpoint(const tp_catalog *catalog, const char *id,
                                            size_t *index);

/**
 * Read touchpoint @p index into @p out, which the caller initialised with
 * tp_touchpoint_def_init() or ::TP_TOUCHPOINT_DEF_INIT: only the fields of
 * @c out->version are written. Strings are borrowed from the catalog; fields
 * the touchpoint lacks are NULL, except the name, which is the id when none
 * was given.
 * @return ::TP_OK or ::TP_EINVAL (index out of range, NULL, unknown version)
 */
TP_API tp_status tp_catalog_get_touchpoint(const tp_catalog *catalog, size_t index,
                                           tp_touchpoint_def *out);

/**
 * Set or clear (NULL) the parent of a touchpoint. Costs O(touchpoints): the
 * nesting below the touchpoint is measured (tp_catalog_parse_json() links a
 * whole document's parents in one linear pass instead).
 * @return ::TP_OK; ::TP_ENOTFOUND (unknown id or parent); ::TP_EVALIDATE (the
 *         change would make a cycle); ::TP_ELIMIT (nesting deeper than
 *         ::TP_MAX_DEPTH); ::TP_EINVAL
 */
TP_API tp_status tp_catalog_set_parent(tp_catalog *catalog, const char *id, const char *parent);

/**
 * The catalog as a table: one row per touchpoint with columns id, name, stage,
 * channel, kind, owner, expectation, weight, parent, depth (0 for top level).
 * @param out receives a table owned by the caller
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_catalog_to_table(const tp_catalog *catalog, tp_table **out);

/**
 * Parse a catalog from JSON text (see README, "Catalog JSON").
 *
 * Validation: the document must be an object; "stages" (optional; default
 * before/during/after) an array of unique names; "touchpoints" an array of
 * objects with a unique "id" and optional "name", "stage" (a listed stage),
 * "channel", "kind", "owner", "expectation", "weight" (number >= 0), "parent" (an
 * id in the document; cycles rejected); "journey_maps" an array of objects with
 * "id", "stages" ([{"name", "touchpoints":[ids]}]) and "allowed" ([[from, to]],
 * ids or "(start)"/"(end)"); "funnels" an array of objects with "id", "steps"
 * (an array of step texts such as "cart?" or "checkout<2d", or one text
 * "website, cart?, checkout<2d", as tp_funnel_parse() reads), and optional
 * "window" ("7d" or milliseconds), "mode" ("loose", "strict") and "exclude"
 * (an array of ids); every id a touchpoint of the catalog. Unknown keys, wrong types, duplicate keys, invalid
 * UTF-8, "\u0000" and trailing content are errors. The error message and
 * tp_last_error_field() give the JSON path ("$.touchpoints[3].stage").
 *
 * @param out  receives the catalog, owned by the caller
 * @param data the JSON text (need not be NUL-terminated)
 * @param len  its length in bytes (at most 256 MiB)
 * @param name name used in error messages (a file name), may be NULL
 * @return ::TP_OK; ::TP_EPARSE (syntax); ::TP_EVALIDATE (types, unknown stage,
 *         cycle, dangling parent); ::TP_ECONFLICT (duplicate id); ::TP_ELIMIT;
 *         ::TP_ENOMEM; ::TP_EINVAL
 */
TP_API tp_status tp_catalog_parse_json(tp_catalog **out, const char *data, size_t len,
                                       const char *name);

/**
 * As tp_catalog_parse_json(), reading the file at @p path (::TP_EIO if
 * unreadable). A file over 256 MiB is ::TP_ELIMIT before any byte is read; a
 * pipe or device as soon as it passes 256 MiB.
 */
TP_API tp_status tp_catalog_load_json(tp_catalog **out, const char *path);

/**
 * Serialise the catalog as JSON that tp_catalog_parse_json() reads back equal.
 * @param out receives NUL-terminated text owned by the caller (tp_free())
 * @param len receives its length; may be NULL
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_catalog_to_json(const tp_catalog *catalog, char **out, size_t *len);

/** Write tp_catalog_to_json() to @p path atomically (temporary file, then rename). */
TP_API tp_status tp_catalog_save_json(const tp_catalog *catalog, const char *path);

/**
 * Create an empty journey map.
 * @param id identifier of the map (copied)
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ENOMEM
 */
TP_API tp_status tp_journey_map_new(tp_journey_map **out, const char *id);

/** Free a journey map the caller owns. Accepts NULL. */
TP_API void tp_journey_map_free(tp_journey_map *map);

/**
 * Append a designed stage with its touchpoints (ids are copied; checked against a
 * catalog only when the map is added to one).
 * @return ::TP_OK; ::TP_EINVAL (bad text); ::TP_ECONFLICT (stage name repeated, or
 *         a touchpoint already in another stage of the map); ::TP_ELIMIT (more than
 *         ::TP_MAX_STAGES stages or ::TP_MAX_MAP_ENTRIES touchpoints); ::TP_ENOMEM
 */
TP_API tp_status tp_journey_map_add_stage(tp_journey_map *map, const char *name,
                                          const char *const *touchpoints, size_t count);

/**
 * Allow the transition @p from -> @p to. Either end may be "(start)" (from) or
 * "(end)" (to). Repeats are ignored.
 * @return ::TP_OK, ::TP_EINVAL, ::TP_ELIMIT (::TP_MAX_MAP_ENTRIES transitions
 *         already), ::TP_ENOMEM
 */
TP_API tp_status tp_journey_map_allow(tp_journey_map *map, const char *from, const char *to);

/** Identifier of the map (borrowed). */
TP_API const char *tp_journey_map_id(const tp_journey_map *map);

/** Number of designed stages. */
TP_API size_t tp_journey_map_stage_count(const tp_journey_map *map);

/** Name of designed stage @p stage (borrowed), NULL if out of range. */
TP_API const char *tp_journey_map_stage_name(const tp_journey_map *map, size_t stage);

/** Number of touchpoints in designed stage @p stage (0 if out of range). */
TP_API size_t tp_journey_map_stage_size(const tp_journey_map *map, size_t stage);

/** Touchpoint @p i of designed stage @p stage (borrowed), NULL if out of range. */
TP_API const char *tp_journey_map_stage_touchpoint(const tp_journey_map *map, size_t stage,
                                                   size_t i);

/** Number of allowed transitions. */
TP_API size_t tp_journey_map_transition_count(const tp_journey_map *map);

/**
 * Allowed transition @p i (borrowed strings).
 * @return ::TP_OK or ::TP_EINVAL (out of range)
 */
TP_API tp_status tp_journey_map_transition(const tp_journey_map *map, size_t i,
                                           const char **from, const char **to);

/** 1 if @p from -> @p to is allowed, 0 if not (or on bad arguments). */
TP_API int tp_journey_map_allows(const tp_journey_map *map, const char *from, const char *to);

/**
 * Add a copy of @p map to the catalog. Every touchpoint it names must be in the
 * catalog; its id must be new.
 * @return ::TP_OK; ::TP_ENOTFOUND (unknown touchpoint); ::TP_ECONFLICT (id taken);
 *         ::TP_EINVAL; ::TP_ENOMEM. On failure the catalog is unchanged.
 */
TP_API tp_status tp_catalog_add_journey_map(tp_catalog *catalog, const tp_journey_map *map);

/** Number of journey maps in the catalog. */
TP_API size_t tp_catalog_journey_map_count(const tp_catalog *catalog);

/** Journey map @p index, borrowed from the catalog; NULL if out of range. */
TP_API const tp_journey_map *tp_catalog_journey_map(const tp_catalog *catalog, size_t index);

/**
 * Find a journey map by id.
 * @param out receives the map, borrowed from the catalog
 * @return ::TP_OK, ::TP_ENOTFOUND, ::TP_EINVAL
 */
TP_API tp_status tp_catalog_find_journey_map(const tp_catalog *catalog, const char *id,
                                             const tp_journey_map **out);

/* ---- Targets ------------------------------------------------------------------------ */

/**
 * What a touchpoint may have a numeric target for, each on the scale the
 * scorecard reports it on (higher is better on every one). A target sits beside
 * the touchpoint's text expectation: "checkout is quick" and "CES at least 5.5".
 */
typedef enum tp_target {
    TP_TARGET_NPS = 0,     /**< "nps": Net Promoter Score, -100..100 */
    TP_TARGET_CSAT = 1,    /**< "csat": percent satisfied (4-5 of 5), 0..100 */
    TP_TARGET_CES = 2,     /**< "ces": mean customer effort (ease), 1..7 */
    TP_TARGET_RATING = 3,  /**< "rating": mean star rating, 1..5 */
    TP_TARGET_AUDIT = 4,   /**< "audit": mean mystery-shopping score, 0..100 */
    TP_TARGET_CX_INDEX = 5 /**< "cx_index": the CX index, 0..100 */
} tp_target;

/** Number of ::tp_target values (0 .. TP_TARGET_COUNT - 1). */
#define TP_TARGET_COUNT 6

/** The word of a target ("nps", ..., "cx_index"), the key in catalog JSON;
 * NULL for another value. Static text; thread-safe. */
TP_API const char *tp_target_name(tp_target target);

/**
 * The scale of @p target: [*lo, *hi] (NPS -100..100, CSAT 0..100, CES 1..7,
 * rating 1..5, audit and CX index 0..100).
 * @return ::TP_OK; ::TP_EINVAL for another value or a NULL output. Thread-safe.
 */
TP_API tp_status tp_target_scale(tp_target target, double *lo, double *hi);

/**
 * The target named @p name.
 * @return ::TP_OK; ::TP_EINVAL for NULL or another word (the message lists the words)
 */
TP_API tp_status tp_target_parse(const char *name, tp_target *out);

/**
 * Set touchpoint @p touchpoint's target for @p target to @p value; NaN removes
 * it. The value must lie on the target's scale (see ::tp_target).
 * @return ::TP_OK; ::TP_EINVAL (NULL catalog, index out of range, unknown
 *         target, a value off its scale: the message gives the scale)
 * Thread-safety: modifies the catalog.
 */
TP_API tp_status tp_catalog_set_target(tp_catalog *catalog, size_t touchpoint, tp_target target,
                                       double value);

/**
 * Touchpoint @p touchpoint's target for @p target, NaN when it has none (or
 * for a NULL catalog, an index out of range, an unknown target).
 * Thread-safety: reads the catalog.
 */
TP_API double tp_catalog_target(const tp_catalog *catalog, size_t touchpoint, tp_target target);

/* ---- Named funnels ------------------------------------------------------------------ */

/** A funnel definition (touchpoint/funnel.h builds and runs it). Opaque. */
typedef struct tp_funnel tp_funnel;

/**
 * Add a copy of @p funnel to the catalog under @p id: the funnels a team has
 * designed, kept with its touchpoints (`"funnels"` in catalog JSON). The CX
 * report uses the first one. Every step and exclusion must be a touchpoint of
 * the catalog (the message names the nearest id).
 * @return ::TP_OK; ::TP_EINVAL (NULL argument, bad id, no steps);
 *         ::TP_ENOTFOUND (unknown touchpoint); ::TP_ECONFLICT (id taken);
 *         ::TP_ENOMEM. On failure the catalog is unchanged.
 */
TP_API tp_status tp_catalog_add_funnel(tp_catalog *catalog, const char *id,
                                       const tp_funnel *funnel);

/** Number of named funnels in the catalog. */
TP_API size_t tp_catalog_funnel_count(const tp_catalog *catalog);

/** Id of funnel @p index (borrowed), NULL if out of range. */
TP_API const char *tp_catalog_funnel_id(const tp_catalog *catalog, size_t index);

/** Funnel @p index, borrowed from the catalog (valid while it lives); NULL if out of range. */
TP_API const tp_funnel *tp_catalog_funnel(const tp_catalog *catalog, size_t index);

/**
 * Find a funnel by id.
 * @param out receives the funnel, borrowed from the catalog
 * @return ::TP_OK; ::TP_ENOTFOUND (the message names the nearest id); ::TP_EINVAL
 */
TP_API tp_status tp_catalog_find_funnel(const tp_catalog *catalog, const char *id,
                                        const tp_funnel **out);

#ifdef __cplusplus
}
#endif

#endif /* TOUCHPOINT_CATALOG_H */

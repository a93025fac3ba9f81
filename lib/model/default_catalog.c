/* The built-in catalog: the standard touchpoints of each purchase stage. The
 * sample data set (examples/data) is drawn from the same ids. */
#include "core/error.h"
#include "touchpoint/catalog.h"

typedef struct entry {
    const char *id, *name, *stage, *channel;
    tp_kind kind;
    const char *owner, *expectation;
    double weight;
    const char *parent;
} entry;

#define D TP_KIND_DIGITAL
#define P TP_KIND_PHYSICAL
#define H TP_KIND_HUMAN

static const entry entries[] = {
    /* before purchase */
    {"social-media", "Social media", "before", "social", D, "Marketing",
     "Authentic posts and quick replies to questions", 1, NULL},
    {"online-reviews", "Ratings and reviews", "before", "web", D, "Marketing",
     "Honest reviews from real buyers, and replies to complaints", 2, NULL},
    {"word-of-mouth", "Word of mouth", "before", "offline", H, "Marketing",
     "Friends and family speak well of the brand", 1, NULL},
    {"advertising", "Advertising", "before", "media", D, "Marketing",
     "Relevant ads that do not overpromise", 1, NULL},
    {"search", "Search results", "before", "web", D, "Marketing",
     "The brand is easy to find and results lead to the right page", 1, NULL},
    {"community", "Community involvement", "before", "offline", H, "Communications",
     "The brand is a good neighbour", 0.5, NULL},
    {"catalog", "Printed catalog", "before", "mail", P, "Marketing",
     "Clear products and prices, easy to order from", 0.5, NULL},
    /* during purchase */
    {"website", "Website", "during", "web", D, "E-commerce",
     "Fast and clear; I find what I need", 2, NULL},
    {"product-page", "Product page", "during", "web", D, "E-commerce",
     "Accurate details, photos, stock and price", 2, "website"},
    {"cart", "Shopping cart", "during", "web", D, "E-commerce",
     "Keeps my items and shows the full cost early", 2, "website"},
    {"online-checkout", "Online checkout", "during", "web", D, "E-commerce",
     "Quick, secure payment without surprises", 3, "website"},
    {"promotions", "Promotions", "during", "web", D, "Marketing",
     "Offers that apply without fine print", 1, NULL},
    {"store", "Store", "during", "store", P, "Retail operations",
     "Welcoming and tidy, with products in stock", 2, NULL},
    {"store-parking", "Store parking", "during", "store", P, "Facilities",
     "Easy to park close to the entrance", 0.5, "store"},
    {"store-signage", "Store signage", "during", "store", P, "Retail operations",
     "Signs that lead me to what I want", 0.5, "store"},
    {"point-of-sale", "Point of sale", "during", "store", P, "Retail operations",
     "Short queues and working card terminals", 2, "store"},
    {"sales-staff", "Sales staff", "during", "store", H, "Retail operations",
     "Knowledgeable and friendly, never pushy", 2, NULL},
    {"phone", "Phone line", "during", "phone", H, "Customer service",
     "A short wait and a person who can help", 1, NULL},
    /* after purchase */
    {"billing", "Billing", "after", "email", D, "Finance",
     "Correct invoices and clear charges", 1, NULL},
    {"transactional-email", "Order e-mails", "after", "email", D, "E-commerce",
     "Confirmation and tracking right away", 1, NULL},
    {"delivery", "Delivery", "after", "courier", P, "Logistics",
     "On time and intact, with tracking", 3, NULL},
    {"marketing-email", "Marketing e-mails", "after", "email", D, "CRM",
     "Relevant, not too often, easy to unsubscribe", 0.5, NULL},
    {"support", "Customer support", "after", "chat", H, "Customer service",
     "A fast answer that solves the problem the first time", 3, NULL},
    {"help-center", "Help center", "after", "web", D, "Customer service",
     "Answers I can find myself", 1, NULL},
    {"returns", "Returns", "after", "store", P, "Customer service",
     "Free, easy returns and quick refunds", 2, NULL},
    {"follow-up", "Follow-up", "after", "email", H, "Customer service",
     "Someone checks that all is well", 1, NULL},
    {"thank-you-card", "Thank-you card", "after", "mail", P, "CRM", "A personal touch", 0.5,
     NULL},
    {"loyalty-program", "Loyalty programme", "after", "app", D, "CRM",
     "Rewards that are easy to earn and use", 1, NULL},
};

typedef struct stage_def {
    const char *name;
    const char *touchpoints[4];
} stage_def;

static const stage_def online_stages[] = {
    {"awareness", {"advertising", "social-media", "search", NULL}},
    {"consideration", {"online-reviews", "website", "product-page", NULL}},
    {"purchase", {"cart", "online-checkout", NULL, NULL}},
    {"post-purchase", {"transactional-email", "delivery", "follow-up", NULL}},
};

static const char *const online_allowed[][2] = {
    {"(start)", "advertising"},      {"(start)", "social-media"},
    {"(start)", "search"},           {"advertising", "online-reviews"},
    {"social-media", "online-reviews"}, {"search", "online-reviews"},
    {"online-reviews", "website"},   {"website", "product-page"},
    {"product-page", "cart"},        {"cart", "online-checkout"},
    {"online-checkout", "(end)"},    {"(start)", "transactional-email"},
    {"transactional-email", "delivery"}, {"delivery", "follow-up"},
    {"delivery", "(end)"},           {"follow-up", "(end)"},
};

static tp_status add_online_map(tp_catalog *c)
{
    tp_journey_map *m;
    tp_status st = tp_journey_map_new(&m, "online-purchase");
    for (size_t s = 0; st == TP_OK && s < sizeof online_stages / sizeof *online_stages; s++) {
        size_t n = 0;
        while (n < 4 && online_stages[s].touchpoints[n])
            n++;
        st = tp_journey_map_add_stage(m, online_stages[s].name, online_stages[s].touchpoints, n);
    }
    for (size_t i = 0; st == TP_OK && i < sizeof online_allowed / sizeof *online_allowed; i++)
        st = tp_journey_map_allow(m, online_allowed[i][0], online_allowed[i][1]);
    if (st == TP_OK)
        st = tp_catalog_add_journey_map(c, m);
    tp_journey_map_free(m);
    return st;
}

/* Starting targets for the touchpoints a CX team watches first; a team sets
 * its own (catalog JSON "targets"). */
static const struct {
    const char *id;
    tp_target target;
    double value;
} targets[] = {
    {"website", TP_TARGET_CSAT, 80},         {"website", TP_TARGET_CX_INDEX, 60},
    {"online-checkout", TP_TARGET_NPS, 0},   {"online-checkout", TP_TARGET_CES, 5.5},
    {"online-checkout", TP_TARGET_CX_INDEX, 70}, {"store", TP_TARGET_NPS, 10},
    {"store", TP_TARGET_AUDIT, 90},          {"point-of-sale", TP_TARGET_AUDIT, 80},
    {"sales-staff", TP_TARGET_NPS, 50},      {"sales-staff", TP_TARGET_RATING, 4.2},
    {"delivery", TP_TARGET_CSAT, 80},        {"support", TP_TARGET_CES, 5},
    {"follow-up", TP_TARGET_NPS, 0},         {"social-media", TP_TARGET_NPS, 20},
};

static tp_status add_targets(tp_catalog *c)
{
    tp_status st = TP_OK;
    for (size_t i = 0; st == TP_OK && i < sizeof targets / sizeof *targets; i++) {
        size_t t;
        st = tp_catalog_find_touchpoint(c, targets[i].id, &t);
        if (st == TP_OK)
            st = tp_catalog_set_target(c, t, targets[i].target, targets[i].value);
    }
    return st;
}

tp_status tp_catalog_new_default(tp_catalog **out)
{
    if (!out)
        return tp__error(TP_EINVAL, "tp_catalog_new_default: out is NULL");
    tp_catalog *c;
    tp_status st = tp_catalog_new(&c);
    if (st != TP_OK) {
        *out = NULL;
        return st;
    }
    for (size_t i = 0; st == TP_OK && i < sizeof entries / sizeof *entries; i++) {
        const entry *e = &entries[i];
        tp_touchpoint_def d;
        tp_touchpoint_def_init(&d, TP_TOUCHPOINT_DEF_VERSION);
        d.id = e->id;
        d.name = e->name;
        d.stage = e->stage;
        d.channel = e->channel;
        d.kind = e->kind;
        d.owner = e->owner;
        d.expectation = e->expectation;
        d.weight = e->weight;
        d.parent = e->parent;
        st = tp_catalog_add_touchpoint(c, &d, NULL);
    }
    if (st == TP_OK)
        st = add_targets(c);
    if (st == TP_OK)
        st = add_online_map(c);
    if (st != TP_OK) {
        tp_catalog_free(c);
        *out = NULL;
        return st;
    }
    *out = c;
    return TP_OK;
}

/**
 * @file touchpoint.h
 * @brief libtouchpoint: an embeddable customer-experience analytics engine.
 *
 * Umbrella header: includes every public header. Link with `pkg-config --libs
 * touchpoint`. See touchpoint/common.h for the conventions (status codes,
 * ownership, thread-safety) that every call follows.
 */
#ifndef TOUCHPOINT_H
#define TOUCHPOINT_H

#include "touchpoint/common.h"
#include "touchpoint/time.h"
#include "touchpoint/table.h"
#include "touchpoint/catalog.h"
#include "touchpoint/redact.h"
#include "touchpoint/ingest.h"
#include "touchpoint/events.h"
#include "touchpoint/feedback.h"
#include "touchpoint/metrics.h"
#include "touchpoint/sentiment.h"
#include "touchpoint/analysis.h"
#include "touchpoint/scoring.h"
#include "touchpoint/journeys.h"
#include "touchpoint/funnel.h"
#include "touchpoint/conformance.h"
#include "touchpoint/attribution.h"
#include "touchpoint/agg.h"
#include "touchpoint/registry.h"
#include "touchpoint/report.h"

#endif /* TOUCHPOINT_H */

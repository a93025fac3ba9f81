/* The bundled sample data set (examples/data), embedded at build time. */
#ifndef TOUCHPOINT_TOOL_SAMPLE_H
#define TOUCHPOINT_TOOL_SAMPLE_H

#include <stddef.h>

extern const char *const tp_sample_catalog[];
extern const size_t tp_sample_catalog_len;
extern const char *const tp_sample_events[];
extern const size_t tp_sample_events_len;
extern const char *const tp_sample_feedback[];
extern const size_t tp_sample_feedback_len;

#endif

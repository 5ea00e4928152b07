/* gp-plan-values.h: one number per grid for a heatmap (households, deviation from the target, households per full-time worker, party-contact coverage, service status), measured on the project as stored. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

/* Per grid code (char* → double*, newly allocated) the value of METRIC, by the CLI's names:
 * "households"; "deviation" ((households − T) / T against the last split's target, NaN before a
 * split); "per-worker" (households / full-time workers, +∞ for a grid without one, NaN for all
 * before a roster); "contact-coverage" (share of households linked to a party member, 0..1; NaN
 * before a roster or for an empty grid); "status" (the worst open service item: 0 green, 1
 * yellow, 2 red; NaN without items). Unknown METRIC: GP_ERROR_INVALID_ARGUMENT. */
GHashTable *gp_plan_grid_values (GpProject *project, const char *metric, GError **error);

G_END_DECLS

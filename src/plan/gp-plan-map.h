/* gp-plan-map.h: a project's printed map (export --map, the window's Export Map…): title, heatmap or density with its legend, grids, scale, north, source. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  const char *metric;     /* a heatmap metric (gp_heatmap_metric_parse) or "density"; NULL: none */
  const char *area_code;  /* the area shown; NULL: all */
  const char *size;       /* A4, A3 or WxH (gp_print_parse_size); NULL: A4 */
  double      bandwidth;  /* density: metres; <= 0 chosen from the data */
} GpPlanMapOptions;

void     gp_plan_map_options_init (GpPlanMapOptions *options);

/* Writes the map of PROJECT to PATH (.png, .pdf or .svg by its name), one page, dated today,
 * under a temporary name renamed into place. Errors name the project (it cannot be read, the
 * metric or area is unknown) or PATH (it cannot be written). */
gboolean gp_plan_export_map (GpProject *project, const GpPlanMapOptions *options, const char *path, GError **error);

G_END_DECLS

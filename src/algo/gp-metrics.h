/* gp-metrics.h: shape measures used to judge grids (compactness, areas in metres). */
#pragma once

#include "gp-shape.h"

G_BEGIN_DECLS

/* Polsby-Popper compactness 4πA/P² of a polygon shape in a metric CRS, 0 for non-polygons. */
double gp_metrics_polsby_popper (const GpShape *shape);
/* Area (holes subtracted) and perimeter (all rings) of a polygon shape, in CRS units. */
double gp_metrics_area          (const GpShape *shape);
double gp_metrics_perimeter     (const GpShape *shape);

G_END_DECLS

/* gp-label-point.h: where a polygon's label goes: its pole of inaccessibility, always inside. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The point inside one polygon (rings FIRST_RING .. FIRST_RING + N_RINGS - 1 of XY/PART_START,
 * the first being the outer ring) farthest from its edges, found to within PRECISION (map
 * units) by the "polylabel" cell search. Returns the distance from the edges (0 for a
 * degenerate polygon, whose bbox centre is then given). */
double gp_label_point (const double *xy, const guint *part_start, guint first_ring, guint n_rings,
                       double precision, double *x, double *y);

G_END_DECLS

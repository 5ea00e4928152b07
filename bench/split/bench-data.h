/* bench-data.h: the split benchmarks' seeded data: clustered Voronoi-like units, street blocks, household points, and the shapefiles of them. */
#pragma once

#include <glib.h>

#include "bench-common.h"
#include "src/core/gp-layer.h"

/* About N clustered Voronoi-like units (hexagonal bricks of a jittered lattice squeezed towards
 * town centres, lakes cut out, the largest connected piece kept); 20..80 households each. */
Units   *bench_clustered_units (guint n, guint32 seed);

/* About N square blocks of 40 m in a square lattice, STREET metres apart, every corner moved by
 * up to 3 m (streets vary); 20..80 households each. The graph joins blocks across a street. */
Units   *bench_street_blocks   (guint n, double street, guint32 seed);

/* The units as a polygon layer (metres, no CRS) with their households in field HH. */
GpLayer *bench_units_layer     (const Units *u);

/* N household points around a few town centres (metres), field N = 1 each. */
GpLayer *bench_points_layer    (guint n, guint32 seed);

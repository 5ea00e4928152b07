/* gp-assign.h: people to grids as a minimum-cost flow (GLPK): every grid gets one before any gets a second, at the least total distance. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Assigns N_WORKERS people to N_GRIDS grids. NEED[g] is how many grid g takes (at most 200);
 * COST (n_workers × n_grids, row per worker) the distance in metres from a worker's home to a
 * grid, negative or NaN where the worker may not serve it. As many workers as the grids can take
 * are placed; grids fill evenly by the share of their places taken, so no grid gets its second
 * before every grid a worker can reach has its first; within that, the total distance is the
 * least (to 100 m). Returns per worker the grid index or −1. Fails only when GLPK does
 * (GP_ERROR_FAILED). */
gint *gp_assign_workers (guint         n_workers,
                         guint         n_grids,
                         const double *cost,
                         const guint  *need,
                         GError      **error);

G_END_DECLS

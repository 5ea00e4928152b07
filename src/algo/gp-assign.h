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

/* A party member's contact: so many households of one place. */
typedef struct {
  guint member;
  guint place;
  guint households;
} GpContactLink;

/* Links N_MEMBERS party members, each keeping in contact with REACH[m] households, to the
 * households of N_PLACES places (units holding HOUSEHOLDS[p] households, or single household
 * points). MEMBER_XY and PLACE_XY are positions in metres (NaN: a member's home is unknown, and
 * every place is as near). As many households as the members reach are linked, each at most
 * once; within that, households go to the members living nearest (a minimum-cost flow over each
 * member's nearest places and each place's nearest members). Returns GpContactLinks; fails
 * only when GLPK does (GP_ERROR_FAILED). */
GArray *gp_assign_contacts (guint         n_members,
                            const guint  *reach,
                            const double *member_xy,
                            guint         n_places,
                            const guint  *households,
                            const double *place_xy,
                            GError      **error);

G_END_DECLS

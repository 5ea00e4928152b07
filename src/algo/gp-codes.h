/* gp-codes.h: grid codes (一格一码): the area's code and a sequence in map reading order. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What an area's grid codes start with: a 12-digit statistical code (GB/T 10114) as it is;
 * NULL or empty (no area code known) "000000000000"; any other value (a name, a short number)
 * that value followed by "-", so "A" gives "A-001". */
char   *gp_codes_prefix          (const char *area_code);

/* The order a planner reads grids on a north-up map: rows from north to south, west to east
 * inside a row. X, Y are the grids' centroids in metres (y grows northwards), AREA their areas
 * in m². A row starts at the northernmost grid not yet numbered and takes every remaining grid
 * whose centroid lies less than 0.75·√(mean grid area) further south, so grids of one band of
 * the map share a row even when their centroids are staggered. Returns the grid indices in
 * reading order (n entries; ties broken by x, then by index, so the order is deterministic). */
guint  *gp_codes_reading_order   (guint         n,
                                  const double *x,
                                  const double *y,
                                  const double *area);

/* Codes for the N grids of one area. KEEP (NULL, or per grid NULL or a code) gives codes that
 * must survive, e.g. of grids whose units did not change; TAKEN are codes already used in the
 * area by grids that are not being renumbered (locked or exclusive grids). Every other grid
 * takes the smallest free sequence number, in reading order. The sequence has 3 digits, more
 * only when the area holds more than 999 grids. Returns N newly allocated codes. */
char  **gp_codes_assign          (const char        *area_code,
                                  guint              n,
                                  const double      *x,
                                  const double      *y,
                                  const double      *area,
                                  const char *const *keep,
                                  const char *const *taken,
                                  guint              n_taken);

/* For each of N_NEW grids (its units as indices, in any order) the code of the earlier grid
 * made of exactly the same units, or NULL. Grids without units match nothing. Returns N_NEW
 * borrowed pointers into OLD_CODES (free the array only). */
const char **gp_codes_match_previous (guint               n_new,
                                      const guint *const *new_units,
                                      const guint        *new_n_units,
                                      guint               n_old,
                                      const guint *const *old_units,
                                      const guint        *old_n_units,
                                      const char *const  *old_codes);

G_END_DECLS

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
 * must survive, e.g. inherited from the old grid on the same ground; TAKEN are codes already used
 * in the area by grids that are not being renumbered (locked or exclusive grids); RETIRED are
 * codes of old grids that are gone, never given again. Every other grid takes, in reading order,
 * the smallest free sequence number, or after a re-split that retired codes, the next number
 * after the highest in use or retired. The sequence has 3 digits, more only when the area holds
 * more than 999 grids. Returns N newly allocated codes. */
char  **gp_codes_assign          (const char        *area_code,
                                  guint              n,
                                  const double      *x,
                                  const double      *y,
                                  const double      *area,
                                  const char *const *keep,
                                  const char *const *taken,
                                  guint              n_taken,
                                  const char *const *retired,
                                  guint              n_retired);

/* What a new grid and an old grid of the same area share: households (or, where households are
 * not known, area) on the same ground. */
typedef struct {
  guint  new_grid;
  guint  old_grid;
  double shared;
} GpCodesShare;

/* Codes follow ground: each of N_NEW grids (NEW_WEIGHT: its households) takes the code of the
 * old grid it shares most with, when that is at least half of it; an old code goes to one new
 * grid only, the one sharing most with it. Deterministic whatever the order of SHARES. Returns
 * N_NEW borrowed pointers into OLD_CODES or NULL (free the array only). */
const char **gp_codes_inherit    (guint               n_new,
                                  const double       *new_weight,
                                  guint               n_old,
                                  const char *const  *old_codes,
                                  const GpCodesShare *shares,
                                  guint               n_shares);

G_END_DECLS

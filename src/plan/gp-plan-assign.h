/* gp-plan-assign.h: the roster's people assigned to grids: full-time workers and party members near home in their own community, building and unit heads to the grid holding their home, instructors spread over their community's grids. */
#pragma once

#include <glib.h>

#include "gp-plan-roster.h"
#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  char  *community;   /* its code */
  guint  grids;       /* grids it has */
  guint  workers;     /* full-time workers it has */
} GpAssignShort;

typedef struct {
  /* Households per party member unless the roster says (5, as in Ordos); 0: as the project's
   * last `assign`, else 5. */
  double contact_ratio;
} GpAssignOptions;

void gp_assign_options_init (GpAssignOptions *options);

typedef struct {
  guint      assigned[GP_ROLE_N];  /* placed by this run, per role */
  guint      kept[GP_ROLE_N];      /* manual or locked assignments left as they were */
  guint      unplaced[GP_ROLE_N];  /* left without a grid (more people than places, no home) */
  guint      no_home;              /* building and unit heads without a home to place them by */
  GPtrArray *grids_without_worker; /* of char*: codes of grids with no full-time worker */
  GArray    *short_communities;    /* of GpAssignShort */
  guint      grids_short_of_party; /* grids with fewer party members than households / ratio */
  gint64     contact_households;   /* households linked to a party member */
} GpAssignResult;

void gp_assign_result_free (GpAssignResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpAssignResult, gp_assign_result_free)

/* Assigns the project's people to its grids, each role in its own way, in one transaction:
 * - full-time workers (fulltime) to the grids of their community: one per grid, two for a grid
 *   above 1.5 × T (T of the last split, else 300), no grid its second before every grid its first,
 *   the least total distance from home to grid (a minimum-cost flow);
 * - party members likewise, ceil (households / contact ratio) places per grid, grids filled evenly;
 * - department instructors spread evenly over the grids of their community, a department's apart
 *   where the numbers allow;
 * - building and unit heads to the grid holding their home;
 * then every party member on a grid is linked to the households nearest home (gp-plan-contacts.h).
 * People without a home cost nothing anywhere. Manual and locked assignments stay and count;
 * earlier automatic ones are replaced. */
GpAssignResult *gp_plan_assign (GpProject *project, const GpAssignOptions *options, GError **error);

G_END_DECLS

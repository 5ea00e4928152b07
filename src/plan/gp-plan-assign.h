/* gp-plan-assign.h: full-time grid workers assigned to the grids of their own community, nearest first, every grid one before any gets a second. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  char  *community;   /* its code */
  guint  grids;       /* grids it has */
  guint  workers;     /* full-time workers it has */
} GpAssignShort;

typedef struct {
  guint      assigned;            /* workers placed by this run */
  guint      kept;                /* manual or locked assignments left as they were */
  guint      unplaced;            /* full-time workers left without a grid (more than places) */
  GPtrArray *grids_without_worker;/* of char*: codes */
  GArray    *short_communities;   /* of GpAssignShort */
} GpAssignResult;

void gp_assign_result_free (GpAssignResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpAssignResult, gp_assign_result_free)

/* Assigns the project's full-time workers (role fulltime) to the grids of their community: one
 * per grid, two for a grid above 1.5 × T (T of the last split, else 300), no grid its second
 * before every grid its first, the least total distance from home to grid (people without a home
 * cost nothing anywhere). Manual and locked assignments stay and count; earlier automatic ones are
 * replaced, in one transaction. */
GpAssignResult *gp_plan_assign (GpProject *project, GError **error);

G_END_DECLS

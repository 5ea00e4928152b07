/* gp-plan-load.h: the people side of a project's report: who there is, who has no grid, how many households each full-time worker serves, households no party member is in contact with. */
#pragma once

#include <glib.h>

#include "gp-plan-roster.h"
#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  guint   total;                  /* people on the roster */
  guint   by_role[GP_ROLE_N];
  guint   unassigned;             /* people with no grid */
  guint   grids;                  /* grids in the project */
  guint   grids_without_worker;   /* grids with no full-time worker */
  double  per_worker_max;         /* households per full-time worker over the grids that have one */
  double  per_worker_median;
  /* Households no party member is linked to (party_contacts, as `assign` links them). */
  gint64  households_without_party_contact;
  guint   events[3];              /* service items: green, yellow, red (GpEventStatus) */
} GpPeopleLoad;

/* Measures PROJECT's people, grids and party contacts as stored. */
gboolean gp_plan_people_load (GpProject *project, GpPeopleLoad *load, GError **error);

G_END_DECLS

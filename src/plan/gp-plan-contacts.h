/* gp-plan-contacts.h: party members linked to the households of their grid nearest their home (党员联系户), so that a household without a party member in contact can be found and listed. */
#pragma once

#include <glib.h>

#include "gp-crs.h"
#include "gp-plan-data.h"

G_BEGIN_DECLS

/* Where each of PEOPLE (of GpProjectPerson) lives in FRAME: HOME (2 per person) gets x, y in
 * metres, NaN where the home or the frame is not known. */
void       gp_plan_homes         (GpLocalFrame *frame, GPtrArray *people, double *home);

/* The party contacts (of GpProjectContact) of the party members ASSIGNMENTS place on DATA's
 * grids: each member keeps in contact with their roster capacity, else RATIO, households of
 * their grid, those nearest their home (HOME as gp_plan_homes gives it), each household with one
 * member at most and as many households linked as the members can reach. The households are
 * the grid's units (compounds, villager groups) with their counts, its household points, or,
 * when it has neither, its household total. */
GPtrArray *gp_plan_contacts_link (GpPlanData   *data,
                                  GpLocalFrame *frame,
                                  GPtrArray    *people,
                                  const double *home,
                                  GPtrArray    *assignments,
                                  double        ratio,
                                  GError      **error);

/* Links PROJECT's party members again from its assignments as stored (after hand edits) and
 * stores the contacts in one transaction. RATIO <= 0: the ratio of the last `assign`, else 5. */
gboolean   gp_plan_relink_contacts (GpProject *project, double ratio, GError **error);

/* The households of a grid as party contacts are made with them: a unit, a household point, or
 * (neither code) the grid's households known only as a total; with how many are in contact. */
typedef struct {
  char   *grid_code;
  char   *unit_code;
  char   *household_code;
  gint64  households;
  gint64  in_contact;
} GpContactPlace;

void       gp_contact_place_free  (GpContactPlace *place);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpContactPlace, gp_contact_place_free)

/* Every grid's places (of GpContactPlace), grid by grid in DATA's order, with the households
 * CONTACTS (of GpProjectContact) keep in contact: what a planner lists to find the households
 * no party member is in contact with. */
GPtrArray *gp_plan_contact_places (GpPlanData *data, GPtrArray *contacts);

G_END_DECLS

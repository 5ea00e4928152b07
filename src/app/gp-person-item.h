/* gp-person-item.h: one person as a row of the window's people list: name, role, community, the grids they serve, phone. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GP_TYPE_PERSON_ITEM (gp_person_item_get_type ())
G_DECLARE_FINAL_TYPE (GpPersonItem, gp_person_item, GP, PERSON_ITEM, GObject)

/* ROLE: the role's name in the planner's words; GRIDS: the codes of the grids they serve,
 * joined by "、" (NULL: none); PHONE: as on the roster (the list masks it when showing it). */
GpPersonItem *gp_person_item_new (const char *id, const char *name, const char *role, const char *community,
                                  const char *grids, const char *phone);

const char *gp_person_item_get_id        (GpPersonItem *self);
const char *gp_person_item_get_name      (GpPersonItem *self);
const char *gp_person_item_get_role      (GpPersonItem *self);
const char *gp_person_item_get_community (GpPersonItem *self);
/* NULL: on no grid. */
const char *gp_person_item_get_grids     (GpPersonItem *self);
/* The first grid they serve, or NULL. */
const char *gp_person_item_get_first_grid (GpPersonItem *self);
const char *gp_person_item_get_phone     (GpPersonItem *self);
/* What a search matches: name, role, community and grids, lower case. */
const char *gp_person_item_get_search_text (GpPersonItem *self);

G_END_DECLS

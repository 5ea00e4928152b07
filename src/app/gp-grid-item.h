/* gp-grid-item.h: one grid as a row of the window's grid list: code, name, community, households, deviation from the target, full-time workers, households in party contact, service status. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GP_TYPE_GRID_ITEM (gp_grid_item_get_type ())
G_DECLARE_FINAL_TYPE (GpGridItem, gp_grid_item, GP, GRID_ITEM, GObject)

/* DEVIATION and CONTACTS: NaN / -1 when not known; STATUS: -1 none, 0 green, 1 yellow, 2 red. */
GpGridItem *gp_grid_item_new (const char *code, const char *name, const char *community, gint64 households,
                              double deviation, const char *workers, gint64 contacts, int status);

const char *gp_grid_item_get_code      (GpGridItem *self);
const char *gp_grid_item_get_name      (GpGridItem *self);
const char *gp_grid_item_get_community (GpGridItem *self);
gint64      gp_grid_item_get_households (GpGridItem *self);
double      gp_grid_item_get_deviation (GpGridItem *self);
const char *gp_grid_item_get_workers   (GpGridItem *self);
gint64      gp_grid_item_get_contacts  (GpGridItem *self);
int         gp_grid_item_get_status    (GpGridItem *self);
/* What a search matches: code, name, community and workers, lower case. */
const char *gp_grid_item_get_search_text (GpGridItem *self);

G_END_DECLS

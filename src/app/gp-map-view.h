/* gp-map-view.h: the map widget: draws a GpMapData through gp_render_map, pans and zooms. */
#pragma once

#include <gtk/gtk.h>

#include "gp-density.h"
#include "gp-heatmap.h"
#include "gp-map-data.h"
#include "gp-style.h"
#include "gp-viewport.h"

G_BEGIN_DECLS

#define GP_TYPE_MAP_VIEW (gp_map_view_get_type ())
G_DECLARE_FINAL_TYPE (GpMapView, gp_map_view, GP, MAP_VIEW, GtkWidget)

GtkWidget  *gp_map_view_new          (void);
GpMapData  *gp_map_view_get_data     (GpMapView *self);
/* Shows DATA (may be NULL); with FIT the view is fitted to it as soon as it has a size. The
 * "drawn" signal is emitted once after the first frame that shows the new data. */
void        gp_map_view_set_data     (GpMapView *self, GpMapData *data, gboolean fit);
/* Colours the grids by HEATMAP (a reference is taken; NULL: plain) with its legend in the
 * bottom right corner; "drawn" is emitted again once the map shows it. */
void        gp_map_view_set_heatmap  (GpMapView *self, GpHeatmap *heatmap);
GpHeatmap  *gp_map_view_get_heatmap  (GpMapView *self);
/* Paints DENSITY (a reference is taken; NULL: none) under the outlines, its bandwidth chosen for
 * each view unless fixed, with its legend; "drawn" again once shown. */
void        gp_map_view_set_density  (GpMapView *self, GpDensity *density);
/* "drawn" again after the next complete frame (the window's layout changed around the map). */
void        gp_map_view_announce_next_frame (GpMapView *self);
/* Shows or hides LAYER (the layer list); the map is drawn again. */
void        gp_map_view_set_layer_visible (GpMapView *self, GpMapLayer layer, gboolean visible);
/* Outlines GRIDS (codes, NULL-terminated; NULL: none) over the map: the selection. */
void        gp_map_view_set_selection (GpMapView *self, const char *const *grids);
GpViewport *gp_map_view_get_viewport (GpMapView *self);
GpStyle    *gp_map_view_get_style    (GpMapView *self);

void        gp_map_view_zoom_fit     (GpMapView *self);
/* Zooms by FACTOR around the centre of the view (keyboard zoom). */
void        gp_map_view_zoom         (GpMapView *self, double factor);

/* With PAINT on, a drag over the map is a brush stroke ("painted") instead of a pan. */
void gp_map_view_set_paint_mode (GpMapView *self, gboolean paint);

G_END_DECLS

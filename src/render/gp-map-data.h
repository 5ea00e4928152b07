/* gp-map-data.h: the layers a map shows, projected once into local metres and indexed for drawing. */
#pragma once

#include <cairo.h>

#include <glib-object.h>

#include "gp-crs.h"
#include "gp-layer.h"
#include "gp-project.h"

#include "gp-viewport.h"

G_BEGIN_DECLS

typedef enum {
  GP_MAP_LAYER_AREAS,
  GP_MAP_LAYER_UNITS,
  GP_MAP_LAYER_HOUSEHOLDS,
  GP_MAP_LAYER_GRIDS,
  /* Service items (points); each one's status (0 green, 1 yellow, 2 red) in its fill. */
  GP_MAP_LAYER_EVENTS,
  /* The people of the roster, at their homes (points). */
  GP_MAP_LAYER_PEOPLE,
  GP_MAP_N_LAYERS
} GpMapLayer;

#define GP_TYPE_MAP_DATA (gp_map_data_get_type ())
G_DECLARE_FINAL_TYPE (GpMapData, gp_map_data, GP, MAP_DATA, GObject)

/* Any layer may be NULL. All layers are taken to share the CRS of the first that has one; the
 * local frame is built from their joint bbox (lon/lat without a CRS is recognised by range;
 * other data without a CRS is drawn as it is). Immutable once built, so it may be built in a
 * worker thread and drawn in another. */
GpMapData  *gp_map_data_new_from_layers    (GpLayer *areas, GpLayer *units, GpLayer *households,
                                            GpLayer *grids, GError **error);
/* The project's areas, units, households and grids. */
GpMapData  *gp_map_data_new_from_project   (GpProject *project, GError **error);
/* One shapefile for viewing: polygons and lines are shown as areas, points as households. */
GpMapData  *gp_map_data_new_from_shapefile (const char *path, GError **error);

/* Extent of everything, in local metres; FALSE when there is nothing to show. */
gboolean    gp_map_data_get_bbox           (GpMapData *self, double bbox[4]);
guint       gp_map_data_get_n_features     (GpMapData *self, GpMapLayer layer);
/* Extent (local metres) of the features of LAYER with CODE; FALSE when there is none. */
gboolean    gp_map_data_get_feature_bbox   (GpMapData *self, GpMapLayer layer, const char *code, double bbox[4]);
/* The name (owned by SELF; NULL: none) and households (-1: unknown) of the first feature of
 * LAYER with CODE; FALSE when there is none. */
gboolean    gp_map_data_get_feature_info   (GpMapData *self, GpMapLayer layer, const char *code, const char **name,
                                            gint64 *households);
/* The code of the polygon of LAYER under the point X, Y (local metres), the smallest when several
 * overlap; NULL when none. Owned by SELF. */
const char *gp_map_data_find_at            (GpMapData *self, GpMapLayer layer, double x, double y);
/* The codes (owned by SELF, each once, in the layer's order) of the polygons of LAYER whose
 * label point (inside each) lies in BOX (x0, y0, x1, y1 in local metres, any corner order):
 * what a rubber band drawn over the map selects. */
GPtrArray  *gp_map_data_find_in_box        (GpMapData *self, GpMapLayer layer, const double box[4]);
/* Adds the outline of every feature of LAYER with CODE to CR's path, TO_SCREEN (a viewport:
 * local metres → pixels) applied; FALSE when there is none. */
gboolean    gp_map_data_trace_feature      (GpMapData *self, GpMapLayer layer, const char *code, GpViewport *viewport,
                                            cairo_t *cr);
/* The frame from source coordinates to the local metres drawn; NULL when drawn as stored. */
GpLocalFrame *gp_map_data_get_frame        (GpMapData *self);
/* TRUE when the drawn coordinates are metres (projected data, or a known metric CRS); FALSE
 * for data of unknown units, drawn as stored and shown without a scale bar. */
gboolean    gp_map_data_is_metric          (GpMapData *self);
/* Notes on what could not be shown as it should (in the user's language), of char*. */
GPtrArray  *gp_map_data_get_warnings       (GpMapData *self);

G_END_DECLS

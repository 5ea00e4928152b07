/* gp-map-data-private.h: the projected feature arrays the renderer walks; not for other modules. */
#pragma once

#include "gp-map-data.h"
#include "gp-shape.h"
#include "gp-spatial-index.h"

G_BEGIN_DECLS

typedef struct {
  double bbox[4];          /* local metres */
  guint first_part;        /* rings/lines/points: parts [first_part, first_part + n_parts) */
  guint n_parts;
  GpShapeKind kind;
  double area;             /* square metres; 0 for points and lines */
  double label_x;          /* where its label is centred (inside the polygon) */
  double label_y;
  double label_room;       /* distance from the label point to the nearest edge, metres */
  const char *name;        /* NULL when none */
  const char *code;
  gint64 households;       /* -1 when unknown */
  guint8 rank;             /* 0 = the coarsest level of the layer */
  guint8 fill;             /* palette index, different from overlapping neighbours */
} GpMapFeature;

typedef struct {
  GpMapFeature *features;
  guint n_features;
  double *xy;              /* every point of every part, 2 per point */
  guint *part_start;       /* n_parts + 1 entries into the points */
  guint n_parts;
  guint n_ranks;           /* distinct levels, at least 1 */
  GpSpatialIndex *index;
} GpMapLayerData;

const GpMapLayerData *gp_map_data_get_layer (GpMapData *self, GpMapLayer layer);

G_END_DECLS

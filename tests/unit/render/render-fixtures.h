/* render-fixtures.h: small layers built in code for the render tests (no files needed). */
#pragma once

#include "gp-layer.h"
#include "gp-shape.h"

/* A polygon of one ring from N corner pairs (closed here). */
static inline GpShape *
fixture_ring (const double *corners, guint n)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, n + 1, 1, 1);

  for (guint i = 0; i < n; i++)
    {
      shape->xy[2 * i] = corners[2 * i];
      shape->xy[2 * i + 1] = corners[2 * i + 1];
    }
  shape->xy[2 * n] = corners[0];
  shape->xy[2 * n + 1] = corners[1];
  shape->part_start[0] = 0;
  shape->part_start[1] = n + 1;
  shape->polygon_start[0] = 0;
  shape->polygon_start[1] = 1;
  return shape;
}

static inline GpShape *
fixture_square (double x0, double y0, double size)
{
  double c[] = { x0, y0, x0, y0 + size, x0 + size, y0 + size, x0 + size, y0 };

  return fixture_ring (c, 4);
}

/* A layer with fields 名称 (text), code (text), parent_code (text) and households (integer). */
static inline GpLayer *
fixture_layer (const char *name)
{
  GpLayer *layer = gp_layer_new (name);

  gp_layer_add_field (layer, "名称", GP_FIELD_STRING, 80, 0);
  gp_layer_add_field (layer, "code", GP_FIELD_STRING, 20, 0);
  gp_layer_add_field (layer, "parent_code", GP_FIELD_STRING, 20, 0);
  gp_layer_add_field (layer, "households", GP_FIELD_INTEGER, 10, 0);
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYGON);
  return layer;
}

static inline GpFeature *
fixture_add (GpLayer *layer, GpShape *shape, const char *name, const char *code,
             const char *parent, gint64 households)
{
  GpFeature *f = gp_layer_append (layer, shape, gp_layer_get_n_features (layer));

  gp_feature_set_text (layer, f, 0, name);
  gp_feature_set_text (layer, f, 1, code);
  gp_feature_set_text (layer, f, 2, parent);
  f->values[3].is_null = households < 0;
  f->values[3].integer = households;
  return f;
}

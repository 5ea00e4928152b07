/* store-fixtures.h: in-memory layers for the project tests: a small district of Ordos, made up. */
#pragma once

#include <string.h>

#include "gp-crs.h"
#include "gp-error.h"
#include "gp-layer.h"
#include "gp-project.h"
#include "gp-test-util.h"

/* An axis-aligned rectangle as a one-ring polygon (clockwise, as shapefiles store outer rings). */
static inline GpShape *
fixture_rect (double x0, double y0, double x1, double y1)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 5, 1, 1);
  const double xy[10] = { x0, y0, x0, y1, x1, y1, x1, y0, x0, y0 };

  memcpy (shape->xy, xy, sizeof xy);
  return shape;
}

/* A layer with the given fields: "NAME:s" text, "NAME:i" integer, "NAME:r" real. */
static inline GpLayer *
fixture_layer (const char *name, const char *const *fields, int epsg)
{
  GpLayer *layer = gp_layer_new (name);
  g_autofree char *path = g_strdup_printf ("%s.shp", name);

  gp_layer_set_source_path (layer, path);
  for (gsize i = 0; fields[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (fields[i], ":", 2);
      GpFieldType type = GP_FIELD_STRING;

      if (parts[1] != NULL && parts[1][0] == 'i')
        type = GP_FIELD_INTEGER;
      else if (parts[1] != NULL && parts[1][0] == 'r')
        type = GP_FIELD_REAL;
      gp_layer_add_field (layer, parts[0], type, 0, 0);
    }
  if (epsg > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpCrs) crs = gp_crs_new_from_epsg (epsg, &error);

      g_assert_no_error (error);
      gp_layer_set_crs (layer, crs);
    }
  return layer;
}

/* Appends a feature; VALUES are texts parsed by field type, NULL for a null value. */
static inline GpFeature *
fixture_add (GpLayer *layer, GpShape *shape, const char *const *values)
{
  guint record = gp_layer_get_n_features (layer);
  GpFeature *feature = gp_layer_append (layer, shape, record);

  for (guint i = 0; i < gp_layer_get_n_fields (layer); i++)
    {
      const GpField *field = gp_layer_get_field (layer, i);

      if (values[i] == NULL)
        continue;
      switch (field->type)
        {
        case GP_FIELD_INTEGER:
          feature->values[i].is_null = FALSE;
          feature->values[i].integer = g_ascii_strtoll (values[i], NULL, 10);
          break;
        case GP_FIELD_REAL:
          feature->values[i].is_null = FALSE;
          feature->values[i].real = g_ascii_strtod (values[i], NULL);
          break;
        case GP_FIELD_STRING:
        case GP_FIELD_DATE:
        case GP_FIELD_LOGICAL:
        default:
          gp_feature_set_text (layer, feature, i, values[i]);
          break;
        }
    }
  return feature;
}

#define V(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* 交通街道 (a street) and its four villages/communities, in lon/lat (EPSG:4326):
 *   150602001003 林荫社区 | 150602001004 铜川嘎查
 *   150602001001 宏泰社区 | 150602001002 巴音门克村
 * each 0.05° square, the street the 0.1° square around them. */
static inline GpLayer *
fixture_areas (void)
{
  GpLayer *layer = fixture_layer ("areas", V ("代码", "名称", "户数:i"), 4326);

  fixture_add (layer, fixture_rect (109.90, 39.80, 110.00, 39.90), V ("150602001000", "交通街道", NULL));
  fixture_add (layer, fixture_rect (109.90, 39.80, 109.95, 39.85), V ("150602001001", "宏泰社区", "1200"));
  fixture_add (layer, fixture_rect (109.95, 39.80, 110.00, 39.85), V ("150602001002", "巴音门克村", "800"));
  fixture_add (layer, fixture_rect (109.90, 39.85, 109.95, 39.90), V ("150602001003", "林荫社区", "950"));
  fixture_add (layer, fixture_rect (109.95, 39.85, 110.00, 39.90), V ("150602001004", "铜川嘎查", "400"));
  return layer;
}

/* Compounds: two in 宏泰社区, one in 林荫社区, one in 巴音门克村; no area field (found by location). */
static inline GpLayer *
fixture_units (void)
{
  GpLayer *layer = fixture_layer ("units", V ("编码", "小区名称", "户数:i"), 4326);

  fixture_add (layer, fixture_rect (109.905, 39.805, 109.92, 39.82), V ("U001", "阳光小区", "320"));
  fixture_add (layer, fixture_rect (109.925, 39.805, 109.94, 39.82), V ("U002", "幸福里", "280"));
  fixture_add (layer, fixture_rect (109.905, 39.855, 109.92, 39.87), V ("U003", "林荫家园", "410"));
  fixture_add (layer, fixture_rect (109.955, 39.805, 109.97, 39.82), V ("U004", "一组", "60"));
  return layer;
}

static inline GpProject *
fixture_project (const char *dir, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GpProject *project = gp_project_create (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static inline void
fixture_import (GpProject *project, GpLayer *layer, GpImportKind kind, GPtrArray *notes)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (gp_project_import (project, layer, kind, NULL, &n, notes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, gp_layer_get_n_features (layer));
}

/* TRUE when one of NOTES contains TEXT. */
static inline gboolean
fixture_has_note (GPtrArray *notes, const char *text)
{
  for (guint i = 0; i < notes->len; i++)
    if (strstr (g_ptr_array_index (notes, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static inline void
fixture_print_notes (GPtrArray *notes)
{
  for (guint i = 0; i < notes->len; i++)
    g_test_message ("note: %s", (const char *) g_ptr_array_index (notes, i));
}

/* The text value of FIELD in the feature whose CODE_FIELD is CODE, or NULL. */
static inline const char *
fixture_lookup (GpLayer *layer, const char *code, const char *field)
{
  int code_index = gp_layer_find_field (layer, "code");
  int index = gp_layer_find_field (layer, field);

  g_assert_cmpint (code_index, >=, 0);
  g_assert_cmpint (index, >=, 0);
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpFeature *feature = gp_layer_get_feature (layer, i);

      if (!feature->values[code_index].is_null && g_strcmp0 (feature->values[code_index].text, code) == 0)
        return feature->values[index].is_null ? NULL : feature->values[index].text;
    }
  g_assert_not_reached ();
  return NULL;
}

/* test-layer.c: shapes and layers keep what they are given. */
#include <math.h>
#include <string.h>

#include "gp-layer.h"

static void
test_shape_basics (void)
{
  GpShape *ring = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 5, 1, 1);
  static const double ccw[] = { 0, 0, 4, 0, 4, 3, 0, 3, 0, 0 };
  double bbox[4];
  g_autoptr(GpShape) copy = NULL;

  memcpy (ring->xy, ccw, sizeof ccw);
  g_assert_cmpfloat (gp_shape_ring_signed_area (ring, 0), ==, 12.0);
  g_assert_true (gp_shape_get_bbox (ring, bbox));
  g_assert_cmpfloat (bbox[2], ==, 4.0);
  g_assert_cmpfloat (bbox[3], ==, 3.0);
  copy = gp_shape_copy (ring);
  g_assert_true (gp_shape_equal (ring, copy));
  copy->xy[3] = 0.5;
  g_assert_false (gp_shape_equal (ring, copy));
  gp_shape_free (ring);

  g_assert_true (gp_shape_is_empty (NULL));
  {
    g_autoptr(GpShape) empty = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
    g_assert_true (gp_shape_is_empty (empty));
    g_assert_false (gp_shape_get_bbox (empty, bbox));
  }
}

static void
test_layer_values (void)
{
  g_autoptr(GpLayer) layer = gp_layer_new ("村");
  guint name, households;
  GpFeature *feature;
  double bbox[4];

  name = gp_layer_add_field (layer, "名称", GP_FIELD_STRING, 80, 0);
  households = gp_layer_add_field (layer, "HH", GP_FIELD_INTEGER, 9, 0);
  g_assert_cmpint (gp_layer_find_field (layer, "hh"), ==, (int) households);
  g_assert_cmpint (gp_layer_find_field (layer, "名称"), ==, (int) name);
  g_assert_cmpint (gp_layer_find_field (layer, "nothing"), ==, -1);

  feature = gp_layer_append (layer, gp_shape_new_point (110.0, 40.0), 0);
  g_assert_true (feature->values[name].is_null);
  gp_feature_set_text (layer, feature, name, "树林召镇");
  feature->values[households].is_null = FALSE;
  feature->values[households].integer = 300;
  gp_layer_append (layer, NULL, 1);
  gp_layer_append (layer, gp_shape_new_point (111.0, 41.5), 2);

  g_assert_cmpuint (gp_layer_get_n_features (layer), ==, 3);
  g_assert_cmpstr (gp_layer_get_feature (layer, 0)->values[name].text, ==, "树林召镇");
  g_assert_cmpint (gp_layer_get_feature (layer, 0)->values[households].integer, ==, 300);
  g_assert_cmpuint (gp_layer_get_feature (layer, 2)->record, ==, 2);
  g_assert_cmpuint (gp_layer_get_null_geometries (layer), ==, 1);
  g_assert_true (gp_layer_get_bbox (layer, bbox));
  g_assert_cmpfloat (bbox[0], ==, 110.0);
  g_assert_cmpfloat (bbox[3], ==, 41.5);

  gp_layer_add_warning (layer, "record %u skipped", 7u);
  g_assert_cmpuint (gp_layer_get_warnings (layer)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (gp_layer_get_warnings (layer), 0), ==, "record 7 skipped");
  g_assert_cmpstr (gp_geometry_type_name (GP_GEOMETRY_TYPE_POLYLINEZ), ==, "PolyLineZ");
  g_assert_cmpstr (gp_geometry_type_name (GP_GEOMETRY_TYPE_MULTIPATCH), ==, "MultiPatch");
}

static void
test_layer_field_after_feature (void)
{
  g_autoptr(GpLayer) layer = gp_layer_new ("x");

  gp_layer_append (layer, NULL, 0);
  if (g_test_subprocess ())
    {
      gp_layer_add_field (layer, "late", GP_FIELD_STRING, 1, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_stderr ("*CRITICAL*features->len == 0*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shape/basics", test_shape_basics);
  g_test_add_func ("/layer/values", test_layer_values);
  g_test_add_func ("/layer/field-after-feature", test_layer_field_after_feature);
  return g_test_run ();
}

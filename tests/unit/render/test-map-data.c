/* test-map-data.c: building GpMapData: fields, levels, colours, projection, bad shapes. */
#include <math.h>

#include "gp-map-data-private.h"
#include "render-fixtures.h"

static void
test_fields_and_bbox (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GError) error = NULL;
  const GpMapLayerData *layer;
  double bbox[4];

  fixture_add (areas, fixture_square (0, 0, 100), "幸福社区", "150603001001", NULL, 420);
  gp_layer_append (areas, NULL, 1);   /* a null geometry is simply not shown */
  fixture_add (areas, fixture_square (100, 0, 100), "和平社区", "150603001002", NULL, -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (gp_map_data_get_n_features (data, GP_MAP_LAYER_AREAS), ==, 2);
  g_assert_cmpuint (gp_map_data_get_n_features (data, GP_MAP_LAYER_UNITS), ==, 0);
  g_assert_true (gp_map_data_get_bbox (data, bbox));
  /* Data without a CRS that cannot be lon/lat is drawn as stored, of unknown units. */
  g_assert_null (gp_map_data_get_frame (data));
  g_assert_false (gp_map_data_is_metric (data));
  g_assert_cmpfloat (bbox[0], ==, 0);
  g_assert_cmpfloat (bbox[2], ==, 200);

  layer = gp_map_data_get_layer (data, GP_MAP_LAYER_AREAS);
  g_assert_cmpstr (layer->features[0].name, ==, "幸福社区");
  g_assert_cmpstr (layer->features[0].code, ==, "150603001001");
  g_assert_cmpint (layer->features[0].households, ==, 420);
  g_assert_cmpint (layer->features[1].households, ==, -1);
  g_assert_cmpfloat_with_epsilon (layer->features[0].area, 10000, 1e-6);
  /* Touching neighbours get different tints. */
  g_assert_cmpuint (layer->features[0].fill, !=, layer->features[1].fill);
  g_assert_cmpfloat_with_epsilon (layer->features[0].label_x, 50, 2);
  g_assert_cmpfloat_with_epsilon (layer->features[0].label_y, 50, 2);
}

static void
test_english_and_integer_fields (void)
{
  g_autoptr(GpLayer) layer = gp_layer_new ("counties");
  g_autoptr(GpMapData) data = NULL;
  const GpMapLayerData *areas;
  GpFeature *f;

  gp_layer_add_field (layer, "adcode", GP_FIELD_INTEGER, 9, 0);
  gp_layer_add_field (layer, "NAME", GP_FIELD_STRING, 80, 0);
  f = gp_layer_append (layer, fixture_square (0, 0, 10), 0);
  f->values[0].is_null = FALSE;
  f->values[0].integer = 150102;
  gp_feature_set_text (layer, f, 1, "新城区");
  data = gp_map_data_new_from_layers (layer, NULL, NULL, NULL, NULL);
  areas = gp_map_data_get_layer (data, GP_MAP_LAYER_AREAS);
  g_assert_cmpstr (areas->features[0].name, ==, "新城区");
  g_assert_cmpstr (areas->features[0].code, ==, "150102");
}

static void
test_ranks_from_parents (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  const GpMapLayerData *layer;

  fixture_add (areas, fixture_square (0, 0, 100), "某某街道", "150603001000", NULL, -1);
  fixture_add (areas, fixture_square (0, 0, 50), "甲社区", "150603001001", "150603001000", -1);
  fixture_add (areas, fixture_square (50, 0, 50), "乙社区", "150603001002", "150603001000", -1);
  /* A parent code that is not in the layer, and a cycle: neither may hang or crash. */
  fixture_add (areas, fixture_square (200, 0, 50), "孤村", "150603002001", "999", -1);
  fixture_add (areas, fixture_square (300, 0, 50), "环1", "A", "B", -1);
  fixture_add (areas, fixture_square (350, 0, 50), "环2", "B", "A", -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, NULL);
  layer = gp_map_data_get_layer (data, GP_MAP_LAYER_AREAS);
  g_assert_cmpuint (layer->features[0].rank, ==, 0);
  g_assert_cmpuint (layer->features[1].rank, ==, 1);
  g_assert_cmpuint (layer->features[2].rank, ==, 1);
  g_assert_cmpuint (layer->features[3].rank, ==, 0);
  g_assert_cmpuint (layer->n_ranks, >=, 2);
}

static void
test_lonlat_is_projected (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  const GpMapLayerData *layer;
  double bbox[4];

  /* One degree square at 40-41° N, no CRS: recognised as lon/lat by range and drawn in
   * metres, about 85 km wide and 111 km high (not 1 x 1). */
  fixture_add (areas, fixture_square (111.0, 40.0, 1.0), "一度", NULL, NULL, -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, NULL);
  g_assert_true (gp_map_data_is_metric (data));
  g_assert_true (gp_map_data_get_bbox (data, bbox));
  g_assert_cmpfloat_with_epsilon (bbox[3] - bbox[1], 111000, 1500);
  g_assert_cmpfloat_with_epsilon (bbox[2] - bbox[0], 84500, 1500);
  layer = gp_map_data_get_layer (data, GP_MAP_LAYER_AREAS);
  g_assert_cmpfloat_with_epsilon (layer->features[0].area / 1e6, 84.5 * 111, 300);
}

static void
test_bad_coordinates (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  GpShape *bad = fixture_square (1000, 0, 10);
  double bbox[4];

  bad->xy[2] = NAN;
  fixture_add (areas, bad, "坏", NULL, NULL, -1);
  fixture_add (areas, fixture_square (2000, 0, 10), "好", NULL, NULL, -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, NULL);
  g_assert_true (gp_map_data_get_bbox (data, bbox));
  g_assert_cmpfloat (bbox[0], ==, 2000);
  {
    GPtrArray *warnings = gp_map_data_get_warnings (data);
    guint placed = 0;

    for (guint i = 0; i < warnings->len; i++)
      placed += strstr (g_ptr_array_index (warnings, i), "1 feature could not be placed") != NULL;
    g_assert_cmpuint (placed, ==, 1);
  }
}

static void
test_empty (void)
{
  g_autoptr(GpMapData) data = gp_map_data_new_from_layers (NULL, NULL, NULL, NULL, NULL);
  double bbox[4];

  g_assert_false (gp_map_data_get_bbox (data, bbox));
}

static void
test_points (void)
{
  g_autoptr(GpLayer) households = gp_layer_new ("households");
  g_autoptr(GpMapData) data = NULL;
  double bbox[4];

  gp_layer_set_geometry_type (households, GP_GEOMETRY_TYPE_POINT);
  for (int i = 0; i < 10; i++)
    gp_layer_append (households, gp_shape_new_point (1000 + i, 2000 - i), i);
  data = gp_map_data_new_from_layers (NULL, NULL, households, NULL, NULL);
  g_assert_cmpuint (gp_map_data_get_n_features (data, GP_MAP_LAYER_HOUSEHOLDS), ==, 10);
  g_assert_true (gp_map_data_get_bbox (data, bbox));
  g_assert_cmpfloat (bbox[0], ==, 1000);
  g_assert_cmpfloat (bbox[3], ==, 2000);
}

/* Clicks find the grid under them; the smaller of two overlapping ones; outlines trace. */
static void
test_find_and_trace (void)
{
  g_autoptr(GpLayer) grids = fixture_layer ("grids");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpViewport) viewport = gp_viewport_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t *cr = cairo_create (surface);
  double x0, y0, x1, y1;

  fixture_add (grids, fixture_square (0, 0, 100), "一格", "150603001001001", NULL, 300);
  fixture_add (grids, fixture_square (100, 0, 100), "二格", "150603001001002", NULL, 280);
  fixture_add (grids, fixture_square (120, 20, 20), "小格", "150603001001003", NULL, 20);
  data = gp_map_data_new_from_layers (NULL, NULL, NULL, grids, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, 50, 50), ==, "150603001001001");
  g_assert_cmpstr (gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, 180, 80), ==, "150603001001002");
  g_assert_cmpstr (gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, 130, 30), ==, "150603001001003");
  g_assert_null (gp_map_data_find_at (data, GP_MAP_LAYER_GRIDS, 250, 50));
  g_assert_null (gp_map_data_find_at (data, GP_MAP_LAYER_AREAS, 50, 50));

  gp_viewport_set_size (viewport, 400, 200);
  gp_viewport_set_scale (viewport, 1.0);
  gp_viewport_set_center (viewport, 100, 50);
  g_assert_true (gp_map_data_trace_feature (data, GP_MAP_LAYER_GRIDS, "150603001001002", viewport, cr));
  cairo_path_extents (cr, &x0, &y0, &x1, &y1);
  /* Map x 100..200 → screen 200..300 at 1 m a pixel, y flipped. */
  g_assert_cmpfloat_with_epsilon (x0, 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (x1, 300, 1e-6);
  g_assert_cmpfloat_with_epsilon (y1 - y0, 100, 1e-6);
  g_assert_false (gp_map_data_trace_feature (data, GP_MAP_LAYER_GRIDS, "nope", viewport, cr));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* A rubber band selects the grids whose label point it holds, each once, in the layer's order,
 * however it was drawn (any corner first). */
static void
test_find_in_box (void)
{
  g_autoptr(GpLayer) grids = fixture_layer ("grids");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GError) error = NULL;
  const double band[4] = { 210, -10, 40, 110 }, none[4] = { 300, 300, 400, 400 };
  const double small[4] = { 125, 25, 135, 35 }, edge[4] = { 90, 0, 110, 100 };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) nothing = NULL;
  g_autoptr(GPtrArray) inner = NULL;
  g_autoptr(GPtrArray) across = NULL;

  fixture_add (grids, fixture_square (0, 0, 100), "一格", "150603001001001", NULL, 300);
  fixture_add (grids, fixture_square (100, 0, 100), "二格", "150603001001002", NULL, 280);
  fixture_add (grids, fixture_square (120, 20, 20), "小格", "150603001001003", NULL, 20);
  data = gp_map_data_new_from_layers (NULL, NULL, NULL, grids, &error);
  g_assert_no_error (error);
  /* From the right-hand corner: both large squares' centres and the small one. */
  hits = gp_map_data_find_in_box (data, GP_MAP_LAYER_GRIDS, band);
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (hits, 0), ==, "150603001001001");
  g_assert_cmpstr (g_ptr_array_index (hits, 1), ==, "150603001001002");
  g_assert_cmpstr (g_ptr_array_index (hits, 2), ==, "150603001001003");
  nothing = gp_map_data_find_in_box (data, GP_MAP_LAYER_GRIDS, none);
  g_assert_cmpuint (nothing->len, ==, 0);
  /* Around the small grid only: its neighbour's label point lies elsewhere. */
  inner = gp_map_data_find_in_box (data, GP_MAP_LAYER_GRIDS, small);
  g_assert_cmpuint (inner->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (inner, 0), ==, "150603001001003");
  /* Over the shared edge, touching both but holding neither's label point. */
  across = gp_map_data_find_in_box (data, GP_MAP_LAYER_GRIDS, edge);
  g_assert_cmpuint (across->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/map-data/fields-and-bbox", test_fields_and_bbox);
  g_test_add_func ("/render/map-data/english-and-integer-fields", test_english_and_integer_fields);
  g_test_add_func ("/render/map-data/ranks-from-parents", test_ranks_from_parents);
  g_test_add_func ("/render/map-data/lonlat-is-projected", test_lonlat_is_projected);
  g_test_add_func ("/render/map-data/bad-coordinates", test_bad_coordinates);
  g_test_add_func ("/render/map-data/empty", test_empty);
  g_test_add_func ("/render/map-data/points", test_points);
  g_test_add_func ("/render/map-data/find-and-trace", test_find_and_trace);
  g_test_add_func ("/render/map-data/find-in-box", test_find_in_box);
  return g_test_run ();
}

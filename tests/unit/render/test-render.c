/* test-render.c: gp_render_map into cairo image surfaces: fills, holes, labels, LOD, clipping. */
#include "render-cleanup.h"
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "gp-render.h"
#include "render-fixtures.h"

#define SIZE 200

typedef struct {
  guint8 r, g, b;
} Pixel;

static Pixel
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 v;

  cairo_surface_flush (surface);
  v = *(const guint32 *) (data + (gsize) y * stride + 4 * (gsize) x);
  /* Opaque ARGB32 (we always paint an opaque background), native endian. */
  return (Pixel) { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
}

static void
assert_pixel_is (cairo_surface_t *surface, int x, int y, const GpColor *c)
{
  Pixel p = pixel_at (surface, x, y);

  if (abs (p.r - (int) lround (c->red * 255)) > 2 ||
      abs (p.g - (int) lround (c->green * 255)) > 2 ||
      abs (p.b - (int) lround (c->blue * 255)) > 2)
    g_error ("pixel (%d, %d) is #%02x%02x%02x, expected #%02x%02x%02x", x, y, p.r, p.g, p.b,
             (int) lround (c->red * 255), (int) lround (c->green * 255), (int) lround (c->blue * 255));
}

static GpStyle *
plain_style (void)
{
  GpStyle *style = gp_style_new ();

  style->show_labels = FALSE;
  style->show_scale_bar = FALSE;
  style->show_north_arrow = FALSE;
  return style;
}

static cairo_surface_t *
render (GpMapData *data, GpViewport *vp, GpStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         gp_viewport_get_width (vp),
                                                         gp_viewport_get_height (vp));
  cairo_t *cr = cairo_create (surface);

  gp_render_map (cr, vp, data, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static GpViewport *
fitted_viewport (GpMapData *data, int w, int h, double margin)
{
  GpViewport *vp = gp_viewport_new ();
  double bbox[4];

  gp_viewport_set_size (vp, w, h);
  g_assert_true (gp_map_data_get_bbox (data, bbox));
  gp_viewport_fit (vp, bbox, margin);
  return vp;
}

static guint
count_differences (cairo_surface_t *a, cairo_surface_t *b)
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (a); y++)
    for (int x = 0; x < cairo_image_surface_get_width (a); x++)
      {
        Pixel p = pixel_at (a, x, y), q = pixel_at (b, x, y);

        n += p.r != q.r || p.g != q.g || p.b != q.b;
      }
  return n;
}

static void
test_square_fill (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) style = plain_style ();
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  fixture_add (areas, fixture_square (1000, 2000, 500), "一号", "1", NULL, -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  vp = fitted_viewport (data, SIZE, SIZE, 20);
  surface = render (data, vp, style);

  assert_pixel_is (surface, SIZE / 2, SIZE / 2, &style->area_fill[0]);
  assert_pixel_is (surface, 25, 100, &style->area_fill[0]);
  assert_pixel_is (surface, 10, 100, &style->background);
  assert_pixel_is (surface, 100, 195, &style->background);
  /* The outline is drawn along the edge (x = 20). */
  {
    Pixel p = pixel_at (surface, 20, 100);

    g_assert_cmpint (p.r, <, 200);
  }
  cairo_surface_destroy (surface);
}

/* A layer switched off in the layer list is not drawn, the others are. */
static void
test_hidden_layer (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpLayer) grids = fixture_layer ("grids");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) style = plain_style ();
  g_autoptr(GError) error = NULL;
  cairo_surface_t *all, *without_grids, *without_areas;

  fixture_add (areas, fixture_square (1000, 2000, 500), "一号", "1", NULL, -1);
  fixture_add (grids, fixture_square (1100, 2100, 100), "格", "1001", NULL, 300);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, grids, &error);
  g_assert_no_error (error);
  vp = fitted_viewport (data, SIZE, SIZE, 20);
  all = render (data, vp, style);
  style->hide_layer[GP_MAP_LAYER_GRIDS] = TRUE;
  without_grids = render (data, vp, style);
  /* Only the grid's pixels changed: inside it the area's fill shows through. */
  g_assert_cmpuint (count_differences (all, without_grids), >, 50);
  assert_pixel_is (without_grids, SIZE / 2 - 30, SIZE / 2 + 30, &style->area_fill[0]);
  style->hide_layer[GP_MAP_LAYER_GRIDS] = FALSE;
  style->hide_layer[GP_MAP_LAYER_AREAS] = TRUE;
  without_areas = render (data, vp, style);
  assert_pixel_is (without_areas, 25, 100, &style->background);
  cairo_surface_destroy (all);
  cairo_surface_destroy (without_grids);
  cairo_surface_destroy (without_areas);
}

static void
test_hole (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) style = plain_style ();
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 10, 2, 1);
  const double xy[] = { 0, 0, 0, 100, 100, 100, 100, 0, 0, 0, 40, 40, 60, 40, 60, 60, 40, 60, 40, 40 };
  cairo_surface_t *surface;

  memcpy (shape->xy, xy, sizeof xy);
  shape->part_start[1] = 5;
  shape->part_start[2] = 10;
  shape->polygon_start[1] = 2;
  fixture_add (areas, shape, "有洞", NULL, NULL, -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, NULL);
  vp = fitted_viewport (data, SIZE, SIZE, 0);
  surface = render (data, vp, style);
  assert_pixel_is (surface, 100, 100, &style->background);
  assert_pixel_is (surface, 30, 100, &style->area_fill[0]);
  cairo_surface_destroy (surface);
}

static void
test_no_data (void)
{
  g_autoptr(GpViewport) vp = gp_viewport_new ();
  g_autoptr(GpStyle) style = gp_style_new ();
  cairo_surface_t *surface;

  gp_viewport_set_size (vp, 50, 40);
  surface = render (NULL, vp, style);
  assert_pixel_is (surface, 25, 20, &style->background);
  cairo_surface_destroy (surface);
}

static void
test_chinese_labels (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpLayer) grids = fixture_layer ("grids");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) plain = plain_style ();
  g_autoptr(GpStyle) labelled = plain_style ();
  cairo_surface_t *without, *with;

  fixture_add (areas, fixture_square (0, 0, 1000), "中关村街道", "110108012000", NULL, -1);
  fixture_add (areas, fixture_square (1000, 0, 1000), "海淀街道", "110108013000", NULL, -1);
  /* A tiny feature whose label would not fit: it must not be labelled over its neighbours. */
  fixture_add (areas, fixture_square (2000, 0, 5), "很长很长很长的名字", "110108014000", NULL, -1);
  fixture_add (grids, fixture_square (100, 100, 800), NULL, "110108012001", NULL, 312);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, grids, NULL);
  vp = fitted_viewport (data, 400, 200, 10);

  labelled->show_labels = TRUE;
  without = render (data, vp, plain);
  with = render (data, vp, labelled);
  /* Labels changed pixels, and only near where labels go (never at the far corners). */
  g_assert_cmpuint (count_differences (without, with), >, 100);
  assert_pixel_is (with, 1, 1, &labelled->background);
  cairo_surface_destroy (without);
  cairo_surface_destroy (with);

  /* The furniture draws too, also with nothing but the scale bar's text to show. */
  labelled->show_scale_bar = TRUE;
  labelled->show_north_arrow = TRUE;
  with = render (data, vp, labelled);
  cairo_surface_destroy (with);
}

static void
test_labels_do_not_overlap (void)
{
  g_autoptr(GpLayer) both = fixture_layer ("areas");
  g_autoptr(GpLayer) one = fixture_layer ("areas");
  g_autoptr(GpMapData) both_data = NULL;
  g_autoptr(GpMapData) one_data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) style = plain_style ();
  g_autoptr(GpStyle) plain = plain_style ();
  cairo_surface_t *base, *two, *single;

  /* Two identical squares on top of each other: only one label may be drawn. A second one
   * would lay its halo over the first one's text and change pixels. */
  fixture_add (both, fixture_square (0, 0, 1000), "同一个地方", NULL, NULL, -1);
  fixture_add (both, fixture_square (0, 0, 1000), "同一个地方", NULL, NULL, -1);
  fixture_add (one, fixture_square (0, 0, 1000), "同一个地方", NULL, NULL, -1);
  fixture_add (one, fixture_square (0, 0, 1000), NULL, NULL, NULL, -1);
  both_data = gp_map_data_new_from_layers (both, NULL, NULL, NULL, NULL);
  one_data = gp_map_data_new_from_layers (one, NULL, NULL, NULL, NULL);
  vp = fitted_viewport (both_data, 300, 300, 10);
  style->show_labels = TRUE;
  base = render (both_data, vp, plain);
  two = render (both_data, vp, style);
  single = render (one_data, vp, style);
  g_assert_cmpuint (count_differences (base, two), >, 50);
  g_assert_cmpuint (count_differences (two, single), ==, 0);
  cairo_surface_destroy (base);
  cairo_surface_destroy (two);
  cairo_surface_destroy (single);
}

static void
test_extreme_zoom_clips (void)
{
  g_autoptr(GpLayer) areas = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpViewport) vp = gp_viewport_new ();
  g_autoptr(GpStyle) style = plain_style ();
  cairo_surface_t *surface;

  /* A 1000 km square seen at a millimetre per pixel across its east edge: far beyond the
   * 24.8 fixed point range of cairo, so it must be clipped before drawing. */
  fixture_add (areas, fixture_square (0, 0, 1.0e6), "大", NULL, NULL, -1);
  data = gp_map_data_new_from_layers (areas, NULL, NULL, NULL, NULL);
  gp_viewport_set_size (vp, SIZE, SIZE);
  gp_viewport_set_scale (vp, 0.001);
  gp_viewport_set_center (vp, 1.0e6, 5.0e5);
  surface = render (data, vp, style);
  assert_pixel_is (surface, 20, 100, &style->area_fill[0]);
  assert_pixel_is (surface, 180, 100, &style->background);
  assert_pixel_is (surface, 20, 5, &style->area_fill[0]);
  cairo_surface_destroy (surface);

  /* Wholly inside: everything is fill. */
  gp_viewport_set_center (vp, 5.0e5, 5.0e5);
  surface = render (data, vp, style);
  assert_pixel_is (surface, 0, 0, &style->area_fill[0]);
  assert_pixel_is (surface, SIZE - 1, SIZE - 1, &style->area_fill[0]);
  cairo_surface_destroy (surface);
}

static void
test_level_of_detail (void)
{
  g_autoptr(GpLayer) units = fixture_layer ("units");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) style = gp_style_new ();
  cairo_surface_t *surface;
  guint marked = 0;
  const guint side = 300;   /* 90,000 units */

  for (guint i = 0; i < side; i++)
    for (guint j = 0; j < side; j++)
      fixture_add (units, fixture_square (i * 10.0, j * 10.0, 8.0), "小区", NULL, NULL, 100);
  data = gp_map_data_new_from_layers (NULL, units, NULL, NULL, NULL);
  g_assert_cmpuint (gp_map_data_get_n_features (data, GP_MAP_LAYER_UNITS), ==, side * side);

  /* Zoomed out, each unit is a fraction of a pixel: drawn as dots, the block is not empty. */
  vp = fitted_viewport (data, SIZE, SIZE, 0);
  style->show_labels = TRUE;
  surface = render (data, vp, style);
  for (int y = 40; y < 160; y += 7)
    for (int x = 40; x < 160; x += 7)
      {
        Pixel p = pixel_at (surface, x, y);

        marked += p.r < 240;
      }
  g_assert_cmpuint (marked, >, 100);
  cairo_surface_destroy (surface);

  /* Zoomed in to a few units: their outlines and the gaps between them show. */
  gp_viewport_set_scale (vp, 0.2);
  gp_viewport_set_center (vp, 1505.0, 1505.0);
  surface = render (data, vp, style);
  assert_pixel_is (surface, 120, 100, &style->background);
  cairo_surface_destroy (surface);
}

static guint
dark_pixels (cairo_surface_t *surface, int x0, int y0, int x1, int y1)
{
  guint n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      n += pixel_at (surface, x, y).r < 100;
  return n;
}

static void
test_furniture (void)
{
  g_autoptr(GpLayer) lonlat = fixture_layer ("areas");
  g_autoptr(GpLayer) unknown = fixture_layer ("areas");
  g_autoptr(GpMapData) data = NULL;
  g_autoptr(GpMapData) unknown_data = NULL;
  g_autoptr(GpViewport) vp = NULL;
  g_autoptr(GpStyle) style = plain_style ();
  cairo_surface_t *surface;

  /* Lon/lat data is drawn in metres: a scale bar (bottom left) and a north arrow (top right). */
  fixture_add (lonlat, fixture_square (110.0, 40.0, 0.1), "村", NULL, NULL, -1);
  data = gp_map_data_new_from_layers (lonlat, NULL, NULL, NULL, NULL);
  vp = fitted_viewport (data, 300, 300, 60);
  style->show_scale_bar = TRUE;
  style->show_north_arrow = TRUE;
  surface = render (data, vp, style);
  g_assert_cmpuint (dark_pixels (surface, 0, 260, 160, 300), >, 20);
  g_assert_cmpuint (dark_pixels (surface, 250, 0, 300, 60), >, 20);
  cairo_surface_destroy (surface);

  /* Units unknown: no scale bar, rather than a wrong one. */
  fixture_add (unknown, fixture_square (1000, 1000, 500), "村", NULL, NULL, -1);
  unknown_data = gp_map_data_new_from_layers (unknown, NULL, NULL, NULL, NULL);
  surface = render (unknown_data, vp, style);
  g_assert_cmpuint (dark_pixels (surface, 0, 260, 160, 300), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_nice_scale (void)
{
  double px;

  g_assert_cmpfloat (gp_render_nice_scale_length (10, 140, &px), ==, 1000);
  g_assert_cmpfloat (px, ==, 100);
  g_assert_cmpfloat (gp_render_nice_scale_length (1, 140, &px), ==, 100);
  g_assert_cmpfloat (gp_render_nice_scale_length (2, 140, &px), ==, 200);
  g_assert_cmpfloat (gp_render_nice_scale_length (0.004, 140, &px), ==, 0.5);
  g_assert_cmpfloat (px, <=, 140);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/map/square-fill", test_square_fill);
  g_test_add_func ("/render/map/hole", test_hole);
  g_test_add_func ("/render/map/no-data", test_no_data);
  g_test_add_func ("/render/map/chinese-labels", test_chinese_labels);
  g_test_add_func ("/render/map/labels-do-not-overlap", test_labels_do_not_overlap);
  g_test_add_func ("/render/map/extreme-zoom-clips", test_extreme_zoom_clips);
  g_test_add_func ("/render/map/level-of-detail", test_level_of_detail);
  g_test_add_func ("/render/map/furniture", test_furniture);
  g_test_add_func ("/render/map/nice-scale", test_nice_scale);
  g_test_add_func ("/render/hidden-layer", test_hidden_layer);
  return render_test_run ();
}

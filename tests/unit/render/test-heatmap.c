/* test-heatmap.c: classing known values into known classes and colours (quantiles, natural breaks, fixed steps), the special classes, labels, and a legend drawn. */
#include "render-cleanup.h"
#include "gp-heatmap.h"

#include <math.h>

static GHashTable *
values_of (const double *v, guint n)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < n; i++)
    g_hash_table_insert (values, g_strdup_printf ("G%03u", i), g_memdup2 (&v[i], sizeof (double)));
  return values;
}

static void
assert_color (GpColor c, guint32 rgb)
{
  g_assert_cmpint ((int) lround (c.red * 255), ==, (rgb >> 16) & 0xff);
  g_assert_cmpint ((int) lround (c.green * 255), ==, (rgb >> 8) & 0xff);
  g_assert_cmpint ((int) lround (c.blue * 255), ==, rgb & 0xff);
}

static void
test_quantiles (void)
{
  double v[100];
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GpHeatmap) h = NULL;
  double low, high;

  for (guint i = 0; i < 100; i++)
    v[i] = i + 1;
  values = values_of (v, 100);
  h = gp_heatmap_new (GP_HEATMAP_HOUSEHOLDS, values, GP_CLASSING_QUANTILE, 4);
  g_assert_cmpuint (gp_heatmap_get_n_classes (h), ==, 4);
  gp_heatmap_get_class (h, 1, &low, &high, NULL);
  g_assert_cmpfloat (low, ==, 26.0);
  g_assert_cmpfloat (high, ==, 51.0);
  for (guint c = 0; c < 4; c++)
    g_assert_cmpuint (gp_heatmap_count_class (h, (int) c), ==, 25);
  g_assert_cmpint (gp_heatmap_class_of (h, 25.0), ==, 0);
  g_assert_cmpint (gp_heatmap_class_of (h, 26.0), ==, 1);
  g_assert_cmpint (gp_heatmap_class_of (h, 100.0), ==, 3);
  /* Light to dark on the sequential ramp. */
  {
    GpColor first, last;

    gp_heatmap_get_class (h, 0, NULL, NULL, &first);
    gp_heatmap_get_class (h, 3, NULL, NULL, &last);
    assert_color (first, 0xffeda0);
    assert_color (last, 0x800026);
  }
}

static void
test_natural_breaks (void)
{
  const double v[9] = { 1, 2, 3, 50, 51, 52, 100, 101, 102 };
  g_autoptr(GHashTable) values = values_of (v, 9);
  g_autoptr(GpHeatmap) h = gp_heatmap_new (GP_HEATMAP_HOUSEHOLDS, values, GP_CLASSING_NATURAL, 3);
  g_autofree char *label = NULL;

  g_assert_cmpuint (gp_heatmap_get_n_classes (h), ==, 3);
  for (guint c = 0; c < 3; c++)
    g_assert_cmpuint (gp_heatmap_count_class (h, (int) c), ==, 3);
  label = gp_heatmap_class_label (h, 1);
  g_assert_cmpstr (label, ==, "50–100");
}

static void
test_fixed_and_special (void)
{
  const double dev[5] = { -0.3, 0.0, 0.3, NAN, 0.1 };
  const double per[3] = { 250.0, INFINITY, NAN };
  g_autoptr(GHashTable) dv = values_of (dev, 5), pv = values_of (per, 3);
  g_autoptr(GpHeatmap) d = gp_heatmap_new (GP_HEATMAP_DEVIATION, dv, GP_CLASSING_QUANTILE, 5);
  g_autoptr(GpHeatmap) p = gp_heatmap_new (GP_HEATMAP_PER_WORKER, pv, GP_CLASSING_QUANTILE, 5);
  g_autofree char *under = NULL, *middle = NULL, *none = NULL, *no_worker = NULL;

  g_assert_cmpuint (gp_heatmap_get_n_classes (d), ==, 7);
  assert_color (gp_heatmap_color_of (d, "G000"), 0x2166ac);   /* far under: blue */
  assert_color (gp_heatmap_color_of (d, "G001"), 0xf7f7f7);   /* on target: white */
  assert_color (gp_heatmap_color_of (d, "G002"), 0xb2182b);   /* far over: red */
  g_assert_cmpint (gp_heatmap_class_of_code (d, "G003"), ==, -1);
  g_assert_cmpint (gp_heatmap_class_of_code (d, "G004"), ==, 4);
  g_assert_cmpuint (gp_heatmap_count_class (d, -1), ==, 1);
  under = gp_heatmap_class_label (d, 0);
  g_assert_cmpstr (under, ==, "under -25%");
  middle = gp_heatmap_class_label (d, 3);
  g_assert_cmpstr (middle, ==, "-5% – +5%");
  none = gp_heatmap_class_label (d, -1);
  g_assert_cmpstr (none, ==, "no data");

  /* A grid without a worker is its own class, apart from no data. */
  g_assert_cmpint (gp_heatmap_class_of_code (p, "G001"), ==, -2);
  g_assert_cmpint (gp_heatmap_class_of_code (p, "G002"), ==, -1);
  g_assert_cmpuint (gp_heatmap_count_class (p, -2), ==, 1);
  no_worker = gp_heatmap_class_label (p, -2);
  g_assert_cmpstr (no_worker, ==, "no full-time worker");
}

/* The legend draws on a surface: ink appears, within the size it says. */
static void
test_legend (void)
{
  const double v[6] = { 100, 200, 300, 400, INFINITY, NAN };
  g_autoptr(GHashTable) values = values_of (v, 6);
  g_autoptr(GpHeatmap) h = gp_heatmap_new (GP_HEATMAP_PER_WORKER, values, GP_CLASSING_QUANTILE, 3);
  g_autoptr(GpStyle) style = gp_style_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 400);
  cairo_t *cr = cairo_create (surface);
  double w = 0, h_ = 0, mw = 0, mh = 0;
  guint inked = 0, outside = 0;
  unsigned char *data;
  int stride;

  gp_heatmap_measure_legend (h, cr, style, &mw, &mh);
  gp_heatmap_draw_legend (h, cr, style, 10, 10, &w, &h_);
  g_assert_cmpfloat (w, ==, mw);
  g_assert_cmpfloat (h_, ==, mh);
  g_assert_cmpfloat (w, >, 60);
  /* A title and five rows: three classes, no worker, no data. */
  g_assert_cmpfloat (h_, >, 5 * 14);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 400; y++)
    for (int x = 0; x < 400; x++)
      if (data[y * stride + 4 * x + 3] != 0)
        {
          if (x < 9 || y < 9 || x > 10 + w + 1 || y > 10 + h_ + 1)
            outside++;
          else
            inked++;
        }
  g_assert_cmpuint (inked, >, 1000);
  g_assert_cmpuint (outside, ==, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_metric_names (void)
{
  GpHeatmapMetric m;

  g_assert_true (gp_heatmap_metric_parse ("contact-coverage", &m));
  g_assert_cmpint (m, ==, GP_HEATMAP_CONTACT_COVERAGE);
  g_assert_cmpstr (gp_heatmap_metric_name (GP_HEATMAP_PER_WORKER), ==, "per-worker");
  g_assert_false (gp_heatmap_metric_parse ("density", &m));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/heatmap/quantiles", test_quantiles);
  g_test_add_func ("/heatmap/natural-breaks", test_natural_breaks);
  g_test_add_func ("/heatmap/fixed-and-special", test_fixed_and_special);
  g_test_add_func ("/heatmap/legend", test_legend);
  g_test_add_func ("/heatmap/metric-names", test_metric_names);
  return render_test_run ();
}

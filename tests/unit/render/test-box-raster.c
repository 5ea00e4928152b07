/* test-box-raster.c: boxes written into pixels look as cairo draws them (within 1 of 255 per
 * channel: rounding), honour a rectangular clip, and are refused where pixels are not the output
 * (PDF), or a transform or a clip of another shape would change them. */
#include <cairo-pdf.h>
#include <glib.h>
#include <math.h>

#include "gp-box-raster.h"

#define W 200
#define H 150

static cairo_surface_t *
canvas (cairo_format_t format)
{
  cairo_surface_t *s = cairo_image_surface_create (format, W, H);
  cairo_t *cr = cairo_create (s);

  /* A background that is not flat, so blending shows. */
  for (int y = 0; y < H; y += 10)
    {
      cairo_set_source_rgba (cr, (y % 30) / 30.0, 0.5, 1.0 - y / (double) H, y % 20 == 0 ? 1.0 : 0.6);
      cairo_rectangle (cr, 0, y, W, 10);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  return s;
}

/* Overlapping boxes of all sizes, some reaching past the edges, some degenerate. */
static double *
boxes (guint n)
{
  GRand *rand = g_rand_new_with_seed (2026);
  double *b = g_new (double, 4 * n);

  for (guint i = 0; i < n; i++)
    {
      double x = g_rand_double_range (rand, -20, W + 10), y = g_rand_double_range (rand, -20, H + 10);

      b[4 * i] = x;
      b[4 * i + 1] = y;
      b[4 * i + 2] = x + g_rand_double_range (rand, 0.0, 12.0);
      b[4 * i + 3] = y + g_rand_double_range (rand, 0.0, 12.0);
    }
  g_rand_free (rand);
  return b;
}

static int
max_difference (cairo_surface_t *a, cairo_surface_t *b, gboolean rgb24)
{
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a), worst = 0;

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W * 4; x++)
      {
        if (rgb24 && x % 4 == 3)
          continue;   /* the unused byte */
        worst = MAX (worst, abs (pa[y * stride + x] - pb[y * stride + x]));
      }
  return worst;
}

static void
check_same_as_cairo (cairo_format_t format, const GpColor *fill, const GpColor *line, gboolean clip)
{
  g_autofree double *b = boxes (400);
  cairo_surface_t *expected = canvas (format), *actual = canvas (format), *untouched = canvas (format);
  cairo_t *ce = cairo_create (expected), *ca = cairo_create (actual);
  const guint8 *pu, *pa;

  if (clip)
    {
      cairo_rectangle (ce, 30, 20, 100, 90);
      cairo_clip (ce);
      cairo_rectangle (ca, 30, 20, 100, 90);
      cairo_clip (ca);
    }
  /* With antialiasing off, as the renderer draws crowded layers. */
  cairo_set_antialias (ce, CAIRO_ANTIALIAS_NONE);
  gp_box_cairo_draw (ce, b, 400, fill, line);
  g_assert_true (gp_box_raster_draw (ca, b, 400, fill, line));
  cairo_surface_flush (expected);
  cairo_surface_flush (actual);
  g_assert_cmpint (max_difference (expected, actual, format == CAIRO_FORMAT_RGB24), <=, 1);
  /* Something was drawn at all. */
  g_assert_cmpint (max_difference (untouched, actual, format == CAIRO_FORMAT_RGB24), >, 50);
  if (clip)
    {
      /* Outside the clip, nothing. */
      pu = cairo_image_surface_get_data (untouched);
      pa = cairo_image_surface_get_data (actual);
      for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
          if (x < 30 || x >= 130 || y < 20 || y >= 110)
            g_assert_cmpint (((const guint32 *) (pu + y * cairo_image_surface_get_stride (untouched)))[x], ==,
                             ((const guint32 *) (pa + y * cairo_image_surface_get_stride (actual)))[x]);
    }
  cairo_destroy (ce);
  cairo_destroy (ca);
  cairo_surface_destroy (expected);
  cairo_surface_destroy (actual);
  cairo_surface_destroy (untouched);
}

static void
test_same_as_cairo (void)
{
  const GpColor fill = { 0.9, 0.6, 0.2, 0.35 }, line = { 0.1, 0.2, 0.6, 0.9 };
  const GpColor clear = { 0, 0, 0, 0 }, opaque = { 0.2, 0.8, 0.4, 1.0 };

  check_same_as_cairo (CAIRO_FORMAT_ARGB32, &fill, &line, FALSE);
  check_same_as_cairo (CAIRO_FORMAT_RGB24, &fill, &line, FALSE);
  check_same_as_cairo (CAIRO_FORMAT_ARGB32, &clear, &opaque, FALSE);
  check_same_as_cairo (CAIRO_FORMAT_ARGB32, &opaque, &line, TRUE);
}

static void
test_refused (void)
{
  const GpColor fill = { 0.9, 0.6, 0.2, 0.35 }, line = { 0.1, 0.2, 0.6, 0.9 };
  g_autofree double *b = boxes (10);
  cairo_surface_t *image = canvas (CAIRO_FORMAT_ARGB32);
  cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream (NULL, NULL, W, H);
  cairo_t *cr = cairo_create (pdf);

  g_assert_false (gp_box_raster_draw (cr, b, 10, &fill, &line));
  cairo_destroy (cr);
  cairo_surface_destroy (pdf);

  cr = cairo_create (image);
  cairo_scale (cr, 2.0, 2.0);
  g_assert_false (gp_box_raster_draw (cr, b, 10, &fill, &line));
  cairo_identity_matrix (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  g_assert_false (gp_box_raster_draw (cr, b, 10, &fill, &line));
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  cairo_arc (cr, 50, 50, 30, 0, 2 * G_PI);
  cairo_clip (cr);
  g_assert_false (gp_box_raster_draw (cr, b, 10, &fill, &line));
  cairo_reset_clip (cr);
  g_assert_true (gp_box_raster_draw (cr, b, 10, &fill, &line));
  cairo_destroy (cr);
  cairo_surface_destroy (image);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/box-raster/same-as-cairo", test_same_as_cairo);
  g_test_add_func ("/box-raster/refused", test_refused);
  return g_test_run ();
}

/* test-density.c: the kernel density: the bandwidth chosen from the spacing of the points in view, a fixed one kept, the surface densest where the points crowd, nothing drawn from nothing. */
#include "gp-density.h"

#include <math.h>

/* A 40 × 40 lattice of points 100 m apart, and a crowd of 400 at one corner of it. */
static GpDensity *
lattice (double bandwidth)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  GpDensity *d;

  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 40; j++)
      {
        double p[2] = { i * 100.0, j * 100.0 };

        g_array_append_vals (xy, p, 2);
      }
  for (int k = 0; k < 400; k++)
    {
      double p[2] = { 3500.0 + (k % 20) * 10.0, 3500.0 + (k / 20) * 10.0 };

      g_array_append_vals (xy, p, 2);
    }
  d = gp_density_new ((const double *) xy->data, NULL, xy->len / 2, bandwidth);
  return d;
}

static GpViewport *
view_of (double x0, double y0, double x1, double y1)
{
  GpViewport *vp = gp_viewport_new ();
  double bbox[4] = { x0, y0, x1, y1 };

  gp_viewport_set_size (vp, 400, 400);
  gp_viewport_fit (vp, bbox, 0);
  return vp;
}

static double
alpha_at (cairo_surface_t *s, int x, int y)
{
  unsigned char *data = cairo_image_surface_get_data (s);

  return data[y * cairo_image_surface_get_stride (s) + 4 * x + 3] / 255.0;
}

/* The green of the colour at (x, y): the ramp loses green as density rises (yellow to red). */
static double
green_at (cairo_surface_t *s, int x, int y)
{
  unsigned char *data = cairo_image_surface_get_data (s);
  double a = alpha_at (s, x, y);

  return a > 0 ? data[y * cairo_image_surface_get_stride (s) + 4 * x + 1] / 255.0 / a : 1.0;
}

static void
test_bandwidth_and_peak (void)
{
  g_autoptr(GpDensity) chosen = lattice (0.0);
  g_autoptr(GpDensity) fixed = lattice (500.0);
  g_autoptr(GpViewport) far = view_of (0, 0, 2000, 2000);
  g_autoptr(GpViewport) crowd = view_of (3450, 3450, 3750, 3750);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 400);
  cairo_t *cr = cairo_create (s);
  double h = 0.0, peak;
  double sx, sy;

  g_assert_cmpfloat (gp_density_get_bandwidth (chosen), ==, 0.0);
  g_assert_cmpuint (gp_density_get_n_points (chosen), ==, 2000);
  /* Over the lattice alone: twice its spacing. */
  peak = gp_density_draw (chosen, cr, far, &h);
  g_assert_cmpfloat_with_epsilon (h, 200.0, 1.0);
  g_assert_cmpfloat (peak, >, 0.0);
  /* Over the crowd: its own, much closer spacing (10 m: the 30 m floor). */
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  gp_density_draw (chosen, cr, crowd, &h);
  g_assert_cmpfloat (h, ==, 30.0);
  /* A bandwidth given is kept; the crowd is where the surface is densest. */
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  {
    g_autoptr(GpViewport) all = view_of (0, 0, 4000, 4000);

    peak = gp_density_draw (fixed, cr, all, &h);
    g_assert_cmpfloat (h, ==, 500.0);
    cairo_surface_flush (s);
    gp_viewport_to_screen (all, 3600, 3600, &sx, &sy);
    g_assert_cmpfloat (alpha_at (s, (int) sx, (int) sy), >, 0.7);
    g_assert_cmpfloat (green_at (s, (int) sx, (int) sy), <, 0.3);
    gp_viewport_to_screen (all, 1500, 1500, &sx, &sy);
    g_assert_cmpfloat (green_at (s, (int) sx, (int) sy), >, 0.6);
    /* 400 points smoothed by a Gaussian of 500 m: 400 / (2π · 0.25 km²) ≈ 255 per km² at the
     * crowd, plus the lattice's 100 per km² of which the corner sees a quarter to a half. */
    g_assert_cmpfloat (peak, >, 255.0);
    g_assert_cmpfloat (peak, <, 360.0);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_nothing (void)
{
  g_autoptr(GpDensity) none = gp_density_new (NULL, NULL, 0, 0.0);
  g_autoptr(GpViewport) vp = view_of (0, 0, 100, 100);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 400);
  cairo_t *cr = cairo_create (s);

  g_assert_cmpfloat (gp_density_draw (none, cr, vp, NULL), ==, 0.0);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/density/bandwidth-and-peak", test_bandwidth_and_peak);
  g_test_add_func ("/density/nothing", test_nothing);
  return g_test_run ();
}

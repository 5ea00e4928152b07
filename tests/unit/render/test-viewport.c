/* test-viewport.c: GpViewport's transforms, zooming around the pointer, fitting and limits. */
#include <math.h>

#include "gp-viewport.h"

static GpViewport *
make_viewport (void)
{
  GpViewport *vp = gp_viewport_new ();

  gp_viewport_set_size (vp, 800, 600);
  gp_viewport_set_center (vp, 500000.0, 4400000.0);
  gp_viewport_set_scale (vp, 10.0);
  return vp;
}

static void
test_round_trip (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  double sx, sy, x, y;

  /* The centre is in the middle of the screen, north is up. */
  gp_viewport_to_screen (vp, 500000.0, 4400000.0, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sx, 400.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sy, 300.0, 1e-9);
  gp_viewport_to_screen (vp, 500000.0, 4400100.0, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sy, 290.0, 1e-9);
  gp_viewport_to_screen (vp, 500100.0, 4400000.0, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sx, 410.0, 1e-9);

  for (int i = 0; i < 100; i++)
    {
      double px = g_test_rand_double_range (-1000, 2000);
      double py = g_test_rand_double_range (-1000, 2000);

      gp_viewport_from_screen (vp, px, py, &x, &y);
      gp_viewport_to_screen (vp, x, y, &sx, &sy);
      g_assert_cmpfloat_with_epsilon (sx, px, 1e-6);
      g_assert_cmpfloat_with_epsilon (sy, py, 1e-6);
    }
}

static void
test_bbox (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  double b[4];

  gp_viewport_get_bbox (vp, b);
  g_assert_cmpfloat_with_epsilon (b[0], 500000.0 - 4000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (b[2], 500000.0 + 4000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (b[1], 4400000.0 - 3000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (b[3], 4400000.0 + 3000.0, 1e-6);
}

static void
test_zoom_at_keeps_point (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  const double points[][2] = { { 0, 0 }, { 123.5, 456.25 }, { 799, 599 }, { 400, 300 } };
  const double factors[] = { 2.0, 0.5, 1.25, 0.8, 7.0 };

  for (guint p = 0; p < G_N_ELEMENTS (points); p++)
    for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
      {
        double before_x, before_y, sx, sy, scale = gp_viewport_get_scale (vp);

        gp_viewport_from_screen (vp, points[p][0], points[p][1], &before_x, &before_y);
        gp_viewport_zoom_at (vp, factors[f], points[p][0], points[p][1]);
        g_assert_cmpfloat_with_epsilon (gp_viewport_get_scale (vp), scale / factors[f], 1e-9 * scale);
        gp_viewport_to_screen (vp, before_x, before_y, &sx, &sy);
        g_assert_cmpfloat_with_epsilon (sx, points[p][0], 1e-6);
        g_assert_cmpfloat_with_epsilon (sy, points[p][1], 1e-6);
      }
}

static void
test_zoom_clamped (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  double mx, my, sx, sy;

  gp_viewport_set_scale_limits (vp, 1.0, 100.0);
  gp_viewport_from_screen (vp, 100, 50, &mx, &my);
  gp_viewport_zoom_at (vp, 1000.0, 100, 50);
  g_assert_cmpfloat (gp_viewport_get_scale (vp), ==, 1.0);
  /* Even when the limit stops the zoom, the point under the pointer stays put. */
  gp_viewport_to_screen (vp, mx, my, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sx, 100, 1e-6);
  g_assert_cmpfloat_with_epsilon (sy, 50, 1e-6);

  gp_viewport_zoom_at (vp, 1e-9, 0, 0);
  g_assert_cmpfloat (gp_viewport_get_scale (vp), ==, 100.0);
  gp_viewport_set_scale (vp, 1e9);
  g_assert_cmpfloat (gp_viewport_get_scale (vp), ==, 100.0);
  /* Narrowing the limits pulls the scale in. */
  gp_viewport_set_scale_limits (vp, 1.0, 20.0);
  g_assert_cmpfloat (gp_viewport_get_scale (vp), ==, 20.0);
}

static void
test_pan (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  double mx, my, sx, sy;

  gp_viewport_from_screen (vp, 200, 200, &mx, &my);
  gp_viewport_pan_by (vp, 30, -40);
  /* What was under (200, 200) moved with the drag. */
  gp_viewport_to_screen (vp, mx, my, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sx, 230, 1e-6);
  g_assert_cmpfloat_with_epsilon (sy, 160, 1e-6);
}

static void
test_fit (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  const double wide[4] = { 0, 0, 10000, 1000 };
  const double tall[4] = { -50, -5000, 50, 5000 };
  const double point[4] = { 7, 8, 7, 8 };
  double sx0, sy0, sx1, sy1;

  gp_viewport_fit (vp, wide, 20);
  gp_viewport_to_screen (vp, wide[0], wide[1], &sx0, &sy0);
  gp_viewport_to_screen (vp, wide[2], wide[3], &sx1, &sy1);
  /* Wide data fills the width between the margins and is centred vertically. */
  g_assert_cmpfloat_with_epsilon (sx0, 20, 1e-6);
  g_assert_cmpfloat_with_epsilon (sx1, 780, 1e-6);
  g_assert_cmpfloat_with_epsilon ((sy0 + sy1) / 2, 300, 1e-6);
  g_assert_cmpfloat (sy1, >=, 20);

  gp_viewport_fit (vp, tall, 20);
  gp_viewport_to_screen (vp, tall[0], tall[1], &sx0, &sy0);
  gp_viewport_to_screen (vp, tall[2], tall[3], &sx1, &sy1);
  g_assert_cmpfloat_with_epsilon (sy0, 580, 1e-6);
  g_assert_cmpfloat_with_epsilon (sy1, 20, 1e-6);
  g_assert_cmpfloat_with_epsilon ((sx0 + sx1) / 2, 400, 1e-6);

  /* A single point is centred without changing the scale. */
  gp_viewport_set_scale (vp, 3.0);
  gp_viewport_fit (vp, point, 20);
  g_assert_cmpfloat (gp_viewport_get_scale (vp), ==, 3.0);
  g_assert_cmpfloat (gp_viewport_get_center_x (vp), ==, 7);
  g_assert_cmpfloat (gp_viewport_get_center_y (vp), ==, 8);
}

static void
test_fit_tiny_window (void)
{
  g_autoptr(GpViewport) vp = gp_viewport_new ();
  const double b[4] = { 0, 0, 100, 100 };
  double sx0, sy0, sx1, sy1;

  /* Smaller than the margins: the data still fits the window. */
  gp_viewport_set_size (vp, 30, 30);
  gp_viewport_fit (vp, b, 20);
  gp_viewport_to_screen (vp, b[0], b[1], &sx0, &sy0);
  gp_viewport_to_screen (vp, b[2], b[3], &sx1, &sy1);
  g_assert_cmpfloat (sx0, >=, -1e-6);
  g_assert_cmpfloat (sx1, <=, 30 + 1e-6);
  g_assert_true (isfinite (gp_viewport_get_scale (vp)));
}

static void
count_notify (GObject *object, GParamSpec *pspec, int *count)
{
  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  int scale_count = 0, cx_count = 0;

  g_signal_connect (vp, "notify::scale", G_CALLBACK (count_notify), &scale_count);
  g_signal_connect (vp, "notify::center-x", G_CALLBACK (count_notify), &cx_count);
  gp_viewport_set_scale (vp, 10.0);
  g_assert_cmpint (scale_count, ==, 0);
  gp_viewport_zoom_at (vp, 2.0, 10, 10);
  g_assert_cmpint (scale_count, ==, 1);
  g_assert_cmpint (cx_count, ==, 1);
  g_object_set (vp, "scale", 4.0, NULL);
  g_assert_cmpint (scale_count, ==, 2);
}

static void
test_preconditions (void)
{
  g_autoptr(GpViewport) vp = make_viewport ();
  const double inverted[4] = { 10, 10, 0, 0 };

  /* Nonsense input is refused loudly and leaves the view as it was. */
  g_test_expect_message ("gridplan-render", G_LOG_LEVEL_CRITICAL, "*factor*");
  gp_viewport_zoom_at (vp, 0.0, 10, 10);
  g_test_expect_message ("gridplan-render", G_LOG_LEVEL_CRITICAL, "*bbox*");
  gp_viewport_fit (vp, inverted, 0);
  g_test_expect_message ("gridplan-render", G_LOG_LEVEL_CRITICAL, "*isfinite*");
  gp_viewport_set_center (vp, NAN, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpfloat (gp_viewport_get_scale (vp), ==, 10.0);
  g_assert_cmpfloat (gp_viewport_get_center_x (vp), ==, 500000.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/viewport/round-trip", test_round_trip);
  g_test_add_func ("/render/viewport/bbox", test_bbox);
  g_test_add_func ("/render/viewport/zoom-at-keeps-point", test_zoom_at_keeps_point);
  g_test_add_func ("/render/viewport/zoom-clamped", test_zoom_clamped);
  g_test_add_func ("/render/viewport/pan", test_pan);
  g_test_add_func ("/render/viewport/fit", test_fit);
  g_test_add_func ("/render/viewport/fit-tiny-window", test_fit_tiny_window);
  g_test_add_func ("/render/viewport/notify", test_notify);
  g_test_add_func ("/render/viewport/preconditions", test_preconditions);
  return g_test_run ();
}

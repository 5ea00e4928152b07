/* test-index.c: the packed R-tree against brute force, the label collision grid, label points. */
#include <math.h>

#include "gp-collision.h"
#include "gp-label-point.h"
#include "gp-spatial-index.h"

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
check_against_brute_force (guint n)
{
  g_autofree double *boxes = g_new (double, 4 * (gsize) MAX (n, 1));
  g_autoptr(GpSpatialIndex) index = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n; i++)
    {
      double x = g_test_rand_double_range (0, 1000), y = g_test_rand_double_range (0, 1000);
      double w = g_test_rand_double_range (0, 30), h = g_test_rand_double_range (0, 30);

      boxes[4 * i] = x;
      boxes[4 * i + 1] = y;
      boxes[4 * i + 2] = x + w;
      boxes[4 * i + 3] = y + h;
    }
  /* A NaN box (a feature that could not be projected) is never found. */
  if (n > 3)
    boxes[4 * 3] = NAN;

  index = gp_spatial_index_new (boxes, n);
  for (int q = 0; q < 50; q++)
    {
      double x = g_test_rand_double_range (-50, 1000), y = g_test_rand_double_range (-50, 1000);
      double query[4] = { x, y, x + g_test_rand_double_range (0, 300), y + g_test_rand_double_range (0, 300) };
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < n; i++)
        {
          const double *b = boxes + 4 * i;

          if (isnan (b[0]))
            continue;
          if (!(b[2] < query[0] || b[3] < query[1] || b[0] > query[2] || b[1] > query[3]))
            g_array_append_val (expected, i);
        }
      g_array_set_size (hits, 0);
      g_assert_cmpuint (gp_spatial_index_query (index, query, hits), ==, expected->len);
      g_array_sort (hits, compare_uint);
      for (guint i = 0; i < hits->len; i++)
        g_assert_cmpuint (g_array_index (hits, guint, i), ==, g_array_index (expected, guint, i));
    }
}

static void
test_index_sizes (void)
{
  const guint sizes[] = { 0, 1, 2, 15, 16, 17, 255, 256, 257, 5000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_against_brute_force (sizes[i]);
}

static void
test_index_identical_boxes (void)
{
  double boxes[4 * 100];
  g_autoptr(GpSpatialIndex) index = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  const double query[4] = { 5, 5, 5, 5 };

  for (guint i = 0; i < 100; i++)
    {
      boxes[4 * i] = boxes[4 * i + 1] = 0;
      boxes[4 * i + 2] = boxes[4 * i + 3] = 10;
    }
  index = gp_spatial_index_new (boxes, 100);
  g_assert_cmpuint (gp_spatial_index_query (index, query, hits), ==, 100);
}

static void
test_collision (void)
{
  g_autoptr(GpCollision) grid = gp_collision_new (500, 400);

  g_assert_true (gp_collision_try_add (grid, 10, 10, 100, 20));
  /* Overlapping, inside, and across cell borders. */
  g_assert_false (gp_collision_is_free (grid, 50, 15, 100, 20));
  g_assert_false (gp_collision_is_free (grid, 20, 12, 5, 5));
  g_assert_false (gp_collision_try_add (grid, -100, -100, 1000, 1000));
  /* Touching edges do not collide; separate places are free. */
  g_assert_true (gp_collision_is_free (grid, 110, 10, 20, 20));
  g_assert_true (gp_collision_try_add (grid, 300, 300, 50, 50));
  /* Boxes partly off screen still count. */
  g_assert_true (gp_collision_try_add (grid, 480, -10, 100, 30));
  g_assert_false (gp_collision_is_free (grid, 490, 0, 5, 5));
}

static void
test_label_point_concave (void)
{
  /* A U shape: the centroid and the bbox centre fall in the notch, outside the polygon. */
  const double xy[] = { 0, 0, 30, 0, 30, 30, 20, 30, 20, 10, 10, 10, 10, 30, 0, 30, 0, 0 };
  const guint parts[] = { 0, 9 };
  double x, y, room;

  room = gp_label_point (xy, parts, 0, 1, 0.01, &x, &y);
  g_assert_cmpfloat (room, >, 4.0);
  /* Not in the notch between the arms. */
  g_assert_false (x > 10 && x < 20 && y > 10);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, 30);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (y, <, 30);
}

static void
test_label_point_hole (void)
{
  /* A square with a big square hole in the middle: the label must avoid the hole. */
  const double xy[] = {
    0, 0, 0, 100, 100, 100, 100, 0, 0, 0,
    20, 20, 80, 20, 80, 80, 20, 80, 20, 20,
  };
  const guint parts[] = { 0, 5, 10 };
  double x, y;

  gp_label_point (xy, parts, 0, 2, 0.1, &x, &y);
  g_assert_false (x > 20 && x < 80 && y > 20 && y < 80);
}

static void
test_label_point_degenerate (void)
{
  const double line[] = { 0, 0, 10, 0, 20, 0, 0, 0 };
  const guint parts[] = { 0, 4 };
  double x, y;

  g_assert_cmpfloat (gp_label_point (line, parts, 0, 1, 0, &x, &y), ==, 0.0);
  g_assert_cmpfloat (x, ==, 10);
  g_assert_cmpfloat (y, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/index/sizes", test_index_sizes);
  g_test_add_func ("/render/index/identical-boxes", test_index_identical_boxes);
  g_test_add_func ("/render/collision", test_collision);
  g_test_add_func ("/render/label-point/concave", test_label_point_concave);
  g_test_add_func ("/render/label-point/hole", test_label_point_hole);
  g_test_add_func ("/render/label-point/degenerate", test_label_point_degenerate);
  return g_test_run ();
}

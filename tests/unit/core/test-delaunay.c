/* Tests of gp-delaunay: a true triangulation (it covers the hull once, neighbours agree) whose
 * circles are empty, on random points, a lattice (every four neighbours on one circle),
 * repeated points and points on a line. */
#include "gp-config.h"

#include <glib.h>
#include <math.h>

#include "gp-delaunay.h"

static double
turn (const double *xy, guint a, guint b, guint c)
{
  return (xy[2 * b] - xy[2 * a]) * (xy[2 * c + 1] - xy[2 * a + 1])
         - (xy[2 * b + 1] - xy[2 * a + 1]) * (xy[2 * c] - xy[2 * a]);
}

/* Twice the area of the convex hull of the points (Andrew's monotone chain, brute force). */
static double
hull_area2 (const double *xy, guint n)
{
  g_autofree guint *order = g_new (guint, n);
  g_autofree guint *h = g_new (guint, 2 * n + 1);
  guint k = 0;
  double area = 0.0;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0; j--)
      {
        guint a = order[j - 1], b = order[j];

        if (xy[2 * a] > xy[2 * b] || (xy[2 * a] == xy[2 * b] && xy[2 * a + 1] > xy[2 * b + 1]))
          {
            order[j - 1] = b;
            order[j] = a;
          }
        else
          break;
      }
  for (guint i = 0; i < n; i++)
    {
      while (k >= 2 && turn (xy, h[k - 2], h[k - 1], order[i]) <= 0.0)
        k--;
      h[k++] = order[i];
    }
  for (gint i = (gint) n - 2, lower = (gint) k + 1; i >= 0; i--)
    {
      while ((gint) k >= lower && turn (xy, h[k - 2], h[k - 1], order[i]) <= 0.0)
        k--;
      h[k++] = order[i];
    }
  for (guint i = 0; i + 1 < k; i++)
    area += xy[2 * h[i]] * xy[2 * h[i + 1] + 1] - xy[2 * h[i + 1]] * xy[2 * h[i] + 1];
  return fabs (area);
}

/* Checks every property of a triangulation of XY; EMPTY_CIRCLES: also that no point lies
 * clearly inside a triangle's circle (brute force, for small inputs). */
static void
check_triangulation (const double *xy, guint n, guint n_distinct, gboolean empty_circles)
{
  g_autoptr(GpDelaunay) d = gp_delaunay_new (xy, n);
  guint hull_edges = 0;
  double area = 0.0, sign = 0.0;

  g_assert_nonnull (d);
  g_assert_cmpuint (d->n_points, ==, n);
  for (guint e = 0; e < 3 * d->n_triangles; e++)
    {
      gint o = d->halfedges[e];

      g_assert_cmpuint (d->triangles[e], <, n);
      if (o < 0)
        {
          hull_edges++;
          continue;
        }
      /* The neighbour sees the same edge the other way round. */
      g_assert_cmpint (d->halfedges[o], ==, (gint) e);
      g_assert_cmpuint (d->triangles[o], ==, d->triangles[gp_delaunay_next (e)]);
      g_assert_cmpuint (d->triangles[gp_delaunay_next ((guint) o)], ==, d->triangles[e]);
    }
  for (guint t = 0; t < d->n_triangles; t++)
    {
      double a = turn (xy, d->triangles[3 * t], d->triangles[3 * t + 1], d->triangles[3 * t + 2]);

      /* Every triangle turns the same way. */
      if (sign == 0.0)
        sign = a > 0.0 ? 1.0 : -1.0;
      g_assert_cmpfloat (a * sign, >=, 0.0);
      area += fabs (a);
    }
  /* Euler: a triangulation of n points with h on its hull has 2n − 2 − h triangles. */
  g_assert_cmpuint (d->n_triangles, ==, 2 * n_distinct - 2 - hull_edges);
  /* The triangles cover the hull exactly once. */
  g_assert_cmpfloat (fabs (area - hull_area2 (xy, n)), <=, 1e-9 * area);
  if (!empty_circles)
    return;
  for (guint t = 0; t < d->n_triangles; t++)
    {
      const double *a = &xy[2 * d->triangles[3 * t]], *b = &xy[2 * d->triangles[3 * t + 1]],
                   *c = &xy[2 * d->triangles[3 * t + 2]];
      double cx, cy, r;

      g_assert_true (gp_delaunay_circumcentre (a, b, c, &cx, &cy));
      r = hypot (a[0] - cx, a[1] - cy);
      for (guint p = 0; p < n; p++)
        g_assert_cmpfloat (hypot (xy[2 * p] - cx, xy[2 * p + 1] - cy), >=, r * (1.0 - 1e-9));
    }
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint sizes[] = { 3, 4, 10, 100, 400, 20000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint n = sizes[s];
      g_autofree double *xy = g_new (double, 2 * n);

      for (guint i = 0; i < 2 * n; i++)
        xy[i] = g_rand_double_range (rand, -1000.0, 1000.0);
      check_triangulation (xy, n, n, n <= 400);
    }
}

/* A lattice: four neighbours on every circle, points on the hull in rows. */
static void
test_lattice (void)
{
  guint side = 40, n = side * side;
  g_autofree double *xy = g_new (double, 2 * n);

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = 500000.0 + 10.0 * (i % side);
      xy[2 * i + 1] = 4000000.0 + 10.0 * (i / side);
    }
  check_triangulation (xy, n, n, TRUE);
}

/* Repeated points are left out; the rest is triangulated. */
static void
test_repeated (void)
{
  double xy[] = { 0, 0, 10, 0, 0, 10, 10, 10, 5, 5, 5, 5, 0, 0, 10, 10 };

  check_triangulation (xy, 8, 5, TRUE);
}

/* Points on a small integer lattice, picked at random: repeated places, many on one line or one
 * circle. Either a true triangulation of the distinct places, or NULL when they are on a line. */
static void
test_small_lattice (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);

  for (guint round = 0; round < 300; round++)
    {
      guint n = (guint) g_rand_int_range (rand, 3, 60), side = (guint) g_rand_int_range (rand, 2, 7), distinct = 0;
      g_autofree double *xy = g_new (double, 2 * n);
      gboolean seen[7][7] = { { FALSE } }, line = TRUE;

      for (guint i = 0; i < n; i++)
        {
          guint x = (guint) g_rand_int_range (rand, 0, side), y = (guint) g_rand_int_range (rand, 0, side);

          xy[2 * i] = 1000.0 + 3.0 * x;
          xy[2 * i + 1] = 2000.0 + 3.0 * y;
          distinct += !seen[x][y];
          seen[x][y] = TRUE;
        }
      /* On one line: every place on the line through the first place and another one. */
      {
        guint other = 1;

        while (other < n && xy[2 * other] == xy[0] && xy[2 * other + 1] == xy[1])
          other++;
        for (guint i = 1; other < n && i < n && line; i++)
          line = turn (xy, 0, other, i) == 0.0;
      }
      if (line)
        {
          g_autoptr(GpDelaunay) d = gp_delaunay_new (xy, n);

          g_assert_null (d);
          continue;
        }
      check_triangulation (xy, n, distinct, TRUE);
    }
}

static void
test_degenerate (void)
{
  double line[] = { 0, 0, 1, 1, 2, 2, 3, 3 }, two[] = { 0, 0, 1, 0 }, same[] = { 1, 1, 1, 1, 1, 1 };
  double inf[] = { 0, 0, 1, 0, INFINITY, 1 };
  double a[] = { 0, 0 }, b[] = { 4, 0 }, c[] = { 0, 2 }, x, y;

  g_assert_null (gp_delaunay_new (line, 4));
  g_assert_null (gp_delaunay_new (two, 2));
  g_assert_null (gp_delaunay_new (same, 3));
  g_assert_null (gp_delaunay_new (inf, 3));
  g_assert_true (gp_delaunay_circumcentre (a, b, c, &x, &y));
  g_assert_cmpfloat (fabs (x - 2.0), <, 1e-12);
  g_assert_cmpfloat (fabs (y - 1.0), <, 1e-12);
  g_assert_false (gp_delaunay_circumcentre (line, line + 2, line + 4, &x, &y));
}

static gboolean
ring_turns_left (const GArray *ring)
{
  double area = 0.0;

  for (guint i = 0; i + 1 < ring->len / 2; i++)
    area += g_array_index (ring, double, 2 * i) * g_array_index (ring, double, 2 * i + 3)
            - g_array_index (ring, double, 2 * i + 2) * g_array_index (ring, double, 2 * i + 1);
  return area > 0.0;
}

/* Where Q lies in the convex RING: 1 inside, 0 on its outline (within EPS), -1 outside. */
static int
ring_side (const GArray *ring, const double *q, double eps)
{
  guint n = ring->len / 2 - 1;
  int side = 1;

  for (guint i = 0; i < n; i++)
    {
      const double *a = &g_array_index (ring, double, 2 * i), *b = &g_array_index (ring, double, 2 * i + 2);
      double cross = (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0]);
      double len = hypot (b[0] - a[0], b[1] - a[1]);

      /* The rings turn one way; which way is found from their area's sign. */
      cross = ring_turns_left (ring) ? cross : -cross;
      if (cross < -eps * len)
        return -1;
      if (cross <= eps * len)
        side = 0;
    }
  return side;
}

/* The Voronoi cells of points framed: each closed and around its point; a probe point lies in
 * the cell of its nearest point and strictly inside no other. */
static void
check_cells (const double *xy, guint n, guint n_probes)
{
  double box[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GpDelaunay) d = NULL;
  g_autofree double *centres = NULL;
  g_autofree gint *inedges = NULL;
  g_autoptr(GPtrArray) rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < n; i++)
    {
      box[0] = MIN (box[0], xy[2 * i]);
      box[1] = MIN (box[1], xy[2 * i + 1]);
      box[2] = MAX (box[2], xy[2 * i]);
      box[3] = MAX (box[3], xy[2 * i + 1]);
    }
  d = gp_delaunay_new_framed (xy, n, box);
  g_assert_nonnull (d);
  g_assert_cmpuint (d->n_points, >, n);
  centres = gp_delaunay_centres (d, 1e-9 * (box[2] - box[0]));
  inedges = gp_delaunay_inedges (d);
  for (guint p = 0; p < n; p++)
    {
      GArray *ring = g_array_new (FALSE, FALSE, sizeof (double));

      g_assert_true (gp_delaunay_cell (d, inedges, centres, p, ring));
      g_assert_cmpint (ring_side (ring, &xy[2 * p], 0.0), ==, 1);
      g_ptr_array_add (rings, ring);
    }
  for (guint k = 0; k < n_probes; k++)
    {
      double q[2] = { g_rand_double_range (rand, box[0], box[2]), g_rand_double_range (rand, box[1], box[3]) };
      double best = INFINITY;
      guint nearest = 0;

      for (guint p = 0; p < n; p++)
        if (hypot (xy[2 * p] - q[0], xy[2 * p + 1] - q[1]) < best)
          {
            best = hypot (xy[2 * p] - q[0], xy[2 * p + 1] - q[1]);
            nearest = p;
          }
      g_assert_cmpint (ring_side (g_ptr_array_index (rings, nearest), q, 1e-9 * (box[2] - box[0])), >=, 0);
      for (guint p = 0; p < n; p++)
        if (p != nearest && hypot (xy[2 * p] - q[0], xy[2 * p + 1] - q[1]) > best * (1.0 + 1e-9))
          g_assert_cmpint (ring_side (g_ptr_array_index (rings, p), q, 1e-9 * (box[2] - box[0])), <, 1);
    }
}

static void
test_cells (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  guint side = 12, n = 300;
  g_autofree double *xy = g_new (double, 2 * n);
  g_autofree double *lattice = g_new (double, 2 * side * side);

  for (guint i = 0; i < 2 * n; i++)
    xy[i] = g_rand_double_range (rand, 0.0, 5000.0);
  check_cells (xy, n, 300);
  /* A lattice: every Voronoi corner is the centre of four triangles' circles at once. */
  for (guint i = 0; i < side * side; i++)
    {
      lattice[2 * i] = 440000.0 + 25.0 * (i % side);
      lattice[2 * i + 1] = 4400000.0 + 25.0 * (i / side);
    }
  check_cells (lattice, side * side, 300);
  /* Two points have cells too (the frame closes them). */
  check_cells (xy, 2, 50);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/delaunay/random", test_random);
  g_test_add_func ("/delaunay/lattice", test_lattice);
  g_test_add_func ("/delaunay/repeated", test_repeated);
  g_test_add_func ("/delaunay/degenerate", test_degenerate);
  g_test_add_func ("/delaunay/small-lattice", test_small_lattice);
  g_test_add_func ("/delaunay/cells", test_cells);
  return g_test_run ();
}

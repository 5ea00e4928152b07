/* Tests of the units' triangulation (src/algo/gp-split-mesh.c): the area of units with streets
 * between them, their territories and grids traced from it, and where it must give up. */
#include <geos_c.h>
#include <glib.h>
#include <math.h>

#include "gp-geom.h"
#include "gp-split-private.h"

typedef struct {
  GEOSContextHandle_t ctx;
  GPtrArray          *units;   /* of GEOSGeometry*, owned */
} Units;

static void
units_free (Units *u)
{
  for (guint i = 0; i < u->units->len; i++)
    geom_free (u->ctx, g_ptr_array_index (u->units, i));
  g_ptr_array_unref (u->units);
  g_free (u);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Units, units_free)

static Units *
units_new (void)
{
  Units *u = g_new0 (Units, 1);

  u->ctx = gp_geos ();
  u->units = g_ptr_array_new ();
  return u;
}

static void
add_wkt (Units *u, const char *wkt)
{
  GEOSWKTReader *reader = GEOSWKTReader_create_r (u->ctx);
  GEOSGeometry *g = GEOSWKTReader_read_r (u->ctx, reader, wkt);

  g_assert_nonnull (g);
  g_ptr_array_add (u->units, g);
  GEOSWKTReader_destroy_r (u->ctx, reader);
}

static void
add_box (Units *u, double x0, double y0, double x1, double y1)
{
  g_autofree char *wkt = g_strdup_printf ("POLYGON ((%.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g))",
                                          x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);

  add_wkt (u, wkt);
}

/* ROWS × COLS blocks of SIZE with STREET between, corners moved up to JITTER (seeded). */
static Units *
lattice (guint rows, guint cols, double size, double street, double jitter, guint32 seed)
{
  Units *u = units_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        double x0 = c * (size + street), y0 = r * (size + street), j[8];
        g_autofree char *wkt = NULL;

        for (guint k = 0; k < 8; k++)
          j[k] = jitter > 0.0 ? g_rand_double_range (rand, -jitter, jitter) : 0.0;
        wkt = g_strdup_printf ("POLYGON ((%.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g, %.17g %.17g))",
                               x0 + j[0], y0 + j[1], x0 + size + j[2], y0 + j[3], x0 + size + j[4], y0 + size + j[5],
                               x0 + j[6], y0 + size + j[7], x0 + j[0], y0 + j[1]);
        add_wkt (u, wkt);
      }
  return u;
}

static Job
job_for (Units *u)
{
  Job job = { 0 };

  job.ctx = u->ctx;
  job.helpers = 2;
  return job;
}

static double
area_of (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  double a = 0.0;

  g_assert_true (GEOSArea_r (ctx, g, &a));
  return a;
}

/* PIECES tile AREA: each valid, areas adding up to it, their union the very area. */
static void
assert_tiles (GEOSContextHandle_t ctx, GEOSGeometry **pieces, guint n, const GEOSGeometry *area)
{
  g_autofree GEOSGeometry **copies = g_new0 (GEOSGeometry *, n + 1);
  GEOSGeometry *all, *joined, *diff;
  double sum = 0.0, whole = area_of (ctx, area);

  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (pieces[i]);
      g_assert_cmpint (GEOSisValid_r (ctx, pieces[i]), ==, 1);
      sum += area_of (ctx, pieces[i]);
      copies[i] = GEOSGeom_clone_r (ctx, pieces[i]);
    }
  g_assert_cmpfloat_with_epsilon (sum, whole, 1e-9 * whole);
  all = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, copies, n);
  joined = GEOSUnaryUnion_r (ctx, all);
  g_assert_nonnull (joined);
  g_assert_cmpfloat_with_epsilon (area_of (ctx, joined), whole, 1e-9 * whole);
  diff = GEOSSymDifference_r (ctx, joined, area);
  g_assert_cmpfloat (area_of (ctx, diff), <=, 1e-9 * whole);
  geom_free (ctx, diff);
  geom_free (ctx, joined);
  geom_free (ctx, all);
}

static double
pair_shared (GArray *pairs, guint u, guint v)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      const PairRec *p = &g_array_index (pairs, PairRec, i);

      if (p->u == u && p->v == v)
        return p->shared;
    }
  return 0.0;
}

/* 3 × 3 square blocks of 40 m, 10 m streets: the area is the blocks and the streets between
 * them, each territory reaches the middle of its streets, and rows of territories make grids. */
static void
test_lattice (void)
{
  g_autoptr(Units) u = lattice (3, 3, 40.0, 10.0, 0.0, 1);
  Job job = job_for (u);
  Mesh *m = mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, u->units->len, 10.0);
  GEOSGeometry *area, *grids[3] = { NULL };
  g_autoptr(GArray) pairs = NULL;
  guint row[9];
  double x0, x1, y0, y1;

  g_assert_nonnull (m);
  area = mesh_area (u->ctx, m);
  g_assert_nonnull (area);
  g_assert_cmpint (GEOSGeomTypeId_r (u->ctx, area), ==, GEOS_POLYGON);
  g_assert_cmpint (GEOSGetNumInteriorRings_r (u->ctx, area), ==, 0);
  g_assert_cmpfloat_with_epsilon (area_of (u->ctx, area), 140.0 * 140.0, 1e-6);

  {
    g_autofree GEOSGeometry **units = g_new0 (GEOSGeometry *, 10);

    for (guint i = 0; i < 9; i++)
      units[i] = GEOSGeom_clone_r (u->ctx, g_ptr_array_index (u->units, i));
    g_assert_true (mesh_territories (&job, m, units, 9, &pairs));
    assert_tiles (u->ctx, units, 9, area);
    for (guint i = 0; i < 9; i++)
      {
        g_assert_cmpint (GEOSGeomTypeId_r (u->ctx, units[i]), ==, GEOS_POLYGON);
        g_assert_cmpint (GEOSCovers_r (u->ctx, units[i], g_ptr_array_index (u->units, i)), ==, 1);
      }
    /* The corner block's territory runs to the middles of its two streets (the crossing's
     * middle is shared by four, give or take the margin that keeps it off the triangles'
     * sides). */
    GEOSGeom_getXMin_r (u->ctx, units[0], &x0);
    GEOSGeom_getXMax_r (u->ctx, units[0], &x1);
    GEOSGeom_getYMin_r (u->ctx, units[0], &y0);
    GEOSGeom_getYMax_r (u->ctx, units[0], &y1);
    g_assert_cmpfloat (x0, ==, 0.0);
    g_assert_cmpfloat (y0, ==, 0.0);
    g_assert_cmpfloat (fabs (x1 - 45.0), <, 1.0);
    g_assert_cmpfloat (fabs (y1 - 45.0), <, 1.0);
    g_assert_cmpfloat (fabs (area_of (u->ctx, units[4]) - 50.0 * 50.0), <, 50.0);
    /* Neighbours across a street share its middle; blocks across a crossing share little. */
    g_assert_cmpfloat (fabs (pair_shared (pairs, 0, 1) - 45.0), <, 1.0);
    g_assert_cmpfloat (fabs (pair_shared (pairs, 3, 4) - 50.0), <, 1.0);
    g_assert_cmpfloat (pair_shared (pairs, 0, 4), <, 2.0);
    g_assert_cmpfloat (pair_shared (pairs, 0, 2), ==, 0.0);
    for (guint i = 0; i < 9; i++)
      geom_free (u->ctx, units[i]);
  }

  for (guint i = 0; i < 9; i++)
    row[i] = i / 3;
  g_assert_true (mesh_grids (&job, m, row, 3, grids));
  assert_tiles (u->ctx, grids, 3, area);
  for (guint g = 0; g < 3; g++)
    {
      g_assert_cmpint (GEOSGeomTypeId_r (u->ctx, grids[g]), ==, GEOS_POLYGON);
      GEOSGeom_getYMin_r (u->ctx, grids[g], &y0);
      GEOSGeom_getYMax_r (u->ctx, grids[g], &y1);
      /* The rows meet on the middles of the streets (off it by less than a metre where they
       * cross the streets between columns). */
      g_assert_cmpfloat (fabs (y0 - (g == 0 ? 0.0 : 50.0 * g - 5.0)), <, g == 0 ? 1e-9 : 1.0);
      g_assert_cmpfloat (fabs (y1 - (g == 2 ? 140.0 : 50.0 * g + 45.0)), <, g == 2 ? 1e-9 : 1.0);
      geom_free (u->ctx, grids[g]);
      grids[g] = NULL;
    }
  /* A unit in no grid: the grids are not traced. */
  row[4] = NONE;
  g_assert_false (mesh_grids (&job, m, row, 3, grids));
  g_assert_null (grids[0]);
  geom_free (u->ctx, area);
  mesh_free (m);
}

/* Bricks: a unit's corner on its neighbour's edge (a T) splits that edge, so the two share the
 * stretch; a street above them. */
static void
test_t_junctions (void)
{
  g_autoptr(Units) u = units_new ();
  Job job = job_for (u);
  Mesh *m;
  GEOSGeometry *area, *cells[5];
  g_autoptr(GArray) pairs = NULL;

  add_box (u, 0, 0, 40, 20);       /* A */
  add_box (u, 40, 0, 80, 20);      /* B */
  add_box (u, 20, 20, 60, 40);     /* C: its lower corners on A's and B's upper edges */
  add_box (u, 0, 50, 80, 70);      /* D: across a 10 m street */
  add_box (u, 60, 20, 80, 40);     /* E: beside C, on B */
  m = mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, 5, 10.0);
  g_assert_nonnull (m);
  area = mesh_area (u->ctx, m);
  for (guint i = 0; i < 5; i++)
    cells[i] = GEOSGeom_clone_r (u->ctx, g_ptr_array_index (u->units, i));
  g_assert_true (mesh_territories (&job, m, cells, 5, &pairs));
  assert_tiles (u->ctx, cells, 5, area);
  /* A and C: their 20 m, and on up the yard left of C (20 m wide, closed by a gap of 10) from
   * C's corner to the street: 15 m at the least. */
  g_assert_cmpfloat (pair_shared (pairs, 0, 2), >=, 20.0 + 15.0);
  g_assert_cmpfloat_with_epsilon (pair_shared (pairs, 1, 2), 20.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pair_shared (pairs, 1, 4), 20.0, 1e-9);
  /* C and E: their 20 m side by side, and on into the street between them and D. */
  g_assert_cmpfloat (pair_shared (pairs, 2, 4), >=, 20.0 + 5.0 - 1e-9);
  g_assert_cmpfloat (pair_shared (pairs, 2, 4), <, 20.0 + 15.0);
  g_assert_cmpfloat_with_epsilon (pair_shared (pairs, 0, 1), 20.0, 1e-9);
  /* D meets C and E across the street's middle. */
  g_assert_cmpfloat (pair_shared (pairs, 2, 3), >, 30.0);
  for (guint i = 0; i < 5; i++)
    geom_free (u->ctx, cells[i]);
  geom_free (u->ctx, area);
  mesh_free (m);
}

/* A compound round a courtyard with a house in it, a second compound beside: the house's
 * territory is cut from the courtyard along its middle, the compound keeps the ring round it. */
static void
test_courtyard (void)
{
  g_autoptr(Units) u = units_new ();
  Job job = job_for (u);
  Mesh *m;
  GEOSGeometry *area, *cells[3];
  g_autoptr(GArray) pairs = NULL;
  double house;

  add_wkt (u, "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (35 35, 65 35, 65 65, 35 65, 35 35))");
  add_box (u, 45, 45, 55, 55);
  add_box (u, 110, 0, 210, 100);
  m = mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, 3, 10.0);
  g_assert_nonnull (m);
  area = mesh_area (u->ctx, m);
  g_assert_cmpfloat_with_epsilon (area_of (u->ctx, area), 210.0 * 100.0, 1e-6);
  for (guint i = 0; i < 3; i++)
    cells[i] = GEOSGeom_clone_r (u->ctx, g_ptr_array_index (u->units, i));
  g_assert_true (mesh_territories (&job, m, cells, 3, &pairs));
  assert_tiles (u->ctx, cells, 3, area);
  house = area_of (u->ctx, cells[1]);
  g_assert_cmpfloat (house, >, 300.0);
  g_assert_cmpfloat (house, <, 500.0);
  g_assert_cmpint (GEOSGetNumInteriorRings_r (u->ctx, cells[0]), ==, 1);
  g_assert_cmpfloat (pair_shared (pairs, 0, 1), >, 60.0);
  g_assert_cmpfloat (fabs (pair_shared (pairs, 0, 2) - 100.0), <, 1e-9);
  for (guint i = 0; i < 3; i++)
    geom_free (u->ctx, cells[i]);
  geom_free (u->ctx, area);
  mesh_free (m);
}

/* Irregular blocks (corners moved, streets narrowed to 4 m in places) with a wide square in the
 * middle (blocks left out): the square wider than the closing is not the area's; the rest
 * tiles exactly and every territory is one polygon. Several seeds. */
static void
test_irregular (void)
{
  for (guint32 seed = 1; seed <= 6; seed++)
    {
      g_autoptr(Units) u = lattice (12, 12, 40.0, 12.0, 4.0, seed);
      Job job = job_for (u);
      Mesh *m;
      GEOSGeometry *area;
      g_autofree GEOSGeometry **cells = NULL;
      g_autoptr(GArray) pairs = NULL;
      guint n;

      /* The square: four blocks in the middle. */
      for (guint k = 0; k < 4; k++)
        {
          guint i = (5 + k / 2) * 12 + 5 + k % 2;

          geom_free (u->ctx, g_ptr_array_index (u->units, i));
          u->units->pdata[i] = NULL;
        }
      n = u->units->len;
      m = mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, n, 12.0);
      g_assert_nonnull (m);
      area = mesh_area (u->ctx, m);
      g_assert_nonnull (area);
      g_assert_cmpint (GEOSGetNumInteriorRings_r (u->ctx, area), ==, 1);
      cells = g_new0 (GEOSGeometry *, n + 1);
      for (guint i = 0; i < n; i++)
        if (g_ptr_array_index (u->units, i) != NULL)
          cells[i] = GEOSGeom_clone_r (u->ctx, g_ptr_array_index (u->units, i));
      g_assert_true (mesh_territories (&job, m, cells, n, &pairs));
      {
        g_autofree GEOSGeometry **live = g_new0 (GEOSGeometry *, n + 1);
        guint k = 0;

        for (guint i = 0; i < n; i++)
          if (cells[i] != NULL)
            {
              g_assert_cmpint (GEOSGeomTypeId_r (u->ctx, cells[i]), ==, GEOS_POLYGON);
              g_assert_cmpint (GEOSCovers_r (u->ctx, cells[i], g_ptr_array_index (u->units, i)), ==, 1);
              live[k++] = cells[i];
            }
        assert_tiles (u->ctx, live, k, area);
      }
      for (guint i = 0; i < n; i++)
        geom_free (u->ctx, cells[i]);
      geom_free (u->ctx, area);
      mesh_free (m);
    }
}

/* Units lying on one another, or a unit whose outline crosses itself: no mesh (the splitter
 * then shares the ground with GEOS). */
static void
test_gives_up (void)
{
  {
    g_autoptr(Units) u = units_new ();

    add_box (u, 0, 0, 40, 40);
    add_box (u, 30, 30, 70, 70);
    add_box (u, 100, 0, 140, 40);
    g_assert_null (mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, 3, 10.0));
  }
  {
    g_autoptr(Units) u = units_new ();

    add_box (u, 0, 0, 40, 40);
    add_box (u, 10, 10, 20, 20);   /* inside the first */
    add_box (u, 60, 0, 100, 40);
    g_assert_null (mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, 3, 10.0));
  }
  {
    g_autoptr(Units) u = units_new ();

    add_wkt (u, "POLYGON ((0 0, 40 40, 40 0, 0 40, 0 0))");
    add_box (u, 60, 0, 100, 40);
    g_assert_null (mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, 2, 10.0));
  }
  {
    g_autoptr(Units) u = units_new ();

    /* The same unit twice. */
    add_box (u, 0, 0, 40, 40);
    add_box (u, 0, 0, 40, 40);
    add_box (u, 60, 0, 100, 40);
    g_assert_null (mesh_new (u->ctx, (GEOSGeometry *const *) u->units->pdata, 3, 10.0));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/split-mesh/lattice", test_lattice);
  g_test_add_func ("/split-mesh/t-junctions", test_t_junctions);
  g_test_add_func ("/split-mesh/courtyard", test_courtyard);
  g_test_add_func ("/split-mesh/irregular", test_irregular);
  g_test_add_func ("/split-mesh/gives-up", test_gives_up);
  return g_test_run ();
}

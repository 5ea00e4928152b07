/* test-split.c: the splitter on generated areas: contiguity, exact coverage, nesting, totals, codes, locks, modes. */
#include "src/algo/gp-split.h"
#include "src/algo/gp-codes.h"
#include "src/core/gp-error.h"
#include "src/core/gp-geom.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* Metres far from lon/lat ranges, so an unknown CRS is taken as metres. */
#define X0 500000.0
#define Y0 4400000.0

typedef struct {
  GpShape   *parent;
  GPtrArray *units;        /* of GpShape* */
  GArray    *households;   /* double */
} Fixture;

static void
fixture_free (Fixture *f)
{
  gp_shape_free (f->parent);
  g_ptr_array_unref (f->units);
  g_array_unref (f->households);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static GEOSGeometry *
geom_of (const GpShape *shape)
{
  g_autoptr(GError) error = NULL;
  GEOSGeometry *g = gp_geom_from_shape (gp_geos (), shape, &error);

  g_assert_no_error (error);
  return g;
}

static GpShape *
shape_of (const GEOSGeometry *g)
{
  g_autoptr(GError) error = NULL;
  GpShape *s = gp_geom_to_shape (gp_geos (), g, &error);

  g_assert_no_error (error);
  return s;
}

/* A polygon from WKT with (X0, Y0) added. */
static GEOSGeometry *
wkt_geom (const char *wkt)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSWKTReader *reader = GEOSWKTReader_create_r (ctx);
  GEOSGeometry *g = GEOSWKTReader_read_r (ctx, reader, wkt);
  g_autoptr(GpShape) s = NULL;

  GEOSWKTReader_destroy_r (ctx, reader);
  g_assert_nonnull (g);
  s = shape_of (g);
  GEOSGeom_destroy_r (ctx, g);
  for (guint i = 0; i < s->n_points; i++)
    {
      s->xy[2 * i] += X0;
      s->xy[2 * i + 1] += Y0;
    }
  return geom_of (s);
}

/* N seeded Voronoi units inside PARENT, each shrunk by ROAD metres on every side (0: a perfect
 * coverage), with 20..80 households each. */
static Fixture *
fixture_new (GEOSGeometry *parent, guint n, guint32 seed, double road)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Fixture *f = g_new0 (Fixture, 1);
  const GEOSPreparedGeometry *prepared = GEOSPrepare_r (ctx, parent);
  g_autoptr(GPtrArray) points = g_ptr_array_new ();
  double minx, miny, maxx, maxy;
  GEOSGeometry *multipoint, *diagram;

  f->parent = shape_of (parent);
  f->units = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_shape_free);
  f->households = g_array_new (FALSE, FALSE, sizeof (double));
  GEOSGeom_getXMin_r (ctx, parent, &minx);
  GEOSGeom_getYMin_r (ctx, parent, &miny);
  GEOSGeom_getXMax_r (ctx, parent, &maxx);
  GEOSGeom_getYMax_r (ctx, parent, &maxy);
  while (points->len < n)
    {
      GEOSGeometry *p = GEOSGeom_createPointFromXY_r (ctx, g_rand_double_range (rand, minx, maxx),
                                                      g_rand_double_range (rand, miny, maxy));

      if (GEOSPreparedContains_r (ctx, prepared, p) == 1)
        g_ptr_array_add (points, p);
      else
        GEOSGeom_destroy_r (ctx, p);
    }
  GEOSPreparedGeom_destroy_r (ctx, prepared);
  multipoint = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOINT, (GEOSGeometry **) points->pdata, points->len);
  diagram = GEOSVoronoiDiagram_r (ctx, multipoint, parent, 0.0, 0);
  g_assert_nonnull (diagram);
  for (int i = 0; i < GEOSGetNumGeometries_r (ctx, diagram); i++)
    {
      GEOSGeometry *cell = GEOSIntersection_r (ctx, GEOSGetGeometryN_r (ctx, diagram, i), parent);
      double h = g_rand_int_range (rand, 20, 81);

      if (road > 0.0)
        {
          GEOSGeometry *shrunk = GEOSBuffer_r (ctx, cell, -road, 2);

          GEOSGeom_destroy_r (ctx, cell);
          cell = shrunk;
        }
      if (GEOSisEmpty_r (ctx, cell) || GEOSGeomTypeId_r (ctx, cell) != GEOS_POLYGON)
        {
          GEOSGeom_destroy_r (ctx, cell);
          continue;
        }
      g_ptr_array_add (f->units, shape_of (cell));
      g_array_append_val (f->households, h);
      GEOSGeom_destroy_r (ctx, cell);
    }
  GEOSGeom_destroy_r (ctx, diagram);
  GEOSGeom_destroy_r (ctx, multipoint);
  return f;
}

static double
total_households (Fixture *f)
{
  double t = 0.0;

  for (guint i = 0; i < f->households->len; i++)
    t += g_array_index (f->households, double, i);
  return t;
}

/* An area over the fixture's units. */
static GpSplitArea
area_of (Fixture *f, const char *code, gboolean with_parent)
{
  GpSplitArea a = { 0 };

  a.code = code;
  a.shape = with_parent ? f->parent : NULL;
  a.households = -1.0;
  a.n_units = f->units->len;
  a.units = (const GpShape *const *) f->units->pdata;
  a.unit_households = (const double *) f->households->data;
  return a;
}

/* Splits N areas at TARGET; FRESH: earlier grids only lend their codes. */
static GPtrArray *
run_fresh (const GpSplitArea *areas, guint n, double target, guint64 seed, gboolean fresh)
{
  g_autoptr(GError) error = NULL;
  GpSplitOptions options;
  GPtrArray *results;

  gp_split_options_init (&options);
  options.target = target;
  options.seed = seed;
  options.fresh = fresh;
  results = gp_split_run (NULL, areas, n, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, n);
  return results;
}

static GPtrArray *
run_threads (const GpSplitArea *areas, guint n, double target, guint n_threads)
{
  g_autoptr(GError) error = NULL;
  GpSplitOptions options;
  GPtrArray *results;

  gp_split_options_init (&options);
  options.target = target;
  options.seed = 1;
  options.n_threads = n_threads;
  results = gp_split_run (NULL, areas, n, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static GPtrArray *
run (const GpSplitArea *areas, guint n, double target, guint64 seed)
{
  return run_fresh (areas, n, target, seed, FALSE);
}

static GpSplitReport *
report_of (GPtrArray *results, guint index, double target)
{
  GpSplitReport *report = gp_split_report_new (target, 0.15);
  GpSplitResult *r = g_ptr_array_index (results, index);

  gp_split_report_add_part (report, g_steal_pointer (&r->quality));
  return report;
}

/* Coverage checked here on our own, on the grids as returned (source CRS = metres): the union
 * of the grids is the area, their areas add up to it, none reaches outside it. */
static void
assert_exact_cover (GpSplitResult *r, const GpShape *parent_shape)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSGeometry *parent = geom_of (parent_shape);
  g_autoptr(GPtrArray) grids = g_ptr_array_new ();
  GEOSGeometry *collection, *all, *gap, *outside;
  double parent_area, sum = 0.0, union_area, gap_area, outside_area;

  GEOSArea_r (ctx, parent, &parent_area);
  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
      GEOSGeometry *geom = geom_of (grid->shape);
      double a;

      g_assert_true (grid->shape->flags & GP_SHAPE_FORCE_MULTI);
      GEOSArea_r (ctx, geom, &a);
      sum += a;
      g_ptr_array_add (grids, geom);
    }
  collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) grids->pdata,
                                            grids->len);
  all = GEOSUnaryUnion_r (ctx, collection);
  GEOSArea_r (ctx, all, &union_area);
  gap = GEOSDifference_r (ctx, parent, all);
  outside = GEOSDifference_r (ctx, all, parent);
  GEOSArea_r (ctx, gap, &gap_area);
  GEOSArea_r (ctx, outside, &outside_area);
  g_assert_cmpfloat (gap_area, <=, 1e-6 * parent_area);
  g_assert_cmpfloat (outside_area, <=, 1e-6 * parent_area);
  g_assert_cmpfloat (fabs (sum - union_area), <=, 1e-6 * parent_area);
  GEOSGeom_destroy_r (ctx, gap);
  GEOSGeom_destroy_r (ctx, outside);
  GEOSGeom_destroy_r (ctx, all);
  GEOSGeom_destroy_r (ctx, collection);
  GEOSGeom_destroy_r (ctx, parent);
}

/* No grid has a hole a hair wide: such holes are ground between two of its own units that
 * overlays left open (drawn as dashes inside the grid and counted as a gap). The areas of these
 * tests have no holes of their own, so any hole of a grid is at most a locked grid's place. */
static void
assert_no_hairline_holes (GpSplitResult *r)
{
  GEOSContextHandle_t ctx = gp_geos ();

  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
      GEOSGeometry *geom = geom_of (grid->shape);

      for (int k = 0; k < GEOSGetNumGeometries_r (ctx, geom); k++)
        {
          const GEOSGeometry *part = GEOSGetGeometryN_r (ctx, geom, k);

          for (int h = 0; h < GEOSGetNumInteriorRings_r (ctx, part); h++)
            {
              GEOSGeometry *hole = GEOSGeom_createPolygon_r (ctx, GEOSGeom_clone_r (ctx, GEOSGetInteriorRingN_r (ctx, part, h)),
                                                             NULL, 0);
              double area = 0.0, length = 0.0;

              GEOSArea_r (ctx, hole, &area);
              GEOSLength_r (ctx, hole, &length);
              if (2.0 * area < 1e-3 * length)
                g_test_message ("grid %s: a hole of %g m², %g m round", grid->code, area, length);
              g_assert_cmpfloat (2.0 * area, >=, 1e-3 * length);
              GEOSGeom_destroy_r (ctx, hole);
            }
        }
      GEOSGeom_destroy_r (ctx, geom);
    }
}

static void
assert_contiguous (GpSplitResult *r)
{
  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);

      if (grid->shape->n_polygons != 1)
        {
          GEOSGeometry *geom = geom_of (grid->shape);

          for (int k = 0; k < GEOSGetNumGeometries_r (gp_geos (), geom); k++)
            {
              double a, bb[4] = { 0 };
              const GEOSGeometry *part = GEOSGetGeometryN_r (gp_geos (), geom, k);

              GEOSArea_r (gp_geos (), part, &a);
              GEOSGeom_getXMin_r (gp_geos (), part, &bb[0]);
              GEOSGeom_getYMin_r (gp_geos (), part, &bb[1]);
              g_test_message ("grid %s part %d: %g m² at %.1f %.1f", grid->code, k, a, bb[0] - X0, bb[1] - Y0);
            }
          GEOSGeom_destroy_r (gp_geos (), geom);
        }
      g_assert_cmpuint (grid->shape->n_polygons, ==, 1);
    }
  assert_no_hairline_holes (r);
}

/* Every unit in exactly one grid, households added up right. */
static void
assert_totals (GpSplitResult *r, Fixture *f)
{
  double sum = 0.0;
  g_autofree guint *seen = g_new0 (guint, f->units->len);

  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
      double h = 0.0;

      for (guint i = 0; i < grid->n_units; i++)
        {
          g_assert_cmpuint (grid->units[i], <, f->units->len);
          seen[grid->units[i]]++;
          h += g_array_index (f->households, double, grid->units[i]);
          if (i > 0)
            g_assert_cmpuint (grid->units[i - 1], <, grid->units[i]);
          g_assert_cmpuint (r->grid_of_unit[grid->units[i]], ==, g);
        }
      g_assert_cmpfloat (fabs (h - grid->households), <, 1e-6);
      sum += grid->households;
    }
  for (guint u = 0; u < f->units->len; u++)
    g_assert_cmpuint (seen[u], ==, 1);
  g_assert_cmpfloat (fabs (sum - total_households (f)), <, 1e-6);
}

/* New grids numbered in reading order of their centroids, 3 digits after the area's code. */
static void
assert_codes_ordered (GpSplitResult *r, const char *area_code)
{
  g_autofree char *prefix = gp_codes_prefix (area_code);
  guint n = 0;
  g_autofree double *x = g_new0 (double, r->grids->len + 1);
  g_autofree double *y = g_new0 (double, r->grids->len + 1);
  g_autofree double *a = g_new0 (double, r->grids->len + 1);
  g_autofree guint *index = g_new0 (guint, r->grids->len + 1);
  g_autofree guint *order = NULL;

  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);

      if (grid->flags & GP_SPLIT_GRID_FIXED)
        continue;
      g_assert_true (g_str_has_prefix (grid->code, prefix));
      g_assert_cmpuint (strlen (grid->code), ==, strlen (prefix) + 3);
      x[n] = grid->x;
      y[n] = grid->y;
      a[n] = grid->area_m2;
      index[n++] = g;
    }
  order = gp_codes_reading_order (n, x, y, a);
  for (guint j = 0; j < n; j++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, index[order[j]]);
      g_autofree char *want = g_strdup_printf ("%s%03u", prefix, j + 1);

      g_assert_cmpstr (grid->code, ==, want);
    }
}

/* A concave area (an L with a notch). */
static const char l_shape[] =
  "POLYGON ((0 0, 3000 0, 3000 1200, 1300 1200, 1300 1500, 1200 1500, 1200 2600, 0 2600, 0 0))";

static void
test_units_basic (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 400, 7, 0.0);
  GpSplitArea area = area_of (f, "150603001001", TRUE);
  double target = 10.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) results = run (&area, 1, target, 1);
  GpSplitResult *r = g_ptr_array_index (results, 0);
  g_autoptr(GpSplitReport) report = NULL;

  g_assert_cmpint (r->mode, ==, GP_SPLIT_MODE_UNITS);
  g_assert_cmpuint (r->grids->len, ==, (guint) round (total_households (f) / target));
  assert_contiguous (r);
  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  assert_codes_ordered (r, "150603001001");

  report = report_of (results, 0, target);
  g_assert_cmpuint (gp_split_report_get_noncontiguous (report), ==, 0);
  g_assert_cmpuint (gp_split_report_get_crossing_parent (report), ==, 0);
  g_assert_cmpfloat (gp_split_report_get_gap_area (report), <=, 1e-6 * gp_split_report_get_parent_area (report));
  g_assert_cmpfloat (gp_split_report_get_overlap_area (report), <=, 1e-6 * gp_split_report_get_parent_area (report));
  g_assert_cmpfloat (gp_split_report_get_households_outside (report), ==, 0.0);
  /* Units of 20..80 households, T = 10 units: nearly every grid within ±10%. */
  g_assert_cmpfloat (gp_split_report_get_within (report, 0.1), >=, 0.9);
  g_assert_cmpfloat (gp_split_report_get_mean_polsby_popper (report), >, 0.3);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* The area as the union of its units (no area polygon given). */
static void
test_units_without_area (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 150, 3, 0.0);
  GpSplitArea area = area_of (f, NULL, FALSE);
  double target = 8.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) results = run (&area, 1, target, 5);
  GpSplitResult *r = g_ptr_array_index (results, 0);

  assert_contiguous (r);
  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  assert_codes_ordered (r, NULL);
  g_assert_true (g_str_has_prefix (((GpSplitGrid *) g_ptr_array_index (r->grids, 0))->code, "000000000000"));
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* Units with 4 m roads between them: the roads are handed to the grids, so the grids still
 * cover the area exactly and each stays one piece. */
static void
test_slivers_handed_over (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 300, 11, 2.0);
  GpSplitArea area = area_of (f, "150603001002", TRUE);
  double target = 10.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) results = run (&area, 1, target, 2);
  GpSplitResult *r = g_ptr_array_index (results, 0);
  g_autoptr(GpSplitReport) report = NULL;

  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  assert_contiguous (r);
  report = report_of (results, 0, target);
  g_assert_cmpfloat (gp_split_report_get_households_outside (report), ==, 0.0);
  g_assert_cmpfloat (gp_split_report_get_within (report, 0.1), >=, 0.9);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* Units that do not quite meet (0.2 m gaps) or overlap a little (0.2 m) are still neighbours,
 * and overlaps never make grids overlap. */
static void
test_dirty_borders (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 200, 13, 0.0);
  GpSplitArea area;
  double target;
  g_autoptr(GPtrArray) results = NULL;
  GpSplitResult *r;
  g_autoptr(GpSplitReport) report = NULL;

  for (guint u = 0; u < f->units->len; u++)
    {
      GEOSGeometry *g = geom_of (g_ptr_array_index (f->units, u));
      GEOSGeometry *b = GEOSBuffer_r (ctx, g, u % 2 == 0 ? 0.1 : -0.1, 2);

      gp_shape_free (g_ptr_array_index (f->units, u));
      g_ptr_array_index (f->units, u) = shape_of (b);
      GEOSGeom_destroy_r (ctx, g);
      GEOSGeom_destroy_r (ctx, b);
    }
  area = area_of (f, "150603001003", TRUE);
  target = 10.0 * total_households (f) / f->units->len;
  results = run (&area, 1, target, 2);
  r = g_ptr_array_index (results, 0);
  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  assert_contiguous (r);
  report = report_of (results, 0, target);
  g_assert_cmpfloat (gp_split_report_get_within (report, 0.1), >=, 0.85);
  GEOSGeom_destroy_r (ctx, parent);
}

/* ---- streets, rivers and parks between units ---------------------------------------------- */

/* ROWS × COLS blocks of BLOCK metres with STREET-wide streets between them and MARGIN to the
 * area's edge, 20..80 households each; JITTER (metres) moves every block corner at random (the
 * streets then vary in width and direction); blocks whose centre lies in SKIP (a park, a river)
 * are left out, the ground staying in the area. */
static Fixture *
fixture_blocks (guint rows, guint cols, double block, double street, double margin, double jitter,
                const char *skip_wkt, guint32 seed)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Fixture *f = g_new0 (Fixture, 1);
  double w = cols * (block + street) - street + 2.0 * margin;
  double h = rows * (block + street) - street + 2.0 * margin;
  g_autofree char *parent_wkt = g_strdup_printf ("POLYGON ((0 0, %g 0, %g %g, 0 %g, 0 0))", w, w, h, h);
  GEOSGeometry *parent = wkt_geom (parent_wkt);
  GEOSGeometry *skip = skip_wkt != NULL ? wkt_geom (skip_wkt) : NULL;

  f->parent = shape_of (parent);
  f->units = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_shape_free);
  f->households = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        double x0 = margin + c * (block + street), y0 = margin + r * (block + street);
        double xy[10] = { x0, y0, x0 + block, y0, x0 + block, y0 + block, x0, y0 + block };
        double hh = g_rand_int_range (rand, 20, 81);
        g_autofree char *wkt = NULL;
        GEOSGeometry *g, *centre;

        for (guint k = 0; k < 8; k++)
          xy[k] += jitter > 0.0 ? g_rand_double_range (rand, -jitter, jitter) : 0.0;
        xy[8] = xy[0];
        xy[9] = xy[1];
        wkt = g_strdup_printf ("POLYGON ((%.3f %.3f, %.3f %.3f, %.3f %.3f, %.3f %.3f, %.3f %.3f))", xy[0], xy[1],
                               xy[2], xy[3], xy[4], xy[5], xy[6], xy[7], xy[8], xy[9]);
        g = wkt_geom (wkt);
        centre = GEOSGetCentroid_r (ctx, g);
        if (skip == NULL || GEOSIntersects_r (ctx, skip, centre) != 1)
          {
            g_ptr_array_add (f->units, shape_of (g));
            g_array_append_val (f->households, hh);
          }
        GEOSGeom_destroy_r (ctx, centre);
        GEOSGeom_destroy_r (ctx, g);
      }
  if (skip != NULL)
    GEOSGeom_destroy_r (ctx, skip);
  GEOSGeom_destroy_r (ctx, parent);
  return f;
}

/* Grids meet in the middle of the streets: no vertex of a grid's outline lies further from the
 * grid's own units than half the widest street (plus SLACK), and every grid holds its units. */
static void
assert_street_middles (GpSplitResult *r, Fixture *f, double half_street, double slack)
{
  GEOSContextHandle_t ctx = gp_geos ();

  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
      GEOSGeometry *geom = geom_of (grid->shape);
      g_autofree GEOSGeometry **parts = g_new (GEOSGeometry *, grid->n_units + 1);
      GEOSGeometry *units, *coords;
      double worst = 0.0;
      int n;

      for (guint i = 0; i < grid->n_units; i++)
        parts[i] = geom_of (g_ptr_array_index (f->units, grid->units[i]));
      units = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, parts, grid->n_units);
      g_assert_true (GEOSCovers_r (ctx, geom, units) == 1
                     || ({ GEOSGeometry *d = GEOSDifference_r (ctx, units, geom); double a = 0.0;
                           GEOSArea_r (ctx, d, &a); GEOSGeom_destroy_r (ctx, d); a < 1e-6; }));
      coords = GEOSGeom_extractUniquePoints_r (ctx, geom);
      n = GEOSGetNumGeometries_r (ctx, coords);
      for (int k = 0; k < n; k++)
        {
          double d = 0.0;

          GEOSDistance_r (ctx, GEOSGetGeometryN_r (ctx, coords, k), units, &d);
          worst = MAX (worst, d);
        }
      if (worst > half_street + slack)
        g_test_message ("grid %s reaches %.2f m from its units", grid->code, worst);
      g_assert_cmpfloat (worst, <=, half_street + slack);
      GEOSGeom_destroy_r (ctx, coords);
      GEOSGeom_destroy_r (ctx, units);
      GEOSGeom_destroy_r (ctx, geom);
    }
}

/* Gap and overlap as the report measures them, both nil. */
/* REPORT: no gap, no overlap, no grid in pieces, no household outside. */
static void
assert_report_exact_of (GpSplitReport *report)
{
  double parent_area = gp_split_report_get_parent_area (report);

  g_test_message ("gap %g m², overlap %g m² of %g m²", gp_split_report_get_gap_area (report),
                  gp_split_report_get_overlap_area (report), parent_area);
  g_assert_cmpfloat (gp_split_report_get_gap_area (report), <=, 1e-6 * parent_area);
  g_assert_cmpfloat (gp_split_report_get_overlap_area (report), <=, 1e-6 * parent_area);
  g_assert_cmpuint (gp_split_report_get_noncontiguous (report), ==, 0);
  g_assert_cmpfloat (gp_split_report_get_households_outside (report), ==, 0.0);
}

static void
assert_report_exact (GPtrArray *results, double target)
{
  g_autoptr(GpSplitReport) report = report_of (results, 0, target);

  assert_report_exact_of (report);
}

typedef struct {
  const char *name;
  guint       rows, cols;
  double      block, street, margin, jitter;
  const char *skip;
} StreetCase;

static const StreetCase street_cases[] = {
  /* The cases: 40 m blocks, 10 m streets, 5 m margin. */
  { "20x20 blocks 40/10", 20, 20, 40.0, 10.0, 5.0, 0.0, NULL },
  { "25x25 blocks 40/10", 25, 25, 40.0, 10.0, 5.0, 0.0, NULL },
  /* Wide avenues between small blocks; narrow lanes between large ones. */
  { "15x15 blocks 20/25", 15, 15, 20.0, 25.0, 10.0, 0.0, NULL },
  { "12x12 blocks 120/4", 12, 12, 120.0, 4.0, 2.0, 0.0, NULL },
  /* Irregular blocks: every corner moved by up to 3 m. */
  { "20x20 irregular", 20, 20, 40.0, 10.0, 5.0, 3.0, NULL },
  /* A river 60 m wide across the middle, and a park of 3 × 3 blocks. */
  { "river", 20, 20, 40.0, 10.0, 5.0, 0.0, "POLYGON ((-10 480, 1100 530, 1100 590, -10 540, -10 480))" },
  { "park", 20, 20, 40.0, 10.0, 5.0, 1.0, "POLYGON ((300 300, 450 300, 450 450, 300 450, 300 300))" },
};

/* Blocks without an area polygon: the area is the blocks and the streets between them, so every
 * grid is one piece of land (not a scatter of blocks); a river wider than the streets leaves
 * two islands, and a grid that spans them is named as joined across water. */
static void
test_streets_without_area (void)
{
  g_autoptr(Fixture) f = fixture_blocks (16, 16, 40.0, 10.0, 5.0, 1.0, NULL, 37);
  g_autoptr(Fixture) r = fixture_blocks (16, 16, 40.0, 10.0, 5.0, 0.0,
                                         "POLYGON ((-10 360, 900 360, 900 420, -10 420, -10 360))", 41);
  GpSplitArea area = area_of (f, "150603001015", FALSE);
  GpSplitArea river = area_of (r, "150603001016", FALSE);
  g_autoptr(GPtrArray) results = run (&area, 1, 300.0, 1);
  g_autoptr(GPtrArray) river_results = NULL;
  g_autoptr(GpSplitReport) report = report_of (results, 0, 300.0);
  GpSplitResult *res = g_ptr_array_index (results, 0);

  assert_totals (res, f);
  assert_contiguous (res);
  g_assert_cmpuint (gp_split_report_get_noncontiguous (report), ==, 0);
  g_assert_cmpfloat (gp_split_report_get_overlap_area (report), ==, 0.0);
  /* The streets are in the area: it is far more than the blocks. */
  g_assert_cmpfloat (gp_split_report_get_parent_area (report), >, 1.4 * 256 * 1600.0);

  /* Rows 7 and 8 of blocks (y 355..445) lie under the river: 60 m of water between two halves. */
  river_results = run (&river, 1, 300.0, 1);
  {
    g_autoptr(GpSplitReport) rr = report_of (river_results, 0, 300.0);
    GpSplitResult *rres = g_ptr_array_index (river_results, 0);
    g_autofree char *json = gp_split_report_to_json (rr);
    guint multi = 0;

    assert_totals (rres, r);
    for (guint g = 0; g < rres->grids->len; g++)
      multi += ((GpSplitGrid *) g_ptr_array_index (rres->grids, g))->shape->n_polygons > 1;
    g_assert_cmpuint (gp_split_report_get_noncontiguous (rr), ==, 0);
    g_test_message ("%u grids span the river", multi);
    if (multi > 0)
      g_assert_null (strstr (json, "\"islands\" : []"));
  }
}

static void
test_streets (gconstpointer data)
{
  const StreetCase *c = data;
  g_autoptr(Fixture) f = fixture_blocks (c->rows, c->cols, c->block, c->street, c->margin, c->jitter,
                                         c->skip, 17);
  GpSplitArea area = area_of (f, "150603001010", TRUE);
  g_autoptr(GPtrArray) results = run (&area, 1, 300.0, 1);
  GpSplitResult *r = g_ptr_array_index (results, 0);
  /* The widest gap between blocks: the street, the margin, or (for the river and the park) no
   * bound at all beyond the area itself. */
  double half = c->skip != NULL ? 1e9 : MAX (c->street / 2.0 + c->jitter, c->margin + c->jitter);

  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  assert_contiguous (r);
  assert_report_exact (results, 300.0);
  /* In a crossing the middle is half a street from two block corners: √2 × half away. */
  assert_street_middles (r, f, G_SQRT2 * half, 0.15 * c->street);
}

/* The same blocks without an area polygon (the area drawn from the units' triangulation): the
 * grids cover the blocks and the streets between them exactly, meet on the streets' middles, and
 * each is one piece. */
static void
test_streets_no_area (gconstpointer data)
{
  const StreetCase *c = data;
  g_autoptr(Fixture) f = fixture_blocks (c->rows, c->cols, c->block, c->street, c->margin, c->jitter,
                                         c->skip, 19);
  GpSplitArea area = area_of (f, "150603001011", FALSE);
  g_autoptr(GPtrArray) results = run (&area, 1, 300.0, 1);
  GpSplitResult *r = g_ptr_array_index (results, 0);
  g_autoptr(GpSplitReport) report = report_of (results, 0, 300.0);
  double half = c->skip != NULL ? 1e9 : c->street / 2.0 + c->jitter;
  double blocks = c->rows * c->cols * c->block * c->block;

  assert_totals (r, f);
  /* A river wider than the streets parts the area in two: a grid may span it (the report names
   * it as joined across water, not as in pieces). */
  if (c->skip == NULL || strstr (c->name, "river") == NULL)
    assert_contiguous (r);
  assert_report_exact_of (report);
  assert_street_middles (r, f, G_SQRT2 * half, 0.15 * c->street);
  /* The streets are in: more than the blocks alone (all of them, less what the river or the
   * park took). */
  g_assert_cmpfloat (gp_split_report_get_parent_area (report), >, (c->skip != NULL ? 0.8 : 1.0) * blocks);
}

/* Compounds along streets, a third of them split into three side by side (two halves, one
 * half halved again: a corner of one on the edge of another), given without an area: the
 * streets are found though many units touch a neighbour, and the grids are land in one piece,
 * none joined across a street as if it were water. */
static void
test_streets_touching_compounds (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(Fixture) f = g_new0 (Fixture, 1);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);
  GpSplitArea area;
  GpSplitResult *r;

  f->parent = NULL;
  f->units = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_shape_free);
  f->households = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < 12; i++)
    for (guint k = 0; k < 12; k++)
      {
        double x0 = i * 50.0, y0 = k * 50.0, xm = x0 + 20.0;
        g_autoptr(GPtrArray) wkts = g_ptr_array_new_with_free_func (g_free);

        if ((i + k) % 3 == 0)
          {
            g_ptr_array_add (wkts, g_strdup_printf ("POLYGON ((%g %g, %g %g, %g %g, %g %g, %g %g))",
                                                    x0, y0, xm, y0, xm, y0 + 40, x0, y0 + 40, x0, y0));
            g_ptr_array_add (wkts, g_strdup_printf ("POLYGON ((%g %g, %g %g, %g %g, %g %g, %g %g))",
                                                    xm, y0, x0 + 40, y0, x0 + 40, y0 + 20, xm, y0 + 20, xm, y0));
            g_ptr_array_add (wkts, g_strdup_printf ("POLYGON ((%g %g, %g %g, %g %g, %g %g, %g %g))",
                                                    xm, y0 + 20, x0 + 40, y0 + 20, x0 + 40, y0 + 40, xm, y0 + 40,
                                                    xm, y0 + 20));
          }
        else
          g_ptr_array_add (wkts, g_strdup_printf ("POLYGON ((%g %g, %g %g, %g %g, %g %g, %g %g))",
                                                  x0, y0, x0 + 40, y0, x0 + 40, y0 + 40, x0, y0 + 40, x0, y0));
        for (guint w = 0; w < wkts->len; w++)
          {
            GEOSGeometry *g = wkt_geom (g_ptr_array_index (wkts, w));
            double hh = g_rand_int_range (rand, 20, 61);

            g_ptr_array_add (f->units, shape_of (g));
            g_array_append_val (f->households, hh);
            GEOSGeom_destroy_r (ctx, g);
          }
      }
  area = area_of (f, "150603001012", FALSE);
  results = run (&area, 1, 300.0, 1);
  r = g_ptr_array_index (results, 0);
  assert_totals (r, f);
  assert_contiguous (r);
  {
    g_autoptr(GpSplitReport) report = report_of (results, 0, 300.0);
    g_autofree char *json = gp_split_report_to_json (report);

    assert_report_exact_of (report);
    g_assert_nonnull (strstr (json, "\"islands\" : []"));
    /* The streets are in the area. */
    g_assert_cmpfloat (gp_split_report_get_parent_area (report), >, 1.3 * 144 * 1600.0);
  }
}

/* The report finds grids reaching outside their area, whatever the area's size: along its
 * outline, wholly outside, over a hole of it, and not the grids that only touch its outline. */
static void
test_report_crossing (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSWKTReader *reader = GEOSWKTReader_create_r (ctx);
  GEOSGeometry *parent = GEOSWKTReader_read_r (ctx, reader,
    "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 60 40, 60 60, 40 60, 40 40))");
  const char *wkt[] = {
    "POLYGON ((0 0, 40 0, 40 40, 0 40, 0 0))",           /* inside, on the outline: fine */
    "POLYGON ((60 0, 100 0, 100 40, 60 40, 60 0))",      /* inside: fine */
    "POLYGON ((90 50, 110 50, 110 60, 90 60, 90 50))",   /* across the outline */
    "POLYGON ((200 0, 210 0, 210 10, 200 10, 200 0))",   /* wholly outside */
    "POLYGON ((35 35, 65 35, 65 65, 35 65, 35 35))",     /* over the hole */
  };
  GEOSGeometry *grids[G_N_ELEMENTS (wkt)];
  const char *codes[G_N_ELEMENTS (wkt)] = { "A", "B", "C", "D", "E" };
  GpSplitMeasureInput in = { 0 };
  g_autoptr(GpSplitReportPart) part = NULL;
  g_autoptr(GpSplitReport) report = gp_split_report_new (300.0, 0.15);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (wkt); i++)
    grids[i] = GEOSWKTReader_read_r (ctx, reader, wkt[i]);
  in.parent = parent;
  in.n_grids = G_N_ELEMENTS (wkt);
  in.grids = (const GEOSGeometry *const *) grids;
  in.codes = codes;
  part = gp_split_report_measure (ctx, &in, 300.0, 0.15, &error);
  g_assert_no_error (error);
  gp_split_report_add_part (report, g_steal_pointer (&part));
  g_assert_cmpuint (gp_split_report_get_crossing_parent (report), ==, 3);
  GEOSWKTReader_destroy_r (ctx, reader);
  for (gsize i = 0; i < G_N_ELEMENTS (wkt); i++)
    GEOSGeom_destroy_r (ctx, grids[i]);
  GEOSGeom_destroy_r (ctx, parent);
}

/* Households located with the split's own hint (the grid each point was put in) count where
 * the points really are: a wrong hint, a point on the edge two grids share, a point in a hole
 * and one outside are found by GEOS, and give what no hint gives. */
static void
test_report_hinted (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSWKTReader *reader = GEOSWKTReader_create_r (ctx);
  const char *wkt[] = {
    "POLYGON ((0 0, 50 0, 50 100, 0 100, 0 0), (10 10, 20 10, 20 20, 10 20, 10 10))",
    "POLYGON ((50 0, 100 0, 100 100, 50 100, 50 0))",
  };
  /* Inside A, inside B hinted A, on the shared edge hinted B, in A's hole hinted A, outside
   * hinted B, inside B hinted nothing, and one more inside A hinted A. */
  double xy[] = { 25, 50, 75, 50, 50, 30, 15, 15, 150, 50, 90, 90, 40, 90 };
  guint hint[] = { 0, 0, 1, 0, 1, G_MAXUINT, 0 };
  double households[] = { 1, 2, 4, 8, 16, 32, 64 };
  GEOSGeometry *grids[G_N_ELEMENTS (wkt)];
  double with_hint[3], without_hint[3];

  for (gsize i = 0; i < G_N_ELEMENTS (wkt); i++)
    grids[i] = GEOSWKTReader_read_r (ctx, reader, wkt[i]);
  for (guint pass = 0; pass < 2; pass++)
    {
      GpSplitMeasureInput in = { 0 };
      g_autoptr(GpSplitReportPart) part = NULL;
      g_autoptr(GError) error = NULL;
      double *out = pass == 0 ? with_hint : without_hint;

      in.n_grids = G_N_ELEMENTS (wkt);
      in.grids = (const GEOSGeometry *const *) grids;
      in.n_points = G_N_ELEMENTS (hint);
      in.points_xy = xy;
      in.point_households = households;
      in.point_grid = pass == 0 ? hint : NULL;
      part = gp_split_report_measure (ctx, &in, 300.0, 0.15, &error);
      g_assert_no_error (error);
      out[0] = gp_split_report_part_get_households (part, 0);
      out[1] = gp_split_report_part_get_households (part, 1);
      {
        g_autoptr(GpSplitReport) report = gp_split_report_new (300.0, 0.15);

        gp_split_report_add_part (report, g_steal_pointer (&part));
        out[2] = gp_split_report_get_households_outside (report);
      }
    }
  /* The point on the shared edge goes to the lower grid, as without hints. */
  g_assert_cmpfloat (with_hint[0], ==, 1 + 4 + 64);
  g_assert_cmpfloat (with_hint[1], ==, 2 + 32);
  g_assert_cmpfloat (with_hint[2], ==, 8 + 16);
  g_assert_cmpmem (with_hint, sizeof with_hint, without_hint, sizeof without_hint);
  GEOSWKTReader_destroy_r (ctx, reader);
  for (gsize i = 0; i < G_N_ELEMENTS (wkt); i++)
    GEOSGeom_destroy_r (ctx, grids[i]);
}

static void
assert_same_results (GpSplitResult *a, GpSplitResult *b)
{
  g_assert_cmpuint (a->grids->len, ==, b->grids->len);
  for (guint g = 0; g < a->grids->len; g++)
    {
      GpSplitGrid *ga = g_ptr_array_index (a->grids, g), *gb = g_ptr_array_index (b->grids, g);

      g_assert_cmpstr (ga->code, ==, gb->code);
      g_assert_cmpuint (ga->n_units, ==, gb->n_units);
      g_assert_cmpmem (ga->units, ga->n_units * sizeof (guint), gb->units, gb->n_units * sizeof (guint));
      g_assert_true (gp_shape_equal (ga->shape, gb->shape));
    }
}

/* ---- re-splits ----------------------------------------------------------------------------- */

/* The grids of R as the earlier grids of a re-split (pointers into R). */
static GpSplitPreviousGrid *
previous_of (GpSplitResult *r)
{
  GpSplitPreviousGrid *previous = g_new0 (GpSplitPreviousGrid, r->grids->len + 1);

  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);

      previous[g] = (GpSplitPreviousGrid) { grid->code, grid->units, grid->n_units, grid->shape, grid->households };
    }
  return previous;
}

/* Grids of B made of exactly the units of a grid of A, under the same code. */
static guint
same_grids (GpSplitResult *a, GpSplitResult *b)
{
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  guint same = 0;

  for (guint g = 0; g < a->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (a->grids, g);

      g_hash_table_insert (by_code, grid->code, grid);
    }
  for (guint g = 0; g < b->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (b->grids, g), *old = g_hash_table_lookup (by_code, grid->code);

      if (old != NULL && old->n_units == grid->n_units
          && memcmp (old->units, grid->units, grid->n_units * sizeof (guint)) == 0)
        same++;
    }
  return same;
}

/* A re-split of unchanged data changes nothing: same codes, units and outlines. */
static void
test_resplit_unchanged (void)
{
  g_autoptr(Fixture) f = fixture_blocks (16, 16, 40.0, 10.0, 5.0, 2.0, NULL, 23);
  GpSplitArea area = area_of (f, "150603001011", TRUE);
  g_autoptr(GPtrArray) first = run_fresh (&area, 1, 300.0, 1, FALSE);
  GpSplitResult *r1 = g_ptr_array_index (first, 0);
  g_autofree GpSplitPreviousGrid *previous = previous_of (r1);
  g_autoptr(GPtrArray) second = NULL;
  GpSplitResult *r2;

  area.n_previous = r1->grids->len;
  area.previous = previous;
  /* Another seed: what is kept does not depend on it. */
  second = run_fresh (&area, 1, 300.0, 99, FALSE);
  r2 = g_ptr_array_index (second, 0);
  g_assert_cmpuint (r2->grids->len, ==, r1->grids->len);
  g_assert_cmpuint (same_grids (r1, r2), ==, r1->grids->len);
  for (guint g = 0; g < r2->grids->len; g++)
    {
      GpSplitGrid *b = g_ptr_array_index (r2->grids, g);

      g_assert_true (b->flags & GP_SPLIT_GRID_UNCHANGED);
      g_assert_true (b->flags & GP_SPLIT_GRID_KEPT_CODE);
      g_assert_false (b->flags & GP_SPLIT_GRID_MOVED);
    }
  assert_same_results (r1, r2);
}

/* Five blocks spread over the community change their households: only the grids around them
 * are redrawn; the rest keep code and units; coverage stays exact. */
static void
test_resplit_local (void)
{
  g_autoptr(Fixture) f = fixture_blocks (30, 30, 40.0, 10.0, 5.0, 2.0, NULL, 29);
  GpSplitArea area = area_of (f, "150603001012", TRUE);
  g_autoptr(GPtrArray) first = run_fresh (&area, 1, 300.0, 1, FALSE);
  GpSplitResult *r1 = g_ptr_array_index (first, 0);
  g_autofree GpSplitPreviousGrid *previous = previous_of (r1);
  g_autoptr(GPtrArray) second = NULL, fresh = NULL;
  const guint changed[5] = { 31, 217, 450, 688, 871 };
  GpSplitResult *r2;
  guint same, unchanged = 0;

  for (guint i = 0; i < G_N_ELEMENTS (changed); i++)
    g_array_index (f->households, double, changed[i]) += 40.0;
  area.n_previous = r1->grids->len;
  area.previous = previous;
  second = run_fresh (&area, 1, 300.0, 1, FALSE);
  r2 = g_ptr_array_index (second, 0);
  same = same_grids (r1, r2);
  for (guint g = 0; g < r2->grids->len; g++)
    if (((GpSplitGrid *) g_ptr_array_index (r2->grids, g))->flags & GP_SPLIT_GRID_UNCHANGED)
      unchanged++;
  g_test_message ("%u of %u grids keep code and units (%u untouched)", same, r2->grids->len, unchanged);
  g_assert_cmpuint (same, >=, 0.9 * r2->grids->len);
  g_assert_cmpuint (unchanged, >=, r1->grids->len - 5 * 3);
  assert_exact_cover (r2, f->parent);
  assert_totals (r2, f);
  assert_contiguous (r2);
  {
    g_autoptr(GpSplitReport) report = report_of (second, 0, 300.0);

    g_assert_cmpfloat (gp_split_report_get_within (report, 0.15), >=, 0.95);
  }

  /* --fresh redraws all (another seed, other grids), codes still following the ground. */
  fresh = run_fresh (&area, 1, 300.0, 7, TRUE);
  {
    GpSplitResult *r3 = g_ptr_array_index (fresh, 0);
    guint inherited = 0;

    for (guint g = 0; g < r3->grids->len; g++)
      {
        GpSplitGrid *grid = g_ptr_array_index (r3->grids, g);

        g_assert_false (grid->flags & GP_SPLIT_GRID_UNCHANGED);
        if (grid->flags & GP_SPLIT_GRID_KEPT_CODE)
          inherited++;
      }
    g_test_message ("fresh: %u of %u grids inherit a code", inherited, r3->grids->len);
    g_assert_cmpuint (inherited, >, 0);
    assert_exact_cover (r3, f->parent);
  }
}

/* Codes follow ground: grids a third the size keep the codes of the grids they lie in, flagged
 * as moved (most of the old grid's households are elsewhere); the rest get numbers after the
 * highest used. */
static void
test_resplit_codes_follow_ground (void)
{
  g_autoptr(Fixture) f = fixture_blocks (12, 12, 40.0, 10.0, 5.0, 0.0, NULL, 31);
  GpSplitArea area = area_of (f, "150603001013", TRUE);
  g_autoptr(GPtrArray) first = run_fresh (&area, 1, 300.0, 1, FALSE);
  GpSplitResult *r1 = g_ptr_array_index (first, 0);
  g_autofree GpSplitPreviousGrid *previous = previous_of (r1);
  g_autoptr(GPtrArray) second = NULL;
  const char *highest = NULL;
  GpSplitResult *r2;
  guint inherited = 0, moved = 0;

  for (guint g = 0; g < r1->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r1->grids, g);

      if (highest == NULL || strcmp (grid->code, highest) > 0)
        highest = grid->code;
    }
  area.n_previous = r1->grids->len;
  area.previous = previous;
  second = run_fresh (&area, 1, 100.0, 1, FALSE);
  r2 = g_ptr_array_index (second, 0);
  for (guint g = 0; g < r2->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r2->grids, g);

      if (grid->flags & GP_SPLIT_GRID_KEPT_CODE)
        {
          GpSplitGrid *old = NULL;

          for (guint p = 0; p < r1->grids->len && old == NULL; p++)
            if (strcmp (((GpSplitGrid *) g_ptr_array_index (r1->grids, p))->code, grid->code) == 0)
              old = g_ptr_array_index (r1->grids, p);
          g_assert_nonnull (old);
          inherited++;
          /* Less than half of the old grid's households can be in it: its people must move. */
          if (grid->households < 0.5 * old->households - 1e-3)
            g_assert_true (grid->flags & GP_SPLIT_GRID_MOVED);
          if (grid->flags & GP_SPLIT_GRID_MOVED)
            moved++;
        }
      else
        g_assert_cmpstr (grid->code, >, highest);
    }
  g_assert_cmpuint (inherited, >=, r1->grids->len / 2);
  g_assert_cmpuint (moved, >=, inherited / 2);

  /* Household points: codes follow the ground too, by where the households lie. */
  {
    g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
    GpSplitArea points = { 0 };
    g_autoptr(GPtrArray) p1 = NULL, p2 = NULL;
    g_autofree GpSplitPreviousGrid *prev_points = NULL;
    guint kept = 0;

    for (guint u = 0; u < f->units->len; u++)
      {
        double bbox[4];

        gp_shape_get_bbox (g_ptr_array_index (f->units, u), bbox);
        for (int k = 0; k < (int) g_array_index (f->households, double, u); k++)
          {
            double px = bbox[0] + (k % 8 + 0.5) * (bbox[2] - bbox[0]) / 8.0;
            double py = bbox[1] + (k / 8 % 8 + 0.5) * (bbox[3] - bbox[1]) / 8.0;

            g_array_append_val (xy, px);
            g_array_append_val (xy, py);
          }
      }
    points.code = "150603001014";
    points.shape = f->parent;
    points.households = -1.0;
    points.n_points = xy->len / 2;
    points.points_xy = (const double *) xy->data;
    p1 = run_fresh (&points, 1, 300.0, 1, FALSE);
    prev_points = previous_of (g_ptr_array_index (p1, 0));
    points.n_previous = ((GpSplitResult *) g_ptr_array_index (p1, 0))->grids->len;
    points.previous = prev_points;
    p2 = run_fresh (&points, 1, 300.0, 5, FALSE);
    for (guint g = 0; g < ((GpSplitResult *) g_ptr_array_index (p2, 0))->grids->len; g++)
      if (((GpSplitGrid *) g_ptr_array_index (((GpSplitResult *) g_ptr_array_index (p2, 0))->grids, g))->flags
          & GP_SPLIT_GRID_KEPT_CODE)
        kept++;
    g_test_message ("points: %u grids inherit a code", kept);
    g_assert_cmpuint (kept, >, 0);
  }
}

/* One area alone shares its loops out to the cores (unions, borders, the way back, the
 * measure): on one thread or four, the very same grids, and the same report to the last digit.
 * Streets between irregular blocks, so that the ground between units is shared out too. */
static void
test_threads_same (void)
{
  g_autoptr(Fixture) f = fixture_blocks (18, 18, 40.0, 10.0, 5.0, 3.0, NULL, 23);
  GpSplitArea area = area_of (f, "150603001017", TRUE);
  g_autoptr(GPtrArray) one = run_threads (&area, 1, 300.0, 1);
  g_autoptr(GPtrArray) four = run_threads (&area, 1, 300.0, 4);
  g_autoptr(GpSplitReport) report_one = report_of (one, 0, 300.0);
  g_autoptr(GpSplitReport) report_four = report_of (four, 0, 300.0);
  g_autofree char *json_one = gp_split_report_to_json (report_one);
  g_autofree char *json_four = gp_split_report_to_json (report_four);

  g_assert_cmpuint (((GpSplitResult *) g_ptr_array_index (one, 0))->grids->len, >, 10);
  assert_same_results (g_ptr_array_index (one, 0), g_ptr_array_index (four, 0));
  g_assert_cmpstr (json_one, ==, json_four);
}

/* The same seed and data give the very same grids, whether areas run in parallel or not. */
static void
test_determinism (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 200, 17, 1.0);
  GpSplitArea areas[3];
  double target = 9.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) many = NULL;

  for (guint i = 0; i < 3; i++)
    areas[i] = area_of (f, "150603001004", TRUE);
  one = run (areas, 1, target, 42);
  many = run (areas, 3, target, 42);
  for (guint i = 0; i < 3; i++)
    assert_same_results (g_ptr_array_index (one, 0), g_ptr_array_index (many, i));
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* A re-split keeps the codes of grids whose units did not change; new grids take free numbers. */
static void
test_codes_stable (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 300, 19, 0.0);
  GpSplitArea area = area_of (f, "150603001005", TRUE);
  double target = 10.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) first = run (&area, 1, target, 3);
  GpSplitResult *r1 = g_ptr_array_index (first, 0);
  g_autofree GpSplitPreviousGrid *previous = g_new0 (GpSplitPreviousGrid, r1->grids->len);
  g_autoptr(GPtrArray) second = NULL;
  GpSplitResult *r2;
  guint kept = 0;

  for (guint g = 0; g < r1->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r1->grids, g);

      previous[g] = (GpSplitPreviousGrid) { grid->code, grid->units, grid->n_units, grid->shape, grid->households };
    }
  /* Households change in one corner: grids there change, the others need not. */
  for (guint u = 0; u < f->units->len; u++)
    {
      double bbox[4];

      gp_shape_get_bbox (g_ptr_array_index (f->units, u), bbox);
      if (bbox[0] - X0 > 2300.0 && bbox[1] - Y0 < 600.0)
        g_array_index (f->households, double, u) += 25.0;
    }
  area.n_previous = r1->grids->len;
  area.previous = previous;
  second = run (&area, 1, target, 3);
  r2 = g_ptr_array_index (second, 0);
  {
    g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint g = 0; g < r2->grids->len; g++)
      {
        GpSplitGrid *grid = g_ptr_array_index (r2->grids, g);

        g_assert_true (g_hash_table_add (codes, grid->code));
        for (guint p = 0; p < r1->grids->len; p++)
          if (previous[p].n_units == grid->n_units
              && memcmp (previous[p].units, grid->units, grid->n_units * sizeof (guint)) == 0)
            {
              g_assert_cmpstr (grid->code, ==, previous[p].code);
              g_assert_true (grid->flags & GP_SPLIT_GRID_KEPT_CODE);
              kept++;
            }
      }
  }
  g_test_message ("%u of %u grids kept their codes", kept, r2->grids->len);
  /* Only the corner (about a tenth of the area) and its neighbours may change. */
  g_assert_cmpuint (kept, >=, 0.75 * r2->grids->len);
  assert_exact_cover (r2, f->parent);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* Locked grids and an exclusive grid stay exactly as they are; the rest is split around them. */
static void
test_locked_untouched (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 300, 23, 0.0);
  GpSplitArea area = area_of (f, "150603001006", TRUE);
  double target = 10.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) first = run (&area, 1, target, 3);
  GpSplitResult *r1 = g_ptr_array_index (first, 0);
  GpSplitFixedGrid fixed[2];
  g_autoptr(GPtrArray) second = NULL;
  GpSplitResult *r2;
  g_autoptr(GpSplitReport) report = NULL;

  for (guint i = 0; i < 2; i++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r1->grids, 3 * i + 1);

      fixed[i] = (GpSplitFixedGrid) { grid->code, grid->shape, grid->units, grid->n_units, i == 1, 0.0 };
    }
  area.n_fixed = 2;
  area.fixed = fixed;
  second = run (&area, 1, target, 99);
  r2 = g_ptr_array_index (second, 0);
  for (guint i = 0; i < 2; i++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r2->grids, i);

      g_assert_true (grid->flags & GP_SPLIT_GRID_FIXED);
      g_assert_cmpuint (!!(grid->flags & GP_SPLIT_GRID_EXCLUSIVE), ==, i == 1);
      g_assert_cmpstr (grid->code, ==, fixed[i].code);
      g_assert_true (gp_shape_equal (grid->shape, fixed[i].shape));
      g_assert_cmpuint (grid->n_units, ==, fixed[i].n_units);
      g_assert_cmpmem (grid->units, grid->n_units * sizeof (guint), fixed[i].units, fixed[i].n_units * sizeof (guint));
    }
  /* No other grid takes a code of a locked one. */
  for (guint g = 2; g < r2->grids->len; g++)
    for (guint i = 0; i < 2; i++)
      g_assert_cmpstr (((GpSplitGrid *) g_ptr_array_index (r2->grids, g))->code, !=, fixed[i].code);
  assert_exact_cover (r2, f->parent);
  assert_totals (r2, f);
  report = report_of (second, 0, target);
  g_assert_cmpuint (gp_split_report_get_noncontiguous (report), ==, 0);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* A unit far above T becomes a grid of its own, flagged; units with no households are absorbed. */
static void
test_oversize_and_zero (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 200, 29, 0.0);
  GpSplitArea area;
  double target = 10.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) results = NULL;
  GpSplitResult *r;
  g_autoptr(GpSplitReport) report = NULL;
  guint big = 17;

  for (guint u = 0; u < f->units->len; u += 7)
    g_array_index (f->households, double, u) = 0.0;
  g_array_index (f->households, double, big) = 4.0 * target;
  area = area_of (f, "150603001007", TRUE);
  results = run (&area, 1, target, 1);
  r = g_ptr_array_index (results, 0);
  {
    GpSplitGrid *grid = g_ptr_array_index (r->grids, r->grid_of_unit[big]);

    g_assert_cmpuint (grid->n_units, ==, 1);
    g_assert_true (grid->flags & GP_SPLIT_GRID_OVERSIZE);
  }
  g_assert_nonnull (r->explanation);
  assert_totals (r, f);
  assert_exact_cover (r, f->parent);
  report = report_of (results, 0, target);
  {
    g_autofree char *json = gp_split_report_to_json (report);

    g_assert_nonnull (strstr (json, "\"oversize\" : 1"));
  }
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* An area with no households at all is one grid covering it. */
static void
test_all_zero (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 60, 31, 0.0);
  GpSplitArea area;
  g_autoptr(GPtrArray) results = NULL;
  GpSplitResult *r;

  for (guint u = 0; u < f->units->len; u++)
    g_array_index (f->households, double, u) = 0.0;
  area = area_of (f, "150603001008", TRUE);
  results = run (&area, 1, 300.0, 1);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpuint (r->grids->len, ==, 1);
  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* An area of three islands: grids cover each exactly; a grid may span islands but never breaks
 * apart on one island. */
static void
test_islands (void)
{
  GEOSGeometry *parent = wkt_geom ("MULTIPOLYGON (((0 0, 2000 0, 2000 2000, 0 2000, 0 0)),"
                                   " ((2600 0, 3400 0, 3400 900, 2600 900, 2600 0)),"
                                   " ((2600 1500, 2800 1500, 2800 1700, 2600 1700, 2600 1500)))");
  g_autoptr(Fixture) f = fixture_new (parent, 300, 37, 0.0);
  GpSplitArea area = area_of (f, "150603001009", TRUE);
  double target = 10.0 * total_households (f) / f->units->len;
  g_autoptr(GPtrArray) results = run (&area, 1, target, 1);
  GpSplitResult *r = g_ptr_array_index (results, 0);
  g_autoptr(GpSplitReport) report = NULL;

  assert_exact_cover (r, f->parent);
  assert_totals (r, f);
  report = report_of (results, 0, target);
  g_assert_cmpuint (gp_split_report_get_noncontiguous (report), ==, 0);
  g_assert_cmpuint (gp_split_report_get_crossing_parent (report), ==, 0);
  /* A grid spanning islands is named in the report, and only such grids. */
  {
    g_autofree char *json = gp_split_report_to_json (report);
    g_autofree char *text = gp_split_report_to_text (report);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *islands;
    guint spanning = 0;

    g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
    islands = json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                   "by_area"), 0), "islands");
    for (guint g = 0; g < r->grids->len; g++)
      {
        GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
        gboolean listed = FALSE;

        for (guint i = 0; i < json_array_get_length (islands); i++)
          listed = listed || strcmp (json_array_get_string_element (islands, i), grid->code) == 0;
        g_assert_cmpint (listed, ==, grid->shape->n_polygons > 1);
        spanning += listed;
      }
    g_test_message ("%u grids span islands", spanning);
    if (spanning > 0)
      g_assert_nonnull (strstr (text, "joined across water: "));
  }
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* Household points: the grids are unions of their Voronoi cells, cover the area and hold every
 * household. */
static void
test_points_mode (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(GRand) rand = g_rand_new_with_seed (41);
  g_autoptr(GpShape) parent_shape = shape_of (parent);
  guint n = 3000;
  g_autofree double *xy = g_new (double, 2 * n);
  GpSplitArea area = { 0 };
  g_autoptr(GPtrArray) results = NULL;
  GpSplitResult *r;
  g_autoptr(GpSplitReport) report = NULL;
  double sum = 0.0;
  const GEOSPreparedGeometry *prepared = GEOSPrepare_r (gp_geos (), parent);

  for (guint k = 0; k < n;)
    {
      /* Clustered: half the households in a town in the south-west. */
      double x = k % 2 == 0 ? g_rand_double_range (rand, 0, 3000) : g_rand_double_range (rand, 100, 900);
      double y = k % 2 == 0 ? g_rand_double_range (rand, 0, 2600) : g_rand_double_range (rand, 100, 900);
      GEOSGeometry *p = GEOSGeom_createPointFromXY_r (gp_geos (), X0 + x, Y0 + y);

      if (GEOSPreparedContains_r (gp_geos (), prepared, p) == 1)
        {
          xy[2 * k] = X0 + x;
          xy[2 * k + 1] = Y0 + y;
          k++;
        }
      GEOSGeom_destroy_r (gp_geos (), p);
    }
  GEOSPreparedGeom_destroy_r (gp_geos (), prepared);
  /* A few households share a place (a building). */
  xy[2] = xy[0];
  xy[3] = xy[1];
  area.code = "150603001010";
  area.shape = parent_shape;
  area.households = -1.0;
  area.n_points = n;
  area.points_xy = xy;
  results = run (&area, 1, 300.0, 1);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpint (r->mode, ==, GP_SPLIT_MODE_POINTS);
  g_assert_cmpuint (r->grids->len, ==, 10);
  assert_exact_cover (r, parent_shape);
  assert_contiguous (r);
  for (guint g = 0; g < r->grids->len; g++)
    sum += ((GpSplitGrid *) g_ptr_array_index (r->grids, g))->households;
  g_assert_cmpfloat (sum, ==, n);
  report = report_of (results, 0, 300.0);
  g_assert_cmpfloat (gp_split_report_get_households_outside (report), ==, 0.0);
  g_assert_cmpfloat (gp_split_report_get_within (report, 0.1), >=, 0.9);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* The same with GEOS drawing the Voronoi cells (what the split falls back on should its own
 * triangulation leave a place without a closed cell). */
static void
test_points_mode_geos (void)
{
  g_setenv ("GRIDPLAN_SPLIT_VORONOI", "geos", TRUE);
  test_points_mode ();
  g_unsetenv ("GRIDPLAN_SPLIT_VORONOI");
}

/* Household points on a lattice (every four neighbours on one circle, so Voronoi corners where
 * four cells meet) and in rows along the area's edge: the cells still tile the area, within an
 * area polygon and without one (their hull). */
static void
test_points_lattice (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(GpShape) parent_shape = shape_of (parent);
  const GEOSPreparedGeometry *prepared = GEOSPrepare_r (gp_geos (), parent);
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < 150; i++)
    for (guint j = 0; j < 130; j++)
      {
        double p[2] = { X0 + 10.0 + 20.0 * i, Y0 + 10.0 + 20.0 * j };
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r (gp_geos (), p[0], p[1]);

        if (GEOSPreparedContains_r (gp_geos (), prepared, pt) == 1)
          g_array_append_vals (xy, p, 2);
        GEOSGeom_destroy_r (gp_geos (), pt);
      }
  GEOSPreparedGeom_destroy_r (gp_geos (), prepared);
  for (guint with_area = 0; with_area < 2; with_area++)
    {
      GpSplitArea area = { 0 };
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GpSplitReport) report = NULL;
      GpSplitResult *r;
      double sum = 0.0;

      area.code = "150603001010";
      area.shape = with_area ? parent_shape : NULL;
      area.households = -1.0;
      area.n_points = xy->len / 2;
      area.points_xy = (const double *) xy->data;
      results = run (&area, 1, 300.0, 1);
      r = g_ptr_array_index (results, 0);
      g_assert_cmpint (r->mode, ==, GP_SPLIT_MODE_POINTS);
      if (with_area)
        assert_exact_cover (r, parent_shape);
      assert_contiguous (r);
      for (guint g = 0; g < r->grids->len; g++)
        sum += ((GpSplitGrid *) g_ptr_array_index (r->grids, g))->households;
      g_assert_cmpfloat (sum, ==, xy->len / 2);
      report = report_of (results, 0, 300.0);
      g_assert_cmpfloat (gp_split_report_get_households_outside (report), ==, 0.0);
      g_assert_cmpfloat (gp_split_report_get_gap_area (report), ==, 0.0);
      g_assert_cmpfloat (gp_split_report_get_overlap_area (report), ==, 0.0);
      g_assert_cmpfloat (gp_split_report_get_within (report, 0.1), >=, 0.9);
    }
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* Only a household total: pieces of about equal area, covering the area. */
static void
test_geometry_mode (void)
{
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(GpShape) parent_shape = shape_of (parent);
  GpSplitArea area = { 0 };
  g_autoptr(GPtrArray) results = NULL;
  GpSplitResult *r;
  g_autoptr(GpSplitReport) report = NULL;

  area.code = "150603001011";
  area.shape = parent_shape;
  area.households = 2400.0;
  results = run (&area, 1, 300.0, 1);
  r = g_ptr_array_index (results, 0);
  g_assert_cmpint (r->mode, ==, GP_SPLIT_MODE_GEOMETRY);
  g_assert_cmpuint (r->grids->len, ==, 8);
  assert_exact_cover (r, parent_shape);
  assert_contiguous (r);
  report = report_of (results, 0, 300.0);
  g_assert_cmpfloat (gp_split_report_get_within (report, 0.1), >=, 0.75);
  GEOSGeom_destroy_r (gp_geos (), parent);
}

/* Lon/lat data: split in a local metric frame and put back in degrees. */
static void
test_lonlat (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSGeometry *parent = wkt_geom (l_shape);
  g_autoptr(Fixture) f = fixture_new (parent, 150, 43, 0.0);
  g_autoptr(GpCrs) crs = gp_crs_new_from_epsg (4326, NULL);
  g_autoptr(GError) error = NULL;
  GpSplitOptions options;
  GpSplitArea area;
  g_autoptr(GPtrArray) results = NULL;
  GpSplitResult *r;
  double target = 10.0 * total_households (f) / f->units->len;

  g_assert_nonnull (crs);
  /* Metres → degrees near 40° N, 110° E (1e-5 degrees per metre roughly). */
#define TO_DEG(s)                                                     \
  for (guint i = 0; i < (s)->n_points; i++)                           \
    {                                                                 \
      (s)->xy[2 * i] = 110.0 + ((s)->xy[2 * i] - X0) * 1.2e-5;        \
      (s)->xy[2 * i + 1] = 40.0 + ((s)->xy[2 * i + 1] - Y0) * 0.9e-5; \
    }
  TO_DEG (f->parent);
  for (guint u = 0; u < f->units->len; u++)
    TO_DEG ((GpShape *) g_ptr_array_index (f->units, u));
#undef TO_DEG
  gp_split_options_init (&options);
  options.target = target;
  area = area_of (f, "150603001012", TRUE);
  results = gp_split_run (crs, &area, 1, &options, &error);
  g_assert_no_error (error);
  r = g_ptr_array_index (results, 0);
  assert_totals (r, f);
  assert_contiguous (r);
  for (guint g = 0; g < r->grids->len; g++)
    {
      GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
      double bbox[4];

      g_assert_true (gp_shape_get_bbox (grid->shape, bbox));
      g_assert_cmpfloat (bbox[0], >=, 109.99);
      g_assert_cmpfloat (bbox[2], <=, 110.04);
      /* Areas are in m²: about 1/k of the 5.9 km² area. */
      g_assert_cmpfloat (grid->area_m2, >, 1e4);
    }
  /* Grid edges are the units' own edges: every corner of a grid is a corner of one of its
   * units or of the area, exactly (no point of the densified working frame survives), so a
   * grid has no more corners than its units and the area together. */
  {
    g_autoptr(GHashTable) corners = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
    guint most = 0;

    for (guint u = 0; u <= f->units->len; u++)
      {
        GpShape *shape = u < f->units->len ? g_ptr_array_index (f->units, u) : f->parent;

        for (guint i = 0; i < shape->n_points; i++)
          g_hash_table_add (corners, g_bytes_new (shape->xy + 2 * i, 2 * sizeof (double)));
      }
    for (guint g = 0; g < r->grids->len; g++)
      {
        GpSplitGrid *grid = g_ptr_array_index (r->grids, g);
        guint own = 0;

        for (guint i = 0; i < grid->shape->n_points; i++)
          {
            g_autoptr(GBytes) key = g_bytes_new (grid->shape->xy + 2 * i, 2 * sizeof (double));

            if (!g_hash_table_contains (corners, key))
              g_test_message ("grid %s: corner %u (%.10f %.10f) is no unit's", grid->code, i,
                              grid->shape->xy[2 * i], grid->shape->xy[2 * i + 1]);
            g_assert_true (g_hash_table_contains (corners, key));
          }
        for (guint i = 0; i < grid->n_units; i++)
          own += ((GpShape *) g_ptr_array_index (f->units, grid->units[i]))->n_points;
        most = MAX (most, grid->shape->n_points * 100 / MAX (own, 1u));
      }
    g_test_message ("a grid's corners: at most %u%% of its units' corners", most);
    g_assert_cmpuint (most, <=, 100);
  }
  {
    g_autoptr(GpSplitReport) report = report_of (results, 0, target);

    g_assert_cmpfloat (gp_split_report_get_gap_area (report), <=, 1e-6 * gp_split_report_get_parent_area (report));
    g_assert_cmpfloat (gp_split_report_get_parent_area (report), >, 4e6);
  }
  GEOSGeom_destroy_r (ctx, parent);
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  GpSplitOptions options;
  GpSplitArea area = { 0 };
  GPtrArray *results;

  gp_split_options_init (&options);
  results = gp_split_run (NULL, &area, 1, &options, &error);
  g_assert_null (results);
  g_assert_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* An area without any polygon and no units: refused, naming it. */
  options.target = 300.0;
  area.code = "150603001099";
  results = gp_split_run (NULL, &area, 1, &options, &error);
  g_assert_null (results);
  g_assert_error (error, GP_ERROR, GP_ERROR_GEOMETRY);
  g_assert_nonnull (strstr (error->message, "150603001099"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/split/units-basic", test_units_basic);
  g_test_add_func ("/split/units-without-area", test_units_without_area);
  g_test_add_func ("/split/slivers-handed-over", test_slivers_handed_over);
  g_test_add_func ("/split/dirty-borders", test_dirty_borders);
  g_test_add_func ("/split/determinism", test_determinism);
  g_test_add_func ("/split/threads-same", test_threads_same);
  g_test_add_func ("/split/codes-stable", test_codes_stable);
  g_test_add_func ("/split/locked-untouched", test_locked_untouched);
  g_test_add_func ("/split/oversize-and-zero", test_oversize_and_zero);
  g_test_add_func ("/split/all-zero", test_all_zero);
  g_test_add_func ("/split/islands", test_islands);
  g_test_add_func ("/split/points-mode", test_points_mode);
  g_test_add_func ("/split/points-mode-geos", test_points_mode_geos);
  g_test_add_func ("/split/points-lattice", test_points_lattice);
  g_test_add_func ("/split/geometry-mode", test_geometry_mode);
  g_test_add_func ("/split/lonlat", test_lonlat);
  g_test_add_func ("/split/invalid", test_invalid);
  g_test_add_func ("/split/report-crossing", test_report_crossing);
  g_test_add_func ("/split/report-hinted", test_report_hinted);
  g_test_add_func ("/split/resplit/unchanged", test_resplit_unchanged);
  g_test_add_func ("/split/resplit/local", test_resplit_local);
  g_test_add_func ("/split/resplit/codes-follow-ground", test_resplit_codes_follow_ground);
  g_test_add_func ("/split/streets-without-area", test_streets_without_area);
  g_test_add_func ("/split/streets-touching-compounds", test_streets_touching_compounds);
  for (guint i = 0; i < G_N_ELEMENTS (street_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/split/streets/%s", street_cases[i].name);

      g_autofree char *no_area = g_strdup_printf ("/split/streets-no-area/%s", street_cases[i].name);

      g_test_add_data_func (path, &street_cases[i], test_streets);
      g_test_add_data_func (no_area, &street_cases[i], test_streets_no_area);
    }
  return g_test_run ();
}

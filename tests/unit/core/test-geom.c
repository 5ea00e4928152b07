/* test-geom.c: GpShape ⇄ GEOS round trips, validity and repair, one GEOS context per thread. */
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geom.h"

/* A shape from rings given as closed point lists; polygon_rings[p] rings make polygon p. */
static GpShape *
polygon_shape (const double *xy, const guint *ring_sizes, guint n_rings,
               const guint *polygon_rings, guint n_polygons)
{
  guint n_points = 0, at = 0, part = 0;
  GpShape *shape;

  for (guint r = 0; r < n_rings; r++)
    n_points += ring_sizes[r];
  shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, n_points, n_rings, n_polygons);
  memcpy (shape->xy, xy, 2 * sizeof (double) * n_points);
  for (guint r = 0; r < n_rings; r++)
    {
      shape->part_start[r] = at;
      at += ring_sizes[r];
    }
  for (guint p = 0; p < n_polygons; p++)
    {
      shape->polygon_start[p] = part;
      part += polygon_rings[p];
    }
  return shape;
}

static GpShape *
square_with_hole (void)
{
  static const double xy[] = { 0, 0, 0, 10, 10, 10, 10, 0, 0, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2 };
  static const guint rings[] = { 5, 5 }, polygons[] = { 2 };

  return polygon_shape (xy, rings, 2, polygons, 1);
}

static double
shape_area (const GpShape *shape)
{
  double area = 0;

  for (guint p = 0; p < shape->n_polygons; p++)
    for (guint r = shape->polygon_start[p]; r < shape->polygon_start[p + 1]; r++)
      {
        double a = fabs (gp_shape_ring_signed_area (shape, r));
        area += r == shape->polygon_start[p] ? a : -a;
      }
  return area;
}

/* shape → GEOS → shape must give back the very same shape. */
static void
assert_round_trip (const GpShape *shape, int geos_type)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GError) error = NULL;
  GEOSGeometry *geom = gp_geom_from_shape (ctx, shape, &error);
  g_autoptr(GpShape) back = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (geom);
  g_assert_cmpint (GEOSGeomTypeId_r (ctx, geom), ==, geos_type);
  back = gp_geom_to_shape (ctx, geom, &error);
  g_assert_no_error (error);
  GEOSGeom_destroy_r (ctx, geom);
  g_assert_true (gp_shape_equal (shape, back));
  g_assert_cmpint (back->flags, ==, shape->flags);
}

static void
test_round_trip_polygons (void)
{
  static const double xy[] = {
    0, 0, 0, 10, 10, 10, 10, 0, 0, 0,          /* polygon 1 outer (clockwise, as shapefiles) */
    2, 2, 4, 2, 4, 4, 2, 4, 2, 2,              /* its hole */
    6, 6, 8, 6, 8, 8, 6, 8, 6, 6,              /* its second hole */
    20, 0, 20, 5, 25, 5, 20, 0,                /* polygon 2, a triangle */
  };
  static const guint rings[] = { 5, 5, 5, 4 }, polygons[] = { 3, 1 };
  g_autoptr(GpShape) holed = square_with_hole ();
  g_autoptr(GpShape) multi = polygon_shape (xy, rings, 4, polygons, 2);
  g_autoptr(GpShape) forced = square_with_hole ();
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSGeometry *geom;
  double area = 0;

  assert_round_trip (holed, GEOS_POLYGON);
  assert_round_trip (multi, GEOS_MULTIPOLYGON);
  forced->flags |= GP_SHAPE_FORCE_MULTI;
  assert_round_trip (forced, GEOS_MULTIPOLYGON);

  /* GEOS sees the holes as holes. */
  geom = gp_geom_from_shape (ctx, multi, NULL);
  g_assert_true (GEOSArea_r (ctx, geom, &area));
  g_assert_cmpfloat (area, ==, 100 - 4 - 4 + 12.5);
  GEOSGeom_destroy_r (ctx, geom);
}

static void
test_round_trip_lines_z (void)
{
  g_autoptr(GpShape) lines = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_HAS_Z, 5, 2, 0);
  g_autoptr(GpShape) line = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 3, 1, 0);
  g_autoptr(GpShape) with_m = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_HAS_Z | GP_SHAPE_HAS_M, 2, 1, 0);
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GpShape) back = NULL;
  GEOSGeometry *geom;
  const double xyz[] = { 116.1, 39.9, 43.5, 116.2, 40.0, 44.25, 116.3, 40.1, -1, 0.1, 0.2, 1e-300,
                         0.3, 0.4, 7 };

  for (guint i = 0; i < 5; i++)
    {
      lines->xy[2 * i] = xyz[3 * i];
      lines->xy[2 * i + 1] = xyz[3 * i + 1];
      lines->z[i] = xyz[3 * i + 2];
    }
  lines->part_start[1] = 3;
  assert_round_trip (lines, GEOS_MULTILINESTRING);

  memcpy (line->xy, (double[]) { 1, 2, 3, 4, 5, 6 }, 6 * sizeof (double));
  assert_round_trip (line, GEOS_LINESTRING);

  /* M has no place in GEOS 3.11: it is dropped, Z stays. */
  memcpy (with_m->xy, (double[]) { 1, 2, 3, 4 }, 4 * sizeof (double));
  with_m->z[0] = 5;
  with_m->z[1] = 6;
  with_m->m[0] = 7;
  with_m->m[1] = 8;
  geom = gp_geom_from_shape (ctx, with_m, NULL);
  back = gp_geom_to_shape (ctx, geom, NULL);
  GEOSGeom_destroy_r (ctx, geom);
  g_assert_cmpint (back->flags, ==, GP_SHAPE_HAS_Z);
  g_assert_null (back->m);
  g_assert_cmpfloat (back->z[1], ==, 6);
  g_assert_cmpfloat (back->xy[3], ==, 4);
}

static void
test_round_trip_points (void)
{
  g_autoptr(GpShape) point = gp_shape_new_point (116.397128, 39.916527);
  g_autoptr(GpShape) points = gp_shape_new (GP_SHAPE_MULTIPOINT, GP_SHAPE_FLAGS_NONE, 3, 0, 0);
  g_autoptr(GpShape) one = gp_shape_new (GP_SHAPE_MULTIPOINT, GP_SHAPE_HAS_Z, 1, 0, 0);

  memcpy (points->xy, (double[]) { 1, 2, 3, 4, 5, 6 }, 6 * sizeof (double));
  one->xy[0] = 1;
  one->xy[1] = 2;
  one->z[0] = 3;
  assert_round_trip (point, GEOS_POINT);
  assert_round_trip (points, GEOS_MULTIPOINT);
  assert_round_trip (one, GEOS_MULTIPOINT);
}

static void
test_empty_and_null (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GpShape) empty_polygon = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
  g_autoptr(GpShape) empty_line = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
  g_autoptr(GpShape) empty_point = gp_shape_new (GP_SHAPE_POINT, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
  g_autoptr(GpShape) empty_points = gp_shape_new (GP_SHAPE_MULTIPOINT, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
  g_autoptr(GpShape) null_shape = gp_shape_new (GP_SHAPE_NULL, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
  g_autoptr(GpShape) back = NULL;
  GEOSGeometry *geom;

  assert_round_trip (empty_polygon, GEOS_POLYGON);
  assert_round_trip (empty_line, GEOS_LINESTRING);
  assert_round_trip (empty_point, GEOS_POINT);
  assert_round_trip (empty_points, GEOS_MULTIPOINT);
  assert_round_trip (null_shape, GEOS_GEOMETRYCOLLECTION);

  geom = gp_geom_from_shape (ctx, NULL, NULL);
  g_assert_cmpint (GEOSGeomTypeId_r (ctx, geom), ==, GEOS_GEOMETRYCOLLECTION);
  g_assert_cmpint (GEOSisEmpty_r (ctx, geom), ==, 1);
  back = gp_geom_to_shape (ctx, geom, NULL);
  g_assert_cmpint (back->kind, ==, GP_SHAPE_NULL);
  GEOSGeom_destroy_r (ctx, geom);
}

static GEOSGeometry *
from_wkt (const char *wkt)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSWKTReader *reader = GEOSWKTReader_create_r (ctx);
  GEOSGeometry *geom = GEOSWKTReader_read_r (ctx, reader, wkt);

  GEOSWKTReader_destroy_r (ctx, reader);
  g_assert_nonnull (geom);
  return geom;
}

static GpShape *
shape_from_wkt (const char *wkt)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSGeometry *geom = from_wkt (wkt);
  g_autoptr(GError) error = NULL;
  GpShape *shape = gp_geom_to_shape (ctx, geom, &error);

  g_assert_no_error (error);
  GEOSGeom_destroy_r (ctx, geom);
  return shape;
}

/* What overlays hand back: collections are flattened to their highest dimension. */
static void
test_collections (void)
{
  g_autoptr(GpShape) mixed = shape_from_wkt (
    "GEOMETRYCOLLECTION (POINT (9 9), LINESTRING (0 0, 5 5), POLYGON ((0 0, 0 1, 1 1, 0 0)),"
    " MULTIPOLYGON (((5 5, 5 6, 6 6, 5 5)), ((7 7, 7 8, 8 8, 7 7), (7.1 7.5, 7.2 7.7, 7.2 7.5, 7.1 7.5))))");
  g_autoptr(GpShape) lines = shape_from_wkt (
    "GEOMETRYCOLLECTION (POINT (9 9), LINESTRING (0 0, 5 5), GEOMETRYCOLLECTION (LINESTRING (1 1, 2 2, 3 1)))");
  g_autoptr(GpShape) points = shape_from_wkt ("GEOMETRYCOLLECTION (POINT (9 9), POINT EMPTY, POINT (1 2))");
  g_autoptr(GpShape) empty = shape_from_wkt ("GEOMETRYCOLLECTION EMPTY");
  g_autoptr(GpShape) empty_multi = shape_from_wkt ("MULTIPOLYGON EMPTY");
  g_autoptr(GpShape) z = shape_from_wkt ("POLYGON Z ((0 0 1, 0 1 2, 1 1 3, 0 0 1))");

  g_assert_cmpint (mixed->kind, ==, GP_SHAPE_POLYGON);
  g_assert_cmpuint (mixed->n_polygons, ==, 3);
  g_assert_cmpuint (mixed->n_parts, ==, 4);
  g_assert_cmpuint (mixed->n_points, ==, 16);
  g_assert_cmpuint (mixed->polygon_start[2], ==, 2);
  g_assert_cmpfloat (mixed->xy[2 * 12], ==, 7.1);

  g_assert_cmpint (lines->kind, ==, GP_SHAPE_LINE);
  g_assert_cmpuint (lines->n_parts, ==, 2);
  g_assert_cmpuint (lines->part_start[1], ==, 2);
  g_assert_cmpfloat (lines->xy[2 * 4], ==, 3);

  g_assert_cmpint (points->kind, ==, GP_SHAPE_MULTIPOINT);
  g_assert_cmpuint (points->n_points, ==, 2);
  g_assert_cmpfloat (points->xy[3], ==, 2);

  g_assert_cmpint (empty->kind, ==, GP_SHAPE_NULL);
  g_assert_cmpint (empty_multi->kind, ==, GP_SHAPE_POLYGON);
  g_assert_cmpuint (empty_multi->n_points, ==, 0);
  g_assert_true (empty_multi->flags & GP_SHAPE_FORCE_MULTI);

  g_assert_true (z->flags & GP_SHAPE_HAS_Z);
  g_assert_cmpfloat (z->z[2], ==, 3);
}

/* Rings left open or too short reach GEOS (closed or padded) instead of failing the shape. */
static void
test_degenerate_input (void)
{
  static const double open_xy[] = { 0, 0, 0, 4, 4, 4, 4, 0 };
  static const guint open_rings[] = { 4 }, one[] = { 1 };
  static const double short_xy[] = { 0, 0, 1, 1, 0, 0 };
  static const guint short_rings[] = { 3 };
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GpShape) open = polygon_shape (open_xy, open_rings, 1, one, 1);
  g_autoptr(GpShape) collapsed = polygon_shape (short_xy, short_rings, 1, one, 1);
  g_autoptr(GpShape) broken = square_with_hole ();
  g_autoptr(GpShape) lonely = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 1, 1, 0);
  g_autoptr(GError) error = NULL;
  GEOSGeometry *geom;
  double area = 0;

  geom = gp_geom_from_shape (ctx, open, &error);
  g_assert_no_error (error);
  g_assert_true (GEOSArea_r (ctx, geom, &area));
  g_assert_cmpfloat (area, ==, 16);
  GEOSGeom_destroy_r (ctx, geom);
  g_assert_true (gp_shape_is_valid (open));

  geom = gp_geom_from_shape (ctx, collapsed, &error);
  g_assert_no_error (error);
  GEOSGeom_destroy_r (ctx, geom);
  g_assert_false (gp_shape_is_valid (collapsed));
  g_assert_null (gp_shape_make_valid (collapsed, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_GEOMETRY);
  g_clear_error (&error);

  geom = gp_geom_from_shape (ctx, lonely, &error);
  g_assert_no_error (error);
  GEOSGeom_destroy_r (ctx, geom);

  /* Indices that point outside the arrays are refused before anything reads through them. */
  broken->part_start[1] = 50;
  g_assert_null (gp_geom_from_shape (ctx, broken, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_GEOMETRY);
  g_assert_false (gp_shape_is_valid (broken));
}

static void
test_make_valid_bow_tie (void)
{
  static const double xy[] = { 0, 0, 2, 2, 2, 0, 0, 2, 0, 0 };
  static const guint rings[] = { 5 }, one[] = { 1 };
  g_autoptr(GpShape) bow_tie = polygon_shape (xy, rings, 1, one, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpShape) fixed = NULL;

  g_assert_false (gp_shape_is_valid (bow_tie));
  fixed = gp_shape_make_valid (bow_tie, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixed->kind, ==, GP_SHAPE_POLYGON);
  g_assert_cmpuint (fixed->n_polygons, ==, 2);
  g_assert_cmpuint (fixed->n_parts, ==, 2);
  g_assert_cmpuint (fixed->n_points, ==, 8);   /* two closed triangles */
  g_assert_cmpfloat_with_epsilon (shape_area (fixed), 2.0, 1e-12);
  for (guint r = 0; r < 2; r++)
    g_assert_cmpfloat_with_epsilon (fabs (gp_shape_ring_signed_area (fixed, r)), 1.0, 1e-12);
  g_assert_true (gp_shape_is_valid (fixed));
}

static void
test_make_valid_spike (void)
{
  /* A 10×10 square with a spike out to (15, 5) and back along the same line. */
  static const double xy[] = { 0, 0, 0, 10, 10, 10, 10, 5, 15, 5, 10, 5, 10, 0, 0, 0 };
  static const guint rings[] = { 8 }, one[] = { 1 };
  g_autoptr(GpShape) spiky = polygon_shape (xy, rings, 1, one, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpShape) fixed = NULL;
  double bbox[4];

  g_assert_false (gp_shape_is_valid (spiky));
  fixed = gp_shape_make_valid (spiky, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixed->n_polygons, ==, 1);
  g_assert_cmpuint (fixed->n_parts, ==, 1);
  g_assert_cmpfloat_with_epsilon (shape_area (fixed), 100.0, 1e-12);
  g_assert_true (gp_shape_get_bbox (fixed, bbox));
  g_assert_cmpfloat (bbox[2], ==, 10);   /* the spike is gone */
  g_assert_true (gp_shape_is_valid (fixed));
}

static void
test_make_valid_keeps_valid (void)
{
  g_autoptr(GpShape) holed = square_with_hole ();
  g_autoptr(GpShape) same = NULL;
  g_autoptr(GpShape) line = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_FLAGS_NONE, 2, 1, 0);
  g_autoptr(GpShape) line_copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_shape_is_valid (holed));
  same = gp_shape_make_valid (holed, &error);
  g_assert_no_error (error);
  g_assert_true (gp_shape_equal (holed, same));

  g_assert_true (gp_shape_is_valid (line));
  line_copy = gp_shape_make_valid (line, &error);
  g_assert_true (gp_shape_equal (line, line_copy));
}

static void
test_error_message (void)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSWKTReader *reader = GEOSWKTReader_create_r (ctx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain = NULL;

  g_assert_null (GEOSWKTReader_read_r (ctx, reader, "POLYGON ((0 0, 1"));
  GEOSWKTReader_destroy_r (ctx, reader);
  gp_geom_set_error (&error, "units.shp: record 7");
  g_assert_error (error, GP_ERROR, GP_ERROR_GEOMETRY);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "units.shp: record 7: "));
  g_assert_nonnull (strstr (error->message, "ParseException"));

  /* The message was taken: the next error does not repeat it. */
  gp_geom_set_error (&plain, NULL);
  g_assert_null (strstr (plain->message, "ParseException"));
}

typedef struct {
  GEOSContextHandle_t ctx;
  double area;
  gboolean all_equal;
} ThreadJob;

static gpointer
convert_many (gpointer data)
{
  ThreadJob *job = data;
  g_autoptr(GpShape) holed = square_with_hole ();

  job->ctx = gp_geos ();
  job->all_equal = TRUE;
  for (int i = 0; i < 3000; i++)
    {
      GEOSGeometry *geom = gp_geom_from_shape (job->ctx, holed, NULL);
      GEOSGeometry *grown = GEOSBuffer_r (job->ctx, geom, 0.5, 4);
      GpShape *back = gp_geom_to_shape (job->ctx, geom, NULL);
      double area = 0;

      GEOSArea_r (job->ctx, grown, &area);
      job->area = area;
      job->all_equal = job->all_equal && gp_shape_equal (back, holed) && gp_shape_is_valid (back);
      gp_shape_free (back);
      GEOSGeom_destroy_r (job->ctx, grown);
      GEOSGeom_destroy_r (job->ctx, geom);
    }
  return NULL;
}

static void
test_threads (void)
{
  ThreadJob jobs[2] = { { 0 } };
  GThread *threads[2];

  for (int t = 0; t < 2; t++)
    threads[t] = g_thread_new ("geos", convert_many, &jobs[t]);
  for (int t = 0; t < 2; t++)
    g_thread_join (threads[t]);

  /* Each thread had its own context, none of them this thread's. */
  g_assert_true (jobs[0].ctx != jobs[1].ctx);
  g_assert_true (jobs[0].ctx != gp_geos ());
  g_assert_true (gp_geos () == gp_geos ());
  for (int t = 0; t < 2; t++)
    {
      g_assert_true (jobs[t].all_equal);
      g_assert_cmpfloat (jobs[t].area, >, 96);
      g_assert_cmpfloat (jobs[t].area, ==, jobs[0].area);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geom/round-trip/polygons", test_round_trip_polygons);
  g_test_add_func ("/geom/round-trip/lines-z", test_round_trip_lines_z);
  g_test_add_func ("/geom/round-trip/points", test_round_trip_points);
  g_test_add_func ("/geom/round-trip/empty-and-null", test_empty_and_null);
  g_test_add_func ("/geom/collections", test_collections);
  g_test_add_func ("/geom/degenerate-input", test_degenerate_input);
  g_test_add_func ("/geom/make-valid/bow-tie", test_make_valid_bow_tie);
  g_test_add_func ("/geom/make-valid/spike", test_make_valid_spike);
  g_test_add_func ("/geom/make-valid/keeps-valid", test_make_valid_keeps_valid);
  g_test_add_func ("/geom/error-message", test_error_message);
  g_test_add_func ("/geom/threads", test_threads);

  return g_test_run ();
}

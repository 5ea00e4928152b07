/* test-wkb.c: WKB and GeoPackage blobs round-trip, match hand-made bytes and refuse lies. */
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-wkb.h"

static GpShape *
square_with_hole (void)
{
  /* One polygon: outer 0..10 square, hole 2..4 square. */
  static const double xy[] = { 0, 0, 0, 10, 10, 10, 10, 0, 0, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2 };
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 10, 2, 1);

  memcpy (shape->xy, xy, sizeof xy);
  shape->part_start[1] = 5;
  return shape;
}

static void
test_point_bytes (void)
{
  g_autoptr(GpShape) point = gp_shape_new_point (1.5, -2.0);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 expected[21] = { 1, 1, 0, 0, 0 };
  double x = 1.5, y = -2.0;

  memcpy (expected + 5, &x, 8);
  memcpy (expected + 13, &y, 8);
  g_assert_true (gp_wkb_append (out, point));
  g_assert_cmpmem (out->data, out->len, expected, sizeof expected);
}

static void
test_polygon_round_trip (void)
{
  g_autoptr(GpShape) shape = square_with_hole ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GpShape) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gp_wkb_append (out, shape));
  /* 1+4 header, 4 ring count, 2 × (4 + 5 × 16) */
  g_assert_cmpuint (out->len, ==, 9 + 2 * (4 + 80));
  back = gp_wkb_parse (out->data, out->len, &error);
  g_assert_no_error (error);
  g_assert_true (gp_shape_equal (shape, back));
}

static void
test_multipolygon_z_round_trip (void)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_HAS_Z, 8, 2, 2);
  static const double xy[] = { 0, 0, 1, 0, 1, 1, 0, 0, 5, 5, 6, 5, 6, 6, 5, 5 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GpShape) back = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (shape->xy, xy, sizeof xy);
  for (guint i = 0; i < 8; i++)
    shape->z[i] = 100.0 + i;
  shape->part_start[1] = 4;
  shape->polygon_start[1] = 1;
  g_assert_true (gp_wkb_append (out, shape));
  /* MultiPolygon Z = 1006 */
  g_assert_cmpuint (out->data[1] | (out->data[2] << 8), ==, 1006);
  back = gp_wkb_parse (out->data, out->len, &error);
  g_assert_no_error (error);
  g_assert_true (gp_shape_equal (shape, back));
  g_assert_true (back->flags & GP_SHAPE_FORCE_MULTI);
  gp_shape_free (shape);
}

static void
test_lines_and_multipoint_m (void)
{
  GpShape *line = gp_shape_new (GP_SHAPE_LINE, GP_SHAPE_HAS_M, 5, 2, 0);
  GpShape *points = gp_shape_new (GP_SHAPE_MULTIPOINT, GP_SHAPE_HAS_M, 3, 0, 0);
  GpShape *shapes[2] = { line, points };

  for (guint i = 0; i < 5; i++)
    {
      line->xy[2 * i] = i;
      line->xy[2 * i + 1] = i * i;
      line->m[i] = i == 2 ? NAN : 10.0 * i;
    }
  line->part_start[1] = 2;
  for (guint i = 0; i < 3; i++)
    {
      points->xy[2 * i] = -i;
      points->xy[2 * i + 1] = 0.1 * i;
      points->m[i] = i;
    }
  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GpShape) back = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (gp_wkb_append (out, shapes[s]));
      back = gp_wkb_parse (out->data, out->len, &error);
      g_assert_no_error (error);
      g_assert_true (gp_shape_equal (shapes[s], back));
      gp_shape_free (shapes[s]);
    }
}

static void
test_blob_header (void)
{
  g_autoptr(GpShape) shape = square_with_hole ();
  gsize length = 0;
  g_autofree guint8 *blob = gp_gpkg_blob_new (shape, 4490, &length);
  double env[4];
  gint32 srs = 0;
  g_autoptr(GpShape) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (blob);
  g_assert_cmpint (blob[0], ==, 'G');
  g_assert_cmpint (blob[1], ==, 'P');
  g_assert_cmpint (blob[2], ==, 0);
  g_assert_cmpint (blob[3], ==, 0x03); /* little-endian, envelope [minx,maxx,miny,maxy] */
  memcpy (env, blob + 8, sizeof env);
  g_assert_cmpfloat (env[0], ==, 0);
  g_assert_cmpfloat (env[1], ==, 10);
  g_assert_cmpfloat (env[2], ==, 0);
  g_assert_cmpfloat (env[3], ==, 10);
  back = gp_gpkg_blob_parse (blob, length, &srs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (srs, ==, 4490);
  g_assert_true (gp_shape_equal (shape, back));

  g_assert_null (gp_gpkg_blob_new (NULL, 4326, &length));
  g_assert_cmpuint (length, ==, 0);
}

static void
test_blob_big_endian_point (void)
{
  /* Hand-made: GP, version 0, flags 0 (big-endian, no envelope), srs 4326, BE WKB point. */
  guint8 blob[8 + 21] = { 'G', 'P', 0, 0, 0, 0, 0x10, 0xE6, 0, 0, 0, 0, 1 };
  guint64 bits;
  double x = 116.4, y = 39.9;
  gint32 srs = 0;
  g_autoptr(GpShape) shape = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (&bits, &x, 8);
  bits = GUINT64_TO_BE (bits);
  memcpy (blob + 13, &bits, 8);
  memcpy (&bits, &y, 8);
  bits = GUINT64_TO_BE (bits);
  memcpy (blob + 21, &bits, 8);
  shape = gp_gpkg_blob_parse (blob, sizeof blob, &srs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (srs, ==, 4326);
  g_assert_cmpint (shape->kind, ==, GP_SHAPE_POINT);
  g_assert_cmpfloat (shape->xy[0], ==, 116.4);
  g_assert_cmpfloat (shape->xy[1], ==, 39.9);
}

static void
test_refuses_lies (void)
{
  g_autoptr(GpShape) shape = square_with_hole ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 lie[13] = { 1, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0 };

  gp_wkb_append (out, shape);
  /* Every truncation of a valid geometry is refused, never read past the end. */
  for (gsize len = 0; len < out->len; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (out->data, len);
      g_autoptr(GpShape) back = gp_wkb_parse (copy, len, &error);

      g_assert_null (back);
      g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
    }
  /* A ring count of two billion in 13 bytes. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (gp_wkb_parse (lie, sizeof lie, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  }
  /* Not a blob at all. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (gp_gpkg_blob_parse ((const guint8 *) "hello world", 11, NULL, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  }
}

static void
test_empty_polygon_blob (void)
{
  g_autoptr(GpShape) empty = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
  gsize length = 0;
  g_autofree guint8 *blob = gp_gpkg_blob_new (empty, 0, &length);
  g_autoptr(GpShape) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (blob);
  g_assert_true (blob[3] & (1 << 4)); /* empty flag */
  back = gp_gpkg_blob_parse (blob, length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->kind, ==, GP_SHAPE_POLYGON);
  g_assert_cmpuint (back->n_points, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wkb/point-bytes", test_point_bytes);
  g_test_add_func ("/wkb/polygon-round-trip", test_polygon_round_trip);
  g_test_add_func ("/wkb/multipolygon-z", test_multipolygon_z_round_trip);
  g_test_add_func ("/wkb/lines-multipoint-m", test_lines_and_multipoint_m);
  g_test_add_func ("/wkb/blob-header", test_blob_header);
  g_test_add_func ("/wkb/blob-big-endian-point", test_blob_big_endian_point);
  g_test_add_func ("/wkb/refuses-lies", test_refuses_lies);
  g_test_add_func ("/wkb/empty-polygon-blob", test_empty_polygon_blob);
  return g_test_run ();
}

/* test-gpkg-layer.c: a layer written as a GeoPackage feature table reads back the same, GDAL-style tables read, broken files refused. */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-gpkg.h"
#include "gp-wkb.h"
#include "tests/gp-test-util.h"

/* Projected-looking coordinates, so that nothing takes them for lon/lat. */
#define X0 500000.0
#define Y0 4400000.0

static GpShape *
square (double x, double y, double size, gboolean with_hole)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, with_hole ? 10 : 5,
                                 with_hole ? 2 : 1, 1);
  const double outer[10] = { x, y, x, y + size, x + size, y + size, x + size, y, x, y };
  const double inner[10] = { x + 1, y + 1, x + 2, y + 1, x + 2, y + 2, x + 1, y + 2, x + 1, y + 1 };

  memcpy (shape->xy, outer, sizeof outer);
  if (with_hole)
    {
      memcpy (shape->xy + 10, inner, sizeof inner);
      shape->part_start[1] = 5;
    }
  return shape;
}

static GpShape *
two_squares (void)
{
  GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FORCE_MULTI, 10, 2, 2);
  const double xy[20] = { 20, 0, 20, 1, 21, 1, 21, 0, 20, 0,
                          30, 0, 30, 1, 31, 1, 31, 0, 30, 0 };

  memcpy (shape->xy, xy, sizeof xy);
  for (guint i = 0; i < 10; i++)
    shape->xy[2 * i] += X0, shape->xy[2 * i + 1] += Y0;
  shape->part_start[1] = 5;
  shape->polygon_start[1] = 1;
  return shape;
}

/* Three grids: one with a hole, one without a geometry, one in two pieces. */
static GpLayer *
grid_layer (void)
{
  GpLayer *layer = gp_layer_new ("网格 边界/2024");
  GpFeature *feature;

  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYGON);
  gp_layer_add_field (layer, "名称", GP_FIELD_STRING, 50, 0);
  gp_layer_add_field (layer, "HH", GP_FIELD_INTEGER, 9, 0);
  gp_layer_add_field (layer, "AREA", GP_FIELD_REAL, 19, 6);
  gp_layer_add_field (layer, "DRAWN", GP_FIELD_DATE, 8, 0);
  gp_layer_add_field (layer, "LOCKED", GP_FIELD_LOGICAL, 1, 0);
  gp_layer_add_field (layer, "fid", GP_FIELD_INTEGER, 9, 0);    /* collides with the key */
  gp_layer_add_field (layer, "hh", GP_FIELD_STRING, 10, 0);     /* collides with HH */

  feature = gp_layer_append (layer, square (X0, Y0, 10, TRUE), 0);
  gp_feature_set_text (layer, feature, 0, "青山区第一网格");
  feature->values[1] = (GpValue) { .is_null = FALSE, .integer = 312 };
  feature->values[2] = (GpValue) { .is_null = FALSE, .real = 0.1 };
  feature->values[3] = (GpValue) { .is_null = FALSE, .date = { 2024, 2, 29 } };
  feature->values[4] = (GpValue) { .is_null = FALSE, .logical = TRUE };
  feature->values[5] = (GpValue) { .is_null = FALSE, .integer = -7 };
  gp_feature_set_text (layer, feature, 6, "x\"y'z");

  feature = gp_layer_append (layer, NULL, 1);
  gp_feature_set_text (layer, feature, 0, "无图形");
  feature->values[4] = (GpValue) { .is_null = FALSE, .logical = FALSE };

  feature = gp_layer_append (layer, two_squares (), 2);
  feature->values[1] = (GpValue) { .is_null = FALSE, .integer = G_MAXINT64 };
  feature->values[2] = (GpValue) { .is_null = FALSE, .real = -1e300 };
  return layer;
}

static char *
query_text (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static void
exec_sql (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);
}

static guint
count_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static void
assert_sql (const char *path, const char *sql, const char *expected)
{
  g_autofree char *got = query_text (path, sql);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "grids.gpkg", NULL);
  g_autoptr(GpLayer) layer = grid_layer ();
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;
  GpFeature *a, *b;

  g_assert_true (gp_gpkg_write_layer (layer, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (dir), ==, 1);   /* no temporary or journal left over */

  /* The file is a GeoPackage 1.3 with the table registered the way GDAL and QGIS expect. */
  assert_sql (path, "PRAGMA application_id", "1196444487");
  assert_sql (path, "PRAGMA user_version", "10300");
  assert_sql (path, "PRAGMA integrity_check", "ok");
  assert_sql (path, "SELECT table_name || ',' || data_type FROM gpkg_contents",
              "网格_边界_2024,features");
  assert_sql (path, "SELECT geometry_type_name || ',' || column_name || ',' || z || m"
                    " FROM gpkg_geometry_columns", "MULTIPOLYGON,geom,00");
  assert_sql (path, "SELECT min_x || ',' || min_y || ',' || max_x || ',' || max_y FROM gpkg_contents",
              "500000.0,4400000.0,500031.0,4400010.0");
  assert_sql (path, "SELECT group_concat(name, ',') FROM pragma_table_info('网格_边界_2024')",
              "fid,geom,名称,HH,AREA,DRAWN,LOCKED,fid_2,hh_2");
  assert_sql (path, "SELECT group_concat(type, ',') FROM pragma_table_info('网格_边界_2024')",
              "INTEGER,MULTIPOLYGON,TEXT,INTEGER,REAL,DATE,BOOLEAN,INTEGER,TEXT");
  assert_sql (path, "SELECT DRAWN || '/' || LOCKED FROM \"网格_边界_2024\" WHERE fid = 1",
              "2024-02-29/1");
  /* Every row in the column's type: the single polygon is written as a MultiPolygon too. */
  assert_sql (path, "SELECT hex(substr(geom, 41, 5)) FROM \"网格_边界_2024\" WHERE fid = 1",
              "0106000000");
  /* The spatial index covers the two rows with a geometry, and is declared. */
  assert_sql (path, "SELECT group_concat(id || ':' || minx || ',' || maxy, ';')"
                    " FROM \"rtree_网格_边界_2024_geom\"", "1:500000.0,4400010.0;3:500020.0,4400001.0");
  assert_sql (path, "SELECT extension_name || ',' || scope FROM gpkg_extensions",
              "gpkg_rtree_index,write-only");
  assert_sql (path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", "6");

  back = gp_gpkg_read_layer (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpstr (gp_layer_get_name (back), ==, "网格_边界_2024");
  g_assert_cmpstr (gp_layer_get_source_path (back), ==, path);
  g_assert_cmpstr (gp_layer_get_encoding (back), ==, "UTF-8");
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POLYGON);
  g_assert_null (gp_layer_get_crs (back));
  g_assert_cmpuint (gp_layer_get_warnings (back)->len, ==, 0);
  g_assert_cmpuint (gp_layer_get_n_fields (back), ==, 7);
  g_assert_cmpstr (gp_layer_get_field (back, 0)->name, ==, "名称");
  g_assert_cmpint (gp_layer_get_field (back, 0)->type, ==, GP_FIELD_STRING);
  g_assert_cmpint (gp_layer_get_field (back, 1)->type, ==, GP_FIELD_INTEGER);
  g_assert_cmpint (gp_layer_get_field (back, 2)->type, ==, GP_FIELD_REAL);
  g_assert_cmpint (gp_layer_get_field (back, 3)->type, ==, GP_FIELD_DATE);
  g_assert_cmpint (gp_layer_get_field (back, 4)->type, ==, GP_FIELD_LOGICAL);
  g_assert_cmpstr (gp_layer_get_field (back, 5)->name, ==, "fid_2");
  g_assert_cmpuint (gp_layer_get_n_features (back), ==, 3);
  g_assert_cmpuint (gp_layer_get_null_geometries (back), ==, 1);

  for (guint i = 0; i < 3; i++)
    {
      a = gp_layer_get_feature (layer, i);
      b = gp_layer_get_feature (back, i);
      g_assert_cmpuint (b->record, ==, i);
      g_assert_true (gp_shape_equal (a->shape, b->shape));
      for (guint f = 0; f < gp_layer_get_n_fields (layer); f++)
        {
          g_assert_cmpint (a->values[f].is_null, ==, b->values[f].is_null);
          if (a->values[f].is_null)
            continue;
          switch (gp_layer_get_field (layer, f)->type)
            {
            case GP_FIELD_STRING:
              g_assert_cmpstr (a->values[f].text, ==, b->values[f].text);
              break;
            case GP_FIELD_INTEGER:
              g_assert_cmpint (a->values[f].integer, ==, b->values[f].integer);
              break;
            case GP_FIELD_REAL:
              g_assert_cmpfloat (a->values[f].real, ==, b->values[f].real);
              break;
            case GP_FIELD_DATE:
              g_assert_cmpuint (a->values[f].date.year, ==, b->values[f].date.year);
              g_assert_cmpuint (a->values[f].date.month, ==, b->values[f].date.month);
              g_assert_cmpuint (a->values[f].date.day, ==, b->values[f].date.day);
              break;
            case GP_FIELD_LOGICAL:
              g_assert_cmpint (a->values[f].logical, ==, b->values[f].logical);
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
  gp_test_rmdir (dir);
}

/* Points with Z, in a projected CRS: POINT with z mandatory, the CRS found again by its code. */
static void
test_points_z_crs (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "households.gpkg", NULL);
  g_autoptr(GpLayer) layer = gp_layer_new ("households");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GpCrs) crs = NULL;
  g_autoptr(GError) error = NULL;

  crs = gp_crs_new_from_epsg (4547, &error);
  g_assert_no_error (error);
  gp_layer_set_crs (layer, crs);
  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POINTZ);
  for (guint i = 0; i < 4; i++)
    {
      GpShape *point = gp_shape_new (GP_SHAPE_POINT, GP_SHAPE_HAS_Z, 1, 0, 0);

      point->xy[0] = 500000.5 + i;
      point->xy[1] = 4400000.25 - i;
      point->z[0] = 1000 + i;
      gp_layer_append (layer, point, i);
    }
  g_assert_true (gp_gpkg_write_layer (layer, path, &error));
  g_assert_no_error (error);
  assert_sql (path, "SELECT geometry_type_name || ',' || srs_id || ',' || z || m"
                    " FROM gpkg_geometry_columns", "POINT,4547,10");
  assert_sql (path, "SELECT organization || ':' || organization_coordsys_id"
                    " FROM gpkg_spatial_ref_sys WHERE srs_id = 4547", "EPSG:4547");

  back = gp_gpkg_read_layer (path, "HOUSEHOLDS", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POINTZ);
  g_assert_nonnull (gp_layer_get_crs (back));
  g_assert_cmpint (gp_crs_get_epsg (gp_layer_get_crs (back)), ==, 4547);
  g_assert_cmpuint (gp_layer_get_n_features (back), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (gp_shape_equal (gp_layer_get_feature (layer, i)->shape,
                                   gp_layer_get_feature (back, i)->shape));
  gp_test_rmdir (dir);
}

/* No features at all still makes a valid, typed table. */
static void
test_empty_layer (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "empty.gpkg", NULL);
  g_autoptr(GpLayer) layer = gp_layer_new ("123");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;

  gp_layer_set_geometry_type (layer, GP_GEOMETRY_TYPE_POLYLINEM);
  gp_layer_add_field (layer, "", GP_FIELD_STRING, 10, 0);
  g_assert_true (gp_gpkg_write_layer (layer, path, &error));
  g_assert_no_error (error);
  assert_sql (path, "SELECT table_name || ',' || geometry_type_name || ',' || z || m"
                    " FROM gpkg_geometry_columns", "layer_123,LINESTRING,01");
  assert_sql (path, "SELECT min_x FROM gpkg_contents", NULL);

  back = gp_gpkg_read_layer (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (back), ==, 0);
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POLYLINEM);
  g_assert_cmpstr (gp_layer_get_field (back, 0)->name, ==, "field_1");
  gp_test_rmdir (dir);
}

/* A table as GDAL might write it: other key and geometry names, sized and foreign types. */
static void
test_read_foreign_table (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "foreign.gpkg", NULL);
  g_autoptr(GpLayer) seed = gp_layer_new ("seed");
  g_autoptr(GpLayer) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *blob = NULL;
  g_autoptr(GpShape) point = gp_shape_new_point (116.5, 40.25);
  g_autofree char *hex = NULL;
  g_autofree char *sql = NULL;
  GpFeature *feature;
  gsize length = 0;

  /* Start from one of ours for the core tables, then add a table the way another tool would. */
  g_assert_true (gp_gpkg_write_layer (seed, path, &error));
  g_assert_no_error (error);
  blob = gp_gpkg_blob_new (point, 4326, &length);
  hex = g_malloc0 (2 * length + 1);
  for (gsize i = 0; i < length; i++)
    g_snprintf (hex + 2 * i, 3, "%02X", blob[i]);
  sql = g_strdup_printf (
    "CREATE TABLE roads (ogc_fid INTEGER PRIMARY KEY, shape POINT, \"名\" TEXT(20),"
    " lanes MEDIUMINT, width DOUBLE, built DATETIME, photo BLOB, open BOOLEAN);"
    "INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('roads', 'features', 4326);"
    "INSERT INTO gpkg_geometry_columns VALUES ('roads', 'shape', 'point', 4326, 0, 0);"
    "INSERT INTO roads VALUES (10, X'%s', '长安街', '4', '12.5', '2020-01-01T00:00:00Z', X'00', 1);"
    "INSERT INTO roads VALUES (20, X'4750000100000000FF', 'broken', 1, 1, NULL, NULL, 0);"
    "INSERT INTO roads VALUES (30, NULL, NULL, 'many', 'wide', NULL, NULL, NULL);"
    "CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT);"
    "INSERT INTO gpkg_contents (table_name, data_type) VALUES ('staff', 'attributes');"
    "INSERT INTO staff (name) VALUES ('王芳');", hex);
  exec_sql (path, sql);

  back = gp_gpkg_read_layer (path, "roads", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_fields (back), ==, 5);   /* the BLOB column is left out */
  g_assert_cmpstr (gp_layer_get_field (back, 0)->name, ==, "名");
  g_assert_cmpint (gp_layer_get_field (back, 0)->width, ==, 20);
  g_assert_cmpint (gp_layer_get_field (back, 1)->type, ==, GP_FIELD_INTEGER);
  g_assert_cmpint (gp_layer_get_field (back, 2)->type, ==, GP_FIELD_REAL);
  g_assert_cmpint (gp_layer_get_field (back, 3)->type, ==, GP_FIELD_STRING);
  g_assert_cmpint (gp_layer_get_field (back, 4)->type, ==, GP_FIELD_LOGICAL);
  g_assert_cmpint (gp_layer_get_geometry_type (back), ==, GP_GEOMETRY_TYPE_POINT);
  g_assert_cmpint (gp_crs_get_epsg (gp_layer_get_crs (back)), ==, 4326);
  /* The broken geometry costs its row, with a warning naming the file and the feature. */
  g_assert_cmpuint (gp_layer_get_n_features (back), ==, 2);
  g_assert_cmpuint (gp_layer_get_warnings (back)->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (gp_layer_get_warnings (back), 1), "feature 20"));
  g_assert_nonnull (strstr (g_ptr_array_index (gp_layer_get_warnings (back), 1), path));

  feature = gp_layer_get_feature (back, 0);
  g_assert_true (gp_shape_equal (feature->shape, point));
  g_assert_cmpstr (feature->values[0].text, ==, "长安街");
  g_assert_cmpint (feature->values[1].integer, ==, 4);
  g_assert_cmpfloat (feature->values[2].real, ==, 12.5);
  g_assert_cmpstr (feature->values[3].text, ==, "2020-01-01T00:00:00Z");
  g_assert_true (feature->values[4].logical);
  feature = gp_layer_get_feature (back, 1);
  g_assert_cmpuint (feature->record, ==, 2);
  g_assert_null (feature->shape);
  g_assert_true (feature->values[1].is_null);   /* 'many' is no number */
  g_assert_true (feature->values[2].is_null);

  /* The first feature table is ours; an attributes table reads when named. */
  g_clear_object (&back);
  back = gp_gpkg_read_layer (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gp_layer_get_name (back), ==, "seed");
  g_clear_object (&back);
  back = gp_gpkg_read_layer (path, "staff", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (back), ==, 1);
  g_assert_cmpstr (gp_layer_get_feature (back, 0)->values[0].text, ==, "王芳");
  gp_test_rmdir (dir);
}

static void
test_refusals (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *garbage = g_build_filename (dir, "garbage.gpkg", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.sqlite", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.gpkg", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no-such-dir", "out.gpkg", NULL);
  g_autoptr(GpLayer) layer = grid_layer ();
  g_autoptr(GError) error = NULL;
  GpLayer *back;

  g_assert_true (g_file_set_contents (garbage, "this is not a database, just text\n", -1, NULL));
  back = gp_gpkg_read_layer (garbage, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, garbage));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);

  exec_sql (plain, "CREATE TABLE t (a INTEGER)");
  back = gp_gpkg_read_layer (plain, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_clear_error (&error);

  back = gp_gpkg_read_layer (missing, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));   /* reading never creates it */
  g_clear_error (&error);

  g_assert_false (gp_gpkg_write_layer (layer, nowhere, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, nowhere));
  g_clear_error (&error);

  g_assert_true (gp_gpkg_write_layer (layer, missing, &error));
  back = gp_gpkg_read_layer (missing, "no_such_table", &error);
  g_assert_null (back);
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Overwriting replaces the whole file (no second table, no stale rows). */
  g_assert_true (gp_gpkg_write_layer (layer, missing, &error));
  g_assert_no_error (error);
  assert_sql (missing, "SELECT count(*) FROM gpkg_contents", "1");
  assert_sql (missing, "SELECT count(*) FROM \"网格_边界_2024\"", "3");
  g_assert_cmpuint (count_entries (dir), ==, 3);
  gp_test_rmdir (dir);
}

/* Enough features for a spatial index three levels deep, which SQLite itself must accept and
 * search: its integrity check, and a window query answered through the index. */
static void
test_spatial_index (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "units.gpkg", NULL);
  g_autoptr(GpLayer) layer = gp_layer_new ("units");
  g_autoptr(GError) error = NULL;
  const guint side = 120;   /* 14,400 units: 51 per leaf, 3 levels */
  guint expected = 0;
  g_autofree char *count = NULL;

  for (guint i = 0; i < side * side; i++)
    {
      double x = X0 + 10.0 * (i % side) + 0.1, y = Y0 + 10.0 * (i / side) + 0.1;

      if (i % 97 == 5)
        gp_layer_append (layer, NULL, i);   /* a few without geometry, as in real data */
      else
        gp_layer_append (layer, square (x, y, 9.8, FALSE), i);
      /* The window [X0 + 300, X0 + 400] x [Y0 + 500, Y0 + 600] holds columns 30-39, rows 50-59. */
      if (i % 97 != 5 && i % side >= 30 && i % side < 40 && i / side >= 50 && i / side < 60)
        expected++;
    }
  g_assert_true (gp_gpkg_write_layer (layer, path, &error));
  g_assert_no_error (error);

  assert_sql (path, "SELECT rtreecheck('rtree_units_geom')", "ok");
  assert_sql (path, "SELECT max(nodeno) > 280 FROM rtree_units_geom_node", "1");
  assert_sql (path, "SELECT count(*) = (SELECT count(*) FROM units WHERE geom IS NOT NULL)"
                    " FROM rtree_units_geom", "1");
  count = query_text (path, "SELECT count(*) FROM rtree_units_geom WHERE minx >= 500300"
                            " AND maxx <= 500400 AND miny >= 4400500 AND maxy <= 4400600");
  g_assert_cmpint (atoi (count), ==, (int) expected);
  /* The tree still takes edits: SQLite's own insert and delete on it stay consistent. */
  exec_sql (path, "DELETE FROM rtree_units_geom WHERE id % 3 = 0;"
                  "INSERT INTO rtree_units_geom VALUES (1000000, 0, 1, 0, 1);");
  assert_sql (path, "SELECT rtreecheck('rtree_units_geom')", "ok");
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gpkg-layer/round-trip", test_round_trip);
  g_test_add_func ("/gpkg-layer/points-z-crs", test_points_z_crs);
  g_test_add_func ("/gpkg-layer/empty-layer", test_empty_layer);
  g_test_add_func ("/gpkg-layer/read-foreign-table", test_read_foreign_table);
  g_test_add_func ("/gpkg-layer/refusals", test_refusals);
  g_test_add_func ("/gpkg-layer/spatial-index", test_spatial_index);
  return g_test_run ();
}

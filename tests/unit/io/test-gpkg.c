/* test-gpkg.c: the GeoPackage core helpers: required tables and rows, srs ids, registration. */
#include <string.h>

#include "gp-crs.h"
#include "gp-error.h"
#include "gp-gpkg.h"
#include "gp-test-util.h"

static sqlite3 *
open_memory (void)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_true (gp_sqlite_exec (db, "PRAGMA foreign_keys = ON", NULL));
  return db;
}

static gint64
query_int (sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_init_schema (void)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_memory ();

  g_assert_true (gp_gpkg_init_schema (db, &error));
  g_assert_no_error (error);
  /* Twice is harmless: tables and rows are created only when missing. */
  g_assert_true (gp_gpkg_init_schema (db, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (db, "PRAGMA application_id"), ==, 0x47504B47);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 10300);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id = 4326"
                                  " AND organization = 'EPSG' AND organization_coordsys_id = 4326"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id = -1"
                                  " AND organization = 'NONE' AND organization_coordsys_id = -1"
                                  " AND definition = 'undefined'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id = 0"
                                  " AND organization = 'NONE' AND organization_coordsys_id = 0"
                                  " AND definition = 'undefined'"), ==, 1);
  /* The column sets of Annex C. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('gpkg_contents')"), ==, 10);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('gpkg_geometry_columns')"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info('gpkg_spatial_ref_sys')"), ==, 6);
  sqlite3_close (db);
}

static void
test_ensure_srs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) wgs84 = gp_crs_new_from_epsg (4326, &error);
  g_autoptr(GpCrs) cgcs2000 = NULL;
  g_autoptr(GpCrs) custom = NULL;
  g_autoptr(GpCrs) custom_again = NULL;
  g_autofree char *org = NULL;
  sqlite3 *db = open_memory ();
  gint32 id = 42, id2 = 42;

  g_assert_no_error (error);
  cgcs2000 = gp_crs_new_from_epsg (4490, &error);
  g_assert_no_error (error);
  /* A transverse Mercator on an odd meridian has no EPSG code. */
  custom = gp_crs_new_from_definition ("+proj=tmerc +lat_0=0 +lon_0=111.37 +k=1 +x_0=0 +y_0=0"
                                       " +ellps=GRS80 +units=m +no_defs +type=crs", &error);
  g_assert_no_error (error);
  custom_again = gp_crs_new_from_definition ("+proj=tmerc +lat_0=0 +lon_0=111.37 +k=1 +x_0=0 +y_0=0"
                                             " +ellps=GRS80 +units=m +no_defs +type=crs", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_crs_get_epsg (custom), ==, 0);
  g_assert_true (gp_gpkg_init_schema (db, NULL));

  g_assert_true (gp_gpkg_ensure_srs (db, NULL, TRUE, &id, &error));
  g_assert_cmpint (id, ==, 0);
  g_assert_true (gp_gpkg_ensure_srs (db, NULL, FALSE, &id, &error));
  g_assert_cmpint (id, ==, -1);

  g_assert_true (gp_gpkg_ensure_srs (db, wgs84, TRUE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 4326);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys"), ==, 3);

  g_assert_true (gp_gpkg_ensure_srs (db, cgcs2000, TRUE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 4490);
  org = query_text (db, "SELECT organization || ':' || organization_coordsys_id FROM gpkg_spatial_ref_sys"
                        " WHERE srs_id = 4490");
  g_assert_cmpstr (org, ==, "EPSG:4490");
  g_assert_true (gp_gpkg_ensure_srs (db, cgcs2000, TRUE, &id2, &error));
  g_assert_cmpint (id2, ==, 4490);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys"), ==, 4);

  g_assert_true (gp_gpkg_ensure_srs (db, custom, FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >=, 100000);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE organization = 'NONE'"
                                  " AND definition LIKE 'PROJCS[%'"), ==, 1);
  /* The same definition again reuses the row. */
  g_assert_true (gp_gpkg_ensure_srs (db, custom_again, FALSE, &id2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id2, ==, id);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_spatial_ref_sys"), ==, 5);
  sqlite3_close (db);
}

static void
test_register_table (void)
{
  g_autoptr(GError) error = NULL;
  const double bbox[4] = { 110.0, 40.0, 111.0, 41.0 };
  sqlite3 *db = open_memory ();

  g_assert_true (gp_gpkg_init_schema (db, NULL));
  g_assert_true (gp_sqlite_exec (db, "CREATE TABLE roads (fid INTEGER PRIMARY KEY AUTOINCREMENT,"
                                     " geom LINESTRING, name TEXT);"
                                     "CREATE TABLE notes (fid INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT)",
                                 &error));
  g_assert_no_error (error);
  g_assert_true (gp_gpkg_register_table (db, "roads", "geom", "LINESTRING", 4326, bbox, &error));
  g_assert_no_error (error);
  g_assert_true (gp_gpkg_register_table (db, "notes", NULL, NULL, 0, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'roads'"
                                  " AND data_type = 'features' AND srs_id = 4326 AND min_x = 110"
                                  " AND max_y = 41"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'roads'"
                                  " AND column_name = 'geom' AND geometry_type_name = 'LINESTRING'"
                                  " AND srs_id = 4326 AND z = 0 AND m = 0"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'notes'"
                                  " AND data_type = 'attributes' AND srs_id IS NULL"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'notes'"), ==, 0);

  /* Registering again updates the row in place (the geometry column refers to it). */
  g_assert_true (gp_gpkg_register_table (db, "roads", "geom", "MULTILINESTRING", 4326, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'roads'"
                                  " AND min_x IS NULL"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM gpkg_geometry_columns"
                                  " WHERE geometry_type_name = 'MULTILINESTRING'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* An srs that does not exist breaks the foreign key and is refused. */
  g_assert_false (gp_gpkg_register_table (db, "notes", "geom", "POINT", 999, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  sqlite3_close (db);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) named = NULL;
  sqlite3 *db = open_memory ();

  g_assert_false (gp_sqlite_exec (db, "SELECT * FROM no_such_table", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_true (strstr (error->message, "no such table: no_such_table") != NULL);

  gp_sqlite_set_error (&named, db, "/tmp/plan.gpkg");
  g_assert_error (named, GP_ERROR, GP_ERROR_IO);
  g_assert_true (g_str_has_prefix (named->message, "/tmp/plan.gpkg: "));
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gpkg/init-schema", test_init_schema);
  g_test_add_func ("/gpkg/ensure-srs", test_ensure_srs);
  g_test_add_func ("/gpkg/register-table", test_register_table);
  g_test_add_func ("/gpkg/errors", test_errors);
  return g_test_run ();
}

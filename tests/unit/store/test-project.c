/* test-project.c: the project file: schema, create/open rules, round trip, atomicity, GDAL. */
#include <sqlite3.h>

#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "store-fixtures.h"

static const char *const feature_tables[] = { "areas", "units", "households", "grids", "events", "people", NULL };
static const char *const attribute_tables[] = { "grid_units", "assignments", "party_contacts", "edit_log",
                                                "app_meta", NULL };

static sqlite3 *
raw_open (const char *path, int flags)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, flags, NULL), ==, SQLITE_OK);
  return db;
}

static gint64
raw_int (sqlite3 *db, const char *sql, const char *param)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
raw_text (sqlite3 *db, const char *sql, const char *param)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Every row of every table, as text: two dumps are equal when the files hold the same data. */
static char *
dump (const char *path)
{
  sqlite3 *db = raw_open (path, SQLITE_OPEN_READONLY);
  g_autoptr(sqlite3_stmt) tables = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1,
                                       &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (tables, 0);
      g_autoptr(sqlite3_stmt) rows = NULL;
      g_autofree char *sql = NULL;

      g_string_append_printf (out, "%s: %s\n", name, (const char *) sqlite3_column_text (tables, 1));
      sql = g_strdup_printf ("SELECT * FROM \"%s\"", name);
      if (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL) != SQLITE_OK)
        continue;   /* an index */
      while (sqlite3_step (rows) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (rows); c++)
            {
              if (sqlite3_column_type (rows, c) == SQLITE_BLOB)
                {
                  g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                                       sqlite3_column_blob (rows, c),
                                                                       sqlite3_column_bytes (rows, c));
                  g_string_append_printf (out, "%s|", sum);
                }
              else
                g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (rows, c));
            }
          g_string_append_c (out, '\n');
        }
    }
  /* _v2: the statement above is finalized only when this function returns. */
  sqlite3_close_v2 (db);
  return g_string_free (out, FALSE);
}

static void
test_schema (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "plan.gpkg", NULL);
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autofree char *version = NULL;
  g_autofree char *app = NULL;
  g_autofree char *journal = NULL;
  sqlite3 *db;

  g_assert_cmpstr (gp_project_get_path (project), ==, path);
  g_assert_null (gp_project_get_crs (project));
  g_assert_cmpint (gp_project_count (project, "areas", NULL), ==, 0);

  db = raw_open (path, SQLITE_OPEN_READONLY);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id", NULL), ==, 0x47504B47);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version", NULL), ==, 10300);
  journal = raw_text (db, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (journal, ==, "wal");
  version = raw_text (db, "SELECT value FROM app_meta WHERE key = 'schema_version'", NULL);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, GP_PROJECT_SCHEMA_VERSION);
  app = raw_text (db, "SELECT value FROM app_meta WHERE key = 'app'", NULL);
  g_assert_cmpstr (app, ==, "gridplan");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM app_meta WHERE key IN ('created', 'modified')", NULL), ==, 2);

  for (gsize i = 0; feature_tables[i] != NULL; i++)
    {
      g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_contents WHERE table_name = ?"
                                    " AND data_type = 'features'", feature_tables[i]), ==, 1);
      g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = ?"
                                    " AND column_name = 'geom' AND srs_id = 0", feature_tables[i]), ==, 1);
    }
  for (gsize i = 0; attribute_tables[i] != NULL; i++)
    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_contents WHERE table_name = ?"
                                  " AND data_type = 'attributes'", attribute_tables[i]), ==, 1);
  /* Every user table is registered, and every registered table exists. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                " AND name NOT LIKE 'gpkg_%' AND name NOT LIKE 'sqlite_%'"
                                " AND name NOT IN (SELECT table_name FROM gpkg_contents)", NULL), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_contents"
                                " WHERE table_name NOT IN (SELECT name FROM sqlite_master)", NULL), ==, 0);
  /* Columns the later issues rely on. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info('grids') WHERE name IN"
                                " ('code', 'name', 'area_code', 'kind', 'households', 'party_branch', 'locked')",
                            NULL), ==, 7);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info('assignments') WHERE name IN"
                                " ('person_id', 'grid_code', 'role', 'source', 'locked')", NULL), ==, 5);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info('edit_log') WHERE name IN"
                                " ('id', 'time', 'action', 'details')", NULL), ==, 4);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_foreign_key_check", NULL), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'",
                            NULL), ==, 0);
  sqlite3_close (db);

  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_create_refuses (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "plan.gpkg", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "plan.gpkg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProject) project = NULL;
  GDir *d;
  const char *name;
  guint n = 0;

  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));
  project = gp_project_create (path, &error);
  g_assert_null (project);
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  g_clear_error (&error);

  project = gp_project_create (missing, &error);
  g_assert_null (project);
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);

  /* Nothing left behind but the file that was there. */
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    n++;
  g_dir_close (d);
  g_assert_cmpuint (n, ==, 1);
  gp_test_rmdir (dir);
}

static void
check_same_layer (GpLayer *a, GpLayer *b)
{
  g_assert_cmpuint (gp_layer_get_n_features (a), ==, gp_layer_get_n_features (b));
  g_assert_cmpuint (gp_layer_get_n_fields (a), ==, gp_layer_get_n_fields (b));
  for (guint i = 0; i < gp_layer_get_n_features (a); i++)
    {
      GpFeature *fa = gp_layer_get_feature (a, i);
      GpFeature *fb = gp_layer_get_feature (b, i);

      g_assert_true (gp_shape_equal (fa->shape, fb->shape));
      for (guint f = 0; f < gp_layer_get_n_fields (a); f++)
        {
          g_assert_cmpint (fa->values[f].is_null, ==, fb->values[f].is_null);
          if (fa->values[f].is_null)
            continue;
          if (gp_layer_get_field (a, f)->type == GP_FIELD_STRING)
            g_assert_cmpstr (fa->values[f].text, ==, fb->values[f].text);
          else
            g_assert_cmpint (fa->values[f].integer, ==, fb->values[f].integer);
        }
    }
}

static void
test_round_trip (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "计划.gpkg", NULL);
  g_autoptr(GpProject) project = fixture_project (dir, "计划.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GpLayer) stored_areas = NULL;
  g_autoptr(GpLayer) stored_units = NULL;
  g_autoptr(GpLayer) again_areas = NULL;
  g_autoptr(GpLayer) again_units = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  g_assert_nonnull (gp_project_get_crs (project));
  g_assert_cmpint (gp_crs_get_epsg (gp_project_get_crs (project)), ==, 4326);

  stored_areas = gp_project_load_layer (project, "areas", &error);
  g_assert_no_error (error);
  stored_units = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_layer_get_geometry_type (stored_areas), ==, GP_GEOMETRY_TYPE_POLYGON);
  g_assert_cmpuint (gp_layer_get_n_features (stored_areas), ==, 5);
  g_assert_cmpstr (fixture_lookup (stored_areas, "150602001002", "name"), ==, "巴音门克村");
  g_assert_cmpstr (fixture_lookup (stored_units, "U003", "name"), ==, "林荫家园");
  for (guint i = 0; i < 5; i++)
    g_assert_true (gp_shape_equal (gp_layer_get_feature (areas, i)->shape,
                                   gp_layer_get_feature (stored_areas, i)->shape));
  g_clear_object (&project);

  project = gp_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gp_crs_get_epsg (gp_project_get_crs (project)), ==, 4326);
  g_assert_cmpint (gp_project_count (project, "units", &error), ==, 4);
  again_areas = gp_project_load_layer (project, "areas", &error);
  g_assert_no_error (error);
  again_units = gp_project_load_layer (project, "units", &error);
  g_assert_no_error (error);
  check_same_layer (stored_areas, again_areas);
  check_same_layer (stored_units, again_units);
  g_assert_cmpint (gp_crs_get_epsg (gp_layer_get_crs (again_units)), ==, 4326);

  /* The first import fixed the srs of every feature table, in both registers. */
  db = raw_open (path, SQLITE_OPEN_READONLY);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_geometry_columns WHERE srs_id != 4326", NULL), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_contents WHERE data_type = 'features'"
                                " AND srs_id != 4326", NULL), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'areas'"
                                " AND min_x = 109.9 AND max_y = 39.9", NULL), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM edit_log WHERE action = 'import'", NULL), ==, 2);
  sqlite3_close (db);

  g_assert_null (gp_project_load_layer (project, "no_such_table", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (gp_project_count (project, "x\"; DROP TABLE areas; --", &error), ==, -1);
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);

  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_atomic_import (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "plan.gpkg", NULL);
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) first = fixture_areas ();
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint n = 99;

  /* A failed first import must not even fix the CRS. The last record repeats a code. */
  empty = dump (path);
  fixture_add (first, fixture_rect (109.0, 39.0, 109.1, 39.1), V ("150602001001", "重复社区", "1"));
  g_assert_false (gp_project_import (project, first, GP_IMPORT_AREAS, NULL, &n, notes, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "records 1 and 5"));
  g_assert_nonnull (strstr (error->message, "150602001001"));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (gp_project_get_crs (project));
  after = dump (path);
  g_assert_cmpstr (empty, ==, after);
  g_clear_pointer (&after, g_free);
  g_clear_error (&error);

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  before = dump (path);
  fixture_add (units, fixture_rect (109.96, 39.86, 109.97, 39.87), V ("U002", "重复小区", "10"));
  g_assert_false (gp_project_import (project, units, GP_IMPORT_UNITS, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "units.shp"));
  g_assert_nonnull (strstr (error->message, "records 1 and 4"));
  after = dump (path);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&after, g_free);
  g_clear_error (&error);

  /* Household points with a code already in the project are refused the same way. */
  {
    g_autoptr(GpLayer) points = fixture_layer ("households", V ("编码"), 4326);
    g_autoptr(GpLayer) again = fixture_layer ("households", V ("编码"), 4326);

    fixture_add (points, gp_shape_new_point (109.91, 39.81), V ("H1"));
    fixture_import (project, points, GP_IMPORT_HOUSEHOLDS, NULL);
    before = (g_free (before), dump (path));
    fixture_add (again, gp_shape_new_point (109.92, 39.81), V ("H1"));
    g_assert_false (gp_project_import (project, again, GP_IMPORT_HOUSEHOLDS, NULL, NULL, NULL, &error));
    g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "already in the project"));
    after = dump (path);
    g_assert_cmpstr (before, ==, after);
  }

  g_clear_object (&project);
  gp_test_rmdir (dir);
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "plan.gpkg", NULL);
  g_autoptr(GpProject) project = fixture_project (dir, "plan.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db;

  g_clear_object (&project);
  db = raw_open (path, SQLITE_OPEN_READWRITE);
  g_assert_true (gp_sqlite_exec (db, "UPDATE app_meta SET value = '99' WHERE key = 'schema_version'", NULL));
  sqlite3_close (db);
  before = dump (path);

  project = gp_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  g_assert_cmpint (gp_project_count (project, "areas", &error), ==, 0);
  g_assert_false (gp_project_import (project, areas, GP_IMPORT_AREAS, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer GridPlan (schema 99)"));
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_object (&project);
  after = dump (path);
  g_assert_cmpstr (before, ==, after);
  gp_test_rmdir (dir);
}

static void
test_foreign_files (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *gpkg = g_build_filename (dir, "other.gpkg", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.gpkg", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.gpkg", NULL);
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) roads = NULL;
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = raw_open (gpkg, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  /* Somebody else's GeoPackage, with one feature table. */
  g_assert_true (gp_gpkg_init_schema (db, NULL));
  g_assert_true (gp_sqlite_exec (db, "CREATE TABLE roads (fid INTEGER PRIMARY KEY AUTOINCREMENT,"
                                     " geom LINESTRING, name TEXT);"
                                     "INSERT INTO roads (name) VALUES ('包府路')", NULL));
  g_assert_true (gp_gpkg_register_table (db, "roads", "geom", "LINESTRING", 4326, NULL, NULL));
  sqlite3_close (db);

  project = gp_project_open (gpkg, &error);
  g_assert_no_error (error);
  roads = gp_project_load_layer (project, "roads", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gp_layer_get_n_features (roads), ==, 1);
  g_assert_false (gp_project_import (project, areas, GP_IMPORT_AREAS, NULL, NULL, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "not a GridPlan project"));
  g_clear_error (&error);
  g_clear_object (&project);

  g_assert_true (g_file_set_contents (junk, "this is not a database, just text long enough to look like one"
                                            " to nobody at all, padded out past a header's worth of bytes.",
                                      -1, NULL));
  project = gp_project_open (junk, &error);
  g_assert_null (project);
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, junk));
  g_clear_error (&error);

  project = gp_project_open (missing, &error);
  g_assert_null (project);
  g_assert_error (error, GP_ERROR, GP_ERROR_IO);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  gp_test_rmdir (dir);
}

#define VALIDATE_GPKG "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"

static gboolean
run (const char *const *argv, char **out, char **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error))
    {
      g_test_message ("%s", error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_gdal_reads_it (void)
{
  g_autofree char *ogrinfo = g_find_program_in_path ("ogrinfo");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_units ();

  if (ogrinfo == NULL)
    {
      g_test_skip ("ogrinfo (gdal-bin) is not installed");
      return;
    }
  dir = gp_test_tmpdir ();
  path = g_build_filename (dir, "plan.gpkg", NULL);
  project = fixture_project (dir, "plan.gpkg");
  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  g_clear_object (&project);

  g_assert_true (run ((const char *const[]) { "ogrinfo", "-so", "-al", path, NULL }, &out, &err));
  g_test_message ("ogrinfo -so -al:\n%s%s", out, err);
  for (gsize i = 0; feature_tables[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("Layer name: %s\n", feature_tables[i]);
      g_assert_nonnull (strstr (out, line));
    }
  for (gsize i = 0; attribute_tables[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("Layer name: %s\n", attribute_tables[i]);
      g_assert_nonnull (strstr (out, line));
    }
  g_assert_nonnull (strstr (out, "Geometry: Multi Polygon"));
  g_assert_nonnull (strstr (out, "Feature Count: 5"));
  g_assert_nonnull (strstr (out, "4326"));
  g_assert_null (strstr (err, "ERROR"));
  g_assert_null (strstr (err, "Warning"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* GDAL's own GeoPackage validator, where python3-gdal ships it. */
  if (g_file_test (VALIDATE_GPKG, G_FILE_TEST_EXISTS))
    {
      g_autofree char *vout = NULL;
      g_autofree char *verr = NULL;
      gboolean valid = run ((const char *const[]) { "python3", VALIDATE_GPKG, path, NULL }, &vout, &verr);

      g_test_message ("validate_gpkg.py: %s%s", vout, verr);
      g_assert_true (valid);
    }

  g_assert_true (run ((const char *const[]) { "ogrinfo", "-al", "-q", path, "areas", "units", NULL }, &out, &err));
  g_assert_nonnull (strstr (out, "name (String) = 巴音门克村"));
  g_assert_nonnull (strstr (out, "name (String) = 交通街道"));
  g_assert_nonnull (strstr (out, "name (String) = 林荫家园"));
  g_assert_nonnull (strstr (out, "parent_code (String) = 150602001000"));
  g_assert_null (strstr (err, "ERROR"));
  g_assert_null (strstr (err, "Warning"));
  gp_test_rmdir (dir);
}

/* A project of schema 1 (people without a department, nothing indexed by ID number) is brought
 * up to date when opened. */
static void
test_migrate_schema_1 (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "old.gpkg", NULL);
  g_autoptr(GpProject) project = fixture_project (dir, "old.gpkg");
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  sqlite3 *db;

  g_clear_object (&project);
  db = raw_open (path, SQLITE_OPEN_READWRITE);
  g_assert_true (gp_sqlite_exec (db, "DROP INDEX people_id_number; DROP INDEX people_name;"
                                     "DROP INDEX assignments_person_id;"
                                     "ALTER TABLE people DROP COLUMN department;"
                                     "ALTER TABLE events DROP COLUMN kind; ALTER TABLE events DROP COLUMN date;"
                                     "INSERT INTO people (id, name) VALUES ('P000001', '张三');"
                                     /* Schema 3's party contacts: a member and a household. */
                                     "DROP TABLE party_contacts;"
                                     "CREATE TABLE party_contacts (fid INTEGER PRIMARY KEY AUTOINCREMENT,"
                                     " person_id TEXT NOT NULL, household_code TEXT NOT NULL,"
                                     " UNIQUE (person_id, household_code));"
                                     "INSERT INTO grids (code) VALUES ('150602001001001');"
                                     "INSERT INTO households (code) VALUES ('H1');"
                                     "INSERT INTO assignments (person_id, grid_code, role)"
                                     " VALUES ('P000001', '150602001001001', 'party');"
                                     "INSERT INTO party_contacts (person_id, household_code) VALUES ('P000001', 'H1');"
                                     "UPDATE app_meta SET value = '1' WHERE key = 'schema_version'", NULL));
  sqlite3_close (db);

  project = gp_project_open (path, &error);
  g_assert_no_error (error);
  gp_sqlite_exec (_gp_project_get_db (project), "UPDATE people SET department = '民政局' WHERE id = 'P000001'",
                  &error);
  g_assert_no_error (error);
  g_clear_object (&project);
  db = raw_open (path, SQLITE_OPEN_READONLY);
  version = raw_text (db, "SELECT value FROM app_meta WHERE key = 'schema_version'", NULL);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, GP_PROJECT_SCHEMA_VERSION);
  g_free (version);
  version = raw_text (db, "SELECT department FROM people WHERE id = 'P000001'", NULL);
  g_assert_cmpstr (version, ==, "民政局");
  g_free (version);
  /* Schema 3: the lookups of a re-import and of hand edits are indexed. */
  version = raw_text (db, "SELECT group_concat (name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index'"
                          " AND name IN ('people_id_number', 'people_name', 'assignments_person_id') ORDER BY name)",
                      NULL);
  g_assert_cmpstr (version, ==, "assignments_person_id people_id_number people_name");
  g_free (version);
  /* Schema 4: a contact names its member's grid, and a unit, a household or a number of them. */
  version = raw_text (db, "SELECT person_id || ' ' || grid_code || ' ' || household_code || ' ' || households"
                          " || ' ' || ifnull (unit_code, '-') FROM party_contacts", NULL);
  g_assert_cmpstr (version, ==, "P000001 150602001001001 H1 1 -");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                " AND name LIKE 'party_contacts_%'", NULL), ==, 4);
  /* Schema 5: service items have a kind and a date. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('events') WHERE name IN ('kind', 'date')",
                            NULL), ==, 2);
  sqlite3_close (db);
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/project/schema", test_schema);
  g_test_add_func ("/project/create-refuses", test_create_refuses);
  g_test_add_func ("/project/round-trip", test_round_trip);
  g_test_add_func ("/project/atomic-import", test_atomic_import);
  g_test_add_func ("/project/newer-schema", test_newer_schema);
  g_test_add_func ("/project/migrate-schema-1", test_migrate_schema_1);
  g_test_add_func ("/project/foreign-files", test_foreign_files);
  g_test_add_func ("/project/gdal", test_gdal_reads_it);
  return g_test_run ();
}

/* gp-project.c: the project file: a GeoPackage with GridPlan's tables, opened in WAL mode. */
#include "gp-config.h"

#include "gp-project.h"
#include "gp-project-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "gp-error.h"
#include "gp-gpkg.h"
#include "gp-output.h"
#include "gp-wkb.h"

struct _GpProject
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;

  /* The committed storage CRS; NULL while unknown. */
  GpCrs *crs;
  gboolean has_crs;
  gint32 srs_id;

  /* Set by _gp_project_set_crs inside a transaction, adopted on commit. */
  gboolean pending;
  GpCrs *pending_crs;
  gint32 pending_srs_id;

  /* Why writes are refused (GP_ERROR_SCHEMA or GP_ERROR_READ_ONLY), or 0 when writable. */
  int read_only_code;
  /* The schema version found, older than ours: brought up to date once the file is writable. */
  int old_version;
  char *read_only_message;
};

G_DEFINE_FINAL_TYPE (GpProject, gp_project, G_TYPE_OBJECT)

/* GeoPackage application ids: "GPKG" (1.2+), "GP10", "GP11" (older files). */
#define GPKG_APPLICATION_ID 0x47504B47
#define GP10_APPLICATION_ID 0x47503130
#define GP11_APPLICATION_ID 0x47503131

typedef struct {
  const char *name;
  const char *geometry_type;   /* NULL for an attribute table */
} ProjectTable;

/* Every table, registered in gpkg_contents. people is a feature table: its geometry is the
 * person's home, so QGIS and the renderer show homes without a join. units start as GEOMETRY
 * and narrow to the kind of their first import (polygons or points). */
static const ProjectTable project_tables[] = {
  { "areas", "MULTIPOLYGON" },
  { "units", "GEOMETRY" },
  { "households", "POINT" },
  { "grids", "MULTIPOLYGON" },
  { "events", "POINT" },
  { "people", "POINT" },
  { "grid_units", NULL },
  { "assignments", NULL },
  { "party_contacts", NULL },
  { "edit_log", NULL },
  { "app_meta", NULL },
};

/* Codes are the keys planners know, so references use them. References are DEFERRABLE so one
 * import may insert a child before its parent; they are checked at COMMIT. GeoPackage wants an
 * INTEGER PRIMARY KEY AUTOINCREMENT in every registered table (features and attributes alike),
 * so app_meta's key is UNIQUE rather than its primary key. */
/* A re-imported roster finds its people by ID number, else by name and phone; hand edits and
 * exports find assignments by person: without these, each lookup scans the table. */
#define PEOPLE_INDEXES_SQL \
  "CREATE INDEX IF NOT EXISTS people_id_number ON people (id_number);" \
  "CREATE INDEX IF NOT EXISTS people_name ON people (name);"
#define ASSIGNMENT_INDEXES_SQL \
  "CREATE INDEX IF NOT EXISTS assignments_person_id ON assignments (person_id);"

/* A party member's contacts (党员联系户): households of their grid, a unit's households at a
 * time (compounds, villager groups), one household point at a time, or, where the grid's
 * households are known only as its total, so many of them. Made by `assign` from the
 * assignments, so hand edits and re-assignments bring them up to date. */
#define PARTY_CONTACTS_SQL(table) \
  "CREATE TABLE " table " (" \
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT," \
  "  person_id TEXT NOT NULL REFERENCES people (id) ON UPDATE CASCADE ON DELETE CASCADE" \
  "    DEFERRABLE INITIALLY DEFERRED," \
  "  grid_code TEXT NOT NULL REFERENCES grids (code) ON UPDATE CASCADE ON DELETE CASCADE" \
  "    DEFERRABLE INITIALLY DEFERRED," \
  "  unit_code TEXT REFERENCES units (code) ON UPDATE CASCADE ON DELETE CASCADE" \
  "    DEFERRABLE INITIALLY DEFERRED," \
  "  household_code TEXT REFERENCES households (code) ON UPDATE CASCADE ON DELETE CASCADE" \
  "    DEFERRABLE INITIALLY DEFERRED," \
  "  households INTEGER NOT NULL CHECK (households > 0)," \
  "  CHECK (unit_code IS NULL OR household_code IS NULL));"
#define PARTY_CONTACTS_INDEXES_SQL \
  "CREATE INDEX IF NOT EXISTS party_contacts_person_id ON party_contacts (person_id);" \
  "CREATE INDEX IF NOT EXISTS party_contacts_grid_code ON party_contacts (grid_code);" \
  "CREATE INDEX IF NOT EXISTS party_contacts_unit_code ON party_contacts (unit_code);" \
  "CREATE INDEX IF NOT EXISTS party_contacts_household_code ON party_contacts (household_code);"
/* Schema 3's contacts named households only (and none were ever written): those that can be
 * placed on their member's grid come over. */
#define PARTY_CONTACTS_V4_SQL \
  PARTY_CONTACTS_SQL ("party_contacts_v4") \
  "INSERT INTO party_contacts_v4 (person_id, grid_code, household_code, households)" \
  "  SELECT c.person_id, a.grid_code, c.household_code, 1 FROM party_contacts c" \
  "  JOIN assignments a ON a.person_id = c.person_id AND a.role = 'party';" \
  "DROP TABLE party_contacts;" \
  "ALTER TABLE party_contacts_v4 RENAME TO party_contacts;" \
  PARTY_CONTACTS_INDEXES_SQL

static const char project_schema_sql[] =
  "CREATE TABLE app_meta ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  key TEXT NOT NULL UNIQUE,"
  "  value TEXT);"
  "CREATE TABLE areas ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  geom MULTIPOLYGON,"
  "  code TEXT NOT NULL UNIQUE,"
  "  name TEXT,"
  "  level TEXT,"
  "  kind TEXT CHECK (kind IN ('urban', 'rural')),"
  "  parent_code TEXT REFERENCES areas (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  households INTEGER CHECK (households >= 0));"
  "CREATE INDEX areas_parent_code ON areas (parent_code);"
  "CREATE TABLE households ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  geom POINT,"
  "  code TEXT UNIQUE,"
  "  area_code TEXT REFERENCES areas (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  unit_code TEXT REFERENCES units (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED);"
  "CREATE INDEX households_area_code ON households (area_code);"
  "CREATE INDEX households_unit_code ON households (unit_code);"
  "CREATE TABLE grids ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  geom MULTIPOLYGON,"
  "  code TEXT NOT NULL UNIQUE,"
  "  name TEXT,"
  "  area_code TEXT REFERENCES areas (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  kind TEXT NOT NULL DEFAULT 'basic' CHECK (kind IN ('basic', 'exclusive')),"
  "  households INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),"
  "  party_branch INTEGER NOT NULL DEFAULT 0 CHECK (party_branch IN (0, 1)),"
  "  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)));"
  "CREATE INDEX grids_area_code ON grids (area_code);"
  "CREATE TABLE events ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  geom POINT,"
  "  code TEXT UNIQUE,"
  "  name TEXT,"
  "  status TEXT CHECK (status IN ('red', 'yellow', 'green')),"
  "  grid_code TEXT REFERENCES grids (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  kind TEXT,"
  "  date TEXT);"
  "CREATE INDEX events_grid_code ON events (grid_code);"
  "CREATE TABLE people ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  geom POINT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  role TEXT,"
  "  phone TEXT,"
  "  id_number TEXT,"
  "  org TEXT,"
  "  department TEXT,"
  "  area_code TEXT REFERENCES areas (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  capacity INTEGER CHECK (capacity >= 0));"
  "CREATE INDEX people_area_code ON people (area_code);"
  PEOPLE_INDEXES_SQL
  "CREATE TABLE grid_units ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  unit_code TEXT NOT NULL UNIQUE REFERENCES units (code) ON UPDATE CASCADE ON DELETE CASCADE"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  grid_code TEXT NOT NULL REFERENCES grids (code) ON UPDATE CASCADE ON DELETE CASCADE"
  "    DEFERRABLE INITIALLY DEFERRED);"
  "CREATE INDEX grid_units_grid_code ON grid_units (grid_code);"
  "CREATE TABLE assignments ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  person_id TEXT NOT NULL REFERENCES people (id) ON UPDATE CASCADE ON DELETE CASCADE"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  grid_code TEXT NOT NULL REFERENCES grids (code) ON UPDATE CASCADE ON DELETE CASCADE"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  role TEXT,"
  "  source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'auto')),"
  "  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),"
  "  UNIQUE (person_id, grid_code, role));"
  "CREATE INDEX assignments_grid_code ON assignments (grid_code);"
  ASSIGNMENT_INDEXES_SQL
  PARTY_CONTACTS_SQL ("party_contacts")
  PARTY_CONTACTS_INDEXES_SQL
  "CREATE TABLE edit_log ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
  "  action TEXT NOT NULL,"
  "  details TEXT);";

/* units is created from this template (table name, geometry type) so that its geometry column
 * can be rebuilt with another declared type: GeoPackage requirement 31 wants the declared SQL
 * type to be gpkg_geometry_columns.geometry_type_name. Both are our own constants. */
static const char units_table_sql[] =
  "CREATE TABLE %s ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  geom %s,"
  "  code TEXT NOT NULL UNIQUE,"
  "  name TEXT,"
  "  area_code TEXT REFERENCES areas (code) ON UPDATE CASCADE ON DELETE SET NULL"
  "    DEFERRABLE INITIALLY DEFERRED,"
  "  households INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0));";

static char *
units_sql (const char *table, const char *geometry_type)
{
  return g_strdup_printf (units_table_sql, table, geometry_type);
}

static void
gp_project_finalize (GObject *object)
{
  GpProject *self = GP_PROJECT (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_clear_object (&self->crs);
  g_clear_object (&self->pending_crs);
  g_free (self->read_only_message);

  G_OBJECT_CLASS (gp_project_parent_class)->finalize (object);
}

static void
gp_project_class_init (GpProjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_project_finalize;
}

static void
gp_project_init (GpProject *self)
{
}

static gboolean
prepare (sqlite3 *db, const char *sql, sqlite3_stmt **stmt, GError **error)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  return TRUE;
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
meta_set (sqlite3 *db, const char *key, const char *value, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (db, "INSERT INTO app_meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  return TRUE;
}

/* The value for KEY, or NULL when absent (or app_meta itself is missing). */
static char *
meta_get (sqlite3 *db, const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM app_meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return NULL;
}

/* The one integer a query returns, or FALSE with error. */
static gboolean
query_int64 (sqlite3 *db, const char *sql, const char *param, gint64 *value, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (db, sql, &stmt, error))
    return FALSE;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
table_exists (sqlite3 *db, const char *table)
{
  gint64 n = 0;

  return query_int64 (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                      table, &n, NULL) && n > 0;
}

/* An SQL identifier for a table name (names cannot be bound as parameters). */
static char *
quote_identifier (const char *name)
{
  g_autoptr(GString) quoted = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

static gboolean
build_schema (sqlite3 *db, GError **error)
{
  g_autofree char *now = now_iso8601 ();
  g_autofree char *version = g_strdup_printf ("%d", GP_PROJECT_SCHEMA_VERSION);

  g_autofree char *units = units_sql ("units", "GEOMETRY");

  if (!gp_gpkg_init_schema (db, error) || !gp_sqlite_exec (db, units, error)
      || !gp_sqlite_exec (db, "CREATE INDEX units_area_code ON units (area_code)", error)
      || !gp_sqlite_exec (db, project_schema_sql, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (project_tables); i++)
    {
      const ProjectTable *table = &project_tables[i];

      /* srs_id 0 (undefined geographic) until the first import fixes the storage CRS. */
      if (!gp_gpkg_register_table (db, table->name, table->geometry_type != NULL ? "geom" : NULL,
                                   table->geometry_type, 0, NULL, error))
        return FALSE;
    }
  return meta_set (db, "app", "gridplan", error)
         && meta_set (db, "schema_version", version, error)
         && meta_set (db, "app_version", GP_VERSION, error)
         && meta_set (db, "created", now, error)
         && meta_set (db, "modified", now, error);
}

static void
set_read_only (GpProject *self, int code, char *message)
{
  self->read_only_code = code;
  g_free (self->read_only_message);
  self->read_only_message = message;
}

static gboolean
open_db (const char *path, int flags, sqlite3 **db, GError **error)
{
  if (sqlite3_open_v2 (path, db, flags, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, *db, path);
      sqlite3_close_v2 (*db);
      *db = NULL;
      return FALSE;
    }
  sqlite3_extended_result_codes (*db, 1);
  /* Another GridPlan (or QGIS) may hold the write lock for a moment. */
  sqlite3_busy_timeout (*db, 5000);
  return TRUE;
}

/* Schema 1 → 2: people have a department (部门), which instructors are spread by; 2 → 3: people
 * and assignments indexed by what they are looked up by; 3 → 4: party contacts name their grid
 * and a unit, a household or just a number of the grid's households; 4 → 5: service items have
 * a kind (类型) and a date. A file that
 * cannot be brought up to date is opened read-only, as it is. */
static gboolean
migrate (GpProject *self, int version)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup_printf ("%d", GP_PROJECT_SCHEMA_VERSION);

  if (!gp_sqlite_exec (self->db, "BEGIN IMMEDIATE", &error))
    return TRUE;
  if ((version < 2 && !gp_sqlite_exec (self->db, "ALTER TABLE people ADD COLUMN department TEXT", &error))
      || (version < 3 && !gp_sqlite_exec (self->db, PEOPLE_INDEXES_SQL ASSIGNMENT_INDEXES_SQL, &error))
      || (version < 4 && !gp_sqlite_exec (self->db, PARTY_CONTACTS_V4_SQL, &error))
      || (version < 5 && !gp_sqlite_exec (self->db, "ALTER TABLE events ADD COLUMN kind TEXT;"
                                                    "ALTER TABLE events ADD COLUMN date TEXT;", &error))
      || !meta_set (self->db, "schema_version", target, &error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      set_read_only (self, GP_ERROR_SCHEMA,
                     g_strdup_printf (_("%s cannot be brought up to date (%s); it is opened read-only"), self->path,
                                      error != NULL ? error->message : "?"));
      return TRUE;
    }
  return gp_sqlite_exec (self->db, "COMMIT", NULL);
}

/* Reads what the file is: a GeoPackage at all, a GridPlan project, which schema version. */
static gboolean
inspect_file (GpProject *self, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *app = NULL;
  g_autofree char *version_text = NULL;
  gint64 application_id = 0;
  gint64 version;

  if (!query_int64 (self->db, "PRAGMA application_id", NULL, &application_id, &local_error))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a GeoPackage: %s"), self->path,
                   sqlite3_errmsg (self->db));
      return FALSE;
    }
  if (application_id != GPKG_APPLICATION_ID && application_id != GP10_APPLICATION_ID
      && application_id != GP11_APPLICATION_ID && !table_exists (self->db, "gpkg_contents"))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a GeoPackage"), self->path);
      return FALSE;
    }

  if (table_exists (self->db, "app_meta"))
    app = meta_get (self->db, "app");
  if (g_strcmp0 (app, "gridplan") != 0)
    {
      set_read_only (self, GP_ERROR_SCHEMA,
                     g_strdup_printf (_("%s is a GeoPackage but not a GridPlan project; it is opened read-only"),
                                      self->path));
      return TRUE;
    }

  version_text = meta_get (self->db, "schema_version");
  version = version_text != NULL ? g_ascii_strtoll (version_text, NULL, 10) : 0;
  if (version <= 0)
    {
      set_read_only (self, GP_ERROR_SCHEMA,
                     g_strdup_printf (_("%s has no readable GridPlan schema version; it is opened read-only"),
                                      self->path));
      return TRUE;
    }
  if (version > GP_PROJECT_SCHEMA_VERSION)
    {
      set_read_only (self, GP_ERROR_SCHEMA,
                     g_strdup_printf (_("%s was written by a newer GridPlan (schema %d); it is opened read-only"),
                                      self->path, (int) version));
      return TRUE;
    }
  /* Older schemas are brought up to date in one transaction (read-only files stay as they are). */
  if (version < GP_PROJECT_SCHEMA_VERSION)
    self->old_version = (int) version;
  return TRUE;
}

static gboolean
load_crs (GpProject *self, GError **error)
{
  g_autofree char *definition = meta_get (self->db, "crs");
  g_autoptr(sqlite3_stmt) stmt = NULL;

  self->has_crs = definition != NULL;
  if (definition != NULL && *definition != '\0')
    {
      self->crs = gp_crs_new_from_definition (definition, error);
      if (self->crs == NULL)
        {
          g_prefix_error (error, _("%s: the project's coordinate system cannot be read: "), self->path);
          return FALSE;
        }
    }

  self->srs_id = 0;
  if (sqlite3_prepare_v2 (self->db, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'areas'",
                          -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    self->srs_id = sqlite3_column_int (stmt, 0);
  return TRUE;
}

GpProject *
gp_project_open (const char *path, GError **error)
{
  g_autoptr(GpProject) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot open: %s"), path, g_strerror (ENOENT));
      return NULL;
    }

  self = g_object_new (GP_TYPE_PROJECT, NULL);
  self->path = g_strdup (path);

  /* Read-only first: nothing about a foreign or newer file may change by looking at it. */
  if (!open_db (path, SQLITE_OPEN_READONLY, &self->db, error))
    return NULL;
  if (!inspect_file (self, error))
    return NULL;

  if (self->read_only_code == 0)
    {
      sqlite3_close_v2 (g_steal_pointer (&self->db));
      if (!open_db (path, SQLITE_OPEN_READWRITE, &self->db, error))
        return NULL;
      if (sqlite3_db_readonly (self->db, "main") == 1)
        set_read_only (self, GP_ERROR_READ_ONLY,
                       g_strdup_printf (_("%s cannot be written (no permission); it is opened read-only"),
                                        path));
      /* WAL: readers never block the writer, and a crash leaves the last commit intact. FULL
       * syncs every commit, so a power cut cannot lose an edit the planner saw saved. */
      else if (!gp_sqlite_exec (self->db, "PRAGMA journal_mode = WAL;"
                                          "PRAGMA synchronous = FULL;"
                                          "PRAGMA foreign_keys = ON;", error))
        return NULL;
      else if (self->old_version > 0)
        migrate (self, self->old_version);
    }

  if (!load_crs (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Publishes the finished temporary at PATH without ever replacing a file that appeared there
 * meanwhile: link() fails when PATH exists, where rename() would overwrite it. */
static gboolean
publish_new_file (GpOutput *output, const char *path, GError **error)
{
  if (link (gp_output_get_temp_path (output), path) == 0)
    return TRUE;
  if (errno == EEXIST)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s already exists; a new project needs a new file"),
                   path);
      return FALSE;
    }
  /* Filesystems without hard links (FAT, some network shares): check, then rename. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s already exists; a new project needs a new file"),
                   path);
      return FALSE;
    }
  return gp_output_commit (output, error);
}

GpProject *
gp_project_create (const char *path, GError **error)
{
  g_autoptr(GpOutput) output = NULL;
  sqlite3 *db = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s already exists; a new project needs a new file"),
                   path);
      return NULL;
    }

  output = gp_output_new (path, error);
  if (output == NULL)
    return NULL;
  if (!open_db (gp_output_get_temp_path (output), SQLITE_OPEN_READWRITE, &db, error))
    return NULL;

  /* The empty schema is built in a rollback-journal temporary, synced, then published whole. */
  ok = gp_sqlite_exec (db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
                           "BEGIN IMMEDIATE", error)
       && build_schema (db, error)
       && gp_sqlite_exec (db, "COMMIT", error);
  if (!ok)
    {
      g_prefix_error (error, "%s: ", path);
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (sqlite3_close (db) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, path);
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (!publish_new_file (output, path, error))
    return NULL;
  g_clear_pointer (&output, gp_output_free);

  return gp_project_open (path, error);
}

const char *
gp_project_get_path (GpProject *self)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  return self->path;
}

GpCrs *
gp_project_get_crs (GpProject *self)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  return self->crs;
}

/* ---- private API for the store's own files ---- */

sqlite3 *
_gp_project_get_db (GpProject *self)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  return self->db;
}

gboolean
_gp_project_check_writable (GpProject *self, GError **error)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);

  if (self->read_only_code != 0)
    {
      g_set_error_literal (error, GP_ERROR, self->read_only_code, self->read_only_message);
      return FALSE;
    }
  return TRUE;
}

gboolean
_gp_project_begin (GpProject *self, GError **error)
{
  if (!_gp_project_check_writable (self, error))
    return FALSE;
  /* IMMEDIATE takes the write lock now, so a busy file fails before any work is done. */
  if (!gp_sqlite_exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->pending = FALSE;
  g_clear_object (&self->pending_crs);
  return TRUE;
}

void
_gp_project_rollback (GpProject *self)
{
  g_return_if_fail (GP_IS_PROJECT (self));

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->pending = FALSE;
  g_clear_object (&self->pending_crs);
}

gboolean
_gp_project_commit (GpProject *self, GError **error)
{
  g_autofree char *now = now_iso8601 ();

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);

  if (!meta_set (self->db, "modified", now, error) || !gp_sqlite_exec (self->db, "COMMIT", error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  if (self->pending)
    {
      g_clear_object (&self->crs);
      self->crs = g_steal_pointer (&self->pending_crs);
      self->srs_id = self->pending_srs_id;
      self->has_crs = TRUE;
      self->pending = FALSE;
    }
  return TRUE;
}

gboolean
_gp_project_has_crs (GpProject *self)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  return self->pending || self->has_crs;
}

gint32
_gp_project_get_srs_id (GpProject *self)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), 0);
  return self->pending ? self->pending_srs_id : self->srs_id;
}

gboolean
_gp_project_set_crs (GpProject *self, GpCrs *crs, gboolean lonlat, GError **error)
{
  g_autoptr(sqlite3_stmt) columns = NULL;
  g_autoptr(sqlite3_stmt) contents = NULL;
  const char *definition = "";
  gint32 srs_id = 0;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);

  if (!gp_gpkg_ensure_srs (self->db, crs, lonlat, &srs_id, error))
    return FALSE;
  if (crs != NULL)
    {
      definition = gp_crs_get_wkt2 (crs);
      if (definition == NULL || *definition == '\0')
        definition = gp_crs_get_wkt (crs);
      if (definition == NULL)
        definition = "";
    }
  if (!meta_set (self->db, "crs", definition, error)
      || !meta_set (self->db, "crs_name", crs != NULL ? gp_crs_get_name (crs) : "", error))
    return FALSE;

  /* Requirement 146: a feature table's srs_id is the same in both registers. */
  if (!prepare (self->db, "UPDATE gpkg_geometry_columns SET srs_id = ?", &columns, error)
      || !prepare (self->db, "UPDATE gpkg_contents SET srs_id = ? WHERE data_type = 'features'",
                   &contents, error))
    return FALSE;
  sqlite3_bind_int (columns, 1, srs_id);
  sqlite3_bind_int (contents, 1, srs_id);
  if (sqlite3_step (columns) != SQLITE_DONE || sqlite3_step (contents) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, self->db, self->path);
      return FALSE;
    }

  g_clear_object (&self->pending_crs);
  self->pending_crs = crs != NULL ? g_object_ref (crs) : NULL;
  self->pending_srs_id = srs_id;
  self->pending = TRUE;
  return TRUE;
}

gboolean
_gp_project_extend_bbox (GpProject *self, const char *table, const double bbox[4], GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (self->db,
                "UPDATE gpkg_contents SET"
                " min_x = min(coalesce(min_x, ?2), ?2), min_y = min(coalesce(min_y, ?3), ?3),"
                " max_x = max(coalesce(max_x, ?4), ?4), max_y = max(coalesce(max_y, ?5), ?5),"
                " last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                " WHERE table_name = ?1", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  for (int i = 0; i < 4; i++)
    sqlite3_bind_double (stmt, 2 + i, bbox[i]);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, self->db, self->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
gp_project_get_frame_origin (GpProject *self, double *x, double *y)
{
  g_autofree char *value = NULL;
  g_auto(GStrv) parts = NULL;
  char *end_x = NULL, *end_y = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  value = meta_get (self->db, "frame_origin");
  if (value == NULL || (parts = g_strsplit (value, " ", 3)) == NULL || g_strv_length (parts) != 2)
    return FALSE;
  *x = g_ascii_strtod (parts[0], &end_x);
  *y = g_ascii_strtod (parts[1], &end_y);
  return *end_x == '\0' && *end_y == '\0' && isfinite (*x) && isfinite (*y);
}

/* The extent gpkg_contents records for TABLE, FALSE when it has none. */
static gboolean
table_extent (GpProject *self, const char *table, double bbox[4])
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
        return FALSE;
      bbox[i] = sqlite3_column_double (stmt, i);
    }
  return isfinite (bbox[0]) && isfinite (bbox[1]) && isfinite (bbox[2]) && isfinite (bbox[3]);
}

gboolean
_gp_project_settle_frame (GpProject *self, GError **error)
{
  static const char *const tables[] = { "areas", "units", "households", "grids" };
  double x, y, bbox[4];
  char value[2 * G_ASCII_DTOSTR_BUF_SIZE + 2];

  if (gp_project_get_frame_origin (self, &x, &y))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (table_extent (self, tables[i], bbox))
      {
        g_ascii_dtostr (value, G_ASCII_DTOSTR_BUF_SIZE, (bbox[0] + bbox[2]) / 2.0);
        strcat (value, " ");
        g_ascii_dtostr (value + strlen (value), G_ASCII_DTOSTR_BUF_SIZE, (bbox[1] + bbox[3]) / 2.0);
        return meta_set (self->db, "frame_origin", value, error);
      }
  return TRUE;
}

GpLocalFrame *
gp_project_new_local_frame (GpProject *self, GError **error)
{
  static const char *const tables[] = { "areas", "units", "households", "grids" };
  double bbox[4];

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  if (gp_project_get_frame_origin (self, &bbox[0], &bbox[1]))
    {
      bbox[2] = bbox[0];
      bbox[3] = bbox[1];
      return gp_local_frame_new (gp_project_get_crs (self), bbox, error);
    }
  /* A project from before the frame was stored: the centre of its areas, as then. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (table_extent (self, tables[i], bbox))
      return gp_local_frame_new (gp_project_get_crs (self), bbox, error);
  g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: the project has no coordinates yet"), self->path);
  return NULL;
}

gboolean
_gp_project_set_units_geometry_type (GpProject *self, const char *geometry_type_name, GError **error)
{
  g_autofree char *create = units_sql ("units_rebuild", geometry_type_name);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);

  /* SQLite cannot change a column's declared type in place: build the table anew, copy, swap
   * (its "generalized ALTER TABLE procedure"; the caller has turned foreign keys off). */
  if (!gp_sqlite_exec (self->db, create, error)
      || !gp_sqlite_exec (self->db,
                          "INSERT INTO units_rebuild (fid, geom, code, name, area_code, households)"
                          " SELECT fid, geom, code, name, area_code, households FROM units;"
                          "DROP TABLE units;"
                          "ALTER TABLE units_rebuild RENAME TO units;"
                          "CREATE INDEX units_area_code ON units (area_code);", error))
    return FALSE;
  if (!prepare (self->db, "UPDATE gpkg_geometry_columns SET geometry_type_name = ? WHERE table_name = 'units'",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, geometry_type_name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, self->db, self->path);
      return FALSE;
    }
  return TRUE;
}

char *
_gp_project_get_geometry_type (GpProject *self, const char *table)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT geometry_type_name FROM gpkg_geometry_columns"
                                    " WHERE table_name = ?", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return NULL;
}

gboolean
_gp_project_log (GpProject *self, const char *action, const char *details, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!prepare (self->db, "INSERT INTO edit_log (action, details) VALUES (?, ?)", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  if (details != NULL)
    sqlite3_bind_text (stmt, 2, details, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, self->db, self->path);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading tables back ---- */

/* A registered table, or FALSE with GP_ERROR_NOT_FOUND naming it. */
static gboolean
check_table (GpProject *self, const char *table, GError **error)
{
  if (table == NULL || !table_exists (self->db, table))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no table “%s” in the project"),
                   self->path, table != NULL ? table : "");
      return FALSE;
    }
  return TRUE;
}

gint64
gp_project_count (GpProject *self, const char *table, GError **error)
{
  g_autofree char *quoted = NULL;
  g_autofree char *sql = NULL;
  gint64 n = 0;

  g_return_val_if_fail (GP_IS_PROJECT (self), -1);

  if (!check_table (self, table, error))
    return -1;
  quoted = quote_identifier (table);
  sql = g_strdup_printf ("SELECT count(*) FROM %s", quoted);
  if (!query_int64 (self->db, sql, NULL, &n, error))
    return -1;
  return n;
}

static GpFieldType
field_type_for (const char *declared)
{
  g_autofree char *upper = g_ascii_strup (declared != NULL ? declared : "", -1);

  /* SQLite's own affinity rules (section 3.1 of its datatype page). */
  if (strstr (upper, "INT") != NULL)
    return GP_FIELD_INTEGER;
  if (strstr (upper, "CHAR") != NULL || strstr (upper, "CLOB") != NULL || strstr (upper, "TEXT") != NULL)
    return GP_FIELD_STRING;
  if (strstr (upper, "REAL") != NULL || strstr (upper, "FLOA") != NULL || strstr (upper, "DOUB") != NULL)
    return GP_FIELD_REAL;
  return GP_FIELD_STRING;
}

static GpGeometryType
geometry_type_for (const char *name, GpLayer *layer)
{
  if (name == NULL)
    return GP_GEOMETRY_TYPE_NULL;
  if (g_ascii_strcasecmp (name, "POINT") == 0)
    return GP_GEOMETRY_TYPE_POINT;
  if (g_ascii_strcasecmp (name, "MULTIPOINT") == 0)
    return GP_GEOMETRY_TYPE_MULTIPOINT;
  if (g_ascii_strcasecmp (name, "POLYGON") == 0 || g_ascii_strcasecmp (name, "MULTIPOLYGON") == 0)
    return GP_GEOMETRY_TYPE_POLYGON;
  if (g_ascii_strcasecmp (name, "LINESTRING") == 0 || g_ascii_strcasecmp (name, "MULTILINESTRING") == 0)
    return GP_GEOMETRY_TYPE_POLYLINE;

  /* GEOMETRY: the kind of the first shape tells. */
  for (guint i = 0; i < gp_layer_get_n_features (layer); i++)
    {
      GpShape *shape = gp_layer_get_feature (layer, i)->shape;

      if (shape == NULL)
        continue;
      switch (shape->kind)
        {
        case GP_SHAPE_POINT: return GP_GEOMETRY_TYPE_POINT;
        case GP_SHAPE_MULTIPOINT: return GP_GEOMETRY_TYPE_MULTIPOINT;
        case GP_SHAPE_LINE: return GP_GEOMETRY_TYPE_POLYLINE;
        case GP_SHAPE_POLYGON: return GP_GEOMETRY_TYPE_POLYGON;
        case GP_SHAPE_NULL:
        default: break;
        }
    }
  return GP_GEOMETRY_TYPE_NULL;
}

GpLayer *
gp_project_load_layer (GpProject *self, const char *table, GError **error)
{
  g_autoptr(sqlite3_stmt) info = NULL;
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *quoted = NULL;
  g_autofree char *geometry_type = NULL;
  g_autofree char *geometry_column = NULL;
  g_autofree char *pk = NULL;
  guint record = 0;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);

  if (!check_table (self, table, error))
    return NULL;
  quoted = quote_identifier (table);

  {
    g_autoptr(sqlite3_stmt) gc = NULL;

    if (!prepare (self->db, "SELECT column_name, geometry_type_name FROM gpkg_geometry_columns"
                            " WHERE table_name = ?", &gc, error))
      return NULL;
    sqlite3_bind_text (gc, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step (gc) == SQLITE_ROW)
      {
        geometry_column = g_strdup ((const char *) sqlite3_column_text (gc, 0));
        geometry_type = g_strdup ((const char *) sqlite3_column_text (gc, 1));
      }
  }

  layer = gp_layer_new (table);
  gp_layer_set_source_path (layer, self->path);
  gp_layer_set_crs (layer, self->crs);
  gp_layer_set_encoding (layer, "UTF-8");

  sql = g_string_new ("PRAGMA table_info (");
  g_string_append_printf (sql, "%s)", quoted);
  if (!prepare (self->db, sql->str, &info, error))
    return NULL;
  while ((rc = sqlite3_step (info)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (info, 1);
      const char *declared = (const char *) sqlite3_column_text (info, 2);
      gboolean is_pk = sqlite3_column_int (info, 5) > 0;

      if (is_pk && field_type_for (declared) == GP_FIELD_INTEGER && pk == NULL)
        {
          pk = g_strdup (name);
          continue;
        }
      if (g_strcmp0 (name, geometry_column) == 0)
        continue;
      gp_layer_add_field (layer, name, field_type_for (declared), 0, 0);
      g_ptr_array_add (columns, quote_identifier (name));
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, self->db, self->path);
      return NULL;
    }

  g_string_assign (sql, "SELECT ");
  if (geometry_column != NULL)
    {
      g_autofree char *g = quote_identifier (geometry_column);
      g_string_append (sql, g);
    }
  else
    g_string_append (sql, "NULL");
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, ", %s", (const char *) g_ptr_array_index (columns, i));
  g_string_append_printf (sql, " FROM %s", quoted);
  if (pk != NULL)
    {
      g_autofree char *p = quote_identifier (pk);
      g_string_append_printf (sql, " ORDER BY %s", p);
    }
  if (!prepare (self->db, sql->str, &rows, error))
    return NULL;

  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      GpShape *shape = NULL;
      GpFeature *feature;

      if (sqlite3_column_type (rows, 0) == SQLITE_BLOB)
        {
          g_autoptr(GError) blob_error = NULL;

          shape = gp_gpkg_blob_parse (sqlite3_column_blob (rows, 0), sqlite3_column_bytes (rows, 0),
                                      NULL, &blob_error);
          if (shape == NULL)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: %s: row %u: %s"), self->path, table,
                           record + 1, blob_error->message);
              return NULL;
            }
        }
      feature = gp_layer_append (layer, shape, record++);
      for (guint i = 0; i < columns->len; i++)
        {
          const GpField *field = gp_layer_get_field (layer, i);
          int col = (int) i + 1;

          if (sqlite3_column_type (rows, col) == SQLITE_NULL)
            continue;
          switch (field->type)
            {
            case GP_FIELD_INTEGER:
              feature->values[i].is_null = FALSE;
              feature->values[i].integer = sqlite3_column_int64 (rows, col);
              break;
            case GP_FIELD_REAL:
              feature->values[i].is_null = FALSE;
              feature->values[i].real = sqlite3_column_double (rows, col);
              break;
            case GP_FIELD_STRING:
            case GP_FIELD_DATE:
            case GP_FIELD_LOGICAL:
            default:
              gp_feature_set_text (layer, feature, i, (const char *) sqlite3_column_text (rows, col));
              break;
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, self->db, self->path);
      return NULL;
    }

  gp_layer_set_geometry_type (layer, geometry_type_for (geometry_type, layer));
  return g_steal_pointer (&layer);
}

/* gp-gpkg.c: GeoPackage 1.3 core tables, spatial reference systems and sqlite error reporting. */
#include "gp-config.h"

#include "gp-gpkg.h"

#include <glib/gi18n-lib.h>
#include <proj.h>

#include "gp-error.h"

/* GeoPackage 1.3, Annex C: the table definitions, word for word. */
static const char gpkg_core_sql[] =
  "CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys ("
  "  srs_name TEXT NOT NULL,"
  "  srs_id INTEGER PRIMARY KEY,"
  "  organization TEXT NOT NULL,"
  "  organization_coordsys_id INTEGER NOT NULL,"
  "  definition  TEXT NOT NULL,"
  "  description TEXT"
  ");"
  "CREATE TABLE IF NOT EXISTS gpkg_contents ("
  "  table_name TEXT NOT NULL PRIMARY KEY,"
  "  data_type TEXT NOT NULL,"
  "  identifier TEXT UNIQUE,"
  "  description TEXT DEFAULT '',"
  "  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
  "  min_x DOUBLE,"
  "  min_y DOUBLE,"
  "  max_x DOUBLE,"
  "  max_y DOUBLE,"
  "  srs_id INTEGER,"
  "  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)"
  ");"
  "CREATE TABLE IF NOT EXISTS gpkg_geometry_columns ("
  "  table_name TEXT NOT NULL,"
  "  column_name TEXT NOT NULL,"
  "  geometry_type_name TEXT NOT NULL,"
  "  srs_id INTEGER NOT NULL,"
  "  z TINYINT NOT NULL,"
  "  m TINYINT NOT NULL,"
  "  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
  "  CONSTRAINT uk_gc_table_name UNIQUE (table_name),"
  "  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),"
  "  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)"
  ");";

/* The three rows every GeoPackage must hold (requirement 11). */
static const char gpkg_required_srs_sql[] =
  "INSERT OR IGNORE INTO gpkg_spatial_ref_sys"
  " (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES"
  " ('WGS 84 geodetic', 4326, 'EPSG', 4326,"
  "  'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
  "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,"
  "AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
  "AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]',"
  "  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),"
  " ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',"
  "  'undefined cartesian coordinate reference system'),"
  " ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',"
  "  'undefined geographic coordinate reference system');";

/* Private srs_ids start here, well clear of any EPSG code. */
#define GP_GPKG_PRIVATE_SRS_ID 100000

void
gp_sqlite_set_error (GError **error, sqlite3 *db, const char *path)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : _("out of memory");

  if (path == NULL && db != NULL)
    path = sqlite3_db_filename (db, "main");
  if (path == NULL || *path == '\0')
    path = ":memory:";
  g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: %s", path, message);
}

gboolean
gp_sqlite_exec (sqlite3 *db, const char *sql, GError **error)
{
  g_return_val_if_fail (db != NULL && sql != NULL, FALSE);

  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  return TRUE;
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

gboolean
gp_gpkg_init_schema (sqlite3 *db, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  /* 0x47504B47 is "GPKG"; 10300 is version 1.3.0. */
  return gp_sqlite_exec (db, "PRAGMA application_id = 1196444487;"
                             "PRAGMA user_version = 10300;", error)
         && gp_sqlite_exec (db, gpkg_core_sql, error)
         && gp_sqlite_exec (db, gpkg_required_srs_sql, error);
}

/* OGC WKT 1 as GDAL writes it: what readers of gpkg_spatial_ref_sys.definition expect. Falls
 * back to the CRS's own WKT when PROJ cannot convert it. */
static char *
srs_definition (GpCrs *crs)
{
  const char *wkt2 = gp_crs_get_wkt2 (crs);
  char *definition = NULL;

  if (wkt2 != NULL && *wkt2 != '\0')
    {
      PJ_CONTEXT *ctx = proj_context_create ();
      PJ *pj;

      proj_log_level (ctx, PJ_LOG_NONE);
      pj = proj_create (ctx, wkt2);
      if (pj != NULL)
        {
          const char *wkt1 = proj_as_wkt (ctx, pj, PJ_WKT1_GDAL, NULL);

          if (wkt1 != NULL)
            definition = g_strdup (wkt1);
          proj_destroy (pj);
        }
      proj_context_destroy (ctx);
    }
  if (definition == NULL && gp_crs_get_wkt (crs) != NULL && *gp_crs_get_wkt (crs) != '\0')
    definition = g_strdup (gp_crs_get_wkt (crs));
  if (definition == NULL)
    definition = g_strdup ("undefined");
  return definition;
}

/* srs_id of a row matching the query's one bound value, or 0 with *found FALSE. */
static gboolean
lookup_srs (sqlite3 *db, const char *sql, int int_value, const char *text_value,
            gint32 *srs_id, gboolean *found, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *found = FALSE;
  if (!prepare (db, sql, &stmt, error))
    return FALSE;
  if (text_value != NULL)
    sqlite3_bind_text (stmt, 1, text_value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int (stmt, 1, int_value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *srs_id = sqlite3_column_int (stmt, 0);
      *found = TRUE;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
gp_gpkg_ensure_srs (sqlite3 *db, GpCrs *crs, gboolean lonlat, gint32 *srs_id, GError **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *definition = NULL;
  const char *organization = "NONE";
  gboolean found = FALSE;
  gboolean private_id = TRUE;
  gint32 id = 0;
  int epsg;

  g_return_val_if_fail (db != NULL && srs_id != NULL, FALSE);

  if (crs == NULL)
    {
      *srs_id = lonlat ? 0 : -1;
      return TRUE;
    }

  definition = srs_definition (crs);
  epsg = gp_crs_get_epsg (crs);
  if (epsg > 0)
    {
      /* Any spelling of the EPSG organisation counts (requirement 11 allows "epsg"). */
      if (!lookup_srs (db, "SELECT srs_id FROM gpkg_spatial_ref_sys"
                           " WHERE upper(organization) = 'EPSG' AND organization_coordsys_id = ?"
                           " ORDER BY srs_id = organization_coordsys_id DESC, srs_id LIMIT 1",
                       epsg, NULL, srs_id, &found, error))
        return FALSE;
      if (found)
        return TRUE;
      organization = "EPSG";
      /* The EPSG code itself is the id, unless some other row already took it. */
      if (!lookup_srs (db, "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                       epsg, NULL, &id, &private_id, error))
        return FALSE;
      id = epsg;
    }
  else
    {
      if (!lookup_srs (db, "SELECT srs_id FROM gpkg_spatial_ref_sys"
                           " WHERE definition = ? AND srs_id NOT IN (-1, 0) ORDER BY srs_id LIMIT 1",
                       0, definition, srs_id, &found, error))
        return FALSE;
      if (found)
        return TRUE;
    }

  if (private_id
      && !lookup_srs (db, "SELECT max(coalesce(max(srs_id) + 1, 0), ?) FROM gpkg_spatial_ref_sys",
                      GP_GPKG_PRIVATE_SRS_ID, NULL, &id, &found, error))
    return FALSE;

  if (!prepare (db, "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization,"
                    " organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)",
                &insert, error))
    return FALSE;
  sqlite3_bind_text (insert, 1, gp_crs_get_name (crs) != NULL ? gp_crs_get_name (crs) : "Unknown",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (insert, 2, id);
  sqlite3_bind_text (insert, 3, organization, -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 4, epsg > 0 ? epsg : id);
  sqlite3_bind_text (insert, 5, definition, -1, SQLITE_STATIC);
  sqlite3_bind_null (insert, 6);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  *srs_id = id;
  return TRUE;
}

gboolean
gp_gpkg_register_table (sqlite3 *db, const char *table, const char *geometry_column,
                        const char *geometry_type_name, gint32 srs_id,
                        const double *bbox, GError **error)
{
  g_autoptr(sqlite3_stmt) contents = NULL;
  g_autoptr(sqlite3_stmt) columns = NULL;

  g_return_val_if_fail (db != NULL && table != NULL, FALSE);

  /* An upsert, not INSERT OR REPLACE: gpkg_geometry_columns refers to the row. */
  if (!prepare (db, "INSERT INTO gpkg_contents (table_name, data_type, identifier,"
                    " description, last_change, min_x, min_y, max_x, max_y, srs_id)"
                    " VALUES (?1, ?2, ?1, '', strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?3, ?4, ?5, ?6, ?7)"
                    " ON CONFLICT (table_name) DO UPDATE SET data_type = excluded.data_type,"
                    " last_change = excluded.last_change, min_x = excluded.min_x,"
                    " min_y = excluded.min_y, max_x = excluded.max_x, max_y = excluded.max_y,"
                    " srs_id = excluded.srs_id",
                &contents, error))
    return FALSE;
  sqlite3_bind_text (contents, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (contents, 2, geometry_column != NULL ? "features" : "attributes", -1,
                     SQLITE_STATIC);
  for (int i = 0; i < 4; i++)
    {
      if (bbox != NULL)
        sqlite3_bind_double (contents, 3 + i, bbox[i]);
      else
        sqlite3_bind_null (contents, 3 + i);
    }
  if (geometry_column != NULL)
    sqlite3_bind_int (contents, 7, srs_id);
  else
    sqlite3_bind_null (contents, 7);
  if (sqlite3_step (contents) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }

  if (geometry_column == NULL)
    return TRUE;

  /* z and m are registered as prohibited (0); a writer of Z/M data updates them afterwards. */
  if (!prepare (db, "INSERT OR REPLACE INTO gpkg_geometry_columns (table_name, column_name,"
                    " geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)",
                &columns, error))
    return FALSE;
  sqlite3_bind_text (columns, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (columns, 2, geometry_column, -1, SQLITE_STATIC);
  sqlite3_bind_text (columns, 3, geometry_type_name != NULL ? geometry_type_name : "GEOMETRY", -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (columns, 4, srs_id);
  if (sqlite3_step (columns) != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, NULL);
      return FALSE;
    }
  return TRUE;
}

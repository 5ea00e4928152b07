/* gp-project-private.h: what the store's own files (import, later split/assign) share. */
#pragma once

#include <sqlite3.h>

#include "gp-project.h"

G_BEGIN_DECLS

/* The open connection (WAL, foreign keys on). Borrowed. */
sqlite3    *_gp_project_get_db          (GpProject *self);
/* FALSE with GP_ERROR_SCHEMA / GP_ERROR_READ_ONLY when the project may not be written. */
gboolean    _gp_project_check_writable  (GpProject *self, GError **error);
/* BEGIN IMMEDIATE after the writable check; pair with _commit or _rollback. */
gboolean    _gp_project_begin           (GpProject *self, GError **error);
/* Stamps app_meta "modified", then COMMIT; rolls back when that fails. */
gboolean    _gp_project_commit          (GpProject *self, GError **error);
void        _gp_project_rollback        (GpProject *self);
/* Sets the storage CRS (inside a transaction): app_meta, gpkg_spatial_ref_sys and the srs_id of
 * every feature table. CRS may be NULL (unknown): the tables then get srs_id -1. The in-memory
 * CRS changes only after a successful commit (see _gp_project_commit). */
gboolean    _gp_project_set_crs         (GpProject *self, GpCrs *crs, gboolean lonlat,
                                         GError **error);
/* TRUE once some import has fixed the project's storage CRS (even when it is unknown). */
gboolean    _gp_project_has_crs         (GpProject *self);
/* The srs_id of the feature tables. */
gint32      _gp_project_get_srs_id      (GpProject *self);
/* Widens TABLE's gpkg_contents extent to include BBOX and stamps last_change. */
gboolean    _gp_project_extend_bbox     (GpProject *self, const char *table, const double bbox[4],
                                         GError **error);
/* Rebuilds the units table with GEOMETRY_TYPE_NAME ("MULTIPOLYGON", "POINT", "GEOMETRY") as its
 * geometry column's declared type and registered type, keeping every row. Inside a
 * transaction begun with foreign keys off (PRAGMA foreign_keys is a no-op inside one). */
gboolean    _gp_project_set_units_geometry_type (GpProject *self, const char *geometry_type_name,
                                                 GError **error);
char       *_gp_project_get_geometry_type (GpProject *self, const char *table);  /* transfer full */
/* Stores the local frame's origin (inside a transaction) when none is yet: the centre of the
 * first table with an extent (areas, units, households, grids). */
gboolean    _gp_project_settle_frame    (GpProject *self, GError **error);
/* gp_project_edit_assignments' work inside the caller's transaction, unjournalled. */
gboolean    _gp_project_run_assignment_edits (GpProject *self, const char *const *set, const char *const *unset,
                                              const char *const *lock, GError **error);
/* Appends to edit_log; DETAILS is a JSON object text (may be NULL). */
gboolean    _gp_project_log             (GpProject *self, const char *action, const char *details,
                                         GError **error);

/* An exclusive site read by an import, its area found (NULL: none holds it). */
typedef struct {
  guint        record;
  const GpShape *shape;       /* a polygon in the project's CRS */
  const char  *name;
  const char  *area_code;
  gint64       households;
  gboolean     has_households;
} GpImportSite;

/* Stores SITES (of GpImportSite) as exclusive grids (inside the caller's transaction): each clipped
 * to its area, numbered from 901, given the units whose inside point it holds (taken from basic
 * grids), its households those units' (or the file's). Fails naming SOURCE and the record when a
 * site has no area, lies outside it or overlaps a locked or exclusive grid. */
gboolean    _gp_import_exclusive_grids  (GpProject *self, const char *source, GArray *sites, GPtrArray *notes,
                                         GError **error);

/* What a source field means to an import (gp-import.c). */
typedef enum {
  GP_IMPORT_ROLE_CODE,
  GP_IMPORT_ROLE_NAME,
  GP_IMPORT_ROLE_HOUSEHOLDS,
  GP_IMPORT_ROLE_PARENT,     /* areas: the parent area; units, households: their area */
  GP_IMPORT_ROLE_LEVEL,
  GP_IMPORT_ROLE_KIND,       /* urban/rural */
  GP_IMPORT_N_ROLES,
} GpImportRole;

/* Field index per role (-1 = none): MAP's names, which must exist, else guesses from common
 * Chinese and English names, each guess added to NOTES. */
gboolean    _gp_import_map_fields       (GpLayer *layer, GpImportKind kind, const GpFieldMap *map,
                                         int fields[GP_IMPORT_N_ROLES], GPtrArray *notes,
                                         GError **error);

/* A text column as a new string, NULL when SQL NULL; valid UTF-8 even when another program wrote
 * bytes that are not (they become U+FFFD). */
static inline char *
_gp_column_text (sqlite3_stmt *stmt, int col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_utf8_make_valid ((const char *) text, sqlite3_column_bytes (stmt, col)) : NULL;
}

/* Binds TEXT, or SQL NULL for NULL or empty text (a blank cell is no value). */
static inline void
_gp_bind_text_or_null (sqlite3_stmt *stmt, int col, const char *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, col);
}

G_END_DECLS

/* gp-gpkg.h: GeoPackage 1.3 essentials on sqlite3, shared by `convert` and the project file. */
#pragma once

#include <sqlite3.h>

#include "gp-layer.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Sets application_id/user_version and creates gpkg_spatial_ref_sys (with the three required
 * rows), gpkg_contents and gpkg_geometry_columns if missing. Call inside a transaction. */
gboolean    gp_gpkg_init_schema    (sqlite3 *db, GError **error);
/* srs_id for CRS in gpkg_spatial_ref_sys, inserting a row when needed (the EPSG code as srs_id
 * when known, otherwise a private id >= 100000 with the WKT). A NULL crs gives 0 (undefined
 * geographic) when LONLAT, else -1 (undefined Cartesian). */
gboolean    gp_gpkg_ensure_srs     (sqlite3 *db, GpCrs *crs, gboolean lonlat, gint32 *srs_id,
                                    GError **error);
/* Registers an existing table in gpkg_contents (data_type "features" with a geometry column
 * registered in gpkg_geometry_columns, or "attributes" when geometry_column is NULL). */
gboolean    gp_gpkg_register_table (sqlite3 *db, const char *table, const char *geometry_column,
                                    const char *geometry_type_name, gint32 srs_id,
                                    const double *bbox, GError **error);
/* Runs SQL with no result rows; error names the path. */
gboolean    gp_sqlite_exec         (sqlite3 *db, const char *sql, GError **error);
void        gp_sqlite_set_error    (GError **error, sqlite3 *db, const char *path);

/* `convert` to .gpkg: one feature table named after the layer, all or nothing. */
gboolean    gp_gpkg_write_layer    (GpLayer *layer, const char *path, GError **error);
/* First (or the named) feature table of any GeoPackage as a layer. */
GpLayer    *gp_gpkg_read_layer     (const char *path, const char *table, GError **error);

G_END_DECLS

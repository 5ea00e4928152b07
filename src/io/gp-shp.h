/* gp-shp.h: ESRI shapefiles through shapelib, validated record by record, text decoded to UTF-8. */
#pragma once

#include "gp-layer.h"

G_BEGIN_DECLS

typedef enum {
  GP_SHP_READ_DEFAULT = 0,
  /* Count invalid polygons with GEOS (gp_layer_get_invalid_geometries). */
  GP_SHP_READ_CHECK_VALIDITY = 1 << 0,
  /* Repair invalid polygons with GEOS make-valid, with one warning saying how many. */
  GP_SHP_READ_REPAIR = 1 << 1,
  /* Skip the .dbf entirely. */
  GP_SHP_READ_NO_ATTRIBUTES = 1 << 2,
} GpShpReadFlags;

/* Reads PATH (.shp; .shx rebuilt by scanning when missing, .dbf optional with a warning, .prj
 * through PROJ, .cpg/LDID/detection for the DBF text unless ENCODING overrides it). Broken
 * records are skipped with a warning naming them; a broken file is refused with GP_ERROR_FORMAT
 * and a message naming the file and the problem. A .zip PATH is read as gp_shp_read_zip with no
 * layer named (its only shapefile). */
GpLayer    *gp_shp_read            (const char *path, const char *encoding, GpShpReadFlags flags,
                                    GError **error);
/* The shapefiles in the .zip archive at PATH, by layer name (file name without .shp), in the
 * archive's order; NULL with ERROR when it is not a readable archive. */
GPtrArray  *gp_shp_zip_list        (const char *path, GError **error);
/* Reads the shapefile LAYER (its layer name or member path; NULL: the archive's only one) from
 * the .zip archive at PATH, as gp_shp_read does, its member names in GBK or UTF-8, in any folder.
 * Errors: no shapefile inside, several and none chosen (listing them), the one named absent. */
GpLayer    *gp_shp_read_zip        (const char *path, const char *layer, const char *encoding,
                                    GpShpReadFlags flags, GError **error);
/* Writes LAYER as PATH (.shp/.shx/.dbf/.cpg "UTF-8"/.prj), all files or none. */
gboolean    gp_shp_write           (GpLayer *layer, const char *path, GError **error);
/* The same with the .dbf in ENCODING: "UTF-8" (NULL) or "GBK" (.cpg "GBK" and language driver
 * 0x4D, for software that reads no .cpg; names of five Chinese characters at most, what GBK
 * lacks written as "?"). Every field renamed and text shortened is said in the layer's
 * warnings. */
gboolean    gp_shp_write_encoded   (GpLayer *layer, const char *path, const char *encoding, GError **error);

G_END_DECLS

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
 * and a message naming the file and the problem. */
GpLayer    *gp_shp_read            (const char *path, const char *encoding, GpShpReadFlags flags,
                                    GError **error);
/* Writes LAYER as PATH (.shp/.shx/.dbf/.cpg "UTF-8"/.prj), all files or none. */
gboolean    gp_shp_write           (GpLayer *layer, const char *path, GError **error);

G_END_DECLS

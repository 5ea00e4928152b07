/* gp-layer-write.h: a layer written in the format its file name says. */
#pragma once

#include "gp-layer.h"

G_BEGIN_DECLS

/* LAYER to PATH as a shapefile (.shp with .shx, .dbf, .cpg, .prj), GeoPackage (.gpkg), GeoJSON
 * (.geojson, .json) or CSV with WKT (.csv, when WITH_CSV), all or nothing.
 * GP_ERROR_INVALID_ARGUMENT for another extension. */
gboolean gp_layer_write_by_name (GpLayer *layer, const char *path, gboolean with_csv, GError **error);

G_END_DECLS

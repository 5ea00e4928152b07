/* gp-geojson.h: GeoJSON output, one Feature per record in record order, properties typed. */
#pragma once

#include "gp-layer.h"

G_BEGIN_DECLS

/* Coordinates as stored (unless a reprojection was applied to the layer before); numbers
 * written with the fewest digits that read back exactly. All or nothing. */
gboolean gp_geojson_write_layer (GpLayer *layer, const char *path, GError **error);

G_END_DECLS

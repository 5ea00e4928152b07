/* gp-geojson.h: GeoJSON output, one Feature per record in record order, properties typed. */
#pragma once

#include "gp-layer.h"

G_BEGIN_DECLS

/* Coordinates as stored (unless a reprojection was applied to the layer before); numbers
 * written with the fewest digits that read back exactly. All or nothing. */
gboolean gp_geojson_write_layer (GpLayer *layer, const char *path, GError **error);

/* Room gp_geojson_format_number() needs, terminating NUL included. */
#define GP_NUMBER_BUFSIZE 32
/* x with the fewest significant digits that read back to exactly x, with '.' whatever the
 * locale (as GeoJSON, CSV and WKT want); "null" for NaN and infinities. Returns the length. */
gsize    gp_geojson_format_number (double x, char buf[GP_NUMBER_BUFSIZE]);

G_END_DECLS

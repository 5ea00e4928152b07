/* gp-wkb.h: GpShape ⇄ ISO WKB and GeoPackage geometry blobs (GP header + WKB). */
#pragma once

#include <glib.h>

#include "gp-shape.h"

G_BEGIN_DECLS

/* ISO WKB, little-endian; Z and M as the 1000/2000/3000 type offsets. Polygons are written as
 * Polygon when there is one and the shape is not GP_SHAPE_FORCE_MULTI, else MultiPolygon;
 * likewise LineString/MultiLineString. A null shape writes nothing and returns FALSE. */
gboolean  gp_wkb_append          (GByteArray *out, const GpShape *shape);
GpShape  *gp_wkb_parse           (const guint8 *data, gsize length, GError **error);

/* GeoPackage 1.3 StandardGeoPackageBinary: header with envelope [minx,maxx,miny,maxy] (the
 * empty flag set for an empty shape), then WKB. Returns NULL for a NULL/null shape (store SQL
 * NULL). */
guint8   *gp_gpkg_blob_new       (const GpShape *shape, gint32 srs_id, gsize *length);
/* Parses a GeoPackage blob (either byte order, any envelope kind); NULL with error when broken.
 * An empty geometry returns a shape with no points of the blob's kind. */
GpShape  *gp_gpkg_blob_parse     (const guint8 *data, gsize length, gint32 *srs_id, GError **error);

G_END_DECLS

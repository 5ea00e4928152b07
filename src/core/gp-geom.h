/* gp-geom.h: GEOS (reentrant _r API only) behind one conversion boundary. */
#pragma once

#include <geos_c.h>
#include <glib.h>

#include "gp-shape.h"

G_BEGIN_DECLS

/* This thread's GEOS context, created on first use and destroyed when the thread exits. Its
 * error and notice handlers record the last message for gp_geom_take_error(). */
GEOSContextHandle_t gp_geos (void);
/* Sets error from the last GEOS message on this thread (or a generic text) with GP_ERROR_GEOMETRY. */
void          gp_geom_set_error (GError **error, const char *what);

/* GpShape ⇄ GEOS. Polygons become Polygon or MultiPolygon, lines LineString or
 * MultiLineString, points Point or MultiPoint. Z is kept; M is dropped (GEOS 3.11 has none).
 * A null shape becomes an empty GeometryCollection. */
GEOSGeometry *gp_geom_from_shape (GEOSContextHandle_t ctx, const GpShape *shape, GError **error);
GpShape      *gp_geom_to_shape   (GEOSContextHandle_t ctx, const GEOSGeometry *geom, GError **error);

/* Validity of polygons (other kinds are always valid here). */
gboolean      gp_shape_is_valid   (const GpShape *shape);
/* A valid copy of a polygon shape via GEOSMakeValid, keeping only its polygonal part
 * (collapsed spikes and lines are dropped). NULL with error when nothing polygonal remains. */
GpShape      *gp_shape_make_valid (const GpShape *shape, GError **error);

G_END_DECLS

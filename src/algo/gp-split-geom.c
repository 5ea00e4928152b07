/* gp-split-geom.c: the splitter's GEOS helpers: polygonal results, overlays that fall back to snap-rounding. */
#include "gp-config.h"

#include "gp-split-private.h"

void
gp_split_collect_polygons (GEOSContextHandle_t ctx, const GEOSGeometry *g, GPtrArray *out)
{
  int type = GEOSGeomTypeId_r (ctx, g);

  if (type == GEOS_POLYGON)
    {
      if (GEOSisEmpty_r (ctx, g) == 0)
        g_ptr_array_add (out, GEOSGeom_clone_r (ctx, g));
    }
  else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
    for (int i = 0; i < GEOSGetNumGeometries_r (ctx, g); i++)
      gp_split_collect_polygons (ctx, GEOSGetGeometryN_r (ctx, g, i), out);
}

/* Keeps only the polygons of G (taken), as a Polygon or MultiPolygon; NULL when none is left. */
GEOSGeometry *
gp_split_polygonal (GEOSContextHandle_t ctx, GEOSGeometry *g)
{
  g_autoptr(GPtrArray) parts = NULL;
  GEOSGeometry *result;
  int type;

  if (g == NULL)
    return NULL;
  type = GEOSGeomTypeId_r (ctx, g);
  if ((type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) && GEOSisEmpty_r (ctx, g) == 0)
    return g;
  parts = g_ptr_array_new ();
  gp_split_collect_polygons (ctx, g, parts);
  GEOSGeom_destroy_r (ctx, g);
  if (parts->len == 0)
    return NULL;
  if (parts->len == 1)
    return g_ptr_array_index (parts, 0);
  result = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) parts->pdata,
                                        parts->len);
  return result;
}

GEOSGeometry *
gp_split_difference (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
  GEOSGeometry *r = GEOSDifference_r (ctx, a, b);

  if (r == NULL)
    r = GEOSDifferencePrec_r (ctx, a, b, GRID_SIZE);
  return gp_split_polygonal (ctx, r);
}

GEOSGeometry *
gp_split_intersection (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
  GEOSGeometry *r = GEOSIntersection_r (ctx, a, b);

  if (r == NULL)
    r = GEOSIntersectionPrec_r (ctx, a, b, GRID_SIZE);
  return gp_split_polygonal (ctx, r);
}

GEOSGeometry *
gp_split_union (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  GEOSGeometry *r = GEOSUnaryUnion_r (ctx, g);

  if (r == NULL)
    r = GEOSUnaryUnionPrec_r (ctx, g, GRID_SIZE);
  return gp_split_polygonal (ctx, r);
}

/* gp-split-geom.c: the splitter's GEOS helpers: polygonal results, overlays that fall back to snap-rounding, unions that join only what touches, shapes into the local frame. */
#include "gp-config.h"

#include "gp-split-private.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "gp-geom.h"
#include "gp-split.h"

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

/* Holes a hair wide (under WIDTH on average) or under WIDTH² inside a new grid: overlays of
 * units whose shared borders differ by rounding leave them between two of the grid's own
 * units. They are the grid's ground: left open, its outline would show them as dashes and the
 * plan would count them as territory in no grid. A hole of the area itself or round a fixed
 * grid is far wider, and stays. Takes G; returns it or its filled copy. */
GEOSGeometry *
fill_hairline_holes (GEOSContextHandle_t ctx, GEOSGeometry *g, double width)
{
  g_autoptr(GPtrArray) polygons = NULL;
  gboolean changed = FALSE;
  GEOSGeometry *result;

  if (g == NULL)
    return NULL;
  polygons = g_ptr_array_new ();
  gp_split_collect_polygons (ctx, g, polygons);
  for (guint p = 0; p < polygons->len; p++)
    {
      GEOSGeometry *poly = g_ptr_array_index (polygons, p);
      int n_holes = GEOSGetNumInteriorRings_r (ctx, poly);
      g_autoptr(GPtrArray) kept = NULL;
      GEOSGeometry *shell;

      if (n_holes <= 0)
        continue;
      kept = g_ptr_array_new ();
      for (int h = 0; h < n_holes; h++)
        {
          const GEOSGeometry *ring = GEOSGetInteriorRingN_r (ctx, poly, h);
          GEOSGeometry *as_polygon = GEOSGeom_createPolygon_r (ctx, GEOSGeom_clone_r (ctx, ring), NULL, 0);
          double area = geom_area (ctx, as_polygon), length = 0.0;

          geom_free (ctx, as_polygon);
          if (!GEOSLength_r (ctx, ring, &length))
            length = 0.0;
          if (area < width * width || 2.0 * area < width * length)
            continue;
          g_ptr_array_add (kept, GEOSGeom_clone_r (ctx, ring));
        }
      if ((int) kept->len == n_holes)
        {
          for (guint i = 0; i < kept->len; i++)
            geom_free (ctx, g_ptr_array_index (kept, i));
          continue;
        }
      shell = GEOSGeom_clone_r (ctx, GEOSGetExteriorRing_r (ctx, poly));
      polygons->pdata[p] = GEOSGeom_createPolygon_r (ctx, shell, (GEOSGeometry **) kept->pdata, kept->len);
      g_ptr_array_set_size (kept, 0);
      geom_free (ctx, poly);
      changed = TRUE;
    }
  if (!changed)
    {
      for (guint p = 0; p < polygons->len; p++)
        geom_free (ctx, g_ptr_array_index (polygons, p));
      return g;
    }
  geom_free (ctx, g);
  if (polygons->len == 1)
    return g_ptr_array_steal_index (polygons, 0);
  result = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) polygons->pdata,
                                        polygons->len);
  g_ptr_array_set_size (polygons, 0);
  return result;
}

typedef struct {
  GEOSContextHandle_t  ctx;
  GEOSGeometry       **parts;
  guint                self;
  gboolean            *close;
} CloseQuery;

static void
close_visit (void *item, void *user_data)
{
  CloseQuery *q = user_data;
  guint j = GPOINTER_TO_UINT (item) - 1;

  if (j != q->self && GEOSDistanceWithin_r (q->ctx, q->parts[q->self], q->parts[j], TOUCH) == 1)
    q->close[q->self] = q->close[j] = TRUE;
}

/* G (taken) with its pieces that lie within TOUCH of one another joined (by a union on a grid
 * of TOUCH, which only those pieces go through); found with an index, so a union of thousands of
 * separate pieces costs no more than looking at each once. */
static GEOSGeometry *
join_close_pieces (GEOSContextHandle_t ctx, GEOSGeometry *g)
{
  int n = g != NULL ? GEOSGetNumGeometries_r (ctx, g) : 0;
  g_autofree GEOSGeometry **parts = NULL;
  g_autofree gboolean *close = NULL;
  g_autoptr(GPtrArray) near = NULL, kept = NULL;
  GEOSSTRtree *tree;
  GEOSGeometry *joined, *result;
  guint n_close = 0;

  if (n < 2)
    return g;
  parts = g_new (GEOSGeometry *, n);
  close = g_new0 (gboolean, n);
  tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
  for (int i = 0; i < n; i++)
    {
      parts[i] = (GEOSGeometry *) GEOSGetGeometryN_r (ctx, g, i);
      GEOSSTRtree_insert_r (ctx, tree, parts[i], GUINT_TO_POINTER (i + 1));
    }
  for (int i = 0; i < n; i++)
    {
      CloseQuery q = { ctx, parts, (guint) i, close };
      double x0, y0, x1, y1;
      GEOSGeometry *box;

      if (!GEOSGeom_getXMin_r (ctx, parts[i], &x0) || !GEOSGeom_getYMin_r (ctx, parts[i], &y0)
          || !GEOSGeom_getXMax_r (ctx, parts[i], &x1) || !GEOSGeom_getYMax_r (ctx, parts[i], &y1))
        continue;
      box = GEOSGeom_createRectangle_r (ctx, x0 - TOUCH, y0 - TOUCH, x1 + TOUCH, y1 + TOUCH);
      if (box != NULL)
        GEOSSTRtree_query_r (ctx, tree, box, close_visit, &q);
      geom_free (ctx, box);
    }
  GEOSSTRtree_destroy_r (ctx, tree);
  for (int i = 0; i < n; i++)
    n_close += close[i];
  if (n_close == 0)
    return g;

  near = g_ptr_array_new ();
  kept = g_ptr_array_new ();
  for (int i = 0; i < n; i++)
    g_ptr_array_add (close[i] ? near : kept, GEOSGeom_clone_r (ctx, parts[i]));
  {
    GEOSGeometry *collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION,
                                                            (GEOSGeometry **) near->pdata, near->len);

    g_ptr_array_set_size (near, 0);
    joined = collection != NULL ? gp_split_polygonal (ctx, GEOSUnaryUnionPrec_r (ctx, collection, TOUCH)) : NULL;
    geom_free (ctx, collection);
  }
  if (joined == NULL || GEOSGetNumGeometries_r (ctx, joined) >= (int) n_close)
    {
      geom_free (ctx, joined);
      for (guint i = 0; i < kept->len; i++)
        geom_free (ctx, g_ptr_array_index (kept, i));
      return g;
    }
  gp_split_collect_polygons (ctx, joined, kept);
  geom_free (ctx, joined);
  result = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) kept->pdata, kept->len);
  g_ptr_array_set_size (kept, 0);
  if (result == NULL)
    return g;
  GEOSGeom_destroy_r (ctx, g);
  return result;
}

/* Union of the geometries in PARTS (taken, emptied). */
GEOSGeometry *
union_take (GEOSContextHandle_t ctx, GPtrArray *parts)
{
  GEOSGeometry *collection, *r = NULL;
  double sum = 0.0;

  if (parts->len == 0)
    return NULL;
  for (guint i = 0; i < parts->len; i++)
    sum += geom_area (ctx, g_ptr_array_index (parts, i));
  collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION,
                                            (GEOSGeometry **) parts->pdata, parts->len);
  g_ptr_array_set_size (parts, 0);
  if (collection == NULL)
    return NULL;
  /* Cells that tile without overlaps (the usual case) join fast as a coverage; the result is
   * trusted only when it is valid and keeps their area, else the general union runs. */
  if (GEOSGetNumGeometries_r (ctx, collection) > 2)
    {
      r = GEOSCoverageUnion_r (ctx, collection);
      if (r != NULL && (GEOSisValid_r (ctx, r) != 1 || fabs (geom_area (ctx, r) - sum) > AREA_ROUNDING * sum))
        {
          geom_free (ctx, r);
          r = NULL;
        }
      r = gp_split_polygonal (ctx, r);
    }
  if (r == NULL)
    r = gp_split_union (ctx, collection);
  GEOSGeom_destroy_r (ctx, collection);
  /* Pieces cut in different overlays can meet along a border a rounding apart (a hair of
   * 1e-7 m): those are joined; pieces truly apart stay as they are. */
  return join_close_pieces (ctx, r);
}

/* A valid polygonal geometry from a shape in the local frame, or NULL. */
static GEOSGeometry *
geom_from_local_shape (GEOSContextHandle_t ctx, const GpShape *shape)
{
  GEOSGeometry *g;

  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON || gp_shape_is_empty (shape))
    return NULL;
  {
    g_autoptr(GpShape) snapped = gp_shape_copy (shape);

    /* On the overlay grid from the start (rounded as GEOS rounds), so that what overlays derive
     * from a polygon lies exactly on its outline. */
    for (guint i = 0; i < 2 * snapped->n_points; i++)
      snapped->xy[i] = floor (snapped->xy[i] * (1.0 / GRID_SIZE) + 0.5) / (1.0 / GRID_SIZE);
    g = gp_geom_from_shape (ctx, snapped, NULL);
  }
  if (g == NULL)
    return NULL;
  if (GEOSisValid_r (ctx, g) != 1)
    {
      GEOSGeometry *fixed = GEOSMakeValid_r (ctx, g);

      GEOSGeom_destroy_r (ctx, g);
      g = fixed;
    }
  return gp_split_polygonal (ctx, g);
}

/* A copy of a polygon shape whose edges are at most MAX_LEN long (source units), Z and M left
 * out. A straight edge in lon/lat is a curve in metres: a village's 2 km edge drawn between its
 * two projected ends would pass 10 cm from the units along it; 50 m pieces stay within 0.1 mm. */
static GpShape *
densify_shape (const GpShape *shape, double max_len)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *part_start = g_new (guint, shape->n_parts + 1);
  GpShape *out;

  for (guint r = 0; r < shape->n_parts; r++)
    {
      guint start = shape->part_start[r], end = shape->part_start[r + 1];

      part_start[r] = xy->len / 2;
      for (guint i = start; i < end; i++)
        {
          const double *p = shape->xy + 2 * i;

          g_array_append_vals (xy, p, 2);
          if (i + 1 < end)
            {
              double dx = p[2] - p[0], dy = p[3] - p[1];
              guint steps = (guint) MIN (ceil (hypot (dx, dy) / max_len), 10000.0);

              for (guint k = 1; k < steps; k++)
                {
                  double q[2] = { p[0] + dx * k / steps, p[1] + dy * k / steps };

                  g_array_append_vals (xy, q, 2);
                }
            }
        }
    }
  part_start[shape->n_parts] = xy->len / 2;
  out = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, xy->len / 2, shape->n_parts, shape->n_polygons);
  memcpy (out->xy, xy->data, xy->len * sizeof (double));
  memcpy (out->part_start, part_start, (shape->n_parts + 1) * sizeof (guint));
  memcpy (out->polygon_start, shape->polygon_start, (shape->n_polygons + 1) * sizeof (guint));
  return out;
}

double
gp_split_densify_length (GpCrs *crs, const double bbox[4])
{
  if ((crs != NULL && gp_crs_is_geographic (crs)) || (crs == NULL && bbox != NULL && gp_crs_bbox_looks_lonlat (bbox)))
    return 4e-4;
  return 0.0;
}

GEOSGeometry *
gp_split_to_local (GEOSContextHandle_t ctx, GpLocalFrame *frame, const GpShape *shape,
                   double densify, GError **error)
{
  g_autoptr(GpShape) copy = NULL;

  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON || gp_shape_is_empty (shape))
    return NULL;
  copy = densify > 0.0 ? densify_shape (shape, densify) : gp_shape_copy (shape);
  if (!gp_local_frame_forward (frame, copy->xy, copy->n_points, error))
    return NULL;
  return geom_from_local_shape (ctx, copy);
}

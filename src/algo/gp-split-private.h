/* gp-split-private.h: what the splitter's files share; not for use outside src/algo. */
#pragma once

#include <geos_c.h>
#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

#define NONE G_MAXUINT

/* Overlays run in floating point, which keeps new corners on the borders they were cut from;
 * when GEOS gives up on dirty input (a topology exception) they are redone with snap-rounding
 * to a grid of 1 µm (in local metres). Input polygons are put on that grid from the start.
 * Results keep only polygons. (Snap-rounding is not the default: GEOS 3.11 seeds a random
 * device for every such overlay, which costs more than the overlay of a small polygon.) */
#define GRID_SIZE 1e-6
/* Uncovered territory comes from overlays of the cells, so it meets them to within rounding:
 * its borders are matched with this tolerance, not with the snap distance meant for dirty data
 * (a piece 0.3 m from a cell does not touch it). */
#define TOUCH 1e-3
/* How far a corner of a unit may come back from a round trip through the local frame and still
 * be taken for itself: about a millimetre in degrees, 0.1 mm in metres (PROJ round trips come
 * back within 1e-10° or 1e-8 m; corners of real units are centimetres apart at the least). */
#define SOURCE_EPS_DEGREES 1e-8
#define SOURCE_EPS_METRES  1e-4
/* A cell whose outline runs free of its neighbours for less than this (metres) borders no bare
 * ground worth sharing out along its middle (what is there is rounding, handed out as crumbs). */
#define EXPOSED_MIN 0.01

static inline void
geom_free (GEOSContextHandle_t ctx, GEOSGeometry *g)
{
  if (g != NULL)
    GEOSGeom_destroy_r (ctx, g);
}

static inline double
geom_area (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  double a = 0.0;

  if (g == NULL || !GEOSArea_r (ctx, g, &a) || !isfinite (a))
    return 0.0;
  return a;
}

/* Union-find: the root of V, halving the path on the way. */
static inline guint
find_root (guint *parent, guint v)
{
  while (parent[v] != v)
    {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
  return v;
}

/* Order of points by x, then y (-1, 0, 1), for sorting places. */
static inline int
compare_xy (double ax, double ay, double bx, double by)
{
  if (ax != bx)
    return ax < bx ? -1 : 1;
  if (ay != by)
    return ay < by ? -1 : 1;
  return 0;
}

/* Appends a copy of every non-empty polygon of G to OUT. */
void          gp_split_collect_polygons (GEOSContextHandle_t ctx, const GEOSGeometry *g, GPtrArray *out);
/* Keeps only the polygons of G (taken), as a Polygon or MultiPolygon; NULL when none is left. */
GEOSGeometry *gp_split_polygonal        (GEOSContextHandle_t ctx, GEOSGeometry *g);
/* Overlays with their polygonal results; NULL on failure. */
GEOSGeometry *gp_split_difference       (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b);
GEOSGeometry *gp_split_intersection     (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b);
GEOSGeometry *gp_split_union            (GEOSContextHandle_t ctx, const GEOSGeometry *g);

/* Grows each of the N CELLS (inside FREE_AREA, not overlapping; NULL entries left out) by the
 * part of FREE_AREA's uncovered ground nearest to it, cut along the middle of the ground between
 * cells, so that the cells tile FREE_AREA exactly and neighbours share their edges. EXPOSED: per
 * cell, the length of its outline not shared with other cells (0: it borders no bare ground). Pieces of bare
 * ground that touch no cell are counted in N_STRANDED. FALSE (cells unchanged or partly grown)
 * when GEOS gives up. */
gboolean      gp_split_territories      (GEOSContextHandle_t ctx, const GEOSGeometry *free_area,
                                         GEOSGeometry **cells, guint n, const double *exposed,
                                         guint *n_stranded);

G_END_DECLS

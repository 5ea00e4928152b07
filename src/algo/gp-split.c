/* gp-split.c: the splitter's geometry: units (or household cells, or a lattice) → adjacency graph → gp-partition → grids that cover each area exactly. */
#include "gp-config.h"

#include "gp-split.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-codes.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-partition.h"
#include "gp-split-private.h"

/* How the geometry is made exact, in one place:
 * - Everything is computed in a local transverse Mercator frame (metres) and mapped back; lon/lat
 *   edges are densified on the way in (a straight edge in degrees is a curve in metres).
 * - Real data has tiny gaps and overlaps along shared borders. Rather than calling borders a
 *   snapping distance apart "shared" (which would also make neighbours of two units with a thin
 *   third one between them), the borders are made to meet: units that overlap (crossing
 *   outlines, outlines running the same way, duplicates) are trimmed, the later one giving way;
 *   then every unit takes its share of the territory no unit covers (gaps, roads, squares): a
 *   piece touching one unit goes to it, a small compact piece to the unit it borders most, a
 *   large or long thin piece by nearest unit, through a Voronoi diagram of points along its
 *   border. Units so grown ("territories") tile the area exactly.
 * - Two units are neighbours when their territories' outlines run together, in opposite
 *   directions, for a positive length (within TOUCH, 1 mm). Segment pairs are found with a
 *   uniform grid of cells.
 * - Pieces that touch no other unit are joined to their nearest neighbour (a graph edge of
 *   length 0): islands of an area made of several polygons.
 * - A grid is the union of its units' territories; what rounding leaves uncovered is handed
 *   out once more the same way, grid by grid.
 * options->snap (0.5 m) is the distance within which a detached bit of a unit counts as lying
 * among other units (it then goes with the territory instead of making an exclave). */


const char *
gp_split_mode_name (GpSplitMode mode)
{
  switch (mode)
    {
    case GP_SPLIT_MODE_UNITS: return "units";
    case GP_SPLIT_MODE_POINTS: return "points";
    case GP_SPLIT_MODE_GEOMETRY: return "geometry";
    case GP_SPLIT_MODE_AUTO:
    default: return "auto";
    }
}

void
gp_split_options_init (GpSplitOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->tolerance = 0.15;
  options->mode = GP_SPLIT_MODE_AUTO;
  options->snap = 0.5;
}

static void
grid_free (GpSplitGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->code);
  gp_shape_free (grid->shape);
  g_free (grid->units);
  g_free (grid);
}

void
gp_split_result_free (GpSplitResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->grids, g_ptr_array_unref);
  g_free (result->grid_of_unit);
  g_free (result->explanation);
  g_clear_pointer (&result->notes, g_ptr_array_unref);
  gp_split_report_part_free (result->quality);
  g_free (result);
}

/* ---------------------------------------------------------------------------------------------
 * GEOS helpers
 * ------------------------------------------------------------------------------------------- */

/* Holes a hair wide (under WIDTH on average) or under WIDTH² inside a new grid: overlays of
 * units whose shared borders differ by rounding leave them between two of the grid's own
 * units. They are the grid's ground: left open, its outline would show them as dashes and the
 * plan would count them as territory in no grid. A hole of the area itself or round a fixed
 * grid is far wider, and stays. Takes G; returns it or its filled copy. */
static GEOSGeometry *
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
  tree = GEOSSTRtree_create_r (ctx, 10);
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
static GEOSGeometry *
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
      if (r != NULL && (GEOSisValid_r (ctx, r) != 1 || fabs (geom_area (ctx, r) - sum) > 1e-9 * sum))
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

/* ---------------------------------------------------------------------------------------------
 * Shared borders: outline segments side by side, found with a uniform grid of cells
 * ------------------------------------------------------------------------------------------- */

typedef struct {
  double x0, y0, x1, y1;
  guint  owner;
  guint  cls;
} Seg;

typedef struct {
  guint    u, v;      /* owners, u < v */
  double   shared;    /* length run side by side in opposite directions (a shared border) */
  gboolean suspect;   /* the outlines cross or run the same way: the two may overlap */
} PairRec;

/* Appends the segments of a ring, turned so that the owner's interior lies to their right
 * (shells clockwise, holes counter-clockwise): neighbours then run a shared border in opposite
 * directions and overlapping outlines run it the same way. */
static void
ring_segments (GEOSContextHandle_t ctx, const GEOSGeometry *ring, gboolean shell, guint owner,
               guint cls, GArray *segs, GArray *scratch)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (ctx, ring);
  unsigned int size = 0;
  double *xy, twice_area = 0.0;
  gboolean flip;

  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &size) || size < 2)
    return;
  g_array_set_size (scratch, 2 * size);
  xy = (double *) scratch->data;
  if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, xy, 0, 0))
    return;
  for (unsigned int i = 0; i + 1 < size; i++)
    twice_area += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
  flip = shell ? twice_area > 0.0 : twice_area < 0.0;
  for (unsigned int i = 0; i + 1 < size; i++)
    {
      Seg s;
      const double *p = xy + 2 * i, *q = xy + 2 * i + 2;

      if (p[0] == q[0] && p[1] == q[1])
        continue;
      if (flip)
        s = (Seg) { q[0], q[1], p[0], p[1], owner, cls };
      else
        s = (Seg) { p[0], p[1], q[0], q[1], owner, cls };
      g_array_append_val (segs, s);
    }
}

static void
geom_segments (GEOSContextHandle_t ctx, const GEOSGeometry *g, guint owner, guint cls,
               GArray *segs, GArray *scratch)
{
  int type;

  if (g == NULL)
    return;
  type = GEOSGeomTypeId_r (ctx, g);
  if (type == GEOS_POLYGON)
    {
      if (GEOSisEmpty_r (ctx, g) == 1)
        return;
      ring_segments (ctx, GEOSGetExteriorRing_r (ctx, g), TRUE, owner, cls, segs, scratch);
      for (int i = 0; i < GEOSGetNumInteriorRings_r (ctx, g); i++)
        ring_segments (ctx, GEOSGetInteriorRingN_r (ctx, g, i), FALSE, owner, cls, segs, scratch);
    }
  else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
    for (int i = 0; i < GEOSGetNumGeometries_r (ctx, g); i++)
      geom_segments (ctx, GEOSGetGeometryN_r (ctx, g, i), owner, cls, segs, scratch);
}

static double
orient (double ax, double ay, double bx, double by, double cx, double cy)
{
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* How far B runs beside A within TOL, in opposite directions (shared) or otherwise (suspect). */
static void
segment_relation (const Seg *a, const Seg *b, double tol, double *shared, gboolean *suspect)
{
  double dx = a->x1 - a->x0, dy = a->y1 - a->y0, ex = b->x1 - b->x0, ey = b->y1 - b->y0;
  double la = hypot (dx, dy), lb = hypot (ex, ey);
  double cross, dot;

  if (la <= 0.0 || lb <= 0.0)
    return;
  dx /= la;
  dy /= la;
  ex /= lb;
  ey /= lb;
  cross = dx * ey - dy * ex;
  dot = dx * ex + dy * ey;
  /* Within about 6° of parallel: measure how long B stays within TOL of A's line, over A. */
  if (fabs (cross) <= 0.1)
    {
      double t0 = (b->x0 - a->x0) * dx + (b->y0 - a->y0) * dy;
      double s0 = dx * (b->y0 - a->y0) - dy * (b->x0 - a->x0);
      double t1 = (b->x1 - a->x0) * dx + (b->y1 - a->y0) * dy;
      double s1 = dx * (b->y1 - a->y0) - dy * (b->x1 - a->x0);
      double lo = 0.0, hi = 1.0, ta, tb, overlap;

      if (s1 == s0)
        {
          if (fabs (s0) > tol)
            return;
        }
      else
        {
          double l1 = (-tol - s0) / (s1 - s0), l2 = (tol - s0) / (s1 - s0);

          lo = MAX (0.0, MIN (l1, l2));
          hi = MIN (1.0, MAX (l1, l2));
          if (lo >= hi)
            return;
        }
      ta = t0 + lo * (t1 - t0);
      tb = t0 + hi * (t1 - t0);
      if (ta > tb)
        {
          double t = ta;
          ta = tb;
          tb = t;
        }
      overlap = MIN (tb, la) - MAX (ta, 0.0);
      /* Segments meeting end to end overlap by a rounding (1e-14 m): that is no border. */
      if (overlap <= 1e-9)
        return;
      if (dot < 0.0)
        {
          /* A's interior is on its right (s < 0), B's on A's left from B onwards: B below A's
           * line means the two interiors overlap in a sliver. */
          double slo = s0 + lo * (s1 - s0), shi = s0 + hi * (s1 - s0);

          *shared += overlap;
          if (MIN (slo, shi) < -1e-7)
            *suspect = TRUE;
        }
      else
        *suspect = TRUE;
      return;
    }
  /* Crossing outlines: the interiors overlap. */
  {
    double o1 = orient (a->x0, a->y0, a->x1, a->y1, b->x0, b->y0);
    double o2 = orient (a->x0, a->y0, a->x1, a->y1, b->x1, b->y1);
    double o3 = orient (b->x0, b->y0, b->x1, b->y1, a->x0, a->y0);
    double o4 = orient (b->x0, b->y0, b->x1, b->y1, a->x1, a->y1);

    if (((o1 < 0.0 && o2 > 0.0) || (o1 > 0.0 && o2 < 0.0))
        && ((o3 < 0.0 && o4 > 0.0) || (o3 > 0.0 && o4 < 0.0)))
      *suspect = TRUE;
  }
}

static int
compare_pair (const void *pa, const void *pb)
{
  const PairRec *a = pa, *b = pb;

  if (a->u != b->u)
    return a->u < b->u ? -1 : 1;
  return a->v < b->v ? -1 : a->v > b->v;
}

/* Every pair of owners whose outlines meet, with their shared border. With MIXED_ONLY, only
 * pairs of different classes. Returns PairRecs sorted by (u, v). */
static GArray *
segment_pairs (GArray *input, double tol, gboolean mixed_only)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (PairRec));
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (PairRec));
  double minx = DBL_MAX, miny = DBL_MAX, maxx = -DBL_MAX, maxy = -DBL_MAX, total = 0.0, c;
  g_autofree guint *start = NULL;
  g_autofree guint *items = NULL;
  g_autofree guint *fill = NULL;
  guint64 nx, ny, n_cells;

  if (input->len < 2)
    return pairs;
  for (guint i = 0; i < input->len; i++)
    {
      const Seg *s = &g_array_index (input, Seg, i);

      minx = MIN (minx, MIN (s->x0, s->x1));
      maxx = MAX (maxx, MAX (s->x0, s->x1));
      miny = MIN (miny, MIN (s->y0, s->y1));
      maxy = MAX (maxy, MAX (s->y0, s->y1));
      total += hypot (s->x1 - s->x0, s->y1 - s->y0);
    }
  minx -= 2 * tol;
  miny -= 2 * tol;
  maxx += 2 * tol;
  maxy += 2 * tol;
  /* Cells about twice a typical segment, but never more cells than twice the segments. */
  c = MAX (2.0 * total / input->len, 4.0 * tol);
  c = MAX (c, sqrt ((maxx - minx) * (maxy - miny) / (2.0 * input->len + 16.0)));
  c = MAX (c, 1e-9);

  /* Long segments (area outlines, parent edges) are cut to cell size, so that every segment
   * spans a few cells and the pair test below sees each pair in exactly one cell. */
  for (guint i = 0; i < input->len; i++)
    {
      const Seg *s = &g_array_index (input, Seg, i);
      double len = hypot (s->x1 - s->x0, s->y1 - s->y0);
      guint pieces = len > c ? (guint) MIN (ceil (len / c), 1e6) : 1;

      for (guint k = 0; k < pieces; k++)
        {
          double f0 = (double) k / pieces, f1 = (double) (k + 1) / pieces;
          Seg piece = *s;

          if (pieces > 1)
            {
              piece.x0 = s->x0 + f0 * (s->x1 - s->x0);
              piece.y0 = s->y0 + f0 * (s->y1 - s->y0);
              piece.x1 = k + 1 == pieces ? s->x1 : s->x0 + f1 * (s->x1 - s->x0);
              piece.y1 = k + 1 == pieces ? s->y1 : s->y0 + f1 * (s->y1 - s->y0);
            }
          g_array_append_val (segs, piece);
        }
    }

  nx = (guint64) ((maxx - minx) / c) + 1;
  ny = (guint64) ((maxy - miny) / c) + 1;
  n_cells = nx * ny;
  start = g_new0 (guint, n_cells + 1);

#define CELL_RANGE(s, x0c, x1c, y0c, y1c)                                                \
  guint64 x0c = (guint64) ((MIN ((s)->x0, (s)->x1) - tol - minx) / c);                  \
  guint64 x1c = MIN ((guint64) ((MAX ((s)->x0, (s)->x1) + tol - minx) / c), nx - 1);    \
  guint64 y0c = (guint64) ((MIN ((s)->y0, (s)->y1) - tol - miny) / c);                  \
  guint64 y1c = MIN ((guint64) ((MAX ((s)->y0, (s)->y1) + tol - miny) / c), ny - 1)

  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = &g_array_index (segs, Seg, i);
      CELL_RANGE (s, cx0, cx1, cy0, cy1);

      for (guint64 cy = cy0; cy <= cy1; cy++)
        for (guint64 cx = cx0; cx <= cx1; cx++)
          start[cy * nx + cx + 1]++;
    }
  for (guint64 k = 0; k < n_cells; k++)
    start[k + 1] += start[k];
  items = g_new (guint, start[n_cells] + 1);
  fill = g_memdup2 (start, (n_cells + 1) * sizeof (guint));
  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = &g_array_index (segs, Seg, i);
      CELL_RANGE (s, cx0, cx1, cy0, cy1);

      for (guint64 cy = cy0; cy <= cy1; cy++)
        for (guint64 cx = cx0; cx <= cx1; cx++)
          items[fill[cy * nx + cx]++] = i;
    }
#undef CELL_RANGE

  for (guint64 cell = 0; cell < n_cells; cell++)
    for (guint p = start[cell]; p < start[cell + 1]; p++)
      for (guint q = p + 1; q < start[cell + 1]; q++)
        {
          const Seg *a = &g_array_index (segs, Seg, items[p]);
          const Seg *b = &g_array_index (segs, Seg, items[q]);
          double ax0, ax1, ay0, ay1, bx0, bx1, by0, by1, mx, my, shared = 0.0;
          gboolean suspect = FALSE;
          guint64 rx, ry;

          if (a->owner == b->owner || (mixed_only && a->cls == b->cls))
            continue;
          ax0 = MIN (a->x0, a->x1) - tol;
          ax1 = MAX (a->x0, a->x1) + tol;
          ay0 = MIN (a->y0, a->y1) - tol;
          ay1 = MAX (a->y0, a->y1) + tol;
          bx0 = MIN (b->x0, b->x1) - tol;
          bx1 = MAX (b->x0, b->x1) + tol;
          by0 = MIN (b->y0, b->y1) - tol;
          by1 = MAX (b->y0, b->y1) + tol;
          if (ax0 > bx1 || bx0 > ax1 || ay0 > by1 || by0 > ay1)
            continue;
          /* Count the pair once: in the cell holding the low corner of the boxes' overlap. */
          mx = MAX (ax0, bx0);
          my = MAX (ay0, by0);
          rx = (guint64) ((mx - minx) / c);
          ry = (guint64) ((my - miny) / c);
          if (ry * nx + rx != cell)
            continue;
          segment_relation (a, b, tol, &shared, &suspect);
          if (shared > 0.0 || suspect)
            {
              PairRec r = { MIN (a->owner, b->owner), MAX (a->owner, b->owner), shared, suspect };
              g_array_append_val (hits, r);
            }
        }

  if (hits->len > 1)
    qsort (hits->data, hits->len, sizeof (PairRec), compare_pair);
  for (guint i = 0; i < hits->len; i++)
    {
      const PairRec *h = &g_array_index (hits, PairRec, i);
      PairRec *last = pairs->len > 0 ? &g_array_index (pairs, PairRec, pairs->len - 1) : NULL;

      if (last != NULL && last->u == h->u && last->v == h->v)
        {
          last->shared += h->shared;
          last->suspect = last->suspect || h->suspect;
        }
      else
        g_array_append_val (pairs, *h);
    }
  return pairs;
}

/* ---------------------------------------------------------------------------------------------
 * One area's work
 * ------------------------------------------------------------------------------------------- */

/* How far an area's work is after each stage (shares of its time on street-separated blocks). */
#define PROGRESS_TERRITORIES 0.6
#define PROGRESS_PARTITION   0.7

/* What the areas' jobs share to tell how far the whole run is. */
typedef struct {
  GMutex                lock;
  const GpSplitOptions *options;
  double               *done;      /* per area, 0..1 */
  guint                 n_areas;
  double                reported;
} Progress;

typedef struct {
  const GpSplitArea    *in;
  guint                 index;     /* of the area in the run */
  Progress             *progress;
  const GpSplitOptions *options;
  GAsyncQueue          *frames;   /* of GpLocalFrame*, one per thread */
  GpLocalFrame         *frame;    /* borrowed from frames while working */
  /* Longest edge (source units) kept straight on the way into the local frame, 0: any. */
  double                densify;
  GEOSContextHandle_t   ctx;
  GpSplitResult        *result;
  GError               *error;
  GPtrArray            *notes;    /* of char* */
  GString              *explanation;
  struct _SourceIndex  *sources;  /* the units' own corners, built on first need */
} Job;

static void
job_note (Job *job, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
job_note (Job *job, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (job->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
job_explain (Job *job, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (job->explanation->len > 0)
    g_string_append_c (job->explanation, ' ');
  g_string_append (job->explanation, text);
}

/* This area's work is FRACTION done: tell the caller how far the whole run is. */
static void
job_progress (Job *job, double fraction)
{
  Progress *p = job->progress;
  double sum = 0.0;

  if (p == NULL || p->options->progress == NULL)
    return;
  g_mutex_lock (&p->lock);
  p->done[job->index] = MAX (p->done[job->index], CLAMP (fraction, 0.0, 1.0));
  for (guint a = 0; a < p->n_areas; a++)
    sum += p->done[a];
  sum /= MAX (p->n_areas, 1u);
  if (sum > p->reported || fraction >= 1.0)
    {
      p->reported = MAX (sum, p->reported);
      p->options->progress (p->reported, job->in->code, p->options->progress_data);
    }
  g_mutex_unlock (&p->lock);
}

static gboolean
job_cancelled (Job *job, GError **error)
{
  return g_cancellable_set_error_if_cancelled (job->options->cancellable, error);
}

static const char *
area_label (Job *job)
{
  return job->in->code != NULL && *job->in->code != '\0' ? job->in->code : _("the area");
}

static char *
unit_label (Job *job, guint u)
{
  if (job->in->unit_names != NULL && job->in->unit_names[u] != NULL)
    return g_strdup (job->in->unit_names[u]);
  return g_strdup_printf (_("unit %u"), u);
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

/* A shape in the source CRS → a valid polygonal geometry in the local frame (NULL: none). */
static GEOSGeometry *
to_local (Job *job, const GpShape *shape, GError **error)
{
  return gp_split_to_local (job->ctx, job->frame, shape, job->densify, error);
}

/* ---- grid outlines made of the units' own corners ---- */

/* Everything is computed in the local frame, where lon/lat edges were densified. On the way back
 * every corner of a grid that is a corner of a unit (or of the area) is put exactly where it was
 * given, and a corner that only lies along a unit's edge, in line with its neighbours in every
 * grid outline it belongs to (a densifying point, or where two densified copies of one edge
 * crossed), is dropped. The decision is taken per place over all the area's grids, so that
 * neighbours keep sharing identical edges; where a third outline turns off (a street's middle
 * meeting a block), the corner stays. */
typedef struct _SourceIndex {
  GArray     *points;       /* SourcePoint, sorted by x then y */
  GHashTable *seg_cells;    /* segment bucket key → first SegLink + 1 */
  GArray     *segs;         /* double[4] x0 y0 x1 y1 */
  GArray     *links;        /* SegLink */
  double      eps;          /* how far a point may come back from where it was (source units) */
  double      seg_cell;     /* size of a segment bucket */
} SourceIndex;

typedef struct {
  double x, y;
} SourcePoint;

static int
compare_source_point (const void *pa, const void *pb)
{
  const SourcePoint *a = pa, *b = pb;

  return compare_xy (a->x, a->y, b->x, b->y);
}

typedef struct {
  guint seg;
  guint next;
} SegLink;

static gint64
cell_key (double x, double y, double size)
{
  gint64 ix = (gint64) floor (x / size), iy = (gint64) floor (y / size);

  return (ix * 73856093) ^ (iy * 19349663);
}

static void
bucket_push (GHashTable *table, gint64 key, guint item_plus_one, guint *next_out)
{
  gpointer first = g_hash_table_lookup (table, &key);

  *next_out = GPOINTER_TO_UINT (first);
  g_hash_table_insert (table, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (item_plus_one));
}

static void
source_index_add_shape (SourceIndex *idx, const GpShape *shape)
{
  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    return;
  for (guint r = 0; r < shape->n_parts; r++)
    for (guint i = shape->part_start[r]; i < shape->part_start[r + 1]; i++)
      {
        const double *p = shape->xy + 2 * i;
        SourcePoint point = { p[0], p[1] };

        g_array_append_val (idx->points, point);
        if (i + 1 < shape->part_start[r + 1])
          g_array_append_vals (idx->segs, p, 4);
      }
}

static void
source_index_free (SourceIndex *idx)
{
  if (idx == NULL)
    return;
  g_hash_table_unref (idx->seg_cells);
  g_array_unref (idx->points);
  g_array_unref (idx->segs);
  g_array_unref (idx->links);
  g_free (idx);
}

static SourceIndex *
source_index_new (Job *job)
{
  SourceIndex *idx = g_new0 (SourceIndex, 1);
  const GpSplitArea *in = job->in;
  guint n_segs;
  double total = 0.0;

  idx->seg_cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  idx->points = g_array_new (FALSE, FALSE, sizeof (SourcePoint));
  idx->segs = g_array_new (FALSE, FALSE, sizeof (double));
  idx->links = g_array_new (FALSE, FALSE, sizeof (SegLink));
  idx->eps = job->densify > 0.0 ? SOURCE_EPS_DEGREES : SOURCE_EPS_METRES;
  source_index_add_shape (idx, in->shape);
  for (guint u = 0; u < in->n_units; u++)
    source_index_add_shape (idx, in->units[u]);
  if (idx->points->len > 1)
    qsort (idx->points->data, idx->points->len, sizeof (SourcePoint), compare_source_point);

  /* Segments in buckets about as large as a typical segment (needed only to find points
   * densifying added along them). */
  n_segs = job->densify > 0.0 ? idx->segs->len / 4 : 0;
  for (guint k = 0; k < n_segs; k++)
    {
      const double *q = &g_array_index (idx->segs, double, 4 * k);

      total += hypot (q[2] - q[0], q[3] - q[1]);
    }
  idx->seg_cell = MAX (n_segs > 0 ? total / n_segs : 1.0, 1000.0 * idx->eps);
  for (guint k = 0; k < n_segs; k++)
    {
      const double *q = &g_array_index (idx->segs, double, 4 * k);
      double x0 = MIN (q[0], q[2]) - idx->eps, x1 = MAX (q[0], q[2]) + idx->eps;
      double y0 = MIN (q[1], q[3]) - idx->eps, y1 = MAX (q[1], q[3]) + idx->eps;
      gint64 cx0 = (gint64) floor (x0 / idx->seg_cell), cx1 = (gint64) floor (x1 / idx->seg_cell);
      gint64 cy0 = (gint64) floor (y0 / idx->seg_cell), cy1 = (gint64) floor (y1 / idx->seg_cell);

      /* A segment far longer than the typical one (an area's long edge) is in many buckets. */
      for (gint64 cx = cx0; cx <= cx1; cx++)
        for (gint64 cy = cy0; cy <= cy1; cy++)
          {
            SegLink link = { k, 0 };

            g_array_append_val (idx->links, link);
            bucket_push (idx->seg_cells, (cx * 73856093) ^ (cy * 19349663), idx->links->len,
                         &g_array_index (idx->links, SegLink, idx->links->len - 1).next);
          }
    }
  return idx;
}

/* The corner within eps of (x, y), or NULL: a binary search on x, then the few within eps. */
static const SourcePoint *
source_corner (const SourceIndex *idx, double x, double y)
{
  const SourcePoint *points = (const SourcePoint *) idx->points->data, *best = NULL;
  guint lo = 0, hi = idx->points->len;
  double best_d = idx->eps * idx->eps;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (points[mid].x < x - idx->eps)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < idx->points->len && points[i].x <= x + idx->eps; i++)
    {
      double d = (points[i].x - x) * (points[i].x - x) + (points[i].y - y) * (points[i].y - y);

      if (d <= best_d)
        {
          best = &points[i];
          best_d = d;
        }
    }
  return best;
}

static double
point_segment_distance (double px, double py, const double *q)
{
  double dx = q[2] - q[0], dy = q[3] - q[1], len2 = dx * dx + dy * dy;
  double t = len2 > 0.0 ? CLAMP (((px - q[0]) * dx + (py - q[1]) * dy) / len2, 0.0, 1.0) : 0.0;

  return hypot (px - (q[0] + t * dx), py - (q[1] + t * dy));
}

/* TRUE when (x, y) lies along an edge of a unit or of the area (within eps). */
static gboolean
on_source_edge (const SourceIndex *idx, double x, double y)
{
  gint64 key = cell_key (x, y, idx->seg_cell);
  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (idx->seg_cells, &key));

  while (at != 0)
    {
      const SegLink *link = &g_array_index (idx->links, SegLink, at - 1);

      if (point_segment_distance (x, y, &g_array_index (idx->segs, double, 4 * link->seg)) <= idx->eps)
        return TRUE;
      at = link->next;
    }
  return FALSE;
}

/* Distance from B to the line through A and C. */
static double
off_line (const double *a, const double *b, const double *c)
{
  double dx = c[0] - a[0], dy = c[1] - a[1], len = hypot (dx, dy);

  if (len == 0.0)
    return hypot (b[0] - a[0], b[1] - a[1]);
  return fabs ((b[0] - a[0]) * dy - (b[1] - a[1]) * dx) / len;
}

/* The place of a corner as a key (exact: every grid maps a shared corner back the same way). */
static GBytes *
place_key (const double *p)
{
  return g_bytes_new (p, 2 * sizeof (double));
}

/* Puts the corners of SHAPES (new grids, source CRS) back where the units gave them and drops
 * construction points, deciding per place over all of them (see above). */
static void
restore_source_corners (Job *job, GpShape **shapes, guint n)
{
  SourceIndex *idx = job->sources;
  g_autoptr(GHashTable) drop = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);

  /* 1. Per place: may it go? Only if it may in every outline it is in. (Projected data was
   * never densified: nothing to drop, only corners to put back.) */
  for (guint s = 0; job->densify > 0.0 && s < n; s++)
    for (guint r = 0; shapes[s] != NULL && r < shapes[s]->n_parts; r++)
      {
        const GpShape *shape = shapes[s];
        guint start = shape->part_start[r], m = shape->part_start[r + 1] - start - 1;

        for (guint i = 0; m >= 3 && i < m; i++)
          {
            const double *p = shape->xy + 2 * (start + (i + m - 1) % m);
            const double *v = shape->xy + 2 * (start + i);
            const double *q = shape->xy + 2 * (start + (i + 1) % m);
            gboolean may = source_corner (idx, v[0], v[1]) == NULL && off_line (p, v, q) <= idx->eps
                           && on_source_edge (idx, v[0], v[1]);
            GBytes *key = place_key (v);
            gpointer before;

            if (g_hash_table_lookup_extended (drop, key, NULL, &before))
              {
                g_bytes_unref (key);
                if (!may && GPOINTER_TO_INT (before))
                  g_hash_table_replace (drop, place_key (v), GINT_TO_POINTER (FALSE));
              }
            else
              g_hash_table_insert (drop, key, GINT_TO_POINTER (may));
          }
      }

  /* 2. Rebuild each outline. */
  for (guint s = 0; s < n; s++)
    {
      GpShape *shape = shapes[s], *out;
      g_autoptr(GArray) xy = NULL;
      g_autofree guint *parts = NULL;

      if (shape == NULL)
        continue;
      xy = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * shape->n_points);
      parts = g_new (guint, shape->n_parts + 1);
      for (guint r = 0; r < shape->n_parts; r++)
        {
          guint start = shape->part_start[r], end = shape->part_start[r + 1], ring_start = xy->len / 2, kept = 0;

          parts[r] = ring_start;
          for (guint i = start; i + 1 < end; i++)
            {
              const double *v = shape->xy + 2 * i;
              const SourcePoint *corner = source_corner (idx, v[0], v[1]);

              if (corner == NULL && job->densify > 0.0)
                {
                  g_autoptr(GBytes) key = place_key (v);

                  if (GPOINTER_TO_INT (g_hash_table_lookup (drop, key)))
                    continue;
                }
              if (corner != NULL)
                {
                  double exact[2] = { corner->x, corner->y };

                  g_array_append_vals (xy, exact, 2);
                }
              else
                g_array_append_vals (xy, v, 2);
              kept++;
            }
          if (kept < 3)
            {
              g_array_set_size (xy, 2 * ring_start);
              g_array_append_vals (xy, shape->xy + 2 * start, end - start);
            }
          else
            {
              double first[2] = { g_array_index (xy, double, 2 * ring_start),
                                  g_array_index (xy, double, 2 * ring_start + 1) };

              g_array_append_vals (xy, first, 2);
            }
        }
      parts[shape->n_parts] = xy->len / 2;
      out = gp_shape_new (GP_SHAPE_POLYGON, shape->flags & GP_SHAPE_FORCE_MULTI, xy->len / 2, shape->n_parts,
                          shape->n_polygons);
      memcpy (out->xy, xy->data, xy->len * sizeof (double));
      memcpy (out->part_start, parts, (shape->n_parts + 1) * sizeof (guint));
      memcpy (out->polygon_start, shape->polygon_start, (shape->n_polygons + 1) * sizeof (guint));
      /* Dropping corners in line cannot fold an outline, but rounding could: keep it as it was
       * then (its neighbour's edge keeps a corner more, still on the same line). Corners only
       * put back, by far less than any edge is long, change nothing of that. */
      if (out->n_points == shape->n_points || gp_shape_is_valid (out))
        {
          gp_shape_free (shapes[s]);
          shapes[s] = out;
        }
      else
        gp_shape_free (out);
    }
}

/* A local geometry → a MultiPolygon shape in the source CRS. */
static GpShape *
to_source (Job *job, const GEOSGeometry *g, GError **error)
{
  g_autoptr(GpShape) shape = NULL;

  if (g == NULL)
    {
      shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FORCE_MULTI, 0, 0, 0);
      return g_steal_pointer (&shape);
    }
  shape = gp_geom_to_shape (job->ctx, g, error);
  if (shape == NULL)
    return NULL;
  if (!gp_local_frame_inverse (job->frame, shape->xy, shape->n_points, error))
    return NULL;
  /* Mapping only the corners back can fold a needle a hair wide into a self-crossing: repair
   * it there, keeping the polygon's substance (crumbs under a millionth of it go, and so do
   * the hairline holes a needle touching its own border becomes: TOUCH in source units, from
   * the ratio of the areas). */
  if (!gp_shape_is_valid (shape))
    {
      GEOSGeometry *back = gp_geom_from_shape (job->ctx, shape, NULL);
      GEOSGeometry *valid = back != NULL ? gp_split_polygonal (job->ctx, GEOSMakeValid_r (job->ctx, back)) : NULL;
      double local_area = geom_area (job->ctx, g), source_area = geom_area (job->ctx, valid);
      double touch = local_area > 0.0 ? TOUCH * sqrt (source_area / local_area) : 0.0;

      valid = fill_hairline_holes (job->ctx, valid, touch);

      geom_free (job->ctx, back);
      if (valid != NULL)
        {
          double total = geom_area (job->ctx, valid);
          g_autoptr(GPtrArray) parts = g_ptr_array_new ();
          GEOSGeometry *kept;
          GpShape *repaired;

          gp_split_collect_polygons (job->ctx, valid, parts);
          for (guint i = parts->len; i-- > 0;)
            if (parts->len > 1 && geom_area (job->ctx, g_ptr_array_index (parts, i)) < 1e-6 * total)
              geom_free (job->ctx, g_ptr_array_steal_index (parts, i));
          kept = GEOSGeom_createCollection_r (job->ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) parts->pdata,
                                              parts->len);
          g_ptr_array_set_size (parts, 0);
          repaired = kept != NULL ? gp_geom_to_shape (job->ctx, kept, NULL) : NULL;
          geom_free (job->ctx, kept);
          geom_free (job->ctx, valid);
          if (repaired != NULL)
            {
              gp_shape_free (shape);
              shape = repaired;
            }
        }
    }
  shape->flags |= GP_SHAPE_FORCE_MULTI;
  return g_steal_pointer (&shape);
}

/* The cells the graph core groups: units, household cells or lattice cells, all in the local
 * frame, inside the free territory and (after trimming) not overlapping. */
typedef struct {
  guint          n;
  GEOSGeometry **geom;       /* owned; NULL: left out */
  double        *households;
  guint         *grid;       /* result: grid of each cell, NONE when left out */
  double        *point_xy;   /* result: a point inside each cell as it was before it took its
                              * share of the uncovered territory (NaN when left out) */
  gboolean      *cut;        /* NULL, or per cell: clipped or trimmed (it may hold fragments) */
  gboolean       kind_units; /* cell i is unit i of the area */
} Cells;

static void
cells_clear (GEOSContextHandle_t ctx, Cells *cells)
{
  for (guint i = 0; i < cells->n; i++)
    geom_free (ctx, cells->geom[i]);
  g_clear_pointer (&cells->geom, g_free);
  g_clear_pointer (&cells->households, g_free);
  g_clear_pointer (&cells->grid, g_free);
  g_clear_pointer (&cells->point_xy, g_free);
  g_clear_pointer (&cells->cut, g_free);
  cells->n = 0;
}

typedef struct {
  guint  u, v;
  double len;
} Edge;

typedef struct {
  GEOSContextHandle_t ctx;
  GEOSGeometry      **geom;
  guint              *root;   /* component root per cell */
} NearestData;

static int
nearest_distance (const void *item1, const void *item2, double *distance, void *user_data)
{
  NearestData *d = user_data;
  guint a = GPOINTER_TO_UINT (item1) - 1, b = GPOINTER_TO_UINT (item2) - 1;

  if (d->root[a] == d->root[b])
    {
      *distance = DBL_MAX;
      return 1;
    }
  return GEOSDistanceIndexed_r (d->ctx, d->geom[a], d->geom[b], distance);
}

/* Joins the separate pieces of the graph: each piece (but the largest) to the nearest cell of
 * another, through cells with outline left over, until one piece remains. */
static void
link_pieces (Job *job, Cells *cells, const double *perimeter, const double *shared_total,
             GArray *edges)
{
  GEOSContextHandle_t ctx = job->ctx;
  guint n = cells->n;
  g_autofree guint *parent = g_new (guint, n + 1);
  g_autofree guint *root = g_new (guint, n + 1);
  g_autofree guint *size = g_new0 (guint, n + 1);
  g_autofree double *best_d = g_new (double, n + 1);
  g_autofree Edge *best_e = g_new (Edge, n + 1);
  GEOSSTRtree *tree = NULL;
  NearestData data = { ctx, cells->geom, root };
  guint n_live = 0;

  for (guint i = 0; i < n; i++)
    parent[i] = i;
  for (guint e = 0; e < edges->len; e++)
    {
      Edge *ed = &g_array_index (edges, Edge, e);
      guint a = find_root (parent, ed->u), b = find_root (parent, ed->v);

      if (a != b)
        parent[MAX (a, b)] = MIN (a, b);
    }
  for (guint i = 0; i < n; i++)
    if (cells->geom[i] != NULL)
      n_live++;
  if (n_live < 2)
    return;

  tree = GEOSSTRtree_create_r (ctx, 10);
  for (guint i = 0; i < n; i++)
    if (cells->geom[i] != NULL)
      GEOSSTRtree_insert_r (ctx, tree, cells->geom[i], GUINT_TO_POINTER (i + 1));

  for (guint round = 0; round < 64; round++)
    {
      guint largest = NONE, n_pieces = 0;

      memset (size, 0, (n + 1) * sizeof (guint));
      for (guint i = 0; i < n; i++)
        if (cells->geom[i] != NULL)
          {
            root[i] = find_root (parent, i);
            if (size[root[i]]++ == 0)
              n_pieces++;
          }
      if (n_pieces <= 1)
        break;
      for (guint i = 0; i < n; i++)
        if (cells->geom[i] != NULL && root[i] == i
            && (largest == NONE || size[i] > size[largest]))
          largest = i;
      for (guint i = 0; i < n; i++)
        best_d[i] = DBL_MAX;
      for (guint i = 0; i < n; i++)
        {
          const void *found;
          double d = DBL_MAX;
          guint j;

          if (cells->geom[i] == NULL || root[i] == largest)
            continue;
          /* A cell wrapped all round by its neighbours is never the nearest to another piece. */
          if (size[root[i]] > 1 && perimeter[i] - shared_total[i] <= job->options->snap)
            continue;
          found = GEOSSTRtree_nearest_generic_r (ctx, tree, GUINT_TO_POINTER (i + 1), cells->geom[i],
                                                 nearest_distance, &data);
          if (found == NULL)
            continue;
          j = GPOINTER_TO_UINT (found) - 1;
          if (root[j] == root[i] || !GEOSDistanceIndexed_r (ctx, cells->geom[i], cells->geom[j], &d))
            continue;
          if (d < best_d[root[i]]
              || (d == best_d[root[i]] && (MIN (i, j) < MIN (best_e[root[i]].u, best_e[root[i]].v))))
            {
              best_d[root[i]] = d;
              best_e[root[i]] = (Edge) { MIN (i, j), MAX (i, j), 0.0 };
            }
        }
      for (guint i = 0; i < n; i++)
        if (cells->geom[i] != NULL && root[i] == i && best_d[i] < DBL_MAX)
          {
            guint a = find_root (parent, best_e[i].u), b = find_root (parent, best_e[i].v);

            g_array_append_val (edges, best_e[i]);
            if (a != b)
              parent[MAX (a, b)] = MIN (a, b);
          }
    }
  GEOSSTRtree_destroy_r (ctx, tree);
}

/* Trims overlapping cells: for each suspect pair the later cell gives way. */
static guint
trim_overlaps (Job *job, Cells *cells, GArray *pairs)
{
  GEOSContextHandle_t ctx = job->ctx;
  guint trimmed = 0;

  for (guint p = 0; p < pairs->len; p++)
    {
      const PairRec *r = &g_array_index (pairs, PairRec, p);
      GEOSGeometry *overlap, *rest;
      double a;

      if (!r->suspect || cells->geom[r->u] == NULL || cells->geom[r->v] == NULL)
        continue;
      overlap = gp_split_intersection (ctx, cells->geom[r->u], cells->geom[r->v]);
      a = geom_area (ctx, overlap);
      geom_free (ctx, overlap);
      if (a <= 1e-8)
        continue;
      rest = gp_split_difference (ctx, cells->geom[r->v], cells->geom[r->u]);
      geom_free (ctx, cells->geom[r->v]);
      cells->geom[r->v] = rest;
      if (cells->cut != NULL)
        cells->cut[r->v] = TRUE;
      trimmed++;
    }
  return trimmed;
}

/* ---- handing out the territory no cell covers ---- */

/* Length of border A and B share (within TOL), as segment_pairs measures it. */
static double
shared_border (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b, double tol)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pairs = NULL;
  double shared = 0.0;

  geom_segments (ctx, a, 0, 0, segs, scratch);
  geom_segments (ctx, b, 1, 1, segs, scratch);
  pairs = segment_pairs (segs, tol, TRUE);
  for (guint i = 0; i < pairs->len; i++)
    shared += g_array_index (pairs, PairRec, i).shared;
  return shared;
}

typedef struct {
  double   x, y;
  guint    label;
} Sample;

typedef struct {
  GEOSContextHandle_t ctx;
  const GEOSGeometry *cell;
  const Sample       *samples;
  guint               found;
} CellQuery;

static void
cell_query_visit (void *item, void *user_data)
{
  CellQuery *q = user_data;
  guint k = GPOINTER_TO_UINT (item) - 1;
  GEOSGeometry *pt;

  if (q->found != NONE && q->found < k)
    return;
  pt = GEOSGeom_createPointFromXY_r (q->ctx, q->samples[k].x, q->samples[k].y);
  if (GEOSIntersects_r (q->ctx, q->cell, pt) == 1)
    q->found = k;
  GEOSGeom_destroy_r (q->ctx, pt);
}

/* Splits a gap PIECE among the grids it touches (TOUCHING, with prepared grids) by nearest
 * grid: a Voronoi diagram of points along the piece's border, each labelled with the grid the
 * border belongs to there. Appends (piece part, grid) to OUT_PARTS/OUT_GRIDS. Parts of a share
 * that do not reach their grid are returned as LEFTOVERS. FALSE when it cannot be done. */
static gboolean
split_gap_piece (Job *job, const GEOSGeometry *piece, const guint *touching, guint n_touching,
                 GEOSGeometry **grid_geoms, const GEOSPreparedGeometry **prepared_grids, GPtrArray *out_parts,
                 GArray *out_grids, GPtrArray *leftovers)
{
  GEOSContextHandle_t ctx = job->ctx;
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                      (GDestroyNotify) g_bytes_unref, NULL);
  double length = 0.0, spacing;
  GEOSGeometry *multipoint, *diagram;
  GEOSSTRtree *tree;
  g_autofree GPtrArray **by_label = NULL;
  g_autofree guint *seg_label = NULL;
  gboolean ok = TRUE;

  geom_segments (ctx, piece, 0, 0, segs, scratch);
  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = &g_array_index (segs, Seg, i);
      length += hypot (s->x1 - s->x0, s->y1 - s->y0);
    }
  /* Enough points for every grid around to claim its side several times over. */
  spacing = MAX (length / CLAMP (40.0 * n_touching, 400.0, 200000.0), 1.0);

  /* Which grid each stretch of the piece's border runs along (none: the area's own border or a
   * locked grid): the grid whose outline matches it for the longest. */
  seg_label = g_new (guint, segs->len + 1);
  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Seg));
    g_autoptr(GArray) pairs = NULL;
    g_autofree double *best = g_new0 (double, segs->len + 1);

    for (guint t = 0; t < n_touching; t++)
      geom_segments (ctx, grid_geoms[touching[t]], t, 0, all, scratch);
    for (guint i = 0; i < segs->len; i++)
      {
        Seg s = g_array_index (segs, Seg, i);

        s.owner = n_touching + i;
        s.cls = 1;
        g_array_append_val (all, s);
        seg_label[i] = NONE;
      }
    pairs = segment_pairs (all, TOUCH, TRUE);
    for (guint p = 0; p < pairs->len; p++)
      {
        const PairRec *r = &g_array_index (pairs, PairRec, p);
        guint i = r->v - n_touching;

        if (r->u < n_touching && r->v >= n_touching && r->shared > best[i])
          {
            best[i] = r->shared;
            seg_label[i] = r->u;
          }
      }
  }

  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = &g_array_index (segs, Seg, i);
      double len = hypot (s->x1 - s->x0, s->y1 - s->y0);
      guint steps = (guint) MIN (ceil (len / spacing), 100000.0);

      /* Points along the area's own border or along locked grids lead nowhere. */
      if (seg_label[i] == NONE)
        continue;
      /* Points strictly inside the stretch: its ends may be where another grid's side begins. */
      for (guint k = 0; k < MAX (steps, 1u); k++)
        {
          double f = (k + 0.5) / MAX (steps, 1u);
          Sample sample = { s->x0 + f * (s->x1 - s->x0), s->y0 + f * (s->y1 - s->y0), seg_label[i] };
          double key[2] = { sample.x, sample.y };

          if (!g_hash_table_add (seen, g_bytes_new (key, sizeof key)))
            continue;
          g_array_append_val (samples, sample);
        }
    }
  if (samples->len < 2)
    return FALSE;

  {
    g_autofree GEOSGeometry **points = g_new (GEOSGeometry *, samples->len);

    for (guint k = 0; k < samples->len; k++)
      points[k] = GEOSGeom_createPointFromXY_r (ctx, g_array_index (samples, Sample, k).x,
                                               g_array_index (samples, Sample, k).y);
    multipoint = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOINT, points, samples->len);
  }
  diagram = multipoint != NULL ? GEOSVoronoiDiagram_r (ctx, multipoint, piece, 0.0, 0) : NULL;
  if (diagram == NULL)
    {
      geom_free (ctx, multipoint);
      return FALSE;
    }

  /* GEOS 3.11 does not keep the points' order: find each cell's point. */
  tree = GEOSSTRtree_create_r (ctx, 10);
  for (guint k = 0; k < samples->len; k++)
    GEOSSTRtree_insert_r (ctx, tree, GEOSGetGeometryN_r (ctx, multipoint, (int) k),
                          GUINT_TO_POINTER (k + 1));
  by_label = g_new0 (GPtrArray *, n_touching);
  for (guint t = 0; t < n_touching; t++)
    by_label[t] = g_ptr_array_new ();
  for (int c = 0; c < GEOSGetNumGeometries_r (ctx, diagram); c++)
    {
      const GEOSGeometry *cell = GEOSGetGeometryN_r (ctx, diagram, c);
      CellQuery q = { ctx, cell, (const Sample *) samples->data, NONE };

      GEOSSTRtree_query_r (ctx, tree, cell, cell_query_visit, &q);
      if (q.found != NONE)
        g_ptr_array_add (by_label[g_array_index (samples, Sample, q.found).label],
                         GEOSGeom_clone_r (ctx, cell));
    }
  GEOSSTRtree_destroy_r (ctx, tree);

  for (guint t = 0; t < n_touching; t++)
    {
      GEOSGeometry *share_all = union_take (ctx, by_label[t]);
      GEOSGeometry *share = share_all != NULL ? gp_split_intersection (ctx, share_all, piece) : NULL;
      g_autoptr(GPtrArray) comps = g_ptr_array_new ();

      geom_free (ctx, share_all);
      g_ptr_array_unref (by_label[t]);
      by_label[t] = NULL;
      if (share == NULL)
        continue;
      gp_split_collect_polygons (ctx, share, comps);
      geom_free (ctx, share);

      /* A part of the share that meets its grid only at a corner, or not at all, does not
       * reach it: it goes with the leftovers to whichever grid it borders most. */
      for (guint k = 0; k < comps->len; k++)
        {
          GEOSGeometry *comp = g_ptr_array_index (comps, k);

          if (shared_border (ctx, comp, grid_geoms[touching[t]], TOUCH) > 0.0)
            {
              g_ptr_array_add (out_parts, comp);
              g_array_append_val (out_grids, touching[t]);
            }
          else
            g_ptr_array_add (leftovers, comp);
        }
    }
  geom_free (ctx, diagram);
  geom_free (ctx, multipoint);
  return ok;
}

static double
piece_length (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  double length = 0.0;

  if (!GEOSLength_r (ctx, g, &length))
    return 0.0;
  return length;
}

/* Hands every piece of FREE not covered by GRID_GEOM to a grid, so that the grids cover FREE
 * exactly. Grids in FIXED_FLAGS (none here: fixed grids are not in grid_geom) never grow. */
static gboolean
hand_out_gaps (Job *job, const GEOSGeometry *free_area, GEOSGeometry **grid_geom, guint k,
               GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  g_autoptr(GPtrArray) pieces = g_ptr_array_new ();
  g_autofree GPtrArray **extra = NULL;
  double free_area_m2 = geom_area (ctx, free_area), mean_grid = free_area_m2 / MAX (k, 1u);
  guint n_orphans = 0;

  if (k == 0 || free_area == NULL)
    return TRUE;

  {
    g_autoptr(GPtrArray) all = g_ptr_array_new ();
    GEOSGeometry *covered, *gap;

    for (guint g = 0; g < k; g++)
      if (grid_geom[g] != NULL)
        g_ptr_array_add (all, GEOSGeom_clone_r (ctx, grid_geom[g]));
    covered = union_take (ctx, all);
    gap = covered != NULL ? gp_split_difference (ctx, free_area, covered) : GEOSGeom_clone_r (ctx, free_area);
    geom_free (ctx, covered);
    if (gap == NULL)
      return TRUE;
    gp_split_collect_polygons (ctx, gap, pieces);
    geom_free (ctx, gap);
  }
  if (pieces->len == 0)
    return TRUE;

  extra = g_new0 (GPtrArray *, k);
  for (guint g = 0; g < k; g++)
    extra[g] = g_ptr_array_new ();

  for (guint pass = 0; pass < 4 && pieces->len > 0; pass++)
    {
      g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
      g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) pairs = NULL;
      g_autoptr(GPtrArray) leftovers = g_ptr_array_new ();
      g_autofree guint *pair_start = g_new0 (guint, pieces->len + 1);
      g_autofree const GEOSPreparedGeometry **prepared = g_new0 (const GEOSPreparedGeometry *, k);
      g_autoptr(GPtrArray) grown = g_ptr_array_new ();
      g_autoptr(GArray) grown_grid = g_array_new (FALSE, FALSE, sizeof (guint));
      gboolean last = pass == 3;

      for (guint g = 0; g < k; g++)
        geom_segments (ctx, grid_geom[g], g, 0, segs, scratch);
      for (guint p = 0; p < pieces->len; p++)
        geom_segments (ctx, g_ptr_array_index (pieces, p), k + p, 1, segs, scratch);
      pairs = segment_pairs (segs, TOUCH, TRUE);
      /* Pairs are sorted by the lower owner, a grid: regroup them by piece. */
      {
        g_autoptr(GArray) by_piece = g_array_sized_new (FALSE, FALSE, sizeof (PairRec), pairs->len);

        for (guint i = 0; i < pairs->len; i++)
          {
            PairRec r = g_array_index (pairs, PairRec, i);

            if (r.shared <= 0.0)
              continue;
            /* u is the grid, v the piece: store as (piece, grid) for sorting. */
            r = (PairRec) { r.v - k, r.u, r.shared, r.suspect };
            g_array_append_val (by_piece, r);
          }
        if (by_piece->len > 1)
          qsort (by_piece->data, by_piece->len, sizeof (PairRec), compare_pair);
        g_array_set_size (pairs, 0);
        g_array_append_vals (pairs, by_piece->data, by_piece->len);
        for (guint i = 0; i < pairs->len; i++)
          pair_start[g_array_index (pairs, PairRec, i).u + 1]++;
        for (guint p = 0; p < pieces->len; p++)
          pair_start[p + 1] += pair_start[p];
      }

      for (guint p = 0; p < pieces->len; p++)
        {
          GEOSGeometry *piece = g_ptr_array_index (pieces, p);
          guint first = pair_start[p], n_touch = pair_start[p + 1] - first;
          const PairRec *touch = &g_array_index (pairs, PairRec, first);
          double piece_area = geom_area (ctx, piece);

          pieces->pdata[p] = NULL;
          /* Crumbs: hairlines overlays leave between grids and along the area's outline (on
           * average under TOUCH wide). Joined to one grid they could link its far ends by a
           * hair; they stay out, a few cm² in all. */
          if (n_touch != 1 && 2.0 * piece_area < TOUCH * piece_length (ctx, piece))
            {
              geom_free (ctx, piece);
              continue;
            }
          if (n_touch == 0)
            {
              if (!last && pass < 2)
                {
                  g_ptr_array_add (leftovers, piece);
                  continue;
                }
              /* Touching no grid (an empty island, a pocket between locked grids): the nearest. */
              {
                guint best = NONE;
                double best_d = DBL_MAX;

                for (guint g = 0; g < k; g++)
                  {
                    double d = DBL_MAX;

                    if (grid_geom[g] != NULL && GEOSDistance_r (ctx, piece, grid_geom[g], &d) && d < best_d)
                      {
                        best_d = d;
                        best = g;
                      }
                  }
                if (best == NONE)
                  {
                    geom_free (ctx, piece);
                    continue;
                  }
                n_orphans++;
                g_ptr_array_add (grown, piece);
                g_array_append_val (grown_grid, best);
              }
              continue;
            }
          /* A small, compact piece goes whole to the grid it borders most; a large one, or a
           * long thin one (a road, a hair along the area's outline) touching several grids,
           * is shared out by nearest grid, so that it joins no grid's far ends. */
          if (n_touch == 1 || pass > 0
              || (piece_area < 0.05 * mean_grid && piece_length (ctx, piece) < sqrt (mean_grid)))
            {
              guint best = 0;

              for (guint t = 1; t < n_touch; t++)
                if (touch[t].shared > touch[best].shared)
                  best = t;
              g_ptr_array_add (grown, piece);
              g_array_append_val (grown_grid, touch[best].v);
              continue;
            }
          {
            g_autofree guint *touching = g_new (guint, n_touch);

            for (guint t = 0; t < n_touch; t++)
              {
                touching[t] = touch[t].v;
                if (prepared[touching[t]] == NULL)
                  prepared[touching[t]] = GEOSPrepare_r (ctx, grid_geom[touching[t]]);
              }
            if (!split_gap_piece (job, piece, touching, n_touch, grid_geom, prepared, grown, grown_grid, leftovers))
              {
                guint best = 0;

                for (guint t = 1; t < n_touch; t++)
                  if (touch[t].shared > touch[best].shared)
                    best = t;
                g_ptr_array_add (grown, GEOSGeom_clone_r (ctx, piece));
                g_array_append_val (grown_grid, touch[best].v);
              }
            geom_free (ctx, piece);
          }
        }
      for (guint g = 0; g < k; g++)
        if (prepared[g] != NULL)
          GEOSPreparedGeom_destroy_r (ctx, prepared[g]);

      /* Grow the grids now, so that leftovers see them as they are. */
      for (guint i = 0; i < grown->len; i++)
        g_ptr_array_add (extra[g_array_index (grown_grid, guint, i)], g_ptr_array_index (grown, i));
      for (guint g = 0; g < k; g++)
        if (extra[g]->len > 0)
          {
            if (grid_geom[g] != NULL)
              g_ptr_array_add (extra[g], grid_geom[g]);
            grid_geom[g] = union_take (ctx, extra[g]);
            if (grid_geom[g] == NULL)
              {
                gp_geom_set_error (error, _("cannot join the uncovered territory to a grid"));
                for (guint h = 0; h < k; h++)
                  g_ptr_array_unref (extra[h]);
                for (guint i = 0; i < leftovers->len; i++)
                  geom_free (ctx, g_ptr_array_index (leftovers, i));
                return FALSE;
              }
          }
      g_ptr_array_set_size (pieces, 0);
      g_ptr_array_extend_and_steal (pieces, g_steal_pointer (&leftovers));
      leftovers = g_ptr_array_new ();
    }
  for (guint p = 0; p < pieces->len; p++)
    geom_free (ctx, g_ptr_array_index (pieces, p));
  for (guint g = 0; g < k; g++)
    g_ptr_array_unref (extra[g]);
  if (n_orphans > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE,
                                "%s: %u piece of territory touches no unit or grid; it went to the nearest one",
                                "%s: %u pieces of territory touch no unit or grid; each went to the nearest one",
                                n_orphans),
              area_label (job), n_orphans);
  return TRUE;
}

/* ---- the graph and the core ---- */

typedef struct {
  guint         k;            /* grids made */
  GEOSGeometry **geom;        /* per grid, local */
  double       *households;
  guint        *n_cells;
  GpPartitionGridFlags *flags;
} Made;

static void
made_clear (GEOSContextHandle_t ctx, Made *made)
{
  for (guint g = 0; g < made->k; g++)
    geom_free (ctx, made->geom[g]);
  g_clear_pointer (&made->geom, g_free);
  g_clear_pointer (&made->households, g_free);
  g_clear_pointer (&made->n_cells, g_free);
  g_clear_pointer (&made->flags, g_free);
  made->k = 0;
}

/* TRUE when GEOMS (not overlapping, inside FREE_AREA) leave part of it uncovered: their areas
 * add up to less than it, beyond rounding. Saves a union of every unit on clean coverages. */
static gboolean
leaves_gaps (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **geoms, guint n)
{
  double total = geom_area (ctx, free_area), sum = 0.0;

  for (guint i = 0; i < n; i++)
    sum += geom_area (ctx, geoms[i]);
  return total - sum > 1e-11 * total;
}

/* Small pieces of a cell (under 5% of its largest) go back to the uncovered territory, handed
 * out later like any other: fragments left by trimming or clipping, and detached bits of a unit
 * that lie among other units (a pier, a yard across the road), which would otherwise make an
 * exclave of its grid. A piece that touches no other cell (an islet) stays with its unit. */
static guint
drop_fragments (GEOSContextHandle_t ctx, Cells *cells, GArray *pairs, double snap)
{
  g_autofree guint *start = NULL;
  g_autofree guint *neighbours = NULL;
  guint dropped = 0;

  for (guint i = 0; i < cells->n; i++)
    {
      GEOSGeometry *g = cells->geom[i];
      g_autoptr(GPtrArray) keep = NULL;
      gboolean cut = cells->cut != NULL && cells->cut[i];
      double largest = 0.0;
      int n;

      if (g == NULL || GEOSGeomTypeId_r (ctx, g) != GEOS_MULTIPOLYGON || (n = GEOSGetNumGeometries_r (ctx, g)) < 2)
        continue;
      if (start == NULL)
        {
          /* Neighbour lists, built on first need: multi-part cells are rare. */
          g_autofree guint *fill = NULL;

          start = g_new0 (guint, cells->n + 1);
          for (guint p = 0; p < pairs->len; p++)
            {
              start[g_array_index (pairs, PairRec, p).u + 1]++;
              start[g_array_index (pairs, PairRec, p).v + 1]++;
            }
          for (guint c = 0; c < cells->n; c++)
            start[c + 1] += start[c];
          neighbours = g_new (guint, start[cells->n] + 1);
          fill = g_memdup2 (start, (cells->n + 1) * sizeof (guint));
          for (guint p = 0; p < pairs->len; p++)
            {
              const PairRec *r = &g_array_index (pairs, PairRec, p);

              neighbours[fill[r->u]++] = r->v;
              neighbours[fill[r->v]++] = r->u;
            }
        }
      for (int k = 0; k < n; k++)
        largest = MAX (largest, geom_area (ctx, GEOSGetGeometryN_r (ctx, g, k)));
      keep = g_ptr_array_new ();
      for (int k = 0; k < n; k++)
        {
          const GEOSGeometry *part = GEOSGetGeometryN_r (ctx, g, k);
          gboolean drop = FALSE;

          if (geom_area (ctx, part) < 0.05 * largest)
            {
              drop = cut;
              for (guint q = start[i]; q < start[i + 1] && !drop; q++)
                {
                  const GEOSGeometry *other = cells->geom[neighbours[q]];
                  double d = DBL_MAX;

                  drop = other != NULL && GEOSDistance_r (ctx, part, other, &d) && d <= snap;
                }
            }
          if (!drop)
            g_ptr_array_add (keep, GEOSGeom_clone_r (ctx, part));
        }
      if ((int) keep->len == n || keep->len == 0)
        {
          for (guint k = 0; k < keep->len; k++)
            GEOSGeom_destroy_r (ctx, g_ptr_array_index (keep, k));
          continue;
        }
      dropped += n - keep->len;
      cells->geom[i] = keep->len == 1 ? g_ptr_array_steal_index (keep, 0)
                       : GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) keep->pdata, keep->len);
      g_ptr_array_set_size (keep, 0);
      GEOSGeom_destroy_r (ctx, g);
    }
  return dropped;
}

/* ---- re-splits that stay put ---- */

/* TRUE when the units of earlier grid P (as graph vertices, VERTS) form one piece of the graph. */
static gboolean
vertices_connected (const guint *verts, guint n, const gint *owner, gint p, const guint *xadj,
                    const guint *adjncy, guint m)
{
  g_autofree guint8 *seen = g_new0 (guint8, m + 1);
  g_autofree guint *queue = g_new (guint, n + 1);
  guint head = 0, tail = 0;

  if (n == 0)
    return FALSE;
  queue[tail++] = verts[0];
  seen[verts[0]] = 1;
  while (head < tail)
    {
      guint v = queue[head++];

      for (guint e = xadj[v]; e < xadj[v + 1]; e++)
        if (owner[adjncy[e]] == p && !seen[adjncy[e]])
          {
            seen[adjncy[e]] = 1;
            queue[tail++] = adjncy[e];
          }
    }
  return tail == n;
}

/* Pieces of the graph's free vertices (OWNER −1): PIECE per vertex, returns their number. */
static guint
free_pieces (const gint *owner, const guint *xadj, const guint *adjncy, guint m, guint *piece)
{
  g_autofree guint *queue = g_new (guint, m + 1);
  guint n_pieces = 0;

  for (guint v = 0; v < m; v++)
    piece[v] = NONE;
  for (guint s0 = 0; s0 < m; s0++)
    {
      guint head = 0, tail = 0;

      if (owner[s0] >= 0 || piece[s0] != NONE)
        continue;
      piece[s0] = n_pieces;
      queue[tail++] = s0;
      while (head < tail)
        {
          guint v = queue[head++];

          for (guint e = xadj[v]; e < xadj[v + 1]; e++)
            if (owner[adjncy[e]] < 0 && piece[adjncy[e]] == NONE)
              {
                piece[adjncy[e]] = n_pieces;
                queue[tail++] = adjncy[e];
              }
        }
      n_pieces++;
    }
  return n_pieces;
}

/* Relative deviation from T of a piece of H households cut into round (H / T) grids. */
static double
piece_deviation (double h, double target)
{
  double k = MAX (1.0, floor (h / target + 0.5));

  return fabs (h / k - target) / target;
}

/* Earlier grids kept as they are: per graph vertex the earlier grid it stays in, or −1 (free,
 * to be redrawn). A grid is kept when all its units are still there, with the households it had,
 * in one piece and within tolerance. Where the free ground left between kept grids cannot make
 * grids within tolerance, the kept neighbour that helps most is freed, one at a time. NULL when
 * nothing is kept. */
static gint *
keep_unchanged (Job *job, const guint *index, guint n_cells, guint m, const guint *xadj,
                const guint *adjncy, const double *weight)
{
  const GpSplitArea *in = job->in;
  double target = job->options->target, tol = job->options->tolerance;
  g_autofree gint *owner = g_new (gint, m + 1);
  g_autofree double *held = g_new0 (double, in->n_previous + 1);
  g_autofree guint *piece = g_new (guint, m + 1);
  guint n_kept = 0;

  for (guint v = 0; v < m; v++)
    owner[v] = -1;
  for (guint p = 0; p < in->n_previous; p++)
    {
      const GpSplitPreviousGrid *prev = &in->previous[p];
      g_autofree guint *verts = g_new (guint, prev->n_units + 1);
      gboolean ok = prev->n_units > 0 && prev->households >= 0.0;
      double h = 0.0;

      for (guint i = 0; ok && i < prev->n_units; i++)
        {
          guint u = prev->units[i];

          ok = u < n_cells && index[u] != NONE && owner[index[u]] < 0;
          if (ok)
            {
              verts[i] = index[u];
              owner[verts[i]] = (gint) p;
              h += weight[verts[i]];
            }
          else
            for (guint j = 0; j < i; j++)
              owner[verts[j]] = -1;
        }
      /* Households stored as whole numbers: a change of one household is a change. */
      ok = ok && fabs (h - prev->households) < 0.5
           && (fabs (h - target) <= tol * target || (prev->n_units == 1 && h > target))
           && vertices_connected (verts, prev->n_units, owner, (gint) p, xadj, adjncy, m);
      if (!ok)
        {
          for (guint i = 0; i < prev->n_units; i++)
            if (i < prev->n_units && prev->units[i] < n_cells && index[prev->units[i]] != NONE
                && owner[index[prev->units[i]]] == (gint) p)
              owner[index[prev->units[i]]] = -1;
          continue;
        }
      held[p] = h;
      n_kept++;
    }
  if (n_kept == 0)
    return NULL;

  for (guint round = 0; round < m; round++)
    {
      guint n_pieces = free_pieces (owner, xadj, adjncy, m, piece);
      g_autofree double *h = g_new0 (double, n_pieces + 1);
      g_autofree guint *size = g_new0 (guint, n_pieces + 1);
      g_autofree gint *best = g_new (gint, n_pieces + 1);
      g_autofree double *best_dev = g_new (double, n_pieces + 1);
      gboolean freed = FALSE;

      for (guint v = 0; v < m; v++)
        if (piece[v] != NONE)
          {
            h[piece[v]] += weight[v];
            size[piece[v]]++;
          }
      for (guint c = 0; c < n_pieces; c++)
        {
          best[c] = -1;
          best_dev[c] = piece_deviation (h[c], target);
        }
      /* For each piece off tolerance: the kept neighbour whose households bring it closest. */
      for (guint v = 0; v < m; v++)
        {
          guint c = piece[v];

          if (c == NONE || piece_deviation (h[c], target) <= tol
              || (size[c] == 1 && h[c] > target * (1.0 + tol)))
            continue;
          for (guint e = xadj[v]; e < xadj[v + 1]; e++)
            {
              gint p = owner[adjncy[e]];
              double dev;

              if (p < 0)
                continue;
              dev = piece_deviation (h[c] + held[p], target);
              if (dev < best_dev[c] - 1e-12 || (best[c] >= 0 && dev == best_dev[c] && p < best[c]))
                {
                  best_dev[c] = dev;
                  best[c] = p;
                }
            }
        }
      for (guint c = 0; c < n_pieces; c++)
        if (best[c] >= 0 && held[best[c]] >= 0.0)
          {
            for (guint v = 0; v < m; v++)
              if (owner[v] == best[c])
                owner[v] = -1;
            held[best[c]] = -1.0;
            n_kept--;
            freed = TRUE;
          }
      if (!freed || n_kept == 0)
        break;
    }
  return n_kept > 0 ? g_steal_pointer (&owner) : NULL;
}

/* Groups CELLS (inside FREE_AREA) into grids and covers FREE_AREA with them. */
static gboolean
split_cells (Job *job, Cells *cells, const GEOSGeometry *free_area, Made *made, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  guint n = cells->n;
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  g_autofree guint *index = g_new (guint, n + 1);     /* cell → graph vertex */
  g_autofree guint *cell_of = g_new (guint, n + 1);   /* graph vertex → cell */
  g_autofree double *x = g_new0 (double, n + 1);
  g_autofree double *y = g_new0 (double, n + 1);
  g_autofree double *area = g_new0 (double, n + 1);
  g_autofree double *perimeter = g_new0 (double, n + 1);
  g_autofree double *shared_total = g_new0 (double, n + 1);
  g_autofree double *weight = g_new0 (double, n + 1);
  g_autofree guint *xadj = NULL;
  g_autofree guint *adjncy = NULL;
  g_autofree double *length = NULL;
  g_autoptr(GpPartition) partition = NULL;
  g_autofree gint *locked = NULL;
  GpPartitionGraph graph = { 0 };
  GpPartitionOptions popts;
  guint m = 0, trimmed;

  cells->grid = g_new (guint, n + 1);
  for (guint i = 0; i < n; i++)
    cells->grid[i] = NONE;

  for (guint i = 0; i < n; i++)
    geom_segments (ctx, cells->geom[i], i, 0, segs, scratch);
  /* Neighbours are cells whose outlines run together (within TOUCH): a tolerance any wider
   * would make neighbours of two cells with a thin third one between them. Borders that do
   * not quite meet are made to: overlaps are trimmed here, gaps shared out just below. */
  pairs = segment_pairs (segs, TOUCH, FALSE);
  trimmed = trim_overlaps (job, cells, pairs);
  if (trimmed > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE, "%s: %u unit overlapped another and was trimmed",
                                "%s: %u units overlapped others and were trimmed", trimmed),
              area_label (job), trimmed);
  drop_fragments (ctx, cells, pairs, job->options->snap);

  /* Where households are, before the cells grow: the report finds them again in the grids. */
  cells->point_xy = g_new (double, 2 * (gsize) n + 1);
  for (guint i = 0; i < n; i++)
    {
      GEOSGeometry *p = cells->geom[i] != NULL ? GEOSPointOnSurface_r (ctx, cells->geom[i]) : NULL;

      cells->point_xy[2 * i] = cells->point_xy[2 * i + 1] = NAN;
      if (p != NULL && GEOSisEmpty_r (ctx, p) == 0)
        {
          GEOSGeomGetX_r (ctx, p, &cells->point_xy[2 * i]);
          GEOSGeomGetY_r (ctx, p, &cells->point_xy[2 * i + 1]);
        }
      geom_free (ctx, p);
    }

  /* Each cell takes its share of the territory no cell covers (roads, yards, slivers), the part
   * nearest to it, so that neighbours across a road are neighbours and a grid made of cells is
   * one piece of land. Clean coverages skip this. */
  if (free_area != NULL && leaves_gaps (ctx, free_area, cells->geom, n))
    {
      g_autofree double *exposed = g_new0 (double, n + 1);
      guint stranded = 0;

      for (guint i = 0; i < n; i++)
        if (cells->geom[i] != NULL && !GEOSLength_r (ctx, cells->geom[i], &exposed[i]))
          exposed[i] = 0.0;
      for (guint p = 0; p < pairs->len; p++)
        {
          const PairRec *r = &g_array_index (pairs, PairRec, p);

          exposed[r->u] -= r->shared;
          exposed[r->v] -= r->shared;
        }
      /* Outlines shared but for a few millimetres border no ground worth sampling. */
      for (guint i = 0; i < n; i++)
        if (exposed[i] < EXPOSED_MIN)
          exposed[i] = 0.0;
      /* Shared out along the middle of the ground in one go; what rounding or a failing
       * overlay leaves is handed out piece by piece. */
      if (gp_split_territories (ctx, free_area, cells->geom, n, exposed, &stranded) && stranded > 0)
        job_note (job, g_dngettext (GETTEXT_PACKAGE,
                                    "%s: %u piece of territory touches no unit or grid; it went to the nearest one",
                                    "%s: %u pieces of territory touch no unit or grid; each went to the nearest one",
                                    stranded),
                  area_label (job), stranded);
      if (leaves_gaps (ctx, free_area, cells->geom, n) && !hand_out_gaps (job, free_area, cells->geom, n, error))
        return FALSE;
      if (job_cancelled (job, error))
        return FALSE;
      job_progress (job, PROGRESS_TERRITORIES);
      g_array_set_size (segs, 0);
      for (guint i = 0; i < n; i++)
        geom_segments (ctx, cells->geom[i], i, 0, segs, scratch);
      g_clear_pointer (&pairs, g_array_unref);
      /* Territories tile the area: neighbours are those that really touch now. */
      pairs = segment_pairs (segs, TOUCH, FALSE);
    }

  for (guint i = 0; i < n; i++)
    {
      GEOSGeometry *c;

      index[i] = NONE;
      if (cells->geom[i] == NULL || geom_area (ctx, cells->geom[i]) <= 0.0)
        {
          geom_free (ctx, cells->geom[i]);
          cells->geom[i] = NULL;
          continue;
        }
      index[i] = m;
      cell_of[m] = i;
      area[m] = geom_area (ctx, cells->geom[i]);
      if (!GEOSLength_r (ctx, cells->geom[i], &perimeter[m]))
        perimeter[m] = 0.0;
      c = GEOSGetCentroid_r (ctx, cells->geom[i]);
      if (c == NULL || !GEOSGeomGetX_r (ctx, c, &x[m]) || !GEOSGeomGetY_r (ctx, c, &y[m]))
        {
          geom_free (ctx, c);
          gp_geom_set_error (error, _("cannot find the centre of a unit"));
          return FALSE;
        }
      geom_free (ctx, c);
      weight[m] = cells->households[i];
      m++;
    }

  for (guint p = 0; p < pairs->len; p++)
    {
      const PairRec *r = &g_array_index (pairs, PairRec, p);

      if (r->shared > 1e-6 && index[r->u] != NONE && index[r->v] != NONE)
        {
          Edge e = { index[r->u], index[r->v], r->shared };

          g_array_append_val (edges, e);
          shared_total[e.u] += r->shared;
          shared_total[e.v] += r->shared;
        }
    }

  {
    /* link_pieces works on cells: give it the compacted view. */
    Cells view = { m, g_new (GEOSGeometry *, m + 1), NULL, NULL, NULL, NULL };

    for (guint v = 0; v < m; v++)
      view.geom[v] = cells->geom[cell_of[v]];
    link_pieces (job, &view, perimeter, shared_total, edges);
    g_free (view.geom);
  }

  xadj = g_new0 (guint, m + 1);
  for (guint e = 0; e < edges->len; e++)
    {
      Edge *ed = &g_array_index (edges, Edge, e);
      xadj[ed->u + 1]++;
      xadj[ed->v + 1]++;
    }
  for (guint v = 0; v < m; v++)
    xadj[v + 1] += xadj[v];
  adjncy = g_new (guint, xadj[m] + 1);
  length = g_new (double, xadj[m] + 1);
  {
    g_autofree guint *fill = g_memdup2 (xadj, (m + 1) * sizeof (guint));

    for (guint e = 0; e < edges->len; e++)
      {
        Edge *ed = &g_array_index (edges, Edge, e);

        adjncy[fill[ed->u]] = ed->v;
        length[fill[ed->u]++] = ed->len;
        adjncy[fill[ed->v]] = ed->u;
        length[fill[ed->v]++] = ed->len;
      }
  }

  if (m == 0)
    {
      /* Nothing to group: the whole free territory is one grid without households. */
      made->k = 0;
      if (free_area != NULL && geom_area (ctx, free_area) > 0.0)
        {
          made->k = 1;
          made->geom = g_new0 (GEOSGeometry *, 1);
          made->geom[0] = GEOSGeom_clone_r (ctx, free_area);
          made->households = g_new0 (double, 1);
          made->n_cells = g_new0 (guint, 1);
          made->flags = g_new0 (GpPartitionGridFlags, 1);
        }
      return TRUE;
    }

  graph.n_units = m;
  graph.households = weight;
  graph.x = x;
  graph.y = y;
  graph.area = area;
  graph.perimeter = perimeter;
  graph.xadj = xadj;
  graph.adjncy = adjncy;
  graph.shared_length = length;
  /* A re-split keeps what no change touched (units mode: earlier grids are sets of units). */
  if (job->in->n_previous > 0 && !job->options->fresh && cells->n == job->in->n_units
      && cells->kind_units)
    {
      locked = keep_unchanged (job, index, n, m, xadj, adjncy, weight);
      graph.locked = locked;
    }
  gp_partition_options_init (&popts);
  popts.target = job->options->target;
  popts.tolerance = job->options->tolerance;
  popts.seed = job->options->seed;
  partition = gp_partition_compute (&graph, &popts, error);
  if (partition == NULL || job_cancelled (job, error))
    return FALSE;
  job_progress (job, PROGRESS_PARTITION);
  if (partition->explanation != NULL)
    job_explain (job, partition->explanation);

  made->k = partition->n_grids;
  made->geom = g_new0 (GEOSGeometry *, made->k + 1);
  made->households = g_new0 (double, made->k + 1);
  made->n_cells = g_new0 (guint, made->k + 1);
  made->flags = g_new0 (GpPartitionGridFlags, made->k + 1);
  {
    g_autofree GPtrArray **members = g_new0 (GPtrArray *, made->k + 1);

    for (guint g = 0; g < made->k; g++)
      {
        members[g] = g_ptr_array_new ();
        made->flags[g] = partition->grids[g].flags;
      }
    for (guint v = 0; v < m; v++)
      {
        guint g = partition->grid_of_unit[v], i = cell_of[v];

        cells->grid[i] = g;
        made->households[g] += cells->households[i];
        made->n_cells[g]++;
        g_ptr_array_add (members[g], GEOSGeom_clone_r (ctx, cells->geom[i]));
      }
    for (guint g = 0; g < made->k; g++)
      {
        made->geom[g] = union_take (ctx, members[g]);
        g_ptr_array_unref (members[g]);
      }
  }
  if (!leaves_gaps (ctx, free_area, made->geom, made->k))
    return TRUE;
  return hand_out_gaps (job, free_area, made->geom, made->k, error);
}

/* ---------------------------------------------------------------------------------------------
 * The three modes: each makes cells
 * ------------------------------------------------------------------------------------------- */

/* Units clipped to the free territory; those outside it are left out with a note. */
static gboolean
cells_from_units (Job *job, const gboolean *in_fixed, GEOSGeometry **unit_geom,
                  const GEOSGeometry *parent, const GEOSGeometry *free_area, gboolean clip,
                  Cells *cells, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  const GEOSPreparedGeometry *prepared = NULL;
  guint outside = 0, under_fixed = 0;
  g_autofree char *first_outside = NULL;

  cells->n = in->n_units;
  cells->kind_units = TRUE;
  cells->geom = g_new0 (GEOSGeometry *, in->n_units + 1);
  cells->households = g_new0 (double, in->n_units + 1);
  cells->cut = g_new0 (gboolean, in->n_units + 1);
  if (clip && free_area != NULL)
    prepared = GEOSPrepare_r (ctx, free_area);
  for (guint u = 0; u < in->n_units; u++)
    {
      GEOSGeometry *g = unit_geom[u];
      double h = in->unit_households != NULL ? in->unit_households[u] : 0.0;

      cells->households[u] = isfinite (h) && h > 0.0 ? h : 0.0;
      if (in_fixed[u] || g == NULL)
        continue;
      if (free_area == NULL)
        {
          outside++;
          continue;
        }
      if (prepared != NULL && GEOSPreparedContainsProperly_r (ctx, prepared, g) != 1)
        {
          GEOSGeometry *clipped = NULL;
          double before = geom_area (ctx, g);

          if (GEOSPreparedIntersects_r (ctx, prepared, g) == 1)
            clipped = gp_split_intersection (ctx, g, free_area);
          if (clipped == NULL || geom_area (ctx, clipped) <= MAX (1e-9 * before, 1e-6))
            {
              geom_free (ctx, clipped);
              if (job->in->n_fixed > 0 && GEOSIntersects_r (ctx, parent, g) == 1)
                under_fixed++;
              else
                {
                  if (first_outside == NULL)
                    first_outside = unit_label (job, u);
                  outside++;
                }
              continue;
            }
          cells->geom[u] = clipped;
          cells->cut[u] = TRUE;
        }
      else
        cells->geom[u] = GEOSGeom_clone_r (ctx, g);
    }
  if (prepared != NULL)
    GEOSPreparedGeom_destroy_r (ctx, prepared);
  if (outside > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE, "%s: %u unit (%s) lies outside the area and was left out",
                                "%s: %u units (the first: %s) lie outside the area and were left out",
                                outside),
              area_label (job), outside, first_outside != NULL ? first_outside : "?");
  if (under_fixed > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE,
                                "%s: %u unit lies under a locked or exclusive grid and was left out",
                                "%s: %u units lie under locked or exclusive grids and were left out",
                                under_fixed),
              area_label (job), under_fixed);
  (void) error;
  return TRUE;
}

typedef struct {
  double x, y;
  double households;
  guint  first;   /* first input point at this place */
} Site;

static int
compare_site (const void *pa, const void *pb)
{
  const Site *a = pa, *b = pb;
  int c = compare_xy (a->x, a->y, b->x, b->y);

  return c != 0 ? c : (a->first < b->first ? -1 : a->first > b->first);
}

/* Quadtree over SITES[lo..hi) (reordered in place): a leaf holds at most LIMIT households
 * (or a handful of places, or sits deep); each leaf appends its weighted centre to OUT. */
static void
quadtree_leaves (Site *sites, guint lo, guint hi, double x0, double y0, double size, double limit,
                 guint depth, GArray *out)
{
  double w = 0.0, sx = 0.0, sy = 0.0, half = size / 2.0;
  guint first = G_MAXUINT, bounds[5];

  for (guint i = lo; i < hi; i++)
    {
      w += sites[i].households;
      first = MIN (first, sites[i].first);
    }
  if (w <= limit || hi - lo <= 4 || depth >= 24)
    {
      Site leaf = { 0.0, 0.0, 0.0, first };

      for (guint i = lo; i < hi; i++)
        {
          double weight = w > 0.0 ? sites[i].households : 1.0;

          sx += weight * sites[i].x;
          sy += weight * sites[i].y;
        }
      leaf.x = sx / (w > 0.0 ? w : (double) (hi - lo));
      leaf.y = sy / (w > 0.0 ? w : (double) (hi - lo));
      g_array_append_val (out, leaf);
      return;
    }
  /* Partition into the four quarters: south-west, south-east, north-west, north-east. */
  bounds[0] = lo;
  bounds[4] = hi;
  for (guint q = 0, start = lo; q < 3; q++)
    {
      for (guint i = start; i < hi; i++)
        {
          guint quarter = (sites[i].x >= x0 + half ? 1u : 0u) + (sites[i].y >= y0 + half ? 2u : 0u);

          if (quarter == q)
            {
              Site t = sites[start];
              sites[start++] = sites[i];
              sites[i] = t;
            }
        }
      bounds[q + 1] = start;
    }
  for (guint q = 0; q < 4; q++)
    if (bounds[q + 1] > bounds[q])
      quadtree_leaves (sites, bounds[q], bounds[q + 1], x0 + (q & 1 ? half : 0.0),
                       y0 + (q & 2 ? half : 0.0), half, limit, depth + 1, out);
}

/* Very many household points (more than 20 places per grid to be made): the places are merged
 * into about T/20-household clusters (leaves of a quadtree, finer where households crowd), and
 * each place then joins the cluster centre nearest to it, so that every household lies in its
 * cluster's Voronoi cell. SITE_OF (per input point) is remapped. */
static void
reduce_sites (Job *job, GArray *sites, guint *site_of, guint n_points)
{
  double total = 0.0, minx = DBL_MAX, miny = DBL_MAX, maxx = -DBL_MAX, maxy = -DBL_MAX, size, c;
  g_autoptr(GArray) leaves = NULL;
  g_autofree guint *map = NULL;
  g_autofree guint *cell_start = NULL;
  g_autofree guint *cell_items = NULL;
  guint k, nx, ny;
  Site *s = (Site *) sites->data;

  for (guint i = 0; i < sites->len; i++)
    {
      total += s[i].households;
      minx = MIN (minx, s[i].x);
      miny = MIN (miny, s[i].y);
      maxx = MAX (maxx, s[i].x);
      maxy = MAX (maxy, s[i].y);
    }
  k = (guint) MAX (1.0, round (total / job->options->target));
  if (sites->len <= MAX (20u * k, 20000u))
    return;

  {
    g_autoptr(GArray) copy = g_array_sized_new (FALSE, FALSE, sizeof (Site), sites->len);

    g_array_append_vals (copy, sites->data, sites->len);
    leaves = g_array_new (FALSE, FALSE, sizeof (Site));
    size = MAX (maxx - minx, maxy - miny) * (1.0 + 1e-9) + 1e-9;
    quadtree_leaves ((Site *) copy->data, 0, copy->len, minx, miny, size, job->options->target / 20.0, 0,
                     leaves);
  }

  /* Nearest leaf centre of each place: a uniform grid of cells over the centres, searched in
   * growing rings until no nearer centre can lie further out. */
  c = sqrt ((maxx - minx + 1e-9) * (maxy - miny + 1e-9) / leaves->len) + 1e-9;
  nx = (guint) ((maxx - minx) / c) + 1;
  ny = (guint) ((maxy - miny) / c) + 1;
  cell_start = g_new0 (guint, (gsize) nx * ny + 1);
  for (guint j = 0; j < leaves->len; j++)
    {
      const Site *l = &g_array_index (leaves, Site, j);
      guint cx = MIN ((guint) ((l->x - minx) / c), nx - 1), cy = MIN ((guint) ((l->y - miny) / c), ny - 1);

      cell_start[(gsize) cy * nx + cx + 1]++;
    }
  for (gsize q = 0; q < (gsize) nx * ny; q++)
    cell_start[q + 1] += cell_start[q];
  cell_items = g_new (guint, leaves->len + 1);
  {
    g_autofree guint *fill = g_memdup2 (cell_start, ((gsize) nx * ny + 1) * sizeof (guint));

    for (guint j = 0; j < leaves->len; j++)
      {
        const Site *l = &g_array_index (leaves, Site, j);
        guint cx = MIN ((guint) ((l->x - minx) / c), nx - 1), cy = MIN ((guint) ((l->y - miny) / c), ny - 1);

        cell_items[fill[(gsize) cy * nx + cx]++] = j;
      }
  }
  map = g_new (guint, sites->len + 1);
  for (guint i = 0; i < sites->len; i++)
    {
      guint cx = MIN ((guint) ((s[i].x - minx) / c), nx - 1), cy = MIN ((guint) ((s[i].y - miny) / c), ny - 1);
      double best = DBL_MAX;
      guint best_j = 0;

      for (guint r = 0; r < MAX (nx, ny); r++)
        {
          /* Everything in ring r is at least (r - 1)·c away. */
          if (best < DBL_MAX && (r - 1.0) * c > sqrt (best))
            break;
          for (gint dy = -(gint) r; dy <= (gint) r; dy++)
            for (gint dx = -(gint) r; dx <= (gint) r; dx++)
              {
                gint qx = (gint) cx + dx, qy = (gint) cy + dy;

                if ((guint) ABS (dx) != r && (guint) ABS (dy) != r)
                  continue;
                if (qx < 0 || qy < 0 || qx >= (gint) nx || qy >= (gint) ny)
                  continue;
                for (guint e = cell_start[(gsize) qy * nx + qx]; e < cell_start[(gsize) qy * nx + qx + 1]; e++)
                  {
                    const Site *l = &g_array_index (leaves, Site, cell_items[e]);
                    double d = (l->x - s[i].x) * (l->x - s[i].x) + (l->y - s[i].y) * (l->y - s[i].y);

                    if (d < best || (d == best && cell_items[e] < best_j))
                      {
                        best = d;
                        best_j = cell_items[e];
                      }
                  }
              }
        }
      map[i] = best_j;
    }
  for (guint j = 0; j < leaves->len; j++)
    g_array_index (leaves, Site, j).households = 0.0;
  for (guint i = 0; i < sites->len; i++)
    g_array_index (leaves, Site, map[i]).households += s[i].households;
  for (guint p = 0; p < n_points; p++)
    if (site_of[p] != NONE)
      site_of[p] = map[site_of[p]];
  g_array_set_size (sites, 0);
  g_array_append_vals (sites, leaves->data, leaves->len);
}

/* Household points: one cell per place (points at the same place merged), its Voronoi cell
 * clipped to the free territory. SITE_OF gets each input point's cell (NONE: outside). */
static gboolean
cells_from_points (Job *job, const double *local_xy, const GEOSGeometry *free_area, Cells *cells,
                   guint *site_of, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  g_autoptr(GArray) sites = g_array_new (FALSE, FALSE, sizeof (Site));
  const GEOSPreparedGeometry *prepared = GEOSPrepare_r (ctx, free_area);
  guint outside = 0;
  GEOSGeometry *multipoint = NULL, *diagram = NULL;

  for (guint k = 0; k < in->n_points; k++)
    {
      double w = in->point_households != NULL ? in->point_households[k] : 1.0;
      Site s = { local_xy[2 * k], local_xy[2 * k + 1], isfinite (w) && w > 0.0 ? w : 0.0, k };
      GEOSGeometry *pt;
      gboolean inside;

      site_of[k] = NONE;
      if (!isfinite (s.x) || !isfinite (s.y))
        {
          outside++;
          continue;
        }
      pt = GEOSGeom_createPointFromXY_r (ctx, s.x, s.y);
      inside = GEOSPreparedCovers_r (ctx, prepared, pt) == 1;
      GEOSGeom_destroy_r (ctx, pt);
      if (!inside)
        {
          outside++;
          continue;
        }
      g_array_append_val (sites, s);
    }
  GEOSPreparedGeom_destroy_r (ctx, prepared);
  if (outside > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE, "%s: %u household point lies outside the area and was left out",
                                "%s: %u household points lie outside the area and were left out",
                                outside),
              area_label (job), outside);

  /* Merge points at one place; SITE_OF maps through the sorted order. */
  if (sites->len > 1)
    qsort (sites->data, sites->len, sizeof (Site), compare_site);
  {
    guint m = 0;

    for (guint i = 0; i < sites->len; i++)
      {
        Site *s = &g_array_index (sites, Site, i);

        if (m > 0 && g_array_index (sites, Site, m - 1).x == s->x && g_array_index (sites, Site, m - 1).y == s->y)
          {
            g_array_index (sites, Site, m - 1).households += s->households;
            site_of[s->first] = m - 1;
            continue;
          }
        site_of[s->first] = m;
        g_array_index (sites, Site, m++) = *s;
      }
    g_array_set_size (sites, m);
  }
  reduce_sites (job, sites, site_of, in->n_points);

  cells->n = sites->len;
  cells->geom = g_new0 (GEOSGeometry *, sites->len + 1);
  cells->households = g_new0 (double, sites->len + 1);
  for (guint i = 0; i < sites->len; i++)
    cells->households[i] = g_array_index (sites, Site, i).households;
  if (sites->len == 0)
    return TRUE;
  if (sites->len == 1)
    {
      cells->geom[0] = GEOSGeom_clone_r (ctx, free_area);
      return TRUE;
    }

  {
    g_autofree GEOSGeometry **points = g_new (GEOSGeometry *, sites->len);

    for (guint i = 0; i < sites->len; i++)
      points[i] = GEOSGeom_createPointFromXY_r (ctx, g_array_index (sites, Site, i).x,
                                               g_array_index (sites, Site, i).y);
    multipoint = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOINT, points, sites->len);
  }
  diagram = multipoint != NULL ? GEOSVoronoiDiagram_r (ctx, multipoint, free_area, 0.0, 0) : NULL;
  if (diagram == NULL)
    {
      geom_free (ctx, multipoint);
      gp_geom_set_error (error, _("cannot draw the cells of the household points"));
      return FALSE;
    }

  {
    GEOSSTRtree *tree = GEOSSTRtree_create_r (ctx, 10);
    const GEOSPreparedGeometry *free_prepared = GEOSPrepare_r (ctx, free_area);
    g_autofree Sample *samples = g_new (Sample, sites->len);

    for (guint i = 0; i < sites->len; i++)
      {
        samples[i] = (Sample) { g_array_index (sites, Site, i).x, g_array_index (sites, Site, i).y, i };
        GEOSSTRtree_insert_r (ctx, tree, GEOSGetGeometryN_r (ctx, multipoint, (int) i), GUINT_TO_POINTER (i + 1));
      }
    for (int c = 0; c < GEOSGetNumGeometries_r (ctx, diagram); c++)
      {
        const GEOSGeometry *cell = GEOSGetGeometryN_r (ctx, diagram, c);
        CellQuery q = { ctx, cell, samples, NONE };
        GEOSGeometry *clipped;

        GEOSSTRtree_query_r (ctx, tree, cell, cell_query_visit, &q);
        if (q.found == NONE || cells->geom[q.found] != NULL)
          continue;
        if (GEOSPreparedContainsProperly_r (ctx, free_prepared, cell) == 1)
          clipped = GEOSGeom_clone_r (ctx, cell);
        else
          clipped = gp_split_intersection (ctx, cell, free_area);
        /* A cell cut in two by the area's outline keeps the part around its point; the rest is
         * handed out with the other uncovered territory. */
        if (clipped != NULL && GEOSGeomTypeId_r (ctx, clipped) == GEOS_MULTIPOLYGON)
          {
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r (ctx, samples[q.found].x, samples[q.found].y);
            GEOSGeometry *keep = NULL;
            double best = DBL_MAX;

            for (int p = 0; p < GEOSGetNumGeometries_r (ctx, clipped); p++)
              {
                const GEOSGeometry *part = GEOSGetGeometryN_r (ctx, clipped, p);
                double d = DBL_MAX;

                if (GEOSDistance_r (ctx, part, pt, &d) && d < best)
                  {
                    best = d;
                    geom_free (ctx, keep);
                    keep = GEOSGeom_clone_r (ctx, part);
                  }
              }
            GEOSGeom_destroy_r (ctx, pt);
            GEOSGeom_destroy_r (ctx, clipped);
            clipped = keep;
          }
        cells->geom[q.found] = clipped;
      }
    GEOSPreparedGeom_destroy_r (ctx, free_prepared);
    GEOSSTRtree_destroy_r (ctx, tree);
  }
  geom_free (ctx, diagram);
  geom_free (ctx, multipoint);
  return TRUE;
}

/* Geometry only: a seeded lattice of hexagons over the free territory, each cell weighted by
 * its share of the area, about 40 cells per grid so that the pieces can be balanced finely. */
static gboolean
cells_from_lattice (Job *job, const GEOSGeometry *free_area, double households, Cells *cells,
                    GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  double total_area = geom_area (ctx, free_area), minx, miny, maxx, maxy, r, w, h, ox, oy;
  guint k = (guint) MAX (1.0, round (households / job->options->target));
  guint want = CLAMP (40 * k, 1u, 20000u);
  g_autoptr(GPtrArray) geoms = g_ptr_array_new ();
  const GEOSPreparedGeometry *prepared;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (job->options->seed ^ (job->options->seed >> 32)));

  if (k <= 1 || total_area <= 0.0)
    {
      cells->n = 1;
      cells->geom = g_new0 (GEOSGeometry *, 1);
      cells->households = g_new0 (double, 1);
      cells->geom[0] = GEOSGeom_clone_r (ctx, free_area);
      cells->households[0] = households;
      return TRUE;
    }
  if (!GEOSGeom_getXMin_r (ctx, free_area, &minx) || !GEOSGeom_getYMin_r (ctx, free_area, &miny)
      || !GEOSGeom_getXMax_r (ctx, free_area, &maxx) || !GEOSGeom_getYMax_r (ctx, free_area, &maxy))
    {
      gp_geom_set_error (error, _("cannot measure the area"));
      return FALSE;
    }
  /* Pointy-top hexagons of radius r: area 3√3/2·r², columns √3·r apart, rows 1.5·r apart. */
  r = sqrt (total_area / want / (1.5 * sqrt (3.0)));
  w = sqrt (3.0) * r;
  h = 1.5 * r;
  ox = minx - g_rand_double (rand) * w;
  oy = miny - g_rand_double (rand) * h;
  prepared = GEOSPrepare_r (ctx, free_area);
  for (guint row = 0; oy + (row - 1.0) * h <= maxy + r; row++)
    for (guint col = 0; ox + (col - 1.0) * w <= maxx + w; col++)
      {
        /* Corners on a lattice of half-columns (w/2) and half-radii (r/2), computed from whole
         * numbers so that neighbouring hexagons share their corners exactly. */
        static const int corner[7][2] = { { 1, 1 }, { 0, 2 }, { -1, 1 }, { -1, -1 }, { 0, -2 }, { 1, -1 }, { 1, 1 } };
        int kx = 2 * (int) col + (int) (row % 2), ky = 3 * (int) row;
        GEOSCoordSequence *seq = GEOSCoordSeq_create_r (ctx, 7, 2);
        GEOSGeometry *ring, *hex, *clipped;

        for (int i = 0; i < 7; i++)
          GEOSCoordSeq_setXY_r (ctx, seq, (unsigned) i, ox + (kx + corner[i][0]) * (w / 2.0),
                                oy + (ky + corner[i][1]) * (r / 2.0));
        ring = GEOSGeom_createLinearRing_r (ctx, seq);
        hex = GEOSGeom_createPolygon_r (ctx, ring, NULL, 0);
        if (GEOSPreparedIntersects_r (ctx, prepared, hex) != 1)
          {
            GEOSGeom_destroy_r (ctx, hex);
            continue;
          }
        if (GEOSPreparedContainsProperly_r (ctx, prepared, hex) == 1)
          clipped = hex;
        else
          {
            clipped = gp_split_intersection (ctx, hex, free_area);
            GEOSGeom_destroy_r (ctx, hex);
          }
        if (clipped == NULL)
          continue;
        /* A hexagon cut in pieces by the outline: each piece a cell of its own. */
        gp_split_collect_polygons (ctx, clipped, geoms);
        GEOSGeom_destroy_r (ctx, clipped);
      }
  GEOSPreparedGeom_destroy_r (ctx, prepared);

  cells->n = geoms->len;
  cells->geom = g_new0 (GEOSGeometry *, geoms->len + 1);
  cells->households = g_new0 (double, geoms->len + 1);
  for (guint i = 0; i < geoms->len; i++)
    {
      cells->geom[i] = g_ptr_array_index (geoms, i);
      cells->households[i] = households * geom_area (ctx, cells->geom[i]) / total_area;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * One area from start to end
 * ------------------------------------------------------------------------------------------- */

static int
compare_point (const void *pa, const void *pb)
{
  const double *a = pa, *b = pb;

  return compare_xy (a[0], a[1], b[0], b[1]);
}

static double
cross3 (const double *o, const double *a, const double *b)
{
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/* The convex hull of the finite points (x, y interleaved) as a polygon, or NULL when they do
 * not span an area. (Andrew's monotone chain: GEOS would first need a million point objects.) */
static GEOSGeometry *
convex_hull (GEOSContextHandle_t ctx, const double *xy, guint n)
{
  g_autofree double *p = g_new (double, 2 * (gsize) n + 2);
  g_autofree double *h = NULL;
  GEOSCoordSequence *seq;
  GEOSGeometry *ring;
  guint m = 0, k = 0;

  for (guint i = 0; i < n; i++)
    if (isfinite (xy[2 * i]) && isfinite (xy[2 * i + 1]))
      {
        p[2 * m] = xy[2 * i];
        p[2 * m + 1] = xy[2 * i + 1];
        m++;
      }
  if (m < 3)
    return NULL;
  qsort (p, m, 2 * sizeof (double), compare_point);
  h = g_new (double, 4 * (gsize) m + 4);
  for (guint i = 0; i < m; i++)
    {
      while (k >= 2 && cross3 (h + 2 * (k - 2), h + 2 * (k - 1), p + 2 * i) <= 0.0)
        k--;
      memcpy (h + 2 * k++, p + 2 * i, 2 * sizeof (double));
    }
  for (guint i = m - 1, lower = k + 1; i-- > 0;)
    {
      while (k >= lower && cross3 (h + 2 * (k - 2), h + 2 * (k - 1), p + 2 * i) <= 0.0)
        k--;
      memcpy (h + 2 * k++, p + 2 * i, 2 * sizeof (double));
    }
  /* k counts the first point twice (closing the ring); a line has fewer than 4. */
  if (k < 4)
    return NULL;
  seq = GEOSCoordSeq_copyFromBuffer_r (ctx, h, k, 0, 0);
  ring = seq != NULL ? GEOSGeom_createLinearRing_r (ctx, seq) : NULL;
  return ring != NULL ? GEOSGeom_createPolygon_r (ctx, ring, NULL, 0) : NULL;
}

static GpSplitMode
choose_mode (const GpSplitArea *in, GpSplitMode asked)
{
  gboolean has_units = FALSE;

  for (guint u = 0; u < in->n_units && !has_units; u++)
    has_units = in->units[u] != NULL && in->units[u]->kind == GP_SHAPE_POLYGON
                && !gp_shape_is_empty (in->units[u]);
  if (asked != GP_SPLIT_MODE_AUTO)
    return asked;
  if (has_units)
    return GP_SPLIT_MODE_UNITS;
  if (in->n_points > 0)
    return GP_SPLIT_MODE_POINTS;
  return GP_SPLIT_MODE_GEOMETRY;
}

typedef struct {
  GEOSGeometry *geom;        /* local */
  double        households;
  guint        *units;
  guint         n_units;
  GpSplitGridFlags flags;
  char         *code;
  double        x, y, area;
  guint         order;       /* fixed grids: their index in the input */
} Out;

static void
out_clear (GEOSContextHandle_t ctx, Out *o)
{
  geom_free (ctx, o->geom);
  g_free (o->units);
  g_free (o->code);
}

static int
compare_out_code (const void *pa, const void *pb)
{
  const Out *a = pa, *b = pb;

  /* Fixed grids first, in the order given; then by code. */
  if ((a->flags & GP_SPLIT_GRID_FIXED) != (b->flags & GP_SPLIT_GRID_FIXED))
    return (a->flags & GP_SPLIT_GRID_FIXED) ? -1 : 1;
  if (a->flags & GP_SPLIT_GRID_FIXED)
    return a->order < b->order ? -1 : a->order > b->order;
  return g_strcmp0 (a->code, b->code);
}

typedef struct {
  GHashTable *index;       /* (new << 32 | old) → position in shares + 1 */
  GArray     *shares;      /* of GpCodesShare */
  double     *old_weight;
} ShareAdder;

static void
share_add (ShareAdder *add, guint g, guint p, double w)
{
  gint64 key = ((gint64) g << 32) | p;
  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (add->index, &key));

  if (at == 0)
    {
      GpCodesShare s = { g, p, 0.0 };

      g_array_append_val (add->shares, s);
      at = add->shares->len;
      g_hash_table_insert (add->index, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (at));
    }
  g_array_index (add->shares, GpCodesShare, at - 1).shared += w;
  add->old_weight[p] += w;
}

/* Households a new grid shares with each earlier grid (codes follow ground). NEW_WEIGHT per new
 * grid and OLD_WEIGHT per earlier grid are what each holds now; units and household points are
 * counted where they lie, and in the geometry mode ground counts by its area. Appends to SHARES. */
static void
code_shares (Job *job, GpSplitMode mode, Out *news, guint n_new, const double *local_points,
             const Cells *cells, GArray *shares, double *new_weight, double *old_weight)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  /* A unit without households still counts a little: an empty grid still has a place. */
  const double presence = 1e-6;
  g_autofree GEOSGeometry **old_geom = NULL;
  g_autofree const GEOSPreparedGeometry **old_prepared = NULL;
  g_autoptr(GHashTable) pairs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ShareAdder add = { pairs, shares, old_weight };
  GEOSSTRtree *tree = NULL;
  g_autofree guint *old_of_unit = NULL;
  gboolean by_units = mode == GP_SPLIT_MODE_UNITS;

  for (guint p = 0; p < in->n_previous && by_units; p++)
    if (in->previous[p].n_units == 0)
      by_units = FALSE;

  for (guint g = 0; g < n_new; g++)
    {
      Out *o = &news[g];

      new_weight[g] = mode == GP_SPLIT_MODE_GEOMETRY ? o->area : o->households + presence * o->n_units;
    }
  if (by_units)
    {
      old_of_unit = g_new (guint, in->n_units + 1);
      for (guint u = 0; u < in->n_units; u++)
        old_of_unit[u] = NONE;
      for (guint p = 0; p < in->n_previous; p++)
        for (guint i = 0; i < in->previous[p].n_units; i++)
          if (in->previous[p].units[i] < in->n_units && old_of_unit[in->previous[p].units[i]] == NONE)
            old_of_unit[in->previous[p].units[i]] = p;
      for (guint g = 0; g < n_new; g++)
        for (guint i = 0; i < news[g].n_units; i++)
          {
            guint u = news[g].units[i], p = old_of_unit[u];
            double h = in->unit_households != NULL && in->unit_households[u] > 0.0 ? in->unit_households[u] : 0.0;

            if (p != NONE)
              share_add (&add, g, p, h + presence);
          }
      return;
    }

  /* Other modes: where the earlier grids lay. */
  old_geom = g_new0 (GEOSGeometry *, in->n_previous + 1);
  old_prepared = g_new0 (const GEOSPreparedGeometry *, in->n_previous + 1);
  tree = GEOSSTRtree_create_r (ctx, 10);
  for (guint p = 0; p < in->n_previous; p++)
    if (in->previous[p].shape != NULL)
      {
        old_geom[p] = to_local (job, in->previous[p].shape, NULL);
        if (old_geom[p] != NULL)
          {
            old_prepared[p] = GEOSPrepare_r (ctx, old_geom[p]);
            GEOSSTRtree_insert_r (ctx, tree, old_geom[p], GUINT_TO_POINTER (p + 1));
          }
      }
  for (guint g = 0; g < n_new; g++)
    {
      Out *o = &news[g];

      if (mode == GP_SPLIT_MODE_GEOMETRY || o->geom == NULL)
        {
          for (guint p = 0; p < in->n_previous && o->geom != NULL; p++)
            {
              GEOSGeometry *common;

              if (old_prepared[p] == NULL || GEOSPreparedIntersects_r (ctx, old_prepared[p], o->geom) != 1)
                continue;
              common = gp_split_intersection (ctx, o->geom, old_geom[p]);
              if (geom_area (ctx, common) > 0.0)
                share_add (&add, g, p, geom_area (ctx, common));
              geom_free (ctx, common);
            }
          continue;
        }
      /* Units or household points of this grid, located in the earlier grids. */
      for (guint i = 0; i < o->n_units; i++)
        {
          guint k = o->units[i];
          double px, py, h;
          GEOSGeometry *pt;

          if (mode == GP_SPLIT_MODE_POINTS)
            {
              px = local_points[2 * k];
              py = local_points[2 * k + 1];
              h = in->point_households != NULL ? in->point_households[k] : 1.0;
            }
          else
            {
              px = cells->point_xy != NULL && k < cells->n ? cells->point_xy[2 * k] : NAN;
              py = cells->point_xy != NULL && k < cells->n ? cells->point_xy[2 * k + 1] : NAN;
              h = in->unit_households != NULL ? in->unit_households[k] : 0.0;
            }
          if (!isfinite (px) || !isfinite (py))
            continue;
          h = isfinite (h) && h > 0.0 ? h : 0.0;
          pt = GEOSGeom_createPointFromXY_r (ctx, px, py);
          for (guint p = 0; p < in->n_previous; p++)
            if (old_prepared[p] != NULL && GEOSPreparedIntersects_r (ctx, old_prepared[p], pt) == 1)
              {
                share_add (&add, g, p, h + presence);
                break;
              }
          GEOSGeom_destroy_r (ctx, pt);
        }
    }
  GEOSSTRtree_destroy_r (ctx, tree);
  for (guint p = 0; p < in->n_previous; p++)
    {
      if (old_prepared[p] != NULL)
        GEOSPreparedGeom_destroy_r (ctx, old_prepared[p]);
      geom_free (ctx, old_geom[p]);
    }
}

/* ---- an area from its units ---- */

static int
compare_double (const void *pa, const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;

  return a < b ? -1 : a > b;
}

typedef struct {
  GEOSContextHandle_t ctx;
  GEOSGeometry      **geom;
} GapQuery;

static int
other_unit_distance (const void *item1, const void *item2, double *distance, void *user_data)
{
  GapQuery *q = user_data;
  guint a = GPOINTER_TO_UINT (item1) - 1, b = GPOINTER_TO_UINT (item2) - 1;

  if (a == b)
    {
      *distance = DBL_MAX;
      return 1;
    }
  return GEOSDistanceIndexed_r (q->ctx, q->geom[a], q->geom[b], distance);
}

/* Units that tile (or a single one): the area is their union. */
static GEOSGeometry *
units_union (GEOSContextHandle_t ctx, GEOSGeometry **unit_geom, guint n)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint u = 0; u < n; u++)
    if (unit_geom[u] != NULL)
      g_ptr_array_add (parts, GEOSGeom_clone_r (ctx, unit_geom[u]));
  return union_take (ctx, parts);
}

/* Streets vary in width: the gap from a unit to its nearest neighbour is taken at this
 * quantile (most units, not the narrowest lanes), and ground up to twice that wide joins units
 * into one area; wider gaps (a river, open country) leave islands. */
#define JOIN_GAP_QUANTILE 0.9
/* Units whose gap to their nearest neighbour is measured (every n/GAP_SAMPLES-th). */
#define GAP_SAMPLES 256

/* Without an area polygon, the area is its units and the ground between them: streets up to
 * twice as wide as the typical gap between a unit and its nearest neighbour are closed over (a
 * morphological closing with mitred corners, which keeps straight outlines straight). Units that tile have
 * no gap and give their union as it is. CLIP: set when the units must be clipped to the area
 * (it is no longer their exact union). */
static GEOSGeometry *
area_from_units (Job *job, GEOSGeometry **unit_geom, gboolean *clip)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  GapQuery q = { ctx, unit_geom };
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  GEOSSTRtree *tree;
  GEOSGeometry *grown, *closed;
  double gap, d;

  tree = GEOSSTRtree_create_r (ctx, 10);
  for (guint u = 0; u < in->n_units; u++)
    if (unit_geom[u] != NULL)
      GEOSSTRtree_insert_r (ctx, tree, unit_geom[u], GUINT_TO_POINTER (u + 1));
  /* The gaps of a few hundred units spread through the list tell the typical street. */
  for (guint u = 0; u < in->n_units; u += MAX (1u, in->n_units / GAP_SAMPLES))
    {
      const void *found;
      double dist = DBL_MAX;

      if (unit_geom[u] == NULL)
        continue;
      found = GEOSSTRtree_nearest_generic_r (ctx, tree, GUINT_TO_POINTER (u + 1), unit_geom[u],
                                             other_unit_distance, &q);
      if (found != NULL && GEOSDistanceIndexed_r (ctx, unit_geom[u], unit_geom[GPOINTER_TO_UINT (found) - 1], &dist)
          && dist < DBL_MAX)
        g_array_append_val (gaps, dist);
    }
  GEOSSTRtree_destroy_r (ctx, tree);
  if (gaps->len > 1)
    qsort (gaps->data, gaps->len, sizeof (double), compare_double);
  /* Most units touching a neighbour: they tile (islands aside), and the area is their union. */
  if (gaps->len == 0 || !(g_array_index (gaps, double, gaps->len / 2) > TOUCH))
    return units_union (ctx, unit_geom, in->n_units);
  gap = g_array_index (gaps, double, (guint) (JOIN_GAP_QUANTILE * (gaps->len - 1)));
  d = gap;
  /* Dilation unit by unit (small buffers) joined in one cascaded union, then one erosion of an
   * outline that has lost its streets: far cheaper than buffering the union of all the units. */
  {
    g_autoptr(GPtrArray) parts = g_ptr_array_new ();
    GEOSGeometry *collection;

    for (guint u = 0; u < in->n_units; u++)
      if (unit_geom[u] != NULL)
        {
          GEOSGeometry *b = GEOSBufferWithStyle_r (ctx, unit_geom[u], d, 1, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 4.0);

          if (b != NULL)
            g_ptr_array_add (parts, b);
        }
    collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) parts->pdata, parts->len);
    g_ptr_array_set_size (parts, 0);
    grown = collection != NULL ? gp_split_union (ctx, collection) : NULL;
    geom_free (ctx, collection);
  }
  closed = grown != NULL ? GEOSBufferWithStyle_r (ctx, grown, -d, 1, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 4.0) : NULL;
  geom_free (ctx, grown);
  closed = gp_split_polygonal (ctx, closed);
  if (closed == NULL)
    return units_union (ctx, unit_geom, in->n_units);
  /* The closing never takes ground from a unit (it holds them all, but for rounding, which
   * clipping the units to it settles). */
  *clip = TRUE;
  return closed;
}

static gboolean
run_area (Job *job, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  GpSplitMode mode = choose_mode (in, job->options->mode);
  g_autofree GEOSGeometry **unit_geom = g_new0 (GEOSGeometry *, in->n_units + 1);
  g_autofree gboolean *in_fixed = g_new0 (gboolean, in->n_units + 1);
  g_autofree GEOSGeometry **fixed_geom = g_new0 (GEOSGeometry *, in->n_fixed + 1);
  g_autofree double *local_points = NULL;
  g_autofree guint *site_of = NULL;
  GEOSGeometry *parent = NULL, *free_area = NULL;
  Cells cells = { 0 };
  Made made = { 0 };
  g_autoptr(GArray) outs = g_array_new (FALSE, TRUE, sizeof (Out));
  gboolean ok = FALSE, parent_from_units = FALSE;
  guint n_out;

  if (mode == GP_SPLIT_MODE_UNITS || in->shape == NULL)
    for (guint u = 0; u < in->n_units; u++)
      {
        g_autoptr(GError) local_error = NULL;

        unit_geom[u] = to_local (job, in->units[u], &local_error);
        if (local_error != NULL)
          {
            g_autofree char *label = unit_label (job, u);

            g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, "%s: %s: %s", area_label (job), label,
                         local_error->message);
            goto out;
          }
        if (unit_geom[u] == NULL && in->units[u] != NULL && !gp_shape_is_empty (in->units[u]))
          {
            g_autofree char *label = unit_label (job, u);

            job_note (job, _("%s: %s has no usable polygon and was left out"), area_label (job), label);
          }
      }

  if (mode == GP_SPLIT_MODE_POINTS)
    {
      /* Points without a place (NaN) stay NaN and are left out later. */
      g_autoptr(GArray) finite = g_array_new (FALSE, FALSE, sizeof (double));

      local_points = g_new (double, 2 * (gsize) in->n_points + 1);
      for (guint k = 0; k < in->n_points; k++)
        if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
          g_array_append_vals (finite, in->points_xy + 2 * k, 2);
      if (!gp_local_frame_forward (job->frame, (double *) finite->data, finite->len / 2, error))
        goto out;
      for (guint k = 0, j = 0; k < in->n_points; k++)
        if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
          {
            local_points[2 * k] = g_array_index (finite, double, j++);
            local_points[2 * k + 1] = g_array_index (finite, double, j++);
          }
        else
          local_points[2 * k] = local_points[2 * k + 1] = NAN;
    }

  /* The area: as given, or the union of its units, or the hull of its household points. */
  if (in->shape != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      parent = to_local (job, in->shape, &local_error);
      if (parent == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: the area has no usable polygon%s%s"),
                       area_label (job), local_error != NULL ? ": " : "",
                       local_error != NULL ? local_error->message : "");
          goto out;
        }
    }
  else if (mode == GP_SPLIT_MODE_POINTS)
    {
      GEOSGeometry *hull = convex_hull (ctx, local_points, in->n_points);

      /* Grown by a metre so that the points on the hull lie inside it. */
      if (hull != NULL && GEOSGeomTypeId_r (ctx, hull) == GEOS_POLYGON)
        parent = gp_split_polygonal (ctx, GEOSBuffer_r (ctx, hull, 1.0, 8));
      geom_free (ctx, hull);
      if (parent == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: the household points do not span an area"),
                       area_label (job));
          goto out;
        }
    }
  else
    {
      gboolean clip = FALSE;

      parent = area_from_units (job, unit_geom, &clip);
      parent_from_units = !clip;
      if (parent == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: no unit has a usable polygon"),
                       area_label (job));
          goto out;
        }
    }

  /* Locked and exclusive grids are carved out first; the rest is split around them. */
  free_area = GEOSGeom_clone_r (ctx, parent);
  for (guint f = 0; f < in->n_fixed; f++)
    {
      const GpSplitFixedGrid *fx = &in->fixed[f];
      g_autoptr(GError) local_error = NULL;

      for (guint i = 0; i < fx->n_units; i++)
        if (fx->units[i] < in->n_units)
          in_fixed[fx->units[i]] = TRUE;
      if (fx->shape != NULL)
        fixed_geom[f] = to_local (job, fx->shape, &local_error);
      else
        {
          g_autoptr(GPtrArray) parts = g_ptr_array_new ();

          for (guint i = 0; i < fx->n_units; i++)
            if (fx->units[i] < in->n_units && unit_geom[fx->units[i]] != NULL)
              g_ptr_array_add (parts, GEOSGeom_clone_r (ctx, unit_geom[fx->units[i]]));
          fixed_geom[f] = union_take (ctx, parts);
          if (fixed_geom[f] != NULL)
            {
              GEOSGeometry *inside = gp_split_intersection (ctx, fixed_geom[f], parent);

              geom_free (ctx, fixed_geom[f]);
              fixed_geom[f] = inside;
            }
        }
      if (fixed_geom[f] != NULL && free_area != NULL)
        {
          GEOSGeometry *rest = gp_split_difference (ctx, free_area, fixed_geom[f]);

          geom_free (ctx, free_area);
          free_area = rest;
        }
    }

  switch (mode)
    {
    case GP_SPLIT_MODE_UNITS:
    case GP_SPLIT_MODE_AUTO:
      if (!cells_from_units (job, in_fixed, unit_geom, parent, free_area,
                             !parent_from_units || in->n_fixed > 0, &cells, error))
        goto out;
      break;
    case GP_SPLIT_MODE_POINTS:
      site_of = g_new (guint, in->n_points + 1);
      if (free_area != NULL && !cells_from_points (job, local_points, free_area, &cells, site_of, error))
        goto out;
      break;
    case GP_SPLIT_MODE_GEOMETRY:
      {
        double h = in->households;

        if (!(h >= 0.0))
          {
            h = 0.0;
            for (guint u = 0; u < in->n_units; u++)
              if (!in_fixed[u] && in->unit_households != NULL && in->unit_households[u] > 0.0)
                h += in->unit_households[u];
          }
        if (free_area != NULL && !cells_from_lattice (job, free_area, h, &cells, error))
          goto out;
      }
      break;
    }

  if (free_area != NULL && !split_cells (job, &cells, free_area, &made, error))
    goto out;

  /* Collect the grids: fixed ones as they are, then the new ones. */
  for (guint f = 0; f < in->n_fixed; f++)
    {
      const GpSplitFixedGrid *fx = &in->fixed[f];
      Out o = { 0 };

      o.geom = fixed_geom[f];
      fixed_geom[f] = NULL;
      o.units = g_new (guint, fx->n_units + 1);
      if (fx->n_units > 0)
        memcpy (o.units, fx->units, fx->n_units * sizeof (guint));
      o.order = f;
      o.n_units = fx->n_units;
      o.flags = GP_SPLIT_GRID_FIXED | (fx->exclusive ? GP_SPLIT_GRID_EXCLUSIVE : 0);
      o.code = g_strdup (fx->code);
      if (fx->n_units > 0 && in->unit_households != NULL)
        for (guint i = 0; i < fx->n_units; i++)
          o.households += fx->units[i] < in->n_units ? MAX (in->unit_households[fx->units[i]], 0.0) : 0.0;
      else
        o.households = MAX (fx->households, 0.0);
      g_array_append_val (outs, o);
    }
  for (guint g = 0; g < made.k; g++)
    {
      Out o = { 0 };

      o.geom = fill_hairline_holes (ctx, made.geom[g], TOUCH);
      made.geom[g] = NULL;
      o.households = made.households[g];
      if (made.flags[g] & GP_PARTITION_GRID_OVERSIZE)
        o.flags |= GP_SPLIT_GRID_OVERSIZE;
      if (made.flags[g] & GP_PARTITION_GRID_OFF_TARGET)
        o.flags |= GP_SPLIT_GRID_OFF_TARGET;
      if (made.flags[g] & GP_PARTITION_GRID_LOCKED)
        o.flags |= GP_SPLIT_GRID_UNCHANGED;
      g_array_append_val (outs, o);
    }
  n_out = outs->len;

  /* Members of the new grids: units, or household points in the points mode. */
  {
    g_autofree guint *count = g_new0 (guint, n_out + 1);
    guint n_members = mode == GP_SPLIT_MODE_POINTS ? in->n_points
                      : mode == GP_SPLIT_MODE_GEOMETRY ? 0 : in->n_units;

    for (guint i = 0; i < n_members; i++)
      {
        guint cell = mode == GP_SPLIT_MODE_POINTS ? site_of[i] : i;
        guint g = cell != NONE && cell < cells.n && cells.grid != NULL ? cells.grid[cell] : NONE;

        if (g != NONE)
          count[in->n_fixed + g]++;
      }
    for (guint g = in->n_fixed; g < n_out; g++)
      {
        Out *o = &g_array_index (outs, Out, g);

        o->units = g_new (guint, count[g] + 1);
      }
    for (guint i = 0; i < n_members; i++)
      {
        guint cell = mode == GP_SPLIT_MODE_POINTS ? site_of[i] : i;
        guint g = cell != NONE && cell < cells.n && cells.grid != NULL ? cells.grid[cell] : NONE;

        if (g != NONE)
          {
            Out *o = &g_array_index (outs, Out, in->n_fixed + g);
            o->units[o->n_units++] = i;
          }
      }
  }

  /* Measures in the local frame, then codes: unchanged grids keep theirs. */
  for (guint g = 0; g < n_out; g++)
    {
      Out *o = &g_array_index (outs, Out, g);
      GEOSGeometry *c = o->geom != NULL ? GEOSGetCentroid_r (ctx, o->geom) : NULL;

      o->area = geom_area (ctx, o->geom);
      if (c != NULL && GEOSisEmpty_r (ctx, c) == 0)
        {
          GEOSGeomGetX_r (ctx, c, &o->x);
          GEOSGeomGetY_r (ctx, c, &o->y);
        }
      geom_free (ctx, c);
    }
  {
    guint n_new = n_out - in->n_fixed;
    g_autofree const char **old_codes = g_new0 (const char *, in->n_previous + 1);
    g_autofree const char **taken = g_new0 (const char *, in->n_fixed + 1);
    g_autofree const char **retired = g_new0 (const char *, in->n_previous + 1);
    g_autofree const char **keep = NULL;
    g_autofree double *x = g_new0 (double, n_new + 1);
    g_autofree double *y = g_new0 (double, n_new + 1);
    g_autofree double *a = g_new0 (double, n_new + 1);
    g_autofree double *new_weight = g_new0 (double, n_new + 1);
    g_autofree double *old_weight = g_new0 (double, in->n_previous + 1);
    g_autoptr(GArray) shares = g_array_new (FALSE, FALSE, sizeof (GpCodesShare));
    g_autoptr(GHashTable) inherited = g_hash_table_new (g_str_hash, g_str_equal);
    guint n_retired = 0;
    char **codes;

    for (guint g = 0; g < n_new; g++)
      {
        Out *o = &g_array_index (outs, Out, in->n_fixed + g);

        x[g] = o->x;
        y[g] = o->y;
        a[g] = o->area;
      }
    for (guint p = 0; p < in->n_previous; p++)
      old_codes[p] = in->previous[p].code;
    for (guint f = 0; f < in->n_fixed; f++)
      taken[f] = in->fixed[f].code;
    if (in->n_previous > 0)
      code_shares (job, mode, &g_array_index (outs, Out, in->n_fixed), n_new, local_points, &cells, shares,
                   new_weight, old_weight);
    keep = gp_codes_inherit (n_new, new_weight, in->n_previous, old_codes, (const GpCodesShare *) shares->data,
                             shares->len);
    for (guint g = 0; g < n_new; g++)
      if (keep[g] != NULL)
        g_hash_table_add (inherited, (gpointer) keep[g]);
    for (guint p = 0; p < in->n_previous; p++)
      if (old_codes[p] != NULL && !g_hash_table_contains (inherited, old_codes[p]))
        retired[n_retired++] = old_codes[p];
    codes = gp_codes_assign (in->code, n_new, x, y, a, keep, taken, in->n_fixed, retired, n_retired);
    for (guint g = 0; g < n_new; g++)
      {
        Out *o = &g_array_index (outs, Out, in->n_fixed + g);

        o->code = codes[g];
        if (keep[g] != NULL && g_strcmp0 (keep[g], codes[g]) == 0)
          {
            /* Kept the code: did most of the old grid's households stay with it? */
            double shared = 0.0, old_total = 0.0;

            o->flags |= GP_SPLIT_GRID_KEPT_CODE;
            for (guint i = 0; i < shares->len; i++)
              {
                const GpCodesShare *sh = &g_array_index (shares, GpCodesShare, i);

                if (sh->new_grid == g && g_strcmp0 (old_codes[sh->old_grid], keep[g]) == 0)
                  {
                    shared = sh->shared;
                    old_total = old_weight[sh->old_grid];
                  }
              }
            if (shared < 0.5 * old_total)
              o->flags |= GP_SPLIT_GRID_MOVED;
          }
      }
    g_free (codes);
  }

  /* The quality, measured on the grids as they are. */
  {
    g_autofree const GEOSGeometry **grids = g_new0 (const GEOSGeometry *, n_out + 1);
    g_autofree gboolean *sized = g_new0 (gboolean, n_out + 1);
    g_autofree gint *n_units = g_new0 (gint, n_out + 1);
    g_autofree double *grid_households = g_new0 (double, n_out + 1);
    g_autofree double *largest = NULL;
    g_autofree const char **codes = g_new0 (const char *, n_out + 1);
    g_autofree double *pts = NULL;
    g_autofree double *pts_w = NULL;
    GpSplitMeasureInput measure = { 0 };
    guint n_pts = 0;

    for (guint g = 0; g < n_out; g++)
      {
        Out *o = &g_array_index (outs, Out, g);

        grids[g] = o->geom;
        sized[g] = !(o->flags & GP_SPLIT_GRID_FIXED);
        n_units[g] = mode == GP_SPLIT_MODE_UNITS || (o->flags & GP_SPLIT_GRID_FIXED) ? (gint) o->n_units : -1;
        grid_households[g] = o->households;
        codes[g] = o->code;
        if (mode == GP_SPLIT_MODE_UNITS && in->unit_households != NULL)
          {
            if (largest == NULL)
              largest = g_new0 (double, n_out + 1);
            for (guint i = 0; i < o->n_units; i++)
              if (o->units[i] < in->n_units && isfinite (in->unit_households[o->units[i]]))
                largest[g] = MAX (largest[g], in->unit_households[o->units[i]]);
          }
      }
    if (mode == GP_SPLIT_MODE_UNITS)
      {
        /* Each unit's households at a point inside what is left of it (or of its polygon as
         * given, when it was left out), to be found again in the grid polygons. */
        pts = g_new0 (double, 2 * in->n_units + 1);
        pts_w = g_new0 (double, in->n_units + 1);
        for (guint u = 0; u < in->n_units; u++)
          {
            gboolean placed = cells.point_xy != NULL && u < cells.n && cells.geom[u] != NULL
                              && isfinite (cells.point_xy[2 * u]);
            GEOSGeometry *p = !placed && unit_geom[u] != NULL ? GEOSPointOnSurface_r (ctx, unit_geom[u]) : NULL;
            double h = in->unit_households != NULL ? in->unit_households[u] : 0.0;

            if (!(isfinite (h) && h > 0.0))
              {
                geom_free (ctx, p);
                continue;
              }
            pts[2 * n_pts] = placed ? cells.point_xy[2 * u] : NAN;
            pts[2 * n_pts + 1] = placed ? cells.point_xy[2 * u + 1] : NAN;
            if (p != NULL && GEOSisEmpty_r (ctx, p) == 0)
              {
                GEOSGeomGetX_r (ctx, p, &pts[2 * n_pts]);
                GEOSGeomGetY_r (ctx, p, &pts[2 * n_pts + 1]);
              }
            geom_free (ctx, p);
            pts_w[n_pts++] = h;
          }
        measure.n_points = n_pts;
        measure.points_xy = pts;
        measure.point_households = pts_w;
      }
    else if (mode == GP_SPLIT_MODE_POINTS)
      {
        measure.n_points = in->n_points;
        measure.points_xy = local_points;
        measure.point_households = in->point_households;
      }
    measure.parent = parent;
    measure.n_grids = n_out;
    measure.grids = grids;
    measure.sized = sized;
    measure.n_units = n_units;
    measure.grid_households = grid_households;
    measure.largest_unit = largest;
    measure.area_code = in->code;
    measure.codes = codes;
    job->result->quality = gp_split_report_measure (ctx, &measure, job->options->target,
                                                    job->options->tolerance, error);
    if (job->result->quality == NULL)
      goto out;
  }

  /* Back to the source CRS, fixed grids first, the new ones by code. */
  if (outs->len > 1)
    qsort (outs->data, outs->len, sizeof (Out), compare_out_code);
  {
    GpSplitResult *result = job->result;

    result->mode = mode;
    result->grids = g_ptr_array_new_with_free_func ((GDestroyNotify) grid_free);
    result->grid_of_unit = g_new (guint, MAX (in->n_units, in->n_points) + 1);
    for (guint i = 0; i < MAX (in->n_units, in->n_points); i++)
      result->grid_of_unit[i] = NONE;
    for (guint g = 0; g < n_out; g++)
      {
        Out *o = &g_array_index (outs, Out, g);
        GpSplitGrid *grid = g_new0 (GpSplitGrid, 1);
        guint fixed_index = (o->flags & GP_SPLIT_GRID_FIXED) ? o->order : NONE;
        /* A fixed grid keeps its very own polygon, not a copy mapped there and back. */
        if (fixed_index != NONE && in->fixed[fixed_index].shape != NULL)
          grid->shape = gp_shape_copy (in->fixed[fixed_index].shape);
        else
          grid->shape = to_source (job, o->geom, error);
        g_ptr_array_add (result->grids, grid);
        if (grid->shape == NULL)
          goto out;
        grid->code = g_steal_pointer (&o->code);
        grid->households = o->households;
        grid->n_units = o->n_units;
        grid->units = g_steal_pointer (&o->units);
        grid->area_m2 = o->area;
        grid->x = o->x;
        grid->y = o->y;
        grid->flags = o->flags;
        for (guint i = 0; i < grid->n_units; i++)
          if (grid->units[i] < MAX (in->n_units, in->n_points))
            result->grid_of_unit[grid->units[i]] = g;
      }
    /* The new grids' outlines made of the units' own corners. */
    if (in->n_units > 0 || in->shape != NULL)
      {
        g_autofree GpShape **shapes = g_new0 (GpShape *, result->grids->len + 1);
        guint n_new = 0;

        for (guint g = 0; g < result->grids->len; g++)
          {
            GpSplitGrid *grid = g_ptr_array_index (result->grids, g);

            if (!(grid->flags & GP_SPLIT_GRID_FIXED))
              shapes[n_new++] = grid->shape;
          }
        job->sources = source_index_new (job);
        restore_source_corners (job, shapes, n_new);
        n_new = 0;
        for (guint g = 0; g < result->grids->len; g++)
          {
            GpSplitGrid *grid = g_ptr_array_index (result->grids, g);

            if (!(grid->flags & GP_SPLIT_GRID_FIXED))
              grid->shape = shapes[n_new++];
          }
      }
  }
  ok = TRUE;

out:
  for (guint i = 0; i < outs->len; i++)
    out_clear (ctx, &g_array_index (outs, Out, i));
  made_clear (ctx, &made);
  cells_clear (ctx, &cells);
  for (guint u = 0; u < in->n_units; u++)
    geom_free (ctx, unit_geom[u]);
  for (guint f = 0; f < in->n_fixed; f++)
    geom_free (ctx, fixed_geom[f]);
  geom_free (ctx, free_area);
  geom_free (ctx, parent);
  return ok;
}

static void
job_run (gpointer data, gpointer user_data)
{
  Job *job = data;

  if (job_cancelled (job, &job->error))
    return;
  job->frame = g_async_queue_pop (job->frames);
  job->ctx = gp_geos ();
  job->result = g_new0 (GpSplitResult, 1);
  if (!run_area (job, &job->error) || job_cancelled (job, &job->error))
    g_clear_pointer (&job->result, gp_split_result_free);
  else
    {
      if (job->explanation->len > 0)
        job->result->explanation = g_strdup_printf ("%s: %s", area_label (job), job->explanation->str);
      job->result->notes = g_ptr_array_ref (job->notes);
    }
  g_async_queue_push (job->frames, job->frame);
  job->frame = NULL;
  if (job->result != NULL)
    job_progress (job, 1.0);
}

static gboolean
area_bbox (const GpSplitArea *in, double bbox[4])
{
  gboolean any = FALSE;
  double b[4];

#define WIDEN(b)                                 \
  do {                                           \
    if (!any)                                    \
      memcpy (bbox, b, sizeof b);                \
    else                                         \
      {                                          \
        bbox[0] = MIN (bbox[0], b[0]);           \
        bbox[1] = MIN (bbox[1], b[1]);           \
        bbox[2] = MAX (bbox[2], b[2]);           \
        bbox[3] = MAX (bbox[3], b[3]);           \
      }                                          \
    any = TRUE;                                  \
  } while (0)

  if (in->shape != NULL && gp_shape_get_bbox (in->shape, b))
    WIDEN (b);
  for (guint u = 0; u < in->n_units; u++)
    if (in->units[u] != NULL && gp_shape_get_bbox (in->units[u], b))
      WIDEN (b);
  for (guint k = 0; k < in->n_points; k++)
    if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
      {
        b[0] = b[2] = in->points_xy[2 * k];
        b[1] = b[3] = in->points_xy[2 * k + 1];
        WIDEN (b);
      }
#undef WIDEN
  return any;
}

GPtrArray *
gp_split_run (GpCrs *crs, const GpSplitArea *areas, guint n_areas, const GpSplitOptions *options,
              GError **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_split_result_free);
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autofree Job *jobs = NULL;
  Progress progress = { 0 };
  GAsyncQueue *frames;
  double bbox[4] = { 0.0, 0.0, 0.0, 0.0 }, densify = 0.0;
  gboolean any = FALSE;
  guint n_threads;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (areas != NULL || n_areas == 0, NULL);

  if (!(options->target > 0.0) || !isfinite (options->target))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("the target must be a positive number of households per grid"));
      return NULL;
    }
  if (!(options->tolerance >= 0.0) || !(options->tolerance < 1.0))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("the tolerance must be at least 0 and below 1 (0.15 is ±15%%)"));
      return NULL;
    }
  if (!(options->snap >= 0.0) || !isfinite (options->snap))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("the snapping distance must be at least 0"));
      return NULL;
    }

  for (guint a = 0; a < n_areas; a++)
    {
      double b[4];

      if (!area_bbox (&areas[a], b))
        continue;
      if (!any)
        memcpy (bbox, b, sizeof b);
      bbox[0] = MIN (bbox[0], b[0]);
      bbox[1] = MIN (bbox[1], b[1]);
      bbox[2] = MAX (bbox[2], b[2]);
      bbox[3] = MAX (bbox[3], b[3]);
      any = TRUE;
    }
  frame = gp_local_frame_new (crs, bbox, error);
  if (frame == NULL)
    return NULL;

  densify = gp_split_densify_length (crs, any ? bbox : NULL);

  n_threads = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1u, MAX (n_areas, 1u));
  /* Each thread needs a frame of its own (PROJ objects are not shared between threads). */
  frames = g_async_queue_new ();
  g_async_queue_push (frames, g_steal_pointer (&frame));
  for (guint t = 1; t < n_threads; t++)
    {
      GpLocalFrame *first = g_async_queue_pop (frames);
      GpLocalFrame *copy = gp_local_frame_copy (first);

      g_async_queue_push (frames, first);
      if (copy != NULL)
        g_async_queue_push (frames, copy);
    }

  progress.options = options;
  progress.n_areas = n_areas;
  progress.done = g_new0 (double, n_areas + 1);
  g_mutex_init (&progress.lock);
  jobs = g_new0 (Job, n_areas + 1);
  for (guint a = 0; a < n_areas; a++)
    {
      jobs[a].in = &areas[a];
      jobs[a].index = a;
      jobs[a].progress = &progress;
      jobs[a].options = options;
      jobs[a].densify = densify;
      jobs[a].frames = frames;
      jobs[a].notes = g_ptr_array_new_with_free_func (g_free);
      jobs[a].explanation = g_string_new (NULL);
    }
  if (n_threads <= 1)
    for (guint a = 0; a < n_areas; a++)
      job_run (&jobs[a], NULL);
  else
    {
      GThreadPool *pool = g_thread_pool_new (job_run, NULL, (gint) n_threads, TRUE, NULL);

      for (guint a = 0; a < n_areas; a++)
        g_thread_pool_push (pool, &jobs[a], NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
    }

  {
    GpLocalFrame *f;

    while ((f = g_async_queue_try_pop (frames)) != NULL)
      gp_local_frame_free (f);
    g_async_queue_unref (frames);
  }

  g_mutex_clear (&progress.lock);
  g_free (progress.done);
  /* A cancelled run fails as cancelled, whichever area noticed first. */
  if (g_cancellable_set_error_if_cancelled (options->cancellable, error))
    {
      for (guint a = 0; a < n_areas; a++)
        {
          g_clear_error (&jobs[a].error);
          g_clear_pointer (&jobs[a].result, gp_split_result_free);
          g_ptr_array_unref (jobs[a].notes);
          g_string_free (jobs[a].explanation, TRUE);
          source_index_free (jobs[a].sources);
        }
      return NULL;
    }
  for (guint a = 0; a < n_areas; a++)
    {
      if (jobs[a].error != NULL && error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&jobs[a].error));
      g_clear_error (&jobs[a].error);
      g_ptr_array_add (results, jobs[a].result);
      g_ptr_array_unref (jobs[a].notes);
      g_string_free (jobs[a].explanation, TRUE);
      source_index_free (jobs[a].sources);
    }
  for (guint a = 0; a < n_areas; a++)
    if (jobs[a].result == NULL)
      return NULL;
  return g_steal_pointer (&results);
}

GpSplitReport *
gp_split_report_from_results (GPtrArray *results, double target, double tolerance)
{
  GpSplitReport *report = gp_split_report_new (target, tolerance);
  const char *mode = NULL;

  for (guint a = 0; a < results->len; a++)
    {
      GpSplitResult *r = g_ptr_array_index (results, a);
      const char *m = gp_split_mode_name (r->mode);

      mode = mode == NULL || strcmp (mode, m) == 0 ? m : "mixed";
      if (r->explanation != NULL)
        gp_split_report_add_explanation (report, r->explanation);
      for (guint i = 0; r->notes != NULL && i < r->notes->len; i++)
        gp_split_report_add_note (report, g_ptr_array_index (r->notes, i));
      if (r->quality != NULL)
        gp_split_report_add_part (report, g_steal_pointer (&r->quality));
    }
  gp_split_report_set_mode (report, mode != NULL ? mode : "units");
  return report;
}

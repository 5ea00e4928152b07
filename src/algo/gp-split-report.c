/* gp-split-report.c: measures grids on their final polygons (balance, contiguity, coverage) and writes the report. */
#include "gp-config.h"

#include "gp-split-report.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geom.h"
#include "gp-json.h"
#include "gp-parallel.h"

struct _GpSplitReportPart {
  char    *area_code;
  GPtrArray *broken;        /* codes of grids in pieces on one piece of land */
  GPtrArray *islands;       /* codes of grids whose pieces lie on separate islands of the area */
  GPtrArray *oversize;      /* codes of grids holding a unit above the tolerance */
  guint    n_grids;
  double  *households;      /* per grid, as located */
  gboolean *sized;
  double  *polsby_popper;   /* per grid, 0 without geometry */
  guint    n_oversize;
  guint    n_noncontiguous;
  guint    n_crossing;
  double   parent_area;
  double   gap_area;
  double   overlap_area;
  double   households_outside;
};

struct _GpSplitReport {
  double     target;
  double     tolerance;
  GPtrArray *parts;
  GPtrArray *explanations;
  GPtrArray *notes;
  char      *mode;
  double     elapsed;
};

void
gp_split_report_part_free (GpSplitReportPart *part)
{
  if (part == NULL)
    return;
  g_free (part->area_code);
  g_ptr_array_unref (part->broken);
  g_ptr_array_unref (part->islands);
  g_ptr_array_unref (part->oversize);
  g_free (part->households);
  g_free (part->sized);
  g_free (part->polsby_popper);
  g_free (part);
}

double
gp_split_report_part_get_households (const GpSplitReportPart *part, guint i)
{
  g_return_val_if_fail (part != NULL && i < part->n_grids, 0.0);
  return part->households[i];
}

static gboolean
geom_usable (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  return g != NULL && GEOSisEmpty_r (ctx, g) == 0;
}

static double
area_of (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  double a = 0.0;

  if (g == NULL || !GEOSArea_r (ctx, g, &a) || !isfinite (a))
    return 0.0;
  return a;
}

/* The union of the grids (NULL entries skipped); an empty collection when there are none. */
static GEOSGeometry *
union_of (GEOSContextHandle_t ctx, const GEOSGeometry *const *grids, guint n)
{
  g_autofree GEOSGeometry **parts = g_new (GEOSGeometry *, n + 1);
  GEOSGeometry *collection, *result;
  guint m = 0;

  for (guint i = 0; i < n; i++)
    if (geom_usable (ctx, grids[i]))
      parts[m++] = GEOSGeom_clone_r (ctx, grids[i]);
  collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, parts, m);
  if (collection == NULL)
    return NULL;
  /* Grids that tile join fast as a coverage. That union is trusted only when it is valid and
   * keeps the grids' total area (overlapping grids fail it); otherwise the general union. */
  result = m > 2 ? GEOSCoverageUnion_r (ctx, collection) : NULL;
  if (result != NULL)
    {
      double sum = 0.0;

      for (guint i = 0; i < m; i++)
        sum += area_of (ctx, GEOSGetGeometryN_r (ctx, collection, (int) i));
      if (GEOSisValid_r (ctx, result) != 1 || fabs (area_of (ctx, result) - sum) > 1e-9 * sum)
        {
          GEOSGeom_destroy_r (ctx, result);
          result = NULL;
        }
    }
  if (result == NULL)
    result = GEOSUnaryUnion_r (ctx, collection);
  GEOSGeom_destroy_r (ctx, collection);
  return result;
}

typedef struct {
  GEOSContextHandle_t ctx;
  const GEOSGeometry *const *grids;
  const GEOSPreparedGeometry **prepared;   /* this thread's, prepared on first need */
  GEOSGeometry      **copies;   /* this thread's copies of the grids it prepared (NULL: none) */
  const GEOSGeometry *point;
  guint best;   /* lowest grid index covering the point, G_MAXUINT when none */
} Locate;

static void
locate_visit (void *item, void *user_data)
{
  Locate *l = user_data;
  guint i = GPOINTER_TO_UINT (item) - 1;

  if (i >= l->best)
    return;
  if (l->prepared[i] == NULL && l->copies != NULL)
    {
      /* A copy of its own for this thread: GEOS computes some things of a geometry (the
       * envelopes of its rings) on first need, which two threads must not do at once. */
      l->copies[i] = GEOSGeom_clone_r (l->ctx, l->grids[i]);
      l->prepared[i] = l->copies[i] != NULL ? GEOSPrepare_r (l->ctx, l->copies[i]) : NULL;
    }
  else if (l->prepared[i] == NULL)
    l->prepared[i] = GEOSPrepare_r (l->ctx, l->grids[i]);
  if (l->prepared[i] != NULL && GEOSPreparedIntersects_r (l->ctx, l->prepared[i], l->point) == 1)
    l->best = i;
}

/* Which of the parent's polygons holds the point-on-surface of G, or -1. */
static gint
parent_piece_of (GEOSContextHandle_t ctx, const GEOSPreparedGeometry **pieces, guint n_pieces,
                 const GEOSGeometry *g)
{
  GEOSGeometry *point = GEOSPointOnSurface_r (ctx, g);
  gint found = -1;

  if (point == NULL)
    return -1;
  for (guint i = 0; i < n_pieces && found < 0; i++)
    if (GEOSPreparedCovers_r (ctx, pieces[i], point) == 1)
      found = (gint) i;
  GEOSGeom_destroy_r (ctx, point);
  return found;
}

typedef enum {
  PIECES_ONE,       /* one polygon (crumbs aside) */
  PIECES_ISLANDS,   /* several, each on its own island of the area: joined across water */
  PIECES_BROKEN,    /* several on one piece of land: not contiguous */
} Pieces;

/* A grid of several polygons is broken unless each lies on its own island of the area.
 * Crumbs (under a millionth of the grid, left where borders drawn in lon/lat meet borders
 * measured in metres) do not count as pieces. */
static Pieces
grid_pieces (GEOSContextHandle_t ctx, const GEOSGeometry *grid, const GEOSPreparedGeometry **pieces,
             guint n_pieces)
{
  int n = GEOSGetNumGeometries_r (ctx, grid);
  g_autofree gint *seen = NULL;
  double total = area_of (ctx, grid);
  guint substantial = 0;

  if (n <= 1 || GEOSGeomTypeId_r (ctx, grid) == GEOS_POLYGON)
    return PIECES_ONE;
  seen = g_new0 (gint, MAX (n_pieces, 1u));
  for (int k = 0; k < n; k++)
    {
      const GEOSGeometry *part = GEOSGetGeometryN_r (ctx, grid, k);
      gint piece;

      if (area_of (ctx, part) < 1e-6 * total)
        continue;
      if (++substantial > 1 && n_pieces <= 1)
        return PIECES_BROKEN;
      if (n_pieces <= 1)
        continue;
      piece = parent_piece_of (ctx, pieces, n_pieces, part);
      if (piece < 0 || seen[piece]++)
        return PIECES_BROKEN;
    }
  return substantial > 1 ? PIECES_ISLANDS : PIECES_ONE;
}

/* Counts grid I as in pieces or spanning islands, by name. */
static void
note_pieces (GpSplitReportPart *part, const GpSplitMeasureInput *in, guint i, Pieces pieces)
{
  const char *code = in->codes != NULL && in->codes[i] != NULL ? in->codes[i] : "?";

  if (pieces == PIECES_BROKEN)
    {
      part->n_noncontiguous++;
      g_ptr_array_add (part->broken, g_strdup (code));
    }
  else if (pieces == PIECES_ISLANDS)
    g_ptr_array_add (part->islands, g_strdup (code));
}

/* The area's outline cut into short chunks in an index: whether a grid reaches outside is asked
 * of the few chunks near it, not of the whole outline (a "covers" test against an area of 100,000
 * corners costs as much as the area, for every grid along its outline). */
#define OUTLINE_CHUNK 32

typedef struct {
  GEOSSTRtree *tree;
  GPtrArray   *chunks;
} Outline;

static void
outline_add_line (GEOSContextHandle_t ctx, Outline *o, const GEOSGeometry *line)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (ctx, line);
  unsigned int n = 0;
  g_autofree double *xy = NULL;

  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &n) || n < 2)
    return;
  xy = g_new (double, 2 * (gsize) n);
  if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, xy, 0, 0))
    return;
  for (unsigned int start = 0; start + 1 < n; start += OUTLINE_CHUNK)
    {
      unsigned int count = MIN (OUTLINE_CHUNK + 1, n - start);
      GEOSCoordSequence *part = GEOSCoordSeq_copyFromBuffer_r (ctx, xy + 2 * start, count, 0, 0);
      GEOSGeometry *chunk = part != NULL ? GEOSGeom_createLineString_r (ctx, part) : NULL;

      if (chunk == NULL)
        continue;
      g_ptr_array_add (o->chunks, chunk);
      GEOSSTRtree_insert_r (ctx, o->tree, chunk, chunk);
    }
}

static void
outline_init (GEOSContextHandle_t ctx, Outline *o, const GEOSGeometry *parent)
{
  GEOSGeometry *boundary = GEOSBoundary_r (ctx, parent);

  o->tree = GEOSSTRtree_create_r (ctx, 10);
  o->chunks = g_ptr_array_new ();
  if (boundary == NULL)
    return;
  if (GEOSGeomTypeId_r (ctx, boundary) == GEOS_LINESTRING)
    outline_add_line (ctx, o, boundary);
  else
    for (int i = 0; i < GEOSGetNumGeometries_r (ctx, boundary); i++)
      outline_add_line (ctx, o, GEOSGetGeometryN_r (ctx, boundary, i));
  GEOSGeom_destroy_r (ctx, boundary);
}

static void
outline_clear (GEOSContextHandle_t ctx, Outline *o)
{
  if (o->tree != NULL)
    GEOSSTRtree_destroy_r (ctx, o->tree);
  for (guint i = 0; o->chunks != NULL && i < o->chunks->len; i++)
    GEOSGeom_destroy_r (ctx, g_ptr_array_index (o->chunks, i));
  g_clear_pointer (&o->chunks, g_ptr_array_unref);
}

typedef struct {
  GEOSContextHandle_t ctx;
  const GEOSGeometry *grid;
  gboolean            crosses;
} CrossQuery;

static void
cross_visit (void *item, void *user_data)
{
  CrossQuery *q = user_data;
  char *im;

  if (q->crosses)
    return;
  /* The outline passes through the grid's inside (its line, or an end of this chunk of it). */
  im = GEOSRelate_r (q->ctx, q->grid, item);
  if (im != NULL && (im[0] != 'F' || im[2] != 'F'))
    q->crosses = TRUE;
  GEOSFree_r (q->ctx, im);
}

/* TRUE when GRID may reach outside the area: the area's outline passes through its inside, or
 * it lies wholly outside (a point inside it is not in the area). */
static gboolean
outline_may_cross (GEOSContextHandle_t ctx, Outline *o, const GEOSPreparedGeometry *parent, const GEOSGeometry *grid)
{
  CrossQuery q = { ctx, grid, FALSE };
  GEOSGeometry *inside;
  gboolean out;

  GEOSSTRtree_query_r (ctx, o->tree, grid, cross_visit, &q);
  if (q.crosses)
    return TRUE;
  inside = GEOSPointOnSurface_r (ctx, grid);
  out = inside != NULL && GEOSisEmpty_r (ctx, inside) == 0 && GEOSPreparedIntersects_r (ctx, parent, inside) != 1;
  if (inside != NULL)
    GEOSGeom_destroy_r (ctx, inside);
  return out;
}

/* What of GRID lies outside PARENT: against the part of the area around the grid only (the
 * difference with the whole of a large area costs as much as the area). */
static GEOSGeometry *
grid_outside (GEOSContextHandle_t ctx, const GEOSGeometry *grid, const GEOSGeometry *parent)
{
  double x0, y0, x1, y1, pad;
  GEOSGeometry *near, *outside;

  if (!GEOSGeom_getXMin_r (ctx, grid, &x0) || !GEOSGeom_getYMin_r (ctx, grid, &y0)
      || !GEOSGeom_getXMax_r (ctx, grid, &x1) || !GEOSGeom_getYMax_r (ctx, grid, &y1))
    return GEOSDifference_r (ctx, grid, parent);
  pad = 0.01 * MAX (x1 - x0, y1 - y0) + 1e-6;
  near = GEOSClipByRect_r (ctx, parent, x0 - pad, y0 - pad, x1 + pad, y1 + pad);
  if (near == NULL)
    return GEOSDifference_r (ctx, grid, parent);
  outside = GEOSDifference_r (ctx, grid, near);
  GEOSGeom_destroy_r (ctx, near);
  return outside;
}

/* Items a thread takes at a time: points are cheap, grids against the area's outline dear. */
#define POINTS_CHUNK 1024
#define GRIDS_CHUNK 16

/* Every grid's outline as segments, to find a point well inside the grid it was put in without
 * asking GEOS (a million household points, each through a prepared geometry, took most of the
 * measure): a point counts as found only when it is further than NEAR_EDGE from every edge
 * of that grid and inside by the crossing rule; any other point is left to GEOS. */
#define NEAR_EDGE_SHARE 1e-9

typedef struct {
  guint  *start;    /* per grid + 1: its first segment */
  double *seg;      /* x0 y0 x1 y1 per segment */
  double  near;     /* closer to an edge than this: asked of GEOS */
} GridEdges;

static void
ring_segments (GEOSContextHandle_t ctx, const GEOSGeometry *ring, GArray *seg)
{
  const GEOSCoordSequence *seq = ring != NULL ? GEOSGeom_getCoordSeq_r (ctx, ring) : NULL;
  unsigned int size = 0;
  g_autofree double *xy = NULL;

  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &size) || size < 2)
    return;
  xy = g_new (double, 2 * (gsize) size);
  if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, xy, 0, 0))
    return;
  for (guint i = 0; i + 1 < size; i++)
    g_array_append_vals (seg, &xy[2 * i], 4);
}

static void
grid_edges_init (GEOSContextHandle_t ctx, GridEdges *e, const GpSplitMeasureInput *in)
{
  g_autoptr(GArray) seg = g_array_new (FALSE, FALSE, sizeof (double));
  double box[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

  e->start = g_new0 (guint, in->n_grids + 1);
  for (guint g = 0; g < in->n_grids; g++)
    {
      const GEOSGeometry *grid = in->grids[g];

      e->start[g] = seg->len / 4;
      if (geom_usable (ctx, grid))
        for (int p = 0; p < GEOSGetNumGeometries_r (ctx, grid); p++)
          {
            const GEOSGeometry *poly = GEOSGetGeometryN_r (ctx, grid, p);

            if (GEOSGeomTypeId_r (ctx, poly) != GEOS_POLYGON)
              continue;
            ring_segments (ctx, GEOSGetExteriorRing_r (ctx, poly), seg);
            for (int h = 0; h < GEOSGetNumInteriorRings_r (ctx, poly); h++)
              ring_segments (ctx, GEOSGetInteriorRingN_r (ctx, poly, h), seg);
          }
    }
  e->start[in->n_grids] = seg->len / 4;
  for (guint i = 0; i < seg->len; i += 2)
    {
      box[0] = MIN (box[0], g_array_index (seg, double, i));
      box[1] = MIN (box[1], g_array_index (seg, double, i + 1));
      box[2] = MAX (box[2], g_array_index (seg, double, i));
      box[3] = MAX (box[3], g_array_index (seg, double, i + 1));
    }
  e->near = seg->len > 0 ? NEAR_EDGE_SHARE * MAX (1.0, MAX (fabs (box[0]), MAX (fabs (box[1]), MAX (fabs (box[2]), fabs (box[3])))))
                         : INFINITY;
  e->seg = (double *) g_array_free (g_steal_pointer (&seg), FALSE);
}

static void
grid_edges_clear (GridEdges *e)
{
  g_clear_pointer (&e->start, g_free);
  g_clear_pointer (&e->seg, g_free);
}

/* Whether (X, Y) lies inside grid G, further than e->near from all its edges. */
static gboolean
well_inside (const GridEdges *e, guint g, double x, double y)
{
  gboolean inside = FALSE;
  double near2 = e->near * e->near;

  for (guint s = e->start[g]; s < e->start[g + 1]; s++)
    {
      const double *q = &e->seg[4 * s];
      double dx, dy, len2, t, ex, ey;

      /* Most edges lie wholly above or below the point's row. */
      if ((y > q[1] + e->near && y > q[3] + e->near) || (y < q[1] - e->near && y < q[3] - e->near))
        continue;
      dx = q[2] - q[0];
      dy = q[3] - q[1];
      len2 = dx * dx + dy * dy;
      t = len2 > 0.0 ? CLAMP (((x - q[0]) * dx + (y - q[1]) * dy) / len2, 0.0, 1.0) : 0.0;
      ex = q[0] + t * dx - x;
      ey = q[1] + t * dy - y;
      if (ex * ex + ey * ey <= near2)
        return FALSE;
      /* Crossing rule: the edge straddles the point's row and passes to its right. */
      if ((q[1] > y) != (q[3] > y) && x < q[0] + (y - q[1]) * dx / dy)
        inside = !inside;
    }
  return inside;
}

typedef struct {
  const GpSplitMeasureInput  *in;
  const GridEdges            *edges;      /* with in->point_grid */
  GEOSSTRtree                *tree;       /* of the grids, queried once before the threads */
  const GEOSPreparedGeometry ***prepared; /* per thread, per grid: prepared on first need */
  GEOSGeometry              ***copies;   /* per thread, per grid: what it prepared */
  guint                      *best;       /* per point: its grid, or G_MAXUINT */
} LocateJob;

static void
locate_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  LocateJob *lj = data;
  const GpSplitMeasureInput *in = lj->in;

  if (lj->prepared[thread] == NULL)
    {
      lj->prepared[thread] = g_new0 (const GEOSPreparedGeometry *, in->n_grids + 1);
      lj->copies[thread] = g_new0 (GEOSGeometry *, in->n_grids + 1);
    }
  for (guint k = lo; k < hi; k++)
    {
      Locate l = { ctx, in->grids, lj->prepared[thread], lj->copies[thread], NULL, G_MAXUINT };
      guint hint = in->point_grid != NULL ? in->point_grid[k] : G_MAXUINT;

      if (hint < in->n_grids && well_inside (lj->edges, hint, in->points_xy[2 * k], in->points_xy[2 * k + 1]))
        {
          lj->best[k] = hint;
          continue;
        }
      if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
        {
          l.point = GEOSGeom_createPointFromXY_r (ctx, in->points_xy[2 * k], in->points_xy[2 * k + 1]);
          GEOSSTRtree_query_r (ctx, lj->tree, l.point, locate_visit, &l);
          GEOSGeom_destroy_r (ctx, (GEOSGeometry *) l.point);
        }
      lj->best[k] = l.best;
    }
}

/* Households: each point belongs to the lowest-numbered grid covering it (none: outside). */
static void
locate_households (GEOSContextHandle_t ctx, const GpSplitMeasureInput *in, GpSplitReportPart *part)
{
  guint n = in->n_grids;

  if (in->n_points > 0)
    {
      guint n_threads = gp_parallel_threads (in->n_threads, in->n_points, POINTS_CHUNK);
      g_autofree const GEOSPreparedGeometry ***prepared = g_new0 (const GEOSPreparedGeometry **, n_threads);
      g_autofree GEOSGeometry ***copies = g_new0 (GEOSGeometry **, n_threads);
      g_autofree guint *best = g_new (guint, in->n_points);
      GridEdges edges = { 0 };
      LocateJob lj = { in, &edges, GEOSSTRtree_create_r (ctx, 10), prepared, copies, best };

      if (in->point_grid != NULL)
        grid_edges_init (ctx, &edges, in);

      for (guint i = 0; i < n; i++)
        if (geom_usable (ctx, in->grids[i]))
          GEOSSTRtree_insert_r (ctx, lj.tree, in->grids[i], GUINT_TO_POINTER (i + 1));
      gp_parallel_build_tree (ctx, lj.tree);
      gp_parallel_for (n_threads, in->n_points, POINTS_CHUNK, locate_range, &lj);
      /* Summed in the points' order, as one thread would. */
      for (guint k = 0; k < in->n_points; k++)
        {
          double w = in->point_households != NULL ? in->point_households[k] : 1.0;

          if (best[k] == G_MAXUINT)
            part->households_outside += w;
          else
            part->households[best[k]] += w;
        }
      for (guint t = 0; t < n_threads; t++)
        {
          for (guint i = 0; prepared[t] != NULL && i < n; i++)
            {
              if (prepared[t][i] != NULL)
                GEOSPreparedGeom_destroy_r (ctx, prepared[t][i]);
              if (copies[t][i] != NULL)
                GEOSGeom_destroy_r (ctx, copies[t][i]);
            }
          g_free (prepared[t]);
          g_free (copies[t]);
        }
      GEOSSTRtree_destroy_r (ctx, lj.tree);
      grid_edges_clear (&edges);
    }
  else if (in->grid_households != NULL)
    for (guint i = 0; i < n; i++)
      part->households[i] = in->grid_households[i];
}

typedef struct {
  const GpSplitMeasureInput *in;
  Outline                   *outline;   /* its tree queried once before the threads */
  guint                      n_pieces;
  /* Per thread: a copy of the area (see locate_visit), prepared whole and piece by piece
   * (n_pieces), made on first need. */
  GEOSGeometry              **area;
  const GEOSPreparedGeometry **parent;
  const GEOSPreparedGeometry ***pieces;
  /* Per grid: in pieces or across water; the area of it outside the area (-1: failed). */
  Pieces                    *pieces_of;
  double                    *outside;
} OutsideJob;

static void
outside_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  OutsideJob *oj = data;
  const GpSplitMeasureInput *in = oj->in;

  if (oj->pieces[thread] == NULL)
    {
      oj->area[thread] = GEOSGeom_clone_r (ctx, in->parent);
      oj->pieces[thread] = g_new0 (const GEOSPreparedGeometry *, oj->n_pieces);
      if (oj->area[thread] != NULL)
        {
          oj->parent[thread] = GEOSPrepare_r (ctx, oj->area[thread]);
          for (guint k = 0; k < oj->n_pieces; k++)
            oj->pieces[thread][k] = GEOSPrepare_r (ctx, GEOSGetGeometryN_r (ctx, oj->area[thread], (int) k));
        }
    }
  for (guint i = lo; i < hi; i++)
    {
      GEOSGeometry *outside;

      if (!geom_usable (ctx, in->grids[i]))
        continue;
      oj->pieces_of[i] = grid_pieces (ctx, in->grids[i], oj->pieces[thread], oj->n_pieces);
      if (oj->parent[thread] == NULL || !outline_may_cross (ctx, oj->outline, oj->parent[thread], in->grids[i]))
        {
          oj->outside[i] = oj->parent[thread] == NULL ? -1.0 : 0.0;
          continue;
        }
      outside = grid_outside (ctx, in->grids[i], oj->area[thread]);
      oj->outside[i] = outside != NULL ? area_of (ctx, outside) : -1.0;
      if (outside != NULL)
        GEOSGeom_destroy_r (ctx, outside);
    }
}

/* The grids against their area: pieces, islands, what reaches outside; FALSE when it failed. */
static gboolean
measure_outside (GEOSContextHandle_t ctx, const GpSplitMeasureInput *in, GpSplitReportPart *part,
                 double *outside_total)
{
  guint n = in->n_grids;
  guint n_threads = gp_parallel_threads (in->n_threads, n, GRIDS_CHUNK);
  g_autofree GEOSGeometry **area = g_new0 (GEOSGeometry *, n_threads);
  g_autofree const GEOSPreparedGeometry **parent = g_new0 (const GEOSPreparedGeometry *, n_threads);
  g_autofree const GEOSPreparedGeometry ***pieces = g_new0 (const GEOSPreparedGeometry **, n_threads);
  g_autofree Pieces *pieces_of = g_new0 (Pieces, n + 1);
  g_autofree double *outside = g_new0 (double, n + 1);
  Outline outline = { 0 };
  OutsideJob oj = { in, &outline, (guint) MAX (GEOSGetNumGeometries_r (ctx, in->parent), 1),
                    area, parent, pieces, pieces_of, outside };
  gboolean failed = FALSE;

  outline_init (ctx, &outline, in->parent);
  gp_parallel_build_tree (ctx, outline.tree);
  gp_parallel_for (n_threads, n, GRIDS_CHUNK, outside_range, &oj);
  *outside_total = 0.0;
  for (guint i = 0; i < n && !failed; i++)
    {
      if (!geom_usable (ctx, in->grids[i]))
        continue;
      note_pieces (part, in, i, pieces_of[i]);
      failed = outside[i] < 0.0;
      *outside_total += MAX (outside[i], 0.0);
      if (outside[i] > MAX (1e-6 * part->parent_area, 1e-3))
        part->n_crossing++;
    }
  for (guint t = 0; t < n_threads; t++)
    {
      for (guint k = 0; pieces[t] != NULL && k < oj.n_pieces; k++)
        if (pieces[t][k] != NULL)
          GEOSPreparedGeom_destroy_r (ctx, pieces[t][k]);
      g_free (pieces[t]);
      if (parent[t] != NULL)
        GEOSPreparedGeom_destroy_r (ctx, parent[t]);
      if (area[t] != NULL)
        GEOSGeom_destroy_r (ctx, area[t]);
    }
  outline_clear (ctx, &outline);
  return !failed;
}

GpSplitReportPart *
gp_split_report_measure (GEOSContextHandle_t ctx, const GpSplitMeasureInput *in, double target,
                         double tolerance, GError **error)
{
  g_autoptr(GpSplitReportPart) part = g_new0 (GpSplitReportPart, 1);
  guint n = in->n_grids;
  double sum_area = 0.0;

  part->n_grids = n;
  part->area_code = g_strdup (in->area_code);
  part->broken = g_ptr_array_new_with_free_func (g_free);
  part->islands = g_ptr_array_new_with_free_func (g_free);
  part->oversize = g_ptr_array_new_with_free_func (g_free);
  part->households = g_new0 (double, n + 1);
  part->sized = g_new0 (gboolean, n + 1);
  part->polsby_popper = g_new0 (double, n + 1);
  for (guint i = 0; i < n; i++)
    part->sized[i] = in->sized == NULL || in->sized[i];

  /* Shape: compactness per grid. */
  for (guint i = 0; i < n; i++)
    {
      double a, p = 0.0;

      if (!geom_usable (ctx, in->grids[i]))
        continue;
      a = area_of (ctx, in->grids[i]);
      sum_area += a;
      if (GEOSLength_r (ctx, in->grids[i], &p) && p > 0.0)
        part->polsby_popper[i] = 4.0 * G_PI * a / (p * p);
    }

  locate_households (ctx, in, part);

  if ((in->n_units != NULL || in->largest_unit != NULL) && target > 0.0)
    for (guint i = 0; i < n; i++)
      {
        double limit = target * (1.0 + tolerance);
        gboolean over = in->largest_unit != NULL ? in->largest_unit[i] > limit
                                                 : in->n_units[i] == 1 && part->households[i] > limit;

        if (part->sized[i] && over)
          {
            part->n_oversize++;
            g_ptr_array_add (part->oversize, g_strdup (in->codes != NULL && in->codes[i] != NULL ? in->codes[i] : "?"));
          }
      }

  /* Coverage: gaps inside the area, overlaps between grids, grids reaching outside. */
  {
    GEOSGeometry *all = union_of (ctx, in->grids, n);
    double union_area;

    if (all == NULL)
      {
        gp_geom_set_error (error, _("cannot join the grids to measure their coverage"));
        return NULL;
      }
    union_area = area_of (ctx, all);
    part->overlap_area = MAX (0.0, sum_area - union_area);
    /* Sums of many areas carry rounding of about 1e-12 of the total: that is not an overlap. */
    if (part->overlap_area <= 1e-9 * sum_area)
      part->overlap_area = 0.0;

    if (in->parent != NULL)
      {
        double outside_total = 0.0;

        part->parent_area = area_of (ctx, in->parent);
        if (!measure_outside (ctx, in, part, &outside_total))
          {
            GEOSGeom_destroy_r (ctx, all);
            gp_geom_set_error (error, _("cannot measure the grids against their area"));
            return NULL;
          }
        /* The area of the grids inside the area is their union less what reaches outside
         * (measured grid by grid just above): the gap follows without one more overlay of two
         * polygons that share their whole outline, which GEOS finds slow. */
        part->gap_area = MAX (0.0, part->parent_area - (union_area - outside_total));
        if (part->gap_area <= 1e-12 * part->parent_area)
          part->gap_area = 0.0;
      }
    else
      for (guint i = 0; i < n; i++)
        if (geom_usable (ctx, in->grids[i]))
          note_pieces (part, in, i, grid_pieces (ctx, in->grids[i], NULL, 0));
    GEOSGeom_destroy_r (ctx, all);
  }
  return g_steal_pointer (&part);
}

GpSplitReport *
gp_split_report_new (double target, double tolerance)
{
  GpSplitReport *report = g_new0 (GpSplitReport, 1);

  report->target = target;
  report->tolerance = tolerance;
  report->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_split_report_part_free);
  report->explanations = g_ptr_array_new_with_free_func (g_free);
  report->notes = g_ptr_array_new_with_free_func (g_free);
  report->elapsed = -1.0;
  return report;
}

void
gp_split_report_free (GpSplitReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->parts);
  g_ptr_array_unref (report->explanations);
  g_ptr_array_unref (report->notes);
  g_free (report->mode);
  g_free (report);
}

void
gp_split_report_add_part (GpSplitReport *report, GpSplitReportPart *part)
{
  g_return_if_fail (report != NULL && part != NULL);
  g_ptr_array_add (report->parts, part);
}

void
gp_split_report_add_explanation (GpSplitReport *report, const char *text)
{
  g_return_if_fail (report != NULL && text != NULL);
  g_ptr_array_add (report->explanations, g_strdup (text));
}

const GPtrArray *
gp_split_report_get_explanations (GpSplitReport *report)
{
  return report->explanations;
}

const GPtrArray *
gp_split_report_get_notes (GpSplitReport *report)
{
  return report->notes;
}

void
gp_split_report_add_note (GpSplitReport *report, const char *text)
{
  g_return_if_fail (report != NULL && text != NULL);
  g_ptr_array_add (report->notes, g_strdup (text));
}

void
gp_split_report_set_mode (GpSplitReport *report, const char *mode)
{
  g_return_if_fail (report != NULL);
  g_free (report->mode);
  report->mode = g_strdup (mode);
}

void
gp_split_report_set_elapsed (GpSplitReport *report, double seconds)
{
  g_return_if_fail (report != NULL);
  report->elapsed = seconds;
}

/* ---- figures over every part ---- */

typedef struct {
  guint   n_grids;
  guint   n_sized;
  double *households;   /* n_sized, sorted */
  double  within_10, within_20, max_rel_dev, mean_pp;
  guint   oversize, noncontiguous, crossing;
  double  gap, overlap, outside, parent_area;
} Totals;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
totals_compute (GpSplitReport *report, Totals *t)
{
  guint k = 0, in10 = 0, in20 = 0;
  double pp = 0.0;

  memset (t, 0, sizeof *t);
  for (guint p = 0; p < report->parts->len; p++)
    {
      GpSplitReportPart *part = g_ptr_array_index (report->parts, p);

      t->n_grids += part->n_grids;
      for (guint i = 0; i < part->n_grids; i++)
        t->n_sized += part->sized[i] ? 1 : 0;
      t->oversize += part->n_oversize;
      t->noncontiguous += part->n_noncontiguous;
      t->crossing += part->n_crossing;
      t->gap += part->gap_area;
      t->overlap += part->overlap_area;
      t->outside += part->households_outside;
      t->parent_area += part->parent_area;
    }
  t->households = g_new0 (double, t->n_sized + 1);
  for (guint p = 0; p < report->parts->len; p++)
    {
      GpSplitReportPart *part = g_ptr_array_index (report->parts, p);

      for (guint i = 0; i < part->n_grids; i++)
        if (part->sized[i])
          {
            double h = part->households[i];

            t->households[k++] = h;
            pp += part->polsby_popper[i];
            if (report->target > 0.0)
              {
                double dev = fabs (h - report->target) / report->target;

                /* A hair of slack so that exactly ±10% counts as within. */
                in10 += dev <= 0.1 + 1e-12;
                in20 += dev <= 0.2 + 1e-12;
                t->max_rel_dev = MAX (t->max_rel_dev, dev);
              }
          }
    }
  qsort (t->households, t->n_sized, sizeof (double), compare_double);
  if (t->n_sized > 0)
    {
      t->within_10 = (double) in10 / t->n_sized;
      t->within_20 = (double) in20 / t->n_sized;
      t->mean_pp = pp / t->n_sized;
    }
}

static double
median_of (const double *sorted, guint n)
{
  if (n == 0)
    return 0.0;
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

guint
gp_split_report_get_n_grids (GpSplitReport *report)
{
  Totals t;
  guint n;

  totals_compute (report, &t);
  n = t.n_grids;
  g_free (t.households);
  return n;
}

#define TOTAL_GETTER(name, type, expr)            \
  type                                            \
  name (GpSplitReport *report)                    \
  {                                               \
    Totals t;                                     \
    type value;                                   \
                                                  \
    totals_compute (report, &t);                  \
    value = (expr);                               \
    g_free (t.households);                        \
    return value;                                 \
  }

TOTAL_GETTER (gp_split_report_get_noncontiguous, guint, t.noncontiguous)
TOTAL_GETTER (gp_split_report_get_crossing_parent, guint, t.crossing)
TOTAL_GETTER (gp_split_report_get_gap_area, double, t.gap)
TOTAL_GETTER (gp_split_report_get_overlap_area, double, t.overlap)
TOTAL_GETTER (gp_split_report_get_parent_area, double, t.parent_area)
TOTAL_GETTER (gp_split_report_get_households_outside, double, t.outside)
TOTAL_GETTER (gp_split_report_get_mean_polsby_popper, double, t.mean_pp)

double
gp_split_report_get_within (GpSplitReport *report, double share)
{
  Totals t;
  double value;

  totals_compute (report, &t);
  value = share <= 0.1 ? t.within_10 : t.within_20;
  g_free (t.households);
  return value;
}

/* What the numbers mean decides their rounding: shares to 0.001, areas to 0.01 m². */
#define SHARE_STEP 0.001
#define AREA_STEP  0.01

static void
add_strings (JsonBuilder *b, const char *name, const GPtrArray *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

static void
add_number (JsonBuilder *b, const char *name, double value, double step)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, step > 0.0 ? gp_json_round (value, step) : value);
}

static void
add_by_area (JsonBuilder *b, GpSplitReport *report)
{
  json_builder_set_member_name (b, "by_area");
  json_builder_begin_array (b);
  for (guint p = 0; p < report->parts->len; p++)
    {
      GpSplitReportPart *part = g_ptr_array_index (report->parts, p);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      if (part->area_code != NULL)
        json_builder_add_string_value (b, part->area_code);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "grids");
      json_builder_add_int_value (b, part->n_grids);
      add_number (b, "area_m2", part->parent_area, AREA_STEP);
      add_number (b, "gap_area_m2", part->gap_area, AREA_STEP);
      add_number (b, "overlap_area_m2", part->overlap_area, AREA_STEP);
      add_number (b, "households_outside", part->households_outside, 0.0);
      add_strings (b, "noncontiguous", part->broken);
      add_strings (b, "islands", part->islands);
      add_strings (b, "oversize", part->oversize);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
gp_split_report_to_json_node (GpSplitReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Totals t;

  g_return_val_if_fail (report != NULL, NULL);

  totals_compute (report, &t);
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "grids");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, t.n_grids);
  json_builder_set_member_name (b, "target");
  if (report->target > 0.0)
    json_builder_add_double_value (b, report->target);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "tolerance");
  json_builder_add_double_value (b, report->tolerance);
  json_builder_set_member_name (b, "households");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "min");
  json_builder_add_double_value (b, t.n_sized > 0 ? t.households[0] : 0.0);
  json_builder_set_member_name (b, "median");
  json_builder_add_double_value (b, median_of (t.households, t.n_sized));
  json_builder_set_member_name (b, "max");
  json_builder_add_double_value (b, t.n_sized > 0 ? t.households[t.n_sized - 1] : 0.0);
  json_builder_end_object (b);
  add_number (b, "within_10pct", t.within_10, SHARE_STEP);
  add_number (b, "within_20pct", t.within_20, SHARE_STEP);
  add_number (b, "max_rel_dev", t.max_rel_dev, SHARE_STEP);
  json_builder_set_member_name (b, "oversize");
  json_builder_add_int_value (b, t.oversize);
  json_builder_set_member_name (b, "noncontiguous");
  json_builder_add_int_value (b, t.noncontiguous);
  json_builder_set_member_name (b, "crossing_parent");
  json_builder_add_int_value (b, t.crossing);
  add_number (b, "mean_polsby_popper", t.mean_pp, SHARE_STEP);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "coverage");
  json_builder_begin_object (b);
  add_number (b, "gap_area_m2", t.gap, AREA_STEP);
  add_number (b, "overlap_area_m2", t.overlap, AREA_STEP);
  add_number (b, "area_m2", t.parent_area, AREA_STEP);
  json_builder_set_member_name (b, "households_outside");
  json_builder_add_double_value (b, t.outside);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "areas");
  json_builder_add_int_value (b, report->parts->len);
  add_by_area (b, report);
  if (report->mode != NULL)
    {
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, report->mode);
    }
  add_strings (b, "explanations", report->explanations);
  add_strings (b, "notes", report->notes);
  if (report->elapsed >= 0.0)
    {
      json_builder_set_member_name (b, "elapsed_s");
      json_builder_add_double_value (b, gp_json_round (report->elapsed, 0.001));
    }
  json_builder_end_object (b);
  g_free (t.households);
  return json_builder_get_root (b);
}

char *
gp_split_report_to_json (GpSplitReport *report)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  root = gp_split_report_to_json_node (report);
  return gp_json_to_text (root, TRUE);
}

/* CODES joined by the list separator, at most MAX named, then "and N more". */
static void
append_codes (GString *out, const GPtrArray *codes, guint max)
{
  for (guint i = 0; i < codes->len && i < max; i++)
    {
      if (i > 0)
        g_string_append (out, _(", "));
      g_string_append (out, g_ptr_array_index (codes, i));
    }
  if (codes->len > max)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, " and %u more grid", " and %u more grids", codes->len - max),
                            codes->len - max);
}

char *
gp_split_report_to_text (GpSplitReport *report)
{
  GString *out = g_string_new (NULL);
  guint islands = 0;
  Totals t;

  g_return_val_if_fail (report != NULL, NULL);
  totals_compute (report, &t);
  for (guint p = 0; p < report->parts->len; p++)
    islands += ((GpSplitReportPart *) g_ptr_array_index (report->parts, p))->islands->len;

  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u grid", "%u grids", t.n_grids), t.n_grids);
  if (report->target > 0.0 && t.n_sized > 0)
    /* TRANSLATORS: after "66 grids": balance against the target and households per grid. */
    g_string_append_printf (out, _("; %.1f%% within ±10%% of %g households (%.1f%% within ±20%%); "
                                   "%g to %g households, median %g"),
                            100.0 * gp_json_round (t.within_10, SHARE_STEP),
                            report->target, 100.0 * gp_json_round (t.within_20, SHARE_STEP),
                            t.households[0], t.households[t.n_sized - 1], median_of (t.households, t.n_sized));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("  not in one piece: %u; joined across water: %u; reaching outside their area: %u; "
                                 "oversize: %u\n"),
                          t.noncontiguous, islands, t.crossing, t.oversize);
  g_string_append_printf (out, _("  mean compactness (Polsby-Popper): %.3f\n"), gp_json_round (t.mean_pp, SHARE_STEP));
  g_string_append_printf (out, _("  territory in no grid: %.2f m²; overlapping grids: %.2f m²; households in no grid: %g\n"),
                          gp_json_round (t.gap, AREA_STEP), gp_json_round (t.overlap, AREA_STEP), t.outside);
  for (guint p = 0; p < report->parts->len; p++)
    {
      GpSplitReportPart *part = g_ptr_array_index (report->parts, p);
      const char *code = part->area_code != NULL ? part->area_code : _("the area");

      if (gp_json_round (part->gap_area, AREA_STEP) > 0.0 || gp_json_round (part->overlap_area, AREA_STEP) > 0.0)
        g_string_append_printf (out, _("  %s: %.2f m² in no grid, %.2f m² in two grids at once\n"), code,
                                gp_json_round (part->gap_area, AREA_STEP), gp_json_round (part->overlap_area, AREA_STEP));
      if (part->broken->len > 0)
        {
          g_string_append_printf (out, _("  %s: not in one piece: "), code);
          append_codes (out, part->broken, 10);
          g_string_append_c (out, '\n');
        }
      if (part->islands->len > 0)
        {
          /* TRANSLATORS: grids whose pieces lie on islands of the area with no land between. */
          g_string_append_printf (out, _("  %s: on islands with no land link, joined across water: "), code);
          append_codes (out, part->islands, 10);
          g_string_append_c (out, '\n');
        }
    }
  g_free (t.households);
  return g_string_free (out, FALSE);
}

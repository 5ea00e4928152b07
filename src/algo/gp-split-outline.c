/* gp-split-outline.c: grids back in the source CRS, their outlines made of the units' own corners. */
#include "gp-config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-codes.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-partition.h"
#include "gp-split.h"
#include "gp-split-private.h"

/* Everything is computed in the local frame, where lon/lat edges were densified. On the way back
 * every corner of a grid that is a corner of a unit (or of the area) is put exactly where it was
 * given, and a corner that only lies along a unit's edge, in line with its neighbours in every
 * grid outline it belongs to (a densifying point, or where two densified copies of one edge
 * crossed), is dropped. The decision is taken per place over all the area's grids, so that
 * neighbours keep sharing identical edges; where a third outline turns off (a street's middle
 * meeting a block), the corner stays. */
struct _SourceIndex {
  GArray     *points;       /* SourcePoint, sorted by x then y */
  GHashTable *seg_cells;    /* segment bucket key → first SegLink + 1 */
  GArray     *segs;         /* double[4] x0 y0 x1 y1 */
  GArray     *links;        /* SegLink */
  double      eps;          /* how far a point may come back from where it was (source units) */
  double      seg_cell;     /* size of a segment bucket */
};

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

/* SHAPE's corners, and with SEGMENTS its edges (needed only where densifying added points). */
static void
source_index_add_shape (SourceIndex *idx, const GpShape *shape, gboolean segments)
{
  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    return;
  for (guint r = 0; r < shape->n_parts; r++)
    for (guint i = shape->part_start[r]; i < shape->part_start[r + 1]; i++)
      {
        const double *p = shape->xy + 2 * i;
        SourcePoint point = { p[0], p[1] };

        g_array_append_val (idx->points, point);
        if (segments && i + 1 < shape->part_start[r + 1])
          g_array_append_vals (idx->segs, p, 4);
      }
}

void
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

SourceIndex *
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
  source_index_add_shape (idx, in->shape, job->densify > 0.0);
  for (guint u = 0; u < in->n_units; u++)
    source_index_add_shape (idx, in->units[u], job->densify > 0.0);
  if (idx->points->len > 1)
    gp_parallel_sort (job->helpers, idx->points->data, idx->points->len, sizeof (SourcePoint), compare_source_point);

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

typedef struct {
  Job        *job;
  GHashTable *drop;     /* place → whether it may go (read only here) */
  GpShape   **shapes;
} RebuildJob;

/* Step 2 of restore_source_corners for outlines [LO, HI). */
static void
rebuild_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  RebuildJob *rj = data;
  Job *job = rj->job;
  SourceIndex *idx = job->sources;
  GHashTable *drop = rj->drop;
  GpShape **shapes = rj->shapes;

  for (guint s = lo; s < hi; s++)
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

/* Puts the corners of SHAPES (new grids, source CRS) back where the units gave them and drops
 * construction points, deciding per place over all of them (see above). */
void
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

  /* 2. Rebuild each outline (reading the index and the places, on the area's threads). */
  {
    RebuildJob rj = { job, drop, shapes };

    job_parallel (job, n, REBUILD_CHUNK, rebuild_range, &rj);
  }
}

/* A local geometry → a MultiPolygon shape in the source CRS. */
GpShape *
to_source (GEOSContextHandle_t ctx, GpLocalFrame *frame, const GEOSGeometry *g, GError **error)
{
  g_autoptr(GpShape) shape = NULL;

  if (g == NULL)
    {
      shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FORCE_MULTI, 0, 0, 0);
      return g_steal_pointer (&shape);
    }
  shape = gp_geom_to_shape (ctx, g, error);
  if (shape == NULL)
    return NULL;
  if (!gp_local_frame_inverse (frame, shape->xy, shape->n_points, error))
    return NULL;
  /* Mapping only the corners back can fold a needle a hair wide into a self-crossing: repair
   * it there, keeping the polygon's substance (crumbs under a millionth of it go, and so do
   * the hairline holes a needle touching its own border becomes: TOUCH in source units, from
   * the ratio of the areas). */
  if (!gp_shape_is_valid (shape))
    {
      GEOSGeometry *back = gp_geom_from_shape (ctx, shape, NULL);
      GEOSGeometry *valid = back != NULL ? gp_split_polygonal (ctx, GEOSMakeValid_r (ctx, back)) : NULL;
      double local_area = geom_area (ctx, g), source_area = geom_area (ctx, valid);
      double touch = local_area > 0.0 ? TOUCH * sqrt (source_area / local_area) : 0.0;

      valid = fill_hairline_holes (ctx, valid, touch);

      geom_free (ctx, back);
      if (valid != NULL)
        {
          double total = geom_area (ctx, valid);
          g_autoptr(GPtrArray) parts = g_ptr_array_new ();
          GEOSGeometry *kept;
          GpShape *repaired;

          gp_split_collect_polygons (ctx, valid, parts);
          for (guint i = parts->len; i-- > 0;)
            if (parts->len > 1 && geom_area (ctx, g_ptr_array_index (parts, i)) < CRUMB_SHARE * total)
              geom_free (ctx, g_ptr_array_steal_index (parts, i));
          kept = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) parts->pdata,
                                              parts->len);
          g_ptr_array_set_size (parts, 0);
          repaired = kept != NULL ? gp_geom_to_shape (ctx, kept, NULL) : NULL;
          geom_free (ctx, kept);
          geom_free (ctx, valid);
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

/* gp-split-borders.c: shared borders: outline segments that run side by side, found with a uniform grid of cells. */
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

void
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

int
compare_pair (const void *pa, const void *pb)
{
  const PairRec *a = pa, *b = pb;

  if (a->u != b->u)
    return a->u < b->u ? -1 : 1;
  return a->v < b->v ? -1 : a->v > b->v;
}

typedef struct {
  GArray      *segs;
  const guint *start, *items;
  GArray     **chunk_hits;   /* per chunk of PAIR_BUCKETS_CHUNK buckets */
  guint64      n_cells, nx;
  double       minx, miny, c, tol;
  gboolean     mixed_only;
} BucketJob;

/* The pairs of segments in buckets [LO, HI) of segment_pairs' grid. */
static void
bucket_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  BucketJob *bj = data;
  GArray *segs = bj->segs, *hits = NULL;
  const guint *start = bj->start, *items = bj->items;
  double minx = bj->minx, miny = bj->miny, c = bj->c, tol = bj->tol;
  guint64 nx = bj->nx;
  gboolean mixed_only = bj->mixed_only;

  for (guint64 cell = lo; cell < hi; cell++)
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

              if (hits == NULL)
                hits = bj->chunk_hits[lo / PAIR_BUCKETS_CHUNK] = g_array_new (FALSE, FALSE, sizeof (PairRec));
              g_array_append_val (hits, r);
            }
        }
}

/* Every pair of owners whose outlines meet, with their shared border. With MIXED_ONLY, only
 * pairs of different classes. Returns PairRecs sorted by (u, v). */
GArray *
segment_pairs (GArray *input, double tol, gboolean mixed_only, guint n_threads)
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
      total += sqrt ((s->x1 - s->x0) * (s->x1 - s->x0) + (s->y1 - s->y0) * (s->y1 - s->y0));
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
      double len = sqrt ((s->x1 - s->x0) * (s->x1 - s->x0) + (s->y1 - s->y0) * (s->y1 - s->y0));
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

  {
    /* The buckets on the area's threads, each chunk of buckets with its own list of hits,
     * joined in bucket order: the same pairs, summed in the same order, however many threads. */
    guint n_chunks = (guint) ((n_cells + PAIR_BUCKETS_CHUNK - 1) / PAIR_BUCKETS_CHUNK);
    g_autofree GArray **chunk_hits = g_new0 (GArray *, n_chunks + 1);
    BucketJob bj = { segs, start, items, chunk_hits, n_cells, nx, minx, miny, c, tol, mixed_only };

    if (n_cells <= G_MAXUINT - PAIR_BUCKETS_CHUNK)
      gp_parallel_for (n_threads, (guint) n_cells, PAIR_BUCKETS_CHUNK, bucket_range, &bj);
    else
      bucket_range (NULL, 0, 0, (guint) MIN (n_cells, G_MAXUINT), &bj);
    for (guint k = 0; k < n_chunks; k++)
      if (chunk_hits[k] != NULL)
        {
          g_array_append_vals (hits, chunk_hits[k]->data, chunk_hits[k]->len);
          g_array_unref (chunk_hits[k]);
        }
  }

  if (hits->len > 1)
    gp_parallel_sort (n_threads, hits->data, hits->len, sizeof (PairRec), compare_pair);
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

/* Length of border A and B share (within TOL), as segment_pairs measures it. */
double
shared_border (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b, double tol)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pairs = NULL;
  double shared = 0.0;

  geom_segments (ctx, a, 0, 0, segs, scratch);
  geom_segments (ctx, b, 1, 1, segs, scratch);
  pairs = segment_pairs (segs, tol, TRUE, 1);
  for (guint i = 0; i < pairs->len; i++)
    shared += g_array_index (pairs, PairRec, i).shared;
  return shared;
}

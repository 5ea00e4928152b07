/* gp-split-gaps.c: units made to meet: overlaps trimmed, fragments dropped, separate pieces linked, uncovered pieces handed out one by one where the territories left any. */
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
void
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

  tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
  for (guint i = 0; i < n; i++)
    if (cells->geom[i] != NULL)
      GEOSSTRtree_insert_r (ctx, tree, cells->geom[i], GUINT_TO_POINTER (i + 1));

  for (guint round = 0; round < LINK_ROUNDS; round++)
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
guint
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
      if (a <= OVERLAP_MIN)
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

void
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
    pairs = segment_pairs (all, TOUCH, TRUE, 1);
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
  tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
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

/* The pieces of FREE_AREA the K grids do not cover (appended to PIECES). */
static void
uncovered_pieces (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **grid_geom, guint k,
                  GPtrArray *pieces)
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
    return;
  gp_split_collect_polygons (ctx, gap, pieces);
  geom_free (ctx, gap);
}

/* The borders each piece shares with the K grids, as (piece, grid, length) records sorted by
 * piece; PAIR_START (pieces->len + 1 entries) gives each piece's range. */
static GArray *
borders_by_piece (GEOSContextHandle_t ctx, GPtrArray *pieces, GEOSGeometry **grid_geom, guint k, guint *pair_start)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pairs = NULL;
  GArray *by_piece;

  for (guint g = 0; g < k; g++)
    geom_segments (ctx, grid_geom[g], g, 0, segs, scratch);
  for (guint p = 0; p < pieces->len; p++)
    geom_segments (ctx, g_ptr_array_index (pieces, p), k + p, 1, segs, scratch);
  pairs = segment_pairs (segs, TOUCH, TRUE, 1);
  /* Pairs are sorted by the lower owner, a grid: regroup them by piece. */
  by_piece = g_array_sized_new (FALSE, FALSE, sizeof (PairRec), pairs->len);
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
  for (guint i = 0; i < by_piece->len; i++)
    pair_start[g_array_index (by_piece, PairRec, i).u + 1]++;
  for (guint p = 0; p < pieces->len; p++)
    pair_start[p + 1] += pair_start[p];
  return by_piece;
}

/* The grid nearest to PIECE (touching none), or NONE. */
static guint
nearest_grid (GEOSContextHandle_t ctx, const GEOSGeometry *piece, GEOSGeometry **grid_geom, guint k)
{
  guint best = NONE;
  double best_d = DBL_MAX;

  for (guint g = 0; g < k; g++)
    {
      double d = DBL_MAX;

      if (grid_geom[g] != NULL && GEOSDistanceIndexed_r (ctx, piece, grid_geom[g], &d) && d < best_d)
        {
          best_d = d;
          best = g;
        }
    }
  return best;
}

/* Of the N grids a piece borders (TOUCH), the one it borders most. */
static guint
most_shared (const PairRec *touch, guint n)
{
  guint best = 0;

  for (guint t = 1; t < n; t++)
    if (touch[t].shared > touch[best].shared)
      best = t;
  return touch[best].v;
}

/* The grids grown by what they were handed (GROWN[i] to GROWN_GRID[i]). */
static gboolean
grow_grids (GEOSContextHandle_t ctx, GEOSGeometry **grid_geom, guint k, GPtrArray *grown, GArray *grown_grid,
            GError **error)
{
  g_autofree GPtrArray **extra = g_new0 (GPtrArray *, k + 1);
  gboolean ok = TRUE;

  for (guint i = 0; i < grown->len; i++)
    {
      guint g = g_array_index (grown_grid, guint, i);

      if (extra[g] == NULL)
        extra[g] = g_ptr_array_new ();
      g_ptr_array_add (extra[g], g_ptr_array_index (grown, i));
    }
  g_ptr_array_set_size (grown, 0);
  for (guint g = 0; g < k; g++)
    {
      if (extra[g] == NULL)
        continue;
      if (ok)
        {
          if (grid_geom[g] != NULL)
            g_ptr_array_add (extra[g], grid_geom[g]);
          grid_geom[g] = union_take (ctx, extra[g]);
          ok = grid_geom[g] != NULL;
        }
      for (guint i = 0; i < extra[g]->len; i++)
        geom_free (ctx, g_ptr_array_index (extra[g], i));
      g_ptr_array_unref (extra[g]);
    }
  if (!ok)
    gp_geom_set_error (error, _("cannot join the uncovered territory to a grid"));
  return ok;
}

/* Hands every piece of FREE not covered by GRID_GEOM to a grid, so that the grids cover FREE
 * exactly. Grids in FIXED_FLAGS (none here: fixed grids are not in grid_geom) never grow. A last
 * resort now: the territories leave at most crumbs of rounding. */
gboolean
hand_out_gaps (Job *job, const GEOSGeometry *free_area, GEOSGeometry **grid_geom, guint k,
               GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  g_autoptr(GPtrArray) pieces = g_ptr_array_new ();
  double mean_grid = geom_area (ctx, free_area) / MAX (k, 1u);
  guint n_orphans = 0;
  gboolean ok = TRUE;

  if (k == 0 || free_area == NULL)
    return TRUE;
  uncovered_pieces (ctx, free_area, grid_geom, k, pieces);
  for (guint pass = 0; ok && pass < 4 && pieces->len > 0; pass++)
    {
      g_autofree guint *pair_start = g_new0 (guint, pieces->len + 1);
      g_autoptr(GArray) pairs = borders_by_piece (ctx, pieces, grid_geom, k, pair_start);
      g_autofree const GEOSPreparedGeometry **prepared = g_new0 (const GEOSPreparedGeometry *, k);
      g_autoptr(GPtrArray) leftovers = g_ptr_array_new ();
      g_autoptr(GPtrArray) grown = g_ptr_array_new ();
      g_autoptr(GArray) grown_grid = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint p = 0; p < pieces->len; p++)
        {
          GEOSGeometry *piece = g_ptr_array_index (pieces, p);
          guint first = pair_start[p], n_touch = pair_start[p + 1] - first, to;
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
              /* Touching no grid (an empty island, a pocket between locked grids): first wait
               * for the grids to grow towards it, then the nearest. */
              if (pass < 2)
                {
                  g_ptr_array_add (leftovers, piece);
                  continue;
                }
              to = nearest_grid (ctx, piece, grid_geom, k);
              if (to == NONE)
                {
                  geom_free (ctx, piece);
                  continue;
                }
              n_orphans++;
              g_ptr_array_add (grown, piece);
              g_array_append_val (grown_grid, to);
              continue;
            }
          /* A small, compact piece goes whole to the grid it borders most; a large one, or a
           * long thin one (a road, a hair along the area's outline) touching several grids,
           * is shared out by nearest grid, so that it joins no grid's far ends. */
          if (n_touch == 1 || pass > 0
              || (piece_area < FRAGMENT_SHARE * mean_grid && piece_length (ctx, piece) < sqrt (mean_grid)))
            {
              to = most_shared (touch, n_touch);
              g_ptr_array_add (grown, piece);
              g_array_append_val (grown_grid, to);
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
                to = most_shared (touch, n_touch);
                g_ptr_array_add (grown, GEOSGeom_clone_r (ctx, piece));
                g_array_append_val (grown_grid, to);
              }
            geom_free (ctx, piece);
          }
        }
      for (guint g = 0; g < k; g++)
        if (prepared[g] != NULL)
          GEOSPreparedGeom_destroy_r (ctx, prepared[g]);

      /* Grow the grids now, so that leftovers see them as they are. */
      ok = grow_grids (ctx, grid_geom, k, grown, grown_grid, error);
      g_ptr_array_set_size (pieces, 0);
      g_ptr_array_extend_and_steal (pieces, g_steal_pointer (&leftovers));
    }
  for (guint p = 0; p < pieces->len; p++)
    geom_free (ctx, g_ptr_array_index (pieces, p));
  if (!ok)
    return FALSE;
  if (n_orphans > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE,
                                "%s: %u piece of territory touches no unit or grid; it went to the nearest one",
                                "%s: %u pieces of territory touch no unit or grid; each went to the nearest one",
                                n_orphans),
              area_label (job), n_orphans);
  return TRUE;
}

/* TRUE when GEOMS (not overlapping, inside FREE_AREA) leave part of it uncovered: their areas
 * add up to less than it, beyond rounding. Saves a union of every unit on clean coverages. */
gboolean
leaves_gaps (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **geoms, guint n)
{
  double total = geom_area (ctx, free_area), sum = 0.0;

  for (guint i = 0; i < n; i++)
    sum += geom_area (ctx, geoms[i]);
  return total - sum > GAP_ROUNDING * total;
}

/* Small pieces of a cell (under 5% of its largest) go back to the uncovered territory, handed
 * out later like any other: fragments left by trimming or clipping, and detached bits of a unit
 * that lie among other units (a pier, a yard across the road), which would otherwise make an
 * exclave of its grid. A piece that touches no other cell (an islet) stays with its unit. */
guint
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

          if (geom_area (ctx, part) < FRAGMENT_SHARE * largest)
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

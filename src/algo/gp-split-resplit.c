/* gp-split-resplit.c: re-splits that stay put: earlier grids kept where nothing changed, codes that follow the ground. */
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
gint *
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
void
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
  tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
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

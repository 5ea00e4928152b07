/* gp-partition-bisect.c: contiguous recursive bisection: regions grown from opposite sides, cuts balanced unit by unit. */
#include "gp-config.h"

#include "gp-partition-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"

static void
heap_push (Ctx *c, guint v, double k)
{
  guint i = c->heap_n++;

  while (i > 0)
    {
      guint p = (i - 1) / 2;
      if (c->heap_k[p] < k || (c->heap_k[p] == k && c->heap_v[p] < v))
        break;
      c->heap_k[i] = c->heap_k[p];
      c->heap_v[i] = c->heap_v[p];
      i = p;
    }
  c->heap_k[i] = k;
  c->heap_v[i] = v;
}

static guint
heap_pop (Ctx *c)
{
  guint top = c->heap_v[0], i = 0, n = --c->heap_n;
  double k = c->heap_k[n];
  guint v = c->heap_v[n];

  for (;;)
    {
      guint l = 2 * i + 1, s;
      if (l >= n)
        break;
      s = l;
      if (l + 1 < n && (c->heap_k[l + 1] < c->heap_k[l]
                        || (c->heap_k[l + 1] == c->heap_k[l] && c->heap_v[l + 1] < c->heap_v[l])))
        s = l + 1;
      if (k < c->heap_k[s] || (k == c->heap_k[s] && v < c->heap_v[s]))
        break;
      c->heap_k[i] = c->heap_k[s];
      c->heap_v[i] = c->heap_v[s];
      i = s;
    }
  c->heap_k[i] = k;
  c->heap_v[i] = v;
  return top;
}

gboolean
touches (const Ctx *c, guint v, guint L)
{
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    if (c->lab[c->adj[e]] == L)
      return TRUE;
  return FALSE;
}

/* Grows side A from the unit furthest back along (dx, dy), always taking the frontier unit
 * furthest back, until it holds the households closest to W1; the rest is side B. Pockets of B
 * cut off from B's main body join A, so both sides are connected. Returns whether B came out
 * in one piece before that. */
gboolean
grow_side (Ctx *c, guint *verts, guint m, guint label, double dx, double dy, Cut *cut)
{
  guint seed = verts[0], popped = 0, pending = c->next_temp++;
  double wA = 0.0, best_k = G_MAXDOUBLE;
  guint n_comp = 0, best_start = 0, best_size = 0;
  double best_w = -1.0;

  for (guint i = 0; i < m; i++)
    {
      guint v = verts[i];
      c->lab[v] = label;
      c->key[v] = c->x[v] * dx + c->y[v] * dy;
      if (c->key[v] < best_k || (c->key[v] == best_k && v < seed))
        {
          best_k = c->key[v];
          seed = v;
        }
    }

  c->heap_n = 0;
  heap_push (c, seed, c->key[seed]);
  c->lab[seed] = pending;
  while (c->heap_n > 0 && popped < m - 1)
    {
      guint v = heap_pop (c);

      /* Stop before a unit that would leave A further from W1 than it is now. */
      if (popped > 0 && wA + c->w[v] > cut->W1 && (wA + c->w[v] - cut->W1) > (cut->W1 - wA))
        {
          c->lab[v] = label;
          break;
        }
      c->lab[v] = cut->A;
      c->order[popped++] = v;
      wA += c->w[v];
      if (wA >= cut->W1)
        break;
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        {
          guint u = c->adj[e];
          if (c->lab[u] == label)
            {
              c->lab[u] = pending;
              heap_push (c, u, c->key[u]);
            }
        }
    }
  c->heap_n = 0;
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] != cut->A)
      c->lab[verts[i]] = cut->B;

  /* B's pieces: keep the heaviest, hand the others to A (each touches A only). */
  {
    guint stamp = next_stamp (c), tail = 0;

    for (guint i = 0; i < m; i++)
      {
        guint s = verts[i], start = tail;
        double pw = 0.0;

        if (c->lab[s] != cut->B || c->seen[s] == stamp)
          continue;
        tail = walk_piece (c, s, cut->B, stamp, c->order, tail);
        for (guint k = start; k < tail; k++)
          pw += c->w[c->order[k]];
        n_comp++;
        if (pw > best_w || (pw == best_w && tail - start > best_size))
          {
            best_w = pw;
            best_start = start;
            best_size = tail - start;
          }
      }
    if (n_comp > 1)
      for (guint i = 0; i < tail; i++)
        if (i < best_start || i >= best_start + best_size)
          {
            c->lab[c->order[i]] = cut->A;
            wA += c->w[c->order[i]];
          }
  }
  cut->wA = wA;
  cut->nA = 0;
  for (guint i = 0; i < m; i++)
    cut->nA += c->lab[verts[i]] == cut->A;
  cut->nB = m - cut->nA;
  return n_comp <= 1;
}

static double
cut_length (const Ctx *c, const guint *verts, guint m, guint A, guint B)
{
  double l = 0.0;

  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == A)
      for (guint e = c->xadj[verts[i]]; e < c->xadj[verts[i] + 1]; e++)
        if (c->lab[c->adj[e]] == B)
          l += c->len[e];
  return l;
}

/* Moves v across the cut when both sides stay connected. */
static gboolean
try_cross (Ctx *c, Cut *cut, guint v)
{
  guint from = c->lab[v], to = from == cut->A ? cut->B : cut->A;

  if ((from == cut->A ? cut->nA : cut->nB) <= 1 || !touches (c, v, to)
      || !stays_connected (c, v, from))
    return FALSE;
  c->lab[v] = to;
  cut->wA += (to == cut->A ? 1.0 : -1.0) * c->w[v];
  if (to == cut->A)
    {
      cut->nA++;
      cut->nB--;
    }
  else
    {
      cut->nA--;
      cut->nB++;
    }
  return TRUE;
}

typedef struct {
  double dev;   /* |households of A - W1| after the move */
  double dcut;  /* change of the cut length */
  guint  v, u;  /* units that cross (u = UNSET for a single move) */
} Move;

static int
cmp_move (const void *a, const void *b)
{
  const Move *ma = a, *mb = b;

  if (ma->dev != mb->dev)
    return ma->dev < mb->dev ? -1 : 1;
  if (ma->dcut != mb->dcut)
    return ma->dcut < mb->dcut ? -1 : 1;
  if (ma->v != mb->v)
    return ma->v < mb->v ? -1 : 1;
  return (ma->u > mb->u) - (ma->u < mb->u);
}

/* Change of the cut length if v crosses from its side to the other. */
static double
cross_dcut (const Ctx *c, guint v, guint from, guint to)
{
  return shared_with (c, v, from) - shared_with (c, v, to);
}

/* Brings side A's households within `allow` of W1 where the units permit: first by retreating
 * or advancing the cut front unit by unit, then by the best single units and pairs. */
void
balance_cut (Ctx *c, guint *verts, guint m, Cut *cut, double allow, double wmax)
{
  GArray *moves = g_array_new (FALSE, FALSE, sizeof (Move));

  /* Coarse: while far off, move front units of the heavy side in sweep order. */
  if (fabs (cut->wA - cut->W1) > 2.0 * wmax)
    {
      gboolean shrink_a = cut->wA > cut->W1;
      guint from = shrink_a ? cut->A : cut->B, to = shrink_a ? cut->B : cut->A;
      /* A retreats from its front (largest keys first); B gives its units nearest A first. */
      double sign = shrink_a ? -1.0 : 1.0;

      c->heap_n = 0;
      for (guint i = 0; i < m; i++)
        if (c->lab[verts[i]] == from && touches (c, verts[i], to))
          heap_push (c, verts[i], sign * c->key[verts[i]]);
      while (c->heap_n > 0 && fabs (cut->wA - cut->W1) > wmax)
        {
          guint v = heap_pop (c);
          double excess = fabs (cut->wA - cut->W1);

          if (c->lab[v] != from || c->w[v] > excess + wmax || !try_cross (c, cut, v))
            continue;
          for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
            if (c->lab[c->adj[e]] == from)
              heap_push (c, c->adj[e], sign * c->key[c->adj[e]]);
        }
      c->heap_n = 0;
    }

  /* Fine: the single unit or pair of units that brings A closest to W1. */
  for (guint iter = 0; iter < 4 * m + 16; iter++)
    {
      double dev = fabs (cut->wA - cut->W1);
      gboolean moved = FALSE;

      if (dev <= allow)
        break;
      g_array_set_size (moves, 0);
      for (guint i = 0; i < m; i++)
        {
          guint v = verts[i], from = c->lab[v], to = from == cut->A ? cut->B : cut->A;
          double nd = fabs (cut->wA + (from == cut->A ? -c->w[v] : c->w[v]) - cut->W1);
          Move mv = { MAX (nd, allow), 0.0, v, UNSET };

          if (nd >= dev || !touches (c, v, to))
            continue;
          mv.dcut = cross_dcut (c, v, from, to);
          g_array_append_val (moves, mv);
        }
      /* Pairs of units crossing both ways only when no single unit does well enough. */
      if (m <= PAIR_LIMIT)
        {
          guint nba = 0, nbb = 0;
          double best_single = G_MAXDOUBLE;

          for (guint i = 0; i < moves->len; i++)
            best_single = MIN (best_single, g_array_index (moves, Move, i).dev);
          if (best_single > allow)
            {
              /* Units on each side of the cut, A's in order[0..nba), B's after them. */
              for (guint i = 0; i < m; i++)
                if (c->lab[verts[i]] == cut->A && touches (c, verts[i], cut->B))
                  c->order[nba++] = verts[i];
              for (guint i = 0; i < m; i++)
                if (c->lab[verts[i]] == cut->B && touches (c, verts[i], cut->A))
                  c->order[nba + nbb++] = verts[i];
              for (guint i = 0; i < nba; i++)
                for (guint j = 0; j < nbb; j++)
                  {
                    guint v = c->order[i], u = c->order[nba + j];
                    double nd = fabs (cut->wA - c->w[v] + c->w[u] - cut->W1);
                    Move mv = { MAX (nd, allow), 0.0, v, u };

                    if (nd >= MIN (dev, best_single) - 1e-9)
                      continue;
                    mv.dcut = cross_dcut (c, v, cut->A, cut->B) + cross_dcut (c, u, cut->B, cut->A);
                    g_array_append_val (moves, mv);
                  }
            }
        }
      if (moves->len == 0)
        break;
      g_array_sort (moves, cmp_move);
      for (guint i = 0; i < moves->len && !moved; i++)
        {
          Move *mv = &g_array_index (moves, Move, i);

          if (mv->u == UNSET)
            moved = try_cross (c, cut, mv->v);
          else if (try_cross (c, cut, mv->v))
            {
              /* u must be able to follow; otherwise put v back where it was. */
              if (c->lab[mv->u] == cut->B && try_cross (c, cut, mv->u))
                moved = TRUE;
              else
                {
                  c->lab[mv->v] = cut->A;
                  cut->wA += c->w[mv->v];
                  cut->nA++;
                  cut->nB--;
                }
            }
        }
      if (!moved)
        break;
    }
  g_array_free (moves, TRUE);
}

/* Principal axis of the region's points, weighted by area so the cut follows its shape. */
static void
principal_axis (const Ctx *c, const guint *verts, guint m, double *ux, double *uy)
{
  double sw = 0.0, mx = 0.0, my = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0, theta;

  for (guint i = 0; i < m; i++)
    {
      double a = c->area[verts[i]] + 1e-9;
      sw += a;
      mx += a * c->x[verts[i]];
      my += a * c->y[verts[i]];
    }
  mx /= sw;
  my /= sw;
  for (guint i = 0; i < m; i++)
    {
      double a = c->area[verts[i]] + 1e-9, dx = c->x[verts[i]] - mx, dy = c->y[verts[i]] - my;
      sxx += a * dx * dx;
      syy += a * dy * dy;
      sxy += a * dx * dy;
    }
  theta = 0.5 * atan2 (2.0 * sxy, sxx - syy);
  *ux = cos (theta);
  *uy = sin (theta);
}

static void
make_grid (Ctx *c, guint *verts, guint m, guint comp)
{
  guint g = grid_new (c, FALSE, comp);

  for (guint i = 0; i < m; i++)
    grid_add (c, g, verts[i]);
}

guint
count_households (const Ctx *c, const guint *verts, guint m, double *total)
{
  guint n_pos = 0;
  double t = 0.0;

  for (guint i = 0; i < m; i++)
    if (c->w[verts[i]] > 0.0)
      {
        n_pos++;
        t += c->w[verts[i]];
      }
  if (total != NULL)
    *total = t;
  return n_pos;
}

/* Cuts the connected region VERTS (M units labelled LABEL, K > 1 grids' worth, M > 1) into two
 * connected sides holding households in the ratio k1:k2 (k1 = K / 2): side A first in VERTS.
 * Returns how many units side A has; *K1 gets k1. */
guint
bisect_once (Ctx *c, guint *verts, guint m, guint label, guint k, guint *k1_out)
{
  double W, wmax = 0.0, ux, uy, allow;
  double dirs[4][2];
  guint k1, k2, m_a = 0, best = 0;
  double best_dev = G_MAXDOUBLE, best_len = G_MAXDOUBLE;
  Cut cut;

  count_households (c, verts, m, &W);
  for (guint i = 0; i < m; i++)
    wmax = MAX (wmax, c->w[verts[i]]);

  k1 = k / 2;
  k2 = k - k1;
  cut.A = c->next_temp++;
  cut.B = c->next_temp++;
  cut.W1 = W * k1 / k;
  /* A side's error spreads over its grids, so large regions may be cut coarsely. */
  allow = MAX (0.03 * (W / k) * MIN (k1, k2), 0.5);

  principal_axis (c, verts, m, &ux, &uy);
  dirs[0][0] = ux;  dirs[0][1] = uy;
  dirs[1][0] = -ux; dirs[1][1] = -uy;
  dirs[2][0] = -uy; dirs[2][1] = ux;
  dirs[3][0] = uy;  dirs[3][1] = -ux;
  /* Cut across the long axis; other directions only when it leaves B in pieces. */
  for (guint d = 0; d < 4; d++)
    {
      gboolean whole = grow_side (c, verts, m, label, dirs[d][0], dirs[d][1], &cut);
      double dev = fabs (cut.wA - cut.W1);
      double len;

      if (d == 0 && whole)
        {
          best = 0;
          best_dev = -1.0;
          break;
        }
      len = cut_length (c, verts, m, cut.A, cut.B);
      if (dev < best_dev - 1e-9 || (dev <= best_dev + 1e-9 && len < best_len))
        {
          best = d;
          best_dev = dev;
          best_len = len;
        }
    }
  if (best_dev >= 0.0 && best != 3)
    grow_side (c, verts, m, label, dirs[best][0], dirs[best][1], &cut);
  balance_cut (c, verts, m, &cut, allow, wmax);

  /* Side A first in verts, then side B. */
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == cut.A)
      {
        guint t = verts[m_a];
        verts[m_a++] = verts[i];
        verts[i] = t;
      }
  g_assert (m_a > 0 && m_a < m);
  *k1_out = k1;
  return m_a;
}

/* Splits a connected region (units labelled `label`) into k connected grids: two connected
 * sides holding households in the ratio k1:k2, each split again. */
void
split_region (Ctx *c, guint *verts, guint m, guint label, guint k, guint comp)
{
  double W;
  guint n_pos, k1, m_a;

  n_pos = count_households (c, verts, m, &W);
  if (k > 1 && n_pos < k)
    {
      /* A grid needs households of its own. */
      guint can = MAX (n_pos, 1);
      c->lost_grids += k - can;
      k = can;
    }
  if (k <= 1 || m <= 1)
    {
      make_grid (c, verts, m, comp);
      return;
    }
  m_a = bisect_once (c, verts, m, label, k, &k1);
  split_region (c, verts, m_a, c->lab[verts[0]], k1, comp);
  split_region (c, verts + m_a, m - m_a, c->lab[verts[m_a]], k - k1, comp);
}

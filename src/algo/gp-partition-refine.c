/* gp-partition-refine.c: k-way refinement that keeps every grid connected: single moves, pair re-splits, chains for grids off target. */
#include "gp-config.h"

#include "gp-partition-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"

static double
balance_cost (const Ctx *c, double w)
{
  double d = (w - c->target) / c->target, a = fabs (d);

  return d * d + (a > 0.10 + 1e-12 ? STEP_10PCT : 0.0) + (a > c->tol + 1e-12 ? STEP_TOL : 0.0);
}

double
polsby_popper (double area, double perimeter)
{
  return perimeter > 0.0 ? 4.0 * G_PI * area / (perimeter * perimeter) : 0.0;
}

static double
grid_cost (const Ctx *c, double w, double area, double perimeter)
{
  return balance_cost (c, w) - c->lambda * polsby_popper (area, perimeter);
}

/* Gain in cost if v moves from P to Q and u from Q to P (labels are restored). */
static double
swap_gain (Ctx *c, guint v, guint u, guint P, guint Q)
{
  double before = grid_cost (c, c->gw[P], c->garea[P], c->gperim[P])
                  + grid_cost (c, c->gw[Q], c->garea[Q], c->gperim[Q]);
  double per_p = c->gperim[P], per_q = c->gperim[Q];

  c->lab[v] = UNSET;
  per_p -= c->perim[v] - 2.0 * shared_with (c, v, P);
  per_q += c->perim[v] - 2.0 * shared_with (c, v, Q);
  c->lab[v] = Q;
  c->lab[u] = UNSET;
  per_q -= c->perim[u] - 2.0 * shared_with (c, u, Q);
  per_p += c->perim[u] - 2.0 * shared_with (c, u, P);
  c->lab[u] = Q;
  c->lab[v] = P;
  return before
         - grid_cost (c, c->gw[P] - c->w[v] + c->w[u], c->garea[P] - c->area[v] + c->area[u], per_p)
         - grid_cost (c, c->gw[Q] + c->w[v] - c->w[u], c->garea[Q] + c->area[v] - c->area[u], per_q);
}

/* Whether u touches a unit of P other than v. */
static gboolean
touches_besides (const Ctx *c, guint u, guint P, guint v)
{
  for (guint e = c->xadj[u]; e < c->xadj[u + 1]; e++)
    if (c->lab[c->adj[e]] == P && c->adj[e] != v)
      return TRUE;
  return FALSE;
}

#define SWAP_SCAN 48  /* grids up to this size are searched for a unit to exchange */

#define MAX_NEAR  16

/* Moves v to the neighbouring free grid where the total cost falls most, if any does and v's
 * grid stays connected; failing that, exchanges v for a unit of a neighbouring grid where that
 * lowers the cost (a boundary straightened without upsetting the households). */
static gboolean
refine_unit (Ctx *c, guint v)
{
  guint P = c->lab[v], best_q = UNSET, m = 0, best_u = UNSET;
  guint near[MAX_NEAR];
  double near_pp[MAX_NEAR];
  double lp = 0.0, best_gain = GAIN_EPS, base_p, wp, ap, pp;

  if (c->gfixed[P] || c->gsize[P] <= 1)
    return FALSE;
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    if (c->lab[c->adj[e]] == P)
      lp += c->len[e];
  wp = c->gw[P] - c->w[v];
  ap = c->garea[P] - c->area[v];
  pp = c->gperim[P] - c->perim[v] + 2.0 * lp;
  base_p = grid_cost (c, c->gw[P], c->garea[P], c->gperim[P]) - grid_cost (c, wp, ap, pp);
  for (guint e = c->xadj[v]; e < c->xadj[v + 1] && m < MAX_NEAR; e++)
    {
      guint q = c->lab[c->adj[e]], i;
      double lq, gain;

      if (q == P || c->gfixed[q])
        continue;
      for (i = 0; i < m && near[i] != q; i++)
        ;
      if (i < m)
        continue;
      lq = shared_with (c, v, q);
      gain = base_p + grid_cost (c, c->gw[q], c->garea[q], c->gperim[q])
             - grid_cost (c, c->gw[q] + c->w[v], c->garea[q] + c->area[v],
                          c->gperim[q] + c->perim[v] - 2.0 * lq);
      /* What v alone would do to the two grids' compactness. */
      near_pp[m] = polsby_popper (ap, pp) - polsby_popper (c->garea[P], c->gperim[P])
                   + polsby_popper (c->garea[q] + c->area[v], c->gperim[q] + c->perim[v] - 2.0 * lq)
                   - polsby_popper (c->garea[q], c->gperim[q]);
      near[m++] = q;
      if (gain > best_gain)
        {
          best_gain = gain;
          best_q = q;
        }
    }
  if (best_q != UNSET)
    {
      if (!stays_connected (c, v, P))
        return FALSE;
      grid_remove (c, P, v);
      grid_add (c, best_q, v);
      return TRUE;
    }

  for (guint i = 0; i < m; i++)
    {
      guint q = near[i];
      double bal0, pp_room;

      /* Exchanges that straighten a boundary start with a unit that sticks out. */
      if (c->gsize[q] > SWAP_SCAN || near_pp[i] <= 0.0)
        continue;
      bal0 = balance_cost (c, c->gw[P]) + balance_cost (c, c->gw[q]);
      pp_room = c->lambda * (2.0 - polsby_popper (c->garea[P], c->gperim[P])
                             - polsby_popper (c->garea[q], c->gperim[q]));
      for (guint u = c->ghead[q]; u != UNSET; u = c->unext[u])
        {
          double gain, dw = c->w[u] - c->w[v];

          /* No compactness gained could make up for the households moved. */
          if (balance_cost (c, c->gw[P] + dw) + balance_cost (c, c->gw[q] - dw) - bal0 >= pp_room
              || !touches_besides (c, u, P, v))
            continue;
          gain = swap_gain (c, v, u, P, q);
          if (gain > best_gain)
            {
              best_gain = gain;
              best_q = q;
              best_u = u;
            }
        }
    }
  if (best_u == UNSET || !stays_connected (c, v, P))
    return FALSE;
  grid_remove (c, P, v);
  grid_add (c, best_q, v);
  if (c->gsize[best_q] > 1 && stays_connected (c, best_u, best_q))
    {
      grid_remove (c, best_q, best_u);
      grid_add (c, P, best_u);
      return TRUE;
    }
  grid_remove (c, best_q, v);
  grid_add (c, P, v);
  return FALSE;
}

static gboolean
on_free_boundary (const Ctx *c, guint v)
{
  guint P = c->lab[v];

  if (P == UNSET || c->gfixed[P])
    return FALSE;
  for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
    {
      guint q = c->lab[c->adj[e]];
      if (q != P && q != UNSET && !c->gfixed[q])
        return TRUE;
    }
  return FALSE;
}

/* Greedy boundary refinement: visits boundary units in a seeded order, moves each where the
 * cost falls, and revisits the neighbours of every unit moved, until nothing improves. */
void
refine (Ctx *c, gboolean only_changed, guint passes)
{
  guint n = c->n, head = 0, count = 0;
  guint8 *queued = g_new0 (guint8, n);
  guint *ring = g_new (guint, n);
  guint64 moves = 0, max_moves = 40 * (guint64) n + 1000;

  for (guint pass = 0; pass < passes; pass++)
    {
      guint pass_moves = 0;

      head = count = 0;
      for (guint v = 0; v < n; v++)
        if ((!only_changed || pass > 0 || c->gchanged[c->lab[v]]) && on_free_boundary (c, v))
          {
            ring[count++] = v;
            queued[v] = 1;
          }
      for (guint i = count; i > 1; i--)
        {
          guint j = g_rand_int_range (c->rand, 0, (gint32) i), t = ring[i - 1];
          ring[i - 1] = ring[j];
          ring[j] = t;
        }
      while (count > 0 && moves < max_moves)
        {
          guint v = ring[head];

          head = (head + 1) % n;
          count--;
          queued[v] = 0;
          if (!refine_unit (c, v))
            continue;
          moves++;
          pass_moves++;
          for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
            {
              guint u = c->adj[e];
              if (!queued[u] && on_free_boundary (c, u))
                {
                  queued[u] = 1;
                  ring[(head + count++) % n] = u;
                }
            }
        }
      for (guint i = 0; i < count; i++)
        queued[ring[(head + i) % n]] = 0;
      if (pass_moves == 0 || moves >= max_moves)
        break;
    }
  g_free (ring);
  g_free (queued);
}

/* Recomputes grid g's sums and member list from the labels of its units in verts. */
static void
grid_rebuild (Ctx *c, guint g, const guint *verts, guint m)
{
  c->gw[g] = c->garea[g] = c->gperim[g] = 0.0;
  c->gsize[g] = 0;
  c->ghead[g] = UNSET;
  /* Out first, so each unit added counts only the boundary shared with those already in. */
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == g)
      c->lab[verts[i]] = UNSET - 1;
  for (guint i = 0; i < m; i++)
    if (c->lab[verts[i]] == UNSET - 1)
      grid_add (c, g, verts[i]);
}

/* Cost of the two sides of a cut over verts, from scratch. */
static double
cut_cost (const Ctx *c, const guint *verts, guint m, guint A, guint B)
{
  double w[2] = { 0, 0 }, a[2] = { 0, 0 }, p[2] = { 0, 0 };

  for (guint i = 0; i < m; i++)
    {
      guint v = verts[i], s = c->lab[v] == A ? 0 : 1, L = c->lab[v];
      w[s] += c->w[v];
      a[s] += c->area[v];
      p[s] += c->perim[v];
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        if (c->lab[c->adj[e]] == L)
          p[s] -= c->len[e];
    }
  (void) B;
  return grid_cost (c, w[0], a[0], p[0]) + grid_cost (c, w[1], a[1], p[1]);
}

#define RESPLIT_MAX   64  /* two grids with more units than this are not cut afresh */

#define RESPLIT_DIRS  6

/* Grids at least this compact and within ±10% are not cut afresh with a neighbour. */
#define RESPLIT_PP    0.4

/* Cuts the union of two neighbouring grids afresh from several directions and keeps the best
 * cut if it beats the present boundary. */
static gboolean
resplit_pair (Ctx *c, guint P, guint Q, guint *verts, guint8 *best_side)
{
  guint m = 0, region = c->next_temp++;
  double before, best = G_MAXDOUBLE, wmax = 0.0;
  Cut cut;

  if (c->gsize[P] + c->gsize[Q] > RESPLIT_MAX)
    return FALSE;
  /* Two compact grids on target are left alone: a fresh cut rarely beats them. */
  if (polsby_popper (c->garea[P], c->gperim[P]) >= RESPLIT_PP
      && polsby_popper (c->garea[Q], c->gperim[Q]) >= RESPLIT_PP
      && fabs (c->gw[P] - c->target) <= 0.1 * c->target
      && fabs (c->gw[Q] - c->target) <= 0.1 * c->target)
    return FALSE;
  for (guint u = c->ghead[P]; u != UNSET; u = c->unext[u])
    verts[m++] = u;
  for (guint u = c->ghead[Q]; u != UNSET; u = c->unext[u])
    verts[m++] = u;
  before = grid_cost (c, c->gw[P], c->garea[P], c->gperim[P])
           + grid_cost (c, c->gw[Q], c->garea[Q], c->gperim[Q]);
  for (guint i = 0; i < m; i++)
    wmax = MAX (wmax, c->w[verts[i]]);
  cut.A = c->next_temp++;
  cut.B = c->next_temp++;
  cut.W1 = 0.5 * (c->gw[P] + c->gw[Q]);
  for (guint d = 0; d < RESPLIT_DIRS; d++)
    {
      double angle = 2.0 * G_PI * d / RESPLIT_DIRS, cost;

      grow_side (c, verts, m, region, cos (angle), sin (angle), &cut);
      balance_cut (c, verts, m, &cut, 0.05 * c->target, wmax);
      cost = cut_cost (c, verts, m, cut.A, cut.B);
      if (cost < best)
        {
          best = cost;
          for (guint i = 0; i < m; i++)
            best_side[i] = c->lab[verts[i]] == cut.A;
        }
    }
  if (best < before - 1e-9)
    {
      for (guint i = 0; i < m; i++)
        c->lab[verts[i]] = best_side[i] ? P : Q;
      grid_rebuild (c, P, verts, m);
      grid_rebuild (c, Q, verts, m);
      return TRUE;
    }
  /* Put every unit back: the first gsize[P] listed were P's. */
  for (guint i = 0; i < m; i++)
    c->lab[verts[i]] = i < c->gsize[P] ? P : Q;
  return FALSE;
}

typedef struct {
  guint p, q;
} GridPair;

static int
cmp_grid_pair (const void *a, const void *b)
{
  const GridPair *x = a, *y = b;

  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  return (x->q > y->q) - (x->q < y->q);
}

/* One round of fresh cuts over every pair of neighbouring free grids, in a seeded order. */
guint
resplit_pairs (Ctx *c)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (GridPair));
  guint *verts = g_new (guint, 2 * RESPLIT_MAX + 2);
  guint8 *side = g_new (guint8, 2 * RESPLIT_MAX + 2);
  guint n_pairs = 0, changed = 0;

  for (guint v = 0; v < c->n; v++)
    {
      guint P = c->lab[v];
      if (c->gfixed[P])
        continue;
      for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
        {
          guint Q = c->lab[c->adj[e]];
          if (Q > P && !c->gfixed[Q])
            {
              GridPair gp = { P, Q };
              g_array_append_val (pairs, gp);
            }
        }
    }
  g_array_sort (pairs, cmp_grid_pair);
  for (guint i = 0; i < pairs->len; i++)
    if (i == 0 || cmp_grid_pair (&g_array_index (pairs, GridPair, i),
                                 &g_array_index (pairs, GridPair, i - 1)) != 0)
      g_array_index (pairs, GridPair, n_pairs++) = g_array_index (pairs, GridPair, i);
  for (guint i = n_pairs; i > 1; i--)
    {
      guint j = g_rand_int_range (c->rand, 0, (gint32) i);
      GridPair t = g_array_index (pairs, GridPair, i - 1);
      g_array_index (pairs, GridPair, i - 1) = g_array_index (pairs, GridPair, j);
      g_array_index (pairs, GridPair, j) = t;
    }
  for (guint i = 0; i < n_pairs; i++)
    {
      GridPair *gp = &g_array_index (pairs, GridPair, i);
      changed += resplit_pair (c, gp->p, gp->q, verts, side);
    }
  g_free (side);
  g_free (verts);
  g_array_free (pairs, TRUE);
  return changed;
}

#define CHAIN_DEPTH   6   /* grids a chain may pass households through */

#define CHAIN_BRANCH  3   /* units tried at each step */

#define CHAIN_CANDS   96

typedef struct {
  guint  u, from, to;
  double key;
} ChainCand;

static int
cmp_chain_cand (const void *a, const void *b)
{
  const ChainCand *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->u != y->u)
    return x->u < y->u ? -1 : 1;
  return (x->to > y->to) - (x->to < y->to);
}

/* Change of the total cost if u moves from grid `from` to grid `to`. */
static double
move_delta (Ctx *c, guint u, guint from, guint to)
{
  double lf = shared_with (c, u, from), lt = shared_with (c, u, to);

  return grid_cost (c, c->gw[from] - c->w[u], c->garea[from] - c->area[u],
                    c->gperim[from] - c->perim[u] + 2.0 * lf)
         + grid_cost (c, c->gw[to] + c->w[u], c->garea[to] + c->area[u],
                      c->gperim[to] + c->perim[u] - 2.0 * lt)
         - grid_cost (c, c->gw[from], c->garea[from], c->gperim[from])
         - grid_cost (c, c->gw[to], c->garea[to], c->gperim[to]);
}

static gboolean
in_chain (const guint *chain, guint n, guint g)
{
  for (guint i = 0; i < n; i++)
    if (chain[i] == g)
      return TRUE;
  return FALSE;
}

/* Grid X has too few households (need > 0) or too many (need < 0). Takes a unit from (or gives
 * one to) a neighbouring grid, which may pass the shortfall on in turn, and keeps the first
 * chain of moves that lowers the total cost; undoes the rest. */
static gboolean
chain_search (Ctx *c, guint X, gboolean need, guint *chain, guint depth, double delta)
{
  ChainCand cand[CHAIN_CANDS];
  guint n_cand = 0, tried = 0;

  if (c->gsize[X] > CHAIN_CANDS)
    return FALSE;
  chain[depth] = X;
  for (guint x = c->ghead[X]; x != UNSET; x = c->unext[x])
    for (guint e = c->xadj[x]; e < c->xadj[x + 1] && n_cand < CHAIN_CANDS; e++)
      {
        guint y = c->adj[e], Y = c->lab[y];
        ChainCand cc;
        gboolean dup = FALSE;

        if (Y == X || c->gfixed[Y] || in_chain (chain, depth + 1, Y))
          continue;
        cc.u = need ? y : x;
        cc.from = need ? Y : X;
        cc.to = need ? X : Y;
        for (guint i = 0; i < n_cand && !dup; i++)
          dup = cand[i].u == cc.u && cand[i].to == cc.to;
        if (dup)
          continue;
        cc.key = fabs (c->gw[X] + (need ? c->w[cc.u] : -c->w[cc.u]) - c->target);
        cand[n_cand++] = cc;
      }
  qsort (cand, n_cand, sizeof (ChainCand), cmp_chain_cand);
  for (guint i = 0; i < n_cand && tried < CHAIN_BRANCH; i++)
    {
      ChainCand *cc = &cand[i];
      double d;

      if (c->lab[cc->u] != cc->from || c->gsize[cc->from] <= 1 || !stays_connected (c, cc->u, cc->from))
        continue;
      tried++;
      d = delta + move_delta (c, cc->u, cc->from, cc->to);
      grid_remove (c, cc->from, cc->u);
      grid_add (c, cc->to, cc->u);
      if (d < -GAIN_EPS)
        return TRUE;
      if (depth + 1 < CHAIN_DEPTH
          && chain_search (c, need ? cc->from : cc->to, need, chain, depth + 1, d))
        return TRUE;
      grid_remove (c, cc->to, cc->u);
      grid_add (c, cc->from, cc->u);
    }
  return FALSE;
}

/* Grids outside ±10% of T, worst first, each get a chain search. */
guint
repair_off_target (Ctx *c)
{
  GArray *off = g_array_new (FALSE, FALSE, sizeof (ChainCand));
  guint chain[CHAIN_DEPTH + 1], fixed = 0;

  for (guint g = 0; g < c->n_grids; g++)
    if (!c->gfixed[g] && fabs (c->gw[g] - c->target) > 0.10 * c->target + 1e-9)
      {
        ChainCand cc = { g, g, g, -fabs (c->gw[g] - c->target) };
        g_array_append_val (off, cc);
      }
  g_array_sort (off, cmp_chain_cand);
  for (guint i = 0; i < off->len; i++)
    {
      guint g = g_array_index (off, ChainCand, i).u;
      double dev = c->gw[g] - c->target;

      if (fabs (dev) > 0.10 * c->target + 1e-9)
        fixed += chain_search (c, g, dev < 0.0, chain, 0, 0.0);
    }
  g_array_free (off, TRUE);
  return fixed;
}

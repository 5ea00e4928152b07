/* gp-partition-check.c: the graph checked before any work, and grids made whole again should refinement ever break one. */
#include "gp-config.h"

#include "gp-partition-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-error.h"

typedef struct {
  guint  id;
  double len;
} Nb;

static int
cmp_nb (const void *a, const void *b)
{
  const Nb *na = a, *nb = b;

  if (na->id != nb->id)
    return na->id < nb->id ? -1 : 1;
  return (na->len > nb->len) - (na->len < nb->len);
}

static gboolean
finite_nonneg (const double *a, guint n, guint *bad)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (a[i]) || a[i] < 0.0)
      {
        *bad = i;
        return FALSE;
      }
  return TRUE;
}

gboolean
check_graph (const GpPartitionGraph *g, const GpPartitionOptions *o, GError **error)
{
  guint n = g->n_units, bad = 0;
  g_autofree guint *rxadj = NULL;
  g_autofree Nb *rev = NULL, *row = NULL;
  g_autofree guint *fill = NULL;
  guint max_deg = 0;

  if (!isfinite (o->target) || o->target <= 0.0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("The target of %g households per grid is not a positive number"), o->target);
      return FALSE;
    }
  if (!isfinite (o->tolerance) || o->tolerance < 0.0 || o->tolerance > 10.0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("The tolerance %g is not between 0 and 10"), o->tolerance);
      return FALSE;
    }
  if (n == 0)
    return TRUE;
  /* Temporary labels (a few per grid and per pair of grids) must stay below UNSET. */
  if (n >= (1u << 26))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%u units are too many to split at once"), n);
      return FALSE;
    }
  if (g->households == NULL || g->x == NULL || g->y == NULL || g->area == NULL
      || g->perimeter == NULL || g->xadj == NULL || (g->adjncy == NULL && g->xadj[n] > 0))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("The units' households, points, areas, perimeters or neighbours are missing"));
      return FALSE;
    }
  if (!finite_nonneg (g->households, n, &bad))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Unit %u: the household count %g is not a number of zero or more"), bad,
                   g->households[bad]);
      return FALSE;
    }
  if (!finite_nonneg (g->area, n, &bad) || !finite_nonneg (g->perimeter, n, &bad))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Unit %u: the area or perimeter is negative or not a number"), bad);
      return FALSE;
    }
  for (guint v = 0; v < n; v++)
    {
      if (!isfinite (g->x[v]) || !isfinite (g->y[v]))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Unit %u: its point is not a number"), v);
          return FALSE;
        }
      if (g->xadj[v + 1] < g->xadj[v] || (v == 0 && g->xadj[0] != 0))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Unit %u: its neighbour list is out of order"), v);
          return FALSE;
        }
      max_deg = MAX (max_deg, g->xadj[v + 1] - g->xadj[v]);
      if (g->locked != NULL && g->locked[v] < -1)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Unit %u: the locked grid id %d is not -1 or a grid id"), v, g->locked[v]);
          return FALSE;
        }
    }
  if (g->shared_length != NULL && !finite_nonneg (g->shared_length, g->xadj[n], &bad))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Neighbour entry %u: the shared boundary length is negative or not a number"),
                   bad);
      return FALSE;
    }

  /* Symmetry: each unit's neighbours, as a multiset with lengths, equal the units listing it. */
  rxadj = g_new0 (guint, n + 1);
  for (guint e = 0; e < g->xadj[n]; e++)
    {
      if (g->adjncy[e] >= n)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("Neighbour entry %u names unit %u, beyond the %u units"), e, g->adjncy[e], n);
          return FALSE;
        }
      rxadj[g->adjncy[e] + 1]++;
    }
  for (guint v = 0; v < n; v++)
    rxadj[v + 1] += rxadj[v];
  rev = g_new (Nb, g->xadj[n] + 1);
  row = g_new (Nb, max_deg + 1);
  fill = g_memdup2 (rxadj, n * sizeof (guint));
  for (guint v = 0; v < n; v++)
    for (guint e = g->xadj[v]; e < g->xadj[v + 1]; e++)
      {
        Nb nb = { v, g->shared_length ? g->shared_length[e] : 1.0 };
        if (g->adjncy[e] == v)
          {
            g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                         _("Unit %u is listed as its own neighbour"), v);
            return FALSE;
          }
        rev[fill[g->adjncy[e]]++] = nb;
      }
  for (guint v = 0; v < n; v++)
    {
      guint d = g->xadj[v + 1] - g->xadj[v];

      if (rxadj[v + 1] - rxadj[v] != d)
        goto asymmetric;
      for (guint i = 0; i < d; i++)
        {
          row[i].id = g->adjncy[g->xadj[v] + i];
          row[i].len = g->shared_length ? g->shared_length[g->xadj[v] + i] : 1.0;
        }
      qsort (row, d, sizeof (Nb), cmp_nb);
      qsort (rev + rxadj[v], d, sizeof (Nb), cmp_nb);
      for (guint i = 0; i < d; i++)
        if (row[i].id != rev[rxadj[v] + i].id
            || fabs (row[i].len - rev[rxadj[v] + i].len) > 1e-6 * MAX (1.0, row[i].len))
          goto asymmetric;
      continue;
asymmetric:
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("Unit %u: its neighbours do not list it back with the same shared boundary"), v);
      return FALSE;
    }
  return TRUE;
}

/* Every free grid must be one piece. Should refinement ever break one, its lighter pieces join
 * the neighbouring free grid they share most boundary with; in the last round they become
 * grids of their own, which cannot fail. */
void
repair_contiguity (Ctx *c)
{
  g_autofree double *best_w = g_new (double, c->n);
  g_autofree guint *best_root = g_new (guint, c->n);
  g_autofree guint *strays = g_new (guint, c->n);
  g_autofree guint8 *done = g_new (guint8, c->n);

  for (guint round = 0; round < 4; round++)
    {
      guint n_strays = 0;

      for (guint g = 0; g < c->n_grids; g++)
        best_w[g] = -1.0;
      /* Each piece once, from its lowest-numbered unit; the heaviest piece of a grid stays. */
      memset (done, 0, c->n);
      for (guint s = 0; s < c->n; s++)
        {
          guint g = c->lab[s], size;
          double pw = 0.0;

          if (c->gfixed[g] || done[s])
            continue;
          size = collect_piece (c, s, g);
          for (guint i = 0; i < size; i++)
            {
              done[c->bfsq[i]] = 1;
              pw += c->w[c->bfsq[i]];
            }
          if (best_w[g] >= 0.0)
            strays[n_strays++] = s;
          if (pw > best_w[g])
            {
              if (best_w[g] >= 0.0)
                strays[n_strays - 1] = best_root[g];
              best_w[g] = pw;
              best_root[g] = s;
            }
        }
      if (n_strays == 0)
        return;
      for (guint i = 0; i < n_strays; i++)
        {
          guint s = strays[i], g = c->lab[s], to = UNSET, size;
          double to_len = -1.0;

          size = collect_piece (c, s, g);
          /* A piece an earlier move joined back to its grid's main body stays. */
          for (guint j = 0; j < size && g != UNSET; j++)
            if (c->bfsq[j] == best_root[g])
              g = UNSET;
          if (g == UNSET)
            continue;
          for (guint j = 0; j < size && round < 3; j++)
            {
              guint v = c->bfsq[j];
              for (guint e = c->xadj[v]; e < c->xadj[v + 1]; e++)
                {
                  guint q = c->lab[c->adj[e]];
                  if (q != g && !c->gfixed[q])
                    {
                      double l = shared_with (c, v, q);
                      if (l > to_len || (l == to_len && q < to))
                        {
                          to_len = l;
                          to = q;
                        }
                    }
                }
            }
          if (to == UNSET)
            to = grid_new (c, FALSE, c->gcomp[g]);
          for (guint j = 0; j < size; j++)
            {
              grid_remove (c, g, c->bfsq[j]);
              grid_add (c, to, c->bfsq[j]);
            }
        }
    }
}

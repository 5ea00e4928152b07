/* gp-assign.c: people to grids as a minimum-cost flow solved with GLPK (glp_mincost_okalg), not a greedy loop. */
#include "gp-config.h"

#include "gp-assign.h"

#include <glib/gi18n-lib.h>
#include <glpk.h>
#include <math.h>
#include <stddef.h>

#include "gp-error.h"

/* Distances are whole units of this many metres (RELAX-IV wants integers), at most this many
 * units (1,000 km): farther is as far. */
#define COST_UNIT_M 100.0
#define COST_MAX    10000
/* Places of one grid at most (a grid of 1,000 households with a party member per 5). */
#define NEED_MAX    200

typedef struct { double rhs, pi; } VertexData;
typedef struct { double low, cap, cost, x; } ArcData;

gint *
gp_assign_workers (guint n_workers, guint n_grids, const double *cost, const guint *need, GError **error)
{
  g_autofree gint *grid_of = g_new (gint, n_workers + 1);
  g_autofree glp_arc **worker_arc = NULL;
  g_autofree guint *worker_arc_grid = NULL;
  glp_graph *graph;
  guint slots = 0, n_arcs = 0, flow, source, sink;
  /* The k-th of a grid's NEED places costs k / need of this: grids fill evenly by their share,
   * and a grid's second place (of two) costs more than any rearrangement of first places could
   * save, so every grid has its first before any has its second. */
  double unit = 2.0 * ((double) COST_MAX * (n_grids + 1) + 1.0);
  double penalty = unit;
  double total = 0.0;
  int status;

  for (guint w = 0; w < n_workers; w++)
    grid_of[w] = -1;
  for (guint g = 0; g < n_grids; g++)
    slots += MIN (need[g], (guint) NEED_MAX);
  flow = MIN (n_workers, slots);
  if (flow == 0)
    return g_steal_pointer (&grid_of);

  /* GLPK would print its progress on the terminal. */
  glp_term_out (GLP_OFF);
  /* Vertices: the source, the workers, the grids, the sink (GLPK numbers them from 1). */
  graph = glp_create_graph (sizeof (VertexData), sizeof (ArcData));
  glp_add_vertices (graph, (int) (n_workers + n_grids + 2));
  source = 1;
  sink = n_workers + n_grids + 2;
  ((VertexData *) graph->v[source]->data)->rhs = flow;
  ((VertexData *) graph->v[sink]->data)->rhs = -(double) flow;
  worker_arc = g_new0 (glp_arc *, (gsize) n_workers * n_grids + 1);
  worker_arc_grid = g_new (guint, (gsize) n_workers * n_grids + 1);
  for (guint w = 0; w < n_workers; w++)
    {
      glp_arc *a = glp_add_arc (graph, (int) source, (int) (2 + w));
      ArcData *d = a->data;

      d->cap = 1.0;
      for (guint g = 0; g < n_grids; g++)
        {
          double c = cost[(gsize) w * n_grids + g];

          if (need[g] == 0 || !(c >= 0.0))
            continue;
          a = glp_add_arc (graph, (int) (2 + w), (int) (2 + n_workers + g));
          d = a->data;
          d->cap = 1.0;
          d->cost = MIN (round (c / COST_UNIT_M), (double) COST_MAX);
          worker_arc[n_arcs] = a;
          worker_arc_grid[n_arcs++] = g;
        }
    }
  for (guint g = 0; g < n_grids; g++)
    for (guint k = 0; k < MIN (need[g], (guint) NEED_MAX); k++)
      {
        glp_arc *a = glp_add_arc (graph, (int) (2 + n_workers + g), (int) sink);
        ArcData *d = a->data;

        d->cap = 1.0;
        d->cost = round (unit * k / MIN (need[g], (guint) NEED_MAX));
      }
  /* Workers who can reach no grid, or more workers than places: let the surplus stay at the
   * source through a direct, expensive arc, so the flow is always feasible. */
  {
    glp_arc *a = glp_add_arc (graph, (int) source, (int) sink);
    ArcData *d = a->data;

    d->cap = flow;
    d->cost = penalty * 2.0;
  }
  /* Out-of-kilter: RELAX-IV is switched off in Debian's GLPK (its licence), and the networks of
   * one community are small. */
  status = glp_mincost_okalg (graph, offsetof (VertexData, rhs), offsetof (ArcData, low), offsetof (ArcData, cap),
                              offsetof (ArcData, cost), &total, offsetof (ArcData, x), offsetof (VertexData, pi));
  if (status != 0)
    {
      glp_delete_graph (graph);
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED, _("the assignment could not be solved (GLPK error %d)"), status);
      return NULL;
    }
  for (guint k = 0; k < n_arcs; k++)
    {
      glp_arc *a = worker_arc[k];

      if (((ArcData *) a->data)->x > 0.5)
        grid_of[a->tail->i - 2] = (gint) worker_arc_grid[k];
    }
  glp_delete_graph (graph);
  return g_steal_pointer (&grid_of);
}

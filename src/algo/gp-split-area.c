/* gp-split-area.c: one area from start to end: cells, territories, the partition, grids, codes, quality. */
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

/* The cells as a graph: vertices for cells with ground, edges for shared borders. */
typedef struct {
  guint   m;                /* vertices */
  guint  *index;            /* cell → vertex, NONE: left out */
  guint  *cell_of;          /* vertex → cell */
  double *x, *y, *area, *perimeter, *shared_total, *weight;
  guint  *xadj, *adjncy;    /* CSR */
  double *length;
  GArray *edges;            /* of Edge */
} CellGraph;

static void
cell_graph_clear (CellGraph *gr)
{
  g_free (gr->index);
  g_free (gr->cell_of);
  g_free (gr->x);
  g_free (gr->y);
  g_free (gr->area);
  g_free (gr->perimeter);
  g_free (gr->shared_total);
  g_free (gr->weight);
  g_free (gr->xadj);
  g_free (gr->adjncy);
  g_free (gr->length);
  g_clear_pointer (&gr->edges, g_array_unref);
}

typedef struct {
  const Cells *cells;
  GArray     **chunk_segs;   /* per chunk of SEGMENTS_CHUNK cells */
} SegmentsJob;

/* The outlines of cells [LO, HI) as segments, a list per chunk of cells. */
static void
segments_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  SegmentsJob *sj = data;
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *segs = g_array_new (FALSE, FALSE, sizeof (Seg));

  for (guint i = lo; i < hi; i++)
    geom_segments (ctx, sj->cells->geom[i], i, 0, segs, scratch);
  sj->chunk_segs[lo / SEGMENTS_CHUNK] = segs;
}

/* Shared borders between cells (segment pairs within TOUCH); the outlines are read on the
 * area's threads and joined in the cells' order. */
static GArray *
cell_pairs (Job *job, Cells *cells)
{
  guint n_chunks = (cells->n + SEGMENTS_CHUNK - 1) / SEGMENTS_CHUNK;
  g_autofree GArray **chunk_segs = g_new0 (GArray *, n_chunks + 1);
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  SegmentsJob sj = { cells, chunk_segs };

  job_parallel (job, cells->n, SEGMENTS_CHUNK, segments_range, &sj);
  for (guint k = 0; k < n_chunks; k++)
    if (chunk_segs[k] != NULL)
      {
        g_array_append_vals (segs, chunk_segs[k]->data, chunk_segs[k]->len);
        g_array_unref (chunk_segs[k]);
      }
  return segment_pairs (segs, TOUCH, FALSE, job->helpers);
}

/* Makes CELLS meet: overlaps trimmed, fragments dropped, then (unless they tile FREE_AREA) each
 * takes its share of the ground between them. Returns their shared borders as they are then. */
/* A point inside each of cells [LO, HI) (NaN: none). */
static void
inside_point_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  Cells *cells = data;

  for (guint i = lo; i < hi; i++)
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
}

static gboolean
any_in_pieces (GEOSContextHandle_t ctx, const Cells *cells)
{
  for (guint i = 0; i < cells->n; i++)
    if (cells->geom[i] != NULL && GEOSGeomTypeId_r (ctx, cells->geom[i]) != GEOS_POLYGON
        && GEOSGetNumGeometries_r (ctx, cells->geom[i]) != 1)
      return TRUE;
  return FALSE;
}

/* The cells (still the units the area's triangulation was made of) grown into their
 * territories from it, with their shared borders (PAIRS); FALSE when it cannot trace them. */
static gboolean
territories_from_mesh (Job *job, Cells *cells, GArray **pairs, gint64 *lap)
{
  if (!mesh_territories (job, job->mesh, cells->geom, cells->n, pairs))
    return FALSE;
  split_lap ("territories traced", lap);
  job_progress (job, PROGRESS_TERRITORIES);
  return TRUE;
}

static GArray *
cells_meet (Job *job, Cells *cells, const GEOSGeometry *free_area, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  guint n = cells->n, trimmed, dropped;
  g_autoptr(GArray) pairs = NULL;

  /* Neighbours are cells whose outlines run together (within TOUCH): a tolerance any wider
   * would make neighbours of two cells with a thin third one between them. Borders that do
   * not quite meet are made to: overlaps are trimmed here, gaps shared out just below. */
  gint64 lap = g_get_monotonic_time ();
  /* Units the triangulation took lie on no other (it gives up on any that do), and without a
   * unit in pieces there are no fragments: nothing to trim or drop, no borders to measure. */
  if (job->mesh != NULL && cells->kind_units && cells->pairs == NULL && !any_in_pieces (ctx, cells))
    {
      cells->point_xy = g_new (double, 2 * (gsize) n + 1);
      job_parallel (job, n, REBUILD_CHUNK, inside_point_range, cells);
      split_lap ("inside points", &lap);
      if (territories_from_mesh (job, cells, &pairs, &lap))
        return g_steal_pointer (&pairs);
      g_clear_pointer (&cells->point_xy, g_free);
    }
  pairs = cells->pairs != NULL ? g_steal_pointer (&cells->pairs) : cell_pairs (job, cells);
  split_lap ("cell pairs", &lap);
  trimmed = trim_overlaps (job, cells, pairs);
  split_lap ("trim", &lap);
  if (trimmed > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE, "%s: %u unit overlapped another and was trimmed",
                                "%s: %u units overlapped others and were trimmed", trimmed),
              area_label (job), trimmed);
  dropped = drop_fragments (ctx, cells, pairs, job->options->snap);
  split_lap ("fragments", &lap);

  /* Where households are, before the cells grow: the report finds them again in the grids. */
  cells->point_xy = g_new (double, 2 * (gsize) n + 1);
  job_parallel (job, n, REBUILD_CHUNK, inside_point_range, cells);
  split_lap ("inside points", &lap);

  /* Units with streets between them, triangulated when the area was drawn: the territories
   * come from the same triangulation, if the cells are still the units it was made of. */
  if (job->mesh != NULL && trimmed == 0 && dropped == 0 && cells->kind_units)
    {
      GArray *mesh_pairs = NULL;

      if (territories_from_mesh (job, cells, &mesh_pairs, &lap))
        return mesh_pairs;
    }
  /* Kept only while the cells are its territories (the grids are traced from it too). */
  g_clear_pointer (&job->mesh, mesh_free);

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
      if (gp_split_territories (ctx, free_area, cells->geom, n, exposed, job->helpers, &stranded) && stranded > 0)
        job_note (job, g_dngettext (GETTEXT_PACKAGE,
                                    "%s: %u piece of territory touches no unit or grid; it went to the nearest one",
                                    "%s: %u pieces of territory touch no unit or grid; each went to the nearest one",
                                    stranded),
                  area_label (job), stranded);
      if (leaves_gaps (ctx, free_area, cells->geom, n) && !hand_out_gaps (job, free_area, cells->geom, n, error))
        return NULL;
      if (job_cancelled (job, error))
        return NULL;
      job_progress (job, PROGRESS_TERRITORIES);
      g_clear_pointer (&pairs, g_array_unref);
      /* Territories tile the area: neighbours are those that really touch now. */
      pairs = cell_pairs (job, cells);
    }
  return g_steal_pointer (&pairs);
}

/* The graph of CELLS and their shared borders PAIRS; separate pieces linked to their nearest. */
static gboolean
cell_graph_build (Job *job, Cells *cells, GArray *pairs, CellGraph *gr, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  guint n = cells->n;

  gr->index = g_new (guint, n + 1);
  gr->cell_of = g_new (guint, n + 1);
  gr->x = g_new0 (double, n + 1);
  gr->y = g_new0 (double, n + 1);
  gr->area = g_new0 (double, n + 1);
  gr->perimeter = g_new0 (double, n + 1);
  gr->shared_total = g_new0 (double, n + 1);
  gr->weight = g_new0 (double, n + 1);
  gr->edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  for (guint i = 0; i < n; i++)
    {
      GEOSGeometry *c;

      gr->index[i] = NONE;
      if (cells->geom[i] == NULL || geom_area (ctx, cells->geom[i]) <= 0.0)
        {
          geom_free (ctx, cells->geom[i]);
          cells->geom[i] = NULL;
          continue;
        }
      gr->index[i] = gr->m;
      gr->cell_of[gr->m] = i;
      gr->area[gr->m] = geom_area (ctx, cells->geom[i]);
      if (!GEOSLength_r (ctx, cells->geom[i], &gr->perimeter[gr->m]))
        gr->perimeter[gr->m] = 0.0;
      c = GEOSGetCentroid_r (ctx, cells->geom[i]);
      if (c == NULL || !GEOSGeomGetX_r (ctx, c, &gr->x[gr->m]) || !GEOSGeomGetY_r (ctx, c, &gr->y[gr->m]))
        {
          geom_free (ctx, c);
          gp_geom_set_error (error, _("cannot find the centre of a unit"));
          return FALSE;
        }
      geom_free (ctx, c);
      gr->weight[gr->m] = cells->households[i];
      gr->m++;
    }

  for (guint p = 0; p < pairs->len; p++)
    {
      const PairRec *r = &g_array_index (pairs, PairRec, p);

      if (r->shared > SHARED_MIN && gr->index[r->u] != NONE && gr->index[r->v] != NONE)
        {
          Edge e = { gr->index[r->u], gr->index[r->v], r->shared };

          g_array_append_val (gr->edges, e);
          gr->shared_total[e.u] += r->shared;
          gr->shared_total[e.v] += r->shared;
        }
    }

  {
    /* link_pieces works on cells: give it the compacted view. */
    Cells view = { gr->m, g_new (GEOSGeometry *, gr->m + 1), NULL, NULL, NULL, NULL };

    for (guint v = 0; v < gr->m; v++)
      view.geom[v] = cells->geom[gr->cell_of[v]];
    link_pieces (job, &view, gr->perimeter, gr->shared_total, gr->edges);
    g_free (view.geom);
  }

  gr->xadj = g_new0 (guint, gr->m + 1);
  for (guint e = 0; e < gr->edges->len; e++)
    {
      Edge *ed = &g_array_index (gr->edges, Edge, e);
      gr->xadj[ed->u + 1]++;
      gr->xadj[ed->v + 1]++;
    }
  for (guint v = 0; v < gr->m; v++)
    gr->xadj[v + 1] += gr->xadj[v];
  gr->adjncy = g_new (guint, gr->xadj[gr->m] + 1);
  gr->length = g_new (double, gr->xadj[gr->m] + 1);
  {
    g_autofree guint *fill = g_memdup2 (gr->xadj, (gr->m + 1) * sizeof (guint));

    for (guint e = 0; e < gr->edges->len; e++)
      {
        Edge *ed = &g_array_index (gr->edges, Edge, e);

        gr->adjncy[fill[ed->u]] = ed->v;
        gr->length[fill[ed->u]++] = ed->len;
        gr->adjncy[fill[ed->v]] = ed->u;
        gr->length[fill[ed->v]++] = ed->len;
      }
  }

  return TRUE;
}

typedef struct {
  const Cells   *cells;
  const guint   *first;     /* per grid: where its cells start in `member`, first[k]: the end */
  const guint   *member;    /* cell indices, grid by grid */
  GEOSGeometry **geom;      /* per grid: the union of its cells */
} UnionJob;

static void
union_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  UnionJob *uj = data;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint g = lo; g < hi; g++)
    {
      for (guint j = uj->first[g]; j < uj->first[g + 1]; j++)
        g_ptr_array_add (parts, GEOSGeom_clone_r (ctx, uj->cells->geom[uj->member[j]]));
      uj->geom[g] = union_take (ctx, parts);
    }
}

static gboolean stage_done (Job *job, const char *stage, gint64 *since);

/* The grids PARTITION made of the cells of graph GR: members, households, coverage union. */
static gboolean
grids_from_partition (Job *job, Cells *cells, const GEOSGeometry *free_area, const CellGraph *gr,
                      const GpPartition *partition, Made *made, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;

  made->k = partition->n_grids;
  made->geom = g_new0 (GEOSGeometry *, made->k + 1);
  made->households = g_new0 (double, made->k + 1);
  made->n_cells = g_new0 (guint, made->k + 1);
  made->flags = g_new0 (GpPartitionGridFlags, made->k + 1);
  {
    g_autofree guint *first = g_new0 (guint, made->k + 2);
    g_autofree guint *fill = NULL;
    g_autofree guint *member = g_new (guint, gr->m + 1);
    UnionJob uj = { cells, first, member, made->geom };

    for (guint g = 0; g < made->k; g++)
      made->flags[g] = partition->grids[g].flags;
    for (guint v = 0; v < gr->m; v++)
      {
        guint g = partition->grid_of_unit[v], i = gr->cell_of[v];

        cells->grid[i] = g;
        made->households[g] += cells->households[i];
        made->n_cells[g]++;
        first[g + 1]++;
      }
    for (guint g = 0; g < made->k; g++)
      first[g + 1] += first[g];
    fill = g_memdup2 (first, (made->k + 1) * sizeof (guint));
    for (guint v = 0; v < gr->m; v++)
      member[fill[partition->grid_of_unit[v]]++] = gr->cell_of[v];
    /* Each grid's cells joined on the cores the area may use; or traced from the triangulation
     * the territories came from. */
    if (job->mesh == NULL || !mesh_grids (job, job->mesh, cells->grid, made->k, made->geom))
      job_parallel (job, made->k, UNION_CHUNK, union_range, &uj);
    g_clear_pointer (&job->mesh, mesh_free);
  }
  if (!leaves_gaps (ctx, free_area, made->geom, made->k))
    return TRUE;
  return hand_out_gaps (job, free_area, made->geom, made->k, error);
}

/* Groups CELLS (inside FREE_AREA) into grids and covers FREE_AREA with them. */
static gboolean
split_cells (Job *job, Cells *cells, const GEOSGeometry *free_area, Made *made, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GpPartition) partition = NULL;
  g_autofree gint *locked = NULL;
  GpPartitionGraph graph = { 0 };
  GpPartitionOptions popts;
  CellGraph gr = { 0 };
  gboolean ok;
  gint64 t = g_get_monotonic_time ();

  cells->grid = g_new (guint, cells->n + 1);
  for (guint i = 0; i < cells->n; i++)
    cells->grid[i] = NONE;
  pairs = cells_meet (job, cells, free_area, error);
  stage_done (job, "cells meet", &t);
  if (pairs == NULL || !cell_graph_build (job, cells, pairs, &gr, error))
    {
      cell_graph_clear (&gr);
      return FALSE;
    }
  if (gr.m == 0)
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
      cell_graph_clear (&gr);
      return TRUE;
    }

  graph.n_units = gr.m;
  graph.households = gr.weight;
  graph.x = gr.x;
  graph.y = gr.y;
  graph.area = gr.area;
  graph.perimeter = gr.perimeter;
  graph.xadj = gr.xadj;
  graph.adjncy = gr.adjncy;
  graph.shared_length = gr.length;
  /* A re-split keeps what no change touched (units mode: earlier grids are sets of units). */
  if (job->in->n_previous > 0 && !job->options->fresh && cells->n == job->in->n_units && cells->kind_units)
    {
      locked = keep_unchanged (job, gr.index, cells->n, gr.m, gr.xadj, gr.adjncy, gr.weight);
      graph.locked = locked;
    }
  gp_partition_options_init (&popts);
  popts.target = job->options->target;
  popts.tolerance = job->options->tolerance;
  popts.seed = job->options->seed;
  popts.n_threads = job->helpers;
  stage_done (job, "cell graph", &t);
  partition = gp_partition_compute (&graph, &popts, error);
  stage_done (job, "partition", &t);
  if (partition == NULL || job_cancelled (job, error))
    {
      cell_graph_clear (&gr);
      return FALSE;
    }
  job_progress (job, PROGRESS_PARTITION);
  if (partition->explanation != NULL)
    job_explain (job, partition->explanation);
  ok = grids_from_partition (job, cells, free_area, &gr, partition, made, error);
  cell_graph_clear (&gr);
  return ok;
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

/* What one area's stages hand on to each other. */
typedef struct {
  GpSplitMode    mode;
  GEOSGeometry **unit_geom;     /* per unit, local; NULL: left out */
  gboolean      *in_fixed;      /* per unit: under a locked or exclusive grid */
  GEOSGeometry **fixed_geom;    /* per fixed grid, local */
  double        *local_points;  /* household points, local (points mode) */
  guint         *site_of;       /* per household point: its cell (points mode) */
  GEOSGeometry  *parent;        /* the area, local */
  GEOSGeometry  *free_area;     /* the area less the fixed grids */
  gboolean       parent_from_units;
  Cells          cells;
  Made           made;
  GArray        *outs;          /* of Out: fixed grids, then new ones */
  guint          n_out;
} AreaWork;

static void
area_work_clear (Job *job, AreaWork *w)
{
  GEOSContextHandle_t ctx = job->ctx;

  for (guint i = 0; w->outs != NULL && i < w->outs->len; i++)
    out_clear (ctx, &g_array_index (w->outs, Out, i));
  g_clear_pointer (&w->outs, g_array_unref);
  made_clear (ctx, &w->made);
  cells_clear (ctx, &w->cells);
  for (guint u = 0; w->unit_geom != NULL && u < job->in->n_units; u++)
    geom_free (ctx, w->unit_geom[u]);
  for (guint f = 0; w->fixed_geom != NULL && f < job->in->n_fixed; f++)
    geom_free (ctx, w->fixed_geom[f]);
  g_clear_pointer (&w->unit_geom, g_free);
  g_clear_pointer (&w->in_fixed, g_free);
  g_clear_pointer (&w->fixed_geom, g_free);
  g_clear_pointer (&w->local_points, g_free);
  g_clear_pointer (&w->site_of, g_free);
  geom_free (ctx, w->free_area);
  geom_free (ctx, w->parent);
}

typedef struct {
  Job           *job;
  GEOSGeometry **unit_geom;
  GpLocalFrame **frames;    /* per thread */
  GError       **errors;    /* per unit */
} LocalJob;

static void
local_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  LocalJob *lj = data;

  for (guint u = lo; u < hi; u++)
    lj->unit_geom[u] = gp_split_to_local (ctx, lj->frames[thread], lj->job->in->units[u], lj->job->densify,
                                          &lj->errors[u]);
}

/* The units in the local frame (a unit without a usable polygon is left out with a note). */
static gboolean
units_to_local (Job *job, AreaWork *w, GError **error)
{
  const GpSplitArea *in = job->in;
  g_autofree GError **errors = NULL;
  gboolean ok = TRUE;

  if (!(w->mode == GP_SPLIT_MODE_UNITS || in->shape == NULL))
    return TRUE;
  errors = g_new0 (GError *, in->n_units + 1);
  {
    LocalJob lj = { job, w->unit_geom, job_thread_frames (job), errors };

    job_parallel (job, in->n_units, UNION_CHUNK, local_range, &lj);
  }
  for (guint u = 0; u < in->n_units; u++)
    {
      if (errors[u] != NULL)
        {
          if (ok)
            {
              g_autofree char *label = unit_label (job, u);

              g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, "%s: %s: %s", area_label (job), label,
                           errors[u]->message);
            }
          ok = FALSE;
          g_clear_error (&errors[u]);
        }
      else if (ok && w->unit_geom[u] == NULL && in->units[u] != NULL && !gp_shape_is_empty (in->units[u]))
        {
          g_autofree char *label = unit_label (job, u);

          job_note (job, _("%s: %s has no usable polygon and was left out"), area_label (job), label);
        }
    }
  return ok;
}

/* The household points in the local frame (points without a place stay NaN and are left out later). */
static gboolean
points_to_local (Job *job, AreaWork *w, GError **error)
{
  const GpSplitArea *in = job->in;

  if (w->mode == GP_SPLIT_MODE_POINTS)
    {
      /* Points without a place (NaN) stay NaN and are left out later. */
      g_autoptr(GArray) finite = g_array_new (FALSE, FALSE, sizeof (double));

      w->local_points = g_new (double, 2 * (gsize) in->n_points + 1);
      for (guint k = 0; k < in->n_points; k++)
        if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
          g_array_append_vals (finite, in->points_xy + 2 * k, 2);
      if (!gp_local_frame_forward (job->frame, (double *) finite->data, finite->len / 2, error))
        return FALSE;
      for (guint k = 0, j = 0; k < in->n_points; k++)
        if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
          {
            w->local_points[2 * k] = g_array_index (finite, double, j++);
            w->local_points[2 * k + 1] = g_array_index (finite, double, j++);
          }
        else
          w->local_points[2 * k] = w->local_points[2 * k + 1] = NAN;
    }
  return TRUE;
}

/* The area: as given, or from its units, or the hull of its household points. */
static gboolean
area_polygon (Job *job, AreaWork *w, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;

  /* The area: as given, or the union of its units, or the hull of its household points. */
  if (in->shape != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      w->parent = to_local (job, in->shape, &local_error);
      if (w->parent == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: the area has no usable polygon%s%s"),
                       area_label (job), local_error != NULL ? ": " : "",
                       local_error != NULL ? local_error->message : "");
          return FALSE;
        }
    }
  else if (w->mode == GP_SPLIT_MODE_POINTS)
    {
      GEOSGeometry *hull = convex_hull (ctx, w->local_points, in->n_points);

      /* Grown by a metre so that the points on the hull lie inside it. */
      if (hull != NULL && GEOSGeomTypeId_r (ctx, hull) == GEOS_POLYGON)
        w->parent = gp_split_polygonal (ctx, GEOSBuffer_r (ctx, hull, 1.0, 8));
      geom_free (ctx, hull);
      if (w->parent == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: the household points do not span an area"),
                       area_label (job));
          return FALSE;
        }
    }
  else
    {
      gboolean clip = FALSE;

      w->parent = area_from_units (job, w->unit_geom, w->mode != GP_SPLIT_MODE_GEOMETRY && in->n_fixed == 0, &clip);
      w->parent_from_units = !clip;
      if (w->parent == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: no unit has a usable polygon"),
                       area_label (job));
          return FALSE;
        }
    }
  return TRUE;
}

/* Locked and exclusive grids are carved out first; the rest is split around them. */
static gboolean
carve_fixed (Job *job, AreaWork *w, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;

  /* Locked and exclusive grids are carved out first; the rest is split around them. */
  w->free_area = GEOSGeom_clone_r (ctx, w->parent);
  for (guint f = 0; f < in->n_fixed; f++)
    {
      const GpSplitFixedGrid *fx = &in->fixed[f];
      g_autoptr(GError) local_error = NULL;

      for (guint i = 0; i < fx->n_units; i++)
        if (fx->units[i] < in->n_units)
          w->in_fixed[fx->units[i]] = TRUE;
      if (fx->shape != NULL)
        w->fixed_geom[f] = to_local (job, fx->shape, &local_error);
      else
        {
          g_autoptr(GPtrArray) parts = g_ptr_array_new ();

          for (guint i = 0; i < fx->n_units; i++)
            if (fx->units[i] < in->n_units && w->unit_geom[fx->units[i]] != NULL)
              g_ptr_array_add (parts, GEOSGeom_clone_r (ctx, w->unit_geom[fx->units[i]]));
          w->fixed_geom[f] = union_take (ctx, parts);
          if (w->fixed_geom[f] != NULL)
            {
              GEOSGeometry *inside = gp_split_intersection (ctx, w->fixed_geom[f], w->parent);

              geom_free (ctx, w->fixed_geom[f]);
              w->fixed_geom[f] = inside;
            }
        }
      if (w->fixed_geom[f] != NULL && w->free_area != NULL)
        {
          GEOSGeometry *rest = gp_split_difference (ctx, w->free_area, w->fixed_geom[f]);

          geom_free (ctx, w->free_area);
          w->free_area = rest;
        }
    }
  return TRUE;
}

/* What the graph core groups, by mode. */
static gboolean
make_cells (Job *job, AreaWork *w, GError **error)
{
  const GpSplitArea *in = job->in;

  switch (w->mode)
    {
    case GP_SPLIT_MODE_UNITS:
    case GP_SPLIT_MODE_AUTO:
      if (!cells_from_units (job, w->in_fixed, w->unit_geom, w->parent, w->free_area,
                             !w->parent_from_units || in->n_fixed > 0, &w->cells, error))
        return FALSE;
      break;
    case GP_SPLIT_MODE_POINTS:
      w->site_of = g_new (guint, in->n_points + 1);
      /* Without an area polygon or grids carved out, the territory is the points' own hull
       * grown by a metre: it holds them all. */
      if (w->free_area != NULL
          && !cells_from_points (job, w->local_points, w->free_area, in->shape == NULL && in->n_fixed == 0, &w->cells,
                                 w->site_of, error))
        return FALSE;
      break;
    case GP_SPLIT_MODE_GEOMETRY:
      {
        double h = in->households;

        if (!(h >= 0.0))
          {
            h = 0.0;
            for (guint u = 0; u < in->n_units; u++)
              if (!w->in_fixed[u] && in->unit_households != NULL && in->unit_households[u] > 0.0)
                h += in->unit_households[u];
          }
        if (w->free_area != NULL && !cells_from_lattice (job, w->free_area, h, &w->cells, error))
          return FALSE;
      }
      break;
    }
  return TRUE;
}

/* The grids: fixed ones as they are, then the new ones, with their members. */
static gboolean
collect_grids (Job *job, AreaWork *w, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;

  /* Collect the grids: fixed ones as they are, then the new ones. */
  for (guint f = 0; f < in->n_fixed; f++)
    {
      const GpSplitFixedGrid *fx = &in->fixed[f];
      Out o = { 0 };

      o.geom = w->fixed_geom[f];
      w->fixed_geom[f] = NULL;
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
      g_array_append_val (w->outs, o);
    }
  for (guint g = 0; g < w->made.k; g++)
    {
      Out o = { 0 };

      o.geom = fill_hairline_holes (ctx, w->made.geom[g], TOUCH);
      w->made.geom[g] = NULL;
      o.households = w->made.households[g];
      if (w->made.flags[g] & GP_PARTITION_GRID_OVERSIZE)
        o.flags |= GP_SPLIT_GRID_OVERSIZE;
      if (w->made.flags[g] & GP_PARTITION_GRID_OFF_TARGET)
        o.flags |= GP_SPLIT_GRID_OFF_TARGET;
      if (w->made.flags[g] & GP_PARTITION_GRID_LOCKED)
        o.flags |= GP_SPLIT_GRID_UNCHANGED;
      g_array_append_val (w->outs, o);
    }
  w->n_out = w->outs->len;

  /* Members of the new grids: units, or household points in the points mode. */
  {
    g_autofree guint *count = g_new0 (guint, w->n_out + 1);
    guint n_members = w->mode == GP_SPLIT_MODE_POINTS ? in->n_points
                      : w->mode == GP_SPLIT_MODE_GEOMETRY ? 0 : in->n_units;

    for (guint i = 0; i < n_members; i++)
      {
        guint cell = w->mode == GP_SPLIT_MODE_POINTS ? w->site_of[i] : i;
        guint g = cell != NONE && cell < w->cells.n && w->cells.grid != NULL ? w->cells.grid[cell] : NONE;

        if (g != NONE)
          count[in->n_fixed + g]++;
      }
    for (guint g = in->n_fixed; g < w->n_out; g++)
      {
        Out *o = &g_array_index (w->outs, Out, g);

        o->units = g_new (guint, count[g] + 1);
      }
    for (guint i = 0; i < n_members; i++)
      {
        guint cell = w->mode == GP_SPLIT_MODE_POINTS ? w->site_of[i] : i;
        guint g = cell != NONE && cell < w->cells.n && w->cells.grid != NULL ? w->cells.grid[cell] : NONE;

        if (g != NONE)
          {
            Out *o = &g_array_index (w->outs, Out, in->n_fixed + g);
            o->units[o->n_units++] = i;
          }
      }
  }
  return TRUE;
}

/* Measures in the local frame, then codes: unchanged grids keep theirs, the others follow the ground. */
static gboolean
number_grids (Job *job, AreaWork *w, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;

  /* Measures in the local frame, then codes: unchanged grids keep theirs. */
  for (guint g = 0; g < w->n_out; g++)
    {
      Out *o = &g_array_index (w->outs, Out, g);
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
    guint n_new = w->n_out - in->n_fixed;
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
        Out *o = &g_array_index (w->outs, Out, in->n_fixed + g);

        x[g] = o->x;
        y[g] = o->y;
        a[g] = o->area;
      }
    for (guint p = 0; p < in->n_previous; p++)
      old_codes[p] = in->previous[p].code;
    for (guint f = 0; f < in->n_fixed; f++)
      taken[f] = in->fixed[f].code;
    if (in->n_previous > 0)
      code_shares (job, w->mode, &g_array_index (w->outs, Out, in->n_fixed), n_new, w->local_points, &w->cells, shares,
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
        Out *o = &g_array_index (w->outs, Out, in->n_fixed + g);

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
  return TRUE;
}

/* The quality, measured on the grids as they are. */
static gboolean
measure_quality (Job *job, AreaWork *w, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;

  /* The quality, measured on the grids as they are. */
  {
    g_autofree const GEOSGeometry **grids = g_new0 (const GEOSGeometry *, w->n_out + 1);
    g_autofree gboolean *sized = g_new0 (gboolean, w->n_out + 1);
    g_autofree gint *n_units = g_new0 (gint, w->n_out + 1);
    g_autofree double *grid_households = g_new0 (double, w->n_out + 1);
    g_autofree double *largest = NULL;
    g_autofree const char **codes = g_new0 (const char *, w->n_out + 1);
    g_autofree double *pts = NULL;
    g_autofree double *pts_w = NULL;
    g_autofree guint *point_grid = NULL;
    g_autofree guint *member_out = NULL;
    GpSplitMeasureInput measure = { 0 };
    guint n_pts = 0;

    for (guint g = 0; g < w->n_out; g++)
      {
        Out *o = &g_array_index (w->outs, Out, g);

        grids[g] = o->geom;
        sized[g] = !(o->flags & GP_SPLIT_GRID_FIXED);
        n_units[g] = w->mode == GP_SPLIT_MODE_UNITS || (o->flags & GP_SPLIT_GRID_FIXED) ? (gint) o->n_units : -1;
        grid_households[g] = o->households;
        codes[g] = o->code;
        if (w->mode == GP_SPLIT_MODE_UNITS && in->unit_households != NULL)
          {
            if (largest == NULL)
              largest = g_new0 (double, w->n_out + 1);
            for (guint i = 0; i < o->n_units; i++)
              if (o->units[i] < in->n_units && isfinite (in->unit_households[o->units[i]]))
                largest[g] = MAX (largest[g], in->unit_households[o->units[i]]);
          }
      }
    /* Per unit or household point: the grid it went to, where the measure looks first. */
    member_out = g_new (guint, MAX (in->n_units, in->n_points) + 1);
    for (guint i = 0; i < MAX (in->n_units, in->n_points); i++)
      member_out[i] = G_MAXUINT;
    for (guint g = 0; g < w->n_out; g++)
      {
        Out *o = &g_array_index (w->outs, Out, g);

        for (guint i = 0; i < o->n_units; i++)
          if (o->units[i] < MAX (in->n_units, in->n_points))
            member_out[o->units[i]] = g;
      }
    if (w->mode == GP_SPLIT_MODE_UNITS)
      {
        /* Each unit's households at a point inside what is left of it (or of its polygon as
         * given, when it was left out), to be found again in the grid polygons. */
        pts = g_new0 (double, 2 * in->n_units + 1);
        pts_w = g_new0 (double, in->n_units + 1);
        point_grid = g_new (guint, in->n_units + 1);
        for (guint u = 0; u < in->n_units; u++)
          {
            gboolean placed = w->cells.point_xy != NULL && u < w->cells.n && w->cells.geom[u] != NULL
                              && isfinite (w->cells.point_xy[2 * u]);
            GEOSGeometry *p = !placed && w->unit_geom[u] != NULL ? GEOSPointOnSurface_r (ctx, w->unit_geom[u]) : NULL;
            double h = in->unit_households != NULL ? in->unit_households[u] : 0.0;

            if (!(isfinite (h) && h > 0.0))
              {
                geom_free (ctx, p);
                continue;
              }
            pts[2 * n_pts] = placed ? w->cells.point_xy[2 * u] : NAN;
            pts[2 * n_pts + 1] = placed ? w->cells.point_xy[2 * u + 1] : NAN;
            if (p != NULL && GEOSisEmpty_r (ctx, p) == 0)
              {
                GEOSGeomGetX_r (ctx, p, &pts[2 * n_pts]);
                GEOSGeomGetY_r (ctx, p, &pts[2 * n_pts + 1]);
              }
            geom_free (ctx, p);
            /* Found first in the grid the unit went to. */
            point_grid[n_pts] = member_out[u];
            pts_w[n_pts++] = h;
          }
        measure.n_points = n_pts;
        measure.point_grid = point_grid;
        measure.points_xy = pts;
        measure.point_households = pts_w;
      }
    else if (w->mode == GP_SPLIT_MODE_POINTS)
      {
        measure.n_points = in->n_points;
        measure.points_xy = w->local_points;
        measure.point_households = in->point_households;
        measure.point_grid = member_out;
      }
    measure.parent = w->parent;
    measure.n_grids = w->n_out;
    measure.grids = grids;
    measure.sized = sized;
    measure.n_units = n_units;
    measure.grid_households = grid_households;
    measure.largest_unit = largest;
    measure.area_code = in->code;
    measure.codes = codes;
    measure.n_threads = job->helpers;
    job->result->quality = gp_split_report_measure (ctx, &measure, job->options->target,
                                                    job->options->tolerance, error);
    if (job->result->quality == NULL)
      return FALSE;
  }
  return TRUE;
}

typedef struct {
  Job           *job;
  AreaWork      *w;
  GpShape      **shapes;    /* per grid */
  GpLocalFrame **frames;    /* per thread */
  GError       **errors;    /* per grid */
} SourceJob;

static void
source_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  SourceJob *sj = data;
  const GpSplitArea *in = sj->job->in;

  for (guint g = lo; g < hi; g++)
    {
      Out *o = &g_array_index (sj->w->outs, Out, g);
      guint fixed_index = (o->flags & GP_SPLIT_GRID_FIXED) ? o->order : NONE;

      /* A fixed grid keeps its very own polygon, not a copy mapped there and back. */
      if (fixed_index != NONE && in->fixed[fixed_index].shape != NULL)
        sj->shapes[g] = gp_shape_copy (in->fixed[fixed_index].shape);
      else
        sj->shapes[g] = to_source (ctx, sj->frames[thread], o->geom, &sj->errors[g]);
    }
}

/* Back to the source CRS, fixed grids first, the new ones by code. */
static gboolean
grids_to_result (Job *job, AreaWork *w, GError **error)
{
  const GpSplitArea *in = job->in;

  /* Back to the source CRS, fixed grids first, the new ones by code. */
  if (w->outs->len > 1)
    qsort (w->outs->data, w->outs->len, sizeof (Out), compare_out_code);
  {
    GpSplitResult *result = job->result;

    result->mode = w->mode;
    result->grids = g_ptr_array_new_with_free_func ((GDestroyNotify) grid_free);
    result->grid_of_unit = g_new (guint, MAX (in->n_units, in->n_points) + 1);
    for (guint i = 0; i < MAX (in->n_units, in->n_points); i++)
      result->grid_of_unit[i] = NONE;
    g_autofree GpShape **shapes = g_new0 (GpShape *, w->n_out + 1);
    g_autofree GError **errors = g_new0 (GError *, w->n_out + 1);
    SourceJob sj = { job, w, shapes, job_thread_frames (job), errors };

    job_parallel (job, w->n_out, UNION_CHUNK, source_range, &sj);
    for (guint g = 0; g < w->n_out; g++)
      {
        Out *o = &g_array_index (w->outs, Out, g);
        GpSplitGrid *grid = g_new0 (GpSplitGrid, 1);

        grid->shape = g_steal_pointer (&shapes[g]);
        g_ptr_array_add (result->grids, grid);
        if (grid->shape == NULL)
          {
            g_propagate_error (error, g_steal_pointer (&errors[g]));
            for (guint h = g + 1; h < w->n_out; h++)
              {
                g_clear_pointer (&shapes[h], gp_shape_free);
                g_clear_error (&errors[h]);
              }
            return FALSE;
          }
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
        gint64 lap = g_get_monotonic_time ();

        job->sources = source_index_new (job);
        split_lap ("corners indexed", &lap);
        restore_source_corners (job, shapes, n_new);
        split_lap ("corners restored", &lap);
        n_new = 0;
        for (guint g = 0; g < result->grids->len; g++)
          {
            GpSplitGrid *grid = g_ptr_array_index (result->grids, g);

            if (!(grid->flags & GP_SPLIT_GRID_FIXED))
              grid->shape = shapes[n_new++];
          }
      }
  }
  return TRUE;
}

/* With G_MESSAGES_DEBUG=gridplan-split, how long each stage of an area took (for bench/split). */
static gboolean
stage_done (Job *job, const char *stage, gint64 *since)
{
  gint64 now = g_get_monotonic_time ();

  g_log ("gridplan-split", G_LOG_LEVEL_DEBUG, "%s: %s %.3f s", area_label (job), stage, (now - *since) / 1e6);
  *since = now;
  return TRUE;
}

gboolean
run_area (Job *job, GError **error)
{
  gint64 t = g_get_monotonic_time ();
  const GpSplitArea *in = job->in;
  AreaWork w = { 0 };
  gboolean ok;

  w.mode = choose_mode (in, job->options->mode);
  w.unit_geom = g_new0 (GEOSGeometry *, in->n_units + 1);
  w.in_fixed = g_new0 (gboolean, in->n_units + 1);
  w.fixed_geom = g_new0 (GEOSGeometry *, in->n_fixed + 1);
  w.outs = g_array_new (FALSE, TRUE, sizeof (Out));
  ok = units_to_local (job, &w, error)
       && points_to_local (job, &w, error) && stage_done (job, "local frame", &t)
       && area_polygon (job, &w, error) && stage_done (job, "area polygon", &t)
       && carve_fixed (job, &w, error)
       && make_cells (job, &w, error) && stage_done (job, "cells", &t)
       && (w.free_area == NULL || split_cells (job, &w.cells, w.free_area, &w.made, error))
       && stage_done (job, "grids", &t)
       && collect_grids (job, &w, error)
       && number_grids (job, &w, error) && stage_done (job, "collected, numbered", &t)
       && measure_quality (job, &w, error) && stage_done (job, "measured", &t)
       && grids_to_result (job, &w, error) && stage_done (job, "back to source", &t);
  area_work_clear (job, &w);
  g_clear_pointer (&job->mesh, mesh_free);
  return ok;
}

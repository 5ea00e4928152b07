/* gp-split-points.c: household points as cells: places merged and clustered, their Voronoi cells cut to the area, and the hull of points given without one. */
#include "gp-config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-delaunay.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-split-private.h"

typedef struct {
  double x, y;
  double households;
  guint  first;   /* first input point at this place */
} Site;

static int
compare_site (const void *pa, const void *pb)
{
  const Site *a = pa, *b = pb;
  int c = compare_xy (a->x, a->y, b->x, b->y);

  return c != 0 ? c : (a->first < b->first ? -1 : a->first > b->first);
}

/* Quadtree over SITES[lo..hi) (reordered in place): a leaf holds at most LIMIT households
 * (or a handful of places, or sits deep); each leaf appends its weighted centre to OUT. */
static void
quadtree_leaves (Site *sites, guint lo, guint hi, double x0, double y0, double size, double limit,
                 guint depth, GArray *out)
{
  double w = 0.0, sx = 0.0, sy = 0.0, half = size / 2.0;
  guint first = G_MAXUINT, bounds[5];

  for (guint i = lo; i < hi; i++)
    {
      w += sites[i].households;
      first = MIN (first, sites[i].first);
    }
  if (w <= limit || hi - lo <= QUADTREE_LEAF_PLACES || depth >= QUADTREE_DEPTH)
    {
      Site leaf = { 0.0, 0.0, 0.0, first };

      for (guint i = lo; i < hi; i++)
        {
          double weight = w > 0.0 ? sites[i].households : 1.0;

          sx += weight * sites[i].x;
          sy += weight * sites[i].y;
        }
      leaf.x = sx / (w > 0.0 ? w : (double) (hi - lo));
      leaf.y = sy / (w > 0.0 ? w : (double) (hi - lo));
      g_array_append_val (out, leaf);
      return;
    }
  /* Partition into the four quarters: south-west, south-east, north-west, north-east. */
  bounds[0] = lo;
  bounds[4] = hi;
  for (guint q = 0, start = lo; q < 3; q++)
    {
      for (guint i = start; i < hi; i++)
        {
          guint quarter = (sites[i].x >= x0 + half ? 1u : 0u) + (sites[i].y >= y0 + half ? 2u : 0u);

          if (quarter == q)
            {
              Site t = sites[start];
              sites[start++] = sites[i];
              sites[i] = t;
            }
        }
      bounds[q + 1] = start;
    }
  for (guint q = 0; q < 4; q++)
    if (bounds[q + 1] > bounds[q])
      quadtree_leaves (sites, bounds[q], bounds[q + 1], x0 + (q & 1 ? half : 0.0),
                       y0 + (q & 2 ? half : 0.0), half, limit, depth + 1, out);
}

/* The leaf centres in a uniform grid of buckets C wide, for the nearest centre to each place. */
typedef struct {
  const Site  *places;
  const Site  *leaves;
  const guint *cell_start;   /* per bucket + 1 */
  const guint *cell_items;
  double       minx, miny, c;
  guint        nx, ny;
  guint       *map;          /* per place: its nearest leaf */
} LeafGrid;

/* Places [LO, HI): the nearest leaf centre, searched in growing rings of buckets until no
 * nearer centre can lie further out (ties to the lower leaf). */
static void
nearest_leaf_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  const LeafGrid *g = data;

  for (guint i = lo; i < hi; i++)
    {
      const Site *p = &g->places[i];
      guint cx = MIN ((guint) ((p->x - g->minx) / g->c), g->nx - 1), cy = MIN ((guint) ((p->y - g->miny) / g->c), g->ny - 1);
      double best = DBL_MAX;
      guint best_j = 0;

      for (guint r = 0; r < MAX (g->nx, g->ny); r++)
        {
          /* Everything in ring r is at least (r - 1)·c away. */
          if (best < DBL_MAX && (r - 1.0) * g->c > sqrt (best))
            break;
          for (gint dy = -(gint) r; dy <= (gint) r; dy++)
            for (gint dx = -(gint) r; dx <= (gint) r; dx++)
              {
                gint qx = (gint) cx + dx, qy = (gint) cy + dy;
                gsize b;

                if ((guint) ABS (dx) != r && (guint) ABS (dy) != r)
                  continue;
                if (qx < 0 || qy < 0 || qx >= (gint) g->nx || qy >= (gint) g->ny)
                  continue;
                b = (gsize) qy * g->nx + qx;
                for (guint e = g->cell_start[b]; e < g->cell_start[b + 1]; e++)
                  {
                    const Site *l = &g->leaves[g->cell_items[e]];
                    double d = (l->x - p->x) * (l->x - p->x) + (l->y - p->y) * (l->y - p->y);

                    if (d < best || (d == best && g->cell_items[e] < best_j))
                      {
                        best = d;
                        best_j = g->cell_items[e];
                      }
                  }
              }
        }
      g->map[i] = best_j;
    }
}

/* Very many household points (more than 20 places per grid to be made): the places are merged
 * into about T/20-household clusters (leaves of a quadtree, finer where households crowd), and
 * each place then joins the cluster centre nearest to it, so that every household lies in its
 * cluster's Voronoi cell. SITE_OF (per input point) is remapped. */
static void
reduce_sites (Job *job, GArray *sites, guint *site_of, guint n_points)
{
  double total = 0.0, minx = DBL_MAX, miny = DBL_MAX, maxx = -DBL_MAX, maxy = -DBL_MAX, size, c;
  g_autoptr(GArray) leaves = NULL;
  g_autofree guint *map = NULL;
  g_autofree guint *cell_start = NULL;
  g_autofree guint *cell_items = NULL;
  guint k, nx, ny;
  Site *s = (Site *) sites->data;

  for (guint i = 0; i < sites->len; i++)
    {
      total += s[i].households;
      minx = MIN (minx, s[i].x);
      miny = MIN (miny, s[i].y);
      maxx = MAX (maxx, s[i].x);
      maxy = MAX (maxy, s[i].y);
    }
  k = (guint) MAX (1.0, round (total / job->options->target));
  if (sites->len <= MAX (20u * k, 20000u))
    return;
  gint64 lap = g_get_monotonic_time ();

  {
    g_autoptr(GArray) copy = g_array_sized_new (FALSE, FALSE, sizeof (Site), sites->len);

    g_array_append_vals (copy, sites->data, sites->len);
    leaves = g_array_new (FALSE, FALSE, sizeof (Site));
    size = MAX (maxx - minx, maxy - miny) * (1.0 + 1e-9) + 1e-9;
    quadtree_leaves ((Site *) copy->data, 0, copy->len, minx, miny, size, job->options->target / 20.0, 0,
                     leaves);
  }

  split_lap ("quadtree", &lap);
  /* Nearest leaf centre of each place: a uniform grid of cells over the centres, searched in
   * growing rings until no nearer centre can lie further out. */
  c = sqrt ((maxx - minx + 1e-9) * (maxy - miny + 1e-9) / leaves->len) + 1e-9;
  nx = (guint) ((maxx - minx) / c) + 1;
  ny = (guint) ((maxy - miny) / c) + 1;
  cell_start = g_new0 (guint, (gsize) nx * ny + 1);
  for (guint j = 0; j < leaves->len; j++)
    {
      const Site *l = &g_array_index (leaves, Site, j);
      guint cx = MIN ((guint) ((l->x - minx) / c), nx - 1), cy = MIN ((guint) ((l->y - miny) / c), ny - 1);

      cell_start[(gsize) cy * nx + cx + 1]++;
    }
  for (gsize q = 0; q < (gsize) nx * ny; q++)
    cell_start[q + 1] += cell_start[q];
  cell_items = g_new (guint, leaves->len + 1);
  {
    g_autofree guint *fill = g_memdup2 (cell_start, ((gsize) nx * ny + 1) * sizeof (guint));

    for (guint j = 0; j < leaves->len; j++)
      {
        const Site *l = &g_array_index (leaves, Site, j);
        guint cx = MIN ((guint) ((l->x - minx) / c), nx - 1), cy = MIN ((guint) ((l->y - miny) / c), ny - 1);

        cell_items[fill[(gsize) cy * nx + cx]++] = j;
      }
  }
  map = g_new (guint, sites->len + 1);
  {
    LeafGrid lg = { s, (const Site *) leaves->data, cell_start, cell_items, minx, miny, c, nx, ny, map };

    job_parallel (job, sites->len, POINTS_CHUNK, nearest_leaf_range, &lg);
  }
  for (guint j = 0; j < leaves->len; j++)
    g_array_index (leaves, Site, j).households = 0.0;
  for (guint i = 0; i < sites->len; i++)
    g_array_index (leaves, Site, map[i]).households += s[i].households;
  for (guint p = 0; p < n_points; p++)
    if (site_of[p] != NONE)
      site_of[p] = map[site_of[p]];
  g_array_set_size (sites, 0);
  g_array_append_vals (sites, leaves->data, leaves->len);
}

/* The area as each thread sees it: a copy of its own (GEOS computes parts of a geometry on first
 * need, which two threads must not do at once) and that copy prepared, made on first need. */
typedef struct {
  const GEOSGeometry          *area;
  GEOSGeometry               **copy;      /* per thread */
  const GEOSPreparedGeometry **prepared;  /* per thread */
} ThreadArea;

static void
thread_area_take (GEOSContextHandle_t ctx, ThreadArea *ta, guint thread)
{
  if (ta->copy[thread] == NULL)
    {
      ta->copy[thread] = GEOSGeom_clone_r (ctx, ta->area);
      ta->prepared[thread] = ta->copy[thread] != NULL ? GEOSPrepare_r (ctx, ta->copy[thread]) : NULL;
    }
}

static void
thread_area_clear (GEOSContextHandle_t ctx, ThreadArea *ta, guint n_threads)
{
  for (guint t = 0; t < n_threads; t++)
    {
      if (ta->prepared[t] != NULL)
        GEOSPreparedGeom_destroy_r (ctx, ta->prepared[t]);
      geom_free (ctx, ta->copy[t]);
    }
  g_free (ta->copy);
  g_free (ta->prepared);
}

typedef struct {
  const double *xy;
  ThreadArea   *area;
  guint8       *inside;   /* per point */
} InsideJob;

static void
inside_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  InsideJob *ij = data;

  thread_area_take (ctx, ij->area, thread);
  for (guint k = lo; k < hi; k++)
    {
      double x = ij->xy[2 * k], y = ij->xy[2 * k + 1];
      GEOSGeometry *pt;

      if (!isfinite (x) || !isfinite (y) || ij->area->prepared[thread] == NULL)
        continue;
      pt = GEOSGeom_createPointFromXY_r (ctx, x, y);
      ij->inside[k] = GEOSPreparedCovers_r (ctx, ij->area->prepared[thread], pt) == 1;
      GEOSGeom_destroy_r (ctx, pt);
    }
}

/* CELL (taken) cut to the area as thread THREAD sees it; a cell cut in two by the area's outline
 * keeps the part around its point (X, Y): the rest is handed out with the other uncovered
 * territory. */
static GEOSGeometry *
clip_cell (GEOSContextHandle_t ctx, ThreadArea *ta, guint thread, GEOSGeometry *cell, double x, double y)
{
  GEOSGeometry *clipped, *pt, *keep = NULL;
  double best = DBL_MAX;

  thread_area_take (ctx, ta, thread);
  if (cell == NULL || ta->prepared[thread] == NULL)
    {
      geom_free (ctx, cell);
      return NULL;
    }
  if (GEOSPreparedContainsProperly_r (ctx, ta->prepared[thread], cell) == 1)
    return cell;
  clipped = gp_split_intersection (ctx, cell, ta->copy[thread]);
  GEOSGeom_destroy_r (ctx, cell);
  if (clipped == NULL || GEOSGeomTypeId_r (ctx, clipped) != GEOS_MULTIPOLYGON)
    return clipped;
  pt = GEOSGeom_createPointFromXY_r (ctx, x, y);
  for (int p = 0; p < GEOSGetNumGeometries_r (ctx, clipped); p++)
    {
      const GEOSGeometry *part = GEOSGetGeometryN_r (ctx, clipped, p);
      double d = DBL_MAX;

      if (GEOSDistance_r (ctx, part, pt, &d) && d < best)
        {
          best = d;
          geom_free (ctx, keep);
          keep = GEOSGeom_clone_r (ctx, part);
        }
    }
  GEOSGeom_destroy_r (ctx, pt);
  GEOSGeom_destroy_r (ctx, clipped);
  return keep;
}

/* The Voronoi cells from GEOS (when the sites' own triangulation gives no closed cell to every
 * site, which only rounding on very degenerate places could do): each diagram cell's site, and
 * the cell cut to the area. */
typedef struct {
  const GEOSGeometry *diagram;
  GEOSSTRtree        *tree;      /* of the sites, built before the threads */
  const Sample       *samples;
  ThreadArea         *area;
  guint              *found;     /* per cell: its site, or NONE */
  GEOSGeometry      **clipped;   /* per cell: its part of the area */
} ClipJob;

static void
clip_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  ClipJob *cj = data;

  for (guint c = lo; c < hi; c++)
    {
      const GEOSGeometry *cell = GEOSGetGeometryN_r (ctx, cj->diagram, (int) c);
      CellQuery q = { ctx, cell, cj->samples, NONE };

      cj->found[c] = NONE;
      GEOSSTRtree_query_r (ctx, cj->tree, cell, cell_query_visit, &q);
      if (q.found == NONE)
        continue;
      cj->found[c] = q.found;
      cj->clipped[c] = clip_cell (ctx, cj->area, thread, GEOSGeom_clone_r (ctx, cell), cj->samples[q.found].x,
                                  cj->samples[q.found].y);
    }
}

static gboolean
geos_voronoi_cells (Job *job, const GArray *sites, const GEOSGeometry *free_area, Cells *cells)
{
  GEOSContextHandle_t ctx = job->ctx;
  g_autofree GEOSGeometry **points = g_new (GEOSGeometry *, sites->len);
  GEOSGeometry *multipoint, *diagram;

  for (guint i = 0; i < sites->len; i++)
    points[i] = GEOSGeom_createPointFromXY_r (ctx, g_array_index (sites, Site, i).x, g_array_index (sites, Site, i).y);
  multipoint = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOINT, points, sites->len);
  diagram = multipoint != NULL ? GEOSVoronoiDiagram_r (ctx, multipoint, free_area, 0.0, 0) : NULL;
  if (diagram == NULL)
    {
      geom_free (ctx, multipoint);
      return FALSE;
    }
  {
    GEOSSTRtree *tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
    g_autofree Sample *samples = g_new (Sample, sites->len);
    guint n_cells = (guint) GEOSGetNumGeometries_r (ctx, diagram);
    guint n_threads = gp_parallel_threads (job->helpers, n_cells, CELLS_CHUNK);
    ThreadArea ta = { free_area, g_new0 (GEOSGeometry *, n_threads), g_new0 (const GEOSPreparedGeometry *, n_threads) };
    g_autofree guint *found = g_new (guint, n_cells + 1);
    g_autofree GEOSGeometry **clipped = g_new0 (GEOSGeometry *, n_cells + 1);
    ClipJob cj = { diagram, tree, samples, &ta, found, clipped };

    for (guint i = 0; i < sites->len; i++)
      {
        samples[i] = (Sample) { g_array_index (sites, Site, i).x, g_array_index (sites, Site, i).y, i };
        GEOSSTRtree_insert_r (ctx, tree, GEOSGetGeometryN_r (ctx, multipoint, (int) i), GUINT_TO_POINTER (i + 1));
      }
    gp_parallel_build_tree (ctx, tree);
    job_parallel (job, n_cells, CELLS_CHUNK, clip_range, &cj);
    /* In the diagram's order, as one thread would: each site keeps the first cell that is its. */
    for (guint c = 0; c < n_cells; c++)
      {
        if (found[c] != NONE && cells->geom[found[c]] == NULL)
          cells->geom[found[c]] = g_steal_pointer (&clipped[c]);
        geom_free (ctx, clipped[c]);
      }
    thread_area_clear (ctx, &ta, n_threads);
    GEOSSTRtree_destroy_r (ctx, tree);
  }
  geom_free (ctx, diagram);
  geom_free (ctx, multipoint);
  return TRUE;
}

/* The Voronoi cells from the sites' own Delaunay triangulation (far faster than GEOS's diagram,
 * and each cell known by its site): cells inside the area as they are, the others cut to it. */
typedef struct {
  const GpDelaunay *delaunay;
  const gint       *inedges;
  const double     *centres;
  const GArray     *sites;
  ThreadArea       *area;
  GEOSGeometry    **geom;      /* per site */
  gboolean         *clipped;   /* per site: its cell was cut to the area */
  gint              open;      /* a site without a closed cell (atomic) */
} CellJob;

static void
cell_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  CellJob *cj = data;
  g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = lo; i < hi; i++)
    {
      const Site *s = &g_array_index (cj->sites, Site, i);
      GEOSCoordSequence *seq;
      GEOSGeometry *shell, *cell;

      if (!gp_delaunay_cell (cj->delaunay, cj->inedges, cj->centres, i, ring))
        {
          g_atomic_int_set (&cj->open, 1);
          continue;
        }
      seq = GEOSCoordSeq_copyFromBuffer_r (ctx, (const double *) ring->data, ring->len / 2, 0, 0);
      shell = seq != NULL ? GEOSGeom_createLinearRing_r (ctx, seq) : NULL;
      cell = shell != NULL ? GEOSGeom_createPolygon_r (ctx, shell, NULL, 0) : NULL;
      cj->geom[i] = clip_cell (ctx, cj->area, thread, cell, s->x, s->y);
      cj->clipped[i] = cj->geom[i] != cell;
    }
}

typedef struct {
  guint  v;
  double shared;
} Neighbour;

static int
compare_neighbour (const void *pa, const void *pb)
{
  const Neighbour *a = pa, *b = pb;

  return a->v < b->v ? -1 : a->v > b->v;
}

/* The Voronoi cells' shared borders, from the triangulation: neighbours are the ends of a
 * Delaunay edge, and they share the Voronoi edge between the centres of the two triangles on
 * either side (exactly, both cells having the very same corners there); where the area cut
 * either cell, the border is measured on the cells as they are. */
static GArray *
delaunay_pairs (GEOSContextHandle_t ctx, const GpDelaunay *d, const gint *inedges, const double *centres,
                GEOSGeometry *const *geom, const gboolean *clipped, guint n)
{
  GArray *pairs = g_array_new (FALSE, FALSE, sizeof (PairRec));
  g_autoptr(GArray) around = g_array_new (FALSE, FALSE, sizeof (Neighbour));

  for (guint u = 0; u < n; u++)
    {
      gint e0 = inedges[u], e = e0;

      if (e0 < 0 || geom[u] == NULL)
        continue;
      g_array_set_size (around, 0);
      /* Round U: each half-edge out of it ends at a neighbour V. */
      do
        {
          guint out = gp_delaunay_next ((guint) e), v = d->triangles[gp_delaunay_next (out)];
          gint back = d->halfedges[out];

          if (v > u && v < n && geom[v] != NULL && back >= 0)
            {
              const double *a = &centres[2 * (out / 3)], *b = &centres[2 * ((guint) back / 3)];
              Neighbour nb = { v, clipped[u] || clipped[v] ? shared_border (ctx, geom[u], geom[v], TOUCH)
                                                            : hypot (a[0] - b[0], a[1] - b[1]) };

              if (nb.shared > 0.0)
                g_array_append_val (around, nb);
            }
          e = back;
        }
      while (e >= 0 && e != e0);
      if (around->len > 1)
        qsort (around->data, around->len, sizeof (Neighbour), compare_neighbour);
      for (guint k = 0; k < around->len; k++)
        {
          PairRec r = { u, g_array_index (around, Neighbour, k).v, g_array_index (around, Neighbour, k).shared, FALSE };

          g_array_append_val (pairs, r);
        }
    }
  return pairs;
}

static gboolean
delaunay_cells (Job *job, const GArray *sites, const GEOSGeometry *free_area, Cells *cells)
{
  GEOSContextHandle_t ctx = job->ctx;
  g_autofree double *xy = g_new (double, 2 * (gsize) sites->len + 1);
  g_autoptr(GpDelaunay) d = NULL;
  g_autofree double *centres = NULL;
  g_autofree gint *inedges = NULL;
  double box[4];

  if (!GEOSGeom_getXMin_r (ctx, free_area, &box[0]) || !GEOSGeom_getYMin_r (ctx, free_area, &box[1])
      || !GEOSGeom_getXMax_r (ctx, free_area, &box[2]) || !GEOSGeom_getYMax_r (ctx, free_area, &box[3]))
    return FALSE;
  for (guint i = 0; i < sites->len; i++)
    {
      const Site *s = &g_array_index (sites, Site, i);

      xy[2 * i] = s->x;
      xy[2 * i + 1] = s->y;
      box[0] = MIN (box[0], s->x);
      box[1] = MIN (box[1], s->y);
      box[2] = MAX (box[2], s->x);
      box[3] = MAX (box[3], s->y);
    }
  d = gp_delaunay_new_framed (xy, sites->len, box);
  if (d == NULL)
    return FALSE;
  /* Centres of four places on one circle, a nanometre apart in a kilometre, are one corner. */
  centres = gp_delaunay_centres (d, 1e-12 * hypot (box[2] - box[0], box[3] - box[1]));
  inedges = gp_delaunay_inedges (d);
  {
    guint n_threads = gp_parallel_threads (job->helpers, sites->len, CELLS_CHUNK);
    ThreadArea ta = { free_area, g_new0 (GEOSGeometry *, n_threads), g_new0 (const GEOSPreparedGeometry *, n_threads) };
    g_autofree gboolean *clipped = g_new0 (gboolean, sites->len + 1);
    CellJob cj = { d, inedges, centres, sites, &ta, cells->geom, clipped, 0 };

    job_parallel (job, sites->len, CELLS_CHUNK, cell_range, &cj);
    thread_area_clear (ctx, &ta, n_threads);
    if (!cj.open)
      cells->pairs = delaunay_pairs (ctx, d, inedges, centres, cells->geom, clipped, sites->len);
    if (cj.open)
      {
        for (guint i = 0; i < sites->len; i++)
          {
            geom_free (ctx, cells->geom[i]);
            cells->geom[i] = NULL;
          }
        return FALSE;
      }
  }
  return TRUE;
}

/* Household points: one cell per place (points at the same place merged), its Voronoi cell
 * clipped to the free territory. SITE_OF gets each input point's cell (NONE: outside).
 * ALL_INSIDE: the territory holds every finite point (their own hull, grown), unchecked. */
gboolean
cells_from_points (Job *job, const double *local_xy, const GEOSGeometry *free_area, gboolean all_inside,
                   Cells *cells, guint *site_of, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  g_autoptr(GArray) sites = g_array_new (FALSE, FALSE, sizeof (Site));
  g_autofree guint8 *inside = g_new0 (guint8, in->n_points + 1);
  guint outside = 0;
  gint64 lap = g_get_monotonic_time ();

  if (all_inside)
    for (guint k = 0; k < in->n_points; k++)
      inside[k] = isfinite (local_xy[2 * k]) && isfinite (local_xy[2 * k + 1]);
  else
  {
    /* Which points lie in the area, on the area's threads (each with its own copy of it). */
    guint n_threads = gp_parallel_threads (job->helpers, in->n_points, POINTS_CHUNK);
    ThreadArea ta = { free_area, g_new0 (GEOSGeometry *, n_threads), g_new0 (const GEOSPreparedGeometry *, n_threads) };
    InsideJob ij = { local_xy, &ta, inside };

    job_parallel (job, in->n_points, POINTS_CHUNK, inside_range, &ij);
    thread_area_clear (ctx, &ta, n_threads);
  }
  for (guint k = 0; k < in->n_points; k++)
    {
      double w = in->point_households != NULL ? in->point_households[k] : 1.0;
      Site s = { local_xy[2 * k], local_xy[2 * k + 1], isfinite (w) && w > 0.0 ? w : 0.0, k };

      site_of[k] = NONE;
      if (!inside[k])
        {
          outside++;
          continue;
        }
      g_array_append_val (sites, s);
    }
  split_lap ("points inside the area", &lap);
  if (outside > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE, "%s: %u household point lies outside the area and was left out",
                                "%s: %u household points lie outside the area and were left out",
                                outside),
              area_label (job), outside);

  /* Merge points at one place; SITE_OF maps through the sorted order. */
  if (sites->len > 1)
    gp_parallel_sort (job->helpers, sites->data, sites->len, sizeof (Site), compare_site);
  {
    guint m = 0;

    for (guint i = 0; i < sites->len; i++)
      {
        Site *s = &g_array_index (sites, Site, i);

        if (m > 0 && g_array_index (sites, Site, m - 1).x == s->x && g_array_index (sites, Site, m - 1).y == s->y)
          {
            g_array_index (sites, Site, m - 1).households += s->households;
            site_of[s->first] = m - 1;
            continue;
          }
        site_of[s->first] = m;
        g_array_index (sites, Site, m++) = *s;
      }
    g_array_set_size (sites, m);
  }
  split_lap ("places merged", &lap);
  reduce_sites (job, sites, site_of, in->n_points);
  split_lap ("places clustered", &lap);

  cells->n = sites->len;
  cells->geom = g_new0 (GEOSGeometry *, sites->len + 1);
  cells->households = g_new0 (double, sites->len + 1);
  for (guint i = 0; i < sites->len; i++)
    cells->households[i] = g_array_index (sites, Site, i).households;
  if (sites->len == 0)
    return TRUE;
  if (sites->len == 1)
    {
      cells->geom[0] = GEOSGeom_clone_r (ctx, free_area);
      return TRUE;
    }

  /* GRIDPLAN_SPLIT_VORONOI=geos draws them with GEOS only (to compare, and to test that way). */
  if (g_strcmp0 (g_getenv ("GRIDPLAN_SPLIT_VORONOI"), "geos") != 0 && delaunay_cells (job, sites, free_area, cells))
    split_lap ("Voronoi cells", &lap);
  else if (geos_voronoi_cells (job, sites, free_area, cells))
    split_lap ("Voronoi cells (GEOS)", &lap);
  else
    {
      gp_geom_set_error (error, _("cannot draw the cells of the household points"));
      return FALSE;
    }
  return TRUE;
}

static int
compare_point (const void *pa, const void *pb)
{
  const double *a = pa, *b = pb;

  return compare_xy (a[0], a[1], b[0], b[1]);
}

static double
cross3 (const double *o, const double *a, const double *b)
{
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/* The points furthest in eight directions (Akl and Toussaint): every point strictly inside
 * the octagon they make is off the hull, and most points are, so only the few others are
 * sorted. */
#define HULL_FILTER_DIRECTIONS 8

static void
octagon (const double *xy, guint n, double *oct, guint *n_oct)
{
  /* Directions counter-clockwise from south: S, SE, E, NE, N, NW, W, SW. */
  static const double dir[HULL_FILTER_DIRECTIONS][2] = { { 0, -1 }, { 1, -1 }, { 1, 0 }, { 1, 1 },
                                                          { 0, 1 }, { -1, 1 }, { -1, 0 }, { -1, -1 } };
  double best[HULL_FILTER_DIRECTIONS];
  gint at[HULL_FILTER_DIRECTIONS];

  *n_oct = 0;
  for (guint d = 0; d < HULL_FILTER_DIRECTIONS; d++)
    {
      best[d] = -INFINITY;
      at[d] = -1;
    }
  for (guint i = 0; i < n; i++)
    {
      if (!isfinite (xy[2 * i]) || !isfinite (xy[2 * i + 1]))
        continue;
      for (guint d = 0; d < HULL_FILTER_DIRECTIONS; d++)
        {
          double v = dir[d][0] * xy[2 * i] + dir[d][1] * xy[2 * i + 1];

          if (v > best[d])
            {
              best[d] = v;
              at[d] = (gint) i;
            }
        }
    }
  for (guint d = 0; d < HULL_FILTER_DIRECTIONS; d++)
    if (at[d] >= 0 && (*n_oct == 0 || xy[2 * at[d]] != oct[2 * (*n_oct - 1)] || xy[2 * at[d] + 1] != oct[2 * (*n_oct - 1) + 1]))
      {
        oct[2 * *n_oct] = xy[2 * at[d]];
        oct[2 * *n_oct + 1] = xy[2 * at[d] + 1];
        (*n_oct)++;
      }
  if (*n_oct > 1 && oct[0] == oct[2 * (*n_oct - 1)] && oct[1] == oct[2 * (*n_oct - 1) + 1])
    (*n_oct)--;
}

/* Whether P lies strictly inside the convex polygon POLY (N corners counter-clockwise). */
static gboolean
inside_convex (const double *poly, guint n, const double *p)
{
  if (n < 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!(cross3 (&poly[2 * i], &poly[2 * ((i + 1) % n)], p) > 0.0))
      return FALSE;
  return TRUE;
}

/* The convex hull of the finite points (x, y interleaved) as a polygon, or NULL when they do
 * not span an area. (Andrew's monotone chain: GEOS would first need a million point objects.) */
GEOSGeometry *
convex_hull (GEOSContextHandle_t ctx, const double *xy, guint n)
{
  g_autofree double *p = g_new (double, 2 * (gsize) n + 2);
  g_autofree double *h = NULL;
  GEOSCoordSequence *seq;
  GEOSGeometry *ring;
  guint m = 0, k = 0;

  double oct[2 * HULL_FILTER_DIRECTIONS];
  guint n_oct = 0;

  octagon (xy, n, oct, &n_oct);
  for (guint i = 0; i < n; i++)
    if (isfinite (xy[2 * i]) && isfinite (xy[2 * i + 1]) && !inside_convex (oct, n_oct, &xy[2 * i]))
      {
        p[2 * m] = xy[2 * i];
        p[2 * m + 1] = xy[2 * i + 1];
        m++;
      }
  if (m < 3)
    return NULL;
  qsort (p, m, 2 * sizeof (double), compare_point);
  h = g_new (double, 4 * (gsize) m + 4);
  for (guint i = 0; i < m; i++)
    {
      while (k >= 2 && cross3 (h + 2 * (k - 2), h + 2 * (k - 1), p + 2 * i) <= 0.0)
        k--;
      memcpy (h + 2 * k++, p + 2 * i, 2 * sizeof (double));
    }
  for (guint i = m - 1, lower = k + 1; i-- > 0;)
    {
      while (k >= lower && cross3 (h + 2 * (k - 2), h + 2 * (k - 1), p + 2 * i) <= 0.0)
        k--;
      memcpy (h + 2 * k++, p + 2 * i, 2 * sizeof (double));
    }
  /* k counts the first point twice (closing the ring); a line has fewer than 4. */
  if (k < 4)
    return NULL;
  seq = GEOSCoordSeq_copyFromBuffer_r (ctx, h, k, 0, 0);
  ring = seq != NULL ? GEOSGeom_createLinearRing_r (ctx, seq) : NULL;
  return ring != NULL ? GEOSGeom_createPolygon_r (ctx, ring, NULL, 0) : NULL;
}

/* gp-split-cells.c: what the graph core groups: units or lattice cells; the area of units given without one. */
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

void
cells_clear (GEOSContextHandle_t ctx, Cells *cells)
{
  for (guint i = 0; i < cells->n; i++)
    geom_free (ctx, cells->geom[i]);
  g_clear_pointer (&cells->geom, g_free);
  g_clear_pointer (&cells->households, g_free);
  g_clear_pointer (&cells->grid, g_free);
  g_clear_pointer (&cells->point_xy, g_free);
  g_clear_pointer (&cells->cut, g_free);
  g_clear_pointer (&cells->pairs, g_array_unref);
  cells->n = 0;
}

/* Units clipped to the free territory; those outside it are left out with a note. */
gboolean
cells_from_units (Job *job, const gboolean *in_fixed, GEOSGeometry **unit_geom,
                  const GEOSGeometry *parent, const GEOSGeometry *free_area, gboolean clip,
                  Cells *cells, GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  const GEOSPreparedGeometry *prepared = NULL;
  guint outside = 0, under_fixed = 0;
  g_autofree char *first_outside = NULL;

  cells->n = in->n_units;
  cells->kind_units = TRUE;
  cells->geom = g_new0 (GEOSGeometry *, in->n_units + 1);
  cells->households = g_new0 (double, in->n_units + 1);
  cells->cut = g_new0 (gboolean, in->n_units + 1);
  if (clip && free_area != NULL)
    prepared = GEOSPrepare_r (ctx, free_area);
  for (guint u = 0; u < in->n_units; u++)
    {
      GEOSGeometry *g = unit_geom[u];
      double h = in->unit_households != NULL ? in->unit_households[u] : 0.0;

      cells->households[u] = isfinite (h) && h > 0.0 ? h : 0.0;
      if (in_fixed[u] || g == NULL)
        continue;
      if (free_area == NULL)
        {
          outside++;
          continue;
        }
      /* A unit along the area's outline is covered, not contained properly: it needs no cut
       * (an overlay per unit made half the time of a village's split). */
      if (prepared != NULL && GEOSPreparedContainsProperly_r (ctx, prepared, g) != 1
          && GEOSPreparedCovers_r (ctx, prepared, g) != 1)
        {
          GEOSGeometry *clipped = NULL;
          double before = geom_area (ctx, g);

          if (GEOSPreparedIntersects_r (ctx, prepared, g) == 1)
            clipped = gp_split_intersection (ctx, g, free_area);
          if (clipped == NULL || geom_area (ctx, clipped) <= MAX (AREA_ROUNDING * before, CRUMB_SHARE))
            {
              geom_free (ctx, clipped);
              if (job->in->n_fixed > 0 && GEOSIntersects_r (ctx, parent, g) == 1)
                under_fixed++;
              else
                {
                  if (first_outside == NULL)
                    first_outside = unit_label (job, u);
                  outside++;
                }
              continue;
            }
          cells->geom[u] = clipped;
          cells->cut[u] = TRUE;
        }
      else
        cells->geom[u] = GEOSGeom_clone_r (ctx, g);
    }
  if (prepared != NULL)
    GEOSPreparedGeom_destroy_r (ctx, prepared);
  if (outside > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE, "%s: %u unit (%s) lies outside the area and was left out",
                                "%s: %u units (the first: %s) lie outside the area and were left out",
                                outside),
              area_label (job), outside, first_outside != NULL ? first_outside : "?");
  if (under_fixed > 0)
    job_note (job, g_dngettext (GETTEXT_PACKAGE,
                                "%s: %u unit lies under a locked or exclusive grid and was left out",
                                "%s: %u units lie under locked or exclusive grids and were left out",
                                under_fixed),
              area_label (job), under_fixed);
  (void) error;
  return TRUE;
}

/* Geometry only: a seeded lattice of hexagons over the free territory, each cell weighted by
 * its share of the area, about 40 cells per grid so that the pieces can be balanced finely. */
gboolean
cells_from_lattice (Job *job, const GEOSGeometry *free_area, double households, Cells *cells,
                    GError **error)
{
  GEOSContextHandle_t ctx = job->ctx;
  double total_area = geom_area (ctx, free_area), minx, miny, maxx, maxy, r, w, h, ox, oy;
  guint k = (guint) MAX (1.0, round (households / job->options->target));
  guint want = CLAMP (LATTICE_CELLS_PER_GRID * k, 1u, (guint) LATTICE_CELLS_MAX);
  g_autoptr(GPtrArray) geoms = g_ptr_array_new ();
  const GEOSPreparedGeometry *prepared;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (job->options->seed ^ (job->options->seed >> 32)));

  if (k <= 1 || total_area <= 0.0)
    {
      cells->n = 1;
      cells->geom = g_new0 (GEOSGeometry *, 1);
      cells->households = g_new0 (double, 1);
      cells->geom[0] = GEOSGeom_clone_r (ctx, free_area);
      cells->households[0] = households;
      return TRUE;
    }
  if (!GEOSGeom_getXMin_r (ctx, free_area, &minx) || !GEOSGeom_getYMin_r (ctx, free_area, &miny)
      || !GEOSGeom_getXMax_r (ctx, free_area, &maxx) || !GEOSGeom_getYMax_r (ctx, free_area, &maxy))
    {
      gp_geom_set_error (error, _("cannot measure the area"));
      return FALSE;
    }
  /* Pointy-top hexagons of radius r: area 3√3/2·r², columns √3·r apart, rows 1.5·r apart. */
  r = sqrt (total_area / want / (1.5 * sqrt (3.0)));
  w = sqrt (3.0) * r;
  h = 1.5 * r;
  ox = minx - g_rand_double (rand) * w;
  oy = miny - g_rand_double (rand) * h;
  prepared = GEOSPrepare_r (ctx, free_area);
  for (guint row = 0; oy + (row - 1.0) * h <= maxy + r; row++)
    for (guint col = 0; ox + (col - 1.0) * w <= maxx + w; col++)
      {
        /* Corners on a lattice of half-columns (w/2) and half-radii (r/2), computed from whole
         * numbers so that neighbouring hexagons share their corners exactly. */
        static const int corner[7][2] = { { 1, 1 }, { 0, 2 }, { -1, 1 }, { -1, -1 }, { 0, -2 }, { 1, -1 }, { 1, 1 } };
        int kx = 2 * (int) col + (int) (row % 2), ky = 3 * (int) row;
        GEOSCoordSequence *seq = GEOSCoordSeq_create_r (ctx, 7, 2);
        GEOSGeometry *ring, *hex, *clipped;

        for (int i = 0; i < 7; i++)
          GEOSCoordSeq_setXY_r (ctx, seq, (unsigned) i, ox + (kx + corner[i][0]) * (w / 2.0),
                                oy + (ky + corner[i][1]) * (r / 2.0));
        ring = GEOSGeom_createLinearRing_r (ctx, seq);
        hex = GEOSGeom_createPolygon_r (ctx, ring, NULL, 0);
        if (GEOSPreparedIntersects_r (ctx, prepared, hex) != 1)
          {
            GEOSGeom_destroy_r (ctx, hex);
            continue;
          }
        if (GEOSPreparedContainsProperly_r (ctx, prepared, hex) == 1)
          clipped = hex;
        else
          {
            clipped = gp_split_intersection (ctx, hex, free_area);
            GEOSGeom_destroy_r (ctx, hex);
          }
        if (clipped == NULL)
          continue;
        /* A hexagon cut in pieces by the outline: each piece a cell of its own. */
        gp_split_collect_polygons (ctx, clipped, geoms);
        GEOSGeom_destroy_r (ctx, clipped);
      }
  GEOSPreparedGeom_destroy_r (ctx, prepared);

  cells->n = geoms->len;
  cells->geom = g_new0 (GEOSGeometry *, geoms->len + 1);
  cells->households = g_new0 (double, geoms->len + 1);
  for (guint i = 0; i < geoms->len; i++)
    {
      cells->geom[i] = g_ptr_array_index (geoms, i);
      cells->households[i] = households * geom_area (ctx, cells->geom[i]) / total_area;
    }
  return TRUE;
}

static int
compare_double (const void *pa, const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;

  return a < b ? -1 : a > b;
}

typedef struct {
  GEOSContextHandle_t ctx;
  GEOSGeometry      **geom;
} GapQuery;

static int
other_unit_distance (const void *item1, const void *item2, double *distance, void *user_data)
{
  GapQuery *q = user_data;
  guint a = GPOINTER_TO_UINT (item1) - 1, b = GPOINTER_TO_UINT (item2) - 1;

  if (a == b)
    {
      *distance = DBL_MAX;
      return 1;
    }
  return GEOSDistanceIndexed_r (q->ctx, q->geom[a], q->geom[b], distance);
}

/* Units that tile (or a single one): the area is their union. */
static GEOSGeometry *
units_union (GEOSContextHandle_t ctx, GEOSGeometry **unit_geom, guint n)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint u = 0; u < n; u++)
    if (unit_geom[u] != NULL)
      g_ptr_array_add (parts, GEOSGeom_clone_r (ctx, unit_geom[u]));
  return union_take (ctx, parts);
}

/* Streets vary in width: the gap from a unit to its nearest neighbour is taken at this
 * quantile (most units, not the narrowest lanes), and ground up to twice that wide joins units
 * into one area; wider gaps (a river, open country) leave islands. */
#define JOIN_GAP_QUANTILE 0.9

/* Units whose gap to their nearest neighbour is measured (every n/GAP_SAMPLES-th). */
/* Units have streets between them when at least this share of them touch no other (a quarter:
 * compounds side by side in places; tiling units leave apart only islands, a few in a hundred). */
#define STREETS_SHARE 0.25
#define GAP_SAMPLES 256

/* Units per strip of the area whose grown units are joined on a thread, and strips at most:
 * enough for every core, few enough that joining the strips costs little (small areas are cut
 * in strips too, so that the tests of streets without an area go through the join). */
#define GROW_STRIP_UNITS 64
#define GROW_STRIPS_MAX 8u

typedef struct {
  GEOSGeometry *const *unit_geom;
  double               d;
  GEOSGeometry       **grown;     /* per unit, taken by the strips */
  guint               *order;     /* units west to east (n_order of them) */
  GEOSGeometry       **strips;    /* per strip: its grown units joined */
  guint                n_strips;
  guint                n_order;
} GrowJob;

static void
grow_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  GrowJob *gj = data;

  for (guint u = lo; u < hi; u++)
    if (gj->unit_geom[u] != NULL)
      gj->grown[u] = GEOSBufferWithStyle_r (ctx, gj->unit_geom[u], gj->d, 1, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE,
                                            MITRE_LIMIT);
}

typedef struct {
  double x;
  guint  unit;
} ByX;

static int
compare_by_x (const void *pa, const void *pb)
{
  const ByX *a = pa, *b = pb;

  if (a->x != b->x)
    return a->x < b->x ? -1 : 1;
  return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/* The grown units from west to east (by the middle of their box); N_ORDER: how many. */
static guint *
strip_order (GEOSContextHandle_t ctx, GEOSGeometry **grown, guint n, guint *n_order)
{
  g_autofree ByX *by_x = g_new (ByX, n + 1);
  guint *order = g_new (guint, n + 1), m = 0;

  for (guint u = 0; u < n; u++)
    {
      double x0, x1;

      if (grown[u] == NULL || !GEOSGeom_getXMin_r (ctx, grown[u], &x0) || !GEOSGeom_getXMax_r (ctx, grown[u], &x1))
        continue;
      by_x[m++] = (ByX) { (x0 + x1) / 2.0, u };
    }
  qsort (by_x, m, sizeof (ByX), compare_by_x);
  for (guint i = 0; i < m; i++)
    order[i] = by_x[i].unit;
  *n_order = m;
  return order;
}

/* Strips [LO, HI): each joins its share of the grown units, west to east. */
static void
join_strip_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  GrowJob *gj = data;
  guint m = gj->n_order;

  for (guint s = lo; s < hi; s++)
    {
      guint first = (guint) ((guint64) m * s / gj->n_strips), end = (guint) ((guint64) m * (s + 1) / gj->n_strips);
      g_autofree GEOSGeometry **parts = g_new (GEOSGeometry *, end - first + 1);
      GEOSGeometry *collection;

      for (guint i = first; i < end; i++)
        parts[i - first] = g_steal_pointer (&gj->grown[gj->order[i]]);
      collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, parts, end - first);
      gj->strips[s] = collection != NULL ? gp_split_union (ctx, collection) : NULL;
      geom_free (ctx, collection);
    }
}

/* Without an area polygon, the area is its units and the ground between them: streets up to
 * twice as wide as the typical gap between a unit and its nearest neighbour are closed over (a
 * morphological closing with mitred corners, which keeps straight outlines straight). Units that tile have
 * no gap and give their union as it is. CLIP: set when the units must be clipped to the area
 * (it is no longer their exact union). */
GEOSGeometry *
area_from_units (Job *job, GEOSGeometry **unit_geom, gboolean try_mesh, gboolean *clip)
{
  GEOSContextHandle_t ctx = job->ctx;
  const GpSplitArea *in = job->in;
  GapQuery q = { ctx, unit_geom };
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  GEOSSTRtree *tree;
  GEOSGeometry *grown, *closed;
  double gap, d;
  gint64 lap = g_get_monotonic_time ();

  tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
  for (guint u = 0; u < in->n_units; u++)
    if (unit_geom[u] != NULL)
      GEOSSTRtree_insert_r (ctx, tree, unit_geom[u], GUINT_TO_POINTER (u + 1));
  /* The gaps of a few hundred units spread through the list tell the typical street. */
  for (guint u = 0; u < in->n_units; u += MAX (1u, in->n_units / GAP_SAMPLES))
    {
      const void *found;
      double dist = DBL_MAX;

      if (unit_geom[u] == NULL)
        continue;
      found = GEOSSTRtree_nearest_generic_r (ctx, tree, GUINT_TO_POINTER (u + 1), unit_geom[u],
                                             other_unit_distance, &q);
      if (found != NULL && GEOSDistanceIndexed_r (ctx, unit_geom[u], unit_geom[GPOINTER_TO_UINT (found) - 1], &dist)
          && dist < DBL_MAX)
        g_array_append_val (gaps, dist);
    }
  GEOSSTRtree_destroy_r (ctx, tree);
  if (gaps->len > 1)
    qsort (gaps->data, gaps->len, sizeof (double), compare_double);
  /* Nearly all units touching a neighbour: they tile (islands aside), and the area is their
   * union. Where a share of them stand apart (compounds along streets, some of them side by
   * side), the streets are measured among those. */
  {
    guint first = 0;

    while (first < gaps->len && !(g_array_index (gaps, double, first) > TOUCH))
      first++;
    if (gaps->len == 0 || gaps->len - first < STREETS_SHARE * gaps->len)
      return units_union (ctx, unit_geom, in->n_units);
    gap = g_array_index (gaps, double, first + (guint) (JOIN_GAP_QUANTILE * (gaps->len - 1 - first)));
  }
  d = gap;
  split_lap ("gaps sampled", &lap);
  /* One triangulation of the units gives the area and, later, the territories, with no
   * overlay; units that overlap or cross leave it to the closing below. */
  if (try_mesh)
    {
      job->mesh = mesh_new (ctx, unit_geom, in->n_units, d);
      split_lap ("mesh", &lap);
      if (job->mesh != NULL)
        {
          GEOSGeometry *area = mesh_area (ctx, job->mesh);

          split_lap ("area traced", &lap);
          /* The units lie in it by construction: no clipping. */
          if (area != NULL)
            return area;
          g_clear_pointer (&job->mesh, mesh_free);
        }
    }
  /* Dilation unit by unit (small buffers) joined in cascaded unions, a strip of the area per
   * thread, then one erosion of an outline that has lost its streets: far cheaper than
   * buffering the union of all the units. */
  {
    GrowJob gj = { unit_geom, d, g_new0 (GEOSGeometry *, in->n_units + 1), NULL, NULL, 0 };
    g_autofree GEOSGeometry **strips = NULL;
    GEOSGeometry *collection;

    job_parallel (job, in->n_units, UNION_CHUNK, grow_range, &gj);
    split_lap ("units grown", &lap);
    /* As many strips whatever the threads, so that one thread or four draw the same area. */
    gj.n_strips = CLAMP (in->n_units / GROW_STRIP_UNITS, 1u, GROW_STRIPS_MAX);
    gj.order = strip_order (ctx, gj.grown, in->n_units, &gj.n_order);
    strips = gj.strips = g_new0 (GEOSGeometry *, gj.n_strips + 1);
    job_parallel (job, gj.n_strips, 1, join_strip_range, &gj);
    for (guint u = 0; u < in->n_units; u++)
      geom_free (ctx, gj.grown[u]);
    g_free (gj.grown);
    g_free (gj.order);
    grown = NULL;
    collection = NULL;
    for (guint k = 0; k < gj.n_strips; k++)
      if (strips[k] == NULL)
        break;
      else if (k + 1 == gj.n_strips)
        collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, strips, gj.n_strips);
    if (collection != NULL)
      grown = gp_split_union (ctx, collection);
    else
      for (guint k = 0; k < gj.n_strips; k++)
        geom_free (ctx, strips[k]);
    geom_free (ctx, collection);
    split_lap ("grown units joined", &lap);
  }
  closed = grown != NULL ? GEOSBufferWithStyle_r (ctx, grown, -d, 1, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, MITRE_LIMIT) : NULL;
  geom_free (ctx, grown);
  closed = gp_split_polygonal (ctx, closed);
  split_lap ("shrunk back", &lap);
  if (closed == NULL)
    return units_union (ctx, unit_geom, in->n_units);
  /* The closing never takes ground from a unit (it holds them all, but for rounding, which
   * clipping the units to it settles). */
  *clip = TRUE;
  return closed;
}

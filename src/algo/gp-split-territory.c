/* gp-split-territory.c: the ground between units (streets, squares, water) shared out along its middle, so that units grown into territories tile their area exactly. */
#include "gp-config.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "gp-split-private.h"
#include "gp-delaunay.h"

/* How it works, once for the whole area (no step grows with the product of two sizes):
 * 1. Points along the outlines of the cells that border uncovered ground, each labelled with its
 *    cell. The Delaunay triangulation of the points gives the Voronoi diagram; its edges between
 *    points of different cells (the separators) run along the middle of the ground between them:
 *    the centre lines of streets, the middle of a river or a square.
 * 2. The area's outline, every cell's outline and the separators are noded together once and
 *    polygonized: faces that share their edges exactly, coordinate for coordinate.
 * 3. A face inside a cell belongs to it; a face of the ground between belongs to the cell whose
 *    point is nearest. A face that does not reach its cell through faces of the same cell goes
 *    to the cell it borders most, so every territory is one piece where its cell is.
 * 4. A territory is the coverage union of its faces: its edges are the cells' own edges and the
 *    separators, and neighbours share them exactly. */

/* Points along the outlines three quarters of a street width apart (the width measured as
 * twice the free ground's area over its outline), but no sparser than half and no denser than
 * a sixteenth of a typical cell's side: hairline gaps need no fine points, and a wide square no
 * coarse ones. Where a street narrows to half the typical width (a compound's corner sticking
 * out), points one and a half widths apart let the Voronoi edges cut into the compound across
 * it, and the grids' border made a tooth there reaching the compound's wall; at three quarters
 * the border keeps to the street (10,000 blocks: Polsby-Popper 0.582 → 0.592, 5% slower). */
#define SPACING_PER_WIDTH 0.75
#define SPACING_MIN_PER_CELL (1.0 / 16.0)
#define SPACING_MAX_PER_CELL 0.5
/* Points along an edge of an outline at most: a 100 km edge of an area still costs little. */
#define SAMPLES_PER_EDGE_MAX 4096
/* The Voronoi edges of points s apart zigzag about the true middle of a street w wide by up to
 * s²/8w; the separators are straightened within this share of the spacing. */
#define STRAIGHTEN 0.25
/* Territories a thread joins at a time. */
#define TERRITORY_CHUNK 64
/* Relabelling rounds for faces cut off from their cell (each round joins them to a neighbour). */
#define REPAIR_ROUNDS 8

typedef struct {
  double x, y;
  guint  label;
} Site;

static int
compare_site (const void *pa, const void *pb)
{
  const Site *a = pa, *b = pb;
  int c = compare_xy (a->x, a->y, b->x, b->y);

  return c != 0 ? c : (a->label < b->label ? -1 : a->label > b->label);
}

/* The coordinates of RING, x y interleaved (N points), or NULL. */
static double *
ring_xy (GEOSContextHandle_t ctx, const GEOSGeometry *ring, guint *n)
{
  const GEOSCoordSequence *seq = ring != NULL ? GEOSGeom_getCoordSeq_r (ctx, ring) : NULL;
  unsigned int size = 0;
  double *xy;

  *n = 0;
  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &size) || size == 0)
    return NULL;
  xy = g_new (double, 2 * (gsize) size);
  if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, xy, 0, 0))
    {
      g_free (xy);
      return NULL;
    }
  *n = size;
  return xy;
}

/* Points along RING (closed): its corners, and between them about SPACING apart. */
static void
ring_sites (GEOSContextHandle_t ctx, const GEOSGeometry *ring, guint label, double spacing, GArray *sites)
{
  guint n;
  g_autofree double *xy = ring_xy (ctx, ring, &n);

  for (guint i = 0; i + 1 < n; i++)
    {
      double x0 = xy[2 * i], y0 = xy[2 * i + 1], x1 = xy[2 * i + 2], y1 = xy[2 * i + 3];
      guint steps = (guint) MIN (ceil (hypot (x1 - x0, y1 - y0) / spacing), (double) SAMPLES_PER_EDGE_MAX);
      Site corner = { x0, y0, label };

      g_array_append_val (sites, corner);
      for (guint k = 1; k < steps; k++)
        {
          Site s = { x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps, label };
          g_array_append_val (sites, s);
        }
    }
}

static void
polygon_sites (GEOSContextHandle_t ctx, const GEOSGeometry *g, guint label, double spacing, GArray *sites)
{
  int type = GEOSGeomTypeId_r (ctx, g);

  if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
    {
      for (int i = 0; i < GEOSGetNumGeometries_r (ctx, g); i++)
        polygon_sites (ctx, GEOSGetGeometryN_r (ctx, g, i), label, spacing, sites);
      return;
    }
  if (type != GEOS_POLYGON || GEOSisEmpty_r (ctx, g) == 1)
    return;
  ring_sites (ctx, GEOSGetExteriorRing_r (ctx, g), label, spacing, sites);
  for (int h = 0; h < GEOSGetNumInteriorRings_r (ctx, g); h++)
    ring_sites (ctx, GEOSGetInteriorRingN_r (ctx, g, h), label, spacing, sites);
}

/* ---- separators from the Delaunay triangulation ------------------------------------------ */

/* Douglas-Peucker on XY[first..last] (x y interleaved): marks the points kept in KEEP. */
static void
douglas_peucker (const double *xy, guint first, guint last, double tolerance, gboolean *keep, GArray *stack)
{
  keep[first] = keep[last] = TRUE;
  g_array_set_size (stack, 0);
  g_array_append_val (stack, first);
  g_array_append_val (stack, last);
  while (stack->len >= 2)
    {
      guint hi = g_array_index (stack, guint, stack->len - 1), lo = g_array_index (stack, guint, stack->len - 2);
      double ax = xy[2 * lo], ay = xy[2 * lo + 1], dx = xy[2 * hi] - ax, dy = xy[2 * hi + 1] - ay;
      double len = hypot (dx, dy), worst = -1.0;
      guint at = lo;

      g_array_set_size (stack, stack->len - 2);
      for (guint i = lo + 1; i < hi; i++)
        {
          double px = xy[2 * i] - ax, py = xy[2 * i + 1] - ay;
          double d = len > 0.0 ? fabs (px * dy - py * dx) / len : hypot (px, py);

          if (d > worst)
            {
              worst = d;
              at = i;
            }
        }
      if (worst > tolerance)
        {
          keep[at] = TRUE;
          g_array_append_val (stack, lo);
          g_array_append_val (stack, at);
          g_array_append_val (stack, at);
          g_array_append_val (stack, hi);
        }
    }
}

static GEOSGeometry *
line_from (GEOSContextHandle_t ctx, const double *xy, guint n)
{
  GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r (ctx, xy, n, 0, 0);

  return seq != NULL ? GEOSGeom_createLineString_r (ctx, seq) : NULL;
}

/* The links chained through the vertices where exactly two meet, each chain straightened. */
static void
separator_chains (GEOSContextHandle_t ctx, GArray *centres, GArray *links, double straight, GPtrArray *lines)
{
  g_autofree guint *start = NULL, *adj = NULL;
  g_autofree gboolean *used = NULL;
  guint n_vertices, n_links;

  n_vertices = centres->len / 2;
  n_links = links->len / 2;
  start = g_new0 (guint, n_vertices + 1);
  adj = g_new (guint, 2 * (gsize) n_links + 1);
  used = g_new0 (gboolean, n_links + 1);
  for (guint l = 0; l < n_links; l++)
    {
      start[g_array_index (links, guint, 2 * l) + 1]++;
      start[g_array_index (links, guint, 2 * l + 1) + 1]++;
    }
  for (guint v = 0; v < n_vertices; v++)
    start[v + 1] += start[v];
  {
    g_autofree guint *fill = g_memdup2 (start, (n_vertices + 1) * sizeof (guint));

    for (guint l = 0; l < n_links; l++)
      {
        adj[fill[g_array_index (links, guint, 2 * l)]++] = l;
        adj[fill[g_array_index (links, guint, 2 * l + 1)]++] = l;
      }
  }
  {
    g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
    g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint pass = 0; pass < 2; pass++)
      for (guint v0 = 0; v0 < n_vertices; v0++)
        {
          guint degree = start[v0 + 1] - start[v0];

          if (pass == 0 && degree == 2)
            continue;
          for (guint e = start[v0]; e < start[v0 + 1]; e++)
            {
              guint l = adj[e], v = v0;
              g_autofree gboolean *keep = NULL;

              if (used[l])
                continue;
              g_array_set_size (chain, 0);
              g_array_append_vals (chain, &g_array_index (centres, double, 2 * v), 2);
              /* Walk on while the vertex reached has exactly two links. */
              for (;;)
                {
                  guint a = g_array_index (links, guint, 2 * l), b = g_array_index (links, guint, 2 * l + 1);

                  used[l] = TRUE;
                  v = a == v ? b : a;
                  g_array_append_vals (chain, &g_array_index (centres, double, 2 * v), 2);
                  if (start[v + 1] - start[v] != 2 || v == v0)
                    break;
                  l = used[adj[start[v]]] ? adj[start[v] + 1] : adj[start[v]];
                  if (used[l])
                    break;
                }
              keep = g_new0 (gboolean, chain->len / 2);
              if (v == v0 && chain->len / 2 > 3)
                {
                  /* A loop (round an island): straightened in two halves, or it would fold. */
                  guint last = chain->len / 2 - 1, mid = last / 2;

                  douglas_peucker ((const double *) chain->data, 0, mid, straight, keep, stack);
                  douglas_peucker ((const double *) chain->data, mid, last, straight, keep, stack);
                }
              else
                douglas_peucker ((const double *) chain->data, 0, chain->len / 2 - 1, straight, keep, stack);
              g_array_set_size (kept, 0);
              for (guint i = 0; i < chain->len / 2; i++)
                if (keep[i])
                  g_array_append_vals (kept, &g_array_index (chain, double, 2 * i), 2);
              if (kept->len >= 4)
                {
                  GEOSGeometry *line = line_from (ctx, (const double *) kept->data, kept->len / 2);

                  if (line != NULL)
                    g_ptr_array_add (lines, line);
                }
            }
        }
  }
}

/* The separators as lines: Voronoi edges between points of different cells, from the Delaunay
 * triangulation (a separator joins the circle centres of the two triangles on either side of a
 * Delaunay edge whose ends belong to different cells; frame points far around BOX make every
 * such edge end). They are chained through the triangles where exactly two meet and each chain
 * is straightened (Douglas-Peucker within STRAIGHT): the Voronoi edges of points along two
 * sides of a street zigzag about its middle. */
static GEOSGeometry *
separators (GEOSContextHandle_t ctx, const Site *sites, guint n, const double box[4], double straight)
{
  g_autofree double *xy = g_new (double, 2 * (gsize) n + 1);
  g_autoptr(GArray) centres = g_array_new (FALSE, FALSE, sizeof (double));   /* per vertex x y */
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (guint));      /* vertex pairs */
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_autoptr(GpDelaunay) d = NULL;

  for (guint i = 0; i < n; i++)
    {
      xy[2 * i] = sites[i].x;
      xy[2 * i + 1] = sites[i].y;
    }
  d = gp_delaunay_new_framed (xy, n, box);
  if (d == NULL)
    return NULL;
  {
    g_autofree double *cc = gp_delaunay_centres (d, 0.0);

    g_array_append_vals (centres, cc, 2 * d->n_triangles);
  }
  for (guint e = 0; e < 3 * d->n_triangles; e++)
    {
      gint o = d->halfedges[e];
      guint a = d->triangles[e], b = d->triangles[gp_delaunay_next (e)];
      guint pair[2] = { e / 3, (guint) o / 3 };

      if (o < (gint) e || a >= n || b >= n || sites[a].label == sites[b].label)
        continue;
      g_array_append_vals (links, pair, 2);
    }
  separator_chains (ctx, centres, links, straight, lines);
  return GEOSGeom_createCollection_r (ctx, GEOS_MULTILINESTRING, (GEOSGeometry **) lines->pdata, lines->len);
}

/* ---- nearest site ------------------------------------------------------------------------- */

/* A uniform grid of buckets over the sites, for nearest-site queries. */
typedef struct {
  const Site *sites;
  double      x0, y0, size;
  guint       nx, ny;
  guint      *start;  /* nx·ny + 1 */
  guint      *items;
} SiteGrid;

static void
site_grid_init (SiteGrid *g, const Site *sites, guint n, const double box[4], double size)
{
  g->sites = sites;
  g->x0 = box[0];
  g->y0 = box[1];
  g->size = size;
  g->nx = (guint) CLAMP ((box[2] - box[0]) / size + 1.0, 1.0, 4096.0);
  g->ny = (guint) CLAMP ((box[3] - box[1]) / size + 1.0, 1.0, 4096.0);
  g->size = MAX (size, MAX ((box[2] - box[0]) / g->nx, (box[3] - box[1]) / g->ny) * (1.0 + 1e-9));
  g->start = g_new0 (guint, (gsize) g->nx * g->ny + 1);
  g->items = g_new (guint, n + 1);
  for (guint i = 0; i < n; i++)
    {
      guint cx = (guint) CLAMP ((sites[i].x - g->x0) / g->size, 0.0, g->nx - 1.0);
      guint cy = (guint) CLAMP ((sites[i].y - g->y0) / g->size, 0.0, g->ny - 1.0);

      g->start[cy * g->nx + cx + 1]++;
    }
  for (gsize c = 0; c < (gsize) g->nx * g->ny; c++)
    g->start[c + 1] += g->start[c];
  {
    g_autofree guint *fill = g_memdup2 (g->start, ((gsize) g->nx * g->ny + 1) * sizeof (guint));

    for (guint i = 0; i < n; i++)
      {
        guint cx = (guint) CLAMP ((sites[i].x - g->x0) / g->size, 0.0, g->nx - 1.0);
        guint cy = (guint) CLAMP ((sites[i].y - g->y0) / g->size, 0.0, g->ny - 1.0);

        g->items[fill[cy * g->nx + cx]++] = i;
      }
  }
}

static void
site_grid_clear (SiteGrid *g)
{
  g_clear_pointer (&g->start, g_free);
  g_clear_pointer (&g->items, g_free);
}

/* The site nearest to (x, y): rings of buckets outwards until no nearer one can be found. */
static guint
site_grid_nearest (const SiteGrid *g, double x, double y)
{
  double fx = (x - g->x0) / g->size, fy = (y - g->y0) / g->size;
  gint cx = (gint) CLAMP (floor (fx), 0.0, g->nx - 1.0), cy = (gint) CLAMP (floor (fy), 0.0, g->ny - 1.0);
  guint best = NONE;
  double best_d = DBL_MAX;
  gint max_ring = (gint) MAX (g->nx, g->ny);

  for (gint ring = 0; ring <= max_ring; ring++)
    {
      /* Every point of a bucket RING steps away is at least (RING − 1) buckets away. */
      if (best != NONE && (ring - 1) * g->size > sqrt (best_d))
        break;
      for (gint by = cy - ring; by <= cy + ring; by++)
        {
          if (by < 0 || by >= (gint) g->ny)
            continue;
          for (gint bx = cx - ring; bx <= cx + ring; bx++)
            {
              gsize c;

              if (bx < 0 || bx >= (gint) g->nx || (ABS (bx - cx) != ring && ABS (by - cy) != ring))
                continue;
              c = (gsize) by * g->nx + bx;
              for (guint p = g->start[c]; p < g->start[c + 1]; p++)
                {
                  const Site *s = &g->sites[g->items[p]];
                  double d = (s->x - x) * (s->x - x) + (s->y - y) * (s->y - y);

                  if (d < best_d || (d == best_d && g->items[p] < best))
                    {
                      best_d = d;
                      best = g->items[p];
                    }
                }
            }
        }
    }
  return best;
}

/* ---- faces -------------------------------------------------------------------------------- */

typedef struct {
  double ax, ay, bx, by;
  guint  face;
} FaceSeg;

static int
compare_face_seg (const void *pa, const void *pb)
{
  const FaceSeg *a = pa, *b = pb;
  int c = compare_xy (a->ax, a->ay, b->ax, b->ay);

  if (c == 0)
    c = compare_xy (a->bx, a->by, b->bx, b->by);
  return c != 0 ? c : (a->face < b->face ? -1 : a->face > b->face);
}

static void
ring_face_segs (GEOSContextHandle_t ctx, const GEOSGeometry *ring, guint face, GArray *out)
{
  guint n;
  g_autofree double *xy = ring_xy (ctx, ring, &n);

  for (guint i = 0; i + 1 < n; i++)
    {
      FaceSeg s = { xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3], face };

      if (compare_xy (s.ax, s.ay, s.bx, s.by) > 0)
        s = (FaceSeg) { s.bx, s.by, s.ax, s.ay, face };
      g_array_append_val (out, s);
    }
}

typedef struct {
  guint  a, b;
  double len;
} FaceLink;

/* Pairs of faces that share an edge, with the length they share: polygonized faces repeat the
 * very coordinates of the edges they share. */
static GArray *
face_links (GEOSContextHandle_t ctx, GEOSGeometry *const *faces, guint n)
{
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (FaceSeg));
  GArray *links = g_array_new (FALSE, FALSE, sizeof (FaceLink));

  for (guint f = 0; f < n; f++)
    {
      if (faces[f] == NULL)
        continue;
      ring_face_segs (ctx, GEOSGetExteriorRing_r (ctx, faces[f]), f, segs);
      for (int h = 0; h < GEOSGetNumInteriorRings_r (ctx, faces[f]); h++)
        ring_face_segs (ctx, GEOSGetInteriorRingN_r (ctx, faces[f], h), f, segs);
    }
  if (segs->len > 1)
    qsort (segs->data, segs->len, sizeof (FaceSeg), compare_face_seg);
  for (guint i = 0; i + 1 < segs->len; i++)
    {
      const FaceSeg *s = &g_array_index (segs, FaceSeg, i), *t = s + 1;

      if (s->ax == t->ax && s->ay == t->ay && s->bx == t->bx && s->by == t->by && s->face != t->face)
        {
          FaceLink l = { MIN (s->face, t->face), MAX (s->face, t->face), hypot (s->bx - s->ax, s->by - s->ay) };

          g_array_append_val (links, l);
          i++;
        }
    }
  return links;
}

/* Faces cut off from their cell (a stretch of street whose nearest points belong to a cell it
 * does not touch) go to the neighbour they share most edge with. Returns the faces that touch
 * nothing of their own and no other face (islands of bare ground), left as they are. */
static guint
join_stray_faces (guint n_faces, guint *label, const gboolean *in_cell, const FaceLink *links, guint n_links)
{
  g_autofree guint *parent = g_new (guint, n_faces + 1);
  g_autofree gboolean *home = g_new (gboolean, n_faces + 1);
  g_autofree double *best_len = g_new (double, n_faces + 1);
  g_autofree guint *best_label = g_new (guint, n_faces + 1);
  guint stranded = 0;

  for (guint round = 0; round < REPAIR_ROUNDS; round++)
    {
      guint moved = 0;

      for (guint f = 0; f < n_faces; f++)
        {
          parent[f] = f;
          home[f] = FALSE;
          best_len[f] = 0.0;
          best_label[f] = NONE;
        }
      for (guint l = 0; l < n_links; l++)
        if (label[links[l].a] == label[links[l].b] && label[links[l].a] != NONE)
          {
            guint ra = find_root (parent, links[l].a), rb = find_root (parent, links[l].b);

            if (ra != rb)
              parent[MAX (ra, rb)] = MIN (ra, rb);
          }
      for (guint f = 0; f < n_faces; f++)
        if (in_cell[f])
          home[find_root (parent, f)] = TRUE;
      /* Per stray piece: the other label it shares most edge with. */
      for (guint l = 0; l < n_links; l++)
        {
          guint a = links[l].a, b = links[l].b;

          if (label[a] == label[b])
            continue;
          for (guint side = 0; side < 2; side++)
            {
              guint f = side == 0 ? a : b, other = side == 0 ? b : a, r = find_root (parent, f);

              if (home[r] || label[other] == NONE)
                continue;
              /* Lengths add up per piece and label; kept simple: the single longest edge. */
              if (links[l].len > best_len[r])
                {
                  best_len[r] = links[l].len;
                  best_label[r] = label[other];
                }
            }
        }
      for (guint f = 0; f < n_faces; f++)
        {
          guint r = find_root (parent, f);

          if (!home[r] && label[f] != NONE && best_label[r] != NONE && best_label[r] != label[f])
            {
              label[f] = best_label[r];
              moved++;
            }
        }
      if (moved == 0)
        break;
    }
  for (guint f = 0; f < n_faces; f++)
    if (label[f] != NONE && find_root (parent, f) == f && !home[f])
      stranded++;
  return stranded;
}

typedef struct {
  GEOSContextHandle_t ctx;
  GEOSGeometry *const *cells;
  const GEOSGeometry *point;
  guint               found;
} CellHit;

static void
cell_hit_visit (void *item, void *user_data)
{
  CellHit *q = user_data;
  guint i = GPOINTER_TO_UINT (item) - 1;

  if (q->found != NONE && q->found < i)
    return;
  if (GEOSIntersects_r (q->ctx, q->cells[i], q->point) == 1)
    q->found = i;
}

/* ---- the whole step ----------------------------------------------------------------------- */

static GEOSGeometry *
noded_linework (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry *const *cells, guint n,
                GEOSGeometry *seps)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  GEOSGeometry *all, *noded;

  g_ptr_array_add (lines, GEOSBoundary_r (ctx, free_area));
  for (guint i = 0; i < n; i++)
    if (cells[i] != NULL)
      g_ptr_array_add (lines, GEOSBoundary_r (ctx, cells[i]));
  if (seps != NULL)
    g_ptr_array_add (lines, seps);
  for (guint i = 0; i < lines->len; i++)
    if (g_ptr_array_index (lines, i) == NULL)
      {
        for (guint j = 0; j < lines->len; j++)
          geom_free (ctx, g_ptr_array_index (lines, j));
        return NULL;
      }
  all = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) lines->pdata, lines->len);
  g_ptr_array_set_size (lines, 0);
  if (all == NULL)
    return NULL;
  noded = GEOSUnaryUnion_r (ctx, all);
  if (noded == NULL)
    noded = GEOSUnaryUnionPrec_r (ctx, all, GRID_SIZE);
  GEOSGeom_destroy_r (ctx, all);
  return noded;
}

/* Points along the outlines of the cells that border bare ground (EXPOSED), one per place,
 * and the spacing they were taken at. FALSE when there is no bare ground to share. */
static gboolean
sample_outlines (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **cells, guint n,
                 const double *exposed, GArray *sites, double *spacing)
{
  double free_area_m2 = geom_area (ctx, free_area), gap_area = free_area_m2, gap_len = 0.0, outline = 0.0;
  guint n_live = 0;

  /* The ground's width: twice its area over the length of its outline (the cells' exposed
   * outlines and the area's own). */
  for (guint i = 0; i < n; i++)
    if (cells[i] != NULL)
      {
        gap_area -= geom_area (ctx, cells[i]);
        gap_len += exposed[i];
        n_live++;
      }
  if (n_live == 0 || !GEOSLength_r (ctx, free_area, &outline) || gap_area <= 0.0 || gap_len <= 0.0)
    return FALSE;
  *spacing = CLAMP (SPACING_PER_WIDTH * 2.0 * gap_area / (gap_len + outline),
                    SPACING_MIN_PER_CELL * sqrt (free_area_m2 / n_live), SPACING_MAX_PER_CELL * sqrt (free_area_m2 / n_live));
  for (guint i = 0; i < n; i++)
    if (cells[i] != NULL && exposed[i] > 0.0)
      polygon_sites (ctx, cells[i], i, *spacing, sites);
  if (sites->len < 2)
    return FALSE;
  /* One site per place: a corner two cells share keeps the lower cell. */
  qsort (sites->data, sites->len, sizeof (Site), compare_site);
  {
    guint kept = 0;
    Site *s = (Site *) sites->data;

    for (guint i = 0; i < sites->len; i++)
      if (kept == 0 || s[i].x != s[kept - 1].x || s[i].y != s[kept - 1].y)
        s[kept++] = s[i];
    g_array_set_size (sites, kept);
  }
  return TRUE;
}

/* Per face of POLYS (faces outside FREE_AREA get NONE): the cell it lies in (IN_CELL), else the
 * cell of the nearest site. FACES gets each face (borrowed from POLYS) or NULL. */
static void
label_faces (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **cells, guint n,
             const GEOSGeometry *polys, const GArray *sites, const double box[4], double spacing,
             GPtrArray *faces, guint *label, gboolean *in_cell)
{
  const GEOSPreparedGeometry *free_prepared = GEOSPrepare_r (ctx, free_area);
  GEOSSTRtree *tree = GEOSSTRtree_create_r (ctx, STRTREE_NODES);
  guint n_faces = (guint) MAX (GEOSGetNumGeometries_r (ctx, polys), 0);
  SiteGrid grid = { 0 };

  for (guint i = 0; i < n; i++)
    if (cells[i] != NULL)
      GEOSSTRtree_insert_r (ctx, tree, cells[i], GUINT_TO_POINTER (i + 1));
  site_grid_init (&grid, (const Site *) sites->data, sites->len, box, 4.0 * spacing);
  for (guint f = 0; f < n_faces; f++)
    {
      const GEOSGeometry *face = GEOSGetGeometryN_r (ctx, polys, (int) f);
      GEOSGeometry *pt = GEOSPointOnSurface_r (ctx, face);
      CellHit q = { ctx, cells, pt, NONE };
      double x, y;

      label[f] = NONE;
      g_ptr_array_add (faces, NULL);
      if (pt == NULL || GEOSisEmpty_r (ctx, pt) == 1 || GEOSPreparedIntersects_r (ctx, free_prepared, pt) != 1)
        {
          geom_free (ctx, pt);
          continue;
        }
      GEOSSTRtree_query_r (ctx, tree, pt, cell_hit_visit, &q);
      if (q.found != NONE)
        {
          label[f] = q.found;
          in_cell[f] = TRUE;
        }
      if (label[f] == NONE && GEOSGeomGetX_r (ctx, pt, &x) && GEOSGeomGetY_r (ctx, pt, &y))
        {
          guint s = site_grid_nearest (&grid, x, y);

          if (s != NONE)
            label[f] = g_array_index (sites, Site, s).label;
        }
      GEOSGeom_destroy_r (ctx, pt);
      faces->pdata[f] = (gpointer) face;
    }
  site_grid_clear (&grid);
  GEOSSTRtree_destroy_r (ctx, tree);
  GEOSPreparedGeom_destroy_r (ctx, free_prepared);
}

typedef struct {
  GEOSGeometry **cells;
  GPtrArray    **by_label;   /* per cell: copies of its faces, taken */
} AssembleJob;

/* Cells [LO, HI): each replaced by the coverage union of its faces. */
static void
assemble_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  AssembleJob *aj = data;

  for (guint i = lo; i < hi; i++)
    {
      GPtrArray *faces = aj->by_label[i];
      GEOSGeometry *collection, *territory;

      if (faces == NULL)
        continue;
      collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) faces->pdata, faces->len);
      g_ptr_array_set_size (faces, 0);
      g_clear_pointer (&aj->by_label[i], g_ptr_array_unref);
      if (collection == NULL)
        continue;
      territory = GEOSGetNumGeometries_r (ctx, collection) == 1
                    ? GEOSGeom_clone_r (ctx, GEOSGetGeometryN_r (ctx, collection, 0))
                    : gp_split_polygonal (ctx, GEOSCoverageUnion_r (ctx, collection));
      if (territory == NULL || GEOSisValid_r (ctx, territory) != 1)
        {
          geom_free (ctx, territory);
          territory = gp_split_union (ctx, collection);
        }
      GEOSGeom_destroy_r (ctx, collection);
      if (territory != NULL)
        {
          geom_free (ctx, aj->cells[i]);
          aj->cells[i] = territory;
        }
    }
}

/* CELLS[i] replaced by the coverage union of the faces labelled i, on up to N_THREADS threads
 * (the faces are copied here first: GEOS completes parts of a geometry on first reading). */
static void
assemble_territories (GEOSContextHandle_t ctx, GEOSGeometry **cells, guint n, GPtrArray *faces, const guint *label,
                      guint n_threads)
{
  g_autofree GPtrArray **by_label = g_new0 (GPtrArray *, n + 1);
  AssembleJob aj = { cells, by_label };

  for (guint f = 0; f < faces->len; f++)
    if (label[f] != NONE && faces->pdata[f] != NULL)
      {
        if (by_label[label[f]] == NULL)
          by_label[label[f]] = g_ptr_array_new ();
        g_ptr_array_add (by_label[label[f]], GEOSGeom_clone_r (ctx, faces->pdata[f]));
      }
  gp_parallel_for (n_threads, n, TERRITORY_CHUNK, assemble_range, &aj);
}

gboolean
gp_split_territories (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **cells, guint n,
                      const double *exposed, guint n_threads, guint *n_stranded)
{
  g_autoptr(GArray) sites = g_array_new (FALSE, FALSE, sizeof (Site));
  g_autoptr(GPtrArray) faces = g_ptr_array_new ();
  g_autoptr(GArray) links = NULL;
  g_autofree guint *label = NULL;
  g_autofree gboolean *in_cell = NULL;
  GEOSGeometry *noded, *polys;
  const GEOSGeometry *input[1];
  double box[4], spacing = 0.0;
  guint n_faces;

  gint64 lap = g_get_monotonic_time ();
  *n_stranded = 0;
  if (geom_area (ctx, free_area) <= 0.0
      || !GEOSGeom_getXMin_r (ctx, free_area, &box[0]) || !GEOSGeom_getYMin_r (ctx, free_area, &box[1])
      || !GEOSGeom_getXMax_r (ctx, free_area, &box[2]) || !GEOSGeom_getYMax_r (ctx, free_area, &box[3])
      || !sample_outlines (ctx, free_area, cells, n, exposed, sites, &spacing))
    return FALSE;
  split_lap ("outline points", &lap);
  GEOSGeometry *seps = separators (ctx, (const Site *) sites->data, sites->len, box, STRAIGHTEN * spacing);
  split_lap ("separators", &lap);
  /* Without separators the ground would go whole to one cell: handed out piece by piece instead. */
  if (seps == NULL)
    return FALSE;
  /* One noding of everything, one polygonize: faces that share their edges exactly. */
  noded = noded_linework (ctx, free_area, cells, n, seps);
  split_lap ("noding", &lap);
  if (noded == NULL)
    return FALSE;
  input[0] = noded;
  polys = GEOSPolygonize_r (ctx, input, 1);
  split_lap ("polygonize", &lap);
  if (polys == NULL)
    {
      geom_free (ctx, noded);
      return FALSE;
    }

  n_faces = (guint) MAX (GEOSGetNumGeometries_r (ctx, polys), 0);
  label = g_new (guint, n_faces + 1);
  in_cell = g_new0 (gboolean, n_faces + 1);
  label_faces (ctx, free_area, cells, n, polys, sites, box, spacing, faces, label, in_cell);
  split_lap ("faces labelled", &lap);
  links = face_links (ctx, (GEOSGeometry *const *) faces->pdata, n_faces);
  *n_stranded = join_stray_faces (n_faces, label, in_cell, (const FaceLink *) links->data, links->len);
  split_lap ("stray faces", &lap);
  assemble_territories (ctx, cells, n, faces, label, n_threads);
  split_lap ("territories", &lap);
  geom_free (ctx, polys);
  geom_free (ctx, noded);
  return TRUE;
}

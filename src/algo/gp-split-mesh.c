/* gp-split-mesh.c: units given without their area, with streets between them: the area and each unit's territory from one triangulation that keeps the units' edges. */
#include "gp-config.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "gp-delaunay.h"
#include "gp-split-private.h"

/* How it works (no GEOS overlay at all; every step is linear in the corners but for sorting):
 * 1. The corners of every unit, one point per place, are triangulated (Delaunay), and the units'
 *    edges are put into the triangulation by flipping the edges that cross them (a constrained
 *    triangulation). A corner of one unit lying on another's edge (within GRID_SIZE) splits that
 *    edge, so units that meet at such a corner share the stretch.
 * 2. Triangles inside a unit are found from its edges; the others are ground between units. The
 *    ground a disc of the typical gap's radius reaches from outside is outside the area (the
 *    frame, triangles whose centroid is a gap from every unit, and the slivers such a disc sweeps
 *    from them); the rest (streets, small squares, yards) is inside: the closing of the units by
 *    that disc, without growing and joining them.
 * 3. Each triangle of ground is cut among the units at its corners through the midpoints of its
 *    edges (an edge from one side of a street to the other has its midpoint on the street's
 *    middle), and where three units meet, at the centre of its circle kept inside it. The
 *    crossings are then moved along their edges (within the middle half) to straighten borders
 *    that would zigzag where a street's sides are not parallel.
 * 4. Territories' outlines, and later the grids', are traced from the labelled triangles: every
 *    coordinate is shared by the neighbours on either side, so the territories tile the area
 *    exactly and their edges are the units' own edges and the cut lines.
 * When units overlap, cross, or their edges cannot be put in the triangulation, it gives up
 * (NULL or FALSE) and the splitter shares the ground out with GEOS instead. */

/* Flips to put one edge into the triangulation, at most this many times the edges it crosses
 * (Sloan's flips end long before on any input; the cap only guards against looping on a
 * degenerate one). */
#define FLIPS_PER_CROSSING 64
/* Steps round a corner where several units meet, looking for the unit nearest a triangle. */
#define FAN_STEPS_MAX 64
/* Where three units share a triangle, their borders meet at least this share of its heights
 * from its sides (a meeting point on a side would leave a piece without area). */
#define CENTRE_MARGIN 0.05

#define CELL_MULTI (NONE - 1)
/* Labels of triangles beside the units' own. */
#define TRI_FREE    (NONE - 1)   /* ground inside the area */
#define TRI_OUTSIDE (NONE - 2)
#define TRI_UNKNOWN NONE

struct _Mesh {
  GpDelaunay *d;
  guint       n_real;       /* points before the frame points */
  guint       n_cells;
  guint      *vcell;        /* per point: its unit, CELL_MULTI, or NONE (frame) */
  gint       *inedge;       /* per point: a half-edge ending at it */
  gboolean   *barrier;      /* per half-edge: a unit's edge */
  guint      *side_cell;    /* per half-edge: the unit its triangle lies in, from the edge */
  guint      *tri_cell;     /* per triangle: unit, TRI_FREE or TRI_OUTSIDE */
  GArray     *runs;         /* of Run: the territories' outlines, once traced */
  double     *place;        /* per place id (points, midpoints of edges, centres of triangles): x y */
  guint       n_places;
};

static inline guint
prev_edge (guint e)
{
  return e % 3 == 0 ? e + 2 : e - 1;
}

/* > 0 when P lies left of A→B. */
static inline double
orient (const double *a, const double *b, const double *p)
{
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

static inline const double *
pt (const Mesh *m, guint p)
{
  return &m->d->xy[2 * p];
}

/* P lies on the segment A–B, strictly between its ends, within GRID_SIZE. */
static gboolean
on_segment (const Mesh *m, guint a, guint b, guint p)
{
  const double *pa = pt (m, a), *pb = pt (m, b), *pp = pt (m, p);
  double dx = pb[0] - pa[0], dy = pb[1] - pa[1], len2 = dx * dx + dy * dy;
  double t = (pp[0] - pa[0]) * dx + (pp[1] - pa[1]) * dy;

  if (p == a || p == b || len2 <= 0.0 || t <= 0.0 || t >= len2)
    return FALSE;
  return fabs (orient (pa, pb, pp)) <= GRID_SIZE * sqrt (len2);
}

static inline void
link_edges (Mesh *m, guint a, gint b)
{
  m->d->halfedges[a] = b;
  if (b >= 0)
    m->d->halfedges[b] = (gint) a;
}

/* The half-edge P→Q, or -1. */
static gint
find_edge (const Mesh *m, guint p, guint q)
{
  gint start = m->inedge[p], e = start;

  if (start < 0)
    return -1;
  do
    {
      guint out = gp_delaunay_next ((guint) e);

      if (m->d->triangles[gp_delaunay_next (out)] == q)
        return (gint) out;
      e = m->d->halfedges[out];
    }
  while (e >= 0 && e != start);
  return -1;
}

/* Flips the edge E (A→B, between triangles A B C and B A D) to C–D. */
static void
flip (Mesh *m, guint e)
{
  guint *tri = m->d->triangles;
  guint o = (guint) m->d->halfedges[e];
  guint e1 = gp_delaunay_next (e), e2 = prev_edge (e), o1 = gp_delaunay_next (o), o2 = prev_edge (o);
  guint a = tri[e], b = tri[e1], c = tri[e2], dv = tri[o2];
  gint he1 = m->d->halfedges[e1], he2 = m->d->halfedges[e2], ho1 = m->d->halfedges[o1], ho2 = m->d->halfedges[o2];
  gboolean be1 = m->barrier[e1], be2 = m->barrier[e2], bo1 = m->barrier[o1], bo2 = m->barrier[o2];
  guint se1 = m->side_cell[e1], se2 = m->side_cell[e2], so1 = m->side_cell[o1], so2 = m->side_cell[o2];
  guint t0 = e - e % 3, t1 = o - o % 3;
  guint slots[6] = { t0, t0 + 1, t0 + 2, t1, t1 + 1, t1 + 2 };

  /* The quad A D B C (clockwise) becomes A D C and D B C. */
  tri[t0] = dv, tri[t0 + 1] = c, tri[t0 + 2] = a;
  tri[t1] = c, tri[t1 + 1] = dv, tri[t1 + 2] = b;
  link_edges (m, t0, (gint) t1);
  m->barrier[t0] = m->barrier[t1] = FALSE;
  m->side_cell[t0] = m->side_cell[t1] = NONE;
  link_edges (m, t0 + 1, he2), m->barrier[t0 + 1] = be2, m->side_cell[t0 + 1] = se2;
  link_edges (m, t0 + 2, ho1), m->barrier[t0 + 2] = bo1, m->side_cell[t0 + 2] = so1;
  link_edges (m, t1 + 1, ho2), m->barrier[t1 + 1] = bo2, m->side_cell[t1 + 1] = so2;
  link_edges (m, t1 + 2, he1), m->barrier[t1 + 2] = be1, m->side_cell[t1 + 2] = se1;
  for (guint i = 0; i < 6; i++)
    m->inedge[tri[gp_delaunay_next (slots[i])]] = (gint) slots[i];
}

typedef struct {
  guint p, q;
} Pair;

/* The edges crossed by A→B, in QUEUE as point pairs; *STOP: B, or the first point found on
 * the segment on the way (the edge is put in up to it). FALSE when it crosses a unit's edge or
 * cannot be followed. */
static gboolean
crossed_edges (const Mesh *m, guint a, guint b, GArray *queue, guint *stop)
{
  const guint *tri = m->d->triangles;
  gint start = m->inedge[a], e = start;
  gint h = -1;

  g_array_set_size (queue, 0);
  *stop = b;
  if (start < 0)
    return FALSE;
  /* A corner on the way straight from A: the edge goes to it first. */
  do
    {
      guint out = gp_delaunay_next ((guint) e), x = tri[gp_delaunay_next (out)];

      if (on_segment (m, a, b, x))
        {
          *stop = x;
          return TRUE;
        }
      e = m->d->halfedges[out];
    }
  while (e >= 0 && e != start);
  /* The triangle at A the segment leaves through: B right of A→X and left of A→Y. */
  e = start;
  do
    {
      guint out = gp_delaunay_next ((guint) e);
      guint x = tri[gp_delaunay_next (out)], y = tri[prev_edge (out)];

      if (orient (pt (m, a), pt (m, x), pt (m, b)) < 0.0 && orient (pt (m, a), pt (m, y), pt (m, b)) > 0.0)
        {
          h = (gint) gp_delaunay_next (out);
          break;
        }
      e = m->d->halfedges[out];
    }
  while (e >= 0 && e != start);
  if (h < 0)
    return FALSE;
  /* Across the triangles: each crossed edge runs from the left of A→B to its right. */
  for (;;)
    {
      gint tw;
      guint z;
      double oz;
      Pair pr = { tri[h], tri[gp_delaunay_next ((guint) h)] };

      if (m->barrier[h] || queue->len > 3 * m->d->n_triangles)
        return FALSE;
      g_array_append_val (queue, pr);
      tw = m->d->halfedges[h];
      if (tw < 0)
        return FALSE;
      z = tri[prev_edge ((guint) tw)];
      if (z == b)
        return TRUE;
      if (on_segment (m, a, b, z))
        {
          *stop = z;
          return TRUE;
        }
      oz = orient (pt (m, a), pt (m, b), pt (m, z));
      if (oz == 0.0)
        return FALSE;
      h = (gint) (oz > 0.0 ? prev_edge ((guint) tw) : gp_delaunay_next ((guint) tw));
    }
}

/* C–D crosses the inside of A–B (both strictly). */
static gboolean
crosses (const Mesh *m, guint a, guint b, guint c, guint d)
{
  double oc, od, oa, ob;

  if (c == a || c == b || d == a || d == b)
    return FALSE;
  oc = orient (pt (m, a), pt (m, b), pt (m, c));
  od = orient (pt (m, a), pt (m, b), pt (m, d));
  oa = orient (pt (m, c), pt (m, d), pt (m, a));
  ob = orient (pt (m, c), pt (m, d), pt (m, b));
  return ((oc > 0.0 && od < 0.0) || (oc < 0.0 && od > 0.0)) && ((oa > 0.0 && ob < 0.0) || (oa < 0.0 && ob > 0.0));
}

/* Puts the edge A→B of unit CELL (inside on its right: its triangle's side) into the
 * triangulation. */
static gboolean
insert_edge (Mesh *m, guint a, guint b, guint cell, GArray *queue)
{
  while (a != b)
    {
      guint stop = b, flips = 0, limit;
      gint e = find_edge (m, a, b);

      if (e < 0)
        {
          if (!crossed_edges (m, a, b, queue, &stop))
            return FALSE;
          /* Sloan's flips: an edge whose quad is convex is flipped; a new diagonal that still
           * crosses goes back in the queue, as does an edge that cannot be flipped yet. */
          limit = FLIPS_PER_CROSSING * (queue->len + 1);
          for (guint head = 0; head < queue->len; head++)
            {
              Pair pr = g_array_index (queue, Pair, head);
              gint h = find_edge (m, pr.p, pr.q);
              guint c, dv;

              if (++flips > limit)
                return FALSE;
              if (h < 0 || m->d->halfedges[h] < 0)
                return FALSE;
              c = m->d->triangles[prev_edge ((guint) h)];
              dv = m->d->triangles[prev_edge ((guint) m->d->halfedges[h])];
              if (!crosses (m, c, dv, pr.p, pr.q))
                {
                  /* Not convex: later, when its neighbours have moved. */
                  g_array_append_val (queue, pr);
                  continue;
                }
              flip (m, (guint) h);
              if (crosses (m, a, stop, c, dv))
                {
                  Pair np = { c, dv };

                  g_array_append_val (queue, np);
                }
            }
          e = find_edge (m, a, stop);
          if (e < 0)
            return FALSE;
        }
      else
        stop = b;
      if (m->side_cell[e] != NONE && m->side_cell[e] != cell)
        return FALSE;
      m->side_cell[e] = cell;
      m->barrier[e] = TRUE;
      if (m->d->halfedges[e] < 0)
        return FALSE;
      m->barrier[m->d->halfedges[e]] = TRUE;
      a = stop;
    }
  return TRUE;
}

/* ---- the units' corners ---------------------------------------------------------------- */

typedef struct {
  double x, y;
  guint  cell;
  guint  index;   /* in the list of corners as read */
} Corner;

static int
compare_corner (const void *pa, const void *pb)
{
  const Corner *a = pa, *b = pb;
  int c = compare_xy (a->x, a->y, b->x, b->y);

  return c != 0 ? c : (a->index < b->index ? -1 : a->index > b->index);
}

typedef struct {
  guint start, n, cell;
} Ring;

/* RING's corners (without the closing one) appended to CORNERS, turning so that the inside is
 * on the right of each edge (clockwise shells, anticlockwise holes). */
static gboolean
read_ring (GEOSContextHandle_t ctx, const GEOSGeometry *ring, guint cell, gboolean hole, GArray *corners,
           GArray *rings)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (ctx, ring);
  unsigned int size = 0;
  g_autofree double *xy = NULL;
  double area2 = 0.0;
  gboolean reverse;
  Ring r;

  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &size))
    return FALSE;
  if (size < 4)
    return TRUE;
  xy = g_new (double, 2 * (gsize) size);
  if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, xy, 0, 0))
    return FALSE;
  for (guint i = 0; i + 1 < size; i++)
    area2 += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
  if (!isfinite (area2))
    return FALSE;
  /* Positive: anticlockwise. */
  reverse = hole ? area2 < 0.0 : area2 > 0.0;
  r = (Ring) { corners->len, size - 1, cell };
  for (guint k = 0; k + 1 < size; k++)
    {
      guint i = reverse ? size - 2 - k : k;
      Corner c = { xy[2 * i], xy[2 * i + 1], cell, corners->len };

      g_array_append_val (corners, c);
    }
  g_array_append_val (rings, r);
  return TRUE;
}

static gboolean
read_polygon (GEOSContextHandle_t ctx, const GEOSGeometry *g, guint cell, GArray *corners, GArray *rings)
{
  int type = GEOSGeomTypeId_r (ctx, g);

  if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
    {
      for (int i = 0; i < GEOSGetNumGeometries_r (ctx, g); i++)
        if (!read_polygon (ctx, GEOSGetGeometryN_r (ctx, g, i), cell, corners, rings))
          return FALSE;
      return TRUE;
    }
  if (type != GEOS_POLYGON)
    return FALSE;
  if (GEOSisEmpty_r (ctx, g) == 1)
    return TRUE;
  if (!read_ring (ctx, GEOSGetExteriorRing_r (ctx, g), cell, FALSE, corners, rings))
    return FALSE;
  for (int h = 0; h < GEOSGetNumInteriorRings_r (ctx, g); h++)
    if (!read_ring (ctx, GEOSGetInteriorRingN_r (ctx, g, h), cell, TRUE, corners, rings))
      return FALSE;
  return TRUE;
}

void
mesh_free (Mesh *m)
{
  if (m == NULL)
    return;
  gp_delaunay_free (m->d);
  g_free (m->vcell);
  g_free (m->inedge);
  g_free (m->barrier);
  g_free (m->side_cell);
  g_free (m->tri_cell);
  if (m->runs != NULL)
    g_array_unref (m->runs);
  g_free (m->place);
  g_free (m);
}

static gboolean
is_frame_triangle (const Mesh *m, guint t)
{
  const guint *tri = m->d->triangles;

  return tri[3 * t] >= m->n_real || tri[3 * t + 1] >= m->n_real || tri[3 * t + 2] >= m->n_real;
}

/* Triangles inside each unit, from the sides of its edges; FALSE when units overlap or a unit
 * is open to the outside (its outline does not close). */
static gboolean
label_units (Mesh *m)
{
  guint n_tri = m->d->n_triangles;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint t = 0; t < n_tri; t++)
    m->tri_cell[t] = TRI_UNKNOWN;
  for (guint e = 0; e < 3 * n_tri; e++)
    if (m->side_cell[e] != NONE)
      {
        guint t = e / 3;

        if (m->tri_cell[t] == m->side_cell[e])
          continue;
        if (m->tri_cell[t] != TRI_UNKNOWN)
          return FALSE;
        m->tri_cell[t] = m->side_cell[e];
        g_array_append_val (stack, t);
        while (stack->len > 0)
          {
            guint s = g_array_index (stack, guint, stack->len - 1);

            g_array_set_size (stack, stack->len - 1);
            if (is_frame_triangle (m, s))
              return FALSE;
            for (guint k = 0; k < 3; k++)
              {
                gint o = m->d->halfedges[3 * s + k];
                guint u;

                if (m->barrier[3 * s + k] || o < 0)
                  continue;
                u = (guint) o / 3;
                if (m->tri_cell[u] == m->tri_cell[s])
                  continue;
                if (m->tri_cell[u] != TRI_UNKNOWN)
                  return FALSE;
                m->tri_cell[u] = m->tri_cell[s];
                g_array_append_val (stack, u);
              }
          }
      }
  /* The outer side of a unit's edge that no other unit claims is ground: a unit found there
   * holds the first (a unit lying inside another). */
  for (guint e = 0; e < 3 * n_tri; e++)
    if (m->barrier[e] && m->side_cell[e] == NONE && m->tri_cell[e / 3] != TRI_UNKNOWN)
      return FALSE;
  return TRUE;
}

/* The units' edges in buckets of a uniform grid, to tell whether a place is near one. */
typedef struct {
  const Mesh *m;
  double      x0, y0, size;
  guint       nx, ny;
  guint      *start;   /* nx·ny + 1 */
  guint      *items;   /* half-edges */
} EdgeGrid;

static void
edge_cells (const EdgeGrid *g, const Mesh *m, guint e, guint *cx0, guint *cy0, guint *cx1, guint *cy1)
{
  const double *a = pt (m, m->d->triangles[e]), *b = pt (m, m->d->triangles[gp_delaunay_next (e)]);

  *cx0 = (guint) CLAMP ((MIN (a[0], b[0]) - g->x0) / g->size, 0.0, g->nx - 1.0);
  *cx1 = (guint) CLAMP ((MAX (a[0], b[0]) - g->x0) / g->size, 0.0, g->nx - 1.0);
  *cy0 = (guint) CLAMP ((MIN (a[1], b[1]) - g->y0) / g->size, 0.0, g->ny - 1.0);
  *cy1 = (guint) CLAMP ((MAX (a[1], b[1]) - g->y0) / g->size, 0.0, g->ny - 1.0);
}

static void
edge_grid_init (EdgeGrid *g, const Mesh *m, const double box[4], double size)
{
  guint ne = 3 * m->d->n_triangles;

  g->m = m;
  g->x0 = box[0];
  g->y0 = box[1];
  g->nx = (guint) CLAMP ((box[2] - box[0]) / size + 1.0, 1.0, 2048.0);
  g->ny = (guint) CLAMP ((box[3] - box[1]) / size + 1.0, 1.0, 2048.0);
  g->size = MAX (size, MAX ((box[2] - box[0]) / g->nx, (box[3] - box[1]) / g->ny) * (1.0 + 1e-9));
  g->start = g_new0 (guint, (gsize) g->nx * g->ny + 1);
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autofree guint *fill = pass == 1 ? g_memdup2 (g->start, ((gsize) g->nx * g->ny + 1) * sizeof (guint)) : NULL;

      for (guint e = 0; e < ne; e++)
        {
          gint o = m->d->halfedges[e];
          guint cx0, cy0, cx1, cy1;

          /* Each edge once. */
          if (!m->barrier[e] || (o >= 0 && (guint) o < e))
            continue;
          edge_cells (g, m, e, &cx0, &cy0, &cx1, &cy1);
          for (guint cy = cy0; cy <= cy1; cy++)
            for (guint cx = cx0; cx <= cx1; cx++)
              if (pass == 0)
                g->start[(gsize) cy * g->nx + cx + 1]++;
              else
                g->items[fill[(gsize) cy * g->nx + cx]++] = e;
        }
      if (pass == 0)
        {
          for (gsize c = 0; c < (gsize) g->nx * g->ny; c++)
            g->start[c + 1] += g->start[c];
          g->items = g_new (guint, g->start[(gsize) g->nx * g->ny] + 1);
        }
    }
}

/* A unit's edge passes closer than R to (X, Y). */
static gboolean
edge_grid_near (const EdgeGrid *g, double x, double y, double r)
{
  const Mesh *m = g->m;
  guint cx0 = (guint) CLAMP ((x - r - g->x0) / g->size, 0.0, g->nx - 1.0);
  guint cx1 = (guint) CLAMP ((x + r - g->x0) / g->size, 0.0, g->nx - 1.0);
  guint cy0 = (guint) CLAMP ((y - r - g->y0) / g->size, 0.0, g->ny - 1.0);
  guint cy1 = (guint) CLAMP ((y + r - g->y0) / g->size, 0.0, g->ny - 1.0);

  for (guint cy = cy0; cy <= cy1; cy++)
    for (guint cx = cx0; cx <= cx1; cx++)
      {
        gsize c = (gsize) cy * g->nx + cx;

        for (guint i = g->start[c]; i < g->start[c + 1]; i++)
          {
            guint e = g->items[i];
            const double *a = pt (m, m->d->triangles[e]), *b = pt (m, m->d->triangles[gp_delaunay_next (e)]);
            double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
            double t = len2 > 0.0 ? CLAMP (((x - a[0]) * dx + (y - a[1]) * dy) / len2, 0.0, 1.0) : 0.0;
            double ex = a[0] + t * dx - x, ey = a[1] + t * dy - y;

            if (ex * ex + ey * ey < r * r)
              return TRUE;
          }
      }
  return FALSE;
}

/* What the closing by a disc of radius GAP leaves out is outside the area: the frame; every
 * triangle of ground whose centroid is at least GAP from every unit (ground wider than twice the
 * gap there: a square, a lake, the land round the units); and from these, through an edge wider
 * than the disc, a triangle lying flat along that edge (less than GAP high over it), which such a
 * disc sweeps: the slivers between the units' hull and their outer edges, or inside a square.
 * Streets and yards no wider than twice the gap are in: their triangles are either crossed by
 * the short mouth of the street or stand tall over any long edge. */
static void
label_ground (Mesh *m, double gap, const double box[4])
{
  EdgeGrid grid = { 0 };
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint t = 0; t < m->d->n_triangles; t++)
    if (m->tri_cell[t] == TRI_UNKNOWN)
      {
        const guint *tri = &m->d->triangles[3 * t];
        double x = (pt (m, tri[0])[0] + pt (m, tri[1])[0] + pt (m, tri[2])[0]) / 3.0;
        double y = (pt (m, tri[0])[1] + pt (m, tri[1])[1] + pt (m, tri[2])[1]) / 3.0;

        gboolean near = FALSE;

        /* A corner within the gap settles it; only the others look for an edge. */
        for (guint k = 0; k < 3 && !is_frame_triangle (m, t); k++)
          near |= hypot (pt (m, tri[k])[0] - x, pt (m, tri[k])[1] - y) < gap;
        if (!near && !is_frame_triangle (m, t))
          {
            if (grid.start == NULL)
              edge_grid_init (&grid, m, box, 2.0 * gap);
            near = edge_grid_near (&grid, x, y, gap);
          }
        if (!near)
          {
            m->tri_cell[t] = TRI_OUTSIDE;
            g_array_append_val (stack, t);
          }
      }
  g_free (grid.start);
  g_free (grid.items);
  while (stack->len > 0)
    {
      guint s = g_array_index (stack, guint, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);
      for (guint k = 0; k < 3; k++)
        {
          gint o = m->d->halfedges[3 * s + k];
          const guint *tri;
          const double *a, *b;
          double len, height;
          guint u;

          if (o < 0 || m->barrier[3 * s + k] || m->tri_cell[(guint) o / 3] != TRI_UNKNOWN)
            continue;
          u = (guint) o / 3;
          tri = &m->d->triangles[3 * u];
          a = pt (m, m->d->triangles[o]);
          b = pt (m, m->d->triangles[gp_delaunay_next ((guint) o)]);
          len = hypot (b[0] - a[0], b[1] - a[1]);
          height = len > 0.0 ? fabs (orient (pt (m, tri[0]), pt (m, tri[1]), pt (m, tri[2]))) / len : 0.0;
          if (len <= 2.0 * gap || height >= gap)
            continue;
          m->tri_cell[u] = TRI_OUTSIDE;
          g_array_append_val (stack, u);
        }
    }
  for (guint t = 0; t < m->d->n_triangles; t++)
    if (m->tri_cell[t] == TRI_UNKNOWN)
      m->tri_cell[t] = TRI_FREE;
}

static void place_compute (const Mesh *m, guint id, double *x, double *y);

Mesh *
mesh_new (GEOSContextHandle_t ctx, GEOSGeometry *const *cells, guint n, double gap)
{
  g_autoptr(GArray) corners = g_array_new (FALSE, FALSE, sizeof (Corner));
  g_autoptr(GArray) rings = g_array_new (FALSE, FALSE, sizeof (Ring));
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_autofree guint *point_of = NULL;
  g_autofree double *xy = NULL;
  Mesh *m;
  double box[4] = { DBL_MAX, DBL_MAX, -DBL_MAX, -DBL_MAX };
  guint n_points = 0;

  gint64 lap = g_get_monotonic_time ();

  /* GRIDPLAN_SPLIT_MESH=0: the ground shared out with GEOS as before, to compare. */
  if (g_strcmp0 (g_getenv ("GRIDPLAN_SPLIT_MESH"), "0") == 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (cells[i] != NULL && !read_polygon (ctx, cells[i], i, corners, rings))
      return NULL;
  if (corners->len < 3)
    return NULL;
  /* One point per place. */
  {
    g_autoptr(GArray) sorted = g_array_copy (corners);

    gp_parallel_sort (1, sorted->data, sorted->len, sizeof (Corner), compare_corner);
    point_of = g_new (guint, corners->len + 1);
    xy = g_new (double, 2 * (gsize) corners->len);
    m = g_new0 (Mesh, 1);
    m->vcell = g_new (guint, corners->len + 16);
    for (guint i = 0; i < sorted->len; i++)
      {
        const Corner *c = &g_array_index (sorted, Corner, i);

        if (i == 0 || c->x != c[-1].x || c->y != c[-1].y)
          {
            xy[2 * n_points] = c->x;
            xy[2 * n_points + 1] = c->y;
            m->vcell[n_points] = c->cell;
            box[0] = MIN (box[0], c->x), box[1] = MIN (box[1], c->y);
            box[2] = MAX (box[2], c->x), box[3] = MAX (box[3], c->y);
            n_points++;
          }
        else if (m->vcell[n_points - 1] != c->cell)
          m->vcell[n_points - 1] = CELL_MULTI;
        point_of[c->index] = n_points - 1;
      }
  }
  m->n_real = n_points;
  m->n_cells = n;
  split_lap ("mesh: corners", &lap);
  m->d = gp_delaunay_new_framed (xy, n_points, box);
  split_lap ("mesh: delaunay", &lap);
  if (m->d == NULL || m->d->n_points != n_points + 8)
    {
      mesh_free (m);
      return NULL;
    }
  for (guint p = n_points; p < m->d->n_points; p++)
    m->vcell[p] = NONE;
  m->inedge = gp_delaunay_inedges (m->d);
  m->barrier = g_new0 (gboolean, 3 * (gsize) m->d->n_triangles + 1);
  m->side_cell = g_new (guint, 3 * (gsize) m->d->n_triangles + 1);
  for (guint e = 0; e < 3 * m->d->n_triangles; e++)
    m->side_cell[e] = NONE;
  m->tri_cell = g_new (guint, m->d->n_triangles + 1);
  for (guint p = 0; p < n_points; p++)
    if (m->inedge[p] < 0)
      {
        mesh_free (m);
        return NULL;
      }
  for (guint r = 0; r < rings->len; r++)
    {
      const Ring *ring = &g_array_index (rings, Ring, r);

      for (guint k = 0; k < ring->n; k++)
        {
          guint a = point_of[ring->start + k], b = point_of[ring->start + (k + 1) % ring->n];

          if (!insert_edge (m, a, b, ring->cell, queue))
            {
              mesh_free (m);
              return NULL;
            }
        }
    }
  /* Flips decided in floating point could fold a triangle over: every one must still turn
   * clockwise, or the labels would mean nothing. */
  for (guint t = 0; t < m->d->n_triangles; t++)
    {
      const guint *tri = &m->d->triangles[3 * t];

      if (!(orient (pt (m, tri[0]), pt (m, tri[1]), pt (m, tri[2])) < 0.0))
        {
          mesh_free (m);
          return NULL;
        }
    }
  split_lap ("mesh: edges in", &lap);
  if (!label_units (m))
    {
      mesh_free (m);
      return NULL;
    }
  split_lap ("mesh: units labelled", &lap);
  label_ground (m, gap, box);
  split_lap ("mesh: ground labelled", &lap);
  /* Every place an outline may pass, once. */
  m->n_places = m->d->n_points + 4 * m->d->n_triangles;
  m->place = g_new (double, 2 * (gsize) m->n_places);
  for (guint id = 0; id < m->n_places; id++)
    place_compute (m, id, &m->place[2 * (gsize) id], &m->place[2 * (gsize) id + 1]);
  return m;
}

/* ---- outlines ------------------------------------------------------------------------------ */

/* Ids of the places outlines pass: points, midpoints of edges (by the lower half-edge), centroids
 * of triangles. */
static inline guint
mid_id (const Mesh *m, guint e)
{
  gint o = m->d->halfedges[e];

  return m->d->n_points + (o >= 0 && (guint) o < e ? (guint) o : e);
}

static inline guint
centroid_id (const Mesh *m, guint t)
{
  return m->d->n_points + 3 * m->d->n_triangles + t;
}

/* Where the three units at the corners of triangle T meet: the centre of its circle (the
 * Voronoi vertex: where four blocks meet at a crossing, the two triangles of the crossing share
 * it and the four borders meet in one point), drawn towards the centroid as far as it takes to
 * keep it inside the triangle by CENTRE_MARGIN of its heights. */
static void
triangle_centre (const Mesh *m, guint t, double *x, double *y)
{
  const guint *tri = m->d->triangles;
  const double *p[3] = { pt (m, tri[3 * t]), pt (m, tri[3 * t + 1]), pt (m, tri[3 * t + 2]) };
  double gx = (p[0][0] + p[1][0] + p[2][0]) / 3.0, gy = (p[0][1] + p[1][1] + p[2][1]) / 3.0;
  double cx, cy, area2 = orient (p[0], p[1], p[2]), lambda = 1.0;

  *x = gx, *y = gy;
  if (area2 == 0.0 || !gp_delaunay_circumcentre (p[0], p[1], p[2], &cx, &cy))
    return;
  for (guint k = 0; k < 3; k++)
    {
      /* Barycentric weight of corner k at the circle's centre (1/3 at the centroid). */
      double w = orient (p[(k + 1) % 3], p[(k + 2) % 3], (double[]) { cx, cy }) / area2;

      if (w < CENTRE_MARGIN)
        lambda = MIN (lambda, (1.0 / 3.0 - CENTRE_MARGIN) / (1.0 / 3.0 - w));
    }
  *x = gx + lambda * (cx - gx);
  *y = gy + lambda * (cy - gy);
}

static inline void
place_xy (const Mesh *m, guint id, double *x, double *y)
{
  *x = m->place[2 * (gsize) id];
  *y = m->place[2 * (gsize) id + 1];
}

static void
place_compute (const Mesh *m, guint id, double *x, double *y)
{
  const guint *tri = m->d->triangles;
  guint np = m->d->n_points, ne = 3 * m->d->n_triangles;

  if (id < np)
    {
      *x = pt (m, id)[0];
      *y = pt (m, id)[1];
    }
  else if (id < np + ne)
    {
      const double *a = pt (m, tri[id - np]), *b = pt (m, tri[gp_delaunay_next (id - np)]);

      /* Either half-edge gives the same sum: the midpoint is the very same for both sides. */
      *x = 0.5 * (a[0] + b[0]);
      *y = 0.5 * (a[1] + b[1]);
    }
  else
    triangle_centre (m, id - np - ne, x, y);
}

/* The unit whose share a free triangle's corner at slot S is: the unit of its point, or where
 * several units meet there, the one whose edge is fewer triangles away round the point. */
static guint
corner_owner (const Mesh *m, guint s)
{
  guint v = m->d->triangles[s];
  guint out_a = s, in_b = prev_edge (s);

  if (m->vcell[v] != CELL_MULTI)
    return m->vcell[v];
  for (guint step = 0; step < FAN_STEPS_MAX; step++)
    {
      gint o;

      /* One way round: across the edge leaving the point. */
      o = m->d->halfedges[out_a];
      if (o >= 0 && m->barrier[out_a] && m->tri_cell[o / 3] < m->n_cells)
        return m->tri_cell[o / 3];
      if (o >= 0)
        out_a = gp_delaunay_next ((guint) o);
      /* The other way: across the edge coming in. */
      o = m->d->halfedges[in_b];
      if (o >= 0 && m->barrier[in_b] && m->tri_cell[o / 3] < m->n_cells)
        return m->tri_cell[o / 3];
      if (o >= 0)
        in_b = prev_edge ((guint) o);
    }
  return NONE;
}

typedef struct {
  guint owner, other, from, to;   /* OWNER lies on the right of FROM → TO, OTHER on its left */
} Run;

static int
compare_run (const void *pa, const void *pb)
{
  const Run *a = pa, *b = pb;

  if (a->owner != b->owner)
    return a->owner < b->owner ? -1 : 1;
  if (a->from != b->from)
    return a->from < b->from ? -1 : 1;
  return a->to < b->to ? -1 : a->to > b->to;
}

/* What lies at the corner of the triangle at slot S: a unit, TRI_OUTSIDE, or for AREA only
 * whether it is inside (0). */
static guint
region (const Mesh *m, gint s, gboolean area, const guint *owners)
{
  guint c;

  if (s < 0)
    return TRI_OUTSIDE;
  c = m->tri_cell[s / 3];
  if (area)
    return c == TRI_OUTSIDE ? TRI_OUTSIDE : 0;
  if (c != TRI_FREE)
    return c;
  return owners[s];
}

/* A run of outline FROM → TO with RIGHT on its right and LEFT on its left, for either. */
static void
emit (GArray *runs, guint right, guint left, guint from, guint to)
{
  if (right == left)
    return;
  if (right != TRI_OUTSIDE)
    {
      Run r = { right, left, from, to };

      g_array_append_val (runs, r);
    }
  if (left != TRI_OUTSIDE)
    {
      Run r = { left, right, to, from };

      g_array_append_val (runs, r);
    }
}

/* Every run of outline between different owners: units (OWNERS: per corner of a triangle of
 * ground, its unit), or with AREA the area and the outside. */
static GArray *
outline_runs (const Mesh *m, gboolean area, const guint *owners)
{
  const guint *tri = m->d->triangles;
  guint ne = 3 * m->d->n_triangles;
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (Run));

  for (guint s = 0; s < ne; s++)
    {
      gint o = m->d->halfedges[s];
      guint p = tri[s], q = tri[gp_delaunay_next (s)];
      guint tp, tq, up, uq;

      if (o >= 0 && (guint) o < s)
        continue;
      /* The triangle of S lies on the right of P→Q, the other on its left. */
      tp = region (m, (gint) s, area, owners);
      tq = region (m, (gint) gp_delaunay_next (s), area, owners);
      up = o >= 0 ? region (m, (gint) gp_delaunay_next ((guint) o), area, owners) : TRI_OUTSIDE;
      uq = o >= 0 ? region (m, o, area, owners) : TRI_OUTSIDE;
      if (tp == tq && up == uq)
        emit (runs, tp, up, p, q);
      else
        {
          guint mid = mid_id (m, s);

          emit (runs, tp, up, p, mid);
          emit (runs, tq, uq, mid, q);
        }
    }
  if (area)
    return runs;
  /* Cuts inside the triangles of ground shared among two or three units. */
  for (guint t = 0; t < m->d->n_triangles; t++)
    {
      guint o0, o1, o2;

      if (m->tri_cell[t] != TRI_FREE)
        continue;
      o0 = owners[3 * t], o1 = owners[3 * t + 1], o2 = owners[3 * t + 2];
      if (o0 == o1 && o1 == o2)
        continue;
      if (o0 != o1 && o1 != o2 && o0 != o2)
        {
          guint g = centroid_id (m, t);

          /* Corner k's piece (clockwise): mid of the edge in, the point, mid of the edge out,
           * the centroid. */
          for (guint k = 0; k < 3; k++)
            emit (runs, owners[3 * t + k], owners[gp_delaunay_next (3 * t + k)], mid_id (m, 3 * t + k), g);
        }
      else
        {
          guint k = o0 == o1 ? 2 : (o1 == o2 ? 0 : 1), s = 3 * t + k;

          /* The odd corner's piece (clockwise): mid in, the point, mid out. */
          emit (runs, owners[s], owners[gp_delaunay_next (s)], mid_id (m, s), mid_id (m, prev_edge (s)));
        }
    }
  return runs;
}

/* Anticlockwise angle from direction (AX, AY) to (BX, BY), in [0, 2π). */
static double
anticlockwise_angle (double ax, double ay, double bx, double by)
{
  double a = atan2 (by, bx) - atan2 (ay, ax);

  while (a < 0.0)
    a += 2.0 * G_PI;
  while (a >= 2.0 * G_PI)
    a -= 2.0 * G_PI;
  return a;
}

static GEOSGeometry *
ring_geom (GEOSContextHandle_t ctx, GArray *xy)
{
  GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r (ctx, (const double *) xy->data, xy->len / 2, 0, 0);

  return seq != NULL ? GEOSGeom_createLinearRing_r (ctx, seq) : NULL;
}

static double
ring_area2 (const GArray *xy)
{
  const double *c = (const double *) xy->data;
  guint n = xy->len / 2;
  double a = 0.0;

  for (guint i = 0; i + 1 < n; i++)
    a += c[2 * i] * c[2 * i + 3] - c[2 * i + 2] * c[2 * i + 1];
  return a;
}

static gboolean
ring_contains (const GArray *ring, double x, double y)
{
  const double *c = (const double *) ring->data;
  guint n = ring->len / 2;
  gboolean in = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if ((c[2 * i + 1] > y) != (c[2 * j + 1] > y)
        && x < (c[2 * j] - c[2 * i]) * (y - c[2 * i + 1]) / (c[2 * j + 1] - c[2 * i + 1]) + c[2 * i])
      in = !in;
  return in;
}

/* IDS (a closed ring of places, the first repeated last) as closed rings that each pass a
 * place once, into LOOPS; REPEATS: whether some place is passed twice. */
static void
split_loops (GArray *ids, gboolean repeats, GPtrArray *loops)
{
  guint n = ids->len - 1;

  if (!repeats)
    {
      g_ptr_array_add (loops, g_array_ref (ids));
      return;
    }
  {
    g_autoptr(GHashTable) at = g_hash_table_new (NULL, NULL);   /* place → its index in stack + 1 */
    g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint i = 0; i <= n; i++)
      {
        guint id = g_array_index (ids, guint, i);
        guint j = GPOINTER_TO_UINT (g_hash_table_lookup (at, GUINT_TO_POINTER (id + 1)));

        if (j == 0)
          {
            g_array_append_val (stack, id);
            g_hash_table_insert (at, GUINT_TO_POINTER (id + 1), GUINT_TO_POINTER (stack->len));
            continue;
          }
        /* Back at a place already passed: the places since make a ring of their own. */
        {
          GArray *loop = g_array_new (FALSE, FALSE, sizeof (guint));

          g_array_append_vals (loop, &g_array_index (stack, guint, j - 1), stack->len - (j - 1));
          g_array_append_val (loop, id);
          g_ptr_array_add (loops, loop);
          for (guint k = j; k < stack->len; k++)
            g_hash_table_remove (at, GUINT_TO_POINTER (g_array_index (stack, guint, k) + 1));
          g_array_set_size (stack, j);
        }
      }
  }
}

/* SHELLS and HOLES (closed rings, x y) as a polygon, or several: each hole goes to the shell it
 * lies in (tested at the midpoint of its first side, which is on no shell where the two touch at
 * a point). */
static GEOSGeometry *
polygon_of_rings (GEOSContextHandle_t ctx, GPtrArray *shells, GPtrArray *holes)
{
  g_autoptr(GPtrArray) polys = g_ptr_array_new ();
  GEOSGeometry *result = NULL;

  {
    g_autofree GPtrArray **shell_holes = g_new0 (GPtrArray *, shells->len);

    for (guint s = 0; s < shells->len; s++)
      shell_holes[s] = g_ptr_array_new ();
    for (guint hh = 0; hh < holes->len; hh++)
      {
        GArray *hole = g_ptr_array_index (holes, hh);
        const double *c = (const double *) hole->data;
        double x = 0.5 * (c[0] + c[2]), y = 0.5 * (c[1] + c[3]);
        guint s = 0;

        if (shells->len > 1)
          for (s = 0; s < shells->len; s++)
            if (ring_contains (g_ptr_array_index (shells, s), x, y))
              break;
        if (s == shells->len)
          s = 0;
        g_ptr_array_add (shell_holes[s], hole);
      }
    for (guint s = 0; s < shells->len; s++)
      {
        GEOSGeometry *shell = ring_geom (ctx, g_ptr_array_index (shells, s));
        g_autofree GEOSGeometry **hr = g_new0 (GEOSGeometry *, shell_holes[s]->len + 1);
        guint nh = 0;

        for (guint k = 0; k < shell_holes[s]->len; k++)
          if ((hr[nh] = ring_geom (ctx, g_ptr_array_index (shell_holes[s], k))) != NULL)
            nh++;
        if (shell != NULL)
          g_ptr_array_add (polys, GEOSGeom_createPolygon_r (ctx, shell, hr, nh));
        else
          for (guint k = 0; k < nh; k++)
            GEOSGeom_destroy_r (ctx, hr[k]);
        g_ptr_array_unref (shell_holes[s]);
      }
  }
  if (polys->len == 1)
    result = g_ptr_array_index (polys, 0);
  else if (polys->len > 1)
    result = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOLYGON, (GEOSGeometry **) polys->pdata, polys->len);
  return result;
}

/* The polygon traced from the runs [LO, HI) of one owner (sorted by start): clockwise shells,
 * anticlockwise holes; NULL when they do not close. */
static GEOSGeometry *
trace_owner (GEOSContextHandle_t ctx, const Mesh *m, const Run *runs, guint lo, guint hi, guint *stamp,
             guint *serial)
{
  g_autofree gboolean *used = g_new0 (gboolean, hi - lo + 1);
  g_autoptr(GPtrArray) shells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) holes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) loops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gboolean ok = TRUE;

  for (guint first = lo; first < hi && ok; first++)
    {
      guint at = first, steps = 0;
      gboolean repeats = FALSE;
      double px, py;

      if (used[first - lo])
        continue;
      /* STAMP marks the places this ring has passed (SERIAL: this ring). */
      ++*serial;
      g_array_set_size (ids, 0);
      g_array_append_val (ids, runs[first].from);
      stamp[runs[first].from] = *serial;
      place_xy (m, runs[first].from, &px, &py);
      for (;;)
        {
          guint to = runs[at].to, best = NONE, l = lo, h = hi;
          double best_angle = DBL_MAX, cx, cy;

          guint n_free = 0, only = NONE;

          used[at - lo] = TRUE;
          g_array_append_val (ids, to);
          if (to == runs[first].from)
            break;
          repeats |= stamp[to] == *serial;
          stamp[to] = *serial;
          place_xy (m, to, &cx, &cy);
          /* Of the runs leaving TO, the first met turning anticlockwise from the way back: the
           * owner lies on the right, so this follows the edge of one wedge of it round TO. */
          while (l < h)
            {
              guint mid = l + (h - l) / 2;

              if (runs[mid].from < to)
                l = mid + 1;
              else
                h = mid;
            }
          for (guint k = l; k < hi && runs[k].from == to; k++)
            if (!used[k - lo])
              {
                n_free++;
                only = k;
              }
          if (n_free == 1)
            best = only;
          else
            for (guint k = l; k < hi && runs[k].from == to; k++)
              if (!used[k - lo])
              {
                double nx, ny, angle;

                place_xy (m, runs[k].to, &nx, &ny);
                angle = anticlockwise_angle (px - cx, py - cy, nx - cx, ny - cy);
                if (best == NONE || angle < best_angle)
                  {
                    best = k;
                    best_angle = angle;
                  }
              }
          if (best == NONE || ++steps > hi - lo)
            {
              ok = FALSE;
              break;
            }
          px = cx, py = cy;
          at = best;
        }
      if (!ok)
        break;
      /* A ring through one place twice (two holes, or a hole and the shell, touching at a
       * point) is cut there into rings that each pass it once. */
      g_ptr_array_set_size (loops, 0);
      split_loops (ids, repeats, loops);
      for (guint k = 0; k < loops->len; k++)
        {
          GArray *loop = g_ptr_array_index (loops, k);
          GArray *xy;

          if (loop->len < 4)
            continue;
          xy = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * loop->len);
          for (guint i = 0; i < loop->len; i++)
            {
              double x, y;

              place_xy (m, g_array_index (loop, guint, i), &x, &y);
              g_array_append_val (xy, x);
              g_array_append_val (xy, y);
            }
          g_ptr_array_add (ring_area2 (xy) < 0.0 ? shells : holes, xy);
        }
    }
  if (!ok || shells->len == 0)
    return NULL;
  return polygon_of_rings (ctx, shells, holes);
}

GEOSGeometry *
mesh_area (GEOSContextHandle_t ctx, const Mesh *m)
{
  g_autoptr(GArray) runs = outline_runs (m, TRUE, NULL);

  if (runs->len == 0)
    return NULL;
  g_autofree guint *stamp = g_new0 (guint, m->n_places);
  guint serial = 0;

  qsort (runs->data, runs->len, sizeof (Run), compare_run);
  return trace_owner (ctx, m, (const Run *) runs->data, 0, runs->len, stamp, &serial);
}

typedef struct {
  const Mesh    *m;
  Run           *runs;    /* by owner */
  const guint   *start;   /* per owner, its first run */
  GEOSGeometry **out;
  gboolean      *failed;  /* per owner */
  GArray       **pairs;   /* NULL, or per owner its PairRecs with higher owners, by owner */
  guint        **stamps;  /* per thread: marks of the places a ring passed, made on first need */
  guint         *serials; /* per thread */
} TraceJob;

static int
compare_pair_rec (const void *pa, const void *pb)
{
  const PairRec *a = pa, *b = pb;

  if (a->u != b->u)
    return a->u < b->u ? -1 : 1;
  return a->v < b->v ? -1 : a->v > b->v;
}

/* Owner G's borders with each higher owner, from its runs [LO, HI). */
static GArray *
owner_pairs (const Mesh *m, guint g, const Run *runs, guint lo, guint hi, guint k)
{
  GArray *pairs = NULL;
  guint kept = 0;

  for (guint i = lo; i < hi; i++)
    if (runs[i].other < k && runs[i].other > g)
      {
        double x0, y0, x1, y1;
        PairRec p = { g, runs[i].other, 0.0, FALSE };

        if (pairs == NULL)
          pairs = g_array_new (FALSE, FALSE, sizeof (PairRec));
        place_xy (m, runs[i].from, &x0, &y0);
        place_xy (m, runs[i].to, &x1, &y1);
        p.shared = hypot (x1 - x0, y1 - y0);
        g_array_append_val (pairs, p);
      }
  if (pairs == NULL)
    return NULL;
  qsort (pairs->data, pairs->len, sizeof (PairRec), compare_pair_rec);
  for (guint i = 0; i < pairs->len; i++)
    {
      PairRec *p = &g_array_index (pairs, PairRec, i);

      if (kept > 0 && g_array_index (pairs, PairRec, kept - 1).v == p->v)
        g_array_index (pairs, PairRec, kept - 1).shared += p->shared;
      else
        g_array_index (pairs, PairRec, kept++) = *p;
    }
  g_array_set_size (pairs, kept);
  return pairs;
}

/* Runs by compare_run: most owners have a few dozen, sorted in place without qsort's buffer. */
static void
sort_runs (Run *runs, guint n)
{
  if (n > 32)
    {
      qsort (runs, n, sizeof (Run), compare_run);
      return;
    }
  for (guint i = 1; i < n; i++)
    {
      Run r = runs[i];
      guint j = i;

      while (j > 0 && compare_run (&runs[j - 1], &r) > 0)
        {
          runs[j] = runs[j - 1];
          j--;
        }
      runs[j] = r;
    }
}

static void
trace_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  TraceJob *tj = data;

  for (guint g = lo; g < hi; g++)
    if (tj->start[g] < tj->start[g + 1])
      {
        guint a = tj->start[g], b = tj->start[g + 1];

        if (tj->stamps[thread] == NULL)
          tj->stamps[thread] = g_new0 (guint, tj->m->n_places);
        sort_runs (tj->runs + a, b - a);
        tj->out[g] = trace_owner (ctx, tj->m, tj->runs, a, b, tj->stamps[thread], &tj->serials[thread]);
        tj->failed[g] = tj->out[g] == NULL;
        if (tj->pairs != NULL)
          tj->pairs[g] = owner_pairs (tj->m, g, tj->runs, a, b, tj->m->n_cells);
      }
}

/* OUT[g] (K groups): the outline of the territories of the units in group g (GROUP: per unit;
 * NULL: each unit its own group), traced on the area's threads; with PAIRS, per group its
 * borders with the higher ones. FALSE when one does not close. */
static gboolean
trace_groups (Job *job, const Mesh *m, const guint *group, guint k, GEOSGeometry **out, GArray **pairs)
{
  g_autofree Run *runs = g_new (Run, m->runs->len + 1);
  g_autofree guint *start = g_new0 (guint, k + 2);
  g_autofree guint *fill = NULL;
  g_autofree gboolean *failed = g_new0 (gboolean, k + 1);
  guint n_threads = MAX (job->helpers, 1u);
  g_autofree guint **stamps = g_new0 (guint *, n_threads + 1);
  g_autofree guint *serials = g_new0 (guint, n_threads + 1);
  TraceJob tj = { m, runs, start, out, failed, pairs, stamps, serials };
  const Run *all = (const Run *) m->runs->data;

  /* Bucketed by owner; each thread sorts the runs of the owners it traces. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < m->runs->len; i++)
        {
          Run r = all[i];

          if (group != NULL)
            {
              r.owner = group[r.owner];
              r.other = r.other < m->n_cells ? group[r.other] : NONE;
            }
          if (r.owner == r.other)
            continue;
          if (r.owner >= k)
            return FALSE;
          if (pass == 0)
            start[r.owner + 1]++;
          else
            runs[fill[r.owner]++] = r;
        }
      if (pass == 0)
        {
          for (guint g = 0; g < k; g++)
            start[g + 1] += start[g];
          fill = g_memdup2 (start, (k + 1) * sizeof (guint));
        }
    }
  job_parallel (job, k, CELLS_CHUNK, trace_range, &tj);
  for (guint t = 0; t < n_threads; t++)
    g_free (stamps[t]);
  for (guint g = 0; g < k; g++)
    if (failed[g])
      {
        for (guint h = 0; h < k; h++)
          {
            geom_free (job->ctx, out[h]);
            out[h] = NULL;
            if (pairs != NULL)
              g_clear_pointer (&pairs[h], g_array_unref);
          }
        return FALSE;
      }
  return TRUE;
}

/* Where a border crosses an edge of the triangulation (at its midpoint as cut), it may cross
 * anywhere between STRAIGHTEN_MIN and 1 − STRAIGHTEN_MIN of the edge: every piece of every
 * triangle stays a polygon of its own wherever the point is, so the territories still tile
 * exactly. Borders through midpoints zigzag where the two sides of a street are not parallel
 * (each diagonal's midpoint lies on a line of its own); moving each crossing towards the line
 * between its neighbours on the border, a few sweeps, straightens them. */
#define STRAIGHTEN_MIN 0.25
#define STRAIGHTEN_SWEEPS 2
/* A border turning by more than about 30° (cosine 0.85) at a crossing point keeps it there. */
#define STRAIGHTEN_COS 0.85

static void
straighten_borders (Mesh *m)
{
  guint np = m->d->n_points, ne = 3 * m->d->n_triangles;
  g_autofree guint *nb = g_new (guint, 2 * (gsize) ne + 2);
  g_autofree guint8 *degree = g_new0 (guint8, ne + 1);
  g_autoptr(GArray) movable = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < 2 * ne; i++)
    nb[i] = NONE;
  /* Each border once: runs seen from their lower owner, or along the outside. */
  for (guint i = 0; i < m->runs->len; i++)
    {
      const Run *r = &g_array_index (m->runs, Run, i);
      guint ends[2] = { r->from, r->to };

      if (r->other < m->n_cells && r->other < r->owner)
        continue;
      for (guint k = 0; k < 2; k++)
        {
          guint id = ends[k], other = ends[1 - k], e;

          if (id < np || id >= np + ne)
            continue;
          e = id - np;
          if (degree[e] >= 2 || nb[2 * e] == other)
            {
              degree[e] = 3;   /* a junction, or met twice: stays */
              continue;
            }
          nb[2 * e + degree[e]++] = other;
        }
    }
  for (guint e = 0; e < ne; e++)
    if (degree[e] == 2)
      g_array_append_val (movable, e);
  for (guint sweep = 0; sweep < STRAIGHTEN_SWEEPS; sweep++)
    for (guint i = 0; i < movable->len; i++)
      {
        guint e = g_array_index (movable, guint, i);
        const double *p = pt (m, m->d->triangles[e]), *q = pt (m, m->d->triangles[gp_delaunay_next (e)]);
        double *at = &m->place[2 * ((gsize) np + e)];
        const double *a = &m->place[2 * (gsize) nb[2 * e]], *b = &m->place[2 * (gsize) nb[2 * e + 1]];
        double ex = q[0] - p[0], ey = q[1] - p[1], lx = b[0] - a[0], ly = b[1] - a[1];
        double den = ex * ly - ey * lx, t;
        double ux = at[0] - a[0], uy = at[1] - a[1], vx = b[0] - at[0], vy = b[1] - at[1];

        /* Corners of a border (round a house, at a crossing) stay: only wiggles are taken out. */
        if (fabs (den) <= 1e-12 * (ex * ex + ey * ey + lx * lx + ly * ly)
            || ux * vx + uy * vy < STRAIGHTEN_COS * hypot (ux, uy) * hypot (vx, vy))
          continue;
        /* Where the edge meets the line through the two neighbours. */
        t = CLAMP (((a[0] - p[0]) * ly - (a[1] - p[1]) * lx) / den, STRAIGHTEN_MIN, 1.0 - STRAIGHTEN_MIN);
        at[0] = p[0] + t * ex;
        at[1] = p[1] + t * ey;
      }
}

gboolean
mesh_territories (Job *job, Mesh *m, GEOSGeometry **cells, guint n, GArray **pairs)
{
  g_autofree GEOSGeometry **made = NULL;
  g_autofree GArray **by_owner = NULL;
  g_autofree guint *owners = NULL;
  guint ne = 3 * m->d->n_triangles;

  if (n != m->n_cells)
    return FALSE;
  gint64 lap = g_get_monotonic_time ();
  /* Per corner of a triangle of ground, the unit whose share it is. */
  owners = g_new (guint, ne + 1);
  for (guint s = 0; s < ne; s++)
    if (m->tri_cell[s / 3] != TRI_FREE)
      owners[s] = NONE;
    else if ((owners[s] = corner_owner (m, s)) >= n || cells[owners[s]] == NULL)
      return FALSE;
  if (m->runs != NULL)
    g_array_unref (m->runs);
  split_lap ("corner owners", &lap);
  m->runs = outline_runs (m, FALSE, owners);
  straighten_borders (m);
  split_lap ("runs", &lap);
  made = g_new0 (GEOSGeometry *, n + 1);
  by_owner = g_new0 (GArray *, n + 1);
  if (!trace_groups (job, m, NULL, n, made, by_owner))
    return FALSE;
  split_lap ("traced", &lap);
  /* The territories hold the area, no more and no less (a check on the labels that costs
   * nothing beside the tracing). */
  {
    double sum = 0.0, whole = 0.0;

    for (guint i = 0; i < n; i++)
      sum += made[i] != NULL ? geom_area (job->ctx, made[i]) : geom_area (job->ctx, cells[i]);
    for (guint t = 0; t < m->d->n_triangles; t++)
      if (m->tri_cell[t] != TRI_OUTSIDE)
        {
          const guint *tri = &m->d->triangles[3 * t];

          whole -= 0.5 * orient (pt (m, tri[0]), pt (m, tri[1]), pt (m, tri[2]));
        }
    if (!(fabs (sum - whole) <= AREA_ROUNDING * whole))
      {
        for (guint i = 0; i < n; i++)
          geom_free (job->ctx, made[i]);
        for (guint i = 0; i < n; i++)
          if (by_owner[i] != NULL)
            g_array_unref (by_owner[i]);
        return FALSE;
      }
  }
  for (guint i = 0; i < n; i++)
    if (made[i] != NULL)
      {
        geom_free (job->ctx, cells[i]);
        cells[i] = made[i];
      }
  /* The shared borders, by (u, v). */
  *pairs = g_array_new (FALSE, FALSE, sizeof (PairRec));
  for (guint i = 0; i < n; i++)
    if (by_owner[i] != NULL)
      {
        g_array_append_vals (*pairs, by_owner[i]->data, by_owner[i]->len);
        g_array_unref (by_owner[i]);
      }
  return TRUE;
}

gboolean
mesh_grids (Job *job, const Mesh *m, const guint *grid, guint k, GEOSGeometry **out)
{
  if (m->runs == NULL)
    return FALSE;
  for (guint i = 0; i < m->runs->len; i++)
    if (grid[g_array_index (m->runs, Run, i).owner] >= k)
      return FALSE;
  return trace_groups (job, m, grid, k, out, NULL);
}

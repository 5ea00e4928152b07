/* gp-delaunay.c: the Delaunay triangulation of many points at once, as indices.
 *
 * The splitter needs the triangulation of a hundred thousand points or more (the Voronoi cells
 * of household places, the middle of the streets between compounds). GEOS builds it as a
 * quad-edge structure and hands back one polygon per triangle, which then has to be matched to
 * the points again: most of a second for 140,000 points. This is the sweep of delaunator
 * (V. Agafonkin, ISC licence): points added in order of their distance from a seed triangle,
 * each joined to the hull edges it sees, then edges flipped until every triangle's circle is
 * empty; the hull found through a hash of angles. Triangles and their neighbours come out as
 * plain arrays of indices. */
#include "gp-config.h"

#include "gp-delaunay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Flips waiting to be checked; only very degenerate input could need more. */
#define EDGE_STACK 1024

typedef struct {
  const double *xy;
  guint        *triangles;
  gint         *halfedges;
  guint         n_half;        /* half-edges used so far (3 per triangle) */
  guint        *hull_prev, *hull_next, *hull_tri;
  gint         *hull_hash;
  guint         hash_size, hull_start;
  double        cx, cy;        /* centre of the seed triangle's circle */
  guint         stack[EDGE_STACK];
  guint64       flips, max_flips;
  gboolean      failed;
} Sweep;

/* Flips allowed per point (a few on average) before a triangulation is given up as stuck. */
#define FLIPS_PER_POINT 64

typedef struct {
  double d;
  guint  id;
} ById;

static int
compare_by_distance (const void *pa, const void *pb)
{
  const ById *a = pa, *b = pb;

  if (a->d != b->d)
    return a->d < b->d ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

static double
dist2 (double ax, double ay, double bx, double by)
{
  return (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
}

/* The sign of the turn p → r → q when rounding cannot have flipped it, else 0 (Shewchuk's bound). */
static double
orient_if_sure (double px, double py, double rx, double ry, double qx, double qy)
{
  double l = (ry - py) * (qx - px), r = (rx - px) * (qy - py);

  return fabs (l - r) >= 3.3306690738754716e-16 * fabs (l + r) ? l - r : 0.0;
}

/* Whether r, q, p turn one way, asked of the three points in turn so that a triangle gives the
 * same answer whichever corner it is asked from. */
static gboolean
orient (const double *r, const double *q, const double *p)
{
  double s = orient_if_sure (p[0], p[1], r[0], r[1], q[0], q[1]);

  if (s == 0.0)
    s = orient_if_sure (r[0], r[1], q[0], q[1], p[0], p[1]);
  if (s == 0.0)
    s = orient_if_sure (q[0], q[1], p[0], p[1], r[0], r[1]);
  return s < 0.0;
}

/* The in-circle determinant of points A, B, C, P (positive or negative as P lies inside or
 * outside the circle through A, B, C, depending on their turn). */
static double
in_circle_det (const double *a, const double *b, const double *c, const double *p)
{
  double dx = a[0] - p[0], dy = a[1] - p[1], ex = b[0] - p[0], ey = b[1] - p[1], fx = c[0] - p[0], fy = c[1] - p[1];
  double ap = dx * dx + dy * dy, bp = ex * ex + ey * ey, cp = fx * fx + fy * fy;

  return dx * (ey * cp - bp * fy) - dy * (ex * cp - bp * fx) + ap * (ex * fy - ey * fx);
}

/* Whether point P (index IP) lies inside the circle through points IA, IB, IC. The determinant
 * changes sign with every swap of two of its points; it is always worked out with the four in
 * the order of their indices (and its sign turned by the parity of the swaps), so that an edge
 * and its flip get exactly opposite answers: rounding can then never make both look illegal and
 * flip them back and forth. */
static gboolean
in_circle (const double *xy, guint ia, guint ib, guint ic, guint ip)
{
  guint v[4] = { ia, ib, ic, ip };
  gboolean odd = FALSE;

  for (guint i = 1; i < 4; i++)
    for (guint j = i; j > 0 && v[j - 1] > v[j]; j--)
      {
        guint t = v[j];

        v[j] = v[j - 1];
        v[j - 1] = t;
        odd = !odd;
      }
  return (odd ? -1.0 : 1.0) * in_circle_det (&xy[2 * v[0]], &xy[2 * v[1]], &xy[2 * v[2]], &xy[2 * v[3]]) < 0.0;
}

static double
circumradius2 (const double *a, const double *b, const double *c)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], ex = c[0] - a[0], ey = c[1] - a[1];
  double bl = dx * dx + dy * dy, cl = ex * ex + ey * ey, d = dx * ey - dy * ex;
  double x, y;

  if (d == 0.0)
    return INFINITY;
  x = (ey * bl - dy * cl) * 0.5 / d;
  y = (dx * cl - ex * bl) * 0.5 / d;
  return isfinite (x * x + y * y) ? x * x + y * y : INFINITY;
}

gboolean
gp_delaunay_circumcentre (const double *a, const double *b, const double *c, double *x, double *y)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], ex = c[0] - a[0], ey = c[1] - a[1];
  double bl = dx * dx + dy * dy, cl = ex * ex + ey * ey, d = dx * ey - dy * ex;

  if (d == 0.0)
    return FALSE;
  *x = a[0] + (ey * bl - dy * cl) * 0.5 / d;
  *y = a[1] + (dx * cl - ex * bl) * 0.5 / d;
  return isfinite (*x) && isfinite (*y);
}

/* Monotone in the angle of (dx, dy), in [0, 1], without trigonometry. */
static guint
hash_key (const Sweep *s, double x, double y)
{
  double dx = x - s->cx, dy = y - s->cy, sum = fabs (dx) + fabs (dy);
  double p = sum > 0.0 ? dx / sum : 0.0, angle = (dy > 0.0 ? 3.0 - p : 1.0 + p) / 4.0;

  return (guint) floor (angle * s->hash_size) % s->hash_size;
}

static void
link_half (Sweep *s, guint a, gint b)
{
  s->halfedges[a] = b;
  if (b >= 0)
    s->halfedges[b] = (gint) a;
}

static guint
add_triangle (Sweep *s, guint i0, guint i1, guint i2, gint a, gint b, gint c)
{
  guint t = s->n_half;

  s->triangles[t] = i0;
  s->triangles[t + 1] = i1;
  s->triangles[t + 2] = i2;
  link_half (s, t, a);
  link_half (s, t + 1, b);
  link_half (s, t + 2, c);
  s->n_half += 3;
  return t;
}

/* Flips the edge A and those behind it until their triangles' circles are empty; returns the
 * half-edge of the last triangle that now borders the hull at the new point. */
static guint
legalize (Sweep *s, guint a)
{
  guint depth = 0, ar;

  for (;;)
    {
      gint b = s->halfedges[a];
      guint a0 = a - a % 3, b0, al, bl, p0, pr, pl, p1;

      ar = a0 + (a + 2) % 3;
      if (b < 0)
        {
          if (depth == 0)
            break;
          a = s->stack[--depth];
          continue;
        }
      b0 = (guint) b - (guint) b % 3;
      al = a0 + (a + 1) % 3;
      bl = b0 + ((guint) b + 2) % 3;
      p0 = s->triangles[ar];
      pr = s->triangles[a];
      pl = s->triangles[al];
      p1 = s->triangles[bl];
      if (s->flips >= s->max_flips)
        {
          /* Rounding on a degenerate input keeps flipping: give up (the caller falls back). */
          s->failed = TRUE;
          break;
        }
      if (in_circle (s->xy, p0, pr, pl, p1))
        {
          s->flips++;
          gint hbl = s->halfedges[bl];
          guint br = b0 + ((guint) b + 1) % 3;

          s->triangles[a] = p1;
          s->triangles[b] = p0;
          /* The edge flipped on the far side of the hull (rare): the hull's triangle moves. */
          if (hbl < 0)
            {
              guint e = s->hull_start;

              do
                {
                  if (s->hull_tri[e] == bl)
                    {
                      s->hull_tri[e] = a;
                      break;
                    }
                  e = s->hull_prev[e];
                }
              while (e != s->hull_start);
            }
          link_half (s, a, hbl);
          link_half (s, (guint) b, s->halfedges[ar]);
          link_half (s, ar, (gint) bl);
          if (depth < EDGE_STACK)
            s->stack[depth++] = br;
        }
      else
        {
          if (depth == 0)
            break;
          a = s->stack[--depth];
        }
    }
  return ar;
}

/* The seed: the point nearest the middle, its nearest neighbour, and the point making the
 * smallest circle with them. FALSE when every point lies on one line. */
static gboolean
seed_triangle (const double *xy, guint n, guint seed[3])
{
  double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY, cx, cy, best = INFINITY;
  guint i0 = 0, i1 = G_MAXUINT, i2 = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      minx = MIN (minx, xy[2 * i]);
      miny = MIN (miny, xy[2 * i + 1]);
      maxx = MAX (maxx, xy[2 * i]);
      maxy = MAX (maxy, xy[2 * i + 1]);
    }
  cx = (minx + maxx) / 2.0;
  cy = (miny + maxy) / 2.0;
  for (guint i = 0; i < n; i++)
    {
      double d = dist2 (cx, cy, xy[2 * i], xy[2 * i + 1]);

      if (d < best)
        {
          i0 = i;
          best = d;
        }
    }
  best = INFINITY;
  for (guint i = 0; i < n; i++)
    {
      double d = dist2 (xy[2 * i0], xy[2 * i0 + 1], xy[2 * i], xy[2 * i + 1]);

      if (i != i0 && d > 0.0 && d < best)
        {
          i1 = i;
          best = d;
        }
    }
  if (i1 == G_MAXUINT)
    return FALSE;
  best = INFINITY;
  for (guint i = 0; i < n; i++)
    {
      double r;

      if (i == i0 || i == i1)
        continue;
      r = circumradius2 (&xy[2 * i0], &xy[2 * i1], &xy[2 * i]);
      if (r < best)
        {
          i2 = i;
          best = r;
        }
    }
  if (i2 == G_MAXUINT || !isfinite (best))
    return FALSE;
  /* The seed turns the same way as every triangle after it. */
  if (orient (&xy[2 * i0], &xy[2 * i1], &xy[2 * i2]))
    {
      guint t = i1;

      i1 = i2;
      i2 = t;
    }
  seed[0] = i0;
  seed[1] = i1;
  seed[2] = i2;
  return TRUE;
}

/* Adds point I (outside the hull) to the triangulation; FALSE when it sees no hull edge (it is
 * at the place of a point already in). */
static gboolean
add_point (Sweep *s, guint i, guint *hull_size)
{
  const double *xy = s->xy, *p = &xy[2 * i];
  guint start = 0, e, q, nn, t;
  guint key = hash_key (s, p[0], p[1]);

  /* A visible edge of the hull near I's angle. */
  for (guint j = 0; j < s->hash_size; j++)
    {
      gint h = s->hull_hash[(key + j) % s->hash_size];

      if (h >= 0 && (guint) h != s->hull_next[h])
        {
          start = (guint) h;
          break;
        }
    }
  start = s->hull_prev[start];
  e = start;
  while (q = s->hull_next[e], !orient (p, &xy[2 * e], &xy[2 * q]))
    {
      e = q;
      if (e == start)
        return FALSE;
    }

  t = add_triangle (s, e, i, s->hull_next[e], -1, -1, (gint) s->hull_tri[e]);
  s->hull_tri[i] = legalize (s, t + 2);
  s->hull_tri[e] = t;
  (*hull_size)++;

  /* Forward along the hull while its edges face I. */
  nn = s->hull_next[e];
  while (q = s->hull_next[nn], q != e && orient (p, &xy[2 * nn], &xy[2 * q]))
    {
      t = add_triangle (s, nn, i, q, (gint) s->hull_tri[i], -1, (gint) s->hull_tri[nn]);
      s->hull_tri[i] = legalize (s, t + 2);
      s->hull_next[nn] = nn;   /* off the hull */
      (*hull_size)--;
      nn = q;
    }
  /* And backward from where it started. */
  if (e == start)
    while (q = s->hull_prev[e], q != nn && orient (p, &xy[2 * q], &xy[2 * e]))
      {
        t = add_triangle (s, q, i, e, -1, (gint) s->hull_tri[e], (gint) s->hull_tri[q]);
        legalize (s, t + 2);
        s->hull_tri[q] = t;
        s->hull_next[e] = e;
        (*hull_size)--;
        e = q;
      }

  s->hull_start = s->hull_prev[i] = e;
  s->hull_next[e] = s->hull_prev[nn] = i;
  s->hull_next[i] = nn;
  s->hull_hash[hash_key (s, p[0], p[1])] = (gint) i;
  s->hull_hash[hash_key (s, xy[2 * e], xy[2 * e + 1])] = (gint) e;
  return TRUE;
}

/* The triangulation of XY (N points), which it keeps when it succeeds (OWNED, or a copy). */
static GpDelaunay *
triangulate (const double *xy, guint n, double *owned)
{
  guint seed[3], max_tri, hull_size = 3;
  g_autofree ById *order = NULL;
  GpDelaunay *d;
  Sweep s = { 0 };
  double c[2];

  if (n < 3 || n > G_MAXINT / 6)
    return NULL;
  for (guint i = 0; i < 2 * n; i++)
    if (!isfinite (xy[i]))
      return NULL;
  if (!seed_triangle (xy, n, seed)
      || !gp_delaunay_circumcentre (&xy[2 * seed[0]], &xy[2 * seed[1]], &xy[2 * seed[2]], &c[0], &c[1]))
    return NULL;

  max_tri = 2 * n - 5 > 0 ? 2 * n - 5 : 1;
  s.xy = xy;
  s.triangles = g_new (guint, 3 * (gsize) max_tri);
  s.halfedges = g_new (gint, 3 * (gsize) max_tri);
  s.hull_prev = g_new0 (guint, n);
  s.hull_next = g_new0 (guint, n);
  s.hull_tri = g_new0 (guint, n);
  s.hash_size = (guint) ceil (sqrt ((double) n));
  s.hull_hash = g_new (gint, s.hash_size);
  s.cx = c[0];
  s.cy = c[1];
  s.max_flips = (guint64) FLIPS_PER_POINT * n + 1024;
  for (guint j = 0; j < s.hash_size; j++)
    s.hull_hash[j] = -1;

  /* Points in order of their distance from the seed's circle centre: each new one is outside
   * the hull of those before it. */
  order = g_new (ById, n);
  for (guint i = 0; i < n; i++)
    order[i] = (ById) { dist2 (xy[2 * i], xy[2 * i + 1], c[0], c[1]), i };
  qsort (order, n, sizeof (ById), compare_by_distance);

  s.hull_start = seed[0];
  s.hull_next[seed[0]] = s.hull_prev[seed[2]] = seed[1];
  s.hull_next[seed[1]] = s.hull_prev[seed[0]] = seed[2];
  s.hull_next[seed[2]] = s.hull_prev[seed[1]] = seed[0];
  s.hull_tri[seed[0]] = 0;
  s.hull_tri[seed[1]] = 1;
  s.hull_tri[seed[2]] = 2;
  for (guint k = 0; k < 3; k++)
    s.hull_hash[hash_key (&s, xy[2 * seed[k]], xy[2 * seed[k] + 1])] = (gint) seed[k];
  add_triangle (&s, seed[0], seed[1], seed[2], -1, -1, -1);

  for (guint k = 0; k < n; k++)
    {
      guint i = order[k].id;

      /* The same place as the point before it. */
      if (k > 0 && xy[2 * i] == xy[2 * order[k - 1].id] && xy[2 * i + 1] == xy[2 * order[k - 1].id + 1])
        continue;
      if (i == seed[0] || i == seed[1] || i == seed[2])
        continue;
      add_point (&s, i, &hull_size);
      if (s.failed)
        {
          g_free (s.triangles);
          g_free (s.halfedges);
          g_free (s.hull_prev);
          g_free (s.hull_next);
          g_free (s.hull_tri);
          g_free (s.hull_hash);
          return NULL;
        }
    }

  d = g_new0 (GpDelaunay, 1);
  d->xy = owned != NULL ? owned : g_memdup2 (xy, 2 * (gsize) n * sizeof (double));
  d->n_points = n;
  d->n_triangles = s.n_half / 3;
  d->triangles = g_renew (guint, s.triangles, MAX (s.n_half, 3u));
  d->halfedges = g_renew (gint, s.halfedges, MAX (s.n_half, 3u));
  g_free (s.hull_prev);
  g_free (s.hull_next);
  g_free (s.hull_tri);
  g_free (s.hull_hash);
  return d;
}

GpDelaunay *
gp_delaunay_new (const double *xy, guint n)
{
  return triangulate (xy, n, NULL);
}

void
gp_delaunay_free (GpDelaunay *d)
{
  if (d == NULL)
    return;
  g_free (d->xy);
  g_free (d->triangles);
  g_free (d->halfedges);
  g_free (d);
}

/* Frame points: on a circle FRAME_REACH times the size of the box around its centre, far enough
 * that no point of the box is nearer to one of them than to the points inside. */
#define FRAME_POINTS 8
#define FRAME_REACH 4.0

GpDelaunay *
gp_delaunay_new_framed (const double *xy, guint n, const double box[4])
{
  g_autofree double *all = NULL;
  GpDelaunay *d;
  double mx = (box[0] + box[2]) / 2.0, my = (box[1] + box[3]) / 2.0;
  double reach = FRAME_REACH * (hypot (box[2] - box[0], box[3] - box[1]) + 1.0);

  if (n > G_MAXINT / 8)
    return NULL;
  all = g_new (double, 2 * ((gsize) n + FRAME_POINTS));
  memcpy (all, xy, 2 * (gsize) n * sizeof (double));
  for (guint k = 0; k < FRAME_POINTS; k++)
    {
      all[2 * (n + k)] = mx + reach * cos (2.0 * G_PI * k / FRAME_POINTS);
      all[2 * (n + k) + 1] = my + reach * sin (2.0 * G_PI * k / FRAME_POINTS);
    }
  d = triangulate (all, n + FRAME_POINTS, all);
  if (d != NULL)
    all = NULL;   /* kept by D */
  return d;
}

static guint
find_root (guint *parent, guint i)
{
  while (parent[i] != i)
    {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
  return i;
}

double *
gp_delaunay_centres (const GpDelaunay *d, double merge)
{
  double *centres = g_new (double, 2 * (gsize) d->n_triangles + 2);
  g_autofree guint *parent = g_new (guint, d->n_triangles + 1);

  for (guint t = 0; t < d->n_triangles; t++)
    {
      const double *a = &d->xy[2 * d->triangles[3 * t]], *b = &d->xy[2 * d->triangles[3 * t + 1]],
                   *c = &d->xy[2 * d->triangles[3 * t + 2]];

      parent[t] = t;
      if (!gp_delaunay_circumcentre (a, b, c, &centres[2 * t], &centres[2 * t + 1]))
        {
          centres[2 * t] = (a[0] + b[0] + c[0]) / 3.0;
          centres[2 * t + 1] = (a[1] + b[1] + c[1]) / 3.0;
        }
    }
  /* Neighbours whose centres (nearly) coincide take the lower triangle's. */
  for (guint e = 0; e < 3 * d->n_triangles; e++)
    {
      gint o = d->halfedges[e];
      guint s = e / 3, t = (guint) o / 3;

      if (o > (gint) e && hypot (centres[2 * s] - centres[2 * t], centres[2 * s + 1] - centres[2 * t + 1]) <= merge)
        {
          guint rs = find_root (parent, s), rt = find_root (parent, t);

          if (rs != rt)
            parent[MAX (rs, rt)] = MIN (rs, rt);
        }
    }
  for (guint t = 0; t < d->n_triangles; t++)
    {
      guint r = find_root (parent, t);

      centres[2 * t] = centres[2 * r];
      centres[2 * t + 1] = centres[2 * r + 1];
    }
  return centres;
}

gint *
gp_delaunay_inedges (const GpDelaunay *d)
{
  gint *inedges = g_new (gint, d->n_points + 1);

  for (guint p = 0; p < d->n_points; p++)
    inedges[p] = -1;
  /* A hull edge where there is one, so that a walk round the point starts at an end. */
  for (guint e = 0; e < 3 * d->n_triangles; e++)
    {
      guint p = d->triangles[gp_delaunay_next (e)];

      if (d->halfedges[e] < 0 || inedges[p] < 0)
        inedges[p] = (gint) e;
    }
  return inedges;
}

/* Turns whose sine is below this share of the sides' lengths count as straight. */
#define CELL_STRAIGHT 1e-9

gboolean
gp_delaunay_cell (const GpDelaunay *d, const gint *inedges, const double *centres, guint p, GArray *ring)
{
  gint e0 = p < d->n_points ? inedges[p] : -1, e = e0;
  double sign = 0.0;
  guint n;

  g_array_set_size (ring, 0);
  if (e0 < 0)
    return FALSE;
  do
    {
      const double *c = &centres[2 * ((guint) e / 3)];
      guint out = gp_delaunay_next ((guint) e);

      /* The centre of a triangle merged with the one before adds no corner. */
      if (ring->len < 2 || g_array_index (ring, double, ring->len - 2) != c[0]
          || g_array_index (ring, double, ring->len - 1) != c[1])
        g_array_append_vals (ring, c, 2);
      if (d->triangles[out] != p)
        return FALSE;
      e = d->halfedges[out];
    }
  while (e != e0 && e >= 0);
  if (e < 0)
    return FALSE;
  /* Closed: the last corner is the first one again, or it is added. */
  n = ring->len / 2;
  if (n >= 2 && g_array_index (ring, double, 0) == g_array_index (ring, double, 2 * n - 2)
      && g_array_index (ring, double, 1) == g_array_index (ring, double, 2 * n - 1))
    n--;
  g_array_set_size (ring, 2 * n);
  if (n < 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const double *a = &g_array_index (ring, double, 2 * i), *b = &g_array_index (ring, double, 2 * ((i + 1) % n)),
                   *c = &g_array_index (ring, double, 2 * ((i + 2) % n));
      double ux = b[0] - a[0], uy = b[1] - a[1], vx = c[0] - b[0], vy = c[1] - b[1];
      double cross = ux * vy - uy * vx;

      if (fabs (cross) <= CELL_STRAIGHT * hypot (ux, uy) * hypot (vx, vy))
        continue;
      if (sign == 0.0)
        sign = cross;
      else if ((cross > 0.0) != (sign > 0.0))
        return FALSE;
    }
  {
    double first[2] = { g_array_index (ring, double, 0), g_array_index (ring, double, 1) };

    g_array_append_vals (ring, first, 2);
  }
  return TRUE;
}

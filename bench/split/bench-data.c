/* bench-data.c: the split benchmarks' seeded data generators. */
#include "bench-data.h"

#include <math.h>
#include <string.h>

/* A synthetic parent: clustered Voronoi-like units (hexagonal bricks of a jittered lattice,
 * squeezed towards town centres so unit sizes vary tenfold, with lakes cut out), the largest
 * connected piece kept so gpmetis -contig accepts it. */

typedef struct {
  double cx, cy, pull, radius;
} Town;

/* Pulls a point towards the towns: a smooth map with a positive Jacobian (each pull < 0.5),
 * so cells stay simple polygons and neighbours stay neighbours. */
static void
warp (const Town *towns, guint n_towns, double *x, double *y)
{
  double dx = 0.0, dy = 0.0;

  for (guint i = 0; i < n_towns; i++)
    {
      double rx = *x - towns[i].cx, ry = *y - towns[i].cy;
      double f = towns[i].pull * exp (-(rx * rx + ry * ry) / (towns[i].radius * towns[i].radius));
      dx -= f * rx;
      dy -= f * ry;
    }
  *x += dx;
  *y += dy;
}

typedef struct {
  guint  u, v;
  double len;
} Edge;

Units *
bench_clustered_units (guint target_n, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  /* Lakes take about a tenth of the lattice. */
  guint cols = (guint) ceil (sqrt (target_n / 0.9)), rows = cols;
  guint np = 2 * cols + 2, n_cells = rows * cols, n_towns = 3 + target_n / 4000;
  double side = 100.0 * cols;
  g_autofree double *px = g_new (double, (rows + 1) * np);
  g_autofree double *py = g_new (double, (rows + 1) * np);
  g_autofree gint *keep = g_new (gint, n_cells);
  g_autofree Town *towns = g_new (Town, n_towns);
  g_autofree double *cw = g_new (double, n_cells);
  g_autofree double *cx = g_new (double, n_cells);
  g_autofree double *cy = g_new (double, n_cells);
  g_autofree double *ca = g_new (double, n_cells);
  g_autofree double *cp = g_new (double, n_cells);
  g_autofree double *cring = g_new (double, 12 * n_cells);
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  guint n_lakes = 12;
  Units *u = g_new0 (Units, 1);

  for (guint i = 0; i < n_towns; i++)
    {
      towns[i].cx = g_rand_double_range (rand, 0.1, 0.9) * side;
      towns[i].cy = g_rand_double_range (rand, 0.1, 0.9) * side;
      towns[i].pull = g_rand_double_range (rand, 0.2, 0.45);
      towns[i].radius = g_rand_double_range (rand, 0.05, 0.2) * side;
    }
  for (guint r = 0; r <= rows; r++)
    for (guint j = 0; j < np; j++)
      {
        double x = 100.0 * (0.5 * j + g_rand_double_range (rand, -0.12, 0.12));
        double y = 100.0 * (r + g_rand_double_range (rand, -0.2, 0.2));
        warp (towns, n_towns, &x, &y);
        px[r * np + j] = x;
        py[r * np + j] = y;
      }
  /* Cells: hexagons from three points on each of two lines. */
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        guint v = r * cols + c, j0 = 2 * c + (r & 1);
        guint idx[6] = { r * np + j0, r * np + j0 + 1, r * np + j0 + 2,
                         (r + 1) * np + j0 + 2, (r + 1) * np + j0 + 1, (r + 1) * np + j0 };
        double a = 0.0, p = 0.0, sx = 0.0, sy = 0.0;

        for (guint i = 0; i < 6; i++)
          {
            guint k = idx[i], l = idx[(i + 1) % 6];
            a += px[k] * py[l] - px[l] * py[k];
            p += hypot (px[l] - px[k], py[l] - py[k]);
            sx += px[k] / 6.0;
            cring[12 * v + 2 * i] = px[k];
            cring[12 * v + 2 * i + 1] = py[k];
            sy += py[k] / 6.0;
          }
        ca[v] = fabs (a) / 2.0;
        cp[v] = p;
        cx[v] = sx;
        cy[v] = sy;
        cw[v] = g_rand_int_range (rand, 20, 81);
        keep[v] = 1;
      }
  for (guint i = 0; i < n_lakes; i++)
    {
      double lx = g_rand_double_range (rand, 0, 1) * side, ly = g_rand_double_range (rand, 0, 1) * side;
      double lr = g_rand_double_range (rand, 0.02, 0.08) * side;
      for (guint v = 0; v < n_cells; v++)
        if (hypot (cx[v] - lx, cy[v] - ly) < lr)
          keep[v] = 0;
    }
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      {
        guint v = r * cols + c, j0 = 2 * c + (r & 1);
        if (c + 1 < cols)
          {
            Edge e = { v, v + 1, hypot (px[r * np + j0 + 2] - px[(r + 1) * np + j0 + 2],
                                        py[r * np + j0 + 2] - py[(r + 1) * np + j0 + 2]) };
            g_array_append_val (edges, e);
          }
        if (r + 1 < rows)
          for (guint s = 0; s < 2; s++)
            {
              guint j = j0 + s, off = (r + 1) & 1, k = (r + 1) * np + j;
              Edge e = { v, 0, hypot (px[k + 1] - px[k], py[k + 1] - py[k]) };
              if (j < off || (j - off) / 2 >= cols)
                continue;
              e.v = (r + 1) * cols + (j - off) / 2;
              g_array_append_val (edges, e);
            }
      }

  /* Keep the largest piece left by the lakes. */
  {
    g_autofree guint *first = g_new (guint, n_cells + 1);
    g_autofree guint *nbr = g_new (guint, 2 * edges->len + 1);
    g_autofree guint *fill = NULL;
    g_autofree guint *queue = g_new (guint, n_cells);
    g_autofree gint *comp = g_new (gint, n_cells);
    guint best = 0, best_size = 0, n_comp = 0;

    memset (first, 0, (n_cells + 1) * sizeof (guint));
    for (guint i = 0; i < edges->len; i++)
      {
        Edge *e = &g_array_index (edges, Edge, i);
        first[e->u + 1]++;
        first[e->v + 1]++;
      }
    for (guint v = 0; v < n_cells; v++)
      first[v + 1] += first[v];
    fill = g_memdup2 (first, (n_cells + 1) * sizeof (guint));
    for (guint i = 0; i < edges->len; i++)
      {
        Edge *e = &g_array_index (edges, Edge, i);
        nbr[fill[e->u]++] = e->v;
        nbr[fill[e->v]++] = e->u;
      }
    for (guint v = 0; v < n_cells; v++)
      comp[v] = -1;
    for (guint s = 0; s < n_cells; s++)
      {
        guint head = 0, tail = 0;
        if (!keep[s] || comp[s] >= 0)
          continue;
        comp[s] = (gint) n_comp;
        queue[tail++] = s;
        while (head < tail)
          {
            guint v = queue[head++];
            for (guint e = first[v]; e < first[v + 1]; e++)
              if (keep[nbr[e]] && comp[nbr[e]] < 0)
                {
                  comp[nbr[e]] = (gint) n_comp;
                  queue[tail++] = nbr[e];
                }
          }
        if (tail > best_size)
          {
            best_size = tail;
            best = n_comp;
          }
        n_comp++;
      }
    /* Renumber the kept cells; keep[] becomes the new index or -1. */
    u->n = 0;
    for (guint v = 0; v < n_cells; v++)
      keep[v] = (keep[v] && comp[v] == (gint) best) ? (gint) u->n++ : -1;
  }

  u->w = g_new (double, u->n);
  u->x = g_new (double, u->n);
  u->y = g_new (double, u->n);
  u->area = g_new (double, u->n);
  u->perim = g_new (double, u->n);
  u->ring = g_new (double, 12 * u->n);
  for (guint v = 0; v < n_cells; v++)
    if (keep[v] >= 0)
      {
        guint i = (guint) keep[v];
        u->w[i] = cw[v];
        u->x[i] = cx[v];
        u->y[i] = cy[v];
        u->area[i] = ca[v];
        u->perim[i] = cp[v];
        memcpy (u->ring + 12 * i, cring + 12 * v, 12 * sizeof (double));
      }
  u->xadj = g_new0 (guint, u->n + 1);
  for (guint i = 0; i < edges->len; i++)
    {
      Edge *e = &g_array_index (edges, Edge, i);
      if (keep[e->u] >= 0 && keep[e->v] >= 0)
        {
          u->xadj[keep[e->u] + 1]++;
          u->xadj[keep[e->v] + 1]++;
        }
    }
  for (guint v = 0; v < u->n; v++)
    u->xadj[v + 1] += u->xadj[v];
  u->adj = g_new (guint, u->xadj[u->n] + 1);
  u->len = g_new (double, u->xadj[u->n] + 1);
  {
    g_autofree guint *fill = g_memdup2 (u->xadj, (u->n + 1) * sizeof (guint));
    for (guint i = 0; i < edges->len; i++)
      {
        Edge *e = &g_array_index (edges, Edge, i);
        guint a, b;
        if (keep[e->u] < 0 || keep[e->v] < 0)
          continue;
        a = (guint) keep[e->u];
        b = (guint) keep[e->v];
        u->adj[fill[a]] = b;
        u->len[fill[a]++] = e->len;
        u->adj[fill[b]] = a;
        u->len[fill[b]++] = e->len;
      }
  }
  g_array_free (edges, TRUE);
  return u;
}

Units *
bench_street_blocks (guint n, double street, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint side = MAX (2u, (guint) ceil (sqrt (n))), m = side * side;
  double block = 40.0, pitch = block + street;
  Units *u = g_new0 (Units, 1);
  guint e = 0;

  u->n = m;
  u->corners = 4;
  u->w = g_new (double, m);
  u->x = g_new (double, m);
  u->y = g_new (double, m);
  u->area = g_new (double, m);
  u->perim = g_new (double, m);
  u->ring = g_new (double, 8 * (gsize) m);
  u->xadj = g_new0 (guint, m + 1);
  u->adj = g_new (guint, 4 * (gsize) m);
  u->len = g_new (double, 4 * (gsize) m);
  /* Without streets the blocks tile: they share their (jittered) corners exactly. */
  g_autofree double *jx = g_new (double, (gsize) (side + 1) * (side + 1));
  g_autofree double *jy = g_new (double, (gsize) (side + 1) * (side + 1));

  for (gsize k = 0; k < (gsize) (side + 1) * (side + 1); k++)
    {
      jx[k] = g_rand_double_range (rand, -3.0, 3.0);
      jy[k] = g_rand_double_range (rand, -3.0, 3.0);
    }
  for (guint r = 0; r < side; r++)
    for (guint c = 0; c < side; c++)
      {
        guint v = r * side + c;
        double x0 = street / 2 + c * pitch, y0 = street / 2 + r * pitch;
        /* Clockwise from the south-west corner, as shapefiles want outer rings. */
        double xy[8] = { x0, y0, x0, y0 + block, x0 + block, y0 + block, x0 + block, y0 };
        const guint corner[4][2] = { { c, r }, { c, r + 1 }, { c + 1, r + 1 }, { c + 1, r } };

        for (guint k = 0; k < 4; k++)
          {
            gsize at = (gsize) corner[k][1] * (side + 1) + corner[k][0];

            /* With streets every block moves its own corners; tiling, the lattice moves them. */
            xy[2 * k] += street > 0.0 ? g_rand_double_range (rand, -3.0, 3.0) : jx[at];
            xy[2 * k + 1] += street > 0.0 ? g_rand_double_range (rand, -3.0, 3.0) : jy[at];
          }
        memcpy (u->ring + 8 * (gsize) v, xy, sizeof xy);
        u->w[v] = g_rand_int_range (rand, 20, 81);
        u->x[v] = x0 + block / 2;
        u->y[v] = y0 + block / 2;
        u->area[v] = pitch * pitch;
        u->perim[v] = 4 * pitch;
        u->xadj[v] = e;
        if (c > 0)
          u->adj[e] = v - 1, u->len[e++] = pitch;
        if (c + 1 < side)
          u->adj[e] = v + 1, u->len[e++] = pitch;
        if (r > 0)
          u->adj[e] = v - side, u->len[e++] = pitch;
        if (r + 1 < side)
          u->adj[e] = v + side, u->len[e++] = pitch;
      }
  u->xadj[m] = e;
  return u;
}

GpLayer *
bench_units_layer (const Units *u)
{
  GpLayer *layer = gp_layer_new ("units");
  guint corners = u->corners > 0 ? u->corners : 6;

  gp_layer_add_field (layer, "HH", GP_FIELD_INTEGER, 6, 0);
  for (guint v = 0; v < u->n; v++)
    {
      GpShape *shape = gp_shape_new (GP_SHAPE_POLYGON, GP_SHAPE_FLAGS_NONE, corners + 1, 1, 1);
      GpFeature *f;

      const double *ring = u->ring + 2 * (gsize) corners * v;
      double twice_area = 0.0;

      for (guint i = 0; i < corners; i++)
        twice_area += ring[2 * i] * ring[2 * ((i + 1) % corners) + 1] - ring[2 * ((i + 1) % corners)] * ring[2 * i + 1];
      /* Shapefiles want outer rings clockwise (negative area). */
      for (guint i = 0; i < corners; i++)
        {
          guint k = twice_area > 0.0 ? corners - 1 - i : i;

          shape->xy[2 * i] = ring[2 * k];
          shape->xy[2 * i + 1] = ring[2 * k + 1];
        }
      shape->xy[2 * corners] = shape->xy[0];
      shape->xy[2 * corners + 1] = shape->xy[1];
      f = gp_layer_append (layer, shape, v);
      f->values[0].is_null = FALSE;
      f->values[0].integer = (gint64) u->w[v];
    }
  return layer;
}

GpLayer *
bench_points_layer (guint n, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GpLayer *layer = gp_layer_new ("households");
  guint n_towns = 3 + n / 200000;
  double side = 40.0 * sqrt (n);

  gp_layer_add_field (layer, "N", GP_FIELD_INTEGER, 2, 0);
  for (guint k = 0; k < n; k++)
    {
      /* Half spread evenly, half around the towns (a Gaussian of a twentieth of the side). */
      double x, y;
      GpFeature *f;

      if (k % 2 == 0)
        {
          x = g_rand_double_range (rand, 0.0, side);
          y = g_rand_double_range (rand, 0.0, side);
        }
      else
        {
          guint t = g_rand_int_range (rand, 0, n_towns);
          double r = side / 20.0 * sqrt (-2.0 * log (g_rand_double_range (rand, 1e-12, 1.0)));
          double a = g_rand_double_range (rand, 0.0, 2.0 * G_PI);

          x = CLAMP (side * (0.2 + 0.6 * (t * 0.618034 - floor (t * 0.618034))) + r * cos (a), 0.0, side);
          y = CLAMP (side * (0.2 + 0.6 * (t * 0.414214 - floor (t * 0.414214))) + r * sin (a), 0.0, side);
        }
      f = gp_layer_append (layer, gp_shape_new_point (x, y), k);
      f->values[0].is_null = FALSE;
      f->values[0].integer = 1;
    }
  return layer;
}

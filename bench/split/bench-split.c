/* bench-split.c: the splitter's graph core against gpmetis -contig on seeded synthetic unit graphs. */
#include "bench-common.h"
#include "src/algo/gp-partition.h"

#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static Units *
make_units (guint target_n, guint32 seed)
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

/* Draws the units filled by grid, with grid outlines, to look at the shapes. */
static void
draw_png (const Units *u, const guint *part, const char *path)
{
  double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, maxy = -G_MAXDOUBLE, scale;
  cairo_surface_t *surface;
  cairo_t *cr;

  for (guint i = 0; i < 6 * u->n; i++)
    {
      minx = MIN (minx, u->ring[2 * i]);
      maxx = MAX (maxx, u->ring[2 * i]);
      miny = MIN (miny, u->ring[2 * i + 1]);
      maxy = MAX (maxy, u->ring[2 * i + 1]);
    }
  scale = 1600.0 / MAX (maxx - minx, maxy - miny);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1600, 1600);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  for (guint v = 0; v < u->n; v++)
    {
      guint32 h = part[v] * 2654435761u;
      for (guint i = 0; i < 6; i++)
        cairo_line_to (cr, (u->ring[12 * v + 2 * i] - minx) * scale,
                       1600 - (u->ring[12 * v + 2 * i + 1] - miny) * scale);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, 0.4 + 0.6 * ((h >> 8) & 255) / 255.0,
                            0.4 + 0.6 * ((h >> 16) & 255) / 255.0, 0.4 + 0.6 * ((h >> 24) & 255) / 255.0);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
      cairo_set_line_width (cr, 0.5);
      cairo_stroke (cr);
    }
  /* Grid outlines: centroid links between units of different grids, drawn as short bars. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 2.0);
  for (guint v = 0; v < u->n; v++)
    for (guint e = u->xadj[v]; e < u->xadj[v + 1]; e++)
      if (part[u->adj[e]] != part[v])
        {
          double x0 = (u->x[v] - minx) * scale, y0 = 1600 - (u->y[v] - miny) * scale;
          double x1 = (u->x[u->adj[e]] - minx) * scale, y1 = 1600 - (u->y[u->adj[e]] - miny) * scale;
          double mx = (x0 + x1) / 2, my = (y0 + y1) / 2, dx = (x1 - x0) / 2, dy = (y1 - y0) / 2;
          cairo_move_to (cr, mx - dy * 0.5, my + dx * 0.5);
          cairo_line_to (cr, mx + dy * 0.5, my - dx * 0.5);
          cairo_stroke (cr);
        }
  cairo_surface_write_to_png (surface, path);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* ---- main --------------------------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  g_autofree char *sizes_arg = NULL;
  g_autofree char *png_prefix = NULL;
  double target = 300.0;
  gint seed = 1, ufactor = 30, repeat = 1;
  gboolean no_metis = FALSE;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_arg, "Unit counts, comma separated (1000,10000,100000)", "N,N" },
    { "target", 0, 0, G_OPTION_ARG_DOUBLE, &target, "Households per grid (300)", "T" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the generated data (1)", "N" },
    { "ufactor", 0, 0, G_OPTION_ARG_INT, &ufactor, "gpmetis -ufactor (30)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Time our split as the best of N runs (1)", "N" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_prefix, "Draw our grids to PREFIX-N.png", "PREFIX" },
    { "no-metis", 0, 0, G_OPTION_ARG_NONE, &no_metis, "Do not run gpmetis", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- compare the splitter with gpmetis -contig");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sizes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *gpmetis = g_find_program_in_path ("gpmetis");
  gboolean have_metis = gpmetis != NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-split: %s\n", error->message);
      return 2;
    }
  sizes = g_strsplit (sizes_arg ? sizes_arg : "1000,10000,100000", ",", -1);
  dir = g_dir_make_tmp ("bench-split-XXXXXX", &error);
  if (dir == NULL)
    {
      fprintf (stderr, "bench-split: %s\n", error->message);
      return 1;
    }
  if (!have_metis && !no_metis)
    fprintf (stderr, "bench-split: gpmetis not found (apt-get install metis); skipping it\n");

  printf ("T = %g households, units of 20..80 households, seed %d, gpmetis -contig -ufactor=%d\n",
          target, seed, ufactor);
  bench_print_header ("units");
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint want = (guint) g_ascii_strtoull (sizes[i], NULL, 10);
      g_autoptr(Units) u = NULL;
      g_autofree char *name = NULL;
      GpPartitionGraph graph = { 0 };
      GpPartitionOptions options;
      double hh = 0.0;
      guint k;
      Score s;

      if (want < 10)
        continue;
      u = make_units (want, (guint32) seed + want);
      name = g_strdup_printf ("clustered %uk", want >= 1000 ? want / 1000 : want);
      for (guint v = 0; v < u->n; v++)
        hh += u->w[v];
      k = MAX (1, (guint) floor (hh / target + 0.5));

      graph.n_units = u->n;
      graph.households = u->w;
      graph.x = u->x;
      graph.y = u->y;
      graph.area = u->area;
      graph.perimeter = u->perim;
      graph.xadj = u->xadj;
      graph.adjncy = u->adj;
      graph.shared_length = u->len;
      gp_partition_options_init (&options);
      options.target = target;
      options.seed = (guint64) seed;
      {
        double best = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;
        g_autoptr(GpPartition) r = NULL;

        for (gint rep = 0; rep < MAX (repeat, 1); rep++)
          {
            gint64 t0 = g_get_monotonic_time ();
            clock_t c0 = clock ();
            g_clear_pointer (&r, gp_partition_free);
            r = gp_partition_compute (&graph, &options, &error);
            best = MIN (best, (g_get_monotonic_time () - t0) / 1e6);
            best_cpu = MIN (best_cpu, (double) (clock () - c0) / CLOCKS_PER_SEC);
            if (r == NULL)
              {
                fprintf (stderr, "bench-split: %s\n", error->message);
                return 1;
              }
          }
        s = bench_evaluate (u, r->grid_of_unit, r->n_grids, target);
        s.seconds = best;
        /* Our own figure is CPU time, which other work on the machine does not inflate. */
        s.seconds_own = best_cpu;
        bench_print_row (name, u->n, "gp_partition", &s);
        if (png_prefix != NULL)
          {
            g_autofree char *path = g_strdup_printf ("%s-%u.png", png_prefix, want);
            draw_png (u, r->grid_of_unit, path);
          }
        if (r->explanation != NULL && g_getenv ("BENCH_SPLIT_VERBOSE") != NULL)
          printf ("    %s\n", r->explanation);
      }
      if (have_metis && !no_metis)
        {
          if (bench_run_gpmetis (u, dir, k, FALSE, (guint) ufactor, target, &s))
            bench_print_row (name, u->n, "gpmetis -contig", &s);
          if (bench_run_gpmetis (u, dir, k, TRUE, (guint) ufactor, target, &s))
            bench_print_row (name, u->n, "gpmetis -contig, edge lengths", &s);
        }
    }
  g_rmdir (dir);
  return 0;
}

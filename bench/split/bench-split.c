/* bench-split.c: the splitter's graph core against gpmetis -contig on seeded synthetic unit graphs. */
#include "bench-common.h"
#include "bench-data.h"
#include "src/algo/gp-partition.h"

#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
      u = bench_clustered_units (want, (guint32) seed + want);
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

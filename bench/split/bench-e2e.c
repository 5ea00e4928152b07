/* bench-e2e.c: the whole `gridplan-cli split` run (read, adjacency, split, write) on seeded and shared data, against gpmetis -contig on the same graph and ogr2ogr on the same points. */
#include "bench-common.h"
#include "bench-data.h"
#include "src/io/gp-shp.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  const char *cli;
  const char *dir;
  double      target;
  gboolean    metis;
} Bench;

/* What our run reported about itself (from its JSON) and how long it took. */
typedef struct {
  double seconds, rss_mb;
  guint  grids, noncontiguous, islands;
  double within10, mean_pp, gap, overlap;
  gboolean ok;
} Run;

static void
print_header (void)
{
  printf ("| dataset | units | tool | wall s | peak MB | grids | w10 | broken | PP | gap m² | overlap m² |\n");
  printf ("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
}

static void
print_run (const char *dataset, guint n, const char *tool, const Run *r)
{
  if (!r->ok)
    {
      printf ("| %s | %u | %s | failed | | | | | | | |\n", dataset, n, tool);
      return;
    }
  printf ("| %s | %u | %s | %.2f | %.0f | %u | %.3f | %u | %.3f | %.2f | %.2f |\n", dataset, n, tool, r->seconds,
          r->rss_mb, r->grids, r->within10, r->noncontiguous, r->mean_pp, r->gap, r->overlap);
  fflush (stdout);
}

static void
print_score (const char *dataset, guint n, const char *tool, const Score *s)
{
  char rss[32] = "";

  if (s->rss_mb >= 0.0)
    g_snprintf (rss, sizeof rss, "%.0f", s->rss_mb);
  printf ("| %s | %u | %s | %.2f | %s | %u | %.3f | %u | %.3f | | |\n", dataset, n, tool, s->seconds, rss,
          s->n_parts, s->within10, s->noncontiguous, s->mean_pp);
  fflush (stdout);
}

static double
member_double (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_double_member (o, name) : NAN;
}

/* `gridplan-cli split FILE --weight FIELD --target T [--parent P] --json --grids OUT.gpkg`. */
static Run
run_cli (Bench *b, const char *file, const char *weight, const char *parent)
{
  g_autofree char *target = g_strdup_printf ("%g", b->target);
  g_autofree char *json_path = g_build_filename (b->dir, "report.json", NULL);
  g_autofree char *grids_path = g_build_filename (b->dir, "grids.gpkg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[16] = { b->cli, "split", file, "--weight", weight, "--target", target, "--json",
                           "--grids", grids_path };
  Run r = { 0 };
  guint k = 10;

  if (parent != NULL)
    {
      argv[k++] = "--parent";
      argv[k++] = parent;
    }
  argv[k] = NULL;
  g_unlink (grids_path);
  r.ok = bench_run_timed (argv, json_path, &r.seconds, &r.rss_mb)
         && g_file_get_contents (json_path, &text, NULL, NULL) && json_parser_load_from_data (parser, text, -1, NULL);
  if (r.ok)
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonObject *grids = json_object_get_object_member (root, "grids");
      JsonObject *coverage = json_object_get_object_member (root, "coverage");

      r.grids = (guint) member_double (grids, "count");
      r.within10 = member_double (grids, "within_10pct");
      r.noncontiguous = (guint) member_double (grids, "noncontiguous");
      r.mean_pp = member_double (grids, "mean_polsby_popper");
      r.gap = member_double (coverage, "gap_area_m2");
      r.overlap = member_double (coverage, "overlap_area_m2");
    }
  g_unlink (grids_path);
  g_unlink (json_path);
  return r;
}

/* Writes the layer MAKE (UNITS, N, SEED) gives to PATH, once, in a child process: the bench's
 * own process stays small, and a child forked from it does not inherit a large resident set
 * into its peak-memory figure. */
static gboolean
write_data (const char *path, GpLayer *(*make) (const Units *units, guint n, guint32 seed), const Units *units,
            guint n, guint32 seed)
{
  pid_t pid;
  int status = 0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GpLayer) layer = make (units, n, seed);

      if (!gp_shp_write (layer, path, &error))
        {
          fprintf (stderr, "bench-e2e: %s: %s\n", path, error->message);
          _exit (1);
        }
      _exit (0);
    }
  return waitpid (pid, &status, 0) == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static GpLayer *
make_units_layer (const Units *units, guint n, guint32 seed)
{
  return bench_units_layer (units);
}

static GpLayer *
make_points_layer (const Units *units, guint n, guint32 seed)
{
  return bench_points_layer (n, seed);
}

/* A generated set of units: written once, split by the CLI, and by gpmetis on its graph. */
static void
bench_units (Bench *b, const char *name, Units *u)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.shp", b->dir, name);
  double hh = 0.0;
  Run r;

  if (!write_data (path, make_units_layer, u, 0, 0))
    return;
  r = run_cli (b, path, "HH", NULL);
  print_run (name, u->n, "gridplan-cli split", &r);
  for (guint v = 0; v < u->n; v++)
    hh += u->w[v];
  if (b->metis)
    {
      Score s = { 0 };
      guint k = MAX (1, (guint) floor (hh / b->target + 0.5));

      if (bench_run_gpmetis (u, b->dir, k, FALSE, 30, b->target, &s))
        print_score (name, u->n, "gpmetis -contig (graph given)", &s);
    }
}

static void
bench_points (Bench *b, guint n)
{
  g_autofree char *name = g_strdup_printf ("points-%u", n);
  g_autofree char *path = g_strdup_printf ("%s/%s.shp", b->dir, name);
  g_autofree char *csv = g_strdup_printf ("%s/%s.csv", b->dir, name);
  const char *ogr[] = { "ogr2ogr", "-f", "CSV", csv, path, "-lco", "GEOMETRY=AS_XY", NULL };
  g_autofree char *ogr_path = g_find_program_in_path ("ogr2ogr");
  Run r;

  if (!write_data (path, make_points_layer, NULL, n, 7 + n))
    return;
  r = run_cli (b, path, "N", NULL);
  print_run (name, n, "gridplan-cli split", &r);
  if (ogr_path != NULL)
    {
      Run o = { 0 };

      g_unlink (csv);
      o.ok = bench_run_timed (ogr, NULL, &o.seconds, &o.rss_mb);
      g_unlink (csv);
      printf ("| %s | %u | ogr2ogr -f CSV (reading only) | %.2f | %.0f | | | | | | |\n", name, n, o.seconds,
              o.rss_mb);
    }
}

static void
bench_shared (Bench *b, const char *shared, const char *name, const char *rel, const char *weight,
              const char *parent, double target)
{
  g_autofree char *path = g_build_filename (shared, rel, NULL);
  double saved = b->target;
  Run r;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      printf ("| %s | | (absent: %s) | | | | | | | | |\n", name, path);
      return;
    }
  b->target = target;
  r = run_cli (b, path, weight, parent);
  b->target = saved;
  print_run (name, 0, "gridplan-cli split", &r);
}

int
main (int argc, char **argv)
{
  g_autofree char *sizes_arg = NULL, *cli = NULL, *dir = NULL, *shared = NULL, *points_arg = NULL;
  gboolean no_metis = FALSE, quick = FALSE;
  GOptionEntry entries[] = {
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "gridplan-cli to time (build/src/cli/gridplan-cli)", "PATH" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the data is written once (/tmp/gridplan-bench-split)", "DIR" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_arg, "Clustered unit counts (1000,10000,100000)", "N,N" },
    { "points", 0, 0, G_OPTION_ARG_STRING, &points_arg, "Household point counts (100000,1000000)", "N,N" },
    { "shared", 0, 0, G_OPTION_ARG_FILENAME, &shared, "../shared/data, for Providence, Delaware, SF", "DIR" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Only the sizes that finish in a minute", NULL },
    { "no-metis", 0, 0, G_OPTION_ARG_NONE, &no_metis, "Do not run gpmetis", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- time the whole split run");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sizes = NULL, points = NULL;
  g_autofree char *gpmetis = g_find_program_in_path ("gpmetis");
  Bench b = { 0 };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-e2e: %s\n", error->message);
      return 2;
    }
  b.cli = cli != NULL ? cli : "build/src/cli/gridplan-cli";
  b.dir = dir != NULL ? dir : "/tmp/gridplan-bench-split";
  b.target = 300.0;
  b.metis = gpmetis != NULL && !no_metis;
  g_mkdir_with_parents (b.dir, 0755);
  sizes = g_strsplit (sizes_arg != NULL ? sizes_arg : quick ? "1000,10000" : "1000,10000,100000", ",", -1);
  points = g_strsplit (points_arg != NULL ? points_arg : quick ? "100000" : "100000,1000000", ",", -1);

  printf ("T = %g households; wall time and peak memory of the whole process; w10: share of grids within "
          "±10%% of T; broken: grids not in one piece; PP: mean Polsby-Popper\n\n", b.target);
  print_header ();
  for (guint i = 0; sizes[i] != NULL; i++)
    {
      guint n = (guint) g_ascii_strtoull (sizes[i], NULL, 10);
      g_autofree char *name = g_strdup_printf ("clustered-%u", n);
      g_autoptr(Units) u = n >= 10 ? bench_clustered_units (n, 1 + n) : NULL;

      if (u != NULL)
        bench_units (&b, name, u);
    }
  {
    /* The same 10,000 blocks with 12 m streets between them, and touching (a tiling). */
    g_autoptr(Units) streets = bench_street_blocks (10000, 12.0, 11);
    g_autoptr(Units) tiling = bench_street_blocks (10000, 0.0, 11);

    bench_units (&b, "blocks-10000-streets", streets);
    bench_units (&b, "blocks-10000-tiling", tiling);
  }
  for (guint i = 0; points[i] != NULL; i++)
    bench_points (&b, (guint) g_ascii_strtoull (points[i], NULL, 10));
  if (shared != NULL)
    {
      bench_shared (&b, shared, "Providence blocks", "us/mggg-RI/Providence_blocks/Providence_blocks.shp", "TOTPOP",
                    NULL, 591.0);
      bench_shared (&b, shared, "Delaware precincts", "us/mggg-DE/DE_precincts/DE_precincts.shp", "TOTPOP", NULL,
                    20882.0);
      bench_shared (&b, shared, "SF block groups", "corpus/pyshp/blockgroups.shp", "HOUSEHOLDS", NULL, 5022.0);
    }
  return 0;
}

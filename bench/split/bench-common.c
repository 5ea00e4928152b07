/* bench-common.c: scoring, timed runs and gpmetis, shared by bench-split and bench-e2e. */
#include "bench-common.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

void
units_free (Units *u)
{
  g_free (u->w);
  g_free (u->x);
  g_free (u->y);
  g_free (u->area);
  g_free (u->perim);
  g_free (u->xadj);
  g_free (u->adj);
  g_free (u->len);
  g_free (u->ring);
  g_free (u);
}

/* ---- evaluation (the bench's own, from the graph alone) ---------------------------------- */

Score
bench_evaluate (const Units *u, const guint *part, guint k, double target)
{
  Score s = { .seconds_own = -1.0, .rss_mb = -1.0 };
  g_autofree double *hh = g_new0 (double, k);
  g_autofree double *area = g_new0 (double, k);
  g_autofree double *perim = g_new0 (double, k);
  g_autofree guint *pieces = g_new0 (guint, k);
  g_autofree guint *size = g_new0 (guint, k);
  g_autofree guint8 *seen = g_new0 (guint8, u->n);
  g_autofree guint *queue = g_new (guint, u->n);
  guint used = 0, in10 = 0, in20 = 0;
  double pp = 0.0;

  for (guint v = 0; v < u->n; v++)
    {
      guint p = part[v];
      hh[p] += u->w[v];
      area[p] += u->area[v];
      perim[p] += u->perim[v];
      size[p]++;
      for (guint e = u->xadj[v]; e < u->xadj[v + 1]; e++)
        if (part[u->adj[e]] == p)
          perim[p] -= u->len[e];
    }
  for (guint s0 = 0; s0 < u->n; s0++)
    {
      guint head = 0, tail = 0, p = part[s0];
      if (seen[s0])
        continue;
      pieces[p]++;
      seen[s0] = 1;
      queue[tail++] = s0;
      while (head < tail)
        {
          guint v = queue[head++];
          for (guint e = u->xadj[v]; e < u->xadj[v + 1]; e++)
            if (!seen[u->adj[e]] && part[u->adj[e]] == p)
              {
                seen[u->adj[e]] = 1;
                queue[tail++] = u->adj[e];
              }
        }
    }
  for (guint p = 0; p < k; p++)
    {
      double dev;
      if (size[p] == 0)
        continue;
      used++;
      dev = fabs (hh[p] - target) / target;
      in10 += dev <= 0.10 + 1e-12;
      in20 += dev <= 0.20 + 1e-12;
      s.max_dev = MAX (s.max_dev, dev);
      s.noncontiguous += pieces[p] > 1;
      pp += perim[p] > 0.0 ? 4.0 * G_PI * area[p] / (perim[p] * perim[p]) : 0.0;
    }
  s.n_parts = used;
  s.within10 = used ? (double) in10 / used : 0.0;
  s.within20 = used ? (double) in20 / used : 0.0;
  s.mean_pp = used ? pp / used : 0.0;
  return s;
}

void
bench_print_row (const char *dataset, guint n, const char *tool, const Score *s)
{
  char own[32] = "";

  char rss[32] = "";

  if (s->seconds_own >= 0.0)
    g_snprintf (own, sizeof own, " (%.3f)", s->seconds_own);
  if (s->rss_mb >= 0.0)
    g_snprintf (rss, sizeof rss, "%.0f", s->rss_mb);
  printf ("| %-20s | %7u | %-29s | %7.3f%-9s | %6s | %6u | %5.3f | %5.3f | %6.3f | %3u | %5.3f |\n",
          dataset, n, tool, s->seconds, own, rss, s->n_parts, s->within10, s->within20, s->max_dev,
          s->noncontiguous, s->mean_pp);
  fflush (stdout);
}

void
bench_print_header (const char *units_label)
{
  printf ("| %-20s | %7s | %-29s | %-16s | %6s | %6s | %5s | %5s | %6s | %3s | %5s |\n",
          "dataset", units_label, "tool", "wall s (own/cpu)", "MB", "grids", "w10", "w20", "maxdev",
          "nc", "PP");
  printf ("|----------------------|---------|-------------------------------|------------------|"
          "--------|--------|-------|-------|--------|-----|-------|\n");
}

/* ---- gpmetis ------------------------------------------------------------------------------ */

static gboolean
write_metis_graph (const Units *u, const char *path, gboolean edge_lengths)
{
  FILE *f = fopen (path, "w");

  if (f == NULL)
    return FALSE;
  fprintf (f, "%u %u %s\n", u->n, u->xadj[u->n] / 2, edge_lengths ? "011" : "010");
  for (guint v = 0; v < u->n; v++)
    {
      fprintf (f, "%.0f", u->w[v]);
      for (guint e = u->xadj[v]; e < u->xadj[v + 1]; e++)
        {
          fprintf (f, " %u", u->adj[e] + 1);
          if (edge_lengths)
            fprintf (f, " %ld", MAX (1L, lround (u->len[e])));
        }
      fputc ('\n', f);
    }
  return fclose (f) == 0;
}

gboolean
bench_run_gpmetis (const Units *u, const char *dir, guint k, gboolean edge_lengths, guint ufactor,
             double target, Score *score)
{
  g_autofree char *graph = g_build_filename (dir, edge_lengths ? "units-len.graph" : "units.graph", NULL);
  g_autofree char *part_path = g_strdup_printf ("%s.part.%u", graph, k);
  g_autofree char *ufactor_arg = g_strdup_printf ("-ufactor=%u", ufactor);
  g_autofree char *k_arg = g_strdup_printf ("%u", k);
  g_autofree char *out = NULL, *parts_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *part = g_new (guint, u->n);
  const char *argv[] = { "gpmetis", "-contig", ufactor_arg, graph, k_arg, NULL };
  const char *line;
  gint status = 0;
  gint64 t0;
  char *p;

  if (!write_metis_graph (u, graph, edge_lengths))
    return FALSE;
  t0 = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    {
      fprintf (stderr, "bench: gpmetis failed: %s\n", error ? error->message : out);
      return FALSE;
    }
  score->seconds = (g_get_monotonic_time () - t0) / 1e6;
  score->seconds_own = -1.0;
  line = strstr (out, "Partitioning:");
  if (line != NULL)
    score->seconds_own = g_ascii_strtod (line + strlen ("Partitioning:"), NULL);
  if (!g_file_get_contents (part_path, &parts_text, NULL, NULL))
    return FALSE;
  p = parts_text;
  for (guint v = 0; v < u->n; v++)
    part[v] = (guint) strtoul (p, &p, 10);
  {
    double wall = score->seconds, own = score->seconds_own;
    *score = bench_evaluate (u, part, k, target);
    score->seconds = wall;
    score->seconds_own = own;
  }
  g_unlink (graph);
  g_unlink (part_path);
  return TRUE;
}

gboolean
bench_run_timed (const char *const *argv, const char *out_path, double *seconds, double *rss_mb)
{
  struct rusage usage;
  gint64 t0 = g_get_monotonic_time ();
  int status = 0;
  pid_t pid;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      int out = open (out_path != NULL ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int null = open ("/dev/null", O_WRONLY);

      if (out >= 0)
        dup2 (out, 1);
      if (null >= 0)
        dup2 (null, 2);
      execvp (argv[0], (char *const *) argv);
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &usage) < 0)
    return FALSE;
  *seconds = (g_get_monotonic_time () - t0) / 1e6;
  /* ru_maxrss is in kilobytes on Linux. */
  *rss_mb = usage.ru_maxrss / 1024.0;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

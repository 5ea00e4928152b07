/* bench-common.h: what both split benchmarks share: a graph of units, the bench's own scoring
 * of a partition of it, and gpmetis -contig run on it. */
#pragma once

#include <glib.h>

/* Units of one parent as a graph: households, centre, area and perimeter per unit (metres),
 * and the boundary length each adjacent pair shares (CSR, both directions). */
typedef struct {
  guint   n;
  double *w, *x, *y, *area, *perim;
  guint  *xadj, *adj;
  double *len;
  double *ring;   /* corners per unit (x y), for drawing and writing shapefiles */
  guint   corners;/* corners per unit in ring: 0 means 6 (hexagons, counter-clockwise) */
} Units;

void units_free (Units *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Units, units_free)

typedef struct {
  double seconds;
  double seconds_own;  /* as the tool reports it, or -1 */
  guint  n_parts;
  double within10, within20, max_dev, mean_pp;
  guint  noncontiguous;
  double rss_mb;       /* peak resident memory of the tool's process, or -1 */
} Score;

/* Scores part[] (grid per unit, 0..k-1) from the graph alone: balance against target,
 * connected pieces per grid, Polsby-Popper with a grid's perimeter = its units' perimeters
 * less twice what they share. */
Score bench_evaluate (const Units *u, const guint *part, guint k, double target);

void bench_print_header (const char *units_label);
void bench_print_row (const char *dataset, guint n, const char *tool, const Score *s);

/* Writes u as a METIS graph (vertex weights = households; edge weights = shared metres when
 * edge_lengths), runs `gpmetis -contig -ufactor=U` on it for k parts, and scores the result;
 * score->seconds is the wall time of the gpmetis process alone. */
/* Runs ARGV (a program found in PATH), its standard output into OUT_PATH (NULL: discarded),
 * its standard error discarded; SECONDS of wall time and the peak resident memory in MB of the
 * process. FALSE when it cannot be run or exits with a status other than 0. */
gboolean bench_run_timed (const char *const *argv, const char *out_path, double *seconds, double *rss_mb);

gboolean bench_run_gpmetis (const Units *u, const char *dir, guint k, gboolean edge_lengths,
                            guint ufactor, double target, Score *score);

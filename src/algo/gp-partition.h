/* gp-partition.h: the splitter's graph core: cut a unit adjacency graph into contiguous, compact grids of about T households. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One parent's units as a graph. Every array has n_units entries unless said otherwise, and
 * lengths and areas are in a metric frame (metres). The adjacency is CSR: the neighbours of unit
 * u are adjncy[xadj[u] .. xadj[u + 1] - 1]; it must be symmetric (u lists v as often as v lists
 * u, with the same shared length) and must not list a unit as its own neighbour. */
typedef struct {
  guint         n_units;
  const double *households;    /* weight, >= 0 */
  const double *x, *y;         /* a point inside the unit (its centroid) */
  const double *area;          /* >= 0 */
  const double *perimeter;     /* >= 0, the whole outline including the outer boundary */
  const guint  *xadj;          /* n_units + 1 offsets into adjncy and shared_length */
  const guint  *adjncy;
  /* Length of the boundary each neighbour shares, >= 0 (0 joins units that only count as
   * neighbours, e.g. a unit touching nothing attached to its nearest one). NULL: all 1. */
  const double *shared_length;
  /* NULL, or per unit -1 (free) or the id (>= 0) of a locked grid the unit belongs to. Locked
   * grids keep exactly their units: none leaves them and none is added. */
  const gint   *locked;
} GpPartitionGraph;

typedef struct {
  double  target;     /* T: households per grid, > 0 */
  double  tolerance;  /* accepted relative deviation from T (0.15: ±15%) */
  /* Grids to make from the free units (oversize units and empty pieces included); 0: each
   * separate piece of the free units gets max (1, round (households / T)). */
  guint   n_grids;
  guint64 seed;       /* the same seed and graph give the same grids */
  /* Threads a large graph's two halves may use (0 or 1: this one). The grids are the same
   * whatever the number: a large area is always cut in halves first. */
  guint   n_threads;
} GpPartitionOptions;

/* Sets tolerance 0.15, n_grids 0, seed 0 and target 0 (the caller must set it). */
void gp_partition_options_init (GpPartitionOptions *options);

typedef enum {
  GP_PARTITION_GRID_LOCKED        = 1 << 0, /* a locked grid, kept as passed in */
  GP_PARTITION_GRID_OVERSIZE      = 1 << 1, /* one unit above T × (1 + tolerance) */
  GP_PARTITION_GRID_EMPTY         = 1 << 2, /* a piece with no households, touching no grid it may join */
  /* The only grid of a piece of the area cut off from the rest (by water, locked grids or
   * oversize units) whose households are too few or too many for whole grids. */
  GP_PARTITION_GRID_ISLAND        = 1 << 3,
  GP_PARTITION_GRID_OFF_TARGET    = 1 << 4, /* outside T ± tolerance */
  GP_PARTITION_GRID_NONCONTIGUOUS = 1 << 5, /* only a locked grid passed in that way */
} GpPartitionGridFlags;

typedef struct {
  double               households;
  guint                n_units;
  double               area;
  double               perimeter;     /* members' perimeters less twice their shared boundaries */
  double               polsby_popper; /* 4π·area / perimeter², 0 when the perimeter is 0 */
  double               x, y;          /* area-weighted mean of the members' points */
  gint                 locked_id;     /* the caller's locked grid id, or -1 */
  guint                piece;         /* which separate piece (connected component) it lies in */
  GpPartitionGridFlags flags;
} GpPartitionGrid;

typedef struct {
  guint            n_units;
  guint           *grid_of_unit;  /* n_units entries, each < n_grids */
  guint            n_grids;
  GpPartitionGrid *grids;
  /* Over the grids that are not locked (0 when there are none). */
  guint            n_free_grids;
  double           within_10pct;  /* shares 0..1 of grids within ±10% / ±20% / ±tolerance of T */
  double           within_20pct;
  double           within_tolerance;
  double           max_rel_dev;   /* max |households - T| / T */
  double           mean_polsby_popper;
  guint            n_oversize;
  guint            n_empty;
  guint            n_noncontiguous; /* locked grids passed in broken; the split never makes one */
  /* NULL when every grid is within tolerance and nothing had to give way; otherwise what could
   * not be met and why, in the planner's words, translated. */
  char            *explanation;
} GpPartition;

/* Splits the free units (those not locked) into grids. Every grid made is connected in the
 * graph; each separate piece gets grids of its own; a unit heavier than T × (1 + tolerance)
 * becomes a grid by itself; units without households join a neighbouring grid. Fails only on a
 * malformed graph or options (GP_ERROR_INVALID_ARGUMENT). */
GpPartition *gp_partition_compute (const GpPartitionGraph   *graph,
                                   const GpPartitionOptions *options,
                                   GError                  **error);
void         gp_partition_free    (GpPartition *partition);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpPartition, gp_partition_free)

G_END_DECLS

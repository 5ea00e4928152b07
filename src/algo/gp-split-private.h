/* gp-split-private.h: what the splitter's files share; not for use outside src/algo. */
#pragma once

#include <geos_c.h>
#include <glib.h>
#include <math.h>

#include "gp-parallel.h"

G_BEGIN_DECLS

#define NONE G_MAXUINT

/* Overlays run in floating point, which keeps new corners on the borders they were cut from;
 * when GEOS gives up on dirty input (a topology exception) they are redone with snap-rounding
 * to a grid of 1 µm (in local metres). Input polygons are put on that grid from the start.
 * Results keep only polygons. (Snap-rounding is not the default: GEOS 3.11 seeds a random
 * device for every such overlay, which costs more than the overlay of a small polygon.) */
#define GRID_SIZE 1e-6
/* Uncovered territory comes from overlays of the cells, so it meets them to within rounding:
 * its borders are matched with this tolerance, not with the snap distance meant for dirty data
 * (a piece 0.3 m from a cell does not touch it). */
#define TOUCH 1e-3
/* How far a corner of a unit may come back from a round trip through the local frame and still
 * be taken for itself: about a millimetre in degrees, 0.1 mm in metres (PROJ round trips come
 * back within 1e-10° or 1e-8 m; corners of real units are centimetres apart at the least). */
#define SOURCE_EPS_DEGREES 1e-8
#define SOURCE_EPS_METRES  1e-4
/* A cell whose outline runs free of its neighbours for less than this (metres) borders no bare
 * ground worth sharing out along its middle (what is there is rounding, handed out as crumbs). */
#define EXPOSED_MIN 0.01

/* Tuning numbers of the splitter, each with its reason. */
/* A piece of a unit under this share of its largest piece is a fragment (left by trimming, or a
 * yard across a road); a gap piece under this share of a mean grid is small enough to go whole
 * to the grid it borders most. */
#define FRAGMENT_SHARE 0.05
/* A piece under this share of what it belongs to is a crumb of rounding, not ground. */
#define CRUMB_SHARE 1e-6
/* A border shorter than this (metres) is a touch at a corner, not a shared edge. */
#define SHARED_MIN 1e-6
/* Sums of many areas carry rounding of about 1e-12 of the total: areas this close (relative)
 * count as equal (a coverage union is trusted; no gap is left to hand out). */
#define AREA_ROUNDING 1e-9
#define GAP_ROUNDING 1e-11
/* Overlaps under this (m²) are rounding, not units lying on one another. */
#define OVERLAP_MIN 1e-8
/* Rounds of joining separate pieces of the graph to their nearest neighbour: each round at
 * least halves their number, so this is never reached on real data. */
#define LINK_ROUNDS 64
/* Node capacity of the GEOS STR trees (GEOS's own default). */
#define STRTREE_NODES 10
/* Mitred corners longer than this many buffer distances are bevelled (closings of units). */
#define MITRE_LIMIT 4.0
/* Geometry mode: lattice cells per grid (enough for compact pieces of equal share), at most. */
#define LATTICE_CELLS_PER_GRID 40
#define LATTICE_CELLS_MAX 20000
/* Quadtree of household points: a leaf holds at most this many places, or is this deep. */
#define QUADTREE_LEAF_PLACES 4
#define QUADTREE_DEPTH 24
/* Items a thread takes at a time in job_parallel: big enough that taking them costs nothing
 * beside their work, small enough that threads finish together. */
#define UNION_CHUNK 64
#define REBUILD_CHUNK 256
#define PAIR_BUCKETS_CHUNK 4096
#define POINTS_CHUNK 4096
#define CELLS_CHUNK 256
#define SEGMENTS_CHUNK 1024

/* With G_MESSAGES_DEBUG=gridplan-split, how long a step inside a stage took (for bench/split). */
static inline void
split_lap (const char *step, gint64 *since)
{
  gint64 now = g_get_monotonic_time ();

  g_log ("gridplan-split", G_LOG_LEVEL_DEBUG, "  … %s %.3f s", step, (now - *since) / 1e6);
  *since = now;
}

static inline void
geom_free (GEOSContextHandle_t ctx, GEOSGeometry *g)
{
  if (g != NULL)
    GEOSGeom_destroy_r (ctx, g);
}

static inline double
geom_area (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  double a = 0.0;

  if (g == NULL || !GEOSArea_r (ctx, g, &a) || !isfinite (a))
    return 0.0;
  return a;
}

/* Union-find: the root of V, halving the path on the way. */
static inline guint
find_root (guint *parent, guint v)
{
  while (parent[v] != v)
    {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
  return v;
}

/* Order of points by x, then y (-1, 0, 1), for sorting places. */
static inline int
compare_xy (double ax, double ay, double bx, double by)
{
  if (ax != bx)
    return ax < bx ? -1 : 1;
  if (ay != by)
    return ay < by ? -1 : 1;
  return 0;
}

/* Appends a copy of every non-empty polygon of G to OUT. */
void          gp_split_collect_polygons (GEOSContextHandle_t ctx, const GEOSGeometry *g, GPtrArray *out);
/* Keeps only the polygons of G (taken), as a Polygon or MultiPolygon; NULL when none is left. */
GEOSGeometry *gp_split_polygonal        (GEOSContextHandle_t ctx, GEOSGeometry *g);
/* Overlays with their polygonal results; NULL on failure. */
GEOSGeometry *gp_split_difference       (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b);
GEOSGeometry *gp_split_intersection     (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b);
GEOSGeometry *gp_split_union            (GEOSContextHandle_t ctx, const GEOSGeometry *g);

/* Grows each of the N CELLS (inside FREE_AREA, not overlapping; NULL entries left out) by the
 * part of FREE_AREA's uncovered ground nearest to it, cut along the middle of the ground between
 * cells, so that the cells tile FREE_AREA exactly and neighbours share their edges. EXPOSED: per
 * cell, the length of its outline not shared with other cells (0: it borders no bare ground). Pieces of bare
 * ground that touch no cell are counted in N_STRANDED. FALSE (cells unchanged or partly grown)
 * when GEOS gives up. */
gboolean      gp_split_territories      (GEOSContextHandle_t ctx, const GEOSGeometry *free_area,
                                         GEOSGeometry **cells, guint n, const double *exposed,
                                         guint n_threads, guint *n_stranded);


/* ---- the work of one area, shared by the splitter's files ---- */

#include "gp-crs.h"
#include "gp-partition.h"
#include "gp-split.h"

typedef struct _SourceIndex SourceIndex;
typedef struct _Mesh Mesh;

/* How far an area's work is after each stage (shares of its time on street-separated blocks). */
#define PROGRESS_TERRITORIES 0.6
#define PROGRESS_PARTITION   0.7

typedef struct {
  double x0, y0, x1, y1;
  guint  owner;
  guint  cls;
} Seg;

typedef struct {
  guint    u, v;      /* owners, u < v */
  double   shared;    /* length run side by side in opposite directions (a shared border) */
  gboolean suspect;   /* the outlines cross or run the same way: the two may overlap */
} PairRec;

/* What the areas' jobs share to tell how far the whole run is. */
typedef struct {
  GMutex                lock;
  const GpSplitOptions *options;
  double               *done;      /* per area, 0..1 */
  guint                 n_areas;
  double                reported;
} Progress;

typedef struct {
  const GpSplitArea    *in;
  guint                 index;     /* of the area in the run */
  Progress             *progress;
  const GpSplitOptions *options;
  GAsyncQueue          *frames;   /* of GpLocalFrame*, one per thread */
  GpLocalFrame         *frame;    /* borrowed from frames while working */
  /* Longest edge (source units) kept straight on the way into the local frame, 0: any. */
  double                densify;
  GEOSContextHandle_t   ctx;
  GpSplitResult        *result;
  GError               *error;
  GPtrArray            *notes;    /* of char* */
  GString              *explanation;
  struct _SourceIndex  *sources;  /* the units' own corners, built on first need */
  guint                 helpers;  /* threads this area may use for its own loops (≥ 1) */
  GpLocalFrame        **thread_frames; /* per helper thread: [0] is frame, the others copies */
  Mesh                 *mesh;     /* the units' triangulation, when the area was drawn from it */
} Job;


/* The cells the graph core groups: units, household cells or lattice cells, all in the local
 * frame, inside the free territory and (after trimming) not overlapping. */
typedef struct {
  guint          n;
  GEOSGeometry **geom;       /* owned; NULL: left out */
  double        *households;
  guint         *grid;       /* result: grid of each cell, NONE when left out */
  double        *point_xy;   /* result: a point inside each cell as it was before it took its
                              * share of the uncovered territory (NaN when left out) */
  gboolean      *cut;        /* NULL, or per cell: clipped or trimmed (it may hold fragments) */
  gboolean       kind_units; /* cell i is unit i of the area */
  /* NULL, or the cells' shared borders as they were made (Voronoi cells: from their
   * triangulation), PairRecs sorted by (u, v): then not measured again. */
  GArray        *pairs;
} Cells;

typedef struct {
  guint  u, v;
  double len;
} Edge;

typedef struct {
  guint         k;            /* grids made */
  GEOSGeometry **geom;        /* per grid, local */
  double       *households;
  guint        *n_cells;
  GpPartitionGridFlags *flags;
} Made;

typedef struct {
  GEOSGeometry *geom;        /* local */
  double        households;
  guint        *units;
  guint         n_units;
  GpSplitGridFlags flags;
  char         *code;
  double        x, y, area;
  guint         order;       /* fixed grids: their index in the input */
} Out;

typedef struct {
  double   x, y;
  guint    label;
} Sample;

typedef struct {
  GEOSContextHandle_t ctx;
  const GEOSGeometry *cell;
  const Sample       *samples;
  guint               found;
} CellQuery;

/* gp-split.c: the job of one area */
const char    *area_label (Job *job);
void          grid_free (GpSplitGrid *grid);
gboolean      job_cancelled (Job *job, GError **error);
void          job_explain (Job *job, const char *text);
void          job_note (Job *job, const char *format, ...) G_GNUC_PRINTF (2, 3);
void          job_progress (Job *job, double fraction);
void          job_parallel (Job *job, guint n, guint chunk, GpRangeFunc func, gpointer data);
GpLocalFrame  **job_thread_frames (Job *job);
GEOSGeometry  *to_local (Job *job, const GpShape *shape, GError **error);
char          *unit_label (Job *job, guint u);

/* gp-split-geom.c: overlays and unions */
GEOSGeometry  *fill_hairline_holes (GEOSContextHandle_t ctx, GEOSGeometry *g, double width);
GEOSGeometry  *union_take (GEOSContextHandle_t ctx, GPtrArray *parts);

/* gp-split-borders.c: shared borders */
int           compare_pair (const void *pa, const void *pb);
void          geom_segments (GEOSContextHandle_t ctx, const GEOSGeometry *g, guint owner, guint cls, GArray *segs, GArray *scratch);
GArray        *segment_pairs (GArray *input, double tol, gboolean mixed_only, guint n_threads);
double        shared_border (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b, double tol);

/* gp-split-gaps.c: units made to meet */
void          cell_query_visit (void *item, void *user_data);
guint         drop_fragments (GEOSContextHandle_t ctx, Cells *cells, GArray *pairs, double snap);
gboolean      hand_out_gaps (Job *job, const GEOSGeometry *free_area, GEOSGeometry **grid_geom, guint k, GError **error);
gboolean      leaves_gaps (GEOSContextHandle_t ctx, const GEOSGeometry *free_area, GEOSGeometry **geoms, guint n);
void          link_pieces (Job *job, Cells *cells, const double *perimeter, const double *shared_total, GArray *edges);
guint         trim_overlaps (Job *job, Cells *cells, GArray *pairs);

/* gp-split-cells.c: what the graph core groups */
GEOSGeometry  *area_from_units (Job *job, GEOSGeometry **unit_geom, gboolean try_mesh, gboolean *clip);
void          cells_clear (GEOSContextHandle_t ctx, Cells *cells);
gboolean      cells_from_lattice (Job *job, const GEOSGeometry *free_area, double households, Cells *cells, GError **error);
gboolean      cells_from_points (Job *job, const double *local_xy, const GEOSGeometry *free_area, gboolean all_inside,
                                 Cells *cells, guint *site_of, GError **error);
gboolean      cells_from_units (Job *job, const gboolean *in_fixed, GEOSGeometry **unit_geom, const GEOSGeometry *parent, const GEOSGeometry *free_area, gboolean clip, Cells *cells, GError **error);
GEOSGeometry  *convex_hull (GEOSContextHandle_t ctx, const double *xy, guint n);

/* gp-split-mesh.c: the area of units with streets between them and their territories, from
 * one triangulation keeping the units' edges. mesh_new: NULL when the units overlap or their
 * edges cross (then GEOS does it); GAP: the typical street, the closing's radius. */
Mesh          *mesh_new (GEOSContextHandle_t ctx, GEOSGeometry *const *cells, guint n, double gap);
void          mesh_free (Mesh *m);
/* The units and the ground between them closed by the gap, as one polygon (or several). */
GEOSGeometry  *mesh_area (GEOSContextHandle_t ctx, const Mesh *m);
/* CELLS (the very units the mesh was made of) replaced by their territories, which tile the
 * mesh's area exactly, and PAIRS their shared borders; FALSE (cells unchanged) when some
 * cannot be traced. */
gboolean      mesh_territories (Job *job, Mesh *m, GEOSGeometry **cells, guint n, GArray **pairs);
/* OUT: per grid (GRID: per cell, K grids), the outline of its cells' territories, traced from
 * the mesh after mesh_territories; FALSE (OUT untouched) when a cell is in no grid. */
gboolean      mesh_grids (Job *job, const Mesh *m, const guint *grid, guint k, GEOSGeometry **out);

/* gp-split-resplit.c: re-splits that stay put */
void          code_shares (Job *job, GpSplitMode mode, Out *news, guint n_new, const double *local_points, const Cells *cells, GArray *shares, double *new_weight, double *old_weight);
gint          *keep_unchanged (Job *job, const guint *index, guint n_cells, guint m, const guint *xadj, const guint *adjncy, const double *weight);

/* gp-split-outline.c: back to the source CRS */
void          restore_source_corners (Job *job, GpShape **shapes, guint n);
void          source_index_free (SourceIndex *idx);
SourceIndex   *source_index_new (Job *job);
GpShape       *to_source (GEOSContextHandle_t ctx, GpLocalFrame *frame, const GEOSGeometry *g, GError **error);

/* gp-split-area.c: one area from start to end */
gboolean      run_area (Job *job, GError **error);

G_END_DECLS

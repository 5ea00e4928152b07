/* gp-split.h: the splitter: cut villages/communities into household-balanced, contiguous grids that cover them exactly. */
#pragma once

#include <geos_c.h>
#include <gio/gio.h>
#include <glib.h>

#include "gp-crs.h"
#include "gp-shape.h"
#include "gp-split-report.h"

G_BEGIN_DECLS

typedef enum {
  GP_SPLIT_MODE_AUTO = 0,   /* units when there are any, else household points, else geometry */
  GP_SPLIT_MODE_UNITS,      /* indivisible compounds / villager groups / buildings */
  GP_SPLIT_MODE_POINTS,     /* household points: their Voronoi cells clipped to the area */
  GP_SPLIT_MODE_GEOMETRY,   /* the area's household total spread evenly over its territory */
} GpSplitMode;

const char *gp_split_mode_name (GpSplitMode mode);   /* "units", "points", "geometry", "auto" */

typedef struct {
  double      target;      /* T: households per grid, > 0 */
  double      tolerance;   /* accepted relative deviation (0.15 = ±15%) */
  guint64     seed;        /* the same seed and data give the same grids */
  GpSplitMode mode;
  /* A detached bit of a unit (under 5% of it) closer than this (metres) to other units goes
   * with the uncovered territory instead of making an exclave of its grid. */
  double      snap;
  guint       n_threads;   /* areas split in parallel; 0: one thread per core */
  /* Redraw every grid, earlier grids only lending their codes to the ground they shared. */
  gboolean    fresh;
  /* Checked between areas and between the stages of one; cancelled: gp_split_run fails with
   * G_IO_ERROR_CANCELLED. NULL: never. */
  GCancellable *cancellable;
  /* Called from the working threads (one call at a time) as the work advances: FRACTION of the
   * whole done (0..1, never decreasing), the code of the area that advanced (NULL: none). */
  void        (*progress) (double fraction, const char *area_code, gpointer user_data);
  gpointer      progress_data;
  /* The origin of the local metric frame (source CRS): a project's stored one, so splitting one
   * area measures as splitting all does. FALSE: the centre of the areas split. */
  gboolean      has_frame_origin;
  double        frame_origin[2];
} GpSplitOptions;

/* target 0 (the caller must set it), tolerance 0.15, seed 0, mode auto, snap 0.5 m, threads 0,
 * not fresh, no cancellable, no progress. */
void gp_split_options_init (GpSplitOptions *options);

/* A grid kept as it is (locked, or an exclusive grid 专属网格): its polygon and its units. */
typedef struct {
  const char    *code;
  const GpShape *shape;      /* source CRS; NULL: the union of its units */
  const guint   *units;      /* indices into the area's units */
  guint          n_units;
  gboolean       exclusive;
  double         households; /* used when it has no units */
} GpSplitFixedGrid;

/* A grid of an earlier split of the area. Unless options->fresh, a grid whose units are all
 * still there with the same households (and within tolerance) is kept as it is, and only the
 * ground around changes is redrawn. Codes follow ground: a new grid takes the code of the old
 * grid it shares most households with (at least half of its own). */
typedef struct {
  const char    *code;
  const guint   *units;      /* indices into the area's units (units mode) */
  guint          n_units;
  const GpShape *shape;      /* source CRS, for the other modes; NULL: none */
  double         households; /* as stored; < 0: not known (the grid is then redrawn) */
} GpSplitPreviousGrid;

/* One village/community and what is known inside it, in the source CRS. */
typedef struct {
  const char                *code;       /* its code (12 digits ideally); NULL: none */
  /* Its polygon(s); NULL: the union of its units, or in the points mode the hull of its
   * household points grown by a metre. */
  const GpShape             *shape;
  double                     households; /* its total, for the geometry mode; < 0 unknown */
  guint                      n_units;
  const GpShape *const      *units;      /* polygons; NULL entries are left out with a note */
  const double              *unit_households;
  const char *const         *unit_names; /* for notes; NULL: "unit N" */
  guint                      n_points;
  const double              *points_xy;  /* household points, x y interleaved */
  const double              *point_households;   /* NULL: 1 each */
  guint                      n_fixed;
  const GpSplitFixedGrid    *fixed;
  guint                      n_previous;
  const GpSplitPreviousGrid *previous;
} GpSplitArea;

typedef enum {
  GP_SPLIT_GRID_FIXED      = 1 << 0,  /* a locked or exclusive grid passed in, kept as it is */
  GP_SPLIT_GRID_EXCLUSIVE  = 1 << 1,
  GP_SPLIT_GRID_OVERSIZE   = 1 << 2,  /* one unit above T × (1 + tolerance) */
  GP_SPLIT_GRID_OFF_TARGET = 1 << 3,  /* outside T ± tolerance */
  GP_SPLIT_GRID_KEPT_CODE  = 1 << 4,  /* the code of the earlier grid on the same ground */
  /* The code was kept but more than half of the earlier grid's households are elsewhere now:
   * whoever served it must be placed again. */
  GP_SPLIT_GRID_MOVED      = 1 << 5,
  GP_SPLIT_GRID_UNCHANGED  = 1 << 6,  /* an earlier grid kept exactly, nothing about it changed */
} GpSplitGridFlags;

typedef struct {
  char            *code;
  GpShape         *shape;       /* source CRS, a MultiPolygon (GP_SHAPE_FORCE_MULTI) */
  double           households;
  guint            n_units;
  guint           *units;       /* ascending indices into the area's units */
  double           area_m2;
  double           x, y;        /* centroid in the local frame (metres) */
  GpSplitGridFlags flags;
} GpSplitGrid;

/* The grids of one area: the fixed ones first (in the order given), then the new ones in code
 * order. */
typedef struct {
  GpSplitMode        mode;        /* the mode used */
  GPtrArray         *grids;       /* of GpSplitGrid */
  guint             *grid_of_unit;/* per unit: index into grids, or G_MAXUINT (left out) */
  char              *explanation; /* what could not be met and why, or NULL */
  GPtrArray         *notes;       /* of char*: data problems met (units outside the area ...) */
  GpSplitReportPart *quality;     /* measured on the final polygons */
} GpSplitResult;

void gp_split_result_free (GpSplitResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSplitResult, gp_split_result_free)

/* The quality report of RESULTS (as gp_split_run returns them): their mode ("mixed" when the
 * areas used several), explanations, notes and measured parts (taken from the results). */
GpSplitReport *gp_split_report_from_results (GPtrArray *results, double target, double tolerance);

/* Splits each area (all in CRS; NULL: unknown, taken as lon/lat when the numbers say so, else as
 * metres) into grids, areas in parallel. Returns one GpSplitResult per area, in order. Fails
 * (with the lowest-numbered failing area named) only when geometry cannot be used at all or the
 * options are unusable; what merely cannot be met is explained in each result. */
GPtrArray *gp_split_run (GpCrs                *crs,
                         const GpSplitArea    *areas,
                         guint                 n_areas,
                         const GpSplitOptions *options,
                         GError              **error);

/* How the splitter brings shapes into a local frame, for measuring stored grids the same way:
 * the longest edge kept straight (lon/lat edges are curves in metres: 4e-4°, about 50 m; 0 for
 * projected data), and a shape as a valid polygonal GEOS geometry in FRAME (NULL: no polygon). */
double        gp_split_densify_length (GpCrs *crs, const double bbox[4]);
GEOSGeometry *gp_split_to_local       (GEOSContextHandle_t ctx, GpLocalFrame *frame,
                                       const GpShape *shape, double densify, GError **error);

G_END_DECLS

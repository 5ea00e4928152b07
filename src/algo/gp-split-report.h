/* gp-split-report.h: the quality report of a split (`split --json`, `report --json`), measured on the final grid geometries. */
#pragma once

#include <geos_c.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One area's grids as they are, in a local metric frame (metres). Nothing here is taken from the
 * splitter's own statistics: households are counted again by locating each unit's (or
 * household's) point in the grid polygons, and every area is measured on the polygons. */
typedef struct {
  const GEOSGeometry        *parent;       /* the area; NULL: gap, crossing and islands not measured */
  guint                      n_grids;
  const GEOSGeometry *const *grids;        /* NULL entries: a grid without geometry */
  /* Per grid: counts towards the household figures (basic grids the split sized); NULL: all. */
  const gboolean            *sized;
  /* Per grid: its number of units, or -1 when not known; a grid of one unit above
   * T × (1 + tolerance) is oversize. NULL: oversize not counted. */
  const gint                *n_units;
  /* Where households are: n_points points (x, y interleaved) with their households (NULL: 1
   * each). Without points (n_points 0) the grids' own figures (grid_households) are used. */
  guint                      n_points;
  const double              *points_xy;
  const double              *point_households;
  /* Per point: the grid the split put it in (G_MAXUINT: none), tried first; NULL: none. */
  const guint               *point_grid;
  const double              *grid_households;
  /* Per grid: the households of its largest unit (NULL: not known, then a grid of one unit
   * above T × (1 + tolerance) is the oversize one); a grid whose largest unit is above that is
   * oversize, whatever else joined it. */
  const double              *largest_unit;
  /* For naming what the report finds: the area's code, and per grid its code (NULL: none). */
  const char                *area_code;
  const char *const         *codes;
  /* Threads the measure may use (0 or 1: the calling one only). */
  guint                      n_threads;
} GpSplitMeasureInput;

/* What one area contributes to the report; thread-safe to compute. */
typedef struct _GpSplitReportPart GpSplitReportPart;

GpSplitReportPart *gp_split_report_measure     (GEOSContextHandle_t        ctx,
                                                const GpSplitMeasureInput *input,
                                                double                     target,
                                                double                     tolerance,
                                                GError                   **error);
/* Households of grid I as the measure counted them. */
double             gp_split_report_part_get_households (const GpSplitReportPart *part, guint i);
void               gp_split_report_part_free   (GpSplitReportPart *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSplitReportPart, gp_split_report_part_free)

/* The whole report: parts added in a fixed order, plus what could not be met and why. */
typedef struct _GpSplitReport GpSplitReport;

GpSplitReport *gp_split_report_new          (double target, double tolerance);
void           gp_split_report_free         (GpSplitReport *report);
/* Takes PART. */
void           gp_split_report_add_part     (GpSplitReport *report, GpSplitReportPart *part);
/* An explanation of something the split could not meet, in the planner's words. */
void           gp_split_report_add_explanation (GpSplitReport *report, const char *text);
/* A note about the data (units left out, repairs). */
void           gp_split_report_add_note     (GpSplitReport *report, const char *text);
void           gp_split_report_set_mode     (GpSplitReport *report, const char *mode);
void           gp_split_report_set_elapsed  (GpSplitReport *report, double seconds);

/* Figures, for tests and the window. */
guint          gp_split_report_get_n_grids          (GpSplitReport *report);
double         gp_split_report_get_within           (GpSplitReport *report, double share);
guint          gp_split_report_get_noncontiguous    (GpSplitReport *report);
guint          gp_split_report_get_crossing_parent  (GpSplitReport *report);
double         gp_split_report_get_gap_area         (GpSplitReport *report);
double         gp_split_report_get_overlap_area     (GpSplitReport *report);
double         gp_split_report_get_parent_area      (GpSplitReport *report);
double         gp_split_report_get_households_outside (GpSplitReport *report);
double         gp_split_report_get_mean_polsby_popper (GpSplitReport *report);

/* Its explanations and notes, in the order added (char*). */
const GPtrArray *gp_split_report_get_explanations (GpSplitReport *report);
const GPtrArray *gp_split_report_get_notes        (GpSplitReport *report);

/* The report as the CLI contract's JSON object (pretty-printed, ends without newline): shares
 * rounded to 0.001, areas to 0.01 m²; per area (`by_area`) its gap, overlap, and the codes of
 * grids in pieces or spanning islands. */
char          *gp_split_report_to_json      (GpSplitReport *report);
/* The same object as a node (owned by the caller), for callers that add members to it. */
JsonNode      *gp_split_report_to_json_node (GpSplitReport *report);
/* The same figures in sentences, one per line (ends with a newline), for the planner: the
 * counts agree with the JSON's. */
char          *gp_split_report_to_text      (GpSplitReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSplitReport, gp_split_report_free)

G_END_DECLS

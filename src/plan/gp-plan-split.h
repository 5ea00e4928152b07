/* gp-plan-split.h: split a project's villages/communities into grids and store them: one call for the CLI and the window, with progress and cancel. */
#pragma once

#include <gio/gio.h>

#include "gp-project.h"
#include "gp-project-grids.h"
#include "gp-split.h"
#include "gp-split-report.h"

G_BEGIN_DECLS

typedef struct {
  double              target;     /* T, households per grid; > 0 */
  double              tolerance;  /* 0.15: ±15% */
  guint64             seed;
  GpSplitMode         mode;
  guint               n_threads;  /* 0: one per core */
  /* Codes of the areas to split (NULL-terminated); NULL: every village/community. */
  const char *const  *areas;
  /* Redraw every grid; without it a re-split keeps the grids no change touched. */
  gboolean            fresh;
  /* Codes of grids to redraw (NULL-terminated), inside the ground they cover together: the
   * other grids of their villages stay exactly as they are, and `areas` is not used. NULL: the
   * whole areas are split. */
  const char *const  *redraw;
} GpPlanSplitOptions;

/* target 0 (the caller sets it), tolerance 0.15, seed 0, mode auto, all areas, threads 0. */
void gp_plan_split_options_init (GpPlanSplitOptions *options);

/* How far the work is: FRACTION (0..1, never decreasing) and a sentence for the planner. */
typedef void (*GpPlanProgressFunc) (double fraction, const char *sentence, gpointer user_data);

typedef struct {
  GpSplitReport *report;     /* measured on the new grids; explanations and notes in it */
  guint          n_areas;    /* areas split */
  guint          n_units;    /* units and household points they held */
  guint          n_unchanged;/* grids kept exactly as they were */
  guint          n_kept_code;/* grids that kept the code of the ground they lie on */
  /* Of GpProjectUnplaced: people whose grid went away or moved, to be placed again. */
  GPtrArray     *unplaced;
} GpPlanSplitResult;

void gp_plan_split_result_free (GpPlanSplitResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpPlanSplitResult, gp_plan_split_result_free)

/* Splits the chosen areas of PROJECT and replaces their grids (locked and exclusive grids kept)
 * in one transaction: on failure or cancel the project is as it was. PROGRESS (may be NULL) is
 * called on the calling thread. Errors: GP_ERROR (unknown area, nothing to split, bad options,
 * unusable geometry, the project file), G_IO_ERROR_CANCELLED. */
GpPlanSplitResult *gp_plan_split        (GpProject                *project,
                                         const GpPlanSplitOptions *options,
                                         GpPlanProgressFunc        progress,
                                         gpointer                  progress_data,
                                         GCancellable             *cancellable,
                                         GError                  **error);

/* The same in a worker thread. OPTIONS is copied. PROGRESS is called in the thread-default main
 * context of the caller; PROGRESS_DATA must live until CALLBACK. PROJECT must not be used by
 * anyone else until CALLBACK runs. */
void               gp_plan_split_async  (GpProject                *project,
                                         const GpPlanSplitOptions *options,
                                         GpPlanProgressFunc        progress,
                                         gpointer                  progress_data,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data);
GpPlanSplitResult *gp_plan_split_finish (GpProject                *project,
                                         GAsyncResult             *result,
                                         GError                  **error);

G_END_DECLS

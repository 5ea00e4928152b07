/* gp-split.c: the splitter's geometry: units (or household cells, or a lattice) → adjacency graph → gp-partition → grids that cover each area exactly. */
#include "gp-config.h"

#include "gp-split.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-codes.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-partition.h"
#include "gp-split-private.h"

/* How the geometry is made exact, in one place (each step in its own file):
 * - Everything is computed in a local transverse Mercator frame (metres) and mapped back; lon/lat
 *   edges are densified on the way in (a straight edge in degrees is a curve in metres), and on
 *   the way back the units' own corners are put back and the densifying points dropped
 *   (gp-split-outline.c), so grid edges are the units' edges.
 * - Real data has tiny gaps and overlaps along shared borders. Rather than calling borders a
 *   snapping distance apart "shared" (which would also make neighbours of two units with a thin
 *   third one between them), the borders are made to meet: units that overlap (crossing
 *   outlines, outlines running the same way, duplicates) are trimmed, the later one giving way
 *   (gp-split-gaps.c); then every unit takes its share of the ground no unit covers (streets,
 *   squares, water), cut along the middle of that ground in one go for the whole area
 *   (gp-split-territory.c). Units so grown ("territories") tile the area exactly.
 * - Two units are neighbours when their territories' outlines run together, in opposite
 *   directions, for a positive length (within TOUCH, 1 mm), found with a uniform grid of cells
 *   (gp-split-borders.c).
 * - Pieces that touch no other unit are joined to their nearest neighbour (a graph edge of
 *   length 0): islands of an area made of several polygons.
 * - A grid is the coverage union of its units' territories; what rounding leaves uncovered is
 *   handed out piece by piece (gp-split-gaps.c). A re-split keeps what no change touched
 *   (gp-split-resplit.c). One area's whole way is in gp-split-area.c; this file runs the areas.
 * options->snap (0.5 m) is the distance within which a detached bit of a unit counts as lying
 * among other units (it then goes with the territory instead of making an exclave). */

const char *
gp_split_mode_name (GpSplitMode mode)
{
  switch (mode)
    {
    case GP_SPLIT_MODE_UNITS: return "units";
    case GP_SPLIT_MODE_POINTS: return "points";
    case GP_SPLIT_MODE_GEOMETRY: return "geometry";
    case GP_SPLIT_MODE_AUTO:
    default: return "auto";
    }
}

void
gp_split_options_init (GpSplitOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->tolerance = 0.15;
  options->mode = GP_SPLIT_MODE_AUTO;
  options->snap = 0.5;
}

void
grid_free (GpSplitGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->code);
  gp_shape_free (grid->shape);
  g_free (grid->units);
  g_free (grid);
}

void
gp_split_result_free (GpSplitResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->grids, g_ptr_array_unref);
  g_free (result->grid_of_unit);
  g_free (result->explanation);
  g_clear_pointer (&result->notes, g_ptr_array_unref);
  gp_split_report_part_free (result->quality);
  g_free (result);
}

void
job_note (Job *job, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (job->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

void
job_explain (Job *job, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (job->explanation->len > 0)
    g_string_append_c (job->explanation, ' ');
  g_string_append (job->explanation, text);
}

/* This area's work is FRACTION done: tell the caller how far the whole run is. */
void
job_progress (Job *job, double fraction)
{
  Progress *p = job->progress;
  double sum = 0.0;

  if (p == NULL || p->options->progress == NULL)
    return;
  g_mutex_lock (&p->lock);
  p->done[job->index] = MAX (p->done[job->index], CLAMP (fraction, 0.0, 1.0));
  for (guint a = 0; a < p->n_areas; a++)
    sum += p->done[a];
  sum /= MAX (p->n_areas, 1u);
  if (sum > p->reported || fraction >= 1.0)
    {
      p->reported = MAX (sum, p->reported);
      p->options->progress (p->reported, job->in->code, p->options->progress_data);
    }
  g_mutex_unlock (&p->lock);
}

gboolean
job_cancelled (Job *job, GError **error)
{
  return g_cancellable_set_error_if_cancelled (job->options->cancellable, error);
}

const char *
area_label (Job *job)
{
  return job->in->code != NULL && *job->in->code != '\0' ? job->in->code : _("the area");
}

char *
unit_label (Job *job, guint u)
{
  if (job->in->unit_names != NULL && job->in->unit_names[u] != NULL)
    return g_strdup (job->in->unit_names[u]);
  return g_strdup_printf (_("unit %u"), u);
}

/* A shape in the source CRS → a valid polygonal geometry in the local frame (NULL: none). */
GEOSGeometry *
to_local (Job *job, const GpShape *shape, GError **error)
{
  return gp_split_to_local (job->ctx, job->frame, shape, job->densify, error);
}

/* FUNC over items [0, N) on the threads this area may use: one large area alone in a run would
 * otherwise leave all cores but one idle. */
void
job_parallel (Job *job, guint n, guint chunk, GpRangeFunc func, gpointer data)
{
  gp_parallel_for (job->helpers, n, chunk, func, data);
}

/* A local frame for each thread job_parallel may run (PROJ objects are not shared between
 * threads), made before the threads start. */
GpLocalFrame **
job_thread_frames (Job *job)
{
  if (job->thread_frames == NULL)
    {
      job->thread_frames = g_new0 (GpLocalFrame *, job->helpers + 1);
      job->thread_frames[0] = job->frame;
      for (guint t = 1; t < job->helpers; t++)
        if ((job->thread_frames[t] = gp_local_frame_copy (job->frame)) == NULL)
          {
            /* Without a frame for each, the loops run on this thread alone. */
            for (guint u = 1; u < t; u++)
              g_clear_pointer (&job->thread_frames[u], gp_local_frame_free);
            job->helpers = 1;
            break;
          }
    }
  return job->thread_frames;
}

static void
job_run (gpointer data, gpointer user_data)
{
  Job *job = data;

  if (job_cancelled (job, &job->error))
    return;
  job->frame = g_async_queue_pop (job->frames);
  job->ctx = gp_geos ();
  job->result = g_new0 (GpSplitResult, 1);
  if (!run_area (job, &job->error) || job_cancelled (job, &job->error))
    g_clear_pointer (&job->result, gp_split_result_free);
  else
    {
      if (job->explanation->len > 0)
        job->result->explanation = g_strdup_printf ("%s: %s", area_label (job), job->explanation->str);
      job->result->notes = g_ptr_array_ref (job->notes);
    }
  for (guint t = 1; job->thread_frames != NULL && t < job->helpers; t++)
    g_clear_pointer (&job->thread_frames[t], gp_local_frame_free);
  g_clear_pointer (&job->thread_frames, g_free);
  g_async_queue_push (job->frames, job->frame);
  job->frame = NULL;
  if (job->result != NULL)
    job_progress (job, 1.0);
}

static gboolean
area_bbox (const GpSplitArea *in, double bbox[4])
{
  gboolean any = FALSE;
  double b[4];

#define WIDEN(b)                                 \
  do {                                           \
    if (!any)                                    \
      memcpy (bbox, b, sizeof b);                \
    else                                         \
      {                                          \
        bbox[0] = MIN (bbox[0], b[0]);           \
        bbox[1] = MIN (bbox[1], b[1]);           \
        bbox[2] = MAX (bbox[2], b[2]);           \
        bbox[3] = MAX (bbox[3], b[3]);           \
      }                                          \
    any = TRUE;                                  \
  } while (0)

  if (in->shape != NULL && gp_shape_get_bbox (in->shape, b))
    WIDEN (b);
  for (guint u = 0; u < in->n_units; u++)
    if (in->units[u] != NULL && gp_shape_get_bbox (in->units[u], b))
      WIDEN (b);
  for (guint k = 0; k < in->n_points; k++)
    if (isfinite (in->points_xy[2 * k]) && isfinite (in->points_xy[2 * k + 1]))
      {
        b[0] = b[2] = in->points_xy[2 * k];
        b[1] = b[3] = in->points_xy[2 * k + 1];
        WIDEN (b);
      }
#undef WIDEN
  return any;
}

GPtrArray *
gp_split_run (GpCrs *crs, const GpSplitArea *areas, guint n_areas, const GpSplitOptions *options,
              GError **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_split_result_free);
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autofree Job *jobs = NULL;
  Progress progress = { 0 };
  GAsyncQueue *frames;
  double bbox[4] = { 0.0, 0.0, 0.0, 0.0 }, densify = 0.0;
  gboolean any = FALSE;
  guint n_threads, n_cores, n_work = 0;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (areas != NULL || n_areas == 0, NULL);

  if (!(options->target > 0.0) || !isfinite (options->target))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("the target must be a positive number of households per grid"));
      return NULL;
    }
  if (!(options->tolerance >= 0.0) || !(options->tolerance < 1.0))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("the tolerance must be at least 0 and below 1 (0.15 is ±15%%)"));
      return NULL;
    }
  if (!(options->snap >= 0.0) || !isfinite (options->snap))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("the snapping distance must be at least 0"));
      return NULL;
    }

  for (guint a = 0; a < n_areas; a++)
    {
      double b[4];

      if (!area_bbox (&areas[a], b))
        continue;
      if (!any)
        memcpy (bbox, b, sizeof b);
      bbox[0] = MIN (bbox[0], b[0]);
      bbox[1] = MIN (bbox[1], b[1]);
      bbox[2] = MAX (bbox[2], b[2]);
      bbox[3] = MAX (bbox[3], b[3]);
      any = TRUE;
    }
  if (options->has_frame_origin)
    {
      double origin[4] = { options->frame_origin[0], options->frame_origin[1],
                           options->frame_origin[0], options->frame_origin[1] };

      frame = gp_local_frame_new (crs, origin, error);
    }
  else
    frame = gp_local_frame_new (crs, bbox, error);
  if (frame == NULL)
    return NULL;

  densify = gp_split_densify_length (crs, any ? bbox : NULL);

  n_cores = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_cores, 1u, MAX (n_areas, 1u));
  /* Each thread needs a frame of its own (PROJ objects are not shared between threads). */
  frames = g_async_queue_new ();
  g_async_queue_push (frames, g_steal_pointer (&frame));
  for (guint t = 1; t < n_threads; t++)
    {
      GpLocalFrame *first = g_async_queue_pop (frames);
      GpLocalFrame *copy = gp_local_frame_copy (first);

      g_async_queue_push (frames, first);
      if (copy != NULL)
        g_async_queue_push (frames, copy);
    }

  for (guint a = 0; a < n_areas; a++)
    n_work += areas[a].n_units + areas[a].n_points;
  progress.options = options;
  progress.n_areas = n_areas;
  progress.done = g_new0 (double, n_areas + 1);
  g_mutex_init (&progress.lock);
  jobs = g_new0 (Job, n_areas + 1);
  for (guint a = 0; a < n_areas; a++)
    {
      jobs[a].in = &areas[a];
      jobs[a].index = a;
      jobs[a].progress = &progress;
      jobs[a].options = options;
      jobs[a].densify = densify;
      jobs[a].frames = frames;
      jobs[a].notes = g_ptr_array_new_with_free_func (g_free);
      jobs[a].explanation = g_string_new (NULL);
      /* Fewer areas than cores: the spare cores help inside the areas. An area holding most of
       * the run's work gets them all, since the others finish long before it. */
      jobs[a].helpers = MAX (n_cores / n_threads, 1u);
      if (2 * (areas[a].n_units + areas[a].n_points) > n_work)
        jobs[a].helpers = n_cores;
    }
  if (n_threads <= 1)
    for (guint a = 0; a < n_areas; a++)
      job_run (&jobs[a], NULL);
  else
    {
      GThreadPool *pool = g_thread_pool_new (job_run, NULL, (gint) n_threads, TRUE, NULL);

      for (guint a = 0; a < n_areas; a++)
        g_thread_pool_push (pool, &jobs[a], NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
    }

  {
    GpLocalFrame *f;

    while ((f = g_async_queue_try_pop (frames)) != NULL)
      gp_local_frame_free (f);
    g_async_queue_unref (frames);
  }

  g_mutex_clear (&progress.lock);
  g_free (progress.done);
  /* A cancelled run fails as cancelled, whichever area noticed first. */
  if (g_cancellable_set_error_if_cancelled (options->cancellable, error))
    {
      for (guint a = 0; a < n_areas; a++)
        {
          g_clear_error (&jobs[a].error);
          g_clear_pointer (&jobs[a].result, gp_split_result_free);
          g_ptr_array_unref (jobs[a].notes);
          g_string_free (jobs[a].explanation, TRUE);
          source_index_free (jobs[a].sources);
        }
      return NULL;
    }
  for (guint a = 0; a < n_areas; a++)
    {
      if (jobs[a].error != NULL && error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&jobs[a].error));
      g_clear_error (&jobs[a].error);
      g_ptr_array_add (results, jobs[a].result);
      g_ptr_array_unref (jobs[a].notes);
      g_string_free (jobs[a].explanation, TRUE);
      source_index_free (jobs[a].sources);
    }
  for (guint a = 0; a < n_areas; a++)
    if (jobs[a].result == NULL)
      return NULL;
  return g_steal_pointer (&results);
}

GpSplitReport *
gp_split_report_from_results (GPtrArray *results, double target, double tolerance)
{
  GpSplitReport *report = gp_split_report_new (target, tolerance);
  const char *mode = NULL;

  for (guint a = 0; a < results->len; a++)
    {
      GpSplitResult *r = g_ptr_array_index (results, a);
      const char *m = gp_split_mode_name (r->mode);

      mode = mode == NULL || strcmp (mode, m) == 0 ? m : "mixed";
      if (r->explanation != NULL)
        gp_split_report_add_explanation (report, r->explanation);
      for (guint i = 0; r->notes != NULL && i < r->notes->len; i++)
        gp_split_report_add_note (report, g_ptr_array_index (r->notes, i));
      if (r->quality != NULL)
        gp_split_report_add_part (report, g_steal_pointer (&r->quality));
    }
  gp_split_report_set_mode (report, mode != NULL ? mode : "units");
  return report;
}

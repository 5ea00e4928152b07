/* gp-plan-split.c: split a project's villages/communities into grids and store them, with progress and cancel. */
#include "gp-config.h"

#include "gp-plan-split.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "gp-codes.h"
#include "gp-error.h"
#include "gp-json.h"
#include "gp-plan-data.h"
#include "gp-project-grids.h"

void
gp_plan_split_options_init (GpPlanSplitOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->tolerance = 0.15;
  options->mode = GP_SPLIT_MODE_AUTO;
}

void
gp_plan_split_result_free (GpPlanSplitResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->report, gp_split_report_free);
  g_clear_pointer (&result->unplaced, g_ptr_array_unref);
  g_free (result);
}

/* What one area brings to the split: its units, household points and kept grids. */
typedef struct {
  int        area;            /* index into data->areas */
  char      *code;
  char      *name;
  GArray    *unit_rows;       /* guint: polygon units, indices into data->units */
  GPtrArray *unit_shapes;
  GArray    *unit_households; /* double */
  GPtrArray *unit_codes;      /* char*, borrowed from the layer */
  GArray    *points;          /* double x, y */
  GArray    *point_households;
  GArray    *fixed;           /* GpSplitFixedGrid */
  GArray    *previous;        /* GpSplitPreviousGrid */
  GPtrArray *owned;           /* guint arrays for fixed/previous units */
  GPtrArray *kept;            /* GpProjectGrid* (borrowed): grids kept as they are, though not locked */
} AreaInput;

static void
area_input_free (AreaInput *in)
{
  g_free (in->code);
  g_free (in->name);
  g_array_unref (in->unit_rows);
  g_ptr_array_unref (in->unit_shapes);
  g_array_unref (in->unit_households);
  g_ptr_array_unref (in->unit_codes);
  g_array_unref (in->points);
  g_array_unref (in->point_households);
  g_array_unref (in->fixed);
  g_array_unref (in->previous);
  g_ptr_array_unref (in->owned);
  g_ptr_array_unref (in->kept);
  g_free (in);
}

/* Unit indices (into the area's units) of a stored grid's unit codes. */
static guint *
unit_indices (GHashTable *index_of, GpProjectGrid *grid, guint *n)
{
  guint *units = g_new (guint, grid->unit_codes->len + 1);

  *n = 0;
  for (guint i = 0; i < grid->unit_codes->len; i++)
    {
      gpointer found = g_hash_table_lookup (index_of, g_ptr_array_index (grid->unit_codes, i));

      if (found != NULL)
        units[(*n)++] = GPOINTER_TO_UINT (found) - 1;
    }
  return units;
}

static AreaInput *
area_input_new (GpPlanData *data, int a, const char *const *redraw)
{
  const GArray *unit_list, *household_list, *grid_list;
  AreaInput *in = g_new0 (AreaInput, 1);
  GpFeature *area = gp_layer_get_feature (data->areas, (guint) a);
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);

  in->area = a;
  in->code = gp_plan_value_text (data->areas, area, data->area_code);
  in->name = gp_plan_value_text (data->areas, area, data->area_name);
  in->unit_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  in->unit_shapes = g_ptr_array_new ();
  in->unit_households = g_array_new (FALSE, FALSE, sizeof (double));
  in->unit_codes = g_ptr_array_new_with_free_func (g_free);
  in->points = g_array_new (FALSE, FALSE, sizeof (double));
  in->point_households = g_array_new (FALSE, FALSE, sizeof (double));
  in->fixed = g_array_new (FALSE, FALSE, sizeof (GpSplitFixedGrid));
  in->previous = g_array_new (FALSE, FALSE, sizeof (GpSplitPreviousGrid));
  in->owned = g_ptr_array_new_with_free_func (g_free);
  in->kept = g_ptr_array_new ();

  unit_list = gp_plan_data_area_units (data, in->code);
  household_list = gp_plan_data_area_households (data, in->code);
  grid_list = gp_plan_data_area_grids (data, in->code);
  for (guint i = 0; unit_list != NULL && i < unit_list->len; i++)
    {
      guint u = g_array_index (unit_list, guint, i);
      GpFeature *f = gp_layer_get_feature (data->units, u);
      double w = gp_plan_value_number (data->units, f, data->unit_households);

      w = isfinite (w) && w > 0.0 ? w : 0.0;
      if (f->shape != NULL && f->shape->kind == GP_SHAPE_POINT)
        {
          /* Units given as points count as household points with their households. */
          g_array_append_val (in->points, f->shape->xy[0]);
          g_array_append_val (in->points, f->shape->xy[1]);
          g_array_append_val (in->point_households, w);
          continue;
        }
      g_array_append_val (in->unit_rows, u);
      g_ptr_array_add (in->unit_shapes, f->shape);
      g_array_append_val (in->unit_households, w);
      g_ptr_array_add (in->unit_codes, gp_plan_value_text (data->units, f, data->unit_code));
      if (g_ptr_array_index (in->unit_codes, in->unit_codes->len - 1) != NULL)
        g_hash_table_insert (index_of, g_ptr_array_index (in->unit_codes, in->unit_codes->len - 1),
                             GUINT_TO_POINTER (in->unit_codes->len));
    }
  if (in->unit_rows->len == 0 && in->points->len == 0)
    for (guint i = 0; household_list != NULL && i < household_list->len; i++)
      {
        GpFeature *f = gp_layer_get_feature (data->households, g_array_index (household_list, guint, i));
        double one = 1.0;

        if (f->shape == NULL || f->shape->n_points == 0)
          continue;
        g_array_append_val (in->points, f->shape->xy[0]);
        g_array_append_val (in->points, f->shape->xy[1]);
        g_array_append_val (in->point_households, one);
      }

  for (guint i = 0; grid_list != NULL && i < grid_list->len; i++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g_array_index (grid_list, guint, i));
      guint n_units = 0;
      guint *units;

      units = unit_indices (index_of, grid, &n_units);
      g_ptr_array_add (in->owned, units);
      /* A redraw of some grids keeps the others as if locked; those it draws afresh (their
       * codes still follow the ground, as earlier grids). */
      if (grid->locked || grid->exclusive
          || (redraw != NULL && !g_strv_contains ((const char *const *) redraw, grid->code)))
        {
          if (!grid->locked && !grid->exclusive)
            g_ptr_array_add (in->kept, grid);
          GpSplitFixedGrid fx = { grid->code, grid->shape, units, n_units, grid->exclusive,
                                  (double) grid->households };
          g_array_append_val (in->fixed, fx);
        }
      else
        {
          GpSplitPreviousGrid prev = { grid->code, units, n_units, grid->shape, (double) grid->households };
          g_array_append_val (in->previous, prev);
        }
    }
  return in;
}

/* "<village name>第N网格": N the grid's sequence number. */
static char *
grid_name (const char *area_name, const char *area_code, const char *code)
{
  g_autofree char *prefix = gp_codes_prefix (area_code);
  const char *seq = g_str_has_prefix (code, prefix) ? code + strlen (prefix) : NULL;
  guint64 number = seq != NULL ? g_ascii_strtoull (seq, NULL, 10) : 0;

  if (number == 0)
    return g_strdup_printf (_("%s grid %s"), area_name != NULL ? area_name : area_code, code);
  /* TRANSLATORS: a grid's name: the village/community name and the grid's number,
   * in Chinese "%s第%u网格". */
  return g_strdup_printf (_("%s grid %u"), area_name != NULL ? area_name : area_code, (guint) number);
}


/* The areas to split (indices into data->areas). */
static GArray *
chosen_areas (GpPlanData *data, const GpPlanSplitOptions *options, GError **error)
{
  g_autoptr(GArray) chosen = NULL;

  if (options->redraw != NULL)
    {
      chosen = g_array_new (FALSE, FALSE, sizeof (int));
      for (const char *const *code = options->redraw; *code != NULL; code++)
        {
          GpProjectGrid *grid = NULL;
          int a;
          gboolean known = FALSE;

          for (guint g = 0; g < data->grids->len && grid == NULL; g++)
            if (g_strcmp0 (((GpProjectGrid *) g_ptr_array_index (data->grids, g))->code, *code) == 0)
              grid = g_ptr_array_index (data->grids, g);
          if (grid == NULL || (a = gp_plan_data_find_area (data, grid->area_code)) < 0)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("no grid with the code “%s”"), *code);
              return NULL;
            }
          if (grid->locked || grid->exclusive)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                           grid->locked ? _("grid %s is locked; unlock it to redraw it")
                                        : _("grid %s is an exclusive grid; it is kept whole"), *code);
              return NULL;
            }
          for (guint i = 0; i < chosen->len; i++)
            known = known || g_array_index (chosen, int, i) == a;
          if (!known)
            g_array_append_val (chosen, a);
        }
    }
  else if (options->areas != NULL)
    {
      chosen = g_array_new (FALSE, FALSE, sizeof (int));
      for (const char *const *code = options->areas; *code != NULL; code++)
        {
          int a = gp_plan_data_find_area (data, *code);

          if (a < 0)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("no area with the code “%s”"), *code);
              return NULL;
            }
          g_array_append_val (chosen, a);
        }
    }
  else
    chosen = gp_plan_data_grid_areas (data);
  if (chosen->len == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND,
                   _("no village or community to split: import areas first"));
      return NULL;
    }
  return g_steal_pointer (&chosen);
}

/* The splitter's view of area IN. */
static gboolean
fill_split_area (GpPlanData *data, AreaInput *in, GpSplitArea *area, GError **error)
{
  GpFeature *f = gp_layer_get_feature (data->areas, (guint) in->area);

  if (in->code == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("an area without a code cannot hold grids"));
      return FALSE;
    }
  if (f->shape == NULL && in->unit_rows->len == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("area %s has no polygon and no units to draw grids in"), in->code);
      return FALSE;
    }
  area->code = in->code;
  area->shape = f->shape;
  area->households = gp_plan_value_number (data->areas, f, data->area_households);
  if (!isfinite (area->households))
    area->households = -1.0;
  area->n_units = in->unit_rows->len;
  area->units = (const GpShape *const *) in->unit_shapes->pdata;
  area->unit_households = (const double *) in->unit_households->data;
  area->unit_names = (const char *const *) in->unit_codes->pdata;
  area->n_points = in->point_households->len;
  area->points_xy = (const double *) in->points->data;
  area->point_households = (const double *) in->point_households->data;
  area->n_fixed = in->fixed->len;
  area->fixed = (const GpSplitFixedGrid *) in->fixed->data;
  area->n_previous = in->previous->len;
  area->previous = (const GpSplitPreviousGrid *) in->previous->data;
  return TRUE;
}

/* The new grids of every area, as the project stores them (fixed grids stay where they are). */
static GPtrArray *
project_grids (GPtrArray *results, GPtrArray *inputs)
{
  GPtrArray *grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);

  for (guint a = 0; a < results->len; a++)
    {
      GpSplitResult *r = g_ptr_array_index (results, a);
      AreaInput *in = g_ptr_array_index (inputs, a);

      for (guint g = 0; g < r->grids->len; g++)
        {
          GpSplitGrid *sg = g_ptr_array_index (r->grids, g);
          GpProjectGrid *grid;

          if (sg->flags & GP_SPLIT_GRID_FIXED)
            continue;
          grid = gp_project_grid_new ();
          grid->code = g_strdup (sg->code);
          grid->name = grid_name (in->name, in->code, sg->code);
          grid->area_code = g_strdup (in->code);
          grid->households = (gint64) llround (sg->households);
          grid->shape = gp_shape_copy (sg->shape);
          grid->moved = (sg->flags & GP_SPLIT_GRID_MOVED) != 0;
          if (r->mode == GP_SPLIT_MODE_UNITS)
            for (guint i = 0; i < sg->n_units; i++)
              {
                const char *unit_code = g_ptr_array_index (in->unit_codes, sg->units[i]);

                if (unit_code != NULL)
                  g_ptr_array_add (grid->unit_codes, g_strdup (unit_code));
              }
          g_ptr_array_add (grids, grid);
        }
      /* Grids a redraw kept: stored again as they were (not being locked, a replace would drop them). */
      for (guint k = 0; k < in->kept->len; k++)
        {
          GpProjectGrid *was = g_ptr_array_index (in->kept, k);
          GpProjectGrid *grid = gp_project_grid_new ();

          grid->code = g_strdup (was->code);
          grid->name = g_strdup (was->name);
          grid->area_code = g_strdup (was->area_code);
          grid->households = was->households;
          grid->shape = gp_shape_copy (was->shape);
          for (guint i = 0; i < was->unit_codes->len; i++)
            g_ptr_array_add (grid->unit_codes, g_strdup (g_ptr_array_index (was->unit_codes, i)));
          g_ptr_array_add (grids, grid);
        }
    }
  return grids;
}

typedef struct {
  GpPlanProgressFunc func;
  gpointer           data;
  GMutex             lock;
} ProgressRelay;

static void
report_progress (ProgressRelay *relay, double fraction, const char *sentence)
{
  if (relay->func == NULL)
    return;
  g_mutex_lock (&relay->lock);
  relay->func (fraction, sentence, relay->data);
  g_mutex_unlock (&relay->lock);
}

/* Shares of the whole call: reading the project, the split itself, writing the grids. */
#define SHARE_READ  0.05
#define SHARE_SPLIT 0.85

static void
on_split_progress (double fraction, const char *area_code, gpointer user_data)
{
  ProgressRelay *relay = user_data;
  g_autofree char *sentence = area_code != NULL ? g_strdup_printf (_("Splitting %s…"), area_code)
                                                : g_strdup (_("Splitting…"));

  report_progress (relay, SHARE_READ + SHARE_SPLIT * fraction, sentence);
}

/* An area's explanation and notes as the project keeps them for `report`. */
static char *
notes_json (GpSplitResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (r->explanation == NULL && (r->notes == NULL || r->notes->len == 0))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "explanations");
  json_builder_begin_array (b);
  if (r->explanation != NULL)
    json_builder_add_string_value (b, r->explanation);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; r->notes != NULL && i < r->notes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (r->notes, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return gp_json_to_text (root, FALSE);
}

/* "N people need a new grid: …": who lost a grid that went away or moved. */
static char *
unplaced_sentence (GPtrArray *unplaced)
{
  g_autoptr(GString) who = g_string_new (NULL);

  for (guint i = 0; i < unplaced->len; i++)
    {
      GpProjectUnplaced *u = g_ptr_array_index (unplaced, i);

      if (i > 0)
        g_string_append (who, _(", "));
      /* TRANSLATORS: a person who lost their grid: name (or id), then the grid's code and
       * whether it is gone or its ground moved. */
      g_string_append_printf (who, u->grid_gone ? _("%s (grid %s is gone)") : _("%s (grid %s moved)"),
                              u->name != NULL ? u->name : u->person_id, u->grid_code);
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person needs a new grid: %s",
                                       "%u people need a new grid: %s", unplaced->len),
                          unplaced->len, who->str);
}

GpPlanSplitResult *
gp_plan_split (GpProject *project, const GpPlanSplitOptions *options, GpPlanProgressFunc progress,
               gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GArray) chosen = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) area_input_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autofree GpSplitArea *areas = NULL;
  g_autofree const char **codes = NULL;
  g_autoptr(GpPlanSplitResult) result = g_new0 (GpPlanSplitResult, 1);
  /* Per area, NULL where an area has nothing to note: not a GStrv (g_strfreev stops at a NULL). */
  g_autoptr(GPtrArray) area_notes = g_ptr_array_new_with_free_func (g_free);
  ProgressRelay relay = { progress, progress_data };
  GpSplitOptions split_options;
  gboolean ok = FALSE;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  g_mutex_init (&relay.lock);
  report_progress (&relay, 0.0, _("Reading the project…"));
  data = gp_plan_data_load (project, error);
  if (data == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  chosen = chosen_areas (data, options, error);
  if (chosen == NULL)
    goto out;
  areas = g_new0 (GpSplitArea, chosen->len + 1);
  codes = g_new0 (const char *, chosen->len + 1);
  for (guint i = 0; i < chosen->len; i++)
    {
      AreaInput *in = area_input_new (data, g_array_index (chosen, int, i), options->redraw);

      g_ptr_array_add (inputs, in);
      codes[i] = in->code;
      if (!fill_split_area (data, in, &areas[i], error))
        goto out;
      result->n_units += in->unit_rows->len + in->point_households->len;
    }
  result->n_areas = chosen->len;

  gp_split_options_init (&split_options);
  split_options.target = options->target;
  split_options.tolerance = options->tolerance;
  split_options.seed = options->seed;
  split_options.mode = options->mode;
  split_options.n_threads = options->n_threads;
  split_options.fresh = options->fresh || options->redraw != NULL;
  split_options.has_frame_origin = gp_project_get_frame_origin (project, &split_options.frame_origin[0],
                                                                &split_options.frame_origin[1]);
  split_options.cancellable = cancellable;
  split_options.progress = on_split_progress;
  split_options.progress_data = &relay;
  report_progress (&relay, SHARE_READ, _("Splitting…"));
  results = gp_split_run (gp_project_get_crs (project), areas, chosen->len, &split_options, error);
  if (results == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  /* The last moment to cancel: the write is one transaction, all or nothing. */
  report_progress (&relay, SHARE_READ + SHARE_SPLIT, _("Saving the grids…"));
  grids = project_grids (results, inputs);
  result->unplaced = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_unplaced_free);
  g_ptr_array_set_size (area_notes, chosen->len + 1);
  for (guint a = 0; a < results->len; a++)
    g_ptr_array_index (area_notes, a) = notes_json (g_ptr_array_index (results, a));
  if (!gp_project_replace_grids (project, codes, chosen->len, grids, options->target, options->tolerance,
                                 (const char *const *) area_notes->pdata, result->unplaced, error))
    goto out;
  for (guint a = 0; a < results->len; a++)
    {
      GpSplitResult *r = g_ptr_array_index (results, a);

      for (guint g = 0; g < r->grids->len; g++)
        {
          GpSplitGrid *sg = g_ptr_array_index (r->grids, g);

          result->n_unchanged += (sg->flags & GP_SPLIT_GRID_UNCHANGED) != 0;
          result->n_kept_code += (sg->flags & GP_SPLIT_GRID_KEPT_CODE) != 0;
        }
    }

  result->report = gp_split_report_from_results (results, options->target, options->tolerance);
  if (result->unplaced->len > 0)
    {
      g_autofree char *sentence = unplaced_sentence (result->unplaced);

      gp_split_report_add_note (result->report, sentence);
    }
  report_progress (&relay, 1.0, _("Done"));
  ok = TRUE;

out:
  g_mutex_clear (&relay.lock);
  return ok ? g_steal_pointer (&result) : NULL;
}

/* ---- in a worker thread ------------------------------------------------------------------ */

typedef struct {
  GpPlanSplitOptions options;
  char             **areas;
  char             **redraw;
  GpPlanProgressFunc progress;
  gpointer           progress_data;
  GMainContext      *context;
} SplitTaskData;

static void
split_task_data_free (SplitTaskData *d)
{
  g_strfreev (d->areas);
  g_strfreev (d->redraw);
  g_main_context_unref (d->context);
  g_free (d);
}

typedef struct {
  GpPlanProgressFunc func;
  gpointer           data;
  double             fraction;
  char              *sentence;
} ProgressCall;

static gboolean
progress_call_run (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->func (call->fraction, call->sentence, call->data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer user_data)
{
  ProgressCall *call = user_data;

  g_free (call->sentence);
  g_free (call);
}

/* From the worker: handed over to the caller's main context. */
static void
on_task_progress (double fraction, const char *sentence, gpointer user_data)
{
  SplitTaskData *d = user_data;
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->func = d->progress;
  call->data = d->progress_data;
  call->fraction = fraction;
  call->sentence = g_strdup (sentence);
  /* Always dispatched by the context (g_main_context_invoke would run it here, in the worker,
   * whenever the caller's thread is not iterating the context at that moment). */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, progress_call_run, call, progress_call_free);
    g_source_set_static_name (source, "gp-plan-split progress");
    g_source_attach (source, d->context);
    g_source_unref (source);
  }
}

static void
split_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SplitTaskData *d = task_data;
  GError *error = NULL;
  GpPlanSplitResult *result = gp_plan_split (GP_PROJECT (source), &d->options,
                                             d->progress != NULL ? on_task_progress : NULL, d,
                                             cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) gp_plan_split_result_free);
}

void
gp_plan_split_async (GpProject *project, const GpPlanSplitOptions *options, GpPlanProgressFunc progress,
                     gpointer progress_data, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  SplitTaskData *d;

  g_return_if_fail (GP_IS_PROJECT (project));
  g_return_if_fail (options != NULL);

  task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (task, gp_plan_split_async);
  d = g_new0 (SplitTaskData, 1);
  d->options = *options;
  d->areas = g_strdupv ((char **) options->areas);
  d->options.areas = (const char *const *) d->areas;
  d->redraw = g_strdupv ((char **) options->redraw);
  d->options.redraw = (const char *const *) d->redraw;
  d->progress = progress;
  d->progress_data = progress_data;
  d->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, d, (GDestroyNotify) split_task_data_free);
  g_task_run_in_thread (task, split_thread);
}

GpPlanSplitResult *
gp_plan_split_finish (GpProject *project, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* gp-window-work.c: the window's actions that change the project off the main thread (split,
 * assign): the work's progress over the map with Cancel, a dialog naming the problem when it
 * fails, and the project shown again with a sentence on what was done. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-plan-assign.h"
#include "gp-plan-events.h"
#include "gp-plan-roster.h"
#include "gp-plan-table.h"
#include "gp-table.h"
#include "gp-plan-split.h"
#include "gp-project-grids.h"
#include "gp-settings.h"
#include "gp-split-dialog.h"
#include "gp-window-private.h"

void
_gp_window_show_progress (GpWindow *self, const char *text)
{
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
}

void
_gp_window_hide_progress (GpWindow *self)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
}

void
_gp_window_on_progress_cancel (GpWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_label_set_text (self->progress_label, _("Cancelling…"));
}

/* Split ---------------------------------------------------------------------------------------- */

static void
on_split_progress (double fraction, const char *sentence, gpointer user_data)
{
  GpWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  if (sentence != NULL && !g_cancellable_is_cancelled (self->cancellable))
    gtk_label_set_text (self->progress_label, sentence);
}

static char *
split_summary (GpPlanSplitResult *result, double target)
{
  guint n = gp_split_report_get_n_grids (result->report);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Split %u area into %u grids", "Split %u areas into %u grids",
                                             result->n_areas), result->n_areas, n);
  /* TRANSLATORS: follows "Split 17 areas into 62 grids": the share near the target. */
  g_string_append_printf (text, _(": %.0f%% within ±10%% of %.0f households"),
                          100.0 * gp_split_report_get_within (result->report, 0.10), target);
  if (result->n_unchanged > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "; %u grid kept as it was", "; %u grids kept as they were",
                                               result->n_unchanged), result->n_unchanged);
  if (result->unplaced != NULL && result->unplaced->len > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "; %u person needs a new grid (Assign)",
                                               "; %u people need a new grid (Assign)", result->unplaced->len),
                            result->unplaced->len);
  g_string_append_c (text, '.');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct {
  GpWindow *window;
  double target;
  GpProjectEdit *edit;   /* a redraw of some grids, to finish onto the undo stack; NULL: a split */
} SplitRun;

static void
split_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  SplitRun *run = user_data;
  g_autoptr(GpWindow) self = run->window;
  g_autoptr(GpPlanSplitResult) result = NULL;
  g_autoptr(GpProjectEdit) edit = run->edit;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *run_edit_description = edit != NULL ? g_strdup (gp_project_edit_describe (edit)) : NULL;
  double target = run->target;

  g_free (run);
  _gp_window_hide_progress (self);
  result = gp_plan_split_finish (self->project, res, &error);
  _gp_window_set_busy (self, FALSE);
  if (result != NULL && edit != NULL)
    {
      g_autoptr(GError) undo_error = NULL;

      /* The redraw is stored; kept as an edit it can be undone like a hand edit. */
      if (gp_project_edit_end_areas (self->project, edit, &undo_error))
        _gp_window_push_edit (self, g_steal_pointer (&edit));
      else
        g_warning ("the redraw cannot be undone: %s", undo_error->message);
    }
  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gp_window_show_toast (self, _("The split was cancelled; the grids are as they were."));
      else
        _gp_window_show_error (self, _("The split failed"), error);
      return;
    }
  summary = run_edit_description != NULL ? g_strdup_printf ("%s.", run_edit_description) : split_summary (result, target);
  _gp_window_reload (self, summary);
}

static void
start_split_with (GpWindow *self, const GpPlanSplitOptions *options, GpProjectEdit *edit)
{
  SplitRun *run;

  if (self->project == NULL || self->cancellable != NULL)
    {
      gp_project_edit_free (edit);
      return;
    }
  _gp_window_set_busy (self, TRUE);
  _gp_window_show_progress (self, edit != NULL ? _("Redrawing the grids…") : _("Splitting into grids…"));
  run = g_new0 (SplitRun, 1);
  run->window = g_object_ref (self);
  run->target = options->target;
  run->edit = edit;
  /* SELF lives until split_done: the progress calls may use it. */
  gp_plan_split_async (self->project, options, on_split_progress, self, self->cancellable, split_done, run);
}

void
_gp_window_start_split (GpWindow *self, double target)
{
  GpPlanSplitOptions options;
  double last_target, tolerance;

  gp_plan_split_options_init (&options);
  options.target = target;
  if (self->project != NULL && gp_project_get_split_target (self->project, &last_target, &tolerance))
    options.tolerance = tolerance;
  start_split_with (self, &options, NULL);
}

static void
on_split_response (GtkDialog *dialog, int response, GpWindow *self)
{
  GpPlanSplitOptions options;

  gp_plan_split_options_init (&options);
  gp_split_dialog_get_options (GP_SPLIT_DIALOG (dialog), &options);
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;
  if (gp_settings_get () != NULL)
    {
      /* What the planner chose is proposed for the next project. */
      g_settings_set_double (gp_settings_get (), "target", options.target);
      g_settings_set_double (gp_settings_get (), "tolerance", options.tolerance);
    }
  start_split_with (self, &options, NULL);
}

void
_gp_window_split_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  double target = 0, tolerance = 0;
  gint64 grids;
  GtkWidget *dialog;

  if (self->project == NULL || self->cancellable != NULL)
    return;
  if (!gp_project_get_split_target (self->project, &target, &tolerance) && gp_settings_get () != NULL)
    {
      target = g_settings_get_double (gp_settings_get (), "target");
      tolerance = g_settings_get_double (gp_settings_get (), "tolerance");
    }
  grids = gp_project_count (self->project, "grids", NULL);
  dialog = gp_split_dialog_new (GTK_WINDOW (self), target, tolerance, grids > 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_split_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The grids the planner selected, drawn again inside the ground they cover together, at the
 * project's households per grid; the other grids of their villages stay as they are. */
void
_gp_window_redraw_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autoptr(GPtrArray) areas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  GpPlanSplitOptions options;
  GpProjectEdit *edit;
  double target = 0.0, tolerance = 0.15;

  if (self->project == NULL || self->cancellable != NULL || self->selected->len == 0)
    return;
  for (guint i = 0; i < self->selected->len; i++)
    {
      const char *code = g_ptr_array_index (self->selected, i);
      char *area = _gp_window_grid_area (self, code);

      g_ptr_array_add (codes, (gpointer) code);
      if (area != NULL && !g_ptr_array_find_with_equal_func (areas, area, g_str_equal, NULL))
        g_ptr_array_add (areas, area);
      else
        g_free (area);
    }
  g_ptr_array_add (codes, NULL);
  g_ptr_array_add (areas, NULL);
  if (!gp_project_get_split_target (self->project, &target, &tolerance))
    {
      GSettings *settings = gp_settings_get ();

      target = settings != NULL ? g_settings_get_double (settings, "target") : 300.0;
      tolerance = settings != NULL ? g_settings_get_double (settings, "tolerance") : 0.15;
    }
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Redrew %u grid", "Redrew %u grids", codes->len - 1),
                                 codes->len - 1);
  edit = gp_project_edit_begin_areas (self->project, (const char *const *) areas->pdata, description, &error);
  if (edit == NULL)
    {
      _gp_window_show_error (self, _("The grids cannot be redrawn"), error);
      return;
    }
  gp_plan_split_options_init (&options);
  options.target = target;
  options.tolerance = tolerance;
  options.redraw = (const char *const *) codes->pdata;
  start_split_with (self, &options, edit);
}

/* Assign --------------------------------------------------------------------------------------- */

static void
assign_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GpProject *project = task_data;
  GpAssignOptions options;
  GError *error = NULL;
  GpAssignResult *result;

  gp_assign_options_init (&options);
  options.contact_ratio = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "contact-ratio"));
  result = gp_plan_assign (project, &options, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) gp_assign_result_free);
}

static void
assign_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GpAssignResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint workers, party;

  _gp_window_hide_progress (self);
  _gp_window_set_busy (self, FALSE);
  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      _gp_window_show_error (self, _("The assignment failed"), error);
      return;
    }
  workers = result->assigned[GP_ROLE_FULLTIME] + result->kept[GP_ROLE_FULLTIME];
  party = result->assigned[GP_ROLE_PARTY] + result->kept[GP_ROLE_PARTY];
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u full-time worker", "%u full-time workers", workers),
                          workers);
  /* TRANSLATORS: "12 full-time workers and 140 party members are on grids" */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " and %u party member are on grids",
                                             " and %u party members are on grids", party), party);
  if (result->grids_without_worker->len > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "; %u grid has no full-time worker",
                                               "; %u grids have no full-time worker",
                                               result->grids_without_worker->len),
                            result->grids_without_worker->len);
  g_string_append_c (text, '.');
  _gp_window_reload (self, text->str);
}

void
_gp_window_assign_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->project == NULL || self->cancellable != NULL)
    return;
  _gp_window_set_busy (self, TRUE);
  _gp_window_show_progress (self, _("Assigning people to grids…"));
  gtk_progress_bar_pulse (self->progress_bar);
  task = g_task_new (NULL, self->cancellable, assign_done, g_object_ref (self));
  g_task_set_source_tag (task, _gp_window_assign_action);
  g_task_set_task_data (task, g_object_ref (self->project), g_object_unref);
  /* The planner's households per party member (Preferences); 0: as the project's last assign. */
  if (gp_settings_get () != NULL)
    g_object_set_data (G_OBJECT (task), "contact-ratio",
                       GUINT_TO_POINTER ((guint) g_settings_get_double (gp_settings_get (), "contact-ratio")));
  g_task_run_in_thread (task, assign_thread);
}

/* A roster or a ledger dropped on the window ------------------------------------------------------ */

/* TRUE when one of the first rows of PATH names a status column: a ledger of service items. */
static gboolean
is_ledger (const char *path)
{
  g_autoptr(GpTable) table = gp_table_read (path, NULL, NULL, NULL);

  for (guint r = 0; table != NULL && r < table->rows->len && r < GP_PLAN_HEADER_SEARCH_ROWS; r++)
    {
      GpTableRow *row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < row->cells->len; c++)
        {
          g_autofree char *key = gp_plan_header_key (g_ptr_array_index (row->cells, c));

          if (strcmp (key, "状态") == 0 || strcmp (key, "status") == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
table_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GpProject *project = g_object_get_data (G_OBJECT (task), "project");
  const char *path = task_data;
  GError *error = NULL;
  char *summary;

  if (is_ledger (path))
    {
      g_autoptr(GpEventsResult) r = gp_plan_import_events (project, path, NULL, NULL, &error);

      if (r == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* TRANSLATORS: after dropping a ledger: "240 service items imported, 0 updated, 3 rows rejected" */
      summary = g_strdup_printf (_("%u service items imported, %u updated, %u rows rejected"), r->imported, r->updated,
                                 r->rejected);
    }
  else
    {
      g_autoptr(GpRosterResult) r = gp_plan_import_roster (project, path, NULL, NULL, &error);

      if (r == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* TRANSLATORS: after dropping a roster: "120 people imported, 0 updated, 2 rows rejected" */
      summary = g_strdup_printf (_("%u people imported, %u updated, %u rows rejected"), r->imported, r->updated,
                                 r->rejected);
    }
  g_task_return_pointer (task, summary, g_free);
}

static void
table_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  _gp_window_hide_progress (self);
  _gp_window_set_busy (self, FALSE);
  summary = g_task_propagate_pointer (G_TASK (res), &error);
  if (summary == NULL)
    {
      _gp_window_show_error (self, _("The import failed"), error);
      return;
    }
  _gp_window_reload (self, summary);
}

void
_gp_window_import_table (GpWindow *self, const char *path)
{
  g_autoptr(GTask) task = NULL;

  if (self->project == NULL || self->cancellable != NULL)
    return;
  _gp_window_set_busy (self, TRUE);
  _gp_window_show_progress (self, _("Importing…"));
  gtk_progress_bar_pulse (self->progress_bar);
  task = g_task_new (NULL, self->cancellable, table_done, g_object_ref (self));
  g_task_set_source_tag (task, _gp_window_import_table);
  g_object_set_data_full (G_OBJECT (task), "project", g_object_ref (self->project), g_object_unref);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, table_thread);
}

/* gp-window-export.c: Export from the window: the grid assignment list, the people, the grid
 * polygons, the map as shown (its heatmap) and the notice boards, each to a file the planner
 * names, written off the main thread through the same core calls as `gridplan-cli export`. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-plan-export.h"
#include "gp-plan-map.h"
#include "gp-window-private.h"

typedef enum {
  EXPORT_LIST,
  EXPORT_PEOPLE,
  EXPORT_GRIDS,
  EXPORT_MAP,
  EXPORT_BOARDS,
} ExportKind;

static const struct {
  const char *name;          /* the action's parameter */
  const char *title;         /* the chooser's title */
  const char *file;          /* the name it suggests */
  const char *patterns[4];   /* what it offers, the first the default */
} kinds[] = {
  [EXPORT_LIST] = { "list", N_("Export the Grid Assignment List"), N_("grid-assignments.xlsx"), { "*.xlsx", "*.csv" } },
  [EXPORT_PEOPLE] = { "people", N_("Export the People"), N_("people.xlsx"), { "*.xlsx", "*.csv" } },
  [EXPORT_GRIDS] = { "grids", N_("Export the Grid Polygons"), N_("grids.shp"), { "*.shp", "*.gpkg", "*.geojson" } },
  [EXPORT_MAP] = { "map", N_("Export the Map"), N_("map.pdf"), { "*.pdf", "*.png", "*.svg" } },
  [EXPORT_BOARDS] = { "boards", N_("Export the Notice Boards"), N_("notice-boards.pdf"), { "*.pdf" } },
};

typedef struct {
  GpProject *project;
  ExportKind kind;
  char *path;
  char *metric;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->project);
  g_free (job->path);
  g_free (job->metric);
  g_free (job);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->kind == EXPORT_MAP)
    {
      GpPlanMapOptions options;

      gp_plan_map_options_init (&options);
      options.metric = job->metric;
      ok = gp_plan_export_map (job->project, &options, job->path, &error);
    }
  else
    {
      GpExportOptions options;
      g_autoptr(GpExport) export = NULL;

      /* Personal data stays masked: a file from the window is shared as readily as a printout. */
      gp_export_options_init (&options);
      export = gp_export_load (job->project, &options, &error);
      ok = export != NULL;
      if (ok && job->kind == EXPORT_LIST)
        ok = gp_export_list (export, job->path, &error);
      else if (ok && job->kind == EXPORT_PEOPLE)
        ok = gp_export_people (export, job->path, &error);
      else if (ok && job->kind == EXPORT_GRIDS)
        ok = gp_export_grids (export, job->path, &error);
      else if (ok)
        ok = gp_export_boards (export, NULL, NULL, job->path, NULL, cancellable, &error);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  ExportJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_filename_display_basename (job->path);

  _gp_window_hide_progress (self);
  _gp_window_set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_autofree char *primary = g_strdup_printf (_("Could not write “%s”"), name);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _gp_window_show_toast (self, _("The export was cancelled; nothing was written."));
      else
        _gp_window_show_error (self, primary, error);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Wrote “%s”."), name);

    _gp_window_show_toast (self, text);
  }
  /* Nothing on the map changed: what waits for the window to settle (a screenshot) may go on. */
  _gp_window_settled (self);
}

/* The planner's name, with the default extension when they gave none. */
static char *
with_extension (const char *path, ExportKind kind)
{
  const char *base = strrchr (path, G_DIR_SEPARATOR);

  if (strchr (base != NULL ? base : path, '.') != NULL)
    return g_strdup (path);
  return g_strconcat (path, kinds[kind].patterns[0] + 1, NULL);
}

static void
start_export (GpWindow *self, ExportKind kind, const char *chosen)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  if (self->project == NULL || self->cancellable != NULL)
    return;
  job = g_new0 (ExportJob, 1);
  job->project = g_object_ref (self->project);
  job->kind = kind;
  job->path = with_extension (chosen, kind);
  job->metric = g_strdup (_gp_window_current_metric (self));
  _gp_window_set_busy (self, TRUE);
  _gp_window_show_progress (self, _("Exporting…"));
  gtk_progress_bar_pulse (self->progress_bar);
  task = g_task_new (NULL, self->cancellable, export_done, g_object_ref (self));
  g_task_set_source_tag (task, start_export);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
_gp_window_start_export (GpWindow *self, const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  ExportKind kind;

  if (g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".csv"))
    kind = EXPORT_LIST;
  else if (g_str_has_suffix (lower, ".shp") || g_str_has_suffix (lower, ".gpkg") || g_str_has_suffix (lower, ".geojson"))
    kind = EXPORT_GRIDS;
  else if (g_str_has_suffix (lower, ".pdf") || g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".svg"))
    kind = EXPORT_MAP;
  else
    return FALSE;
  start_export (self, kind, path);
  return TRUE;
}

typedef struct {
  GpWindow *window;
  ExportKind kind;
} ExportChoice;

static void
on_export_response (GtkNativeDialog *chooser, int response, ExportChoice *choice)
{
  g_autoptr(GpWindow) self = choice->window;
  ExportKind kind = choice->kind;
  g_autoptr(GFile) file = NULL;
  g_autofree char *chosen = NULL;

  g_free (choice);
  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file != NULL && (chosen = g_file_get_path (file)) != NULL)
    start_export (self, kind, chosen);
}

void
_gp_window_export_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  const char *name = g_variant_get_string (param, NULL);
  GtkFileChooserNative *chooser;
  ExportChoice *choice;
  guint kind;

  for (kind = 0; kind < G_N_ELEMENTS (kinds); kind++)
    if (strcmp (kinds[kind].name, name) == 0)
      break;
  if (kind == G_N_ELEMENTS (kinds) || self->project == NULL || self->cancellable != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_(kinds[kind].title), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _(kinds[kind].file));
  if (self->path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->path);
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds[kind].patterns) && kinds[kind].patterns[i] != NULL; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, kinds[kind].patterns[i]);
      gtk_file_filter_add_pattern (filter, kinds[kind].patterns[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  choice = g_new0 (ExportChoice, 1);
  choice->window = g_object_ref (self);
  choice->kind = kind;
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

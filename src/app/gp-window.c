/* gp-window.c: the main window: opens projects and shapefiles, imports, and hosts the map view. */
#include "gp-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-load.h"
#include "gp-map-view.h"
#include "gp-output.h"
#include "gp-plan-check.h"
#include "gp-plan-values.h"
#include "gp-grid-item.h"
#include "gp-plan-data.h"
#include "gp-problem-item.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-window.h"
#include "gp-window-private.h"
#include "gp-settings.h"

#define TOAST_SECONDS 8


G_DEFINE_FINAL_TYPE (GpWindow, gp_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  MAP_DRAWN,
  OPEN_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void on_heatmap_selected (GpWindow *self);
static void on_map_drawn (GpWindow *self);
static void show_side (GpWindow *self, const char *page);
static void start_grids (GpWindow *self);
static void grids_action (GSimpleAction *action, GVariant *param, gpointer user_data);
static void start_check (GpWindow *self);
static void check_action (GSimpleAction *action, GVariant *param, gpointer user_data);

static void
set_action_enabled (GpWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (GpWindow *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean has_map = gp_map_view_get_data (self->map_view) != NULL;

  set_action_enabled (self, "new", !busy);
  set_action_enabled (self, "open", !busy);
  set_action_enabled (self, "import", !busy);
  set_action_enabled (self, "zoom-in", has_map);
  set_action_enabled (self, "zoom-out", has_map);
  set_action_enabled (self, "zoom-fit", has_map);
  /* Heatmaps are measured on a project's grids and people, not on a shapefile. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->heatmap_dropdown), self->project != NULL && !busy);
  set_action_enabled (self, "check", self->project != NULL && !busy);
  set_action_enabled (self, "split", self->project != NULL && !busy);
  set_action_enabled (self, "assign", self->project != NULL && !busy);
  set_action_enabled (self, "export", self->project != NULL && !busy);
  _gp_window_edit_update_actions (self);
  set_action_enabled (self, "grids", self->project != NULL && !busy);
  set_action_enabled (self, "people", self->project != NULL && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
set_busy (GpWindow *self, gboolean busy)
{
  if (busy)
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  else
    g_clear_object (&self->cancellable);
  update_actions (self);
}

static void
update_title (GpWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *title = NULL;

  if (self->path == NULL)
    {
      gtk_label_set_label (self->title_label, _("GridPlan"));
      gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);
      gtk_window_set_title (GTK_WINDOW (self), _("GridPlan"));
      return;
    }
  name = g_filename_display_basename (self->path);
  dir = g_path_get_dirname (self->path);
  {
    g_autofree char *display_dir = g_filename_display_name (dir);
    const char *home = g_get_home_dir ();

    /* Like Text Editor: the folder as a subtitle, the home folder shortened to "~". */
    if (home != NULL && g_str_has_prefix (display_dir, home))
      {
        g_autofree char *tail = g_strdup (display_dir + strlen (home));

        g_free (display_dir);
        display_dir = g_strconcat ("~", tail, NULL);
      }
    gtk_label_set_label (self->subtitle_label, display_dir);
  }
  gtk_label_set_label (self->title_label, name);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);
  /* TRANSLATORS: the window title: the file shown, then the application's name. */
  title = g_strdup_printf (_("%s — GridPlan"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Toasts and dialogs -------------------------------------------------------------------------- */

static void
on_toast_close (GpWindow *self)
{
  g_clear_handle_id (&self->toast_source, g_source_remove);
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
}

static gboolean
toast_timeout (gpointer user_data)
{
  GpWindow *self = user_data;

  self->toast_source = 0;
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

static void
show_toast (GpWindow *self, const char *text)
{
  gtk_label_set_label (self->toast_label, text);
  gtk_revealer_set_reveal_child (self->toast_revealer, TRUE);
  g_clear_handle_id (&self->toast_source, g_source_remove);
  self->toast_source = g_timeout_add_seconds (TOAST_SECONDS, toast_timeout, self);
}

/* Sums up notes in a toast: the first few and how many more, so nothing floods the window. */
static void
show_notes (GpWindow *self, const char *headline, GPtrArray *notes)
{
  g_autoptr(GString) text = g_string_new (headline);
  guint shown = MIN (notes->len, 3);

  for (guint i = 0; i < shown; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (notes, i));
    }
  if (notes->len > shown)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "… and %u more note",
                                                 "… and %u more notes", notes->len - shown),
                              notes->len - shown);
    }
  if (text->len > 0)
    show_toast (self, text->str);
}

static void
show_error (GpWindow *self, const char *primary, const GError *error)
{
  GtkWidget *dialog;

  g_signal_emit (self, signals[OPEN_FAILED], 0, error->message);
  if (!self->interactive)
    return;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_gp_window_set_busy (GpWindow *self, gboolean busy)
{
  set_busy (self, busy);
}

void
_gp_window_show_toast (GpWindow *self, const char *text)
{
  show_toast (self, text);
}

void
_gp_window_show_error (GpWindow *self, const char *primary, const GError *error)
{
  show_error (self, primary, error);
}

/* Loading ------------------------------------------------------------------------------------- */

/* One layer's count in the status line, e.g. "136 units"; NULL when the layer is empty. */
static char *
count_text (GpMapData *data, GpMapLayer layer)
{
  guint n = gp_map_data_get_n_features (data, layer);

  if (n == 0)
    return NULL;
  switch (layer)
    {
    case GP_MAP_LAYER_AREAS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u area", "%u areas", n), n);
    case GP_MAP_LAYER_UNITS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unit", "%u units", n), n);
    case GP_MAP_LAYER_HOUSEHOLDS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u household", "%u households", n), n);
    case GP_MAP_LAYER_GRIDS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u grid", "%u grids", n), n);
    case GP_MAP_LAYER_EVENTS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u service item", "%u service items", n), n);
    case GP_MAP_LAYER_PEOPLE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people", n), n);
    case GP_MAP_N_LAYERS:
    default:
      return NULL;
    }
}

/* "17 areas · 136 units": what the map holds, so nobody wonders whether a layer loaded. */
static void
update_status (GpWindow *self, GpMapData *data)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; data != NULL && i < GP_MAP_N_LAYERS; i++)
    {
      g_autofree char *count = count_text (data, i);

      if (count == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, count);
    }
  gtk_label_set_label (self->status_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text->len > 0);
}

static void
show_result (GpWindow *self, GpLoadResult *result, gboolean fit)
{
  g_set_object (&self->project, result->project);
  g_free (self->path);
  self->path = g_strdup (result->path);
  self->map_ready = FALSE;
  gp_map_view_set_data (self->map_view, result->data, fit);
  update_status (self, result->data);
  gtk_stack_set_visible_child_name (self->stack, "map");
  gtk_widget_grab_focus (GTK_WIDGET (self->map_view));
  update_title (self);
  update_actions (self);
}

/* TRUE when RES is not the work the window waits for (replaced by newer work, or the window
 * is closing): its result is then dropped without a word. */
static gboolean
is_stale (GpWindow *self, GAsyncResult *res)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));

  return cancellable == NULL || cancellable != self->cancellable ||
         g_cancellable_is_cancelled (cancellable);
}

/* What the command line asked for once the project is shown, one step per load, in order:
 * gridplan --split T, then --import FILE (a roster or ledger), then --export OUT. Each step's
 * reload brings the next. */
static void
start_pending_work (GpWindow *self)
{
  if (self->project == NULL)
    {
      self->split_wanted = 0;
      g_clear_pointer (&self->import_wanted, g_free);
      g_clear_pointer (&self->export_wanted, g_free);
      return;
    }
  if (self->split_wanted > 0)
    {
      double target = self->split_wanted;

      self->split_wanted = 0;
      _gp_window_start_split (self, target);
    }
  else if (self->import_wanted != NULL)
    {
      g_autofree char *in = g_steal_pointer (&self->import_wanted);

      _gp_window_import_table (self, in);
    }
  else if (self->export_wanted != NULL)
    {
      g_autofree char *out = g_steal_pointer (&self->export_wanted);

      if (!_gp_window_start_export (self, out))
        {
          g_autoptr(GError) error = g_error_new (GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                                                 _("%s: export a project as .xlsx, .csv, .shp, .gpkg, .geojson, "
                                                   ".pdf, .png or .svg"), out);

          show_error (self, _("Nothing was exported"), error);
        }
    }
}

static void
open_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GpLoadResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (is_stale (self, res))
    {
      g_autoptr(GpLoadResult) dropped = gp_load_file_finish (res, NULL);
      return;
    }
  set_busy (self, FALSE);
  result = gp_load_file_finish (res, &error);
  if (result == NULL)
    {
      g_autofree char *name = g_task_get_task_data (G_TASK (res)) != NULL ?
        g_filename_display_basename (g_task_get_task_data (G_TASK (res))) : g_strdup ("");
      g_autofree char *primary = g_strdup_printf (_("Could not open “%s”"), name);

      show_error (self, primary, error);
      return;
    }
  show_result (self, result, !self->keep_view);
  if (self->project != NULL && self->interactive)
    gp_settings_add_recent (self->path);
  if (self->keep_view)
    _gp_window_edit_refresh (self);
  else
    {
      /* Another file: its own selection and edits. */
      const char *none[] = { NULL };

      g_ptr_array_set_size (self->edits, 0);
      self->undo_top = 0;
      _gp_window_select (self, self->select_wanted != NULL && self->project != NULL
                                 ? (const char *const *) self->select_wanted : none);
      g_clear_pointer (&self->select_wanted, g_strfreev);
    }
  self->keep_view = FALSE;
  /* The check asked for before there was a project (gridplan --mode review), or a new
   * project's own problems when the panel is open. */
  if (self->project == NULL)
    {
      self->check_wanted = self->grids_wanted = self->people_wanted = FALSE;
      gtk_widget_set_visible (self->side_panel, FALSE);
    }
  else
    {
      /* What was asked for before there was a project (--mode review, --mode plan), else the
       * new project's own grids and problems where the panel shows them. */
      const char *page = gtk_stack_get_visible_child_name (self->side_stack);
      gboolean open = gtk_widget_get_visible (self->side_panel);
      gboolean check = self->check_wanted, grids = self->grids_wanted;

      gboolean people = self->people_wanted;

      if (check || (open && !grids && !people && g_strcmp0 (page, "problems") == 0))
        start_check (self);
      if (grids || (open && !check && !people && g_strcmp0 (page, "grids") == 0))
        start_grids (self);
      if (people || (open && !check && !grids && g_strcmp0 (page, "people") == 0))
        {
          _gp_window_show_side (self, "people");
          _gp_window_start_people (self);
        }
    }
  /* A heatmap asked for before there was a project (gridplan --heatmap), or kept from the
   * project shown before. */
  if (self->project != NULL && gtk_drop_down_get_selected (self->heatmap_dropdown) > 0)
    on_heatmap_selected (self);
  else
    {
      g_clear_pointer (&self->heatmap_wanted, g_free);
      gp_map_view_set_heatmap (self->map_view, NULL);
      gp_map_view_set_density (self->map_view, NULL);
    }
  {
    double bbox[4];

    if (!gp_map_data_get_bbox (result->data, bbox))
      {
        g_autofree char *name = g_filename_display_basename (result->path);
        g_autofree char *headline =
          g_strdup_printf (_("“%s” has nothing to show yet: import areas or units with Import…"), name);

        show_notes (self, headline, result->notes);
        return;
      }
  }
  {
    /* What the work that asked for this reload has to say (a split's summary) leads. */
    g_autofree char *pending = g_steal_pointer (&self->pending_toast);

    show_notes (self, pending != NULL ? pending : "", result->notes);
  }
  start_pending_work (self);
}

void
_gp_window_reload (GpWindow *self, const char *toast)
{
  g_autoptr(GFile) file = NULL;

  g_free (self->pending_toast);
  self->pending_toast = g_strdup (toast);
  if (self->path == NULL)
    return;
  file = g_file_new_for_path (self->path);
  self->keep_view = TRUE;
  gp_window_open (self, file);
}

void
gp_window_open (GpWindow *self, GFile *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *primary = g_strdup_printf (_("Could not open “%s”"), uri);

      g_set_error (&error, GP_ERROR, GP_ERROR_IO, _("%s: only local files can be opened"), uri);
      show_error (self, primary, error);
      return;
    }
  /* Newer wins: what was loading is dropped when it comes back (is_stale). */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  set_busy (self, TRUE);
  gp_load_file_async (path, self->cancellable, open_done, g_object_ref (self));
}

static void
on_open_response (GtkNativeDialog *chooser, int response, GpWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        gp_window_open (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *const *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static GtkFileChooserNative *
new_chooser (GpWindow *self, const char *title, const char *accept, gboolean projects)
{
  static const char *const both[] = { "gpkg", "shp", "zip", NULL };
  static const char *const shapefiles[] = { "shp", "zip", NULL };
  static const char *const gpkg[] = { "gpkg", NULL };
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                 accept, _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (projects)
    {
      add_filter (GTK_FILE_CHOOSER (chooser), _("Projects and shapefiles"), both);
      add_filter (GTK_FILE_CHOOSER (chooser), _("GridPlan projects (*.gpkg)"), gpkg);
    }
  add_filter (GTK_FILE_CHOOSER (chooser), _("Shapefiles (*.shp, *.zip)"), shapefiles);
  return chooser;
}

static void
open_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;

  if (self->chooser != NULL)
    return;
  self->chooser = new_chooser (self, _("Open a Project or a Shapefile"), _("_Open"), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* A new, empty project ----------------------------------------------------------------------- */

void
_gp_window_create_project (GpWindow *self, const char *path)
{
  g_autofree char *gpkg = g_str_has_suffix (path, ".gpkg") ? g_strdup (path) : g_strconcat (path, ".gpkg", NULL);
  g_autofree char *fresh = g_strconcat (gpkg, ".new", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GFile) file = NULL;

  /* Made beside it and put in place in one step: a project the planner chose to replace is
   * never half gone. */
  g_unlink (fresh);
  if ((project = gp_project_create (fresh, &error)) == NULL)
    {
      show_error (self, _("The project could not be created"), error);
      return;
    }
  g_clear_object (&project);
  if (g_rename (fresh, gpkg) != 0)
    {
      int saved = errno;

      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", gpkg, g_strerror (saved));
      g_unlink (fresh);
      show_error (self, _("The project could not be created"), error);
      return;
    }
  /* Left over from a project of that name, they would be read into the new one. */
  {
    g_autofree char *wal = g_strconcat (gpkg, "-wal", NULL);
    g_autofree char *shm = g_strconcat (gpkg, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  file = g_file_new_for_path (gpkg);
  g_free (self->pending_toast);
  self->pending_toast = g_strdup (_("A new project: import its villages and communities, then their compounds "
                                    "or villager groups (Import…)."));
  gp_window_open (self, file);
}

static void
on_new_response (GtkNativeDialog *chooser, int response, GpWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        _gp_window_create_project (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
new_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  static const char *const gpkg[] = { "gpkg", NULL };

  if (self->chooser != NULL || self->cancellable != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("New Project"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Create"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("GridPlan projects (*.gpkg)"), gpkg);
  /* TRANSLATORS: the file name proposed for a new project. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("grids.gpkg"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_new_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Importing ----------------------------------------------------------------------------------- */

static void
import_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GpLoadResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *headline = NULL;

  if (is_stale (self, res))
    {
      g_autoptr(GpLoadResult) dropped = gp_load_import_finish (res, NULL);
      return;
    }
  set_busy (self, FALSE);
  _gp_window_hide_progress (self);
  result = gp_load_import_finish (res, &error);
  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, _("The import was cancelled; the project is as it was."));
      else
        show_error (self, _("The import failed"), error);
      return;
    }
  headline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u feature",
                                           "Imported %u features", result->n_imported),
                              result->n_imported);
  /* The first layer of a new project deserves a fitted view; later ones keep the view. */
  {
    GpMapData *before = gp_map_view_get_data (self->map_view);
    double bbox[4];

    show_result (self, result, before == NULL || !gp_map_data_get_bbox (before, bbox));
  }
  show_notes (self, headline, result->notes);
}

typedef struct {
  GpWindow *window;
  char *path;
} ImportChoice;

enum {
  RESPONSE_AREAS = 1,
  RESPONSE_UNITS,
  RESPONSE_HOUSEHOLDS,
  RESPONSE_EXCLUSIVE,
};

void
_gp_window_import_shapefile (GpWindow *self, const char *path, GpImportKind kind)
{
  if (self->project == NULL || self->cancellable != NULL)
    return;
  set_busy (self, TRUE);
  /* Large files take a while: the bar says so, and Cancel puts the project back as it was. */
  _gp_window_show_progress (self, _("Importing…"));
  gtk_progress_bar_pulse (self->progress_bar);
  gp_load_import_async (self->project, path, kind, self->cancellable, import_done, g_object_ref (self));
}

static void
on_kind_response (GtkDialog *dialog, int response, ImportChoice *choice)
{
  GpWindow *self = choice->window;
  GpImportKind kind;
  gboolean go = TRUE;

  switch (response)
    {
    case RESPONSE_AREAS:
      kind = GP_IMPORT_AREAS;
      break;
    case RESPONSE_UNITS:
      kind = GP_IMPORT_UNITS;
      break;
    case RESPONSE_HOUSEHOLDS:
      kind = GP_IMPORT_HOUSEHOLDS;
      break;
    case RESPONSE_EXCLUSIVE:
      kind = GP_IMPORT_EXCLUSIVE;
      break;
    default:
      kind = GP_IMPORT_AREAS;
      go = FALSE;
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (go)
    _gp_window_import_shapefile (self, choice->path, kind);
  g_object_unref (choice->window);
  g_free (choice->path);
  g_free (choice);
}

static void
ask_import_kind (GpWindow *self, const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *project = g_filename_display_basename (gp_project_get_path (self->project));
  ImportChoice *choice = g_new0 (ImportChoice, 1);
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Import “%s” as…"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
    _("Areas are townships, streets, villages and communities. Units are compounds, villager "
      "groups or buildings with household counts. Exclusive grids are schools, hospitals, parks "
      "and enterprises, kept whole when grids are split. The features are added to “%s”."), project);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Exclusive grids"), RESPONSE_EXCLUSIVE);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Households"), RESPONSE_HOUSEHOLDS);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Units"), RESPONSE_UNITS);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Areas"), RESPONSE_AREAS);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), RESPONSE_AREAS);

  choice->window = g_object_ref (self);
  choice->path = g_strdup (path);
  g_signal_connect (dialog, "response", G_CALLBACK (on_kind_response), choice);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_import_response (GtkNativeDialog *chooser, int response, GpWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && self->project != NULL)
        ask_import_kind (self, path);
      else if (file != NULL)
        /* No project to import into: show the shapefile instead. */
        gp_window_open (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
import_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;

  if (self->chooser != NULL)
    return;
  self->chooser = new_chooser (self, _("Import a Shapefile"), _("_Import"), FALSE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Map actions --------------------------------------------------------------------------------- */

static void
zoom_in_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gp_map_view_zoom (GP_WINDOW (user_data)->map_view, 2.0);
}

static void
zoom_out_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gp_map_view_zoom (GP_WINDOW (user_data)->map_view, 0.5);
}

static void
zoom_fit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gp_map_view_zoom_fit (GP_WINDOW (user_data)->map_view);
}

/* The layer list: each layer's visibility a stateful action (a check item in the menu). */
static void
layer_change_state (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  GpWindow *self = user_data;
  static const struct {
    const char *name;
    GpMapLayer layer;
  } layers[] = {
    { "show-areas", GP_MAP_LAYER_AREAS }, { "show-units", GP_MAP_LAYER_UNITS },
    { "show-households", GP_MAP_LAYER_HOUSEHOLDS }, { "show-grids", GP_MAP_LAYER_GRIDS },
    { "show-events", GP_MAP_LAYER_EVENTS }, { "show-people", GP_MAP_LAYER_PEOPLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    if (g_strcmp0 (g_action_get_name (G_ACTION (action)), layers[i].name) == 0)
      gp_map_view_set_layer_visible (self->map_view, layers[i].layer, g_variant_get_boolean (state));
  g_simple_action_set_state (action, state);
  /* The heatmap is no layer of the map data: drawn again (or taken away), its choice kept. */
  if (g_strcmp0 (g_action_get_name (G_ACTION (action)), "show-heatmap") == 0)
    {
      if (g_variant_get_boolean (state) && self->project != NULL)
        on_heatmap_selected (self);
      else
        {
          gp_map_view_set_heatmap (self->map_view, NULL);
          gp_map_view_set_density (self->map_view, NULL);
        }
    }
}

/* Phones in full in the people list (kept in the settings); masked by default (PIPL). */
static void
personal_data_change_state (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  GpWindow *self = user_data;
  GSettings *settings = gp_settings_get ();

  g_simple_action_set_state (action, state);
  if (settings != NULL && g_settings_get_boolean (settings, "show-personal-data") != g_variant_get_boolean (state))
    g_settings_set_boolean (settings, "show-personal-data", g_variant_get_boolean (state));
  if (self->project != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->people)) > 0)
    _gp_window_start_people (self);
}

static void
open_recent_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  gp_window_open (self, file);
}

/* The recent projects in the primary menu, those still there. */
static void
update_recent_menu (GpWindow *self)
{
  GSettings *settings = gp_settings_get ();
  g_auto(GStrv) paths = settings != NULL ? g_settings_get_strv (settings, "recent-projects") : NULL;

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (!g_file_test (paths[i], G_FILE_TEST_IS_REGULAR))
        continue;
      label = g_filename_display_basename (paths[i]);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (paths[i]));
      g_menu_append_item (self->recent_menu, item);
    }
}

/* The window's size, kept for the next time (not for pictures taken by tests). */
static gboolean
on_close_request (GpWindow *self)
{
  GSettings *settings = gp_settings_get ();
  int width = 0, height = 0;

  if (settings == NULL || !self->interactive)
    return FALSE;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  return FALSE;
}

static const GActionEntry win_actions[] = {
  { "open", open_action },
  { "import", import_action },
  { "split", _gp_window_split_action },
  { "assign", _gp_window_assign_action },
  { "export", _gp_window_export_action, "s" },
  { "undo", _gp_window_undo_action },
  { "redo", _gp_window_redo_action },
  { "rename-grid", _gp_window_rename_action },
  { "lock-grids", _gp_window_lock_action },
  { "merge-grids", _gp_window_merge_action },
  { "redraw-grids", _gp_window_redraw_action },
  { "place-person", _gp_window_place_action },
  { "exclusive-grids", _gp_window_exclusive_action },
  { "open-recent", open_recent_action, "s" },
  { "show-areas", NULL, NULL, "true", layer_change_state },
  { "show-units", NULL, NULL, "true", layer_change_state },
  { "show-households", NULL, NULL, "true", layer_change_state },
  { "show-grids", NULL, NULL, "true", layer_change_state },
  { "show-events", NULL, NULL, "true", layer_change_state },
  { "show-people", NULL, NULL, "true", layer_change_state },
  { "show-heatmap", NULL, NULL, "true", layer_change_state },
  { "zoom-in", zoom_in_action },
  { "zoom-out", zoom_out_action },
  { "zoom-fit", zoom_fit_action },
  { "check", check_action },
  { "grids", grids_action },
  { "new", new_action },
  { "people", _gp_window_people_action },
  { "show-personal-data", NULL, NULL, "false", personal_data_change_state },
};

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, GpWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->cancellable != NULL)
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  {
    /* Into the open project: a shapefile is imported (asking what it holds), a spreadsheet is
     * the roster or the service-item ledger; anything else, or with no project, is opened. */
    g_autofree char *path = g_file_get_path (files->data);
    g_autofree char *lower = path != NULL ? g_ascii_strdown (path, -1) : NULL;

    if (self->project != NULL && lower != NULL
        && (g_str_has_suffix (lower, ".shp") || g_str_has_suffix (lower, ".zip")))
      ask_import_kind (self, path);
    else if (self->project != NULL && lower != NULL
             && (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".xls")))
      _gp_window_import_table (self, path);
    else
      gp_window_open (self, files->data);
  }
  g_slist_free (files);
  return TRUE;
}

static void
on_view_drawn (GpWindow *self)
{
  self->map_ready = TRUE;
  on_map_drawn (self);
}

/* Two frame ticks: the frame after the last change has been painted by the second. */
static gboolean
settle_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  guint *ticks = user_data;

  if (++*ticks < 2)
    return G_SOURCE_CONTINUE;
  on_map_drawn (GP_WINDOW (widget));
  return G_SOURCE_REMOVE;
}

void
_gp_window_settled (GpWindow *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_widget_add_tick_callback (GTK_WIDGET (self), settle_tick, g_new0 (guint, 1), g_free);
}

static void
on_map_drawn (GpWindow *self)
{
  /* A heatmap still being measured, a check still running, or the grid list still loading is
   * part of what was asked to be shown. */
  if (self->heatmap_wanted != NULL || self->check_wanted || self->check_cancellable != NULL || self->grids_wanted
      || self->grids_cancellable != NULL || self->people_wanted || self->people_cancellable != NULL
      || self->split_wanted > 0 || self->cancellable != NULL
      || self->export_wanted != NULL || self->import_wanted != NULL || !self->map_ready)
    return;
  g_signal_emit (self, signals[MAP_DRAWN], 0);
}

/* Load mode: heatmaps ------------------------------------------------------------------------- */

/* The chooser's entries after "Plan": the metrics in their CLI names. */
static const char *const heatmap_metrics[] = {
  "households", "deviation", "per-worker", "contact-coverage", "status",
};

const char *
_gp_window_current_metric (GpWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->heatmap_dropdown);

  if (i > 0 && i <= G_N_ELEMENTS (heatmap_metrics))
    return heatmap_metrics[i - 1];
  if (i == G_N_ELEMENTS (heatmap_metrics) + 1)
    return "density";
  return NULL;
}

static void
heatmap_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *const *args = task_data;   /* project path, metric */
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GHashTable) values = NULL;
  GError *error = NULL;
  GpHeatmapMetric metric;

  if (!gp_heatmap_metric_parse (args[1], &metric))
    {
      g_task_return_new_error (task, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("unknown heatmap “%s”"), args[1]);
      return;
    }
  /* A connection of its own: the window's stays with the main thread. */
  if ((project = gp_project_open (args[0], &error)) == NULL
      || (values = gp_plan_grid_values (project, args[1], &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, gp_heatmap_new (metric, values, GP_CLASSING_NATURAL, 5),
                         (GDestroyNotify) gp_heatmap_free);
}

/* Whether the heatmap (or density) is to be drawn: the layer list's Heatmap item. */
static gboolean
heatmap_shown (GpWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-heatmap");
  g_autoptr(GVariant) state = action != NULL ? g_action_get_state (action) : NULL;

  return state == NULL || g_variant_get_boolean (state);
}

static void
heatmap_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpHeatmap) heatmap = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_task_get_cancellable (G_TASK (res)) != self->heatmap_cancellable
      || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  g_clear_object (&self->heatmap_cancellable);
  g_clear_pointer (&self->heatmap_wanted, g_free);
  if (heatmap == NULL)
    {
      show_error (self, _("Could not draw the heatmap"), error);
      gtk_drop_down_set_selected (self->heatmap_dropdown, 0);
      return;
    }
  gp_map_view_set_heatmap (self->map_view, heatmap_shown (self) ? heatmap : NULL);
}

/* Measures METRIC (a CLI name; NULL: none) on the project shown and colours the map by it. */
static void
start_heatmap (GpWindow *self, const char *metric)
{
  g_autoptr(GTask) task = NULL;
  char **args;

  if (self->heatmap_cancellable != NULL)
    g_cancellable_cancel (self->heatmap_cancellable);
  g_clear_object (&self->heatmap_cancellable);
  if (metric == NULL || self->project == NULL)
    {
      gp_map_view_set_heatmap (self->map_view, NULL);
      return;
    }
  g_free (self->heatmap_wanted);
  self->heatmap_wanted = g_strdup (metric);
  args = g_new0 (char *, 3);
  args[0] = g_strdup (gp_project_get_path (self->project));
  args[1] = g_strdup (metric);
  self->heatmap_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->heatmap_cancellable, heatmap_done, g_object_ref (self));
  g_task_set_task_data (task, args, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, heatmap_thread);
}

static void
on_heatmap_selected (GpWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->heatmap_dropdown);
  GpMapData *data = gp_map_view_get_data (self->map_view);

  /* The last entry: the households' density, from the map's own points (no measuring). */
  if (i == G_N_ELEMENTS (heatmap_metrics) + 1)
    {
      g_autoptr(GpDensity) density = data != NULL && heatmap_shown (self) ? gp_density_new_from_map (data, 0.0) : NULL;

      start_heatmap (self, NULL);
      gp_map_view_set_density (self->map_view, density);
      return;
    }
  gp_map_view_set_density (self->map_view, NULL);
  start_heatmap (self, i > 0 && i <= G_N_ELEMENTS (heatmap_metrics) ? heatmap_metrics[i - 1] : NULL);
}

/* The side panel ------------------------------------------------------------------------------- */

static void
show_side (GpWindow *self, const char *page)
{
  gtk_stack_set_visible_child_name (self->side_stack, page);
  if (!gtk_widget_get_visible (self->side_panel))
    {
      gtk_widget_set_visible (self->side_panel, TRUE);
      /* The map narrows beside the panel: "map-drawn" once it is drawn again at its new size. */
      gp_map_view_announce_next_frame (self->map_view);
    }
}

void
_gp_window_show_side (GpWindow *self, const char *page)
{
  show_side (self, page);
}

/* Plan mode: the grid list ----------------------------------------------------------------------- */

static void
string_free_all (gpointer string)
{
  g_string_free (string, TRUE);
}

/* The rows of every grid of the project at PATH: its numbers as stored, its full-time workers by
 * name, the households its party members keep in contact, its worst service item. */
static void
grids_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) people = NULL, assignments = NULL, contacts = NULL;
  g_autoptr(GHashTable) deviation = NULL, status = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) person = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) workers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         string_free_all);
  g_autoptr(GHashTable) linked = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GListStore *rows = g_list_store_new (GP_TYPE_GRID_ITEM);
  GError *error = NULL;

  if ((project = gp_project_open (task_data, &error)) == NULL || (data = gp_plan_data_load (project, &error)) == NULL
      || (people = gp_project_load_people (project, &error)) == NULL
      || (assignments = gp_project_load_assignments (project, &error)) == NULL
      || (contacts = gp_project_load_party_contacts (project, &error)) == NULL
      || (deviation = gp_plan_grid_values (project, "deviation", &error)) == NULL
      || (status = gp_plan_grid_values (project, "status", &error)) == NULL)
    {
      g_object_unref (rows);
      g_task_return_error (task, error);
      return;
    }
  names = gp_plan_data_area_names (data);
  for (guint i = 0; i < people->len; i++)
    if (((GpProjectPerson *) g_ptr_array_index (people, i))->id != NULL)
      g_hash_table_insert (person, ((GpProjectPerson *) g_ptr_array_index (people, i))->id, g_ptr_array_index (people, i));
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);
      GpProjectPerson *p = g_hash_table_lookup (person, a->person_id);
      GString *list;

      if (p == NULL || g_strcmp0 (a->role, "fulltime") != 0)
        continue;
      list = g_hash_table_lookup (workers, a->grid_code);
      if (list == NULL)
        g_hash_table_insert (workers, a->grid_code, list = g_string_new (NULL));
      g_string_append_printf (list, "%s%s", list->len > 0 ? "、" : "", p->name);
    }
  for (guint i = 0; i < contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (contacts, i);
      gint64 *n = g_hash_table_lookup (linked, c->grid_code);

      if (n == NULL)
        g_hash_table_insert (linked, c->grid_code, n = g_new0 (gint64, 1));
      *n += c->households;
    }
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      const double *dev = g_hash_table_lookup (deviation, grid->code), *st = g_hash_table_lookup (status, grid->code);
      const gint64 *n = g_hash_table_lookup (linked, grid->code);
      GString *list = g_hash_table_lookup (workers, grid->code);
      const char *community = grid->area_code != NULL ? g_hash_table_lookup (names, grid->area_code) : NULL;
      g_autoptr(GpGridItem) item = gp_grid_item_new (grid->code, grid->name, community, grid->households,
                                                     dev != NULL ? *dev : NAN, list != NULL ? list->str : NULL,
                                                     n != NULL ? *n : (people->len > 0 ? 0 : -1),
                                                     st != NULL && isfinite (*st) ? (int) *st : -1);

      g_list_store_append (rows, item);
    }
  g_task_return_pointer (task, rows, g_object_unref);
}

static void
grids_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) rows = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_task_get_cancellable (G_TASK (res)) != self->grids_cancellable
      || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  g_clear_object (&self->grids_cancellable);
  if (rows == NULL)
    {
      show_error (self, _("Could not list the grids"), error);
      return;
    }
  {
    /* One change for the whole list: appended one by one, 16,000 grids held the window for
     * over a second (bench/app), each append re-sorting and re-filtering the view. */
    guint n = g_list_model_get_n_items (G_LIST_MODEL (rows));
    g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (rows), i));
    g_list_store_splice (self->grids, 0, g_list_model_get_n_items (G_LIST_MODEL (self->grids)), items->pdata, n);
  }
  gp_map_view_announce_next_frame (self->map_view);
}

/* Runs THREAD on the project shown (its path as task data) in a worker, the work it replaces in
 * *SLOT cancelled; DONE gets the window. */
void
_gp_window_start_project_task (GpWindow *self, GCancellable **slot, GTaskThreadFunc thread, GAsyncReadyCallback done)
{
  g_autoptr(GTask) task = NULL;

  if (*slot != NULL)
    g_cancellable_cancel (*slot);
  g_clear_object (slot);
  *slot = g_cancellable_new ();
  task = g_task_new (NULL, *slot, done, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (gp_project_get_path (self->project)), g_free);
  g_task_run_in_thread (task, thread);
}

static void
start_grids (GpWindow *self)
{
  self->grids_wanted = FALSE;
  if (self->project != NULL)
    _gp_window_start_project_task (self, &self->grids_cancellable, grids_thread, grids_done);
}

static void
grids_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GpWindow *self = GP_WINDOW (user_data);

  if (gtk_widget_get_visible (self->side_panel)
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "grids") == 0)
    {
      gtk_widget_set_visible (self->side_panel, FALSE);
      return;
    }
  show_side (self, "grids");
  start_grids (self);
}

/* Goes to the grid clicked: the map fitted to it with a margin of its neighbours. */
static void
on_grid_activate (GtkColumnView *view, guint position, GpWindow *self)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr(GpGridItem) item = g_list_model_get_item (model, position);
  GpMapData *data = gp_map_view_get_data (self->map_view);
  double bbox[4];

  if (item == NULL || data == NULL
      || !gp_map_data_get_feature_bbox (data, GP_MAP_LAYER_GRIDS, gp_grid_item_get_code (item), bbox))
    return;
  gp_viewport_fit (gp_map_view_get_viewport (self->map_view), bbox, 80.0);
}

static gboolean
grid_matches (gpointer item, gpointer user_data)
{
  GpWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->grid_search));
  g_autofree char *needle = g_utf8_strdown (text, -1);

  return *needle == '\0' || strstr (gp_grid_item_get_search_text (item), needle) != NULL;
}

static void
on_grid_search (GpWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->grid_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* One column: a label bound to ITEM's property NAME (text, or a number as text), sorted by it. */
static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GpGridItem *item = gtk_list_item_get_item (list_item);
  const char *property = g_object_get_data (G_OBJECT (factory), "property");
  g_autofree char *text = NULL;

  if (g_strcmp0 (property, "code") == 0)
    {
      /* The short number planners say; the full code in the tooltip. */
      const char *code = gp_grid_item_get_code (item);
      size_t n = strlen (code);

      text = g_strdup (n > 3 ? code + n - 3 : code);
      gtk_widget_set_tooltip_text (gtk_list_item_get_child (list_item), code);
    }
  else if (g_strcmp0 (property, "community") == 0)
    text = g_strdup (gp_grid_item_get_community (item));
  else if (g_strcmp0 (property, "households") == 0)
    text = g_strdup_printf ("%lld", (long long) gp_grid_item_get_households (item));
  else if (g_strcmp0 (property, "deviation") == 0)
    text = gp_grid_item_get_deviation (item) < G_MAXDOUBLE
             ? g_strdup_printf ("%+.0f%%", 100.0 * gp_grid_item_get_deviation (item)) : g_strdup ("—");
  else if (g_strcmp0 (property, "workers") == 0)
    text = g_strdup (gp_grid_item_get_workers (item) != NULL ? gp_grid_item_get_workers (item) : "—");
  else if (g_strcmp0 (property, "contacts") == 0)
    text = gp_grid_item_get_contacts (item) >= 0 ? g_strdup_printf ("%lld", (long long) gp_grid_item_get_contacts (item))
                                                  : g_strdup ("—");
  else if (g_strcmp0 (property, "status") == 0)
    {
      static const char *const marks[] = { N_("green"), N_("yellow"), N_("red") };
      int st = gp_grid_item_get_status (item);

      text = g_strdup (st >= 0 && st <= 2 ? _(marks[st]) : "—");
    }
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
add_column (GpWindow *self, const char *title, const char *property, gboolean numeric, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkExpression *expression;
  GtkSorter *sorter;

  g_object_set_data_full (G_OBJECT (factory), "property", g_strdup (property), g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
  column = gtk_column_view_column_new (title, factory);
  expression = gtk_property_expression_new (GP_TYPE_GRID_ITEM, NULL, property);
  sorter = numeric ? GTK_SORTER (gtk_numeric_sorter_new (expression)) : GTK_SORTER (gtk_string_sorter_new (expression));
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->grid_view, column);
  g_object_unref (sorter);
  g_object_unref (column);
}

static void
setup_grid_view (GpWindow *self)
{
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;

  self->grids = g_list_store_new (GP_TYPE_GRID_ITEM);
  self->grid_filter = gtk_custom_filter_new (grid_matches, self, NULL);
  /* TRANSLATORS: grid list columns: the grid's number, its community, households, deviation from
   * the target, full-time workers, households in party contact, service status. */
  add_column (self, _("No."), "code", FALSE, FALSE);
  add_column (self, _("Community"), "community", FALSE, TRUE);
  add_column (self, _("Households"), "households", TRUE, FALSE);
  add_column (self, _("Deviation"), "deviation", TRUE, FALSE);
  add_column (self, _("Worker"), "workers", FALSE, TRUE);
  add_column (self, _("Contacts"), "contacts", TRUE, FALSE);
  add_column (self, _("Status"), "status", TRUE, FALSE);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->grids)),
                                        GTK_FILTER (g_object_ref (self->grid_filter)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                    g_object_ref (gtk_column_view_get_sorter (self->grid_view)));
  /* Tens of thousands of grids are filtered and sorted a slice per frame, never in one stall. */
  gtk_filter_list_model_set_incremental (filtered, TRUE);
  gtk_sort_list_model_set_incremental (sorted, TRUE);
  {
    GtkSingleSelection *selection = gtk_single_selection_new (G_LIST_MODEL (sorted));

    gtk_single_selection_set_autoselect (selection, FALSE);
    gtk_single_selection_set_can_unselect (selection, TRUE);
    gtk_column_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
  }
  g_signal_connect (self->grid_view, "activate", G_CALLBACK (on_grid_activate), self);
  g_signal_connect_swapped (self->grid_search, "search-changed", G_CALLBACK (on_grid_search), self);
}

void
gp_window_set_people_list (GpWindow *self)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  show_side (self, "people");
  if (self->project != NULL)
    _gp_window_start_people (self);
  else
    self->people_wanted = TRUE;
}

void
gp_window_set_grid_list (GpWindow *self)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  show_side (self, "grids");
  if (self->project != NULL)
    start_grids (self);
  else
    self->grids_wanted = TRUE;
}

/* Review mode: the check ------------------------------------------------------------------------ */

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GpProject) project = NULL;
  GError *error = NULL;
  GpCheckResult *result;

  if ((project = gp_project_open (task_data, &error)) == NULL
      || (result = gp_plan_check (project, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) gp_check_result_free);
}

static void
check_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCheckResult) result = g_task_propagate_pointer (G_TASK (res), &error);
  g_autofree char *title = NULL;

  if (g_task_get_cancellable (G_TASK (res)) != self->check_cancellable
      || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  g_clear_object (&self->check_cancellable);
  if (result == NULL)
    {
      show_error (self, _("Could not check the project"), error);
      return;
    }
  g_list_store_remove_all (self->problems);
  for (guint i = 0; i < result->problems->len; i++)
    {
      g_autoptr(GpProblemItem) item = gp_problem_item_new (g_ptr_array_index (result->problems, i));

      g_list_store_append (self->problems, item);
    }
  title = result->problems->len == 0
    ? g_strdup (_("No problems found."))
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem to fix before signing",
                                    "%u problems to fix before signing", result->problems->len),
                       result->problems->len);
  gtk_label_set_label (self->review_title, title);
  show_side (self, "problems");
  /* The map narrows beside the list: "map-drawn" once it is drawn again at its new size. */
  gp_map_view_announce_next_frame (self->map_view);
}

static void
start_check (GpWindow *self)
{
  self->check_wanted = FALSE;
  if (self->project == NULL)
    return;
  gtk_label_set_label (self->review_title, _("Checking…"));
  show_side (self, "problems");
  _gp_window_start_project_task (self, &self->check_cancellable, check_thread, check_done);
}

static void
check_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  start_check (GP_WINDOW (user_data));
}

/* Goes to the problem clicked: centred, at a scale that shows its neighbourhood. */
static void
on_problem_activate (GtkListView *list, guint position, GpWindow *self)
{
  g_autoptr(GpProblemItem) item = g_list_model_get_item (G_LIST_MODEL (self->problems), position);
  GpMapData *data = gp_map_view_get_data (self->map_view);
  GpViewport *viewport = gp_map_view_get_viewport (self->map_view);
  GpLocalFrame *frame = data != NULL ? gp_map_data_get_frame (data) : NULL;
  double xy[2];

  if (item == NULL || !gp_problem_item_get_at (item, &xy[0], &xy[1]))
    return;
  if (frame != NULL && !gp_local_frame_forward (frame, xy, 1, NULL))
    return;
  gp_viewport_set_center (viewport, xy[0], xy[1]);
  /* About two kilometres across, unless the view is already closer. */
  gp_viewport_set_scale (viewport, MIN (gp_viewport_get_scale (viewport),
                                        2000.0 / MAX (gp_viewport_get_width (viewport), 1)));
}

static void
setup_problem_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *kind = gtk_label_new (NULL), *message = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_widget_add_css_class (kind, "heading");
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), kind);
  gtk_box_append (GTK_BOX (box), message);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_problem_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GpProblemItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *kind = gtk_widget_get_first_child (box);

  gtk_label_set_label (GTK_LABEL (kind), gp_problem_item_get_label (item));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_next_sibling (kind)), gp_problem_item_get_message (item));
}

void
gp_window_set_review (GpWindow *self)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  if (self->project != NULL)
    start_check (self);
  else
    self->check_wanted = TRUE;
}

void
gp_window_set_import (GpWindow *self, const char *path)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  g_free (self->import_wanted);
  self->import_wanted = g_strdup (path);
}

void
gp_window_set_selection (GpWindow *self, const char *const *grids)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  g_strfreev (self->select_wanted);
  self->select_wanted = g_strdupv ((char **) grids);
}

void
gp_window_set_export (GpWindow *self, const char *path)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  g_free (self->export_wanted);
  self->export_wanted = g_strdup (path);
}

void
gp_window_set_split (GpWindow *self, double target)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (target > 0);
  if (self->project != NULL && self->cancellable == NULL)
    _gp_window_start_split (self, target);
  else
    self->split_wanted = target;
}

gboolean
gp_window_set_heatmap (GpWindow *self, const char *metric)
{
  g_return_val_if_fail (GP_IS_WINDOW (self), FALSE);
  if (g_strcmp0 (metric, "density") == 0)
    {
      /* Drawn from the map's points once the map is there (open_done). */
      g_signal_handlers_block_by_func (self->heatmap_dropdown, on_heatmap_selected, self);
      gtk_drop_down_set_selected (self->heatmap_dropdown, G_N_ELEMENTS (heatmap_metrics) + 1);
      g_signal_handlers_unblock_by_func (self->heatmap_dropdown, on_heatmap_selected, self);
      if (gp_map_view_get_data (self->map_view) != NULL)
        on_heatmap_selected (self);
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (heatmap_metrics); i++)
    if (g_strcmp0 (metric, heatmap_metrics[i]) == 0)
      {
        /* Measured once a project is shown (open_done), or now when one is. */
        g_free (self->heatmap_wanted);
        self->heatmap_wanted = g_strdup (metric);
        g_signal_handlers_block_by_func (self->heatmap_dropdown, on_heatmap_selected, self);
        gtk_drop_down_set_selected (self->heatmap_dropdown, i + 1);
        g_signal_handlers_unblock_by_func (self->heatmap_dropdown, on_heatmap_selected, self);
        if (self->project != NULL)
          start_heatmap (self, metric);
        return TRUE;
      }
  return FALSE;
}

/* GObject ------------------------------------------------------------------------------------- */

static void
gp_window_dispose (GObject *object)
{
  GpWindow *self = GP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->toast_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->project);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->pending_toast, g_free);
  g_clear_pointer (&self->export_wanted, g_free);
  g_clear_pointer (&self->import_wanted, g_free);
  g_clear_pointer (&self->select_wanted, g_strfreev);
  _gp_window_edit_dispose (self);
  _gp_window_people_dispose (self);
  if (self->heatmap_cancellable != NULL)
    g_cancellable_cancel (self->heatmap_cancellable);
  g_clear_object (&self->heatmap_cancellable);
  g_clear_pointer (&self->heatmap_wanted, g_free);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->problems);
  if (self->grids_cancellable != NULL)
    g_cancellable_cancel (self->grids_cancellable);
  g_clear_object (&self->grids_cancellable);
  g_clear_object (&self->grids);
  g_clear_object (&self->grid_filter);

  gtk_widget_dispose_template (GTK_WIDGET (self), GP_TYPE_WINDOW);

  G_OBJECT_CLASS (gp_window_parent_class)->dispose (object);
}

static void
gp_window_class_init (GpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_window_dispose;

  /**
   * GpWindow::map-drawn:
   *
   * The first frame showing newly opened data is on screen.
   */
  signals[MAP_DRAWN] = g_signal_new ("map-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GpWindow::open-failed:
   * @message: what went wrong, naming the file
   */
  signals[OPEN_FAILED] = g_signal_new ("open-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (GP_TYPE_MAP_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gridplan/GridPlan/gp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GpWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, toast_revealer);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, toast_label);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, heatmap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, review_panel);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, grid_search);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, grid_view);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, review_title);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, problem_list);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, inspector_title);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, inspector_body);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, inspector_hint);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, inspector_people);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, move_toggle);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, cut_toggle);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GpWindow, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_toast_close);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_progress_cancel",
                                                G_CALLBACK (_gp_window_on_progress_cancel));
}

static void
setup_choice_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer shorten)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (GPOINTER_TO_INT (shorten))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 7);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_choice_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkStringObject *choice = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (choice));
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), gtk_string_object_get_string (choice));
}

static void
gp_window_init (GpWindow *self)
{
  GtkDropTarget *drop;

  self->interactive = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  _gp_window_edit_init (self);
  {
    GSettings *settings = gp_settings_get ();

    if (settings != NULL)
      {
        gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                                     g_settings_get_int (settings, "window-height"));
        if (g_settings_get_boolean (settings, "window-maximized"))
          gtk_window_maximize (GTK_WINDOW (self));
        g_signal_connect_object (settings, "changed::recent-projects", G_CALLBACK (update_recent_menu), self,
                                 G_CONNECT_SWAPPED);
      }
    update_recent_menu (self);
    g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  }
  g_signal_connect_object (self->map_view, "clicked", G_CALLBACK (_gp_window_on_map_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "band-selected", G_CALLBACK (_gp_window_on_map_band), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map_view, "painted", G_CALLBACK (_gp_window_on_map_painted), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cut_toggle, "toggled", G_CALLBACK (_gp_window_on_cut_toggled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->move_toggle, "toggled", G_CALLBACK (_gp_window_on_move_toggled), self,
                           G_CONNECT_SWAPPED);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  g_signal_connect_object (self->map_view, "drawn", G_CALLBACK (on_view_drawn), self, G_CONNECT_SWAPPED);
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

    /* TRANSLATORS: the heatmap chooser's first entry: the map as planned, no heatmap. */
    gtk_string_list_append (names, _("Plan"));
    for (guint i = 0; i < G_N_ELEMENTS (heatmap_metrics); i++)
      {
        GpHeatmapMetric metric;

        gp_heatmap_metric_parse (heatmap_metrics[i], &metric);
        gtk_string_list_append (names, gp_heatmap_metric_title (metric));
      }
    gtk_string_list_append (names, _("Household density"));
    gtk_drop_down_set_model (self->heatmap_dropdown, G_LIST_MODEL (names));
    /* The header bar is full: the chosen metric's long title is shortened there, not in the list. */
    {
      g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

      g_signal_connect (button, "setup", G_CALLBACK (setup_choice_label), GINT_TO_POINTER (TRUE));
      g_signal_connect (button, "bind", G_CALLBACK (bind_choice_label), NULL);
      g_signal_connect (list, "setup", G_CALLBACK (setup_choice_label), GINT_TO_POINTER (FALSE));
      g_signal_connect (list, "bind", G_CALLBACK (bind_choice_label), NULL);
      gtk_drop_down_set_factory (self->heatmap_dropdown, button);
      gtk_drop_down_set_list_factory (self->heatmap_dropdown, list);
    }
    g_signal_connect_swapped (self->heatmap_dropdown, "notify::selected", G_CALLBACK (on_heatmap_selected), self);
  }
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    self->problems = g_list_store_new (GP_TYPE_PROBLEM_ITEM);
    g_signal_connect (factory, "setup", G_CALLBACK (setup_problem_row), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_problem_row), NULL);
    gtk_list_view_set_factory (self->problem_list, factory);
    g_object_unref (factory);
    {
      GtkSingleSelection *selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->problems)));

      /* Nothing is chosen until the planner clicks. */
      gtk_single_selection_set_autoselect (selection, FALSE);
      gtk_single_selection_set_can_unselect (selection, TRUE);
      gtk_list_view_set_model (self->problem_list, GTK_SELECTION_MODEL (selection));
      g_object_unref (selection);
    }
    g_signal_connect (self->problem_list, "activate", G_CALLBACK (on_problem_activate), self);
  }
  setup_grid_view (self);
  _gp_window_people_init (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_actions (self);
}

GpWindow *
gp_window_new (GtkApplication *application)
{
  return g_object_new (GP_TYPE_WINDOW, "application", application, NULL);
}

void
gp_window_set_interactive (GpWindow *self, gboolean interactive)
{
  g_return_if_fail (GP_IS_WINDOW (self));
  self->interactive = interactive;
  /* A picture taken at once must not catch a notification half slid in. */
  gtk_revealer_set_transition_type (self->toast_revealer, interactive ? GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP
                                                                      : GTK_REVEALER_TRANSITION_TYPE_NONE);
  gtk_revealer_set_transition_type (self->progress_revealer, interactive ? GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN
                                                                         : GTK_REVEALER_TRANSITION_TYPE_NONE);
}

void
gp_window_embed_header_bar (GpWindow *self)
{
  g_autoptr(GtkWidget) header = NULL;
  g_autoptr(GtkWidget) content = NULL;
  GtkWidget *box;

  g_return_if_fail (GP_IS_WINDOW (self));
  g_return_if_fail (!gtk_widget_get_realized (GTK_WIDGET (self)));

  header = g_object_ref (GTK_WIDGET (self->header_bar));
  content = g_object_ref (gtk_window_get_child (GTK_WINDOW (self)));
  gtk_window_set_titlebar (GTK_WINDOW (self), NULL);
  gtk_window_set_child (GTK_WINDOW (self), NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), content);
  gtk_window_set_child (GTK_WINDOW (self), box);
}

gboolean
gp_window_save_screenshot (GpWindow *self, const char *path, GError **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GpOutput) output = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (GP_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED,
                   _("%s: the window is not on screen, so there is nothing to save"), path);
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED, _("%s: the window drew nothing"), path);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  png = gdk_texture_save_to_png_bytes (texture);

  output = gp_output_new (path, error);
  if (output == NULL)
    return FALSE;
  if (fwrite (g_bytes_get_data (png, NULL), 1, g_bytes_get_size (png), gp_output_get_stream (output))
      != g_bytes_get_size (png))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: could not write the image"), path);
      return FALSE;
    }
  return gp_output_commit (output, error);
}

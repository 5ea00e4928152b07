/* gp-application.c: GridPlan's GtkApplication: windows per file, accelerators, --screenshot. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "gp-application.h"
#include "gp-heatmap.h"
#include "gp-preferences.h"
#include "gp-script.h"
#include "gp-stall-meter.h"
#include "gp-window.h"

/* A screenshot run that has not drawn by then is stuck; say so rather than hang a test. */
#define SCREENSHOT_TIMEOUT_SECONDS 120

struct _GpApplication
{
  GtkApplication parent_instance;

  char *screenshot;      /* --screenshot OUT.png */
  char *script;          /* --script FILE: a session to play */
  char *heatmap;         /* --heatmap METRIC: windows open in Load mode */
  gboolean review;       /* --mode review: windows open with the check beside the map */
  gboolean grid_list;    /* --mode plan: windows open with the grid list beside the map */
  gboolean people_list;  /* --people: windows open with the people list beside the map */
  double split;          /* --split T: windows split their project at T households once open */
  char *export;          /* --export OUT: windows export their project once open (and split) */
  GStrv select;          /* --select CODE,...: windows select these grids once open */
  char *import;          /* --import FILE: windows import this roster or ledger once open */
  gboolean bench_stalls; /* --bench-stalls: play a session, report the main loop's stalls, quit */
  int width;             /* --size WxH, 0 = the window's default */
  int height;
  int exit_status;
  guint timeout_source;
};

G_DEFINE_FINAL_TYPE (GpApplication, gp_application, GTK_TYPE_APPLICATION)

static void
screenshot_failed (GpApplication *self, GtkWindow *window, const char *message)
{
  g_printerr ("gridplan: %s\n", message);
  self->exit_status = 1;
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  if (window != NULL)
    gtk_window_destroy (window);
}

/* Frames a screenshot may wait for the window to be laid out again (a list just filled beside
 * the map asks for a new layout, and until it has one the window has nothing to show). */
#define SCREENSHOT_LAYOUT_FRAMES 30

static gboolean
save_screenshot_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  GpApplication *self = GP_APPLICATION (gtk_window_get_application (GTK_WINDOW (widget)));
  guint *ticks = user_data;
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  if (!gp_window_save_screenshot (GP_WINDOW (widget), self->screenshot, &error))
    {
      if (++*ticks < SCREENSHOT_LAYOUT_FRAMES)
        return G_SOURCE_CONTINUE;
      screenshot_failed (self, GTK_WINDOW (widget), error->message);
      return G_SOURCE_REMOVE;
    }
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  self->exit_status = 0;
  gtk_window_destroy (GTK_WINDOW (widget));
  return G_SOURCE_REMOVE;
}

static void
on_screenshot_drawn (GpWindow *window, GpApplication *self)
{
  /* Saved at the next frame, once what changed with the map has been laid out too. */
  g_signal_handlers_disconnect_by_func (window, on_screenshot_drawn, self);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), save_screenshot_tick, g_new0 (guint, 1), g_free);
}

static void
on_screenshot_open_failed (GpWindow *window, const char *message, GpApplication *self)
{
  screenshot_failed (self, GTK_WINDOW (window), message);
}

static gboolean
screenshot_timeout (gpointer user_data)
{
  GpApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *message = g_strdup_printf (_("%s: the map was not drawn within %d seconds"),
                                              self->screenshot, SCREENSHOT_TIMEOUT_SECONDS);

  self->timeout_source = 0;
  screenshot_failed (self, window, message);
  return G_SOURCE_REMOVE;
}

static GpWindow *
new_window (GpApplication *self)
{
  GpWindow *window = gp_window_new (GTK_APPLICATION (self));

  if (self->width > 0 && self->height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), self->width, self->height);
  return window;
}

/* What the command line asked the windows to show or do once their file is open. */
static void
apply_modes (GpApplication *self, GpWindow *window)
{
  if (self->heatmap != NULL)
    gp_window_set_heatmap (window, self->heatmap);
  if (self->review)
    gp_window_set_review (window);
  else if (self->people_list)
    gp_window_set_people_list (window);
  else if (self->grid_list)
    gp_window_set_grid_list (window);
  if (self->split > 0)
    gp_window_set_split (window, self->split);
  if (self->export != NULL)
    gp_window_set_export (window, self->export);
  if (self->select != NULL)
    gp_window_set_selection (window, (const char *const *) self->select);
  if (self->import != NULL)
    gp_window_set_import (window, self->import);
}

static void
on_script_done (int status, gpointer user_data)
{
  GpApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  self->exit_status = status;
  if (window != NULL)
    gtk_window_destroy (window);
  g_application_release (G_APPLICATION (self));
}

static void
gp_application_activate (GApplication *app)
{
  GpApplication *self = GP_APPLICATION (app);
  GtkWindow *window;

  if (self->script != NULL)
    {
      g_autoptr(GError) error = NULL;
      GpWindow *scripted = new_window (self);

      gp_window_set_interactive (scripted, FALSE);
      gp_window_embed_header_bar (scripted);
      gtk_window_present (GTK_WINDOW (scripted));
      /* Held until the last step, whatever windows come and go meanwhile. */
      g_application_hold (app);
      if (!gp_script_run (scripted, self->script, on_script_done, self, &error))
        {
          g_printerr ("gridplan: %s\n", error->message);
          self->exit_status = 1;
          g_application_release (app);
          gtk_window_destroy (GTK_WINDOW (scripted));
        }
      return;
    }

  if (self->screenshot != NULL)
    {
      g_printerr ("gridplan: %s\n", _("--screenshot needs a FILE to open"));
      self->exit_status = 1;
      return;
    }
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (new_window (self));
  gtk_window_present (window);
}

static void
gp_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  GpApplication *self = GP_APPLICATION (app);

  if (self->screenshot != NULL)
    {
      GpWindow *window;

      if (n_files != 1)
        {
          g_printerr ("gridplan: %s\n", _("--screenshot takes exactly one FILE"));
          self->exit_status = 1;
          return;
        }
      window = new_window (self);
      gp_window_set_interactive (window, FALSE);
      gp_window_embed_header_bar (window);
      g_signal_connect (window, "map-drawn", G_CALLBACK (on_screenshot_drawn), self);
      g_signal_connect (window, "open-failed", G_CALLBACK (on_screenshot_open_failed), self);
      apply_modes (self, window);
      self->timeout_source = g_timeout_add_seconds (SCREENSHOT_TIMEOUT_SECONDS, screenshot_timeout, self);
      gtk_window_present (GTK_WINDOW (window));
      gp_window_open (window, files[0]);
      return;
    }

  if (self->bench_stalls && n_files == 1)
    {
      GpWindow *window = new_window (self);

      gp_window_set_interactive (window, FALSE);
      apply_modes (self, window);
      gp_stall_meter_run (GTK_APPLICATION (self), window);
      gtk_window_present (GTK_WINDOW (window));
      gp_window_open (window, files[0]);
      return;
    }
  for (int i = 0; i < n_files; i++)
    {
      GpWindow *window = new_window (self);

      apply_modes (self, window);
      gtk_window_present (GTK_WINDOW (window));
      gp_window_open (window, files[i]);
    }
}

static gboolean
parse_size (const char *text, int *width, int *height)
{
  g_auto(GStrv) parts = g_strsplit_set (text, "xX", 2);
  guint64 w, h;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 16, 16384, &w, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 16, 16384, &h, NULL))
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static int
gp_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  GpApplication *self = GP_APPLICATION (app);
  const char *size = NULL;
  const char *screenshot = NULL;
  const char *heatmap = NULL;
  const char *mode = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("gridplan %s\n", GP_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "size", "&s", &size) &&
      !parse_size (size, &self->width, &self->height))
    {
      g_printerr ("gridplan: %s\n", _("--size wants WIDTHxHEIGHT in pixels, e.g. 1280x800"));
      return 2;
    }
  if (g_variant_dict_lookup (options, "heatmap", "&s", &heatmap))
    {
      GpHeatmapMetric metric;

      if (!gp_heatmap_metric_parse (heatmap, &metric) && g_strcmp0 (heatmap, "density") != 0)
        {
          g_printerr ("gridplan: %s\n",
                      _("--heatmap is households, deviation, per-worker, contact-coverage, status or density"));
          return 2;
        }
      self->heatmap = g_strdup (heatmap);
    }
  if (g_variant_dict_lookup (options, "split", "d", &self->split) && !(self->split > 0))
    {
      g_printerr ("gridplan: %s\n", _("--split wants the households per grid, more than 0"));
      return 2;
    }
  {
    const char *export = NULL;

    const char *select = NULL;

    if (g_variant_dict_lookup (options, "export", "^&ay", &export))
      self->export = g_strdup (export);
    const char *import = NULL;

    if (g_variant_dict_lookup (options, "select", "&s", &select))
      self->select = g_strsplit (select, ",", -1);
    if (g_variant_dict_lookup (options, "import", "^&ay", &import))
      self->import = g_strdup (import);
  }
  if (g_variant_dict_contains (options, "bench-stalls"))
    {
      self->bench_stalls = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  if (g_variant_dict_contains (options, "people"))
    self->people_list = TRUE;
  if (g_variant_dict_lookup (options, "mode", "&s", &mode))
    {
      if (g_strcmp0 (mode, "review") == 0)
        self->review = TRUE;
      else if (g_strcmp0 (mode, "plan") == 0)
        self->grid_list = TRUE;
      else if (g_strcmp0 (mode, "load") == 0 && self->heatmap == NULL)
        self->heatmap = g_strdup ("households");
      else if (g_strcmp0 (mode, "plan") != 0 && g_strcmp0 (mode, "load") != 0)
        {
          g_printerr ("gridplan: %s\n", _("--mode is plan, load or review"));
          return 2;
        }
    }
  {
    const char *script = NULL;

    if (g_variant_dict_lookup (options, "script", "^&ay", &script))
      {
        self->script = g_strdup (script);
        if (self->width == 0)
          {
            self->width = 1280;
            self->height = 800;
          }
        g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
      }
  }
  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &screenshot))
    {
      self->screenshot = g_strdup (screenshot);
      if (self->width == 0)
        {
          self->width = 1280;
          self->height = 800;
        }
      /* A screenshot run is its own process, never handed to a running instance. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  static const char *const developers[] = { "The GridPlan developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (user_data)),
                         "program-name", _("GridPlan"),
                         "logo-icon-name", GP_APP_ID,
                         "version", GP_VERSION,
                         "comments", _("Plan the grids of grassroots governance: areas, units, households and the people who serve them."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         /* TRANSLATORS: your names, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  gp_preferences_show (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "about", about_action },
};

static void
gp_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[4];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.new", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.import", { "<Control>i", NULL } },
    { "win.split", { "<Control>r", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
    { "win.zoom-in", { "plus", "equal", "KP_Add", NULL } },
    { "win.zoom-out", { "minus", "KP_Subtract", NULL } },
    { "win.zoom-fit", { "<Control>0", "KP_0", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (gp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
  gtk_window_set_default_icon_name (GP_APP_ID);
}

static void
gp_application_finalize (GObject *object)
{
  GpApplication *self = GP_APPLICATION (object);

  g_clear_handle_id (&self->timeout_source, g_source_remove);
  g_free (self->screenshot);
  g_free (self->script);
  g_free (self->heatmap);
  g_free (self->export);
  g_strfreev (self->select);
  g_free (self->import);

  G_OBJECT_CLASS (gp_application_parent_class)->finalize (object);
}

static void
gp_application_class_init (GpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = gp_application_finalize;
  app_class->activate = gp_application_activate;
  app_class->open = gp_application_open;
  app_class->startup = gp_application_startup;
  app_class->handle_local_options = gp_application_handle_local_options;
}

static void
gp_application_init (GpApplication *self)
{
  const GOptionEntry entries[] = {
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open FILE, save the window as a PNG once the map is drawn, and quit"), N_("OUT.png") },
    { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Window size in pixels (default 1280x800 for --screenshot)"), N_("WIDTHxHEIGHT") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open in this mode: plan (the grids, listed beside the map), load (a heatmap, households unless --heatmap says) or review "
         "(the check's problems beside the map)"), N_("MODE") },
    { "heatmap", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Open in Load mode, the grids coloured by households, deviation, per-worker, contact-coverage or status, "
         "or the households' density"),
      N_("METRIC") },
    { "split", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
      N_("Split the project into grids of about T households once it is open, as Split… does"), N_("T") },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Export the project once it is open (and split) as Export does: .xlsx or .csv the grid assignment list, "
         ".shp, .gpkg or .geojson the grids, .pdf, .png or .svg the map as shown"), N_("OUT") },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Import a roster or a service-item ledger (.csv, .xlsx, .xls) into the project once it is open (and split), "
         "as dropping it on the window does"), N_("FILE") },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Play a session from FILE, one step a line (new, import, split, select, action, export, shot…; see "
         "src/app/gp-script.c), each once the window has settled, and quit"), N_("FILE") },
    { "people", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open with the people list beside the map: everyone on the roster, their role, community and grids"), NULL },
    { "select", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Select these grids (codes, separated by commas) once the project is open, the inspector beside the map"),
      N_("CODE,…") },
    { "bench-stalls", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL,
      "Play a planner's session on FILE, print how long the main loop was held up (JSON), quit (bench/app)", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Open GridPlan projects (.gpkg) or shapefiles (.shp)."));
}

GpApplication *
gp_application_new (void)
{
  return g_object_new (GP_TYPE_APPLICATION,
                       "application-id", GP_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/cn/gridplan/GridPlan",
                       NULL);
}

int
gp_application_get_exit_status (GpApplication *self)
{
  g_return_val_if_fail (GP_IS_APPLICATION (self), 1);
  return self->exit_status;
}

/* gp-script.c: a planner's session played from a file on a window.
 *
 * One step per line ("#" starts a comment):
 *   new PROJECT.gpkg                 a new, empty project, shown
 *   open FILE                        a project or shapefile
 *   import FILE areas|units|households|exclusive
 *   roster FILE                      the roster or service-item ledger, as dropping it does
 *   split T                          every village into grids of about T households
 *   select CODE[,CODE…]              grids selected, the inspector beside the map
 *   move UNIT[,UNIT…]                units moved into the one selected grid, as clicking them does
 *   action NAME [TEXT]               a window action (merge-grids, undo, redo, assign,
 *                                    redraw-grids, lock-grids, check, grids, people…)
 *   heatmap METRIC                   Load mode (households, deviation, per-worker, …)
 *   export OUT                       as Export does, by OUT's extension
 *   shot OUT.png                     the window as it is now
 * Each step waits for the window to settle ("map-drawn": loads, splits, checks and exports
 * done); a step whose work says an error fails the run. */
#include "gp-config.h"

#include "gp-script.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-window-private.h"

/* A step the window has not settled after in this long is stuck: say so rather than hang. */
#define STEP_TIMEOUT_SECONDS 180

typedef struct {
  GpWindow    *window;
  GStrv        lines;
  guint        next;        /* the line to play */
  guint        line_no;     /* of the step under way, for messages */
  gboolean     waiting;     /* for the window to settle */
  guint        timeout;
  GpScriptDone done;
  gpointer     user_data;
  gulong       drawn_id, failed_id;
} Script;

static void play_next (Script *s);

static void
finish (Script *s, int status)
{
  GpScriptDone done = s->done;
  gpointer user_data = s->user_data;

  g_clear_handle_id (&s->timeout, g_source_remove);
  g_clear_signal_handler (&s->drawn_id, s->window);
  g_clear_signal_handler (&s->failed_id, s->window);
  g_strfreev (s->lines);
  g_object_unref (s->window);
  g_free (s);
  done (status, user_data);
}

static void
fail (Script *s, const char *message)
{
  g_printerr ("gridplan: %s: %s %u: %s\n", _("script"), _("line"), s->line_no, message);
  finish (s, 1);
}

static gboolean
on_timeout (gpointer user_data)
{
  Script *s = user_data;

  s->timeout = 0;
  fail (s, _("the window did not settle"));
  return G_SOURCE_REMOVE;
}

/* The next step at the next frame, once what settled has been laid out too. */
static gboolean
next_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  play_next (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_drawn (GpWindow *window, Script *s)
{
  if (!s->waiting)
    return;
  s->waiting = FALSE;
  g_clear_handle_id (&s->timeout, g_source_remove);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), next_tick, s, NULL);
}

static void
on_failed (GpWindow *window, const char *message, Script *s)
{
  fail (s, message);
}

static void
wait_settled (Script *s)
{
  s->waiting = TRUE;
  s->timeout = g_timeout_add_seconds (STEP_TIMEOUT_SECONDS, on_timeout, s);
}

static gboolean
settled_now (gpointer user_data)
{
  Script *s = user_data;

  on_drawn (s->window, s);
  return G_SOURCE_REMOVE;
}

/* The window settles once the map shows what a step changed; with no map (nothing open yet),
 * there is nothing to wait for. */
static void
settle_when_drawn (Script *s)
{
  if (gp_map_view_get_data (s->window->map_view) != NULL)
    gp_map_view_announce_next_frame (s->window->map_view);
  else
    g_idle_add (settled_now, s);
}

static gboolean
import_kind (const char *name, GpImportKind *kind)
{
  static const struct { const char *name; GpImportKind kind; } kinds[] = {
    { "areas", GP_IMPORT_AREAS }, { "units", GP_IMPORT_UNITS },
    { "households", GP_IMPORT_HOUSEHOLDS }, { "exclusive", GP_IMPORT_EXCLUSIVE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (name, kinds[i].name) == 0)
      {
        *kind = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

/* Plays STEP (its words); FALSE with ERROR when it is not a step or cannot be played. The
 * window is then waited for, settled. */
static gboolean
play (Script *s, char **w, GError **error)
{
  GpWindow *win = s->window;
  guint n = g_strv_length (w);
  GpImportKind kind;
  guint64 target;

#define WANT(k)                                                                                     \
  if (n != (k))                                                                                     \
    {                                                                                               \
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("“%s” takes %u word(s)"), w[0], (k) - 1); \
      return FALSE;                                                                                 \
    }

  if (strcmp (w[0], "new") == 0)
    {
      WANT (2);
      _gp_window_create_project (win, w[1]);
    }
  else if (strcmp (w[0], "open") == 0)
    {
      g_autoptr(GFile) file = NULL;

      WANT (2);
      file = g_file_new_for_commandline_arg (w[1]);
      gp_window_open (win, file);
    }
  else if (strcmp (w[0], "import") == 0)
    {
      WANT (3);
      if (!import_kind (w[2], &kind))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("import as areas, units, households or exclusive"));
          return FALSE;
        }
      _gp_window_import_shapefile (win, w[1], kind);
    }
  else if (strcmp (w[0], "roster") == 0)
    {
      WANT (2);
      _gp_window_import_table (win, w[1]);
    }
  else if (strcmp (w[0], "split") == 0)
    {
      WANT (2);
      if (!g_ascii_string_to_unsigned (w[1], 10, 1, 100000, &target, NULL))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("split wants the households per grid"));
          return FALSE;
        }
      _gp_window_start_split (win, (double) target);
    }
  else if (strcmp (w[0], "select") == 0 || strcmp (w[0], "move") == 0)
    {
      g_auto(GStrv) codes = NULL;

      WANT (2);
      codes = g_strsplit (w[1], ",", -1);
      if (strcmp (w[0], "select") == 0)
        {
          _gp_window_select (win, (const char *const *) codes);
          /* Settled once the map shows the selection. */
          settle_when_drawn (s);
        }
      else
        _gp_window_move_units_here (win, (const char *const *) codes);
    }
  else if (strcmp (w[0], "action") == 0)
    {
      GAction *action;

      if (n != 2 && n != 3)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("“%s” takes %u word(s)"), w[0], 2u);
          return FALSE;
        }
      action = g_action_map_lookup_action (G_ACTION_MAP (win), w[1]);
      if (action == NULL || !g_action_get_enabled (action))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("no action “%s” may run now"), w[1]);
          return FALSE;
        }
      g_action_activate (action, n == 3 ? g_variant_new_string (w[2]) : NULL);
      /* Actions without work in the background settle once the map is drawn as they left it
       * (a layer hidden, a list shown); work settles when it is done and shown. */
      if (win->cancellable == NULL)
        settle_when_drawn (s);
    }
  else if (strcmp (w[0], "heatmap") == 0)
    {
      WANT (2);
      if (!gp_window_set_heatmap (win, w[1]))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("no heatmap “%s”"), w[1]);
          return FALSE;
        }
      /* Settled once the heatmap is measured and drawn (the window waits for it). */
      settle_when_drawn (s);
    }
  else if (strcmp (w[0], "export") == 0)
    {
      WANT (2);
      if (!_gp_window_start_export (win, w[1]))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("export to .xlsx, .csv, .shp, .gpkg, .geojson, .pdf, .png or .svg"));
          return FALSE;
        }
    }
  else if (strcmp (w[0], "shot") == 0)
    {
      WANT (2);
      if (!gp_window_save_screenshot (win, w[1], error))
        return FALSE;
      /* Nothing changed: the next step at once. */
      g_idle_add (settled_now, s);
    }
  else
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("no step “%s”"), w[0]);
      return FALSE;
    }
#undef WANT
  return TRUE;
}

static void
play_next (Script *s)
{
  while (s->lines[s->next] != NULL)
    {
      g_autofree char *line = g_strstrip (g_strdup (s->lines[s->next]));
      g_auto(GStrv) words = NULL;
      g_autoptr(GError) error = NULL;

      s->line_no = ++s->next;
      if (*line == '\0' || *line == '#')
        continue;
      words = g_strsplit_set (line, " \t", -1);
      {
        /* Runs of blanks are one separator. */
        guint k = 0;

        for (guint i = 0; words[i] != NULL; i++)
          if (*words[i] != '\0')
            words[k++] = words[i];
          else
            g_free (words[i]);
        words[k] = NULL;
      }
      g_printerr ("gridplan: %s %u: %s\n", _("step"), s->line_no, line);
      wait_settled (s);
      if (!play (s, words, &error))
        {
          fail (s, error->message);
          return;
        }
      return;
    }
  finish (s, 0);
}

static gboolean
start (gpointer user_data)
{
  play_next (user_data);
  return G_SOURCE_REMOVE;
}

gboolean
gp_script_run (GpWindow *window, const char *path, GpScriptDone done, gpointer user_data, GError **error)
{
  g_autofree char *text = NULL;
  Script *s;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  s = g_new0 (Script, 1);
  s->window = g_object_ref (window);
  s->lines = g_strsplit (text, "\n", -1);
  s->done = done;
  s->user_data = user_data;
  s->drawn_id = g_signal_connect (window, "map-drawn", G_CALLBACK (on_drawn), s);
  s->failed_id = g_signal_connect (window, "open-failed", G_CALLBACK (on_failed), s);
  g_idle_add (start, s);
  return TRUE;
}

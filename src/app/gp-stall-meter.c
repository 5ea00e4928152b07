/* gp-stall-meter.c: the window's responsiveness under a scripted session. A 1 ms timeout at
 * high priority runs whenever the main loop is free; the time between two of its runs beyond
 * the period is how long something held the loop (a frame, a handler, a synchronous call). The
 * script drives the window through the same actions a planner's keys and buttons do. */
#include "gp-config.h"

#include "gp-stall-meter.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "gp-window-private.h"

#define PERIOD_MS 1
#define STALL_MS 100.0
/* A step waits for the window to settle (no work under way) at most this long. */
#define STEP_TIMEOUT_S 120.0

typedef struct {
  const char *name;
  const char *action;     /* a window or map action; NULL: a special step */
  GVariant *(*param) (void);
  guint repeat;
} Step;

static GVariant *pan_right (void) { return g_variant_new ("(dd)", -1.0, 0.0); }
static GVariant *pan_down (void) { return g_variant_new ("(dd)", 0.0, -1.0); }

static const Step steps[] = {
  { "pan", "map.pan", pan_right, 20 },
  { "pan", "map.pan", pan_down, 20 },
  { "zoom-in", "win.zoom-in", NULL, 4 },
  { "zoom-out", "win.zoom-out", NULL, 4 },
  { "zoom-fit", "win.zoom-fit", NULL, 1 },
  { "grid-list", "win.grids", NULL, 1 },
  { "check", "win.check", NULL, 1 },
  { "heatmap", NULL, NULL, 1 },
  { "split", NULL, NULL, 1 },
};

typedef struct {
  GtkApplication *app;
  GpWindow *window;
  gint64 last;            /* the meter's last run, µs */
  GArray *gaps;           /* of double, ms, every gap beyond the period */
  double worst[G_N_ELEMENTS (steps)];
  guint stalls[G_N_ELEMENTS (steps)];
  guint step, done_in_step;
  gint64 step_started;
  guint meter_source, script_source;
} Meter;

static gboolean
meter_tick (gpointer user_data)
{
  Meter *m = user_data;
  gint64 now = g_get_monotonic_time ();
  double gap = (now - m->last) / 1000.0 - PERIOD_MS;

  m->last = now;
  if (gap > 2.0)
    {
      g_array_append_val (m->gaps, gap);
      if (m->step < G_N_ELEMENTS (steps))
        {
          m->worst[m->step] = MAX (m->worst[m->step], gap);
          if (gap > STALL_MS)
            m->stalls[m->step]++;
        }
    }
  return G_SOURCE_CONTINUE;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (Meter *m)
{
  double total_worst = 0;
  guint total_stalls = 0;

  g_array_sort (m->gaps, compare_double);
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      total_worst = MAX (total_worst, m->worst[s]);
      total_stalls += m->stalls[s];
    }
  printf ("{\"stalls_over_100ms\": %u, \"longest_ms\": %.1f, \"gaps\": %u, \"p99_ms\": %.1f, \"steps\": [",
          total_stalls, total_worst, m->gaps->len,
          m->gaps->len > 0 ? g_array_index (m->gaps, double, (guint) floor (0.99 * (m->gaps->len - 1))) : 0.0);
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    printf ("%s{\"step\": \"%s\", \"longest_ms\": %.1f, \"stalls_over_100ms\": %u}", s > 0 ? ", " : "",
            steps[s].name, m->worst[s], m->stalls[s]);
  printf ("]}\n");
  fflush (stdout);
}

static void
finish (Meter *m)
{
  g_clear_handle_id (&m->meter_source, g_source_remove);
  g_clear_handle_id (&m->script_source, g_source_remove);
  report (m);
  g_array_unref (m->gaps);
  gtk_window_destroy (GTK_WINDOW (m->window));
  g_free (m);
}

/* Busy: work under way, or a list or check still coming. */
static gboolean
window_busy (GpWindow *w)
{
  return w->cancellable != NULL || w->grids_cancellable != NULL || w->people_cancellable != NULL || w->check_cancellable != NULL
         || w->heatmap_cancellable != NULL || w->heatmap_wanted != NULL;
}

static gboolean
script_tick (gpointer user_data)
{
  Meter *m = user_data;
  const Step *step;

  if (m->step >= G_N_ELEMENTS (steps))
    {
      m->script_source = 0;
      finish (m);
      return G_SOURCE_REMOVE;
    }
  step = &steps[m->step];
  if (window_busy (m->window) && (g_get_monotonic_time () - m->step_started) / 1e6 < STEP_TIMEOUT_S)
    return G_SOURCE_CONTINUE;
  if (m->done_in_step == step->repeat)
    {
      m->step++;
      m->done_in_step = 0;
      m->step_started = g_get_monotonic_time ();
      return G_SOURCE_CONTINUE;
    }
  if (step->action != NULL)
    {
      GtkWidget *target = g_str_has_prefix (step->action, "map.") ? GTK_WIDGET (m->window->map_view)
                                                                    : GTK_WIDGET (m->window);

      gtk_widget_activate_action_variant (target, step->action, step->param != NULL ? step->param () : NULL);
    }
  else if (g_strcmp0 (step->name, "heatmap") == 0)
    gp_window_set_heatmap (m->window, "households");
  else if (g_strcmp0 (step->name, "split") == 0 && m->window->project != NULL
           && gp_project_count (m->window->project, "areas", NULL) > 0)
    _gp_window_start_split (m->window, 300);
  m->done_in_step++;
  return G_SOURCE_CONTINUE;
}

static void
on_drawn (GpWindow *window, Meter *m)
{
  if (m->script_source != 0)
    return;
  m->step_started = g_get_monotonic_time ();
  /* A step every 120 ms: a brisk planner, with frames between. */
  m->script_source = g_timeout_add (120, script_tick, m);
}

void
gp_stall_meter_run (GtkApplication *app, GpWindow *window)
{
  Meter *m = g_new0 (Meter, 1);

  m->app = app;
  m->window = window;
  m->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  m->last = g_get_monotonic_time ();
  m->meter_source = g_timeout_add_full (G_PRIORITY_HIGH, PERIOD_MS, meter_tick, m, NULL);
  g_signal_connect (window, "map-drawn", G_CALLBACK (on_drawn), m);
}

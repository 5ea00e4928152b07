/* gp-map-view.c: the map widget: cairo drawing in snapshot, drag to pan, scroll and pinch to zoom. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "gp-error.h"
#include "gp-map-view.h"
#include "gp-render.h"

/* Margin kept around the data when fitting, in pixels. */
#define FIT_MARGIN 24.0
/* One wheel notch zooms by this factor; touchpads scroll in pixels and zoom smoothly. */
#define WHEEL_STEP 1.25
#define SURFACE_PIXELS_PER_STEP 40.0

/* One view of one dataset: what a cached picture shows. */
typedef struct {
  GpMapData *data;     /* borrowed: only compared */
  GpHeatmap *heatmap;  /* borrowed: only compared */
  GpDensity *density;  /* borrowed: only compared */
  double center_x;
  double center_y;
  double scale;
  int width;
  int height;
  int scale_factor;
  guint style_serial;  /* bumped when the style changes (a layer switched off) */
} Frame;

struct _GpMapView
{
  GtkWidget parent_instance;

  /* Owned references */
  GpViewport *viewport;
  GpStyle *style;
  GpMapData *data;
  GpHeatmap *heatmap;        /* grids coloured by a metric (Load mode); NULL: plain */
  GpDensity *density;        /* households' density under the outlines (Load mode); NULL: none */
  GStrv selection;           /* grid codes outlined over the map; NULL: none */
  guint style_serial;
  double density_peak;       /* what the last picture drew, for the legend */
  double density_bandwidth;

  /* Input state */
  double pointer_x;
  double pointer_y;
  gboolean pointer_inside;
  double drag_start_x;       /* viewport centre when the drag began */
  double drag_start_y;
  gboolean drag_moved;       /* the drag went further than a click's wobble */
  /* Shift-drag draws a rubber band (screen pixels) instead of panning. */
  gboolean banding;
  double band_x0, band_y0, band_x1, band_y1;
  /* In paint mode a drag is a brush stroke: its points (map metres, x y interleaved). */
  gboolean paint_mode;
  GArray *stroke;            /* of double; NULL: not painting */
  double stroke_x0, stroke_y0; /* where it began on screen */
  double pinch_start_scale;

  gboolean fit_pending;
  gboolean drawn_pending;    /* "drawn" not yet emitted for the current data */
  guint drawn_source;

  /* The last finished picture and the view it shows. Frames while the view moves show it
   * shifted and scaled; a worker thread draws the new view meanwhile, so even 100,000
   * polygons never hold up a frame. */
  GdkTexture *cache;
  Frame cache_frame;
  GCancellable *render_cancellable;   /* the render in flight, if any */
  gboolean render_again;              /* the view changed while it ran */
};

G_DEFINE_FINAL_TYPE (GpMapView, gp_map_view, GTK_TYPE_WIDGET)

static void start_render (GpMapView *self);
static void snapshot_selection (GpMapView *self, GtkSnapshot *snapshot, const Frame *now);
static void snapshot_band (GpMapView *self, GtkSnapshot *snapshot, const Frame *now);

enum {
  PROP_0,
  PROP_DATA,
  PROP_VIEWPORT,
  N_PROPS
};

enum {
  DRAWN,
  CLICKED,
  BAND_SELECTED,
  PAINTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
emit_drawn (gpointer user_data)
{
  GpMapView *self = user_data;

  self->drawn_source = 0;
  g_signal_emit (self, signals[DRAWN], 0);
  return G_SOURCE_REMOVE;
}

static Frame
current_frame (GpMapView *self)
{
  Frame f;

  f.data = self->data;
  f.heatmap = self->heatmap;
  f.density = self->density;
  f.center_x = gp_viewport_get_center_x (self->viewport);
  f.center_y = gp_viewport_get_center_y (self->viewport);
  f.scale = gp_viewport_get_scale (self->viewport);
  f.width = gtk_widget_get_width (GTK_WIDGET (self));
  f.height = gtk_widget_get_height (GTK_WIDGET (self));
  f.scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  f.style_serial = self->style_serial;
  return f;
}

static gboolean
frame_equal (const Frame *a, const Frame *b)
{
  return a->data == b->data && a->heatmap == b->heatmap && a->density == b->density && a->center_x == b->center_x && a->center_y == b->center_y &&
         a->scale == b->scale && a->width == b->width && a->height == b->height &&
         a->scale_factor == b->scale_factor && a->style_serial == b->style_serial;
}

/* Rendering in a worker ---------------------------------------------------------------------- */

typedef struct {
  Frame frame;
  GpMapData *data;     /* owned */
  GpHeatmap *heatmap;  /* owned reference, or NULL */
  GpDensity *density;  /* owned reference, or NULL */
  GpStyle *style;      /* a copy: the view's may change meanwhile */
  double peak, bandwidth;  /* the density drawn */
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  g_clear_object (&job->data);
  g_clear_pointer (&job->heatmap, gp_heatmap_free);
  g_clear_pointer (&job->density, gp_density_free);
  gp_style_free (job->style);
  g_free (job);
}

static void
render_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RenderJob *job = task_data;
  g_autoptr(GpViewport) viewport = gp_viewport_new ();
  int sf = job->frame.scale_factor;
  int w = job->frame.width * sf, h = job->frame.height * sf;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;

  gp_viewport_set_scale_limits (viewport, G_MINDOUBLE, G_MAXDOUBLE);
  gp_viewport_set_size (viewport, job->frame.width, job->frame.height);
  gp_viewport_set_scale (viewport, job->frame.scale);
  gp_viewport_set_center (viewport, job->frame.center_x, job->frame.center_y);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cairo_scale (cr, sf, sf);
  job->peak = gp_render_map_layers (cr, viewport, job->data, job->style, job->heatmap, job->density,
                                    &job->bandwidth);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_task_return_new_error (task, GP_ERROR, GP_ERROR_FAILED, "%s",
                               _("The map could not be drawn: out of memory?"));
      return;
    }
  /* cairo's ARGB32 is premultiplied native-endian BGRA: GDK_MEMORY_DEFAULT exactly. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  g_task_return_pointer (task, texture, g_object_unref);
}

static void
render_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GpMapView) self = user_data;
  RenderJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_clear_object (&texture);
      return;
    }
  g_clear_object (&self->render_cancellable);
  if (texture == NULL)
    g_warning ("%s", error->message);
  else
    {
      g_clear_object (&self->cache);
      self->cache = texture;
      self->cache_frame = job->frame;
      self->density_peak = job->peak;
      self->density_bandwidth = job->bandwidth;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  if (self->render_again)
    {
      self->render_again = FALSE;
      start_render (self);
    }
}

static void
start_render (GpMapView *self)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job;
  Frame frame = current_frame (self);

  if (frame.width <= 0 || frame.height <= 0)
    return;
  if (self->render_cancellable != NULL)
    {
      /* One render at a time: the next starts when this one is done. */
      self->render_again = TRUE;
      return;
    }
  job = g_new0 (RenderJob, 1);
  job->frame = frame;
  job->data = self->data != NULL ? g_object_ref (self->data) : NULL;
  job->heatmap = self->heatmap != NULL ? gp_heatmap_ref (self->heatmap) : NULL;
  job->density = self->density != NULL ? gp_density_ref (self->density) : NULL;
  job->style = gp_style_copy (self->style);
  self->render_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->render_cancellable, render_done, g_object_ref (self));
  g_task_set_source_tag (task, start_render);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_thread);
}

static void
cancel_render (GpMapView *self)
{
  if (self->render_cancellable != NULL)
    g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  self->render_again = FALSE;
}

/* The heatmap's legend, over the map's bottom right corner (clear of the scale bar at the
 * bottom left, the north arrow at the top right and the status line at the foot); drawn each frame, so it stays put while
 * the map moves under it. */
static void
snapshot_legend (GpMapView *self, GtkSnapshot *snapshot, const Frame *now)
{
  cairo_surface_t *scratch;
  cairo_t *cr;
  double w = 0, h = 0, x, y;

  if (self->heatmap == NULL && (self->density == NULL || self->cache_frame.density != self->density))
    return;
  scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (scratch);
  if (self->heatmap != NULL)
    gp_heatmap_measure_legend (self->heatmap, cr, self->style, &w, &h);
  else
    gp_density_draw_legend (cr, self->style, self->density_peak, self->density_bandwidth, 0, 0, FALSE, &w, &h);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
  x = MAX (0.0, now->width - w - 12.0);
  y = MAX (0.0, now->height - h - 40.0);   /* above the status line */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x, y, w + 1, h + 1));
  if (self->heatmap != NULL)
    gp_heatmap_draw_legend (self->heatmap, cr, self->style, x, y, NULL, NULL);
  else
    gp_density_draw_legend (cr, self->style, self->density_peak, self->density_bandwidth, x, y, TRUE, NULL, NULL);
  cairo_destroy (cr);
}

static void
gp_map_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GpMapView *self = GP_MAP_VIEW (widget);
  Frame now = current_frame (self);
  const GpColor *bg = &self->style->background;

  if (now.width <= 0 || now.height <= 0)
    return;

  if (self->cache != NULL && frame_equal (&self->cache_frame, &now))
    {
      gtk_snapshot_append_texture (snapshot, self->cache,
                                   &GRAPHENE_RECT_INIT (0, 0, now.width, now.height));
      snapshot_selection (self, snapshot, &now);
      snapshot_band (self, snapshot, &now);
      snapshot_legend (self, snapshot, &now);
      /* Announce the first frame with the data once this frame is out, from the main loop,
       * so a screenshot taken then sees exactly what is on screen. */
      if (self->drawn_pending && self->data != NULL && !self->fit_pending)
        {
          self->drawn_pending = FALSE;
          if (self->drawn_source == 0)
            self->drawn_source = g_idle_add_full (G_PRIORITY_LOW, emit_drawn, self, NULL);
        }
      return;
    }

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { bg->red, bg->green, bg->blue, bg->alpha },
                             &GRAPHENE_RECT_INIT (0, 0, now.width, now.height));
  if (self->cache != NULL && self->cache_frame.data == self->data)
    {
      const Frame *old = &self->cache_frame;
      double k = old->scale / now.scale;

      /* Where the cached picture lands in this view: its map points keep their places. */
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (
        now.width / 2.0 + (old->center_x - now.center_x) / now.scale - k * old->width / 2.0,
        now.height / 2.0 - (old->center_y - now.center_y) / now.scale - k * old->height / 2.0));
      gtk_snapshot_scale (snapshot, k, k);
      gtk_snapshot_append_texture (snapshot, self->cache,
                                   &GRAPHENE_RECT_INIT (0, 0, old->width, old->height));
      gtk_snapshot_restore (snapshot);
    }
  snapshot_selection (self, snapshot, &now);
  snapshot_band (self, snapshot, &now);
  snapshot_legend (self, snapshot, &now);
  start_render (self);
}

static void
fit_now (GpMapView *self)
{
  double bbox[4];

  if (self->data == NULL || !gp_map_data_get_bbox (self->data, bbox))
    return;
  gp_viewport_fit (self->viewport, bbox, FIT_MARGIN);
}

static void
gp_map_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GpMapView *self = GP_MAP_VIEW (widget);

  gp_viewport_set_size (self->viewport, width, height);
  if (self->fit_pending && width > 0 && height > 0)
    {
      self->fit_pending = FALSE;
      fit_now (self);
    }
}

static void
gp_map_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
on_viewport_notify (GpMapView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Input ------------------------------------------------------------------------------------ */

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, GpMapView *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
}

static void
on_leave (GtkEventControllerMotion *motion, GpMapView *self)
{
  self->pointer_inside = FALSE;
}

static void
pointer_or_centre (GpMapView *self, double *x, double *y)
{
  if (self->pointer_inside)
    {
      *x = self->pointer_x;
      *y = self->pointer_y;
    }
  else
    {
      *x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      *y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
}

/* A band or drag shorter than this (pixels) was a shaky click, not a band, stroke or pan. */
#define BAND_MIN_PIXELS 4.0
/* A brush stroke's points lie at most this far apart (pixels). */
#define STROKE_STEP_PIXELS 3.0

static void
on_drag_begin (GtkGestureDrag *drag, double x, double y, GpMapView *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (drag));

  self->drag_moved = FALSE;
  if ((state & GDK_SHIFT_MASK) && self->data != NULL)
    {
      /* Shift-drag: a rubber band over the grids to select. */
      self->banding = TRUE;
      self->band_x0 = self->band_x1 = x;
      self->band_y0 = self->band_y1 = y;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
      return;
    }
  self->banding = FALSE;
  if (self->paint_mode && self->data != NULL)
    {
      double mx, my;

      /* A brush stroke: the map stays put, the points under the pointer are collected. */
      g_clear_pointer (&self->stroke, g_array_unref);
      self->stroke = g_array_new (FALSE, FALSE, sizeof (double));
      self->stroke_x0 = x;
      self->stroke_y0 = y;
      gp_viewport_from_screen (self->viewport, x, y, &mx, &my);
      g_array_append_val (self->stroke, mx);
      g_array_append_val (self->stroke, my);
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "cell");
      return;
    }
  self->drag_start_x = gp_viewport_get_center_x (self->viewport);
  self->drag_start_y = gp_viewport_get_center_y (self->viewport);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
on_drag_update (GtkGestureDrag *drag, double dx, double dy, GpMapView *self)
{
  double scale = gp_viewport_get_scale (self->viewport);

  if (fabs (dx) >= BAND_MIN_PIXELS || fabs (dy) >= BAND_MIN_PIXELS)
    self->drag_moved = TRUE;
  if (self->banding)
    {
      self->band_x1 = self->band_x0 + dx;
      self->band_y1 = self->band_y0 + dy;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (self->stroke != NULL)
    {
      double mx, my, lx, ly, step, len;
      guint n;

      gp_viewport_from_screen (self->viewport, self->stroke_x0 + dx, self->stroke_y0 + dy, &mx, &my);
      /* Points every few pixels between pointer events, so a quick stroke skips no unit. */
      lx = g_array_index (self->stroke, double, self->stroke->len - 2);
      ly = g_array_index (self->stroke, double, self->stroke->len - 1);
      step = STROKE_STEP_PIXELS * scale;
      len = hypot (mx - lx, my - ly);
      n = step > 0.0 ? (guint) MIN (ceil (len / step), 1000.0) : 1;
      for (guint i = 1; i <= MAX (n, 1u); i++)
        {
          double t = (double) i / MAX (n, 1u), px = lx + t * (mx - lx), py = ly + t * (my - ly);

          g_array_append_val (self->stroke, px);
          g_array_append_val (self->stroke, py);
        }
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  /* From the centre at the start, not by increments, so the grabbed point stays exactly
   * under the pointer however many events arrive. */
  gp_viewport_set_center (self->viewport,
                          self->drag_start_x - dx * scale,
                          self->drag_start_y + dy * scale);
}

static void
on_drag_end (GtkGestureDrag *drag, double dx, double dy, GpMapView *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
  if (self->stroke != NULL)
    {
      g_autoptr(GArray) stroke = g_steal_pointer (&self->stroke);

      gtk_widget_queue_draw (GTK_WIDGET (self));
      /* A stroke that did not move is the click it was (the click handler has it). */
      if (fabs (dx) >= BAND_MIN_PIXELS || fabs (dy) >= BAND_MIN_PIXELS)
        g_signal_emit (self, signals[PAINTED], 0, (gconstpointer) stroke->data, stroke->len / 2);
      return;
    }
  if (self->banding)
    {
      GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (drag));
      double x0, y0, x1, y1;

      self->banding = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      if (fabs (dx) < BAND_MIN_PIXELS && fabs (dy) < BAND_MIN_PIXELS)
        return;
      gp_viewport_from_screen (self->viewport, self->band_x0, self->band_y0, &x0, &y0);
      gp_viewport_from_screen (self->viewport, self->band_x0 + dx, self->band_y0 + dy, &x1, &y1);
      g_signal_emit (self, signals[BAND_SELECTED], 0, MIN (x0, x1), MIN (y0, y1), MAX (x0, x1), MAX (y0, y1),
                     (guint) state);
    }
}

/* The rubber band or brush stroke being drawn, in the selection's colour: a band as a light
 * wash with a dashed edge, a stroke as a broad translucent line. */
static void
snapshot_band (GpMapView *self, GtkSnapshot *snapshot, const Frame *now)
{
  cairo_t *cr;
  const double dash[] = { 4.0, 3.0 };

  if (self->stroke != NULL && self->stroke->len >= 4)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, now->width, now->height));
      for (guint i = 0; i + 1 < self->stroke->len; i += 2)
        {
          double sx, sy;

          gp_viewport_to_screen (self->viewport, g_array_index (self->stroke, double, i),
                                 g_array_index (self->stroke, double, i + 1), &sx, &sy);
          if (i == 0)
            cairo_move_to (cr, sx, sy);
          else
            cairo_line_to (cr, sx, sy);
        }
      cairo_set_source_rgba (cr, 230 / 255.0, 77 / 255.0, 0.0, 0.35);
      cairo_set_line_width (cr, 8.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
  if (!self->banding)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, now->width, now->height));
  cairo_rectangle (cr, MIN (self->band_x0, self->band_x1) + 0.5, MIN (self->band_y0, self->band_y1) + 0.5,
                   fabs (self->band_x1 - self->band_x0), fabs (self->band_y1 - self->band_y0));
  cairo_set_source_rgba (cr, 230 / 255.0, 77 / 255.0, 0.0, 0.08);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 230 / 255.0, 77 / 255.0, 0.0, 0.9);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll, double dx, double dy, GpMapView *self)
{
  double x, y, factor;

  if (self->data == NULL || dy == 0)
    return FALSE;
  pointer_or_centre (self, &x, &y);
  if (gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL)
    factor = pow (WHEEL_STEP, -dy);
  else
    factor = pow (WHEEL_STEP, -dy / SURFACE_PIXELS_PER_STEP);
  gp_viewport_zoom_at (self->viewport, factor, x, y);
  return TRUE;
}

static void
on_zoom_begin (GtkGesture *gesture, GdkEventSequence *sequence, GpMapView *self)
{
  self->pinch_start_scale = gp_viewport_get_scale (self->viewport);
}

static void
on_zoom_scale_changed (GtkGestureZoom *zoom, double scale, GpMapView *self)
{
  double x, y, current;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (zoom), &x, &y))
    return;
  current = gp_viewport_get_scale (self->viewport);
  if (scale <= 0 || current <= 0)
    return;
  /* scale is relative to the start of the pinch; zoom_at takes a step from now. */
  gp_viewport_zoom_at (self->viewport, current * scale / self->pinch_start_scale, x, y);
}

static void
on_click_pressed (GtkGestureClick *click, int n_press, double x, double y, GpMapView *self)
{
  if (n_press == 2)
    gp_map_view_zoom_fit (self);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* A single click that did not become a drag: where on the map, and with which keys held. */
static void
on_click_released (GtkGestureClick *click, int n_press, double x, double y, GpMapView *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (click));
  double mx, my;

  /* The end of a pan, band or stroke is no click on what lies under it. */
  if (n_press != 1 || self->data == NULL || self->drag_moved)
    return;
  gp_viewport_from_screen (self->viewport, x, y, &mx, &my);
  g_signal_emit (self, signals[CLICKED], 0, mx, my, (guint) state);
}

/* The selected grids, outlined over the picture at the current view. */
static void
snapshot_selection (GpMapView *self, GtkSnapshot *snapshot, const Frame *now)
{
  cairo_t *cr;

  if (self->selection == NULL || self->selection[0] == NULL || self->data == NULL)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, now->width, now->height));
  cairo_new_path (cr);
  for (guint i = 0; self->selection[i] != NULL; i++)
    gp_map_data_trace_feature (self->data, GP_MAP_LAYER_GRIDS, self->selection[i], self->viewport, cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* A light halo under a strong line reads on every fill and heatmap colour. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 6.0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 0.90, 0.30, 0.0, 1.0);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
zoom_in_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gp_map_view_zoom (GP_MAP_VIEW (widget), 2.0);
}

static void
zoom_out_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gp_map_view_zoom (GP_MAP_VIEW (widget), 0.5);
}

static void
zoom_fit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gp_map_view_zoom_fit (GP_MAP_VIEW (widget));
}

static void
pan_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GpMapView *self = GP_MAP_VIEW (widget);
  double dx, dy;

  g_variant_get (param, "(dd)", &dx, &dy);
  /* A keyboard step is a tenth of the view. */
  gp_viewport_pan_by (self->viewport,
                      dx * gtk_widget_get_width (widget) / 10.0,
                      dy * gtk_widget_get_height (widget) / 10.0);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
gp_map_view_dispose (GObject *object)
{
  GpMapView *self = GP_MAP_VIEW (object);

  g_clear_handle_id (&self->drawn_source, g_source_remove);
  cancel_render (self);
  g_clear_object (&self->cache);
  g_clear_object (&self->data);
  g_clear_pointer (&self->heatmap, gp_heatmap_free);
  g_clear_pointer (&self->density, gp_density_free);
  g_clear_pointer (&self->selection, g_strfreev);
  g_clear_pointer (&self->stroke, g_array_unref);
  if (self->viewport != NULL)
    g_signal_handlers_disconnect_by_data (self->viewport, self);
  g_clear_object (&self->viewport);
  g_clear_pointer (&self->style, gp_style_free);

  G_OBJECT_CLASS (gp_map_view_parent_class)->dispose (object);
}

static void
gp_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GpMapView *self = GP_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_DATA:
      g_value_set_object (value, self->data);
      break;
    case PROP_VIEWPORT:
      g_value_set_object (value, self->viewport);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GpMapView *self = GP_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_DATA:
      gp_map_view_set_data (self, g_value_get_object (value), TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_map_view_class_init (GpMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gp_map_view_dispose;
  object_class->get_property = gp_map_view_get_property;
  object_class->set_property = gp_map_view_set_property;

  widget_class->snapshot = gp_map_view_snapshot;
  widget_class->size_allocate = gp_map_view_size_allocate;
  widget_class->measure = gp_map_view_measure;

  properties[PROP_DATA] =
    g_param_spec_object ("data", NULL, NULL, GP_TYPE_MAP_DATA,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEWPORT] =
    g_param_spec_object ("viewport", NULL, NULL, GP_TYPE_VIEWPORT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GpMapView::drawn:
   *
   * Emitted once after the first frame showing newly set data has been drawn.
   */
  signals[DRAWN] = g_signal_new ("drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GpMapView::clicked:
   * @x: where, in the map's local metres
   * @y:
   * @state: the GdkModifierType held
   *
   * A single click (not a drag) on the map.
   */
  signals[CLICKED] = g_signal_new ("clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_UINT);

  /**
   * GpMapView::band-selected:
   * @x0: the band drawn with Shift held, in the map's local metres (x0 < x1, y0 < y1)
   * @y0:
   * @x1:
   * @y1:
   * @state: the GdkModifierType held when it was let go
   */
  signals[BAND_SELECTED] = g_signal_new ("band-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 5, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                                         G_TYPE_DOUBLE, G_TYPE_UINT);

  /**
   * GpMapView::painted:
   * @points: the brush stroke's points, x y interleaved, in the map's local metres
   * @n_points:
   *
   * A drag in paint mode (gp_map_view_set_paint_mode()).
   */
  signals[PAINTED] = g_signal_new ("painted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "map.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "map.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "map.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "map.pan", "(dd)", pan_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "map.pan", "(dd)", 1.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "map.pan", "(dd)", -1.0, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "map.pan", "(dd)", 0.0, 1.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "map.pan", "(dd)", 0.0, -1.0);

  gtk_widget_class_set_css_name (widget_class, "gp-map-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gp_map_view_init (GpMapView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->viewport = gp_viewport_new ();
  self->style = gp_style_new ();
  g_signal_connect_swapped (self->viewport, "notify", G_CALLBACK (on_viewport_notify), self);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_click_pressed), self);
  g_signal_connect (gesture, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Map"),
                                  -1);
}

GtkWidget *
gp_map_view_new (void)
{
  return g_object_new (GP_TYPE_MAP_VIEW, NULL);
}

GpMapData *
gp_map_view_get_data (GpMapView *self)
{
  g_return_val_if_fail (GP_IS_MAP_VIEW (self), NULL);
  return self->data;
}

void
gp_map_view_set_data (GpMapView *self, GpMapData *data, gboolean fit)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  g_return_if_fail (data == NULL || GP_IS_MAP_DATA (data));

  if (!g_set_object (&self->data, data))
    return;
  /* A picture of other data must not be shown shifted under this one. */
  cancel_render (self);
  g_clear_object (&self->cache);
  /* A "drawn" queued for the data before is not this data's. */
  g_clear_handle_id (&self->drawn_source, g_source_remove);
  self->drawn_pending = data != NULL;
  if (fit && data != NULL)
    {
      if (gtk_widget_get_width (GTK_WIDGET (self)) > 0 && gtk_widget_get_height (GTK_WIDGET (self)) > 0)
        fit_now (self);
      else
        self->fit_pending = TRUE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
}

void
gp_map_view_set_heatmap (GpMapView *self, GpHeatmap *heatmap)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  if (heatmap == self->heatmap)
    return;
  g_clear_pointer (&self->heatmap, gp_heatmap_free);
  self->heatmap = heatmap != NULL ? gp_heatmap_ref (heatmap) : NULL;
  /* "drawn" again once the map shows it (not for a frame queued before). */
  g_clear_handle_id (&self->drawn_source, g_source_remove);
  self->drawn_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gp_map_view_set_density (GpMapView *self, GpDensity *density)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  if (density == self->density)
    return;
  g_clear_pointer (&self->density, gp_density_free);
  self->density = density != NULL ? gp_density_ref (density) : NULL;
  g_clear_handle_id (&self->drawn_source, g_source_remove);
  self->drawn_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gp_map_view_set_layer_visible (GpMapView *self, GpMapLayer layer, gboolean visible)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  g_return_if_fail ((guint) layer < G_N_ELEMENTS (self->style->hide_layer));
  if (self->style->hide_layer[layer] == !visible)
    return;
  self->style->hide_layer[layer] = !visible;
  /* Drawn again in the background; the picture before stays until then. */
  self->style_serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gp_map_view_set_selection (GpMapView *self, const char *const *grids)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  g_strfreev (self->selection);
  self->selection = grids != NULL ? g_strdupv ((char **) grids) : NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gp_map_view_announce_next_frame (GpMapView *self)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  self->drawn_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GpHeatmap *
gp_map_view_get_heatmap (GpMapView *self)
{
  g_return_val_if_fail (GP_IS_MAP_VIEW (self), NULL);
  return self->heatmap;
}

GpViewport *
gp_map_view_get_viewport (GpMapView *self)
{
  g_return_val_if_fail (GP_IS_MAP_VIEW (self), NULL);
  return self->viewport;
}

GpStyle *
gp_map_view_get_style (GpMapView *self)
{
  g_return_val_if_fail (GP_IS_MAP_VIEW (self), NULL);
  return self->style;
}

void
gp_map_view_zoom_fit (GpMapView *self)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  fit_now (self);
}

void
gp_map_view_zoom (GpMapView *self, double factor)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  g_return_if_fail (factor > 0);

  gp_viewport_zoom_at (self->viewport, factor,
                       gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                       gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
gp_map_view_set_paint_mode (GpMapView *self, gboolean paint)
{
  g_return_if_fail (GP_IS_MAP_VIEW (self));
  self->paint_mode = paint;
  if (!paint)
    g_clear_pointer (&self->stroke, g_array_unref);
}

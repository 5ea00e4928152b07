/* gp-viewport.c: the map's view transform, a plain GObject the map view and exports share. */
#include "gp-config.h"

#include <math.h>

#include "gp-viewport.h"

/* Roughly a millimetre per pixel up to a continent per screen: outside this range nothing a
 * planner draws is readable, and doubles stay far from trouble. */
#define DEFAULT_MIN_SCALE 0.001
#define DEFAULT_MAX_SCALE 100000.0

struct _GpViewport
{
  GObject parent_instance;

  double center_x;
  double center_y;
  double scale;
  double min_scale;
  double max_scale;
  int width;
  int height;
};

G_DEFINE_FINAL_TYPE (GpViewport, gp_viewport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  PROP_SCALE,
  PROP_MIN_SCALE,
  PROP_MAX_SCALE,
  PROP_WIDTH,
  PROP_HEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gp_viewport_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GpViewport *self = GP_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_CENTER_X:
      g_value_set_double (value, self->center_x);
      break;
    case PROP_CENTER_Y:
      g_value_set_double (value, self->center_y);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    case PROP_MIN_SCALE:
      g_value_set_double (value, self->min_scale);
      break;
    case PROP_MAX_SCALE:
      g_value_set_double (value, self->max_scale);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_viewport_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GpViewport *self = GP_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_CENTER_X:
      gp_viewport_set_center (self, g_value_get_double (value), self->center_y);
      break;
    case PROP_CENTER_Y:
      gp_viewport_set_center (self, self->center_x, g_value_get_double (value));
      break;
    case PROP_SCALE:
      gp_viewport_set_scale (self, g_value_get_double (value));
      break;
    case PROP_MIN_SCALE:
      gp_viewport_set_scale_limits (self, g_value_get_double (value), self->max_scale);
      break;
    case PROP_MAX_SCALE:
      gp_viewport_set_scale_limits (self, self->min_scale, g_value_get_double (value));
      break;
    case PROP_WIDTH:
      gp_viewport_set_size (self, g_value_get_int (value), self->height);
      break;
    case PROP_HEIGHT:
      gp_viewport_set_size (self, self->width, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gp_viewport_class_init (GpViewportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = gp_viewport_get_property;
  object_class->set_property = gp_viewport_set_property;

  properties[PROP_CENTER_X] =
    g_param_spec_double ("center-x", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_CENTER_Y] =
    g_param_spec_double ("center-y", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, 1.0, flags);
  properties[PROP_MIN_SCALE] =
    g_param_spec_double ("min-scale", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, DEFAULT_MIN_SCALE, flags);
  properties[PROP_MAX_SCALE] =
    g_param_spec_double ("max-scale", NULL, NULL, G_MINDOUBLE, G_MAXDOUBLE, DEFAULT_MAX_SCALE, flags);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gp_viewport_init (GpViewport *self)
{
  self->scale = 1.0;
  self->min_scale = DEFAULT_MIN_SCALE;
  self->max_scale = DEFAULT_MAX_SCALE;
}

GpViewport *
gp_viewport_new (void)
{
  return g_object_new (GP_TYPE_VIEWPORT, NULL);
}

double
gp_viewport_get_center_x (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), 0.0);
  return self->center_x;
}

double
gp_viewport_get_center_y (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), 0.0);
  return self->center_y;
}

void
gp_viewport_set_center (GpViewport *self, double x, double y)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (x) && isfinite (y));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->center_x != x)
    {
      self->center_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
    }
  if (self->center_y != y)
    {
      self->center_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

double
gp_viewport_get_scale (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), 1.0);
  return self->scale;
}

void
gp_viewport_set_scale (GpViewport *self, double scale)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (scale) && scale > 0.0);

  scale = CLAMP (scale, self->min_scale, self->max_scale);
  if (self->scale == scale)
    return;
  self->scale = scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

double
gp_viewport_get_min_scale (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), DEFAULT_MIN_SCALE);
  return self->min_scale;
}

double
gp_viewport_get_max_scale (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), DEFAULT_MAX_SCALE);
  return self->max_scale;
}

void
gp_viewport_set_scale_limits (GpViewport *self, double min_scale, double max_scale)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (min_scale) && isfinite (max_scale));
  g_return_if_fail (min_scale > 0.0 && min_scale <= max_scale);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->min_scale != min_scale)
    {
      self->min_scale = min_scale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_SCALE]);
    }
  if (self->max_scale != max_scale)
    {
      self->max_scale = max_scale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SCALE]);
    }
  gp_viewport_set_scale (self, self->scale);
  g_object_thaw_notify (G_OBJECT (self));
}

int
gp_viewport_get_width (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), 0);
  return self->width;
}

int
gp_viewport_get_height (GpViewport *self)
{
  g_return_val_if_fail (GP_IS_VIEWPORT (self), 0);
  return self->height;
}

void
gp_viewport_set_size (GpViewport *self, int width, int height)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (width >= 0 && height >= 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->width != width)
    {
      self->width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
    }
  if (self->height != height)
    {
      self->height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
gp_viewport_to_screen (GpViewport *self, double x, double y, double *sx, double *sy)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));

  if (sx != NULL)
    *sx = self->width / 2.0 + (x - self->center_x) / self->scale;
  if (sy != NULL)
    *sy = self->height / 2.0 - (y - self->center_y) / self->scale;
}

void
gp_viewport_from_screen (GpViewport *self, double sx, double sy, double *x, double *y)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));

  if (x != NULL)
    *x = self->center_x + (sx - self->width / 2.0) * self->scale;
  if (y != NULL)
    *y = self->center_y - (sy - self->height / 2.0) * self->scale;
}

void
gp_viewport_get_bbox (GpViewport *self, double bbox[4])
{
  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (bbox != NULL);

  gp_viewport_from_screen (self, 0.0, self->height, &bbox[0], &bbox[1]);
  gp_viewport_from_screen (self, self->width, 0.0, &bbox[2], &bbox[3]);
}

void
gp_viewport_zoom_at (GpViewport *self, double factor, double sx, double sy)
{
  double mx, my;
  double scale;

  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (factor) && factor > 0.0);
  g_return_if_fail (isfinite (sx) && isfinite (sy));

  gp_viewport_from_screen (self, sx, sy, &mx, &my);
  scale = CLAMP (self->scale / factor, self->min_scale, self->max_scale);

  /* Solve to_screen (mx, my) == (sx, sy) for the centre at the new scale. */
  g_object_freeze_notify (G_OBJECT (self));
  gp_viewport_set_scale (self, scale);
  gp_viewport_set_center (self,
                          mx - (sx - self->width / 2.0) * self->scale,
                          my + (sy - self->height / 2.0) * self->scale);
  g_object_thaw_notify (G_OBJECT (self));
}

void
gp_viewport_pan_by (GpViewport *self, double dx, double dy)
{
  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (dx) && isfinite (dy));

  /* Dragging right moves the map right, so the centre goes west; screen y is down. */
  gp_viewport_set_center (self,
                          self->center_x - dx * self->scale,
                          self->center_y + dy * self->scale);
}

void
gp_viewport_fit (GpViewport *self, const double bbox[4], double margin)
{
  double bw, bh, room_w, room_h, scale;

  g_return_if_fail (GP_IS_VIEWPORT (self));
  g_return_if_fail (bbox != NULL);
  g_return_if_fail (isfinite (bbox[0]) && isfinite (bbox[1]) &&
                    isfinite (bbox[2]) && isfinite (bbox[3]));
  g_return_if_fail (bbox[0] <= bbox[2] && bbox[1] <= bbox[3]);

  bw = bbox[2] - bbox[0];
  bh = bbox[3] - bbox[1];
  /* A window too small for the margin still shows the data, just without the margin. */
  room_w = self->width - 2.0 * margin;
  room_h = self->height - 2.0 * margin;
  if (room_w < 1.0)
    room_w = MAX (self->width, 1);
  if (room_h < 1.0)
    room_h = MAX (self->height, 1);

  g_object_freeze_notify (G_OBJECT (self));
  if (bw > 0.0 || bh > 0.0)
    {
      scale = MAX (bw / room_w, bh / room_h);
      gp_viewport_set_scale (self, scale);
    }
  gp_viewport_set_center (self, (bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
  g_object_thaw_notify (G_OBJECT (self));
}

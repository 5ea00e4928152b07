/* gp-viewport.h: what part of the map is on screen: centre, scale and size, and the transforms. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GP_TYPE_VIEWPORT (gp_viewport_get_type ())
G_DECLARE_FINAL_TYPE (GpViewport, gp_viewport, GP, VIEWPORT, GObject)

/* Map coordinates are local metres (a GpLocalFrame), x east and y north; screen coordinates are
 * pixels from the top-left corner, y down. Scale is metres per pixel: larger = zoomed out. */
GpViewport *gp_viewport_new           (void);

double      gp_viewport_get_center_x  (GpViewport *self);
double      gp_viewport_get_center_y  (GpViewport *self);
void        gp_viewport_set_center    (GpViewport *self, double x, double y);
double      gp_viewport_get_scale     (GpViewport *self);
/* Clamped to [min-scale, max-scale]. */
void        gp_viewport_set_scale     (GpViewport *self, double scale);
double      gp_viewport_get_min_scale (GpViewport *self);
double      gp_viewport_get_max_scale (GpViewport *self);
void        gp_viewport_set_scale_limits (GpViewport *self, double min_scale, double max_scale);
int         gp_viewport_get_width     (GpViewport *self);
int         gp_viewport_get_height    (GpViewport *self);
/* The centre stays where it is; only the visible extent changes. */
void        gp_viewport_set_size      (GpViewport *self, int width, int height);

void        gp_viewport_to_screen     (GpViewport *self, double x, double y, double *sx, double *sy);
void        gp_viewport_from_screen   (GpViewport *self, double sx, double sy, double *x, double *y);
/* Visible map extent: minx, miny, maxx, maxy. */
void        gp_viewport_get_bbox      (GpViewport *self, double bbox[4]);

/* Zooms in by FACTOR (> 1 in, < 1 out) keeping the map point under screen point (sx, sy)
 * where it is; when the scale limits stop the zoom the point still stays put. */
void        gp_viewport_zoom_at       (GpViewport *self, double factor, double sx, double sy);
/* Moves the map by (dx, dy) pixels on screen, as a drag does. */
void        gp_viewport_pan_by        (GpViewport *self, double dx, double dy);
/* Shows BBOX (map coordinates) whole and centred, MARGIN pixels from each edge when there is
 * room. A degenerate bbox (a point) is centred at the current scale. */
void        gp_viewport_fit           (GpViewport *self, const double bbox[4], double margin);

G_END_DECLS

/* gp-density.h: a kernel-density surface of households (or of any weighted points) drawn under the grid outlines: points binned per cell of the view, smoothed by a Gaussian of the bandwidth (three box blurs), coloured on a sequential ramp. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "gp-map-data.h"
#include "gp-style.h"
#include "gp-viewport.h"

G_BEGIN_DECLS

typedef struct _GpDensity GpDensity;

/* N points XY (local metres, 2 per point) weighing W each (NULL: 1). BANDWIDTH_M <= 0: chosen
 * for each view from the points in it (twice the median distance between neighbouring points,
 * at least 30 m). */
GpDensity *gp_density_new          (const double *xy, const double *w, guint n, double bandwidth_m);
/* The households of DATA: household points one each, units (points, or a point inside each
 * polygon) with their households. */
GpDensity *gp_density_new_from_map (GpMapData *data, double bandwidth_m);
/* Never changed once made: a reference may go to another thread. gp_density_free drops one. */
GpDensity *gp_density_ref          (GpDensity *density);
void       gp_density_free         (GpDensity *density);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpDensity, gp_density_free)

/* The bandwidth given (0: chosen per view). */
double     gp_density_get_bandwidth (const GpDensity *density);
guint      gp_density_get_n_points  (const GpDensity *density);

/* Paints the surface over VIEWPORT's rectangle (0, 0, width, height) on CR, transparent where
 * there is nothing; returns the densest value drawn, in weight per km² (0: nothing), and the
 * bandwidth used in BANDWIDTH (may be NULL). */
double     gp_density_draw          (const GpDensity *density, cairo_t *cr, GpViewport *viewport,
                                     double *bandwidth);

/* The legend (title, a ramp from 0 to PEAK per km², the BANDWIDTH) at X, Y (DRAW FALSE: only
 * measured); its size in WIDTH and HEIGHT. */
void       gp_density_draw_legend   (cairo_t *cr, const GpStyle *style, double peak, double bandwidth, double x,
                                     double y, gboolean draw, double *width, double *height);

G_END_DECLS

/* gp-render.h: one call that paints the map (layers, labels, scale bar, north arrow) on cairo. */
#pragma once

#include <cairo.h>

#include "gp-density.h"
#include "gp-heatmap.h"
#include "gp-map-data.h"
#include "gp-style.h"
#include "gp-viewport.h"

G_BEGIN_DECLS

/* Paints the rectangle (0, 0, width, height) of VIEWPORT on CR, in CR's current user space
 * (one unit per viewport pixel): the background, areas, units, grids, households, labels and
 * decorations as STYLE says. DATA may be NULL (an empty map). The same call serves the screen,
 * PNG/PDF/SVG files and tests. */
void gp_render_map (cairo_t    *cr,
                    GpViewport *viewport,
                    GpMapData  *data,
                    GpStyle    *style);

/* The same with the grids filled by HEATMAP's classes (NULL: as gp_render_map). The legend is
 * the caller's to place (gp_heatmap_draw_legend). */
void gp_render_map_with_heatmap (cairo_t         *cr,
                                 GpViewport      *viewport,
                                 GpMapData       *data,
                                 GpStyle         *style,
                                 const GpHeatmap *heatmap);

/* The same with the grids filled by HEATMAP's classes and/or DENSITY painted on the ground under
 * every outline (either may be NULL); returns the density's peak drawn (per km², 0 without) and
 * its bandwidth in BANDWIDTH (may be NULL). */
double gp_render_map_layers (cairo_t         *cr,
                             GpViewport      *viewport,
                             GpMapData       *data,
                             GpStyle         *style,
                             const GpHeatmap *heatmap,
                             const GpDensity *density,
                             double          *bandwidth);

/* Strokes the outline of LAYER's features with CODE in COLOR, WIDTH pixels wide, over what is
 * drawn (the grid a notice board is about). */
void gp_render_outline_feature (cairo_t *cr, GpViewport *viewport, GpMapData *data, GpMapLayer layer,
                                const char *code, const GpColor *color, double width);

/* The length (metres) and width (pixels) of a scale bar that is at most MAX_PIXELS wide at
 * SCALE metres per pixel: 1, 2 or 5 times a power of ten. */
double gp_render_nice_scale_length (double scale, double max_pixels, double *pixels);

G_END_DECLS

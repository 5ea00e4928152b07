/* gp-box-raster.h: many pixel-aligned boxes (the features of a crowded view) written straight into an image surface, where cairo's path filler would spend most of a frame on them. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "gp-style.h"

G_BEGIN_DECLS

/* Draws N boxes (BOXES: x0, y0, x1, y1 each, in CR's user space) as draw_boxes in gp-render.c
 * does with cairo, rounded to whole pixels: their union filled with FILL (none when its alpha is
 * 0), then a one-pixel outline of each in LINE over it, every pixel blended once per colour.
 * Only into a plain image target (ARGB32 or RGB24) with an identity transform, no device offset
 * or scale, the OVER operator and a single-rectangle clip; otherwise nothing is drawn and FALSE
 * returned, for the caller to draw them with cairo (PDF, SVG, a rotated or clipped context). */
gboolean gp_box_raster_draw (cairo_t *cr, const double *boxes, guint n, const GpColor *fill, const GpColor *line);
/* The same boxes through cairo, for any surface: the union of the rectangles filled, then the
 * outlines as one-pixel rectangles (cairo fills aligned rectangles without rasterising edges). */
void     gp_box_cairo_draw  (cairo_t *cr, const double *boxes, guint n, const GpColor *fill, const GpColor *line);

G_END_DECLS

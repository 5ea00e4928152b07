/* gp-print.h: one printed page of the map (PNG, PDF or SVG): title, the map with its heatmap and legend, scale bar, north arrow and source note, written whole or not at all. */
#pragma once

#include <glib.h>

#include "gp-density.h"
#include "gp-heatmap.h"
#include "gp-map-data.h"
#include "gp-style.h"

G_BEGIN_DECLS

typedef struct {
  const char *title;      /* the place: "锡尼街道" */
  const char *subtitle;   /* what and when: "网格户数 · 2026-12-06"; NULL: none */
  const char *source;     /* the source note at the foot; NULL: none */
  double      width_pt;   /* the page in points (1/72 inch) */
  double      height_pt;
  double      png_scale;  /* pixels per point for PNG (150 dpi: 150 / 72) */
  const char *area_code;  /* the area the map shows; NULL: everything */
  const GpDensity *density; /* painted under the outlines, with its legend; NULL: none */
} GpPrintOptions;

/* A4 landscape at 150 dpi for PNG, no area. */
void     gp_print_options_init (GpPrintOptions *options);

/* Reads a page size: "A4", "A3" (landscape) or "WxH" (points for PDF and SVG, pixels for PNG,
 * PNG_SCALE then 1). FALSE when it is none. */
gboolean gp_print_parse_size   (const char *text, gboolean png, GpPrintOptions *options);

/* TRUE when PATH names a page we write (.png, .pdf, .svg). */
gboolean gp_print_path_ok      (const char *path);

/* Draws the page on CR (points as units) at its full size. */
void     gp_print_draw         (cairo_t *cr, GpMapData *data, GpStyle *style, const GpHeatmap *heatmap,
                                const GpPrintOptions *options);

/* Writes the page to PATH by its extension, under a temporary name renamed at the end.
 * Errors: GP_ERROR_INVALID_ARGUMENT (an unknown kind of file, an area not on the map),
 * GP_ERROR_IO (the file cannot be written). */
gboolean gp_print_map          (GpMapData *data, GpStyle *style, const GpHeatmap *heatmap,
                                const GpPrintOptions *options, const char *path, GError **error);

G_END_DECLS

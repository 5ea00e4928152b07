/* gp-heatmap.h: a per-grid metric drawn as a choropleth: values classed (quantiles, natural breaks, or fixed steps), coloured on a perceptual ramp, with the legend that says what each colour means. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "gp-style.h"

G_BEGIN_DECLS

typedef enum {
  GP_HEATMAP_HOUSEHOLDS,        /* households per grid */
  GP_HEATMAP_DEVIATION,         /* (households − T) / T, diverging around 0 */
  GP_HEATMAP_PER_WORKER,        /* households per full-time worker; no worker stands out */
  GP_HEATMAP_CONTACT_COVERAGE,  /* share of households with a party contact, 0..1 */
  GP_HEATMAP_STATUS,            /* service items: the worst open item (0 green, 1 yellow, 2 red) */
  GP_HEATMAP_N_METRICS
} GpHeatmapMetric;

/* "households", "deviation", "per-worker", "contact-coverage", "status" (the CLI's names). */
const char *gp_heatmap_metric_name  (GpHeatmapMetric metric);
gboolean    gp_heatmap_metric_parse (const char *name, GpHeatmapMetric *metric);
/* The metric in the planner's words, translated, for titles and legends. */
const char *gp_heatmap_metric_title (GpHeatmapMetric metric);

typedef enum {
  GP_CLASSING_QUANTILE,   /* as many grids in each class */
  GP_CLASSING_NATURAL,    /* Jenks natural breaks: classes as alike inside as can be */
} GpClassing;

/* Special values a grid may hold besides a number. */
#define GP_HEATMAP_NO_DATA   NAN        /* not known: drawn in the no-data class */
/* A grid without a full-time worker (per-worker): its own, striking class. */
#define GP_HEATMAP_NO_WORKER INFINITY

typedef struct _GpHeatmap GpHeatmap;

/* Classes VALUES (code → double*, copied) of METRIC into about N_CLASSES classes (2..9) by
 * METHOD; deviation and contact coverage use fixed steps that read the same on every map, and
 * status its three colours. */
GpHeatmap  *gp_heatmap_new          (GpHeatmapMetric metric, GHashTable *values, GpClassing method,
                                     guint n_classes);
/* Heatmaps never change once made; a reference may go to another thread (the map view's
 * renderer). gp_heatmap_free drops one. */
GpHeatmap  *gp_heatmap_ref          (GpHeatmap *heatmap);
void        gp_heatmap_free         (GpHeatmap *heatmap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpHeatmap, gp_heatmap_free)

GpHeatmapMetric gp_heatmap_get_metric (const GpHeatmap *heatmap);
/* Classes, lowest first (the no-data and no-worker classes are not counted). */
guint       gp_heatmap_get_n_classes (const GpHeatmap *heatmap);
/* Class I's bounds (LOW inclusive, HIGH exclusive except the last) and colour. */
void        gp_heatmap_get_class    (const GpHeatmap *heatmap, guint i, double *low, double *high,
                                     GpColor *color);
/* The class of VALUE: 0..n−1, or −1 for no data, −2 for no worker. */
int         gp_heatmap_class_of     (const GpHeatmap *heatmap, double value);
/* The class of grid CODE (−1 when it has no value). */
int         gp_heatmap_class_of_code (const GpHeatmap *heatmap, const char *code);
/* The fill of grid CODE (the no-data colour when it has no value). */
GpColor     gp_heatmap_color_of     (const GpHeatmap *heatmap, const char *code);
/* How many grids each class holds (class −1 and −2 in NO_DATA and NO_WORKER). */
guint       gp_heatmap_count_class  (const GpHeatmap *heatmap, int klass);
/* A class's label: "250–300", "−10% – −5%", "no data"... (newly allocated). */
char       *gp_heatmap_class_label  (const GpHeatmap *heatmap, int klass);

/* Draws the legend with its top-left corner at X, Y on CR (one unit per pixel): the metric's
 * title, then a swatch and label per class with its count of grids, no data and no worker last
 * when any grid has them. Returns its size. */
void        gp_heatmap_draw_legend  (const GpHeatmap *heatmap, cairo_t *cr, const GpStyle *style,
                                     double x, double y, double *width, double *height);
/* The legend's size without drawing it. */
void        gp_heatmap_measure_legend (const GpHeatmap *heatmap, cairo_t *cr, const GpStyle *style,
                                       double *width, double *height);

G_END_DECLS

/* gp-heatmap.c: classing per-grid values onto ColorBrewer ramps (perceptually ordered, print-safe), and the legend drawn with Pango. */
#include "gp-config.h"

#include "gp-heatmap.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>

#define MAX_CLASSES 9
/* Natural breaks are found on at most this many values (evenly spaced quantiles of them all):
 * the optimisation is quadratic, and the breaks of 10,000 grids hardly move. */
#define NATURAL_SAMPLE 600

struct _GpHeatmap {
  gint            ref_count;
  GpHeatmapMetric metric;
  GHashTable     *values;               /* code → double* */
  guint           n_classes;
  double          breaks[MAX_CLASSES + 1];
  GpColor         colors[MAX_CLASSES];
  GpColor         no_data, no_worker;
  guint           counts[MAX_CLASSES];
  guint           n_no_data, n_no_worker;
};

static const char *const metric_names[GP_HEATMAP_N_METRICS] = {
  "households", "deviation", "per-worker", "contact-coverage", "status",
};

static const char *const metric_titles[GP_HEATMAP_N_METRICS] = {
  N_("Households per grid"), N_("Deviation from the target"), N_("Households per full-time worker"),
  N_("Households with a party contact"), N_("Service items"),
};

const char *
gp_heatmap_metric_name (GpHeatmapMetric metric)
{
  g_return_val_if_fail (metric < GP_HEATMAP_N_METRICS, NULL);
  return metric_names[metric];
}

gboolean
gp_heatmap_metric_parse (const char *name, GpHeatmapMetric *metric)
{
  for (guint i = 0; name != NULL && i < GP_HEATMAP_N_METRICS; i++)
    if (g_ascii_strcasecmp (name, metric_names[i]) == 0)
      {
        *metric = (GpHeatmapMetric) i;
        return TRUE;
      }
  return FALSE;
}

const char *
gp_heatmap_metric_title (GpHeatmapMetric metric)
{
  g_return_val_if_fail (metric < GP_HEATMAP_N_METRICS, NULL);
  return _(metric_titles[metric]);
}

static GpColor
hex (guint32 rgb)
{
  return (GpColor) { ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, 1.0 };
}

/* ColorBrewer YlOrRd (sequential: more is darker) and RdBu (diverging), nine steps each. */
static const guint32 yl_or_rd[9] = {
  0xffffcc, 0xffeda0, 0xfed976, 0xfeb24c, 0xfd8d3c, 0xfc4e2a, 0xe31a1c, 0xbd0026, 0x800026,
};
/* RdBu for deviation, seven classes from far under (blue) to far over (red). */
static const guint32 rd_bu[7] = { 0x2166ac, 0x67a9cf, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xef8a62, 0xb2182b };
/* Contact coverage, five steps of 20%: thin coverage dark (OrRd reversed), so it stands out. */
static const guint32 coverage_ramp[5] = { 0xb30000, 0xe34a33, 0xfc8d59, 0xfdcc8a, 0xfef0d9 };
/* Service items: green, yellow, red (the 红黄绿 of the service ledger), deep enough to print. */
static const guint32 status_ramp[3] = { 0x4caf50, 0xfdd835, 0xe53935 };

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Jenks natural breaks of sorted V[0..n): K classes minimising the within-class variance (the
 * classic dynamic programme). BREAKS gets k + 1 values, the first and last V's ends. */
static void
natural_breaks (const double *v, guint n, guint k, double *breaks)
{
  g_autofree double *cost = g_new (double, (gsize) (n + 1) * (k + 1));
  g_autofree guint *from = g_new0 (guint, (gsize) (n + 1) * (k + 1));
  g_autofree double *sum = g_new0 (double, n + 1), *sum2 = g_new0 (double, n + 1);

  for (guint i = 0; i < n; i++)
    {
      sum[i + 1] = sum[i] + v[i];
      sum2[i + 1] = sum2[i] + v[i] * v[i];
    }
  for (gsize i = 0; i < (gsize) (n + 1) * (k + 1); i++)
    cost[i] = INFINITY;
  cost[0] = 0.0;
  for (guint c = 1; c <= k; c++)
    for (guint end = c; end <= n; end++)
      for (guint start = c - 1; start < end; start++)
        {
          double s = sum[end] - sum[start], s2 = sum2[end] - sum2[start];
          double within = s2 - s * s / (end - start);
          double total = cost[(gsize) start * (k + 1) + c - 1] + within;

          if (total < cost[(gsize) end * (k + 1) + c])
            {
              cost[(gsize) end * (k + 1) + c] = total;
              from[(gsize) end * (k + 1) + c] = start;
            }
        }
  breaks[k] = v[n - 1];
  breaks[0] = v[0];
  for (guint c = k, end = n; c > 1; c--)
    {
      end = from[(gsize) end * (k + 1) + c];
      breaks[c - 1] = v[end];
    }
}

/* Classes from the data: quantile or natural breaks on the finite values, rounded to whole
 * households; equal breaks merge, so few distinct values give few classes. */
static void
class_by_data (GpHeatmap *h, GArray *finite, GpClassing method, guint want)
{
  guint n = finite->len, k;
  double *v = (double *) finite->data, raw[MAX_CLASSES + 1];

  qsort (v, n, sizeof (double), compare_doubles);
  k = MIN (want, n);
  if (method == GP_CLASSING_NATURAL)
    {
      g_autofree double *sample = g_new (double, MIN (n, (guint) NATURAL_SAMPLE));
      guint m = MIN (n, (guint) NATURAL_SAMPLE);

      for (guint i = 0; i < m; i++)
        sample[i] = v[m > 1 ? (gsize) i * (n - 1) / (m - 1) : 0];
      natural_breaks (sample, m, k, raw);
    }
  else
    for (guint c = 0; c <= k; c++)
      raw[c] = v[MIN ((gsize) c * n / k, (gsize) n - 1)];
  raw[0] = v[0];
  raw[k] = v[n - 1];
  h->n_classes = 0;
  h->breaks[0] = floor (raw[0]);
  for (guint c = 1; c <= k; c++)
    {
      double b = c == k ? ceil (raw[c]) : round (raw[c]);

      if (b > h->breaks[h->n_classes])
        h->breaks[++h->n_classes] = b;
    }
  if (h->n_classes == 0)
    h->breaks[++h->n_classes] = h->breaks[0] + 1.0;
  /* The ramp's steps spread over the classes there are. */
  for (guint c = 0; c < h->n_classes; c++)
    h->colors[c] = hex (yl_or_rd[h->n_classes > 1 ? 1 + c * 7 / (h->n_classes - 1) : 4]);
}

static void
class_fixed (GpHeatmap *h, const double *breaks, guint n, const guint32 *ramp)
{
  h->n_classes = n;
  for (guint c = 0; c <= n; c++)
    h->breaks[c] = breaks[c];
  for (guint c = 0; c < n; c++)
    h->colors[c] = hex (ramp[c]);
}

GpHeatmap *
gp_heatmap_new (GpHeatmapMetric metric, GHashTable *values, GpClassing method, guint n_classes)
{
  /* Deviation in steps planners use: ±5% is on target, ±15% the usual tolerance. */
  static const double deviation_breaks[8] = { -INFINITY, -0.25, -0.15, -0.05, 0.05, 0.15, 0.25, INFINITY };
  static const double coverage_breaks[6] = { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 };
  static const double status_breaks[4] = { 0.0, 1.0, 2.0, 3.0 };
  GpHeatmap *h = g_new0 (GpHeatmap, 1);
  g_autoptr(GArray) finite = g_array_new (FALSE, FALSE, sizeof (double));
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (metric < GP_HEATMAP_N_METRICS, NULL);
  h->ref_count = 1;
  h->metric = metric;
  h->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  h->no_data = (GpColor) { 0.86, 0.86, 0.86, 1.0 };
  h->no_worker = hex (0x7b3294);
  if (values != NULL)
    {
      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          double v = *(const double *) value;

          g_hash_table_insert (h->values, g_strdup (key), g_memdup2 (&v, sizeof v));
          if (isfinite (v))
            g_array_append_val (finite, v);
        }
    }
  n_classes = CLAMP (n_classes, 2u, (guint) MAX_CLASSES);
  switch (metric)
    {
    case GP_HEATMAP_DEVIATION:
      class_fixed (h, deviation_breaks, 7, rd_bu);
      break;
    case GP_HEATMAP_CONTACT_COVERAGE:
      class_fixed (h, coverage_breaks, 5, coverage_ramp);
      break;
    case GP_HEATMAP_STATUS:
      class_fixed (h, status_breaks, 3, status_ramp);
      break;
    case GP_HEATMAP_HOUSEHOLDS:
    case GP_HEATMAP_PER_WORKER:
    case GP_HEATMAP_N_METRICS:
    default:
      if (finite->len > 0)
        class_by_data (h, finite, method, n_classes);
      break;
    }
  g_hash_table_iter_init (&iter, h->values);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      int c = gp_heatmap_class_of (h, *(const double *) value);

      if (c >= 0)
        h->counts[c]++;
      else if (c == -1)
        h->n_no_data++;
      else
        h->n_no_worker++;
    }
  return h;
}

GpHeatmap *
gp_heatmap_ref (GpHeatmap *heatmap)
{
  g_return_val_if_fail (heatmap != NULL, NULL);
  g_atomic_int_inc (&heatmap->ref_count);
  return heatmap;
}

void
gp_heatmap_free (GpHeatmap *heatmap)
{
  if (heatmap == NULL || !g_atomic_int_dec_and_test (&heatmap->ref_count))
    return;
  g_hash_table_unref (heatmap->values);
  g_free (heatmap);
}

GpHeatmapMetric
gp_heatmap_get_metric (const GpHeatmap *heatmap)
{
  return heatmap->metric;
}

guint
gp_heatmap_get_n_classes (const GpHeatmap *heatmap)
{
  return heatmap->n_classes;
}

void
gp_heatmap_get_class (const GpHeatmap *heatmap, guint i, double *low, double *high, GpColor *color)
{
  g_return_if_fail (i < heatmap->n_classes);
  if (low != NULL)
    *low = heatmap->breaks[i];
  if (high != NULL)
    *high = heatmap->breaks[i + 1];
  if (color != NULL)
    *color = heatmap->colors[i];
}

int
gp_heatmap_class_of (const GpHeatmap *heatmap, double value)
{
  if (isinf (value) && value > 0 && heatmap->metric == GP_HEATMAP_PER_WORKER)
    return -2;
  if (isnan (value) || heatmap->n_classes == 0)
    return -1;
  for (guint c = 0; c + 1 < heatmap->n_classes; c++)
    if (value < heatmap->breaks[c + 1])
      return (int) c;
  return (int) heatmap->n_classes - 1;
}

int
gp_heatmap_class_of_code (const GpHeatmap *heatmap, const char *code)
{
  const double *v = code != NULL ? g_hash_table_lookup (heatmap->values, code) : NULL;

  return gp_heatmap_class_of (heatmap, v != NULL ? *v : NAN);
}

GpColor
gp_heatmap_color_of (const GpHeatmap *heatmap, const char *code)
{
  const double *v = code != NULL ? g_hash_table_lookup (heatmap->values, code) : NULL;
  int c = gp_heatmap_class_of (heatmap, v != NULL ? *v : NAN);

  return c >= 0 ? heatmap->colors[c] : c == -2 ? heatmap->no_worker : heatmap->no_data;
}

guint
gp_heatmap_count_class (const GpHeatmap *heatmap, int klass)
{
  if (klass == -1)
    return heatmap->n_no_data;
  if (klass == -2)
    return heatmap->n_no_worker;
  return klass >= 0 && (guint) klass < heatmap->n_classes ? heatmap->counts[klass] : 0;
}

static char *
percent (double v)
{
  return g_strdup_printf ("%+.0f%%", 100.0 * v);
}

char *
gp_heatmap_class_label (const GpHeatmap *heatmap, int klass)
{
  double low, high;

  if (klass == -1)
    return g_strdup (heatmap->metric == GP_HEATMAP_STATUS ? _("no service items") : _("no data"));
  if (klass == -2)
    return g_strdup (_("no full-time worker"));
  g_return_val_if_fail (klass >= 0 && (guint) klass < heatmap->n_classes, NULL);
  low = heatmap->breaks[klass];
  high = heatmap->breaks[klass + 1];
  switch (heatmap->metric)
    {
    case GP_HEATMAP_DEVIATION:
      {
        g_autofree char *a = percent (low), *b = percent (high);

        if (isinf (low))
          /* TRANSLATORS: a legend class: deviation from the target below a share. */
          return g_strdup_printf (_("under %s"), b);
        if (isinf (high))
          return g_strdup_printf (_("over %s"), a);
        return g_strdup_printf ("%s – %s", a, b);
      }
    case GP_HEATMAP_CONTACT_COVERAGE:
      return g_strdup_printf ("%.0f–%.0f%%", 100.0 * low, 100.0 * high);
    case GP_HEATMAP_STATUS:
      {
        static const char *const status[3] = { N_("no open items (green)"), N_("open items (yellow)"),
                                               N_("urgent or overdue items (red)") };

        return g_strdup (_(status[CLAMP (klass, 0, 2)]));
      }
    case GP_HEATMAP_HOUSEHOLDS:
    case GP_HEATMAP_PER_WORKER:
    case GP_HEATMAP_N_METRICS:
    default:
      return g_strdup_printf ("%.0f–%.0f", low, high);
    }
}

/* ---- the legend ---- */

#define SWATCH_W 22.0
#define SWATCH_H 14.0
#define ROW_GAP  5.0
#define PAD      10.0

static PangoLayout *
legend_layout (cairo_t *cr, const GpStyle *style, double size, gboolean bold, const char *text)
{
  PangoLayout *layout = gp_style_create_layout (style, cr, size, bold);

  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Rows of the legend: the classes, then no worker and no data when any grid is so. */
static guint
legend_rows (const GpHeatmap *h, int *rows)
{
  guint n = 0;

  for (guint c = h->n_classes; c > 0; c--)
    rows[n++] = (int) c - 1;   /* highest first, as on a thermometer */
  if (h->n_no_worker > 0)
    rows[n++] = -2;
  if (h->n_no_data > 0 || h->n_classes == 0)
    rows[n++] = -1;
  return n;
}

static void
legend_walk (const GpHeatmap *h, cairo_t *cr, const GpStyle *style, double x, double y, gboolean draw,
             double *width, double *height)
{
  int rows[MAX_CLASSES + 2];
  guint n = legend_rows (h, rows);
  double size = style->grid_font_size, w = 0.0, cy;
  PangoLayout *title = legend_layout (cr, style, size + 1.0, TRUE, gp_heatmap_metric_title (h->metric));
  int tw, th;

  pango_layout_get_pixel_size (title, &tw, &th);
  w = tw;
  cy = y + PAD + th + ROW_GAP;
  if (draw)
    {
      cairo_move_to (cr, x + PAD, y + PAD);
      cairo_set_source_rgba (cr, style->label_text.red, style->label_text.green, style->label_text.blue, 1.0);
      pango_cairo_show_layout (cr, title);
    }
  g_object_unref (title);
  for (guint r = 0; r < n; r++)
    {
      g_autofree char *label = gp_heatmap_class_label (h, rows[r]);
      g_autofree char *text = g_strdup_printf (_("%s (%u)"), label, gp_heatmap_count_class (h, rows[r]));
      PangoLayout *layout = legend_layout (cr, style, size, FALSE, text);
      GpColor c = rows[r] >= 0 ? h->colors[rows[r]] : rows[r] == -2 ? h->no_worker : h->no_data;
      int lw, lh;

      pango_layout_get_pixel_size (layout, &lw, &lh);
      w = MAX (w, SWATCH_W + 6.0 + lw);
      if (draw)
        {
          cairo_rectangle (cr, x + PAD, cy + (MAX (lh, SWATCH_H) - SWATCH_H) / 2.0, SWATCH_W, SWATCH_H);
          cairo_set_source_rgba (cr, c.red, c.green, c.blue, c.alpha);
          cairo_fill_preserve (cr);
          cairo_set_source_rgba (cr, 0.35, 0.35, 0.35, 1.0);
          cairo_set_line_width (cr, 0.6);
          cairo_stroke (cr);
          cairo_move_to (cr, x + PAD + SWATCH_W + 6.0, cy + (MAX (lh, SWATCH_H) - lh) / 2.0);
          cairo_set_source_rgba (cr, style->label_text.red, style->label_text.green, style->label_text.blue, 1.0);
          pango_cairo_show_layout (cr, layout);
        }
      cy += MAX (lh, SWATCH_H) + ROW_GAP;
      g_object_unref (layout);
    }
  *width = w + 2 * PAD;
  *height = cy - y + PAD - ROW_GAP;
}

void
gp_heatmap_measure_legend (const GpHeatmap *heatmap, cairo_t *cr, const GpStyle *style, double *width,
                           double *height)
{
  legend_walk (heatmap, cr, style, 0.0, 0.0, FALSE, width, height);
}

void
gp_heatmap_draw_legend (const GpHeatmap *heatmap, cairo_t *cr, const GpStyle *style, double x, double y,
                        double *width, double *height)
{
  double w, h;

  g_return_if_fail (heatmap != NULL && cr != NULL && style != NULL);
  legend_walk (heatmap, cr, style, x, y, FALSE, &w, &h);
  cairo_save (cr);
  /* A card behind it, so it reads over the map. */
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgba (cr, style->background.red, style->background.green, style->background.blue, 0.92);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0.6, 0.6, 0.6, 1.0);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  legend_walk (heatmap, cr, style, x, y, TRUE, &w, &h);
  cairo_restore (cr);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

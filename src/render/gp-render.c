/* gp-render.c: draws the projected layers, their labels and the map furniture with cairo + Pango. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "gp-box-raster.h"
#include "gp-collision.h"
#include "gp-map-data-private.h"
#include "gp-render.h"

/* cairo keeps coordinates in 24.8 fixed point, so anything beyond about ±8 million pixels
 * wraps around. Features reaching past SAFE_LIMIT are clipped to the screen plus CLIP_MARGIN
 * first (the margin hides the clip edges under the outline widths). */
#define SAFE_LIMIT 1.0e6
#define CLIP_MARGIN 64.0
/* Vertices closer than this to the last one drawn add nothing a reader can see. */
#define DECIMATE_PX 0.5
/* A frame never measures more label candidates than this, so zoomed-out views stay fast. */
#define MAX_LABEL_CANDIDATES 4000
/* cairo's rasteriser slows down far more than linearly with the number of edges in one path,
 * so large layers are filled and stroked a few hundred features at a time. */
#define PATH_CHUNK 256
/* A layer with more polygons than this in view is drawn without antialiasing: its features are
 * a few pixels across, where smoothing edges is not seen but costs most of the frame (100,000
 * grids at 1920 × 1080: 700 ms smoothed, under 200 ms not). */
#define CROWDED 20000
/* In a crowded view, features smaller than this (pixels) are drawn as boxes (draw_boxes). */
#define BOX_PX 10.0

typedef struct {
  double ox, oy;     /* screen position of map (0, 0) */
  double inv;        /* pixels per metre */
  double width, height;
  GArray *scratch_a; /* of double, for clipping */
  GArray *scratch_b;
} Xform;

/* The viewport's transform, with scratch space for clipping (xform_clear frees it). */
static void
xform_init (Xform *t, GpViewport *viewport)
{
  double scale = gp_viewport_get_scale (viewport);

  t->width = gp_viewport_get_width (viewport);
  t->height = gp_viewport_get_height (viewport);
  t->inv = 1.0 / scale;
  t->ox = t->width / 2 - gp_viewport_get_center_x (viewport) * t->inv;
  t->oy = t->height / 2 + gp_viewport_get_center_y (viewport) * t->inv;
  t->scratch_a = g_array_new (FALSE, FALSE, sizeof (double));
  t->scratch_b = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
xform_clear (Xform *t)
{
  g_clear_pointer (&t->scratch_a, g_array_unref);
  g_clear_pointer (&t->scratch_b, g_array_unref);
}

static inline void
to_screen (const Xform *t, double x, double y, double *sx, double *sy)
{
  *sx = t->ox + x * t->inv;
  *sy = t->oy - y * t->inv;
}

static void
screen_bbox (const Xform *t, const double b[4], double sb[4])
{
  to_screen (t, b[0], b[3], &sb[0], &sb[1]);
  to_screen (t, b[2], b[1], &sb[2], &sb[3]);
}

static void
set_color (cairo_t *cr, const GpColor *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

/* Sutherland-Hodgman against one edge of the clip box: axis 0 = x, 1 = y; keep the side
 * where coordinate * sign <= limit * sign. */
static void
clip_edge (GArray *in, GArray *out, int axis, double limit, double sign)
{
  guint n = in->len / 2;
  const double *p = (const double *) in->data;

  g_array_set_size (out, 0);
  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      const double *a = p + 2 * ((i + n - 1) % n);
      const double *b = p + 2 * i;
      gboolean a_in = a[axis] * sign <= limit * sign;
      gboolean b_in = b[axis] * sign <= limit * sign;

      if (a_in != b_in)
        {
          double t = (limit - a[axis]) / (b[axis] - a[axis]);
          double q[2];

          q[axis] = limit;
          q[1 - axis] = a[1 - axis] + t * (b[1 - axis] - a[1 - axis]);
          g_array_append_vals (out, q, 2);
        }
      if (b_in)
        g_array_append_vals (out, b, 2);
    }
}

static void
emit_screen_ring (cairo_t *cr, const double *p, guint n)
{
  double lx = 0, ly = 0;

  for (guint i = 0; i < n; i++)
    {
      double x = p[2 * i], y = p[2 * i + 1];

      if (i == 0)
        cairo_move_to (cr, x, y);
      else if (fabs (x - lx) >= DECIMATE_PX || fabs (y - ly) >= DECIMATE_PX || i == n - 1)
        cairo_line_to (cr, x, y);
      else
        continue;
      lx = x;
      ly = y;
    }
}

/* Liang-Barsky: clips segment a-b to the box; FALSE when nothing is left. */
static gboolean
clip_segment (double box[4], double *ax, double *ay, double *bx, double *by)
{
  double t0 = 0, t1 = 1;
  double dx = *bx - *ax, dy = *by - *ay;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *ax - box[0], box[2] - *ax, *ay - box[1], box[3] - *ay };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      {
        double r = q[i] / p[i];

        if (p[i] < 0)
          t0 = MAX (t0, r);
        else
          t1 = MIN (t1, r);
      }
      if (t0 > t1)
        return FALSE;
    }
  *bx = *ax + t1 * dx;
  *by = *ay + t1 * dy;
  *ax = *ax + t0 * dx;
  *ay = *ay + t0 * dy;
  return TRUE;
}

/* Adds FEATURE's rings (closed) or lines (open) to the current path. */
static void
add_feature_path (cairo_t *cr, const GpMapLayerData *d, const GpMapFeature *f, Xform *t)
{
  double sb[4];
  gboolean clip;
  double box[4] = { -CLIP_MARGIN, -CLIP_MARGIN, t->width + CLIP_MARGIN, t->height + CLIP_MARGIN };

  screen_bbox (t, f->bbox, sb);
  clip = sb[0] < -SAFE_LIMIT || sb[1] < -SAFE_LIMIT || sb[2] > SAFE_LIMIT || sb[3] > SAFE_LIMIT;

  for (guint p = f->first_part; p < f->first_part + f->n_parts; p++)
    {
      guint start = d->part_start[p], end = d->part_start[p + 1];

      if (end - start < 2)
        continue;

      if (f->kind == GP_SHAPE_LINE)
        {
          double lx = NAN, ly = NAN;

          for (guint i = start + 1; i < end; i++)
            {
              double ax, ay, bx, by;

              to_screen (t, d->xy[2 * (i - 1)], d->xy[2 * (i - 1) + 1], &ax, &ay);
              to_screen (t, d->xy[2 * i], d->xy[2 * i + 1], &bx, &by);
              if (clip && !clip_segment (box, &ax, &ay, &bx, &by))
                continue;
              if (ax != lx || ay != ly)
                cairo_move_to (cr, ax, ay);
              if (fabs (bx - ax) >= DECIMATE_PX || fabs (by - ay) >= DECIMATE_PX || i == end - 1)
                {
                  cairo_line_to (cr, bx, by);
                  lx = bx;
                  ly = by;
                }
              else
                {
                  lx = ax;
                  ly = ay;
                }
            }
          continue;
        }

      g_array_set_size (t->scratch_a, 2 * (end - start));
      {
        double *s = (double *) t->scratch_a->data;

        for (guint i = start; i < end; i++)
          to_screen (t, d->xy[2 * i], d->xy[2 * i + 1], &s[2 * (i - start)], &s[2 * (i - start) + 1]);
      }
      if (clip)
        {
          clip_edge (t->scratch_a, t->scratch_b, 0, box[0], -1);
          clip_edge (t->scratch_b, t->scratch_a, 0, box[2], 1);
          clip_edge (t->scratch_a, t->scratch_b, 1, box[1], -1);
          clip_edge (t->scratch_b, t->scratch_a, 1, box[3], 1);
        }
      if (t->scratch_a->len >= 6)
        {
          emit_screen_ring (cr, (const double *) t->scratch_a->data, t->scratch_a->len / 2);
          cairo_close_path (cr);
        }
    }
}

static double
screen_size (const Xform *t, const GpMapFeature *f)
{
  return MAX (f->bbox[2] - f->bbox[0], f->bbox[3] - f->bbox[1]) * t->inv;
}

/* Features too small to show their shape become one dot each, so a zoomed-out county of
 * 100,000 compounds still shows where they are, at the cost of a rectangle apiece. */
static void
add_dot (cairo_t *cr, const Xform *t, const GpMapFeature *f, double size)
{
  double sx, sy;

  to_screen (t, (f->bbox[0] + f->bbox[2]) / 2, (f->bbox[1] + f->bbox[3]) / 2, &sx, &sy);
  cairo_rectangle (cr, sx - size / 2, sy - size / 2, size, size);
}

G_STATIC_ASSERT (G_N_ELEMENTS (((GpStyle *) NULL)->hide_layer) == GP_MAP_N_LAYERS);

/* LAYER of DATA, or an empty one when the planner switched it off. */
static const GpMapLayerData *
shown_layer (GpMapData *data, GpMapLayer layer, const GpStyle *style)
{
  static const GpMapLayerData hidden = { 0 };

  if ((guint) layer < G_N_ELEMENTS (style->hide_layer) && style->hide_layer[layer])
    return &hidden;
  return gp_map_data_get_layer (data, layer);
}

static void
query_visible (const GpMapLayerData *d, const double view[4], GArray *hits)
{
  g_array_set_size (hits, 0);
  if (d->index != NULL && d->n_features > 0)
    gp_spatial_index_query (d->index, view, hits);
}

/* The features of HITS too small on screen to show their shape, one dot each. */
static void
draw_dots (cairo_t *cr, const GpMapLayerData *d, GArray *hits, const Xform *t, GpStyle *style,
           const GpColor *color, double size)
{
  guint pending = 0;

  set_color (cr, color);
  cairo_new_path (cr);
  for (guint h = 0; h < hits->len; h++)
    {
      const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

      if (f->kind == GP_SHAPE_POINT || f->kind == GP_SHAPE_MULTIPOINT ||
          screen_size (t, f) >= style->dot_threshold)
        continue;
      add_dot (cr, t, f, size);
      if (++pending == 4 * PATH_CHUNK)
        {
          cairo_fill (cr);
          pending = 0;
        }
    }
  cairo_fill (cr);
}

static void
draw_area_fills (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t, GpStyle *style)
{
  gboolean any_dot = FALSE;

  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  /* Coarsest level first, so a township's fill lies under its villages', not over them. */
  for (guint i = 0; i < d->n_ranks * GP_STYLE_N_AREA_FILLS; i++)
    {
      guint r = i / GP_STYLE_N_AREA_FILLS, c = i % GP_STYLE_N_AREA_FILLS;
      gboolean any = FALSE;

      cairo_new_path (cr);
      for (guint h = 0; h < hits->len; h++)
        {
          const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

          if (f->kind != GP_SHAPE_POLYGON || f->fill != c || f->rank != r)
            continue;
          if (screen_size (t, f) < style->dot_threshold)
            {
              any_dot = TRUE;
              continue;
            }
          add_feature_path (cr, d, f, t);
          any = TRUE;
        }
      if (any)
        {
          set_color (cr, &style->area_fill[c]);
          cairo_fill (cr);
        }
    }

  if (any_dot)
    draw_dots (cr, d, hits, t, style, &style->area_line, 1.5);
}

static void
draw_area_outlines (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t, GpStyle *style)
{
  /* Finest level first so the coarser, heavier boundaries sit on top. */
  for (guint r = d->n_ranks; r-- > 0;)
    {
      gboolean any = FALSE;

      cairo_new_path (cr);
      for (guint h = 0; h < hits->len; h++)
        {
          const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

          if (f->rank != r || f->kind == GP_SHAPE_POINT || f->kind == GP_SHAPE_MULTIPOINT)
            continue;
          if (screen_size (t, f) < style->dot_threshold)
            continue;
          add_feature_path (cr, d, f, t);
          any = TRUE;
        }
      if (any)
        {
          set_color (cr, &style->area_line);
          cairo_set_line_width (cr, style->area_line_width +
                                      style->area_line_step * (d->n_ranks - 1 - r));
          cairo_stroke (cr);
        }
    }
}

static void
flush_polygons (cairo_t *cr, const GpColor *fill, const GpColor *line, double line_width)
{
  set_color (cr, fill);
  /* A clear fill (outlines over a heatmap or density) costs a whole raster pass for nothing. */
  if (fill->alpha > 0.0)
    cairo_fill_preserve (cr);
  set_color (cr, line);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke (cr);
}

/* Features a few pixels across in a crowded view, as the pixel-aligned boxes of their extents:
 * at that size a polygon's outline is its box. On screen (an image surface) the pixels are
 * written directly; elsewhere (PDF, SVG) cairo fills them as aligned rectangles. */
static void
draw_boxes (cairo_t *cr, const double *b, guint n, const GpColor *fill, const GpColor *line)
{
  if (!gp_box_raster_draw (cr, b, n, fill, line))
    gp_box_cairo_draw (cr, b, n, fill, line);
}

/* Units and grids: filled and outlined in one colour each. */
static void
draw_polygons (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t,
               const GpColor *fill, const GpColor *line, double line_width, GpStyle *style)
{
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean crowded = hits->len > CROWDED, any_dot = FALSE;
  guint pending = 0;

  cairo_save (cr);
  if (crowded)
    {
      /* One-pixel lines: wider ones would cover the few pixels inside each feature. */
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
      line_width = MIN (line_width, 1.0);
    }
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_new_path (cr);
  for (guint h = 0; h < hits->len; h++)
    {
      const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];
      double size;

      if (f->kind == GP_SHAPE_POINT || f->kind == GP_SHAPE_MULTIPOINT)
        continue;
      size = screen_size (t, f);
      if (size < style->dot_threshold)
        {
          any_dot = TRUE;
          continue;
        }
      if (crowded && size < BOX_PX)
        {
          double sb[4];

          screen_bbox (t, f->bbox, sb);
          g_array_append_vals (boxes, sb, 4);
          continue;
        }
      add_feature_path (cr, d, f, t);
      if (++pending == PATH_CHUNK)
        {
          flush_polygons (cr, fill, line, line_width);
          pending = 0;
        }
    }
  if (pending > 0)
    flush_polygons (cr, fill, line, line_width);
  if (boxes->len > 0)
    draw_boxes (cr, (const double *) boxes->data, boxes->len / 4, fill, line);
  cairo_restore (cr);
  /* Dots of a pixel or less need their coverage smoothed, or they fall between pixel centres. */
  if (any_dot)
    draw_dots (cr, d, hits, t, style, line, 1.0);
}

/* The points of D among HITS (those whose fill is ONLY_FILL, or all when it is negative) as
 * dots of radius R in COLOR. */
static void
draw_point_dots (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t, double r, const GpColor *color,
                 int only_fill)
{
  /* Round dots read better, squares draw faster: beyond a few thousand nobody sees the shape. */
  gboolean round = hits->len < 5000;
  gboolean any = FALSE;

  cairo_new_path (cr);
  for (guint h = 0; h < hits->len; h++)
    {
      const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

      if ((f->kind != GP_SHAPE_POINT && f->kind != GP_SHAPE_MULTIPOINT) || (only_fill >= 0 && f->fill != only_fill))
        continue;
      for (guint i = d->part_start[f->first_part]; i < d->part_start[f->first_part + f->n_parts]; i++)
        {
          double sx, sy;

          to_screen (t, d->xy[2 * i], d->xy[2 * i + 1], &sx, &sy);
          if (sx < -r || sy < -r || sx > t->width + r || sy > t->height + r)
            continue;
          if (round)
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, sx, sy, r, 0, 2 * G_PI);
            }
          else
            cairo_rectangle (cr, sx - r, sy - r, 2 * r, 2 * r);
          any = TRUE;
        }
    }
  if (any)
    {
      set_color (cr, color);
      cairo_fill (cr);
    }
}

static void
draw_points (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t, GpStyle *style)
{
  draw_point_dots (cr, d, hits, t, style->household_radius, &style->household, -1);
}

/* Service items: dots in their status's colour on a white ring, red drawn last (on top). */
static void
draw_events (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t, GpStyle *style)
{
  const GpColor ring = { 1, 1, 1, 0.9 };

  draw_point_dots (cr, d, hits, t, style->event_radius + 1.5, &ring, -1);
  for (int status = 0; status < 3; status++)
    draw_point_dots (cr, d, hits, t, style->event_radius, &style->event_status[status], status);
}

/* Labels ---------------------------------------------------------------------------------- */

typedef enum {
  LABEL_AREA,
  LABEL_GRID,
  LABEL_UNIT,
} LabelKind;

typedef struct {
  const GpMapFeature *feature;
  LabelKind kind;
  double order;      /* smaller first */
} Candidate;

static int
compare_candidates (gconstpointer a, gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->order != cb->order)
    return ca->order < cb->order ? -1 : 1;
  /* Ties keep a stable, data-defined order so the picture never flickers between frames. */
  return ca->feature < cb->feature ? -1 : ca->feature > cb->feature;
}

static double
font_size_for (const Candidate *c, GpStyle *style)
{
  switch (c->kind)
    {
    case LABEL_AREA:
      return MAX (style->area_font_size - 1.0 * c->feature->rank, style->unit_font_size);
    case LABEL_GRID:
      return style->grid_font_size;
    case LABEL_UNIT:
    default:
      return style->unit_font_size;
    }
}

static void
collect_candidates (GArray *out, const GpMapLayerData *d, GArray *hits, LabelKind kind,
                    double base_order, const Xform *t, GpStyle *style)
{
  double min_px = (kind == LABEL_UNIT ? style->unit_font_size : style->grid_font_size) * 1.2;

  for (guint h = 0; h < hits->len; h++)
    {
      const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];
      double w = (f->bbox[2] - f->bbox[0]) * t->inv;
      double hh = (f->bbox[3] - f->bbox[1]) * t->inv;
      Candidate c;

      if (f->kind != GP_SHAPE_POLYGON)
        continue;
      if (kind == LABEL_GRID ? f->code == NULL : f->name == NULL)
        continue;
      /* Too small to hold even a short label: skip before asking Pango anything. */
      if (w < min_px * 2 || hh < min_px || f->label_room * t->inv * 2 < min_px * 0.6)
        continue;
      c.feature = f;
      c.kind = kind;
      /* Coarser levels first, then larger on screen first. */
      c.order = base_order + (kind == LABEL_AREA ? f->rank * 1e3 : 0) - log1p (w * hh) / 100.0;
      g_array_append_val (out, c);
    }
}

/* A grid's number on the map: the last three digits of its code (一格一码: the full code is in
 * lists and the inspector), which number the grids of one community. */
static const char *
grid_number (const char *code)
{
  size_t n = code != NULL ? strlen (code) : 0;

  return n > 3 ? code + n - 3 : code;
}

static char *
label_text (const Candidate *c)
{
  const GpMapFeature *f = c->feature;

  if (c->kind == LABEL_GRID)
    {
      if (f->households >= 0)
        /* TRANSLATORS: a grid's short label on the map: its number, then its households
         * ("003 · 296户"). */
        return g_strdup_printf (_("%s · %lld households"), grid_number (f->code), (long long) f->households);
      return g_strdup (grid_number (f->code));
    }
  return g_strdup (f->name);
}

static PangoLayout *
make_layout (cairo_t *cr, GpStyle *style, double size, gboolean bold)
{
  PangoLayout *layout = gp_style_create_layout (style, cr, size, bold);

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

static void
show_label (cairo_t *cr, PangoLayout *layout, double x, double y, GpStyle *style,
            const GpColor *text, const GpColor *halo)
{
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  set_color (cr, halo);
  cairo_set_line_width (cr, style->label_halo_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  set_color (cr, text);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_labels (cairo_t *cr, GpMapData *data, const double view[4], GArray *hits, Xform *t,
             GpStyle *style, GpCollision *taken)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  GHashTable *layouts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_object_unref);
  const GpMapLayerData *areas = shown_layer (data, GP_MAP_LAYER_AREAS, style);
  const GpMapLayerData *grids = shown_layer (data, GP_MAP_LAYER_GRIDS, style);
  const GpMapLayerData *units = shown_layer (data, GP_MAP_LAYER_UNITS, style);
  guint measured = 0;

  /* Order: the coarsest areas, then grids, then finer areas, then units. */
  query_visible (areas, view, hits);
  collect_candidates (candidates, areas, hits, LABEL_AREA, 0, t, style);
  query_visible (grids, view, hits);
  collect_candidates (candidates, grids, hits, LABEL_GRID, 500, t, style);
  query_visible (units, view, hits);
  collect_candidates (candidates, units, hits, LABEL_UNIT, 1e5, t, style);
  g_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len && measured < MAX_LABEL_CANDIDATES; i++)
    {
      const Candidate *c = &g_array_index (candidates, Candidate, i);
      const GpMapFeature *f = c->feature;
      double size = font_size_for (c, style);
      gboolean bold = c->kind == LABEL_AREA && f->rank == 0 && areas->n_ranks > 1;
      guint key = (guint) (size * 4) * 2 + bold;
      PangoLayout *layout = g_hash_table_lookup (layouts, GUINT_TO_POINTER (key));
      g_autofree char *text = label_text (c);
      PangoRectangle ink, logical;
      double fw = (f->bbox[2] - f->bbox[0]) * t->inv;
      double fh = (f->bbox[3] - f->bbox[1]) * t->inv;
      double room = f->label_room * t->inv;
      double x, y, w, h, pad = 2.0;

      if (layout == NULL)
        {
          layout = make_layout (cr, style, size, bold);
          g_hash_table_insert (layouts, GUINT_TO_POINTER (key), layout);
        }
      pango_layout_set_text (layout, text, -1);
      measured++;
      pango_layout_get_pixel_extents (layout, &ink, &logical);
      w = logical.width;
      h = logical.height;

      /* Only label what the label can stand for: the feature must be about as big as it. */
      if (fw < w * style->label_min_fill || fh < h * style->label_min_fill ||
          room * 2 < h * style->label_min_fill)
        continue;
      to_screen (t, f->label_x, f->label_y, &x, &y);
      x -= w / 2;
      y -= h / 2;
      if (x < pad || y < pad || x + w > t->width - pad || y + h > t->height - pad)
        continue;
      if (!gp_collision_try_add (taken, x - pad, y - pad, w + 2 * pad, h + 2 * pad))
        continue;
      show_label (cr, layout, x - logical.x, y - logical.y, style,
                  c->kind == LABEL_UNIT ? &style->label_minor_text : &style->label_text,
                  &style->label_halo);
    }
  g_hash_table_unref (layouts);
}

/* Map furniture ---------------------------------------------------------------------------- */

double
gp_render_nice_scale_length (double scale, double max_pixels, double *pixels)
{
  double max_metres = scale * max_pixels;
  double p10, length;

  g_return_val_if_fail (scale > 0 && max_pixels > 0, 0);

  p10 = pow (10, floor (log10 (max_metres)));
  if (5 * p10 <= max_metres)
    length = 5 * p10;
  else if (2 * p10 <= max_metres)
    length = 2 * p10;
  else
    length = p10;
  if (pixels != NULL)
    *pixels = length / scale;
  return length;
}

static void
draw_scale_bar (cairo_t *cr, const Xform *t, double scale, GpStyle *style, GpCollision *taken)
{
  double px, length = gp_render_nice_scale_length (scale, 140.0, &px);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;
  double x0 = 16, bar_h = 5, y0 = t->height - 18;
  GpColor paper = style->background;

  if (length >= 1000)
    {
      number = g_strdup_printf ("%g", length / 1000);
      /* TRANSLATORS: a scale bar's length in kilometres, e.g. "2 km". */
      text = g_strdup_printf (_("%s km"), number);
    }
  else
    {
      number = g_strdup_printf ("%g", length);
      /* TRANSLATORS: a scale bar's length in metres, e.g. "500 m". */
      text = g_strdup_printf (_("%s m"), number);
    }
  layout = make_layout (cr, style, 11, FALSE);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);

  /* A paper plate behind the bar keeps it readable over any fill. */
  paper.alpha = 0.8;
  set_color (cr, &paper);
  cairo_rectangle (cr, x0 - 6, y0 - logical.height - 6, px + 12 + 0, logical.height + bar_h + 12);
  cairo_fill (cr);
  gp_collision_add (taken, x0 - 6, y0 - logical.height - 6, px + 12, logical.height + bar_h + 12);

  /* Two halves, dark and light, as on printed maps. */
  set_color (cr, &style->decoration);
  cairo_rectangle (cr, x0, y0, px / 2, bar_h);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x0 + px / 2, y0, px / 2, bar_h);
  cairo_fill (cr);
  set_color (cr, &style->decoration);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, px - 1, bar_h - 1);
  cairo_stroke (cr);

  cairo_move_to (cr, x0 + px - logical.width - logical.x, y0 - logical.height - 1 - logical.y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_north_arrow (cairo_t *cr, const Xform *t, GpStyle *style, GpCollision *taken)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, 12, TRUE);
  PangoRectangle logical;
  double cx = t->width - 28, top = 14, tip, base, half = 8;
  GpColor paper = style->background;

  /* TRANSLATORS: the letter on the map's north arrow. */
  pango_layout_set_text (layout, C_("north arrow", "N"), -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  tip = top + logical.height + 2;
  base = tip + 26;

  paper.alpha = 0.8;
  set_color (cr, &paper);
  cairo_arc (cr, cx, (top + base) / 2, (base - top) / 2 + 4, 0, 2 * G_PI);
  cairo_fill (cr);
  gp_collision_add (taken, cx - 24, top - 4, 48, base - top + 8);

  set_color (cr, &style->decoration);
  cairo_move_to (cr, cx - logical.width / 2.0 - logical.x, top - logical.y);
  pango_cairo_show_layout (cr, layout);

  /* Left half filled, right half open: the classic arrow that reads at any size. */
  cairo_move_to (cr, cx, tip);
  cairo_line_to (cr, cx - half, base);
  cairo_line_to (cr, cx, base - 7);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_move_to (cr, cx, tip);
  cairo_line_to (cr, cx + half, base);
  cairo_line_to (cr, cx, base - 7);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  set_color (cr, &style->decoration);
  cairo_set_line_width (cr, 1);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

/* Grids filled by the heatmap's classes, a path per class. */
static void
draw_heatmap_fills (cairo_t *cr, const GpMapLayerData *d, GArray *hits, Xform *t, const GpHeatmap *heatmap)
{
  int n = (int) gp_heatmap_get_n_classes (heatmap);

  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  for (int k = -2; k < n; k++)
    {
      gboolean any = FALSE;
      GpColor color = { 0 };

      cairo_new_path (cr);
      for (guint h = 0; h < hits->len; h++)
        {
          const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

          if (f->kind == GP_SHAPE_POINT || f->kind == GP_SHAPE_MULTIPOINT
              || gp_heatmap_class_of_code (heatmap, f->code) != k)
            continue;
          if (!any)
            color = gp_heatmap_color_of (heatmap, f->code);
          add_feature_path (cr, d, f, t);
          any = TRUE;
        }
      if (any)
        {
          set_color (cr, &color);
          cairo_fill (cr);
        }
    }
}

void
gp_render_map (cairo_t    *cr,
               GpViewport *viewport,
               GpMapData  *data,
               GpStyle    *style)
{
  gp_render_map_with_heatmap (cr, viewport, data, style, NULL);
}

void
gp_render_map_with_heatmap (cairo_t         *cr,
                            GpViewport      *viewport,
                            GpMapData       *data,
                            GpStyle         *style,
                            const GpHeatmap *heatmap)
{
  gp_render_map_layers (cr, viewport, data, style, heatmap, NULL, NULL);
}

double
gp_render_map_layers (cairo_t         *cr,
                      GpViewport      *viewport,
                      GpMapData       *data,
                      GpStyle         *style,
                      const GpHeatmap *heatmap,
                      const GpDensity *density,
                      double          *bandwidth)
{
  double peak = 0.0;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GpCollision) taken = NULL;
  double scale, view[4], margin;
  Xform t;

  g_return_val_if_fail (cr != NULL, 0.0);
  g_return_val_if_fail (GP_IS_VIEWPORT (viewport), 0.0);
  g_return_val_if_fail (data == NULL || GP_IS_MAP_DATA (data), 0.0);
  g_return_val_if_fail (style != NULL, 0.0);

  scale = gp_viewport_get_scale (viewport);
  if (gp_viewport_get_width (viewport) <= 0 || gp_viewport_get_height (viewport) <= 0)
    return 0.0;
  xform_init (&t, viewport);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, t.width, t.height);
  cairo_clip (cr);
  set_color (cr, &style->background);
  cairo_paint (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  taken = gp_collision_new (t.width, t.height);
  if (data != NULL)
    {
      const GpMapLayerData *areas = shown_layer (data, GP_MAP_LAYER_AREAS, style);
      const GpMapLayerData *units = shown_layer (data, GP_MAP_LAYER_UNITS, style);
      const GpMapLayerData *households = shown_layer (data, GP_MAP_LAYER_HOUSEHOLDS, style);
      const GpMapLayerData *grids = shown_layer (data, GP_MAP_LAYER_GRIDS, style);
      const GpMapLayerData *events = shown_layer (data, GP_MAP_LAYER_EVENTS, style);
      const GpMapLayerData *people = shown_layer (data, GP_MAP_LAYER_PEOPLE, style);

      hits = g_array_new (FALSE, FALSE, sizeof (guint));
      /* Line widths reach a little past the features' boxes. */
      margin = 8 * scale;
      gp_viewport_get_bbox (viewport, view);
      view[0] -= margin;
      view[1] -= margin;
      view[2] += margin;
      view[3] += margin;

      query_visible (areas, view, hits);
      draw_area_fills (cr, areas, hits, &t, style);
      /* The density lies on the ground, under every outline. */
      if (density != NULL)
        peak = gp_density_draw (density, cr, viewport, bandwidth);

      {
        g_autoptr(GArray) unit_hits = g_array_new (FALSE, FALSE, sizeof (guint));
        const GpColor clear = { 0, 0, 0, 0 };

        query_visible (units, view, unit_hits);
        /* Over a density surface units are outlines only, not a veil. */
        draw_polygons (cr, units, unit_hits, &t, density != NULL ? &clear : &style->unit_fill, &style->unit_line,
                       style->unit_line_width, style);
        draw_points (cr, units, unit_hits, &t, style);
      }

      draw_area_outlines (cr, areas, hits, &t, style);
      draw_points (cr, areas, hits, &t, style);

      query_visible (grids, view, hits);
      if (heatmap != NULL)
        {
          const GpColor none = { 0, 0, 0, 0 };

          draw_heatmap_fills (cr, grids, hits, &t, heatmap);
          draw_polygons (cr, grids, hits, &t, &none, &style->grid_line, style->grid_line_width, style);
        }
      else
        {
          const GpColor none = { 0, 0, 0, 0 };

          draw_polygons (cr, grids, hits, &t, density != NULL ? &none : &style->grid_fill, &style->grid_line,
                         style->grid_line_width, style);
        }

      query_visible (households, view, hits);
      draw_points (cr, households, hits, &t, style);
      query_visible (people, view, hits);
      draw_point_dots (cr, people, hits, &t, style->person_radius, &style->person, -1);
      query_visible (events, view, hits);
      draw_events (cr, events, hits, &t, style);

      /* Furniture claims its corners before any label does. */
      /* A scale in metres would lie about data of unknown units. */
      if (style->show_scale_bar && gp_map_data_is_metric (data))
        draw_scale_bar (cr, &t, scale, style, taken);
      if (style->show_north_arrow)
        draw_north_arrow (cr, &t, style, taken);
      if (style->show_labels)
        draw_labels (cr, data, view, hits, &t, style, taken);
    }
  xform_clear (&t);
  cairo_restore (cr);
  return peak;
}

void
gp_render_outline_feature (cairo_t *cr, GpViewport *viewport, GpMapData *data, GpMapLayer layer, const char *code,
                           const GpColor *color, double width)
{
  const GpMapLayerData *d;
  Xform t;

  g_return_if_fail (cr != NULL && GP_IS_VIEWPORT (viewport) && code != NULL && color != NULL);
  if (data == NULL || (d = gp_map_data_get_layer (data, layer)) == NULL)
    return;
  xform_init (&t, viewport);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, t.width, t.height);
  cairo_clip (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < d->n_features; i++)
    if (g_strcmp0 (d->features[i].code, code) == 0)
      add_feature_path (cr, d, &d->features[i], &t);
  set_color (cr, color);
  cairo_set_line_width (cr, width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_restore (cr);
  xform_clear (&t);
}

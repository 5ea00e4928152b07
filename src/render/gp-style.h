/* gp-style.h: how the map looks: colours, line widths and fonts for every layer. */
#pragma once

#include <glib-object.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* Straight (not premultiplied) sRGB components in 0..1. */
typedef struct {
  double red;
  double green;
  double blue;
  double alpha;
} GpColor;

#define GP_STYLE_N_AREA_FILLS 6

/* A plain struct: callers may change any field of their own copy. Widths and sizes are in
 * screen pixels (device-independent: the GTK view's logical pixels, points in a PDF). */
typedef struct {
  GpColor background;

  /* Areas are filled from a small palette so that neighbours differ (like a paper atlas),
   * and outlined more heavily the higher (coarser) their level. */
  GpColor area_fill[GP_STYLE_N_AREA_FILLS];
  GpColor area_line;
  double  area_line_width;        /* the finest level; each coarser level adds area_line_step */
  double  area_line_step;

  GpColor unit_fill;
  GpColor unit_line;
  double  unit_line_width;

  GpColor household;
  double  household_radius;
  /* Service items by status: green (done), yellow (in hand), red (overdue). */
  GpColor event_status[3];
  double  event_radius;
  /* The roster's people at their homes. */
  GpColor person;
  double  person_radius;

  GpColor grid_fill;
  GpColor grid_line;
  double  grid_line_width;

  /* Labels: text with a halo in the background's tone so it reads over lines and fills. */
  char   *font_family;            /* a Pango family list; must cover CJK */
  double  area_font_size;         /* pixels, for the coarsest level; finer levels are smaller */
  double  unit_font_size;
  double  grid_font_size;
  GpColor label_text;
  GpColor label_minor_text;       /* units: quieter than the areas and grids they sit in */
  GpColor label_halo;
  double  label_halo_width;
  /* A feature is labelled only when its on-screen box is at least this share of the label's. */
  double  label_min_fill;

  /* Features smaller than this on screen (pixels) are drawn as a dot, not a polygon. */
  double  dot_threshold;

  gboolean show_labels;
  /* Layers the planner switched off (the layer list), by GpMapLayer; shown by default. */
  gboolean hide_layer[6];
  gboolean show_scale_bar;
  gboolean show_north_arrow;
  GpColor decoration;             /* scale bar and north arrow */
} GpStyle;

#define GP_TYPE_STYLE (gp_style_get_type ())
GType    gp_style_get_type (void) G_GNUC_CONST;

/* The house style: a quiet paper map with Chinese-capable fonts. */
GpStyle *gp_style_new      (void);
GpStyle *gp_style_copy     (const GpStyle *style);
void     gp_style_free     (GpStyle *style);
void     gp_style_set_font_family (GpStyle *style, const char *family);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpStyle, gp_style_free)

/* A Pango layout on CR in STYLE's font family at SIZE pixels (bold or not), left-aligned. */
PangoLayout *gp_style_create_layout (const GpStyle *style, cairo_t *cr, double size, gboolean bold);

G_END_DECLS

/* gp-shape.h: one geometry in flat arrays, as shapefiles, WKB and GeoJSON all need it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  GP_SHAPE_NULL = 0,   /* no geometry (shapefile Null shape, GeoJSON null) */
  GP_SHAPE_POINT,      /* n_points == 1 */
  GP_SHAPE_MULTIPOINT, /* n_points >= 0 */
  GP_SHAPE_LINE,       /* n_parts lines (LineString when 1, MultiLineString otherwise) */
  GP_SHAPE_POLYGON,    /* n_polygons polygons, each an outer ring followed by its holes */
} GpShapeKind;

typedef enum {
  GP_SHAPE_FLAGS_NONE = 0,
  GP_SHAPE_HAS_Z = 1 << 0,
  GP_SHAPE_HAS_M = 1 << 1,
  /* Written as a multi-geometry even with one member (e.g. a MultiPolygon of one polygon). */
  GP_SHAPE_FORCE_MULTI = 1 << 2,
} GpShapeFlags;

/* Coordinates are stored as read, in the layer's CRS. Rings are closed (first == last point)
 * when they were closed in the source. Parts index into the point arrays; polygons index into
 * the parts: polygon p has rings part_start indices [polygon_start[p], polygon_start[p+1]),
 * the first being its outer ring. For GP_SHAPE_LINE each part is one line. Points and
 * multipoints have no parts (n_parts == 0, n_polygons == 0). */
typedef struct {
  GpShapeKind kind;
  GpShapeFlags flags;
  guint n_points;
  double *xy;             /* 2 * n_points: x0, y0, x1, y1, ... */
  double *z;              /* n_points, or NULL without GP_SHAPE_HAS_Z */
  double *m;              /* n_points, or NULL without GP_SHAPE_HAS_M; NaN = no measure */
  guint n_parts;
  guint *part_start;      /* n_parts + 1 entries; part_start[n_parts] == n_points */
  guint n_polygons;
  guint *polygon_start;   /* n_polygons + 1 entries; polygon_start[n_polygons] == n_parts */
} GpShape;

#define GP_TYPE_SHAPE (gp_shape_get_type ())
GType    gp_shape_get_type (void) G_GNUC_CONST;

/* Allocates every array for the given sizes (z/m only with the flags); contents zeroed. */
GpShape *gp_shape_new       (GpShapeKind kind,
                             GpShapeFlags flags,
                             guint n_points,
                             guint n_parts,
                             guint n_polygons);
GpShape *gp_shape_new_point (double x, double y);
GpShape *gp_shape_copy      (const GpShape *shape);
void     gp_shape_free      (GpShape *shape);

/* Bounding box of x/y; returns FALSE (and leaves bbox alone) for an empty or null shape. */
gboolean gp_shape_get_bbox  (const GpShape *shape, double bbox[4]);
gboolean gp_shape_is_empty  (const GpShape *shape);
/* Signed area of part i by the shoelace formula in layer units (positive = counter-clockwise). */
double   gp_shape_ring_signed_area (const GpShape *shape, guint part);
/* TRUE when both shapes have the same kind, structure and coordinates, exactly. */
gboolean gp_shape_equal     (const GpShape *a, const GpShape *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpShape, gp_shape_free)

G_END_DECLS

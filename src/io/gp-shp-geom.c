/* gp-shp-geom.c: shapefile records checked from their raw bytes, and SHPObject → GpShape. */
#include "gp-config.h"

#include "gp-shp-private.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>

gboolean
gp_shp_type_is_known (int type)
{
  switch (type)
    {
    case SHPT_NULL: case SHPT_POINT: case SHPT_ARC: case SHPT_POLYGON: case SHPT_MULTIPOINT:
    case SHPT_POINTZ: case SHPT_ARCZ: case SHPT_POLYGONZ: case SHPT_MULTIPOINTZ:
    case SHPT_POINTM: case SHPT_ARCM: case SHPT_POLYGONM: case SHPT_MULTIPOINTM:
    case SHPT_MULTIPATCH:
      return TRUE;
    default:
      return FALSE;
    }
}

GpGeometryType
gp_shp_geometry_type (int type)
{
  /* GpGeometryType uses the shapefile's own numbers. */
  return gp_shp_type_is_known (type) ? (GpGeometryType) type : GP_GEOMETRY_TYPE_NULL;
}

static gboolean
type_has_z (int type)
{
  return type == SHPT_POINTZ || type == SHPT_ARCZ || type == SHPT_POLYGONZ
         || type == SHPT_MULTIPOINTZ || type == SHPT_MULTIPATCH;
}

static gboolean
type_is_point (int type)
{
  return type == SHPT_POINT || type == SHPT_POINTZ || type == SHPT_POINTM;
}

static gboolean
type_is_multipoint (int type)
{
  return type == SHPT_MULTIPOINT || type == SHPT_MULTIPOINTZ || type == SHPT_MULTIPOINTM;
}

/* Coordinates beyond this are no place on Earth in any projection (metres or degrees): a
 * damaged record. */
#define ABSURD 1e9

/* Slack allowed outside a bounding box: writers round, some to single precision. */
static double
slack (const double *box)
{
  return 1e-6 * MAX (MAX (fabs (box[2] - box[0]), fabs (box[3] - box[1])), 1.0) + 1e-6;
}

static gboolean
inside (const double *box, double x, double y)
{
  double e = slack (box);

  return x >= box[0] - e && x <= box[2] + e && y >= box[1] - e && y <= box[3] + e;
}

/* Well outside BOX: beyond it by more than ten times its size and more than a hundredth of
 * the coordinates' magnitude. A file's header box may be stale (a tool that rewrote a record
 * without measuring the file again) but not by that much, while a flipped bit in a coordinate's
 * exponent doubles or halves it. */
static gboolean
far_outside (const double *box, double x, double y)
{
  double magnitude = MAX (MAX (fabs (box[0]), fabs (box[2])), MAX (fabs (box[1]), fabs (box[3])));
  double w = MAX (10.0 * (box[2] - box[0]), 0.01 * magnitude), h = MAX (10.0 * (box[3] - box[1]), 0.01 * magnitude);

  w = MAX (w, 1e-6);
  h = MAX (h, 1e-6);
  return x < box[0] - w || x > box[2] + w || y < box[1] - h || y > box[3] + h;
}

/* The problem with point (X, Y) of a record, or NULL: not a number, absurdly far, outside the
 * record's own box (RECORD_BOX, NULL for points) or far outside the file's (FILE_BOX, NULL:
 * none). */
static char *
check_point (double x, double y, guint32 i, const double *record_box, const double *file_box)
{
  if (!isfinite (x) || !isfinite (y))
    return g_strdup_printf (_("point %u has a coordinate that is not a finite number"), i);
  if (fabs (x) > ABSURD || fabs (y) > ABSURD)
    return g_strdup_printf (_("point %u lies absurdly far away (%g, %g): the record is damaged"), i, x, y);
  if (record_box != NULL && !inside (record_box, x, y))
    return g_strdup_printf (_("point %u (%g, %g) lies outside the record's own bounding box: the record is damaged"),
                            i, x, y);
  if (file_box != NULL && far_outside (file_box, x, y))
    return g_strdup_printf (_("point %u (%g, %g) lies far outside the file's bounding box: the record is damaged"), i,
                            x, y);
  return NULL;
}

/* Every point of a record against its box and the file's. */
static char *
check_coordinates (const guint8 *content, int type, const double *file_box)
{
  double box[4];
  guint32 n_points, first;
  gboolean given;

  if (type_is_point (type))
    return check_point (gp_shp_le_double (content + 4), gp_shp_le_double (content + 12), 0, NULL, file_box);
  for (int k = 0; k < 4; k++)
    box[k] = gp_shp_le_double (content + 4 + 8 * k);
  if (!isfinite (box[0]) || !isfinite (box[1]) || !isfinite (box[2]) || !isfinite (box[3])
      || fabs (box[0]) > ABSURD || fabs (box[1]) > ABSURD || fabs (box[2]) > ABSURD || fabs (box[3]) > ABSURD)
    return g_strdup (_("the record's bounding box is not a place (the record is damaged)"));
  if (type_is_multipoint (type))
    {
      n_points = gp_shp_le32 (content + 36);
      first = 40;
    }
  else
    {
      guint32 n_parts = gp_shp_le32 (content + 36);

      n_points = gp_shp_le32 (content + 40);
      first = 44 + 4 * n_parts * (type == SHPT_MULTIPATCH ? 2 : 1);
    }
  /* A box of four zeros was never filled in (some writers leave it so): nothing to check
   * against. */
  given = box[0] != 0.0 || box[1] != 0.0 || box[2] != 0.0 || box[3] != 0.0;
  for (guint32 i = 0; i < n_points; i++)
    {
      char *problem = check_point (gp_shp_le_double (content + first + 16 * (gsize) i),
                                   gp_shp_le_double (content + first + 16 * (gsize) i + 8), i,
                                   given ? box : NULL, file_box);

      if (problem != NULL)
        return problem;
    }
  return NULL;
}

char *
gp_shp_check_record (const guint8 *content, gsize length, int layer_type, const double *file_box)
{
  char *problem = gp_shp_check_structure (content, length, layer_type);

  if (problem != NULL || gp_shp_le32 (content) == SHPT_NULL)
    return problem;
  return check_coordinates (content, layer_type, file_box);
}

char *
gp_shp_check_structure (const guint8 *content, gsize length, int layer_type)
{
  guint64 need;
  guint32 n_parts, n_points;
  int type;

  if (length < 4)
    return g_strdup_printf (_("the record is too short (%" PRIu64 " bytes)"), (guint64) length);
  type = (int) gp_shp_le32 (content);
  if (type == SHPT_NULL)
    return NULL;
  if (!gp_shp_type_is_known (type))
    return g_strdup_printf (_("unknown shape type %d"), type);
  if (type != layer_type)
    return g_strdup_printf (_("a %s shape in a %s file"),
                            gp_geometry_type_name (gp_shp_geometry_type (type)),
                            gp_geometry_type_name (gp_shp_geometry_type (layer_type)));

  if (type_is_point (type))
    {
      need = type == SHPT_POINT ? 20 : 28;
      if (length < need)
        return g_strdup_printf (_("the record is too short for a point (%" PRIu64 " bytes)"),
                                (guint64) length);
      return NULL;
    }

  if (type_is_multipoint (type))
    {
      if (length < 40)
        return g_strdup_printf (_("the record is too short (%" PRIu64 " bytes)"), (guint64) length);
      n_points = gp_shp_le32 (content + 36);
      need = 40 + 16 * (guint64) n_points;
      if (type_has_z (type))
        need += 16 + 8 * (guint64) n_points;
      if (need > length)
        return g_strdup_printf (_("%u points do not fit in the record's %" PRIu64 " bytes"),
                                n_points, (guint64) length);
      return NULL;
    }

  /* PolyLine, Polygon and MultiPatch: parts, then points. */
  if (length < 44)
    return g_strdup_printf (_("the record is too short (%" PRIu64 " bytes)"), (guint64) length);
  n_parts = gp_shp_le32 (content + 36);
  n_points = gp_shp_le32 (content + 40);
  need = 44 + 4 * (guint64) n_parts + 16 * (guint64) n_points;
  if (type == SHPT_MULTIPATCH)
    need += 4 * (guint64) n_parts;
  if (type_has_z (type))
    need += 16 + 8 * (guint64) n_points;
  if (need > length)
    return g_strdup_printf (_("%u parts and %u points do not fit in the record's %" PRIu64 " bytes"),
                            n_parts, n_points, (guint64) length);
  if (n_parts == 0 && n_points > 0)
    return g_strdup_printf (_("%u points but no parts"), n_points);
  if (n_points == 0 && n_parts > 0)
    return g_strdup_printf (_("%u parts but no points"), n_parts);

  for (guint32 i = 0; i < n_parts; i++)
    {
      guint32 start = gp_shp_le32 (content + 44 + 4 * (gsize) i);

      if (i == 0 && start != 0)
        return g_strdup_printf (_("part 0 starts at point %u instead of 0"), start);
      if (start >= n_points)
        return g_strdup_printf (_("part %u starts beyond the record's points"), i);
      if (i > 0 && start <= gp_shp_le32 (content + 44 + 4 * (gsize) (i - 1)))
        return g_strdup_printf (_("part %u does not start after part %u"), i, i - 1);
    }
  if (type == SHPT_MULTIPATCH)
    for (guint32 i = 0; i < n_parts; i++)
      {
        guint32 part_type = gp_shp_le32 (content + 44 + 4 * (gsize) (n_parts + i));

        if (part_type > SHPP_RING)
          return g_strdup_printf (_("part %u has the unknown patch type %u"), i, part_type);
      }
  return NULL;
}

/* A measure below -10^38 means "no data" in the shapefile specification. */
static inline double
measure (double m)
{
  return (isfinite (m) && m >= -1e38) ? m : NAN;
}

static gboolean
points_are_finite (const SHPObject *object, gboolean has_z, char **problem)
{
  for (int i = 0; i < object->nVertices; i++)
    if (!isfinite (object->padfX[i]) || !isfinite (object->padfY[i])
        || (has_z && !isfinite (object->padfZ[i])))
      {
        *problem = g_strdup_printf (_("point %d has a coordinate that is not a finite number"), i);
        return FALSE;
      }
  return TRUE;
}

static inline void
copy_point (GpShape *shape, guint to, const SHPObject *object, int from)
{
  shape->xy[2 * to] = object->padfX[from];
  shape->xy[2 * to + 1] = object->padfY[from];
  if (shape->z != NULL)
    shape->z[to] = object->padfZ[from];
  if (shape->m != NULL)
    shape->m[to] = measure (object->padfM[from]);
}

static GpShapeFlags
object_flags (const SHPObject *object)
{
  GpShapeFlags flags = GP_SHAPE_FLAGS_NONE;

  if (type_has_z (object->nSHPType))
    flags |= GP_SHAPE_HAS_Z;
  /* shapelib reads trailing bytes of any record as measures; only M and Z types have them. */
  if (object->bMeasureIsUsed && object->padfM != NULL
      && (type_has_z (object->nSHPType) || object->nSHPType == SHPT_POINTM
          || object->nSHPType == SHPT_ARCM || object->nSHPType == SHPT_POLYGONM
          || object->nSHPType == SHPT_MULTIPOINTM))
    flags |= GP_SHAPE_HAS_M;
  return flags;
}

/* One ring of a polygon record, for assembling rings into polygons by containment. */
typedef struct {
  guint start, end;                 /* point range in the record */
  double minx, miny, maxx, maxy;
  double area;                      /* absolute */
  guint depth;                      /* how many rings contain it */
  int parent;                       /* smallest ring that contains it, or -1 */
} Ring;

/* 1 inside, -1 outside, 0 on the boundary of the ring [start, end) (closed or not). */
static int
point_in_ring (const SHPObject *object, guint start, guint end, double px, double py)
{
  const double *x = object->padfX;
  const double *y = object->padfY;
  gboolean inside = FALSE;

  for (guint i = start, j = end - 1; i < end; j = i++)
    {
      double xi = x[i], yi = y[i], xj = x[j], yj = y[j];

      if ((px - xi) * (yj - yi) == (py - yi) * (xj - xi)
          && px >= MIN (xi, xj) && px <= MAX (xi, xj) && py >= MIN (yi, yj) && py <= MAX (yi, yj))
        return 0;
      if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside ? 1 : -1;
}

/* Whether ring A lies inside ring B: decided by the first vertex of A (or, when rings share
 * their vertices, the first edge midpoint) that is not on B's boundary. */
static gboolean
ring_inside (const SHPObject *object, const Ring *a, const Ring *b)
{
  const double *x = object->padfX;
  const double *y = object->padfY;

  for (guint k = a->start; k < a->end; k++)
    {
      int where = point_in_ring (object, b->start, b->end, x[k], y[k]);

      if (where != 0)
        return where > 0;
    }
  for (guint k = a->start; k + 1 < a->end; k++)
    {
      int where = point_in_ring (object, b->start, b->end,
                                 (x[k] + x[k + 1]) / 2, (y[k] + y[k + 1]) / 2);

      if (where != 0)
        return where > 0;
    }
  return TRUE;
}

static void
ring_measure (const SHPObject *object, Ring *ring)
{
  const double *x = object->padfX;
  const double *y = object->padfY;
  double sum = 0.0;

  ring->minx = ring->maxx = x[ring->start];
  ring->miny = ring->maxy = y[ring->start];
  for (guint i = ring->start; i < ring->end; i++)
    {
      guint j = i + 1 < ring->end ? i + 1 : ring->start;

      ring->minx = MIN (ring->minx, x[i]);
      ring->maxx = MAX (ring->maxx, x[i]);
      ring->miny = MIN (ring->miny, y[i]);
      ring->maxy = MAX (ring->maxy, y[i]);
      /* Relative to the first vertex so projected coordinates keep their precision. */
      sum += (x[i] - x[ring->start]) * (y[j] - y[ring->start])
             - (x[j] - x[ring->start]) * (y[i] - y[ring->start]);
    }
  ring->area = fabs (sum) / 2.0;
  ring->depth = 0;
  ring->parent = -1;
}

/* Rings → polygons with holes by nesting depth: a ring inside an even number of rings is an
 * outer ring, one inside an odd number is a hole of the smallest ring around it. Neither the
 * stored orientation nor the ring order matters, and coordinates are kept as stored. */
static GpShape *
polygon_from_object (const SHPObject *object)
{
  guint n_rings = object->nParts;
  g_autofree Ring *rings = g_new0 (Ring, n_rings);
  g_autofree gboolean *outer = g_new0 (gboolean, n_rings);
  guint n_polygons = 0;
  guint part = 0, point = 0;
  GpShape *shape;

  for (guint i = 0; i < n_rings; i++)
    {
      rings[i].start = object->panPartStart[i];
      rings[i].end = i + 1 < n_rings ? (guint) object->panPartStart[i + 1] : (guint) object->nVertices;
      ring_measure (object, &rings[i]);
    }

  if (n_rings > 1)
    for (guint i = 0; i < n_rings; i++)
      for (guint j = 0; j < n_rings; j++)
        {
          Ring *a = &rings[i], *b = &rings[j];

          /* Only a larger ring can hold another; equal twins hold neither. */
          if (j == i || b->area <= a->area)
            continue;
          if (a->minx < b->minx || a->maxx > b->maxx || a->miny < b->miny || a->maxy > b->maxy)
            continue;
          if (!ring_inside (object, a, b))
            continue;
          a->depth++;
          if (a->parent < 0 || b->area < rings[a->parent].area)
            a->parent = (int) j;
        }

  for (guint i = 0; i < n_rings; i++)
    {
      /* Overlapping (invalid) rings can nest oddly; a hole must hang from an outer ring. */
      outer[i] = rings[i].depth % 2 == 0 || rings[i].parent < 0
                 || rings[rings[i].parent].depth % 2 == 1;
      if (outer[i])
        n_polygons++;
    }

  shape = gp_shape_new (GP_SHAPE_POLYGON, object_flags (object), object->nVertices, n_rings,
                        n_polygons);
  n_polygons = 0;
  for (guint i = 0; i < n_rings; i++)
    {
      if (!outer[i])
        continue;
      shape->polygon_start[n_polygons++] = part;
      /* The outer ring first, then its holes in stored order, wherever they were stored. */
      for (guint h = 0; h <= n_rings; h++)
        {
          guint j = h == 0 ? i : h - 1;

          if (h > 0 && (outer[j] || rings[j].parent != (int) i))
            continue;
          shape->part_start[part++] = point;
          for (guint k = rings[j].start; k < rings[j].end; k++)
            copy_point (shape, point++, object, k);
        }
    }
  g_assert (part == n_rings && point == (guint) object->nVertices);
  return shape;
}

/* One ring of a MultiPatch polygon: a range of the record's points, or a triangle of three. */
typedef struct {
  gboolean new_polygon;
  guint start, end;          /* range, when triangle[0] is G_MAXUINT */
  guint triangle[3];
} PatchRing;

static void
patch_triangle (GArray *rings, guint a, guint b, guint c)
{
  PatchRing ring = { TRUE, 0, 0, { a, b, c } };

  g_array_append_val (rings, ring);
}

/* MultiPatch parts → polygons: each triangle of a strip or fan is a polygon; an outer ring
 * (or first ring) starts a polygon whose inner rings (or following rings) are its holes; a
 * lone ring of unknown kind is a polygon of its own. */
static GpShape *
multipatch_from_object (const SHPObject *object)
{
  g_autoptr(GArray) rings = g_array_new (FALSE, FALSE, sizeof (PatchRing));
  gboolean open_polygon = FALSE;
  int previous_type = -1;
  guint n_points = 0, n_polygons = 0, part = 0, point = 0, polygon = 0;
  GpShape *shape;

  for (int p = 0; p < object->nParts; p++)
    {
      guint start = object->panPartStart[p];
      guint end = p + 1 < object->nParts ? (guint) object->panPartStart[p + 1] : (guint) object->nVertices;
      int type = object->panPartType[p];
      PatchRing ring = { TRUE, start, end, { G_MAXUINT, 0, 0 } };

      switch (type)
        {
        case SHPP_TRISTRIP:
          for (guint i = start; i + 2 < end; i++)
            patch_triangle (rings, i, i + 1, i + 2);
          open_polygon = FALSE;
          break;
        case SHPP_TRIFAN:
          for (guint i = start + 1; i + 1 < end; i++)
            patch_triangle (rings, start, i, i + 1);
          open_polygon = FALSE;
          break;
        case SHPP_INNERRING:
          ring.new_polygon = !open_polygon;
          g_array_append_val (rings, ring);
          open_polygon = TRUE;
          break;
        case SHPP_RING:
          ring.new_polygon = !(open_polygon && (previous_type == SHPP_FIRSTRING
                                                || previous_type == SHPP_RING));
          g_array_append_val (rings, ring);
          open_polygon = TRUE;
          break;
        case SHPP_OUTERRING:
        case SHPP_FIRSTRING:
        default:
          g_array_append_val (rings, ring);
          open_polygon = TRUE;
          break;
        }
      previous_type = type;
    }

  for (guint i = 0; i < rings->len; i++)
    {
      PatchRing *ring = &g_array_index (rings, PatchRing, i);

      n_points += ring->triangle[0] != G_MAXUINT ? 4 : ring->end - ring->start;
      if (ring->new_polygon)
        n_polygons++;
    }
  if (n_points == 0)
    return NULL;

  shape = gp_shape_new (GP_SHAPE_POLYGON, object_flags (object), n_points, rings->len, n_polygons);
  for (guint i = 0; i < rings->len; i++)
    {
      PatchRing *ring = &g_array_index (rings, PatchRing, i);

      if (ring->new_polygon)
        shape->polygon_start[polygon++] = part;
      shape->part_start[part++] = point;
      if (ring->triangle[0] != G_MAXUINT)
        {
          for (guint k = 0; k < 3; k++)
            copy_point (shape, point++, object, ring->triangle[k]);
          copy_point (shape, point++, object, ring->triangle[0]);
        }
      else
        for (guint k = ring->start; k < ring->end; k++)
          copy_point (shape, point++, object, k);
    }
  return shape;
}

gboolean
gp_shp_shape_from_object (const SHPObject *object, GpShape **shape, char **problem)
{
  int type = object->nSHPType;
  GpShape *result = NULL;

  *shape = NULL;
  if (type == SHPT_NULL || object->nVertices <= 0)
    return TRUE;
  if (!points_are_finite (object, type_has_z (type), problem))
    return FALSE;

  if (type_is_point (type) || type_is_multipoint (type))
    {
      result = gp_shape_new (type_is_point (type) ? GP_SHAPE_POINT : GP_SHAPE_MULTIPOINT,
                             object_flags (object), object->nVertices, 1, 0);
      for (int i = 0; i < object->nVertices; i++)
        copy_point (result, i, object, i);
    }
  else if (type == SHPT_ARC || type == SHPT_ARCZ || type == SHPT_ARCM)
    {
      result = gp_shape_new (GP_SHAPE_LINE, object_flags (object), object->nVertices,
                             object->nParts, 0);
      for (int i = 0; i < object->nParts; i++)
        result->part_start[i] = object->panPartStart[i];
      for (int i = 0; i < object->nVertices; i++)
        copy_point (result, i, object, i);
    }
  else if (type == SHPT_MULTIPATCH)
    result = multipatch_from_object (object);
  else
    result = polygon_from_object (object);

  *shape = result;
  return TRUE;
}

/* gp-geom.c: GEOS behind one boundary: a context per thread, GpShape ⇄ GEOS, validity and repair. */
#include "gp-config.h"

#include "gp-geom.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"

/* GEOS contexts are not thread-safe, so every thread gets its own, with the last message its
 * handlers saw; both die with the thread. */
typedef struct {
  GEOSContextHandle_t ctx;
  char *last_message;
} GpGeosThread;

static void
geos_thread_free (gpointer data)
{
  GpGeosThread *thread = data;

  GEOS_finish_r (thread->ctx);
  g_free (thread->last_message);
  g_free (thread);
}

static GPrivate geos_thread_key = G_PRIVATE_INIT (geos_thread_free);

static void
geos_message (const char *message, void *user_data)
{
  GpGeosThread *thread = user_data;

  g_free (thread->last_message);
  thread->last_message = g_strdup (message);
}

static GpGeosThread *
geos_thread (void)
{
  GpGeosThread *thread = g_private_get (&geos_thread_key);

  if (thread == NULL)
    {
      thread = g_new0 (GpGeosThread, 1);
      thread->ctx = GEOS_init_r ();
      GEOSContext_setErrorMessageHandler_r (thread->ctx, geos_message, thread);
      GEOSContext_setNoticeMessageHandler_r (thread->ctx, geos_message, thread);
      g_private_set (&geos_thread_key, thread);
    }
  return thread;
}

GEOSContextHandle_t
gp_geos (void)
{
  return geos_thread ()->ctx;
}

void
gp_geom_set_error (GError **error, const char *what)
{
  GpGeosThread *thread = geos_thread ();
  g_autofree char *message = g_steal_pointer (&thread->last_message);

  if (message == NULL)
    message = g_strdup (_("the geometry operation failed"));
  if (what != NULL)
    g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, "%s: %s", what, message);
  else
    g_set_error_literal (error, GP_ERROR, GP_ERROR_GEOMETRY, message);
}

/* ---------------------------------------------------------------------------------------------
 * GpShape → GEOS
 * ------------------------------------------------------------------------------------------- */

/* A scratch buffer reused for every ring of one conversion, so Z, closing and padding cost no
 * allocation per ring. */
typedef struct {
  GEOSContextHandle_t ctx;
  const GpShape *shape;
  gboolean has_z;
  double *buf;
  gsize cap;
} SeqBuilder;

static double *
builder_reserve (SeqBuilder *b, gsize n_doubles)
{
  if (n_doubles > b->cap)
    {
      b->cap = MAX (n_doubles, 2 * b->cap);
      b->buf = g_renew (double, b->buf, b->cap);
    }
  return b->buf;
}

/* The points [start, end) as a sequence of at least min_points, closed when close is set.
 * GEOS refuses unclosed rings, rings of fewer than four points and lines of one point; such
 * degenerate parts are padded by repeating their last point, so they reach GEOS as (invalid)
 * geometry that validity checks and make-valid can see, instead of failing the whole shape. */
static GEOSCoordSequence *
builder_sequence (SeqBuilder *b, guint start, guint end, gboolean close, guint min_points)
{
  const GpShape *shape = b->shape;
  guint n = end - start;
  guint total;
  guint dim = b->has_z ? 3 : 2;
  double *out;

  if (n == 0)
    return GEOSCoordSeq_create_r (b->ctx, 0, dim);

  if (close && (shape->xy[2 * start] != shape->xy[2 * (end - 1)]
                || shape->xy[2 * start + 1] != shape->xy[2 * (end - 1) + 1]))
    total = n + 1;
  else
    {
      total = n;
      close = FALSE;
    }
  total = MAX (total, min_points);

  /* The common case needs no copy: GEOS reads the interleaved x, y of the shape directly. */
  if (!b->has_z && total == n)
    return GEOSCoordSeq_copyFromBuffer_r (b->ctx, shape->xy + 2 * (gsize) start, n, 0, 0);

  out = builder_reserve (b, (gsize) total * dim);
  for (guint i = 0; i < total; i++)
    {
      /* Past the stored points comes the closing point, then copies of the last one. */
      guint src = i < n ? start + i : (close ? start : end - 1);

      out[dim * i] = shape->xy[2 * src];
      out[dim * i + 1] = shape->xy[2 * src + 1];
      if (b->has_z)
        out[dim * i + 2] = shape->z[src];
    }
  return GEOSCoordSeq_copyFromBuffer_r (b->ctx, out, total, b->has_z, 0);
}

static GEOSGeometry *
builder_point (SeqBuilder *b, guint index)
{
  GEOSCoordSequence *seq = builder_sequence (b, index, index + 1, FALSE, 1);

  return seq != NULL ? GEOSGeom_createPoint_r (b->ctx, seq) : NULL;
}

static GEOSGeometry *
builder_line (SeqBuilder *b, guint part)
{
  const GpShape *shape = b->shape;
  guint start = shape->part_start[part], end = shape->part_start[part + 1];
  GEOSCoordSequence *seq = builder_sequence (b, start, end, FALSE, end > start ? 2 : 0);

  return seq != NULL ? GEOSGeom_createLineString_r (b->ctx, seq) : NULL;
}

static GEOSGeometry *
builder_ring (SeqBuilder *b, guint part)
{
  const GpShape *shape = b->shape;
  guint start = shape->part_start[part], end = shape->part_start[part + 1];
  GEOSCoordSequence *seq = builder_sequence (b, start, end, TRUE, end > start ? 4 : 0);

  return seq != NULL ? GEOSGeom_createLinearRing_r (b->ctx, seq) : NULL;
}

static void
destroy_all (GEOSContextHandle_t ctx, GEOSGeometry **geoms, guint n)
{
  for (guint i = 0; i < n; i++)
    if (geoms[i] != NULL)
      GEOSGeom_destroy_r (ctx, geoms[i]);
}

static GEOSGeometry *
builder_polygon (SeqBuilder *b, guint polygon)
{
  const GpShape *shape = b->shape;
  guint first = shape->polygon_start[polygon], last = shape->polygon_start[polygon + 1];
  g_autofree GEOSGeometry **holes = NULL;
  GEOSGeometry *shell;

  if (first == last)
    return GEOSGeom_createEmptyPolygon_r (b->ctx);

  shell = builder_ring (b, first);
  if (shell == NULL)
    return NULL;
  holes = g_new0 (GEOSGeometry *, last - first);
  for (guint r = first + 1; r < last; r++)
    {
      holes[r - first - 1] = builder_ring (b, r);
      if (holes[r - first - 1] == NULL)
        {
          GEOSGeom_destroy_r (b->ctx, shell);
          destroy_all (b->ctx, holes, r - first - 1);
          return NULL;
        }
    }
  /* GEOS takes the rings, also when it fails. */
  return GEOSGeom_createPolygon_r (b->ctx, shell, holes, last - first - 1);
}

/* Builds n members with make, then the collection of them; frees what was built on failure. */
static GEOSGeometry *
builder_collection (SeqBuilder *b, int type, guint n,
                    GEOSGeometry *(*make) (SeqBuilder *b, guint index))
{
  g_autofree GEOSGeometry **members = g_new0 (GEOSGeometry *, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      members[i] = make (b, i);
      if (members[i] == NULL)
        {
          destroy_all (b->ctx, members, i);
          return NULL;
        }
    }
  /* GEOS takes the members, also when it fails. */
  return GEOSGeom_createCollection_r (b->ctx, type, members, n);
}

/* Part and polygon indices must stay inside their arrays before anything reads through them. */
static gboolean
shape_structure_ok (const GpShape *shape)
{
  if (shape->xy == NULL || ((shape->flags & GP_SHAPE_HAS_Z) && shape->z == NULL))
    return FALSE;
  if (shape->kind == GP_SHAPE_POINT)
    return shape->n_points <= 1;
  if (shape->kind == GP_SHAPE_MULTIPOINT)
    return TRUE;
  if (shape->part_start == NULL || shape->part_start[shape->n_parts] != shape->n_points)
    return FALSE;
  for (guint i = 0; i < shape->n_parts; i++)
    if (shape->part_start[i] > shape->part_start[i + 1])
      return FALSE;
  if (shape->kind != GP_SHAPE_POLYGON)
    return TRUE;
  if (shape->polygon_start == NULL || shape->polygon_start[shape->n_polygons] != shape->n_parts)
    return FALSE;
  for (guint p = 0; p < shape->n_polygons; p++)
    if (shape->polygon_start[p] > shape->polygon_start[p + 1])
      return FALSE;
  return TRUE;
}

GEOSGeometry *
gp_geom_from_shape (GEOSContextHandle_t ctx, const GpShape *shape, GError **error)
{
  SeqBuilder b = { ctx, shape, FALSE, NULL, 0 };
  gboolean multi;
  GEOSGeometry *geom = NULL;

  g_return_val_if_fail (ctx != NULL, NULL);

  if (shape == NULL || shape->kind == GP_SHAPE_NULL)
    {
      geom = GEOSGeom_createEmptyCollection_r (ctx, GEOS_GEOMETRYCOLLECTION);
      if (geom == NULL)
        gp_geom_set_error (error, NULL);
      return geom;
    }
  if (!shape_structure_ok (shape))
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_GEOMETRY,
                           _("the shape's parts do not match its points"));
      return NULL;
    }

  b.has_z = (shape->flags & GP_SHAPE_HAS_Z) != 0;
  multi = (shape->flags & GP_SHAPE_FORCE_MULTI) != 0;
  switch (shape->kind)
    {
    case GP_SHAPE_POINT:
      geom = shape->n_points == 0 ? GEOSGeom_createEmptyPoint_r (ctx) : builder_point (&b, 0);
      break;
    case GP_SHAPE_MULTIPOINT:
      geom = builder_collection (&b, GEOS_MULTIPOINT, shape->n_points, builder_point);
      break;
    case GP_SHAPE_LINE:
      if (shape->n_parts == 1 && !multi)
        geom = builder_line (&b, 0);
      else if (shape->n_parts == 0 && !multi)
        geom = GEOSGeom_createEmptyLineString_r (ctx);
      else
        geom = builder_collection (&b, GEOS_MULTILINESTRING, shape->n_parts, builder_line);
      break;
    case GP_SHAPE_POLYGON:
      if (shape->n_polygons == 1 && !multi)
        geom = builder_polygon (&b, 0);
      else if (shape->n_polygons == 0 && !multi)
        geom = GEOSGeom_createEmptyPolygon_r (ctx);
      else
        geom = builder_collection (&b, GEOS_MULTIPOLYGON, shape->n_polygons, builder_polygon);
      break;
    case GP_SHAPE_NULL:
    default:
      g_assert_not_reached ();
    }
  g_free (b.buf);
  if (geom == NULL)
    gp_geom_set_error (error, NULL);
  return geom;
}

/* ---------------------------------------------------------------------------------------------
 * GEOS → GpShape
 * ------------------------------------------------------------------------------------------- */

typedef struct {
  GPtrArray *points;    /* of const GEOSGeometry *, non-empty members only */
  GPtrArray *lines;
  GPtrArray *polygons;
  gboolean failed;
} Members;

/* Flattens nested collections into their non-empty points, lines and polygons. */
static void
collect_members (GEOSContextHandle_t ctx, const GEOSGeometry *geom, Members *members)
{
  int type = GEOSGeomTypeId_r (ctx, geom);
  char empty;

  if (type < 0 || members->failed)
    {
      members->failed = TRUE;
      return;
    }
  if (type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOLYGON
      || type == GEOS_GEOMETRYCOLLECTION)
    {
      int n = GEOSGetNumGeometries_r (ctx, geom);

      if (n < 0)
        members->failed = TRUE;
      for (int i = 0; i < n && !members->failed; i++)
        collect_members (ctx, GEOSGetGeometryN_r (ctx, geom, i), members);
      return;
    }

  empty = GEOSisEmpty_r (ctx, geom);
  if (empty == 2)
    members->failed = TRUE;
  if (empty != 0)
    return;
  if (type == GEOS_POINT)
    g_ptr_array_add (members->points, (gpointer) geom);
  else if (type == GEOS_LINESTRING || type == GEOS_LINEARRING)
    g_ptr_array_add (members->lines, (gpointer) geom);
  else if (type == GEOS_POLYGON)
    g_ptr_array_add (members->polygons, (gpointer) geom);
}

/* Copies one coordinate sequence into the shape at *next_point. Z comes through a scratch
 * buffer because the shape keeps it apart from x, y. */
static gboolean
copy_sequence (GEOSContextHandle_t ctx, const GEOSGeometry *geom, GpShape *shape,
               guint *next_point, double **scratch)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (ctx, geom);
  unsigned int size = 0;
  guint at = *next_point;

  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &size) || size > shape->n_points - at)
    return FALSE;
  if (size == 0)
    return TRUE;
  if (shape->z == NULL)
    {
      if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, shape->xy + 2 * (gsize) at, 0, 0))
        return FALSE;
    }
  else
    {
      *scratch = g_renew (double, *scratch, 3 * (gsize) size);
      if (!GEOSCoordSeq_copyToBuffer_r (ctx, seq, *scratch, 1, 0))
        return FALSE;
      for (unsigned int i = 0; i < size; i++)
        {
          shape->xy[2 * (gsize) (at + i)] = (*scratch)[3 * i];
          shape->xy[2 * (gsize) (at + i) + 1] = (*scratch)[3 * i + 1];
          /* Vertices GEOS made (noding, repair) have no Z; 0 is what shapefiles use then. */
          shape->z[at + i] = isfinite ((*scratch)[3 * i + 2]) ? (*scratch)[3 * i + 2] : 0.0;
        }
    }
  *next_point = at + size;
  return TRUE;
}

static guint
sequence_size (GEOSContextHandle_t ctx, const GEOSGeometry *geom)
{
  const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r (ctx, geom);
  unsigned int size = 0;

  if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &size))
    return G_MAXUINT;
  return size;
}

/* Adds a to *total, refusing overflow and GEOS failures (G_MAXUINT). */
static gboolean
add_count (guint *total, guint a)
{
  if (a == G_MAXUINT || a > G_MAXUINT - 1 - *total)
    return FALSE;
  *total += a;
  return TRUE;
}

static GpShape *
polygons_to_shape (GEOSContextHandle_t ctx, GPtrArray *polygons, GpShapeFlags flags)
{
  guint n_points = 0, n_parts = 0, next_point = 0, next_part = 0;
  g_autofree double *scratch = NULL;
  g_autoptr(GpShape) shape = NULL;

  for (guint p = 0; p < polygons->len; p++)
    {
      const GEOSGeometry *polygon = polygons->pdata[p];
      int n_holes = GEOSGetNumInteriorRings_r (ctx, polygon);

      if (n_holes < 0 || !add_count (&n_parts, (guint) n_holes + 1)
          || !add_count (&n_points, sequence_size (ctx, GEOSGetExteriorRing_r (ctx, polygon))))
        return NULL;
      for (int h = 0; h < n_holes; h++)
        if (!add_count (&n_points, sequence_size (ctx, GEOSGetInteriorRingN_r (ctx, polygon, h))))
          return NULL;
    }

  shape = gp_shape_new (GP_SHAPE_POLYGON, flags, n_points, n_parts, polygons->len);
  for (guint p = 0; p < polygons->len; p++)
    {
      const GEOSGeometry *polygon = polygons->pdata[p];
      int n_holes = GEOSGetNumInteriorRings_r (ctx, polygon);

      shape->polygon_start[p] = next_part;
      for (int r = -1; r < n_holes; r++)
        {
          const GEOSGeometry *ring = r < 0 ? GEOSGetExteriorRing_r (ctx, polygon)
                                           : GEOSGetInteriorRingN_r (ctx, polygon, r);

          shape->part_start[next_part++] = next_point;
          if (ring == NULL || !copy_sequence (ctx, ring, shape, &next_point, &scratch))
            return NULL;
        }
    }
  return g_steal_pointer (&shape);
}

static GpShape *
lines_to_shape (GEOSContextHandle_t ctx, GPtrArray *lines, GpShapeFlags flags)
{
  guint n_points = 0, next_point = 0;
  g_autofree double *scratch = NULL;
  g_autoptr(GpShape) shape = NULL;

  for (guint i = 0; i < lines->len; i++)
    if (!add_count (&n_points, sequence_size (ctx, lines->pdata[i])))
      return NULL;

  shape = gp_shape_new (GP_SHAPE_LINE, flags, n_points, lines->len, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      shape->part_start[i] = next_point;
      if (!copy_sequence (ctx, lines->pdata[i], shape, &next_point, &scratch))
        return NULL;
    }
  return g_steal_pointer (&shape);
}

static GpShape *
points_to_shape (GEOSContextHandle_t ctx, GPtrArray *points, GpShapeKind kind, GpShapeFlags flags)
{
  guint next_point = 0;
  g_autofree double *scratch = NULL;
  g_autoptr(GpShape) shape = gp_shape_new (kind, flags, points->len, 0, 0);

  for (guint i = 0; i < points->len; i++)
    if (!copy_sequence (ctx, points->pdata[i], shape, &next_point, &scratch))
      return NULL;
  return g_steal_pointer (&shape);
}

GpShape *
gp_geom_to_shape (GEOSContextHandle_t ctx, const GEOSGeometry *geom, GError **error)
{
  Members members = { g_ptr_array_new (), g_ptr_array_new (), g_ptr_array_new (), FALSE };
  GpShapeFlags flags = GP_SHAPE_FLAGS_NONE;
  GpShape *shape = NULL;
  int type;

  g_return_val_if_fail (ctx != NULL && geom != NULL, NULL);

  type = GEOSGeomTypeId_r (ctx, geom);
  collect_members (ctx, geom, &members);
  if (members.failed)
    goto out;

  if (GEOSHasZ_r (ctx, geom) == 1)
    flags |= GP_SHAPE_HAS_Z;
  /* A Multi* of one member stays a Multi* when it goes back to GEOS or out to a file. */
  if ((type == GEOS_MULTILINESTRING && members.lines->len <= 1)
      || (type == GEOS_MULTIPOLYGON && members.polygons->len <= 1))
    flags |= GP_SHAPE_FORCE_MULTI;

  switch (type)
    {
    case GEOS_POINT:
      shape = points_to_shape (ctx, members.points, GP_SHAPE_POINT, flags);
      break;
    case GEOS_MULTIPOINT:
      shape = points_to_shape (ctx, members.points, GP_SHAPE_MULTIPOINT, flags);
      break;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
    case GEOS_MULTILINESTRING:
      shape = lines_to_shape (ctx, members.lines, flags);
      break;
    case GEOS_POLYGON:
    case GEOS_MULTIPOLYGON:
      shape = polygons_to_shape (ctx, members.polygons, flags);
      break;
    case GEOS_GEOMETRYCOLLECTION:
      /* A mixed collection (as overlay and repair produce) keeps its highest dimension. */
      if (members.polygons->len > 0)
        shape = polygons_to_shape (ctx, members.polygons, flags);
      else if (members.lines->len > 0)
        shape = lines_to_shape (ctx, members.lines, flags);
      else if (members.points->len > 0)
        shape = points_to_shape (ctx, members.points, GP_SHAPE_MULTIPOINT, flags);
      else
        shape = gp_shape_new (GP_SHAPE_NULL, GP_SHAPE_FLAGS_NONE, 0, 0, 0);
      break;
    default:
      break;
    }

out:
  g_ptr_array_unref (members.points);
  g_ptr_array_unref (members.lines);
  g_ptr_array_unref (members.polygons);
  if (shape == NULL)
    gp_geom_set_error (error, _("cannot read a geometry back from GEOS"));
  return shape;
}

/* ---------------------------------------------------------------------------------------------
 * Validity
 * ------------------------------------------------------------------------------------------- */

gboolean
gp_shape_is_valid (const GpShape *shape)
{
  GEOSContextHandle_t ctx;
  GEOSGeometry *geom;
  char valid;

  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    return TRUE;

  ctx = gp_geos ();
  geom = gp_geom_from_shape (ctx, shape, NULL);
  if (geom == NULL)
    return FALSE;
  valid = GEOSisValid_r (ctx, geom);
  GEOSGeom_destroy_r (ctx, geom);
  return valid == 1;
}

GpShape *
gp_shape_make_valid (const GpShape *shape, GError **error)
{
  GEOSContextHandle_t ctx = gp_geos ();
  GEOSMakeValidParams *params = NULL;
  GEOSGeometry *geom = NULL, *repaired = NULL;
  GpShape *result = NULL;
  char valid;

  g_return_val_if_fail (shape != NULL, NULL);

  if (shape->kind != GP_SHAPE_POLYGON)
    return gp_shape_copy (shape);

  geom = gp_geom_from_shape (ctx, shape, error);
  if (geom == NULL)
    return NULL;
  /* A valid polygon comes back as it was, not renormalised by GEOS. */
  valid = GEOSisValid_r (ctx, geom);
  if (valid == 1)
    {
      GEOSGeom_destroy_r (ctx, geom);
      return gp_shape_copy (shape);
    }

  /* The structure method rebuilds areas from rings and drops collapsed spikes, where the
   * linework method would keep them as stray lines. */
  params = GEOSMakeValidParams_create_r (ctx);
  if (params != NULL)
    {
      GEOSMakeValidParams_setMethod_r (ctx, params, GEOS_MAKE_VALID_STRUCTURE);
      GEOSMakeValidParams_setKeepCollapsed_r (ctx, params, 0);
      repaired = GEOSMakeValidWithParams_r (ctx, geom, params);
      GEOSMakeValidParams_destroy_r (ctx, params);
    }
  GEOSGeom_destroy_r (ctx, geom);
  if (repaired == NULL)
    {
      gp_geom_set_error (error, _("cannot repair the polygon"));
      return NULL;
    }

  result = gp_geom_to_shape (ctx, repaired, error);
  GEOSGeom_destroy_r (ctx, repaired);
  if (result == NULL)
    return NULL;
  if (result->kind != GP_SHAPE_POLYGON || result->n_polygons == 0)
    {
      gp_shape_free (result);
      g_set_error_literal (error, GP_ERROR, GP_ERROR_GEOMETRY,
                           _("the polygon has no area left once repaired"));
      return NULL;
    }
  result->flags = (result->flags & ~GP_SHAPE_FORCE_MULTI) | (shape->flags & GP_SHAPE_FORCE_MULTI);
  return result;
}

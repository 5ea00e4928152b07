/* gp-crs.c: coordinate reference systems through PROJ, and the local metric frame for measuring. */
#include "gp-config.h"

#include "gp-crs.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <proj.h>
#include <proj_experimental.h>
#include <string.h>

#include "gp-error.h"

/* proj_identify() gives 100 for an exact match and 70 when only names differ, which is the
 * case for ESRI .prj files; below that the match is a guess we would rather not report. */
#define GP_CRS_MIN_CONFIDENCE 70

struct _GpCrs
{
  GObject parent_instance;

  /* PROJ contexts are not thread-safe: each GpCrs has its own, and the lock serialises the
   * few calls made after construction (comparison, building frames). */
  GMutex lock;
  PJ_CONTEXT *ctx;
  PJ *pj;

  /* Worked out once at construction, so that readers need no lock. */
  char *name;
  int epsg;
  char *wkt;
  char *wkt2;
  gboolean geographic;
  gboolean guessed;
};

G_DEFINE_FINAL_TYPE (GpCrs, gp_crs, G_TYPE_OBJECT)

static void
gp_crs_finalize (GObject *object)
{
  GpCrs *self = GP_CRS (object);

  g_clear_pointer (&self->pj, proj_destroy);
  g_clear_pointer (&self->ctx, proj_context_destroy);
  g_free (self->name);
  g_free (self->wkt);
  g_free (self->wkt2);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gp_crs_parent_class)->finalize (object);
}

static void
gp_crs_class_init (GpCrsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_crs_finalize;
}

static void
gp_crs_init (GpCrs *self)
{
  g_mutex_init (&self->lock);
}

/* PROJ logs to stderr by default; we keep its last error to put into our GError instead. */
static void
proj_log_last (void *data, int level, const char *message)
{
  char **last = data;

  if (level == PJ_LOG_ERROR && message != NULL)
    {
      g_free (*last);
      *last = g_strdup (message);
    }
}

/* A context that logs into *last (which must outlive it, or be detached with proj_log_func). */
static PJ_CONTEXT *
context_new (char **last)
{
  PJ_CONTEXT *ctx = proj_context_create ();

  if (ctx != NULL)
    proj_log_func (ctx, last, last != NULL ? proj_log_last : NULL);
  if (ctx != NULL && last == NULL)
    proj_log_level (ctx, PJ_LOG_NONE);
  return ctx;
}

/* A BoundCRS (WKT with TOWGS84) or CompoundCRS wraps the horizontal CRS we care about. */
static PJ *
horizontal_crs (PJ_CONTEXT *ctx, const PJ *crs)
{
  PJ_TYPE type = proj_get_type (crs);

  if (type == PJ_TYPE_BOUND_CRS)
    {
      PJ *source = proj_get_source_crs (ctx, crs);
      PJ *inner = source != NULL ? horizontal_crs (ctx, source) : NULL;

      proj_destroy (source);
      return inner;
    }
  if (type == PJ_TYPE_COMPOUND_CRS)
    {
      PJ *sub = proj_crs_get_sub_crs (ctx, crs, 0);
      PJ *inner = sub != NULL ? horizontal_crs (ctx, sub) : NULL;

      proj_destroy (sub);
      return inner;
    }
  return proj_clone (ctx, crs);
}

static int
epsg_of (const PJ *crs)
{
  const char *auth = proj_get_id_auth_name (crs, 0);
  const char *code = proj_get_id_code (crs, 0);

  if (auth != NULL && code != NULL && g_ascii_strcasecmp (auth, "EPSG") == 0)
    return (int) g_ascii_strtoll (code, NULL, 10);
  return 0;
}

/* The EPSG code that the definition names, or the one PROJ recognises with confidence. */
static int
identify_epsg (PJ_CONTEXT *ctx, const PJ *crs)
{
  int *confidence = NULL;
  PJ_OBJ_LIST *list;
  int epsg = epsg_of (crs);

  if (epsg > 0)
    return epsg;

  list = proj_identify (ctx, crs, "EPSG", NULL, &confidence);
  if (list != NULL && confidence != NULL && proj_list_get_count (list) > 0
      && confidence[0] >= GP_CRS_MIN_CONFIDENCE)
    {
      PJ *match = proj_list_get (ctx, list, 0);

      if (match != NULL)
        epsg = epsg_of (match);
      proj_destroy (match);
    }
  proj_int_list_destroy (confidence);
  proj_list_destroy (list);
  return epsg;
}

static gboolean
type_is_geographic (PJ_TYPE type)
{
  return type == PJ_TYPE_GEOGRAPHIC_CRS || type == PJ_TYPE_GEOGRAPHIC_2D_CRS
         || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

static char *
export_wkt (PJ_CONTEXT *ctx, const PJ *crs, PJ_WKT_TYPE type)
{
  const char *options[] = { "MULTILINE=NO", NULL };

  return g_strdup (proj_as_wkt (ctx, crs, type, options));
}

/* Takes ctx and pj; fills in everything the getters return. */
static GpCrs *
crs_new_take (PJ_CONTEXT *ctx, PJ *pj)
{
  GpCrs *self = g_object_new (GP_TYPE_CRS, NULL);
  PJ *horizontal;

  self->ctx = ctx;
  self->pj = pj;
  horizontal = horizontal_crs (ctx, pj);

  self->epsg = identify_epsg (ctx, horizontal != NULL ? horizontal : pj);
  self->name = g_strdup (proj_get_name (pj));
  /* PROJ strings carry no name ("unknown"); the system they match has one. */
  if ((self->name == NULL || g_strcmp0 (self->name, "unknown") == 0) && self->epsg > 0)
    {
      g_autofree char *code = g_strdup_printf ("%d", self->epsg);
      PJ *named = proj_create_from_database (ctx, "EPSG", code, PJ_CATEGORY_CRS, 0, NULL);

      if (named != NULL && proj_get_name (named) != NULL)
        {
          g_free (self->name);
          self->name = g_strdup (proj_get_name (named));
        }
      proj_destroy (named);
    }
  if (self->name == NULL)
    self->name = g_strdup (_("unnamed coordinate system"));
  self->geographic = horizontal != NULL && type_is_geographic (proj_get_type (horizontal));
  /* ArcGIS and most readers of .prj files expect ESRI's dialect of WKT1; a few CRSs have no
   * ESRI form, and GDAL's WKT1 is the next best thing. */
  self->wkt = export_wkt (ctx, pj, PJ_WKT1_ESRI);
  if (self->wkt == NULL)
    self->wkt = export_wkt (ctx, pj, PJ_WKT1_GDAL);
  self->wkt2 = export_wkt (ctx, pj, PJ_WKT2_2019);
  proj_destroy (horizontal);
  return self;
}

static gboolean
is_crs_type (PJ_TYPE type)
{
  switch (type)
    {
    case PJ_TYPE_GEODETIC_CRS:
    case PJ_TYPE_GEOCENTRIC_CRS:
    case PJ_TYPE_GEOGRAPHIC_CRS:
    case PJ_TYPE_GEOGRAPHIC_2D_CRS:
    case PJ_TYPE_GEOGRAPHIC_3D_CRS:
    case PJ_TYPE_PROJECTED_CRS:
    case PJ_TYPE_COMPOUND_CRS:
    case PJ_TYPE_BOUND_CRS:
    case PJ_TYPE_OTHER_CRS:
      return TRUE;
    default:
      return FALSE;
    }
}

GpCrs *
gp_crs_new_from_definition (const char *definition, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *last = NULL;
  PROJ_STRING_LIST grammar_errors = NULL;
  PJ_CONTEXT *ctx;
  PJ *pj = NULL;
  const char *why = NULL;

  g_return_val_if_fail (definition != NULL, NULL);

  /* .prj files come with BOMs, trailing newlines and NULs from fixed-size writers. */
  text = g_strdup (g_str_has_prefix (definition, "\xEF\xBB\xBF") ? definition + 3 : definition);
  g_strstrip (text);
  if (*text == '\0')
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_CRS, _("the coordinate system definition is empty"));
      return NULL;
    }

  ctx = context_new (&last);
  if (ctx == NULL)
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_CRS, _("cannot start PROJ"));
      return NULL;
    }

  if (proj_context_guess_wkt_dialect (ctx, text) != PJ_GUESSED_NOT_WKT)
    {
      pj = proj_create_from_wkt (ctx, text, NULL, NULL, &grammar_errors);
      if (pj == NULL && grammar_errors != NULL && grammar_errors[0] != NULL)
        why = grammar_errors[0];
    }
  else if (strstr (text, "proj=pipeline") != NULL || strstr (text, "+step") != NULL)
    why = _("it is not a coordinate reference system");
  else if ((text[0] == '+' || g_str_has_prefix (text, "proj=")) && strstr (text, "type=crs") == NULL)
    {
      /* A bare PROJ string would make a coordinate operation, not a CRS. */
      g_autofree char *with_type = g_strconcat (text, " +type=crs", NULL);
      pj = proj_create (ctx, with_type);
    }
  else
    pj = proj_create (ctx, text);

  if (pj != NULL && !is_crs_type (proj_get_type (pj)))
    {
      g_clear_pointer (&pj, proj_destroy);
      why = _("it is not a coordinate reference system");
    }
  if (pj == NULL)
    {
      if (why == NULL)
        why = last != NULL ? last : _("PROJ does not understand it");
      g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                   _("cannot read the coordinate system: %s"), why);
      proj_string_list_destroy (grammar_errors);
      proj_context_destroy (ctx);
      return NULL;
    }
  proj_string_list_destroy (grammar_errors);
  /* last is about to be freed: from now on the context keeps quiet instead. */
  proj_log_func (ctx, NULL, NULL);
  proj_log_level (ctx, PJ_LOG_NONE);
  return crs_new_take (ctx, pj);
}

GpCrs *
gp_crs_new_from_epsg (int epsg, GError **error)
{
  g_autofree char *code = g_strdup_printf ("%d", epsg);
  PJ_CONTEXT *ctx = context_new (NULL);
  PJ *pj;

  if (ctx == NULL)
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_CRS, _("cannot start PROJ"));
      return NULL;
    }
  pj = epsg > 0 ? proj_create_from_database (ctx, "EPSG", code, PJ_CATEGORY_CRS, 0, NULL) : NULL;
  if (pj == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                   _("EPSG:%d is not a coordinate reference system PROJ knows"), epsg);
      proj_context_destroy (ctx);
      return NULL;
    }
  return crs_new_take (ctx, pj);
}

GpCrs *
gp_crs_new_lonlat_guess (void)
{
  GpCrs *self = gp_crs_new_from_epsg (4326, NULL);

  /* Without proj.db, the PROJ string still gives WGS 84 lon/lat. */
  if (self == NULL)
    self = gp_crs_new_from_definition ("+proj=longlat +datum=WGS84 +no_defs +type=crs", NULL);
  g_return_val_if_fail (self != NULL, NULL);
  self->guessed = TRUE;
  if (self->epsg == 0)
    self->epsg = 4326;
  return self;
}

gboolean
gp_crs_bbox_looks_lonlat (const double bbox[4])
{
  g_return_val_if_fail (bbox != NULL, FALSE);

  for (int i = 0; i < 4; i++)
    if (!isfinite (bbox[i]))
      return FALSE;
  if (bbox[0] < -180.0 || bbox[2] > 180.0 || bbox[1] < -90.0 || bbox[3] > 90.0
      || bbox[0] > bbox[2] || bbox[1] > bbox[3])
    return FALSE;
  /* Data that fits in a metre or so around (0, 0) is a local drawing or a test pattern in
   * some projected unit, not something lying off the coast of West Africa. */
  if (bbox[0] >= -1.0 && bbox[2] <= 1.0 && bbox[1] >= -1.0 && bbox[3] <= 1.0)
    return FALSE;
  return TRUE;
}

const char *
gp_crs_get_name (GpCrs *self)
{
  g_return_val_if_fail (GP_IS_CRS (self), NULL);
  return self->name;
}

int
gp_crs_get_epsg (GpCrs *self)
{
  g_return_val_if_fail (GP_IS_CRS (self), 0);
  return self->epsg;
}

const char *
gp_crs_get_wkt (GpCrs *self)
{
  g_return_val_if_fail (GP_IS_CRS (self), NULL);
  return self->wkt;
}

const char *
gp_crs_get_wkt2 (GpCrs *self)
{
  g_return_val_if_fail (GP_IS_CRS (self), NULL);
  return self->wkt2;
}

gboolean
gp_crs_is_geographic (GpCrs *self)
{
  g_return_val_if_fail (GP_IS_CRS (self), FALSE);
  return self->geographic;
}

gboolean
gp_crs_is_guessed (GpCrs *self)
{
  g_return_val_if_fail (GP_IS_CRS (self), FALSE);
  return self->guessed;
}

gboolean
gp_crs_equal (GpCrs *a, GpCrs *b)
{
  GpCrs *first, *second;
  gboolean equal;

  g_return_val_if_fail (GP_IS_CRS (a) && GP_IS_CRS (b), FALSE);

  if (a == b)
    return TRUE;
  if (a->epsg != 0 && a->epsg == b->epsg)
    return TRUE;
  /* Always lock in the same order, so two threads comparing (a, b) and (b, a) cannot deadlock. */
  first = a < b ? a : b;
  second = a < b ? b : a;
  g_mutex_lock (&first->lock);
  g_mutex_lock (&second->lock);
  equal = proj_is_equivalent_to_with_ctx (a->ctx, a->pj, b->pj, PJ_COMP_EQUIVALENT) != 0;
  g_mutex_unlock (&second->lock);
  g_mutex_unlock (&first->lock);
  return equal;
}

/* ---------------------------------------------------------------------------------------------
 * The local metric frame
 * ------------------------------------------------------------------------------------------- */

struct _GpLocalFrame
{
  PJ_CONTEXT *ctx;
  PJ *source;     /* horizontal source CRS in ctx; NULL: coordinates are already metres */
  PJ *op;         /* source → local transverse Mercator, x = east, y = north */
  double origin_x, origin_y;
};

void
gp_local_frame_free (GpLocalFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->op, proj_destroy);
  g_clear_pointer (&frame->source, proj_destroy);
  g_clear_pointer (&frame->ctx, proj_context_destroy);
  g_free (frame);
}

/* Where PROJ failed, in words, with its own reason when it gave one. */
static void
set_proj_error (GError **error, PJ_CONTEXT *ctx, const char *what)
{
  int err = proj_context_errno (ctx);
  const char *reason = err != 0 ? proj_context_errno_string (ctx, err) : NULL;

  if (reason != NULL)
    g_set_error (error, GP_ERROR, GP_ERROR_CRS, "%s: %s", what, reason);
  else
    g_set_error_literal (error, GP_ERROR, GP_ERROR_CRS, what);
}

/* An operation between two CRSs with x = east/longitude, y = north/latitude on both sides,
 * whatever axis order their definitions declare (CGCS2000 Gauss-Kruger is northing first). */
static PJ *
operation_new (PJ_CONTEXT *ctx, const PJ *from, const PJ *to)
{
  PJ *op = proj_create_crs_to_crs_from_pj (ctx, from, to, NULL, NULL);
  PJ *normalized;

  if (op == NULL)
    return NULL;
  normalized = proj_normalize_for_visualization (ctx, op);
  proj_destroy (op);
  return normalized;
}

gboolean
gp_crs_from_lonlat (GpCrs *self, double *xy, gsize n, GError **error)
{
  PJ_CONTEXT *ctx;
  PJ *wgs84 = NULL, *target = NULL, *op = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (GP_IS_CRS (self), FALSE);
  if (n == 0)
    return TRUE;
  /* A context of its own: the call may come from any thread. */
  ctx = context_new (NULL);
  if (ctx == NULL)
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_CRS, _("cannot start PROJ"));
      return FALSE;
    }
  wgs84 = proj_create_from_database (ctx, "EPSG", "4326", PJ_CATEGORY_CRS, 0, NULL);
  if (wgs84 == NULL)
    wgs84 = proj_create (ctx, "+proj=longlat +datum=WGS84 +no_defs +type=crs");
  target = proj_create (ctx, self->wkt2 != NULL ? self->wkt2 : self->wkt);
  op = wgs84 != NULL && target != NULL ? operation_new (ctx, wgs84, target) : NULL;
  if (op == NULL)
    set_proj_error (error, ctx, _("cannot turn longitude and latitude into the project's coordinates"));
  else
    {
      const size_t stride = 2 * sizeof (double);

      proj_trans_generic (op, PJ_FWD, xy, stride, n, xy + 1, stride, n, NULL, 0, 0, NULL, 0, 0);
      ok = TRUE;
      for (gsize i = 0; i < 2 * n && ok; i++)
        ok = isfinite (xy[i]);
      if (!ok)
        g_set_error (error, GP_ERROR, GP_ERROR_CRS, _("a longitude and latitude has no place in the project's coordinates"));
    }
  g_clear_pointer (&op, proj_destroy);
  g_clear_pointer (&target, proj_destroy);
  g_clear_pointer (&wgs84, proj_destroy);
  proj_context_destroy (ctx);
  return ok;
}

/* Builds frame->op from frame->source and the origin: a transverse Mercator on the source's
 * own datum, so going there is a pure conversion with no datum shift to get wrong. */
static gboolean
frame_build (GpLocalFrame *frame, GError **error)
{
  PJ_CONTEXT *ctx = frame->ctx;
  PJ *geodetic = NULL, *to_geodetic = NULL, *conversion = NULL, *cs = NULL, *tm = NULL;
  PJ_COORD centre;
  gboolean ok = FALSE;

  geodetic = proj_crs_get_geodetic_crs (ctx, frame->source);
  if (geodetic != NULL && proj_get_type (geodetic) == PJ_TYPE_GEOGRAPHIC_3D_CRS)
    {
      PJ *flat = proj_crs_demote_to_2D (ctx, NULL, geodetic);

      proj_destroy (geodetic);
      geodetic = flat;
    }
  if (geodetic == NULL)
    {
      set_proj_error (error, ctx, _("the coordinate system has no datum to measure on"));
      goto out;
    }

  /* The centre in longitude and latitude is where the frame has no distortion. */
  to_geodetic = operation_new (ctx, frame->source, geodetic);
  if (to_geodetic == NULL)
    {
      set_proj_error (error, ctx, _("cannot convert the data to longitude and latitude"));
      goto out;
    }
  centre = proj_trans (to_geodetic, PJ_FWD, proj_coord (frame->origin_x, frame->origin_y, 0, 0));
  if (!isfinite (centre.xy.x) || !isfinite (centre.xy.y) || fabs (centre.xy.y) > 90.0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                   _("the centre of the data (%g, %g) lies outside its coordinate system"),
                   frame->origin_x, frame->origin_y);
      goto out;
    }

  conversion = proj_create_conversion_transverse_mercator (ctx, centre.xy.y, centre.xy.x, 1.0,
                                                           0.0, 0.0, "Degree", G_PI / 180.0,
                                                           "Metre", 1.0);
  cs = proj_create_cartesian_2D_cs (ctx, PJ_CART2D_EASTING_NORTHING, "Metre", 1.0);
  if (conversion != NULL && cs != NULL)
    tm = proj_create_projected_crs (ctx, "GridPlan local transverse Mercator", geodetic,
                                    conversion, cs);
  if (tm != NULL)
    frame->op = operation_new (ctx, frame->source, tm);
  if (frame->op == NULL)
    {
      set_proj_error (error, ctx, _("cannot set up the local metric frame"));
      goto out;
    }
  ok = TRUE;

out:
  proj_destroy (tm);
  proj_destroy (cs);
  proj_destroy (conversion);
  proj_destroy (to_geodetic);
  proj_destroy (geodetic);
  return ok;
}

GpLocalFrame *
gp_local_frame_new (GpCrs *source, const double bbox[4], GError **error)
{
  g_autoptr(GpLocalFrame) frame = NULL;

  g_return_val_if_fail (source == NULL || GP_IS_CRS (source), NULL);
  g_return_val_if_fail (bbox != NULL, NULL);

  for (int i = 0; i < 4; i++)
    if (!isfinite (bbox[i]))
      {
        g_set_error_literal (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                             _("the extent of the data is not a finite box"));
        return NULL;
      }

  frame = g_new0 (GpLocalFrame, 1);
  frame->origin_x = (bbox[0] + bbox[2]) / 2.0;
  frame->origin_y = (bbox[1] + bbox[3]) / 2.0;
  frame->ctx = context_new (NULL);
  if (frame->ctx == NULL)
    {
      g_set_error_literal (error, GP_ERROR, GP_ERROR_CRS, _("cannot start PROJ"));
      return NULL;
    }

  if (source != NULL)
    {
      g_mutex_lock (&source->lock);
      frame->source = horizontal_crs (frame->ctx, source->pj);
      g_mutex_unlock (&source->lock);
    }
  else if (gp_crs_bbox_looks_lonlat (bbox))
    frame->source = proj_create (frame->ctx, "+proj=longlat +datum=WGS84 +no_defs +type=crs");
  else
    return g_steal_pointer (&frame);   /* unknown and not lon/lat: taken to be metres already */

  if (frame->source == NULL)
    {
      set_proj_error (error, frame->ctx, _("cannot use the coordinate system"));
      return NULL;
    }
  if (!frame_build (frame, error))
    return NULL;
  return g_steal_pointer (&frame);
}

GpLocalFrame *
gp_local_frame_copy (GpLocalFrame *frame)
{
  g_autoptr(GpLocalFrame) copy = NULL;

  g_return_val_if_fail (frame != NULL, NULL);

  copy = g_new0 (GpLocalFrame, 1);
  copy->origin_x = frame->origin_x;
  copy->origin_y = frame->origin_y;
  copy->ctx = context_new (NULL);
  g_return_val_if_fail (copy->ctx != NULL, NULL);
  if (frame->source == NULL)
    return g_steal_pointer (&copy);

  /* The same source and origin build the very same operation, in the copy's own context. */
  copy->source = proj_clone (copy->ctx, frame->source);
  if (copy->source == NULL || !frame_build (copy, NULL))
    g_return_val_if_reached (NULL);
  return g_steal_pointer (&copy);
}

static gboolean
frame_transform (GpLocalFrame *frame, PJ_DIRECTION direction, double *xy, gsize n, GError **error)
{
  const size_t stride = 2 * sizeof (double);

  if (n == 0)
    return TRUE;
  if (frame->op == NULL)
    {
      double dx = direction == PJ_FWD ? -frame->origin_x : frame->origin_x;
      double dy = direction == PJ_FWD ? -frame->origin_y : frame->origin_y;

      for (gsize i = 0; i < n; i++)
        {
          xy[2 * i] += dx;
          xy[2 * i + 1] += dy;
        }
      return TRUE;
    }

  proj_errno_reset (frame->op);
  proj_trans_generic (frame->op, direction, xy, stride, n, xy + 1, stride, n,
                      NULL, 0, 0, NULL, 0, 0);
  /* PROJ marks each point it could not convert with HUGE_VAL and carries on. */
  for (gsize i = 0; i < 2 * n; i++)
    if (!isfinite (xy[i]))
      {
        g_set_error (error, GP_ERROR, GP_ERROR_CRS,
                     direction == PJ_FWD
                     ? _("point %" PRIu64 " cannot be placed in the local metric frame")
                     : _("point %" PRIu64 " of the local metric frame has no source coordinates"),
                     (uint64_t) (i / 2));
        return FALSE;
      }
  return TRUE;
}

gboolean
gp_local_frame_forward (GpLocalFrame *frame, double *xy, gsize n, GError **error)
{
  g_return_val_if_fail (frame != NULL && (xy != NULL || n == 0), FALSE);
  return frame_transform (frame, PJ_FWD, xy, n, error);
}

gboolean
gp_local_frame_inverse (GpLocalFrame *frame, double *xy, gsize n, GError **error)
{
  g_return_val_if_fail (frame != NULL && (xy != NULL || n == 0), FALSE);
  return frame_transform (frame, PJ_INV, xy, n, error);
}

void
gp_local_frame_get_origin (GpLocalFrame *frame, double *x, double *y)
{
  g_return_if_fail (frame != NULL);

  if (x != NULL)
    *x = frame->origin_x;
  if (y != NULL)
    *y = frame->origin_y;
}

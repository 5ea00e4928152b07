/* gp-map-data.c: turns GpLayers into projected, indexed arrays that a frame can draw quickly. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "gp-error.h"
#include "gp-label-point.h"
#include "gp-map-data-private.h"
#include "gp-shp.h"
#include "gp-style.h"

struct _GpMapData
{
  GObject parent_instance;

  GpMapLayerData layers[GP_MAP_N_LAYERS];
  GStringChunk *strings;
  GpLocalFrame *frame;
  double bbox[4];
  gboolean has_bbox;
  gboolean metric;       /* the drawn coordinates are known to be metres */
  GPtrArray *warnings;
};

G_DEFINE_FINAL_TYPE (GpMapData, gp_map_data, G_TYPE_OBJECT)

/* Field names tried in order, as planners' files and our own project tables spell them. */
static const char *const name_fields[] = { "名称", "name", "XZQMC", "MC", NULL };
static const char *const code_fields[] = { "code", "代码", "编码", "XZQDM", "adcode", NULL };
static const char *const household_fields[] = { "households", "户数", "HH", NULL };
static const char *const parent_fields[] = { "parent_code", "所属社区", "parent", NULL };
static const char *const level_fields[] = { "level", "级别", NULL };
static const char *const status_fields[] = { "status", "状态", NULL };

static void
layer_data_clear (GpMapLayerData *data)
{
  g_clear_pointer (&data->features, g_free);
  g_clear_pointer (&data->xy, g_free);
  g_clear_pointer (&data->part_start, g_free);
  g_clear_pointer (&data->index, gp_spatial_index_free);
  data->n_features = 0;
  data->n_parts = 0;
}

static void
gp_map_data_finalize (GObject *object)
{
  GpMapData *self = GP_MAP_DATA (object);

  for (guint i = 0; i < GP_MAP_N_LAYERS; i++)
    layer_data_clear (&self->layers[i]);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->frame, gp_local_frame_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (gp_map_data_parent_class)->finalize (object);
}

static void
gp_map_data_class_init (GpMapDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_map_data_finalize;
}

static void
gp_map_data_init (GpMapData *self)
{
  self->strings = g_string_chunk_new (4096);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < GP_MAP_N_LAYERS; i++)
    self->layers[i].n_ranks = 1;
}

static int
find_field (GpLayer *layer, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      int index = gp_layer_find_field (layer, names[i]);

      if (index >= 0)
        return index;
    }
  return -1;
}

/* The value as text for a label or a lookup key; NULL when null or not textual. */
static const char *
value_text (GpLayer *layer, const GpFeature *feature, int field, char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  const GpValue *value;

  if (field < 0)
    return NULL;
  value = &feature->values[field];
  if (value->is_null)
    return NULL;
  switch (gp_layer_get_field (layer, field)->type)
    {
    case GP_FIELD_STRING:
      return value->text != NULL && value->text[0] != '\0' ? value->text : NULL;
    case GP_FIELD_INTEGER:
      g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%" G_GINT64_FORMAT, value->integer);
      return buf;
    case GP_FIELD_REAL:
      if (!isfinite (value->real))
        return NULL;
      /* Codes stored as reals (a habit of some DBF writers) must not grow a ".0". */
      if (value->real == floor (value->real) && fabs (value->real) < 1e15)
        g_snprintf (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.0f", value->real);
      else
        g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%g", value->real);
      return buf;
    case GP_FIELD_DATE:
    case GP_FIELD_LOGICAL:
    default:
      return NULL;
    }
}

static gint64
value_integer (GpLayer *layer, const GpFeature *feature, int field)
{
  const GpValue *value;

  if (field < 0)
    return -1;
  value = &feature->values[field];
  if (value->is_null)
    return -1;
  switch (gp_layer_get_field (layer, field)->type)
    {
    case GP_FIELD_INTEGER:
      return value->integer;
    case GP_FIELD_REAL:
      return isfinite (value->real) && fabs (value->real) < 1e15 ? (gint64) llround (value->real) : -1;
    case GP_FIELD_STRING:
      {
        char *end = NULL;
        gint64 n;

        if (value->text == NULL)
          return -1;
        n = g_ascii_strtoll (value->text, &end, 10);
        return end != value->text && *end == '\0' ? n : -1;
      }
    case GP_FIELD_DATE:
    case GP_FIELD_LOGICAL:
    default:
      return -1;
    }
}

/* A frame that works when PROJ cannot give one: equirectangular about the data's centre, good
 * to a fraction of a percent across a county, which is all a picture needs. */
typedef struct {
  double lon0, lat0, kx, ky;
} Equirect;

static void
equirect_forward (const Equirect *e, double *xy, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      xy[2 * i] = (xy[2 * i] - e->lon0) * e->kx;
      xy[2 * i + 1] = (xy[2 * i + 1] - e->lat0) * e->ky;
    }
}

typedef enum {
  PROJECT_NONE,
  PROJECT_FRAME,
  PROJECT_EQUIRECT,
} Projection;

typedef struct {
  Projection how;
  GpLocalFrame *frame;   /* borrowed */
  Equirect equirect;
} Projector;

static void
project_points (const Projector *p, double *xy, gsize n)
{
  g_autoptr(GError) error = NULL;

  switch (p->how)
    {
    case PROJECT_FRAME:
      /* PROJ converts every point it can and leaves HUGE_VAL where it cannot; the failure is
       * about those points only, and build_layer drops the features that hold them. */
      (void) gp_local_frame_forward (p->frame, xy, n, &error);
      break;
    case PROJECT_EQUIRECT:
      equirect_forward (&p->equirect, xy, n);
      break;
    case PROJECT_NONE:
    default:
      break;
    }
}

static double
ring_signed_area (const double *xy, guint start, guint end)
{
  double sum = 0;

  if (end - start < 3)
    return 0;
  for (guint i = start, j = end - 1; i < end; j = i++)
    sum += (xy[2 * j] - xy[2 * i]) * (xy[2 * j + 1] + xy[2 * i + 1]);
  return sum / 2;
}

/* Ranks areas by depth in their parent chain when the layer holds several levels (a township
 * and its villages), else by an explicit numeric level; the coarsest is rank 0. */
static void
rank_features (GpMapData *self, GpLayer *layer, GpMapLayerData *data, const guint *source_index)
{
  int code_field = find_field (layer, code_fields);
  int parent_field = find_field (layer, parent_fields);
  int level_field = find_field (layer, level_fields);
  guint max_rank = 0;

  if (code_field >= 0 && parent_field >= 0)
    {
      g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char **parents = g_new0 (char *, data->n_features);

      for (guint i = 0; i < data->n_features; i++)
        {
          const GpFeature *f = gp_layer_get_feature (layer, source_index[i]);
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          const char *code = value_text (layer, f, code_field, buf);
          const char *parent;

          if (code != NULL)
            g_hash_table_insert (by_code, g_string_chunk_insert_const (self->strings, code),
                                 GUINT_TO_POINTER (i + 1));
          parent = value_text (layer, f, parent_field, buf);
          parents[i] = parent != NULL ? g_string_chunk_insert_const (self->strings, parent) : NULL;
        }
      for (guint i = 0; i < data->n_features; i++)
        {
          guint depth = 0;
          const char *parent = parents[i];

          /* Bounded: a cycle in the codes must not hang the viewer. */
          while (parent != NULL && depth < 8)
            {
              guint p = GPOINTER_TO_UINT (g_hash_table_lookup (by_code, parent));

              if (p == 0 || p - 1 == i)
                break;
              depth++;
              parent = parents[p - 1];
            }
          data->features[i].rank = (guint8) depth;
          max_rank = MAX (max_rank, depth);
        }
    }

  if (max_rank == 0 && level_field >= 0)
    {
      g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree gint64 *values = g_new (gint64, MAX (data->n_features, 1));

      for (guint i = 0; i < data->n_features; i++)
        {
          values[i] = value_integer (layer, gp_layer_get_feature (layer, source_index[i]), level_field);
          if (values[i] < 0)
            continue;
          {
            gboolean seen = FALSE;

            for (guint l = 0; l < levels->len && !seen; l++)
              seen = g_array_index (levels, gint64, l) == values[i];
            if (!seen && levels->len < 8)
              g_array_append_val (levels, values[i]);
          }
        }
      /* Administrative levels count down from the province (1) to the village (5). */
      for (guint i = 0; i < data->n_features; i++)
        {
          guint rank = 0;

          for (guint l = 0; l < levels->len; l++)
            if (values[i] >= 0 && g_array_index (levels, gint64, l) < values[i])
              rank++;
          data->features[i].rank = (guint8) rank;
          max_rank = MAX (max_rank, rank);
        }
    }
  data->n_ranks = max_rank + 1;
}

/* Greedy colouring so that overlapping boxes of the same rank rarely share a tint; boxes
 * overlap wherever polygons touch, so true neighbours always differ when the palette allows. */
static void
colour_features (GpMapLayerData *data)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  guint8 *assigned = g_new0 (guint8, MAX (data->n_features, 1));

  for (guint i = 0; i < data->n_features; i++)
    {
      GpMapFeature *f = &data->features[i];
      guint used = 0;

      if (isnan (f->bbox[0]))
        continue;
      g_array_set_size (hits, 0);
      gp_spatial_index_query (data->index, f->bbox, hits);
      for (guint h = 0; h < hits->len; h++)
        {
          guint j = g_array_index (hits, guint, h);

          if (j != i && assigned[j] && data->features[j].rank == f->rank)
            used |= 1u << data->features[j].fill;
        }
      f->fill = i % GP_STYLE_N_AREA_FILLS;
      for (guint c = 0; c < GP_STYLE_N_AREA_FILLS; c++)
        if ((used & (1u << c)) == 0)
          {
            f->fill = (guint8) c;
            break;
          }
      assigned[i] = TRUE;
    }
  g_free (assigned);
}

static void
build_layer (GpMapData *self, GpLayer *layer, GpMapLayer kind, const Projector *proj)
{
  GpMapLayerData *data = &self->layers[kind];
  guint n = gp_layer_get_n_features (layer);
  g_autoptr(GArray) features = g_array_sized_new (FALSE, TRUE, sizeof (GpMapFeature), n);
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) parts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) source_index = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  g_autofree double *boxes = NULL;
  int name_field = find_field (layer, name_fields);
  int code_field = find_field (layer, code_fields);
  int household_field = find_field (layer, household_fields);
  int status_field = kind == GP_MAP_LAYER_EVENTS ? find_field (layer, status_fields) : -1;
  guint dropped = 0;
  guint zero = 0;

  g_array_append_val (parts, zero);
  for (guint i = 0; i < n; i++)
    {
      const GpFeature *src = gp_layer_get_feature (layer, i);
      const GpShape *shape = src->shape;
      GpMapFeature f = { 0 };
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      const char *text;

      if (shape == NULL || shape->kind == GP_SHAPE_NULL || shape->n_points == 0)
        continue;
      f.kind = shape->kind;
      f.first_part = parts->len - 1;
      f.households = value_integer (layer, src, household_field);
      if ((text = value_text (layer, src, name_field, buf)) != NULL)
        f.name = g_string_chunk_insert_const (self->strings, text);
      if ((text = value_text (layer, src, code_field, buf)) != NULL)
        f.code = g_string_chunk_insert_const (self->strings, text);
      if (status_field >= 0 && (text = value_text (layer, src, status_field, buf)) != NULL)
        f.fill = g_strcmp0 (text, "red") == 0 ? 2 : g_strcmp0 (text, "yellow") == 0 ? 1 : 0;

      g_array_append_vals (xy, shape->xy, 2 * (gsize) shape->n_points);
      if (shape->kind == GP_SHAPE_POINT || shape->kind == GP_SHAPE_MULTIPOINT ||
          shape->n_parts == 0)
        {
          guint end = xy->len / 2;

          g_array_append_val (parts, end);
          f.n_parts = 1;
        }
      else
        {
          guint base = xy->len / 2 - shape->n_points;

          for (guint p = 1; p <= shape->n_parts; p++)
            {
              guint end = base + shape->part_start[p];

              g_array_append_val (parts, end);
            }
          f.n_parts = shape->n_parts;
        }
      g_array_append_val (features, f);
      g_array_append_val (source_index, i);
    }

  data->n_features = features->len;
  data->n_parts = parts->len - 1;
  data->features = (GpMapFeature *) g_array_free (g_steal_pointer (&features), FALSE);
  data->part_start = (guint *) g_array_free (g_steal_pointer (&parts), FALSE);
  data->xy = (double *) g_array_free (g_steal_pointer (&xy), FALSE);
  project_points (proj, data->xy, data->part_start[data->n_parts]);

  boxes = g_new (double, 4 * (gsize) MAX (data->n_features, 1));
  for (guint i = 0; i < data->n_features; i++)
    {
      GpMapFeature *f = &data->features[i];
      const GpShape *shape = gp_layer_get_feature (layer, g_array_index (source_index, guint, i))->shape;
      guint start = data->part_start[f->first_part];
      guint end = data->part_start[f->first_part + f->n_parts];
      double *b = f->bbox;
      gboolean finite = TRUE;

      b[0] = b[1] = G_MAXDOUBLE;
      b[2] = b[3] = -G_MAXDOUBLE;
      for (guint k = start; k < end && finite; k++)
        {
          double x = data->xy[2 * k], y = data->xy[2 * k + 1];

          finite = isfinite (x) && isfinite (y);
          b[0] = MIN (b[0], x);
          b[1] = MIN (b[1], y);
          b[2] = MAX (b[2], x);
          b[3] = MAX (b[3], y);
        }
      if (!finite || end == start)
        {
          /* NaN boxes are never found by the index, so the feature is simply not drawn. */
          b[0] = b[1] = b[2] = b[3] = NAN;
          dropped++;
          memcpy (boxes + 4 * (gsize) i, b, 4 * sizeof (double));
          continue;
        }
      memcpy (boxes + 4 * (gsize) i, b, 4 * sizeof (double));
      f->label_x = (b[0] + b[2]) / 2;
      f->label_y = (b[1] + b[3]) / 2;

      if (f->kind == GP_SHAPE_POLYGON && shape->n_polygons > 0)
        {
          /* The label goes in the largest polygon of a multipolygon. */
          guint base = f->first_part;
          double best = -1;
          guint best_polygon = 0;

          for (guint p = 0; p < shape->n_polygons; p++)
            {
              double a = 0;

              for (guint r = shape->polygon_start[p]; r < shape->polygon_start[p + 1]; r++)
                {
                  double ra = fabs (ring_signed_area (data->xy, data->part_start[base + r],
                                                      data->part_start[base + r + 1]));

                  a += r == shape->polygon_start[p] ? ra : -ra;
                }
              f->area += MAX (a, 0);
              if (a > best)
                {
                  best = a;
                  best_polygon = p;
                }
            }
          {
            guint first_ring = base + shape->polygon_start[best_polygon];
            guint n_rings = shape->polygon_start[best_polygon + 1] - shape->polygon_start[best_polygon];
            double w = b[2] - b[0], h = b[3] - b[1];

            f->label_room = gp_label_point (data->xy, data->part_start, first_ring, n_rings,
                                            MAX (MIN (w, h) / 40.0, 1e-9),
                                            &f->label_x, &f->label_y);
          }
        }
    }

  if (dropped > 0)
    g_ptr_array_add (self->warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s: %u feature could not be placed on the map",
                                                   "%s: %u features could not be placed on the map",
                                                   dropped),
                                      gp_layer_get_name (layer), dropped));

  data->index = gp_spatial_index_new (boxes, data->n_features);
  if (kind == GP_MAP_LAYER_AREAS)
    {
      rank_features (self, layer, data, (const guint *) source_index->data);
      colour_features (data);
    }

  for (guint i = 0; i < data->n_features; i++)
    {
      const double *b = data->features[i].bbox;

      if (isnan (b[0]))
        continue;
      if (!self->has_bbox)
        {
          memcpy (self->bbox, b, sizeof self->bbox);
          self->has_bbox = TRUE;
          continue;
        }
      self->bbox[0] = MIN (self->bbox[0], b[0]);
      self->bbox[1] = MIN (self->bbox[1], b[1]);
      self->bbox[2] = MAX (self->bbox[2], b[2]);
      self->bbox[3] = MAX (self->bbox[3], b[3]);
    }
}

/* ORIGIN (NULL: the centre of the layers) is where the local frame is centred: a project's own. */
static GpMapData *
new_from_layers (GpLayer **layers, GpCrs *crs, const double *origin, GError **error)
{
  g_autoptr(GpMapData) self = g_object_new (GP_TYPE_MAP_DATA, NULL);
  g_autoptr(GpCrs) guessed = NULL;
  double bbox[4] = { 0 };
  gboolean have_bbox = FALSE;
  Projector proj = { PROJECT_NONE, NULL, { 0 } };
  gboolean geographic;

  for (guint i = 0; i < GP_MAP_N_LAYERS; i++)
    {
      double b[4];

      if (layers[i] == NULL)
        continue;
      if (crs == NULL)
        crs = gp_layer_get_crs (layers[i]);
      if (!gp_layer_get_bbox (layers[i], b))
        continue;
      if (!have_bbox)
        memcpy (bbox, b, sizeof bbox);
      bbox[0] = MIN (bbox[0], b[0]);
      bbox[1] = MIN (bbox[1], b[1]);
      bbox[2] = MAX (bbox[2], b[2]);
      bbox[3] = MAX (bbox[3], b[3]);
      have_bbox = TRUE;
    }

  if (have_bbox && crs == NULL && gp_crs_bbox_looks_lonlat (bbox))
    crs = guessed = gp_crs_new_lonlat_guess ();
  geographic = crs != NULL ? gp_crs_is_geographic (crs) : FALSE;

  if (have_bbox && crs != NULL)
    {
      g_autoptr(GError) frame_error = NULL;

      double at[4] = { origin != NULL ? origin[0] : 0.0, origin != NULL ? origin[1] : 0.0,
                       origin != NULL ? origin[0] : 0.0, origin != NULL ? origin[1] : 0.0 };

      self->frame = gp_local_frame_new (crs, origin != NULL ? at : bbox, &frame_error);
      if (self->frame != NULL)
        {
          proj.how = PROJECT_FRAME;
          proj.frame = self->frame;
        }
      else if (geographic)
        {
          double lat0 = (bbox[1] + bbox[3]) / 2;

          proj.how = PROJECT_EQUIRECT;
          proj.equirect.lon0 = (bbox[0] + bbox[2]) / 2;
          proj.equirect.lat0 = lat0;
          proj.equirect.ky = 6371008.8 * G_PI / 180.0;
          proj.equirect.kx = proj.equirect.ky * cos (CLAMP (lat0, -89.0, 89.0) * G_PI / 180.0);
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("The map is drawn in an approximate projection: %s"),
                                            frame_error->message));
        }
      else
        g_ptr_array_add (self->warnings,
                         g_strdup_printf (_("The map is drawn in stored coordinates: %s"),
                                          frame_error->message));
    }

  self->metric = proj.how != PROJECT_NONE || (crs != NULL && !geographic);
  if (have_bbox && crs == NULL && !self->metric)
    g_ptr_array_add (self->warnings,
                     g_strdup (_("No coordinate system is known and the coordinates are not "
                                 "longitude and latitude: the map is drawn as stored, without a scale")));

  for (guint i = 0; i < GP_MAP_N_LAYERS; i++)
    if (layers[i] != NULL)
      {
        build_layer (self, layers[i], i, &proj);
        for (guint w = 0; w < gp_layer_get_warnings (layers[i])->len; w++)
          g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (gp_layer_get_warnings (layers[i]), w)));
      }

  return g_steal_pointer (&self);
}

GpMapData *
gp_map_data_new_from_layers (GpLayer *areas, GpLayer *units, GpLayer *households, GpLayer *grids,
                             GError **error)
{
  GpLayer *layers[GP_MAP_N_LAYERS] = { areas, units, households, grids };

  g_return_val_if_fail (areas == NULL || GP_IS_LAYER (areas), NULL);
  g_return_val_if_fail (units == NULL || GP_IS_LAYER (units), NULL);
  g_return_val_if_fail (households == NULL || GP_IS_LAYER (households), NULL);
  g_return_val_if_fail (grids == NULL || GP_IS_LAYER (grids), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return new_from_layers (layers, NULL, NULL, error);
}

GpMapData *
gp_map_data_new_from_project (GpProject *project, GError **error)
{
  static const char *const tables[GP_MAP_N_LAYERS] = { "areas", "units", "households", "grids", "events", "people" };
  GpLayer *layers[GP_MAP_N_LAYERS] = { NULL };
  GpMapData *data = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < GP_MAP_N_LAYERS && ok; i++)
    {
      gint64 count = gp_project_count (project, tables[i], error);

      if (count < 0)
        ok = FALSE;
      else if (count > 0)
        ok = (layers[i] = gp_project_load_layer (project, tables[i], error)) != NULL;
    }
  if (ok)
    {
      double origin[2];
      gboolean stored = gp_project_get_frame_origin (project, &origin[0], &origin[1]);

      data = new_from_layers (layers, gp_project_get_crs (project), stored ? origin : NULL, error);
    }
  for (guint i = 0; i < GP_MAP_N_LAYERS; i++)
    g_clear_object (&layers[i]);
  return data;
}

GpMapData *
gp_map_data_new_from_shapefile (const char *path, GError **error)
{
  g_autoptr(GpLayer) layer = NULL;
  GpLayer *layers[GP_MAP_N_LAYERS] = { NULL };
  GpGeometryType type;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  layer = gp_shp_read (path, NULL, GP_SHP_READ_DEFAULT, error);
  if (layer == NULL)
    return NULL;
  type = gp_layer_get_geometry_type (layer);
  if (type == GP_GEOMETRY_TYPE_POINT || type == GP_GEOMETRY_TYPE_POINTZ ||
      type == GP_GEOMETRY_TYPE_POINTM || type == GP_GEOMETRY_TYPE_MULTIPOINT ||
      type == GP_GEOMETRY_TYPE_MULTIPOINTZ || type == GP_GEOMETRY_TYPE_MULTIPOINTM)
    layers[GP_MAP_LAYER_HOUSEHOLDS] = layer;
  else
    layers[GP_MAP_LAYER_AREAS] = layer;
  return new_from_layers (layers, NULL, NULL, error);
}

gboolean
gp_map_data_get_bbox (GpMapData *self, double bbox[4])
{
  g_return_val_if_fail (GP_IS_MAP_DATA (self), FALSE);
  g_return_val_if_fail (bbox != NULL, FALSE);

  if (!self->has_bbox)
    return FALSE;
  memcpy (bbox, self->bbox, sizeof self->bbox);
  return TRUE;
}

gboolean
gp_map_data_get_feature_bbox (GpMapData *self, GpMapLayer layer, const char *code, double bbox[4])
{
  const GpMapLayerData *d;
  gboolean found = FALSE;

  g_return_val_if_fail (GP_IS_MAP_DATA (self), FALSE);
  g_return_val_if_fail (layer < GP_MAP_N_LAYERS && code != NULL, FALSE);
  d = gp_map_data_get_layer (self, layer);
  for (guint i = 0; d != NULL && i < d->n_features; i++)
    {
      const GpMapFeature *f = &d->features[i];

      if (g_strcmp0 (f->code, code) != 0)
        continue;
      if (!found)
        memcpy (bbox, f->bbox, sizeof f->bbox);
      else
        {
          bbox[0] = MIN (bbox[0], f->bbox[0]);
          bbox[1] = MIN (bbox[1], f->bbox[1]);
          bbox[2] = MAX (bbox[2], f->bbox[2]);
          bbox[3] = MAX (bbox[3], f->bbox[3]);
        }
      found = TRUE;
    }
  return found;
}

gboolean
gp_map_data_get_feature_info (GpMapData *self, GpMapLayer layer, const char *code, const char **name,
                              gint64 *households)
{
  const GpMapLayerData *d;

  g_return_val_if_fail (GP_IS_MAP_DATA (self), FALSE);
  g_return_val_if_fail (layer < GP_MAP_N_LAYERS && code != NULL, FALSE);
  d = gp_map_data_get_layer (self, layer);
  for (guint i = 0; d != NULL && i < d->n_features; i++)
    if (g_strcmp0 (d->features[i].code, code) == 0)
      {
        if (name != NULL)
          *name = d->features[i].name;
        if (households != NULL)
          *households = d->features[i].households;
        return TRUE;
      }
  return FALSE;
}

guint
gp_map_data_get_n_features (GpMapData *self, GpMapLayer layer)
{
  g_return_val_if_fail (GP_IS_MAP_DATA (self), 0);
  g_return_val_if_fail (layer < GP_MAP_N_LAYERS, 0);

  return self->layers[layer].n_features;
}

GpLocalFrame *
gp_map_data_get_frame (GpMapData *self)
{
  g_return_val_if_fail (GP_IS_MAP_DATA (self), NULL);
  return self->frame;
}

gboolean
gp_map_data_is_metric (GpMapData *self)
{
  g_return_val_if_fail (GP_IS_MAP_DATA (self), FALSE);
  return self->metric;
}

GPtrArray *
gp_map_data_get_warnings (GpMapData *self)
{
  g_return_val_if_fail (GP_IS_MAP_DATA (self), NULL);
  return self->warnings;
}

const GpMapLayerData *
gp_map_data_get_layer (GpMapData *self, GpMapLayer layer)
{
  g_return_val_if_fail (GP_IS_MAP_DATA (self), NULL);
  g_return_val_if_fail (layer < GP_MAP_N_LAYERS, NULL);

  return &self->layers[layer];
}

/* Even-odd crossing test over every ring of feature F. */
static gboolean
feature_contains (const GpMapLayerData *d, const GpMapFeature *f, double x, double y)
{
  gboolean inside = FALSE;

  for (guint p = f->first_part; p < f->first_part + f->n_parts; p++)
    {
      const double *xy = d->xy + 2 * d->part_start[p];
      guint n = d->part_start[p + 1] - d->part_start[p];

      for (guint i = 0, j = n - 1; n > 0 && i < n; j = i++)
        if ((xy[2 * i + 1] > y) != (xy[2 * j + 1] > y)
            && x < (xy[2 * j] - xy[2 * i]) * (y - xy[2 * i + 1]) / (xy[2 * j + 1] - xy[2 * i + 1]) + xy[2 * i])
          inside = !inside;
    }
  return inside;
}

const char *
gp_map_data_find_at (GpMapData *self, GpMapLayer layer, double x, double y)
{
  const GpMapLayerData *d;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  const GpMapFeature *best = NULL;
  double at[4] = { x, y, x, y };

  g_return_val_if_fail (GP_IS_MAP_DATA (self), NULL);
  d = gp_map_data_get_layer (self, layer);
  if (d == NULL || d->index == NULL)
    return NULL;
  gp_spatial_index_query (d->index, at, hits);
  for (guint h = 0; h < hits->len; h++)
    {
      const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

      if (f->kind != GP_SHAPE_POLYGON || f->code == NULL || (best != NULL && f->area >= best->area))
        continue;
      if (feature_contains (d, f, x, y))
        best = f;
    }
  return best != NULL ? best->code : NULL;
}

static int
compare_guint (const void *a, const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

GPtrArray *
gp_map_data_find_in_box (GpMapData *self, GpMapLayer layer, const double box[4])
{
  GPtrArray *codes = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  const GpMapLayerData *d;
  double b[4];

  g_return_val_if_fail (GP_IS_MAP_DATA (self) && box != NULL, codes);
  d = gp_map_data_get_layer (self, layer);
  if (d == NULL || d->index == NULL)
    return codes;
  b[0] = MIN (box[0], box[2]);
  b[1] = MIN (box[1], box[3]);
  b[2] = MAX (box[0], box[2]);
  b[3] = MAX (box[1], box[3]);
  gp_spatial_index_query (d->index, b, hits);
  /* In the layer's order, whatever order the index gives. */
  if (hits->len > 1)
    qsort (hits->data, hits->len, sizeof (guint), compare_guint);
  for (guint h = 0; h < hits->len; h++)
    {
      const GpMapFeature *f = &d->features[g_array_index (hits, guint, h)];

      if (f->kind != GP_SHAPE_POLYGON || f->code == NULL || f->label_x < b[0] || f->label_x > b[2]
          || f->label_y < b[1] || f->label_y > b[3] || !g_hash_table_add (seen, (gpointer) f->code))
        continue;
      g_ptr_array_add (codes, (gpointer) f->code);
    }
  return codes;
}

gboolean
gp_map_data_trace_feature (GpMapData *self, GpMapLayer layer, const char *code, GpViewport *viewport, cairo_t *cr)
{
  const GpMapLayerData *d;
  gboolean any = FALSE;

  g_return_val_if_fail (GP_IS_MAP_DATA (self) && code != NULL && cr != NULL, FALSE);
  d = gp_map_data_get_layer (self, layer);
  for (guint i = 0; d != NULL && i < d->n_features; i++)
    {
      const GpMapFeature *f = &d->features[i];

      if (f->kind != GP_SHAPE_POLYGON || g_strcmp0 (f->code, code) != 0)
        continue;
      for (guint p = f->first_part; p < f->first_part + f->n_parts; p++)
        {
          const double *xy = d->xy + 2 * d->part_start[p];
          guint n = d->part_start[p + 1] - d->part_start[p];

          for (guint k = 0; k < n; k++)
            {
              double sx, sy;

              gp_viewport_to_screen (viewport, xy[2 * k], xy[2 * k + 1], &sx, &sy);
              if (k == 0)
                cairo_move_to (cr, sx, sy);
              else
                cairo_line_to (cr, sx, sy);
            }
          cairo_close_path (cr);
        }
      any = TRUE;
    }
  return any;
}

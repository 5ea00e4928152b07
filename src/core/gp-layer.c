/* gp-layer.c: an in-memory feature table, the currency between readers, writers and the store. */
#include "gp-layer.h"

struct _GpLayer
{
  GObject parent_instance;

  char *name;
  char *source_path;
  char *encoding;
  GpGeometryType geometry_type;
  GpCrs *crs;
  GPtrArray *fields;      /* of GpField* */
  GPtrArray *features;    /* of GpFeature* */
  GStringChunk *texts;
  GPtrArray *warnings;    /* of char* */
  guint invalid_geometries;
};

G_DEFINE_FINAL_TYPE (GpLayer, gp_layer, G_TYPE_OBJECT)

static void
field_free (gpointer data)
{
  GpField *field = data;

  g_free (field->name);
  g_free (field);
}

static void
feature_free (gpointer data)
{
  GpFeature *feature = data;

  gp_shape_free (feature->shape);
  g_free (feature->values);
  g_free (feature);
}

static void
gp_layer_finalize (GObject *object)
{
  GpLayer *self = GP_LAYER (object);

  g_free (self->name);
  g_free (self->source_path);
  g_free (self->encoding);
  g_clear_object (&self->crs);
  g_ptr_array_unref (self->fields);
  g_ptr_array_unref (self->features);
  g_string_chunk_free (self->texts);
  g_ptr_array_unref (self->warnings);

  G_OBJECT_CLASS (gp_layer_parent_class)->finalize (object);
}

static void
gp_layer_class_init (GpLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_layer_finalize;
}

static void
gp_layer_init (GpLayer *self)
{
  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->features = g_ptr_array_new_with_free_func (feature_free);
  self->texts = g_string_chunk_new (64 * 1024);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
}

GpLayer *
gp_layer_new (const char *name)
{
  GpLayer *self = g_object_new (GP_TYPE_LAYER, NULL);

  self->name = g_strdup (name != NULL ? name : "");
  return self;
}

const char *
gp_layer_get_name (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  return self->name;
}

const char *
gp_layer_get_source_path (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  return self->source_path;
}

void
gp_layer_set_source_path (GpLayer *self, const char *path)
{
  g_return_if_fail (GP_IS_LAYER (self));
  g_free (self->source_path);
  self->source_path = g_strdup (path);
}

guint
gp_layer_add_field (GpLayer *self, const char *name, GpFieldType type, int width, int decimals)
{
  GpField *field;

  g_return_val_if_fail (GP_IS_LAYER (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (self->features->len == 0, 0);

  field = g_new0 (GpField, 1);
  /* A layer's text is UTF-8, whatever a damaged file held: labels, JSON and workbooks rely on it. */
  field->name = g_utf8_make_valid (name, -1);
  field->type = type;
  field->width = width;
  field->decimals = decimals;
  g_ptr_array_add (self->fields, field);
  return self->fields->len - 1;
}

guint
gp_layer_get_n_fields (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), 0);
  return self->fields->len;
}

const GpField *
gp_layer_get_field (GpLayer *self, guint index)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);
  return g_ptr_array_index (self->fields, index);
}

int
gp_layer_find_field (GpLayer *self, const char *name)
{
  g_return_val_if_fail (GP_IS_LAYER (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const GpField *field = g_ptr_array_index (self->fields, i);

      if (g_ascii_strcasecmp (field->name, name) == 0)
        return (int) i;
    }
  return -1;
}

GpFeature *
gp_layer_append (GpLayer *self, GpShape *shape, guint record)
{
  GpFeature *feature;

  g_return_val_if_fail (GP_IS_LAYER (self), NULL);

  feature = g_new0 (GpFeature, 1);
  feature->shape = shape;
  feature->record = record;
  feature->values = g_new0 (GpValue, self->fields->len + 1);
  for (guint i = 0; i < self->fields->len; i++)
    feature->values[i].is_null = TRUE;
  g_ptr_array_add (self->features, feature);
  return feature;
}

guint
gp_layer_get_n_features (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), 0);
  return self->features->len;
}

GpFeature *
gp_layer_get_feature (GpLayer *self, guint index)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  g_return_val_if_fail (index < self->features->len, NULL);
  return g_ptr_array_index (self->features, index);
}

void
gp_layer_set_shape (GpLayer *self, GpFeature *feature, GpShape *shape)
{
  g_return_if_fail (GP_IS_LAYER (self));
  g_return_if_fail (feature != NULL);

  if (feature->shape != shape)
    gp_shape_free (feature->shape);
  feature->shape = shape;
}

const char *
gp_layer_intern (GpLayer *self, const char *text)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  if (text == NULL)
    return NULL;
  if (G_UNLIKELY (!g_utf8_validate (text, -1, NULL)))
    {
      /* Bytes that are no UTF-8 (a damaged project, a mislabelled file) become U+FFFD. */
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      return g_string_chunk_insert (self->texts, valid);
    }
  return g_string_chunk_insert (self->texts, text);
}

void
gp_feature_set_text (GpLayer *self, GpFeature *feature, guint field, const char *text)
{
  g_return_if_fail (GP_IS_LAYER (self));
  g_return_if_fail (feature != NULL && field < self->fields->len);

  feature->values[field].is_null = (text == NULL);
  feature->values[field].text = gp_layer_intern (self, text);
}

GpGeometryType
gp_layer_get_geometry_type (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), GP_GEOMETRY_TYPE_NULL);
  return self->geometry_type;
}

void
gp_layer_set_geometry_type (GpLayer *self, GpGeometryType type)
{
  g_return_if_fail (GP_IS_LAYER (self));
  self->geometry_type = type;
}

GpCrs *
gp_layer_get_crs (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  return self->crs;
}

void
gp_layer_set_crs (GpLayer *self, GpCrs *crs)
{
  g_return_if_fail (GP_IS_LAYER (self));
  g_set_object (&self->crs, crs);
}

const char *
gp_layer_get_encoding (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  return self->encoding;
}

void
gp_layer_set_encoding (GpLayer *self, const char *encoding)
{
  g_return_if_fail (GP_IS_LAYER (self));
  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
}

gboolean
gp_layer_get_bbox (GpLayer *self, double bbox[4])
{
  gboolean found = FALSE;

  g_return_val_if_fail (GP_IS_LAYER (self), FALSE);

  for (guint i = 0; i < self->features->len; i++)
    {
      GpFeature *feature = g_ptr_array_index (self->features, i);
      double b[4];

      if (!gp_shape_get_bbox (feature->shape, b))
        continue;
      if (!found)
        {
          bbox[0] = b[0], bbox[1] = b[1], bbox[2] = b[2], bbox[3] = b[3];
          found = TRUE;
          continue;
        }
      bbox[0] = MIN (bbox[0], b[0]);
      bbox[1] = MIN (bbox[1], b[1]);
      bbox[2] = MAX (bbox[2], b[2]);
      bbox[3] = MAX (bbox[3], b[3]);
    }
  return found;
}

guint
gp_layer_get_null_geometries (GpLayer *self)
{
  guint count = 0;

  g_return_val_if_fail (GP_IS_LAYER (self), 0);

  for (guint i = 0; i < self->features->len; i++)
    {
      GpFeature *feature = g_ptr_array_index (self->features, i);

      if (feature->shape == NULL || feature->shape->kind == GP_SHAPE_NULL)
        count++;
    }
  return count;
}

guint
gp_layer_get_invalid_geometries (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), 0);
  return self->invalid_geometries;
}

void
gp_layer_set_invalid_geometries (GpLayer *self, guint count)
{
  g_return_if_fail (GP_IS_LAYER (self));
  self->invalid_geometries = count;
}

void
gp_layer_add_warning (GpLayer *self, const char *format, ...)
{
  va_list args;

  g_return_if_fail (GP_IS_LAYER (self));

  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

GPtrArray *
gp_layer_get_warnings (GpLayer *self)
{
  g_return_val_if_fail (GP_IS_LAYER (self), NULL);
  return self->warnings;
}

const char *
gp_geometry_type_name (GpGeometryType type)
{
  switch (type)
    {
    case GP_GEOMETRY_TYPE_NULL: return "Null";
    case GP_GEOMETRY_TYPE_POINT: return "Point";
    case GP_GEOMETRY_TYPE_POLYLINE: return "PolyLine";
    case GP_GEOMETRY_TYPE_POLYGON: return "Polygon";
    case GP_GEOMETRY_TYPE_MULTIPOINT: return "MultiPoint";
    case GP_GEOMETRY_TYPE_POINTZ: return "PointZ";
    case GP_GEOMETRY_TYPE_POLYLINEZ: return "PolyLineZ";
    case GP_GEOMETRY_TYPE_POLYGONZ: return "PolygonZ";
    case GP_GEOMETRY_TYPE_MULTIPOINTZ: return "MultiPointZ";
    case GP_GEOMETRY_TYPE_POINTM: return "PointM";
    case GP_GEOMETRY_TYPE_POLYLINEM: return "PolyLineM";
    case GP_GEOMETRY_TYPE_POLYGONM: return "PolygonM";
    case GP_GEOMETRY_TYPE_MULTIPOINTM: return "MultiPointM";
    case GP_GEOMETRY_TYPE_MULTIPATCH: return "MultiPatch";
    default: return "Unknown";
    }
}

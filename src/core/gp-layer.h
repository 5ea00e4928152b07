/* gp-layer.h: an in-memory table of features (shape + typed attributes) in record order. */
#pragma once

#include <glib-object.h>

#include "gp-crs.h"
#include "gp-shape.h"

G_BEGIN_DECLS

typedef enum {
  GP_FIELD_STRING,
  GP_FIELD_INTEGER,
  GP_FIELD_REAL,
  GP_FIELD_DATE,
  GP_FIELD_LOGICAL,
} GpFieldType;

typedef struct {
  char *name;          /* UTF-8 */
  GpFieldType type;
  int width;           /* DBF width, 0 when unknown */
  int decimals;        /* DBF decimals */
} GpField;

typedef struct {
  guint16 year;
  guint8 month;
  guint8 day;
} GpDate;

/* The value's type is its field's type. Text lives in the layer (gp_layer_intern). */
typedef struct {
  gboolean is_null;
  union {
    const char *text;
    gint64 integer;
    double real;
    gboolean logical;
    GpDate date;
  };
} GpValue;

typedef struct {
  GpShape *shape;      /* owned by the layer; NULL for a null geometry */
  GpValue *values;     /* one per field, owned by the layer */
  guint record;        /* 0-based record index in the source file */
} GpFeature;

/* The source geometry type, named as shapefiles name them. */
typedef enum {
  GP_GEOMETRY_TYPE_NULL = 0,
  GP_GEOMETRY_TYPE_POINT = 1,
  GP_GEOMETRY_TYPE_POLYLINE = 3,
  GP_GEOMETRY_TYPE_POLYGON = 5,
  GP_GEOMETRY_TYPE_MULTIPOINT = 8,
  GP_GEOMETRY_TYPE_POINTZ = 11,
  GP_GEOMETRY_TYPE_POLYLINEZ = 13,
  GP_GEOMETRY_TYPE_POLYGONZ = 15,
  GP_GEOMETRY_TYPE_MULTIPOINTZ = 18,
  GP_GEOMETRY_TYPE_POINTM = 21,
  GP_GEOMETRY_TYPE_POLYLINEM = 23,
  GP_GEOMETRY_TYPE_POLYGONM = 25,
  GP_GEOMETRY_TYPE_MULTIPOINTM = 28,
  GP_GEOMETRY_TYPE_MULTIPATCH = 31,
} GpGeometryType;

const char    *gp_geometry_type_name (GpGeometryType type);  /* "Polygon", "PolyLineZ", ... */

#define GP_TYPE_LAYER (gp_layer_get_type ())
G_DECLARE_FINAL_TYPE (GpLayer, gp_layer, GP, LAYER, GObject)

GpLayer       *gp_layer_new               (const char *name);
const char    *gp_layer_get_name          (GpLayer *self);
const char    *gp_layer_get_source_path   (GpLayer *self);
void           gp_layer_set_source_path   (GpLayer *self, const char *path);

guint          gp_layer_add_field         (GpLayer *self, const char *name, GpFieldType type,
                                           int width, int decimals);
guint          gp_layer_get_n_fields      (GpLayer *self);
const GpField *gp_layer_get_field         (GpLayer *self, guint index);
/* Index of the field with this name (ASCII case-insensitive), or -1. */
int            gp_layer_find_field        (GpLayer *self, const char *name);

/* Appends a feature whose values all start NULL; takes ownership of shape (may be NULL).
 * Fields must all be added before the first feature. */
GpFeature     *gp_layer_append            (GpLayer *self, GpShape *shape, guint record);
guint          gp_layer_get_n_features    (GpLayer *self);
GpFeature     *gp_layer_get_feature       (GpLayer *self, guint index);
/* Replaces a feature's shape (takes ownership; frees the old one). */
void           gp_layer_set_shape         (GpLayer *self, GpFeature *feature, GpShape *shape);
/* Stores a copy of text that lives as long as the layer (for GpValue.text). */
const char    *gp_layer_intern            (GpLayer *self, const char *text);
void           gp_feature_set_text        (GpLayer *self, GpFeature *feature, guint field, const char *text);

GpGeometryType gp_layer_get_geometry_type (GpLayer *self);
void           gp_layer_set_geometry_type (GpLayer *self, GpGeometryType type);
GpCrs         *gp_layer_get_crs           (GpLayer *self);   /* may be NULL: unknown */
void           gp_layer_set_crs           (GpLayer *self, GpCrs *crs);
const char    *gp_layer_get_encoding      (GpLayer *self);   /* "UTF-8", "GBK", ... or NULL */
void           gp_layer_set_encoding      (GpLayer *self, const char *encoding);
/* The bbox of all shapes; FALSE when there is none. */
gboolean       gp_layer_get_bbox          (GpLayer *self, double bbox[4]);
guint          gp_layer_get_null_geometries    (GpLayer *self);
guint          gp_layer_get_invalid_geometries (GpLayer *self);
void           gp_layer_set_invalid_geometries (GpLayer *self, guint count);

/* Warnings met while reading (skipped records, repairs, guesses), in the user's language. */
void           gp_layer_add_warning       (GpLayer *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
GPtrArray     *gp_layer_get_warnings      (GpLayer *self);  /* of char*, transfer none */

G_END_DECLS

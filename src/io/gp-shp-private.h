/* gp-shp-private.h: the parts of the shapefile reader and writer that share nothing with callers. */
#pragma once

#include <shapefil.h>
#include <string.h>

#include "gp-layer.h"

G_BEGIN_DECLS

/* Byte order helpers for headers read straight from mapped files. */
static inline guint32
gp_shp_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline guint32
gp_shp_le32 (const guint8 *p)
{
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

static inline double
gp_shp_le_double (const guint8 *p)
{
  guint64 bits = 0;
  double value;

  for (int i = 7; i >= 0; i--)
    bits = (bits << 8) | p[i];
  memcpy (&value, &bits, sizeof value);
  return value;
}

/* gp-shp-mem.c: shapelib reads our mapped (or rebuilt) bytes through these hooks, so that a
 * rebuilt .shx never touches the disk and every read is a bounds-checked memcpy. */
void   gp_shp_mem_setup_hooks (SAHooks *hooks);
/* A fresh base name ("/gridplan-mem/17/layer") under which files can be published. */
char  *gp_shp_mem_new_base    (void);
/* Makes BYTES openable by shapelib as BASE + SUFFIX (".shp", ".shx", ".dbf"). */
void   gp_shp_mem_publish     (const char *base, const char *suffix, GBytes *bytes);
void   gp_shp_mem_withdraw    (const char *base, const char *suffix);

/* gp-shp-geom.c: records checked from their raw bytes, then SHPObject → GpShape. */
gboolean gp_shp_type_is_known   (int type);
GpGeometryType gp_shp_geometry_type (int type);
/* NULL when the record is sound for a file of LAYER_TYPE, else what is wrong: its structure,
 * then its coordinates (numbers, not absurdly far, inside its own bounding box and inside
 * FILE_BOX, the header's, unless NULL): damage inside coordinate data shows there. */
char    *gp_shp_check_record    (const guint8 *content, gsize length, int layer_type, const double *file_box);
/* The record's structure only (sizes, parts), without looking at its coordinates. */
char    *gp_shp_check_structure (const guint8 *content, gsize length, int layer_type);
/* Converts OBJECT; *shape is NULL for a null or empty record. FALSE (and *problem) when a
 * coordinate is not a finite number. */
gboolean gp_shp_shape_from_object (const SHPObject *object, GpShape **shape, char **problem);

/* gp-shp-dbf.c: the attribute table, decoded to UTF-8 at the edge. */
typedef struct _GpShpTable GpShpTable;

/* Opens the .dbf at PATH (BYTES are its contents), picks its encoding (ENCODING if given,
 * else CPG_PATH's .cpg, else the LDID byte, else detection), adds its fields to LAYER and
 * reports what it had to guess or forgive as LAYER warnings. */
GpShpTable *gp_shp_table_open      (const char *path, GBytes *bytes, const char *cpg_path,
                                    const char *encoding, GpLayer *layer, GError **error);
guint       gp_shp_table_get_n_records (GpShpTable *table);
const char *gp_shp_table_get_encoding  (GpShpTable *table);
/* Fills FEATURE's values from RECORD. FALSE when the record cannot be read. */
gboolean    gp_shp_table_read_row  (GpShpTable *table, GpLayer *layer, GpFeature *feature,
                                    guint record);
/* Adds the warnings that summarise the whole table (undecodable text, unreadable numbers). */
void        gp_shp_table_finish    (GpShpTable *table, GpLayer *layer);
void        gp_shp_table_free      (GpShpTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpShpTable, gp_shp_table_free)

G_END_DECLS

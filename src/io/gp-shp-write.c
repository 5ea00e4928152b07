/* gp-shp-write.c: writing a layer as a shapefile (.shp/.shx/.dbf/.cpg/.prj), all files or none. */
#include "gp-config.h"

#include "gp-shp.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "gp-error.h"
#include "gp-output.h"
#include "gp-shp-private.h"

/* dBASE text fields hold at most 254 bytes (255 is tolerated, but not by everyone). */
#define MAX_TEXT_WIDTH 254
#define MAX_NAME_BYTES 10
/* A measure below -10^38 is "no data" in the shapefile specification. */
#define NO_MEASURE -1e39

static const char *const written_exts[] = { "shp", "shx", "dbf", "cpg", "prj" };
/* Indexes of the old file that would describe the wrong records after an overwrite. */
static const char *const stale_exts[] = { "sbn", "sbx", "qix", "SBN", "SBX", "QIX" };

/* shapelib reports write failures through its Error hook; the last one is kept per thread. */
static GPrivate write_error_key = G_PRIVATE_INIT (g_free);

static void
write_error_hook (const char *message)
{
  g_private_replace (&write_error_key, g_strdup (message));
}

typedef struct {
  char name[MAX_NAME_BYTES * 2 + 1];
  GpFieldType type;
  char dbf_type;
  int width;
  int decimals;
} OutField;

typedef struct {
  GpLayer *layer;
  const char *path;
  int type;
  SHPHandle shp;
  DBFHandle dbf;
  OutField *fields;
  guint n_fields;
  gboolean fid_only;      /* a layer without fields gets a record-number field */
  gboolean gbk;           /* text and names in GBK (for old software), else UTF-8 */
  guint truncated;
  GArray *x, *y, *z, *m;  /* of double, reused for every shape */
  GArray *parts, *part_types;
} Writer;

static int
base_type (int type)
{
  switch (type)
    {
    case SHPT_POINTZ: case SHPT_POINTM: return SHPT_POINT;
    case SHPT_ARCZ: case SHPT_ARCM: return SHPT_ARC;
    case SHPT_POLYGONZ: case SHPT_POLYGONM: return SHPT_POLYGON;
    case SHPT_MULTIPOINTZ: case SHPT_MULTIPOINTM: return SHPT_MULTIPOINT;
    default: return type;
    }
}

static gboolean
type_has_z (int type)
{
  return type == SHPT_POINTZ || type == SHPT_ARCZ || type == SHPT_POLYGONZ
         || type == SHPT_MULTIPOINTZ || type == SHPT_MULTIPATCH;
}

static gboolean
type_has_m (int type)
{
  return type == SHPT_POINTM || type == SHPT_ARCM || type == SHPT_POLYGONM
         || type == SHPT_MULTIPOINTM;
}

static const char *
kind_name (GpShapeKind kind)
{
  switch (kind)
    {
    case GP_SHAPE_POINT: return "Point";
    case GP_SHAPE_MULTIPOINT: return "MultiPoint";
    case GP_SHAPE_LINE: return "LineString";
    case GP_SHAPE_POLYGON: return "Polygon";
    case GP_SHAPE_NULL:
    default: return "Null";
    }
}

/* The layer's own type, or the one its first shape calls for when the layer has none. */
static int
choose_type (GpLayer *layer)
{
  GpGeometryType type = gp_layer_get_geometry_type (layer);
  guint n = gp_layer_get_n_features (layer);

  if (type != GP_GEOMETRY_TYPE_NULL)
    return (int) type;
  for (guint i = 0; i < n; i++)
    {
      const GpShape *shape = gp_layer_get_feature (layer, i)->shape;
      int base;

      if (gp_shape_is_empty (shape))
        continue;
      switch (shape->kind)
        {
        case GP_SHAPE_POINT: base = SHPT_POINT; break;
        case GP_SHAPE_MULTIPOINT: base = SHPT_MULTIPOINT; break;
        case GP_SHAPE_LINE: base = SHPT_ARC; break;
        case GP_SHAPE_POLYGON: base = SHPT_POLYGON; break;
        case GP_SHAPE_NULL:
        default: continue;
        }
      if (shape->flags & GP_SHAPE_HAS_Z)
        return base + 10;
      if (shape->flags & GP_SHAPE_HAS_M)
        return base + 20;
      return base;
    }
  return SHPT_NULL;
}

/* Cuts UTF-8 TEXT to at most MAX bytes without splitting a character. */
static gsize
utf8_prefix (const char *text, gsize max)
{
  gsize n = strlen (text);

  if (n <= max)
    return n;
  n = max;
  while (n > 0 && ((guchar) text[n] & 0xC0) == 0x80)
    n--;
  return n;
}

/* TEXT as the .dbf stores it (UTF-8, or GBK with "?" for what GBK lacks), cut to at most MAX
 * bytes at a character boundary (GBK: a byte from 0x81 starts a two-byte character). Returns
 * the bytes (newly allocated, NUL-terminated) and sets CUT when something was left out. */
static char *
dbf_text (const Writer *writer, const char *text, gsize max, gboolean *cut)
{
  g_autofree char *bytes = NULL;
  gsize n, k = 0;

  if (!writer->gbk)
    {
      n = utf8_prefix (text, max);
      *cut = n < strlen (text);
      return g_strndup (text, n);
    }
  bytes = g_convert_with_fallback (text, -1, "GBK", "UTF-8", "?", NULL, NULL, NULL);
  if (bytes == NULL)
    bytes = g_strdup ("?");
  n = strlen (bytes);
  while (k < n)
    {
      gsize step = (guchar) bytes[k] >= 0x81 && k + 1 < n ? 2 : 1;

      if (k + step > max)
        break;
      k += step;
    }
  *cut = k < n;
  return g_strndup (bytes, k);
}

/* BYTES (as dbf_text gives them) back in UTF-8, for messages. */
static char *
shown_text (const Writer *writer, const char *bytes)
{
  char *text = writer->gbk ? g_convert (bytes, -1, "UTF-8", "GBK", NULL, NULL, NULL) : NULL;

  return text != NULL ? text : g_strdup (bytes);
}

static void
format_real (double value, char *buffer, gsize size)
{
  /* The shortest form that reads back as the same double. */
  g_ascii_formatd (buffer, size, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    g_ascii_formatd (buffer, size, "%.17g", value);
}

static int
fraction_digits (const char *number)
{
  const char *dot = strchr (number, '.');

  if (dot == NULL)
    return 0;
  return (int) strspn (dot + 1, "0123456789");
}

/* Field names of at most 10 bytes (in the .dbf's encoding: five Chinese characters in GBK, three
 * in UTF-8), cut at a character boundary and unique regardless of case, as dBASE needs them;
 * every rename is said in a warning. */
static void
plan_name (Writer *writer, guint index, const char *name)
{
  OutField *field = &writer->fields[index];
  gboolean cut;
  g_autofree char *bytes = dbf_text (writer, name, MAX_NAME_BYTES, &cut);
  g_autofree char *shown = NULL;

  g_strlcpy (field->name, bytes, sizeof field->name);
  if (field->name[0] == '\0')
    g_snprintf (field->name, sizeof field->name, "FIELD_%u", index + 1);

  for (guint k = 2;; k++)
    {
      gboolean taken = FALSE;

      for (guint j = 0; j < index && !taken; j++)
        taken = g_ascii_strcasecmp (writer->fields[j].name, field->name) == 0;
      if (!taken)
        break;
      {
        char suffix[16];
        g_autofree char *keep = NULL;

        g_snprintf (suffix, sizeof suffix, "_%u", k);
        keep = dbf_text (writer, name, MAX_NAME_BYTES - strlen (suffix), &cut);
        g_snprintf (field->name, sizeof field->name, "%s%s", keep, suffix);
      }
    }
  shown = shown_text (writer, field->name);
  if (strcmp (shown, name) != 0)
    gp_layer_add_warning (writer->layer, _("%s: field “%s” is written as “%s”"), writer->path, name, shown);
}

/* Widths and decimals from the values themselves, so that every value fits its field. */
static void
plan_fields (Writer *writer)
{
  guint n_features = gp_layer_get_n_features (writer->layer);

  writer->n_fields = gp_layer_get_n_fields (writer->layer);
  writer->fields = g_new0 (OutField, writer->n_fields + 1);
  for (guint f = 0; f < writer->n_fields; f++)
    {
      const GpField *source = gp_layer_get_field (writer->layer, f);
      OutField *field = &writer->fields[f];

      plan_name (writer, f, source->name);
      field->type = source->type;
      field->width = 1;
      switch (source->type)
        {
        case GP_FIELD_DATE:
          field->dbf_type = 'D';
          field->width = 8;
          continue;
        case GP_FIELD_LOGICAL:
          field->dbf_type = 'L';
          continue;
        case GP_FIELD_STRING:
          field->dbf_type = 'C';
          break;
        case GP_FIELD_INTEGER:
        case GP_FIELD_REAL:
        default:
          field->dbf_type = 'N';
          break;
        }

      for (guint i = 0; i < n_features; i++)
        {
          const GpValue *value = &gp_layer_get_feature (writer->layer, i)->values[f];
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          if (value->is_null)
            continue;
          switch (source->type)
            {
            case GP_FIELD_STRING:
              {
                gboolean cut;
                g_autofree char *bytes = dbf_text (writer, value->text, MAX_TEXT_WIDTH, &cut);

                field->width = MAX (field->width, (int) strlen (bytes));
              }
              break;
            case GP_FIELD_INTEGER:
              field->width = MAX (field->width, g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT,
                                                            value->integer));
              break;
            case GP_FIELD_REAL:
              if (!isfinite (value->real))
                break;
              format_real (value->real, buffer, sizeof buffer);
              field->width = MAX (field->width, (int) strlen (buffer));
              field->decimals = MAX (field->decimals, fraction_digits (buffer));
              break;
            case GP_FIELD_DATE:
            case GP_FIELD_LOGICAL:
            default:
              break;
            }
        }
      if (source->type == GP_FIELD_REAL)
        {
          /* At least one decimal, so that readers see a real number, not an integer. */
          field->decimals = CLAMP (field->decimals, 1, 15);
          field->width = MAX (field->width, field->decimals + 2);
        }
    }
}

static gboolean
fail_io (const char *path, GError **error)
{
  const char *message = g_private_get (&write_error_key);

  g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path,
               message != NULL ? message : g_strerror (errno));
  return FALSE;
}

static gboolean
create_files (Writer *writer, const char *temp_base, GError **error)
{
  g_autofree char *dbf_path = g_strconcat (temp_base, ".dbf", NULL);
  SAHooks hooks;

  SASetupDefaultHooks (&hooks);
  hooks.Error = write_error_hook;

  writer->shp = SHPCreateLL (temp_base, writer->type, &hooks);
  if (writer->shp == NULL)
    return fail_io (writer->path, error);
  /* "UTF-8" makes shapelib write the .cpg and leave the LDID byte 0, as GDAL does; GBK gets
   * the language driver byte of code page 936 (0x4D) as well as its .cpg, for old readers. */
  writer->dbf = DBFCreateLL (dbf_path, writer->gbk ? "LDID/77" : "UTF-8", &hooks);
  if (writer->dbf == NULL)
    return fail_io (writer->path, error);

  if (writer->n_fields == 0)
    {
      writer->fid_only = TRUE;
      if (DBFAddNativeFieldType (writer->dbf, "FID", 'N', 10, 0) < 0)
        return fail_io (writer->path, error);
    }
  for (guint f = 0; f < writer->n_fields; f++)
    {
      OutField *field = &writer->fields[f];

      if (DBFAddNativeFieldType (writer->dbf, field->name, field->dbf_type, field->width,
                                 field->decimals) < 0)
        return fail_io (writer->path, error);
    }
  return TRUE;
}

static void
append_point (Writer *writer, const GpShape *shape, guint i)
{
  double z = shape->z != NULL ? shape->z[i] : 0.0;
  double m = shape->m != NULL && !isnan (shape->m[i]) ? shape->m[i] : NO_MEASURE;

  g_array_append_val (writer->x, shape->xy[2 * i]);
  g_array_append_val (writer->y, shape->xy[2 * i + 1]);
  g_array_append_val (writer->z, z);
  g_array_append_val (writer->m, m);
}

/* One ring, turned to the shapefile's orientation (outer rings clockwise, holes counter-
 * clockwise) and closed. */
static void
append_ring (Writer *writer, const GpShape *shape, guint part, gboolean outer, int part_type)
{
  guint start = shape->part_start[part];
  guint end = shape->part_start[part + 1];
  double area = gp_shape_ring_signed_area (shape, part);
  gboolean reverse = outer ? area > 0 : area < 0;
  int first = writer->x->len;

  if (end <= start)
    return;
  g_array_append_val (writer->parts, first);
  g_array_append_val (writer->part_types, part_type);
  for (guint k = 0; k < end - start; k++)
    append_point (writer, shape, reverse ? end - 1 - k : start + k);
  if (shape->xy[2 * start] != shape->xy[2 * (end - 1)]
      || shape->xy[2 * start + 1] != shape->xy[2 * (end - 1) + 1])
    append_point (writer, shape, reverse ? end - 1 : start);
}

static gboolean
write_shape (Writer *writer, const GpShape *shape, guint index, GError **error)
{
  int base = base_type (writer->type);
  gboolean fits;
  SHPObject *object;
  int written;

  g_array_set_size (writer->x, 0);
  g_array_set_size (writer->y, 0);
  g_array_set_size (writer->z, 0);
  g_array_set_size (writer->m, 0);
  g_array_set_size (writer->parts, 0);
  g_array_set_size (writer->part_types, 0);

  if (gp_shape_is_empty (shape) || writer->type == SHPT_NULL)
    {
      object = SHPCreateObject (SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL);
      written = SHPWriteObject (writer->shp, -1, object);
      SHPDestroyObject (object);
      return written >= 0 || fail_io (writer->path, error);
    }

  switch (shape->kind)
    {
    case GP_SHAPE_POINT: fits = base == SHPT_POINT || base == SHPT_MULTIPOINT; break;
    case GP_SHAPE_MULTIPOINT:
      fits = base == SHPT_MULTIPOINT || (base == SHPT_POINT && shape->n_points == 1);
      break;
    case GP_SHAPE_LINE: fits = base == SHPT_ARC; break;
    case GP_SHAPE_POLYGON: fits = base == SHPT_POLYGON || base == SHPT_MULTIPATCH; break;
    case GP_SHAPE_NULL:
    default: fits = FALSE; break;
    }
  if (!fits)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%s: feature %u: a %s cannot be written to a %s shapefile"), writer->path,
                   index, kind_name (shape->kind),
                   gp_geometry_type_name ((GpGeometryType) writer->type));
      return FALSE;
    }

  if (shape->kind == GP_SHAPE_POLYGON)
    for (guint p = 0; p < shape->n_polygons; p++)
      for (guint r = shape->polygon_start[p]; r < shape->polygon_start[p + 1]; r++)
        {
          gboolean outer = r == shape->polygon_start[p];

          append_ring (writer, shape, r, outer, outer ? SHPP_OUTERRING : SHPP_INNERRING);
        }
  else
    {
      if (shape->kind == GP_SHAPE_LINE)
        for (guint r = 0; r < shape->n_parts; r++)
          {
            int start = (int) shape->part_start[r];
            int ring = SHPP_RING;

            g_array_append_val (writer->parts, start);
            g_array_append_val (writer->part_types, ring);
          }
      for (guint i = 0; i < shape->n_points; i++)
        append_point (writer, shape, i);
    }

  object = SHPCreateObject (writer->type, -1, writer->parts->len, (int *) writer->parts->data,
                            writer->type == SHPT_MULTIPATCH ? (int *) writer->part_types->data : NULL,
                            writer->x->len, (double *) writer->x->data, (double *) writer->y->data,
                            type_has_z (writer->type) ? (double *) writer->z->data : NULL,
                            type_has_m (writer->type) || (type_has_z (writer->type) && shape->m != NULL)
                              ? (double *) writer->m->data : NULL);
  written = SHPWriteObject (writer->shp, -1, object);
  SHPDestroyObject (object);
  return written >= 0 || fail_io (writer->path, error);
}

/* Numbers are written right-aligned to the full width, as dBASE does. */
static gboolean
write_number (Writer *writer, int record, guint f, const char *text)
{
  char padded[XBASE_FLD_MAX_WIDTH + 1];

  g_snprintf (padded, sizeof padded, "%*s", writer->fields[f].width, text);
  return DBFWriteAttributeDirectly (writer->dbf, record, (int) f, padded);
}

static gboolean
write_values (Writer *writer, const GpFeature *feature, int record, GError **error)
{
  char buffer[XBASE_FLD_MAX_WIDTH + 1];
  gboolean ok = TRUE;

  if (writer->fid_only)
    {
      g_snprintf (buffer, sizeof buffer, "%d", record);
      ok = write_number (writer, record, 0, buffer);
    }
  for (guint f = 0; f < writer->n_fields && ok; f++)
    {
      const GpValue *value = &feature->values[f];

      if (value->is_null || (writer->fields[f].type == GP_FIELD_REAL && !isfinite (value->real)))
        {
          ok = DBFWriteNULLAttribute (writer->dbf, record, (int) f);
          continue;
        }
      switch (writer->fields[f].type)
        {
        case GP_FIELD_STRING:
          {
            gboolean cut;
            g_autofree char *bytes = dbf_text (writer, value->text, MAX_TEXT_WIDTH, &cut);

            if (cut)
              writer->truncated++;
            ok = DBFWriteStringAttribute (writer->dbf, record, (int) f, bytes);
          }
          break;
        case GP_FIELD_INTEGER:
          g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, value->integer);
          ok = write_number (writer, record, f, buffer);
          break;
        case GP_FIELD_REAL:
          format_real (value->real, buffer, sizeof buffer);
          ok = write_number (writer, record, f, buffer);
          break;
        case GP_FIELD_DATE:
          g_snprintf (buffer, sizeof buffer, "%04u%02u%02u", value->date.year, value->date.month,
                      value->date.day);
          ok = DBFWriteAttributeDirectly (writer->dbf, record, (int) f, buffer);
          break;
        case GP_FIELD_LOGICAL:
        default:
          ok = DBFWriteLogicalAttribute (writer->dbf, record, (int) f, value->logical ? 'T' : 'F');
          break;
        }
    }
  return ok || fail_io (writer->path, error);
}

static gboolean
close_files (Writer *writer, GError **error)
{
  g_private_replace (&write_error_key, NULL);
  if (writer->shp != NULL)
    SHPClose (g_steal_pointer (&writer->shp));
  if (writer->dbf != NULL)
    DBFClose (g_steal_pointer (&writer->dbf));
  if (g_private_get (&write_error_key) != NULL)
    return fail_io (writer->path, error);
  return TRUE;
}

static gboolean
write_sidecars (Writer *writer, const char *temp_base, GError **error)
{
  g_autofree char *cpg = g_strconcat (temp_base, ".cpg", NULL);
  GpCrs *crs = gp_layer_get_crs (writer->layer);
  const char *wkt = crs != NULL ? gp_crs_get_wkt (crs) : NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents (cpg, writer->gbk ? "GBK" : "UTF-8", -1, &local_error))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), writer->path,
                   local_error->message);
      return FALSE;
    }
  if (wkt != NULL && *wkt != '\0')
    {
      g_autofree char *prj = g_strconcat (temp_base, ".prj", NULL);

      if (!g_file_set_contents (prj, wkt, -1, &local_error))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), writer->path,
                       local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
sync_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

/* Every file is complete and on disk before the first one replaces anything. */
static gboolean
publish (Writer *writer, const char *temp_base, const char *base, GError **error)
{
  gboolean present[G_N_ELEMENTS (written_exts)];

  for (guint i = 0; i < G_N_ELEMENTS (written_exts); i++)
    {
      g_autofree char *from = g_strconcat (temp_base, ".", written_exts[i], NULL);

      present[i] = g_file_test (from, G_FILE_TEST_IS_REGULAR);
      if (present[i] && !sync_file (from))
        return fail_io (writer->path, error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (written_exts); i++)
    {
      g_autofree char *from = g_strconcat (temp_base, ".", written_exts[i], NULL);
      g_autofree char *to = g_strconcat (base, ".", written_exts[i], NULL);
      g_autofree char *upper_ext = g_ascii_strup (written_exts[i], -1);
      g_autofree char *upper = g_strconcat (base, ".", upper_ext, NULL);

      /* An old FILE.PRJ beside a new FILE.shp would be read as its coordinate system. */
      g_unlink (upper);
      if (!present[i])
        {
          g_unlink (to);
          continue;
        }
      if (g_rename (from, to) != 0)
        return fail_io (writer->path, error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stale_exts); i++)
    {
      g_autofree char *stale = g_strconcat (base, ".", stale_exts[i], NULL);

      g_unlink (stale);
    }
  {
    g_autofree char *dir = g_path_get_dirname (base);
    int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0)
      {
        (void) fsync (fd);
        close (fd);
      }
  }
  return TRUE;
}

gboolean
gp_shp_write (GpLayer *layer, const char *path, GError **error)
{
  return gp_shp_write_encoded (layer, path, NULL, error);
}

gboolean
gp_shp_write_encoded (GpLayer *layer, const char *path, const char *encoding, GError **error)
{
  static const char *const shp_ext[] = { ".shp", ".SHP", ".Shp", NULL };
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *temp_base = NULL;
  Writer writer = { 0 };
  gboolean ok = FALSE;
  int hold = -1;
  guint n;

  g_return_val_if_fail (GP_IS_LAYER (layer), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  if (encoding != NULL && g_strcmp0 (encoding, "UTF-8") != 0 && g_strcmp0 (encoding, "GBK") != 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("%s: shapefiles are written in UTF-8 or GBK, not “%s”"),
                   path, encoding);
      return FALSE;
    }

  base = g_strdup (path);
  for (guint i = 0; shp_ext[i] != NULL; i++)
    if (g_str_has_suffix (base, shp_ext[i]) && strlen (base) > 4)
      base[strlen (base) - 4] = '\0';
  dir = g_path_get_dirname (base);
  stem = g_path_get_basename (base);

  /* A private directory beside the target: shapelib names its files after the layer, and
   * the rename into place stays on one file system. */
  gp_output_sweep (dir, stem);
  temp_dir = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, stem);
  if (g_mkdtemp (temp_dir) == NULL)
    {
      int saved = errno;

      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write: %s"), path, g_strerror (saved));
      return FALSE;
    }
  temp_base = g_build_filename (temp_dir, stem, NULL);
  hold = gp_output_hold (temp_dir);

  writer.layer = layer;
  writer.path = path;
  writer.gbk = encoding != NULL && g_strcmp0 (encoding, "UTF-8") != 0;
  writer.type = choose_type (layer);
  writer.x = g_array_new (FALSE, FALSE, sizeof (double));
  writer.y = g_array_new (FALSE, FALSE, sizeof (double));
  writer.z = g_array_new (FALSE, FALSE, sizeof (double));
  writer.m = g_array_new (FALSE, FALSE, sizeof (double));
  writer.parts = g_array_new (FALSE, FALSE, sizeof (int));
  writer.part_types = g_array_new (FALSE, FALSE, sizeof (int));
  g_private_replace (&write_error_key, NULL);
  plan_fields (&writer);

  if (!create_files (&writer, temp_base, error))
    goto out;
  n = gp_layer_get_n_features (layer);
  for (guint i = 0; i < n; i++)
    {
      const GpFeature *feature = gp_layer_get_feature (layer, i);

      if (!write_shape (&writer, feature->shape, i, error)
          || !write_values (&writer, feature, (int) i, error))
        goto out;
    }
  if (!close_files (&writer, error) || !write_sidecars (&writer, temp_base, error)
      || !publish (&writer, temp_base, base, error))
    goto out;
  if (writer.truncated > 0)
    gp_layer_add_warning (layer,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %u text value is longer than the 254 bytes a .dbf field "
                                       "holds and was shortened",
                                       "%s: %u text values are longer than the 254 bytes a .dbf field "
                                       "holds and were shortened", writer.truncated),
                          path, writer.truncated);
  ok = TRUE;

out:
  if (writer.shp != NULL)
    SHPClose (writer.shp);
  if (writer.dbf != NULL)
    DBFClose (writer.dbf);
  gp_output_remove_dir (temp_dir);
  if (hold >= 0)
    close (hold);
  g_free (writer.fields);
  g_array_unref (writer.x);
  g_array_unref (writer.y);
  g_array_unref (writer.z);
  g_array_unref (writer.m);
  g_array_unref (writer.parts);
  g_array_unref (writer.part_types);
  return ok;
}

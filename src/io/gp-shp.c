/* gp-shp.c: reading shapefiles through shapelib: every record checked, text decoded at the edge. */
#include "gp-config.h"

#include "gp-shp.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <math.h>

#include "gp-error.h"
#include "gp-geom.h"
#include "gp-parallel.h"
#include "gp-shp-private.h"
#include "gp-text.h"

#define SHP_HEADER 100
#define SHP_FILE_CODE 9994
/* Past this many, record problems are counted rather than listed one by one. */
#define MAX_RECORD_WARNINGS 50
/* .prj files are a few hundred bytes; anything huge is not one. */
#define MAX_PRJ_SIZE (256 * 1024)

/* Where one record lives in the .shp, or why it cannot be read. */
typedef struct {
  guint64 offset;          /* of the record header */
  guint32 length;          /* of the content, after the 8-byte header */
  char *problem;           /* NULL when the index entry is usable */
} Entry;

typedef struct {
  const char *path;        /* the .shp, as named in messages */
  GpLayer *layer;
  const guint8 *data;
  guint64 limit;           /* bytes of the .shp that belong to it */
  int type;
  gboolean has_box;         /* the header's bounding box is usable to check records against */
  double box[4];
  GArray *entries;         /* of Entry */
  guint listed_warnings;
  guint unlisted_warnings;
} Reader;

static void
entry_clear (gpointer data)
{
  g_free (((Entry *) data)->problem);
}

static void
record_warning (Reader *reader, guint record, const char *problem)
{
  if (reader->listed_warnings >= MAX_RECORD_WARNINGS)
    {
      reader->unlisted_warnings++;
      return;
    }
  reader->listed_warnings++;
  gp_layer_add_warning (reader->layer, _("%s: record %u: %s"), reader->path, record, problem);
}

/* FILE.ext or FILE.EXT beside BASE, whichever exists. */
static char *
find_sidecar (const char *base, const char *ext)
{
  g_autofree char *lower = g_strconcat (base, ".", ext, NULL);
  g_autofree char *upper_ext = g_ascii_strup (ext, -1);
  g_autofree char *upper = g_strconcat (base, ".", upper_ext, NULL);

  if (g_file_test (lower, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&lower);
  if (g_file_test (upper, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&upper);
  return NULL;
}

static gboolean
has_extension (const char *path, const char *const *extensions)
{
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  const char *dot = strrchr (path, '.');

  if (dot == NULL || (slash != NULL && dot < slash))
    return FALSE;
  for (guint i = 0; extensions[i] != NULL; i++)
    if (g_ascii_strcasecmp (dot + 1, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

static char *
strip_extension (const char *path)
{
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  const char *dot = strrchr (path, '.');

  if (dot == NULL || (slash != NULL && dot < slash) || dot == path)
    return g_strdup (path);
  return g_strndup (path, dot - path);
}

/* PATH may name the .shp, one of its sidecars (as shapelib allows), or the base name. */
static gboolean
resolve_paths (const char *path, char **shp_path, char **base, GError **error)
{
  static const char *const sidecars[] = { "shx", "dbf", "cpg", "prj", "sbn", "sbx", "qix", NULL };
  static const char *const shp[] = { "shp", NULL };

  if (has_extension (path, shp))
    {
      *shp_path = g_strdup (path);
      *base = strip_extension (path);
      return TRUE;
    }
  if (has_extension (path, sidecars))
    {
      *base = strip_extension (path);
      *shp_path = find_sidecar (*base, "shp");
      if (*shp_path == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: there is no .shp file beside it"), path);
          g_clear_pointer (base, g_free);
          return FALSE;
        }
      return TRUE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *with_shp = find_sidecar (path, "shp");

      if (with_shp != NULL)
        {
          *shp_path = g_steal_pointer (&with_shp);
          *base = g_strdup (path);
          return TRUE;
        }
    }
  /* Any other name is read as a .shp and judged by its contents. */
  *shp_path = g_strdup (path);
  *base = strip_extension (path);
  return TRUE;
}

static GBytes *
map_file (const char *path, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GMappedFile *mapped = g_mapped_file_new (path, FALSE, &local_error);
  GBytes *bytes;

  if (mapped == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot read: %s"), path, local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  return bytes;
}

/* The 100-byte main header: what makes a file a shapefile, and how much of it to believe. */
static gboolean
check_header (Reader *reader, gsize size, GError **error)
{
  const guint8 *data = reader->data;
  guint64 declared;

  if (size == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the file is empty"), reader->path);
      return FALSE;
    }
  if (size < SHP_HEADER)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                   _("%s: the file is too short to be a shapefile (%" PRIu64 " bytes)"),
                   reader->path, (guint64) size);
      return FALSE;
    }
  if (gp_shp_be32 (data) != SHP_FILE_CODE)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                   _("%s: not a shapefile (it does not start with the shapefile file code)"),
                   reader->path);
      return FALSE;
    }
  reader->type = (int) gp_shp_le32 (data + 32);
  if (!gp_shp_type_is_known (reader->type))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the header names an unknown shape type (%d)"),
                   reader->path, reader->type);
      return FALSE;
    }
  if (size > G_MAXUINT32)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                   _("%s: the file is larger than the 4 GB a shapefile can address"), reader->path);
      return FALSE;
    }
  /* The header's bounding box: impossible numbers mean the header itself is damaged; an empty
   * or inverted box (written by some tools for files they did not measure) is not used. */
  for (int k = 0; k < 4; k++)
    reader->box[k] = gp_shp_le_double (data + 36 + 8 * k);
  for (int k = 0; k < 4; k++)
    if (!isfinite (reader->box[k]) || fabs (reader->box[k]) > 1e15)
      {
        g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                     _("%s: the header's bounding box is not a place (%g): the file is damaged"), reader->path,
                     reader->box[k]);
        return FALSE;
      }
  reader->has_box = reader->box[0] <= reader->box[2] && reader->box[1] <= reader->box[3]
                    && (reader->box[0] != 0.0 || reader->box[1] != 0.0 || reader->box[2] != 0.0 || reader->box[3] != 0.0);
  if (gp_shp_le32 (data + 28) != 1000)
    gp_layer_add_warning (reader->layer, _("%s: the header gives version %u instead of 1000"),
                          reader->path, gp_shp_le32 (data + 28));

  declared = 2 * (guint64) gp_shp_be32 (data + 24);
  reader->limit = size;
  if (declared < SHP_HEADER)
    gp_layer_add_warning (reader->layer,
                          _("%s: the header gives an impossible file length (%" PRIu64
                            " bytes); the real length is used"),
                          reader->path, declared);
  else if (declared < size)
    {
      gp_layer_add_warning (reader->layer,
                            _("%s: the file is %" PRIu64 " bytes long but its header says %"
                              PRIu64 "; the extra bytes are ignored"),
                            reader->path, (guint64) size, declared);
      reader->limit = declared;
    }
  else if (declared > size)
    gp_layer_add_warning (reader->layer,
                          _("%s: the file is shorter than its header says (%" PRIu64 " of %"
                            PRIu64 " bytes); it may be truncated"),
                          reader->path, (guint64) size, declared);
  return TRUE;
}

static void
add_entry (Reader *reader, guint64 offset, guint32 length, char *problem)
{
  Entry entry = { offset, length, problem };

  g_array_append_val (reader->entries, entry);
}

/* A record header that can start a record: its content fits in the file and, when looking
 * for one among junk (STRICT), begins with a null shape or the file's own shape type. Where a
 * record is expected, a foreign type is the record's problem, not the walk's. */
static gboolean
header_fits (Reader *reader, guint64 offset, gboolean strict)
{
  guint64 length;
  int type;

  if (offset + 12 > reader->limit)
    return FALSE;
  length = 2 * (guint64) gp_shp_be32 (reader->data + offset + 4);
  if (length < 4 || offset + 8 + length > reader->limit)
    return FALSE;
  type = (int) gp_shp_le32 (reader->data + offset + 8);
  return !strict || type == SHPT_NULL || type == reader->type;
}

/* Without a .shx the records are found by walking their headers. A header that cannot be
 * right (some writers leave junk between records) is skipped by looking ahead, two bytes at
 * a time, for the header of the record that should come next, as mbostock/shapefile does;
 * when there is none, what was read so far is kept. */
static void
scan_records (Reader *reader)
{
  guint64 offset = SHP_HEADER;

  while (offset + 8 <= reader->limit)
    {
      guint record = reader->entries->len;
      guint64 next;

      if (header_fits (reader, offset, FALSE))
        {
          guint32 length = 2 * gp_shp_be32 (reader->data + offset + 4);

          add_entry (reader, offset, length, NULL);
          offset += 8 + (guint64) length;
          continue;
        }

      for (next = offset + 2; next + 12 <= reader->limit; next += 2)
        if (gp_shp_be32 (reader->data + next) == record + 1 && header_fits (reader, next, TRUE))
          break;
      if (next + 12 <= reader->limit)
        {
          g_autofree char *problem =
            g_strdup_printf (_("the record header at byte %" PRIu64 " is broken; %"
                               PRIu64 " bytes were skipped to the next record"),
                             offset, next - offset);
          /* Not a record: the bytes are skipped, and the numbering goes on. */
          record_warning (reader, record, problem);
          offset = next;
          continue;
        }
      {
        g_autofree char *problem =
          g_strdup_printf (_("the record header at byte %" PRIu64 " is broken and no "
                             "record follows; the last %" PRIu64 " bytes are ignored"),
                           offset, reader->limit - offset);
        record_warning (reader, record, problem);
      }
      return;
    }
}

/* How many records a strict walk of the .shp finds: every header where the previous record
 * ends, numbered 1, 2, 3..., the last one ending where the file does. 0 when the walk fails. */
static guint
clean_walk (Reader *reader)
{
  guint64 offset = SHP_HEADER;
  guint count = 0;

  while (offset < reader->limit)
    {
      if (!header_fits (reader, offset, FALSE) || gp_shp_be32 (reader->data + offset) != count + 1)
        return 0;
      offset += 8 + 2 * (guint64) gp_shp_be32 (reader->data + offset + 4);
      count++;
    }
  return offset == reader->limit ? count : 0;
}

/* Whether index entry I, which points inside the file, disagrees with the record header
 * there (entries that point outside have their own warning). */
static gboolean
entry_mismatched (Reader *reader, guint i)
{
  Entry *entry = &g_array_index (reader->entries, Entry, i);

  return entry->problem == NULL
         && (gp_shp_be32 (reader->data + entry->offset) != i + 1
             || 2 * (guint64) gp_shp_be32 (reader->data + entry->offset + 4) != entry->length);
}

/* Reads the .shx, checking every entry against the .shp it indexes. FALSE when the index
 * itself is unusable (the records are then found by scanning). */
static gboolean
read_index (Reader *reader, GBytes *shx)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (shx, &size);
  guint64 n;
  guint64 most;

  if (size < SHP_HEADER || gp_shp_be32 (data) != SHP_FILE_CODE)
    return FALSE;
  n = (size - SHP_HEADER) / 8;
  /* Each record takes at least 12 bytes of the .shp; more entries than that are junk. */
  most = reader->limit > SHP_HEADER ? (reader->limit - SHP_HEADER) / 12 : 0;
  if (n > most)
    {
      gp_layer_add_warning (reader->layer,
                            _("%s: the index lists %" PRIu64 " records but the file can "
                              "hold at most %" PRIu64 "; the rest are ignored"),
                            reader->path, n, most);
      n = most;
    }

  for (guint64 i = 0; i < n; i++)
    {
      guint64 offset = 2 * (guint64) gp_shp_be32 (data + SHP_HEADER + 8 * i);
      guint64 length = 2 * (guint64) gp_shp_be32 (data + SHP_HEADER + 8 * i + 4);
      guint64 stored;

      if (offset < SHP_HEADER || offset + 8 > reader->limit)
        {
          add_entry (reader, 0, 0, g_strdup_printf (_("the index points outside the file (byte %"
                                                      PRIu64 ")"), offset));
          continue;
        }
      /* Believe the index, unless only the record's own header fits the file. */
      stored = 2 * (guint64) gp_shp_be32 (reader->data + offset + 4);
      if (offset + 8 + length > reader->limit && offset + 8 + stored <= reader->limit)
        length = stored;
      if (offset + 8 + length > reader->limit)
        {
          add_entry (reader, 0, 0, g_strdup_printf (_("the record runs past the end of the file")));
          continue;
        }
      add_entry (reader, offset, (guint32) length, NULL);
    }
  return TRUE;
}

/* Where every record is: from the .shx when it agrees with the .shp, else by walking it. */
static void
locate_records (Reader *reader, const char *base)
{
  g_autofree char *shx_path = find_sidecar (base, "shx");
  g_autoptr(GBytes) shx = NULL;

  if (shx_path != NULL)
    shx = map_file (shx_path, NULL);
  if (shx != NULL && read_index (reader, shx))
    {
      guint mismatched = 0;
      guint walked;

      for (guint i = 0; i < reader->entries->len; i++)
        if (entry_mismatched (reader, i))
          mismatched++;
      /* An index that disagrees with the records, beside a .shp whose records walk cleanly
       * from first to last, is stale or damaged: the .shp is the data. A .shp that does not
       * walk cleanly (rewritten records leave dead copies behind) keeps its index. */
      if (mismatched > 0 && (walked = clean_walk (reader)) > 0)
        {
          gp_layer_add_warning (reader->layer,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%s: %u index entry does not match the records; the %u "
                                             "records are found by scanning %s",
                                             "%s: %u index entries do not match the records; the %u "
                                             "records are found by scanning %s", mismatched),
                                shx_path, mismatched, walked, reader->path);
          g_array_set_size (reader->entries, 0);
          scan_records (reader);
        }
      return;
    }

  g_array_set_size (reader->entries, 0);
  if (shx_path != NULL)
    gp_layer_add_warning (reader->layer, _("%s: the index is damaged; the records are found by scanning %s"),
                          shx_path, reader->path);
  else
    gp_layer_add_warning (reader->layer, _("%s: there is no .shx index; the records are found by "
                                           "scanning the file"),
                          reader->path);
  scan_records (reader);
}

/* The index shapelib reads: our checked entries in .shx form, never written to disk. */
static GBytes *
build_index (Reader *reader)
{
  guint n = reader->entries->len;
  gsize size = SHP_HEADER + 8 * (gsize) n;
  guint8 *data = g_malloc0 (size);

  memcpy (data, reader->data, SHP_HEADER);
  data[24] = (guint8) ((size / 2) >> 24);
  data[25] = (guint8) ((size / 2) >> 16);
  data[26] = (guint8) ((size / 2) >> 8);
  data[27] = (guint8) (size / 2);
  for (guint i = 0; i < n; i++)
    {
      Entry *entry = &g_array_index (reader->entries, Entry, i);
      guint32 offset = entry->problem == NULL ? (guint32) (entry->offset / 2) : SHP_HEADER / 2;
      guint32 length = entry->problem == NULL ? entry->length / 2 : 0;
      guint8 *p = data + SHP_HEADER + 8 * (gsize) i;

      p[0] = offset >> 24, p[1] = offset >> 16, p[2] = offset >> 8, p[3] = offset;
      p[4] = length >> 24, p[5] = length >> 16, p[6] = length >> 8, p[7] = length;
    }
  return g_bytes_new_take (data, size);
}

static void
read_crs (Reader *reader, const char *base)
{
  g_autofree char *prj_path = find_sidecar (base, "prj");
  g_autofree char *definition = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpCrs) crs = NULL;
  gsize length = 0;
  double bbox[4];

  if (prj_path != NULL)
    {
      if (!g_file_get_contents (prj_path, &definition, &length, &error))
        {
          gp_layer_add_warning (reader->layer, _("%s: cannot read: %s; the coordinate system is unknown"),
                                prj_path, error->message);
          return;
        }
      if (length > MAX_PRJ_SIZE || memchr (definition, '\0', length) != NULL
          || !g_utf8_validate (definition, length, NULL))
        {
          gp_layer_add_warning (reader->layer,
                                _("%s: not a coordinate system definition; the coordinate system is unknown"),
                                prj_path);
          return;
        }
      crs = gp_crs_new_from_definition (g_strstrip (definition), &error);
      if (crs == NULL)
        {
          gp_layer_add_warning (reader->layer,
                                _("%s: the coordinate system cannot be read (%s); it is unknown"),
                                prj_path, error != NULL ? error->message : "");
          return;
        }
      gp_layer_set_crs (reader->layer, crs);
      return;
    }

  if (gp_layer_get_bbox (reader->layer, bbox) && gp_crs_bbox_looks_lonlat (bbox))
    {
      crs = gp_crs_new_lonlat_guess ();
      gp_layer_set_crs (reader->layer, crs);
      gp_layer_add_warning (reader->layer,
                            _("%s: there is no .prj; the coordinates look like longitude and latitude "
                              "and are read as WGS 84"),
                            reader->path);
    }
}

typedef struct {
  GpLayer  *layer;
  gboolean *valid;   /* per feature */
} ValidityJob;

/* Polygons a thread checks at a time. */
#define VALIDITY_CHUNK 512

static void
validity_range (GEOSContextHandle_t ctx, guint thread, guint lo, guint hi, gpointer data)
{
  ValidityJob *vj = data;

  for (guint i = lo; i < hi; i++)
    {
      GpFeature *feature = gp_layer_get_feature (vj->layer, i);

      vj->valid[i] = feature->shape == NULL || feature->shape->kind != GP_SHAPE_POLYGON
                     || gp_shape_is_valid (feature->shape);
    }
}

/* Counts invalid polygons, and with REPAIR replaces them by their GEOS make-valid form. */
static void
check_validity (Reader *reader, gboolean repair)
{
  guint n = gp_layer_get_n_features (reader->layer);
  guint invalid = 0, repaired = 0;
  g_autofree gboolean *valid = g_new0 (gboolean, n + 1);
  ValidityJob vj = { reader->layer, valid };

  /* Checked on every core (the test is read only); repaired below, in record order. */
  gp_parallel_for (g_get_num_processors (), n, VALIDITY_CHUNK, validity_range, &vj);
  for (guint i = 0; i < n; i++)
    {
      GpFeature *feature = gp_layer_get_feature (reader->layer, i);
      g_autoptr(GError) error = NULL;
      GpShape *valid_shape;

      if (valid[i])
        continue;
      if (!repair)
        {
          invalid++;
          continue;
        }
      valid_shape = gp_shape_make_valid (feature->shape, &error);
      if (valid_shape == NULL)
        {
          g_autofree char *problem =
            g_strdup_printf (_("the invalid polygon cannot be repaired (%s)"),
                             error != NULL ? error->message : "");
          record_warning (reader, feature->record, problem);
          invalid++;
          continue;
        }
      gp_layer_set_shape (reader->layer, feature, valid_shape);
      repaired++;
    }
  gp_layer_set_invalid_geometries (reader->layer, invalid);
  if (repaired > 0)
    gp_layer_add_warning (reader->layer,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %u invalid polygon was repaired",
                                       "%s: %u invalid polygons were repaired", repaired),
                          reader->path, repaired);
}

static GpShpTable *
open_table (Reader *reader, const char *base, const char *encoding, GError **error)
{
  g_autofree char *dbf_path = find_sidecar (base, "dbf");
  g_autofree char *cpg_path = NULL;
  g_autoptr(GBytes) dbf = NULL;

  if (dbf_path == NULL)
    {
      gp_layer_add_warning (reader->layer, _("%s: there is no .dbf; the features have no attributes"),
                            reader->path);
      return NULL;
    }
  dbf = map_file (dbf_path, error);
  if (dbf == NULL)
    return NULL;
  cpg_path = find_sidecar (base, "cpg");
  return gp_shp_table_open (dbf_path, dbf, cpg_path, encoding, reader->layer, error);
}

static void
read_records (Reader *reader, SHPHandle shp, GpShpTable *table, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      Entry *entry = &g_array_index (reader->entries, Entry, i);
      g_autofree char *problem = NULL;
      const guint8 *content;
      GpShape *shape = NULL;
      GpFeature *feature;

      if (entry->problem != NULL)
        {
          record_warning (reader, i, entry->problem);
          continue;
        }
      content = reader->data + entry->offset + 8;
      problem = gp_shp_check_record (content, entry->length, reader->type, reader->has_box ? reader->box : NULL);
      if (problem != NULL)
        {
          record_warning (reader, i, problem);
          continue;
        }
      if (gp_shp_le32 (content) == SHPT_POINT)
        {
          /* Household points by the million: read straight from the record (checked above). */
          double x = gp_shp_le_double (content + 4), y = gp_shp_le_double (content + 12);

          if (!isfinite (x) || !isfinite (y))
            {
              g_autofree char *not_finite = g_strdup_printf (_("point %d has a coordinate that is not a finite number"), 0);

              record_warning (reader, i, not_finite);
              continue;
            }
          shape = gp_shape_new_point (x, y);
        }
      else if (gp_shp_le32 (content) != SHPT_NULL)
        {
          SHPObject *object = SHPReadObject (shp, (int) i);
          gboolean ok;

          if (object == NULL)
            {
              record_warning (reader, i, _("the record cannot be read"));
              continue;
            }
          ok = gp_shp_shape_from_object (object, &shape, &problem);
          SHPDestroyObject (object);
          if (!ok)
            {
              record_warning (reader, i, problem);
              continue;
            }
        }

      feature = gp_layer_append (reader->layer, shape, i);
      if (table != NULL && !gp_shp_table_read_row (table, reader->layer, feature, i))
        record_warning (reader, i, _("its attributes cannot be read"));
    }
}

GpLayer *
gp_shp_read (const char *path, const char *encoding, GpShpReadFlags flags, GError **error)
{
  g_autofree char *shp_path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mem_base = NULL;
  g_autoptr(GBytes) shp = NULL;
  g_autoptr(GBytes) index = NULL;
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GpShpTable) table = NULL;
  g_autoptr(GArray) entries = NULL;
  Reader reader = { 0 };
  SAHooks hooks;
  SHPHandle handle;
  gsize size = 0;
  guint n;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A zipped shapefile, as offices send them: its only shapefile. */
  if (strlen (path) > 4 && g_ascii_strcasecmp (path + strlen (path) - 4, ".zip") == 0)
    return gp_shp_read_zip (path, NULL, encoding, flags, error);
  if (!resolve_paths (path, &shp_path, &base, error))
    return NULL;
  shp = map_file (shp_path, error);
  if (shp == NULL)
    return NULL;

  name = g_path_get_basename (base);
  layer = gp_layer_new (name);
  gp_layer_set_source_path (layer, shp_path);
  reader.path = shp_path;
  reader.layer = layer;
  reader.data = g_bytes_get_data (shp, &size);
  if (!check_header (&reader, size, error))
    return NULL;
  gp_layer_set_geometry_type (layer, gp_shp_geometry_type (reader.type));

  if (encoding != NULL && gp_text_canonical_encoding (encoding) == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("Unknown text encoding “%s”"), encoding);
      return NULL;
    }
  if ((flags & GP_SHP_READ_NO_ATTRIBUTES) == 0)
    {
      g_autoptr(GError) table_error = NULL;

      table = open_table (&reader, base, encoding, &table_error);
      if (table_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&table_error));
          return NULL;
        }
      if (table != NULL)
        gp_layer_set_encoding (layer, gp_shp_table_get_encoding (table));
    }

  entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (entries, entry_clear);
  reader.entries = entries;
  locate_records (&reader, base);

  index = build_index (&reader);
  mem_base = gp_shp_mem_new_base ();
  gp_shp_mem_setup_hooks (&hooks);
  gp_shp_mem_publish (mem_base, ".shp", shp);
  gp_shp_mem_publish (mem_base, ".shx", index);
  handle = SHPOpenLL (mem_base, "rb", &hooks);
  gp_shp_mem_withdraw (mem_base, ".shp");
  gp_shp_mem_withdraw (mem_base, ".shx");
  if (handle == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: shapelib cannot open the file"), shp_path);
      return NULL;
    }
  SHPSetFastModeReadObject (handle, TRUE);

  n = entries->len;
  if (table != NULL && gp_shp_table_get_n_records (table) != n)
    {
      guint common = MIN (n, gp_shp_table_get_n_records (table));

      gp_layer_add_warning (layer, _("%s has %u records but its .dbf has %u; the first %u are read"),
                            shp_path, n, gp_shp_table_get_n_records (table), common);
      n = common;
    }
  read_records (&reader, handle, table, n);
  SHPClose (handle);

  if (table != NULL)
    gp_shp_table_finish (table, layer);
  read_crs (&reader, base);
  if (flags & (GP_SHP_READ_CHECK_VALIDITY | GP_SHP_READ_REPAIR))
    check_validity (&reader, (flags & GP_SHP_READ_REPAIR) != 0);
  if (reader.unlisted_warnings > 0)
    gp_layer_add_warning (layer,
                          g_dngettext (GETTEXT_PACKAGE, "%s: %u more record problem is not listed",
                                       "%s: %u more record problems are not listed",
                                       reader.unlisted_warnings),
                          shp_path, reader.unlisted_warnings);
  return g_steal_pointer (&layer);
}

/* gp-shp-dbf.c: a shapefile's attribute table: checked, typed, and decoded to UTF-8 at the edge. */
#include "gp-config.h"

#include "gp-shp-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "gp-error.h"
#include "gp-text.h"

/* Detection reads this much non-ASCII text at most: plenty to tell GBK from CP1252. */
#define DETECT_SAMPLE_MAX (1 << 20)

typedef struct {
  int offset;
  int width;
  char dbf_type;
  GpFieldType type;
  guint unreadable;           /* values that are not what the type says, read as null */
} TableField;

struct _GpShpTable
{
  char *path;
  DBFHandle dbf;
  GBytes *bytes;
  GpTextDecoder *decoder;
  gboolean utf8;
  guint n_records;
  guint n_fields;
  TableField *fields;
  guint lossy_values;
};

static gboolean
is_ascii (const char *text, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      return FALSE;
  return TRUE;
}

/* A value's bytes: up to the first NUL (some writers pad with NULs), without the blanks that
 * pad it on either side (dBASE right-aligns numbers; GDAL, shapelib and mbostock/shapefile all
 * trim both sides, and a code with a stray blank would never match its twin). */
static const char *
value_span (const char *value, int width, gsize *length)
{
  const char *nul = memchr (value, '\0', width);
  gsize n = nul != NULL ? (gsize) (nul - value) : (gsize) width;

  while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
    n--;
  while (n > 0 && (*value == ' ' || *value == '\t'))
    value++, n--;
  *length = n;
  return value;
}

static const guint8 *
record_bytes (GpShpTable *table, guint record)
{
  const guint8 *data = g_bytes_get_data (table->bytes, NULL);

  return data + table->dbf->nHeaderLength + (gsize) record * table->dbf->nRecordLength;
}

/* Every non-ASCII text value (and field name), one per line, for detection. */
static GString *
text_sample (GpShpTable *table)
{
  GString *sample = g_string_new (NULL);

  for (guint f = 0; f < table->n_fields; f++)
    {
      gsize n;
      const char *name = value_span (table->dbf->pszHeader + 32 * f, XBASE_FLDNAME_LEN_READ, &n);

      if (!is_ascii (name, n))
        {
          g_string_append_len (sample, name, n);
          g_string_append_c (sample, '\n');
        }
    }
  for (guint r = 0; r < table->n_records && sample->len < DETECT_SAMPLE_MAX; r++)
    {
      const guint8 *row = record_bytes (table, r);

      for (guint f = 0; f < table->n_fields; f++)
        {
          const char *value;
          gsize n;

          if (table->fields[f].type != GP_FIELD_STRING)
            continue;
          value = value_span ((const char *) row + table->fields[f].offset, table->fields[f].width, &n);
          if (!is_ascii (value, n))
            {
              g_string_append_len (sample, value, n);
              g_string_append_c (sample, '\n');
            }
        }
    }
  return sample;
}

static char *
read_cpg (const char *cpg_path, gsize *length)
{
  char *contents = NULL;

  if (cpg_path == NULL || !g_file_get_contents (cpg_path, &contents, length, NULL))
    return NULL;
  return contents;
}

/* ENCODING (the user's word) > .cpg > LDID byte > detection over the file's own text. */
static gboolean
choose_encoding (GpShpTable *table, const char *cpg_path, const char *encoding, GpLayer *layer,
                 const char **chosen, GError **error)
{
  const guint8 *header = g_bytes_get_data (table->bytes, NULL);
  g_autofree char *cpg = NULL;
  g_autoptr(GString) sample = NULL;
  const char *from_ldid;
  const char *detected;
  gsize cpg_length = 0;

  if (encoding != NULL)
    {
      *chosen = gp_text_canonical_encoding (encoding);
      if (*chosen == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("Unknown text encoding “%s”"), encoding);
          return FALSE;
        }
      return TRUE;
    }

  cpg = read_cpg (cpg_path, &cpg_length);
  if (cpg != NULL)
    {
      *chosen = gp_text_encoding_from_cpg (cpg, cpg_length);
      if (*chosen != NULL)
        return TRUE;
      gp_layer_add_warning (layer, _("%s: it names no known text encoding; the encoding is guessed"),
                            cpg_path);
    }

  from_ldid = gp_text_encoding_from_ldid (header[29]);
  if (from_ldid != NULL && header[29] != 0x57)
    {
      *chosen = from_ldid;
      return TRUE;
    }
  sample = text_sample (table);
  detected = gp_text_detect_encoding (sample->str, sample->len);
  if (from_ldid != NULL)
    {
      /* 0x57 means "Windows ANSI", which is the writer's own code page: GBK on a Chinese PC.
       * Trust it for CP1252 only when the text does not read better another way. */
      if (header[29] == 0x57 && sample->len > 0 && strcmp (detected, "CP1252") != 0)
        {
          gp_layer_add_warning (layer,
                                _("%s: the table says Windows ANSI (CP1252) but its text reads as %s; "
                                  "it is decoded as %s"),
                                table->path, detected, detected);
          *chosen = detected;
          return TRUE;
        }
      *chosen = from_ldid;
      return TRUE;
    }

  *chosen = detected;
  return TRUE;
}

static GpFieldType
field_type (char dbf_type, int width, int decimals)
{
  switch (dbf_type)
    {
    case 'N':
    case 'F':
      return decimals == 0 && width <= 18 ? GP_FIELD_INTEGER : GP_FIELD_REAL;
    case 'D':
      return GP_FIELD_DATE;
    case 'L':
      return GP_FIELD_LOGICAL;
    default:
      /* C, and whatever else: memo pointers and the like are read as their text. */
      return GP_FIELD_STRING;
    }
}

/* Field names decoded like the values, and made unique so every writer can use them. */
static char *
field_name (GpShpTable *table, guint index, GpLayer *layer)
{
  gsize n;
  const char *raw = value_span (table->dbf->pszHeader + 32 * index, XBASE_FLDNAME_LEN_READ, &n);
  g_autofree char *name = gp_text_decoder_decode (table->decoder, raw, n, NULL);
  char *unique;

  g_strstrip (name);
  if (*name == '\0')
    {
      g_free (name);
      name = g_strdup_printf ("FIELD_%u", index + 1);
    }
  if (gp_layer_find_field (layer, name) < 0)
    return g_steal_pointer (&name);
  for (guint k = 2;; k++)
    {
      unique = g_strdup_printf ("%s_%u", name, k);
      if (gp_layer_find_field (layer, unique) < 0)
        break;
      g_free (unique);
    }
  gp_layer_add_warning (layer, _("%s: there are two fields named “%s”; the second is read as “%s”"),
                        table->path, name, unique);
  return unique;
}

GpShpTable *
gp_shp_table_open (const char *path, GBytes *bytes, const char *cpg_path, const char *encoding,
                   GpLayer *layer, GError **error)
{
  g_autoptr(GpShpTable) table = g_new0 (GpShpTable, 1);
  g_autofree char *base = gp_shp_mem_new_base ();
  const char *chosen = NULL;
  SAHooks hooks;
  gsize size = 0;
  guint64 available;
  guint64 declared;
  guint64 end;

  table->path = g_strdup (path);
  table->bytes = g_bytes_ref (bytes);
  g_bytes_get_data (bytes, &size);

  if (size == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the file is empty"), path);
      return NULL;
    }
  if (size < 33)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                   _("%s: the file is too short to be a dBASE table (%" PRIu64 " bytes)"),
                   path, (guint64) size);
      return NULL;
    }

  gp_shp_mem_setup_hooks (&hooks);
  gp_shp_mem_publish (base, ".dbf", bytes);
  table->dbf = DBFOpenLL (base, "rb", &hooks);
  gp_shp_mem_withdraw (base, ".dbf");
  if (table->dbf == NULL || table->dbf->nHeaderLength < 33 || table->dbf->nRecordLength < 1
      || (gsize) table->dbf->nHeaderLength > size)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: not a dBASE table, or its header is damaged"),
                   path);
      return NULL;
    }

  table->n_fields = MAX (table->dbf->nFields, 0);
  table->fields = g_new0 (TableField, table->n_fields + 1);
  for (guint f = 0; f < table->n_fields; f++)
    {
      TableField *field = &table->fields[f];

      field->offset = table->dbf->panFieldOffset[f];
      field->width = table->dbf->panFieldSize[f];
      field->dbf_type = table->dbf->pachFieldType[f];
      field->type = field_type (field->dbf_type, field->width, table->dbf->panFieldDecimals[f]);
      if (field->width < 1 || field->offset < 1
          || field->offset + field->width > table->dbf->nRecordLength)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_FORMAT,
                       _("%s: field %u does not fit in the table's records; the header is damaged"),
                       path, f + 1);
          return NULL;
        }
    }

  /* The record count in the header is only believed as far as the file holds records. */
  declared = (guint32) gp_shp_le32 ((const guint8 *) g_bytes_get_data (bytes, NULL) + 4);
  available = (size - table->dbf->nHeaderLength) / table->dbf->nRecordLength;
  table->n_records = (guint) MIN (MIN (declared, available), (guint64) G_MAXINT);
  if (declared > available)
    gp_layer_add_warning (layer, _("%s: the header says %" PRIu64 " records but the file "
                                   "holds only %u; the rest is missing"),
                          path, declared, table->n_records);
  end = table->dbf->nHeaderLength + (guint64) table->n_records * table->dbf->nRecordLength;
  /* One byte after the records is the end-of-file mark. */
  if (declared <= available && size > end + 1)
    gp_layer_add_warning (layer, _("%s: the file is %" PRIu64 " bytes long but its header "
                                   "accounts for %" PRIu64 "; the rest is ignored"),
                          path, (guint64) size, end + 1);
  table->dbf->nRecords = (int) table->n_records;

  if (!choose_encoding (table, cpg_path, encoding, layer, &chosen, error))
    return NULL;
  table->decoder = gp_text_decoder_new (chosen, error);
  if (table->decoder == NULL)
    return NULL;
  table->utf8 = strcmp (chosen, "UTF-8") == 0;

  for (guint f = 0; f < table->n_fields; f++)
    {
      g_autofree char *name = field_name (table, f, layer);

      gp_layer_add_field (layer, name, table->fields[f].type, table->fields[f].width,
                          table->dbf->panFieldDecimals[f]);
    }
  return g_steal_pointer (&table);
}

guint
gp_shp_table_get_n_records (GpShpTable *table)
{
  return table->n_records;
}

const char *
gp_shp_table_get_encoding (GpShpTable *table)
{
  return gp_text_decoder_get_encoding (table->decoder);
}

static void
read_text (GpShpTable *table, GpLayer *layer, GpFeature *feature, guint f, const char *value,
           gsize n, char *scratch)
{
  g_autofree char *decoded = NULL;
  gboolean lossy = FALSE;

  if (n == 0)
    return;
  if (is_ascii (value, n) || (table->utf8 && g_utf8_validate_len (value, n, NULL)))
    {
      memcpy (scratch, value, n);
      scratch[n] = '\0';
      gp_feature_set_text (layer, feature, f, scratch);
      return;
    }
  decoded = gp_text_decoder_decode (table->decoder, value, n, &lossy);
  if (lossy)
    table->lossy_values++;
  gp_feature_set_text (layer, feature, f, decoded);
}

/* Numbers: blank, or '*' (what dBASE writes when a number overflows its field), is null. */
static gboolean
read_number (TableField *field, char *text, GpValue *value)
{
  char *end = NULL;

  if (*text == '\0' || strchr (text, '*') != NULL)
    return TRUE;
  if (field->type == GP_FIELD_INTEGER)
    {
      gint64 integer;

      errno = 0;
      integer = g_ascii_strtoll (text, &end, 10);
      /* "12." and "12.000" are integers too; anything else falls through to a real. */
      if (end != text && errno == 0 && (*end == '\0' || (*end == '.' && strspn (end + 1, "0") == strlen (end + 1))))
        {
          value->integer = integer;
          value->is_null = FALSE;
          return TRUE;
        }
      {
        double real = g_ascii_strtod (text, &end);

        if (end != text && *end == '\0' && isfinite (real) && real == floor (real)
            && fabs (real) < 9.2e18)
          {
            value->integer = (gint64) real;
            value->is_null = FALSE;
            return TRUE;
          }
      }
      return FALSE;
    }

  {
    double real = g_ascii_strtod (text, &end);

    /* Some writers use a decimal comma. */
    if (end != text && *end == ',')
      {
        *end = '.';
        real = g_ascii_strtod (text, &end);
      }
    if (end == text || *end != '\0' || !isfinite (real))
      return FALSE;
    value->real = real;
    value->is_null = FALSE;
    return TRUE;
  }
}

static gboolean
read_date (const char *text, GpValue *value)
{
  guint64 y, m, d;
  char digits[9];

  if (*text == '\0' || strspn (text, "0") == strlen (text))
    return TRUE;
  /* YYYYMMDD as dBASE writes it; YYYY-MM-DD from writers that do not know better. */
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    {
      memcpy (digits, text, 4);
      memcpy (digits + 4, text + 5, 2);
      memcpy (digits + 6, text + 8, 2);
    }
  else if (strlen (text) == 8)
    memcpy (digits, text, 8);
  else
    return FALSE;
  digits[8] = '\0';
  if (strspn (digits, "0123456789") != 8)
    return FALSE;
  d = g_ascii_strtoull (digits + 6, NULL, 10);
  digits[6] = '\0';
  m = g_ascii_strtoull (digits + 4, NULL, 10);
  digits[4] = '\0';
  y = g_ascii_strtoull (digits, NULL, 10);
  if (y < 1 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  value->date.year = (guint16) y;
  value->date.month = (guint8) m;
  value->date.day = (guint8) d;
  value->is_null = FALSE;
  return TRUE;
}

static gboolean
read_logical (const char *text, GpValue *value)
{
  switch (text[0])
    {
    case 'T': case 't': case 'Y': case 'y':
      value->logical = TRUE;
      value->is_null = FALSE;
      return TRUE;
    case 'F': case 'f': case 'N': case 'n':
      value->logical = FALSE;
      value->is_null = FALSE;
      return TRUE;
    case '?': case '\0':
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
gp_shp_table_read_row (GpShpTable *table, GpLayer *layer, GpFeature *feature, guint record)
{
  char scratch[XBASE_FLD_MAX_WIDTH + 1];
  const char *row;

  if (record >= table->n_records)
    return FALSE;
  row = DBFReadTuple (table->dbf, (int) record);
  if (row == NULL)
    return FALSE;

  for (guint f = 0; f < table->n_fields; f++)
    {
      TableField *field = &table->fields[f];
      gsize n;
      const char *value = value_span (row + field->offset, field->width, &n);
      char *text;
      gboolean ok;

      if (field->type == GP_FIELD_STRING)
        {
          read_text (table, layer, feature, f, value, n, scratch);
          continue;
        }

      /* Numbers, dates and logicals are ASCII. */
      memcpy (scratch, value, n);
      scratch[n] = '\0';
      text = scratch;
      switch (field->type)
        {
        case GP_FIELD_INTEGER:
        case GP_FIELD_REAL:
          ok = read_number (field, text, &feature->values[f]);
          break;
        case GP_FIELD_DATE:
          ok = read_date (text, &feature->values[f]);
          break;
        case GP_FIELD_LOGICAL:
          ok = read_logical (text, &feature->values[f]);
          break;
        case GP_FIELD_STRING:
        default:
          ok = TRUE;
          break;
        }
      if (!ok)
        field->unreadable++;
    }
  return TRUE;
}

void
gp_shp_table_finish (GpShpTable *table, GpLayer *layer)
{
  for (guint f = 0; f < table->n_fields; f++)
    {
      const GpField *field = gp_layer_get_field (layer, f);
      guint n = table->fields[f].unreadable;

      if (n == 0)
        continue;
      /* Whole sentences, so that translations can order their words freely. */
      if (field->type == GP_FIELD_DATE)
        gp_layer_add_warning (layer,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s: field “%s”: %u value is not a valid date and is read as empty",
                                           "%s: field “%s”: %u values are not valid dates and are read as empty",
                                           n),
                              table->path, field->name, n);
      else if (field->type == GP_FIELD_LOGICAL)
        gp_layer_add_warning (layer,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s: field “%s”: %u value is not a valid logical value and is read as empty",
                                           "%s: field “%s”: %u values are not valid logical values and are read as empty",
                                           n),
                              table->path, field->name, n);
      else
        gp_layer_add_warning (layer,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s: field “%s”: %u value is not a valid number and is read as empty",
                                           "%s: field “%s”: %u values are not valid numbers and are read as empty",
                                           n),
                              table->path, field->name, n);
    }
  if (table->lossy_values > 0)
    gp_layer_add_warning (layer,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %u text value has bytes that are not valid %s; they are shown as “\xEF\xBF\xBD”",
                                       "%s: %u text values have bytes that are not valid %s; they are shown as “\xEF\xBF\xBD”",
                                       table->lossy_values),
                          table->path, table->lossy_values, gp_shp_table_get_encoding (table));
}

void
gp_shp_table_free (GpShpTable *table)
{
  if (table == NULL)
    return;
  if (table->dbf != NULL)
    DBFClose (table->dbf);
  gp_text_decoder_free (table->decoder);
  g_clear_pointer (&table->bytes, g_bytes_unref);
  g_free (table->fields);
  g_free (table->path);
  g_free (table);
}

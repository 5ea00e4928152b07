/* gp-table.c: CSV read into rows of UTF-8 cells, each row with the line it starts on. */
#include "gp-config.h"

#include "gp-table.h"

#include <csv.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-text.h"
#include "gp-xls.h"
#include "gp-xlsx.h"

#define UTF8_BOM "\xEF\xBB\xBF"
/* libcsv's parser state while inside a field (libcsv.c: FIELD_BEGUN). */
#define LIBCSV_FIELD_BEGUN 2

void
gp_table_row_free (GpTableRow *row)
{
  if (row == NULL)
    return;
  g_ptr_array_unref (row->cells);
  g_free (row);
}

void
gp_table_free (GpTable *table)
{
  if (table == NULL)
    return;
  g_free (table->encoding);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

const char *
gp_table_row_cell (const GpTableRow *row, guint i)
{
  return row != NULL && i < row->cells->len ? g_ptr_array_index (row->cells, i) : "";
}

typedef struct {
  GpTable    *table;
  GpTableRow *row;        /* being filled */
  guint       line;       /* of the byte being parsed */
  guint       row_line;   /* where the row being filled started */
} Reader;

static void
on_field (void *data, size_t length, void *user_data)
{
  Reader *r = user_data;
  g_autofree char *text = g_strndup (data != NULL ? data : "", length);

  if (r->row == NULL)
    {
      r->row = g_new0 (GpTableRow, 1);
      r->row->line = r->row_line;
      r->row->cells = g_ptr_array_new_with_free_func (g_free);
    }
  g_ptr_array_add (r->row->cells, g_strdup (g_strstrip (text)));
}

static void
on_record (int terminator, void *user_data)
{
  Reader *r = user_data;
  gboolean blank = TRUE;

  /* The next row starts on the line after the one this row ends on. */
  r->row_line = r->line + 1;
  if (r->row == NULL)
    return;
  for (guint i = 0; i < r->row->cells->len && blank; i++)
    blank = *(const char *) g_ptr_array_index (r->row->cells, i) == '\0';
  if (blank)
    gp_table_row_free (r->row);
  else
    g_ptr_array_add (r->table->rows, r->row);
  r->row = NULL;
}

/* The separator: the one of , ; TAB that appears most in the first line outside quotes. */
static unsigned char
guess_delimiter (const char *text)
{
  const char candidates[] = { ',', ';', '\t' };
  guint count[3] = { 0 };
  gboolean quoted = FALSE;
  guint best = 0;

  for (const char *p = text; *p != '\0' && *p != '\n'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      for (guint k = 0; k < 3 && !quoted; k++)
        count[k] += *p == candidates[k];
    }
  for (guint k = 1; k < 3; k++)
    if (count[k] > count[best])
      best = k;
  return (unsigned char) candidates[best];
}

/* Decodes BYTES into UTF-8; where they do not decode, the line is named. */
static char *
decode (const char *path, const char *bytes, gsize length, const char *encoding, GError **error)
{
  g_autoptr(GError) local = NULL;
  gsize read = 0, written = 0;
  char *text;

  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    {
      const char *end = NULL;

      if (g_utf8_validate_len (bytes, length, &end))
        return g_strndup (bytes, length);
      read = end - bytes;
    }
  else
    {
      text = g_convert (bytes, length, "UTF-8", encoding, &read, &written, &local);
      if (text != NULL)
        return text;
      if (!g_error_matches (local, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE)
          && !g_error_matches (local, G_CONVERT_ERROR, G_CONVERT_ERROR_PARTIAL_INPUT))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("%s: cannot read text in %s: %s"), path, encoding,
                       local->message);
          return NULL;
        }
    }
  {
    guint line = 1;

    for (gsize i = 0; i < read && i < length; i++)
      line += bytes[i] == '\n';
    g_set_error (error, GP_ERROR, GP_ERROR_ENCODING, _("%s: line %u is not valid %s text"), path, line, encoding);
  }
  return NULL;
}

GpTable *
gp_table_read_csv (const char *path, const char *encoding, GError **error)
{
  g_autofree char *bytes = NULL, *text = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GpTable) table = NULL;
  struct csv_parser parser;
  Reader r = { 0 };
  const char *start;
  gsize length = 0;

  if (!g_file_get_contents (path, &bytes, &length, &local))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  start = bytes;
  if (length >= 3 && memcmp (bytes, UTF8_BOM, 3) == 0)
    {
      /* A BOM says UTF-8 whatever was asked. */
      start += 3;
      length -= 3;
      encoding = "UTF-8";
    }
  if (encoding == NULL)
    encoding = gp_text_detect_encoding (start, length);
  if (encoding == NULL)
    encoding = "UTF-8";
  text = decode (path, start, length, encoding, error);
  if (text == NULL)
    return NULL;

  table = g_new0 (GpTable, 1);
  table->encoding = g_strdup (encoding);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_table_row_free);
  r.table = table;
  r.line = 1;
  r.row_line = 1;
  if (csv_init (&parser, CSV_APPEND_NULL) != 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED, _("%s: cannot start reading CSV"), path);
      return NULL;
    }
  csv_set_delim (&parser, guess_delimiter (text));
  /* One byte at a time, so every row knows the line it starts on (rosters are small). */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (csv_parse (&parser, p, 1, on_field, on_record, &r) != 1)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: line %u: %s"), path, r.line,
                       csv_strerror (csv_error (&parser)));
          csv_free (&parser);
          gp_table_row_free (r.row);
          return NULL;
        }
      if (*p == '\n')
        r.line++;
    }
  /* A quoted field still open at the end (libcsv reports it only in its strict mode, which
   * would also refuse the stray quotes real rosters hold): its state 2 is "field begun". */
  if ((parser.pstate == LIBCSV_FIELD_BEGUN && parser.quoted) || csv_fini (&parser, on_field, on_record, &r) != 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: line %u: a quoted field is not closed"), path,
                   r.row_line);
      csv_free (&parser);
      gp_table_row_free (r.row);
      return NULL;
    }
  csv_free (&parser);
  gp_table_row_free (r.row);
  return g_steal_pointer (&table);
}

GpTable *
gp_table_read (const char *path, const char *encoding, const char *sheet, GError **error)
{
  if (g_str_has_suffix (path, ".xlsx") || g_str_has_suffix (path, ".XLSX"))
    return gp_xlsx_read_table (path, sheet, error);
  if (g_str_has_suffix (path, ".xls") || g_str_has_suffix (path, ".XLS"))
    return gp_xls_read_table (path, sheet, error);
  return gp_table_read_csv (path, encoding, error);
}

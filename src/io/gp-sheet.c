/* gp-sheet.c: tables written for people to read, as an Excel workbook or as CSV. */
#include "gp-config.h"

#include "gp-sheet.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "gp-csv.h"
#include "gp-error.h"
#include "gp-output.h"

/* Without the BOM Excel takes UTF-8 for the local ANSI code page and garbles Chinese text. */
#define UTF8_BOM "\xEF\xBB\xBF"
/* Excel's limits: 31 characters in a sheet name; columns wider than this only waste the screen. */
#define SHEET_NAME_MAX 31
#define COLUMN_WIDTH_MAX 50.0
#define COLUMN_WIDTH_MIN 6.0

static void
free_row (gpointer row)
{
  g_ptr_array_unref (row);
}

GpSheet *
gp_sheet_new (const char *name, const char *title, const char *const *header)
{
  GpSheet *sheet = g_new0 (GpSheet, 1);

  sheet->name = g_strdup (name);
  sheet->title = g_strdup (title);
  sheet->header = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; header != NULL && header[i] != NULL; i++)
    g_ptr_array_add (sheet->header, g_strdup (header[i]));
  sheet->rows = g_ptr_array_new_with_free_func (free_row);
  sheet->numeric = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_array_set_size (sheet->numeric, sheet->header->len);
  return sheet;
}

void
gp_sheet_free (GpSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->name);
  g_free (sheet->title);
  g_ptr_array_unref (sheet->header);
  g_ptr_array_unref (sheet->rows);
  g_array_unref (sheet->numeric);
  g_free (sheet);
}

void
gp_sheet_set_numeric (GpSheet *sheet, guint column)
{
  g_return_if_fail (column < sheet->numeric->len);
  g_array_index (sheet->numeric, gboolean, column) = TRUE;
}

GPtrArray *
gp_sheet_add_row (GpSheet *sheet)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (sheet->rows, row);
  return row;
}

static const char *
cell (GPtrArray *row, guint i)
{
  return i < row->len ? g_ptr_array_index (row, i) : NULL;
}

gboolean
gp_sheet_path_ok (const char *path)
{
  g_autofree char *lower = g_utf8_strdown (path, -1);

  return g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".csv");
}

/* ---------------------------------------------------------------------------------------------
 * CSV
 * ------------------------------------------------------------------------------------------- */

static void
csv_line (FILE *out, GPtrArray *cells, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        fputc (',', out);
      gp_csv_write_field (out, cell (cells, i));
    }
  /* CRLF, as RFC 4180 and Excel write it. */
  fputs ("\r\n", out);
}

static gboolean
write_csv (GpSheet *sheet, const char *path, GError **error)
{
  g_autoptr(GpOutput) output = gp_output_new (path, error);
  FILE *out;

  if (output == NULL)
    return FALSE;
  out = gp_output_get_stream (output);
  fputs (UTF8_BOM, out);
  csv_line (out, sheet->header, sheet->header->len);
  for (guint r = 0; r < sheet->rows->len; r++)
    csv_line (out, g_ptr_array_index (sheet->rows, r), sheet->header->len);
  return gp_output_commit (output, error);
}

/* ---------------------------------------------------------------------------------------------
 * Workbook
 * ------------------------------------------------------------------------------------------- */

/* Width in Excel's character units: a Chinese character takes two. */
static double
text_width (const char *text)
{
  double width = 0.0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return 0.0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      width += g_unichar_iswide (c) || g_unichar_iswide_cjk (c) ? 2.0 : 1.0;
    }
  return width;
}

/* A name Excel accepts, unique in the workbook: no []:*?/\, at most 31 characters. */
static char *
sheet_name (const char *wanted, GHashTable *taken, guint index)
{
  g_autoptr(GString) base = g_string_new (NULL);
  guint n = 0;

  for (const char *p = wanted != NULL && g_utf8_validate (wanted, -1, NULL) ? wanted : "";
       *p != '\0' && n < SHEET_NAME_MAX; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (strchr ("[]:*?/\\'", (int) c) != NULL && c < 0x80)
        g_string_append_c (base, '_');
      else
        g_string_append_unichar (base, c);
    }
  if (base->len == 0)
    g_string_printf (base, "%u", index + 1);
  if (g_hash_table_contains (taken, base->str))
    {
      g_autofree char *clean = g_strdup (base->str);
      glong length = g_utf8_strlen (clean, -1);

      for (guint k = 2; g_hash_table_contains (taken, base->str); k++)
        {
          g_autofree char *suffix = g_strdup_printf ("(%u)", k);
          g_autofree char *stem = g_utf8_substring (clean, 0, MIN (length, SHEET_NAME_MAX - (glong) strlen (suffix)));

          g_string_printf (base, "%s%s", stem, suffix);
        }
    }
  g_hash_table_add (taken, g_strdup (base->str));
  return g_string_free (g_steal_pointer (&base), FALSE);
}

typedef struct {
  lxw_format *title, *header, *text, *number;
} Formats;

static void
write_cell (lxw_worksheet *ws, guint row, guint col, const char *text, gboolean numeric, const Formats *f)
{
  char *end = NULL;
  double x;

  if (text == NULL || *text == '\0')
    return;
  x = numeric ? g_ascii_strtod (text, &end) : 0.0;
  if (numeric && end != NULL && *end == '\0' && end != text)
    worksheet_write_number (ws, (lxw_row_t) row, (lxw_col_t) col, x, f->number);
  else
    worksheet_write_string (ws, (lxw_row_t) row, (lxw_col_t) col, text, f->text);
}

static void
write_worksheet (lxw_worksheet *ws, GpSheet *sheet, const Formats *f)
{
  guint n = sheet->header->len, top = sheet->title != NULL ? 1 : 0;
  g_autofree double *width = g_new0 (double, n + 1);

  if (n == 0)
    return;
  if (sheet->title != NULL)
    {
      if (n > 1)
        worksheet_merge_range (ws, 0, 0, 0, (lxw_col_t) (n - 1), sheet->title, f->title);
      else
        worksheet_write_string (ws, 0, 0, sheet->title, f->title);
      worksheet_set_row (ws, 0, 24, NULL);
    }
  for (guint c = 0; c < n; c++)
    {
      worksheet_write_string (ws, (lxw_row_t) top, (lxw_col_t) c, g_ptr_array_index (sheet->header, c), f->header);
      width[c] = text_width (g_ptr_array_index (sheet->header, c));
    }
  for (guint r = 0; r < sheet->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (sheet->rows, r);

      for (guint c = 0; c < n; c++)
        {
          write_cell (ws, top + 1 + r, c, cell (row, c), g_array_index (sheet->numeric, gboolean, c), f);
          width[c] = MAX (width[c], text_width (cell (row, c)));
        }
    }
  for (guint c = 0; c < n; c++)
    worksheet_set_column (ws, (lxw_col_t) c, (lxw_col_t) c, CLAMP (width[c] + 2.0, COLUMN_WIDTH_MIN, COLUMN_WIDTH_MAX),
                          NULL);
  /* The header stays in sight while scrolling, and every column can be filtered. */
  worksheet_freeze_panes (ws, (lxw_row_t) (top + 1), 0);
  worksheet_autofilter (ws, (lxw_row_t) top, 0, (lxw_row_t) (top + MAX (sheet->rows->len, 1)), (lxw_col_t) (n - 1));
}

static gboolean
write_xlsx (GPtrArray *sheets, const char *path, GError **error)
{
  g_autoptr(GpOutput) output = gp_output_new (path, error);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lxw_workbook *wb;
  lxw_error rc;
  Formats f;

  if (output == NULL)
    return FALSE;
  /* libxlsxwriter writes the file by its name: the temporary, renamed into place on commit. */
  wb = workbook_new (gp_output_get_temp_path (output));
  if (wb == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write the workbook"), path);
      return FALSE;
    }
  f.title = workbook_add_format (wb);
  format_set_bold (f.title);
  format_set_font_size (f.title, 14);
  format_set_align (f.title, LXW_ALIGN_CENTER);
  format_set_align (f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.header = workbook_add_format (wb);
  format_set_bold (f.header);
  format_set_bg_color (f.header, 0xDDEBF7);
  format_set_border (f.header, LXW_BORDER_THIN);
  format_set_text_wrap (f.header);
  f.text = workbook_add_format (wb);
  /* Codes, phones and ID numbers stay text: as numbers Excel shows 1.50621E+17. */
  format_set_num_format (f.text, "@");
  f.number = workbook_add_format (wb);
  for (guint s = 0; s < sheets->len; s++)
    {
      GpSheet *sheet = g_ptr_array_index (sheets, s);
      g_autofree char *name = sheet_name (sheet->name, taken, s);
      lxw_worksheet *ws = workbook_add_worksheet (wb, name);

      if (ws == NULL)
        {
          workbook_close (wb);
          g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot add the sheet “%s”"), path, name);
          return FALSE;
        }
      write_worksheet (ws, sheet, &f);
    }
  rc = workbook_close (wb);
  if (rc != LXW_NO_ERROR)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot write the workbook: %s"), path, lxw_strerror (rc));
      return FALSE;
    }
  return gp_output_commit (output, error);
}

gboolean
gp_sheet_write (const char *path, GPtrArray *sheets, GError **error)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL && sheets != NULL, FALSE);
  lower = g_utf8_strdown (path, -1);
  if (g_str_has_suffix (lower, ".xlsx"))
    return write_xlsx (sheets, path, error);
  if (g_str_has_suffix (lower, ".csv"))
    {
      if (sheets->len == 0)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: nothing to write"), path);
          return FALSE;
        }
      return write_csv (g_ptr_array_index (sheets, 0), path, error);
    }
  g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: write a list as .xlsx or .csv"), path);
  return FALSE;
}

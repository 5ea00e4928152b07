/* gp-xls.c: old Excel 97-2003 workbooks (.xls), read through FreeXL into the same table of text cells as CSV and .xlsx. */
#include "gp-config.h"

#include "gp-xls.h"

#include <freexl.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "gp-error.h"

/* Excel shows 15 significant digits; whole numbers below that print exactly. */
#define EXCEL_DIGITS_LIMIT 1e15

static char *
number_text (double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (x))
    return g_strdup ("");
  if (x == floor (x) && fabs (x) < EXCEL_DIGITS_LIMIT)
    return g_strdup_printf ("%.0f", x);
  g_ascii_formatd (buf, sizeof buf, "%.15G", x);
  return g_strdup (buf);
}

static char *
cell_text (const FreeXL_CellValue *cell)
{
  switch (cell->type)
    {
    case FREEXL_CELL_INT:
      return g_strdup_printf ("%d", cell->value.int_value);
    case FREEXL_CELL_DOUBLE:
      return number_text (cell->value.double_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
      if (cell->value.text_value != NULL && g_utf8_validate (cell->value.text_value, -1, NULL))
        return g_strstrip (g_strdup (cell->value.text_value));
      return g_strdup ("");
    case FREEXL_CELL_NULL:
    default:
      return g_strdup ("");
    }
}

/* The index of SHEET among the workbook's sheets; FALSE with the sheets named when it is none. */
static gboolean
find_sheet (const void *xls, const char *path, const char *sheet, unsigned short *index, GError **error)
{
  g_autoptr(GString) all = g_string_new (NULL);
  unsigned int count = 0;

  *index = 0;
  if (freexl_get_info (xls, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK || count == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the workbook has no sheets"), path);
      return FALSE;
    }
  if (sheet == NULL)
    return TRUE;
  for (unsigned short i = 0; i < count; i++)
    {
      const char *name = NULL;

      if (freexl_get_worksheet_name (xls, i, &name) != FREEXL_OK || name == NULL)
        continue;
      if (g_strcmp0 (name, sheet) == 0)
        {
          *index = i;
          return TRUE;
        }
      g_string_append_printf (all, "%s“%s”", all->len > 0 ? _(", ") : "", name);
    }
  g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no sheet “%s” (the sheets: %s)"), path, sheet, all->str);
  return FALSE;
}

static void
read_rows (const void *xls, unsigned int n_rows, unsigned short n_cols, GPtrArray *rows)
{
  for (unsigned int r = 0; r < n_rows; r++)
    {
      GpTableRow *row = g_new0 (GpTableRow, 1);
      gboolean blank = TRUE;

      row->line = r + 1;
      row->cells = g_ptr_array_new_with_free_func (g_free);
      for (unsigned short c = 0; c < n_cols; c++)
        {
          FreeXL_CellValue cell = { 0 };
          char *text = freexl_get_cell_value (xls, r, c, &cell) == FREEXL_OK ? cell_text (&cell) : g_strdup ("");

          blank &= *text == '\0';
          g_ptr_array_add (row->cells, text);
        }
      /* Trailing empty cells go, as in the other readers; blank rows are left out. */
      while (row->cells->len > 0 && *(const char *) g_ptr_array_index (row->cells, row->cells->len - 1) == '\0')
        g_ptr_array_remove_index (row->cells, row->cells->len - 1);
      if (blank)
        gp_table_row_free (row);
      else
        g_ptr_array_add (rows, row);
    }
}

GpTable *
gp_xls_read_table (const char *path, const char *sheet, GError **error)
{
  const void *xls = NULL;
  unsigned int n_rows = 0;
  unsigned short n_cols = 0, index = 0;
  unsigned int password = 0;
  GpTable *table = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_IO, _("%s: cannot open the workbook"), path);
      return NULL;
    }
  rc = freexl_open (path, &xls);
  if (rc != FREEXL_OK)
    {
      if (xls != NULL)
        freexl_close (xls);
      g_set_error (error, GP_ERROR, rc == FREEXL_FILE_NOT_FOUND ? GP_ERROR_IO : GP_ERROR_FORMAT,
                   _("%s: not an Excel 97-2003 workbook (.xls), or damaged"), path);
      return NULL;
    }
  /* FreeXL cannot decrypt: the cells would read as noise. */
  if (freexl_get_info (xls, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK && password == FREEXL_BIFF_OBFUSCATED)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: the workbook is password-protected; save it without"),
                   path);
      goto out;
    }
  if (!find_sheet (xls, path, sheet, &index, error))
    goto out;
  if (freexl_select_active_worksheet (xls, index) != FREEXL_OK
      || freexl_worksheet_dimensions (xls, &n_rows, &n_cols) != FREEXL_OK)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: cannot read the sheet"), path);
      goto out;
    }
  table = g_new0 (GpTable, 1);
  table->encoding = g_strdup ("UTF-8");
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_table_row_free);
  read_rows (xls, n_rows, n_cols, table->rows);

out:
  freexl_close (xls);
  return table;
}

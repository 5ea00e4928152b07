/* gp-plan-table.c: the header row of a planner's spreadsheet, and which column is which. */
#include "gp-config.h"

#include "gp-plan-table.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"

char *
gp_plan_header_key (const char *text)
{
  g_autofree char *down = g_utf8_strdown (text, -1);
  GString *key = g_string_new (NULL);

  for (const char *p = down; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x3000)
        continue;
      if (c == 0xFF08)
        c = '(';
      else if (c == 0xFF09)
        c = ')';
      g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

guint
gp_plan_map_columns (const GpTableRow *row, guint n_cols, const char *const words[][GP_PLAN_COLUMN_WORDS], gint *col)
{
  guint known = 0;

  for (guint c = 0; c < n_cols; c++)
    col[c] = -1;
  for (guint i = 0; i < row->cells->len; i++)
    {
      g_autofree char *key = gp_plan_header_key (g_ptr_array_index (row->cells, i));

      for (guint c = 0; c < n_cols; c++)
        for (guint k = 0; k < GP_PLAN_COLUMN_WORDS && words[c][k] != NULL; k++)
          if (col[c] < 0 && strcmp (key, words[c][k]) == 0)
            {
              col[c] = (gint) i;
              known++;
            }
    }
  return known;
}

gint
gp_plan_find_header (const GpTable *table, guint n_cols, const char *const words[][GP_PLAN_COLUMN_WORDS],
                     guint required, gint *col)
{
  for (guint r = 0; r < table->rows->len && r < GP_PLAN_HEADER_SEARCH_ROWS; r++)
    if (gp_plan_map_columns (g_ptr_array_index (table->rows, r), n_cols, words, col) >= 2 && col[required] >= 0)
      return (gint) r;
  return -1;
}

GpTable *
gp_plan_open_table (const char *path, const char *encoding, const char *sheet, guint n_cols,
                    const char *const words[][GP_PLAN_COLUMN_WORDS], guint required, const char *what_column,
                    gint *col, gint *header, GError **error)
{
  g_autoptr(GpTable) table = gp_table_read (path, encoding, sheet, error);

  if (table == NULL)
    return NULL;
  *header = gp_plan_find_header (table, n_cols, words, required, col);
  if (*header < 0)
    {
      /* TRANSLATORS: "花名册.csv: no header row with a name column (姓名 or name) in the first 10 rows" */
      g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: no header row with %s in the first %d rows"), path,
                   what_column, GP_PLAN_HEADER_SEARCH_ROWS);
      return NULL;
    }
  return g_steal_pointer (&table);
}

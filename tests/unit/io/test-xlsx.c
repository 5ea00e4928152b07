/* test-xlsx.c: workbooks as Excel and WPS save them (written here by libxlsxwriter) read back: shared and inline strings, numbers as written, row numbers, sheets by name, errors. */
#include "src/io/gp-xlsx.h"
#include "src/core/gp-error.h"
#include "gp-test-util.h"

#include <string.h>
#include <xlsxwriter.h>

/* A roster workbook: a title in row 1, the header in row 3, ID numbers as text, a phone as a
 * number, an ID number typed as a number, a gap in the columns; a second sheet. */
static char *
write_workbook (const char *dir, const char *name, gboolean inline_strings)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  lxw_workbook_options options = { .constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE };
  lxw_workbook *book = workbook_new_opt (path, &options);
  lxw_worksheet *sheet = workbook_add_worksheet (book, "花名册");
  lxw_worksheet *other = workbook_add_worksheet (book, "说明");

  worksheet_write_string (sheet, 0, 0, "宏泰社区网格员花名册", NULL);
  worksheet_write_string (sheet, 2, 0, "姓名", NULL);
  worksheet_write_string (sheet, 2, 1, "身份证号", NULL);
  worksheet_write_string (sheet, 2, 2, "手机", NULL);
  worksheet_write_string (sheet, 2, 4, "身份", NULL);
  worksheet_write_string (sheet, 3, 0, "云国军", NULL);
  worksheet_write_string (sheet, 3, 1, "150621190009078195", NULL);
  worksheet_write_number (sheet, 3, 2, 15800008642.0, NULL);
  worksheet_write_string (sheet, 3, 4, "专职网格员", NULL);
  worksheet_write_string (sheet, 4, 0, "刘雪", NULL);
  worksheet_write_number (sheet, 4, 1, 150621190005226541.0, NULL);
  worksheet_write_boolean (sheet, 4, 2, 1, NULL);
  worksheet_write_string (sheet, 4, 4, "党员", NULL);
  worksheet_write_string (other, 0, 0, "说明", NULL);
  g_assert_cmpint (workbook_close (book), ==, LXW_NO_ERROR);
  return g_steal_pointer (&path);
}

static const char *
cell (GpTable *t, guint row, guint col)
{
  return gp_table_row_cell (g_ptr_array_index (t->rows, row), col);
}

static void
test_read (void)
{
  g_autofree char *dir = gp_test_tmpdir ();

  for (guint mode = 0; mode < 2; mode++)
    {
      g_autofree char *path = write_workbook (dir, mode == 0 ? "shared.xlsx" : "inline.xlsx", mode == 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GpTable) t = gp_xlsx_read_table (path, NULL, &error);
      g_autoptr(GpTable) other = NULL;

      g_assert_no_error (error);
      /* Blank row 2 left out; rows keep their numbers. */
      g_assert_cmpuint (t->rows->len, ==, 4);
      g_assert_cmpuint (((GpTableRow *) g_ptr_array_index (t->rows, 0))->line, ==, 1);
      g_assert_cmpuint (((GpTableRow *) g_ptr_array_index (t->rows, 1))->line, ==, 3);
      g_assert_cmpuint (((GpTableRow *) g_ptr_array_index (t->rows, 3))->line, ==, 5);
      g_assert_cmpstr (cell (t, 0, 0), ==, "宏泰社区网格员花名册");
      g_assert_cmpstr (cell (t, 1, 4), ==, "身份");
      g_assert_cmpstr (cell (t, 1, 3), ==, "");            /* the gap between columns */
      g_assert_cmpstr (cell (t, 2, 1), ==, "150621190009078195");
      g_assert_cmpstr (cell (t, 2, 2), ==, "15800008642"); /* a number as Excel wrote it */
      g_assert_cmpstr (cell (t, 3, 2), ==, "TRUE");
      /* Typed as a number, the ID number lost its last digits: it reads as such, never rounded
       * into something that looks valid. */
      g_assert_nonnull (strchr (cell (t, 3, 1), 'E'));
      other = gp_xlsx_read_table (path, "说明", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cell (other, 0, 0), ==, "说明");
    }
  gp_test_rmdir (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autofree char *book = write_workbook (dir, "book.xlsx", FALSE);
  g_autofree char *text = g_build_filename (dir, "text.xlsx", NULL);
  g_autofree char *none = g_build_filename (dir, "none.xlsx", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (gp_xlsx_read_table (book, "名单", &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“花名册”"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (text, "姓名,身份\n张三,党员\n", -1, NULL));
  g_assert_null (gp_xlsx_read_table (text, NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "text.xlsx"));
  g_clear_error (&error);
  g_assert_null (gp_xlsx_read_table (none, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "none.xlsx"));
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/xlsx/read", test_read);
  g_test_add_func ("/xlsx/errors", test_errors);
  return g_test_run ();
}

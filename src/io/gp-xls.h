/* gp-xls.h: an old Excel 97-2003 workbook (.xls, BIFF8) read as a table of text cells, through FreeXL. */
#pragma once

#include "gp-table.h"

G_BEGIN_DECLS

/* The sheet SHEET (NULL: the first) of the .xls workbook at PATH, each row with its sheet row
 * number; text as FreeXL decodes it (UTF-8 from the workbook's code page), whole numbers
 * written without a decimal point (a phone typed as a number keeps its 11 digits), others with
 * Excel's 15 significant digits (an ID number typed as a number reads 1.50621190009078E+17, as
 * in Excel). Errors: GP_ERROR_IO (cannot open), GP_ERROR_FORMAT (not a workbook, damaged,
 * password-protected), GP_ERROR_NOT_FOUND (no such sheet, the sheets named). */
GpTable *gp_xls_read_table (const char *path, const char *sheet, GError **error);

G_END_DECLS

/* gp-xlsx.h: an Excel/WPS workbook (.xlsx) read as a table of text cells. */
#pragma once

#include "gp-table.h"

G_BEGIN_DECLS

/* The sheet SHEET (NULL: the first) of the workbook at PATH: shared and inline strings, numbers as
 * Excel wrote them (an ID number typed as a number reads 1.50621190009078E+17, never rounded
 * further), each row with its sheet row number. Errors: GP_ERROR_IO (cannot open),
 * GP_ERROR_FORMAT (not a workbook, damaged), GP_ERROR_NOT_FOUND (no such sheet, the sheets named). */
GpTable *gp_xlsx_read_table (const char *path, const char *sheet, GError **error);

G_END_DECLS

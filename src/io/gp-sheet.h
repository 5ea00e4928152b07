/* gp-sheet.h: tables written for people to read: an Excel workbook (.xlsx, libxlsxwriter) with a title, a frozen header, a filter and widths that fit Chinese, or CSV that Excel opens in Chinese. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char      *name;     /* the workbook sheet's name (made valid and unique when written) */
  char      *title;    /* a row above the header (xlsx only); NULL: none */
  GPtrArray *header;   /* of char* */
  GPtrArray *rows;     /* of GPtrArray of char*; a NULL cell is left empty */
  GArray    *numeric;  /* of gboolean per column: written as numbers in a workbook */
} GpSheet;

GpSheet   *gp_sheet_new         (const char *name, const char *title, const char *const *header);
void       gp_sheet_free        (GpSheet *sheet);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpSheet, gp_sheet_free)
/* Column COLUMN holds counts: a workbook gets numbers, so they sum and sort. */
void       gp_sheet_set_numeric (GpSheet *sheet, guint column);
/* A new empty row at the end: append its cells (owned, g_strdup'ed or NULL) in column order. */
GPtrArray *gp_sheet_add_row     (GpSheet *sheet);

/* Writes SHEETS (of GpSheet) to PATH by its name: .xlsx gets every sheet; .csv the first one
 * alone, UTF-8 with a BOM so that Excel and WPS show the Chinese. Written under a temporary
 * name and renamed: on any error nothing is left at PATH. GP_ERROR_INVALID_ARGUMENT for another
 * extension, GP_ERROR_IO when it cannot be written. */
gboolean   gp_sheet_write       (const char *path, GPtrArray *sheets, GError **error);

/* TRUE when PATH names a workbook (.xlsx) or CSV file, what gp_sheet_write() writes. */
gboolean   gp_sheet_path_ok     (const char *path);

G_END_DECLS

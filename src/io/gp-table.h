/* gp-table.h: a spreadsheet as rows of text cells (CSV, .xlsx); each row keeps its line or row number for messages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint      line;    /* the file's line number where the row starts (1-based) */
  GPtrArray *cells;   /* of char*, UTF-8, blanks trimmed; empty cells are "" */
} GpTableRow;

typedef struct {
  char      *encoding;  /* what the text was decoded from ("UTF-8", "GB18030"...) */
  GPtrArray *rows;      /* of GpTableRow*, blank rows left out */
} GpTable;

void     gp_table_free     (GpTable *table);
void     gp_table_row_free (GpTableRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpTable, gp_table_free)

/* Reads a CSV file (RFC 4180 quoting, comma or semicolon or tab separated, LF or CRLF) in
 * ENCODING, or when NULL detected (UTF-8 with or without BOM, else GB18030, as Excel and WPS save
 * on Chinese Windows). Errors: GP_ERROR_IO (unreadable), GP_ERROR_ENCODING (text that does not
 * decode, with its line), GP_ERROR_FORMAT (broken quoting, with its line). */
GpTable *gp_table_read_csv (const char *path, const char *encoding, GError **error);

/* A roster or list by its file name: .xlsx (SHEET, or the first), else CSV (ENCODING). */
GpTable *gp_table_read     (const char *path, const char *encoding, const char *sheet, GError **error);

/* The cell I of ROW, "" past its end. */
const char *gp_table_row_cell (const GpTableRow *row, guint i);

G_END_DECLS

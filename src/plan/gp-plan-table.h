/* gp-plan-table.h: finding the columns of a spreadsheet a planner brings (roster, service items): the header row even below a title, headers in Chinese or English in any order. */
#pragma once

#include <glib.h>

#include "gp-table.h"

G_BEGIN_DECLS

/* The header is looked for in this many first rows. */
#define GP_PLAN_HEADER_SEARCH_ROWS 10
/* Words per column at most (the list ends with NULL). */
#define GP_PLAN_COLUMN_WORDS 10

/* A header as compared: lower case, without blanks, full-width brackets as ASCII. */
char *gp_plan_header_key   (const char *text);

/* Per column c (0..N_COLS), the index in ROW of the cell naming it by one of WORDS[c] (−1:
 * none); returns how many columns were found. */
guint gp_plan_map_columns  (const GpTableRow *row, guint n_cols, const char *const words[][GP_PLAN_COLUMN_WORDS],
                            gint *col);

/* The header row: the first of the first rows with column REQUIRED and at least one other
 * known column; −1 when none. COL as gp_plan_map_columns gives it. */
gint  gp_plan_find_header  (const GpTable *table, guint n_cols, const char *const words[][GP_PLAN_COLUMN_WORDS],
                            guint required, gint *col);

/* Reads the spreadsheet at PATH (gp_table_read) and finds its header (gp_plan_find_header); fails
 * (GP_ERROR_FORMAT) naming the file and WHAT_COLUMN ("a name column (姓名 or name)") when no
 * header is found. HEADER gets the header's row index. */
GpTable *gp_plan_open_table (const char *path, const char *encoding, const char *sheet, guint n_cols,
                             const char *const words[][GP_PLAN_COLUMN_WORDS], guint required,
                             const char *what_column, gint *col, gint *header, GError **error);

G_END_DECLS

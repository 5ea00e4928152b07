/* gp-plan-events.c: the service-item ledger read row by row, each item placed in its grid (by code, else by where it is). */
#include "gp-config.h"

#include "gp-plan-events.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gp-crs.h"
#include "gp-error.h"
#include "gp-geom.h"
#include "gp-plan-data.h"
#include "gp-plan-table.h"
#include "gp-project-grids.h"

typedef enum {
  COL_CODE, COL_NAME, COL_KIND, COL_STATUS, COL_DATE, COL_LON, COL_LAT, COL_GRID, COL_N
} Column;

static const char *const column_words[COL_N][GP_PLAN_COLUMN_WORDS] = {
  [COL_CODE] = { "编号", "事项编号", "工单号", "工单编号", "序号", "code", "id", "no", NULL },
  [COL_NAME] = { "事项", "事项名称", "事项内容", "内容", "标题", "name", "title", "item", NULL },
  [COL_KIND] = { "类型", "事项类型", "类别", "type", "kind", "category", NULL },
  [COL_STATUS] = { "状态", "办理状态", "事项状态", "红黄绿", "status", "state", NULL },
  [COL_DATE] = { "日期", "时间", "登记日期", "受理日期", "受理时间", "date", NULL },
  [COL_LON] = { "经度", "lon", "lng", "longitude", NULL },
  [COL_LAT] = { "纬度", "lat", "latitude", NULL },
  [COL_GRID] = { "网格编码", "网格代码", "所属网格", "网格", "grid", "grid_code", NULL },
};

static const char *const status_words[GP_EVENT_N_STATUS][14] = {
  [GP_EVENT_GREEN] = { "绿", "绿色", "green", "已办结", "办结", "已完成", "完成", "已处理", "done", "closed",
                       "resolved", NULL },
  [GP_EVENT_YELLOW] = { "黄", "黄色", "yellow", "办理中", "处理中", "在办", "进行中", "待办", "未办结", "open",
                        "pending", "inprogress", NULL },
  [GP_EVENT_RED] = { "红", "红色", "red", "超期", "逾期", "超时", "紧急", "overdue", "urgent", NULL },
};

gboolean
gp_event_status_parse (const char *text, GpEventStatus *status)
{
  g_autofree char *key = text != NULL ? gp_plan_header_key (text) : NULL;

  for (guint s = 0; key != NULL && s < GP_EVENT_N_STATUS; s++)
    for (guint k = 0; status_words[s][k] != NULL; k++)
      /* Keys are lower case without blanks: "In progress" is "inprogress". */
      if (strcmp (key, status_words[s][k]) == 0)
        {
          *status = (GpEventStatus) s;
          return TRUE;
        }
  return FALSE;
}

void
gp_events_result_free (GpEventsResult *result)
{
  if (result == NULL)
    return;
  for (guint i = 0; result->problems != NULL && i < result->problems->len; i++)
    g_free (g_array_index (result->problems, GpRosterProblem, i).reason);
  g_clear_pointer (&result->problems, g_array_unref);
  g_free (result->encoding);
  g_free (result);
}

static void
add_problem (GpEventsResult *result, const GpTableRow *row, gboolean rejected, char *reason)
{
  GpRosterProblem p = { row->line, reason, rejected };

  g_array_append_val (result->problems, p);
  if (rejected)
    result->rejected++;
  else
    result->flagged++;
}

/* A date as ledgers write it (2026-03-05, 2026/3/5, 2026年3月5日, 20260305, or an Excel day
 * number), as YYYY-MM-DD; NULL when it is none. */
static char *
normal_date (const char *text)
{
  guint y = 0, m = 0, d = 0;
  char *end = NULL;
  double serial;

  if (sscanf (text, "%u-%u-%u", &y, &m, &d) == 3 || sscanf (text, "%u/%u/%u", &y, &m, &d) == 3
      || sscanf (text, "%u.%u.%u", &y, &m, &d) == 3 || sscanf (text, "%u年%u月%u日", &y, &m, &d) == 3)
    ;
  else if (strlen (text) == 8 && sscanf (text, "%4u%2u%2u", &y, &m, &d) == 3)
    ;
  else if ((serial = g_ascii_strtod (text, &end)) > 20000.0 && serial < 80000.0 && end != NULL && *end == '\0')
    {
      /* Excel counts days from 1899-12-30. */
      g_autoptr(GDate) date = g_date_new_dmy (30, G_DATE_DECEMBER, 1899);

      g_date_add_days (date, (guint) serial);
      y = g_date_get_year (date);
      m = g_date_get_month (date);
      d = g_date_get_day (date);
    }
  if (y < 1900 || y > 2200 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", y, m, d);
}

/* The grids, prepared for points to find theirs, in the project's coordinates. */
typedef struct {
  GEOSContextHandle_t ctx;
  GPtrArray          *geoms;
  GPtrArray          *prepared;
  GPtrArray          *codes;     /* borrowed from data->grids */
  GEOSSTRtree        *tree;
  GHashTable         *known;     /* grid code → itself */
  GpCrs              *crs;
  gboolean            has_extent;
  double              extent[4];
} Grids;

static void
grids_init (Grids *g, GpPlanData *data)
{
  double bbox[4];

  g->ctx = gp_geos ();
  g->geoms = g_ptr_array_new ();
  g->prepared = g_ptr_array_new ();
  g->codes = g_ptr_array_new ();
  g->known = g_hash_table_new (g_str_hash, g_str_equal);
  g->tree = GEOSSTRtree_create_r (g->ctx, 10);
  g->crs = gp_project_get_crs (data->project);
  for (guint i = 0; i < data->grids->len; i++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, i);
      GEOSGeometry *geom = grid->shape != NULL ? gp_geom_from_shape (g->ctx, grid->shape, NULL) : NULL;

      g_hash_table_add (g->known, grid->code);
      if (geom == NULL)
        continue;
      g_ptr_array_add (g->geoms, geom);
      g_ptr_array_add (g->prepared, (gpointer) GEOSPrepare_r (g->ctx, geom));
      g_ptr_array_add (g->codes, grid->code);
      GEOSSTRtree_insert_r (g->ctx, g->tree, geom, GUINT_TO_POINTER (g->geoms->len));
    }
  if (gp_layer_get_bbox (data->areas, bbox))
    {
      gboolean degrees = g->crs == NULL || gp_crs_is_geographic (g->crs);
      double margin = MAX (0.5 * MAX (bbox[2] - bbox[0], bbox[3] - bbox[1]), degrees ? 0.05 : 5000.0);

      g->has_extent = TRUE;
      g->extent[0] = bbox[0] - margin;
      g->extent[1] = bbox[1] - margin;
      g->extent[2] = bbox[2] + margin;
      g->extent[3] = bbox[3] + margin;
    }
}

static void
grids_clear (Grids *g)
{
  GEOSSTRtree_destroy_r (g->ctx, g->tree);
  for (guint i = 0; i < g->geoms->len; i++)
    {
      GEOSPreparedGeom_destroy_r (g->ctx, g_ptr_array_index (g->prepared, i));
      GEOSGeom_destroy_r (g->ctx, g_ptr_array_index (g->geoms, i));
    }
  g_ptr_array_unref (g->geoms);
  g_ptr_array_unref (g->prepared);
  g_ptr_array_unref (g->codes);
  g_hash_table_unref (g->known);
}

typedef struct {
  Grids              *grids;
  const GEOSGeometry *point;
  guint               found;   /* index + 1; the lowest, so the answer does not depend on the tree */
} Locate;

static void
locate_visit (void *item, void *user_data)
{
  Locate *l = user_data;
  guint i = GPOINTER_TO_UINT (item);

  if ((l->found == 0 || i < l->found)
      && GEOSPreparedIntersects_r (l->grids->ctx, g_ptr_array_index (l->grids->prepared, i - 1), l->point) == 1)
    l->found = i;
}

/* The grid holding (X, Y) in the project's coordinates, or NULL. */
static const char *
grid_at (Grids *g, double x, double y)
{
  GEOSGeometry *point = GEOSGeom_createPointFromXY_r (g->ctx, x, y);
  Locate l = { g, point, 0 };

  GEOSSTRtree_query_r (g->ctx, g->tree, point, locate_visit, &l);
  GEOSGeom_destroy_r (g->ctx, point);
  return l.found > 0 ? g_ptr_array_index (g->codes, l.found - 1) : NULL;
}

static const char *
cell (const GpTableRow *row, const gint *col, Column c)
{
  return col[c] >= 0 ? gp_table_row_cell (row, col[c]) : "";
}

/* The place of the row in the project's coordinates; FALSE (with REASON) when it is written but
 * is not a place in or near the project, FALSE without when there is none. */
static gboolean
read_place (const GpTableRow *row, const gint *col, Grids *g, double *xy, char **reason)
{
  const char *lon = cell (row, col, COL_LON), *lat = cell (row, col, COL_LAT);
  char *end_x = NULL, *end_y = NULL;
  gboolean ok;

  if (*lon == '\0' && *lat == '\0')
    return FALSE;
  xy[0] = g_ascii_strtod (lon, &end_x);
  xy[1] = g_ascii_strtod (lat, &end_y);
  ok = *lon != '\0' && *lat != '\0' && *end_x == '\0' && *end_y == '\0' && fabs (xy[0]) <= 180.0
       && fabs (xy[1]) <= 90.0;
  if (ok && g->crs != NULL && !gp_crs_is_geographic (g->crs))
    ok = gp_crs_from_lonlat (g->crs, xy, 1, NULL);
  if (ok && g->has_extent)
    ok = xy[0] >= g->extent[0] && xy[0] <= g->extent[2] && xy[1] >= g->extent[1] && xy[1] <= g->extent[3];
  if (!ok)
    *reason = g_strdup (_("the place (longitude, latitude) is not a place in or near the project"));
  return ok;
}

static GpProjectEvent *
read_event (const GpTableRow *row, const gint *col, Grids *g, GHashTable *seen, GpEventsResult *result)
{
  g_autoptr(GString) flags = g_string_new (NULL);
  const char *code = cell (row, col, COL_CODE), *status = cell (row, col, COL_STATUS);
  const char *grid = cell (row, col, COL_GRID), *date = cell (row, col, COL_DATE);
  GpProjectEvent *e;
  char *reason = NULL;
  double xy[2];
  gboolean has_point;
  gpointer earlier;

  if (*code == '\0')
    return (add_problem (result, row, TRUE, g_strdup (_("no code (编号)"))), NULL);
  if ((earlier = g_hash_table_lookup (seen, code)) != NULL)
    return (add_problem (result, row, TRUE, g_strdup_printf (_("the code %s was already on row %u"), code,
                                                               GPOINTER_TO_UINT (earlier))), NULL);
  g_hash_table_insert (seen, g_strdup (code), GUINT_TO_POINTER (row->line));
  e = gp_project_event_new ();
  if (!gp_event_status_parse (status, &e->status))
    {
      add_problem (result, row, TRUE,
                   *status == '\0' ? g_strdup (_("no status (红, 黄 or 绿)"))
                                   : g_strdup_printf (_("the status “%s” is none of 红/黄/绿, red/yellow/green, "
                                                        "超期/办理中/已办结"), status));
      gp_project_event_free (e);
      return NULL;
    }
  has_point = read_place (row, col, g, xy, &reason);
  if (reason != NULL)
    {
      add_problem (result, row, TRUE, reason);
      gp_project_event_free (e);
      return NULL;
    }
  if (*grid != '\0' && !g_hash_table_contains (g->known, grid))
    {
      add_problem (result, row, TRUE, g_strdup_printf (_("no grid %s in the project"), grid));
      gp_project_event_free (e);
      return NULL;
    }
  if (*grid == '\0' && !has_point)
    {
      add_problem (result, row, TRUE, g_strdup (_("neither a place (经度, 纬度) nor a grid code (网格编码)")));
      gp_project_event_free (e);
      return NULL;
    }
  e->code = g_strdup (code);
  e->name = *cell (row, col, COL_NAME) != '\0' ? g_strdup (cell (row, col, COL_NAME)) : NULL;
  e->kind = *cell (row, col, COL_KIND) != '\0' ? g_strdup (cell (row, col, COL_KIND)) : NULL;
  e->has_point = has_point;
  e->x = xy[0];
  e->y = xy[1];
  /* The grid the ledger names wins; else the grid holding the place. */
  e->grid_code = g_strdup (*grid != '\0' ? grid : grid_at (g, xy[0], xy[1]));
  if (e->grid_code == NULL)
    g_string_append (flags, _("the place is in no grid"));
  if (*date != '\0' && (e->date = normal_date (date)) == NULL)
    g_string_append_printf (flags, "%s%s", flags->len > 0 ? _("; ") : "", _("the date is not a date"));
  if (flags->len > 0)
    add_problem (result, row, FALSE, g_strdup (flags->str));
  return e;
}

static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const GpRosterProblem *x = a, *y = b;

  return (x->row > y->row) - (x->row < y->row);
}

GpEventsResult *
gp_plan_import_events (GpProject *project, const char *path, const char *encoding, const char *sheet,
                       GError **error)
{
  g_autoptr(GpEventsResult) result = g_new0 (GpEventsResult, 1);
  g_autoptr(GpTable) table = NULL;
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_event_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Grids grids = { 0 };
  gint col[COL_N];
  gint header;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  table = gp_plan_open_table (path, encoding, sheet, COL_N, column_words, COL_STATUS,
                              _("a status column (状态 or status)"), col, &header, error);
  if (table == NULL)
    return NULL;
  data = gp_plan_data_load (project, error);
  if (data == NULL)
    return NULL;
  result->encoding = g_strdup (table->encoding);
  result->problems = g_array_new (FALSE, FALSE, sizeof (GpRosterProblem));
  grids_init (&grids, data);
  for (guint r = (guint) header + 1; r < table->rows->len; r++)
    {
      const GpTableRow *row = g_ptr_array_index (table->rows, r);
      GpProjectEvent *e;
      gboolean blank = TRUE;

      for (guint i = 0; i < row->cells->len && blank; i++)
        blank = *(const char *) g_ptr_array_index (row->cells, i) == '\0';
      if (blank)
        continue;
      e = read_event (row, col, &grids, seen, result);
      if (e != NULL)
        {
          result->by_status[e->status]++;
          g_ptr_array_add (events, e);
        }
    }
  grids_clear (&grids);
  g_array_sort (result->problems, compare_problems);
  if (!gp_project_put_events (project, events, &result->imported, &result->updated, error))
    return NULL;
  return g_steal_pointer (&result);
}

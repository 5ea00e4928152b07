/* gp-plan-events.h: service items (服务事项) read from the ledgers offices keep (CSV, .xlsx, .xls), each placed in its grid by its grid code or its place, problem rows named by row. */
#pragma once

#include <glib.h>

#include "gp-plan-roster.h"
#include "gp-project-events.h"
#include "gp-project.h"

G_BEGIN_DECLS

typedef struct {
  char   *encoding;                     /* what the file's text was read as */
  guint   imported;                     /* new items */
  guint   updated;                      /* items already in the project (same code), updated */
  guint   rejected;
  guint   flagged;                      /* imported, with something to look at (in no grid, no date) */
  guint   by_status[GP_EVENT_N_STATUS];
  GArray *problems;                     /* of GpRosterProblem: row, reason, rejected */
} GpEventsResult;

void gp_events_result_free (GpEventsResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpEventsResult, gp_events_result_free)

/* The status a ledger writes: 红/黄/绿 or red/yellow/green, or how far the item is (超期 red,
 * 办理中 yellow, 已办结 green). FALSE when TEXT is none of them. */
gboolean gp_event_status_parse (const char *text, GpEventStatus *status);

/* Reads the items at PATH (.xlsx/.xls: SHEET or the first; else CSV in ENCODING, NULL:
 * detected): columns 编号/code, 事项/name, 类型/kind, 状态/status, 日期/date, and 经度/纬度 or
 * 网格编码 (the header may sit below a title). Every row is checked; the good ones are written in
 * one transaction, items already there (same code) updated. Rejected: no code, a code repeated,
 * a status that is none, no place and no grid, an unknown grid, a place far outside the
 * project. Flagged: a place in no grid, a date that is not a date. */
GpEventsResult *gp_plan_import_events (GpProject  *project,
                                       const char *path,
                                       const char *encoding,
                                       const char *sheet,
                                       GError    **error);

G_END_DECLS

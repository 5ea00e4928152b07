/* gp-project-events.h: the service items (服务事项) of a project: red, yellow and green, each in its grid. */
#pragma once

#include <glib.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef enum {
  GP_EVENT_GREEN,    /* done (已办结) */
  GP_EVENT_YELLOW,   /* open, in hand (办理中) */
  GP_EVENT_RED,      /* urgent or overdue (超期) */
  GP_EVENT_N_STATUS
} GpEventStatus;

/* "green", "yellow", "red" as stored. */
const char *gp_event_status_name (GpEventStatus status);

typedef struct {
  char          *code;       /* 编号: the key a re-import updates by */
  char          *name;       /* 事项: what it is about */
  char          *kind;       /* 类型 */
  GpEventStatus  status;
  char          *date;       /* as written (YYYY-MM-DD when it reads as a date) */
  char          *grid_code;  /* NULL: in no grid */
  gboolean       has_point;
  double         x, y;       /* in the project's CRS */
} GpProjectEvent;

GpProjectEvent *gp_project_event_new  (void);
void            gp_project_event_free (GpProjectEvent *event);

/* Writes EVENTS (of GpProjectEvent) in one transaction: an item whose code is already in the
 * project is updated in place, the others added; N_NEW and N_UPDATED count them. */
gboolean gp_project_put_events   (GpProject *self, GPtrArray *events, guint *n_new, guint *n_updated,
                                  GError **error);

/* How many items of each status (indexed by GpEventStatus) the project holds. */
gboolean gp_project_count_events (GpProject *self, guint counts[GP_EVENT_N_STATUS], GError **error);

/* Per grid with items, the worst: VALUES (grid code → double*) gets 0 for green only, 1 with
 * a yellow item open, 2 with a red one. Grids without items are left as they are. */
gboolean gp_project_grid_status  (GpProject *self, GHashTable *values, GError **error);

G_END_DECLS

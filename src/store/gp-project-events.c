/* gp-project-events.c: service items read and written in one go, keyed by their code. */
#include "gp-config.h"

#include "gp-project-events.h"

#include <glib/gi18n-lib.h>

#include "gp-error.h"
#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "gp-wkb.h"

static const char *const status_names[GP_EVENT_N_STATUS] = { "green", "yellow", "red" };

const char *
gp_event_status_name (GpEventStatus status)
{
  g_return_val_if_fail (status < GP_EVENT_N_STATUS, NULL);
  return status_names[status];
}

GpProjectEvent *
gp_project_event_new (void)
{
  return g_new0 (GpProjectEvent, 1);
}

void
gp_project_event_free (GpProjectEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->code);
  g_free (event->name);
  g_free (event->kind);
  g_free (event->date);
  g_free (event->grid_code);
  g_free (event);
}

static gboolean
put_all (GpProject *self, GPtrArray *events, guint *n_new, guint *n_updated, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *exists = NULL, *insert = NULL, *update = NULL;
  gint32 srs_id = _gp_project_get_srs_id (self);
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM events WHERE code = ?", -1, &exists, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO events (geom, code, name, status, grid_code, kind, date)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "UPDATE events SET geom = ?1, name = ?3, status = ?4, grid_code = ?5, kind = ?6,"
                                 " date = ?7 WHERE code = ?2", -1, &update, NULL) != SQLITE_OK)
    goto out;
  for (guint i = 0; i < events->len; i++)
    {
      GpProjectEvent *e = g_ptr_array_index (events, i);
      g_autofree guint8 *blob = NULL;
      gsize length = 0;
      gboolean known;
      sqlite3_stmt *stmt;

      sqlite3_bind_text (exists, 1, e->code, -1, SQLITE_STATIC);
      known = sqlite3_step (exists) == SQLITE_ROW;
      sqlite3_reset (exists);
      stmt = known ? update : insert;
      if (e->has_point)
        {
          g_autoptr(GpShape) point = gp_shape_new_point (e->x, e->y);

          blob = gp_gpkg_blob_new (point, srs_id, &length);
        }
      if (blob != NULL)
        sqlite3_bind_blob (stmt, 1, blob, (int) length, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 1);
      sqlite3_bind_text (stmt, 2, e->code, -1, SQLITE_STATIC);
      _gp_bind_text_or_null (stmt, 3, e->name);
      sqlite3_bind_text (stmt, 4, gp_event_status_name (e->status), -1, SQLITE_STATIC);
      _gp_bind_text_or_null (stmt, 5, e->grid_code);
      _gp_bind_text_or_null (stmt, 6, e->kind);
      _gp_bind_text_or_null (stmt, 7, e->date);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto out;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      (*(known ? n_updated : n_new))++;
    }
  ok = TRUE;

out:
  if (!ok)
    gp_sqlite_set_error (error, db, gp_project_get_path (self));
  sqlite3_finalize (exists);
  sqlite3_finalize (insert);
  sqlite3_finalize (update);
  return ok;
}

gboolean
gp_project_put_events (GpProject *self, GPtrArray *events, guint *n_new, guint *n_updated, GError **error)
{
  guint added = 0, updated = 0;
  g_autofree char *details = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self) && events != NULL, FALSE);
  if (!_gp_project_begin (self, error))
    return FALSE;
  details = g_strdup_printf ("{\"events\":%u}", events->len);
  if (!put_all (self, events, &added, &updated, error) || !_gp_project_log (self, "events", details, error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  if (!_gp_project_commit (self, error))
    return FALSE;
  if (n_new != NULL)
    *n_new = added;
  if (n_updated != NULL)
    *n_updated = updated;
  return TRUE;
}

static int
status_of (const char *name)
{
  for (int s = 0; s < GP_EVENT_N_STATUS; s++)
    if (g_strcmp0 (name, status_names[s]) == 0)
      return s;
  return -1;
}

/* Runs SQL (two columns: a text key, a status name) and hands each row to VISIT. */
static gboolean
each_row (GpProject *self, const char *sql, void (*visit) (const char *, int, gpointer), gpointer user_data,
          GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int s = status_of ((const char *) sqlite3_column_text (stmt, 1));

      if (s >= 0)
        visit ((const char *) sqlite3_column_text (stmt, 0), s, user_data);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  return TRUE;
}

static void
count_one (const char *key, int status, gpointer user_data)
{
  ((guint *) user_data)[status]++;
}

gboolean
gp_project_count_events (GpProject *self, guint counts[GP_EVENT_N_STATUS], GError **error)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  for (int s = 0; s < GP_EVENT_N_STATUS; s++)
    counts[s] = 0;
  return each_row (self, "SELECT code, status FROM events", count_one, counts, error);
}

static void
worst_one (const char *grid, int status, gpointer user_data)
{
  GHashTable *values = user_data;
  double *v;

  if (grid == NULL)
    return;
  v = g_hash_table_lookup (values, grid);
  if (v == NULL || !(*v >= status))
    {
      double s = status;

      g_hash_table_replace (values, g_strdup (grid), g_memdup2 (&s, sizeof s));
    }
}

gboolean
gp_project_grid_status (GpProject *self, GHashTable *values, GError **error)
{
  g_return_val_if_fail (GP_IS_PROJECT (self) && values != NULL, FALSE);
  return each_row (self, "SELECT grid_code, status FROM events WHERE grid_code IS NOT NULL", worst_one, values, error);
}

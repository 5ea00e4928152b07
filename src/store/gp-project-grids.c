/* gp-project-grids.c: grids and grid_units in the project file: read them, replace an area's grids in one transaction. */
#include "gp-config.h"

#include "gp-project-grids.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "gp-wkb.h"

GpProjectGrid *
gp_project_grid_new (void)
{
  GpProjectGrid *grid = g_new0 (GpProjectGrid, 1);

  grid->unit_codes = g_ptr_array_new_with_free_func (g_free);
  return grid;
}

void
gp_project_grid_free (GpProjectGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->code);
  g_free (grid->name);
  g_free (grid->area_code);
  gp_shape_free (grid->shape);
  g_ptr_array_unref (grid->unit_codes);
  g_free (grid);
}

void
gp_project_unplaced_free (GpProjectUnplaced *unplaced)
{
  if (unplaced == NULL)
    return;
  g_free (unplaced->person_id);
  g_free (unplaced->name);
  g_free (unplaced->role);
  g_free (unplaced->grid_code);
  g_free (unplaced);
}

static gboolean
prepare (GpProject *self, const char *sql, sqlite3_stmt **stmt, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);

  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  return TRUE;
}

/* Runs a prepared statement that returns no rows, then resets it for the next use. */
static gboolean
step_done (GpProject *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, _gp_project_get_db (self), gp_project_get_path (self));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
gp_project_load_grids (GpProject *self, const char *area_code, GError **error)
{
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(sqlite3_stmt) rows = NULL;
  g_autoptr(sqlite3_stmt) members = NULL;
  guint row = 0;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);

  if (!prepare (self,
                "SELECT code, name, area_code, kind, locked, party_branch, households, geom"
                " FROM grids WHERE ?1 IS NULL OR area_code = ?1 ORDER BY code", &rows, error))
    return NULL;
  if (area_code != NULL)
    sqlite3_bind_text (rows, 1, area_code, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_autoptr(GpProjectGrid) grid = gp_project_grid_new ();

      row++;
      grid->code = _gp_column_text (rows, 0);
      grid->name = _gp_column_text (rows, 1);
      grid->area_code = _gp_column_text (rows, 2);
      grid->exclusive = g_strcmp0 ((const char *) sqlite3_column_text (rows, 3), "exclusive") == 0;
      grid->locked = sqlite3_column_int (rows, 4) != 0;
      grid->party_branch = sqlite3_column_int (rows, 5) != 0;
      grid->households = sqlite3_column_int64 (rows, 6);
      if (sqlite3_column_type (rows, 7) == SQLITE_BLOB)
        {
          g_autoptr(GError) blob_error = NULL;

          grid->shape = gp_gpkg_blob_parse (sqlite3_column_blob (rows, 7), sqlite3_column_bytes (rows, 7),
                                            NULL, &blob_error);
          if (grid->shape == NULL)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_FORMAT, _("%s: grids: row %u: %s"),
                           gp_project_get_path (self), row, blob_error->message);
              return NULL;
            }
        }
      if (grid->code == NULL)
        continue;
      g_hash_table_insert (by_code, grid->code, grid);
      g_ptr_array_add (grids, g_steal_pointer (&grid));
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, _gp_project_get_db (self), gp_project_get_path (self));
      return NULL;
    }

  if (!prepare (self,
                "SELECT gu.grid_code, gu.unit_code FROM grid_units gu JOIN grids g ON g.code = gu.grid_code"
                " WHERE ?1 IS NULL OR g.area_code = ?1 ORDER BY gu.unit_code", &members, error))
    return NULL;
  if (area_code != NULL)
    sqlite3_bind_text (members, 1, area_code, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (members)) == SQLITE_ROW)
    {
      GpProjectGrid *grid = g_hash_table_lookup (by_code, (const char *) sqlite3_column_text (members, 0));

      if (grid != NULL && sqlite3_column_type (members, 1) != SQLITE_NULL)
        g_ptr_array_add (grid->unit_codes, _gp_column_text (members, 1));
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, _gp_project_get_db (self), gp_project_get_path (self));
      return NULL;
    }
  return g_steal_pointer (&grids);
}

/* ---- replacing ---- */

typedef struct {
  GpProject    *project;
  sqlite3_stmt *old_codes;
  sqlite3_stmt *delete_grid;
  sqlite3_stmt *delete_members;
  sqlite3_stmt *code_used;
  sqlite3_stmt *insert_grid;
  sqlite3_stmt *update_grid;
  sqlite3_stmt *insert_member;
  sqlite3_stmt *meta;
  sqlite3_stmt *assigned;
  sqlite3_stmt *unassign;
  GPtrArray    *unplaced;   /* found so far, handed to the caller on success */
} Replace;

static void
replace_clear (Replace *r)
{
  g_clear_pointer (&r->old_codes, sqlite3_finalize);
  g_clear_pointer (&r->delete_grid, sqlite3_finalize);
  g_clear_pointer (&r->delete_members, sqlite3_finalize);
  g_clear_pointer (&r->code_used, sqlite3_finalize);
  g_clear_pointer (&r->insert_grid, sqlite3_finalize);
  g_clear_pointer (&r->update_grid, sqlite3_finalize);
  g_clear_pointer (&r->insert_member, sqlite3_finalize);
  g_clear_pointer (&r->meta, sqlite3_finalize);
  g_clear_pointer (&r->assigned, sqlite3_finalize);
  g_clear_pointer (&r->unassign, sqlite3_finalize);
  g_clear_pointer (&r->unplaced, g_ptr_array_unref);
}

static gboolean
replace_prepare (Replace *r, GError **error)
{
  GpProject *p = r->project;

  return prepare (p, "SELECT code FROM grids WHERE area_code = ? AND locked = 0 AND kind <> 'exclusive'",
                  &r->old_codes, error)
         && prepare (p, "DELETE FROM grids WHERE code = ?", &r->delete_grid, error)
         && prepare (p, "DELETE FROM grid_units WHERE grid_code = ?", &r->delete_members, error)
         && prepare (p, "SELECT 1 FROM grids WHERE code = ?", &r->code_used, error)
         && prepare (p, "INSERT INTO grids (geom, code, name, area_code, kind, households, locked)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &r->insert_grid, error)
         && prepare (p, "UPDATE grids SET geom = ?1, name = ?3, area_code = ?4, kind = ?5,"
                        " households = ?6, locked = ?7 WHERE code = ?2", &r->update_grid, error)
         && prepare (p, "INSERT INTO grid_units (unit_code, grid_code) VALUES (?, ?)"
                        " ON CONFLICT (unit_code) DO UPDATE SET grid_code = excluded.grid_code",
                     &r->insert_member, error)
         && prepare (p, "INSERT INTO app_meta (key, value) VALUES (?, ?)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value", &r->meta, error)
         && prepare (p, "SELECT a.person_id, p.name, a.role FROM assignments a"
                        " LEFT JOIN people p ON p.id = a.person_id WHERE a.grid_code = ? ORDER BY a.fid",
                     &r->assigned, error)
         && prepare (p, "DELETE FROM assignments WHERE grid_code = ?", &r->unassign, error);
}

static gboolean
write_grid (Replace *r, GpProjectGrid *grid, gboolean update, gint32 srs_id, GError **error)
{
  sqlite3_stmt *stmt = update ? r->update_grid : r->insert_grid;
  g_autofree guint8 *blob = NULL;
  gsize length = 0;

  blob = gp_gpkg_blob_new (grid->shape, srs_id, &length);
  if (blob != NULL)
    sqlite3_bind_blob (stmt, 1, blob, (int) length, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, grid->code, -1, SQLITE_STATIC);
  if (grid->name != NULL)
    sqlite3_bind_text (stmt, 3, grid->name, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, grid->area_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, grid->exclusive ? "exclusive" : "basic", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, MAX (grid->households, 0));
  sqlite3_bind_int (stmt, 7, grid->locked ? 1 : 0);
  if (!step_done (r->project, stmt, error))
    return FALSE;

  if (update)
    {
      sqlite3_bind_text (r->delete_members, 1, grid->code, -1, SQLITE_STATIC);
      if (!step_done (r->project, r->delete_members, error))
        return FALSE;
    }
  for (guint i = 0; i < grid->unit_codes->len; i++)
    {
      sqlite3_bind_text (r->insert_member, 1, g_ptr_array_index (grid->unit_codes, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (r->insert_member, 2, grid->code, -1, SQLITE_STATIC);
      if (!step_done (r->project, r->insert_member, error))
        return FALSE;
    }
  return TRUE;
}

/* Everyone assigned to grid CODE loses that assignment and is listed. */
static gboolean
unassign_grid (Replace *r, const char *code, gboolean gone, GError **error)
{
  int rc;

  sqlite3_bind_text (r->assigned, 1, code, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (r->assigned)) == SQLITE_ROW)
    {
      GpProjectUnplaced *u = g_new0 (GpProjectUnplaced, 1);

      u->person_id = _gp_column_text (r->assigned, 0);
      u->name = _gp_column_text (r->assigned, 1);
      u->role = _gp_column_text (r->assigned, 2);
      u->grid_code = g_strdup (code);
      u->grid_gone = gone;
      g_ptr_array_add (r->unplaced, u);
    }
  sqlite3_reset (r->assigned);
  sqlite3_clear_bindings (r->assigned);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, _gp_project_get_db (r->project), gp_project_get_path (r->project));
      return FALSE;
    }
  sqlite3_bind_text (r->unassign, 1, code, -1, SQLITE_STATIC);
  return step_done (r->project, r->unassign, error);
}

static gboolean
meta_put_text (Replace *r, const char *key, const char *text, GError **error)
{
  sqlite3_bind_text (r->meta, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (r->meta, 2, text, -1, SQLITE_TRANSIENT);
  return step_done (r->project, r->meta, error);
}

static gboolean
meta_put (Replace *r, const char *key, double value, GError **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (text, sizeof text, value);
  return meta_put_text (r, key, text, error);
}

/* The app_meta key of an area's split notes. */
static char *
notes_key (const char *area_code)
{
  return g_strconcat ("split_notes:", area_code, NULL);
}

static char *
log_details (const char *const *area_codes, guint n_areas, guint n_grids, double target)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "areas");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_areas; i++)
    json_builder_add_string_value (b, area_codes[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "grids");
  json_builder_add_int_value (b, n_grids);
  json_builder_set_member_name (b, "target");
  json_builder_add_double_value (b, target);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
run_replace (Replace *r, const char *const *area_codes, guint n_areas, GPtrArray *grids,
             double target, double tolerance, const char *const *area_notes, GError **error)
{
  GpProject *p = r->project;
  g_autoptr(GHashTable) areas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
  gint32 srs_id = _gp_project_get_srs_id (p);
  double bbox[4] = { 0 };
  gboolean any = FALSE;
  g_autofree char *details = NULL;

  if (!replace_prepare (r, error))
    return FALSE;
  for (guint a = 0; a < n_areas; a++)
    {
      int rc;

      g_hash_table_add (areas, (gpointer) area_codes[a]);
      sqlite3_bind_text (r->old_codes, 1, area_codes[a], -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (r->old_codes)) == SQLITE_ROW)
        g_hash_table_add (old, _gp_column_text (r->old_codes, 0));
      sqlite3_reset (r->old_codes);
      if (rc != SQLITE_DONE)
        {
          gp_sqlite_set_error (error, _gp_project_get_db (p), gp_project_get_path (p));
          return FALSE;
        }
    }

  for (guint i = 0; i < grids->len; i++)
    {
      GpProjectGrid *grid = g_ptr_array_index (grids, i);

      if (grid->code == NULL || grid->area_code == NULL || !g_hash_table_contains (areas, grid->area_code))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("%s: grid %s does not belong to an area being split"), gp_project_get_path (p),
                       grid->code != NULL ? grid->code : "?");
          return FALSE;
        }
      if (!g_hash_table_add (fresh, grid->code))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: grid code %s is given twice"),
                       gp_project_get_path (p), grid->code);
          return FALSE;
        }
    }

  /* Grids that are gone go first (their units are free to move), then the new and changed. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, old);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_hash_table_contains (fresh, key))
        {
          if (!unassign_grid (r, key, TRUE, error))
            return FALSE;
          sqlite3_bind_text (r->delete_members, 1, key, -1, SQLITE_STATIC);
          if (!step_done (p, r->delete_members, error))
            return FALSE;
          sqlite3_bind_text (r->delete_grid, 1, key, -1, SQLITE_STATIC);
          if (!step_done (p, r->delete_grid, error))
            return FALSE;
        }
  }
  for (guint i = 0; i < grids->len; i++)
    {
      GpProjectGrid *grid = g_ptr_array_index (grids, i);
      gboolean update = g_hash_table_contains (old, grid->code);
      double b[4];

      if (!update)
        {
          int rc;

          sqlite3_bind_text (r->code_used, 1, grid->code, -1, SQLITE_STATIC);
          rc = sqlite3_step (r->code_used);
          sqlite3_reset (r->code_used);
          if (rc == SQLITE_ROW)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                           _("%s: grid code %s is already used by a locked or exclusive grid"),
                           gp_project_get_path (p), grid->code);
              return FALSE;
            }
        }
      if (update && grid->moved && !unassign_grid (r, grid->code, FALSE, error))
        return FALSE;
      if (!write_grid (r, grid, update, srs_id, error))
        return FALSE;
      if (grid->shape != NULL && gp_shape_get_bbox (grid->shape, b))
        {
          if (!any)
            memcpy (bbox, b, sizeof b);
          bbox[0] = MIN (bbox[0], b[0]);
          bbox[1] = MIN (bbox[1], b[1]);
          bbox[2] = MAX (bbox[2], b[2]);
          bbox[3] = MAX (bbox[3], b[3]);
          any = TRUE;
        }
    }
  if (any && !_gp_project_extend_bbox (p, "grids", bbox, error))
    return FALSE;
  if (!meta_put (r, "split_target", target, error) || !meta_put (r, "split_tolerance", tolerance, error))
    return FALSE;
  for (guint a = 0; a < n_areas; a++)
    {
      g_autofree char *key = notes_key (area_codes[a]);

      if (!meta_put_text (r, key, area_notes != NULL && area_notes[a] != NULL ? area_notes[a] : "", error))
        return FALSE;
    }
  details = log_details (area_codes, n_areas, grids->len, target);
  return _gp_project_log (p, "split", details, error);
}

gboolean
gp_project_replace_grids (GpProject *self, const char *const *area_codes, guint n_areas,
                          GPtrArray *grids, double target, double tolerance, const char *const *area_notes,
                          GPtrArray *unplaced, GError **error)
{
  Replace r = { self };
  gboolean ok;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (area_codes != NULL || n_areas == 0, FALSE);
  g_return_val_if_fail (grids != NULL, FALSE);

  if (!_gp_project_begin (self, error))
    return FALSE;
  r.unplaced = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_unplaced_free);
  ok = run_replace (&r, area_codes, n_areas, grids, target, tolerance, area_notes, error);
  if (ok)
    ok = _gp_project_commit (self, error);
  else
    _gp_project_rollback (self);
  if (ok && unplaced != NULL)
    g_ptr_array_extend_and_steal (unplaced, g_steal_pointer (&r.unplaced));
  replace_clear (&r);
  return ok;
}

gboolean
gp_project_get_split_target (GpProject *self, double *target, double *tolerance)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  double t = NAN, tol = 0.15;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);

  if (!prepare (self, "SELECT key, value FROM app_meta WHERE key IN ('split_target', 'split_tolerance')",
                &stmt, NULL))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);
      double v = value != NULL ? g_ascii_strtod (value, NULL) : NAN;

      if (g_strcmp0 (key, "split_target") == 0)
        t = v;
      else if (isfinite (v))
        tol = v;
    }
  if (!(t > 0.0) || !isfinite (t))
    return FALSE;
  if (target != NULL)
    *target = t;
  if (tolerance != NULL)
    *tolerance = tol;
  return TRUE;
}

char *
gp_project_get_split_notes (GpProject *self, const char *area_code)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = NULL;
  char *value = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  if (area_code == NULL || !prepare (self, "SELECT value FROM app_meta WHERE key = ?", &stmt, NULL))
    return NULL;
  key = notes_key (area_code);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL
      && *sqlite3_column_text (stmt, 0) != '\0')
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return value;
}

/* One number from SQL with ?1 bound to CODE (and its text column 0 when KEYED); FALSE on a
 * database error. */
static gboolean
grid_count (GpProject *self, const char *sql, const char *code, gint64 *out, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _gp_project_get_db (self);
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
gp_project_grid_load (GpProject *self, const char *code, GpProjectGridLoad *load, GError **error)
{
  static const char *const status[3] = { "green", "yellow", "red" };
  gint64 n = 0;

  g_return_val_if_fail (GP_IS_PROJECT (self) && code != NULL && load != NULL, FALSE);
  memset (load, 0, sizeof *load);
  if (!grid_count (self, "SELECT count (*) FROM assignments WHERE grid_code = ?1 AND role = 'fulltime'", code, &n, error))
    return FALSE;
  load->workers = (guint) n;
  if (!grid_count (self, "SELECT coalesce (sum (households), 0) FROM party_contacts WHERE grid_code = ?1", code,
                   &load->contact_households, error))
    return FALSE;
  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM events WHERE grid_code = ?1 AND status = '%s'",
                                              status[s]);

      if (!grid_count (self, sql, code, &n, error))
        return FALSE;
      load->items[s] = (guint) n;
    }
  return TRUE;
}

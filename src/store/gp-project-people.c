/* gp-project-people.c: the people table: read every person, write a roster in one transaction (update in place, so assignments stay). */
#include "gp-config.h"

#include "gp-project-people.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-gpkg.h"
#include "gp-project-private.h"
#include "gp-wkb.h"

GpProjectPerson *
gp_project_person_new (void)
{
  GpProjectPerson *p = g_new0 (GpProjectPerson, 1);

  p->capacity = -1;
  return p;
}

void
gp_project_person_free (GpProjectPerson *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->name);
  g_free (p->role);
  g_free (p->phone);
  g_free (p->id_number);
  g_free (p->org);
  g_free (p->department);
  g_free (p->area_code);
  g_free (p);
}

GPtrArray *
gp_project_load_people (GpProject *self, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  if (sqlite3_prepare_v2 (db, "SELECT id, name, role, phone, id_number, org, department, area_code, capacity, geom"
                              " FROM people ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GpProjectPerson *p = gp_project_person_new ();

      p->id = _gp_column_text (stmt, 0);
      p->name = _gp_column_text (stmt, 1);
      p->role = _gp_column_text (stmt, 2);
      p->phone = _gp_column_text (stmt, 3);
      p->id_number = _gp_column_text (stmt, 4);
      p->org = _gp_column_text (stmt, 5);
      p->department = _gp_column_text (stmt, 6);
      p->area_code = _gp_column_text (stmt, 7);
      p->capacity = sqlite3_column_type (stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 8);
      if (sqlite3_column_type (stmt, 9) == SQLITE_BLOB)
        {
          g_autoptr(GpShape) home = gp_gpkg_blob_parse (sqlite3_column_blob (stmt, 9),
                                                        (gsize) sqlite3_column_bytes (stmt, 9), NULL, NULL);

          if (home != NULL && home->n_points == 1)
            {
              p->has_home = TRUE;
              p->home_x = home->xy[0];
              p->home_y = home->xy[1];
            }
        }
      g_ptr_array_add (people, p);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  return g_steal_pointer (&people);
}

/* The id of the person already there that P is, or NULL: the same ID number, else (without one)
 * the same name and phone. */
static char *
find_existing (sqlite3_stmt *by_number, sqlite3_stmt *by_name, const GpProjectPerson *p)
{
  sqlite3_stmt *stmt = p->id_number != NULL ? by_number : by_name;
  char *id = NULL;

  if (p->id_number != NULL)
    sqlite3_bind_text (by_number, 1, p->id_number, -1, SQLITE_STATIC);
  else
    {
      sqlite3_bind_text (by_name, 1, p->name, -1, SQLITE_STATIC);
      _gp_bind_text_or_null (by_name, 2, p->phone);
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = _gp_column_text (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return id;
}

static gboolean
write_person (GpProject *self, sqlite3_stmt *stmt, GpProjectPerson *p, gint32 srs_id, GError **error)
{
  g_autofree guint8 *blob = NULL;
  gsize length = 0;
  int rc;

  if (p->has_home)
    {
      g_autoptr(GpShape) home = gp_shape_new_point (p->home_x, p->home_y);

      blob = gp_gpkg_blob_new (home, srs_id, &length);
    }
  if (blob != NULL)
    sqlite3_bind_blob (stmt, 1, blob, (int) length, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, p->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, p->name, -1, SQLITE_STATIC);
  _gp_bind_text_or_null (stmt, 4, p->role);
  _gp_bind_text_or_null (stmt, 5, p->phone);
  _gp_bind_text_or_null (stmt, 6, p->id_number);
  _gp_bind_text_or_null (stmt, 7, p->org);
  _gp_bind_text_or_null (stmt, 8, p->department);
  _gp_bind_text_or_null (stmt, 9, p->area_code);
  if (p->capacity >= 0)
    sqlite3_bind_int (stmt, 10, p->capacity);
  else
    sqlite3_bind_null (stmt, 10);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, _gp_project_get_db (self), gp_project_get_path (self));
      return FALSE;
    }
  return TRUE;
}

/* The next free id number: after the highest "P" + digits in the table. */
static guint
next_id_number (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  guint next = 1;

  if (sqlite3_prepare_v2 (db, "SELECT id FROM people WHERE id GLOB 'P[0-9]*'", -1, &stmt, NULL) != SQLITE_OK)
    return next;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      guint64 n = id != NULL ? g_ascii_strtoull (id + 1, NULL, 10) : 0;

      if (n >= next && n < G_MAXUINT)
        next = (guint) n + 1;
    }
  sqlite3_finalize (stmt);
  return next;
}

static gboolean
put_all (GpProject *self, GPtrArray *people, guint *n_new, guint *n_updated, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *by_number = NULL, *by_name = NULL, *insert = NULL, *update = NULL;
  gint32 srs_id = _gp_project_get_srs_id (self);
  guint next = next_id_number (db);
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT id FROM people WHERE id_number = ?", -1, &by_number, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT id FROM people WHERE id_number IS NULL AND name = ?1 AND phone IS ?2",
                             -1, &by_name, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO people (geom, id, name, role, phone, id_number, org, department,"
                                 " area_code, capacity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             -1, &insert, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "UPDATE people SET geom = ?1, name = ?3, role = ?4, phone = ?5, id_number = ?6,"
                                 " org = ?7, department = ?8, area_code = ?9, capacity = ?10 WHERE id = ?2",
                             -1, &update, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      goto out;
    }
  for (guint i = 0; i < people->len; i++)
    {
      GpProjectPerson *p = g_ptr_array_index (people, i);
      char *existing = find_existing (by_number, by_name, p);

      g_free (p->id);
      if (existing != NULL)
        {
          p->id = existing;
          (*n_updated)++;
        }
      else
        {
          p->id = g_strdup_printf ("P%06u", next++);
          (*n_new)++;
        }
      if (!write_person (self, existing != NULL ? update : insert, p, srs_id, error))
        goto out;
    }
  ok = TRUE;

out:
  sqlite3_finalize (by_number);
  sqlite3_finalize (by_name);
  sqlite3_finalize (insert);
  sqlite3_finalize (update);
  return ok;
}

gboolean
gp_project_put_people (GpProject *self, GPtrArray *people, guint *n_new, guint *n_updated, GError **error)
{
  guint added = 0, updated = 0;
  g_autofree char *details = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (people != NULL, FALSE);

  if (!_gp_project_begin (self, error))
    return FALSE;
  details = g_strdup_printf ("{\"people\":%u}", people->len);
  if (!put_all (self, people, &added, &updated, error) || !_gp_project_log (self, "people", details, error))
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

void
gp_project_assignment_free (GpProjectAssignment *a)
{
  if (a == NULL)
    return;
  g_free (a->person_id);
  g_free (a->grid_code);
  g_free (a->role);
  g_free (a);
}

GPtrArray *
gp_project_load_assignments (GpProject *self, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_assignment_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  if (sqlite3_prepare_v2 (db, "SELECT person_id, grid_code, role, source, locked FROM assignments"
                          /* Rows the schema forbids (a damaged file) are no assignments. */
                          " WHERE person_id IS NOT NULL AND grid_code IS NOT NULL ORDER BY fid", -1,
                          &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GpProjectAssignment *a = g_new0 (GpProjectAssignment, 1);

      a->person_id = _gp_column_text (stmt, 0);
      a->grid_code = _gp_column_text (stmt, 1);
      a->role = _gp_column_text (stmt, 2);
      a->manual = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "auto") != 0;
      a->locked = sqlite3_column_int (stmt, 4) != 0;
      /* An empty blob passes IS NOT NULL but is no text: no assignment either. */
      if (a->person_id == NULL || a->grid_code == NULL)
        {
          gp_project_assignment_free (a);
          continue;
        }
      g_ptr_array_add (all, a);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  return g_steal_pointer (&all);
}

GPtrArray *
gp_project_load_grid_people (GpProject *self, const char *grid, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self) && grid != NULL, NULL);
  if (sqlite3_prepare_v2 (db, "SELECT p.id, p.name, a.role FROM assignments a JOIN people p ON p.id = a.person_id"
                          " WHERE a.grid_code = ? ORDER BY a.fid", -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, grid, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GpProjectPerson *p = gp_project_person_new ();

      p->id = _gp_column_text (stmt, 0);
      p->name = _gp_column_text (stmt, 1);
      p->role = _gp_column_text (stmt, 2);
      g_ptr_array_add (all, p);
    }
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  return g_steal_pointer (&all);
}

static gboolean
replace_auto (GpProject *self, const char *const *roles, GPtrArray *assignments, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *del = NULL, *ins = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "DELETE FROM assignments WHERE role = ? AND source = 'auto' AND locked = 0", -1, &del,
                          NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "INSERT INTO assignments (person_id, grid_code, role, source, locked)"
                                 " VALUES (?, ?, ?, 'auto', 0)", -1, &ins, NULL) != SQLITE_OK)
    goto out;
  for (guint r = 0; roles[r] != NULL; r++)
    {
      sqlite3_bind_text (del, 1, roles[r], -1, SQLITE_STATIC);
      if (sqlite3_step (del) != SQLITE_DONE)
        goto out;
      sqlite3_reset (del);
    }
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);

      sqlite3_bind_text (ins, 1, a->person_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 2, a->grid_code, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 3, a->role, -1, SQLITE_STATIC);
      if (sqlite3_step (ins) != SQLITE_DONE)
        goto out;
      sqlite3_reset (ins);
      sqlite3_clear_bindings (ins);
    }
  ok = TRUE;

out:
  if (!ok)
    gp_sqlite_set_error (error, db, gp_project_get_path (self));
  sqlite3_finalize (del);
  sqlite3_finalize (ins);
  return ok;
}

void
gp_project_contact_free (GpProjectContact *contact)
{
  if (contact == NULL)
    return;
  g_free (contact->person_id);
  g_free (contact->grid_code);
  g_free (contact->unit_code);
  g_free (contact->household_code);
  g_free (contact);
}

GPtrArray *
gp_project_load_party_contacts (GpProject *self, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_contact_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (GP_IS_PROJECT (self), NULL);
  if (sqlite3_prepare_v2 (db, "SELECT person_id, grid_code, unit_code, household_code, households"
                              " FROM party_contacts WHERE person_id IS NOT NULL AND grid_code IS NOT NULL ORDER BY fid", -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GpProjectContact *c = g_new0 (GpProjectContact, 1);

      c->person_id = _gp_column_text (stmt, 0);
      c->grid_code = _gp_column_text (stmt, 1);
      c->unit_code = _gp_column_text (stmt, 2);
      c->household_code = _gp_column_text (stmt, 3);
      c->households = sqlite3_column_int64 (stmt, 4);
      if (c->person_id == NULL || c->grid_code == NULL)
        {
          gp_project_contact_free (c);
          continue;
        }
      g_ptr_array_add (all, c);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return NULL;
    }
  return g_steal_pointer (&all);
}

/* Every contact goes; CONTACTS come in. */
static gboolean
write_contacts (GpProject *self, GPtrArray *contacts, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *ins = NULL;
  gboolean ok = FALSE;

  if (!gp_sqlite_exec (db, "DELETE FROM party_contacts", error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "INSERT INTO party_contacts (person_id, grid_code, unit_code, household_code,"
                              " households) VALUES (?, ?, ?, ?, ?)", -1, &ins, NULL) != SQLITE_OK)
    goto out;
  for (guint i = 0; i < contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (contacts, i);

      sqlite3_bind_text (ins, 1, c->person_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 2, c->grid_code, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 3, c->unit_code, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 4, c->household_code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (ins, 5, c->households);
      if (sqlite3_step (ins) != SQLITE_DONE)
        goto out;
      sqlite3_reset (ins);
      sqlite3_clear_bindings (ins);
    }
  ok = TRUE;

out:
  if (!ok)
    gp_sqlite_set_error (error, db, gp_project_get_path (self));
  sqlite3_finalize (ins);
  return ok;
}

double
gp_project_get_contact_ratio (GpProject *self)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *stmt = NULL;
  double ratio = 5.0;

  g_return_val_if_fail (GP_IS_PROJECT (self), ratio);
  if (sqlite3_prepare_v2 (db, "SELECT value FROM app_meta WHERE key = 'contact_ratio'", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      double v = g_ascii_strtod ((const char *) sqlite3_column_text (stmt, 0), NULL);

      if (v > 0.0 && isfinite (v))
        ratio = v;
    }
  sqlite3_finalize (stmt);
  return ratio;
}

static gboolean
set_contact_ratio (GpProject *self, double ratio, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *stmt = NULL;
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  int rc;

  if (sqlite3_prepare_v2 (db, "INSERT INTO app_meta (key, value) VALUES ('contact_ratio', ?)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value", -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, g_ascii_dtostr (text, sizeof text, ratio), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  return TRUE;
}

gboolean
gp_project_replace_party_contacts (GpProject *self, GPtrArray *contacts, double ratio, GError **error)
{
  g_autofree char *details = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self) && contacts != NULL, FALSE);
  if (!_gp_project_begin (self, error))
    return FALSE;
  details = g_strdup_printf ("{\"contacts\":%u}", contacts->len);
  if (!write_contacts (self, contacts, error) || !set_contact_ratio (self, ratio, error)
      || !_gp_project_log (self, "link-party-contacts", details, error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  return _gp_project_commit (self, error);
}

gboolean
gp_project_replace_auto_assignments (GpProject *self, const char *const *roles, GPtrArray *assignments,
                                     GPtrArray *contacts, double ratio, GError **error)
{
  g_autofree char *details = NULL;

  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  if (!_gp_project_begin (self, error))
    return FALSE;
  details = g_strdup_printf ("{\"assigned\":%u}", assignments->len);
  if (!replace_auto (self, roles, assignments, error)
      || (contacts != NULL && (!write_contacts (self, contacts, error) || !set_contact_ratio (self, ratio, error)))
      || !_gp_project_log (self, "assign", details, error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  return _gp_project_commit (self, error);
}

/* The project id and role of PERSON (a project id or an ID number), or FALSE. */
static gboolean
find_person (sqlite3 *db, const char *person, char **id, char **role)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT id, role FROM people WHERE id = ?1 OR id_number = upper (?1) LIMIT 1", -1,
                          &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *id = _gp_column_text (stmt, 0);
      *role = _gp_column_text (stmt, 1);
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
grid_exists (sqlite3 *db, const char *code)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM grids WHERE code = ?", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* Not found: a project id is named, an ID number is not (personal data stays out of messages). */
static void
set_unknown_person (GError **error, GpProject *self, const char *person)
{
  if (g_str_has_prefix (person, "P"))
    g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no person %s"), gp_project_get_path (self), person);
  else
    g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no person with that ID number"),
                 gp_project_get_path (self));
}

static gboolean
exec_person (GpProject *self, const char *sql, const char *id, const char *grid, const char *role, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (grid != NULL)
    sqlite3_bind_text (stmt, 2, grid, -1, SQLITE_STATIC);
  if (role != NULL)
    sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gp_sqlite_set_error (error, db, gp_project_get_path (self));
      return FALSE;
    }
  return TRUE;
}

/* SQL on each of PEOPLE's assignments (?1 their project id). */
static gboolean
each_person (GpProject *self, const char *const *people, const char *sql, GError **error)
{
  for (guint i = 0; people != NULL && people[i] != NULL; i++)
    {
      g_autofree char *id = NULL, *role = NULL;

      if (!find_person (_gp_project_get_db (self), people[i], &id, &role))
        return (set_unknown_person (error, self, people[i]), FALSE);
      if (!exec_person (self, sql, id, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_edits (GpProject *self, const char *const *set, const char *const *unset, const char *const *lock,
           GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);

  for (guint i = 0; set != NULL && set[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (set[i], "=", 2);
      g_autofree char *id = NULL, *role = NULL;

      if (parts[0] == NULL || parts[1] == NULL || *parts[1] == '\0')
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: “--set” wants PERSON=GRID"),
                       gp_project_get_path (self));
          return FALSE;
        }
      if (!find_person (db, parts[0], &id, &role))
        return (set_unknown_person (error, self, parts[0]), FALSE);
      if (!grid_exists (db, parts[1]))
        {
          g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no grid %s"), gp_project_get_path (self), parts[1]);
          return FALSE;
        }
      if (!exec_person (self, "DELETE FROM assignments WHERE person_id = ?1", id, NULL, NULL, error)
          || !exec_person (self, "DELETE FROM party_contacts WHERE person_id = ?1", id, NULL, NULL, error)
          || !exec_person (self, "INSERT INTO assignments (person_id, grid_code, role, source, locked)"
                                 " VALUES (?1, ?2, ?3, 'manual', 0)", id, parts[1], role, error))
        return FALSE;
    }
  /* Contacts belong to the member's grid: a member moved or taken off has none until `assign`
   * links them again. */
  return each_person (self, unset, "DELETE FROM assignments WHERE person_id = ?1", error)
         && each_person (self, unset, "DELETE FROM party_contacts WHERE person_id = ?1", error)
         && each_person (self, lock, "UPDATE assignments SET locked = 1 WHERE person_id = ?1", error);
}

gboolean
_gp_project_run_assignment_edits (GpProject *self, const char *const *set, const char *const *unset,
                                  const char *const *lock, GError **error)
{
  return run_edits (self, set, unset, lock, error);
}

gboolean
gp_project_edit_assignments (GpProject *self, const char *const *set, const char *const *unset,
                             const char *const *lock, GError **error)
{
  g_return_val_if_fail (GP_IS_PROJECT (self), FALSE);
  if ((set == NULL || set[0] == NULL) && (unset == NULL || unset[0] == NULL) && (lock == NULL || lock[0] == NULL))
    return TRUE;
  if (!_gp_project_begin (self, error))
    return FALSE;
  if (!run_edits (self, set, unset, lock, error) || !_gp_project_log (self, "assign-by-hand", NULL, error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  return _gp_project_commit (self, error);
}

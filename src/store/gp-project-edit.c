/* gp-project-edit.c: hand edits of grids. Each edit records the rows of the grids it touches
 * (the grids themselves, their units, people and party contacts) before and after, so undo puts
 * the first back and redo the second, whatever the edit was; both check first that the grids are
 * as the edit left them, so an undo never overwrites what happened since. */
#include "gp-config.h"

#include "gp-project-edit.h"
#include "gp-project-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geom.h"
#include "gp-gpkg.h"
#include "gp-wkb.h"

/* The tables holding a grid's state, each with the column naming the grid. */
static const struct {
  const char *table;
  const char *key;
} grid_tables[] = {
  { "grids", "code" },
  { "grid_units", "grid_code" },
  { "assignments", "grid_code" },
  { "party_contacts", "grid_code" },
};
#define N_GRID_TABLES G_N_ELEMENTS (grid_tables)

/* A piece of a grid smaller than this share of it is rounding, not a piece. */
#define PIECE_SHARE 1e-9

typedef struct {
  GPtrArray *columns;   /* of char*: every column but fid */
  GPtrArray *rows;      /* of sqlite3_value** (columns->len each) */
} TableRows;

typedef struct {
  TableRows tables[N_GRID_TABLES];
} Snapshot;

struct _GpProjectEdit
{
  char *description;
  GStrv grids;          /* every code touched, before or after */
  GStrv areas;          /* an edit of whole areas (a redraw): their codes; NULL otherwise */
  Snapshot *before;
  Snapshot *after;
};

static void
snapshot_free (Snapshot *s)
{
  if (s == NULL)
    return;
  for (guint t = 0; t < N_GRID_TABLES; t++)
    {
      TableRows *tr = &s->tables[t];

      for (guint r = 0; tr->rows != NULL && r < tr->rows->len; r++)
        {
          sqlite3_value **row = g_ptr_array_index (tr->rows, r);

          for (guint c = 0; c < tr->columns->len; c++)
            sqlite3_value_free (row[c]);
          g_free (row);
        }
      g_clear_pointer (&tr->rows, g_ptr_array_unref);
      g_clear_pointer (&tr->columns, g_ptr_array_unref);
    }
  g_free (s);
}

void
gp_project_edit_free (GpProjectEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->description);
  g_strfreev (edit->grids);
  g_strfreev (edit->areas);
  snapshot_free (edit->before);
  snapshot_free (edit->after);
  g_free (edit);
}

const char *
gp_project_edit_describe (GpProjectEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);
  return edit->description;
}

const char *const *
gp_project_edit_get_grids (GpProjectEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);
  return (const char *const *) edit->grids;
}

static gboolean
fail_db (GpProject *self, GError **error)
{
  gp_sqlite_set_error (error, _gp_project_get_db (self), gp_project_get_path (self));
  return FALSE;
}

/* CODES as a JSON array, for "IN (SELECT value FROM json_each (?))". */
static char *
codes_json (const char *const *codes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) g = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; codes[i] != NULL; i++)
    json_builder_add_string_value (b, codes[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  return json_generator_to_data (g, NULL);
}

static Snapshot *
capture (GpProject *self, const char *const *codes, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  g_autofree char *json = codes_json (codes);
  Snapshot *s = g_new0 (Snapshot, 1);

  for (guint t = 0; t < N_GRID_TABLES; t++)
    {
      TableRows *tr = &s->tables[t];
      g_autoptr(sqlite3_stmt) info = NULL, rows = NULL;
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      g_autofree char *pragma = g_strdup_printf ("PRAGMA table_info (%s)", grid_tables[t].table);
      int rc;

      tr->columns = g_ptr_array_new_with_free_func (g_free);
      tr->rows = g_ptr_array_new ();
      if (sqlite3_prepare_v2 (db, pragma, -1, &info, NULL) != SQLITE_OK)
        goto fail;
      while (sqlite3_step (info) == SQLITE_ROW)
        if (strcmp ((const char *) sqlite3_column_text (info, 1), "fid") != 0)
          g_ptr_array_add (tr->columns, g_strdup ((const char *) sqlite3_column_text (info, 1)));
      for (guint c = 0; c < tr->columns->len; c++)
        g_string_append_printf (sql, "%s\"%s\"", c > 0 ? ", " : "", (const char *) g_ptr_array_index (tr->columns, c));
      /* By grid, then in fid order: what is put back keeps its order within its grid, and a grid
       * put back by another edit's undo (a new fid) compares the same. */
      g_string_append_printf (sql, " FROM %s WHERE %s IN (SELECT value FROM json_each (?)) ORDER BY %s, fid",
                              grid_tables[t].table, grid_tables[t].key, grid_tables[t].key);
      if (sqlite3_prepare_v2 (db, sql->str, -1, &rows, NULL) != SQLITE_OK)
        goto fail;
      sqlite3_bind_text (rows, 1, json, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
        {
          sqlite3_value **row = g_new0 (sqlite3_value *, tr->columns->len);

          for (guint c = 0; c < tr->columns->len; c++)
            row[c] = sqlite3_value_dup (sqlite3_column_value (rows, (int) c));
          g_ptr_array_add (tr->rows, row);
        }
      if (rc != SQLITE_DONE)
        goto fail;
    }
  return s;

fail:
  fail_db (self, error);
  snapshot_free (s);
  return NULL;
}

/* Byte-for-byte the same rows. */
static gboolean
snapshot_equal (const Snapshot *a, const Snapshot *b)
{
  for (guint t = 0; t < N_GRID_TABLES; t++)
    {
      const TableRows *x = &a->tables[t], *y = &b->tables[t];

      if (x->rows->len != y->rows->len || x->columns->len != y->columns->len)
        return FALSE;
      for (guint r = 0; r < x->rows->len; r++)
        {
          sqlite3_value **p = g_ptr_array_index (x->rows, r), **q = g_ptr_array_index (y->rows, r);

          for (guint c = 0; c < x->columns->len; c++)
            {
              int type = sqlite3_value_type (p[c]);

              if (type != sqlite3_value_type (q[c]))
                return FALSE;
              if (type == SQLITE_INTEGER && sqlite3_value_int64 (p[c]) != sqlite3_value_int64 (q[c]))
                return FALSE;
              if (type == SQLITE_FLOAT && sqlite3_value_double (p[c]) != sqlite3_value_double (q[c]))
                return FALSE;
              if ((type == SQLITE_TEXT || type == SQLITE_BLOB)
                  && (sqlite3_value_bytes (p[c]) != sqlite3_value_bytes (q[c])
                      || memcmp (sqlite3_value_blob (p[c]), sqlite3_value_blob (q[c]),
                                 (size_t) sqlite3_value_bytes (p[c])) != 0))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* The grids CODES become exactly what S holds (inside a transaction). */
static gboolean
restore (GpProject *self, const char *const *codes, const Snapshot *s, GError **error)
{
  sqlite3 *db = _gp_project_get_db (self);
  g_autofree char *json = codes_json (codes);

  for (guint t = N_GRID_TABLES; t-- > 0;)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s IN (SELECT value FROM json_each (?))",
                                              grid_tables[t].table, grid_tables[t].key);
      g_autoptr(sqlite3_stmt) del = NULL;

      if (sqlite3_prepare_v2 (db, sql, -1, &del, NULL) != SQLITE_OK)
        return fail_db (self, error);
      sqlite3_bind_text (del, 1, json, -1, SQLITE_STATIC);
      if (sqlite3_step (del) != SQLITE_DONE)
        return fail_db (self, error);
    }
  for (guint t = 0; t < N_GRID_TABLES; t++)
    {
      const TableRows *tr = &s->tables[t];
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(sqlite3_stmt) ins = NULL;

      g_string_append_printf (sql, "INSERT INTO %s (", grid_tables[t].table);
      for (guint c = 0; c < tr->columns->len; c++)
        g_string_append_printf (sql, "%s\"%s\"", c > 0 ? ", " : "", (const char *) g_ptr_array_index (tr->columns, c));
      g_string_append (sql, ") VALUES (");
      for (guint c = 0; c < tr->columns->len; c++)
        g_string_append (sql, c > 0 ? ", ?" : "?");
      g_string_append_c (sql, ')');
      if (sqlite3_prepare_v2 (db, sql->str, -1, &ins, NULL) != SQLITE_OK)
        return fail_db (self, error);
      for (guint r = 0; r < tr->rows->len; r++)
        {
          sqlite3_value **row = g_ptr_array_index (tr->rows, r);

          sqlite3_reset (ins);
          for (guint c = 0; c < tr->columns->len; c++)
            sqlite3_bind_value (ins, (int) c + 1, row[c]);
          if (sqlite3_step (ins) != SQLITE_DONE)
            return fail_db (self, error);
        }
    }
  return TRUE;
}

static gboolean
journal (GpProject *self, const char *action, const char *description, const char *const *codes, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) g = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "edit");
  json_builder_add_string_value (b, description);
  json_builder_set_member_name (b, "grids");
  json_builder_begin_array (b);
  for (guint i = 0; codes[i] != NULL; i++)
    json_builder_add_string_value (b, codes[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  details = json_generator_to_data (g, NULL);
  return _gp_project_log (self, action, details, error);
}

/* Runs CHANGE on the grids CODES in one transaction, recording them before and after. */
typedef gboolean (*ChangeFunc) (GpProject *self, gpointer data, GError **error);

static GpProjectEdit *
run_edit (GpProject *self, const char *const *codes, ChangeFunc change, gpointer data, char *description,
          GError **error)
{
  g_autoptr(GpProjectEdit) edit = g_new0 (GpProjectEdit, 1);

  edit->description = description;
  edit->grids = g_strdupv ((char **) codes);
  if (!_gp_project_begin (self, error))
    return NULL;
  if ((edit->before = capture (self, codes, error)) == NULL || !change (self, data, error)
      || (edit->after = capture (self, codes, error)) == NULL
      || !journal (self, "edit", edit->description, codes, error) || !_gp_project_commit (self, error))
    {
      _gp_project_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static gboolean
swap_state (GpProject *self, GpProjectEdit *edit, const Snapshot *expected, const Snapshot *wanted,
            const char *action, GError **error)
{
  g_autoptr(Snapshot) now = NULL;

  if (!_gp_project_begin (self, error))
    return FALSE;
  now = capture (self, (const char *const *) edit->grids, error);
  if (now == NULL)
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  if (!snapshot_equal (now, expected))
    {
      _gp_project_rollback (self);
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED,
                   _("%s: the grids changed since “%s”; it cannot be undone or redone"),
                   gp_project_get_path (self), edit->description);
      return FALSE;
    }
  if (!restore (self, (const char *const *) edit->grids, wanted, error)
      || !journal (self, action, edit->description, (const char *const *) edit->grids, error)
      || !_gp_project_commit (self, error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  return TRUE;
}


gboolean
gp_project_edit_undo (GpProject *self, GpProjectEdit *edit, GError **error)
{
  g_return_val_if_fail (GP_IS_PROJECT (self) && edit != NULL, FALSE);
  return swap_state (self, edit, edit->after, edit->before, "undo", error);
}

gboolean
gp_project_edit_redo (GpProject *self, GpProjectEdit *edit, GError **error)
{
  g_return_val_if_fail (GP_IS_PROJECT (self) && edit != NULL, FALSE);
  return swap_state (self, edit, edit->before, edit->after, "redo", error);
}

/* Grids as the edits read them --------------------------------------------------------------- */

typedef struct {
  char *code;
  char *area;
  gboolean exclusive;
  gboolean locked;
  gint64 households;
  GEOSGeometry *geom;   /* NULL: none stored */
} Grid;

static void
grid_free (Grid *g)
{
  if (g == NULL)
    return;
  g_free (g->code);
  g_free (g->area);
  if (g->geom != NULL)
    GEOSGeom_destroy_r (gp_geos (), g->geom);
  g_free (g);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Grid, grid_free)

static GEOSGeometry *
blob_geom (sqlite3_stmt *stmt, int col)
{
  g_autoptr(GpShape) shape = NULL;

  if (sqlite3_column_type (stmt, col) != SQLITE_BLOB)
    return NULL;
  shape = gp_gpkg_blob_parse (sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col), NULL, NULL);
  return shape != NULL ? gp_geom_from_shape (gp_geos (), shape, NULL) : NULL;
}

static Grid *
load_grid (GpProject *self, const char *code, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Grid *g;

  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "SELECT code, area_code, kind, locked, households, geom FROM grids WHERE code = ?", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no grid %s"), gp_project_get_path (self), code);
      return NULL;
    }
  g = g_new0 (Grid, 1);
  g->code = _gp_column_text (stmt, 0);
  g->area = _gp_column_text (stmt, 1);
  g->exclusive = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "exclusive") == 0;
  g->locked = sqlite3_column_int (stmt, 3) != 0;
  g->households = sqlite3_column_int64 (stmt, 4);
  g->geom = blob_geom (stmt, 5);
  return g;
}

/* Polygons of GEOM bigger than rounding. */
static guint
count_pieces (const GEOSGeometry *geom)
{
  GEOSContextHandle_t ctx = gp_geos ();
  double total = 0.0;
  guint n = 0;
  int parts;

  if (geom == NULL || GEOSArea_r (ctx, geom, &total) != 1 || total <= 0.0)
    return 0;
  parts = GEOSGetNumGeometries_r (ctx, geom);
  for (int i = 0; i < parts; i++)
    {
      const GEOSGeometry *part = GEOSGetGeometryN_r (ctx, geom, i);
      double area = 0.0;

      if (GEOSArea_r (ctx, part, &area) == 1 && area > total * PIECE_SHARE)
        n++;
    }
  return n;
}

/* The grid CODE's outline becomes GEOM and its households HOUSEHOLDS. */
static gboolean
store_grid (GpProject *self, const char *code, const GEOSGeometry *geom, gint64 households, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GpShape) shape = gp_geom_to_shape (gp_geos (), geom, error);
  g_autofree guint8 *blob = NULL;
  gsize length = 0;

  if (shape == NULL)
    return FALSE;
  if (shape->kind == GP_SHAPE_POLYGON)
    shape->flags |= GP_SHAPE_FORCE_MULTI;
  blob = gp_gpkg_blob_new (shape, _gp_project_get_srs_id (self), &length);
  if (sqlite3_prepare_v2 (_gp_project_get_db (self), "UPDATE grids SET geom = ?, households = ? WHERE code = ?", -1,
                          &stmt, NULL) != SQLITE_OK)
    return fail_db (self, error);
  sqlite3_bind_blob (stmt, 1, blob, (int) length, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, MAX (households, 0));
  sqlite3_bind_text (stmt, 3, code, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE || fail_db (self, error);
}

/* Runs SQL with ?1 bound to CODES (a JSON array) and ?2 to TEXT. */
static gboolean
exec_codes (GpProject *self, const char *sql, const char *const *codes, const char *text, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *json = codes_json (codes);

  if (sqlite3_prepare_v2 (_gp_project_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail_db (self, error);
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE || fail_db (self, error);
}

/* Rename and lock ------------------------------------------------------------------------------ */

typedef struct {
  const char *const *codes;
  const char *text;
  gboolean flag;
} Simple;

/* The codes of every grid of AREAS (NULL-terminated), in code order. */
static GStrv
area_grid_codes (GpProject *self, const char *const *areas, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *json = codes_json (areas);
  int rc;

  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "SELECT code FROM grids WHERE area_code IN (SELECT value FROM json_each (?)) ORDER BY code",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (codes, _gp_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      fail_db (self, error);
      return NULL;
    }
  g_ptr_array_add (codes, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&codes), FALSE);
}

GpProjectEdit *
gp_project_edit_begin_areas (GpProject *self, const char *const *areas, const char *description, GError **error)
{
  g_autoptr(GpProjectEdit) edit = g_new0 (GpProjectEdit, 1);

  g_return_val_if_fail (GP_IS_PROJECT (self) && areas != NULL && description != NULL, NULL);
  edit->description = g_strdup (description);
  edit->areas = g_strdupv ((char **) areas);
  if ((edit->grids = area_grid_codes (self, areas, error)) == NULL
      || (edit->before = capture (self, (const char *const *) edit->grids, error)) == NULL)
    return NULL;
  return g_steal_pointer (&edit);
}

gboolean
gp_project_edit_end_areas (GpProject *self, GpProjectEdit *edit, GError **error)
{
  g_auto(GStrv) now = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (GP_IS_PROJECT (self) && edit != NULL && edit->areas != NULL && edit->after == NULL, FALSE);
  if ((now = area_grid_codes (self, (const char *const *) edit->areas, error)) == NULL)
    return FALSE;
  /* The grids before and after: an undo takes away the new ones and puts back the old. */
  for (guint i = 0; edit->grids[i] != NULL; i++)
    g_ptr_array_add (all, g_strdup (edit->grids[i]));
  for (guint i = 0; now[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) edit->grids, now[i]))
      g_ptr_array_add (all, g_strdup (now[i]));
  g_ptr_array_add (all, NULL);
  g_strfreev (edit->grids);
  edit->grids = (GStrv) g_ptr_array_free (g_steal_pointer (&all), FALSE);
  if (!_gp_project_begin (self, error))
    return FALSE;
  if ((edit->after = capture (self, (const char *const *) edit->grids, error)) == NULL
      || !journal (self, "edit", edit->description, (const char *const *) edit->grids, error)
      || !_gp_project_commit (self, error))
    {
      _gp_project_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
rename_change (GpProject *self, gpointer data, GError **error)
{
  Simple *s = data;

  return exec_codes (self, "UPDATE grids SET name = nullif (?2, '') WHERE code IN (SELECT value FROM json_each (?1))",
                     s->codes, s->text != NULL ? s->text : "", error);
}

GpProjectEdit *
gp_project_rename_grid (GpProject *self, const char *grid, const char *name, GError **error)
{
  const char *codes[] = { grid, NULL };
  g_autoptr(Grid) g = NULL;
  Simple s = { codes, name, FALSE };

  g_return_val_if_fail (GP_IS_PROJECT (self) && grid != NULL, NULL);
  if ((g = load_grid (self, grid, error)) == NULL)
    return NULL;
  return run_edit (self, codes, rename_change, &s, g_strdup_printf (_("Renamed grid %s"), grid), error);
}

static gboolean
lock_change (GpProject *self, gpointer data, GError **error)
{
  Simple *s = data;

  return exec_codes (self, s->flag ? "UPDATE grids SET locked = 1 WHERE code IN (SELECT value FROM json_each (?1))"
                                   : "UPDATE grids SET locked = 0 WHERE code IN (SELECT value FROM json_each (?1))",
                     s->codes, NULL, error);
}

/* How many GRIDS there are, all of them in the project; 0 with ERROR when one is not. */
static guint
count_grids (GpProject *self, const char *const *grids, GError **error)
{
  guint n;

  for (n = 0; grids[n] != NULL; n++)
    {
      g_autoptr(Grid) g = load_grid (self, grids[n], error);

      if (g == NULL)
        return 0;
    }
  if (n == 0)
    g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: no grid given"), gp_project_get_path (self));
  return n;
}

GpProjectEdit *
gp_project_lock_grids (GpProject *self, const char *const *grids, gboolean locked, GError **error)
{
  Simple s = { grids, NULL, locked };
  guint n;

  g_return_val_if_fail (GP_IS_PROJECT (self) && grids != NULL, NULL);
  if ((n = count_grids (self, grids, error)) == 0)
    return NULL;
  return run_edit (self, grids, lock_change, &s,
                   g_strdup_printf (locked ? g_dngettext (GETTEXT_PACKAGE, "Locked %u grid", "Locked %u grids", n)
                                           : g_dngettext (GETTEXT_PACKAGE, "Unlocked %u grid", "Unlocked %u grids", n), n),
                   error);
}

static gboolean
exclusive_change (GpProject *self, gpointer data, GError **error)
{
  Simple *s = data;

  return exec_codes (self, s->flag ? "UPDATE grids SET kind = 'exclusive' WHERE code IN (SELECT value FROM json_each (?1))"
                                   : "UPDATE grids SET kind = 'basic' WHERE code IN (SELECT value FROM json_each (?1))",
                     s->codes, NULL, error);
}

GpProjectEdit *
gp_project_set_exclusive (GpProject *self, const char *const *grids, gboolean exclusive, GError **error)
{
  Simple s = { grids, NULL, exclusive };
  guint n;

  g_return_val_if_fail (GP_IS_PROJECT (self) && grids != NULL, NULL);
  if ((n = count_grids (self, grids, error)) == 0)
    return NULL;
  return run_edit (self, grids, exclusive_change, &s,
                   g_strdup_printf (exclusive ? g_dngettext (GETTEXT_PACKAGE, "Made %u grid exclusive",
                                                             "Made %u grids exclusive", n)
                                              : g_dngettext (GETTEXT_PACKAGE, "Made %u grid basic", "Made %u grids basic", n),
                                    n), error);
}

/* Merge ------------------------------------------------------------------------------------------ */

typedef struct {
  const char *const *codes;      /* the first stays */
  const char *const *others;
  GEOSGeometry *geom;
  gint64 households;
} Merge;

static gboolean
merge_change (GpProject *self, gpointer data, GError **error)
{
  Merge *m = data;
  const char *first = m->codes[0];

  return exec_codes (self, "UPDATE grid_units SET grid_code = ?2 WHERE grid_code IN (SELECT value FROM json_each (?1))",
                     m->others, first, error)
         /* One person on two of them in one role is one assignment on the merged grid. */
         && exec_codes (self, "UPDATE OR IGNORE assignments SET grid_code = ?2"
                              " WHERE grid_code IN (SELECT value FROM json_each (?1))", m->others, first, error)
         && exec_codes (self, "UPDATE party_contacts SET grid_code = ?2 WHERE grid_code IN (SELECT value FROM json_each (?1))",
                        m->others, first, error)
         && exec_codes (self, "DELETE FROM assignments WHERE grid_code IN (SELECT value FROM json_each (?1))",
                        m->others, NULL, error)
         && exec_codes (self, "DELETE FROM grids WHERE code IN (SELECT value FROM json_each (?1))", m->others, NULL, error)
         && store_grid (self, first, m->geom, m->households, error);
}

GpProjectEdit *
gp_project_merge_grids (GpProject *self, const char *const *grids, GError **error)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func ((GDestroyNotify) grid_free);
  g_autofree GEOSGeometry **parts = NULL;
  GEOSGeometry *collection;
  Merge m = { grids, grids + 1, NULL, 0 };
  GpProjectEdit *edit;
  guint n = g_strv_length ((char **) grids);

  g_return_val_if_fail (GP_IS_PROJECT (self) && grids != NULL, NULL);
  if (n < 2)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: merging needs two grids or more"),
                   gp_project_get_path (self));
      return NULL;
    }
  parts = g_new0 (GEOSGeometry *, n);
  for (guint i = 0; i < n; i++)
    {
      Grid *g = load_grid (self, grids[i], error);

      if (g == NULL)
        return NULL;
      g_ptr_array_add (loaded, g);
      if (g->exclusive || g->locked)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       g->exclusive ? _("%s: grid %s is an exclusive grid and is not merged")
                                    : _("%s: grid %s is locked; unlock it first"), gp_project_get_path (self), g->code);
          return NULL;
        }
      if (g_strcmp0 (g->area, ((Grid *) g_ptr_array_index (loaded, 0))->area) != 0)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("%s: grids %s and %s are in different villages or communities and cannot be merged"),
                       gp_project_get_path (self), grids[0], g->code);
          return NULL;
        }
      if (g->geom == NULL)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: grid %s has no outline"), gp_project_get_path (self),
                       g->code);
          return NULL;
        }
      m.households += g->households;
    }
  for (guint i = 0; i < n; i++)
    parts[i] = GEOSGeom_clone_r (ctx, ((Grid *) g_ptr_array_index (loaded, i))->geom);
  collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, parts, n);
  m.geom = collection != NULL ? GEOSUnaryUnion_r (ctx, collection) : NULL;
  if (collection != NULL)
    GEOSGeom_destroy_r (ctx, collection);
  if (count_pieces (m.geom) != 1)
    {
      if (m.geom != NULL)
        GEOSGeom_destroy_r (ctx, m.geom);
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%s: the grids do not touch; merged they would not be one piece"), gp_project_get_path (self));
      return NULL;
    }
  edit = run_edit (self, grids, merge_change, &m,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Merged %u grid into %s", "Merged %u grids into %s", n),
                                    n, grids[0]), error);
  GEOSGeom_destroy_r (ctx, m.geom);
  return edit;
}

/* Move units ------------------------------------------------------------------------------------- */

typedef struct {
  char *code;
  char *area;
  char *grid;           /* the grid it is in; NULL: none */
  gint64 households;
  GEOSGeometry *geom;
} Unit;

static void
unit_free (Unit *u)
{
  g_free (u->code);
  g_free (u->area);
  g_free (u->grid);
  if (u->geom != NULL)
    GEOSGeom_destroy_r (gp_geos (), u->geom);
  g_free (u);
}

typedef struct {
  const char *const *units;
  const char *to;
  GPtrArray *grids;     /* of Grid*: the grids left, then TO last, their new outlines in geom */
} Move;

static gboolean
move_change (GpProject *self, gpointer data, GError **error)
{
  Move *m = data;

  if (!exec_codes (self, "UPDATE grid_units SET grid_code = ?2 WHERE unit_code IN (SELECT value FROM json_each (?1))",
                   m->units, m->to, error)
      || !exec_codes (self, "UPDATE party_contacts SET grid_code = ?2"
                            " WHERE unit_code IN (SELECT value FROM json_each (?1))", m->units, m->to, error))
    return FALSE;
  for (guint i = 0; i < m->grids->len; i++)
    {
      Grid *g = g_ptr_array_index (m->grids, i);

      if (!store_grid (self, g->code, g->geom, g->households, error))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
load_units (GpProject *self, const char *const *codes, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);

  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "SELECT u.code, u.area_code, g.grid_code, u.households, u.geom FROM units u"
                          " LEFT JOIN grid_units g ON g.unit_code = u.code WHERE u.code = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  for (guint i = 0; codes[i] != NULL; i++)
    {
      Unit *u;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, codes[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no unit %s"), gp_project_get_path (self), codes[i]);
          return NULL;
        }
      u = g_new0 (Unit, 1);
      u->code = _gp_column_text (stmt, 0);
      u->area = _gp_column_text (stmt, 1);
      u->grid = _gp_column_text (stmt, 2);
      u->households = sqlite3_column_int64 (stmt, 3);
      u->geom = blob_geom (stmt, 4);
      g_ptr_array_add (units, u);
      if (u->grid == NULL || u->geom == NULL
          || GEOSGeomTypeId_r (gp_geos (), u->geom) == GEOS_POINT)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       u->grid == NULL ? _("%s: unit %s is in no grid") : _("%s: unit %s has no outline to move"),
                       gp_project_get_path (self), u->code);
          return NULL;
        }
    }
  return g_steal_pointer (&units);
}

static void
geom_free (gpointer g)
{
  GEOSGeom_destroy_r (gp_geos (), g);
}

/* The outlines of grid GRID's units other than MOVING (owned). */
static GPtrArray *
staying_units (GpProject *self, const char *grid, const char *const *moving, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) geoms = g_ptr_array_new_with_free_func (geom_free);
  g_autofree char *json = codes_json (moving);
  int rc;

  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "SELECT u.geom FROM units u JOIN grid_units g ON g.unit_code = u.code"
                          " WHERE g.grid_code = ? AND u.code NOT IN (SELECT value FROM json_each (?))",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, grid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GEOSGeometry *g = blob_geom (stmt, 0);

      if (g != NULL && GEOSGeomTypeId_r (gp_geos (), g) != GEOS_POINT)
        g_ptr_array_add (geoms, g);
      else if (g != NULL)
        geom_free (g);
    }
  if (rc != SQLITE_DONE)
    {
      fail_db (self, error);
      return NULL;
    }
  return g_steal_pointer (&geoms);
}

static gboolean
refuse_fixed (GpProject *self, const Grid *g, GError **error)
{
  if (!g->exclusive && !g->locked)
    return FALSE;
  g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
               g->exclusive ? _("%s: grid %s is an exclusive grid; its units stay") : _("%s: grid %s is locked; unlock it first"),
               gp_project_get_path (self), g->code);
  return TRUE;
}

/* Ground between units (streets, yards) shared out: boundary points a unit's outline is sampled
 * at, per side of the grid's extent (enough for a fair middle line, few enough to stay quick). */
#define SHARE_SAMPLES_PER_SIDE 200
/* Gap ground under this share of a grid is rounding, not ground to share. */
#define SHARE_GAP_MIN 1e-9

typedef struct {
  double x, y;
  gboolean moved;
} Sample;

/* Points along the outline of G every STEP (its corners included), of class MOVED. */
static void
sample_outline (GEOSContextHandle_t ctx, const GEOSGeometry *g, double step, gboolean moved, GArray *out)
{
  int type = GEOSGeomTypeId_r (ctx, g);

  if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
    {
      for (int i = 0; i < GEOSGetNumGeometries_r (ctx, g); i++)
        sample_outline (ctx, GEOSGetGeometryN_r (ctx, g, i), step, moved, out);
      return;
    }
  if (type != GEOS_POLYGON)
    return;
  for (int r = -1; r < GEOSGetNumInteriorRings_r (ctx, g); r++)
    {
      const GEOSGeometry *ring = r < 0 ? GEOSGetExteriorRing_r (ctx, g) : GEOSGetInteriorRingN_r (ctx, g, r);
      const GEOSCoordSequence *seq = ring != NULL ? GEOSGeom_getCoordSeq_r (ctx, ring) : NULL;
      unsigned int n = 0;

      if (seq == NULL || !GEOSCoordSeq_getSize_r (ctx, seq, &n))
        continue;
      for (unsigned int i = 0; i + 1 < n; i++)
        {
          double x0, y0, x1, y1;
          guint k;

          GEOSCoordSeq_getXY_r (ctx, seq, i, &x0, &y0);
          GEOSCoordSeq_getXY_r (ctx, seq, i + 1, &x1, &y1);
          k = (guint) MIN (ceil (hypot (x1 - x0, y1 - y0) / step), 10000.0);
          for (guint j = 0; j < MAX (k, 1u); j++)
            {
              double t = (double) j / MAX (k, 1u);
              Sample sm = { x0 + t * (x1 - x0), y0 + t * (y1 - y0), moved };

              g_array_append_val (out, sm);
            }
        }
    }
}

typedef struct {
  GEOSContextHandle_t ctx;
  const GEOSGeometry *cell;
  const Sample *samples;
  gint found;
} CellSite;

static void
cell_site_visit (void *item, void *user_data)
{
  CellSite *q = user_data;
  guint i = GPOINTER_TO_UINT (item) - 1;
  GEOSGeometry *pt;

  if (q->found >= 0)
    return;
  pt = GEOSGeom_createPointFromXY_r (q->ctx, q->samples[i].x, q->samples[i].y);
  if (GEOSIntersects_r (q->ctx, q->cell, pt) == 1)
    q->found = (gint) i;
  GEOSGeom_destroy_r (q->ctx, pt);
}

static GEOSGeometry *
union_of (GEOSContextHandle_t ctx, GPtrArray *geoms)
{
  g_autofree GEOSGeometry **copies = g_new (GEOSGeometry *, geoms->len + 1);
  GEOSGeometry *collection, *u;

  for (guint i = 0; i < geoms->len; i++)
    copies[i] = GEOSGeom_clone_r (ctx, g_ptr_array_index (geoms, i));
  collection = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, copies, geoms->len);
  u = collection != NULL ? GEOSUnaryUnion_r (ctx, collection) : NULL;
  if (collection != NULL)
    GEOSGeom_destroy_r (ctx, collection);
  return u;
}

/* What of grid outline FROM goes with the units MOVED when the units STAYING stay: the moved
 * units' own ground, and of the ground between units (streets, yards: in the grid but in no
 * unit) the part nearer to them than to the staying units, cut along the middle. Without that
 * ground a unit across a street from its new grid would not border it. */
static GEOSGeometry *
moved_share (GEOSContextHandle_t ctx, const GEOSGeometry *from, GPtrArray *moved, GPtrArray *staying)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  GEOSGeometry *own = union_of (ctx, moved), *units = NULL, *gap = NULL, *share = NULL, *result;
  double from_area = 0.0, gap_area = 0.0, x0, y0, x1, y1;

  if (own == NULL)
    return NULL;
  for (guint i = 0; i < moved->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (moved, i));
  for (guint i = 0; i < staying->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (staying, i));
  units = union_of (ctx, all);
  gap = units != NULL ? GEOSDifference_r (ctx, from, units) : NULL;
  GEOSArea_r (ctx, from, &from_area);
  if (gap != NULL)
    GEOSArea_r (ctx, gap, &gap_area);
  if (gap != NULL && gap_area > SHARE_GAP_MIN * from_area && staying->len > 0
      && GEOSGeom_getXMin_r (ctx, from, &x0) && GEOSGeom_getYMin_r (ctx, from, &y0)
      && GEOSGeom_getXMax_r (ctx, from, &x1) && GEOSGeom_getYMax_r (ctx, from, &y1))
    {
      double step = MAX (x1 - x0, y1 - y0) / SHARE_SAMPLES_PER_SIDE;
      g_autofree GEOSGeometry **points = NULL;
      GEOSGeometry *multipoint, *diagram;
      g_autoptr(GPtrArray) cells = g_ptr_array_new ();

      for (guint i = 0; i < moved->len; i++)
        sample_outline (ctx, g_ptr_array_index (moved, i), step, TRUE, samples);
      for (guint i = 0; i < staying->len; i++)
        sample_outline (ctx, g_ptr_array_index (staying, i), step, FALSE, samples);
      points = g_new (GEOSGeometry *, samples->len + 1);
      for (guint i = 0; i < samples->len; i++)
        points[i] = GEOSGeom_createPointFromXY_r (ctx, g_array_index (samples, Sample, i).x,
                                                 g_array_index (samples, Sample, i).y);
      multipoint = GEOSGeom_createCollection_r (ctx, GEOS_MULTIPOINT, points, samples->len);
      diagram = multipoint != NULL ? GEOSVoronoiDiagram_r (ctx, multipoint, from, 0.0, 0) : NULL;
      if (diagram != NULL)
        {
          GEOSSTRtree *tree = GEOSSTRtree_create_r (ctx, 10);

          for (guint i = 0; i < samples->len; i++)
            GEOSSTRtree_insert_r (ctx, tree, GEOSGetGeometryN_r (ctx, multipoint, (int) i), GUINT_TO_POINTER (i + 1));
          for (int c = 0; c < GEOSGetNumGeometries_r (ctx, diagram); c++)
            {
              CellSite q = { ctx, GEOSGetGeometryN_r (ctx, diagram, c), (const Sample *) samples->data, -1 };

              GEOSSTRtree_query_r (ctx, tree, q.cell, cell_site_visit, &q);
              if (q.found >= 0 && g_array_index (samples, Sample, q.found).moved)
                g_ptr_array_add (cells, (gpointer) q.cell);
            }
          GEOSSTRtree_destroy_r (ctx, tree);
          if (cells->len > 0)
            {
              GEOSGeometry *near = union_of (ctx, cells);

              share = near != NULL ? GEOSIntersection_r (ctx, gap, near) : NULL;
              if (near != NULL)
                GEOSGeom_destroy_r (ctx, near);
            }
          GEOSGeom_destroy_r (ctx, diagram);
        }
      if (multipoint != NULL)
        GEOSGeom_destroy_r (ctx, multipoint);
    }
  if (share != NULL)
    {
      GEOSGeometry *both = GEOSUnion_r (ctx, own, share);

      GEOSGeom_destroy_r (ctx, share);
      if (both != NULL)
        {
          GEOSGeom_destroy_r (ctx, own);
          own = both;
        }
    }
  result = GEOSIntersection_r (ctx, from, own);
  GEOSGeom_destroy_r (ctx, own);
  if (units != NULL)
    GEOSGeom_destroy_r (ctx, units);
  if (gap != NULL)
    GEOSGeom_destroy_r (ctx, gap);
  return result;
}

GpProjectEdit *
gp_project_move_units (GpProject *self, const char *const *units, const char *to, GError **error)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GPtrArray) moving = NULL;
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) grid_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(Grid) target = NULL;
  GEOSGeometry *gained = NULL;
  Move m = { units, to, grids };
  guint n;

  g_return_val_if_fail (GP_IS_PROJECT (self) && units != NULL && to != NULL, NULL);
  n = g_strv_length ((char **) units);
  if (n == 0 || (target = load_grid (self, to, error)) == NULL || refuse_fixed (self, target, error)
      || (moving = load_units (self, units, error)) == NULL)
    return NULL;

  /* Each grid a unit leaves: its outline less the ground of its units that go. */
  for (guint i = 0; i < moving->len; i++)
    {
      Unit *u = g_ptr_array_index (moving, i);
      Grid *from = NULL;

      if (g_strcmp0 (u->area, target->area) != 0)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("%s: unit %s is not in the village or community of grid %s"), gp_project_get_path (self),
                       u->code, to);
          goto fail;
        }
      if (strcmp (u->grid, to) == 0)
        continue;
      for (guint k = 0; k < grids->len && from == NULL; k++)
        if (strcmp (((Grid *) g_ptr_array_index (grids, k))->code, u->grid) == 0)
          from = g_ptr_array_index (grids, k);
      if (from == NULL)
        {
          if ((from = load_grid (self, u->grid, error)) == NULL)
            goto fail;
          g_ptr_array_add (grids, from);
          if (refuse_fixed (self, from, error))
            goto fail;
          if (from->geom == NULL)
            {
              g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: grid %s has no outline"),
                           gp_project_get_path (self), from->code);
              goto fail;
            }
        }
      from->households -= u->households;
      target->households += u->households;
    }
  /* Each grid left: its outline less what goes with the units (their ground and their share
   * of the ground between units). */
  for (guint k = 0; k < grids->len; k++)
    {
      Grid *from = g_ptr_array_index (grids, k);
      g_autoptr(GPtrArray) moved = g_ptr_array_new ();
      g_autoptr(GPtrArray) staying = NULL;
      GEOSGeometry *piece, *rest;

      for (guint i = 0; i < moving->len; i++)
        if (strcmp (((Unit *) g_ptr_array_index (moving, i))->grid, from->code) == 0)
          g_ptr_array_add (moved, ((Unit *) g_ptr_array_index (moving, i))->geom);
      if ((staying = staying_units (self, from->code, units, error)) == NULL)
        goto fail;
      piece = moved_share (ctx, from->geom, moved, staying);
      rest = piece != NULL ? GEOSDifference_r (ctx, from->geom, piece) : NULL;
      if (rest == NULL)
        {
          if (piece != NULL)
            GEOSGeom_destroy_r (ctx, piece);
          gp_geom_set_error (error, from->code);
          goto fail;
        }
      GEOSGeom_destroy_r (ctx, from->geom);
      from->geom = rest;
      if (gained == NULL)
        gained = piece;
      else
        {
          GEOSGeometry *both = GEOSUnion_r (ctx, gained, piece);

          GEOSGeom_destroy_r (ctx, gained);
          GEOSGeom_destroy_r (ctx, piece);
          gained = both;
        }
    }
  if (gained == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: the units are in grid %s already"),
                   gp_project_get_path (self), to);
      return NULL;
    }
  for (guint k = 0; k < grids->len; k++)
    {
      Grid *from = g_ptr_array_index (grids, k);
      g_autoptr(sqlite3_stmt) left = NULL;
      g_autofree char *json = codes_json (units);

      if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                              "SELECT count (*) FROM grid_units WHERE grid_code = ?"
                              " AND unit_code NOT IN (SELECT value FROM json_each (?))", -1, &left, NULL) != SQLITE_OK)
        {
          fail_db (self, error);
          goto fail;
        }
      sqlite3_bind_text (left, 1, from->code, -1, SQLITE_STATIC);
      sqlite3_bind_text (left, 2, json, -1, SQLITE_STATIC);
      if (sqlite3_step (left) != SQLITE_ROW || sqlite3_column_int64 (left, 0) == 0)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                       _("%s: grid %s would have no units left; merge it instead"), gp_project_get_path (self), from->code);
          goto fail;
        }
      if (count_pieces (from->geom) != 1)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: grid %s would be left in pieces"),
                       gp_project_get_path (self), from->code);
          goto fail;
        }
      g_ptr_array_add (codes, from->code);
    }
  {
    GEOSGeometry *grown = target->geom != NULL ? GEOSUnion_r (ctx, target->geom, gained) : GEOSGeom_clone_r (ctx, gained);

    if (target->geom != NULL)
      GEOSGeom_destroy_r (ctx, target->geom);
    target->geom = grown;
  }
  GEOSGeom_destroy_r (ctx, gained);
  gained = NULL;
  if (count_pieces (target->geom) != 1)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: the units do not border grid %s"),
                   gp_project_get_path (self), to);
      return NULL;
    }
  g_ptr_array_add (codes, (gpointer) to);
  g_ptr_array_add (codes, NULL);
  g_ptr_array_add (grids, g_steal_pointer (&target));
  return run_edit (self, (const char *const *) codes->pdata, move_change, &m,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %u unit to grid %s", "Moved %u units to grid %s", n),
                                    n, to), error);

fail:
  if (gained != NULL)
    GEOSGeom_destroy_r (ctx, gained);
  return NULL;
}

/* Split a grid along a line ------------------------------------------------------------------------ */

typedef struct {
  const char   *code, *area, *new_code;
  GEOSGeometry *keep, *cut;       /* the two sides: the one keeping the code, the new grid */
  gint64        keep_households, cut_households;
  GPtrArray    *cut_units;        /* char*, NULL-terminated: units going to the new grid */
} Cut;

static gboolean
cut_change (GpProject *self, gpointer data, GError **error)
{
  Cut *c = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GpShape) shape = gp_geom_to_shape (gp_geos (), c->cut, error);
  g_autofree guint8 *blob = NULL;
  gsize length = 0;

  if (shape == NULL)
    return FALSE;
  shape->flags |= GP_SHAPE_FORCE_MULTI;
  blob = gp_gpkg_blob_new (shape, _gp_project_get_srs_id (self), &length);
  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "INSERT INTO grids (geom, code, name, area_code, kind, households, locked)"
                          " VALUES (?, ?, NULL, ?, 'basic', ?, 0)", -1, &stmt, NULL) != SQLITE_OK)
    return fail_db (self, error);
  sqlite3_bind_blob (stmt, 1, blob, (int) length, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, c->new_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, c->area, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, MAX (c->cut_households, 0));
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fail_db (self, error);
  return exec_codes (self, "UPDATE grid_units SET grid_code = ?2 WHERE unit_code IN (SELECT value FROM json_each (?1))",
                     (const char *const *) c->cut_units->pdata, c->new_code, error)
         && exec_codes (self, "UPDATE party_contacts SET grid_code = ?2"
                              " WHERE unit_code IN (SELECT value FROM json_each (?1))",
                        (const char *const *) c->cut_units->pdata, c->new_code, error)
         && store_grid (self, c->code, c->keep, c->keep_households, error);
}

/* A code for a new grid of AREA: the area's code and the number after the highest of its basic
 * grids (numbers from 901 are exclusive grids'); NULL when none is left below 900. */
static char *
next_grid_code (GpProject *self, const char *area, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  size_t n = strlen (area);
  guint highest = 0;
  int rc;

  if (sqlite3_prepare_v2 (_gp_project_get_db (self), "SELECT code FROM grids WHERE area_code = ?", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, area, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      guint64 number;

      if (code != NULL && strlen (code) == n + 3 && strncmp (code, area, n) == 0
          && g_ascii_string_to_unsigned (code + n, 10, 0, 999, &number, NULL) && number < 900)
        highest = MAX (highest, (guint) number);
    }
  if (rc != SQLITE_DONE)
    {
      fail_db (self, error);
      return NULL;
    }
  if (highest + 1 >= 900)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: village %s has no grid number left"),
                   gp_project_get_path (self), area);
      return NULL;
    }
  return g_strdup_printf ("%s%03u", area, highest + 1);
}

/* The faces LINE cuts GRID into (polygons inside it, crumbs left out). */
static GPtrArray *
cut_faces (GEOSContextHandle_t ctx, const GEOSGeometry *grid, const GEOSGeometry *line)
{
  GPtrArray *faces = g_ptr_array_new_with_free_func (geom_free);
  GEOSGeometry *parts[2] = { GEOSBoundary_r (ctx, grid), GEOSGeom_clone_r (ctx, line) };
  GEOSGeometry *both = GEOSGeom_createCollection_r (ctx, GEOS_GEOMETRYCOLLECTION, parts, 2);
  GEOSGeometry *noded = both != NULL ? GEOSUnaryUnion_r (ctx, both) : NULL;
  const GEOSGeometry *noded_c = noded;
  GEOSGeometry *polygons = noded != NULL ? GEOSPolygonize_r (ctx, &noded_c, 1) : NULL;
  double total = 0.0;

  GEOSArea_r (ctx, grid, &total);
  for (int i = 0; polygons != NULL && i < GEOSGetNumGeometries_r (ctx, polygons); i++)
    {
      const GEOSGeometry *face = GEOSGetGeometryN_r (ctx, polygons, i);
      GEOSGeometry *inside = GEOSPointOnSurface_r (ctx, face);
      double area = 0.0;

      GEOSArea_r (ctx, face, &area);
      if (inside != NULL && area > total * PIECE_SHARE && GEOSIntersects_r (ctx, grid, inside) == 1)
        {
          GEOSGeometry *clipped = GEOSIntersection_r (ctx, face, grid);

          if (clipped != NULL)
            g_ptr_array_add (faces, clipped);
        }
      if (inside != NULL)
        GEOSGeom_destroy_r (ctx, inside);
    }
  if (polygons != NULL)
    GEOSGeom_destroy_r (ctx, polygons);
  if (noded != NULL)
    GEOSGeom_destroy_r (ctx, noded);
  if (both != NULL)
    GEOSGeom_destroy_r (ctx, both);
  return faces;
}

/* The units of grid CODE with their outlines and households. */
static GPtrArray *
grid_units (GpProject *self, const char *code, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
  int rc;

  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "SELECT u.code, u.households, u.geom FROM units u JOIN grid_units g ON g.unit_code = u.code"
                          " WHERE g.grid_code = ? ORDER BY u.code", -1, &stmt, NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Unit *u = g_new0 (Unit, 1);

      u->code = _gp_column_text (stmt, 0);
      u->households = sqlite3_column_int64 (stmt, 1);
      u->geom = blob_geom (stmt, 2);
      g_ptr_array_add (units, u);
    }
  if (rc != SQLITE_DONE)
    {
      fail_db (self, error);
      return NULL;
    }
  return g_steal_pointer (&units);
}

/* Which of the two faces holds most of G (0 or 1). */
static guint
side_of (GEOSContextHandle_t ctx, const GEOSGeometry *g, GPtrArray *faces)
{
  double area[2] = { 0.0, 0.0 };

  for (guint f = 0; f < 2; f++)
    {
      GEOSGeometry *common = GEOSIntersection_r (ctx, g_ptr_array_index (faces, f), g);

      if (common != NULL)
        {
          GEOSArea_r (ctx, common, &area[f]);
          GEOSGeom_destroy_r (ctx, common);
        }
    }
  return area[1] > area[0] ? 1 : 0;
}

GpProjectEdit *
gp_project_split_grid (GpProject *self, const char *grid, const double *line_xy, guint n_points, GError **error)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(Grid) g = NULL;
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) faces = NULL;
  g_autoptr(GPtrArray) by_side0 = g_ptr_array_new ();
  g_autoptr(GPtrArray) by_side1 = g_ptr_array_new ();
  g_autoptr(GPtrArray) codes_side0 = g_ptr_array_new ();
  g_autoptr(GPtrArray) codes_side1 = g_ptr_array_new ();
  GPtrArray *by_side[2] = { by_side0, by_side1 }, *codes_by_side[2] = { codes_side0, codes_side1 };
  g_autofree char *new_code = NULL;
  GEOSGeometry *line = NULL, *side[2] = { NULL, NULL };
  gint64 households[2] = { 0, 0 };
  GEOSCoordSequence *seq;
  GpProjectEdit *edit = NULL;
  guint keep;
  Cut c;

  g_return_val_if_fail (GP_IS_PROJECT (self) && grid != NULL && (line_xy != NULL || n_points == 0), NULL);
  if ((g = load_grid (self, grid, error)) == NULL || refuse_fixed (self, g, error))
    return NULL;
  if (g->geom == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: grid %s has no outline"), gp_project_get_path (self), grid);
      return NULL;
    }
  if (n_points >= 2 && (seq = GEOSCoordSeq_copyFromBuffer_r (ctx, line_xy, n_points, 0, 0)) != NULL)
    line = GEOSGeom_createLineString_r (ctx, seq);
  faces = line != NULL ? cut_faces (ctx, g->geom, line) : g_ptr_array_new ();
  if (line != NULL)
    GEOSGeom_destroy_r (ctx, line);
  if (faces->len != 2)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%s: draw the line across grid %s once, from one side of it to the other"),
                   gp_project_get_path (self), grid);
      return NULL;
    }
  if ((units = grid_units (self, grid, error)) == NULL)
    return NULL;
  /* Each unit falls to the side holding most of it. */
  for (guint i = 0; i < units->len; i++)
    {
      Unit *u = g_ptr_array_index (units, i);
      guint k = u->geom != NULL ? side_of (ctx, u->geom, faces) : 0;

      g_ptr_array_add (by_side[k], u->geom);
      g_ptr_array_add (codes_by_side[k], u->code);
      households[k] += u->households;
    }
  if (units->len > 0 && (by_side[0]->len == 0 || by_side[1]->len == 0))
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%s: the line leaves every compound or villager group of grid %s on one side"),
                   gp_project_get_path (self), grid);
      return NULL;
    }
  if (units->len == 0)
    {
      /* No units (a grid of household points or of ground): the polygon is cut, and its
       * households shared by area. */
      double a[2] = { 0.0, 0.0 };

      for (guint f = 0; f < 2; f++)
        {
          side[f] = GEOSGeom_clone_r (ctx, g_ptr_array_index (faces, f));
          GEOSArea_r (ctx, side[f], &a[f]);
        }
      households[0] = (gint64) llround (g->households * a[0] / MAX (a[0] + a[1], 1e-300));
      households[1] = g->households - households[0];
    }
  else
    {
      /* The sides follow the units' own edges, the streets between them cut along their middle. */
      side[1] = moved_share (ctx, g->geom, by_side[1], by_side[0]);
      side[0] = side[1] != NULL ? GEOSDifference_r (ctx, g->geom, side[1]) : NULL;
    }
  if (side[0] == NULL || side[1] == NULL || count_pieces (side[0]) != 1 || count_pieces (side[1]) != 1)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("%s: cut there, a part of grid %s would be in pieces"), gp_project_get_path (self), grid);
      goto out;
    }
  if ((new_code = next_grid_code (self, g->area, error)) == NULL)
    goto out;
  /* The code, and the people on the grid, stay with the side holding more households. */
  keep = households[1] > households[0] ? 1 : 0;
  g_ptr_array_add (codes_by_side[1 - keep], NULL);
  c = (Cut) { grid, g->area, new_code, side[keep], side[1 - keep], households[keep], households[1 - keep],
              codes_by_side[1 - keep] };
  {
    const char *codes[] = { grid, new_code, NULL };

    edit = run_edit (self, codes, cut_change, &c,
                     g_strdup_printf (_("Split grid %s along a line into %s and %s"), grid, grid, new_code), error);
  }

out:
  for (guint k = 0; k < 2; k++)
    if (side[k] != NULL)
      GEOSGeom_destroy_r (ctx, side[k]);
  return edit;
}

/* People ----------------------------------------------------------------------------------------- */

typedef struct {
  const char *person;
  const char *grid;
} Place;

static gboolean
place_change (GpProject *self, gpointer data, GError **error)
{
  Place *p = data;
  g_autofree char *pair = p->grid != NULL ? g_strdup_printf ("%s=%s", p->person, p->grid) : NULL;
  const char *set[] = { pair, NULL };
  const char *unset[] = { p->person, NULL };

  return _gp_project_run_assignment_edits (self, p->grid != NULL ? set : NULL, p->grid != NULL ? NULL : unset, NULL,
                                           error);
}

GpProjectEdit *
gp_project_place_person (GpProject *self, const char *person, const char *grid, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  Place p = { person, grid };

  g_return_val_if_fail (GP_IS_PROJECT (self) && person != NULL, NULL);
  if (grid != NULL)
    {
      g_autoptr(Grid) g = load_grid (self, grid, error);

      if (g == NULL)
        return NULL;
      g_ptr_array_add (codes, g_strdup (grid));
    }
  if (sqlite3_prepare_v2 (_gp_project_get_db (self),
                          "SELECT p.name, a.grid_code FROM people p LEFT JOIN assignments a ON a.person_id = p.id"
                          " WHERE p.id = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      fail_db (self, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, person, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 1);

      if (name == NULL)
        name = _gp_column_text (stmt, 0);
      if (code != NULL && !g_ptr_array_find_with_equal_func (codes, code, g_str_equal, NULL))
        g_ptr_array_add (codes, g_strdup (code));
    }
  if (name == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND, _("%s: no person %s"), gp_project_get_path (self), person);
      return NULL;
    }
  if (codes->len == 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT, _("%s: %s serves no grid"), gp_project_get_path (self),
                   name);
      return NULL;
    }
  g_ptr_array_add (codes, NULL);
  return run_edit (self, (const char *const *) codes->pdata, place_change, &p,
                   grid != NULL ? g_strdup_printf (_("Put %s on grid %s"), name, grid)
                                : g_strdup_printf (_("Took %s off their grids"), name), error);
}

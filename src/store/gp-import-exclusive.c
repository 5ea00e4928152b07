/* gp-import-exclusive.c: exclusive grids (专属网格) from a planner's polygons of schools, hospitals,
 * parks and enterprises: each one clipped to its village or community, coded, given the units it
 * covers, and stored as a grid the splitter keeps whole and carves out first. */
#include "gp-config.h"

#include "gp-project.h"
#include "gp-project-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gp-error.h"
#include "gp-geom.h"
#include "gp-gpkg.h"
#include "gp-wkb.h"

/* Exclusive grids are numbered from 901 in their area: the basic grids' 001… stay as they are
 * when an exclusive grid comes or goes, and the number tells a reader what kind of grid it is. */
#define FIRST_EXCLUSIVE_NUMBER 901
/* A site losing more than this share of its ground to the area's edge is said to have. */
#define CLIP_NOTE_SHARE 0.001

typedef struct {
  GEOSContextHandle_t ctx;
  sqlite3 *db;
  GpProject *project;
  const char *source;
  GPtrArray *notes;
  GHashTable *taken;          /* grid codes in use: the project's and this import's */
  GHashTable *resplit;        /* area codes that had basic grids: to be split again */
  GPtrArray *kept;            /* of GEOSGeometry*: locked and exclusive grids, and this import's */
  GPtrArray *kept_codes;      /* their codes, in step */
} Sites;

static void
sites_clear (Sites *s)
{
  for (guint i = 0; s->kept != NULL && i < s->kept->len; i++)
    GEOSGeom_destroy_r (s->ctx, g_ptr_array_index (s->kept, i));
  g_clear_pointer (&s->kept, g_ptr_array_unref);
  g_clear_pointer (&s->kept_codes, g_ptr_array_unref);
  g_clear_pointer (&s->taken, g_hash_table_unref);
  g_clear_pointer (&s->resplit, g_hash_table_unref);
}

static gboolean
fail_db (Sites *s, GError **error)
{
  gp_sqlite_set_error (error, s->db, gp_project_get_path (s->project));
  return FALSE;
}

static GEOSGeometry *
blob_geom (Sites *s, sqlite3_stmt *stmt, int col)
{
  g_autoptr(GpShape) shape = gp_gpkg_blob_parse (sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col),
                                                  NULL, NULL);

  return shape != NULL ? gp_geom_from_shape (s->ctx, shape, NULL) : NULL;
}

/* The codes in use, the grids kept whole (locked, exclusive), and the areas with basic grids. */
static gboolean
load_grids (Sites *s, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (s->db, "SELECT code, area_code, kind, locked, geom FROM grids", -1, &stmt, NULL) != SQLITE_OK)
    return fail_db (s, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *code = (const char *) sqlite3_column_text (stmt, 0);
      const char *area = (const char *) sqlite3_column_text (stmt, 1);
      gboolean exclusive = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "exclusive") == 0;

      g_hash_table_add (s->taken, g_strdup (code));
      if (exclusive || sqlite3_column_int (stmt, 3) != 0)
        {
          GEOSGeometry *geom = blob_geom (s, stmt, 4);

          if (geom != NULL)
            {
              g_ptr_array_add (s->kept, geom);
              g_ptr_array_add (s->kept_codes, g_strdup (code));
            }
        }
      else if (area != NULL)
        g_hash_table_add (s->resplit, g_strdup (area));
    }
  return rc == SQLITE_DONE || fail_db (s, error);
}

static GEOSGeometry *
load_area (Sites *s, const char *area_code, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GEOSGeometry *geom = NULL;

  if (sqlite3_prepare_v2 (s->db, "SELECT geom FROM areas WHERE code = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      fail_db (s, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, area_code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    geom = blob_geom (s, stmt, 0);
  if (geom == NULL)
    g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: area %s has no polygon to hold an exclusive grid"),
                 s->source, area_code);
  return geom;
}

static char *
next_code (Sites *s, const char *area_code)
{
  for (guint n = FIRST_EXCLUSIVE_NUMBER; n <= 999; n++)
    {
      char *code = g_strdup_printf ("%s%03u", area_code, n);

      if (!g_hash_table_contains (s->taken, code))
        {
          g_hash_table_add (s->taken, g_strdup (code));
          return code;
        }
      g_free (code);
    }
  return NULL;
}

/* Moves the units of AREA_CODE whose inside point lies in SITE to grid CODE: out of the basic
 * grids that held them (their households counted off). Returns the households moved, −1 on error. */
static gint64
take_units (Sites *s, const char *area_code, const GEOSGeometry *site, const char *code, GError **error)
{
  g_autoptr(sqlite3_stmt) units = NULL, drop = NULL, add = NULL, owner = NULL, lessen = NULL;
  const GEOSPreparedGeometry *prepared = GEOSPrepare_r (s->ctx, site);
  gint64 households = 0;
  int rc;

  if (prepared == NULL)
    return 0;
  if (sqlite3_prepare_v2 (s->db, "SELECT code, households, geom FROM units WHERE area_code = ? AND geom IS NOT NULL",
                          -1, &units, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (s->db, "SELECT grid_code FROM grid_units WHERE unit_code = ?", -1, &owner, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (s->db, "UPDATE grids SET households = MAX (households - ?, 0) WHERE code = ?", -1,
                             &lessen, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (s->db, "DELETE FROM grid_units WHERE unit_code = ?", -1, &drop, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (s->db, "INSERT INTO grid_units (unit_code, grid_code) VALUES (?, ?)", -1, &add, NULL)
           != SQLITE_OK)
    {
      GEOSPreparedGeom_destroy_r (s->ctx, prepared);
      fail_db (s, error);
      return -1;
    }
  sqlite3_bind_text (units, 1, area_code, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (units)) == SQLITE_ROW)
    {
      const char *unit = (const char *) sqlite3_column_text (units, 0);
      gint64 h = sqlite3_column_int64 (units, 1);
      GEOSGeometry *geom = blob_geom (s, units, 2);
      GEOSGeometry *point = geom != NULL ? GEOSPointOnSurface_r (s->ctx, geom) : NULL;
      gboolean inside = point != NULL && GEOSPreparedContains_r (s->ctx, prepared, point) == 1;

      if (point != NULL)
        GEOSGeom_destroy_r (s->ctx, point);
      if (geom != NULL)
        GEOSGeom_destroy_r (s->ctx, geom);
      if (!inside)
        continue;
      sqlite3_reset (owner);
      sqlite3_bind_text (owner, 1, unit, -1, SQLITE_STATIC);
      if (sqlite3_step (owner) == SQLITE_ROW)
        {
          sqlite3_reset (lessen);
          sqlite3_bind_int64 (lessen, 1, h);
          sqlite3_bind_text (lessen, 2, (const char *) sqlite3_column_text (owner, 0), -1, SQLITE_TRANSIENT);
          if (sqlite3_step (lessen) != SQLITE_DONE)
            break;
        }
      sqlite3_reset (drop);
      sqlite3_bind_text (drop, 1, unit, -1, SQLITE_STATIC);
      sqlite3_reset (add);
      sqlite3_bind_text (add, 1, unit, -1, SQLITE_STATIC);
      sqlite3_bind_text (add, 2, code, -1, SQLITE_STATIC);
      if (sqlite3_step (drop) != SQLITE_DONE || sqlite3_step (add) != SQLITE_DONE)
        break;
      households += h;
    }
  GEOSPreparedGeom_destroy_r (s->ctx, prepared);
  if (rc != SQLITE_DONE)
    {
      fail_db (s, error);
      return -1;
    }
  return households;
}

static gboolean
add_site (Sites *s, const GpImportSite *site, sqlite3_stmt *insert, double bbox[4], GError **error)
{
  g_autoptr(GpShape) shape = NULL;
  g_autofree char *code = NULL;
  g_autofree char *blob = NULL;
  GEOSGeometry *geom, *area, *clipped;
  double before = 0.0, after = 0.0, b[4];
  gsize length = 0;
  gint64 households;

  if (site->area_code == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_NOT_FOUND,
                   _("%s: record %u: no village or community of the project holds this exclusive grid"),
                   s->source, site->record);
      return FALSE;
    }
  if ((area = load_area (s, site->area_code, error)) == NULL)
    return FALSE;
  geom = gp_geom_from_shape (s->ctx, site->shape, error);
  if (geom == NULL)
    {
      GEOSGeom_destroy_r (s->ctx, area);
      return FALSE;
    }
  /* Grids nest in their area: what lies beyond its edge is not this grid's. */
  clipped = GEOSIntersection_r (s->ctx, geom, area);
  GEOSArea_r (s->ctx, geom, &before);
  GEOSGeom_destroy_r (s->ctx, geom);
  GEOSGeom_destroy_r (s->ctx, area);
  if (clipped == NULL || !GEOSArea_r (s->ctx, clipped, &after) || after <= 0.0)
    {
      if (clipped != NULL)
        GEOSGeom_destroy_r (s->ctx, clipped);
      g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: record %u: the exclusive grid lies outside area %s"),
                   s->source, site->record, site->area_code);
      return FALSE;
    }
  if (after < before * (1.0 - CLIP_NOTE_SHARE))
    g_ptr_array_add (s->notes, g_strdup_printf (_("record %u: %.0f%% of the exclusive grid lay outside area %s and was cut off"),
                                                site->record, 100.0 * (before - after) / before, site->area_code));
  for (guint k = 0; k < s->kept->len; k++)
    {
      GEOSGeometry *common = GEOSIntersection_r (s->ctx, clipped, g_ptr_array_index (s->kept, k));
      double shared = 0.0;

      if (common != NULL)
        {
          GEOSArea_r (s->ctx, common, &shared);
          GEOSGeom_destroy_r (s->ctx, common);
        }
      if (shared > after * CLIP_NOTE_SHARE)
        {
          g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: record %u: the exclusive grid overlaps grid %s"),
                       s->source, site->record, (const char *) g_ptr_array_index (s->kept_codes, k));
          GEOSGeom_destroy_r (s->ctx, clipped);
          return FALSE;
        }
    }
  code = next_code (s, site->area_code);
  if (code == NULL)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_FAILED, _("%s: record %u: area %s has no grid numbers left"),
                   s->source, site->record, site->area_code);
      GEOSGeom_destroy_r (s->ctx, clipped);
      return FALSE;
    }
  shape = gp_geom_to_shape (s->ctx, clipped, error);
  g_ptr_array_add (s->kept, clipped);
  g_ptr_array_add (s->kept_codes, g_strdup (code));
  if (shape == NULL || shape->kind != GP_SHAPE_POLYGON)
    {
      if (shape != NULL)
        g_set_error (error, GP_ERROR, GP_ERROR_GEOMETRY, _("%s: record %u: the exclusive grid lies outside area %s"),
                     s->source, site->record, site->area_code);
      return FALSE;
    }
  shape->flags |= GP_SHAPE_FORCE_MULTI;
  blob = (char *) gp_gpkg_blob_new (shape, _gp_project_get_srs_id (s->project), &length);
  if (gp_shape_get_bbox (shape, b))
    {
      bbox[0] = MIN (bbox[0], b[0]);
      bbox[1] = MIN (bbox[1], b[1]);
      bbox[2] = MAX (bbox[2], b[2]);
      bbox[3] = MAX (bbox[3], b[3]);
    }

  sqlite3_reset (insert);
  sqlite3_clear_bindings (insert);
  sqlite3_bind_blob (insert, 1, blob, (int) length, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, code, -1, SQLITE_STATIC);
  _gp_bind_text_or_null (insert, 3, site->name);
  sqlite3_bind_text (insert, 4, site->area_code, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return fail_db (s, error);
  households = take_units (s, site->area_code, clipped, code, error);
  if (households < 0)
    return FALSE;
  if (site->has_households)
    households = site->households;
  {
    g_autoptr(sqlite3_stmt) set = NULL;

    if (sqlite3_prepare_v2 (s->db, "UPDATE grids SET households = ? WHERE code = ?", -1, &set, NULL) != SQLITE_OK)
      return fail_db (s, error);
    sqlite3_bind_int64 (set, 1, households);
    sqlite3_bind_text (set, 2, code, -1, SQLITE_STATIC);
    if (sqlite3_step (set) != SQLITE_DONE)
      return fail_db (s, error);
  }
  g_ptr_array_add (s->notes, g_strdup_printf (_("record %u: exclusive grid %s (%s), %lld households"), site->record,
                                              code, site->name != NULL ? site->name : "", (long long) households));
  return TRUE;
}

gboolean
_gp_import_exclusive_grids (GpProject *self, const char *source, GArray *sites, GPtrArray *notes, GError **error)
{
  Sites s = { 0 };
  g_autoptr(sqlite3_stmt) insert = NULL;
  double bbox[4] = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  gboolean ok = TRUE;

  s.ctx = gp_geos ();
  s.db = _gp_project_get_db (self);
  s.project = self;
  s.source = source;
  s.notes = notes;
  s.taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s.resplit = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s.kept = g_ptr_array_new ();
  s.kept_codes = g_ptr_array_new_with_free_func (g_free);
  if (sqlite3_prepare_v2 (s.db, "INSERT INTO grids (geom, code, name, area_code, kind, households)"
                                " VALUES (?, ?, ?, ?, 'exclusive', 0)", -1, &insert, NULL) != SQLITE_OK)
    ok = fail_db (&s, error);
  ok = ok && load_grids (&s, error);
  for (guint i = 0; ok && i < sites->len; i++)
    ok = add_site (&s, &g_array_index (sites, GpImportSite, i), insert, bbox, error);
  if (ok && sites->len > 0)
    ok = _gp_project_extend_bbox (self, "grids", bbox, error);
  if (ok)
    {
      g_autoptr(GPtrArray) areas = g_ptr_array_new ();

      for (guint i = 0; i < sites->len; i++)
        {
          const char *area = g_array_index (sites, GpImportSite, i).area_code;

          if (g_hash_table_contains (s.resplit, area) && !g_ptr_array_find_with_equal_func (areas, area, g_str_equal, NULL))
            g_ptr_array_add (areas, (gpointer) area);
        }
      if (areas->len > 0)
        {
          g_autofree char *list = NULL;

          g_ptr_array_add (areas, NULL);
          list = g_strjoinv (", ", (char **) areas->pdata);
          g_ptr_array_add (notes, g_strdup_printf (_("areas %s already have grids: split them again to carve the "
                                                     "exclusive grids out"), list));
        }
    }
  sites_clear (&s);
  return ok;
}

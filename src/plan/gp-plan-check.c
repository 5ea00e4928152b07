/* gp-plan-check.c: the check before signing: ground, households and grids measured area by area in a local metric frame, then the people. */
#include "gp-config.h"

#include "gp-plan-check.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "gp-error.h"
#include "gp-geom.h"
#include "gp-plan-contacts.h"
#include "gp-plan-data.h"
#include "gp-plan-roster.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-split.h"

/* Ground under this is the rounding of coordinates, not a problem a planner can see or fix. */
#define MIN_GROUND_M2 1.0
/* Pieces of a grid under this share of it are crumbs of the same rounding. */
#define CRUMB_SHARE   1e-6

static const char *const kind_names[GP_CHECK_N] = {
  "territory_gap", "overlap", "households_outside", "grid_in_pieces", "crossing_parent", "oversize",
  "undersize", "grid_without_worker", "community_short_of_workers", "households_without_party_contact",
  "person_unplaced",
};

static const char *const kind_labels[GP_CHECK_N] = {
  N_("Territory in no grid"), N_("Overlapping grids"), N_("Households in no grid"), N_("Grid in pieces"),
  N_("Grid reaching outside its community"), N_("Grid too big"), N_("Grid too small"), N_("No full-time worker"),
  N_("Community short of workers"), N_("Households without party contact"), N_("Person without a grid"),
};

const char *
gp_check_kind_label (GpCheckKind kind)
{
  g_return_val_if_fail (kind < GP_CHECK_N, NULL);
  return _(kind_labels[kind]);
}

const char *
gp_check_kind_name (GpCheckKind kind)
{
  g_return_val_if_fail (kind < GP_CHECK_N, NULL);
  return kind_names[kind];
}

void
gp_check_problem_free (GpCheckProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->area);
  g_free (problem->grid);
  g_free (problem->other);
  g_free (problem->message);
  g_free (problem);
}

void
gp_check_result_free (GpCheckResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

typedef struct {
  GEOSContextHandle_t ctx;
  GpPlanData         *data;
  GpLocalFrame       *frame;
  double              densify;
  double              target, tolerance;
  gboolean            has_target;
  GHashTable         *area_name;     /* code → name (owned) */
  GHashTable         *grid_at;       /* grid code → double[2], a point inside it (source CRS) */
  GHashTable         *area_at;       /* area code → the same */
  GHashTable         *units_of;      /* area code → GArray of unit indices */
  GpCheckResult      *result;
} Check;

static GpCheckProblem *
add_problem (Check *c, GpCheckKind kind, const char *area, const char *grid, char *message)
{
  GpCheckProblem *p = g_new0 (GpCheckProblem, 1);

  p->kind = kind;
  p->area = g_strdup (area);
  p->grid = g_strdup (grid);
  p->count = -1;
  p->area_m2 = NAN;
  p->message = message;
  g_ptr_array_add (c->result->problems, p);
  c->result->counts[kind]++;
  return p;
}

/* AT gets a point inside G (local frame) in the project's coordinates. */
static gboolean
point_inside (Check *c, const GEOSGeometry *g, double at[2])
{
  GEOSGeometry *p = g != NULL ? GEOSPointOnSurface_r (c->ctx, g) : NULL;
  gboolean ok = FALSE;

  if (p != NULL && GEOSisEmpty_r (c->ctx, p) == 0 && GEOSGeomGetX_r (c->ctx, p, &at[0])
      && GEOSGeomGetY_r (c->ctx, p, &at[1]))
    ok = gp_local_frame_inverse (c->frame, at, 1, NULL);
  if (p != NULL)
    GEOSGeom_destroy_r (c->ctx, p);
  return ok;
}

static void
set_at (Check *c, GpCheckProblem *p, const GEOSGeometry *g)
{
  p->has_at = point_inside (c, g, p->at);
}

static double
area_of (GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
  double a = 0.0;

  return g != NULL && GEOSArea_r (ctx, g, &a) ? a : 0.0;
}

static const char *
name_of (Check *c, const char *area)
{
  const char *name = area != NULL ? g_hash_table_lookup (c->area_name, area) : NULL;

  return name != NULL ? name : area != NULL ? area : "?";
}

/* Polygons as the splitter sees them; points as they are; NULL for nothing. */
static GEOSGeometry *
local_geom (Check *c, const GpShape *shape)
{
  g_autoptr(GpShape) copy = NULL;

  if (shape == NULL || gp_shape_is_empty (shape))
    return NULL;
  if (shape->kind == GP_SHAPE_POLYGON)
    return gp_split_to_local (c->ctx, c->frame, shape, c->densify, NULL);
  copy = gp_shape_copy (shape);
  if (!gp_local_frame_forward (c->frame, copy->xy, copy->n_points, NULL))
    return NULL;
  return gp_geom_from_shape (c->ctx, copy, NULL);
}

/* ---- one area's ground ---- */

typedef struct {
  GPtrArray *grids;        /* of GpProjectGrid (borrowed), the area's */
  GPtrArray *geoms;        /* their local geometries (NULL: none) */
  GPtrArray *prepared;     /* prepared, for households to find their grid */
  GArray    *households;   /* double per grid, counted from where households are */
  gboolean   counted;      /* households were located (units or points), else stored totals */
} AreaGrids;

static void
area_grids_clear (Check *c, AreaGrids *a)
{
  for (guint i = 0; i < a->geoms->len; i++)
    {
      if (g_ptr_array_index (a->prepared, i) != NULL)
        GEOSPreparedGeom_destroy_r (c->ctx, g_ptr_array_index (a->prepared, i));
      if (g_ptr_array_index (a->geoms, i) != NULL)
        GEOSGeom_destroy_r (c->ctx, g_ptr_array_index (a->geoms, i));
    }
  g_ptr_array_unref (a->grids);
  g_ptr_array_unref (a->geoms);
  g_ptr_array_unref (a->prepared);
  g_array_unref (a->households);
}

/* A grid of several pieces is broken unless each piece is on its own island of the area. */
static void
check_pieces (Check *c, const char *area, const GEOSGeometry *parent, const GpProjectGrid *grid,
              const GEOSGeometry *g)
{
  int n = GEOSGetNumGeometries_r (c->ctx, g), substantial = 0, smallest = -1;
  double total = area_of (c->ctx, g), least = INFINITY;
  g_autoptr(GHashTable) islands = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean broken = FALSE;
  GpCheckProblem *p;

  if (n <= 1 || GEOSGeomTypeId_r (c->ctx, g) == GEOS_POLYGON)
    return;
  for (int k = 0; k < n; k++)
    {
      const GEOSGeometry *part = GEOSGetGeometryN_r (c->ctx, g, k);
      double a = area_of (c->ctx, part);
      int island = -1;

      if (a < CRUMB_SHARE * total)
        continue;
      substantial++;
      if (a < least)
        {
          least = a;
          smallest = k;
        }
      /* Which island of the area holds it (an area of one piece has one). */
      for (int i = 0; parent != NULL && i < GEOSGetNumGeometries_r (c->ctx, parent) && island < 0; i++)
        {
          GEOSGeometry *inside = GEOSPointOnSurface_r (c->ctx, part);

          if (inside != NULL && GEOSCovers_r (c->ctx, GEOSGetGeometryN_r (c->ctx, parent, i), inside) == 1)
            island = i;
          if (inside != NULL)
            GEOSGeom_destroy_r (c->ctx, inside);
        }
      if (island < 0 || !g_hash_table_add (islands, GINT_TO_POINTER (island + 1)))
        broken = TRUE;
    }
  if (substantial < 2 || !broken)
    return;
  p = add_problem (c, GP_CHECK_GRID_IN_PIECES, area, grid->code,
                   g_strdup_printf (_("Grid %s is in %d pieces; the smallest is marked."), grid->code, substantial));
  p->count = substantial;
  set_at (c, p, GEOSGetGeometryN_r (c->ctx, g, smallest));
}

static void
check_crossing (Check *c, const char *area, const GEOSGeometry *parent, const GpProjectGrid *grid,
                const GEOSGeometry *g)
{
  GEOSGeometry *outside = GEOSDifference_r (c->ctx, g, parent);
  double a = area_of (c->ctx, outside);

  if (a >= MIN_GROUND_M2)
    {
      GpCheckProblem *p = add_problem (c, GP_CHECK_CROSSING_PARENT, area, grid->code,
                                       g_strdup_printf (_("Grid %s reaches %.0f m² outside %s."), grid->code, a,
                                                        name_of (c, area)));

      p->area_m2 = a;
      set_at (c, p, outside);
    }
  if (outside != NULL)
    GEOSGeom_destroy_r (c->ctx, outside);
}

static gboolean
envelopes_meet (GEOSContextHandle_t ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
  double ax0, ay0, ax1, ay1, bx0, by0, bx1, by1;

  if (!GEOSGeom_getExtent_r (ctx, a, &ax0, &ay0, &ax1, &ay1) || !GEOSGeom_getExtent_r (ctx, b, &bx0, &by0, &bx1, &by1))
    return FALSE;
  return ax0 <= bx1 && bx0 <= ax1 && ay0 <= by1 && by0 <= ay1;
}

static void
check_overlaps (Check *c, const char *area, AreaGrids *a)
{
  for (guint i = 0; i < a->geoms->len; i++)
    for (guint j = i + 1; j < a->geoms->len; j++)
      {
        const GEOSGeometry *gi = g_ptr_array_index (a->geoms, i), *gj = g_ptr_array_index (a->geoms, j);
        const GpProjectGrid *x = g_ptr_array_index (a->grids, i), *y = g_ptr_array_index (a->grids, j);
        GEOSGeometry *both;
        double m2;

        if (gi == NULL || gj == NULL || !envelopes_meet (c->ctx, gi, gj)
            || GEOSPreparedIntersects_r (c->ctx, g_ptr_array_index (a->prepared, i), gj) != 1)
          continue;
        both = GEOSIntersection_r (c->ctx, gi, gj);
        m2 = area_of (c->ctx, both);
        if (m2 >= MIN_GROUND_M2)
          {
            GpCheckProblem *p = add_problem (c, GP_CHECK_OVERLAP, area, x->code,
                                             g_strdup_printf (_("Grids %s and %s overlap over %.0f m²."), x->code,
                                                              y->code, m2));

            p->other = g_strdup (y->code);
            p->area_m2 = m2;
            set_at (c, p, both);
          }
        if (both != NULL)
          GEOSGeom_destroy_r (c->ctx, both);
      }
}

/* The ground of the area in no grid, piece by piece. */
static void
check_gaps (Check *c, const char *area, const GEOSGeometry *parent, AreaGrids *a)
{
  g_autofree GEOSGeometry **parts = g_new (GEOSGeometry *, a->geoms->len + 1);
  GEOSGeometry *all, *gap;
  guint m = 0;

  for (guint i = 0; i < a->geoms->len; i++)
    if (g_ptr_array_index (a->geoms, i) != NULL)
      parts[m++] = GEOSGeom_clone_r (c->ctx, g_ptr_array_index (a->geoms, i));
  all = GEOSGeom_createCollection_r (c->ctx, GEOS_GEOMETRYCOLLECTION, parts, m);
  /* Joined first: an overlay against a collection of polygons that share edges (an invalid
   * multipolygon to GEOS) found slivers of metres along an area's outline that no union of
   * the same grids leaves (seen after a hand move in lon/lat). */
  {
    GEOSGeometry *joined = all != NULL ? GEOSUnaryUnion_r (c->ctx, all) : NULL;

    if (joined != NULL)
      {
        GEOSGeom_destroy_r (c->ctx, all);
        all = joined;
      }
  }
  gap = all != NULL ? GEOSDifference_r (c->ctx, parent, all) : NULL;
  for (int k = 0; gap != NULL && k < GEOSGetNumGeometries_r (c->ctx, gap); k++)
    {
      const GEOSGeometry *piece = GEOSGetGeometryN_r (c->ctx, gap, k);
      double m2 = area_of (c->ctx, piece);
      GpCheckProblem *p;

      if (m2 < MIN_GROUND_M2)
        continue;
      p = add_problem (c, GP_CHECK_TERRITORY_GAP, area, NULL,
                       g_strdup_printf (_("%.0f m² of %s lie in no grid."), m2, name_of (c, area)));
      p->area_m2 = m2;
      set_at (c, p, piece);
    }
  if (gap != NULL)
    GEOSGeom_destroy_r (c->ctx, gap);
  if (all != NULL)
    GEOSGeom_destroy_r (c->ctx, all);
}

/* The grid holding a household's point (an index into a), or -1. */
static gint
grid_holding (Check *c, AreaGrids *a, const GEOSGeometry *point)
{
  for (guint i = 0; i < a->prepared->len; i++)
    if (g_ptr_array_index (a->prepared, i) != NULL
        && GEOSPreparedIntersects_r (c->ctx, g_ptr_array_index (a->prepared, i), point) == 1)
      return (gint) i;
  return -1;
}

/* Where the area's households are (its units, else its household points), each to the grid
 * holding it; those in no grid reported, unit by unit (points together). */
static void
locate_households (Check *c, const char *area, AreaGrids *a)
{
  GArray *units = g_hash_table_lookup (c->units_of, area);
  gint64 loose = 0;
  gboolean loose_at = FALSE;
  double at[2] = { NAN, NAN };

  for (guint k = 0; units != NULL && k < units->len; k++)
    {
      GpFeature *f = gp_layer_get_feature (c->data->units, g_array_index (units, guint, k));
      double w = gp_plan_value_number (c->data->units, f, c->data->unit_households);
      GEOSGeometry *g, *inside;
      gint held;

      if (!(w > 0.0) || (g = local_geom (c, f->shape)) == NULL)
        continue;
      a->counted = TRUE;
      inside = GEOSPointOnSurface_r (c->ctx, g);
      held = inside != NULL ? grid_holding (c, a, inside) : -1;
      if (held >= 0)
        g_array_index (a->households, double, held) += w;
      else
        {
          g_autofree char *code = gp_plan_value_text (c->data->units, f, c->data->unit_code);
          g_autofree char *name = gp_plan_value_text (c->data->units, f, c->data->unit_name);
          GpCheckProblem *p = add_problem (c, GP_CHECK_HOUSEHOLDS_OUTSIDE, area, NULL,
                                           g_strdup_printf (_("%s (%s) with %.0f households lies in no grid."),
                                                            name != NULL ? name : code, code != NULL ? code : "?", w));

          p->count = llround (w);
          set_at (c, p, g);
        }
      if (inside != NULL)
        GEOSGeom_destroy_r (c->ctx, inside);
      GEOSGeom_destroy_r (c->ctx, g);
    }
  if (a->counted)
    return;
  for (guint k = 0; k < gp_layer_get_n_features (c->data->households); k++)
    {
      GpFeature *f = gp_layer_get_feature (c->data->households, k);
      g_autofree char *own = gp_plan_value_text (c->data->households, f, c->data->household_area);
      GEOSGeometry *g;
      gint held;

      if (g_strcmp0 (own, area) != 0 || (g = local_geom (c, f->shape)) == NULL)
        continue;
      a->counted = TRUE;
      held = grid_holding (c, a, g);
      if (held >= 0)
        g_array_index (a->households, double, held) += 1.0;
      else if (loose++ == 0)
        loose_at = point_inside (c, g, at);
      GEOSGeom_destroy_r (c->ctx, g);
    }
  if (loose > 0)
    {
      GpCheckProblem *p = add_problem (c, GP_CHECK_HOUSEHOLDS_OUTSIDE, area, NULL,
                                       g_strdup_printf (_("%lld households of %s lie in no grid; the first is marked."),
                                                        (long long) loose, name_of (c, area)));

      p->count = loose;
      p->has_at = loose_at;
      p->at[0] = at[0];
      p->at[1] = at[1];
    }
}

/* Basic grids against the target of the last split. */
static void
check_sizes (Check *c, const char *area, AreaGrids *a)
{
  double high = c->target * (1.0 + c->tolerance), low = c->target * (1.0 - c->tolerance);

  if (!c->has_target)
    return;
  for (guint i = 0; i < a->grids->len; i++)
    {
      const GpProjectGrid *grid = g_ptr_array_index (a->grids, i);
      double h = a->counted ? g_array_index (a->households, double, i) : (double) grid->households;
      GpCheckProblem *p;

      if (grid->exclusive || (h <= high && h >= low))
        continue;
      if (h > high)
        p = add_problem (c, GP_CHECK_OVERSIZE, area, grid->code,
                         g_strdup_printf (_("Grid %s has %.0f households, more than %.0f (%.0f households ± %.0f%%)."),
                                          grid->code, h, high, c->target, 100.0 * c->tolerance));
      else
        p = add_problem (c, GP_CHECK_UNDERSIZE, area, grid->code,
                         g_strdup_printf (_("Grid %s has %.0f households, fewer than %.0f (%.0f households ± %.0f%%)."),
                                          grid->code, h, low, c->target, 100.0 * c->tolerance));
      p->count = llround (h);
      set_at (c, p, g_ptr_array_index (a->geoms, i));
    }
}

static gboolean
check_area (Check *c, int index, GError **error)
{
  GpFeature *f = gp_layer_get_feature (c->data->areas, (guint) index);
  g_autofree char *code = gp_plan_value_text (c->data->areas, f, c->data->area_code);
  GEOSGeometry *parent = local_geom (c, f->shape);
  AreaGrids a = {
    g_ptr_array_new (), g_ptr_array_new (), g_ptr_array_new (), g_array_new (FALSE, TRUE, sizeof (double)), FALSE,
  };
  const GArray *grid_list = gp_plan_data_area_grids (c->data, code);

  for (guint i = 0; grid_list != NULL && i < grid_list->len; i++)
    {
      GpProjectGrid *grid = g_ptr_array_index (c->data->grids, g_array_index (grid_list, guint, i));
      GEOSGeometry *geom;
      double zero = 0.0;

      geom = local_geom (c, grid->shape);
      g_ptr_array_add (a.grids, grid);
      g_ptr_array_add (a.geoms, geom);
      g_ptr_array_add (a.prepared, geom != NULL ? (gpointer) GEOSPrepare_r (c->ctx, geom) : NULL);
      g_array_append_val (a.households, zero);
      if (geom != NULL)
        {
          double *at = g_new (double, 2);

          if (point_inside (c, geom, at))
            g_hash_table_insert (c->grid_at, grid->code, at);
          else
            g_free (at);
          if (parent != NULL)
            {
              check_pieces (c, code, parent, grid, geom);
              check_crossing (c, code, parent, grid, geom);
            }
        }
    }
  if (parent != NULL && code != NULL)
    {
      double *at = g_new (double, 2);

      if (point_inside (c, parent, at))
        g_hash_table_replace (c->area_at, g_strdup (code), at);
      else
        g_free (at);
    }
  check_overlaps (c, code, &a);
  if (parent != NULL)
    check_gaps (c, code, parent, &a);
  locate_households (c, code, &a);
  check_sizes (c, code, &a);
  area_grids_clear (c, &a);
  if (parent != NULL)
    GEOSGeom_destroy_r (c->ctx, parent);
  return error == NULL || *error == NULL;
}

/* ---- the people ---- */

static void
set_grid_at (Check *c, GpCheckProblem *p)
{
  const double *at = p->grid != NULL ? g_hash_table_lookup (c->grid_at, p->grid) : NULL;

  if (at != NULL)
    {
      p->has_at = TRUE;
      p->at[0] = at[0];
      p->at[1] = at[1];
    }
}

static gboolean
role_is_placed (GpRole role)
{
  return role == GP_ROLE_FULLTIME || role == GP_ROLE_PARTY || role == GP_ROLE_INSTRUCTOR
         || role == GP_ROLE_BUILDING_HEAD || role == GP_ROLE_UNIT_HEAD;
}

static gboolean
check_people (Check *c, GError **error)
{
  g_autoptr(GPtrArray) people = gp_project_load_people (c->data->project, error);
  g_autoptr(GPtrArray) assignments = NULL, contacts = NULL, places = NULL;
  g_autoptr(GHashTable) workers = g_hash_table_new (g_str_hash, g_str_equal);       /* grid → n */
  g_autoptr(GHashTable) assigned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) community_workers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) community_grids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) grid_area = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) without = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (people == NULL)
    return FALSE;
  if (people->len == 0)
    return TRUE;
  c->result->people_checked = TRUE;
  if ((assignments = gp_project_load_assignments (c->data->project, error)) == NULL
      || (contacts = gp_project_load_party_contacts (c->data->project, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);

      g_hash_table_add (assigned, a->person_id);
      if (g_strcmp0 (a->role, "fulltime") == 0)
        g_hash_table_insert (workers, a->grid_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (workers, a->grid_code)) + 1));
    }
  for (guint g = 0; g < c->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (c->data->grids, g);

      g_hash_table_insert (grid_area, grid->code, grid->area_code);
      if (grid->area_code != NULL)
        g_hash_table_insert (community_grids, grid->area_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (community_grids, grid->area_code)) + 1));
      if (!g_hash_table_contains (workers, grid->code))
        set_grid_at (c, add_problem (c, GP_CHECK_GRID_WITHOUT_WORKER, grid->area_code, grid->code,
                                     g_strdup_printf (_("Grid %s has no full-time grid worker."), grid->code)));
    }
  for (guint p = 0; p < people->len; p++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, p);
      GpRole role;

      if (!gp_role_parse (person->role, &role))
        continue;
      if (role == GP_ROLE_FULLTIME && person->area_code != NULL)
        g_hash_table_insert (community_workers, person->area_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (community_workers,
                                                                                      person->area_code)) + 1));
      if (role_is_placed (role) && !g_hash_table_contains (assigned, person->id))
        {
          GpCheckProblem *problem = add_problem (c, GP_CHECK_PERSON_UNPLACED, person->area_code, NULL,
                                                 g_strdup_printf (_("%s (%s, %s, %s) has no grid."), person->name,
                                                                  person->id, gp_role_label (person->role),
                                                                  name_of (c, person->area_code)));

          problem->has_at = person->has_home;
          problem->at[0] = person->home_x;
          problem->at[1] = person->home_y;
        }
    }
  g_hash_table_iter_init (&iter, community_grids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint grids = GPOINTER_TO_UINT (value), n = GPOINTER_TO_UINT (g_hash_table_lookup (community_workers, key));
      GpCheckProblem *p;
      double *at;

      if (n >= grids)
        continue;
      p = add_problem (c, GP_CHECK_COMMUNITY_SHORT_OF_WORKERS, key, NULL,
                       g_strdup_printf (_("%s has %u grids but %u full-time grid workers."), name_of (c, key), grids, n));
      p->count = grids - n;
      at = g_hash_table_lookup (c->area_at, key);
      if (at != NULL)
        {
          p->has_at = TRUE;
          p->at[0] = at[0];
          p->at[1] = at[1];
        }
    }

  /* Households no party member keeps in contact, grid by grid. */
  places = gp_plan_contact_places (c->data, contacts);
  for (guint i = 0; i < places->len; i++)
    {
      const GpContactPlace *place = g_ptr_array_index (places, i);
      gint64 *n = g_hash_table_lookup (without, place->grid_code);

      if (n == NULL)
        g_hash_table_insert (without, place->grid_code, n = g_new0 (gint64, 1));
      *n += place->households - place->in_contact;
    }
  for (guint g = 0; g < c->data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (c->data->grids, g);
      const gint64 *n = g_hash_table_lookup (without, grid->code);
      GpCheckProblem *p;

      if (n == NULL || *n <= 0)
        continue;
      p = add_problem (c, GP_CHECK_HOUSEHOLDS_WITHOUT_PARTY_CONTACT, grid->area_code, grid->code,
                       g_strdup_printf (_("%lld households of grid %s have no party member in contact."),
                                        (long long) *n, grid->code));
      p->count = *n;
      set_grid_at (c, p);
    }
  return TRUE;
}

static int
compare_problems (gconstpointer pa, gconstpointer pb)
{
  const GpCheckProblem *a = *(GpCheckProblem *const *) pa, *b = *(GpCheckProblem *const *) pb;
  int c;

  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  if ((c = g_strcmp0 (a->area, b->area)) != 0)
    return c;
  return g_strcmp0 (a->grid, b->grid);
}

GpCheckResult *
gp_plan_check (GpProject *project, GCancellable *cancellable, GError **error)
{
  g_autoptr(GpCheckResult) result = g_new0 (GpCheckResult, 1);
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autoptr(GHashTable) area_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) grid_at = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) area_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) units_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_array_unref);
  g_autoptr(GArray) areas = NULL;
  Check c = { gp_geos () };
  double bbox[4];

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_check_problem_free);
  data = gp_plan_data_load (project, error);
  if (data == NULL)
    return NULL;
  c.data = data;
  c.result = result;
  c.area_name = area_name;
  c.grid_at = grid_at;
  c.area_at = area_at;
  c.units_of = units_of;
  c.has_target = gp_project_get_split_target (project, &c.target, &c.tolerance);
  for (guint i = 0; i < gp_layer_get_n_features (data->areas); i++)
    {
      GpFeature *f = gp_layer_get_feature (data->areas, i);
      char *code = gp_plan_value_text (data->areas, f, data->area_code);

      if (code != NULL)
        g_hash_table_replace (area_name, code, gp_plan_value_text (data->areas, f, data->area_name));
    }
  for (guint u = 0; u < gp_layer_get_n_features (data->units); u++)
    {
      char *area = gp_plan_value_text (data->units, gp_layer_get_feature (data->units, u), data->unit_area);
      GArray *list;

      if (area == NULL)
        continue;
      list = g_hash_table_lookup (units_of, area);
      if (list == NULL)
        g_hash_table_insert (units_of, area, list = g_array_new (FALSE, FALSE, sizeof (guint)));
      else
        g_free (area);
      g_array_append_val (list, u);
    }

  frame = gp_plan_data_frame (data);
  if (frame != NULL && gp_layer_get_bbox (data->areas, bbox))
    {
      c.frame = frame;
      c.densify = gp_split_densify_length (gp_project_get_crs (project), bbox);
      areas = gp_plan_data_measured_areas (data);
      for (guint i = 0; i < areas->len; i++)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error)
              || !check_area (&c, g_array_index (areas, int, i), error))
            return NULL;
        }
    }
  if (!check_people (&c, error))
    return NULL;
  g_ptr_array_sort (result->problems, compare_problems);
  return g_steal_pointer (&result);
}

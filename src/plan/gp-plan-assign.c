/* gp-plan-assign.c: the roster's people to grids: minimum-cost flows per community and role, heads by their homes. */
#include "gp-config.h"

#include "gp-plan-assign.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-assign.h"
#include "gp-crs.h"
#include "gp-geom.h"
#include "gp-plan-contacts.h"
#include "gp-plan-data.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-split.h"
#include "gp-geom.h"

/* One full-time worker per grid, two for a grid above this many times T (the norm of one worker
 * per about 300 households). */
#define SECOND_WORKER_SHARE 1.5
#define DEFAULT_TARGET      300.0

void
gp_assign_result_free (GpAssignResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->grids_without_worker, g_ptr_array_unref);
  for (guint i = 0; result->short_communities != NULL && i < result->short_communities->len; i++)
    g_free (g_array_index (result->short_communities, GpAssignShort, i).community);
  g_clear_pointer (&result->short_communities, g_array_unref);
  g_free (result);
}

/* Where each grid is (its centroid) in a local metric frame; NaN without geometry. */
static void
grid_centres (GpPlanData *data, GpLocalFrame *frame, double densify, double *xy)
{
  GEOSContextHandle_t ctx = gp_geos ();

  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      GEOSGeometry *local = grid->shape != NULL ? gp_split_to_local (ctx, frame, grid->shape, densify, NULL) : NULL;
      GEOSGeometry *c = local != NULL ? GEOSGetCentroid_r (ctx, local) : NULL;

      xy[2 * g] = xy[2 * g + 1] = NAN;
      if (c != NULL && GEOSisEmpty_r (ctx, c) == 0)
        {
          GEOSGeomGetX_r (ctx, c, &xy[2 * g]);
          GEOSGeomGetY_r (ctx, c, &xy[2 * g + 1]);
        }
      if (c != NULL)
        GEOSGeom_destroy_r (ctx, c);
      if (local != NULL)
        GEOSGeom_destroy_r (ctx, local);
    }
}

static int
compare_codes (const void *a, const void *b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* One community's people of ROLE (indices into people) to its grids (indices into data->grids),
 * NEED per grid (those the community's grids still take). */
static gboolean
assign_community (GpPlanData *data, GPtrArray *people, const GArray *members, const GArray *grids,
                  const guint *need, const double *centre, const double *home, GpRole role, GPtrArray *out,
                  GpAssignResult *result, GError **error)
{
  guint nw = members->len, ng = grids->len;
  g_autofree double *cost = g_new (double, (gsize) nw * ng + 1);
  g_autofree gint *grid_of = NULL;

  for (guint i = 0; i < nw; i++)
    {
      guint p = g_array_index (members, guint, i);

      for (guint j = 0; j < ng; j++)
        {
          guint g = g_array_index (grids, guint, j);

          cost[(gsize) i * ng + j] = isfinite (home[2 * p]) && isfinite (centre[2 * g])
                                       ? hypot (home[2 * p] - centre[2 * g], home[2 * p + 1] - centre[2 * g + 1])
                                       : 0.0;
        }
    }
  grid_of = gp_assign_workers (nw, ng, cost, need, error);
  if (grid_of == NULL)
    return FALSE;
  for (guint i = 0; i < nw; i++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, g_array_index (members, guint, i));
      GpProjectAssignment *a;

      if (grid_of[i] < 0)
        {
          result->unplaced[role]++;
          continue;
        }
      a = g_new0 (GpProjectAssignment, 1);
      a->person_id = g_strdup (person->id);
      a->grid_code = g_strdup (((GpProjectGrid *) g_ptr_array_index (data->grids,
                                                                     g_array_index (grids, guint, grid_of[i])))->code);
      a->role = g_strdup (gp_role_name (role));
      g_ptr_array_add (out, a);
      result->assigned[role]++;
    }
  return TRUE;
}

void
gp_assign_options_init (GpAssignOptions *options)
{
  g_return_if_fail (options != NULL);
  options->contact_ratio = 0.0;
}

/* The roles `assign` places, in the order it places them. */
static const GpRole placed_roles[] = {
  GP_ROLE_FULLTIME, GP_ROLE_PARTY, GP_ROLE_INSTRUCTOR, GP_ROLE_BUILDING_HEAD, GP_ROLE_UNIT_HEAD,
};

/* Places grid G still takes of ROLE: N_ROLE is how many of the role its community has. */
static guint
places_of (const GpProjectGrid *grid, GpRole role, double target, double ratio, guint n_role, guint n_grids,
           guint kept)
{
  guint wanted = 0;

  switch (role)
    {
    case GP_ROLE_FULLTIME:
      wanted = grid->households > SECOND_WORKER_SHARE * target ? 2 : 1;
      break;
    case GP_ROLE_PARTY:
      wanted = (guint) MIN (ceil ((double) grid->households / ratio), 200.0);
      break;
    case GP_ROLE_INSTRUCTOR:
      /* Spread evenly: as many per grid as there are instructors to go round. */
      wanted = n_grids > 0 ? (n_role + n_grids - 1) / n_grids : 0;
      break;
    case GP_ROLE_PARTTIME:
    case GP_ROLE_BUILDING_HEAD:
    case GP_ROLE_UNIT_HEAD:
    case GP_ROLE_COMMUNITY_WORKER:
    case GP_ROLE_N:
    default:
      break;
    }
  return wanted > kept ? wanted - kept : 0;
}

/* A village/community: its grids and its people (indices into data->grids and people), so that
 * no step scans the whole county once per community. */
typedef struct {
  const char *code;
  GArray     *grids;
  GArray     *people;
} Community;

static void
community_free (Community *c)
{
  g_array_unref (c->grids);
  g_array_unref (c->people);
  g_free (c);
}

static Community *
community_of (GHashTable *communities, const char *code)
{
  Community *c = g_hash_table_lookup (communities, code);

  if (c == NULL)
    {
      c = g_new0 (Community, 1);
      c->code = code;
      c->grids = g_array_new (FALSE, FALSE, sizeof (guint));
      c->people = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (communities, (gpointer) code, c);
    }
  return c;
}

/* Building and unit heads to the grid holding their home. */
static void
assign_by_home (GpPlanData *data, GPtrArray *people, GHashTable *communities, GHashTable *busy, GPtrArray *out,
                GpAssignResult *result)
{
  GEOSContextHandle_t ctx = gp_geos ();
  g_autoptr(GPtrArray) geoms = g_ptr_array_new ();
  g_autoptr(GPtrArray) prepared = g_ptr_array_new ();

  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      GEOSGeometry *geom = grid->shape != NULL ? gp_geom_from_shape (ctx, grid->shape, NULL) : NULL;

      g_ptr_array_add (geoms, geom);
      g_ptr_array_add (prepared, geom != NULL ? (gpointer) GEOSPrepare_r (ctx, geom) : NULL);
    }
  for (guint p = 0; p < people->len; p++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, p);
      GpRole role;
      GEOSGeometry *pt;
      const Community *own;
      guint n_candidates;
      gint found = -1;

      if (person->role == NULL || !gp_role_parse (person->role, &role)
          || (role != GP_ROLE_BUILDING_HEAD && role != GP_ROLE_UNIT_HEAD) || g_hash_table_contains (busy, person->id))
        continue;
      if (!person->has_home)
        {
          result->no_home++;
          result->unplaced[role]++;
          continue;
        }
      pt = GEOSGeom_createPointFromXY_r (ctx, person->home_x, person->home_y);
      /* Among their community's grids; one without a community is looked for everywhere. */
      own = person->area_code != NULL ? g_hash_table_lookup (communities, person->area_code) : NULL;
      n_candidates = person->area_code == NULL ? data->grids->len : own != NULL ? own->grids->len : 0;
      for (guint k = 0; k < n_candidates && found < 0; k++)
        {
          guint g = own != NULL ? g_array_index (own->grids, guint, k) : k;

          if (g_ptr_array_index (prepared, g) != NULL
              && GEOSPreparedIntersects_r (ctx, g_ptr_array_index (prepared, g), pt) == 1)
            found = (gint) g;
        }
      GEOSGeom_destroy_r (ctx, pt);
      if (found < 0)
        {
          result->unplaced[role]++;
          continue;
        }
      {
        GpProjectAssignment *a = g_new0 (GpProjectAssignment, 1);

        a->person_id = g_strdup (person->id);
        a->grid_code = g_strdup (((GpProjectGrid *) g_ptr_array_index (data->grids, found))->code);
        a->role = g_strdup (gp_role_name (role));
        g_ptr_array_add (out, a);
        result->assigned[role]++;
      }
    }
  for (guint g = 0; g < data->grids->len; g++)
    {
      if (g_ptr_array_index (prepared, g) != NULL)
        GEOSPreparedGeom_destroy_r (ctx, g_ptr_array_index (prepared, g));
      if (g_ptr_array_index (geoms, g) != NULL)
        GEOSGeom_destroy_r (ctx, g_ptr_array_index (geoms, g));
    }
}

/* How many of A[0..N) other than X and Y are of DEPARTMENT on GRID. */
static guint
department_on (GpProjectAssignment **a, const char **department, guint n, const char *dept, const char *grid,
               guint x, guint y)
{
  guint count = 0;

  for (guint j = 0; j < n; j++)
    if (j != x && j != y && g_strcmp0 (department[j], dept) == 0 && g_strcmp0 (a[j]->grid_code, grid) == 0)
      count++;
  return count;
}

/* A department's instructors on different grids where the numbers allow ("spread, not
 * stacked"): swapping two instructors' grids keeps every grid's count, so the even spread stays;
 * a swap is made only when it lowers the number of same-department pairs, so it ends. Those
 * without a department never clash. A[0..N) are this run's instructors of one community, among
 * MEMBERS (indices into PEOPLE). */
static void
spread_departments (GPtrArray *people, const GArray *members, GpProjectAssignment **a, guint n)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const char **department = g_new0 (const char *, n + 1);
  gboolean improved = TRUE;

  for (guint k = 0; k < members->len; k++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, g_array_index (members, guint, k));

      if (person->id != NULL)
        g_hash_table_insert (by_id, person->id, person);
    }
  for (guint i = 0; i < n; i++)
    {
      GpProjectPerson *person = g_hash_table_lookup (by_id, a[i]->person_id);

      department[i] = person != NULL && person->department != NULL && *person->department != '\0'
                      ? person->department : NULL;
    }
  while (improved)
    {
      improved = FALSE;
      for (guint i = 0; i < n; i++)
        for (guint k = 0; k < n && department[i] != NULL; k++)
          {
            guint before, after;
            char *swap;

            if (k == i || g_strcmp0 (a[i]->grid_code, a[k]->grid_code) == 0
                || g_strcmp0 (department[i], department[k]) == 0)
              continue;
            before = department_on (a, department, n, department[i], a[i]->grid_code, i, k)
                     + (department[k] != NULL ? department_on (a, department, n, department[k], a[k]->grid_code, i, k)
                                              : 0);
            after = department_on (a, department, n, department[i], a[k]->grid_code, i, k)
                    + (department[k] != NULL ? department_on (a, department, n, department[k], a[i]->grid_code, i, k)
                                             : 0);
            if (after >= before)
              continue;
            swap = a[i]->grid_code;
            a[i]->grid_code = a[k]->grid_code;
            a[k]->grid_code = swap;
            improved = TRUE;
          }
    }
}

/* One community: for each role placed by distance, its people to its grids. */
static gboolean
assign_one_community (GpPlanData *data, GPtrArray *people, const Community *community, GHashTable *busy,
                      guint *kept, const double *centre, const double *home, double target, double ratio,
                      GPtrArray *fresh, GpAssignResult *result, GError **error)
{
  const GArray *grids = community->grids;
  const char *code = community->code;
  guint n_grids_all = data->grids->len;

  for (guint r = 0; r < 3; r++)
    {
      GpRole role = placed_roles[r];
      g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree guint *need = g_new0 (guint, grids->len + 1);
      guint n_role = 0, first;

      for (guint k = 0; k < community->people->len; k++)
        {
          guint p = g_array_index (community->people, guint, k);
          GpProjectPerson *person = g_ptr_array_index (people, p);

          if (g_strcmp0 (person->role, gp_role_name (role)) != 0)
            continue;
          n_role++;
          if (!g_hash_table_contains (busy, person->id))
            g_array_append_val (members, p);
        }
      if (role == GP_ROLE_FULLTIME && n_role < grids->len)
        {
          GpAssignShort s = { g_strdup (code), grids->len, n_role };

          g_array_append_val (result->short_communities, s);
        }
      for (guint j = 0; j < grids->len; j++)
        {
          guint g = g_array_index (grids, guint, j);

          need[j] = places_of (g_ptr_array_index (data->grids, g), role, target, ratio, n_role, grids->len,
                               kept[(gsize) role * n_grids_all + g]);
        }
      first = fresh->len;
      if (!assign_community (data, people, members, grids, need, centre, home, role, fresh, result, error))
        return FALSE;
      if (role == GP_ROLE_INSTRUCTOR)
        spread_departments (people, members, (GpProjectAssignment **) fresh->pdata + first, fresh->len - first);
    }
  return TRUE;
}

/* Where each person lives and each grid lies, in a local metric frame (NaN: not known). */
static void
places_in_frame (GpProject *project, GpPlanData *data, GpLocalFrame *frame, GPtrArray *people, double *centre,
                 double *home)
{
  double bbox[4];

  gp_plan_homes (frame, people, home);
  for (guint g = 0; g < data->grids->len; g++)
    centre[2 * g] = centre[2 * g + 1] = NAN;
  if (frame == NULL || !gp_layer_get_bbox (data->areas, bbox))
    return;
  grid_centres (data, frame, gp_split_densify_length (gp_project_get_crs (project), bbox), centre);
}

GpAssignResult *
gp_plan_assign (GpProject *project, const GpAssignOptions *options, GError **error)
{
  g_autoptr(GpAssignResult) result = g_new0 (GpAssignResult, 1);
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) people = NULL, assignments = NULL, final = NULL, contacts = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_assignment_free);
  g_autoptr(GHashTable) grid_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) busy = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) communities = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) community_free);
  g_autofree double *centre = NULL, *home = NULL;
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autofree guint *kept = NULL, *filled = NULL;
  g_autofree const char **codes = NULL;
  const char *roles[G_N_ELEMENTS (placed_roles) + 1];
  double target = DEFAULT_TARGET, tolerance, ratio;
  guint n_codes = 0, n;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  ratio = options != NULL && options->contact_ratio > 0.0 ? options->contact_ratio
                                                         : gp_project_get_contact_ratio (project);
  data = gp_plan_data_load (project, error);
  if (data == NULL)
    return NULL;
  people = gp_project_load_people (project, error);
  if (people == NULL)
    return NULL;
  assignments = gp_project_load_assignments (project, error);
  if (assignments == NULL)
    return NULL;
  gp_project_get_split_target (project, &target, &tolerance);
  n = data->grids->len;
  result->grids_without_worker = g_ptr_array_new_with_free_func (g_free);
  result->short_communities = g_array_new (FALSE, FALSE, sizeof (GpAssignShort));

  /* Manual and locked assignments stay, and count towards their grid and role. */
  kept = g_new0 (guint, (gsize) GP_ROLE_N * n + 1);
  filled = g_new0 (guint, (gsize) GP_ROLE_N * n + 1);
  for (guint g = 0; g < n; g++)
    g_hash_table_insert (grid_index, ((GpProjectGrid *) g_ptr_array_index (data->grids, g))->code, GUINT_TO_POINTER (g + 1));
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);
      guint g = GPOINTER_TO_UINT (g_hash_table_lookup (grid_index, a->grid_code));
      GpRole role;

      if (!(a->manual || a->locked) || a->role == NULL || !gp_role_parse (a->role, &role))
        continue;
      g_hash_table_add (busy, a->person_id);
      if (g > 0)
        kept[(gsize) role * n + g - 1]++;
      result->kept[role]++;
    }

  centre = g_new (double, 2 * (gsize) n + 1);
  home = g_new (double, 2 * (gsize) people->len + 1);
  frame = gp_plan_data_frame (data);
  places_in_frame (project, data, frame, people, centre, home);

  /* Community by community (in code order), then the heads by their homes. */
  for (guint g = 0; g < n; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);

      if (grid->area_code != NULL)
        g_array_append_val (community_of (communities, grid->area_code)->grids, g);
    }
  codes = (const char **) g_hash_table_get_keys_as_array (communities, &n_codes);
  qsort (codes, n_codes, sizeof (char *), compare_codes);
  for (guint p = 0; p < people->len; p++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, p);
      Community *c = person->area_code != NULL ? g_hash_table_lookup (communities, person->area_code) : NULL;

      if (c != NULL)
        g_array_append_val (c->people, p);
    }
  for (guint c = 0; c < n_codes; c++)
    if (!assign_one_community (data, people, g_hash_table_lookup (communities, codes[c]), busy, kept, centre, home,
                               target, ratio, fresh, result, error))
      return NULL;
  assign_by_home (data, people, communities, busy, fresh, result);

  for (guint r = 0; r < G_N_ELEMENTS (placed_roles); r++)
    roles[r] = gp_role_name (placed_roles[r]);
  roles[G_N_ELEMENTS (placed_roles)] = NULL;
  /* The party contacts of everyone on a grid now: the assignments kept and this run's. */
  final = g_ptr_array_new ();
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);

      if (a->manual || a->locked)
        g_ptr_array_add (final, a);
    }
  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add (final, g_ptr_array_index (fresh, i));
  contacts = gp_plan_contacts_link (data, frame, people, home, final, ratio, error);
  if (contacts == NULL || !gp_project_replace_auto_assignments (project, roles, fresh, contacts, ratio, error))
    return NULL;
  for (guint i = 0; i < contacts->len; i++)
    result->contact_households += ((GpProjectContact *) g_ptr_array_index (contacts, i))->households;

  /* What is still missing: grids without a full-time worker, grids short of party members. */
  for (guint i = 0; i < fresh->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (fresh, i);
      guint g = GPOINTER_TO_UINT (g_hash_table_lookup (grid_index, a->grid_code));
      GpRole role;

      if (g > 0 && gp_role_parse (a->role, &role))
        filled[(gsize) role * n + g - 1]++;
    }
  for (guint g = 0; g < n; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      gsize f = (gsize) GP_ROLE_FULLTIME * n + g, p = (gsize) GP_ROLE_PARTY * n + g;

      if (kept[f] + filled[f] == 0)
        g_ptr_array_add (result->grids_without_worker, g_strdup (grid->code));
      if (kept[p] + filled[p] < ceil ((double) grid->households / ratio))
        result->grids_short_of_party++;
    }
  return g_steal_pointer (&result);
}

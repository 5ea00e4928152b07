/* gp-plan-assign.c: full-time grid workers to the grids of their own community, solved as a minimum-cost flow per community. */
#include "gp-config.h"

#include "gp-plan-assign.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp-assign.h"
#include "gp-crs.h"
#include "gp-geom.h"
#include "gp-plan-data.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"
#include "gp-split.h"

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

/* One community's workers (indices into people) to its grids (indices into data->grids). */
static gboolean
assign_community (GpPlanData *data, GPtrArray *people, const GArray *workers, const GArray *grids,
                  const double *centre, const double *home, const guint *kept, double target, GPtrArray *out,
                  GpAssignResult *result, GError **error)
{
  guint nw = workers->len, ng = grids->len;
  g_autofree double *cost = g_new (double, (gsize) nw * ng + 1);
  g_autofree guint *need = g_new (guint, ng + 1);
  g_autofree gint *grid_of = NULL;

  for (guint j = 0; j < ng; j++)
    {
      guint g = g_array_index (grids, guint, j);
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      guint wanted = grid->households > SECOND_WORKER_SHARE * target ? 2 : 1;

      need[j] = wanted > kept[g] ? wanted - kept[g] : 0;
    }
  for (guint i = 0; i < nw; i++)
    {
      guint p = g_array_index (workers, guint, i);

      for (guint j = 0; j < ng; j++)
        {
          guint g = g_array_index (grids, guint, j);
          double d = isfinite (home[2 * p]) && isfinite (centre[2 * g])
                       ? hypot (home[2 * p] - centre[2 * g], home[2 * p + 1] - centre[2 * g + 1])
                       : 0.0;

          cost[(gsize) i * ng + j] = d;
        }
    }
  grid_of = gp_assign_workers (nw, ng, cost, need, error);
  if (grid_of == NULL)
    return FALSE;
  for (guint i = 0; i < nw; i++)
    {
      GpProjectPerson *person = g_ptr_array_index (people, g_array_index (workers, guint, i));
      GpProjectAssignment *a;

      if (grid_of[i] < 0)
        {
          result->unplaced++;
          continue;
        }
      a = g_new0 (GpProjectAssignment, 1);
      a->person_id = g_strdup (person->id);
      a->grid_code = g_strdup (((GpProjectGrid *) g_ptr_array_index (data->grids,
                                                                     g_array_index (grids, guint, grid_of[i])))->code);
      a->role = g_strdup ("fulltime");
      g_ptr_array_add (out, a);
      result->assigned++;
    }
  return TRUE;
}

GpAssignResult *
gp_plan_assign (GpProject *project, GError **error)
{
  g_autoptr(GpAssignResult) result = g_new0 (GpAssignResult, 1);
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) people = NULL, assignments = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_assignment_free);
  g_autoptr(GHashTable) grid_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) busy = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) communities = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GpLocalFrame) frame = NULL;
  g_autofree double *centre = NULL, *home = NULL;
  g_autofree guint *kept = NULL, *filled = NULL;
  g_autofree const char **codes = NULL;
  double target = DEFAULT_TARGET, tolerance, bbox[4];
  guint n_codes = 0;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
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
  result->grids_without_worker = g_ptr_array_new_with_free_func (g_free);
  result->short_communities = g_array_new (FALSE, FALSE, sizeof (GpAssignShort));

  /* Manual and locked full-time assignments stay, and count towards their grid. */
  kept = g_new0 (guint, data->grids->len + 1);
  filled = g_new0 (guint, data->grids->len + 1);
  for (guint g = 0; g < data->grids->len; g++)
    g_hash_table_insert (grid_index, ((GpProjectGrid *) g_ptr_array_index (data->grids, g))->code, GUINT_TO_POINTER (g + 1));
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);
      guint g = GPOINTER_TO_UINT (g_hash_table_lookup (grid_index, a->grid_code));

      if (g_strcmp0 (a->role, "fulltime") != 0 || !(a->manual || a->locked))
        continue;
      g_hash_table_add (busy, a->person_id);
      if (g > 0)
        kept[g - 1]++;
      result->kept++;
    }

  /* Distances in a local metric frame over the project. */
  centre = g_new (double, 2 * (gsize) data->grids->len + 1);
  home = g_new (double, 2 * (gsize) people->len + 1);
  for (guint p = 0; p < people->len; p++)
    home[2 * p] = home[2 * p + 1] = NAN;
  if (gp_layer_get_bbox (data->areas, bbox)
      && (frame = gp_local_frame_new (gp_project_get_crs (project), bbox, NULL)) != NULL)
    {
      grid_centres (data, frame, gp_split_densify_length (gp_project_get_crs (project), bbox), centre);
      for (guint p = 0; p < people->len; p++)
        {
          GpProjectPerson *person = g_ptr_array_index (people, p);
          double xy[2] = { person->home_x, person->home_y };

          if (person->has_home && gp_local_frame_forward (frame, xy, 1, NULL))
            {
              home[2 * p] = xy[0];
              home[2 * p + 1] = xy[1];
            }
        }
    }
  else
    for (guint g = 0; g < data->grids->len; g++)
      centre[2 * g] = centre[2 * g + 1] = NAN;

  /* Community by community: its grids, its free full-time workers. */
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);

      if (grid->area_code != NULL)
        g_hash_table_add (communities, grid->area_code);
    }
  codes = (const char **) g_hash_table_get_keys_as_array (communities, &n_codes);
  qsort (codes, n_codes, sizeof (char *), compare_codes);
  for (guint c = 0; c < n_codes; c++)
    {
      const char *code = codes[c];
      g_autoptr(GArray) grids = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) workers = g_array_new (FALSE, FALSE, sizeof (guint));
      guint n_workers = 0;

      for (guint g = 0; g < data->grids->len; g++)
        if (g_strcmp0 (((GpProjectGrid *) g_ptr_array_index (data->grids, g))->area_code, code) == 0)
          g_array_append_val (grids, g);
      for (guint p = 0; p < people->len; p++)
        {
          GpProjectPerson *person = g_ptr_array_index (people, p);

          if (g_strcmp0 (person->role, "fulltime") != 0 || g_strcmp0 (person->area_code, code) != 0)
            continue;
          n_workers++;
          if (!g_hash_table_contains (busy, person->id))
            g_array_append_val (workers, p);
        }
      if (n_workers < grids->len)
        {
          GpAssignShort s = { g_strdup (code), grids->len, n_workers };

          g_array_append_val (result->short_communities, s);
        }
      if (!assign_community (data, people, workers, grids, centre, home, kept, target, fresh, result, error))
        return NULL;
    }
  if (!gp_project_replace_auto_assignments (project, "fulltime", fresh, error))
    return NULL;

  /* Grids left without any full-time worker, in code order. */
  for (guint i = 0; i < fresh->len; i++)
    {
      guint g = GPOINTER_TO_UINT (g_hash_table_lookup (grid_index, ((GpProjectAssignment *) g_ptr_array_index (fresh, i))->grid_code));

      if (g > 0)
        filled[g - 1]++;
    }
  for (guint g = 0; g < data->grids->len; g++)
    if (kept[g] + filled[g] == 0)
      g_ptr_array_add (result->grids_without_worker, g_strdup (((GpProjectGrid *) g_ptr_array_index (data->grids, g))->code));
  return g_steal_pointer (&result);
}

/* gp-plan-values.c: the per-grid numbers the heatmaps colour, from grids, assignments, contacts and service items as stored. */
#include "gp-config.h"

#include "gp-plan-values.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "gp-error.h"
#include "gp-plan-contacts.h"
#include "gp-plan-data.h"
#include "gp-project-events.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"

static void
put (GHashTable *values, const char *code, double v)
{
  g_hash_table_replace (values, g_strdup (code), g_memdup2 (&v, sizeof v));
}

static gboolean
per_worker (GpProject *project, GPtrArray *grids, GHashTable *values, GError **error)
{
  g_autoptr(GPtrArray) people = gp_project_load_people (project, error);
  g_autoptr(GPtrArray) assignments = NULL;
  g_autoptr(GHashTable) workers = g_hash_table_new (g_str_hash, g_str_equal);

  if (people == NULL || (assignments = gp_project_load_assignments (project, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);

      if (g_strcmp0 (a->role, "fulltime") == 0)
        g_hash_table_insert (workers, a->grid_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (workers, a->grid_code)) + 1));
    }
  for (guint g = 0; g < grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (grids, g);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (workers, grid->code));

      /* Before a roster there is no worker data at all, which is not "no worker". */
      put (values, grid->code, people->len == 0 ? NAN : n == 0 ? INFINITY : (double) grid->households / n);
    }
  return TRUE;
}

static gboolean
contact_coverage (GpProject *project, GHashTable *values, GError **error)
{
  g_autoptr(GpPlanData) data = gp_plan_data_load (project, error);
  g_autoptr(GPtrArray) contacts = NULL, places = NULL, people = NULL;
  g_autoptr(GHashTable) held = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (data == NULL || (people = gp_project_load_people (project, error)) == NULL
      || (contacts = gp_project_load_party_contacts (project, error)) == NULL)
    return FALSE;
  places = gp_plan_contact_places (data, contacts);
  for (guint i = 0; i < places->len; i++)
    {
      const GpContactPlace *p = g_ptr_array_index (places, i);
      double *sums = g_hash_table_lookup (held, p->grid_code);

      if (sums == NULL)
        g_hash_table_insert (held, p->grid_code, sums = g_new0 (double, 2));
      sums[0] += (double) p->households;
      sums[1] += (double) p->in_contact;
    }
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      const double *sums = g_hash_table_lookup (held, grid->code);

      put (values, grid->code, people->len > 0 && sums != NULL && sums[0] > 0.0 ? sums[1] / sums[0] : NAN);
    }
  return TRUE;
}

GHashTable *
gp_plan_grid_values (GpProject *project, const char *metric, GError **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) grids = NULL;
  double target = NAN, tolerance = 0.15;
  gboolean has_target;

  g_return_val_if_fail (GP_IS_PROJECT (project), NULL);
  if (g_strcmp0 (metric, "households") != 0 && g_strcmp0 (metric, "deviation") != 0
      && g_strcmp0 (metric, "per-worker") != 0 && g_strcmp0 (metric, "contact-coverage") != 0
      && g_strcmp0 (metric, "status") != 0)
    {
      g_set_error (error, GP_ERROR, GP_ERROR_INVALID_ARGUMENT,
                   _("unknown heatmap “%s”: households, deviation, per-worker, contact-coverage or status"),
                   metric != NULL ? metric : "");
      return NULL;
    }
  grids = gp_project_load_grids (project, NULL, error);
  if (grids == NULL)
    return NULL;
  has_target = gp_project_get_split_target (project, &target, &tolerance);
  if (g_strcmp0 (metric, "per-worker") == 0)
    return per_worker (project, grids, values, error) ? g_steal_pointer (&values) : NULL;
  if (g_strcmp0 (metric, "contact-coverage") == 0)
    return contact_coverage (project, values, error) ? g_steal_pointer (&values) : NULL;
  if (g_strcmp0 (metric, "status") == 0)
    {
      /* Grids without items: no data; then the worst item of each grid that has some. */
      for (guint g = 0; g < grids->len; g++)
        put (values, ((GpProjectGrid *) g_ptr_array_index (grids, g))->code, NAN);
      return gp_project_grid_status (project, values, error) ? g_steal_pointer (&values) : NULL;
    }
  for (guint g = 0; g < grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (grids, g);
      double h = (double) grid->households;

      if (g_strcmp0 (metric, "households") == 0)
        put (values, grid->code, h);
      else
        put (values, grid->code, has_target && target > 0.0 && !grid->exclusive ? (h - target) / target : NAN);
    }
  return g_steal_pointer (&values);
}

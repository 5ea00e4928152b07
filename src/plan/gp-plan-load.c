/* gp-plan-load.c: the people side of a project's report, measured on what is stored. */
#include "gp-config.h"

#include "gp-plan-load.h"

#include <stdlib.h>
#include <string.h>

#include "gp-project-events.h"
#include "gp-project-grids.h"
#include "gp-project-people.h"


static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

gboolean
gp_plan_people_load (GpProject *project, GpPeopleLoad *load, GError **error)
{
  g_autoptr(GPtrArray) people = NULL, assignments = NULL, grids = NULL, contacts = NULL;
  g_autoptr(GHashTable) person = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) assigned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) workers = g_hash_table_new (g_str_hash, g_str_equal);   /* grid → count */
  g_autoptr(GHashTable) linked = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free); /* grid → gint64 */
  g_autoptr(GArray) per_worker = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_val_if_fail (GP_IS_PROJECT (project) && load != NULL, FALSE);
  memset (load, 0, sizeof *load);
  people = gp_project_load_people (project, error);
  if (people == NULL)
    return FALSE;
  assignments = gp_project_load_assignments (project, error);
  if (assignments == NULL)
    return FALSE;
  grids = gp_project_load_grids (project, NULL, error);
  if (grids == NULL)
    return FALSE;
  contacts = gp_project_load_party_contacts (project, error);
  if (contacts == NULL || !gp_project_count_events (project, load->events, error))
    return FALSE;

  for (guint i = 0; i < people->len; i++)
    {
      GpProjectPerson *p = g_ptr_array_index (people, i);
      GpRole role;

      g_hash_table_insert (person, p->id, p);
      load->total++;
      if (gp_role_parse (p->role, &role))
        load->by_role[role]++;
    }
  for (guint i = 0; i < assignments->len; i++)
    {
      GpProjectAssignment *a = g_ptr_array_index (assignments, i);
      GpProjectPerson *p = g_hash_table_lookup (person, a->person_id);
      const char *role = a->role != NULL ? a->role : p != NULL ? p->role : NULL;

      g_hash_table_add (assigned, a->person_id);
      if (g_strcmp0 (role, "fulltime") == 0)
        g_hash_table_insert (workers, a->grid_code,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (workers, a->grid_code)) + 1));
    }
  for (guint i = 0; i < contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (contacts, i);
      gint64 *n = g_hash_table_lookup (linked, c->grid_code);

      if (n == NULL)
        g_hash_table_insert (linked, c->grid_code, n = g_new0 (gint64, 1));
      *n += c->households;
    }
  for (guint i = 0; i < people->len; i++)
    if (!g_hash_table_contains (assigned, ((GpProjectPerson *) g_ptr_array_index (people, i))->id))
      load->unassigned++;

  load->grids = grids->len;
  for (guint g = 0; g < grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (grids, g);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (workers, grid->code));
      const gint64 *in_contact = g_hash_table_lookup (linked, grid->code);
      double households = (double) MAX (grid->households, 0);

      if (n == 0)
        load->grids_without_worker++;
      else
        {
          double x = households / n;

          g_array_append_val (per_worker, x);
        }
      load->households_without_party_contact += (gint64) MAX (0.0, households - (in_contact != NULL ? (double) *in_contact : 0.0));
    }
  if (per_worker->len > 0)
    {
      guint n = per_worker->len;

      qsort (per_worker->data, n, sizeof (double), compare_double);
      load->per_worker_max = g_array_index (per_worker, double, n - 1);
      load->per_worker_median = n % 2 == 1 ? g_array_index (per_worker, double, n / 2)
                                           : (g_array_index (per_worker, double, n / 2 - 1)
                                              + g_array_index (per_worker, double, n / 2)) / 2.0;
    }
  return TRUE;
}

/* test-contacts.c: party members linked to the households nearest home: the flow against brute force, members without a home, units shared, household points, hand edits relinking, the list of households without contact. */
#include "gp-assign.h"
#include "gp-plan-contacts.h"
#include "gp-plan-export.h"
#include "gp-project-people.h"
#include "gp-table.h"
#include "unit/plan/plan-fixtures.h"

#include <math.h>
#include <string.h>

/* The best (most households, then least distance) of linking households one by one, by trying
 * every owner of every household: PLACE_OF[h] is the place of household h. */
static void
brute_force (guint nm, const guint *reach, const double *mx, guint nh, const double *hx, guint *best_n, double *best_d)
{
  guint owner[8] = { 0 }, used[4];
  guint64 combos = 1;

  *best_n = 0;
  *best_d = INFINITY;
  for (guint h = 0; h < nh; h++)
    combos *= nm + 1;
  for (guint64 c = 0; c < combos; c++)
    {
      guint64 rest = c;
      guint n = 0;
      double d = 0.0;
      gboolean ok = TRUE;

      memset (used, 0, sizeof used);
      for (guint h = 0; h < nh; h++)
        {
          owner[h] = rest % (nm + 1);
          rest /= nm + 1;
          if (owner[h] == nm)
            continue;  /* nobody */
          if (++used[owner[h]] > reach[owner[h]])
            ok = FALSE;
          n++;
          d += fabs (mx[owner[h]] - hx[h]);
        }
      if (ok && (n > *best_n || (n == *best_n && d < *best_d - 1e-9)))
        {
          *best_n = n;
          *best_d = d;
        }
    }
}

/* On a street (one dimension), members and single households at 100 m steps: the flow links
 * as many households as brute force does, at the same total distance. */
static void
test_flow_is_optimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint trial = 0; trial < 200; trial++)
    {
      guint nm = g_rand_int_range (rand, 1, 4), nh = g_rand_int_range (rand, 1, 7);
      guint reach[4], households[8], best_n, n = 0;
      double member_xy[8], place_xy[16], mx[4], hx[8], best_d, d = 0.0;
      g_autoptr(GArray) links = NULL;
      g_autoptr(GError) error = NULL;

      for (guint m = 0; m < nm; m++)
        {
          reach[m] = g_rand_int_range (rand, 0, 4);
          mx[m] = member_xy[2 * m] = 100.0 * g_rand_int_range (rand, 0, 20);
          member_xy[2 * m + 1] = 0.0;
        }
      for (guint h = 0; h < nh; h++)
        {
          households[h] = 1;
          hx[h] = place_xy[2 * h] = 100.0 * g_rand_int_range (rand, 0, 20);
          place_xy[2 * h + 1] = 0.0;
        }
      links = gp_assign_contacts (nm, reach, member_xy, nh, households, place_xy, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < links->len; i++)
        {
          const GpContactLink *l = &g_array_index (links, GpContactLink, i);

          g_assert_cmpuint (l->member, <, nm);
          g_assert_cmpuint (l->place, <, nh);
          n += l->households;
          d += l->households * fabs (mx[l->member] - hx[l->place]);
        }
      brute_force (nm, reach, mx, nh, hx, &best_n, &best_d);
      g_assert_cmpuint (n, ==, best_n);
      g_assert_cmpfloat_with_epsilon (d, best_n > 0 ? best_d : 0.0, 1e-6);
    }
}

/* A unit's households are shared out, a member reaches no more than their reach, and a member
 * without a home takes what those with one leave (the far unit). */
static void
test_shared_units_and_no_home (void)
{
  guint reach[2] = { 30, 30 }, households[2] = { 40, 20 };
  double member_xy[4] = { 0.0, 0.0, NAN, NAN }, place_xy[4] = { 0.0, 0.0, 5000.0, 0.0 };
  guint got[2][2] = { { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) links = gp_assign_contacts (2, reach, member_xy, 2, households, place_xy, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < links->len; i++)
    {
      const GpContactLink *l = &g_array_index (links, GpContactLink, i);

      got[l->member][l->place] += l->households;
    }
  /* The member at home by the first unit keeps 30 of its 40; the one without a home the other
   * 10 and the far unit's 20. */
  g_assert_cmpuint (got[0][0], ==, 30);
  g_assert_cmpuint (got[0][1], ==, 0);
  g_assert_cmpuint (got[1][0], ==, 10);
  g_assert_cmpuint (got[1][1], ==, 20);
}

static GpProjectPerson *
party_member (const char *name, const char *area, double x, double y, gint capacity)
{
  GpProjectPerson *p = gp_project_person_new ();

  p->name = g_strdup (name);
  p->role = g_strdup ("party");
  p->area_code = g_strdup (area);
  p->has_home = isfinite (x);
  p->home_x = x;
  p->home_y = y;
  p->capacity = capacity;
  return p;
}

/* 宏泰社区 (001): one grid of two compounds, 阳光小区 (30 households, west) and 幸福里 (40, east);
 * 巴音门克村 (002): one grid of six household points in a row, west to east. */
static GpProject *
contacts_project (const char *dir)
{
  g_autoptr(GpProject) project = fixture_project (dir, "contacts.gpkg");
  g_autoptr(GpLayer) areas = fixture_areas ();
  g_autoptr(GpLayer) units = fixture_layer ("units", V ("编码", "小区名称", "户数:i"), 4326);
  g_autoptr(GpLayer) households = fixture_layer ("households", V ("户编码"), 4326);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_grid_free);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) gp_project_person_free);
  g_autoptr(GError) error = NULL;
  const char *codes[2] = { "150602001001", "150602001002" };
  GpProjectGrid *grid;

  fixture_import (project, areas, GP_IMPORT_AREAS, NULL);
  fixture_add (units, fixture_rect (109.905, 39.805, 109.915, 39.815), V ("U001", "阳光小区", "30"));
  fixture_add (units, fixture_rect (109.935, 39.805, 109.945, 39.815), V ("U002", "幸福里", "40"));
  fixture_import (project, units, GP_IMPORT_UNITS, NULL);
  for (guint h = 0; h < 6; h++)
    {
      g_autofree char *code = g_strdup_printf ("H%u", h + 1);

      fixture_add (households, gp_shape_new_point (109.955 + 0.005 * h, 39.81), V (code));
    }
  fixture_import (project, households, GP_IMPORT_HOUSEHOLDS, NULL);

  grid = grid_new ("150602001001001", codes[0], 70, 109.90, 39.80, 109.95, 39.85);
  g_ptr_array_add (grid->unit_codes, g_strdup ("U001"));
  g_ptr_array_add (grid->unit_codes, g_strdup ("U002"));
  g_ptr_array_add (grids, grid);
  g_ptr_array_add (grids, grid_new ("150602001002001", codes[1], 6, 109.95, 39.80, 110.00, 39.85));
  g_assert_true (gp_project_replace_grids (project, codes, 2, grids, 300.0, 0.15, NULL, NULL, &error));
  g_assert_no_error (error);

  /* 甲 lives by 阳光小区 and keeps 10; 乙 by 幸福里, 50; 丙 at the west end of the village, 4. */
  g_ptr_array_add (people, party_member ("甲", codes[0], 109.906, 39.806, 10));
  g_ptr_array_add (people, party_member ("乙", codes[0], 109.944, 39.806, 50));
  g_ptr_array_add (people, party_member ("丙", codes[1], 109.951, 39.81, 4));
  g_assert_true (gp_project_put_people (project, people, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    const char *set[] = { "P000001=150602001001001", "P000002=150602001001001", "P000003=150602001002001", NULL };

    g_assert_true (gp_project_edit_assignments (project, set, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  return g_steal_pointer (&project);
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Households in contact per person and place: "P000001 U001 10" lines, sorted. */
static char *
contacts_text (GpProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = gp_project_load_party_contacts (project, &error);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < contacts->len; i++)
    {
      GpProjectContact *c = g_ptr_array_index (contacts, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s %lld", c->person_id,
                                               c->unit_code != NULL ? c->unit_code : c->household_code,
                                               (long long) c->households));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "; " : "", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* 甲 keeps 10 of 阳光小区 by home; 乙 all 40 of 幸福里 and the other 10 of their 50 from 阳光小区,
 * whose last 10 nobody reaches; 丙 the four westernmost household points of the village. */
static void
test_project_contacts (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = contacts_project (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GPtrArray) contacts = NULL, places = NULL;
  gint64 without = 0;

  g_assert_true (gp_plan_relink_contacts (project, 0.0, &error));
  g_assert_no_error (error);
  text = contacts_text (project);
  g_assert_cmpstr (text, ==, "P000001 U001 10; P000002 U001 10; P000002 U002 40; "
                             "P000003 H1 1; P000003 H2 1; P000003 H3 1; P000003 H4 1");

  /* The list of what is and is not in contact, place by place. */
  data = gp_plan_data_load (project, &error);
  g_assert_no_error (error);
  contacts = gp_project_load_party_contacts (project, &error);
  g_assert_no_error (error);
  places = gp_plan_contact_places (data, contacts);
  g_assert_cmpuint (places->len, ==, 8);
  for (guint i = 0; i < places->len; i++)
    {
      const GpContactPlace *p = g_ptr_array_index (places, i);

      without += p->households - p->in_contact;
      if (g_strcmp0 (p->unit_code, "U001") == 0)
        g_assert_cmpint (p->in_contact, ==, 20);
      if (g_strcmp0 (p->household_code, "H6") == 0)
        g_assert_cmpint (p->in_contact, ==, 0);
    }
  g_assert_cmpint (without, ==, 10 + 2);

  /* 甲 taken off by hand: 乙 now keeps 阳光小区's households nearest, 甲's contacts are gone. */
  {
    const char *unset[] = { "P000001", NULL };

    g_assert_true (gp_project_edit_assignments (project, NULL, unset, NULL, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&text, g_free);
  text = contacts_text (project);
  g_assert_null (strstr (text, "P000001"));
  g_assert_true (gp_plan_relink_contacts (project, 0.0, &error));
  g_clear_pointer (&text, g_free);
  text = contacts_text (project);
  g_assert_cmpstr (text, ==, "P000002 U001 10; P000002 U002 40; "
                             "P000003 H1 1; P000003 H2 1; P000003 H3 1; P000003 H4 1");
  gp_test_rmdir (dir);
}

/* The contacts list: a row per place, the unit named, the members with their counts, what is
 * left without contact. */
static void
test_contacts_list (void)
{
  g_autofree char *dir = gp_test_tmpdir ();
  g_autoptr(GpProject) project = contacts_project (dir);
  g_autofree char *path = g_build_filename (dir, "contacts.csv", NULL);
  g_autoptr(GpExport) export = NULL;
  g_autoptr(GpTable) table = NULL;
  g_autoptr(GError) error = NULL;
  const GpTableRow *sunny = NULL, *last = NULL;

  g_assert_true (gp_plan_relink_contacts (project, 0.0, &error));
  export = gp_export_load (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gp_export_contacts (export, path, &error));
  g_assert_no_error (error);
  table = gp_table_read_csv (path, NULL, &error);
  g_assert_no_error (error);
  /* The header and eight places. */
  g_assert_cmpuint (table->rows->len, ==, 9);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const GpTableRow *row = g_ptr_array_index (table->rows, i);

      if (g_strcmp0 (gp_table_row_cell (row, 4), "U001") == 0)
        sunny = row;
      if (g_strcmp0 (gp_table_row_cell (row, 4), "H6") == 0)
        last = row;
    }
  g_assert_nonnull (sunny);
  g_assert_cmpstr (gp_table_row_cell (sunny, 2), ==, "宏泰社区");
  g_assert_cmpstr (gp_table_row_cell (sunny, 3), ==, "阳光小区");
  g_assert_cmpstr (gp_table_row_cell (sunny, 5), ==, "30");
  g_assert_nonnull (strstr (gp_table_row_cell (sunny, 6), "甲 (10)"));
  g_assert_nonnull (strstr (gp_table_row_cell (sunny, 6), "乙 (10)"));
  g_assert_cmpstr (gp_table_row_cell (sunny, 7), ==, "20");
  g_assert_cmpstr (gp_table_row_cell (sunny, 8), ==, "10");
  g_assert_nonnull (last);
  g_assert_cmpstr (gp_table_row_cell (last, 6), ==, "");
  g_assert_cmpstr (gp_table_row_cell (last, 8), ==, "1");
  gp_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contacts/flow-is-optimal", test_flow_is_optimal);
  g_test_add_func ("/contacts/shared-units-and-no-home", test_shared_units_and_no_home);
  g_test_add_func ("/contacts/project", test_project_contacts);
  g_test_add_func ("/contacts/list", test_contacts_list);
  return g_test_run ();
}

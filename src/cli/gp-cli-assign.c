/* gp-cli-assign.c: `gridplan-cli assign PROJECT`: full-time workers to the grids of their community; grids left without one named. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <json-glib/json-glib.h>

#include "gp-cli.h"
#include "gp-json.h"
#include "gp-plan-assign.h"
#include "gp-plan-contacts.h"
#include "gp-project-people.h"

static char *
result_json (GpAssignResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (guint k = 0; k < 3; k++)
    {
      const guint *counts = k == 0 ? r->assigned : k == 1 ? r->kept : r->unplaced;

      json_builder_set_member_name (b, k == 0 ? "assigned" : k == 1 ? "kept" : "unplaced");
      json_builder_begin_object (b);
      for (guint role = 0; role < GP_ROLE_N; role++)
        {
          json_builder_set_member_name (b, gp_role_name ((GpRole) role));
          json_builder_add_int_value (b, counts[role]);
        }
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "no_home");
  json_builder_add_int_value (b, r->no_home);
  json_builder_set_member_name (b, "contact_households");
  json_builder_add_int_value (b, r->contact_households);
  json_builder_set_member_name (b, "grids_short_of_party");
  json_builder_add_int_value (b, r->grids_short_of_party);
  json_builder_set_member_name (b, "grids_without_worker");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->grids_without_worker->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (r->grids_without_worker, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "communities_short_of_workers");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->short_communities->len; i++)
    {
      const GpAssignShort *s = &g_array_index (r->short_communities, GpAssignShort, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "community");
      json_builder_add_string_value (b, s->community);
      json_builder_set_member_name (b, "grids");
      json_builder_add_int_value (b, s->grids);
      json_builder_set_member_name (b, "workers");
      json_builder_add_int_value (b, s->workers);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return gp_json_to_text (root, TRUE);
}

int
gp_cli_assign (int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) set = NULL, unset = NULL, lock = NULL;
  GpAssignOptions options;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &set,
      N_("Put a person on a grid by hand (PERSON is the project id or the ID number)"), N_("PERSON=GRID") },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unset, N_("Take a person off their grid"), N_("PERSON") },
    { "lock", 0, 0, G_OPTION_ARG_STRING_ARRAY, &lock,
      N_("Lock a person's assignment against the automatic run"), N_("PERSON") },
    { "contact-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &options.contact_ratio,
      N_("Households per party member unless the roster says (default: as last time, else 5)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpAssignResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  gp_assign_options_init (&options);
  options.contact_ratio = NAN;  /* not given: as the project's last run */
  g_option_context_set_summary (context,
    _("Assign the roster's people to grids. Full-time workers go to the grids of their own community,\n"
      "one per grid (two for a grid above 1.5 times the target), every grid its first before any its\n"
      "second, the least total distance from home; party members likewise, a place per N households\n"
      "(--contact-ratio), grids filled evenly, each then linked to the N households of their grid\n"
      "nearest home (their party contacts); department instructors spread evenly over their\n"
      "community's grids; building and unit heads to the grid holding their home. Manual and locked\n"
      "assignments stay; grids left without a worker and communities short of workers are named.\n"
      "With --set, --unset or --lock only those hand edits are made, all or none."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  if (isnan (options.contact_ratio))
    options.contact_ratio = 0.0;
  else if (!(options.contact_ratio > 0.0) || !isfinite (options.contact_ratio))
    return gp_cli_usage (argv[0], _("the contact ratio must be a positive number of households"));
  /* Hand edits are the whole run: the planner said where these people go, and the next
   * automatic run fills around them (manual and locked assignments stay). */
  if (set != NULL || unset != NULL || lock != NULL)
    {
      if (!gp_project_edit_assignments (project, (const char *const *) set, (const char *const *) unset,
                                        (const char *const *) lock, &error))
        return gp_cli_fail_on (argv[1], error);
      /* Whoever joined or left a grid changes who keeps in contact with its households. */
      if (!gp_plan_relink_contacts (project, options.contact_ratio, &error))
        return gp_cli_fail_on (argv[1], error);
      g_print (_("by hand: %u set, %u taken off, %u locked\n"), set != NULL ? g_strv_length (set) : 0,
               unset != NULL ? g_strv_length (unset) : 0, lock != NULL ? g_strv_length (lock) : 0);
      return GP_CLI_OK;
    }
  result = gp_plan_assign (project, &options, &error);
  if (result == NULL)
    return gp_cli_fail_on (argv[1], error);
  if (json)
    {
      g_autofree char *text = result_json (result);

      g_print ("%s\n", text);
      return GP_CLI_OK;
    }
  for (guint i = 0; i < result->short_communities->len; i++)
    {
      const GpAssignShort *s = &g_array_index (result->short_communities, GpAssignShort, i);

      gp_cli_warn (_("%s: %u grids but %u full-time workers"), s->community, s->grids, s->workers);
    }
  if (result->grids_without_worker->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < result->grids_without_worker->len; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? _(", ") : "",
                                (const char *) g_ptr_array_index (result->grids_without_worker, i));
      gp_cli_warn (_("%u grids without a full-time worker: %s"), result->grids_without_worker->len, list->str);
    }
  g_print (_("assigned: full-time workers %u, party members %u, instructors %u, building heads %u, unit heads %u; "
             "%u assignments kept as they were\n"),
           result->assigned[GP_ROLE_FULLTIME], result->assigned[GP_ROLE_PARTY], result->assigned[GP_ROLE_INSTRUCTOR],
           result->assigned[GP_ROLE_BUILDING_HEAD], result->assigned[GP_ROLE_UNIT_HEAD],
           result->kept[GP_ROLE_FULLTIME] + result->kept[GP_ROLE_PARTY] + result->kept[GP_ROLE_INSTRUCTOR]
             + result->kept[GP_ROLE_BUILDING_HEAD] + result->kept[GP_ROLE_UNIT_HEAD]);
  g_print (_("party contacts: %lld households linked to a party member near them\n"),
           (long long) result->contact_households);
  if (result->no_home > 0)
    gp_cli_warn (_("%u building or unit heads have no home (longitude, latitude) to place them by"), result->no_home);
  if (result->grids_short_of_party > 0)
    gp_cli_warn (_("%u grids have fewer party members than one per %g households"), result->grids_short_of_party,
                 gp_project_get_contact_ratio (project));
  return GP_CLI_OK;
}

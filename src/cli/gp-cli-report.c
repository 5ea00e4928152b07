/* gp-cli-report.c: `gridplan-cli report PROJECT [--json]`: the quality of a project's grids, measured on what is stored. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "gp-cli.h"
#include "gp-json.h"
#include "gp-plan-data.h"
#include "gp-plan-load.h"
#include "gp-error.h"
#include "gp-project-grids.h"
#include "gp-split-report.h"

static void
print_text (GpSplitReport *report, const char *path)
{
  g_autofree char *text = gp_split_report_to_text (report);
  const GPtrArray *explanations = gp_split_report_get_explanations (report);
  const GPtrArray *notes = gp_split_report_get_notes (report);

  g_print ("%s: %s", path, text);
  for (guint i = 0; i < explanations->len; i++)
    g_print ("  %s\n", (const char *) g_ptr_array_index (explanations, i));
  for (guint i = 0; i < notes->len; i++)
    g_print ("  %s\n", (const char *) g_ptr_array_index (notes, i));
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* ROOT (the report object) with `people` and `load` added (ARCHITECTURE.md, the quality report). */
static void
add_people (JsonNode *root, const GpPeopleLoad *load)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonObject *object = json_node_get_object (root);

  json_builder_begin_object (b);
  add_int (b, "total", load->total);
  json_builder_set_member_name (b, "by_role");
  json_builder_begin_object (b);
  for (guint r = 0; r < GP_ROLE_N; r++)
    add_int (b, gp_role_name ((GpRole) r), load->by_role[r]);
  json_builder_end_object (b);
  add_int (b, "unassigned", load->unassigned);
  json_builder_end_object (b);
  json_object_set_member (object, "people", json_builder_get_root (b));
  json_builder_reset (b);
  json_builder_begin_object (b);
  add_int (b, "grids_without_worker", load->grids_without_worker);
  json_builder_set_member_name (b, "households_per_worker");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "max");
  json_builder_add_double_value (b, load->per_worker_max);
  json_builder_set_member_name (b, "median");
  json_builder_add_double_value (b, load->per_worker_median);
  json_builder_end_object (b);
  add_int (b, "red", load->events[2]);
  add_int (b, "yellow", load->events[1]);
  add_int (b, "green", load->events[0]);
  add_int (b, "households_without_party_contact", load->households_without_party_contact);
  json_builder_end_object (b);
  json_object_set_member (object, "load", json_builder_get_root (b));
}

static void
print_people_text (const GpPeopleLoad *load)
{
  g_print (_("  People: %u on the roster (%u full-time workers, %u part-time, %u party members, %u building "
             "heads, %u unit heads, %u instructors), %u without a grid.\n"),
           load->total, load->by_role[GP_ROLE_FULLTIME], load->by_role[GP_ROLE_PARTTIME], load->by_role[GP_ROLE_PARTY],
           load->by_role[GP_ROLE_BUILDING_HEAD], load->by_role[GP_ROLE_UNIT_HEAD], load->by_role[GP_ROLE_INSTRUCTOR],
           load->unassigned);
  g_print (_("  Load: %u of %u grids without a full-time worker; households per full-time worker: median %.0f, "
             "at most %.0f; %lld households no party member is in contact with.\n"),
           load->grids_without_worker, load->grids, load->per_worker_median, load->per_worker_max,
           (long long) load->households_without_party_contact);
  if (load->events[0] + load->events[1] + load->events[2] > 0)
    g_print (_("  Service items: %u red, %u yellow, %u green.\n"), load->events[2], load->events[1], load->events[0]);
}

int
gp_cli_report (int argc, char **argv)
{
  gboolean json = FALSE;
  GpPeopleLoad load;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GpSplitReport) report = NULL;
  g_autoptr(GArray) areas = NULL;
  g_autoptr(GError) error = NULL;
  double target = NAN, tolerance = 0.15;
  gint64 start = g_get_monotonic_time ();
  int status = GP_CLI_OK;
  const char *path;

  g_option_context_set_summary (context,
    _("Report on a project's grids: households against the target of the last split,\n"
      "contiguity, compactness, territory and households in no grid, overlaps; and once a roster\n"
      "is imported, its people and their load."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));
  path = argv[1];

  project = gp_project_open (path, &error);
  if (project == NULL)
    return gp_cli_fail_on (path, error);
  data = gp_plan_data_load (project, &error);
  if (data == NULL)
    return gp_cli_fail_on (path, error);

  areas = gp_plan_data_measured_areas (data);

  gp_project_get_split_target (project, &target, &tolerance);
  report = gp_split_report_new (isfinite (target) ? target : 0.0, tolerance);
  if (!gp_plan_data_measure (data, areas, report, &error))
    return gp_cli_fail_on (path, error);
  if (!gp_plan_people_load (project, &load, &error))
    return gp_cli_fail_on (path, error);
  gp_split_report_set_elapsed (report, (g_get_monotonic_time () - start) / 1e6);
  if (json)
    {
      g_autoptr(JsonNode) root = gp_split_report_to_json_node (report);
      g_autofree char *text = NULL;

      if (load.total > 0 || load.events[0] + load.events[1] + load.events[2] > 0)
        add_people (root, &load);
      text = gp_json_to_text (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      print_text (report, path);
      if (load.total > 0 || load.events[0] + load.events[1] + load.events[2] > 0)
        print_people_text (&load);
    }
  return GP_CLI_OK;
}

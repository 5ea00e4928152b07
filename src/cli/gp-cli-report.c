/* gp-cli-report.c: `gridplan-cli report PROJECT [--json]`: the quality of a project's grids, measured on what is stored. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "gp-cli.h"
#include "gp-plan-data.h"
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

int
gp_cli_report (int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpPlanData) data = NULL;
  g_autoptr(GpSplitReport) report = NULL;
  g_autoptr(GArray) areas = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GError) error = NULL;
  double target = NAN, tolerance = 0.15;
  gint64 start = g_get_monotonic_time ();
  int status = GP_CLI_OK;
  const char *path;

  g_option_context_set_summary (context,
    _("Report on a project's grids: households against the target of the last split,\n"
      "contiguity, compactness, territory and households in no grid, overlaps."));
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

  /* Every village/community, and any other area that holds grids. */
  areas = gp_plan_data_grid_areas (data);
  for (guint i = 0; i < areas->len; i++)
    g_hash_table_add (seen, GINT_TO_POINTER (g_array_index (areas, int, i) + 1));
  for (guint g = 0; g < data->grids->len; g++)
    {
      GpProjectGrid *grid = g_ptr_array_index (data->grids, g);
      int a = grid->area_code != NULL ? gp_plan_data_find_area (data, grid->area_code) : -1;

      if (a >= 0 && g_hash_table_add (seen, GINT_TO_POINTER (a + 1)))
        g_array_append_val (areas, a);
    }

  gp_project_get_split_target (project, &target, &tolerance);
  report = gp_split_report_new (isfinite (target) ? target : 0.0, tolerance);
  if (!gp_plan_data_measure (data, areas, report, &error))
    return gp_cli_fail_on (path, error);
  gp_split_report_set_elapsed (report, (g_get_monotonic_time () - start) / 1e6);
  if (json)
    {
      g_autofree char *text = gp_split_report_to_json (report);

      g_print ("%s\n", text);
    }
  else
    print_text (report, path);
  return GP_CLI_OK;
}

/* gp-cli-new.c: `gridplan-cli new PROJECT.gpkg`: an empty project file (never over an existing one). */
#include "gp-config.h"

#include <glib/gi18n.h>

#include "gp-cli.h"
#include "gp-project.h"

int
gp_cli_new (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Create an empty GridPlan project: a GeoPackage that QGIS and GDAL also open."));
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));

  project = gp_project_create (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  g_print (_("created %s\n"), argv[1]);
  return GP_CLI_OK;
}

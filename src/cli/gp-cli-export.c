/* gp-cli-export.c: `gridplan-cli export PROJECT`: the grid assignment list, the people, the grid polygons and units to grids, personal data masked unless asked for. */
#include "gp-config.h"

#include <glib/gi18n.h>

#include "gp-cli.h"
#include "gp-plan-export.h"
#include "gp-sheet.h"

static gboolean
ends_with_any (const char *path, const char *const *suffixes)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

int
gp_cli_export (int argc, char **argv)
{
  static const char *const layer_suffixes[] = { ".shp", ".gpkg", ".geojson", ".json", NULL };
  g_autofree char *list = NULL, *people = NULL, *grids = NULL, *equivalency = NULL, *contacts = NULL;
  GpExportOptions options;
  const GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_FILENAME, &list,
      N_("The grid assignment list (.xlsx: a sheet for all and one per community; or .csv)"), N_("OUT") },
    { "people", 0, 0, G_OPTION_ARG_FILENAME, &people, N_("Every person with role and grids (.xlsx or .csv)"),
      N_("OUT") },
    { "contacts", 0, 0, G_OPTION_ARG_FILENAME, &contacts,
      N_("The party members' contacts, with the households no one is in contact with (.xlsx or .csv)"),
      N_("OUT") },
    { "grids", 0, 0, G_OPTION_ARG_FILENAME, &grids, N_("The grid polygons (.shp, .gpkg or .geojson)"), N_("OUT") },
    { "equivalency", 0, 0, G_OPTION_ARG_FILENAME, &equivalency, N_("Which grid each unit is in (.csv or .xlsx)"),
      N_("OUT") },
    { "with-personal-data", 0, 0, G_OPTION_ARG_NONE, &options.personal_data,
      N_("Write phones and ID numbers in full (by default they are masked)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpExport) export = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  gp_export_options_init (&options);
  g_option_context_set_summary (context,
    _("Write the lists leadership asks for: the grid assignment list, the people with their grids,\n"
      "the party members' contacts, the grid polygons and which grid each unit is in. Phones and\n"
      "ID numbers are masked (138****5678) unless --with-personal-data is given. Each file is\n"
      "written whole or not at all."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));
  if (list == NULL && people == NULL && grids == NULL && equivalency == NULL && contacts == NULL)
    return gp_cli_usage (argv[0], _("nothing to export: give --list, --people, --contacts, --grids or --equivalency"));
  /* Every name checked before anything is written, so a typo leaves no files behind. */
  if ((list != NULL && !gp_sheet_path_ok (list)) || (people != NULL && !gp_sheet_path_ok (people))
      || (equivalency != NULL && !gp_sheet_path_ok (equivalency)) || (contacts != NULL && !gp_sheet_path_ok (contacts)))
    return gp_cli_usage (argv[0], _("lists are written as .xlsx or .csv"));
  if (grids != NULL && !ends_with_any (grids, layer_suffixes))
    return gp_cli_usage (argv[0], _("grids are written as .shp, .gpkg or .geojson"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  /* The project is read once for every list asked for. */
  export = gp_export_load (project, &options, &error);
  if (export == NULL)
    return gp_cli_fail_on (argv[1], error);
  if (list != NULL && !gp_export_list (export, list, &error))
    return gp_cli_fail_on (list, error);
  if (people != NULL && !gp_export_people (export, people, &error))
    return gp_cli_fail_on (people, error);
  if (contacts != NULL && !gp_export_contacts (export, contacts, &error))
    return gp_cli_fail_on (contacts, error);
  if (grids != NULL && !gp_export_grids (export, grids, &error))
    return gp_cli_fail_on (grids, error);
  if (equivalency != NULL && !gp_export_equivalency (export, equivalency, &error))
    return gp_cli_fail_on (equivalency, error);
  if (options.personal_data)
    gp_cli_warn (_("phones and ID numbers written in full: keep these files as personal data"));
  return GP_CLI_OK;
}

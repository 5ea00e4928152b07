/* gp-cli-import.c: `gridplan-cli import PROJECT FILE --as areas|units|households|exclusive`, with field mapping. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-error.h"
#include "gp-project.h"
#include "gp-shp.h"
#include "gp-text.h"

static gboolean
parse_kind (const char *text, GpImportKind *kind)
{
  if (g_strcmp0 (text, "areas") == 0)
    *kind = GP_IMPORT_AREAS;
  else if (g_strcmp0 (text, "units") == 0)
    *kind = GP_IMPORT_UNITS;
  else if (g_strcmp0 (text, "households") == 0)
    *kind = GP_IMPORT_HOUSEHOLDS;
  else if (g_strcmp0 (text, "exclusive") == 0)
    *kind = GP_IMPORT_EXCLUSIVE;
  else
    return FALSE;
  return TRUE;
}

/* Errors about the project name the project; errors about the data name FILE. */
static int
fail_import (const char *project_path, const char *file, GError *error)
{
  if (g_str_has_prefix (error->message, project_path))
    return gp_cli_fail_on (project_path, error);
  return gp_cli_fail_on (file, error);
}

int
gp_cli_import (int argc, char **argv)
{
  g_autofree char *as = NULL;
  g_autofree char *code_field = NULL;
  g_autofree char *name_field = NULL;
  g_autofree char *households_field = NULL;
  g_autofree char *parent_field = NULL;
  g_autofree char *encoding = NULL, *zip_layer = NULL;
  const GOptionEntry entries[] = {
    { "layer", 0, 0, G_OPTION_ARG_STRING, &zip_layer, N_("The shapefile to read from a .zip holding several"),
      N_("NAME") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("What FILE holds: areas (townships, villages, communities), units (compounds, villager "
         "groups), households (points) or exclusive grids (schools, hospitals, parks: 专属网格)"),
      N_("areas|units|households|exclusive") },
    { "code-field", 0, 0, G_OPTION_ARG_STRING, &code_field,
      N_("Field with the codes (default: guessed, e.g. 代码, 编码, CODE)"), N_("F") },
    { "name-field", 0, 0, G_OPTION_ARG_STRING, &name_field,
      N_("Field with the names (default: guessed, e.g. 名称, NAME)"), N_("F") },
    { "households-field", 0, 0, G_OPTION_ARG_STRING, &households_field,
      N_("Field with household counts (default: guessed, e.g. 户数, HH, HOUSEHOLDS)"), N_("F") },
    { "parent-field", 0, 0, G_OPTION_ARG_STRING, &parent_field,
      N_("Field with the parent area's code or name (default: guessed, e.g. 所属社区, PARENT)"), N_("F") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("Text encoding of a shapefile's DBF (GBK, UTF-8...), overriding .cpg and detection"), N_("ENC") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg FILE"));
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpLayer) layer = NULL;
  g_autoptr(GError) error = NULL;
  GpFieldMap map = { 0 };
  GpImportKind kind = GP_IMPORT_AREAS;
  const char *project_path, *file;
  const char *what;
  guint n_imported = 0;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Import a shapefile or GeoPackage layer into a project as areas, units, households or\n"
      "exclusive grids. Areas find their parent by a parent field, by their codes or by location;\n"
      "units, households and exclusive grids find their area by an area field or by location.\n"
      "Exclusive grids are numbered from 901 in their area, take the units they cover and are\n"
      "kept whole by split. One transaction: on any error nothing is written."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return gp_cli_usage (argv[0], _("expected a project file and a file to import"));
  if (as == NULL)
    return gp_cli_usage (argv[0], _("say what the file holds with --as areas|units|households|exclusive"));
  if (!parse_kind (as, &kind))
    {
      g_autofree char *message = g_strdup_printf (_("--as must be areas, units, households or exclusive, not “%s”"),
                                                  as);
      return gp_cli_usage (argv[0], message);
    }
  if (encoding != NULL && gp_text_canonical_encoding (encoding) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown encoding “%s”"), encoding);
      return gp_cli_usage (argv[0], message);
    }
  project_path = argv[1];
  file = argv[2];

  project = gp_project_open (project_path, &error);
  if (project == NULL)
    return gp_cli_fail_on (project_path, error);

  layer = gp_cli_read_layer (file, encoding, zip_layer, GP_SHP_READ_REPAIR, &error);
  if (layer == NULL)
    return gp_cli_fail_on (file, error);
  if (gp_layer_get_source_path (layer) == NULL)
    gp_layer_set_source_path (layer, file);
  gp_cli_print_warnings (layer);

  map.code_field = code_field;
  map.name_field = name_field;
  map.households_field = households_field;
  map.parent_field = parent_field;
  if (!gp_project_import (project, layer, kind, &map, &n_imported, notes, &error))
    return fail_import (project_path, file, error);

  for (guint i = 0; i < notes->len; i++)
    gp_cli_warn ("%s", (const char *) g_ptr_array_index (notes, i));
  switch (kind)
    {
    case GP_IMPORT_AREAS:
      what = g_dngettext (GETTEXT_PACKAGE, "area", "areas", n_imported);
      break;
    case GP_IMPORT_UNITS:
      what = g_dngettext (GETTEXT_PACKAGE, "unit", "units", n_imported);
      break;
    case GP_IMPORT_EXCLUSIVE:
      what = g_dngettext (GETTEXT_PACKAGE, "exclusive grid", "exclusive grids", n_imported);
      break;
    case GP_IMPORT_HOUSEHOLDS:
    default:
      what = g_dngettext (GETTEXT_PACKAGE, "household", "households", n_imported);
      break;
    }
  /* TRANSLATORS: "imported 123 units into project.gpkg" */
  g_print (_("imported %u %s into %s\n"), n_imported, what, project_path);
  return GP_CLI_OK;
}

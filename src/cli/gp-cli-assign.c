/* gp-cli-assign.c: `gridplan-cli assign PROJECT`: full-time workers to the grids of their community; grids left without one named. */
#include "gp-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "gp-cli.h"
#include "gp-json.h"
#include "gp-plan-assign.h"

static char *
result_json (GpAssignResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "assigned");
  json_builder_add_int_value (b, r->assigned);
  json_builder_set_member_name (b, "kept");
  json_builder_add_int_value (b, r->kept);
  json_builder_set_member_name (b, "unplaced");
  json_builder_add_int_value (b, r->unplaced);
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
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT.gpkg"));
  g_autoptr(GpProject) project = NULL;
  g_autoptr(GpAssignResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status = GP_CLI_OK;

  g_option_context_set_summary (context,
    _("Assign the full-time grid workers of the roster to the grids of their own community: one per\n"
      "grid (two for a grid above 1.5 times the target), every grid its first before any its second,\n"
      "the least total distance from home. Manual and locked assignments stay; grids left without a\n"
      "worker and communities short of workers are named."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!gp_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return gp_cli_usage (argv[0], _("expected one project file"));
  project = gp_project_open (argv[1], &error);
  if (project == NULL)
    return gp_cli_fail_on (argv[1], error);
  result = gp_plan_assign (project, &error);
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
  g_print (_("%u full-time workers assigned, %u assignments kept as they were, %u workers without a grid\n"),
           result->assigned, result->kept, result->unplaced);
  return GP_CLI_OK;
}

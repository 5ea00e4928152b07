/* gp-cli.c: gridplan-cli's entry point: locale, subcommand dispatch, error lines. */
#include "gp-config.h"

#ifdef GP_HAVE_MIMALLOC
#include <mimalloc.h>
#endif

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} GpCliCommand;

static const GpCliCommand commands[] = {
  { "info", gp_cli_info, N_("Describe a shapefile or a project") },
  { "convert", gp_cli_convert, N_("Convert .shp/.gpkg to .geojson/.gpkg/.shp/.csv") },
  { "new", gp_cli_new, N_("Create an empty project file") },
  { "import", gp_cli_import, N_("Import areas, units or households into a project") },
  { "split", gp_cli_split, N_("Split units or a project's areas into grids") },
  { "report", gp_cli_report, N_("Report on the quality of a project's grids") },
  { "people", gp_cli_people, N_("Import a roster of workers and party members into a project") },
  { "assign", gp_cli_assign, N_("Assign full-time workers to the grids of their community") },
  { "events", gp_cli_events, N_("Import service items (red, yellow, green) into their grids") },
  { "check", gp_cli_check, N_("Find what must be fixed before signing: gaps, overlaps, grids without workers") },
  { "export", gp_cli_export, N_("Write the grid assignment list, the people, the grid polygons") },
};

int
gp_cli_fail_error (const GError *error)
{
  g_printerr ("gridplan-cli: %s\n", error != NULL ? error->message : _("unknown error"));
  return GP_CLI_FAILED;
}

int
gp_cli_fail (const char *file, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (file != NULL)
    g_printerr ("gridplan-cli: %s: %s\n", file, message);
  else
    g_printerr ("gridplan-cli: %s\n", message);
  return GP_CLI_FAILED;
}

int
gp_cli_usage (const char *subcommand, const char *message)
{
  g_printerr ("gridplan-cli %s: %s\n", subcommand, message);
  g_printerr (_("Try “gridplan-cli %s --help”.\n"), subcommand);
  return GP_CLI_USAGE;
}

gboolean
gp_cli_parse (GOptionContext *context, int *argc, char ***argv, int *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = gp_cli_usage ((*argv)[0], error->message);
      return FALSE;
    }
  return TRUE;
}

void
gp_cli_warn (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr (_("gridplan-cli: warning: %s\n"), message);
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: gridplan-cli COMMAND [OPTIONS...]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “gridplan-cli COMMAND --help” for a command’s options."));
}

static void
setup_locale (void)
{
  const char *localedir = g_getenv ("GRIDPLAN_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : GP_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int argc, char **argv)
{
  setup_locale ();

  if (argc < 2)
    {
      print_help (stderr);
      return GP_CLI_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return GP_CLI_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
#ifdef GP_HAVE_MIMALLOC
      /* Naming mimalloc's version also keeps the library linked (it is the allocator). */
      printf ("gridplan-cli %s (mimalloc %d.%d.%d)\n", GP_VERSION, mi_version () / 100, mi_version () / 10 % 10,
              mi_version () % 10);
#else
      printf ("gridplan-cli %s\n", GP_VERSION);
#endif
      return GP_CLI_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("gridplan-cli: unknown command “%s”\n"), argv[1]);
  print_help (stderr);
  return GP_CLI_USAGE;
}

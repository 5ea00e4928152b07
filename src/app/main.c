/* main.c: starts GridPlan: locale and translations, then the application. */
#include "gp-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "gp-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(GpApplication) app = NULL;
  const char *localedir = g_getenv ("GRIDPLAN_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  /* GRIDPLAN_LOCALEDIR lets an uninstalled build (and its tests) find its own catalogues. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir : GP_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gp_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  if (status == 0)
    status = gp_application_get_exit_status (app);
  return status;
}

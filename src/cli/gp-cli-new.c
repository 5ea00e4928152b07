/* gp-cli-new.c: `gridplan-cli new` (not yet written). */
#include "gp-cli.h"

int
gp_cli_new (int argc, char **argv)
{
  return gp_cli_usage (argv[0], "not yet available");
}

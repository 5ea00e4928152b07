/* gp-cli-convert.c: `gridplan-cli convert` (not yet written). */
#include "gp-cli.h"

int
gp_cli_convert (int argc, char **argv)
{
  return gp_cli_usage (argv[0], "not yet available");
}

/* gp-cli-info.c: `gridplan-cli info` (not yet written). */
#include "gp-cli.h"

int
gp_cli_info (int argc, char **argv)
{
  return gp_cli_usage (argv[0], "not yet available");
}

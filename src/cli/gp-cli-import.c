/* gp-cli-import.c: `gridplan-cli import` (not yet written). */
#include "gp-cli.h"

int
gp_cli_import (int argc, char **argv)
{
  return gp_cli_usage (argv[0], "not yet available");
}

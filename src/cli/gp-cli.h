/* gp-cli.h: what every gridplan-cli subcommand shares: exit codes and error reporting. */
#pragma once

#include <glib.h>

#include <json-glib/json-glib.h>

#include "gp-layer.h"
#include "gp-project.h"

G_BEGIN_DECLS

enum {
  GP_CLI_OK = 0,
  GP_CLI_FAILED = 1,   /* bad input or a failed operation: one stderr line */
  GP_CLI_USAGE = 2,    /* wrong options */
  GP_CLI_CHECK = 3,    /* `check` found gaps, overlaps or broken grids */
};

/* Each subcommand gets argv with argv[0] = the subcommand name. */
int  gp_cli_info    (int argc, char **argv);
int  gp_cli_convert (int argc, char **argv);
int  gp_cli_new     (int argc, char **argv);
int  gp_cli_import  (int argc, char **argv);
int  gp_cli_split   (int argc, char **argv);
int  gp_cli_report  (int argc, char **argv);
int  gp_cli_people  (int argc, char **argv);
int  gp_cli_assign  (int argc, char **argv);
int  gp_cli_export  (int argc, char **argv);
int  gp_cli_check   (int argc, char **argv);
int  gp_cli_events  (int argc, char **argv);

/* Prints "gridplan-cli: MESSAGE" (the GError message names the file) and returns GP_CLI_FAILED. */
int  gp_cli_fail_error (const GError *error);
/* Prints "gridplan-cli: FILE: MESSAGE" and returns GP_CLI_FAILED. */
int  gp_cli_fail    (const char *file, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Prints a usage error for the subcommand and returns GP_CLI_USAGE. */
int  gp_cli_usage   (const char *subcommand, const char *message);
/* Parses options with a GOptionContext, printing usage errors; returns FALSE on error. */
gboolean gp_cli_parse (GOptionContext *context, int *argc, char ***argv, int *status);
/* Prints warnings (one line each, "gridplan-cli: warning: ...") unless --quiet. */
void gp_cli_warn    (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Shared by the subcommands that read a layer (in gp-cli-convert.c): */
/* A .shp (gp_shp_read with SHP_FLAGS) or a GeoPackage's TABLE (NULL: its first feature table),
 * told apart by extension or content; anything else is refused naming the file. */
GpLayer *gp_cli_read_layer (const char *path, const char *encoding, const char *table,
                            guint shp_flags, GError **error);
/* TRUE for an existing .gpkg, or any SQLite file whatever its name. */
gboolean gp_cli_is_geopackage (const char *path);
/* Prints ERROR as one line "gridplan-cli: FILE: ..." (FILE put in front unless the message
 * already names it) and returns GP_CLI_FAILED. */
int  gp_cli_fail_on (const char *file, GError *error);
/* The layer's reading warnings, one "gridplan-cli: warning: ..." line each. */
void gp_cli_print_warnings (GpLayer *layer);
/* The same from warning FIRST on (those added since). */
void gp_cli_print_warnings_from (GpLayer *layer, guint first);

/* `export --map` (gp-cli-map.c): the page to PATH, METRIC (NULL: none) the heatmap ("density":
 * the households' kernel density of BANDWIDTH metres, <= 0 chosen), AREA (NULL: all) what it
 * shows, SIZE (NULL: A4) its page. */
int  gp_cli_export_map (GpProject *project, const char *path, const char *metric, const char *area,
                        const char *size, double bandwidth);

/* Shared by the imports of spreadsheets (in gp-cli-people.c), PROBLEMS of GpRosterProblem: */
/* The "problems" member of --json: [{row, reason, rejected}]. */
void gp_cli_add_row_problems  (JsonBuilder *builder, GArray *problems);
/* One warning line per problem: "FILE: line N: rejected: reason". */
void gp_cli_warn_row_problems (const char *file, GArray *problems);

G_END_DECLS

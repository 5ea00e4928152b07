/* gp-output.h: write files so that a crash or an error never leaves a half-written one behind. */
#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

/* An output file written under a temporary name beside the target and renamed into place on
 * commit. Several outputs (a shapefile's .shp/.shx/.dbf/.cpg/.prj) commit together with
 * gp_output_commit_all(). */
typedef struct _GpOutput GpOutput;

GpOutput   *gp_output_new        (const char *path, GError **error);
FILE       *gp_output_get_stream (GpOutput *output);   /* buffered, binary */
const char *gp_output_get_temp_path (GpOutput *output); /* e.g. for sqlite3_open on the temp */
const char *gp_output_get_path   (GpOutput *output);
/* Flushes, syncs, closes and renames into place. On failure the temporary is removed. */
gboolean    gp_output_commit     (GpOutput *output, GError **error);
/* Commits every output or none: all are flushed and synced first, then renamed. */
gboolean    gp_output_commit_all (GpOutput **outputs, guint n, GError **error);
/* Closes and removes the temporary (safe after commit: then it only frees). */
void        gp_output_free       (GpOutput *output);

/* Temporaries are hidden beside their target (".NAME.XXXXXX.part", or a directory ".STEM.XXXXXX")
 * and locked (flock) by their writer while it lives. A writer killed outright (SIGKILL, power
 * loss) cannot remove its temporary; the next write of the same target does, with this: it
 * removes, in DIR, every temporary of PREFIX (".PREFIX.") no live writer holds. */
void        gp_output_sweep      (const char *dir, const char *prefix);
/* Locks the temporary file or directory at TEMP_PATH for this writer's life: returns the
 * descriptor to close when done (−1 when it cannot be opened). */
int         gp_output_hold       (const char *temp_path);
/* Removes a directory and the files in it (a writer's private temporary directory). */
void        gp_output_remove_dir (const char *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpOutput, gp_output_free)

G_END_DECLS

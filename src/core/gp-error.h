/* gp-error.h: the GError domain every GridPlan library reports through. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GP_ERROR (gp_error_quark ())

typedef enum {
  GP_ERROR_FAILED,           /* something went wrong that fits no other code */
  GP_ERROR_IO,               /* a file could not be opened, read or written */
  GP_ERROR_FORMAT,           /* a file is not what its name or header says, or is broken */
  GP_ERROR_ENCODING,         /* text could not be decoded or the encoding is unknown */
  GP_ERROR_CRS,              /* a coordinate reference system could not be read or used */
  GP_ERROR_GEOMETRY,         /* a geometry operation failed */
  GP_ERROR_SCHEMA,           /* a project file from a newer or foreign schema */
  GP_ERROR_INVALID_ARGUMENT, /* a caller or user passed something unusable */
  GP_ERROR_NOT_FOUND,        /* a named field, table, area or record does not exist */
  GP_ERROR_READ_ONLY,        /* a write was refused because the file is read-only */
  GP_ERROR_CANCELLED,        /* the user cancelled */
  GP_ERROR_INFEASIBLE,       /* an algorithm cannot satisfy what was asked */
} GpError;

GQuark gp_error_quark (void);

G_END_DECLS

/* gp-plan-roster.h: a roster of workers and party members read from a spreadsheet, checked row by row and written into the project. */
#pragma once

#include <glib.h>

#include "gp-project.h"
#include "gp-project-people.h"

G_BEGIN_DECLS

/* The roles people serve grids in, as stored (people.role) and as `people --json` counts them. */
typedef enum {
  GP_ROLE_FULLTIME,          /* 专职网格员 */
  GP_ROLE_PARTTIME,          /* 兼职网格员 */
  GP_ROLE_PARTY,             /* 党员 */
  GP_ROLE_BUILDING_HEAD,     /* 楼栋长 */
  GP_ROLE_UNIT_HEAD,         /* 单元长 */
  GP_ROLE_INSTRUCTOR,        /* 部门指导员 */
  GP_ROLE_COMMUNITY_WORKER,  /* 社区工作者 */
  GP_ROLE_N
} GpRole;

/* "fulltime", "party"... */
const char *gp_role_name  (GpRole role);
/* A role as a roster writes it, in Chinese or English (专职网格员, 党员, fulltime, party...);
 * FALSE when it is none of them. */
gboolean    gp_role_parse (const char *text, GpRole *role);
/* As in Ordos: a party member keeps in contact with five households. */
#define GP_DEFAULT_CONTACT_RATIO 5.0

/* The households PERSON can keep in contact with: their roster capacity (联系户数), else RATIO. */
double      gp_person_reach (const GpProjectPerson *person, double ratio);

/* The role as planners name it, translated (专职网格员, 党员...); NAME (fulltime...) when unknown. */
const char *gp_role_label (const char *name);

/* TRUE when TEXT is a valid citizen ID number (GB 11643): 18 characters, a real birth date not in
 * the future, and the check digit right; or the 15-digit form of before 1999 with a real date. */
gboolean    gp_id_number_valid (const char *text);

/* A problem with one row of the roster: the row is rejected, or imported without the bad field. */
typedef struct {
  guint    row;       /* the file's line number (the header is line 1 when it comes first) */
  char    *reason;    /* in the planner's words; never the ID number or phone itself */
  gboolean rejected;
} GpRosterProblem;

typedef struct {
  char      *encoding;          /* what the file's text was read as */
  guint      imported;          /* new people */
  guint      updated;           /* people already in the project, updated in place */
  guint      rejected;
  guint      flagged;           /* imported, without a field that was wrong */
  guint      by_role[GP_ROLE_N];
  GArray    *problems;          /* of GpRosterProblem, by row */
  /* For --rejects: the header row and every problem row as read, with its reason. */
  GPtrArray *header;            /* of char* */
  GPtrArray *problem_rows;      /* of GPtrArray* (of char*), one per problem, same order */
} GpRosterResult;

void gp_roster_result_free (GpRosterResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpRosterResult, gp_roster_result_free)

/* Reads the roster at PATH (.xlsx: SHEET or the first; else CSV in ENCODING, NULL: detected),
 * checks every row and writes the good
 * ones into PROJECT in one transaction (people already there are updated in place, so their
 * assignments stay). The header row may come below a title; headers in Chinese or English, in
 * any order. Errors (nothing written): the file cannot be read, it has no 姓名/name column, the
 * project cannot be written. */
GpRosterResult *gp_plan_import_roster (GpProject   *project,
                                       const char  *path,
                                       const char  *encoding,
                                       const char  *sheet,
                                       GError     **error);

/* The problem rows as CSV (UTF-8 with BOM, the roster's own columns and a last one, 问题, with the
 * reason), written under a temporary name and renamed. */
gboolean        gp_roster_write_rejects (GpRosterResult *result,
                                         const char     *path,
                                         GError        **error);

G_END_DECLS

/* gp-plan-check.h: every problem a planner must fix before signing, found on the project as stored (grids measured, never their flags trusted), each with where it is and a sentence. */
#pragma once

#include <glib.h>
#include <gio/gio.h>

#include "gp-project.h"

G_BEGIN_DECLS

typedef enum {
  GP_CHECK_TERRITORY_GAP,                  /* ground of an area in no grid */
  GP_CHECK_OVERLAP,                        /* two grids over the same ground */
  GP_CHECK_HOUSEHOLDS_OUTSIDE,             /* units or household points in no grid */
  GP_CHECK_GRID_IN_PIECES,                 /* a grid not in one piece (islands aside) */
  GP_CHECK_CROSSING_PARENT,                /* a grid reaching outside its village/community */
  GP_CHECK_OVERSIZE,                       /* more households than T × (1 + tolerance) */
  GP_CHECK_UNDERSIZE,                      /* fewer than T × (1 − tolerance) */
  GP_CHECK_GRID_WITHOUT_WORKER,            /* no full-time worker */
  GP_CHECK_COMMUNITY_SHORT_OF_WORKERS,     /* fewer full-time workers than grids */
  GP_CHECK_HOUSEHOLDS_WITHOUT_PARTY_CONTACT, /* households of a grid no party member keeps in contact */
  GP_CHECK_PERSON_UNPLACED,                /* a worker, party member, head or instructor with no grid */
  GP_CHECK_N
} GpCheckKind;

/* "territory_gap", ... as the CLI's JSON names them. */
const char *gp_check_kind_name (GpCheckKind kind);
/* The kind in the planner's words, translated ("Overlapping grids"). */
const char *gp_check_kind_label (GpCheckKind kind);

typedef struct {
  GpCheckKind kind;
  char       *area;      /* the village/community's code; NULL: none */
  char       *grid;      /* the grid's code (overlap: the first of the two); NULL: none */
  char       *other;     /* overlap: the second grid's code; NULL otherwise */
  gint64      count;     /* households (or pieces, workers missing); -1: not a count */
  double      area_m2;   /* ground in square metres; NaN: not a matter of ground */
  gboolean    has_at;
  double      at[2];     /* a point inside it, in the project's coordinates */
  char       *message;   /* a sentence in the planner's words */
} GpCheckProblem;

void gp_check_problem_free (GpCheckProblem *problem);

typedef struct {
  GPtrArray *problems;             /* of GpCheckProblem, by kind, then area and grid */
  guint      counts[GP_CHECK_N];
  gboolean   people_checked;       /* FALSE: no roster yet, the people's kinds not looked at */
} GpCheckResult;

void gp_check_result_free (GpCheckResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GpCheckResult, gp_check_result_free)

/* Checks PROJECT: its villages/communities and the grids in them as stored, and once a roster is
 * imported its people. Ground is measured in a local metric frame; bits of ground under a square
 * metre are rounding, not problems. Fails only when the project cannot be read or measured. */
GpCheckResult *gp_plan_check (GpProject *project, GCancellable *cancellable, GError **error);

G_END_DECLS

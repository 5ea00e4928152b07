/* gp-problem-item.h: one problem of the check as an item of the Review list: what kind, the sentence, and where it is. */
#pragma once

#include <glib-object.h>

#include "gp-plan-check.h"

G_BEGIN_DECLS

#define GP_TYPE_PROBLEM_ITEM (gp_problem_item_get_type ())
G_DECLARE_FINAL_TYPE (GpProblemItem, gp_problem_item, GP, PROBLEM_ITEM, GObject)

/* A copy of PROBLEM's kind, sentence and place (in the project's coordinates). */
GpProblemItem *gp_problem_item_new         (const GpCheckProblem *problem);
const char    *gp_problem_item_get_label   (GpProblemItem *self);   /* the kind, translated */
const char    *gp_problem_item_get_message (GpProblemItem *self);
GpCheckKind    gp_problem_item_get_kind    (GpProblemItem *self);
/* FALSE when the problem has no place (a person without a home). */
gboolean       gp_problem_item_get_at      (GpProblemItem *self, double *x, double *y);

G_END_DECLS

/* gp-problem-item.c: a check problem copied into a GObject for GListModel. */
#include "gp-config.h"

#include "gp-problem-item.h"

struct _GpProblemItem
{
  GObject     parent_instance;
  GpCheckKind kind;
  char       *message;
  gboolean    has_at;
  double      x, y;
};

G_DEFINE_FINAL_TYPE (GpProblemItem, gp_problem_item, G_TYPE_OBJECT)

static void
gp_problem_item_finalize (GObject *object)
{
  g_free (GP_PROBLEM_ITEM (object)->message);
  G_OBJECT_CLASS (gp_problem_item_parent_class)->finalize (object);
}

static void
gp_problem_item_class_init (GpProblemItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gp_problem_item_finalize;
}

static void
gp_problem_item_init (GpProblemItem *self)
{
}

GpProblemItem *
gp_problem_item_new (const GpCheckProblem *problem)
{
  GpProblemItem *self = g_object_new (GP_TYPE_PROBLEM_ITEM, NULL);

  self->kind = problem->kind;
  self->message = g_strdup (problem->message);
  self->has_at = problem->has_at;
  self->x = problem->at[0];
  self->y = problem->at[1];
  return self;
}

const char *
gp_problem_item_get_label (GpProblemItem *self)
{
  g_return_val_if_fail (GP_IS_PROBLEM_ITEM (self), NULL);
  return gp_check_kind_label (self->kind);
}

const char *
gp_problem_item_get_message (GpProblemItem *self)
{
  g_return_val_if_fail (GP_IS_PROBLEM_ITEM (self), NULL);
  return self->message;
}

GpCheckKind
gp_problem_item_get_kind (GpProblemItem *self)
{
  g_return_val_if_fail (GP_IS_PROBLEM_ITEM (self), GP_CHECK_N);
  return self->kind;
}

gboolean
gp_problem_item_get_at (GpProblemItem *self, double *x, double *y)
{
  g_return_val_if_fail (GP_IS_PROBLEM_ITEM (self), FALSE);
  if (self->has_at)
    {
      *x = self->x;
      *y = self->y;
    }
  return self->has_at;
}

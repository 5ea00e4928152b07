/* gp-split-dialog.c: the Split… dialog. */
#include "gp-config.h"

#include "gp-split-dialog.h"

#include <glib/gi18n-lib.h>

struct _GpSplitDialog
{
  GtkDialog parent_instance;

  GtkSpinButton *target;
  GtkSpinButton *tolerance;   /* in percent */
  GtkCheckButton *fresh;
};

G_DEFINE_FINAL_TYPE (GpSplitDialog, gp_split_dialog, GTK_TYPE_DIALOG)

static void
gp_split_dialog_class_init (GpSplitDialogClass *klass)
{
}

static GtkWidget *
row_label (const char *text, GtkWidget *mnemonic_for)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_for);
  return label;
}

static void
gp_split_dialog_init (GpSplitDialog *self)
{
  GtkWidget *content = gtk_dialog_get_content_area (GTK_DIALOG (self));
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *intro, *unit;

  gtk_window_set_title (GTK_WINDOW (self), _("Split into Grids"));
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);

  intro = gtk_label_new (_("Every village and community is split into contiguous grids of about this many "
                           "households, made of whole compounds or villager groups. Locked and exclusive grids "
                           "are kept as they are."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 48);
  gtk_label_set_xalign (GTK_LABEL (intro), 0.0);
  gtk_grid_attach (GTK_GRID (grid), intro, 0, 0, 3, 1);

  self->target = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (20, 5000, 10));
  gtk_spin_button_set_digits (self->target, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->target), TRUE);
  gtk_grid_attach (GTK_GRID (grid), row_label (_("_Households per grid"), GTK_WIDGET (self->target)), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->target), 1, 1, 1, 1);
  unit = gtk_label_new (_("households"));
  gtk_label_set_xalign (GTK_LABEL (unit), 0.0);
  gtk_grid_attach (GTK_GRID (grid), unit, 2, 1, 1, 1);

  self->tolerance = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 50, 1));
  gtk_spin_button_set_digits (self->tolerance, 0);
  gtk_grid_attach (GTK_GRID (grid), row_label (_("_Tolerance"), GTK_WIDGET (self->tolerance)), 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->tolerance), 1, 2, 1, 1);
  /* TRANSLATORS: after the tolerance, e.g. "± 15 %". */
  unit = gtk_label_new (_("± %"));
  gtk_label_set_xalign (GTK_LABEL (unit), 0.0);
  gtk_grid_attach (GTK_GRID (grid), unit, 2, 2, 1, 1);

  self->fresh = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (
    _("_Redraw every grid (otherwise grids no change touched keep their ground and code)")));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->fresh), 0, 3, 3, 1);
  gtk_box_append (GTK_BOX (content), grid);

  gtk_dialog_add_button (GTK_DIALOG (self), _("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_widget_add_css_class (gtk_dialog_add_button (GTK_DIALOG (self), _("_Split"), GTK_RESPONSE_ACCEPT),
                            "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);
}

GtkWidget *
gp_split_dialog_new (GtkWindow *parent, double target, double tolerance, gboolean has_grids)
{
  GpSplitDialog *self = g_object_new (GP_TYPE_SPLIT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);

  gtk_spin_button_set_value (self->target, target > 0 ? target : 300);
  gtk_spin_button_set_value (self->tolerance, (tolerance > 0 && tolerance < 1 ? tolerance : 0.15) * 100.0);
  gtk_widget_set_visible (GTK_WIDGET (self->fresh), has_grids);
  gtk_widget_grab_focus (GTK_WIDGET (self->target));
  return GTK_WIDGET (self);
}

void
gp_split_dialog_get_options (GpSplitDialog *self, GpPlanSplitOptions *options)
{
  g_return_if_fail (GP_IS_SPLIT_DIALOG (self));
  options->target = gtk_spin_button_get_value (self->target);
  options->tolerance = gtk_spin_button_get_value (self->tolerance) / 100.0;
  options->fresh = gtk_widget_get_visible (GTK_WIDGET (self->fresh)) && gtk_check_button_get_active (self->fresh);
}

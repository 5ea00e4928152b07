/* gp-preferences.c: the Preferences dialog, each control bound to its GSettings key. */
#include "gp-config.h"

#include "gp-preferences.h"

#include <glib/gi18n-lib.h>

#include "gp-settings.h"

/* A row: LABEL (with a mnemonic) for WIDGET, and a dim line below saying what it does. */
static void
add_row (GtkGrid *grid, int row, const char *label, const char *hint, GtkWidget *widget)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  GtkWidget *h = gtk_label_new (hint);

  gtk_label_set_xalign (GTK_LABEL (l), 0.0f);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), widget);
  gtk_label_set_xalign (GTK_LABEL (h), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (h), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (h), 48);
  gtk_widget_add_css_class (h, "dim-label");
  gtk_widget_set_halign (widget, GTK_ALIGN_END);
  gtk_grid_attach (grid, l, 0, 2 * row, 1, 1);
  gtk_grid_attach (grid, widget, 1, 2 * row, 1, 1);
  gtk_grid_attach (grid, h, 0, 2 * row + 1, 2, 1);
}

static GtkWidget *
spin (GSettings *settings, const char *key, double lo, double hi, double step, guint digits)
{
  GtkWidget *button = gtk_spin_button_new_with_range (lo, hi, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (button), digits);
  g_settings_bind (settings, key, gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (button)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  return button;
}

void
gp_preferences_show (GtkWindow *parent)
{
  GSettings *settings = gp_settings_get ();
  GtkWidget *dialog, *grid, *sw;

  if (settings == NULL)
    {
      dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_INFO,
                                       GTK_BUTTONS_CLOSE, "%s", _("Preferences cannot be kept"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
        _("GridPlan's settings schema is not installed; install GridPlan (meson install) to keep preferences."));
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  dialog = gtk_dialog_new_with_buttons (_("Preferences"), parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        _("_Close"), GTK_RESPONSE_CLOSE, NULL);
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  add_row (GTK_GRID (grid), 0, _("_Households per grid"),
           _("What Split… proposes for a project not split before (300: one full-time grid worker's households)."),
           spin (settings, "target", 20, 5000, 10, 0));
  add_row (GTK_GRID (grid), 1, _("_Tolerance"),
           _("How far a grid's households may be from the target (0.15: ±15%)."),
           spin (settings, "tolerance", 0.01, 0.5, 0.01, 2));
  add_row (GTK_GRID (grid), 2, _("Households per _party member"),
           _("How many households Assign gives each party member to keep in contact with, unless the roster says (5, as in Ordos)."),
           spin (settings, "contact-ratio", 1, 50, 1, 0));
  sw = gtk_switch_new ();
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  g_settings_bind (settings, "show-personal-data", sw, "active", G_SETTINGS_BIND_DEFAULT);
  add_row (GTK_GRID (grid), 3, _("Show phone numbers in _full"),
           _("In the people list. Off, they are masked (138****5678) as in exports, under the Personal Information Protection Law."),
           sw);
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

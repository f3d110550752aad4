/* awda-format.c: how values from the store read on screen, in the user's language
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "awda-format"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>

#include "awda-format.h"

/* The governorates' names as iso-codes spells them, for our own
 * translators: Debian's iso-codes has no Arabic for them. Only here to be
 * extracted; awda_format_enum_value() looks them up by the table's label. */
static const char * const governorate_names[] G_GNUC_UNUSED = {
  NC_("iso_3166-2", "Tunis"), NC_("iso_3166-2", "L'Ariana"),
  NC_("iso_3166-2", "Ben Arous"), NC_("iso_3166-2", "La Manouba"),
  NC_("iso_3166-2", "Nabeul"), NC_("iso_3166-2", "Zaghouan"),
  NC_("iso_3166-2", "Bizerte"), NC_("iso_3166-2", "Béja"),
  NC_("iso_3166-2", "Jendouba"), NC_("iso_3166-2", "Le Kef"),
  NC_("iso_3166-2", "Siliana"), NC_("iso_3166-2", "Kairouan"),
  NC_("iso_3166-2", "Kasserine"), NC_("iso_3166-2", "Sidi Bouzid"),
  NC_("iso_3166-2", "Sousse"), NC_("iso_3166-2", "Monastir"),
  NC_("iso_3166-2", "Mahdia"), NC_("iso_3166-2", "Sfax"),
  NC_("iso_3166-2", "Gafsa"), NC_("iso_3166-2", "Tozeur"),
  NC_("iso_3166-2", "Kébili"), NC_("iso_3166-2", "Gabès"),
  NC_("iso_3166-2", "Médenine"), NC_("iso_3166-2", "Tataouine"),
};

/**
 * awda_format_enum_value:
 * @field: an enumerated field of the dictionary
 * @value: (nullable): a stored value of @field
 *
 * Returns: (transfer none): the translated label of @value, @value itself
 *   when the dictionary does not know it (written by a newer Awda), or ""
 */
const char *
awda_format_enum_value (const AwdaField *field,
                        const char      *value)
{
  const AwdaEnumValue *known;

  g_return_val_if_fail (field != NULL, "");

  if (value == NULL)
    return "";

  known = awda_field_lookup_value (field, value);
  if (known == NULL)
    return value;

  return awda_enum_value_get_label (field, known);
}

/**
 * awda_format_cell_text:
 * @text: (nullable): text for a cell of a list
 *
 * Text takes the direction of its first letter, and with it the side it
 * is aligned to: in a French list, a name in Arabic script would align to
 * the right, and a Latin one to the left in an Arabic list. A mark of the
 * interface's direction first aligns every cell of a column to the same
 * side; the text itself still reads in its own direction.
 *
 * Returns: (transfer full): @text for a cell, "" when unset
 */
char *
awda_format_cell_text (const char *text)
{
  const char *mark;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("");

  mark = gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL
         ? "\u200F"  /* RIGHT-TO-LEFT MARK */
         : "\u200E"; /* LEFT-TO-RIGHT MARK */

  return g_strconcat (mark, text, NULL);
}

/**
 * awda_parse_date:
 * @text: (nullable): a date as typed
 *
 * Reads a date typed as stored (YYYY-MM-DD) or with day and month in the
 * locale's order (3/6/1990, 03.06.1990), as every date field takes it.
 *
 * Returns: (transfer full) (nullable): the date as stored, YYYY-MM-DD, or
 *   %NULL when @text is no such date
 */
char *
awda_parse_date (const char *text)
{
  const char *format;
  const char *day_at, *month_at;
  int a = 0, b = 0, year = 0, consumed = 0;
  char sep1 = 0, sep2 = 0;

  if (text == NULL)
    return NULL;

  if (awda_date_parse (text, NULL, NULL, NULL))
    return g_strdup (text);

  if (sscanf (text, "%2d%c%2d%c%4d%n", &a, &sep1, &b, &sep2, &year, &consumed) != 5
      || text[consumed] != '\0' || year < 1000
      || strchr ("/.-", sep1) == NULL || sep1 != sep2)
    return NULL;

  format = nl_langinfo (D_FMT);
  day_at = format ? strstr (format, "%d") : NULL;
  if (day_at == NULL && format != NULL)
    day_at = strstr (format, "%e");
  month_at = format ? strstr (format, "%m") : NULL;
  if (day_at != NULL && month_at != NULL && month_at < day_at)
    {
      int swap = a;

      a = b;
      b = swap;
    }

  if (!g_date_valid_dmy (a, b, year))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", year, b, a);
}

/**
 * awda_format_count:
 * @n: a number of things
 *
 * Returns: (transfer full): @n with its digits grouped as the locale
 *   groups them ("16 476", "16,476")
 */
char *
awda_format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/**
 * awda_format_date:
 * @date: (nullable): a date as stored, YYYY-MM-DD
 *
 * Returns: (transfer full): @date in the locale's short form, "" when unset
 */
char *
awda_format_date (const char *date)
{
  const char *format;
  char buffer[64];
  int year, month, day;
  GDate gdate;
  gsize len;

  if (date == NULL
      || !awda_date_parse (date, &year, &month, &day)
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return g_strdup (date != NULL ? date : "");

  /* The C locale's %x has a two-digit year, which reads as ambiguous as
   * a date can be: ISO 8601 is clearer for those without a locale. */
  format = nl_langinfo (D_FMT);
  if (format == NULL || strcmp (format, "%m/%d/%y") == 0)
    return g_strdup (date);

  g_date_clear (&gdate, 1);
  g_date_set_dmy (&gdate, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  len = g_date_strftime (buffer, sizeof buffer, "%x", &gdate);
  if (len == 0)
    return g_strdup (date);

  return g_strndup (buffer, len);
}

/**
 * awda_format_join:
 * @first: (nullable): a given name
 * @second: (nullable): a family name
 *
 * Returns: (transfer full): the two parts joined by a space, either one
 *   alone when the other is unset
 */
char *
awda_format_join (const char *first,
                  const char *second)
{
  gboolean has_first = first != NULL && first[0] != '\0';
  gboolean has_second = second != NULL && second[0] != '\0';

  if (has_first && has_second)
    return g_strconcat (first, " ", second, NULL);
  if (has_first)
    return g_strdup (first);
  if (has_second)
    return g_strdup (second);
  return g_strdup ("");
}

/**
 * awda_format_names:
 * @given_name: (nullable): the given name in Latin script
 * @family_name: (nullable): the family name in Latin script
 * @given_name_ar: (nullable): the given name in Arabic script
 * @family_name_ar: (nullable): the family name in Arabic script
 *
 * Returns: (transfer full): a person's names in both scripts, the
 *   interface's own first, each isolated so that neither script reorders
 *   the other; “(no name)” when there is none
 */
char *
awda_format_names (const char *given_name,
                   const char *family_name,
                   const char *given_name_ar,
                   const char *family_name_ar)
{
  g_autofree char *latin = awda_format_join (given_name, family_name);
  g_autofree char *arabic = awda_format_join (given_name_ar, family_name_ar);
  gboolean rtl = gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL;
  const char *first = rtl ? arabic : latin;
  const char *second = rtl ? latin : arabic;

  if (*first == '\0' && *second == '\0')
    return g_strdup (_("(no name)"));
  if (*first == '\0' || *second == '\0')
    return g_strdup (*first ? first : second);
  return g_strdup_printf ("\u2068%s\u2069 \u00b7 \u2068%s\u2069", first, second);
}

/**
 * awda_list_box_remove_all:
 * @list_box: a #GtkListBox
 *
 * Removes every row (gtk_list_box_remove_all() is GTK 4.12).
 */
void
awda_list_box_remove_all (GtkListBox *list_box)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list_box, 0)) != NULL)
    gtk_list_box_remove (list_box, GTK_WIDGET (row));
}

/* awda-fold.h: text folding for search, so that a name is found however it was typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns a newly allocated folded copy of @text (NULL-safe: NULL gives ""): case folded, Latin diacritics
 * removed (é→e, ç→c, ß→ss, œ→oe, æ→ae, ø→o, ł→l ...), Arabic alef forms (أ إ آ ٱ) → ا, taa marbuta ة → ه,
 * alef maqsura ى → ي, hamza carriers ؤ → و and ئ → ي, Persian/Urdu yeh ی → ي and keheh ک → ك,
 * tashkeel (all Arabic combining marks incl. U+0670 superscript alef) and tatweel U+0640 removed,
 * Arabic-Indic digits (٠-٩, ۰-۹) → ASCII digits, and every run of characters that are not letters or digits
 * turned into a single space; result trimmed. */
char *awda_fold             (const char *text);

/* Builds the FTS5 MATCH expression for what a user typed: folds it, splits it into tokens, and returns
 * each token double-quoted with a prefix star, joined by spaces (AND), e.g. «Ben Sâlah» → "ben"* "salah"*.
 * Returns NULL when nothing searchable is left (empty, only punctuation). Must be safe for any input:
 * quotes, parentheses, AND/OR/NOT/NEAR, '*', ':' typed by a user must never produce an FTS5 syntax error. */
char *awda_fold_match_query (const char *text);

/* The digits of a phone or ID number alone, e.g. "+216 98-123 456" → "21698123456" (NULL-safe). */
char *awda_fold_digits      (const char *text);

G_END_DECLS

/* awda-fold.c: text folding for search, so that a name is found however it was typed
 *
 * Copyright 2026 The Awda developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store folds every name it writes into the search index, a million
 * cases at a time in bulk, so this runs in one pass over the input with a
 * single output allocation. Each character is decomposed on the fly with
 * g_unichar_fully_decompose() in compatibility mode, which gives the same
 * characters as g_utf8_normalize (G_NORMALIZE_NFKD) without allocating
 * (canonical reordering aside, and the marks it would reorder are dropped);
 * then marks go, Arabic letter variants meet their common form and letters
 * are case folded. tests/test-fold.c checks the result against a slow
 * reference built from g_utf8_normalize() and g_utf8_casefold().
 */

#define G_LOG_DOMAIN "awda-fold"

#include "config.h"

#include <string.h>

#include "awda-fold.h"

typedef struct
{
  char     *data;
  gsize     len;
  gsize     alloc;
  gboolean  pending_space;
} FoldBuffer;

/* The most one folded character writes: a space and two 4-byte characters
 * (ß gives "ss", æ "ae", þ "th"). */
#define FOLD_MAX_BYTES 9

static inline void
fold_buffer_reserve (FoldBuffer *buf)
{
  if (G_UNLIKELY (buf->len + FOLD_MAX_BYTES + 1 > buf->alloc))
    {
      buf->alloc = buf->alloc * 2 + FOLD_MAX_BYTES + 1;
      buf->data = g_realloc (buf->data, buf->alloc);
    }
}

/* Words are separated by one space, never leading nor trailing: a
 * separator is only written when a word follows it. */
static inline void
fold_buffer_start_char (FoldBuffer *buf)
{
  fold_buffer_reserve (buf);
  if (buf->pending_space)
    {
      if (buf->len > 0)
        buf->data[buf->len++] = ' ';
      buf->pending_space = FALSE;
    }
}

static inline void
emit_ascii (FoldBuffer *buf,
            char        c)
{
  fold_buffer_start_char (buf);
  buf->data[buf->len++] = c;
}

static inline void
emit_ascii2 (FoldBuffer *buf,
             char        c1,
             char        c2)
{
  fold_buffer_start_char (buf);
  buf->data[buf->len++] = c1;
  buf->data[buf->len++] = c2;
}

static inline void
emit_unichar (FoldBuffer *buf,
              gunichar    c)
{
  fold_buffer_start_char (buf);
  buf->len += g_unichar_to_utf8 (c, buf->data + buf->len);
}

static inline void
emit_separator (FoldBuffer *buf)
{
  buf->pending_space = TRUE;
}

/* Arabic letters that have a common form to meet. Returns the letter to
 * write, 0 to drop the character, or the character itself. */
static inline gunichar
fold_arabic (gunichar c)
{
  switch (c)
    {
    case 0x0622: /* آ alef with madda above */
    case 0x0623: /* أ alef with hamza above */
    case 0x0625: /* إ alef with hamza below */
    case 0x0671: /* ٱ alef wasla */
    case 0x0672: /* ٲ alef with wavy hamza above */
    case 0x0673: /* ٳ alef with wavy hamza below */
      return 0x0627; /* ا */

    case 0x0624: /* ؤ waw with hamza above */
      return 0x0648; /* و */

    case 0x0626: /* ئ yeh with hamza above */
    case 0x0649: /* ى alef maqsura */
    case 0x06CC: /* ی Farsi yeh */
      return 0x064A; /* ي */

    case 0x0629: /* ة teh marbuta */
    case 0x06C3: /* ۃ teh marbuta goal (Urdu) */
    case 0x06C0: /* ۀ heh with yeh above (Persian) */
    case 0x06C1: /* ہ heh goal (Urdu) */
    case 0x06BE: /* ھ heh doachashmee, typed for ه on Persian and Urdu keyboards */
      return 0x0647; /* ه */

    case 0x06A9: /* ک keheh */
    case 0x06AA: /* ڪ swash kaf */
      return 0x0643; /* ك */

    case 0x0640: /* ـ tatweel */
    case 0x0674: /* ٴ high hamza, left by the decomposition of ٵ ٶ ٷ ٸ */
    case 0x06E5: /* ۥ small waw */
    case 0x06E6: /* ۦ small yeh */
      return 0;

    default:
      return c;
    }
}

/* Folds one character that is already fully decomposed. */
static void
fold_decomposed (FoldBuffer *buf,
                 gunichar    c)
{
  if (c < 0x80)
    {
      if (g_ascii_isalnum (c))
        emit_ascii (buf, g_ascii_tolower (c));
      else
        emit_separator (buf);
      return;
    }

  if (c >= 0x0600 && c <= 0x06FF)
    {
      c = fold_arabic (c);
      if (c == 0)
        return;

      /* The common cases without a Unicode table look-up. */
      if ((c >= 0x0621 && c <= 0x063A) || (c >= 0x0641 && c <= 0x064A))
        {
          emit_unichar (buf, c);
          return;
        }
      if ((c >= 0x064B && c <= 0x065F) || c == 0x0670)
        return; /* tashkeel */
    }

  /* Latin letters that carry their diacritic in the letter itself, so
   * that no decomposition takes it off. */
  switch (c)
    {
    case 0x00DF: case 0x1E9E:  /* ß ẞ */
      emit_ascii2 (buf, 's', 's');
      return;
    case 0x00E6: case 0x00C6:  /* æ Æ */
      emit_ascii2 (buf, 'a', 'e');
      return;
    case 0x0153: case 0x0152:  /* œ Œ */
      emit_ascii2 (buf, 'o', 'e');
      return;
    case 0x00FE: case 0x00DE:  /* þ Þ */
      emit_ascii2 (buf, 't', 'h');
      return;
    case 0x00F8: case 0x00D8:  /* ø Ø */
      emit_ascii (buf, 'o');
      return;
    case 0x0142: case 0x0141:  /* ł Ł */
      emit_ascii (buf, 'l');
      return;
    case 0x0111: case 0x0110:  /* đ Đ */
    case 0x00F0: case 0x00D0:  /* ð Ð */
      emit_ascii (buf, 'd');
      return;
    case 0x0127: case 0x0126:  /* ħ Ħ */
      emit_ascii (buf, 'h');
      return;
    case 0x0131:               /* ı dotless i */
      emit_ascii (buf, 'i');
      return;
    case 0x0167: case 0x0166:  /* ŧ Ŧ */
      emit_ascii (buf, 't');
      return;
    case 0x03C2:               /* ς final sigma folds to σ */
      emit_unichar (buf, 0x03C3);
      return;
    case 0x02BB: case 0x02BC:  /* ʻ ʼ apostrophes that Unicode files as letters */
    case 0x02BE: case 0x02BF:  /* ʾ ʿ hamza and ain in transliterations: Saʿid */
      emit_separator (buf);
      return;
    default:
      break;
    }

  /* Lowercase letters whose case folding is another lowercase letter:
   * ς above, and the Cyrillic variants of U+1C80 to U+1C88. */
  if (G_UNLIKELY (c >= 0x1C80 && c <= 0x1C88))
    {
      static const gunichar cyrillic_variants[] = {
        0x0432, 0x0434, 0x043E, 0x0441, 0x0442, 0x0442, 0x044A, 0x0463, 0xA64B,
      };

      emit_unichar (buf, cyrillic_variants[c - 0x1C80]);
      return;
    }

  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_FORMAT:
      /* Diacritics, tashkeel, and invisible characters such as the soft
       * hyphen, joiners and direction marks: they never split a word. */
      return;

    case G_UNICODE_DECIMAL_NUMBER:
      emit_ascii (buf, (char) ('0' + g_unichar_digit_value (c)));
      return;

    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
      emit_unichar (buf, g_unichar_tolower (c));
      return;

    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      emit_unichar (buf, c);
      return;

    case G_UNICODE_CONTROL:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
    default:
      emit_separator (buf);
      return;
    }
}

static void
fold_char (FoldBuffer *buf,
           gunichar    c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  /* In the Arabic block only the letters with a hamza or madda
   * decompose: the others need no table look-up. */
  if (c >= 0x0600 && c <= 0x06FF &&
      !(c >= 0x0622 && c <= 0x0626) && !(c >= 0x0675 && c <= 0x0678) &&
      c != 0x06C0 && c != 0x06C2 && c != 0x06D3)
    {
      fold_decomposed (buf, c);
      return;
    }

  n = g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed));
  for (gsize i = 0; i < n; i++)
    fold_decomposed (buf, decomposed[i]);
}

char *
awda_fold (const char *text)
{
  FoldBuffer buf = { NULL, 0, 0, FALSE };
  const char *p, *end;
  gsize len;

  if (text == NULL)
    return g_strdup ("");

  len = strlen (text);
  buf.alloc = len + len / 2 + FOLD_MAX_BYTES + 1;
  buf.data = g_malloc (buf.alloc);

  p = text;
  end = text + len;
  while (p < end)
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          /* Most Latin names are plain ASCII: no decoding needed. */
          if (g_ascii_isalnum (b))
            emit_ascii (&buf, g_ascii_tolower (b));
          else
            emit_separator (&buf);
          p++;
        }
      else
        {
          gunichar c = g_utf8_get_char_validated (p, end - p);

          if (G_UNLIKELY (c == (gunichar) -1 || c == (gunichar) -2))
            {
              /* Invalid UTF-8 cannot be a letter: it separates words. */
              emit_separator (&buf);
              p++;
              continue;
            }

          fold_char (&buf, c);
          p = g_utf8_next_char (p);
        }
    }

  buf.data[buf.len] = '\0';
  return buf.data;
}

char *
awda_fold_match_query (const char *text)
{
  g_autofree char *folded = awda_fold (text);
  GString *query;
  const char *p;

  if (*folded == '\0')
    return NULL;

  /* The folded text holds letters and digits separated by single spaces,
   * so no FTS5 operator or quote can survive in it; each word is quoted
   * all the same, which makes AND, OR, NOT and NEAR plain words too. */
  query = g_string_sized_new (strlen (folded) + 16);
  p = folded;
  while (*p != '\0')
    {
      const char *word_end = strchr (p, ' ');

      if (word_end == NULL)
        word_end = p + strlen (p);

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *q = p; q < word_end; q++)
        {
          if (*q == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *q);
        }
      g_string_append (query, "\"*");

      p = *word_end == ' ' ? word_end + 1 : word_end;
    }

  return g_string_free (query, FALSE);
}

char *
awda_fold_digits (const char *text)
{
  GString *digits;

  if (text == NULL)
    return g_strdup ("");

  digits = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; )
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          if (g_ascii_isdigit (b))
            g_string_append_c (digits, (char) b);
          p++;
        }
      else
        {
          gunichar c = g_utf8_get_char_validated (p, -1);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              p++;
              continue;
            }

          /* ٠-٩ and ۰-۹, as typed on Arabic and Persian keyboards. */
          if (g_unichar_type (c) == G_UNICODE_DECIMAL_NUMBER)
            g_string_append_c (digits, (char) ('0' + g_unichar_digit_value (c)));
          p = g_utf8_next_char (p);
        }
    }

  return g_string_free (digits, FALSE);
}

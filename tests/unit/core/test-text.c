/* test-text.c: encoding names, .cpg and LDID lookup, detection and decoding of DBF text. */
#include <string.h>

#include "gp-error.h"
#include "gp-text.h"

static void
test_canonical_names (void)
{
  static const struct { const char *name; const char *canonical; } cases[] = {
    { "UTF-8", "UTF-8" }, { "utf8", "UTF-8" }, { "UTF-8 ", "UTF-8" }, { "65001", "UTF-8" },
    { "936", "GBK" }, { "cp936", "GBK" }, { "CP936", "GBK" }, { " GBK\r\n", "GBK" },
    { "gbk", "GBK" }, { "GB2312", "GBK" }, { "gb_2312-80", "GBK" }, { "EUC-CN", "GBK" },
    { "MS936", "GBK" }, { "windows-936", "GBK" },
    { "GB18030", "GB18030" }, { "gb18030", "GB18030" }, { "54936", "GB18030" },
    { "1252", "CP1252" }, { "windows-1252", "CP1252" }, { "ANSI 1252", "CP1252" },
    { "ANSI 1250", "CP1250" }, { "cp1251", "CP1251" },
    { "8859-1", "ISO-8859-1" }, { "88591", "ISO-8859-1" }, { "ISO-8859-1", "ISO-8859-1" },
    { "iso8859_15", "ISO-8859-15" }, { "latin1", "ISO-8859-1" }, { "28592", "ISO-8859-2" },
    { "big5", "BIG5" }, { "950", "BIG5" }, { "CP950", "BIG5" },
    { "Shift_JIS", "SHIFT_JIS" }, { "sjis", "SHIFT_JIS" }, { "932", "SHIFT_JIS" },
    { "949", "EUC-KR" }, { "euc-kr", "EUC-KR" },
    { "437", "CP437" }, { "IBM850", "CP850" }, { "cp866", "CP866" }, { "koi8-r", "KOI8-R" },
    { "us-ascii", "ASCII" },
  };
  static const char *const unknown[] = {
    "", "foo", "ANSI", "8859-12", "8859-17", "1249", "UTF-16",
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head></html>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (gp_text_canonical_encoding (cases[i].name), ==, cases[i].canonical);
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_null (gp_text_canonical_encoding (unknown[i]));
  g_assert_null (gp_text_canonical_encoding (NULL));
}

static void
test_cpg (void)
{
  static const struct { const char *contents; const char *encoding; } cases[] = {
    { "UTF-8", "UTF-8" }, { "utf8\r\n", "UTF-8" }, { "UTF-8\n", "UTF-8" },
    { "\xEF\xBB\xBFUTF-8", "UTF-8" }, { "936", "GBK" }, { "CP936", "GBK" }, { "cp936 \r\n", "GBK" },
    { "GBK", "GBK" }, { "GB2312", "GBK" }, { "GB18030", "GB18030" }, { "1252", "CP1252" },
    { "ANSI 1250", "CP1250" }, { "8859-1", "ISO-8859-1" }, { "88591", "ISO-8859-1" },
    { "  ISO-8859-1  ", "ISO-8859-1" }, { "UTF-8\r\nsecond line", "UTF-8" },
  };
  static const char html[] =
    "<!DOCTYPE html><html><head>\n<meta charset=\"utf-8\">\n<title>Not found</title></head>\n"
    "<body>UTF-8</body></html>\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (gp_text_encoding_from_cpg (cases[i].contents, strlen (cases[i].contents)), ==,
                     cases[i].encoding);
  g_assert_null (gp_text_encoding_from_cpg (html, strlen (html)));
  g_assert_null (gp_text_encoding_from_cpg ("", 0));
  g_assert_null (gp_text_encoding_from_cpg ("\r\n", 2));
  g_assert_null (gp_text_encoding_from_cpg ("UTF\0-8", 6));
  g_assert_null (gp_text_encoding_from_cpg ("Klingon", 7));
}

static void
test_ldid (void)
{
  static const struct { guint8 ldid; const char *encoding; } cases[] = {
    { 0x01, "CP437" }, { 0x02, "CP850" }, { 0x03, "CP1252" }, { 0x1B, "CP437" },
    { 0x13, "SHIFT_JIS" }, { 0x7B, "SHIFT_JIS" }, { 0x26, "CP866" }, { 0x4D, "GBK" },
    { 0x7A, "GBK" }, { 0x4E, "EUC-KR" }, { 0x79, "EUC-KR" }, { 0x4F, "BIG5" }, { 0x78, "BIG5" },
    { 0x50, "CP874" }, { 0x57, "CP1252" }, { 0x58, "CP1252" }, { 0x59, "CP1252" },
    { 0x64, "CP852" }, { 0x65, "CP866" }, { 0xC8, "CP1250" }, { 0xC9, "CP1251" },
    { 0xCA, "CP1254" }, { 0xCB, "CP1253" }, { 0xCC, "CP1257" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (gp_text_encoding_from_ldid (cases[i].ldid), ==, cases[i].encoding);
  g_assert_null (gp_text_encoding_from_ldid (0x00));
  g_assert_null (gp_text_encoding_from_ldid (0x68));   /* Kamenicky: no decoder */
  g_assert_null (gp_text_encoding_from_ldid (0xFF));

  /* Every LDID that names an encoding names one we can open. */
  for (guint ldid = 0; ldid < 256; ldid++)
    {
      const char *name = gp_text_encoding_from_ldid ((guint8) ldid);
      g_autoptr(GError) error = NULL;
      g_autoptr(GpTextDecoder) decoder = NULL;

      if (name == NULL)
        continue;
      decoder = gp_text_decoder_new (name, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (gp_text_decoder_get_encoding (decoder), ==, name);
    }
}

static char *
convert_to (const char *utf8, const char *charset, gsize *length)
{
  g_autoptr(GError) error = NULL;
  char *bytes = g_convert (utf8, -1, charset, "UTF-8", NULL, length, &error);

  g_assert_no_error (error);
  return bytes;
}

static const char *
detect (const char *bytes, gsize length)
{
  return gp_text_detect_encoding (bytes, length);
}

static void
test_detect (void)
{
  const char *chinese = "东胜区\n康巴什区\n达拉特旗\n乌拉特中旗\n青山区\n鄂尔多斯市";
  gsize n = 0;
  g_autofree char *gbk = convert_to (chinese, "GBK", &n);
  g_autofree char *gb18030 = NULL;
  g_autofree char *mexico = NULL;
  g_autofree char *nandu = NULL;
  g_autofree char *danish = NULL;
  g_autofree char *gbk_cut = NULL;
  gsize gb18030_n = 0, mexico_n = 0, nandu_n = 0, danish_n = 0;

  g_assert_cmpstr (detect (gbk, n), ==, "GBK");
  /* Cut in the middle of the last character, as a narrow DBF field does. */
  g_assert_cmpstr (detect (gbk, n - 1), ==, "GBK");
  gbk_cut = g_strdup_printf ("%.*s\n%s", (int) n - 1, gbk, "ascii");
  g_assert_cmpstr (detect (gbk_cut, strlen (gbk_cut)), ==, "GBK");

  /* U+20000 needs a four-byte GB18030 sequence, which GBK does not have. */
  gb18030 = convert_to ("东胜区𠀀康巴什区", "GB18030", &gb18030_n);
  g_assert_cmpstr (detect (gb18030, gb18030_n), ==, "GB18030");

  mexico = convert_to ("México", "CP1252", &mexico_n);
  g_assert_cmpstr (detect (mexico, mexico_n), ==, "CP1252");
  nandu = convert_to ("Ñandú", "CP1252", &nandu_n);
  g_assert_cmpstr (detect (nandu, nandu_n), ==, "CP1252");
  danish = convert_to ("Ærøskøbing\nCafé crème\nnaïve €5", "CP1252", &danish_n);
  g_assert_cmpstr (detect (danish, danish_n), ==, "CP1252");

  g_assert_cmpstr (detect (chinese, strlen (chinese)), ==, "UTF-8");
  g_assert_cmpstr (detect ("ηελλο ςορλδ", strlen ("ηελλο ςορλδ")), ==, "UTF-8");
  /* UTF-8 Chinese cut mid-character at the end of a value is still UTF-8. */
  g_assert_cmpstr (detect ("东胜区\n康巴\xE4\xBB\nabc", strlen ("东胜区\n康巴\xE4\xBB\nabc")), ==, "UTF-8");
  g_assert_cmpstr (detect ("plain ASCII", 11), ==, "UTF-8");
  g_assert_cmpstr (detect ("", 0), ==, "UTF-8");
  /* Bytes that are neither: a lone 0x80 and 0xFF. */
  g_assert_cmpstr (detect ("a\x80 b\xFF", 5), ==, "CP1252");
}

static char *
decode (const char *encoding, const char *bytes, gssize length, gboolean *lossy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpTextDecoder) decoder = gp_text_decoder_new (encoding, &error);

  g_assert_no_error (error);
  return gp_text_decoder_decode (decoder, bytes, length, lossy);
}

static void
test_decode (void)
{
  gsize n = 0;
  g_autofree char *gbk = convert_to ("东胜区", "GBK", &n);
  g_autofree char *cp1250 = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpTextDecoder) decoder = NULL;
  gboolean lossy = FALSE;

  g_assert_cmpmem (gbk, n, "\xb6\xab\xca\xa4\xc7\xf8", 6);
  text = decode ("CP936", gbk, n, &lossy);
  g_assert_cmpstr (text, ==, "东胜区");
  g_assert_false (lossy);
  g_clear_pointer (&text, g_free);

  /* GB2312 and GBK names decode through GB18030: a GBK-only character decodes too. */
  g_clear_pointer (&gbk, g_free);
  gbk = convert_to ("镕", "GBK", &n);
  text = decode ("GB2312", gbk, n, NULL);
  g_assert_cmpstr (text, ==, "镕");
  g_clear_pointer (&text, g_free);

  /* A byte that does not decode becomes U+FFFD, and so does a character cut off at the end. */
  lossy = FALSE;
  text = decode ("GBK", "\xb6\xab\x80\xca\xa4", 5, &lossy);
  g_assert_cmpstr (text, ==, "东\xEF\xBF\xBD胜");
  g_assert_true (lossy);
  g_clear_pointer (&text, g_free);
  lossy = FALSE;
  text = decode ("GBK", "\xb6\xab\xca", 3, &lossy);
  g_assert_cmpstr (text, ==, "东\xEF\xBF\xBD");
  g_assert_true (lossy);
  g_clear_pointer (&text, g_free);

  lossy = FALSE;
  text = decode ("UTF-8", "ab\xC3(c\xE4\xB8", -1, &lossy);
  g_assert_cmpstr (text, ==, "ab\xEF\xBF\xBD(c\xEF\xBF\xBD\xEF\xBF\xBD");
  g_assert_true (lossy);
  g_clear_pointer (&text, g_free);

  /* pyshp's latin1.dbf read as ASCII with replacement. */
  lossy = FALSE;
  text = decode ("ascii", "\xD1" "and\xFA", -1, &lossy);
  g_assert_cmpstr (text, ==, "\xEF\xBF\xBD" "and\xEF\xBF\xBD");
  g_assert_true (lossy);
  g_clear_pointer (&text, g_free);
  text = decode ("latin1", "\xD1" "and\xFA", -1, NULL);
  g_assert_cmpstr (text, ==, "Ñandú");
  g_clear_pointer (&text, g_free);

  text = decode ("1252", "\x80 5", -1, NULL);
  g_assert_cmpstr (text, ==, "€ 5");
  g_clear_pointer (&text, g_free);

  cp1250 = convert_to ("Hněvošický háj", "CP1250", &n);
  text = decode ("ANSI 1250", cp1250, n, NULL);
  g_assert_cmpstr (text, ==, "Hněvošický háj");
  g_clear_pointer (&text, g_free);

  /* ASCII passes through any decoder; a reused decoder starts clean after a bad byte. */
  decoder = gp_text_decoder_new ("BIG5", &error);
  g_assert_no_error (error);
  text = gp_text_decoder_decode (decoder, "\xA4", 1, NULL);
  g_assert_cmpstr (text, ==, "\xEF\xBF\xBD");
  g_clear_pointer (&text, g_free);
  text = gp_text_decoder_decode (decoder, "Taipei", -1, NULL);
  g_assert_cmpstr (text, ==, "Taipei");
  g_clear_pointer (&text, g_free);
  text = gp_text_decoder_decode (decoder, "\xA4\xA4\xB0\xEA", 4, NULL);
  g_assert_cmpstr (text, ==, "中國");
  g_clear_pointer (&text, g_free);
  text = gp_text_decoder_decode (decoder, "", 0, NULL);
  g_assert_cmpstr (text, ==, "");
}

static void
test_decoder_errors (void)
{
  g_autoptr(GError) error = NULL;
  GpTextDecoder *decoder = gp_text_decoder_new ("Klingon", &error);

  g_assert_null (decoder);
  g_assert_error (error, GP_ERROR, GP_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Klingon"));
}

static void
test_encode (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gbk = NULL;
  g_autofree char *back = NULL;
  g_autofree char *gb18030 = NULL;
  g_autofree char *same = NULL;
  gsize n = 0;

  gbk = gp_text_encode ("东胜区", "GBK", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (gbk, n, "\xb6\xab\xca\xa4\xc7\xf8", 6);
  back = decode ("GBK", gbk, n, NULL);
  g_assert_cmpstr (back, ==, "东胜区");

  /* GBK has no emoji: an error, not a silent '?'. GB18030 has every character. */
  g_assert_null (gp_text_encode ("网格😀", "GBK", &n, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_ENCODING);
  g_clear_error (&error);
  gb18030 = gp_text_encode ("网格😀", "GB18030", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 8);

  same = gp_text_encode ("网格", "utf8", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (same, ==, "网格");
  g_assert_cmpuint (n, ==, strlen ("网格"));

  g_assert_null (gp_text_encode ("x", "Klingon", NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_ENCODING);
  g_clear_error (&error);
  g_assert_null (gp_text_encode ("\xC3(", "GBK", NULL, &error));
  g_assert_error (error, GP_ERROR, GP_ERROR_ENCODING);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/canonical-names", test_canonical_names);
  g_test_add_func ("/text/cpg", test_cpg);
  g_test_add_func ("/text/ldid", test_ldid);
  g_test_add_func ("/text/detect", test_detect);
  g_test_add_func ("/text/decode", test_decode);
  g_test_add_func ("/text/decoder-errors", test_decoder_errors);
  g_test_add_func ("/text/encode", test_encode);
  return g_test_run ();
}

/* Core conventions: status codes, error details, buffers, versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/kairos.h>
#include "core/internal.h"

static void status_codes_are_pinned(void **state)
{
    (void)state;
    /* These values are ABI: a change here breaks every compiled caller. */
    assert_int_equal(KAIROS_OK, 0);
    assert_int_equal(KAIROS_EINVAL, -1);
    assert_int_equal(KAIROS_ENOMEM, -2);
    assert_int_equal(KAIROS_EIO, -3);
    assert_int_equal(KAIROS_EPARSE, -4);
    assert_int_equal(KAIROS_EDATA, -5);
    assert_int_equal(KAIROS_EMODEL, -6);
    assert_int_equal(KAIROS_EVERSION, -7);
    assert_int_equal(KAIROS_ERANGE, -8);
    assert_int_equal(KAIROS_ENOTSUP, -9);
}

static void every_status_has_a_distinct_name(void **state)
{
    (void)state;
    for (int a = 0; a >= -9; a--) {
        assert_string_not_equal(kairos_strerror(a), "unknown error");
        for (int b = a - 1; b >= -9; b--)
            assert_string_not_equal(kairos_strerror(a), kairos_strerror(b));
    }
    assert_string_equal(kairos_strerror(-1000), "unknown error");
    assert_string_equal(kairos_strerror(7), "unknown error");
}

static void fail_records_a_formatted_detail(void **state)
{
    (void)state;
    int rc = kairos__fail(KAIROS_EPARSE, "line %d: timestamp '%s' is not a valid date", 17,
                          "2024-13-01");
    assert_int_equal(rc, KAIROS_EPARSE);
    assert_string_equal(kairos_last_error(), "line 17: timestamp '2024-13-01' is not a valid date");
    kairos_clear_error();
    assert_string_equal(kairos_last_error(), "");
}

static void long_error_details_are_truncated_not_overflowed(void **state)
{
    (void)state;
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    kairos__fail(KAIROS_EINVAL, "%s", big);
    size_t n = strlen(kairos_last_error());
    assert_true(n > 100 && n < sizeof big);
}

static void options_versions_outside_known_range_are_refused(void **state)
{
    (void)state;
    assert_int_equal(kairos__check_version(1, 1, "x"), KAIROS_OK);
    assert_int_equal(kairos__check_version(0, 1, "kairos_fit_opts"), KAIROS_EVERSION);
    assert_non_null(strstr(kairos_last_error(), "kairos_fit_opts"));
    assert_int_equal(kairos__check_version(2, 1, "x"), KAIROS_EVERSION);
}

static void buffer_grows_and_stays_terminated(void **state)
{
    (void)state;
    kairos_buf b = KAIROS_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(kairos__buf_printf(&b, "%03d,", i), KAIROS_OK);
    assert_int_equal(b.len, 4000);
    assert_int_equal(strlen(b.data), 4000);
    assert_memory_equal(b.data + 3996, "999,", 4);
    kairos_buf_dispose(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    kairos_buf_dispose(&b);   /* twice is fine */
    kairos_buf_dispose(NULL);
}

static void json_strings_are_escaped(void **state)
{
    (void)state;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos__buf_json_string(&b, "a\"b\\c\nd\x01"), KAIROS_OK);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001\"");
    kairos_buf_dispose(&b);
}

static void numbers_round_trip_in_shortest_form(void **state)
{
    (void)state;
    const double xs[] = { 0.1, 1.0 / 3.0, 1e308, -2.5e-300, 8336.059911, 12345678.0, 0.0 };
    char tmp[40];
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        kairos__format_double(xs[i], tmp, sizeof tmp);
        assert_true(strtod(tmp, NULL) == xs[i]);
    }
    kairos__format_double(0.1, tmp, sizeof tmp);
    assert_string_equal(tmp, "0.1");
    kairos_buf b = KAIROS_BUF_INIT;
    kairos__buf_json_number(&b, NAN);
    kairos__buf_json_number(&b, INFINITY);
    assert_string_equal(b.data, "nullnull");
    kairos_buf_dispose(&b);
}

static void version_functions_match_the_header(void **state)
{
    (void)state;
    assert_int_equal(kairos_version_number(), KAIROS_VERSION_NUMBER);
    assert_string_equal(kairos_version_string(), KAIROS_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_codes_are_pinned),
        cmocka_unit_test(every_status_has_a_distinct_name),
        cmocka_unit_test(fail_records_a_formatted_detail),
        cmocka_unit_test(long_error_details_are_truncated_not_overflowed),
        cmocka_unit_test(options_versions_outside_known_range_are_refused),
        cmocka_unit_test(buffer_grows_and_stays_terminated),
        cmocka_unit_test(json_strings_are_escaped),
        cmocka_unit_test(numbers_round_trip_in_shortest_form),
        cmocka_unit_test(version_functions_match_the_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

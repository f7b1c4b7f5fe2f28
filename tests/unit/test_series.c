/* Series basics: arrays, accessors, validation, period inference and timestamps.
 * CSV, Prometheus and regularization have their own test_series_*.c files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/series.h>

#define contains(haystack, needle) assert_non_null(strstr((haystack), (needle)))

static int64_t parse_ts(const char *text)
{
    int64_t t = INT64_C(-123456789);
    assert_int_equal(kairos_parse_timestamp(text, strlen(text), &t), KAIROS_OK);
    return t;
}

static void assert_ts_rejected(const char *text, const char *why)
{
    int64_t t = 0;
    assert_int_equal(kairos_parse_timestamp(text, strlen(text), &t), KAIROS_EPARSE);
    contains(kairos_last_error(), why);
}

/* ---- Arrays and accessors ---------------------------------------------------------- */

static void arrays_are_copied(void **state)
{
    (void)state;
    double v[] = { 1, NAN, 3 };
    int64_t t[] = { 10, 20, 30 };
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, t, 3), KAIROS_OK);
    v[0] = 99;
    t[0] = 99;
    assert_int_equal(kairos_series_length(s), 3);
    assert_true(kairos_series_values(s)[0] == 1);
    assert_true(isnan(kairos_series_values(s)[1]));
    assert_int_equal(kairos_series_timestamps(s)[0], 10);
    assert_int_equal(kairos_series_step(s), 0);
    assert_string_equal(kairos_series_name(s), "");
    kairos_series_free(s);
}

static void accessors_accept_null(void **state)
{
    (void)state;
    assert_int_equal(kairos_series_length(NULL), 0);
    assert_null(kairos_series_values(NULL));
    assert_null(kairos_series_timestamps(NULL));
    assert_string_equal(kairos_series_name(NULL), "");
    kairos_series_free(NULL);
    assert_int_equal(kairos_series_list_count(NULL), 0);
    assert_null(kairos_series_list_get(NULL, 0));
    kairos_series_list_free(NULL);
}

static void untimed_series_has_no_timestamps(void **state)
{
    (void)state;
    double v[] = { 1, 2 };
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, NULL, 2), KAIROS_OK);
    assert_null(kairos_series_timestamps(s));
    kairos_series_free(s);
}

static void null_values_with_points_are_refused(void **state)
{
    (void)state;
    kairos_series *s = (kairos_series *)&s;
    assert_int_equal(kairos_series_from_arrays(&s, NULL, NULL, 2), KAIROS_EINVAL);
    assert_null(s);
    assert_int_equal(kairos_series_from_arrays(NULL, NULL, NULL, 0), KAIROS_EINVAL);
}

static void opts_init_functions_match_the_macros(void **state)
{
    (void)state;
    kairos_csv_opts c;
    kairos_regularize_opts r;
    assert_int_equal(kairos_csv_opts_init(&c, KAIROS_CSV_OPTS_VERSION), KAIROS_OK);
    assert_int_equal(c.version, KAIROS_CSV_OPTS_VERSION);
    assert_null(c.column);
    assert_int_equal(c.delimiter, 0);
    assert_int_equal(kairos_regularize_opts_init(&r, KAIROS_REGULARIZE_OPTS_VERSION), KAIROS_OK);
    assert_int_equal(r.step_s, 0);
    assert_int_equal(r.agg, KAIROS_AGG_MEAN);
    assert_int_equal(r.fill, KAIROS_FILL_NONE);
    assert_int_equal(kairos_csv_opts_init(&c, 99), KAIROS_EVERSION);
    assert_int_equal(kairos_regularize_opts_init(&r, 0), KAIROS_EVERSION);
    assert_int_equal(kairos_csv_opts_init(NULL, 1), KAIROS_EINVAL);
}

/* ---- Validation -------------------------------------------------------------------- */

static void validation_accepts_a_usable_series(void **state)
{
    (void)state;
    double v[] = { 1, NAN, 3 };
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, NULL, 3), KAIROS_OK);
    assert_int_equal(kairos_series_validate(s, 3), KAIROS_OK);
    kairos_series_free(s);
}

static void validation_rejects_a_short_series(void **state)
{
    (void)state;
    double v[] = { 1, 2 };
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, NULL, 2), KAIROS_OK);
    assert_int_equal(kairos_series_validate(s, 5), KAIROS_EDATA);
    assert_string_equal(kairos_last_error(), "series has 2 points; at least 5 are needed");
    kairos_series_free(s);
}

static void validation_rejects_an_empty_series(void **state)
{
    (void)state;
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, NULL, NULL, 0), KAIROS_OK);
    assert_int_equal(kairos_series_validate(s, 0), KAIROS_EDATA);
    contains(kairos_last_error(), "series has 0 points");
    kairos_series_free(s);
}

static void validation_rejects_all_missing(void **state)
{
    (void)state;
    double v[] = { NAN, NAN, NAN };
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, NULL, 3), KAIROS_OK);
    assert_int_equal(kairos_series_validate(s, 1), KAIROS_EDATA);
    assert_string_equal(kairos_last_error(), "every value of the series is missing");
    kairos_series_free(s);
}

static void validation_names_the_first_infinite_value(void **state)
{
    (void)state;
    double v[] = { 1, 2, -INFINITY, INFINITY };
    int64_t t[] = { 1714568400 - 7200, 1714568400 - 3600, 1714568400, 1714568400 + 3600 };
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, t, 4), KAIROS_OK);
    assert_int_equal(kairos_series_validate(s, 1), KAIROS_EDATA);
    assert_string_equal(kairos_last_error(), "value 3 (2024-05-01T13:00:00Z) is infinite");
    kairos_series_free(s);
    assert_int_equal(kairos_series_from_arrays(&s, v, NULL, 4), KAIROS_OK);
    assert_int_equal(kairos_series_validate(s, 1), KAIROS_EDATA);
    assert_string_equal(kairos_last_error(), "value 3 is infinite");
    kairos_series_free(s);
    assert_int_equal(kairos_series_validate(NULL, 1), KAIROS_EINVAL);
}

/* ---- Timestamps: accepted forms ---------------------------------------------------- */

static void iso_utc_with_z(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("2024-05-01T13:00:00Z"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01t13:00:00z"), 1714568400);
}

static void iso_without_zone_is_utc(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("2024-05-01T13:00:00"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01 13:00:00"), 1714568400);
}

static void iso_without_seconds(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("2024-05-01T13:00"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01 13:00Z"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T13:07"), 1714568400 + 7 * 60);
}

static void iso_bare_date_is_midnight_utc(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("2024-05-01"), 1714521600);
    assert_int_equal(parse_ts("1970-01-01"), 0);
}

static void iso_fraction_rounds_to_nearest_second(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("2024-05-01T13:00:00.123456Z"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T13:00:00.499999"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T13:00:00.5Z"), 1714568401);
    assert_int_equal(parse_ts("2024-12-31T23:59:59.9Z"), 1735689600);   /* into the new year */
}

static void iso_offsets_convert_to_utc(void **state)
{
    (void)state;
    /* 13:00 UTC written in several zones. */
    assert_int_equal(parse_ts("2024-05-01T15:00:00+02:00"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T15:00:00+0200"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T15:00+02"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T08:30:00-04:30"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T13:00:00-00:00"), 1714568400);
    assert_int_equal(parse_ts("2024-05-01T13:00:00.25+00"), 1714568400);
    /* an offset that moves the instant to the previous day */
    assert_int_equal(parse_ts("2024-05-01T01:00:00+05:00"), 1714521600 - 4 * 3600);
}

static void leap_days_follow_the_gregorian_rules(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("2024-02-29"), 1709164800);
    assert_int_equal(parse_ts("2000-02-29"), 951782400);   /* divisible by 400 */
    assert_ts_rejected("2023-02-29", "February 2023 has 28 days");
    assert_ts_rejected("1900-02-29", "February 1900 has 28 days");   /* divisible by 100 */
    assert_ts_rejected("2024-02-30", "February 2024 has 29 days");
    assert_ts_rejected("2024-04-31", "April 2024 has 30 days");
}

static void times_before_1970_are_negative(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("1969-12-31T23:59:59Z"), -1);
    assert_int_equal(parse_ts("1900-01-01"), INT64_C(-2208988800));
    assert_int_equal(parse_ts("0000-01-01"), INT64_C(-62167219200));
    assert_int_equal(parse_ts("9999-12-31T23:59:59Z"), INT64_C(253402300799));
}

static void unix_seconds_integer_and_fraction(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("1714568400"), 1714568400);
    assert_int_equal(parse_ts("+1714568400"), 1714568400);
    assert_int_equal(parse_ts("1714568400.4"), 1714568400);
    assert_int_equal(parse_ts("1714568400.5"), 1714568401);
    assert_int_equal(parse_ts("-1.5"), -2);   /* halves round away from zero */
    assert_int_equal(parse_ts("-1.4"), -1);
    assert_int_equal(parse_ts("0"), 0);
    assert_int_equal(parse_ts(".5"), 1);
    assert_int_equal(parse_ts(" 42 "), 42);
}

static void unix_seconds_with_exponents(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("1.7145684e9"), 1714568400);
    assert_int_equal(parse_ts("17145684E+2"), 1714568400);
    assert_int_equal(parse_ts("12345678901234567890e-10"), 1234567890);
    assert_int_equal(parse_ts("5e-1"), 1);
    assert_int_equal(parse_ts("1e-400"), 0);
    assert_int_equal(parse_ts("0e999999999999"), 0);
}

static void unix_seconds_at_the_int64_limits(void **state)
{
    (void)state;
    assert_int_equal(parse_ts("9223372036854775807"), INT64_MAX);
    assert_int_equal(parse_ts("-9223372036854775808"), INT64_MIN);
    assert_int_equal(parse_ts("9223372036854775806.5"), INT64_MAX);
    assert_ts_rejected("9223372036854775808", "out of range");
    assert_ts_rejected("9223372036854775807.5", "out of range");
    assert_ts_rejected("1e19", "out of range");
    assert_ts_rejected("1e999999999999999999999", "out of range");
    assert_ts_rejected("-9.3e18", "out of range");
}

/* ---- Timestamps: refused forms ----------------------------------------------------- */

static void impossible_dates_name_the_field(void **state)
{
    (void)state;
    assert_ts_rejected("2024-13-01", "timestamp '2024-13-01' is not a valid date (month 13)");
    assert_ts_rejected("2024-00-10", "(month 0)");
    assert_ts_rejected("2024-05-00", "May 2024 has 31 days");
    assert_ts_rejected("2024-05-32", "May 2024 has 31 days");
}

static void impossible_times_name_the_field(void **state)
{
    (void)state;
    assert_ts_rejected("2024-05-01T25:00:00Z", "is not a valid time (hour 25)");
    assert_ts_rejected("2024-05-01T24:00:00Z", "(hour 24)");
    assert_ts_rejected("2024-05-01T13:60:00Z", "(minute 60)");
    assert_ts_rejected("2024-05-01T23:59:60Z", "(second 60; leap seconds are not supported)");
    assert_ts_rejected("2024-05-01T13:00:00+24:00", "invalid UTC offset (24:00)");
    assert_ts_rejected("2024-05-01T13:00:00+05:60", "invalid UTC offset (05:60)");
}

static void malformed_timestamps_say_what_was_expected(void **state)
{
    (void)state;
    assert_ts_rejected("2024-5-01", "expected a two-digit month at character 6");
    assert_ts_rejected("2024-05-01X13:00", "expected 'T' or a space before the time");
    assert_ts_rejected("2024-05-01T13", "expected ':' after the hour");
    assert_ts_rejected("2024-05-01T13:00:00.", "digits after the decimal point");
    assert_ts_rejected("2024-05-01T13:00:00Zjunk", "expected the end of the timestamp");
    assert_ts_rejected("2024-05-01T13:00:00+5", "two-digit offset hour");
    assert_ts_rejected("2024-05-01T13:00:00+05:3", "two-digit offset minutes");
    assert_ts_rejected("2024-05-01  13:00", "two-digit hour");
    assert_ts_rejected("2024-05-01Z", "'T' or a space");
    assert_ts_rejected("yesterday", "is neither ISO 8601");
    assert_ts_rejected("0x10", "is neither ISO 8601");
    assert_ts_rejected("1e", "is neither ISO 8601");
    assert_ts_rejected("nan", "is neither ISO 8601");
    assert_ts_rejected("", "timestamp is empty");
    assert_ts_rejected("   ", "timestamp is empty");
}

static void timestamps_need_not_be_terminated(void **state)
{
    (void)state;
    const char text[] = "2024-05-01T13:00:00Z,garbage";
    int64_t t = 0;
    assert_int_equal(kairos_parse_timestamp(text, 20, &t), KAIROS_OK);
    assert_int_equal(t, 1714568400);
    assert_int_equal(kairos_parse_timestamp(NULL, 0, &t), KAIROS_EPARSE);
    assert_int_equal(kairos_parse_timestamp(NULL, 3, &t), KAIROS_EINVAL);
    assert_int_equal(kairos_parse_timestamp("1", 1, NULL), KAIROS_EINVAL);
}

static void long_timestamps_are_cut_in_messages(void **state)
{
    (void)state;
    char text[300];
    memset(text, 'z', sizeof text);
    int64_t t = 0;
    assert_int_equal(kairos_parse_timestamp(text, sizeof text, &t), KAIROS_EPARSE);
    contains(kairos_last_error(), "zzz...'");
    assert_true(strlen(kairos_last_error()) < 150);
}

static void formatting_round_trips_parsing(void **state)
{
    (void)state;
    const int64_t times[] = { 0, -1, 1714568400, 951782400, INT64_C(-62167219200),
                              INT64_C(253402300799) };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        char text[32];
        assert_int_equal(kairos_format_timestamp(times[i], text, sizeof text), KAIROS_OK);
        assert_int_equal(parse_ts(text), times[i]);
    }
    char text[32];
    assert_int_equal(kairos_format_timestamp(INT64_C(253402300800), text, sizeof text),
                     KAIROS_ERANGE);
}

/* ---- Period inference -------------------------------------------------------------- */

static void hourly_series_over_three_weeks_has_daily_and_weekly_periods(void **state)
{
    (void)state;
    enum { N = 24 * 21 };
    double *v = calloc(N, sizeof *v);
    int64_t *t = calloc(N, sizeof *t);
    assert_non_null(v);
    assert_non_null(t);
    for (size_t i = 0; i < N; i++)
        t[i] = (int64_t)i * 3600;
    kairos_series *s = NULL, *r = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, t, N), KAIROS_OK);
    assert_int_equal(kairos_series_regularize(&r, s, NULL, NULL), KAIROS_OK);
    size_t periods[4], n = 0;
    assert_int_equal(kairos_series_infer_periods(r, periods, 4, &n), KAIROS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(periods[0], 24);
    assert_int_equal(periods[1], 168);
    kairos_series_free(s);
    kairos_series_free(r);
    free(v);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arrays_are_copied),
        cmocka_unit_test(accessors_accept_null),
        cmocka_unit_test(untimed_series_has_no_timestamps),
        cmocka_unit_test(null_values_with_points_are_refused),
        cmocka_unit_test(opts_init_functions_match_the_macros),
        cmocka_unit_test(validation_accepts_a_usable_series),
        cmocka_unit_test(validation_rejects_a_short_series),
        cmocka_unit_test(validation_rejects_an_empty_series),
        cmocka_unit_test(validation_rejects_all_missing),
        cmocka_unit_test(validation_names_the_first_infinite_value),
        cmocka_unit_test(iso_utc_with_z),
        cmocka_unit_test(iso_without_zone_is_utc),
        cmocka_unit_test(iso_without_seconds),
        cmocka_unit_test(iso_bare_date_is_midnight_utc),
        cmocka_unit_test(iso_fraction_rounds_to_nearest_second),
        cmocka_unit_test(iso_offsets_convert_to_utc),
        cmocka_unit_test(leap_days_follow_the_gregorian_rules),
        cmocka_unit_test(times_before_1970_are_negative),
        cmocka_unit_test(unix_seconds_integer_and_fraction),
        cmocka_unit_test(unix_seconds_with_exponents),
        cmocka_unit_test(unix_seconds_at_the_int64_limits),
        cmocka_unit_test(impossible_dates_name_the_field),
        cmocka_unit_test(impossible_times_name_the_field),
        cmocka_unit_test(malformed_timestamps_say_what_was_expected),
        cmocka_unit_test(timestamps_need_not_be_terminated),
        cmocka_unit_test(long_timestamps_are_cut_in_messages),
        cmocka_unit_test(formatting_round_trips_parsing),
        cmocka_unit_test(hourly_series_over_three_weeks_has_daily_and_weekly_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

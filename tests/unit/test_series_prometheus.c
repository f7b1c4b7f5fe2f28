/* Prometheus query_range responses: series, names, special values, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/series.h>

#define contains(haystack, needle) assert_non_null(strstr((haystack), (needle)))

#define MATRIX(result) \
    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":" result "}}"

static kairos_series_list *parse(const char *body)
{
    kairos_series_list *list = NULL;
    int rc = kairos_series_parse_prometheus(&list, body, strlen(body));
    if (rc != KAIROS_OK)
        fail_msg("parse failed (%d): %s", rc, kairos_last_error());
    return list;
}

static void assert_refused(const char *body, int status, const char *why)
{
    kairos_series_list *list = (kairos_series_list *)&status;
    assert_int_equal(kairos_series_parse_prometheus(&list, body, strlen(body)), status);
    assert_null(list);
    contains(kairos_last_error(), why);
}

/* ---- Accepted responses ------------------------------------------------------------ */

static void one_series_with_values(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX(
        "[{\"metric\":{\"__name__\":\"up\",\"job\":\"api\"},"
        "\"values\":[[1714568400,\"1\"],[1714568460,\"0.5\"],[1714568520,\"-2e3\"]]}]"));
    assert_int_equal(kairos_series_list_count(list), 1);
    const kairos_series *s = kairos_series_list_get(list, 0);
    assert_string_equal(kairos_series_name(s), "up{job=\"api\"}");
    assert_int_equal(kairos_series_length(s), 3);
    assert_true(kairos_series_values(s)[1] == 0.5);
    assert_true(kairos_series_values(s)[2] == -2000);
    assert_int_equal(kairos_series_timestamps(s)[2], 1714568520);
    assert_null(kairos_series_list_get(list, 1));
    kairos_series_list_free(list);
}

static void empty_result_gives_an_empty_list(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX("[]"));
    assert_non_null(list);
    assert_int_equal(kairos_series_list_count(list), 0);
    assert_null(kairos_series_list_get(list, 0));
    kairos_series_list_free(list);
}

static void several_series_keep_their_order(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX(
        "[{\"metric\":{\"instance\":\"b\"},\"values\":[[1,\"1\"]]},"
        " {\"metric\":{\"instance\":\"a\"},\"values\":[[1,\"2\"],[2,\"3\"]]},"
        " {\"metric\":{},\"values\":[]}]"));
    assert_int_equal(kairos_series_list_count(list), 3);
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 0)), "{instance=\"b\"}");
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 1)), "{instance=\"a\"}");
    assert_int_equal(kairos_series_length(kairos_series_list_get(list, 1)), 2);
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 2)), "{}");
    assert_int_equal(kairos_series_length(kairos_series_list_get(list, 2)), 0);
    kairos_series_list_free(list);
}

static void labels_are_sorted_with_the_name_in_front(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX(
        "[{\"metric\":{\"job\":\"api\",\"__name__\":\"http_requests_total\",\"instance\":\"a\"},"
        "\"values\":[]}]"));
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 0)),
                        "http_requests_total{instance=\"a\",job=\"api\"}");
    kairos_series_list_free(list);
}

static void name_alone_keeps_empty_braces(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX("[{\"metric\":{\"__name__\":\"up\"},\"values\":[]}]"));
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 0)), "up{}");
    kairos_series_list_free(list);
}

static void label_values_are_escaped(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX(
        "[{\"metric\":{\"path\":\"a\\\"b\\\\c\\nd\","
        "\"emoji\":\"\\ud83d\\ude00\"},\"values\":[]}]"));
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 0)),
                        "{emoji=\"\xF0\x9F\x98\x80\",path=\"a\\\"b\\\\c\\nd\"}");
    kairos_series_list_free(list);
}

static void special_sample_values(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX(
        "[{\"metric\":{},\"values\":[[1,\"NaN\"],[2,\"+Inf\"],[3,\"-Inf\"],[4,\"Inf\"],"
        "[5,\"1e308\"]]}]"));
    const double *v = kairos_series_values(kairos_series_list_get(list, 0));
    assert_true(isnan(v[0]));
    assert_true(isinf(v[1]) && v[1] > 0);
    assert_true(isinf(v[2]) && v[2] < 0);
    assert_true(isinf(v[3]) && v[3] > 0);
    assert_true(v[4] == 1e308);
    kairos_series_list_free(list);
}

static void fractional_sample_times_round_to_the_second(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX(
        "[{\"metric\":{},\"values\":[[1714568400.781,\"1\"],[1714568460.2,\"1\"],"
        "[1.7145685e9,\"1\"]]}]"));
    const int64_t *t = kairos_series_timestamps(kairos_series_list_get(list, 0));
    assert_int_equal(t[0], 1714568401);
    assert_int_equal(t[1], 1714568460);
    assert_int_equal(t[2], 1714568500);
    kairos_series_list_free(list);
}

static void unknown_keys_are_ignored(void **state)
{
    (void)state;
    kairos_series_list *list = parse(
        "{\"status\":\"success\",\"warnings\":[\"slow\"],\"infos\":[],"
        "\"data\":{\"stats\":{\"timings\":{\"a\":1}},\"result\":[{\"metric\":{},\"extra\":[[1]],"
        "\"values\":[[1,\"2\"]]}],\"resultType\":\"matrix\"}}");
    assert_int_equal(kairos_series_list_count(list), 1);
    kairos_series_list_free(list);
}

static void pretty_printed_json_with_tabs(void **state)
{
    (void)state;
    kairos_series_list *list = parse(
        "\t{\n\t\"status\":\t\"success\",\n\t\"data\": {\n\t\t\"resultType\": \"matrix\",\n"
        "\t\t\"result\": [\n\t\t\t{\n\t\t\t\t\"metric\": {\"job\": \"a\\tb\"},\n"
        "\t\t\t\t\"values\": [\n\t\t\t\t\t[ 1714568400 ,\t\"1\" ]\n\t\t\t\t]\n\t\t\t}\n"
        "\t\t]\n\t}\n}\n\t\n");
    assert_int_equal(kairos_series_list_count(list), 1);
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 0)), "{job=\"a\\x09b\"}");
    kairos_series_list_free(list);
}

/* libyaml limits YAML "simple keys" to one line and 1024 characters; JSON does not. */
static void long_keys_and_colons_on_the_next_line(void **state)
{
    (void)state;
    enum { KEY = 1500 };
    char key[KEY + 1];
    memset(key, 'k', KEY);
    key[KEY] = '\0';
    size_t size = KEY + 200;
    char *body = malloc(size);
    assert_non_null(body);
    snprintf(body, size, "{\"status\"\n  : \"success\", \"data\":{\"resultType\":\"matrix\","
                         "\"result\":[{\"metric\":{\"%s\"  :\t\"v\"},\"values\":[]}]}}", key);
    kairos_series_list *list = parse(body);
    const char *name = kairos_series_name(kairos_series_list_get(list, 0));
    assert_int_equal(strlen(name), KEY + 6);
    assert_memory_equal(name + 1 + KEY, "=\"v\"}", 5);
    kairos_series_list_free(list);
    free(body);
}

static void keys_may_come_in_any_order(void **state)
{
    (void)state;
    kairos_series_list *list = parse(
        "{\"data\":{\"result\":[{\"values\":[[1,\"2\"]],\"metric\":{\"a\":\"b\"}}],"
        "\"resultType\":\"matrix\"},\"status\":\"success\"}");
    assert_int_equal(kairos_series_list_count(list), 1);
    kairos_series_list_free(list);
}

static void missing_metric_means_no_labels(void **state)
{
    (void)state;
    kairos_series_list *list = parse(MATRIX("[{\"values\":[[1,\"2\"]]}]"));
    assert_string_equal(kairos_series_name(kairos_series_list_get(list, 0)), "{}");
    kairos_series_list_free(list);
}

/* ---- Refused responses ------------------------------------------------------------- */

static void error_status_carries_the_prometheus_message(void **state)
{
    (void)state;
    assert_refused("{\"status\":\"error\",\"errorType\":\"bad_data\","
                   "\"error\":\"invalid parameter \\\"query\\\": parse error\"}",
                   KAIROS_EDATA,
                   "Prometheus reported an error (bad_data): "
                   "invalid parameter \"query\": parse error");
}

static void error_status_wins_over_broken_data(void **state)
{
    (void)state;
    assert_refused("{\"data\":{\"result\":5},\"status\":\"error\",\"error\":\"timeout\"}",
                   KAIROS_EDATA, "Prometheus reported an error: timeout");
}

static void vector_result_type_is_refused(void **state)
{
    (void)state;
    assert_refused("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                   "[{\"metric\":{},\"value\":[1,\"1\"]}]}}",
                   KAIROS_EPARSE, "data.resultType is \"vector\"; only \"matrix\"");
    /* the same when resultType comes after the result it explains */
    assert_refused("{\"status\":\"success\",\"data\":{\"result\":"
                   "[{\"metric\":{},\"value\":[1,\"1\"]}],\"resultType\":\"scalar\"}}",
                   KAIROS_EPARSE, "data.resultType is \"scalar\"");
}

static void truncated_document_is_refused(void **state)
{
    (void)state;
    const char full[] = MATRIX("[{\"metric\":{},\"values\":[[1,\"2\"]]}]");
    for (size_t len = 0; len < sizeof full - 1; len++) {
        kairos_series_list *list = NULL;
        int rc = kairos_series_parse_prometheus(&list, full, len);
        assert_int_equal(rc, KAIROS_EPARSE);
        assert_null(list);
    }
}

static void numbers_as_sample_values_are_refused(void **state)
{
    (void)state;
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[[1,\"2\"],[2,3.5]]}]"), KAIROS_EPARSE,
                   "data.result[0].values[1]: expected the sample value as a string like "
                   "\"1.5\", \"NaN\" or \"+Inf\", found number 3.5 (line 1, column ");
}

static void strings_as_sample_times_are_refused(void **state)
{
    (void)state;
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[[\"1\",\"2\"]]}]"), KAIROS_EPARSE,
                   "data.result[0].values[0]: expected the sample time as a number of Unix "
                   "seconds, found string \"1\"");
}

static void non_numeric_sample_value_is_refused(void **state)
{
    (void)state;
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[[1,\"abc\"]]}]"), KAIROS_EPARSE,
                   "found string \"abc\"");
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[[1,\"1e999\"]]}]"), KAIROS_EPARSE,
                   "within the range of a double");
}

static void samples_must_be_pairs(void **state)
{
    (void)state;
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[[1]]}]"), KAIROS_EPARSE,
                   "values[0]: expected the sample value as a string like \"1.5\", \"NaN\" or "
                   "\"+Inf\", found the end of the list");
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[[1,\"2\",3]]}]"), KAIROS_EPARSE,
                   "values[0]: expected the end of the [time, \"value\"] pair, found number 3");
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[1,2]}]"), KAIROS_EPARSE,
                   "values[0]: expected a [time, \"value\"] pair, found number 1");
}

static void missing_values_key_is_refused(void **state)
{
    (void)state;
    assert_refused(MATRIX("[{\"metric\":{}}]"), KAIROS_EPARSE,
                   "data.result[0] has no \"values\"");
    assert_refused(MATRIX("[{\"metric\":{},\"histograms\":[[1,{\"count\":\"1\"}]]}]"),
                   KAIROS_EPARSE, "native histogram samples are not supported");
}

static void wrong_types_say_what_was_expected_where(void **state)
{
    (void)state;
    assert_refused("[1,2]", KAIROS_EPARSE, "the top level: expected a JSON object, found a list");
    assert_refused("{\"status\":\"success\",\"data\":[]}", KAIROS_EPARSE,
                   "data: expected an object, found a list");
    assert_refused(MATRIX("{}"), KAIROS_EPARSE,
                   "data.result: expected a list of series, found an object");
    assert_refused(MATRIX("[5]"), KAIROS_EPARSE, "data.result[0]: expected an object");
    assert_refused(MATRIX("[{\"metric\":[],\"values\":[]}]"), KAIROS_EPARSE,
                   "data.result[0].metric: expected an object of labels, found a list");
    assert_refused(MATRIX("[{\"metric\":{\"job\":5},\"values\":[]}]"), KAIROS_EPARSE,
                   "data.result[0].metric.job: expected a string label value, found number 5");
    assert_refused(MATRIX("[{\"metric\":{},\"values\":null}]"), KAIROS_EPARSE,
                   "data.result[0].values: expected a list of [time, \"value\"] pairs, found null");
    assert_refused("{\"status\":7}", KAIROS_EPARSE, "status: expected a string, found number 7");
}

static void missing_keys_are_refused(void **state)
{
    (void)state;
    assert_refused("{\"data\":{}}", KAIROS_EPARSE, "the top-level object has no \"status\"");
    assert_refused("{\"status\":\"success\"}", KAIROS_EPARSE, "there is no \"data\"");
    assert_refused("{\"status\":\"success\",\"data\":{\"result\":[]}}", KAIROS_EPARSE,
                   "data has no \"resultType\"");
    assert_refused("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}", KAIROS_EPARSE,
                   "data has no \"result\"");
    assert_refused("{\"status\":\"pending\",\"data\":{}}", KAIROS_EPARSE,
                   "status is \"pending\"; expected \"success\" or \"error\"");
}

static void duplicate_keys_are_refused(void **state)
{
    (void)state;
    assert_refused("{\"status\":\"success\",\"status\":\"error\"}", KAIROS_EPARSE,
                   "duplicate key \"status\"");
    assert_refused(MATRIX("[{\"metric\":{},\"values\":[],\"values\":[]}]"), KAIROS_EPARSE,
                   "data.result[0]: duplicate key \"values\"");
    assert_refused(MATRIX("[{\"metric\":{\"job\":\"a\",\"job\":\"b\"},\"values\":[]}]"),
                   KAIROS_EPARSE, "data.result[0].metric: duplicate label 'job'");
}

static void garbage_is_refused(void **state)
{
    (void)state;
    assert_refused("", KAIROS_EPARSE, "Prometheus response is empty");
    assert_refused("not json at all", KAIROS_EPARSE, "expected a JSON object");
    assert_refused("{\"status\":\"success\"} trailing", KAIROS_EPARSE, "is not valid JSON");
    assert_refused("{\"a\":1}\n{\"b\":2}", KAIROS_EPARSE, "is not valid JSON");
    assert_refused("{\"status\": \"succ\x01\"}", KAIROS_EPARSE, "is not valid JSON");
    assert_refused("{\"status\": &a \"success\", \"data\": *a}", KAIROS_EPARSE, "YAML alias");
    assert_refused("--- " MATRIX("[]") "\n--- {}\n", KAIROS_EPARSE, "more than one JSON document");
    kairos_series_list *list = NULL;
    assert_int_equal(kairos_series_parse_prometheus(&list, NULL, 0), KAIROS_EPARSE);
    assert_int_equal(kairos_series_parse_prometheus(&list, NULL, 1), KAIROS_EINVAL);
    assert_int_equal(kairos_series_parse_prometheus(NULL, "{}", 2), KAIROS_EINVAL);
}

static void body_need_not_be_terminated(void **state)
{
    (void)state;
    const char body[] = MATRIX("[]") "garbage";
    kairos_series_list *list = NULL;
    assert_int_equal(kairos_series_parse_prometheus(&list, body, sizeof body - 1 - 7), KAIROS_OK);
    kairos_series_list_free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_series_with_values),
        cmocka_unit_test(empty_result_gives_an_empty_list),
        cmocka_unit_test(several_series_keep_their_order),
        cmocka_unit_test(labels_are_sorted_with_the_name_in_front),
        cmocka_unit_test(name_alone_keeps_empty_braces),
        cmocka_unit_test(label_values_are_escaped),
        cmocka_unit_test(special_sample_values),
        cmocka_unit_test(fractional_sample_times_round_to_the_second),
        cmocka_unit_test(unknown_keys_are_ignored),
        cmocka_unit_test(pretty_printed_json_with_tabs),
        cmocka_unit_test(long_keys_and_colons_on_the_next_line),
        cmocka_unit_test(keys_may_come_in_any_order),
        cmocka_unit_test(missing_metric_means_no_labels),
        cmocka_unit_test(error_status_carries_the_prometheus_message),
        cmocka_unit_test(error_status_wins_over_broken_data),
        cmocka_unit_test(vector_result_type_is_refused),
        cmocka_unit_test(truncated_document_is_refused),
        cmocka_unit_test(numbers_as_sample_values_are_refused),
        cmocka_unit_test(strings_as_sample_times_are_refused),
        cmocka_unit_test(non_numeric_sample_value_is_refused),
        cmocka_unit_test(samples_must_be_pairs),
        cmocka_unit_test(missing_values_key_is_refused),
        cmocka_unit_test(wrong_types_say_what_was_expected_where),
        cmocka_unit_test(missing_keys_are_refused),
        cmocka_unit_test(duplicate_keys_are_refused),
        cmocka_unit_test(garbage_is_refused),
        cmocka_unit_test(body_need_not_be_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

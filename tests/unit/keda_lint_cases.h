/* Catalog and linter cases of test_keda.c, kept apart so each file stays readable.
 * Included once, after the shared helpers (read_data, parse_buf, at_str). */
#ifndef KAIROS_TEST_KEDA_LINT_CASES_H
#define KAIROS_TEST_KEDA_LINT_CASES_H

/* ------------------------------------------------------------------ catalog ------------ */

static void catalog_has_the_most_used_scalers(void **state)
{
    (void)state;
    static const char *const most_used[] = {"kafka", "rabbitmq", "aws-sqs-queue",
        "azure-servicebus", "azure-eventhub", "aws-kinesis-stream", "gcp-pubsub",
        "nats-jetstream", "redis-streams", "prometheus", "postgresql", "cron", "external", "cpu",
        "memory"};
    assert_true(kairos_keda_catalog_count() >= 15);
    for (size_t i = 0; i < sizeof most_used / sizeof most_used[0]; i++) {
        const kairos_keda_scaler *s = kairos_keda_catalog_find(most_used[i]);
        if (!s)
            fail_msg("catalog lacks %s", most_used[i]);
        assert_true(s->curated);
        assert_true(s->n_params > 0);
    }
    const kairos_keda_scaler *prom = kairos_keda_catalog_find("prometheus");
    assert_string_equal(prom->target_key, "threshold");
    assert_string_equal(prom->activation_key, "activationThreshold");
    const kairos_keda_param *q = kairos_keda_scaler_param(prom, "query");
    assert_true(q->flags & KAIROS_KEDA_PARAM_REQUIRED);
    const kairos_keda_param *kt = kairos_keda_scaler_param(kairos_keda_catalog_find("kafka"),
                                                          "offsetResetPolicy");
    assert_string_equal(kt->default_value, "latest");
    assert_string_equal(kt->allowed, "latest|earliest");
    const kairos_keda_param *pw = kairos_keda_scaler_param(kairos_keda_catalog_find("postgresql"),
                                                          "password");
    assert_true(pw->flags & KAIROS_KEDA_PARAM_AUTH);
    assert_false(pw->flags & KAIROS_KEDA_PARAM_METADATA);
    assert_true(kairos_keda_scaler_param(kairos_keda_catalog_find("cpu"), "type")->flags &
                KAIROS_KEDA_PARAM_DEPRECATED);
    assert_null(kairos_keda_catalog_find("kafak"));
    assert_null(kairos_keda_catalog_get(kairos_keda_catalog_count()));
    for (size_t i = 1; i < kairos_keda_catalog_count(); i++)
        assert_true(strcmp(kairos_keda_catalog_get(i - 1)->type, kairos_keda_catalog_get(i)->type) < 0);
}

static void catalog_matches_the_scaler_schema(void **state)
{
    (void)state;
    /* JSON is YAML: the same parser reads KEDA's schema. */
    kk_docs d = load_yaml("../../../src/keda/scalers-schema.json");
    const kk_node *scalers = kk_get(d.docs[0], "scalers");
    assert_non_null(scalers);
    size_t distinct = 0;
    for (size_t i = 0; i < scalers->n; i++) {
        const char *type = kk_get_str(scalers->items[i], "type");
        const kairos_keda_scaler *s = kairos_keda_catalog_find(type);
        if (!s)
            fail_msg("schema scaler %s missing from the catalog", type);
        const kk_node *params = kk_get(scalers->items[i], "parameters");
        assert_int_equal(s->n_params, params->n);
        for (size_t k = 0; k < params->n; k++) {
            const kk_node *pn = params->items[k];
            const kairos_keda_param *p = &s->params[k];
            assert_string_equal(p->name, kk_get_str(pn, "name"));
            const char *def = kk_get_str(pn, "default");
            if (def)
                assert_string_equal(p->default_value, def);
            else
                assert_null(p->default_value);
            assert_int_equal(!!(p->flags & KAIROS_KEDA_PARAM_AUTH),
                             kk_get(pn, "triggerAuthenticationVariableReadable") != NULL);
            int optional = kk_get(pn, "optional") && !strcmp(kk_get_str(pn, "optional"), "true");
            if (p->flags & KAIROS_KEDA_PARAM_REQUIRED)
                assert_true(!optional && !def);
        }
        distinct++;
    }
    assert_int_equal(distinct, kairos_keda_catalog_count());
    kk_docs_free(&d);
}

static void catalog_describes_scalers_as_text_and_json(void **state)
{
    (void)state;
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_catalog_describe("kafka", KAIROS_KEDA_FORMAT_TEXT, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "bootstrapServers"));
    assert_non_null(strstr(b.data, "required"));
    kairos_buf_dispose(&b);
    assert_int_equal(kairos_keda_catalog_describe(NULL, KAIROS_KEDA_FORMAT_JSON, &b), KAIROS_OK);
    kk_docs d = parse_buf(&b); /* JSON reads as YAML */
    assert_int_equal(kk_get(d.docs[0], "scalers")->n, kairos_keda_catalog_count());
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    assert_int_equal(kairos_keda_catalog_describe("nope", KAIROS_KEDA_FORMAT_TEXT, &b), KAIROS_EINVAL);
}

/* ------------------------------------------------------------------ linter ------------- */

static kairos_keda_lint *lint_file(const char *name)
{
    size_t len;
    char *text = read_data(name, &len);
    kairos_keda_lint *l = NULL;
    int rc = kairos_keda_lint_text(text, len, &l);
    free(text);
    if (rc)
        fail_msg("%s: %s", name, kairos_last_error());
    return l;
}

static void every_rule_has_a_fixture_that_triggers_it(void **state)
{
    (void)state;
    assert_true(kairos_keda_rule_count() >= 25);
    for (size_t i = 0; i < kairos_keda_rule_count(); i++) {
        const kairos_keda_rule *r = kairos_keda_rule_get(i);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(r->id, kairos_keda_rule_get(j)->id);
        char name[128];
        snprintf(name, sizeof name, "lint/%s.yaml", r->id);
        kairos_keda_lint *l = lint_file(name);
        int hit = 0;
        for (size_t k = 0; k < kairos_keda_lint_count(l); k++) {
            const kairos_keda_finding *f = kairos_keda_lint_get(l, k);
            hit |= !strcmp(f->rule, r->id);
            assert_true(*f->hint);
        }
        if (!hit)
            fail_msg("fixture %s does not trigger %s", name, r->id);
        kairos_keda_lint_free(l);
    }
}

static void the_clean_fixture_has_no_findings(void **state)
{
    (void)state;
    kairos_keda_lint *l = lint_file("lint/clean.yaml");
    if (kairos_keda_lint_count(l)) {
        kairos_buf b = KAIROS_BUF_INIT;
        kairos_keda_lint_format(l, KAIROS_KEDA_FORMAT_TEXT, &b);
        fail_msg("clean fixture has findings:\n%s", b.data);
    }
    kairos_keda_lint_free(l);
}

static const char paths_yaml[] =
    "apiVersion: keda.sh/v1alpha1\n"
    "kind: ScaledObject\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  scaleTargetRef: {name: web}\n"
    "  minReplicaCount: 1\n"
    "  triggers:\n"
    "  - type: cpu\n"
    "    metricType: Utilization\n"
    "    metadata: {value: \"70\"}\n"
    "  - type: prometheus\n"
    "    metadata:\n"
    "      serverAddress: http://prometheus:9090\n"
    "      query: sum(up)\n"
    "      threshold: lots\n"
    "---\n"
    "kind: ConfigMap\n"
    "apiVersion: v1\n"
    "metadata: {name: other}\n";

static void findings_carry_rule_path_line_and_hint(void **state)
{
    (void)state;
    kairos_keda_lint *l = NULL;
    assert_int_equal(kairos_keda_lint_text(paths_yaml, strlen(paths_yaml), &l), KAIROS_OK);
    const kairos_keda_finding *f = NULL;
    for (size_t i = 0; i < kairos_keda_lint_count(l); i++)
        if (!strcmp(kairos_keda_lint_get(l, i)->rule, "threshold-not-numeric"))
            f = kairos_keda_lint_get(l, i);
    assert_non_null(f);
    assert_string_equal(f->path, "spec.triggers[1].metadata.threshold");
    assert_int_equal(f->line, 15);
    assert_int_equal(f->document, 0);
    assert_string_equal(f->kind, "ScaledObject");
    assert_string_equal(f->name, "web");
    assert_int_equal(f->severity, KAIROS_KEDA_ERROR);
    assert_true(kairos_keda_lint_errors(l) >= 1);
    const kairos_keda_finding *last = kairos_keda_lint_get(l, kairos_keda_lint_count(l) - 1);
    assert_string_equal(last->rule, "unknown-kind");
    assert_int_equal(last->document, 1);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_keda_lint_format(l, KAIROS_KEDA_FORMAT_JSON, &b), KAIROS_OK);
    kk_docs d = parse_buf(&b);
    assert_int_equal(kk_get(d.docs[0], "findings")->n, kairos_keda_lint_count(l));
    assert_non_null(kk_get(d.docs[0], "errors"));
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    assert_int_equal(kairos_keda_lint_format(l, KAIROS_KEDA_FORMAT_TEXT, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "error threshold-not-numeric ScaledObject/web"));
    kairos_buf_dispose(&b);
    kairos_keda_lint_free(l);
}

static void hostile_yaml_is_refused_with_a_reason(void **state)
{
    (void)state;
    kairos_keda_lint *l = NULL;
    const char *bad = "a: [1, 2\nb: c\n";
    assert_int_equal(kairos_keda_lint_text(bad, strlen(bad), &l), KAIROS_EPARSE);
    assert_null(l);
    assert_non_null(strstr(kairos_last_error(), "line"));
    /* Each level doubles the size: 2^30 nodes if aliases were expanded blindly. */
    kairos_buf bomb = KAIROS_BUF_INIT;
    kairos__buf_puts(&bomb, "a0: &a0 [x, x]\n");
    for (int i = 1; i <= 30; i++)
        kairos__buf_printf(&bomb, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
    assert_int_equal(kairos_keda_lint_text(bomb.data, bomb.len, &l), KAIROS_EDATA);
    kairos_buf_dispose(&bomb);
    kairos_buf deep = KAIROS_BUF_INIT;
    for (int i = 0; i < 200; i++)
        kairos__buf_puts(&deep, "[");
    for (int i = 0; i < 200; i++)
        kairos__buf_puts(&deep, "]");
    assert_int_equal(kairos_keda_lint_text(deep.data, deep.len, &l), KAIROS_EDATA);
    kairos_buf_dispose(&deep);
    assert_int_equal(kairos_keda_lint_text("", 0, &l), KAIROS_OK);
    assert_int_equal(kairos_keda_lint_count(l), 0);
    kairos_keda_lint_free(l);
    kairos_keda_lint_free(NULL);
}

static void integers_beyond_their_format_are_schema_errors(void **state)
{
    (void)state;
    const char *text = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: w}\n"
                       "spec:\n  scaleTargetRef: {name: w}\n  minReplicaCount: 1\n"
                       "  maxReplicaCount: 3000000000\n  pollingInterval: 1e999999\n"
                       "  cooldownPeriod: 99999999999999999999999999\n"
                       "  triggers: [{type: cpu, metricType: Utilization, metadata: {value: \"5\"}}]\n";
    kairos_keda_lint *l = NULL;
    assert_int_equal(kairos_keda_lint_text(text, strlen(text), &l), KAIROS_OK);
    int max_flagged = 0, cooldown_flagged = 0;
    for (size_t i = 0; i < kairos_keda_lint_count(l); i++) {
        const kairos_keda_finding *f = kairos_keda_lint_get(l, i);
        max_flagged |= !strcmp(f->path, "spec.maxReplicaCount") &&
                       !strcmp(f->rule, "schema-invalid-value");
        cooldown_flagged |= !strcmp(f->path, "spec.cooldownPeriod") &&
                            !strcmp(f->rule, "schema-invalid-value");
    }
    assert_true(max_flagged && cooldown_flagged);
    kairos_keda_lint_free(l);
}

static void plain_scalars_resolve_as_kubernetes_reads_them(void **state)
{
    (void)state;
    assert_int_equal(kk_resolve_plain("yes"), KK_BOOL);
    assert_int_equal(kk_resolve_plain("Off"), KK_BOOL);
    assert_int_equal(kk_resolve_plain("~"), KK_NULL);
    assert_int_equal(kk_resolve_plain("10"), KK_INT);
    assert_int_equal(kk_resolve_plain("0x1F"), KK_INT);
    assert_int_equal(kk_resolve_plain("1.5e3"), KK_FLOAT);
    assert_int_equal(kk_resolve_plain(".inf"), KK_FLOAT);
    assert_int_equal(kk_resolve_plain("500m"), KK_STRING);
    assert_int_equal(kk_resolve_plain("0 8 * * *"), KK_STRING);
    double x;
    assert_true(kk_parse_number("-2.5", &x) && x == -2.5);
    assert_false(kk_parse_number("nan", &x));
    assert_false(kk_parse_number("1e999", &x));
}

#endif

/* CRD cases of test_keda.c: everything the generator writes validates against KEDA's CRDs
 * (strict), the validator itself refuses what the API server would, and the linter's compact
 * schema matches the CRDs. Included once, after the shared helpers. */
#ifndef KAIROS_TEST_KEDA_CRD_CASES_H
#define KAIROS_TEST_KEDA_CRD_CASES_H

/* ------------------------------------------------------------------ CRD matrix --------- */

static void every_generated_scaled_object_validates_against_the_crd(void **state)
{
    (void)state;
    int64_t ts[72];
    int32_t r[72];
    kairos_keda_plan p;
    hourly_plan(&p, ts, r, 72, 1767225600);
    kairos_keda_kv kafka_md[] = {{"bootstrapServers", "kafka:9092"}, {"consumerGroup", "web"},
                                 {"topic", "orders"}, {"lagThreshold", "50"},
                                 {"activationLagThreshold", "5"}};
    kairos_keda_trigger kafka = {"kafka", "orders-lag", "AverageValue", kafka_md, 5, "kafka-auth",
                                 0, 1};
    static const char *const zones[] = {NULL, "+02:00", "Europe/Paris"};
    size_t validated = 0;
    for (int mode = 0; mode <= KAIROS_KEDA_MODE_MEMORY; mode++)
        for (int behavior = 0; behavior < 2; behavior++)
            for (int fallback = 0; fallback < 2; fallback++)
                for (int auth = 0; auth < 3; auth++)
                    for (int extra = 0; extra < 2; extra++)
                        for (int variant = 0; variant < 3; variant++) {
            int cm = mode == KAIROS_KEDA_MODE_CPU || mode == KAIROS_KEDA_MODE_MEMORY;
            kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
            o.name = "checkout-api";
            o.ns = variant == 1 ? NULL : "shop";
            o.mode = (kairos_keda_mode)mode;
            o.timezone = zones[variant];
            o.max_windows = variant == 2 ? 3 : 0;
            o.min_replicas = variant == 0 && !cm ? 0 : 2;
            o.idle_replicas = variant == 2 ? 0 : -1;
            o.max_replicas = variant == 1 ? 5 : 40; /* 5 is below the peak: raised */
            o.polling_interval_s = variant == 0 ? -1 : 15;
            o.cooldown_period_s = o.min_replicas == 0 ? 120 : -1;
            o.initial_cooldown_period_s = variant == 2 ? 60 : -1;
            if (behavior) {
                o.max_up_factor = 2;
                o.max_down_fraction = 0.25;
                o.stabilization_s = 600;
                o.policy_period_s = variant == 1 ? 60 : 0;
            }
            if (fallback && !cm) {
                o.fallback_replicas = 6;
                o.fallback_failure_threshold = 3;
            }
            if (auth && mode != KAIROS_KEDA_MODE_CRON) {
                o.auth_name = "kairos-auth";
                o.auth_cluster = auth == 2;
            }
            o.scaler_address = "kairos-scaler.keda.svc:9090";
            o.external_metric = variant ? "requests" : NULL;
            o.external_push = variant == 2;
            o.prometheus_server = "http://prometheus:9090";
            o.query = "sum(rate(http_requests_total[2m]))";
            o.target_per_replica = cm ? (mode == KAIROS_KEDA_MODE_CPU ? 0.8 : 3e8) : 150;
            o.cpu_request_cores = variant == 1 ? 0 : 1;
            o.memory_request_bytes = variant == 1 ? 0 : 1e9;
            o.headroom = 1.25;
            if (extra) {
                o.extra_triggers = &kafka;
                o.n_extra_triggers = 1;
                if (variant == 1) {
                    o.scaling_formula = "max(kairos_load, orders_lag)";
                    o.scaling_target = "100";
                }
            }
            kairos_buf b = KAIROS_BUF_INIT;
            kairos_keda_report rep;
            int rc = kairos_keda_scaled_object(&p, &o, &b, &rep);
            if (rc)
                fail_msg("mode %d behavior %d fallback %d auth %d extra %d variant %d: %s", mode,
                         behavior, fallback, auth, extra, variant, kairos_last_error());
            assert_true(rep.max_replicas >= rep.peak_replicas);
            assert_valid_against_crd(&b);
            assert_lints_clean(&b);
            kairos_buf_dispose(&b);
            validated++;
        }
    assert_int_equal(validated, 5 * 2 * 2 * 3 * 2 * 3);
}

static void other_resources_validate_against_their_crds(void **state)
{
    (void)state;
    kairos_buf b = KAIROS_BUF_INIT;
    /* ScaledJob */
    kairos_keda_kv sqs_md[] = {{"queueURL", "https://sqs.eu-west-1.amazonaws.com/1/jobs"},
                               {"awsRegion", "eu-west-1"}, {"queueLength", "5"},
                               {"activationQueueLength", "1"}};
    kairos_keda_trigger sqs = {"aws-sqs-queue", "jobs", NULL, sqs_md, 4, "aws-irsa", 1, 0};
    const char *args[] = {"--batch", "10"};
    kairos_keda_sj_opts sj = KAIROS_KEDA_SJ_OPTS_INIT;
    sj.name = "report-worker";
    sj.ns = "batch";
    sj.image = "registry.example.com/report:1.4";
    sj.args = args;
    sj.n_args = 2;
    sj.triggers = &sqs;
    sj.n_triggers = 1;
    assert_int_equal(kairos_keda_scaled_job(&sj, &b), KAIROS_OK);
    sj.polling_interval_s = 20;
    sj.max_replicas = 30;
    sj.min_replicas = 0;
    sj.successful_jobs_history = 5;
    sj.failed_jobs_history = 5;
    sj.scaling_strategy = "accurate";
    sj.backoff_limit = 2;
    assert_int_equal(kairos_keda_scaled_job(&sj, &b), KAIROS_OK);
    /* TriggerAuthentication: secrets + env, azure-workload; ClusterTriggerAuthentication: aws */
    kairos_keda_secret_ref sec[] = {{"password", "kafka-credentials", "password"},
                                    {"username", "kafka-credentials", "username"}};
    kairos_keda_env_ref env[] = {{"host", "RABBIT_HOST", "app"}, {"vhostName", "VHOST", NULL}};
    kairos_keda_auth_opts au = KAIROS_KEDA_AUTH_OPTS_INIT;
    au.name = "kafka-auth";
    au.ns = "shop";
    au.secrets = sec;
    au.n_secrets = 2;
    au.env = env;
    au.n_env = 2;
    au.identity = KAIROS_KEDA_IDENTITY_AZURE_WORKLOAD;
    au.identity_id = "00000000-0000-0000-0000-000000000001";
    au.identity_tenant_id = "00000000-0000-0000-0000-000000000002";
    assert_int_equal(kairos_keda_trigger_auth(&au, &b), KAIROS_OK);
    kairos_keda_auth_opts ca = KAIROS_KEDA_AUTH_OPTS_INIT;
    ca.name = "aws-irsa";
    ca.cluster = 1;
    ca.identity = KAIROS_KEDA_IDENTITY_AWS;
    ca.role_arn = "arn:aws:iam::123456789012:role/keda";
    ca.identity_owner = "keda";
    assert_int_equal(kairos_keda_trigger_auth(&ca, &b), KAIROS_OK);
    /* HTTPScaledObject */
    const char *hosts[] = {"shop.example.com"};
    const char *paths[] = {"/api"};
    kairos_keda_http_opts ht = KAIROS_KEDA_HTTP_OPTS_INIT;
    ht.name = "storefront";
    ht.ns = "shop";
    ht.hosts = hosts;
    ht.n_hosts = 1;
    ht.path_prefixes = paths;
    ht.n_path_prefixes = 1;
    ht.service = "storefront";
    ht.port = 8080;
    ht.min_replicas = 1;
    ht.max_replicas = 20;
    ht.scaledown_period_s = 300;
    ht.target_per_replica = 60;
    ht.headroom = 1.2;
    ht.window = "1m";
    assert_int_equal(kairos_keda_http_scaled_object(&ht, &b), KAIROS_OK);
    ht.concurrency = 1;
    assert_int_equal(kairos_keda_http_scaled_object(&ht, &b), KAIROS_OK);
    assert_valid_against_crd(&b); /* six documents, four kinds */
    assert_lints_clean(&b);
    kk_docs d = parse_buf(&b);
    assert_int_equal(d.n, 6);
    assert_string_equal(at_str(d.docs[4], "spec.scalingMetric.requestRate.targetValue"), "50");
    assert_null(at_str(d.docs[3], "metadata.namespace"));
    kk_docs_free(&d);
    kairos_buf_dispose(&b);
    /* refusals */
    ht.max_replicas = 1;
    assert_int_equal(kairos_keda_http_scaled_object(&ht, &b), KAIROS_EINVAL);
    au.n_secrets = au.n_env = 0;
    au.identity = KAIROS_KEDA_IDENTITY_NONE;
    assert_int_equal(kairos_keda_trigger_auth(&au, &b), KAIROS_EINVAL);
    sj.image = NULL;
    assert_int_equal(kairos_keda_scaled_job(&sj, &b), KAIROS_EINVAL);
    assert_null(b.data);
}

static void every_resource_variant_validates_against_its_crd(void **state)
{
    (void)state;
    static const char *const strategies[] = {NULL, "default", "custom", "accurate", "eager"};
    kairos_keda_kv md[] = {{"host", "amqp://rabbitmq.shop:5672"}, {"queueName", "jobs"},
                           {"mode", "QueueLength"}, {"value", "10"}, {"activationValue", "1"}};
    kairos_keda_kv cron_md[] = {{"timezone", "Etc/UTC"}, {"start", "0 8 * * *"},
                                {"end", "0 18 * * *"}, {"desiredReplicas", "2"}};
    kairos_keda_trigger triggers[2] = {{"rabbitmq", "queue", "AverageValue", md, 5, "rabbit", 0, 1},
                                       {"cron", NULL, NULL, cron_md, 4, NULL, 0, 0}};
    size_t validated = 0;
    for (size_t st = 0; st < 5; st++)
        for (int counts = 0; counts < 2; counts++) {
            kairos_keda_sj_opts sj = KAIROS_KEDA_SJ_OPTS_INIT;
            sj.name = "worker";
            sj.ns = counts ? "batch" : NULL;
            sj.image = "registry.example.com/worker@sha256:0123";
            sj.container_name = counts ? "main" : NULL;
            sj.scaling_strategy = strategies[st];
            sj.triggers = triggers;
            sj.n_triggers = counts ? 2 : 1;
            if (counts) {
                sj.polling_interval_s = 10;
                sj.min_replicas = 0;
                sj.max_replicas = 50;
                sj.successful_jobs_history = 0;
                sj.failed_jobs_history = 3;
                sj.backoff_limit = 0;
            }
            kairos_buf b = KAIROS_BUF_INIT;
            assert_int_equal(kairos_keda_scaled_job(&sj, &b), KAIROS_OK);
            assert_valid_against_crd(&b);
            assert_lints_clean(&b);
            kairos_buf_dispose(&b);
            validated++;
        }
    kairos_keda_secret_ref sec[] = {{"password", "rabbit-secret", "password"}};
    kairos_keda_env_ref env[] = {{"host", "RABBIT_HOST", NULL}};
    for (int id = 0; id <= KAIROS_KEDA_IDENTITY_AWS_EKS; id++)
        for (int cluster = 0; cluster < 2; cluster++)
            for (int refs = 0; refs < 3; refs++) {
                if (id == KAIROS_KEDA_IDENTITY_NONE && refs == 0)
                    continue; /* nothing to authenticate with: refused, tested elsewhere */
                kairos_keda_auth_opts au = KAIROS_KEDA_AUTH_OPTS_INIT;
                au.name = "rabbit";
                au.ns = "shop";
                au.cluster = cluster;
                au.identity = (kairos_keda_identity)id;
                au.secrets = sec;
                au.n_secrets = refs >= 1;
                au.env = env;
                au.n_env = refs == 2;
                if (id == KAIROS_KEDA_IDENTITY_AZURE_WORKLOAD) {
                    au.identity_id = "00000000-0000-0000-0000-000000000003";
                    au.identity_tenant_id = "00000000-0000-0000-0000-000000000004";
                } else if (id == KAIROS_KEDA_IDENTITY_AWS || id == KAIROS_KEDA_IDENTITY_AWS_EKS) {
                    au.role_arn = "arn:aws:iam::123456789012:role/keda";
                    au.identity_owner = refs ? "workload" : "keda";
                }
                kairos_buf b = KAIROS_BUF_INIT;
                assert_int_equal(kairos_keda_trigger_auth(&au, &b), KAIROS_OK);
                assert_valid_against_crd(&b);
                if (id != KAIROS_KEDA_IDENTITY_AWS_EKS) /* aws-eks lints as deprecated */
                    assert_lints_clean(&b);
                kairos_buf_dispose(&b);
                validated++;
            }
    const char *hosts[] = {"a.example.com", "b.example.com"};
    const char *paths[] = {"/", "/api/v2"};
    for (int conc = 0; conc < 2; conc++)
        for (int lists = 0; lists < 3; lists++) {
            kairos_keda_http_opts ht = KAIROS_KEDA_HTTP_OPTS_INIT;
            ht.name = "web";
            ht.ns = lists ? "shop" : NULL;
            ht.service = "web-svc";
            ht.target_name = lists == 2 ? "web-deployment" : NULL;
            ht.hosts = hosts;
            ht.n_hosts = (size_t)lists;
            ht.path_prefixes = paths;
            ht.n_path_prefixes = lists == 2 ? 2 : 0;
            ht.concurrency = conc;
            ht.window = lists ? "2m" : NULL;
            ht.scaledown_period_s = lists ? 120 : -1;
            ht.min_replicas = lists == 1 ? 0 : 2;
            ht.max_replicas = 30;
            ht.target_per_replica = 25;
            kairos_buf b = KAIROS_BUF_INIT;
            assert_int_equal(kairos_keda_http_scaled_object(&ht, &b), KAIROS_OK);
            assert_valid_against_crd(&b);
            assert_lints_clean(&b);
            kairos_buf_dispose(&b);
            validated++;
        }
    assert_int_equal(validated, 10 + 28 + 6);
}

/* The linter's compact schema must say exactly what the CRDs say. */
static void compare_table(const kk_sfield *fields, const kk_node *schema, const char *path)
{
    const kk_node *props = kk_get(schema, "properties");
    char sub[512];
    for (const kk_sfield *f = fields; f->name; f++) {
        snprintf(sub, sizeof sub, "%s.%s", path, f->name);
        const kk_node *ps = kk_get(props, f->name);
        if (!ps)
            fail_msg("%s is in the linter table but not in the CRD", sub);
        const kk_node *req = kk_get(schema, "required");
        int crd_req = 0;
        for (size_t i = 0; req && i < req->n; i++)
            crd_req |= !strcmp(req->items[i]->str, f->name);
        if (crd_req != f->required)
            fail_msg("%s: required differs (CRD %d, table %d)", sub, crd_req, f->required);
        const char *type = kk_get_str(ps, "type");
        const char *want = NULL;
        switch (f->type) {
        case KS_STR: want = "string"; break;
        case KS_INT:
        case KS_INT64:
            want = "integer";
            /* the table's int32/int64 split follows the CRD's format */
            if ((f->type == KS_INT) != (kk_get_str(ps, "format") &&
                                        !strcmp(kk_get_str(ps, "format"), "int32")))
                fail_msg("%s: int32 in the table and the CRD's format differ", sub);
            break;
        case KS_BOOL: want = "boolean"; break;
        case KS_OBJ: case KS_MAP_STR: want = "object"; break;
        case KS_ARR_OBJ: case KS_ARR_STR: want = "array"; break;
        case KS_INT_STR: want = kk_get_str(ps, "x-kubernetes-int-or-string") ? NULL : "?"; break;
        case KS_ANY: want = NULL; break;
        }
        if (want && (!type || strcmp(type, want)))
            fail_msg("%s: CRD type %s, table %s", sub, type ? type : "(none)", want);
        if (f->type == KS_OBJ)
            compare_table(f->sub, ps, sub);
        if (f->type == KS_ARR_OBJ)
            compare_table(f->sub, kk_get(ps, "items"), sub);
        if (f->type == KS_MAP_STR)
            assert_string_equal(at_str(ps, "additionalProperties.type"), "string");
    }
    for (size_t i = 0; props && i < props->n; i++) {
        const kk_sfield *f = fields;
        while (f->name && strcmp(f->name, props->keys[i]->str))
            f++;
        if (!f->name)
            fail_msg("%s.%s is in the CRD but not in the linter table", path, props->keys[i]->str);
    }
}

static void linter_schema_tables_match_the_crds(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++) {
        const kk_node *schema = crd_schema(crds[i].docs[0]);
        assert_non_null(schema);
        compare_table(kk_schema_for(crd_kinds[i]), schema, crd_kinds[i]);
    }
}


static void the_crd_validator_catches_violations(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "spec: {scaleTargetRef: {name: w}, triggers: [{type: cpu, metadata: {value: \"1\"}}], "
        "maxReplicas: 3}",                                                /* unknown field */
        "spec: {scaleTargetRef: {name: w}, triggers: [{type: cpu, metadata: {value: 60}}]}",
        "spec: {scaleTargetRef: {name: w}, triggers: []}",                 /* minItems */
        "spec: {scaleTargetRef: {name: w}, pollingInterval: 0, triggers: [{type: x, metadata: {}}]}",
        "spec: {scaleTargetRef: {}, triggers: [{type: x, metadata: {}}]}", /* required name */
        "spec: {scaleTargetRef: {name: w}, minReplicaCount: \"2\", triggers: [{type: x, "
        "metadata: {}}]}",
        "spec: {scaleTargetRef: {name: w}, triggers: [{type: x, metadata: {}, useCachedMetrics: "
        "yes}]}",
        "metadata: {name: w, finalizer: x}\nspec: {scaleTargetRef: {name: w}, triggers: [{type: x, "
        "metadata: {}}]}",
        "spec: {scaleTargetRef: {name: w}, advanced: {horizontalPodAutoscalerConfig: {behavior: "
        "{scaleUp: {tolerance: abc}}}}, triggers: [{type: x, metadata: {}}]}", /* pattern */
        "spec: {scaleTargetRef: {name: w}, triggers: [{type: x, metadata: {}, authenticationRef: "
        "{name: a, kind: Secret}}]}",                                      /* enum */
    };
    const kk_node *schema = crd_schema(crds[0].docs[0]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kk_docs d;
        assert_int_equal(kk_parse(bad[i], strlen(bad[i]), &d), KAIROS_OK);
        crd_errors e;
        memset(&e, 0, sizeof e);
        crd_validate(schema, d.docs[0], "", 1, &e);
        if (e.n == 0)
            fail_msg("validator accepted case %zu: %s", i, bad[i]);
        kk_docs_free(&d);
    }
    const char *good = "spec: {scaleTargetRef: {name: w}, advanced: {horizontalPodAutoscalerConfig: "
                       "{behavior: {scaleUp: {tolerance: 500m}}}}, triggers: [{type: x, metadata: "
                       "{a: \"1\"}}]}";
    kk_docs d;
    assert_int_equal(kk_parse(good, strlen(good), &d), KAIROS_OK);
    crd_errors e;
    memset(&e, 0, sizeof e);
    crd_validate(schema, d.docs[0], "", 1, &e);
    if (e.n)
        fail_msg("validator refused a valid object: %s", e.text);
    kk_docs_free(&d);
}

#endif

/* ScaledJob, TriggerAuthentication / ClusterTriggerAuthentication, HTTPScaledObject, and the
 * Kubernetes name rules every generator applies. */
#include "keda_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int alnum_lower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int kairos_keda_check_name(const char *name, const char *what)
{
    if (!what)
        what = "name";
    if (!name || !*name)
        return kairos__fail(KAIROS_EINVAL, "%s is empty", what);
    size_t n = strlen(name);
    if (n > 63)
        return kairos__fail(KAIROS_EINVAL, "%s '%.63s...' has %zu characters; at most 63 allowed "
                                           "(DNS-1123 label)", what, name, n);
    for (size_t i = 0; i < n; i++)
        if (!alnum_lower(name[i]) && name[i] != '-')
            return kairos__fail(KAIROS_EINVAL, "%s '%s': character %zu ('%c') is not a lowercase "
                                               "letter, digit or '-' (DNS-1123 label)",
                                what, name, i + 1, name[i]);
    if (!alnum_lower(name[0]) || !alnum_lower(name[n - 1]))
        return kairos__fail(KAIROS_EINVAL, "%s '%s' must start and end with a letter or digit "
                                           "(DNS-1123 label)", what, name);
    return KAIROS_OK;
}

int kk_check_subdomain(const char *s, const char *what)
{
    if (!s || !*s || strlen(s) > 253)
        return kairos__fail(KAIROS_EINVAL, "%s must have 1 to 253 characters", what);
    const char *p = s;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0 || n > 63 || !alnum_lower(p[0]) || !alnum_lower(p[n - 1]))
            return kairos__fail(KAIROS_EINVAL, "%s '%s' is not a DNS-1123 subdomain", what, s);
        for (size_t i = 0; i < n; i++)
            if (!alnum_lower(p[i]) && p[i] != '-')
                return kairos__fail(KAIROS_EINVAL, "%s '%s' is not a DNS-1123 subdomain", what, s);
        if (!dot)
            return KAIROS_OK;
        p = dot + 1;
    }
}

/* ---- ScaledJob ---- */

int kairos_keda_sj_opts_init(kairos_keda_sj_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "options are NULL");
    int rc = kairos__check_version(version, KAIROS_KEDA_SJ_OPTS_VERSION, "kairos_keda_sj_opts");
    if (!rc)
        *opts = (kairos_keda_sj_opts)KAIROS_KEDA_SJ_OPTS_INIT;
    return rc;
}

static int check_sj(const kairos_keda_sj_opts *o)
{
    int rc = kairos__check_version(o->version, KAIROS_KEDA_SJ_OPTS_VERSION, "kairos_keda_sj_opts");
    if (!rc)
        rc = kairos_keda_check_name(o->name, "ScaledJob name");
    if (!rc && o->ns)
        rc = kairos_keda_check_name(o->ns, "namespace");
    if (!rc && o->container_name)
        rc = kairos_keda_check_name(o->container_name, "container name");
    if (rc)
        return rc;
    if (!o->image || !*o->image)
        return kairos__fail(KAIROS_EINVAL, "ScaledJob needs a container image");
    if (!o->triggers || o->n_triggers == 0)
        return kairos__fail(KAIROS_EINVAL, "ScaledJob needs at least one trigger");
    if ((o->n_args && !o->args) || o->polling_interval_s == 0 || o->polling_interval_s < -1 ||
        o->min_replicas < -1 || o->max_replicas < -1 || o->successful_jobs_history < -1 ||
        o->failed_jobs_history < -1 || o->backoff_limit < -1)
        return kairos__fail(KAIROS_EINVAL, "ScaledJob counts must be >= 0 (polling >= 1), or -1");
    if (o->min_replicas >= 0 && o->max_replicas >= 0 && o->min_replicas > o->max_replicas)
        return kairos__fail(KAIROS_EINVAL, "minReplicaCount is above maxReplicaCount");
    static const char *const strategies[] = {"default", "custom", "accurate", "eager", NULL};
    if (o->scaling_strategy) {
        const char *const *s = strategies;
        while (*s && strcmp(*s, o->scaling_strategy) != 0)
            s++;
        if (!*s)
            return kairos__fail(KAIROS_EINVAL, "unknown scaling strategy '%s'", o->scaling_strategy);
    }
    for (size_t i = 0; i < o->n_triggers; i++) {
        if ((rc = kk_check_trigger(&o->triggers[i], i)) != KAIROS_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (o->triggers[i].name && o->triggers[j].name &&
                strcmp(o->triggers[i].name, o->triggers[j].name) == 0)
                return kairos__fail(KAIROS_EINVAL, "trigger name '%s' is used twice",
                                    o->triggers[i].name);
    }
    return KAIROS_OK;
}

int kairos_keda_scaled_job(const kairos_keda_sj_opts *o, kairos_buf *out)
{
    if (!o || !out)
        return kairos__fail(KAIROS_EINVAL, "options and output buffer are required");
    int rc = check_sj(o);
    if (rc)
        return rc;
    kk_emit e;
    kk_emit_start(&e);
    kk_header(&e, "keda.sh/v1alpha1", "ScaledJob", o->name, o->ns);
    kk_map(&e);
    kk_str(&e, "jobTargetRef");
    kk_map(&e);
    if (o->backoff_limit >= 0)
        kk_kint(&e, "backoffLimit", o->backoff_limit);
    kk_str(&e, "template");
    kk_map(&e);
    kk_str(&e, "spec");
    kk_map(&e);
    kk_kstr(&e, "restartPolicy", "Never");
    kk_str(&e, "containers");
    kk_seq(&e);
    kk_map(&e);
    kk_kstr(&e, "name", o->container_name ? o->container_name : o->name);
    kk_kstr(&e, "image", o->image);
    if (o->n_args) {
        kk_str(&e, "args");
        kk_seq(&e);
        for (size_t i = 0; i < o->n_args; i++)
            kk_qstr(&e, o->args[i]);
        kk_seq_end(&e);
    }
    kk_map_end(&e);
    kk_seq_end(&e);
    kk_map_end(&e);
    kk_map_end(&e);
    kk_map_end(&e);
    if (o->polling_interval_s >= 0)
        kk_kint(&e, "pollingInterval", o->polling_interval_s);
    if (o->successful_jobs_history >= 0)
        kk_kint(&e, "successfulJobsHistoryLimit", o->successful_jobs_history);
    if (o->failed_jobs_history >= 0)
        kk_kint(&e, "failedJobsHistoryLimit", o->failed_jobs_history);
    if (o->min_replicas >= 0)
        kk_kint(&e, "minReplicaCount", o->min_replicas);
    if (o->max_replicas >= 0)
        kk_kint(&e, "maxReplicaCount", o->max_replicas);
    if (o->scaling_strategy) {
        kk_str(&e, "scalingStrategy");
        kk_map(&e);
        kk_kstr(&e, "strategy", o->scaling_strategy);
        kk_map_end(&e);
    }
    kk_str(&e, "triggers");
    kk_seq(&e);
    for (size_t i = 0; i < o->n_triggers; i++)
        kk_trigger(&e, &o->triggers[i]);
    kk_seq_end(&e);
    kk_map_end(&e);
    kk_map_end(&e);
    return kk_emit_finish(&e, out);
}

/* ---- TriggerAuthentication ---- */

int kairos_keda_auth_opts_init(kairos_keda_auth_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "options are NULL");
    int rc = kairos__check_version(version, KAIROS_KEDA_AUTH_OPTS_VERSION, "kairos_keda_auth_opts");
    if (!rc)
        *opts = (kairos_keda_auth_opts)KAIROS_KEDA_AUTH_OPTS_INIT;
    return rc;
}

static const char *identity_name(kairos_keda_identity id)
{
    switch (id) {
    case KAIROS_KEDA_IDENTITY_AZURE_WORKLOAD: return "azure-workload";
    case KAIROS_KEDA_IDENTITY_AWS:            return "aws";
    case KAIROS_KEDA_IDENTITY_GCP:            return "gcp";
    case KAIROS_KEDA_IDENTITY_AWS_EKS:        return "aws-eks";
    default:                                  return NULL;
    }
}

static int check_auth(const kairos_keda_auth_opts *o)
{
    int rc = kairos__check_version(o->version, KAIROS_KEDA_AUTH_OPTS_VERSION,
                                   "kairos_keda_auth_opts");
    if (!rc)
        rc = kairos_keda_check_name(o->name, "TriggerAuthentication name");
    if (!rc && o->ns && !o->cluster)
        rc = kairos_keda_check_name(o->ns, "namespace");
    if (rc)
        return rc;
    if ((o->n_secrets && !o->secrets) || (o->n_env && !o->env))
        return kairos__fail(KAIROS_EINVAL, "secret/env counts without arrays");
    if (o->identity != KAIROS_KEDA_IDENTITY_NONE && !identity_name(o->identity))
        return kairos__fail(KAIROS_EINVAL, "unknown pod identity provider %d", (int)o->identity);
    if (!o->n_secrets && !o->n_env && o->identity == KAIROS_KEDA_IDENTITY_NONE)
        return kairos__fail(KAIROS_EINVAL, "a TriggerAuthentication needs secrets, env or a pod "
                                           "identity");
    if (o->identity_owner && strcmp(o->identity_owner, "keda") && strcmp(o->identity_owner, "workload"))
        return kairos__fail(KAIROS_EINVAL, "identity owner must be 'keda' or 'workload'");
    for (size_t i = 0; i < o->n_secrets; i++) {
        const kairos_keda_secret_ref *s = &o->secrets[i];
        if (!s->parameter || !*s->parameter || !s->key || !*s->key)
            return kairos__fail(KAIROS_EINVAL, "secret reference %zu needs a parameter and a key",
                                i + 1);
        if ((rc = kk_check_subdomain(s->secret, "secret name")) != KAIROS_OK)
            return rc;
    }
    for (size_t i = 0; i < o->n_env; i++)
        if (!o->env[i].parameter || !*o->env[i].parameter || !o->env[i].env_name ||
            !*o->env[i].env_name)
            return kairos__fail(KAIROS_EINVAL, "env reference %zu needs a parameter and a name",
                                i + 1);
    return KAIROS_OK;
}

int kairos_keda_trigger_auth(const kairos_keda_auth_opts *o, kairos_buf *out)
{
    if (!o || !out)
        return kairos__fail(KAIROS_EINVAL, "options and output buffer are required");
    int rc = check_auth(o);
    if (rc)
        return rc;
    kk_emit e;
    kk_emit_start(&e);
    kk_header(&e, "keda.sh/v1alpha1",
              o->cluster ? "ClusterTriggerAuthentication" : "TriggerAuthentication", o->name,
              o->cluster ? NULL : o->ns);
    kk_map(&e);
    if (o->identity != KAIROS_KEDA_IDENTITY_NONE) {
        kk_str(&e, "podIdentity");
        kk_map(&e);
        kk_kstr(&e, "provider", identity_name(o->identity));
        if (o->identity_id)
            kk_kstr(&e, "identityId", o->identity_id);
        if (o->identity_tenant_id)
            kk_kstr(&e, "identityTenantId", o->identity_tenant_id);
        if (o->role_arn)
            kk_kstr(&e, "roleArn", o->role_arn);
        if (o->identity_owner)
            kk_kstr(&e, "identityOwner", o->identity_owner);
        kk_map_end(&e);
    }
    if (o->n_secrets) {
        kk_str(&e, "secretTargetRef");
        kk_seq(&e);
        for (size_t i = 0; i < o->n_secrets; i++) {
            kk_map(&e);
            kk_kstr(&e, "parameter", o->secrets[i].parameter);
            kk_kstr(&e, "name", o->secrets[i].secret);
            kk_kstr(&e, "key", o->secrets[i].key);
            kk_map_end(&e);
        }
        kk_seq_end(&e);
    }
    if (o->n_env) {
        kk_str(&e, "env");
        kk_seq(&e);
        for (size_t i = 0; i < o->n_env; i++) {
            kk_map(&e);
            kk_kstr(&e, "parameter", o->env[i].parameter);
            kk_kstr(&e, "name", o->env[i].env_name);
            if (o->env[i].container)
                kk_kstr(&e, "containerName", o->env[i].container);
            kk_map_end(&e);
        }
        kk_seq_end(&e);
    }
    kk_map_end(&e);
    kk_map_end(&e);
    return kk_emit_finish(&e, out);
}

/* ---- HTTPScaledObject ---- */

int kairos_keda_http_opts_init(kairos_keda_http_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "options are NULL");
    int rc = kairos__check_version(version, KAIROS_KEDA_HTTP_OPTS_VERSION, "kairos_keda_http_opts");
    if (!rc)
        *opts = (kairos_keda_http_opts)KAIROS_KEDA_HTTP_OPTS_INIT;
    return rc;
}

static void str_list(kk_emit *e, const char *key, const char *const *v, size_t n)
{
    if (!n)
        return;
    kk_str(e, key);
    kk_seq(e);
    for (size_t i = 0; i < n; i++)
        kk_str(e, v[i]);
    kk_seq_end(e);
}

int kairos_keda_http_scaled_object(const kairos_keda_http_opts *o, kairos_buf *out)
{
    if (!o || !out)
        return kairos__fail(KAIROS_EINVAL, "options and output buffer are required");
    int rc = kairos__check_version(o->version, KAIROS_KEDA_HTTP_OPTS_VERSION,
                                   "kairos_keda_http_opts");
    if (!rc)
        rc = kairos_keda_check_name(o->name, "HTTPScaledObject name");
    if (!rc && o->ns)
        rc = kairos_keda_check_name(o->ns, "namespace");
    if (!rc)
        rc = kairos_keda_check_name(o->service, "service name");
    if (!rc && o->target_name)
        rc = kk_check_subdomain(o->target_name, "scale target name");
    if (rc)
        return rc;
    if ((o->n_hosts && !o->hosts) || (o->n_path_prefixes && !o->path_prefixes))
        return kairos__fail(KAIROS_EINVAL, "host/path counts without arrays");
    for (size_t i = 0; i < o->n_hosts; i++)
        if (!o->hosts[i] || !*o->hosts[i])
            return kairos__fail(KAIROS_EINVAL, "host %zu is empty", i + 1);
    for (size_t i = 0; i < o->n_path_prefixes; i++)
        if (!o->path_prefixes[i] || o->path_prefixes[i][0] != '/')
            return kairos__fail(KAIROS_EINVAL, "path prefix %zu must start with '/'", i + 1);
    if (o->port < 1 || o->port > 65535 || o->min_replicas < 0 || o->max_replicas <= o->min_replicas
        || o->scaledown_period_s < -1)
        return kairos__fail(KAIROS_EINVAL, "HTTPScaledObject needs port 1..65535 and "
                                           "0 <= min < max replicas");
    double headroom = o->headroom > 0 ? o->headroom : 1.0;
    double target = ceil(o->target_per_replica / headroom - 1e-9);
    if (!(target >= 1 && target <= 1e9))
        return kairos__fail(KAIROS_EINVAL, "target per replica must give a target of at least 1");
    kk_emit e;
    kk_emit_start(&e);
    kk_header(&e, "http.keda.sh/v1alpha1", "HTTPScaledObject", o->name, o->ns);
    kk_map(&e);
    str_list(&e, "hosts", o->hosts, o->n_hosts);
    str_list(&e, "pathPrefixes", o->path_prefixes, o->n_path_prefixes);
    kk_str(&e, "scaleTargetRef");
    kk_map(&e);
    kk_kstr(&e, "apiVersion", "apps/v1");
    kk_kstr(&e, "kind", "Deployment");
    kk_kstr(&e, "name", o->target_name ? o->target_name : o->name);
    kk_kstr(&e, "service", o->service);
    kk_kint(&e, "port", o->port);
    kk_map_end(&e);
    kk_str(&e, "replicas");
    kk_map(&e);
    kk_kint(&e, "min", o->min_replicas);
    kk_kint(&e, "max", o->max_replicas);
    kk_map_end(&e);
    if (o->scaledown_period_s >= 0)
        kk_kint(&e, "scaledownPeriod", o->scaledown_period_s);
    kk_str(&e, "scalingMetric");
    kk_map(&e);
    kk_str(&e, o->concurrency ? "concurrency" : "requestRate");
    kk_map(&e);
    kk_kint(&e, "targetValue", (long long)target);
    if (!o->concurrency && o->window) {
        kk_kstr(&e, "window", o->window);
        kk_kstr(&e, "granularity", "1s");
    }
    kk_map_end(&e);
    kk_map_end(&e);
    kk_map_end(&e);
    kk_map_end(&e);
    return kk_emit_finish(&e, out);
}

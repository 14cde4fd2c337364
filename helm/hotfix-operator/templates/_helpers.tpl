{{/* The chart name, or nameOverride. */}}
{{- define "hotfix-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every resource name: fullnameOverride, else <release>-<chart> unless the release name already says it. */}}
{{- define "hotfix-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels that select the operator pods (stable across upgrades). */}}
{{- define "hotfix-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hotfix-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object of the release. */}}
{{- define "hotfix-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "hotfix-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hotfix-operator
{{- end }}

{{- define "hotfix-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hotfix-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" when ServiceMonitor/PrometheusRule may be rendered: the cluster serves the Prometheus Operator's API, or monitoringApi.force. */}}
{{- define "hotfix-operator.monitoringApi" -}}
{{- if or .Values.monitoringApi.force (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") }}true{{- end }}
{{- end }}

{{/*
Where the webhook's serving certificate comes from: secret (webhook.tls), certManager (enabled
and served by the cluster, or forced) or generated (by Helm, into a Secret of the release).
*/}}
{{- define "hotfix-operator.webhookCertSource" -}}
{{- if .Values.webhook.tls.secretName -}}
secret
{{- else if and .Values.webhook.certManager.enabled (or .Values.webhook.certManager.force (.Capabilities.APIVersions.Has "cert-manager.io/v1")) -}}
certManager
{{- else -}}
generated
{{- end -}}
{{- end }}

{{/* The Secret holding the webhook's serving certificate (tls.crt, tls.key). */}}
{{- define "hotfix-operator.webhookSecretName" -}}
{{- default (printf "%s-webhook-tls" (include "hotfix-operator.fullname" .)) .Values.webhook.tls.secretName }}
{{- end }}

{{/* The Secret holding the identity key (key). */}}
{{- define "hotfix-operator.identityKeySecretName" -}}
{{- default (printf "%s-identity-key" (include "hotfix-operator.fullname" .)) .Values.webhook.identityKey.secretName }}
{{- end }}

{{/*
The operator's permissions on namespaced resources, the same whether granted cluster-wide (a
ClusterRole) or per watched namespace (a Role). Each verb is one the operator uses; see
docs/install.md "What the operator may do".
*/}}
{{- define "hotfix-operator.namespacedRules" -}}
{{- /* Exactly what the operator requests (ChartRbacScenarioTest compares the two): informers
list and watch, single objects are read only where the code reads them. */}}
# Hotfixes: watched (primary and "rivals" informers), read by the webhook, finalizer added and
# removed by patch, status written by PUT /status.
- apiGroups: [hotfix.dev]
  resources: [hotfixes]
  verbs: [get, list, watch, patch]
- apiGroups: [hotfix.dev]
  resources: [hotfixes/status]
  verbs: [update]
- apiGroups: [hotfix.dev]
  resources: [hotfixpolicies]
  verbs: [get, list, watch]
# The operator reports on each policy whether it applies (status.conditions[Ready]), by a
# JSON patch of the status subresource (JOSDK UpdateControl.patchStatus).
- apiGroups: [hotfix.dev]
  resources: [hotfixpolicies/status]
  verbs: [patch]
- apiGroups: [hotfix.dev]
  resources: [hotfixapprovals]
  verbs: [list, watch]
- apiGroups: [hotfix.dev]
  resources: [hotfixapprovals/status]
  verbs: [update]
# The target Deployment is patched (image, strategy, revision annotation), never created or deleted;
# get: a deleted Hotfix's Event on its Deployment names the object by uid.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, patch]
# StatefulSet and DaemonSet targets: the same as a Deployment; their ControllerRevisions hold each revision's
# pod template (what a rollback restores): watched, and the rollback target's read by name in pre-flight.
- apiGroups: [apps]
  resources: [statefulsets, daemonsets]
  verbs: [get, list, watch, patch]
- apiGroups: [apps]
  resources: [controllerrevisions]
  verbs: [get, list, watch]
# ReplicaSets: watched; pre-flight reads the rollback target's by name (the cache can lag a deletion);
# created, scaled to zero and deleted only as a Hotfix's canary (spec.rollout.canary), owned by the Hotfix.
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [get, list, watch, create, patch, delete]
# Pods: watched (pod faults, exposure); deleted only in a StatefulSet's rollback, and only the pods of the
# Hotfix's own revision that are not ready (upstream's "forced rollback": OrderedReady waits on them for ever).
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch, delete]
# Job checks: the smoke-test Job's pod's log tail for the incident report.
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
# Job checks: the PodTemplate a check names, read by name.
- apiGroups: [""]
  resources: [podtemplates]
  verbs: [get]
# HTTP checks: the Service a check names, read by name in pre-flight (it must select the target's pods).
- apiGroups: [""]
  resources: [services]
  verbs: [get]
# Job checks: the smoke-test Jobs, watched (their outcome wakes the Hotfix), created once per attempt (owned by
# the Hotfix; the requester must be allowed to create Jobs too), read by name while the cache lags a create.
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create]
# Pre-flight: a namespace's pod quotas, against which the rollout's first new pod is counted.
- apiGroups: [""]
  resources: [resourcequotas]
  verbs: [list]
# Events on each phase change (core/v1 Events, as operator/EventRecorder writes them).
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# The incident report ConfigMap <hotfix>-report and each target's history hotfix-history-<target>:
# read, written, never listed.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, create, update]
{{- with .Values.rbac.secretNames }}
# Only the Secrets HotfixPolicies name, read by name.
- apiGroups: [""]
  resources: [secrets]
  resourceNames: {{ toJson . }}
  verbs: [get]
{{- end }}
{{- end }}

{{/*
A webhook's clientConfig: the operator Service on 443 at path .path, trusting .caBundle (empty:
cert-manager injects it) (dict "root" $ "path" "/x" "caBundle" $ca).
*/}}
{{- define "hotfix-operator.webhookClient" -}}
service:
  name: {{ include "hotfix-operator.fullname" .root }}
  namespace: {{ .root.Release.Namespace }}
  path: {{ .path }}
  port: 443
{{- with .caBundle }}
caBundle: {{ . }}
{{- end }}
{{- end }}

{{/* What both webhooks share: review version, failure policy, and the watched namespaces only. */}}
{{- define "hotfix-operator.webhookScope" -}}
admissionReviewVersions: [v1]
sideEffects: None
failurePolicy: {{ .Values.webhook.failurePolicy }}
timeoutSeconds: {{ .Values.webhook.timeoutSeconds }}
{{- with .Values.watchNamespaces }}
# Only the watched namespaces: elsewhere no operator acts on these objects.
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: In
      values: {{ toJson . }}
{{- end }}
{{- end }}

{{/* With cert-manager, the annotation that has its CA injector fill in caBundle. */}}
{{- define "hotfix-operator.webhookAnnotations" -}}
{{- if eq (include "hotfix-operator.webhookCertSource" .) "certManager" -}}
annotations:
  # cert-manager's CA injector fills in caBundle from the Certificate's CA.
  cert-manager.io/inject-ca-from: {{ printf "%s/%s-webhook" .Release.Namespace (include "hotfix-operator.fullname" .) }}
{{- end }}
{{- end }}

{{/* The `job` label of the operator's scrape target: what the ServiceMonitor gives (the Service name) unless prometheusRule.job says otherwise. */}}
{{- define "hotfix-operator.job" -}}
{{- default (include "hotfix-operator.fullname" .) .Values.prometheusRule.job }}
{{- end }}

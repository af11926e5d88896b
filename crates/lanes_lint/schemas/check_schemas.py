#!/usr/bin/env python3
"""Dev aid (not CI): check the lanes JSON Schemas.

1. every schemas/*.schema.json parses and is a valid draft 2020-12 schema;
2. every YAML document found under the given paths validates against the
   schema of its kind with zero errors (documents of other kinds are counted
   and skipped);
3. built-in inline samples (kinds the corpora lack) validate;
4. mutated copies with known typos (ASMSwimLaneGroup spec.isPermisive,
   VirtualService spec.http[].timout, ...) are rejected.

Usage:
  python3 schemas/check_schemas.py [PATH ...]
Defaults: /work/shared/corpus/asm-labs/argo-cd/swimlane and /tmp/schema-corpus
(generate the latter with
 python3 /work/shared/bench/gen_corpus.py --groups 4 --out /tmp/schema-corpus --force).
Needs: pip install jsonschema pyyaml
Exit status 0 when everything passed, 1 otherwise.
"""
import copy
import datetime
import glob
import json
import os
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PATHS = ["/work/shared/corpus/asm-labs/argo-cd/swimlane", "/tmp/schema-corpus"]

KIND_TO_SCHEMA = {
    "ASMSwimLaneGroup": "asmswimlanegroup",
    "ASMSwimLane": "asmswimlane",
    "VirtualService": "virtualservice",
    "DestinationRule": "destinationrule",
    "Gateway": "gateway",
    "Deployment": "deployment",
    "Service": "service",
    "Namespace": "namespace",
    "Rollout": "rollout",
    "AnalysisTemplate": "analysistemplate",
    "ClusterAnalysisTemplate": "analysistemplate",
    "Application": "application",
    "IstioGateway": "istiogateway",
}

SAMPLES = """
apiVersion: v1
kind: Namespace
metadata:
  name: checkout
  labels:
    istio-injection: enabled
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: lanes-demo
  namespace: argocd
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: default
  source:
    repoURL: https://github.com/AliyunContainerService/asm-labs.git
    targetRevision: argocd-asm
    path: argo-cd/swimlane
  destination:
    server: https://kubernetes.default.svc
    namespace: default
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
    retry:
      limit: 5
      backoff:
        duration: 5s
        factor: 2
        maxDuration: 3m
---
apiVersion: istio.alibabacloud.com/v1beta1
kind: IstioGateway
metadata:
  name: ingressgateway
  namespace: istio-system
spec:
  gatewayType: ingress
  clusterIds:
    - c0123456789abcdef
  cpu:
    targetAverageUtilization: 80
  env:
    - name: envname1
      value: envvalue1
  externalTrafficPolicy: Local
  podLabels:
    key1: value1
  ports:
    - name: status-port
      port: 15020
      targetPort: 15020
    - name: http2
      port: 80
      targetPort: 80
  replicaCount: 1
  resources:
    limits:
      cpu: '2'
      memory: 2G
  serviceType: LoadBalancer
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: perm
spec:
  ingress:
    gateway:
      name: ingressgateway
      namespace: istio-system
      type: ASM
    ingressRouting:
      ingressRoutingStrategy: weighted
      weightedRoutingRule:
        hosts: ['*']
        requestMatches:
          - uri:
              prefix: /mock
            headers:
              env:
                exact: dev
  isPermissive: true
  permissiveModeConfiguration:
    fallbackTarget: s1
    routeHeader: x-asm-prefer-tag
    traceHeader: my-request-id
  services:
    - name: mocka
      namespace: default
      cluster:
        id: c0123456789abcdef
        name: ack-1
        region: cn-hangzhou
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: s1
  labels:
    swimlane-group: perm
spec:
  labelSelector:
    ASM_TRAFFIC_TAG: v1
  services:
    - name: mocka
      namespace: default
  ingressRules:
    - name: r1
      online: true
      hosts: ['*']
      match:
        uri:
          exact: /mock
        headers:
          x-asm-prefer-tag:
            exact: s1
      route:
        destination:
          host: mocka.default.svc.cluster.local
          portNum: 8000
  ingressWeight:
    destination:
      host: mocka.default.svc.cluster.local
    weight: 40
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: fallback
  namespace: istio-system
spec:
  hosts: ['*']
  gateways: [ingressgateway]
  http:
    - match:
        - headers:
            env:
              exact: dev
      route:
        - destination:
            host: mocka.default.svc.cluster.local
            subset: s2
          weight: 50
        - destination:
            host: mocka.default.svc.cluster.local
            subset: s3
          weight: 50
          fallback:
            target:
              host: mocka.default.svc.cluster.local
              subset: s1
      timeout: 5s
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: istio-subset
spec:
  replicas: 2
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: demo
          image: demo:1
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService:
            name: demo-vs
            routes: [primary]
          destinationRule:
            name: demo-dr
            canarySubsetName: canary
            stableSubsetName: stable
      steps:
        - setWeight: 5
        - pause: {duration: 600}
        - setWeight: 20
        - pause: {duration: 10m}
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata:
  name: web-check
spec:
  metrics:
    - name: webmetric
      successCondition: result == true
      provider:
        web:
          url: http://example.org/health
"""


def load_schemas():
    schemas = {}
    for path in sorted(glob.glob(os.path.join(HERE, "*.schema.json"))):
        with open(path) as f:
            s = json.load(f)
        jsonschema.Draft202012Validator.check_schema(s)
        name = os.path.basename(path)[: -len(".schema.json")]
        schemas[name] = jsonschema.Draft202012Validator(s)
    missing = set(KIND_TO_SCHEMA.values()) - set(schemas)
    if missing:
        raise SystemExit("missing schema files: %s" % sorted(missing))
    return schemas


def yaml_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for fn in sorted(files):
                    if fn.endswith((".yaml", ".yml")):
                        yield os.path.join(root, fn)
        elif os.path.isfile(p):
            yield p
        else:
            print("note: %s does not exist, skipped" % p)


def normalize(node):
    """PyYAML (YAML 1.1) turns unquoted timestamps into datetime objects; a
    Kubernetes decoder sees strings, so convert them back before validating."""
    if isinstance(node, dict):
        return {k: normalize(v) for k, v in node.items()}
    if isinstance(node, list):
        return [normalize(v) for v in node]
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    return node


def errors_of(schemas, doc):
    v = schemas[KIND_TO_SCHEMA[doc["kind"]]]
    return sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))


def fmt(e):
    return "%s: %s" % ("/" + "/".join(str(p) for p in e.absolute_path), e.message)


def main(argv):
    paths = argv[1:] or DEFAULT_PATHS
    schemas = load_schemas()
    print("schemas: %d files, all valid draft 2020-12" % len(schemas))
    failed = False
    validated, skipped, parse_errors, bad_docs = 0, 0, 0, 0
    per_kind = {}
    corpus_docs = []
    for path in yaml_files(paths):
        try:
            with open(path) as f:
                docs = [normalize(d) for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            parse_errors += 1
            print("PARSE ERROR %s: %s" % (path, str(e).splitlines()[0]))
            continue
        for i, doc in enumerate(docs):
            kind = doc.get("kind") if isinstance(doc, dict) else None
            if kind not in KIND_TO_SCHEMA:
                skipped += 1
                continue
            validated += 1
            per_kind[kind] = per_kind.get(kind, 0) + 1
            corpus_docs.append(doc)
            errs = errors_of(schemas, doc)
            if errs:
                bad_docs += 1
                failed = True
                for e in errs:
                    print("FAIL %s doc#%d %s: %s" % (path, i, kind, fmt(e)))
    print("corpus: %d documents validated (%s), %d errors in %d documents, "
          "%d skipped (unknown kind), %d unparsable files"
          % (validated, ", ".join("%s=%d" % kv for kv in sorted(per_kind.items())),
             sum(len(errors_of(schemas, d)) for d in corpus_docs), bad_docs,
             skipped, parse_errors))

    samples = [d for d in yaml.safe_load_all(SAMPLES) if d]
    nbad = 0
    for doc in samples:
        for e in errors_of(schemas, doc):
            nbad += 1
            failed = True
            print("FAIL sample %s/%s: %s" % (doc["kind"], doc["metadata"]["name"], fmt(e)))
    print("samples: %d inline documents validated, %d errors" % (len(samples), nbad))

    # Negative checks: each mutation must produce at least one error.
    def first(kind, pool):
        for d in pool:
            if d.get("kind") == kind:
                return copy.deepcopy(d)
        return None

    pool = corpus_docs + samples
    mutations = []

    def mut(label, kind, fn):
        d = first(kind, pool)
        if d is None:
            print("note: no %s document to mutate for %r" % (kind, label))
            return
        fn(d)
        mutations.append((label, d))

    mut("ASMSwimLaneGroup spec.isPermisive", "ASMSwimLaneGroup",
        lambda d: d["spec"].__setitem__("isPermisive", False))
    mut("VirtualService spec.http[0].timout", "VirtualService",
        lambda d: d["spec"]["http"][0].__setitem__("timout", "5s"))
    mut("VirtualService destination without host", "VirtualService",
        lambda d: d["spec"]["http"][0]["route"][0]["destination"].pop("host"))
    mut("VirtualService weight as string", "VirtualService",
        lambda d: d["spec"]["http"][0]["route"][0].__setitem__("weight", "50"))
    mut("ASMSwimLaneGroup gateway.type 'asm'", "ASMSwimLaneGroup",
        lambda d: d["spec"]["ingress"]["gateway"].__setitem__("type", "asm"))
    mut("ASMSwimLaneGroup without services", "ASMSwimLaneGroup",
        lambda d: d["spec"].pop("services"))
    mut("ASMSwimLane spec.labelSelectors", "ASMSwimLane",
        lambda d: d["spec"].__setitem__("labelSelectors", {"version": "v1"}))
    mut("DestinationRule subsets[0].lables", "DestinationRule",
        lambda d: d["spec"]["subsets"][0].__setitem__("lables", {"version": "v1"}))
    mut("Gateway port protocol 'HTTP3'", "Gateway",
        lambda d: d["spec"]["servers"][0]["port"].__setitem__("protocol", "HTTP3"))
    mut("Deployment spec.replica", "Deployment",
        lambda d: d["spec"].__setitem__("replica", 1))
    mut("Service type 'Clusterip'", "Service",
        lambda d: d["spec"].__setitem__("type", "Clusterip"))
    mut("Rollout steps[0].setWeigth", "Rollout",
        lambda d: d["spec"]["strategy"]["canary"]["steps"][0].__setitem__("setWeigth", 10))
    mut("AnalysisTemplate metrics[0].sucessCondition", "AnalysisTemplate",
        lambda d: d["spec"]["metrics"][0].__setitem__("sucessCondition", "true"))
    mut("Application syncPolicy.automated.selfheal", "Application",
        lambda d: d["spec"]["syncPolicy"]["automated"].__setitem__("selfheal", True))
    mut("metadata.lables", "Service",
        lambda d: d["metadata"].__setitem__("lables", {"a": "b"}))
    caught = 0
    for label, d in mutations:
        errs = errors_of(schemas, d)
        if errs:
            caught += 1
            print("rejected as expected: %-45s -> %s" % (label, fmt(errs[0])))
        else:
            failed = True
            print("FAIL mutation accepted: %s" % label)
    print("mutations: %d/%d rejected" % (caught, len(mutations)))
    print("RESULT: %s" % ("FAIL" if failed else "OK"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env bash
# Synthesizes the Quell CDK app into infra/cdk.out and runs cfn-lint on every template. Exits non-zero when
# cfn-lint reports an error, or a warning not ignored below. Builds the app and the jars first, unless
# QUELL_SKIP_BUILD=1.
set -euo pipefail
infra="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$infra")"

if [[ "${QUELL_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$root" && mvn -q -B -pl infra -am package -DskipTests)
fi

rm -rf "$infra/cdk.out"
# A direct run reads context options from CDK_CONTEXT_JSON, as the CDK CLI passes -c options. Unset, it uses
# the defaults: the bundled dry-run policy and on-demand starts.
CDK_OUTDIR="$infra/cdk.out" "$infra/app.sh"

# W3005: CDK gives each Lambda function a DependsOn on its role as well as a GetAtt of the role's ARN; the
# duplicate dependency is harmless and comes from aws-cdk-lib, not from Quell's code.
cfn-lint --ignore-checks W3005 -- "$infra"/cdk.out/*.template.json
echo "cfn-lint: no errors in $(ls "$infra"/cdk.out/*.template.json | wc -l) templates"

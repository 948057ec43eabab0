#!/usr/bin/env bash
# Starts the Quell CDK app with the class path Maven wrote; cdk.json runs this from the infra directory.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f target/classpath.txt || ! -d target/classes ]]; then
    echo "The CDK app is not built; from the repository root run: mvn -q -B -pl infra -am package -DskipTests" >&2
    exit 1
fi
exec java -cp "target/classes:$(cat target/classpath.txt)" dev.quell.infra.QuellApp

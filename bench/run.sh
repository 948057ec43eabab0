#!/usr/bin/env bash
# Builds the isolation function and the harness, then runs the benchmarks and writes docs/benchmarks.md.
#
#   bench/run.sh --peer "python3 /path/to/peer.py" [--runs 20] [--warm 200] [--delay-ms 50]
#                [--variant NAME=JAR[|JAVA_TOOL_OPTIONS[|KEY=VALUE...]]]... [--out FILE]
#
# Without --variant it measures three configurations. The first is the function's deployment jar as built, started
# with the JVM options the Lambda Java 17 and 21 runtimes use by default: tiered compilation stopped at C1 and the
# serial GC (AWS Lambda Developer Guide, "Customize Java runtime startup behavior"). The second is the untrimmed
# jar beside it, and the third the built jar with an application class data archive made by a training run.
# Needs Python 3 with moto[server] 5.2 (the harness starts moto_server on loopback) and the peer's own
# requirements. Set QUELL_BENCH_SKIP_BUILD=1 to reuse the jars already in target/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ "${QUELL_BENCH_SKIP_BUILD:-}" != "1" ]; then
  mvn -q -B -pl bench -am package -DskipTests
fi

jar="$(ls functions/isolate-instance/target/quell-isolate-instance-*-lambda.jar)"
launcher="$(ls bench/target/quell-bench-*-launcher.jar)"
classpath="bench/target/classes:$(cat bench/target/harness.classpath)"

has_variant=0
for arg in "$@"; do
  if [ "$arg" = "--variant" ]; then
    has_variant=1
  fi
done
full_jar="${jar%-lambda.jar}-lambda-full.jar"
lambda_jvm="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
defaults=()
if [ "$has_variant" -eq 0 ]; then
  defaults=(--variant "quell=$jar|$lambda_jvm" --variant "quell-untrimmed=$full_jar|$lambda_jvm"
            --variant "quell-cds=$jar|$lambda_jvm @cds")
fi

exec java -Dhttp.maxConnections=64 -cp "$classpath" dev.quell.bench.Harness \
  --repo "$root" --launcher "$launcher" --command "bench/run.sh $*" "${defaults[@]}" "$@"

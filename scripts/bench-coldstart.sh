#!/usr/bin/env bash
# Cold start of each plane's Lambda jar, and of a service's function (brand, a first batch of ten ViewPage): a fresh JVM makes the handler from the environment and handles
# a first batch of 100 records against the emulators (moto; fauxqs for SNS and SQS), five times per
# plane and HTTP client (URL-connection, then CRT; COLDSTART_RUNS to change five); prints every run and the medians.
# Usage: scripts/bench-coldstart.sh <moto-endpoint-url>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
moto="$1"
sns_sqs="$(emulator/start-sns-sqs.sh)"
export AWS_ENDPOINT_URL="$moto" AWS_ENDPOINT_URL_SNS="$sns_sqs" AWS_ENDPOINT_URL_SQS="$sns_sqs"
export RR_EMULATOR=1 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test RR_STAGE=cold RR_PROBE_TOPIC=ColdStart
./rr --stage cold --backend aws provision > /dev/null
./rr --stage cold --backend aws --host-planes subscribe coldriver ColdStart > /dev/null

crt_jars="$(cd aws && mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=aws-crt-client,aws-crt)"
# The Lambda Java runtime starts the JVM with the C1 compiler only; so does this.
jvm=(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Daws.cborEnabled=false)
declare -A jars=([control]="$(ls control-plane/function/target/control-plane-function-*-lambda.jar)" [fanout]="$(ls data-plane/function/target/data-plane-function-*-lambda.jar)")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
summary="{"
# measure <label> <summary key> <command...>: runs the probe COLDSTART_RUNS times, its last line each time,
# and adds the median of its total_ms to the summary
measure() {
  local label="$1" key="$2"; shift 2
  local totals=() line m
  for run in $(seq 1 "${COLDSTART_RUNS:-5}"); do
    line=$("$@" | tail -n 1)
    echo "$label run $run: $line"
    totals+=("$(echo "$line" | sed -E 's/.*"total_ms":([0-9]+).*/\1/')")
  done
  m=$(printf '%s\n' "${totals[@]}" | median)
  echo "$label median total_ms: $m"
  summary="$summary\"$key\":$m,"
}
for client in url-connection crt; do
  for plane in control fanout; do
    cp="${jars[$plane]}:cli/bench/target/classes"
    [ "$client" = crt ] && cp="$cp:$crt_jars"
    measure "$client $plane" "${plane}_${client}_ms" \
      env RR_HTTP_CLIENT="$client" "${jvm[@]}" -cp "$cp" org.rapidsrivers.cli.bench.ColdStartProbe "$plane" 100
  done
done
# a deployed service's function (brand, from the offers jar) on its runtime jar: a first batch of ten ViewPage
service_cp="$(ls service-function/target/service-function-*-lambda.jar):$(ls scenario-offers/target/scenario-offers-*[0-9T].jar):cli/bench/target/classes"
measure "url-connection service" "service_url-connection_ms" \
  env RR_SERVICE=brand "${jvm[@]}" -cp "$service_cp" org.rapidsrivers.cli.bench.ServiceColdStartProbe 10
jars[service]="$(ls service-function/target/service-function-*-lambda.jar)"
for jar in "${jars[@]}"; do
  summary="$summary\"$(basename "$jar" | sed 's/-0.1.0-SNAPSHOT-lambda.jar//')_jar_mb\":$(echo "scale=1; $(stat -c %s "$jar") / 1048576" | bc),"
done
echo "${summary%,}}"

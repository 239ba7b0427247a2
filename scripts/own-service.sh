#!/usr/bin/env bash
# Makes a service's own project the way the README says, from the archetype make install put in the local
# Maven repository (mvn archetype:generate, then mvn package, which runs its test), in target/own-service;
# prints the path of the jar it built. make example runs it on a stage, the smoke run deploys it on moto.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN="${MVN:-mvn -B}"
version="$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$here/pom.xml" | head -1)"
work="$here/target/own-service"
rm -rf "$work" && mkdir -p "$work"
(cd "$work" && $MVN -q org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate -DarchetypeGroupId=org.rapidsrivers \
    -DarchetypeArtifactId=service-archetype -DarchetypeVersion="$version" -DgroupId=org.example -DartifactId=weather \
    -DinteractiveMode=false) >&2 || { echo "own-service: mvn archetype:generate did not make the project" >&2; exit 1; }
$MVN -q -f "$work/weather/pom.xml" package >&2 \
  || { echo "own-service: the project the archetype made did not build or pass its test" >&2; exit 1; }
jar="$work/weather/target/weather-1.0.0-SNAPSHOT.jar"
[ -f "$jar" ] || { echo "own-service: no $jar" >&2; exit 1; }
echo "$jar"

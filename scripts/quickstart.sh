#!/usr/bin/env bash
# Builds the SDK and runs the quickstart (prophecy-examples) in a fresh home under
# prophecy-examples/target/quickstart-home. Needs only a JDK 17 and Maven.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
home="$root/prophecy-examples/target/quickstart-home"
rm -rf "$home"
mvn -B -q -ntp -Dstyle.color=never install -DskipTests -pl prophecy-examples -am
mvn -B -q -ntp -Dstyle.color=never exec:java -pl prophecy-examples -Dexec.args="$home"

#!/usr/bin/env bash
# Builds the SDK and runs the quickstart (prophecy-examples) in a fresh home under
# prophecy-examples/target/quickstart-home, in a JVM started with the flags Spark needs on Java 17
# (spark.jvm.flags in the parent pom). Needs only a JDK 17 and Maven.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
home="$root/prophecy-examples/target/quickstart-home"
rm -rf "$home"
# Debian's Maven 3.8 prints colour resets even in batch mode; strip them (pipefail keeps Maven's status).
plain() { sed -u 's/\x1b\[[0-9;]*m//g'; }
mvn -B -q -ntp -Dstyle.color=never install -DskipTests -pl prophecy-examples -am 2>&1 | plain
mvn -B -q -ntp -Dstyle.color=never exec:exec -pl prophecy-examples -Dquickstart.home="$home" 2>&1 | plain

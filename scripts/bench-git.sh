#!/usr/bin/env bash
# Runs the Git benchmarks of prophecy-benchmarks against a real Git smart-HTTP server: starts nginx +
# fcgiwrap + git-http-backend on 127.0.0.1 (scripts/lib/git-server.sh, the server of scripts/test.sh),
# runs target/benchmarks.jar with the server handed to every JMH fork as system properties, and stops
# the server (and everything under it) on exit, removing its folder and repositories.
#
#   scripts/bench-git.sh                                   # GitPushBenchmark with its annotations
#   scripts/bench-git.sh GitPushBenchmark -f 1 -wi 2 -i 5  # any JMH arguments; the first picks the benchmarks
#   BENCH_JVM_ARGS='-XX:StartFlightRecording=filename=/tmp/push.jfr' scripts/bench-git.sh ...   # JVM options of the forks
#   BENCH_JAVA_OPTS=-Djmh.ignoreLock=true scripts/bench-git.sh ...   # options of JMH's own JVM (another JMH holds its lock)
#
# The forks get -Dprophecy.bench.git.url, .user, .tokenFile and .root through JMH's -jvmArgsAppend
# (plus BENCH_JVM_ARGS, since JMH takes one -jvmArgsAppend); the host JVM gets them too, for -f 0 (JMH
# also hands its own JVM's options to the forks, so they appear twice in its "VM options"). The
# token is in a file only the caller can read: JMH prints each fork's JVM options, so the token is not
# one of them. Needs nginx, fcgiwrap, git and openssl (scripts/test.sh installs them) and the built jar:
#   mvn -o -q -pl prophecy-benchmarks -am package -DskipTests
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

script_name=scripts/bench-git.sh
git_dir_prefix=prophecy-bench-git
# shellcheck source=lib/git-server.sh
. "$root/scripts/lib/git-server.sh"

jar=prophecy-benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "$script_name: no $jar; build it: mvn -o -q -pl prophecy-benchmarks -am package -DskipTests" >&2; exit 1; }
for bin in "$nginx_bin" "$fcgiwrap_bin" "$git_backend"; do
  [ -x "$bin" ] || { echo "$script_name: $bin is missing; scripts/test.sh installs nginx, fcgiwrap and git" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "$script_name: openssl is missing (apt-get install openssl)" >&2; exit 1; }

trap 'stop_git_server || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_git_server

token_file="$git_dir/token"
(umask 077 && printf '%s\n' "$git_token" >"$token_file")

props=(-Dprophecy.bench.git.url="http://127.0.0.1:$git_port/" -Dprophecy.bench.git.user="$git_user"
  -Dprophecy.bench.git.tokenFile="$token_file" -Dprophecy.bench.git.root="$git_dir/repos")

[ $# -gt 0 ] || set -- GitPushBenchmark
# Not exec: the EXIT trap stops the server when JMH is done.
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} "${props[@]}" -jar "$jar" "$@" -jvmArgsAppend "${props[*]}${BENCH_JVM_ARGS:+ $BENCH_JVM_ARGS}"

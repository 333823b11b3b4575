# shellcheck shell=bash
# A Git smart-HTTP server for one run: nginx (auth_basic) -> fcgiwrap -> git-http-backend, on 127.0.0.1.
# Sourced by scripts/test.sh (the tests) and scripts/bench-git.sh (the Git benchmarks); it defines
# functions and variables only and starts nothing by itself.
#
#   start_git_server   makes a fresh folder under /tmp (${git_dir_prefix}.XXXXXX: nginx's config, pid,
#                      logs and temp files, fcgiwrap's socket, the repositories in $git_dir/repos), a
#                      random token for $git_user, and starts fcgiwrap and nginx on $git_port (the first
#                      free port from ${PROPHECY_TEST_GIT_PORT:-58080})
#   stop_git_server    ends nginx, fcgiwrap and every process under them by id, removes the folder
#
# The sourcing script sets script_name (used in messages) and may set git_dir_prefix; it needs nginx,
# fcgiwrap, git (git-http-backend), openssl and ps installed (scripts/test.sh installs them with apt).

script_name=${script_name:-scripts/test.sh}
git_dir_prefix=${git_dir_prefix:-prophecy-test-git}

nginx_bin=/usr/sbin/nginx
fcgiwrap_bin=/usr/sbin/fcgiwrap
git_backend=/usr/lib/git-core/git-http-backend
git_dir=""        # a fresh folder under /tmp: nginx's config, pid, logs and temp files, the socket, the repositories
nginx_pid=""
fcgiwrap_pid=""

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- A Git smart-HTTP server: nginx (auth_basic) -> fcgiwrap -> git-http-backend -------------------
# nginx runs as an instance of its own (config, pid, logs and temp paths under $git_dir; the system's
# /etc/nginx and its service are left alone). As root, nginx's workers, fcgiwrap and so git-http-backend
# run as www-data, which owns the repository root; otherwise everything runs as the calling user.

git_user=prophecy-test
git_token=""

# The user nginx's workers and fcgiwrap run as.
git_server_user() { if [ "$(id -u)" -eq 0 ]; then echo www-data; else id -un; fi; }

# The process ids of every descendant of the given processes, children first found, then theirs.
descendants() {
  ps -e -o pid= -o ppid= | awk -v roots="$*" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) tree[r[i]] = 1
      do { added = 0
        for (i in pids) { p = pids[i]; if (!(p in tree) && (parent[p] in tree)) { tree[p] = 1; added = 1; print p } }
      } while (added)
    }'
}

# Ends the given processes: TERM, up to 5 s to go, then KILL.
end_processes() {
  local pids=("$@") alive i
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for i in $(seq 50); do
    alive=()
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    [ ${#alive[@]} -gt 0 ] || return 0
    sleep 0.1
  done
  kill -KILL "${alive[@]}" 2>/dev/null || true
}

start_fcgiwrap() {
  local sock="$git_dir/run/fcgiwrap.sock" owner i
  owner=$(git_server_user)
  mkdir -p "$git_dir/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$owner:" "$git_dir/run"
    # setpriv execs fcgiwrap itself (no process in between), so $! is fcgiwrap's own id.
    setpriv --reuid="$owner" --regid="$owner" --init-groups --reset-env \
      "$fcgiwrap_bin" -c 2 -s "unix:$sock" >"$git_dir/fcgiwrap.log" 2>&1 </dev/null &
  else
    "$fcgiwrap_bin" -c 2 -s "unix:$sock" >"$git_dir/fcgiwrap.log" 2>&1 </dev/null &
  fi
  fcgiwrap_pid=$!
  for i in $(seq 100); do [ -S "$sock" ] && break; kill -0 "$fcgiwrap_pid" 2>/dev/null || break; sleep 0.05; done
  [ -S "$sock" ] || { cat "$git_dir/fcgiwrap.log" >&2; echo "$script_name: fcgiwrap did not start" >&2; exit 1; }
  # nginx's workers run as $owner too: the socket is theirs to read and write.
  chmod 660 "$sock"
}

write_nginx_conf() {
  local port=$1 n="$git_dir/nginx" user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user $(git_server_user);"
  cat >"$n/nginx.conf" <<CONF
# Written by $script_name for one run; removed with its folder.
$user_line
worker_processes 1;
daemon off;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 64; }
http {
  access_log $n/access.log;
  client_body_temp_path $n/tmp/client_body;
  fastcgi_temp_path $n/tmp/fastcgi;
  proxy_temp_path $n/tmp/proxy;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port;
    server_name localhost;
    auth_basic "Prophecy test Git";
    auth_basic_user_file $git_dir/htpasswd;
    location / {
      fastcgi_pass unix:$git_dir/run/fcgiwrap.sock;
      fastcgi_param SCRIPT_FILENAME $git_backend;
      fastcgi_param GIT_PROJECT_ROOT $git_dir/repos;
      fastcgi_param GIT_HTTP_EXPORT_ALL 1;
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param REMOTE_USER \$remote_user;
      fastcgi_param REMOTE_ADDR \$remote_addr;
      fastcgi_param QUERY_STRING \$query_string;
      fastcgi_param REQUEST_METHOD \$request_method;
      fastcgi_param CONTENT_TYPE \$content_type;
      fastcgi_param CONTENT_LENGTH \$content_length;
      fastcgi_param SERVER_PROTOCOL \$server_protocol;
      fastcgi_param GATEWAY_INTERFACE CGI/1.1;
    }
  }
}
CONF
}

start_nginx() {
  local n="$git_dir/nginx" attempt i
  mkdir -p "$n/tmp"
  git_port=${PROPHECY_TEST_GIT_PORT:-58080}
  # A port found free can still be taken before nginx binds it: then the next one is tried.
  for attempt in $(seq 20); do
    while port_in_use "$git_port"; do git_port=$((git_port + 1)); done
    write_nginx_conf "$git_port"
    : >"$n/error.log"
    "$nginx_bin" -p "$n" -c "$n/nginx.conf" -e "$n/error.log" >"$n/stdout.log" 2>&1 </dev/null &
    nginx_pid=$!
    # Up once nginx wrote its pid file (it does after binding its port) and the port answers.
    for i in $(seq 100); do
      kill -0 "$nginx_pid" 2>/dev/null || break
      [ "$(cat "$n/nginx.pid" 2>/dev/null)" = "$nginx_pid" ] && port_in_use "$git_port" && return 0
      sleep 0.05
    done
    if kill -0 "$nginx_pid" 2>/dev/null || ! grep -q "Address already in use" "$n/error.log" "$n/stdout.log"; then
      cat "$n/error.log" "$n/stdout.log" >&2; echo "$script_name: nginx did not start" >&2; exit 1
    fi
    nginx_pid=""
    git_port=$((git_port + 1))
  done
  echo "$script_name: no free port for nginx from ${PROPHECY_TEST_GIT_PORT:-58080}" >&2; exit 1
}

start_git_server() {
  git_dir=$(mktemp -d "${TMPDIR:-/tmp}/$git_dir_prefix.XXXXXX")
  chmod 755 "$git_dir"
  mkdir -p "$git_dir/repos"
  [ "$(id -u)" -eq 0 ] && chown "$(git_server_user):" "$git_dir/repos"
  git_token=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
  printf '%s:%s\n' "$git_user" "$(openssl passwd -apr1 "$git_token")" >"$git_dir/htpasswd"
  chmod 644 "$git_dir/htpasswd"
  start_fcgiwrap
  start_nginx
  echo "==> Git smart-HTTP server (nginx + fcgiwrap + git-http-backend) is up on http://127.0.0.1:$git_port/" \
    "(user $git_user, repositories in $git_dir/repos)"
}

stop_git_server() {
  [ -n "$git_dir" ] || return 0
  local pids=()
  if [ -n "$nginx_pid" ] || [ -n "$fcgiwrap_pid" ]; then
    # fcgiwrap's workers and the git processes under them outlive fcgiwrap itself: every descendant is
    # found first and ended by its id.
    mapfile -t pids < <(descendants $nginx_pid $fcgiwrap_pid)
    end_processes $nginx_pid $fcgiwrap_pid "${pids[@]}"
    echo "==> Git smart-HTTP server stopped"
  fi
  rm -rf "$git_dir"
}

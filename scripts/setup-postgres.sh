#!/usr/bin/env bash
# Provision a real PostgreSQL 15 server with pgvector on Debian 12 (bookworm) for the storage tests.
#
#   sudo bash scripts/setup-postgres.sh            # as root; PGPORT_TEST overrides the port (default 5433)
#   eval "$(bash scripts/setup-postgres.sh)"       # stdout is exactly one line: DATABASE_URL=postgres://...
#
# Idempotent: a second run only checks the state and starts the cluster if needed (about a second).
# All progress output goes to stderr; the only line on stdout is the final DATABASE_URL=... line.
#
# What it does
#  1. Installs postgresql-15 + postgresql-contrib (unaccent, pg_trgm) with --no-install-recommends, plus, only
#     when pgvector still has to be built: gcc libc6-dev make dpkg-dev.
#  2. Bookworm has no postgresql-15-pgvector package. If vector.control/vector.so are not yet in the PG 15
#     dirs, it fetches Debian's own pgvector source package from trixie (a deb-src-only entry, so no binary
#     package can ever come from trixie) and builds it against bookworm's PG 15 with
#     `make OPTFLAGS="" with_llvm=no` (OPTFLAGS="" = Debian's no-native patch: no -march=native).
#     The PGXS makefiles ship in postgresql-client-15; only the server headers are missing. Instead of
#     installing postgresql-server-dev-15 (which hard-Depends on clang-14 + llvm-14-dev, ~100 MB download /
#     ~600 MB installed; --no-install-recommends does not avoid them) its .deb (~1 MB) is downloaded and
#     unpacked into a temporary directory and passed to make as includedir_server.
#  3. Ensures cluster 15/main exists, listens on 127.0.0.1 only on $PGPORT_TEST, has md5 (password) auth on
#     loopback for the SUPERUSER role bhvs/bhvs and a UTF8 database bhvs, and is running (pg_ctlcluster;
#     no systemd needed).
#  4. Verifies over TCP as bhvs: CREATE EXTENSION vector/unaccent/pg_trgm and a vector distance query.
set -Eeuo pipefail

# Keep stdout (as fd 3) for the final DATABASE_URL line only. Every command that can start the server
# (pg_ctlcluster, pg_createcluster, and apt-get, whose postinst may start it) runs with 3>&- : a postmaster
# inheriting fd 3 would hold the caller's stdout pipe open and `$(bash setup-postgres.sh)` would never return.
exec 3>&1 1>&2

PG_MAJOR=15
CLUSTER=main
PORT="${PGPORT_TEST:-5433}"
DB_USER=bhvs
DB_PASS=bhvs
DB_NAME=bhvs

PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_LIBDIR="/usr/lib/postgresql/${PG_MAJOR}/lib"
PG_EXTDIR="/usr/share/postgresql/${PG_MAJOR}/extension"
CONF_DIR="/etc/postgresql/${PG_MAJOR}/${CLUSTER}"
LOG_FILE="/var/log/postgresql/postgresql-${PG_MAJOR}-${CLUSTER}.log"
TRIXIE_SRC_LIST=/etc/apt/sources.list.d/debian-trixie-src.sources
BUILD_PKGS=(gcc libc6-dev make dpkg-dev)

export DEBIAN_FRONTEND=noninteractive
# C.UTF-8 always exists on Debian: no perl locale warnings, and a cluster created by the postgresql-15
# postinst or by pg_createcluster below gets UTF8 encoding.
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset LANGUAGE
# Connection settings from the caller's environment must not redirect the psql calls below.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE \
  PGSSLMODE PGOPTIONS PGCLUSTER

STEP="initialising"
WORK_DIR=""
FAILED_CMD=""
FAILED_LINE=""

log() { printf 'setup-postgres: %s\n' "$*" >&2; }
step() {
  STEP="$*"
  log "== $*"
}
die() {
  printf 'setup-postgres: ERROR: %s\n' "$*" >&2
  exit 1
}
on_err() {
  FAILED_CMD="$BASH_COMMAND"
  FAILED_LINE="$1"
}
on_exit() {
  local rc=$?
  if [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]]; then rm -rf -- "$WORK_DIR"; fi
  if ((rc != 0)); then
    printf 'setup-postgres: FAILED (exit %s) during step: %s\n' "$rc" "$STEP" >&2
    if [[ -n "$FAILED_CMD" ]]; then
      printf 'setup-postgres:   failing command (line %s): %s\n' "$FAILED_LINE" "$FAILED_CMD" >&2
    fi
  fi
  exit "$rc"
}
trap 'on_err $LINENO' ERR
trap on_exit EXIT

pkg_installed() { [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]; }
conf_get() { pg_conftool -s "$PG_MAJOR" "$CLUSTER" show "$1" 2>/dev/null || true; }
cluster_running() { pg_ctlcluster "$PG_MAJOR" "$CLUSTER" status >/dev/null 2>&1; }
# psql as the postgres OS user over the Unix socket (peer auth); cd / avoids "could not change directory".
psql_admin() { (cd / && runuser -u postgres -- "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"); }
show_log_tail() {
  if [[ -r "$LOG_FILE" ]]; then
    log "last lines of $LOG_FILE:"
    tail -n 20 "$LOG_FILE" >&2 || true
  fi
}

# ---------------------------------------------------------------------------------------------------------
step "checking prerequisites"
[[ "$(id -u)" == 0 ]] || die "must run as root (installs packages and manages the cluster)"
if [[ ! "$PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$PORT < 1 || 10#$PORT > 65535)); then
  die "PGPORT_TEST must be a TCP port number (1-65535), got '$PORT'"
fi
PORT=$((10#$PORT))
command -v apt-get >/dev/null || die "apt-get not found: this script targets Debian 12 (bookworm)"
codename="$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null || true)"
[[ "$codename" == bookworm ]] || log "warning: written for Debian 12 (bookworm), this is '${codename:-unknown}'"

need_build=0
if [[ ! -f "$PG_EXTDIR/vector.control" || ! -f "$PG_LIBDIR/vector.so" ]]; then need_build=1; fi

wanted=(postgresql-15 postgresql-contrib)
if ((need_build)); then wanted+=("${BUILD_PKGS[@]}"); fi
missing=()
for p in "${wanted[@]}"; do pkg_installed "$p" || missing+=("$p"); done

# ---------------------------------------------------------------------------------------------------------
if ((need_build)); then
  step "adding a deb-src-only entry for trixie ($TRIXIE_SRC_LIST)"
  # deb-src only: apt never takes binary packages from it, so nothing installed can move to trixie.
  trixie_src='# Added by scripts/setup-postgres.sh: source packages only (to build pgvector for PostgreSQL 15).
# Types is deb-src only, so no binary package is ever installed or upgraded from trixie.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
  if [[ "$(cat "$TRIXIE_SRC_LIST" 2>/dev/null || true)" != "$trixie_src" ]]; then
    printf '%s\n' "$trixie_src" >"$TRIXIE_SRC_LIST"
  else
    log "already present"
  fi
fi

if ((${#missing[@]} > 0 || need_build)); then
  step "apt-get update"
  apt-get update -q >&2
fi

if ((${#missing[@]} > 0)); then
  step "installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 3>&-
else
  log "packages already installed: ${wanted[*]}"
fi

[[ -x "$PG_BIN/postgres" ]] || die "$PG_BIN/postgres missing after installing postgresql-15"

# ---------------------------------------------------------------------------------------------------------
if ((need_build)); then
  step "building pgvector for PostgreSQL $PG_MAJOR"
  pgxs="$("$PG_BIN/pg_config" --pgxs)"
  [[ -f "$pgxs" ]] || die "PGXS makefile $pgxs not found (it ships in postgresql-client-$PG_MAJOR)"

  WORK_DIR="$(mktemp -d /tmp/setup-postgres.XXXXXX)"
  mkdir "$WORK_DIR/src" "$WORK_DIR/deb"
  # Let apt's sandbox user write the downloads (avoids the "Download is performed unsandboxed" warning).
  if id _apt >/dev/null 2>&1; then chown _apt "$WORK_DIR/src" "$WORK_DIR/deb"; fi
  chmod 755 "$WORK_DIR"

  log "fetching Debian's pgvector source package from trixie"
  (cd "$WORK_DIR/src" && apt-get source -q pgvector/trixie) >&2
  src_dir="$(find "$WORK_DIR/src" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  [[ -n "$src_dir" && -f "$src_dir/Makefile" ]] || die "apt-get source pgvector did not produce a source tree"

  # Server headers matching the installed server (any 15.x works; fall back to the candidate version).
  pg_version="$(dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR")"
  log "fetching PostgreSQL $PG_MAJOR server headers (postgresql-server-dev-$PG_MAJOR $pg_version, unpacked only)"
  if ! (cd "$WORK_DIR/deb" && apt-get download -q "postgresql-server-dev-$PG_MAJOR=$pg_version") >&2; then
    log "version $pg_version not downloadable; using the candidate postgresql-server-dev-$PG_MAJOR"
    (cd "$WORK_DIR/deb" && apt-get download -q "postgresql-server-dev-$PG_MAJOR") >&2
  fi
  deb_file="$(find "$WORK_DIR/deb" -maxdepth 1 -name "postgresql-server-dev-${PG_MAJOR}_*.deb" | head -n 1)"
  [[ -n "$deb_file" ]] || die "postgresql-server-dev-$PG_MAJOR .deb was not downloaded"
  dpkg-deb -x "$deb_file" "$WORK_DIR/hdr"
  inc_server="$WORK_DIR/hdr/usr/include/postgresql/$PG_MAJOR/server"
  [[ -f "$inc_server/postgres.h" ]] || die "server headers not found in $deb_file"

  # includedir_server on the command line overrides PGXS's value (also for `make install`, so pgvector's
  # own C headers land in the temporary dir and are discarded; nothing here builds against them).
  make_args=(PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" with_llvm=no includedir_server="$inc_server")
  make -C "$src_dir" -j"$(nproc)" "${make_args[@]}" >&2
  make -C "$src_dir" install "${make_args[@]}" >&2
  [[ -f "$PG_EXTDIR/vector.control" && -f "$PG_LIBDIR/vector.so" ]] ||
    die "make install did not put vector.control/vector.so into $PG_EXTDIR / $PG_LIBDIR"
  log "installed pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$PG_EXTDIR/vector.control")"

  rm -rf -- "$WORK_DIR"
  WORK_DIR=""
else
  log "pgvector already installed ($PG_EXTDIR/vector.control)"
fi

# ---------------------------------------------------------------------------------------------------------
step "configuring cluster $PG_MAJOR/$CLUSTER (127.0.0.1:$PORT)"
if [[ ! -f "$CONF_DIR/postgresql.conf" ]]; then
  log "creating cluster $PG_MAJOR/$CLUSTER"
  pg_createcluster --encoding UTF8 --locale C.UTF-8 --port "$PORT" "$PG_MAJOR" "$CLUSTER" >&2 3>&-
fi

restart_needed=0
reload_needed=0
# Settings go into a conf.d drop-in (Debian's postgresql.conf ends with include_dir = 'conf.d', and
# postgresql-common's pg_ctlcluster/pg_lsclusters read it too). Not `pg_conftool set listen_addresses
# 127.0.0.1`: pg_conftool takes 127.0.0.1 for a number, writes it unquoted, and the server refuses to start.
conf_d="$CONF_DIR/conf.d"
dropin="$conf_d/90-setup-postgres.conf"
if ! grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'conf\.d'" "$CONF_DIR/postgresql.conf"; then
  log "adding include_dir = 'conf.d' to $CONF_DIR/postgresql.conf"
  printf "\n# Added by scripts/setup-postgres.sh\ninclude_dir = 'conf.d'\n" >>"$CONF_DIR/postgresql.conf"
  restart_needed=1
fi
dropin_content="# Managed by scripts/setup-postgres.sh (test server: loopback only, fixed port).
port = $PORT
listen_addresses = '127.0.0.1'"
# ssl = on with a missing snakeoil certificate/key (images that strip generated keys) stops the server
# from starting; loopback tests do not need TLS. Decided from the certificate files, not from the current
# ssl value (which this drop-in itself may have set), so repeated runs agree.
cert="$(conf_get ssl_cert_file)"
key="$(conf_get ssl_key_file)"
if [[ ! -r "${cert:-/nonexistent}" || ! -r "${key:-/nonexistent}" ]]; then
  dropin_content+="
# ssl certificate/key missing (${cert:-unset}, ${key:-unset}): TLS off.
ssl = off"
fi
if [[ "$(cat "$dropin" 2>/dev/null || true)" != "$dropin_content" ]]; then
  log "writing $dropin"
  install -d -o postgres -g postgres -m 755 "$conf_d"
  printf '%s\n' "$dropin_content" >"$dropin"
  chown postgres:postgres "$dropin"
  chmod 644 "$dropin"
  restart_needed=1
fi
[[ "$(conf_get port)" == "$PORT" ]] || die "port in $CONF_DIR is '$(conf_get port)', expected $PORT (a later conf.d file overrides it?)"

hba_file="$(conf_get hba_file)"
hba_file="${hba_file:-$CONF_DIR/pg_hba.conf}"
hba_rule="host    all             $DB_USER            127.0.0.1/32            md5"
if ! grep -qxF "$hba_rule" "$hba_file"; then
  log "adding '$hba_rule' at the top of $hba_file"
  hba_tmp="$(mktemp)"
  {
    echo "# Added by scripts/setup-postgres.sh: password login for the test role over loopback."
    echo "$hba_rule"
    cat "$hba_file"
  } >"$hba_tmp"
  cat "$hba_tmp" >"$hba_file" # keep the file's owner and mode
  rm -f "$hba_tmp"
  reload_needed=1
fi

# ---------------------------------------------------------------------------------------------------------
step "starting cluster $PG_MAJOR/$CLUSTER"
if cluster_running; then
  if ((restart_needed)) || ! psql_admin -Atc 'SELECT 1' >/dev/null 2>&1; then
    log "restarting (configuration changed or not reachable on port $PORT)"
    pg_ctlcluster "$PG_MAJOR" "$CLUSTER" restart >&2 3>&- || { show_log_tail; die "pg_ctlcluster restart failed (is port $PORT already in use?)"; }
  elif ((reload_needed)); then
    log "reloading (pg_hba.conf changed)"
    pg_ctlcluster "$PG_MAJOR" "$CLUSTER" reload >&2 3>&-
  else
    log "already running"
  fi
else
  pg_ctlcluster "$PG_MAJOR" "$CLUSTER" start >&2 3>&- ||
    { show_log_tail; die "pg_ctlcluster start failed (is port $PORT already in use?)"; }
fi
for _ in $(seq 1 30); do
  psql_admin -Atc 'SELECT 1' >/dev/null 2>&1 && break
  sleep 1
done
psql_admin -Atc 'SELECT 1' >/dev/null || { show_log_tail; die "server does not accept connections on port $PORT"; }

# ---------------------------------------------------------------------------------------------------------
step "ensuring role $DB_USER (SUPERUSER) and database $DB_NAME"
psql_admin <<SQL
SET client_min_messages = warning;
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER;
  END IF;
END
\$\$;
ALTER ROLE $DB_USER WITH LOGIN SUPERUSER PASSWORD '$DB_PASS';
SQL
if [[ -z "$(psql_admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]]; then
  log "creating database $DB_NAME"
  psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
fi
template_encoding="$(psql_admin -Atc "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'")"
if [[ "$template_encoding" != UTF8 ]]; then
  log "warning: cluster default encoding is $template_encoding, not UTF8 (CREATE DATABASE without ENCODING inherits it)"
fi

# ---------------------------------------------------------------------------------------------------------
step "verifying over TCP as $DB_USER (127.0.0.1:$PORT)"
verify_out="$(PGPASSWORD="$DB_PASS" PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
  "host=127.0.0.1 port=$PORT user=$DB_USER dbname=$DB_NAME sslmode=disable" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SELECT 'distance=' || ('[1,2,3]'::vector <=> '[1,2,4]'::vector);
SELECT 'unaccent=' || unaccent('Crème brûlée');
SELECT 'similarity=' || similarity('postgres', 'postgis');
SELECT 'versions=' || string_agg(extname || ' ' || extversion, ', ' ORDER BY extname)
  FROM pg_extension WHERE extname IN ('vector', 'unaccent', 'pg_trgm');
SELECT 'server=' || current_setting('server_version') || ' listen_addresses=' || current_setting('listen_addresses')
  || ' superuser=' || current_setting('is_superuser');
SQL
)"
printf '%s\n' "$verify_out" | sed 's/^/setup-postgres:   /' >&2
grep -Eq '^distance=0\.00[0-9]+' <<<"$verify_out" || die "unexpected vector distance result"
grep -qx 'unaccent=Creme brulee' <<<"$verify_out" || die "unexpected unaccent result"
grep -q 'superuser=on' <<<"$verify_out" || die "$DB_USER is not a superuser"

STEP="done"
log "ready"
printf 'DATABASE_URL=postgres://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$DB_PASS" "$PORT" "$DB_NAME" >&3

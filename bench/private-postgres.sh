# Sourced by the bench scripts: a private PostgreSQL cluster of Debian's packages, in a directory of the script's, on
# a port of its own, with initdb's default settings (a script passes server options only where it says so). Running
# as root, the server's commands run as the postgres user.
#
#   pg_binaries [MAJOR]                       sets PGBIN to that major's binaries (installing the Debian package
#                                             postgresql-MAJOR when missing), or to the newest installed (installing
#                                             postgresql when none is)
#   as_pg COMMAND ...                         runs COMMAND as the postgres user when this script runs as root
#   pg_init DATA                              initdb DATA: trust authentication, superuser postgres
#   pg_start DATA LOG PORT SOCKETS [OPTIONS]  starts the cluster in DATA, its log in LOG, its socket in SOCKETS
#   pg_stop DATA                              stops it, if it runs

pg_binaries() {
  if [ -n "${1:-}" ]; then
    PGBIN=/usr/lib/postgresql/$1/bin
    if [ ! -x "$PGBIN/initdb" ]; then
      echo "installing postgresql $1 (Debian package)"; apt-get update -qq && apt-get install -y -qq "postgresql-$1" >/dev/null
    fi
  else
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      echo "installing postgresql (Debian package)"; apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    fi
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_init() { as_pg "$PGBIN/initdb" -D "$1" -A trust -U postgres >/dev/null; }

pg_start() { as_pg "$PGBIN/pg_ctl" -D "$1" -l "$2" -w -o "-p $3 -k $4 ${5:-}" start >/dev/null; }

pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$1" -m fast stop >/dev/null 2>&1 || true; }

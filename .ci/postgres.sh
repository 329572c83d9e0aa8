# Source this: start a throwaway PostgreSQL (Debian's package) on a Unix socket for the
# history tests, export SITEAUDIT_TEST_POSTGRES, and stop it when the shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
if [ -n "$pg_bin" ]; then
  pg_dir=$(mktemp -d /tmp/siteaudit-pg.XXXXXX)
  chmod 755 "$pg_dir"
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-k $pg_dir -c listen_addresses='' -p 54329" start >/dev/null
  export SITEAUDIT_TEST_POSTGRES="postgresql://postgres@/postgres?host=$pg_dir&port=54329"
  trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
else
  echo "no PostgreSQL: the history tests run on SQLite only" >&2
fi

#!/usr/bin/env bash
# Loads pg_stat_statements on the local test server so `/ops db slow` is tested
# against the real extension. Idempotent: does nothing when it is already loaded.
# The extension itself (CREATE EXTENSION) is created by the tests, per database.
set -euo pipefail

PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -XAtq)
current="$("${PSQL[@]}" -c 'SHOW shared_preload_libraries')"
if [[ ",${current// /}," == *",pg_stat_statements,"* ]]; then
  echo "ci: pg_stat_statements already loaded"
  exit 0
fi

# Keep whatever else is preloaded; the setting is a comma-separated list.
libs="${current:+$current,}pg_stat_statements"
"${PSQL[@]}" -c "ALTER SYSTEM SET shared_preload_libraries = '${libs//\'/}'"

echo "ci: restarting PostgreSQL to load pg_stat_statements"
pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main restart
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "ci: PostgreSQL did not come back" >&2; exit 1; }

loaded="$("${PSQL[@]}" -c 'SHOW shared_preload_libraries')"
[[ "$loaded" == *pg_stat_statements* ]] || { echo "ci: pg_stat_statements still not loaded ($loaded)" >&2; exit 1; }
echo "ci: pg_stat_statements loaded"

# shellcheck shell=bash
#
# Throw-away PostgreSQL cluster helpers for scripts/test.
#
# Source this file, then:
#
#   pg_tmp_start      # initdb + start on 127.0.0.1:<free port>; sets PG_TMP_* vars
#   ...               # use "$PG_TMP_URL" (superuser) / create roles etc.
#   pg_tmp_stop       # pg_ctl stop -m immediate + delete the temp dir (idempotent)
#
# For replication and fault drills (PG_TMP_REPLICATION=1 before pg_tmp_start
# gives the primary wal_level=replica and WAL senders):
#
#   pg_tmp_replica_start  # pg_basebackup -R from the primary, start it as a
#                         # hot standby on another port; sets PG_TMP_REPLICA_*
#   pg_tmp_replica_halt   # stop the replica (fast), keep its data
#   pg_tmp_halt           # stop the primary (fast), keep its data
#   pg_tmp_resume         # start the stopped primary again on the same port
#
# The caller is responsible for calling pg_tmp_stop from an EXIT trap.
#
# Variables set by pg_tmp_start:
#   PG_TMP_BINDIR   directory holding initdb/pg_ctl/postgres
#   PG_TMP_DIR      the temp dir (data/, sock/, postgres.log live inside)
#   PG_TMP_DATA     data directory
#   PG_TMP_SOCK     unix socket directory
#   PG_TMP_LOG      server log file
#   PG_TMP_PORT     TCP port on 127.0.0.1
#   PG_TMP_URL      postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
#
# Works as root (PostgreSQL binaries are run as the "postgres" OS user via
# runuser) and as an ordinary user (binaries run directly).

PG_TMP_BINDIR=""
PG_TMP_DIR=""
PG_TMP_DATA=""
PG_TMP_SOCK=""
PG_TMP_LOG=""
PG_TMP_PORT=""
PG_TMP_URL=""
PG_TMP_SUPERUSER=""
_PG_TMP_STARTED=""

_pg_tmp_log() { printf '[postgres] %s\n' "$*" >&2; }

# Millisecond wall clock, for the timings we print.
_pg_tmp_now_ms() { date +%s%3N; }

# Locate the PostgreSQL server binaries. Prefers version 15 (Debian 12),
# falls back to the newest /usr/lib/postgresql/*/bin, then to $PATH.
pg_tmp_find_bindir() {
	if [[ -n "${PG_BINDIR:-}" ]]; then
		PG_TMP_BINDIR="$PG_BINDIR"
	elif [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
		PG_TMP_BINDIR=/usr/lib/postgresql/15/bin
	else
		local d best=""
		for d in /usr/lib/postgresql/*/bin; do
			[[ -x "$d/initdb" ]] && best="$d"
		done
		if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then
			best="$(dirname "$(command -v initdb)")"
		fi
		PG_TMP_BINDIR="$best"
	fi
	local b
	for b in initdb pg_ctl postgres; do
		if [[ -z "$PG_TMP_BINDIR" || ! -x "$PG_TMP_BINDIR/$b" ]]; then
			_pg_tmp_log "cannot find PostgreSQL server binary '$b' (looked in ${PG_TMP_BINDIR:-/usr/lib/postgresql/*/bin}); set PG_BINDIR"
			return 1
		fi
	done
}

# Run a PostgreSQL server binary as the right OS user, from a directory that
# user can read (avoids "could not change directory" warnings).
_pg_tmp_run() {
	if [[ "$(id -u)" -eq 0 ]]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

# Is something already accepting connections on 127.0.0.1:$1 ?
_pg_tmp_port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Print a port that nothing is listening on right now, outside the kernel's
# ephemeral range: a port in that range may be held at any moment by some
# client's outgoing connection, and PostgreSQL then fails to bind it (a CI run
# lost its replica that way). Randomised start so concurrent runs on one
# machine rarely collide (collisions are retried by the callers).
_pg_tmp_free_port() {
	local i port lo=32768 hi=60999 range
	if range="$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)"; then
		read -r lo hi <<<"$range"
	fi
	for ((i = 0; i < 200; i++)); do
		port=$((10000 + (RANDOM * 32768 + RANDOM) % 55000))
		if ((port >= lo && port <= hi)); then
			continue
		fi
		if ! _pg_tmp_port_busy "$port"; then
			echo "$port"
			return 0
		fi
	done
	_pg_tmp_log "could not find a free TCP port"
	return 1
}

# Start the cluster in $1 with its log in $2 (pg_ctl's own output in $3) on a
# free port, trying another port when the chosen one was taken between the
# check and the bind. Prints the port on success.
_pg_tmp_start_on_free_port() {
	local data="$1" log="$2" ctllog="$3" attempt port
	for attempt in 1 2 3 4 5; do
		port="$(_pg_tmp_free_port)" || return 1
		: >"$log"
		if [[ "$(id -u)" -eq 0 ]]; then
			chown postgres: "$log" || return 1
		fi
		if _pg_tmp_run "$PG_TMP_BINDIR/pg_ctl" start \
			--pgdata="$data" --log="$log" \
			--wait --timeout=60 --silent \
			-o "-p $port" >"$ctllog" 2>&1; then
			echo "$port"
			return 0
		fi
		if grep -q 'Address already in use' "$log" 2>/dev/null; then
			_pg_tmp_log "port $port was taken in the meantime; retrying ($attempt/5)"
			continue
		fi
		return 2
	done
	_pg_tmp_log "could not start PostgreSQL after 5 attempts"
	return 1
}

pg_tmp_start() {
	local t0 t1 t2
	t0=$(_pg_tmp_now_ms)
	pg_tmp_find_bindir || return 1

	if [[ "$(id -u)" -eq 0 ]]; then
		if ! id postgres >/dev/null 2>&1; then
			_pg_tmp_log "running as root but there is no 'postgres' OS user (is the postgresql package installed?)"
			return 1
		fi
		PG_TMP_SUPERUSER=postgres
	else
		PG_TMP_SUPERUSER="$(id -un)"
	fi

	# Always under /tmp: short path (unix socket paths are limited to ~107
	# bytes) and traversable by the postgres user whatever $TMPDIR says.
	PG_TMP_DIR="$(mktemp -d /tmp/termtem-pg.XXXXXX)" || return 1
	PG_TMP_DATA="$PG_TMP_DIR/data"
	PG_TMP_SOCK="$PG_TMP_DIR/sock"
	PG_TMP_LOG="$PG_TMP_DIR/postgres.log"
	mkdir -p "$PG_TMP_SOCK" || return 1
	: >"$PG_TMP_LOG"
	if [[ "$(id -u)" -eq 0 ]]; then
		chown -R postgres: "$PG_TMP_DIR" || return 1
	fi

	if ! _pg_tmp_run "$PG_TMP_BINDIR/initdb" \
		--pgdata="$PG_TMP_DATA" \
		--username="$PG_TMP_SUPERUSER" \
		--encoding=UTF8 --locale=C.UTF-8 \
		--auth=trust --no-sync \
		>"$PG_TMP_DIR/initdb.log" 2>&1; then
		_pg_tmp_log "initdb failed:"
		cat "$PG_TMP_DIR/initdb.log" >&2 || true
		return 1
	fi
	t1=$(_pg_tmp_now_ms)

	# Speed over durability: this cluster is deleted at exit anyway.
	# Minimal WAL unless replication is asked for.
	_PG_TMP_WAL_LEVEL=minimal
	_PG_TMP_WAL_SENDERS=0
	if [[ "${PG_TMP_REPLICATION:-}" == 1 ]]; then
		_PG_TMP_WAL_LEVEL=replica
		_PG_TMP_WAL_SENDERS=4
	fi
	cat >>"$PG_TMP_DATA/postgresql.conf" <<-EOF

		# --- added by scripts/lib-postgres.sh (throw-away test cluster) ---
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$PG_TMP_SOCK'
		max_connections = 300
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		wal_level = ${_PG_TMP_WAL_LEVEL}
		max_wal_senders = ${_PG_TMP_WAL_SENDERS}
		log_line_prefix = '%m [%p] %q%u@%d '
	EOF

	local port rc=0
	port="$(_pg_tmp_start_on_free_port "$PG_TMP_DATA" "$PG_TMP_LOG" "$PG_TMP_DIR/pg_ctl.log")" || rc=$?
	if ((rc == 2)); then
		_pg_tmp_log "pg_ctl start failed:"
		cat "$PG_TMP_DIR/pg_ctl.log" "$PG_TMP_LOG" >&2 || true
		# pg_ctl may have left a postmaster behind after a timeout.
		_PG_TMP_STARTED=1
		return 1
	fi
	if ((rc != 0)); then
		return 1
	fi
	PG_TMP_PORT="$port"
	_PG_TMP_STARTED=1

	# pg_ctl --wait already waited; double-check over TCP (bounded, ~30 s).
	local i ready=""
	for ((i = 0; i < 60; i++)); do
		if "$PG_TMP_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_TMP_PORT" -U "$PG_TMP_SUPERUSER" -d postgres -t 2 >/dev/null 2>&1; then
			ready=1
			break
		fi
		sleep 0.5
	done
	if [[ -z "$ready" ]]; then
		_pg_tmp_log "server on 127.0.0.1:$PG_TMP_PORT not ready after 30s; log:"
		cat "$PG_TMP_LOG" >&2 || true
		return 1
	fi
	t2=$(_pg_tmp_now_ms)

	PG_TMP_URL="postgres://$PG_TMP_SUPERUSER@127.0.0.1:$PG_TMP_PORT/postgres?sslmode=disable"
	_pg_tmp_log "started $("$PG_TMP_BINDIR/postgres" --version) on 127.0.0.1:$PG_TMP_PORT (initdb $((t1 - t0)) ms, start $((t2 - t1)) ms, data in $PG_TMP_DATA)"
}

PG_TMP_REPLICA_DATA=""
PG_TMP_REPLICA_PORT=""
PG_TMP_REPLICA_URL=""

# Make a streaming replica of the running primary (started with
# PG_TMP_REPLICATION=1): pg_basebackup -R writes standby.signal and the
# connection to the primary; the replica listens on its own free port.
pg_tmp_replica_start() {
	local port
	PG_TMP_REPLICA_DATA="$PG_TMP_DIR/replica"
	if ! _pg_tmp_run "$PG_TMP_BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PG_TMP_PORT" -U "$PG_TMP_SUPERUSER" \
		-D "$PG_TMP_REPLICA_DATA" -R -X stream --checkpoint=fast >"$PG_TMP_DIR/basebackup.log" 2>&1; then
		_pg_tmp_log "pg_basebackup failed (was the primary started with PG_TMP_REPLICATION=1?):"
		cat "$PG_TMP_DIR/basebackup.log" >&2 || true
		return 1
	fi
	if ! port="$(_pg_tmp_start_on_free_port "$PG_TMP_REPLICA_DATA" "$PG_TMP_DIR/replica.log" "$PG_TMP_DIR/pg_ctl-replica.log")"; then
		_pg_tmp_log "replica start failed:"
		cat "$PG_TMP_DIR/pg_ctl-replica.log" "$PG_TMP_DIR/replica.log" >&2 || true
		return 1
	fi
	PG_TMP_REPLICA_PORT="$port"
	PG_TMP_REPLICA_URL="postgres://$PG_TMP_SUPERUSER@127.0.0.1:$port/postgres?sslmode=disable"
	_pg_tmp_log "replica of 127.0.0.1:$PG_TMP_PORT streaming on 127.0.0.1:$port"
}

# Stop the replica (fast), keeping its data directory.
pg_tmp_replica_halt() {
	_pg_tmp_run "$PG_TMP_BINDIR/pg_ctl" stop --pgdata="$PG_TMP_REPLICA_DATA" --mode=fast --wait --timeout=60 --silent
}

# Stop the primary as an operator's restart would (fast: clients are cut
# off, nothing is lost), keeping its data directory.
pg_tmp_halt() {
	_pg_tmp_run "$PG_TMP_BINDIR/pg_ctl" stop --pgdata="$PG_TMP_DATA" --mode=fast --wait --timeout=60 --silent
}

# Start the halted primary again on its port.
pg_tmp_resume() {
	_pg_tmp_run "$PG_TMP_BINDIR/pg_ctl" start --pgdata="$PG_TMP_DATA" --log="$PG_TMP_LOG" \
		--wait --timeout=60 --silent -o "-p $PG_TMP_PORT" >>"$PG_TMP_DIR/pg_ctl.log" 2>&1
}

# Print the tail of the server log (for diagnosing failed test runs).
pg_tmp_log_tail() {
	local n="${1:-60}"
	if [[ -n "$PG_TMP_LOG" && -s "$PG_TMP_LOG" ]]; then
		echo "----- last $n lines of the PostgreSQL server log ($PG_TMP_LOG) -----" >&2
		tail -n "$n" "$PG_TMP_LOG" >&2 || true
		echo "----- end of PostgreSQL server log -----" >&2
	fi
}

# Stop the cluster and delete its temp dir. Safe to call more than once and
# from an EXIT trap (never fails).
pg_tmp_stop() {
	local t0 t1
	t0=$(_pg_tmp_now_ms)
	if [[ -n "$_PG_TMP_STARTED" && -n "$PG_TMP_DATA" && -f "$PG_TMP_DATA/postmaster.pid" ]]; then
		if ! _pg_tmp_run "$PG_TMP_BINDIR/pg_ctl" stop \
			--pgdata="$PG_TMP_DATA" --mode=immediate \
			--wait --timeout=30 --silent >/dev/null 2>&1; then
			# Fall back to killing exactly the postmaster we started.
			local pid
			pid="$(head -n1 "$PG_TMP_DATA/postmaster.pid" 2>/dev/null || true)"
			if [[ "$pid" =~ ^[0-9]+$ ]]; then
				_pg_tmp_log "pg_ctl stop failed; sending SIGKILL to postmaster $pid"
				kill -KILL "$pid" 2>/dev/null || true
				sleep 1
			fi
		fi
	fi
	if [[ -n "$PG_TMP_DIR" && -f "$PG_TMP_DIR/replica/postmaster.pid" ]]; then
		_pg_tmp_run "$PG_TMP_BINDIR/pg_ctl" stop --pgdata="$PG_TMP_DIR/replica" \
			--mode=immediate --wait --timeout=30 --silent >/dev/null 2>&1 || true
	fi
	_PG_TMP_STARTED=""
	if [[ -n "$PG_TMP_DIR" && -d "$PG_TMP_DIR" ]]; then
		rm -rf -- "$PG_TMP_DIR" || true
	fi
	t1=$(_pg_tmp_now_ms)
	if [[ -n "$PG_TMP_DIR" ]]; then
		_pg_tmp_log "stopped and removed $PG_TMP_DIR ($((t1 - t0)) ms)"
	fi
	PG_TMP_DIR=""
	return 0
}

#!/usr/bin/env bash
# Runs the first command of the README exactly as written (in a throwaway copy of HEAD),
# waits for the server, checks the demo pages and a demo login over loopback, then stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill -- -"${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
git -C "$root" archive HEAD | tar -x -C "$work"  # what is committed, as a fresh clone has it
command="$(awk '/^```bash$/{grab=1; next} grab && /^```$/{exit} grab' "$root/README.md")"
echo "README command: $command"
cd "$work"
setsid bash -c "$command" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
  curl -fsS http://127.0.0.1:5000/healthz >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done
grep -q "asn@demo.id" "$work/server.log" || { echo "demo logins not printed"; cat "$work/server.log"; exit 1; }
grep -q "http://127.0.0.1:5000" "$work/server.log" || { echo "URL not printed"; cat "$work/server.log"; exit 1; }
check() {  # the whole body first: grep -q stopping early would fail curl (23) under pipefail
  local body; body="$(curl -fsS "http://127.0.0.1:5000$1")" || { echo "GET $1 failed"; exit 1; }
  grep -q "$2" <<<"$body" || { echo "GET $1 lacks '$2'"; exit 1; }
}
check / "Belanja di warung tetangga"
check /peringkat "Kota Palopo"
check /toko "wa.me/62"
check /wilayah/73.73 "Palopo"
token=$(curl -fsS -c "$work/cookies" http://127.0.0.1:5000/masuk | sed -n 's/.*name="csrf_token" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/cookies" -c "$work/cookies" \
  --data-urlencode "csrf_token=$token" -d "login=asn@demo.id&password=demo12345" http://127.0.0.1:5000/masuk)
[ "$code" = 302 ] || { echo "demo login answered $code"; exit 1; }
saya="$(curl -fsS -b "$work/cookies" http://127.0.0.1:5000/saya)"
grep -q "Janji &amp; Belanja Saya" <<<"$saya" || { echo "/saya lacks its heading"; exit 1; }
echo "README command: served, demo data and demo login OK"

#!/usr/bin/env bash
# The real trees perfscan is measured on (blind reads, per-rule counts, the sweep, the cost
# figures): the standard library plus Debian's packages of libraries and Django applications,
# fetched with `apt-get download` and unpacked with `dpkg -x` (no package is installed, so no
# maintainer script runs and the machine's Python is untouched), then scanned one JSON report
# per tree.
#
#   bash bench/trees.sh fetch                          # download + unpack into $TREES_DIR/root
#   bash bench/trees.sh scan BIN OUTDIR [ARGS...]      # OUTDIR/<tree>.json for every tree
#   bash bench/trees.sh paths [TREE...]                # the folders of the named (or all) trees
#
# TREES_DIR defaults to /opt/trees. Libraries: stdlib, django, sqlalchemy, aiohttp; Django
# applications: lava, graphite, hyperkitty, postorius; data code: pandas, seaborn, statsmodels;
# asyncio clients, servers and bots: async (ASYNC_PACKAGES below); and `wide` (WIDE_PACKAGES,
# scanned only when TREES_SCAN names it).
# bench/blind_sample.py reads the first eight by these names. `scan` passes ARGS to perfscan
# after `--isolated --format json --exit-zero` (e.g. `--select ALL`).
set -euo pipefail

TREES_DIR="${TREES_DIR:-/opt/trees}"
# asyncio code beyond aiohttp (clients, servers, bots, drivers): where the async rules fire, so
# their precision can be measured at all. One tree, `async`, of all their packages.
ASYNC_PACKAGES=(discord matrix-nio slixmpp aioxmpp jupyter-server uvicorn aiortc bleak zeroconf
                tornado motor starlette fastapi httpx websockets aiosmtpd quart hypercorn daphne
                aio-pika aiomysql aiopg aiosqlite asyncpg)
ASYNC_FOLDERS=(discord nio slixmpp aioxmpp jupyter_server uvicorn aiortc bleak zeroconf tornado
               motor starlette fastapi httpx websockets aiosmtpd quart hypercorn daphne aio_pika
               aiomysql aiopg aiosqlite asyncpg)
ROOT="$TREES_DIR/root"
SITE="$ROOT/usr/lib/python3/dist-packages"
PACKAGES=(python3-django python3-sqlalchemy python3-aiohttp lava-server lava-server-doc
          graphite-web python3-django-hyperkitty python3-django-postorius
          python3-pandas python3-pandas-lib python3-seaborn python3-statsmodels
          "${ASYNC_PACKAGES[@]/#/python3-}")
TREES=(stdlib django sqlalchemy aiohttp lava graphite hyperkitty postorius
       pandas seaborn statsmodels async)
# `wide`: 37 more packages (about 21k files), unpacked apart in $TREES_DIR/wide so the trees
# above stay as measured. It gives the rules that stay silent on those trees findings to read
# (blind read of 2026-12-07). Scanned only when named: TREES_SCAN=wide bash bench/trees.sh scan ...
WIDE_PACKAGES=(python3-twisted python3-requests python3-flask python3-celery python3-scrapy
               python3-botocore python3-boto3 python3-sympy python3-matplotlib python3-sklearn
               python3-networkx python3-scipy python3-nltk python3-paramiko ansible-core ansible
               python3-kombu python3-redis python3-psycopg2 python3-pymongo
               python3-flask-sqlalchemy python3-alembic python3-werkzeug python3-jinja2 python3-dask
               python3-distributed python3-astropy python3-numba python3-pip mercurial buildbot
               python3-aiohttp-jinja2 python3-trio python3-anyio python3-gevent python3-eventlet
               python3-pika)

# The folders one tree is made of, one a line (lava is several top-level packages).
tree_paths() {
  case "$1" in
    stdlib) python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' ;;
    django | sqlalchemy | aiohttp | hyperkitty | postorius | pandas | seaborn | statsmodels)
      echo "$SITE/$1" ;;
    lava) find "$SITE" -maxdepth 1 -type d -name 'lava*' ! -name '*.egg-info' | sort ;;
    graphite) echo "$SITE/graphite" ;;
    wide) echo "$TREES_DIR/wide/usr/lib/python3/dist-packages" ;;
    async) local folder
      for folder in "${ASYNC_FOLDERS[@]}"; do [[ -d $SITE/$folder ]] && echo "$SITE/$folder"; done ;;
    *) echo "bench/trees.sh: unknown tree '$1'" >&2; return 2 ;;
  esac
}

fetch() {
  mkdir -p "$TREES_DIR/debs" "$ROOT"
  if [[ ! -f /var/lib/apt/lists/lock ]] || ! ls /var/lib/apt/lists/*Packages* >/dev/null 2>&1; then
    apt-get update -qq
  fi
  local package
  for package in "${PACKAGES[@]}"; do
    if ! ls "$TREES_DIR/debs/${package}_"*.deb >/dev/null 2>&1; then
      (cd "$TREES_DIR/debs" && apt-get download -qq "$package" 2>/dev/null) ||
        echo "bench/trees.sh: could not download $package (skipped)" >&2
    fi
  done
  local deb
  for deb in "$TREES_DIR"/debs/*.deb; do
    dpkg -x "$deb" "$ROOT"
  done
  mkdir -p "$TREES_DIR/wide-debs" "$TREES_DIR/wide"
  for package in "${WIDE_PACKAGES[@]}"; do
    if ! ls "$TREES_DIR/wide-debs/${package}_"*.deb >/dev/null 2>&1; then
      (cd "$TREES_DIR/wide-debs" && apt-get download -qq "$package" 2>/dev/null) ||
        echo "bench/trees.sh: could not download $package (skipped)" >&2
    fi
  done
  for deb in "$TREES_DIR"/wide-debs/*.deb; do
    dpkg -x "$deb" "$TREES_DIR/wide"
  done
  for package in "${TREES[@]}" wide; do
    printf '%-12s %s\n' "$package" "$(tree_paths "$package" | tr '\n' ' ')"
  done
}

scan() {
  local binary="$1" out="$2"
  shift 2
  mkdir -p "$out"
  local tree
  # shellcheck disable=SC2206  # TREES_SCAN is a list of tree names
  local trees=(${TREES_SCAN:-${TREES[*]}})
  for tree in "${trees[@]}"; do
    mapfile -t paths < <(tree_paths "$tree")
    if ((${#paths[@]} == 0)) || [[ ! -d ${paths[0]} ]]; then
      echo "bench/trees.sh: $tree is not unpacked (run: bash bench/trees.sh fetch)" >&2
      continue
    fi
    "$binary" --isolated --format json --exit-zero "$@" -o "$out/$tree.json" "${paths[@]}" \
      2>"$out/$tree.stderr" || echo "bench/trees.sh: perfscan failed on $tree" >&2
    printf '%-12s %s findings\n' "$tree" \
      "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' \
        "$out/$tree.json")"
  done
}

case "${1:-}" in
  fetch) fetch ;;
  scan) shift; scan "$@" ;;
  paths) shift; for tree in "${@:-${TREES[@]}}"; do tree_paths "$tree"; done ;;
  *) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

#!/usr/bin/env bash
# Render a graph HTML page (from `directive-nlp graph --format html`) in headless Chromium
# and save a screenshot, to check that the offline page draws a graph.
#
# Usage: scripts/render_graph_html.sh GRAPH.html[#q=SEARCH|#node=ID] [SCREENSHOT.png] [WIDTHxHEIGHT]
#   default screenshot: same name as the page with .png; default size 1400x900.
#   A fragment opens the page searched for SEARCH (first hit focused) or with node ID selected.
# Needs Debian's `chromium` (apt-get update && apt-get install -y chromium).
# Network access is disabled for the browser: the page must need nothing outside itself.
# Exit status: 0 when the screenshot was written, 2 when chromium is missing, 1 otherwise.
set -euo pipefail

arg=${1:?usage: $0 GRAPH.html[#fragment] [SCREENSHOT.png] [WIDTHxHEIGHT]}
page=${arg%%#*}
fragment=""
if [ "$page" != "$arg" ]; then fragment="#${arg#*#}"; fi
shot=${2:-${page%.*}.png}
size=${3:-1400x900}
size=${size/x/,}

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  echo "render_graph_html: chromium is not installed (apt-get install -y chromium)" >&2
  exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs_page=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
rm -f "$shot"

# --virtual-time-budget lets the layout script finish before the screenshot is taken;
# the proxy settings make any network request fail instead of leaving the machine.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --disable-sync --disable-extensions \
  --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
  --user-data-dir="$profile" --hide-scrollbars --virtual-time-budget=5000 \
  --window-size="$size" --screenshot="$shot" "file://$abs_page$fragment" >/dev/null 2>&1 || true

if [ ! -s "$shot" ]; then
  echo "render_graph_html: no screenshot written for $page" >&2
  exit 1
fi
echo "$shot"

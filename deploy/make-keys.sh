#!/usr/bin/env bash
# Makes the API keys of an HA deployment and writes them to an env file (default: .env beside
# docker-compose.yml, which compose reads by itself), mode 0600:
#   CP_ADMIN_TOKEN      yours: cpctl --token / CPCTL_TOKEN (no service reads it)
#   CP_SERVICE_TOKEN    the services' own key (operator), Access__ClientToken of each service
#   CP_AGENT_TOKEN      the Agents' key (agent), Access__ClientToken of each Agent
# and the SHA-256 of each (CP_*_SHA256), which is all the services are configured with (Access__Keys__*__Sha256).
# An existing file is kept: delete it to make new keys. For Kubernetes, put the same values in the Secret
# (deploy/k8s/kustomization.yaml shows how).
set -euo pipefail
out=${1:-"$(dirname "$0")/../.env"}
if [[ -e $out ]] && grep -q '^CP_ADMIN_TOKEN=' "$out"; then
  echo "$out already holds keys; delete it to make new ones" >&2
  exit 1
fi
umask 077
token() { printf 'cpk_%s' "$(openssl rand -hex 32)"; }
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
{
  for name in ADMIN SERVICE AGENT; do
    value=$(token)
    echo "CP_${name}_TOKEN=$value"
    echo "CP_${name}_TOKEN_SHA256=$(sha "$value")"
  done
} >>"$out"
chmod 600 "$out"
echo "Keys written to $out (mode 0600). Your admin key: $(grep '^CP_ADMIN_TOKEN=' "$out" | cut -d= -f2)" >&2

#!/bin/sh
# Renders definitions.json with the passwords from the environment (RabbitMQ's definitions cannot read the
# environment themselves), then runs the image's own entrypoint. Permissions per role, in definitions.json:
#   controlplane  the services: everything in the vhost
#   cp-agent      Agents: their queues controlplane-agent-*, publishing ReleaseApplied/ReleaseFailed (and faults);
#                 no write on the default exchange, so not to controlplane.rollouts.start nor backups-create-backup
#   cp-trigger    tooling that starts rollouts: write on the exchange controlplane.rollouts.start, and queues
#                 cp-trigger.* of its own bound to the ControlPlane.Contracts:Rollout* events for the answers
#   cp-viewer     reads events through queues cp-viewer.* of its own; starts nothing
set -eu
out=/tmp/controlplane-rabbitmq
mkdir -p "$out"
# Escaped for a JSON string, then for sed's replacement (\, & and the | delimiter).
esc() { printf '%s' "$1" | sed -e 's/[\\"]/\\&/g' -e 's/[\\&|]/\\&/g'; }
sed -e "s|\${RABBITMQ_PASSWORD}|$(esc "${RABBITMQ_PASSWORD:-controlplane}")|" \
    -e "s|\${RABBITMQ_AGENT_PASSWORD}|$(esc "${RABBITMQ_AGENT_PASSWORD:-cp-agent}")|" \
    -e "s|\${RABBITMQ_TRIGGER_PASSWORD}|$(esc "${RABBITMQ_TRIGGER_PASSWORD:-cp-trigger}")|" \
    -e "s|\${RABBITMQ_VIEWER_PASSWORD}|$(esc "${RABBITMQ_VIEWER_PASSWORD:-cp-viewer}")|" \
    /etc/rabbitmq/controlplane/definitions.json >"$out/definitions.json"
chmod 644 "$out/definitions.json"
exec docker-entrypoint.sh "$@"

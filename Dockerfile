# One image for the gateway and the four subgraphs. The TypeScript sources run as they are through tsx
# (no build step, as with `npm start`), so the image keeps the dev dependencies: tsx is one of them.
#
#   docker build -t commerce-supergraph .                      # runs the gateway
#   docker build --build-arg SERVICE=users -t commerce-users . # or choose another service
#   docker run -e SERVICE=orders ... commerce-supergraph        # or choose at run time
#
# docker-compose.yml builds it once and sets each container's `command` explicitly.
# No secrets are baked in: keys, passwords and URLs come from the environment at run time.

ARG NODE_IMAGE=node:24-slim

# ---- deps: the workspace's node_modules, from the lockfile only --------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# Only the manifests, so this layer is rebuilt when dependencies change, not when sources do.
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY gateway/package.json gateway/
COPY subgraphs/users/package.json subgraphs/users/
COPY subgraphs/products/package.json subgraphs/products/
COPY subgraphs/inventory/package.json subgraphs/inventory/
COPY subgraphs/orders/package.json subgraphs/orders/
COPY supergraph/package.json supergraph/
RUN npm ci && npm cache clean --force

# ---- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# gateway or a subgraph of supergraph/src/subgraphs.ts (users | products | inventory | orders): the one
# the image's default command runs.
ARG SERVICE=gateway
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only for the service user. npm ci linked node_modules/@commerce/* to the
# workspace folders with relative links, so the same layout under /app keeps them valid.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY common ./common
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY supergraph ./supergraph
COPY schema ./schema
# The gateway's trusted documents (TRUSTED_DOCUMENTS): the typed client's persisted-documents manifest.
COPY test/client/generated/persisted-documents.json ./test/client/generated/
# The one entry point the services run; the rest of scripts/ is development tooling.
COPY scripts/service.ts ./scripts/
USER node
EXPOSE 4000 4001 4002 4003 4004
# scripts/service.ts starts the service named by its argument or, with none, by SERVICE. Exec form:
# node is PID 1 and gets SIGTERM, which service.ts handles by closing the service.
CMD ["node", "--import", "tsx", "scripts/service.ts"]

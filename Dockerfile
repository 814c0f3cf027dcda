# syntax=docker/dockerfile:1
# opsbot for production: compile with the dev dependencies, run on production
# dependencies only, as the unprivileged `node` user.
#   docker build -t opsbot .
#   docker run --env-file .env -v $PWD/ops.yml:/app/ops.yml:ro -p 3000:3000 opsbot serve
# Node 24 LTS (package.json engines: >=22; the tests run on 24 and 22).
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Compile TypeScript to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY views ./views
# tsc (tsconfig.build.json: src, commands, views) plus the files read at run time (SQL migrations, …) into dist/.
RUN npm run build

# 2. Production dependencies only (no vitest, no embedded Postgres, no Playwright).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: skips `prepare` (tsc is a dev dependency); every native
# dependency used at run time ships prebuilt binaries in its npm package.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The image that runs.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    OPS_CONFIG=/app/ops.yml
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ops.example.yml manifest.yml ./
# Code is owned by root and read-only to the process; it runs as `node` (uid 1000).
USER node
EXPOSE 3000
# Process up; orchestrators should use GET /readyz (Postgres and Redis reachable) for readiness.
# `opsbot worker` serves no HTTP: give worker containers their own check (see docker-compose.yml).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Compiled JavaScript, never tsx; an 8 MB young generation (per semi-space) keeps an idle bot near 140 MB RSS
# and the storm peak near 180 MB instead of ~300 MB (Node 24 lets it grow to 64 MB). See docs/benchmarks.md, "Memory".
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/src/main.js"]
CMD ["serve"]

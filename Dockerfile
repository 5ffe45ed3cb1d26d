# tokenwatch: the reminder daemon in a container.
#   docker build -t tokenwatch .                 # image (runs the same `npm ci` + `npm run build` as a clone)
#   docker build --target test -t tokenwatch:test .   # optional: also runs `npm test` inside the build
# Node 24 is the current LTS; the project supports Node >= 20 (CI runs on 20), so older LTS images work too.
ARG NODE_VERSION=24

# --- build: compile TypeScript and native modules with the project's own npm scripts -------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source where no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# `npm ci` runs the `prepare` script, i.e. `npm run build`, exactly as on a fresh clone.
RUN npm ci

# --- test (optional target): the README's test command inside the build environment ------------------------------
FROM build AS test
COPY . .
RUN npm test

# --- prune: runtime dependencies only ------------------------------------------------------------------------------
FROM build AS prune
RUN npm prune --omit=dev

# --- runtime: slim image, non-root, registry on a volume ----------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    TOKENWATCH_HTTP=0.0.0.0:9412
COPY --from=prune /app/node_modules ./node_modules
COPY --from=prune /app/dist ./dist
COPY package.json ./
COPY config ./config
# data/ holds the SQLite registry and the preview folder; owned by the unprivileged `node` user of the base image.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 9412
# /healthz answers 503 when the last scan failed or is overdue; node's fetch avoids shipping curl.
HEALTHCHECK --interval=60s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9412/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--optimize-for-size", "--expose-gc", "dist/src/cli/main.js"]
CMD ["daemon"]

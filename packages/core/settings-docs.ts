/**
 * One line for people about each setting, for the root README's table of variables (written by
 * `pnpm sync-metadata`); Markdown, links relative to the root README. Kept apart from the table of
 * settings, which every package bundles: no watcher needs these words at run time.
 */
import type { SettingRow } from './settings.js';

/** Each setting's line, by its key: one for every row (the type says so). */
export const SETTING_DOCS: { readonly [K in SettingRow['key']]: string } = {
  enabled:
    '`false`/`0`/`no`/`off` (case-insensitive, trimmed) switch the watcher off; other unknown words keep it on and warn (shared with LocalAI)',
  interval:
    'poll interval (shared with LocalAI): `500ms`, `2s`, `1m30s`, `.5s`, `2` (seconds), `2 seconds`; clamped to [10 ms, 2147483647 ms]',
  parentPid:
    "the supervisor's pid (set by `spawnWorker`): closes the start-up race; honoured when it is the parent or behind pass-through wrappers, " +
    "ignored when inherited from further up; taken out of `process.env` when the watcher arms, so the worker's own children do not inherit it",
  parentPidNs:
    "the supervisor's PID namespace (`pid:[…]`, set by `spawnWorker`): a worker in another namespace does not judge `LIFELINE_PARENT_PID` ([PID namespaces](#pid-1-and-containers))",
  grace: 'deadline for cleanup after the orphaning',
  thread:
    'watch from a worker thread (survives a blocked event loop); it needs 16 free file descriptors at start, else one warning and the main-loop watcher',
  parentFd:
    'the lifeline pipe: an inherited descriptor whose other end only the supervisor holds; its end of file tells the worker within milliseconds, ' +
    'at any interval (set by `spawnWorker`; [protocol for Go, Python, Rust, shell](docs/lifeline-pipe.md)). Honoured only with a `LIFELINE_PARENT_PID` ' +
    "that names the parent, never one of the process's own descriptors; taken out of `process.env` like it",
  stdin:
    "leave (exit 0) when stdin ends, once the app's own end-of-input handlers (`'end'`, readline's `'close'`) have run: " +
    'stdio servers (LSP, MCP) whose host is gone; never reads stdin itself',
  stdio:
    "when stdout or stderr is a pipe or a socket (Node's `spawn`, Python's `Popen(stdout=PIPE)`), its reader going away re-checks the parent at once: " +
    'milliseconds without a lifeline pipe; a hint, never proof (a `\\| tee` that ends kills nothing); never touches the output. Linux on Node only: not Bun or Deno ' +
    '([the stdio hint](packages/parent-watch/README.md#stdouts-and-stderrs-reader))',
  raise:
    "e.g. `SIGTERM`: on orphan, raise it instead of exiting, so the app's own graceful shutdown (close-with-grace, terminus, Fastify) runs; the grace deadline still holds",
  wrappers:
    'a worker started through `npm run`, `npx`, `pnpm run`, `sh -c`, tsx, `node --watch`, `timeout`… watches the supervisor behind them ' +
    '([the rule and the table](packages/parent-watch/README.md#seeing-through-wrappers)); `false`/`0`/`no`/`off` watch the parent alone; program names add wrappers',
};

export { parseDuration } from './env/duration.js';
export { resolveConfig } from './env/config.js';

/**
 * The IPC hint: a `fork()`ed worker's channel ends when its parent dies (the kernel closes the parent's
 * end, just before it reparents the worker), and Node emits `'disconnect'`. A hint only: an application or
 * a parent that disconnects on purpose makes the watcher check the parent again, never leave.
 */

/** Whether this process has an IPC channel (it was started by `fork()` or with `'ipc'` in its stdio). */
export function hasIpcChannel(): boolean {
  return typeof process.send === 'function';
}

/** Node's channel object in a forked child: it counts what keeps the channel referenced. */
interface CountedChannel {
  refCounted(): void;
  unrefCounted(): void;
}

function countedChannel(): CountedChannel | undefined {
  const channel = process.channel as Partial<CountedChannel> | undefined;
  return typeof channel?.refCounted === 'function' && typeof channel.unrefCounted === 'function'
    ? (channel as CountedChannel)
    : undefined;
}

/**
 * Whether the IPC hint can be listened to here: there is a channel, and listening to it would not keep the
 * process alive — Node and Deno count what holds the channel, and this hint's count is taken back; Bun's
 * channel keeps no count, and a `'disconnect'` listener there holds the process while its parent lives.
 * A channel gone already can still be told (nothing left to hold).
 */
export function ipcHintUsable(): boolean {
  return hasIpcChannel() && (process.connected === false || countedChannel() !== undefined);
}

/**
 * Call `onHint` on the channel's `'disconnect'` — or, when the channel is gone already (its one event came
 * before this listened: the light watcher listens from the first turn of the event loop), in the check
 * phase, after the caller's synchronous code as the event would be. Returns how to stop; a no-op where the
 * hint is not usable ({@link ipcHintUsable}).
 *
 * Holds nothing open. Node keeps a forked child alive while it has a `'disconnect'` (or `'message'`)
 * listener, counting them on the channel: this listener's count is taken back at once, and given back
 * before the listener goes (Node takes it then), so the application's own listeners and sends count as
 * without it.
 */
export function watchIpc(onHint: () => void): () => void {
  if (!hasIpcChannel()) return () => {};
  if (process.connected === false) {
    const missed = setImmediate(onHint);
    return () => clearImmediate(missed);
  }
  const channel = countedChannel();
  if (channel === undefined) return () => {};
  process.on('disconnect', onHint);
  channel.unrefCounted();
  return () => {
    channel.refCounted();
    process.removeListener('disconnect', onHint);
  };
}

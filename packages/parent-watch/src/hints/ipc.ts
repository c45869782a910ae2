/**
 * The IPC hint: a `fork()`ed worker's channel ends when its parent dies (the kernel closes the parent's
 * end, just before it reparents the worker), and Node emits `'disconnect'`. A hint only: an application or
 * a parent that disconnects on purpose makes the watcher check the parent again, never leave.
 */

/** Whether this process has an IPC channel (it was started by `fork()` or with `'ipc'` in its stdio). */
export function hasIpcChannel(): boolean {
  return typeof process.send === 'function';
}

/**
 * Call `onHint` on the channel's `'disconnect'` — or, when the channel is gone already (its one event came
 * before this listened: the light watcher listens from the first turn of the event loop), in the check
 * phase, after the caller's synchronous code as the event would be. Returns how to stop; with no channel, a
 * no-op. Holds nothing open (Node refs the channel for `'message'` listeners only): the process leaves when
 * its work is done, as without it.
 */
export function watchIpc(onHint: () => void): () => void {
  if (!hasIpcChannel()) return () => {};
  process.on('disconnect', onHint);
  const missed = process.connected === false ? setImmediate(onHint) : undefined;
  return () => {
    clearImmediate(missed);
    process.removeListener('disconnect', onHint);
  };
}

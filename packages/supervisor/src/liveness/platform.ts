import { readStat } from '@lifeline/parent-watch/proc';

/** Whether `/proc` can be read here (Linux with procfs mounted). @internal */
export function hasProcfsHere(): boolean {
  return readStat(process.pid) !== null;
}

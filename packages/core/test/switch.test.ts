import { describe, expect, it } from 'vitest';
import { readSwitch } from '@lifeline/core/switch';

describe('readSwitch: an on/off word, read as LocalAI reads LOCALAI_BACKEND_PARENT_WATCH', () => {
  it.each(['false', '0', 'no', 'off', ' OFF ', 'False', 'NO'])('%j is off, whatever the fallback', (raw) => {
    expect(readSwitch(raw, true)).toEqual({ value: false, recognised: true });
    expect(readSwitch(raw, false)).toEqual({ value: false, recognised: true });
  });

  it.each(['true', '1', 'yes', 'on', ' Yes ', 'TRUE'])('%j is on, whatever the fallback', (raw) => {
    expect(readSwitch(raw, false)).toEqual({ value: true, recognised: true });
  });

  it.each([undefined, '', '   '])('%j gives the fallback, recognised', (raw) => {
    expect(readSwitch(raw, true)).toEqual({ value: true, recognised: true });
    expect(readSwitch(raw, false)).toEqual({ value: false, recognised: true });
  });

  it.each(['maybe', '2', 'disable', 'o n', 'nope'])(
    '%j gives the fallback and is not recognised (a warning is due)',
    (raw) => {
      expect(readSwitch(raw, true)).toEqual({ value: true, recognised: false });
      expect(readSwitch(raw, false)).toEqual({ value: false, recognised: false });
    },
  );
});

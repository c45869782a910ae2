import { describe, expect, it } from 'vitest';
import { platformFacts } from '@lifeline/core/platform';

describe('platformFacts', () => {
  it('Windows: the parent watched by its liveness, no process groups, no signal handlers, children in a job', () => {
    expect(platformFacts('win32')).toEqual({
      parentDeath: 'liveness',
      processGroups: false,
      signalHandlers: false,
      childrenInJob: true,
    });
  });

  it.each(['linux', 'darwin', 'freebsd', 'openbsd', 'sunos', 'aix'] as const)(
    '%s: reparenting, as every Unix',
    (platform) => {
      expect(platformFacts(platform)).toEqual({
        parentDeath: 'reparenting',
        processGroups: true,
        signalHandlers: true,
        childrenInJob: false,
      });
    },
  );

  it('defaults to this process', () => {
    expect(platformFacts()).toEqual(platformFacts(process.platform));
  });
});

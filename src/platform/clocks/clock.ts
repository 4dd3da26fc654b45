/**
 * The only way code should learn the current time, so tests can pin or move it.
 */
export interface Clock {
  now(): Date;
}

export interface TestClock extends Clock {
  set(at: Date | string): void;
  /** Moves time forward; use set() to go backwards, so a reversed clock is always deliberate. */
  advance(ms: number): void;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const ms = toEpochMs(at);
  return { now: () => new Date(ms) };
}

export function createTestClock(start: Date | string): TestClock {
  let ms = toEpochMs(start);
  return {
    now: () => new Date(ms),
    set(at) {
      ms = toEpochMs(at);
    },
    advance(by) {
      if (!Number.isFinite(by) || by < 0) {
        throw new RangeError(`advance() takes a non-negative number of milliseconds, got ${String(by)}`);
      }
      ms += by;
    },
  };
}

// A string without Z or an offset would be read in the host's time zone, making tests pass
// or fail depending on where they run, so only unambiguous ISO 8601 instants are accepted.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function toEpochMs(at: Date | string): number {
  const ms = typeof at === 'string' ? (ISO_INSTANT.test(at) ? Date.parse(at) : NaN) : at.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError(
      `Expected a valid Date or an ISO 8601 instant with Z or an offset, got ${JSON.stringify(String(at))}`,
    );
  }
  return ms;
}

import { strict as assert } from 'node:assert';
import { mapLimit, sleep } from '../../src/util/concurrency';

describe('concurrency', () => {
  describe('mapLimit', () => {
    it('never has more than `limit` calls in flight, and does reach the limit', async () => {
      let inFlight = 0;
      let peak = 0;
      await mapLimit(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(1 + (i % 4) * 3);
        inFlight--;
      });
      assert.equal(peak, 3);
      assert.equal(inFlight, 0);
    });

    it('returns results in input order even when later items finish first', async () => {
      const delays = [30, 1, 20, 5, 10];
      const out = await mapLimit(delays, 5, async (ms, i) => {
        await sleep(ms);
        return `${i}:${ms}`;
      });
      assert.deepEqual(out, ['0:30', '1:1', '2:20', '3:5', '4:10']);
    });

    it('rethrows the first error only after every call has settled', async () => {
      const settled = new Set<number>();
      const first = new Error('first');
      const started = mapLimit([0, 1, 2, 3], 4, async (i) => {
        try {
          if (i === 1) throw first;
          if (i === 3) {
            await sleep(5);
            throw new Error('second');
          }
          await sleep(i === 2 ? 40 : 10);
          return i;
        } finally {
          settled.add(i);
        }
      });
      await assert.rejects(started, (e: unknown) => e === first);
      assert.deepEqual([...settled].sort(), [0, 1, 2, 3], 'the slow call finished before the rejection');
    });

    it('still runs the remaining items after an error', async () => {
      const ran: number[] = [];
      await assert.rejects(
        mapLimit([0, 1, 2, 3, 4], 1, async (i) => {
          ran.push(i);
          if (i === 0) throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(ran, [0, 1, 2, 3, 4]);
    });

    it('rejects a limit below 1 instead of silently doing nothing', async () => {
      await assert.rejects(mapLimit([1, 2], 0, async (i) => i), RangeError);
    });

    it('resolves an empty list to an empty array without calling fn', async () => {
      let calls = 0;
      assert.deepEqual(await mapLimit([], 4, async () => ++calls), []);
      assert.equal(calls, 0);
    });
  });
});

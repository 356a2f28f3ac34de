import { describe, expect, it } from 'vitest';
import { TransferMeter } from './transfer-rate.ts';

describe('TransferMeter', () => {
  it('sums per-file byte counts and gives speed and time left', () => {
    let t = 0;
    const m = new TransferMeter(undefined, () => t);
    m.add({ file: 'a', loaded: 0, total: 1000 });
    t = 1000;
    m.add({ file: 'a', loaded: 500, total: 1000 });
    const s = m.add({ file: 'b', loaded: 500, total: 3000 });
    expect(s).toMatchObject({ loaded: 1000, total: 4000, bytesPerSecond: 1000, etaSeconds: 3, estimated: false });
  });

  it('estimates bytes from a fraction of the expected size when that is all the engine says', () => {
    let t = 0;
    const m = new TransferMeter(2_000_000, () => t);
    m.add({ fraction: 0 });
    t = 2000;
    expect(m.add({ fraction: 0.25 })).toMatchObject({ loaded: 500_000, total: 2_000_000, bytesPerSecond: 250_000, etaSeconds: 6, estimated: true });
  });

  it('knows no speed before anything arrived', () => {
    const m = new TransferMeter(100, () => 0);
    expect(m.add({ fraction: 0 })).toMatchObject({ bytesPerSecond: undefined, etaSeconds: undefined });
  });
});

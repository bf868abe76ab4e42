import { describe, expect, it } from 'vitest';
import { countOneBits, nextDukptCounter } from './dukpt-counter.ts';

describe('countOneBits', () => {
  it('counts bits of 32-bit values, including those above 2^31', () => {
    expect(countOneBits(0)).toBe(0);
    expect(countOneBits(0x1f_ffff)).toBe(21);
    expect(countOneBits(0x8000_0000)).toBe(1);
    expect(countOneBits(0xffff_0000)).toBe(16);
    expect(countOneBits(0xffff_ffff)).toBe(32);
  });
});

describe('nextDukptCounter', () => {
  const tdes = { maxCounter: 0x1f_ffff, maxOneBits: 10 };
  const aes = { maxCounter: 0xffff_ffff, maxOneBits: 16 };

  it('counts up while the one-bit budget allows', () => {
    expect(nextDukptCounter(0, tdes)).toBe(1);
    expect(nextDukptCounter(0x14, tdes)).toBe(0x15);
  });

  // ANSI X9.24-1:2009 A.4.3 rollover sequence: ...EFF800, EFF801, EFF802, EFF804, ..., EFFC00, F00000.
  it('skips counters with more than 10 one-bits like the X9.24-1 A.4.3 sequence', () => {
    const sequence = [0x0f_f800];
    while (sequence.length < 13) sequence.push(nextDukptCounter(sequence.at(-1)!, tdes)!);
    expect(sequence.map((c) => c.toString(16))).toEqual(
      ['ff800', 'ff801', 'ff802', 'ff804', 'ff808', 'ff810', 'ff820', 'ff840', 'ff880', 'ff900', 'ffa00', 'ffc00', '100000'],
    );
  });

  it('visits exactly the C(21,1)+…+C(21,10) = 1,048,575 TDES counters before running out', () => {
    let visited = 0;
    for (let counter = nextDukptCounter(0, tdes); counter !== undefined; counter = nextDukptCounter(counter, tdes)) {
      visited++;
    }
    expect(visited).toBe(1_048_575);
  });

  // ANSI X9.24-3:2017 supplement: 0x1FFFE is followed by 0x20000 (0x1FFFF has 17 one-bits), and the
  // last usable counter is 0xFFFF0000.
  it('applies the 16-bit budget across the whole 32-bit AES counter', () => {
    expect(nextDukptCounter(0x1fffe, aes)).toBe(0x20000);
    expect(nextDukptCounter(0xfffe_8000, aes)).toBe(0xffff_0000);
    expect(nextDukptCounter(0xffff_0000, aes)).toBeUndefined();
  });
});

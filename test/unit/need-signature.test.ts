import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForSearch } from '../../shared/needs.ts';
import { signatureMatcher, signatureOf } from '../../shared/need-signature.ts';

describe('keyword signatures', () => {
  it('never miss: every word-internal substring of a need’s text matches its signature', () => {
    const word = fc.string({
      unit: fc.constantFrom(...'激光雷达芯片存算一体lidarCHIP（）12'.split('')),
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), fc.nat(), (words, w, a, b) => {
        const text = normalizeForSearch(words.join(' '));
        const chosen = [...text.split(' ')[w % text.split(' ').length]!];
        const from = a % chosen.length;
        const term = chosen.slice(from, from + 1 + (b % (chosen.length - from))).join('');
        expect(signatureMatcher([term])(signatureOf(text))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rules out most needs that lack the term', () => {
    const texts = Array.from({ length: 200 }, (_, i) => normalizeForSearch(`高速 serdes 接口 ip 需求 ${i} 晶圆 检测`));
    const matches = signatureMatcher(['激光雷达']);
    expect(texts.filter((t) => matches(signatureOf(t))).length).toBeLessThan(5);
  });
});

/**
 * The catalogue's keyword search without reading every published need: each published need carries a
 * 4,096-bit signature (a Bloom filter) of the one- and two-character grams of its search text. A term
 * can only occur in a need whose signature has the bits of all the term's grams, so the search reads
 * the signatures (kept 600-odd to an item, a few items per competition), then checks only the candidates'
 * text exactly. A false positive costs one extra read; a false negative cannot happen.
 */
export const SIGNATURE_BITS = 4096;

const fnv1a = (s: string, seed: number) => {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};
const positions = (gram: string) => [
  fnv1a(gram, 0x811c9dc5) % SIGNATURE_BITS,
  fnv1a(gram, 0x050c5d1f) % SIGNATURE_BITS,
];

/** The grams of a text's words (whitespace separates words; a term never spans one). */
const textGrams = (text: string): Set<string> => {
  const grams = new Set<string>();
  for (const word of text.split(/\s+/)) {
    const cps = [...word];
    for (let i = 0; i < cps.length; i++) {
      grams.add(cps[i]!);
      if (i + 1 < cps.length) grams.add(cps[i]! + cps[i + 1]!);
    }
  }
  return grams;
};

/** The grams a term needs: its characters' pairs (or the one character of a one-character term). */
export const termGrams = (term: string): string[] => {
  const cps = [...term];
  return cps.length === 1 ? cps : cps.slice(1).map((c, i) => cps[i]! + c);
};

/** The signature of a need's (normalized) search text, base64. */
export const signatureOf = (searchText: string): string => {
  const bits = new Uint8Array(SIGNATURE_BITS / 8);
  for (const g of textGrams(searchText)) for (const p of positions(g)) bits[p >> 3]! |= 1 << (p & 7);
  return Buffer.from(bits).toString('base64');
};

/** A matcher for the terms' bit positions: true when a signature may contain every term. */
export const signatureMatcher = (terms: string[]) => {
  const wanted = [...new Set(terms.flatMap(termGrams).flatMap(positions))];
  return (signature: string) => {
    const bits = Buffer.from(signature, 'base64');
    return wanted.every((p) => ((bits[p >> 3] ?? 0) & (1 << (p & 7))) !== 0);
  };
};

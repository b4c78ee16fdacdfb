import { foldVietnamese } from '../text/fold.js';
import { syllables } from '../text/tokens.js';

/**
 * The offline embedding: deterministic feature hashing of folded syllables, syllable pairs and character
 * trigrams. It needs no model and no network; syllable pairs capture Vietnamese compound words ("chuyen khoan"),
 * and trigrams tolerate typos ("vnied", "khaon"). The space id is stored with every vector.
 */
export const HASH_EMBEDDING_DIM = 512;
export const HASH_EMBEDDING_SPACE = `hash:v1:${HASH_EMBEDDING_DIM}`;

const WEIGHT_SYLLABLE = 1;
const WEIGHT_PAIR = 1.5;
const WEIGHT_TRIGRAM = 0.35;

/** FNV-1a, 32 bit: fast, stable across runs and platforms. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Feature {
  weight: number;
  count: number;
}

function addFeature(features: Map<string, Feature>, key: string, weight: number): void {
  const f = features.get(key);
  if (f) f.count++;
  else features.set(key, { weight, count: 1 });
}

export function hashFeatures(text: string): Map<string, Feature> {
  const tokens = syllables(foldVietnamese(text));
  const features = new Map<string, Feature>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    addFeature(features, `s:${t}`, WEIGHT_SYLLABLE);
    if (i + 1 < tokens.length) addFeature(features, `p:${t} ${tokens[i + 1]}`, WEIGHT_PAIR);
    const padded = ` ${t} `;
    for (let j = 0; j + 3 <= padded.length; j++) addFeature(features, `c:${padded.slice(j, j + 3)}`, WEIGHT_TRIGRAM);
  }
  return features;
}

/** L2-normalised vector; repeats count logarithmically so that long chunks do not drown short ones. */
export function embedText(text: string, dim = HASH_EMBEDDING_DIM): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const [key, { weight, count }] of hashFeatures(text)) {
    const h = fnv1a(key);
    const sign = h & 0x80000000 ? -1 : 1;
    v[h % dim]! += sign * weight * (1 + Math.log(count));
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  return norm === 0 ? v : v.map((x) => x / norm);
}

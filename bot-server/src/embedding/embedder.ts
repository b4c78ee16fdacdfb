import { embedText, HASH_EMBEDDING_SPACE } from './hashing.js';

/** Turns texts into vectors of one space ("provider:model:dim"); vectors of different spaces are never compared. */
export interface Embedder {
  space: string;
  embed(texts: string[]): Promise<number[][]>;
  /** Used for a query when this embedder fails (a remote model that is down): search goes on in that space. */
  fallback?: Embedder;
}

/** The offline default, always indexed; an OpenAI-compatible embedder can be added (embedding/openai.ts). */
export const hashEmbedder: Embedder = {
  space: HASH_EMBEDDING_SPACE,
  embed: async (texts) => texts.map((t) => embedText(t)),
};

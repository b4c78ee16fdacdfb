import { embedText, HASH_EMBEDDING_SPACE } from './hashing.js';

/** Turns texts into vectors of one space ("provider:model:dim"); vectors of different spaces are never compared. */
export interface Embedder {
  space: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** The offline default; an OpenAI-compatible embedder can take its place (see the LLM issue). */
export const hashEmbedder: Embedder = {
  space: HASH_EMBEDDING_SPACE,
  embed: async (texts) => texts.map((t) => embedText(t)),
};

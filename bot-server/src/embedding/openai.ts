import OpenAI from 'openai';
import type { Embedder } from './embedder.js';

export interface OpenAIEmbedderOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Requested vector size (models that support `dimensions`); recorded in the space name. */
  dim: number;
  /** Texts per request. */
  batchSize: number;
  /** Per request; the client retries 429 and 5xx answers with backoff. */
  timeoutMs?: number;
  maxRetries?: number;
}

/**
 * Embeddings from an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, text-embeddings-inference…). The space
 * names the model and size, so vectors from another model are never compared with these.
 */
export function openAIEmbedder(opts: OpenAIEmbedderOptions, fallback?: Embedder): Embedder {
  const client = new OpenAI({
    baseURL: opts.baseURL,
    apiKey: opts.apiKey || 'unused',
    maxRetries: opts.maxRetries ?? 3,
    timeout: opts.timeoutMs ?? 15_000,
  });
  return {
    space: `openai:${opts.model}:${opts.dim}`,
    fallback,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += opts.batchSize) {
        const batch = texts.slice(i, i + opts.batchSize);
        const res = await client.embeddings.create({ model: opts.model, input: batch, dimensions: opts.dim, encoding_format: 'float' });
        const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (vectors.length !== batch.length) throw new Error(`embeddings: asked for ${batch.length} vectors, got ${vectors.length}`);
        for (const v of vectors) {
          if (v.length !== opts.dim) throw new Error(`embeddings: expected ${opts.dim} dimensions, got ${v.length} (set EMBEDDINGS_DIM)`);
        }
        out.push(...vectors);
      }
      return out;
    },
  };
}

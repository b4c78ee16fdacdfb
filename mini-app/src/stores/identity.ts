import { storage } from '../services/storage';
import { resolveIdentity, type Identity } from '../services/zalo';
import { createStore } from './store';

export const identityStore = createStore<Identity | null>(null);

export async function loadIdentity(): Promise<Identity> {
  const identity = await resolveIdentity(storage);
  identityStore.set(identity);
  return identity;
}

/**
 * npm run build (and before npm start): builds the mini app into mini-app/www when its sources changed.
 *   --force   build even when www/ is up to date
 */
import { ensureMiniAppBuilt } from './lib/mini-app-build.js';

try {
  const result = ensureMiniAppBuilt({ force: process.argv.includes('--force') });
  console.log(result === 'fresh' ? 'mini app: up to date (mini-app/www)' : 'mini app: built into mini-app/www');
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

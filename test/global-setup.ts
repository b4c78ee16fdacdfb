import { ensureMiniAppBuilt } from '../scripts/lib/mini-app-build.js';

/** Browser tests use the production build of the mini app, exactly what npm start serves. */
export default function setup(): void {
  ensureMiniAppBuilt({ quiet: true });
}

import 'zmp-ui/zaui.css';
import './css/app.css';
import { createRoot } from 'react-dom/client';
import appConfig from '../app-config.json';
import { MiniApp } from './app';
import { restoreSession } from './services/session';
import { openStorage } from './services/storage';
import { startAccount } from './stores/account';
import { connection, hydrateChat } from './stores/chat';
import { loadIdentity } from './stores/identity';
import { hydrateOutbox } from './stores/outbox';
import { hydrateProgress } from './stores/progress';
import { hydrateReferral } from './stores/referral';
import { hydrateSettings } from './stores/settings';

if (!window.APP_CONFIG) window.APP_CONFIG = appConfig;

async function start(): Promise<void> {
  await openStorage();
  hydrateSettings();
  hydrateProgress();
  hydrateOutbox();
  hydrateChat();
  hydrateReferral();
  // Before the socket opens, so that a saved session goes with its first frame.
  restoreSession();
  // Signing in never holds up the first screen; until it is done (or when it fails) the app works from the device.
  void loadIdentity().then(startAccount);
  connection.start();
  createRoot(document.getElementById('app')!).render(<MiniApp />);
}

void start();

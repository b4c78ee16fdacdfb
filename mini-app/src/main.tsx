import 'zmp-ui/zaui.css';
import './css/app.css';
import { createRoot } from 'react-dom/client';
import appConfig from '../app-config.json';
import { MiniApp } from './app';
import { openStorage } from './services/storage';
import { connection, hydrateChat } from './stores/chat';
import { loadIdentity } from './stores/identity';
import { hydrateProgress } from './stores/progress';
import { hydrateSettings } from './stores/settings';

if (!window.APP_CONFIG) window.APP_CONFIG = appConfig;

async function start(): Promise<void> {
  await openStorage();
  hydrateSettings();
  hydrateProgress();
  hydrateChat();
  void loadIdentity();
  connection.start();
  createRoot(document.getElementById('app')!).render(<MiniApp />);
}

void start();

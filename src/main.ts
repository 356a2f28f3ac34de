import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { AppState } from './ui/state/app.svelte.ts';
import { registerServiceWorker } from './ui/sw-register.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing');
const app = new AppState();
mount(App, { target, props: { app } });
// Offline shell only for built apps: in dev the worker would cache stale modules.
if (import.meta.env.PROD) registerServiceWorker();

import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { AppState } from './ui/state/app.svelte.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing');
const app = new AppState();
mount(App, { target, props: { app } });

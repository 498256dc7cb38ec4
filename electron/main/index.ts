import { runApp } from './app';

/** Electron main entry (built to out/main/index.js by electron-vite). */
runApp();

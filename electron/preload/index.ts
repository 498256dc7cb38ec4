import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

/** Sandboxed preload (built as CommonJS to out/preload/index.cjs): exposes `window.gridwall` only. */
contextBridge.exposeInMainWorld('gridwall', createBridge(ipcRenderer));

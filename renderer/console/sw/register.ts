import mapWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

/**
 * Registers the console's service worker (renderer/console/sw/sw.ts, built to /console-sw.js) and
 * hands it the assets this page already loaded, so the next reload works without the server.
 */
export function registerConsoleServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !isSecureContext) return;
  navigator.serviceWorker
    .register('/console-sw.js', { scope: '/console', type: 'module' })
    .then(async (reg) => {
      const worker = await activated(reg);
      if (!worker) return;
      const urls = [
        location.pathname,
        // The mini map's worker starts only when a case is shown: maybe not yet loaded.
        new URL(mapWorkerUrl, location.href).href,
        ...performance
          .getEntriesByType('resource')
          .map((e) => e.name)
          .filter((u) => u.startsWith(`${location.origin}/assets/`)),
      ];
      // The page says when it could be reloaded without the server (tests wait for it).
      const reply = new MessageChannel();
      reply.port1.onmessage = () => {
        document.documentElement.dataset.offlineReady = '1';
      };
      worker.postMessage({ type: 'cache', urls }, [reply.port2]);
    })
    .catch((err: unknown) => console.warn('console: no offline cache', err));
}

function activated(reg: ServiceWorkerRegistration): Promise<ServiceWorker | null> {
  if (reg.active) return Promise.resolve(reg.active);
  const w = reg.installing ?? reg.waiting;
  if (!w) return Promise.resolve(null);
  return new Promise((resolve) => {
    w.addEventListener('statechange', () => {
      if (w.state === 'activated') resolve(w);
      else if (w.state === 'redundant') resolve(null);
    });
  });
}

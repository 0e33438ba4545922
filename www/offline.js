// Registers the service worker (sw.js at the site root) that keeps the app and the bundled model
// for offline use. Pages work without it (an old browser, a file:// page); failures only log.

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const url = new URL("../sw.js", import.meta.url);
  navigator.serviceWorker.register(url, { scope: new URL("../", import.meta.url).pathname }).catch((error) => console.warn(`offline copy unavailable: ${error.message}`));
}

// Registers the service worker (sw.js at the site root) that keeps the app and the bundled model
// for offline use and adds COOP/COEP on hosts that cannot send them. Pages work without it (an old
// browser, a file:// page); failures only log.

const RELOADED = "clozelab-reloaded-for-isolation";

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const url = new URL("../sw.js", import.meta.url);
  navigator.serviceWorker.register(url, { scope: new URL("../", import.meta.url).pathname }).catch((error) => console.warn(`offline copy unavailable: ${error.message}`));
  reloadOnceIsolated();
}

/**
 * A first visit to a host that sends no COOP/COEP is not cross-origin isolated (one CPU thread):
 * the service worker adds the headers, but only to the pages it controls. When it takes control
 * of this page, reload it once — the state is in the URL — unless the visitor has already started
 * (a key or a click), whom a reload would interrupt: then the next visit is isolated.
 */
function reloadOnceIsolated() {
  if (self.crossOriginIsolated || navigator.serviceWorker.controller || sessionStorage.getItem(RELOADED)) return;
  let started = false;
  const start = () => (started = true);
  for (const type of ["keydown", "pointerdown"]) addEventListener(type, start, { once: true, capture: true });
  navigator.serviceWorker.addEventListener(
    "controllerchange",
    () => {
      if (started) return;
      sessionStorage.setItem(RELOADED, "1");
      location.reload();
    },
    { once: true },
  );
}

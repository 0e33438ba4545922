// Light or dark: the system's unless chosen with the page's theme button (remembered).

const KEY = "clozelab-theme";

function applyTheme(button, theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  const dark = theme ? theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  button.setAttribute("aria-pressed", String(dark));
  button.textContent = dark ? "Light theme" : "Dark theme";
}

export function setUpThemeButton(button) {
  button.addEventListener("click", () => {
    const next = button.getAttribute("aria-pressed") === "true" ? "light" : "dark";
    localStorage.setItem(KEY, next);
    applyTheme(button, next);
  });
  applyTheme(button, localStorage.getItem(KEY));
}

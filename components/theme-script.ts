// Light or dark: the system's choice unless the reader picked the other one with the header's toggle
// (ThemeToggle). The choice is kept in localStorage and applied as `data-theme` on <html> by THEME_SCRIPT,
// which the root layout runs in <head> before the first paint, so the page never flashes the wrong
// theme. Without JavaScript the page simply follows the system (app/theme-dark.css).

export const THEME_STORAGE_KEY = "inkwell:theme";

/** Applies a stored choice. Kept tiny and self-contained: it runs before anything else. */
export const THEME_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="dark"||t==="light")document.documentElement.dataset.theme=t}catch(e){}`;

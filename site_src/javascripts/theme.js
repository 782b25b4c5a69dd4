// The theme's (mkdocs-material 9.8.1) small page scripts, served as a file so that the pages'
// Content-Security-Policy can forbid every inline script. The theme writes them inline in
// partials/javascripts/*.html; site_src/overrides/partials/javascripts/ replaces each with
// <script src="…/javascripts/theme.js" data-part="…">, which runs the same code at the same
// place in the page. Values the theme wrote into its inline code (its base URL, its features)
// come from the tag's data attributes. A classic script, not a module: the first part must
// run before the theme's bundle, which reads the globals it defines.
(function () {
  "use strict";
  const tag = document.currentScript;
  const part = tag.dataset.part;

  if (part === "base") {
    // Where the theme keeps its settings (palette, consent…), scoped to the site's path.
    window.__md_scope = new URL(tag.dataset.scope, location);
    window.__md_hash = (text) =>
      [...text].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0);
    // (Unlike the theme's own, a setting that cannot be read, from a blocked storage or a
    // damaged value, reads as none instead of stopping the page's scripts.)
    window.__md_get = (key, storage, scope = window.__md_scope) => {
      try {
        return JSON.parse((storage ?? localStorage).getItem(scope.pathname + "." + key));
      } catch {
        return null;
      }
    };
    window.__md_set = (key, value, storage, scope = window.__md_scope) => {
      try {
        (storage ?? localStorage).setItem(scope.pathname + "." + key, JSON.stringify(value));
      } catch {
        // storage full or blocked: the setting is simply not kept
      }
    };
    return;
  }

  const get = window.__md_get;

  if (part === "announce") {
    // Hide the announcement bar the reader has dismissed (unless its text changed).
    const bar = document.querySelector("[data-md-component=announce]");
    const content = bar && bar.querySelector(".md-typeset");
    if (content && window.__md_hash(content.innerHTML) === get("__announce")) bar.hidden = true;
  } else if (part === "outdated") {
    // Show the "outdated version" banner when the version selector said so.
    const banner = document.querySelector("[data-md-component=outdated]");
    const base = new URL(tag.dataset.base, location);
    if (get("__outdated", sessionStorage, base) === true && banner) banner.hidden = false;
  } else if (part === "content") {
    // Linked content tabs: select the tabs the reader chose on another page.
    const tabs = tag.dataset.tabsLink === "true" ? get("__tabs") : null;
    if (Array.isArray(tabs)) {
      for (const set of document.querySelectorAll(".tabbed-set")) {
        const labels = [...set.querySelector(".tabbed-labels").getElementsByTagName("label")];
        for (const tab of tabs) {
          const label = labels.find((l) => l.innerText.trim() === tab);
          if (label) {
            document.getElementById(label.htmlFor).checked = true;
            break;
          }
        }
      }
    }
    // A link to a content tab (#__tabbed_…) selects it.
    const target = document.getElementById(location.hash.slice(1));
    if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
  } else if (part === "consent") {
    // The cookie consent form: show the saved choice, or the form itself.
    const form = document.forms.consent;
    const consent = get("__consent");
    if (consent) {
      for (const input of form.elements) {
        if (input.name) input.checked = consent[input.name] || false;
      }
    } else if (location.protocol !== "file:") {
      setTimeout(() => {
        document.querySelector("[data-md-component=consent]").hidden = false;
      }, 250);
    }
    for (const action of ["submit", "reset"]) {
      form.addEventListener(action, (event) => {
        event.preventDefault();
        if (event.type === "reset") {
          for (const input of form.elements) if (input.name) input.checked = false;
        }
        const chosen = Array.from(new FormData(form).keys()).map((name) => [name, true]);
        window.__md_set("__consent", Object.fromEntries(chosen));
        location.hash = "";
        location.reload();
      });
    }
  }
})();

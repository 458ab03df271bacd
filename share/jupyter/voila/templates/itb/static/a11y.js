// What the page's widgets need for a screen reader and the keyboard that ipywidgets does not give them.
// For training only, not for treating patients.
// A page script of the suite's Voilà templates (itb, itb-reveal: loaded once per page); it watches the page
// and mends what the widgets draw, as they draw it:
//  * a slider's handle gets its slider's label as its accessible name (axe: aria-input-field-name);
//  * a toggle button says whether it is pressed (aria-pressed);
//  * chart toolbars leave the tab order (each chart added about ten tab stops);
//  * a quantity field's input is marked aria-invalid while its error shows, and described by it;
//  * the notebook's rendered cells are the page's main landmark (axe: region);
//  * the document's language is the app's (the banner's data-itb-locale), so a screen reader speaks it;
//  * the language chooser's links keep the page's other parameters, and links to the suite's other pages
//    keep ?lang= (like ?presenter=1, the language a reader chose follows them);
//  * a RadioButtons widget is one radio group: its inputs share a name (one Tab stop, arrows choose), and it is
//    a radiogroup named by its label or, where it has none (an exercise part), by the part's prompt.
let serial = 0;
function withParam(href, name, value) {
  const url = new URL(href, location.href);
  url.searchParams.set(name, value);
  return url.pathname + url.search + url.hash;
}

function ident(el) {
  if (!el.id) el.id = `itb-a11y-${++serial}`;
  return el.id;
}

function mend(root) {
  const main = root.querySelector("#rendered_cells, .reveal .slides");
  if (main && !main.getAttribute("role") && !root.querySelector("main, [role=main]")) main.setAttribute("role", "main");
  root.querySelectorAll(".itb-field").forEach((field) => {
    const input = field.querySelector("input[type=text], input:not([type])");
    const error = field.querySelector(".itb-field-error .widget-html-content, .itb-field-error");
    if (!input || !error) return;
    const invalid = error.textContent.trim() !== "";
    const hint = field.querySelector(".itb-field-hint");
    const described = [invalid ? ident(error) : null, hint ? ident(hint) : null].filter(Boolean).join(" ");
    if (input.getAttribute("aria-invalid") !== String(invalid)) input.setAttribute("aria-invalid", String(invalid));
    if (described && input.getAttribute("aria-describedby") !== described) {
      input.setAttribute("aria-describedby", described);
    }
  });
  root.querySelectorAll(".widget-slider").forEach((slider) => {
    const label = slider.querySelector(".widget-label");
    const name = label ? label.textContent.trim() : "";
    slider.querySelectorAll(".noUi-handle").forEach((h) => {
      if (name && h.getAttribute("aria-label") !== name) h.setAttribute("aria-label", name);
    });
  });
  root.querySelectorAll(".widget-radio-box").forEach((box) => {
    if (!box.dataset.itbGroup) box.dataset.itbGroup = `itb-radio-${++serial}`;
    box.querySelectorAll("input[type=radio]").forEach((r) => {
      if (r.name !== box.dataset.itbGroup) r.name = box.dataset.itbGroup;
    });
    if (box.getAttribute("role") !== "radiogroup") box.setAttribute("role", "radiogroup");
    const own = box.parentElement && box.parentElement.querySelector(":scope > .widget-label");
    const part = box.closest(".itb-part");
    const prompt = part && part.querySelector(".widget-html-content");
    const label = own && own.textContent.trim() ? own : prompt;
    if (label && box.getAttribute("aria-labelledby") !== ident(label)) box.setAttribute("aria-labelledby", ident(label));
  });
  root.querySelectorAll("button.widget-toggle-button, .widget-toggle-buttons button").forEach((b) => {
    const pressed = b.classList.contains("mod-active") ? "true" : "false";
    if (b.getAttribute("aria-pressed") !== pressed) b.setAttribute("aria-pressed", pressed);
  });
  const chosen = root.querySelector("[data-itb-locale]");
  if (chosen && document.documentElement.lang !== chosen.dataset.itbLocale) {
    document.documentElement.lang = chosen.dataset.itbLocale;
  }
  root.querySelectorAll("a.itb-lang[data-itb-lang]").forEach((a) => {
    const href = withParam(location.href, "lang", a.dataset.itbLang);
    if (a.getAttribute("href") !== href) a.setAttribute("href", href);
  });
  const lang = new URLSearchParams(location.search).get("lang");
  if (lang) {
    root.querySelectorAll("a[href*='voila/render/']:not(.itb-lang)").forEach((a) => {
      const url = new URL(a.getAttribute("href"), location.href);
      if (url.origin !== location.origin || url.searchParams.has("lang")) return;
      a.setAttribute("href", withParam(url.href, "lang", lang));
    });
  }
  root.querySelectorAll(".modebar a, .modebar button, .modebar-btn").forEach((a) => {
    if (a.getAttribute("tabindex") !== "-1") a.setAttribute("tabindex", "-1");
  });
}

// ?presenter=1 on the page's URL: press the app's Presenter view toggle once it is drawn (the kernel of a
// preheated page cannot read the URL when it builds the app).
let presenterAsked = /(?:^|[?&])presenter(?:=(?:1|true|yes|on)?)?(?:&|$)/i.test(location.search);
function presenterFromUrl(root) {
  if (!presenterAsked) return;
  const toggle = root.querySelector(".itb-field-presenter button, button.itb-field-presenter");
  if (!toggle) return;
  presenterAsked = false;
  if (!toggle.classList.contains("mod-active")) toggle.click();
}

function watch() {
  let queued = false;
  const run = () => { queued = false; mend(document); presenterFromUrl(document); };
  const observer = new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(run); } });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                                   attributeFilter: ["class"] });
  run();
}

// One watcher per page, however often the script is loaded (a module runs once per URL anyway).
if (!window.itbA11y) {
  window.itbA11y = true;
  if (document.body) watch();
  else document.addEventListener("DOMContentLoaded", watch, { once: true });
}

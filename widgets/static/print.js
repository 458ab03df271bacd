// A "Print result" button: the browser's print dialog, with the suite's print stylesheet (itb.css, 6)
// laying the app's current result out as one page.  For training only, not for treating patients.
function render({ model, el }) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "jupyter-widgets jupyter-button widget-button itb-print-button";
  b.title = "Print the app's current result on one page (or save it as PDF from the print dialog)";
  const icon = document.createElement("i");
  icon.className = "fa fa-print";
  icon.setAttribute("aria-hidden", "true");
  b.append(icon, " " + model.get("description"));
  el.style.width = "auto";
  b.addEventListener("click", () => window.print());
  el.appendChild(b);
}
export default { render };

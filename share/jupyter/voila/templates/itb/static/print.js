// The "Print result" buttons (widgets.page.PrintButton, an ipywidgets Button with the class itb-print-button)
// open the browser's print dialog; the print layout is section 6 of itb.css.  A page script of the suite's
// Voilà templates (itb, itb-reveal), loaded once per page: one listener for every such button, also those
// drawn later.  For training only, not for treating patients.
if (!window.itbPrint) {
  window.itbPrint = true;
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button.itb-print-button") : null;
    if (button && !button.disabled) window.print();
  });
}

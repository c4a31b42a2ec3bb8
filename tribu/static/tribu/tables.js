// A table wider than the screen scrolls inside itself (see tribu.css): make it reachable
// by keyboard, so that it can be scrolled without a mouse.
function markScrollableTables() {
  for (const table of document.querySelectorAll("main table")) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.tabIndex = 0;
    } else if (table.tabIndex === 0) {
      table.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
document.addEventListener("htmx:afterSettle", markScrollableTables);

// The search filters unfold on a wide screen; on a phone they stay folded above the
// results unless one is set (the page opens them itself then).
if (window.matchMedia("(min-width: 48rem)").matches) {
  for (const filters of document.querySelectorAll("details.filters")) {
    filters.open = true;
  }
}

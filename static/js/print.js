// A "Print" button where JavaScript runs; without it the page is printed from the browser's own
// menu, and the print stylesheet (izin.css) makes it the same paper either way.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

// Progressive help against double clicks: the server already refuses a second submission of
// the same form (its one-time token), this only spares the user a confusing second request.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  // Disable the buttons only after the browser has read the form: a button disabled now would
  // drop its own name and value (the language switch sends its choice that way).
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});

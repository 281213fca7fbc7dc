// Progressive help against double clicks: the server already refuses a second submission of
// the same form (its one-time token), this only spares the user a confusing second request.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
});

// The payment page where JavaScript runs. Without it the page is complete: the account number
// is plain selectable text and "Check status" asks again. With it, a "Copy" button appears, and
// the page asks Izin now and then whether the bank has paid, saying so in its polite live
// region instead of reloading (a reload would move the page under a screen reader or a thumb).
(function () {
  "use strict";

  var LONGEST_FACTOR = 8; // at most every 8 × the first wait (2 minutes for 15 s)
  var STOP_AFTER_MS = 30 * 60 * 1000; // then "Check status" is the way; the server polls too

  function offerCopy(button) {
    var source = document.getElementById(button.dataset.copy);
    // The clipboard needs a secure page (https, or localhost); elsewhere the text stays
    // selectable and the button stays hidden.
    if (!source || !navigator.clipboard || !window.isSecureContext) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copiedText;
        setTimeout(function () { button.textContent = label; }, 4000);
      }, function () { /* refused: the number is still there to select */ });
    });
  }

  function watch(card) {
    var live = card.querySelector("[data-payment-live]");
    var state = card.dataset.state;
    var first = (Number(card.dataset.pollSeconds) || 15) * 1000;
    var wait = first;
    var stopAt = Date.now() + STOP_AFTER_MS;
    var timer = null;
    var pausedWhileHidden = false;

    function say(text, link) {
      var line = document.createElement("p");
      line.className = "state";
      line.textContent = text;
      if (link) {
        var anchor = document.createElement("a");
        anchor.href = link.url;
        anchor.textContent = link.text;
        line.appendChild(document.createTextNode(" "));
        line.appendChild(anchor);
      }
      live.replaceChildren(line);
    }

    function schedule() {
      if (Date.now() + wait > stopAt) {
        say(card.dataset.stoppedText);
        return;
      }
      timer = setTimeout(ask, wait);
    }

    function later() {
      wait = Math.min(wait * 1.5, first * LONGEST_FACTOR);
      schedule();
    }

    function changed(answer) {
      state = answer.state;
      card.querySelectorAll("[data-payment-waiting]").forEach(function (part) {
        part.hidden = true;
      });
      var label = card.querySelector(".payment-state");
      if (label) label.textContent = answer.state_label;
      card.dataset.state = state;
      say(answer.message, { url: answer.link_url, text: answer.link_text });
      if (answer.open) { // the page changed its kind (e.g. now waiting for the bank): go on
        wait = first;
        schedule();
      }
    }

    function ask() {
      timer = null;
      if (document.hidden) { // nobody is looking: ask when the page is shown again
        pausedWhileHidden = true;
        return;
      }
      fetch(card.dataset.statusUrl, {
        credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      }).then(function (answer) {
        if (answer.state !== state) changed(answer); else later();
      }).catch(later);
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && pausedWhileHidden && timer === null) {
        pausedWhileHidden = false;
        ask();
      }
    });
    schedule();
  }

  document.querySelectorAll("button[data-copy]").forEach(offerCopy);
  var card = document.querySelector("[data-status-url]");
  if (card && window.fetch) watch(card);
})();

// Uploading a document over a slow network, where JavaScript runs. Before a byte is sent, the
// chosen file is checked against what its document takes (the input's data-formats and
// data-max-bytes); a photo over the limit is made smaller here; the form is then sent with a
// progress bar. Without this script the form posts as it is, and the server makes the same
// checks and says the same sentences (they come from the form's data-* attributes).
(function () {
  "use strict";
  if (!window.FormData || !window.DOMParser || !window.WeakMap || !window.Promise) return;

  var MB = 1024 * 1024;
  var KIND_OF_TYPE = {"application/pdf": "pdf", "image/jpeg": "jpeg", "image/png": "png"};
  var KIND_OF_EXTENSION = {pdf: "pdf", jpg: "jpeg", jpeg: "jpeg", png: "png"};
  // A photo is first drawn at most this large: a phone's 50-megapixel photo would not fit in a
  // phone browser's canvas, and no document needs that many pixels to be read.
  var MAX_PIXELS = 8000000;
  var SMALLEST_SIDE = 480;  // smaller than this, a photographed document cannot be read
  var QUALITIES = [0.85, 0.7, 0.55];

  var replacement = new WeakMap();  // input → the smaller photo made here, sent instead
  var pending = new WeakMap();  // input → the promise of that photo while it is being made
  var refused = new WeakSet();  // inputs whose file cannot be sent
  var chosenCount = new WeakMap();  // input → how many files were chosen: a late photo is dropped

  function fill(sentence, values) {
    return sentence.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }

  function number(value) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined,
                                 {maximumFractionDigits: 1, useGrouping: false}).format(value);
  }

  // As documents/sizes.py writes a file's size: rounded up, in KB below a megabyte.
  function size(bytes) {
    if (bytes < MB) return number(Math.ceil(bytes / 1024)) + " KB";
    return number(Math.ceil(bytes * 10 / MB) / 10) + " MB";
  }

  function extension(name) {
    var match = /\.([^.]+)$/.exec(name || "");
    return match ? match[1].toLowerCase() : "";
  }

  function kindOf(file) {
    return KIND_OF_TYPE[file.type] || KIND_OF_EXTENSION[extension(file.name)] || null;
  }

  function parts(input) {
    var id = input.id;
    var progress = document.getElementById(id + "-progress");
    return {
      form: input.form,
      note: document.getElementById(id + "-note"),
      error: document.getElementById(id + "-error"),
      progress: progress,
      progressBox: progress && progress.parentNode,
      sent: document.getElementById(id + "-sent"),
    };
  }

  function say(element, text) {
    if (element) element.textContent = text;
  }

  function clear(input) {
    var p = parts(input);
    refused.delete(input);
    replacement.delete(input);
    input.removeAttribute("aria-invalid");
    say(p.note, "");
    say(p.error, "");
    if (p.error) p.error.hidden = true;
  }

  function refuse(input, text) {
    var p = parts(input);
    refused.add(input);
    input.setAttribute("aria-invalid", "true");
    say(p.note, "");
    say(p.error, text);
    if (p.error) p.error.hidden = false;
  }

  function canvasBlob(canvas, type, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, type, quality); });
  }

  // The photo drawn smaller, step by step (first lower quality, then fewer pixels), until it
  // fits under maxBytes; null if it does not before it would become unreadable.
  async function reduced(file, maxBytes, type) {
    var bitmap = await createImageBitmap(file, {imageOrientation: "from-image"});
    var scale = Math.min(1, Math.sqrt(MAX_PIXELS / (bitmap.width * bitmap.height)));
    var canvas = document.createElement("canvas");
    var qualities = type === "image/jpeg" ? QUALITIES : [undefined];
    try {
      while (Math.min(bitmap.width, bitmap.height) * scale >= SMALLEST_SIDE) {
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff";  // a transparent PNG turns white in a JPEG, not black
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        for (var i = 0; i < qualities.length; i++) {
          var blob = await canvasBlob(canvas, type, qualities[i]);
          if (blob && blob.size <= maxBytes) {
            var name = file.name.replace(/\.[^.]*$/, "") + (type === "image/jpeg" ? ".jpg" : ".png");
            return new File([blob], name, {type: type, lastModified: Date.now()});
          }
        }
        scale *= 0.75;
      }
      return null;
    } finally {
      if (bitmap.close) bitmap.close();
    }
  }

  function use(input, file) {
    replacement.set(input, file);
    try {  // the input shows the smaller photo too, where the browser lets a page set its files
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
    } catch (ignored) { /* the smaller photo is sent all the same */ }
  }

  function check(input) {
    clear(input);
    var count = (chosenCount.get(input) || 0) + 1;
    chosenCount.set(input, count);
    var file = input.files && input.files[0];
    if (!file) return;
    var form = input.form;
    var formats = (input.dataset.formats || "").split(" ");
    var maxBytes = Number(input.dataset.maxBytes);
    var kind = kindOf(file);
    if (!kind || formats.indexOf(kind) < 0) {
      refuse(input, fill(form.dataset.wrongFormat, {
        kind: kind ? kind.toUpperCase() : (extension(file.name).toUpperCase() || file.type || "?"),
        accepted: input.dataset.accepted,
      }));
      return;
    }
    if (file.size <= maxBytes) return;
    var tooLarge = fill(form.dataset.tooLarge, {size: size(file.size), limit: input.dataset.limit});
    var photoType = formats.indexOf("jpeg") >= 0 ? "image/jpeg" : kind === "png" ? "image/png" : null;
    if (kind === "pdf" || !photoType || !window.createImageBitmap) {
      refuse(input, tooLarge);
      return;
    }
    say(parts(input).note, form.dataset.reducing);
    var made = reduced(file, maxBytes, photoType).catch(function () { return null; })
      .then(function (smaller) {
        if (chosenCount.get(input) !== count) return;  // another file was chosen meanwhile
        pending.delete(input);
        if (!smaller) {
          refuse(input, tooLarge + " " + form.dataset.notReduced);
          return;
        }
        use(input, smaller);
        say(parts(input).note,
            fill(form.dataset.reduced, {before: size(file.size), after: size(smaller.size)}));
      });
    pending.set(input, made);
  }

  function release(form) {
    // once.js marked the form sent and disabled its button; it may be sent again now.
    delete form.dataset.submitted;
    delete form.dataset.uploading;
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
  }

  function showProgress(p, percent) {
    if (!p.progress) return;
    p.progressBox.hidden = false;
    p.progress.value = percent;
    // Every tenth only, so that a screen reader is not flooded.
    var shown = Math.floor(percent / 10) * 10;
    if (p.sent.dataset.shown !== String(shown)) {
      p.sent.dataset.shown = String(shown);
      say(p.sent, fill(p.form.dataset.sending, {percent: number(shown)}));
    }
  }

  function failed(input, text) {
    var p = parts(input);
    if (p.progressBox) p.progressBox.hidden = true;
    refuse(input, text);
    refused.delete(input);  // the same file may be sent again
    release(p.form);
  }

  // The page the server answered with (the application's, with its message) replaces this one's
  // content, so the message is not spent on a page nobody sees; then the card is in view.
  function arrive(page, cardId) {
    var main = page.querySelector("main");
    document.title = page.title;
    document.querySelector("main").replaceWith(document.adoptNode(main));
    history.replaceState(history.state, "", location.pathname + location.search + "#" + cardId);
    var card = document.getElementById(cardId);
    if (!card) return;
    var input = card.querySelector("input[type=file]");
    if (input) {  // the outcome also where the eyes are: at the card
      var errors = [], notes = [];
      main.querySelectorAll(".messages li").forEach(function (li) {
        (li.classList.contains("error") ? errors : notes).push(li.textContent);
      });
      if (errors.length) refuse(input, errors.join(" "));
      say(parts(input).note, notes.join(" "));
    }
    card.scrollIntoView();
    var heading = card.querySelector("h3");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({preventScroll: true});
    }
  }

  function send(form, input) {
    var p = parts(input);
    var data = new FormData(form);
    var smaller = replacement.get(input);
    if (smaller) data.set(input.name, smaller, smaller.name);
    var cardId = form.closest(".document").id;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) showProgress(p, Math.round(event.loaded * 100 / event.total));
    });
    request.addEventListener("load", function () {
      var type = request.getResponseHeader("Content-Type") || "";
      var at = new URL(request.responseURL || form.action, location.href);
      if (request.status === 200 && type.indexOf("text/html") === 0) {
        showProgress(p, 100);
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        if (at.pathname === location.pathname && page.querySelector("main")) {
          arrive(page, cardId);
        } else {
          location.assign(at.href);  // somewhere else (signing in again): go there
        }
        return;
      }
      // The server refused the body by its size before reading it: its words, as plain text.
      var said = type.indexOf("text/plain") === 0 ? request.responseText : "";
      failed(input, said || form.dataset.failed);
    });
    ["error", "abort", "timeout"].forEach(function (name) {
      request.addEventListener(name, function () { failed(input, form.dataset.failed); });
    });
    showProgress(p, 0);
    request.send(data);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("form[data-upload] input[type=file]")) check(input);
  });

  // In the capture phase, before once.js: a file that cannot be sent does not mark the form sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload]")) return;
    var input = form.querySelector("input[type=file]");
    event.preventDefault();
    if (form.dataset.uploading || refused.has(input)) {
      event.stopPropagation();
      if (refused.has(input)) input.focus();
      return;
    }
    form.dataset.uploading = "1";
    Promise.resolve(pending.get(input)).then(function () {
      if (refused.has(input)) {
        release(form);
        input.focus();
        return;
      }
      send(form, input);
    });
  }, true);
}());

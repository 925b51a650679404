/*
 * Copy buttons, added by progressive enhancement.
 *
 * Markup: <pre id="cite-apa">…</pre>
 *         <button type="button" class="copy-button" data-copy-target="cite-apa" hidden>Copy</button>
 * and, near them, an empty live region: <p id="copy-status" role="status" aria-live="polite">.
 *
 * The buttons are served hidden, so a page without JavaScript shows no dead control; the
 * text stays selectable. This script shows each button whose target exists, copies the
 * target's text with the Clipboard API, and where that is missing or refused (an insecure
 * origin, a denied permission) selects the text instead so that Ctrl+C / Cmd+C copies it.
 * No inline script or style: the page's Content Security Policy forbids both.
 */
(function () {
  "use strict";

  var RESET_AFTER_MS = 2000;

  function announce(message) {
    var region = document.getElementById("copy-status");
    if (!region) {
      return;
    }
    // Emptied first, so that the same message twice is announced twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = message;
    }, 50);
  }

  function selectText(element) {
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function labelOf(button) {
    var labelId = button.getAttribute("aria-describedby");
    var label = labelId && document.getElementById(labelId);
    return label ? label.textContent.trim() + " citation" : "text";
  }

  function showCopied(button) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = "Copied";
    window.clearTimeout(button.copyTimer);
    button.copyTimer = window.setTimeout(function () {
      button.textContent = original;
    }, RESET_AFTER_MS);
  }

  function fallBack(button, target) {
    selectText(target);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    if (copied) {
      showCopied(button);
      announce("Copied: " + labelOf(button) + ".");
    } else {
      announce("Selected: " + labelOf(button) + ". Press Ctrl+C (or Cmd+C) to copy it.");
    }
  }

  function copy(button, target) {
    var text = target.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          showCopied(button);
          announce("Copied: " + labelOf(button) + ".");
        },
        function () {
          fallBack(button, target);
        }
      );
    } else {
      fallBack(button, target);
    }
  }

  function enhance() {
    var buttons = document.querySelectorAll("button.copy-button[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button, target);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();

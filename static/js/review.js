/*
 * The review page's keys (templates/admin/briefings/commitment/review.html).
 *
 * Markup: any control with data-key="c" (or several keys, "n j"). A key pressed outside a
 * field clicks its link or button; on a form it puts the cursor in the form's first
 * field. Esc leaves a field, so the keys work again. Every key is also a visible button
 * or link, so the page works the same without this script. No inline script: the page's
 * Content Security Policy forbids it.
 */
(function () {
  "use strict";

  function inField(element) {
    return element && (element.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].indexOf(element.tagName) >= 0);
  }

  function control(key) {
    var all = document.querySelectorAll("[data-key]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-key").split(" ").indexOf(key) >= 0) {
        return all[i];
      }
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    // Shift too: Shift+C (or Caps Lock) is not "c", so a capital typed by mistake decides nothing.
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || event.isComposing) {
      return;
    }
    if (event.key === "Escape" && inField(document.activeElement)) {
      document.activeElement.blur();
      return;
    }
    if (inField(event.target)) {
      return;
    }
    var target = control(event.key);
    if (!target) {
      return;
    }
    event.preventDefault();
    if (target.tagName === "FORM") {
      var field = target.querySelector("input:not([type=hidden]), textarea, select");
      if (field) {
        field.focus();
        // The caret after the text, so typing adds to it rather than before it.
        try {
          field.setSelectionRange(field.value.length, field.value.length);
        } catch (error) {
          // A date or a select has no caret.
        }
        field.scrollIntoView({block: "center"});
      }
    } else {
      target.click();
    }
  });

  // The marked sentence in view inside its scrolling answer.
  document.addEventListener("DOMContentLoaded", function () {
    var answer = document.getElementById("review-answer");
    var mark = answer && answer.querySelector("mark");
    if (mark) {
      answer.scrollTop = mark.offsetTop - answer.offsetTop - answer.clientHeight / 3;
    }
  });
})();

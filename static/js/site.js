// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Phone navigation: without JavaScript the menu link opens the menu with :target.
  var toggle = document.querySelector("[data-menu-toggle]");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");
    var setOpen = function (open) {
      nav.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        toggle.click();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // "Copy" buttons: <button data-copy-target="ID"> copies that element's text.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!source || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(source.innerText.trim()).then(function () {
        if (status) { status.textContent = "Copied to the clipboard."; }
      });
    });
  });

  // Forms with an error summary: move focus to it so screen readers announce the errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();

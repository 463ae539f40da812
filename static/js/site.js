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

  // "Copy" buttons: <button data-copy-target="ID"> copies that element's text. What they
  // then say comes from the page, in its language (the footer's data-copied-text).
  var footer = document.querySelector("[data-copied-text]");
  var copiedText = footer ? footer.getAttribute("data-copied-text") : "Copied to the clipboard.";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!source || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(source.innerText.trim()).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied-text") || copiedText; }
      });
    });
  });

  // List filters fold behind their summary on phones, so the results come first; wider
  // screens show them open.
  var wide = window.matchMedia("(min-width: 48rem)");
  var openFilters = function () {
    if (!wide.matches) { return; }
    document.querySelectorAll("[data-filters-panel]").forEach(function (panel) { panel.open = true; });
  };
  openFilters();
  if (wide.addEventListener) { wide.addEventListener("change", openFilters); }

  // Footer signup in one step. Pages carry no CSRF token (they stay cacheable), so without
  // JavaScript the form GETs the full signup form with the address filled in. Here the token,
  // a fresh form time stamp and the footer's topics are fetched when the address field gets
  // focus, and the form posts them to the signup view, which checks everything as usual.
  var signup = document.querySelector("[data-signup-token-url]");
  if (signup && window.fetch) {
    var signupStatus = signup.querySelector("[data-signup-status]");
    var readyAt = 0;
    var sending = false;
    var prepared = null;
    var prepare = function () {
      if (!prepared) {
        prepared = fetch(signup.getAttribute("data-signup-token-url"), {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        }).then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        }).then(function (data) {
          data.fields.forEach(function (pair) {
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = pair[0];
            input.value = pair[1];
            signup.appendChild(input);
          });
          signup.method = "post";
          // A form sent sooner than this after its time stamp would be taken for a bot's.
          readyAt = Date.now() + data.wait * 1000 + 300;
        }).catch(function () {
          prepared = null; // the GET to the full form still works
        });
      }
      return prepared;
    };
    signup.addEventListener("focusin", prepare);
    signup.addEventListener("submit", function (event) {
      if (signup.method === "post" && Date.now() >= readyAt) { return; }
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      if (signupStatus) {
        signupStatus.textContent = signup.getAttribute("data-signup-sending-text") || "Signing you up…";
      }
      Promise.resolve(prepare()).then(function () {
        window.setTimeout(function () { signup.submit(); }, Math.max(0, readyAt - Date.now()));
      });
    });
    // Back to this page from the next one (the back/forward cache): ready to send again.
    window.addEventListener("pageshow", function () {
      sending = false;
      if (signupStatus) { signupStatus.textContent = ""; }
    });
  }

  // Forms with an error summary: move focus to it so screen readers announce the errors.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();

// Admin forms: ask before leaving a form with unsaved changes, send it once, focus the error
// summary and lead each of its links to a field a person can type in.
(function () {
  "use strict";
  var form = document.querySelector("#content-main form[method=post]");
  if (!form) return;
  var changed = false;
  function mark() { changed = true; }
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("submit", function (event) {
    // A double click sends the form once (a second "add" would make a second item).
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "yes";
    changed = false;
  });
  window.addEventListener("pageshow", function () { delete form.dataset.submitted; });
  window.addEventListener("beforeunload", function (event) {
    if (!changed) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their dialog
  });
  // The field an error links to. A date-and-time field has no element of its own id (its
  // inputs are id_x_0 and id_x_1), a list of choices or an inline is a container, and the
  // rich-text editor hides its textarea: go to the first thing a person can type in.
  function fieldFor(id) {
    var target = document.getElementById(id) || document.getElementById(id + "_0");
    if (!target || isTypable(target)) return target;
    var scope = target.matches("textarea, select, input") ? target.parentElement : target;
    var inside = scope.querySelectorAll(
      "input:not([type=hidden]), select, textarea, [contenteditable=true], [tabindex='0']"
    );
    for (var i = 0; i < inside.length; i++) {
      if (isTypable(inside[i])) return inside[i];
    }
    return null;
  }
  function isTypable(element) {
    return element.matches("input, select, textarea, [contenteditable=true], [tabindex='0']") &&
      !element.disabled && element.getClientRects().length > 0;
  }
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link || link.hash.length < 2) return;
      var field = fieldFor(decodeURIComponent(link.hash.slice(1)));
      if (!field) return;
      // Not left to the browser: the #fragment would stay in the address, the form posts
      // back to it, and on the next errors the browser would focus that old field instead
      // of the new summary.
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
    summary.focus();
  }
  // Django's autocomplete (select2) names its box after the chosen value, so an empty box has
  // no name: add the field's label to what names it. Run once select2 has started (it starts
  // on jQuery's ready, which runs its handlers in order: theirs first).
  function nameAutocompletes() {
    var boxes = form.querySelectorAll(".select2-selection[aria-labelledby^='select2-']");
    for (var i = 0; i < boxes.length; i++) {
      var named = boxes[i].getAttribute("aria-labelledby");
      var fieldId = named.split(" ")[0].replace(/^select2-/, "").replace(/-container$/, "");
      var label = document.querySelector("label[for='" + fieldId + "']");
      if (!label) continue;
      label.id = label.id || fieldId + "-label";
      boxes[i].setAttribute("aria-labelledby", label.id + " " + named);
      var shown = document.getElementById(named.split(" ")[0]);  // the chosen value's box
      if (shown) shown.setAttribute("aria-labelledby", label.id);
    }
  }
  if (window.django && window.django.jQuery) window.django.jQuery(nameAutocompletes);
  else window.addEventListener("load", nameAutocompletes);
})();

// Scoring sheet: every indicator saves on change through htmx. This file only adds what htmx
// does not do on its own (422 answers, field errors, are swapped in by base.html's htmx-config):
// say "saving…", and keep indicators
// that failed to save marked and send them again when the connection comes back.
(function () {
  "use strict";
  var words = document.getElementById("save-words");
  function say(name, fallback) { return (words && words.dataset[name]) || fallback; }
  function stateOf(form) { return form.querySelector(".save-state"); }
  function scoreForm(element) { return element && element.closest ? element.closest("form[data-score-form]") : null; }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = scoreForm(event.detail.elt);
    if (!form) { return; }
    var state = stateOf(form);
    if (state) { state.textContent = say("saving", "Saving…"); state.className = "save-state is-saving"; }
  });
  function failed(event) {
    var form = scoreForm(event.detail.elt);
    if (!form) { return; }
    form.dataset.unsaved = "1";
    var state = stateOf(form);
    if (state) { state.textContent = say("offline", "Not saved: no connection. Will retry."); state.className = "save-state is-error"; }
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status >= 500 || event.detail.xhr.status === 0) { failed(event); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = scoreForm(event.detail.elt);
    if (form && event.detail.successful) { delete form.dataset.unsaved; }
  });
  function retry() {
    if (!window.htmx) { return; }
    document.querySelectorAll("form[data-score-form][data-unsaved]").forEach(function (form) {
      window.htmx.trigger(form, "hbm:retry");
    });
  }
  window.addEventListener("online", retry);
  window.setInterval(retry, 15000);
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-score-form][data-unsaved]")) { event.preventDefault(); }
  });

  // A level and "not applicable" exclude each other: choosing one clears the other, before
  // htmx sends the form (capture phase runs first).
  document.addEventListener("change", function (event) {
    var input = event.target, form = scoreForm(input);
    if (!form) { return; }
    if (input.name === "not_applicable" && input.checked) {
      form.querySelectorAll('input[name="level"]').forEach(function (radio) { radio.checked = false; });
      var reason = form.querySelector('textarea[name="na_reason"]');
      if (reason && !reason.value) { reason.focus(); }
    } else if (input.name === "level") {
      var na = form.querySelector('input[name="not_applicable"]');
      if (na) { na.checked = false; }
    }
    form.closest(".indicator").classList.toggle("is-na", !!form.querySelector('input[name="not_applicable"]:checked'));
  }, true);
})();

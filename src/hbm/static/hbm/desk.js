/* Registration desk: member rows (added from a <template>, removed, renumbered), linking a
   row to an existing record, and keyboard shortcuts. No dependencies; htmx is optional. */
(function () {
  "use strict";

  var form = document.querySelector("[data-desk]");
  if (!form) { return; }
  var list = form.querySelector("#members");
  var template = document.getElementById("member-template");
  var total = form.querySelector('input[name="members-TOTAL_FORMS"]');
  var PREFIX = /members-(?:\d+|__prefix__)\b/g;
  var RENAMED = ["name", "id", "for", "hx-vals", "aria-describedby"];
  var IDENTITY = ["given_name", "family_name", "father_name", "name_original_script", "sex",
    "date_of_birth", "age_estimate", "nationality", "document_type", "document_number", "phone",
    "place_of_origin"];
  var FIELDS = 'input:not([type="hidden"]), select, textarea';

  function rows() { return Array.prototype.slice.call(list.querySelectorAll("[data-member]")); }

  function field(row, name) { return row.querySelector('[name$="-' + name + '"]'); }

  function renumber() {
    rows().forEach(function (row, index) {
      var prefix = "members-" + index;
      row.id = "member-" + index;
      row.querySelectorAll("*").forEach(function (element) {
        RENAMED.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && value.indexOf("members-") !== -1) {
            element.setAttribute(attribute, value.replace(PREFIX, prefix));
          }
        });
      });
      var number = row.querySelector("[data-number]");
      if (number) { number.textContent = String(index + 1); }
    });
    total.value = String(rows().length);
  }

  function focusFirst(row) {
    var first = row && row.querySelector(
      'input:not([type="hidden"]):not([readonly]):not([disabled]), select:not([disabled])');
    if (first) { first.focus(); }
  }

  function addMember() {
    var row = template.content.firstElementChild.cloneNode(true);
    list.appendChild(row);
    renumber();
    var headNationality = field(rows()[0], "nationality");
    if (headNationality) { field(row, "nationality").value = headNationality.value; }
    if (window.htmx) { window.htmx.process(row); }
    focusFirst(row);
  }

  function removeMember(row) {
    var previous = row.previousElementSibling;
    row.remove();
    renumber();
    focusFirst(previous);
  }

  function setLinked(row, id, name, quiet) {
    field(row, "existing_person").value = id || "";
    field(row, "existing_label").value = name || "";
    var note = row.querySelector("[data-linked-note]");
    note.hidden = !id;
    note.querySelector("[data-linked-name]").textContent = name || "";
    row.classList.toggle("is-linked", Boolean(id));
    IDENTITY.forEach(function (name) {
      var input = field(row, name);
      if (!input) { return; }
      if (input.tagName === "SELECT") { input.disabled = Boolean(id); } else { input.readOnly = Boolean(id); }
    });
    if (id) { row.querySelector("[data-candidates]").innerHTML = ""; }
    if (quiet) { return; }
    if (!id && window.htmx) { window.htmx.trigger(row.querySelector(".member-grid"), "desk:recheck"); }
    if (id) { note.querySelector("[data-unlink]").focus(); } else { focusFirst(row); }
  }

  form.addEventListener("click", function (event) {
    var target = event.target;
    var button = target.closest("[data-link-person], [data-unlink], [data-remove-member], [data-add-member]");
    if (!button) { return; }
    var row = button.closest("[data-member]");
    if (button.hasAttribute("data-add-member")) { addMember(); }
    else if (button.hasAttribute("data-remove-member")) { removeMember(row); }
    else if (button.hasAttribute("data-unlink")) { setLinked(row, "", ""); }
    else { setLinked(row, button.getAttribute("data-link-person"), button.getAttribute("data-link-name")); }
  });

  function visible(element) { return element.offsetParent !== null; }

  function focusNext(current) {
    var fields = Array.prototype.slice.call(form.querySelectorAll(FIELDS)).filter(function (element) {
      if (element.disabled || element.readOnly || !visible(element)) { return false; }
      if (element.type === "radio") { return element.checked || element === current; }
      return true;
    });
    var next = fields[fields.indexOf(current) + 1];
    if (next) { next.focus(); }
  }

  // Enter moves to the next field and never submits by accident; Ctrl+Enter registers.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) { return; }
    var target = event.target;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    var isField = target.tagName === "SELECT" ||
      (target.tagName === "INPUT" && ["submit", "button", "reset", "image"].indexOf(target.type) === -1);
    if (isField) {
      event.preventDefault();
      focusNext(target);
    }
  });

  // Alt+N adds a person, whatever the keyboard layout (the physical key is read).
  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyN") {
      event.preventDefault();
      addMember();
    }
  });

  // One submission per screen: the id makes a repeat harmless, this makes it rare.
  form.addEventListener("submit", function () {
    var submit = form.querySelector("[data-submit]");
    window.setTimeout(function () { submit.disabled = true; }, 0);
  });
  window.addEventListener("pageshow", function () {
    form.querySelector("[data-submit]").disabled = false;
  });

  rows().forEach(function (row) {
    var id = field(row, "existing_person").value;
    if (id) { setLinked(row, id, field(row, "existing_label").value, true); }
  });
  // The officer starts where the screen first needs typing: the crossing's empty fields
  // (the point and direction come filled in), then the first person's name.
  function firstEmpty() {
    var empty = Array.prototype.slice.call(form.querySelectorAll(FIELDS)).filter(function (element) {
      return !element.disabled && !element.readOnly && visible(element) &&
        element.type !== "radio" && element.type !== "checkbox" && !element.value;
    });
    return empty[0] || field(rows()[0], "given_name");
  }

  var problems = document.getElementById("problems");
  if (problems) { problems.focus(); } else { firstEmpty().focus(); }
}());

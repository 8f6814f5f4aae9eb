/* The offline registration desk (ADR 0127, docs/offline-desk.md).

   A group typed here is checked as far as the page can (the server's rules, in its words),
   given its id (crypto.randomUUID) and kept in the browser's IndexedDB, in a database of the
   logged-in user's own. It is sent to POST /api/v1/registrations when there is a network:
   on the `online` event, every minute while online, and on "Send now". The id makes every
   upload idempotent: 201 (new) and 200 (the same registration again) both mean "on the
   server", and the record leaves the device; 409 (the id holds other content) and 422 (a
   field refused) stay on the device, shown, for the officer to resolve. 401 and 403 from an
   ended session keep everything and ask for a new login.

   The recent registrations of the chosen point (name, year of birth, sex, day) are fetched
   while online and kept, so that namesakes are hinted at while typing with no network.

   Nothing personal is stored in clear (ADR 0136). Each user's device holds an ECDH P-256 key
   pair: the public key in clear, the private key sealed (AES-GCM) with a key derived from
   the user's secret, which the server gives to an open session only (GET config.key) and
   the page keeps in memory. A registration is sealed with the public key: a fresh ECDH key
   of its own and AES-GCM 256 with a random 96-bit IV, the record's id as associated data.
   Only its id, state, time and number of attempts stay readable. So registering works with
   no network, even after a reload; reading the list back (names, hints) and sending need
   the secret, hence a session: a reload with no network shows the list locked until the
   network is back. */
(function () {
  "use strict";

  var root = document.querySelector("[data-offline-desk]");
  if (!root || !window.indexedDB) { return; }
  var config = JSON.parse(document.getElementById("offline-config").textContent);
  var M = config.messages;
  var DB_PREFIX = "hbm-offline-desk-";
  var SYNC_EVERY_MS = 60 * 1000;
  var HINTS_EVERY_MS = 10 * 60 * 1000;
  var HINT_PAGES = 4;
  var HINT_PAGE_SIZE = 500;
  var HINTS_SHOWN = 5;
  var subtle = window.crypto && window.crypto.subtle;
  var ECDH = { name: "ECDH", namedCurve: "P-256" };
  var AES = { name: "AES-GCM", length: 256 };
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  var form = document.getElementById("offline-form");
  var membersBox = document.getElementById("offline-members");
  var template = document.getElementById("offline-member");
  var queueList = document.getElementById("queue");
  var countBox = document.getElementById("unsent-count");
  var statusBox = document.getElementById("offline-status");
  var alertBox = document.getElementById("offline-alert");
  var summary = document.getElementById("offline-problems");
  var hintsStatus = document.getElementById("hints-status");
  var cancelButton = document.getElementById("offline-cancel");
  var lockedBox = document.getElementById("offline-locked");
  var pointSelect = form.elements.crossing_point;

  var db = null;
  var records = [];     // the unsent registrations, as stored
  var sent = [];        // sent while this page is open: shown, no longer stored
  var namesakes = [];   // the chosen point's recent registrations, as stored
  var editing = null;   // the record being corrected
  var syncing = null;
  var serial = 0;
  // The device's key (ADR 0136): the public key opens nothing; the private keys (by key id)
  // are in memory only, once the server's secret has opened them.
  var keys = { kid: null, publicKey: null, privateKeys: {} };
  var unlocked = false;

  function fmt(text) {
    var args = arguments;
    var index = 0;
    return text.replace(/\{\}/g, function () { index += 1; return String(args[index]); });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* ---- IndexedDB ---- */

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function committed(transaction) {
    return new Promise(function (resolve, reject) {
      transaction.oncomplete = function () { resolve(); };
      transaction.onerror = function () { reject(transaction.error); };
      transaction.onabort = function () { reject(transaction.error); };
    });
  }

  /* Version 2 (ADR 0136) seals what it stores. The namesake hints a version 1 kept in clear
     are dropped (they come again with the network); its queue is sealed on loading. */
  function openDb(name) {
    var opening = indexedDB.open(name, 2);
    opening.onupgradeneeded = function (event) {
      var created = opening.result;
      if (event.oldVersion < 1) {
        created.createObjectStore("queue", { keyPath: "id" });
        created.createObjectStore("namesakes", { autoIncrement: true }).createIndex("point", "point");
        created.createObjectStore("meta", { keyPath: "key" });
      } else {
        opening.transaction.objectStore("namesakes").clear();
        opening.transaction.objectStore("meta").clear();
      }
    };
    return done(opening);
  }

  function getMeta(key) {
    return done(db.transaction("meta").objectStore("meta").get(key));
  }

  /* ---- Sealing (ADR 0136) ---- */

  function random(n) { return crypto.getRandomValues(new Uint8Array(n)); }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function fromBase64(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  /* The device's current public key, kept in clear: enough to seal with no network. */
  function loadKeys() {
    return getMeta("current").then(function (current) {
      return current ? getMeta("keypair:" + current.kid) : null;
    }).then(function (pair) {
      if (pair) { keys.kid = pair.kid; keys.publicKey = pair.public; }
    });
  }

  /* A pair just made is added, never put: if another tab made one for the same secret
     first, this one fails and that one is opened instead (records sealed with it stay
     openable). */
  function rememberPair(pair, privateKey, made) {
    var transaction = db.transaction("meta", "readwrite");
    if (made) { transaction.objectStore("meta").add(pair); }
    transaction.objectStore("meta").put({ key: "current", kid: pair.kid });
    return committed(transaction).then(function () {
      keys.privateKeys[pair.kid] = privateKey;
      keys.kid = pair.kid;
      keys.publicKey = pair.public;
    });
  }

  /* The user's secret opens their key pair on this device, or makes one: the private key is
     kept sealed with a key derived from the secret (HKDF), and in memory non-extractable. */
  function useSecret(secret, again) {
    var label = encoder.encode("hbm offline desk key id ");
    var named = new Uint8Array(label.length + secret.length);
    named.set(label);
    named.set(secret, label.length);
    return Promise.all([
      subtle.digest("SHA-256", named),
      subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"])
    ]).then(function (found) {
      var kid = hex(found[0]).slice(0, 16);
      var wrapping = { name: "HKDF", hash: "SHA-256", salt: encoder.encode("hbm offline desk"), info: encoder.encode("wrap " + kid) };
      return Promise.all([kid, subtle.deriveKey(wrapping, found[1], AES, false, ["encrypt", "decrypt"]), getMeta("keypair:" + kid)]);
    }).then(function (found) {
      var kid = found[0];
      var wrap = found[1];
      var pair = found[2];
      var sealing = { name: "AES-GCM", iv: pair ? pair.iv : random(12), additionalData: encoder.encode(kid) };
      if (pair) {
        return subtle.decrypt(sealing, wrap, pair.wrapped).then(function (pkcs8) {
          return subtle.importKey("pkcs8", pkcs8, ECDH, false, ["deriveKey"]);
        }).then(function (privateKey) { return rememberPair(pair, privateKey, false); });
      }
      return subtle.generateKey(ECDH, true, ["deriveKey"]).then(function (made) {
        return subtle.exportKey("pkcs8", made.privateKey).then(function (pkcs8) {
          return Promise.all([subtle.encrypt(sealing, wrap, pkcs8), subtle.importKey("pkcs8", pkcs8, ECDH, false, ["deriveKey"])]);
        }).then(function (both) {
          var pair = { key: "keypair:" + kid, kid: kid, public: made.publicKey, iv: sealing.iv, wrapped: both[0] };
          return rememberPair(pair, both[1], true);
        });
      }).catch(function (error) {
        if (again) { throw error; }
        return useSecret(secret, true);
      });
    });
  }

  /* Ask the server for the user's secret (an open session only): true once unlocked. */
  function unlock() {
    if (unlocked) { return Promise.resolve(true); }
    if (!subtle) { return Promise.resolve(false); }
    return fetch(config.key, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } }).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 403) { loginNeeded(); return false; }
      if (!response.ok) { return false; }
      return response.json().then(function (body) { return useSecret(fromBase64(body.secret)); }).then(function () {
        unlocked = true;
        root.setAttribute("data-unlocked", "");
        return true;
      });
    }).catch(function () { return false; });
  }

  /* Sealed with the public key: an ECDH key of its own, AES-GCM 256, a fresh 96-bit IV;
     `context` (the record's id) is bound to it as associated data. */
  function seal(value, context) {
    if (!keys.publicKey) { return Promise.reject(new Error("no device key")); }
    var kid = keys.kid;
    var iv = random(12);
    return subtle.generateKey(ECDH, false, ["deriveKey"]).then(function (own) {
      return subtle.deriveKey({ name: "ECDH", public: keys.publicKey }, own.privateKey, AES, false, ["encrypt"]).then(function (key) {
        return subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: encoder.encode(context) }, key, encoder.encode(JSON.stringify(value)));
      }).then(function (data) { return { kid: kid, epk: own.publicKey, iv: iv, data: data }; });
    });
  }

  /* What was sealed, or null when this page holds no private key that opens it. */
  function unseal(sealed, context) {
    var privateKey = keys.privateKeys[sealed.kid];
    if (!privateKey) { return Promise.resolve(null); }
    return subtle.deriveKey({ name: "ECDH", public: sealed.epk }, privateKey, AES, false, ["decrypt"]).then(function (key) {
      return subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(context) }, key, sealed.data);
    }).then(function (plain) { return JSON.parse(decoder.decode(plain)); }, function () { return null; });
  }

  /* A record as stored: what the list needs to count it in clear, the rest sealed. */
  function stored(record) {
    return seal({ payload: record.payload, message: record.message, problems: record.problems }, record.id).then(function (sealed) {
      return { id: record.id, created_at: record.created_at, state: record.state, attempts: record.attempts || 0, sealed: sealed };
    });
  }

  function openRecord(row) {
    if (!row.sealed) { return Promise.resolve(Object.assign({ clear: true }, row)); }  // version 1
    var record = { id: row.id, created_at: row.created_at, state: row.state, attempts: row.attempts, kid: row.sealed.kid };
    return unseal(row.sealed, row.id).then(function (secret) {
      return secret ? Object.assign(record, secret) : Object.assign(record, { locked: true });
    });
  }

  function putRecord(record) {
    return stored(record).then(function (row) {
      var transaction = db.transaction("queue", "readwrite");
      transaction.objectStore("queue").put(row);
      return committed(transaction);
    });
  }

  function replaceRecord(oldId, record) {
    return stored(record).then(function (row) {
      var transaction = db.transaction("queue", "readwrite");
      transaction.objectStore("queue").delete(oldId);
      transaction.objectStore("queue").put(row);
      return committed(transaction);
    });
  }

  function deleteRecord(id) {
    var transaction = db.transaction("queue", "readwrite");
    transaction.objectStore("queue").delete(id);
    return committed(transaction);
  }

  /* What is stored, opened as far as this page's keys allow. A record a version 1 kept in
     clear is sealed in its place (the same id: the clear copy is overwritten), then sent. */
  function loadRecords() {
    return done(db.transaction("queue").objectStore("queue").getAll()).then(function (rows) {
      return Promise.all(rows.map(openRecord));
    }).then(function (all) {
      var clear = keys.publicKey ? all.filter(function (r) { return r.clear; }) : [];
      return Promise.all(clear.map(function (r) { delete r.clear; return putRecord(r); })).then(function () {
        records = all.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      });
    });
  }

  /* Another user's storage on this device: removed when nothing in it waits to be sent. */
  function tidyOtherUsers() {
    if (!indexedDB.databases) { return Promise.resolve(); }
    return indexedDB.databases().then(function (all) {
      var others = all.filter(function (info) {
        return info.name && info.name.indexOf(DB_PREFIX) === 0 && info.name !== DB_PREFIX + config.user;
      });
      return Promise.all(others.map(function (info) {
        return openDb(info.name).then(function (other) {
          return done(other.transaction("queue").objectStore("queue").count()).then(function (n) {
            other.close();
            if (n === 0) { indexedDB.deleteDatabase(info.name); }
            return n;
          });
        });
      }));
    }).then(function (counts) {
      var waiting = counts.reduce(function (a, b) { return a + b; }, 0);
      if (waiting) { hintsStatus.before(el("p", { class: "muted" }, [fmt(M.other_users, waiting)])); }
    });
  }

  /* ---- The form ---- */

  function addMember(values) {
    serial += 1;
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[data-field]").forEach(function (field) {
      var id = "m" + serial + "-" + field.getAttribute("data-field");
      field.querySelector("label").setAttribute("for", id);
      field.querySelector("input, select").id = id;
    });
    var first = membersBox.children.length === 0;
    row.elements.relationship.value = first ? "head" : "child";
    row.querySelector("[data-remove-member]").hidden = first;
    row.querySelector("[data-remove-member]").addEventListener("click", function () {
      row.remove();
      renumber();
    });
    row.addEventListener("input", function (event) {
      if (event.target.name === "given_name" || event.target.name === "family_name") { showHints(row); }
    });
    Object.keys(values || {}).forEach(function (name) {
      if (row.elements[name]) { row.elements[name].value = values[name] === null ? "" : values[name]; }
    });
    membersBox.append(row);
    renumber();
    return row;
  }

  function renumber() {
    Array.prototype.forEach.call(membersBox.children, function (row, index) {
      row.querySelector("[data-number]").textContent = String(index + 1);
    });
  }

  function text(element) { return element ? element.value.trim() : ""; }

  function readMember(row) {
    var age = text(row.elements.age_estimate);
    return {
      relationship: row.elements.relationship.value,
      given_name: text(row.elements.given_name),
      family_name: text(row.elements.family_name),
      sex: row.elements.sex.value,
      // A tablet's numeric keypad has '.' but no '-', as on the desk (forms_desk).
      date_of_birth: text(row.elements.date_of_birth).replace(/[./\s]+/g, "-"),
      age_estimate: age === "" ? null : Number(age),
      nationality: text(row.elements.nationality).toUpperCase()
    };
  }

  function readForm() {
    var f = form.elements;
    return {
      id: editing ? editing.id : crypto.randomUUID(),
      crossing_point: f.crossing_point.value,
      direction: f.direction.value,
      crossed_at: editing ? editing.payload.crossed_at : new Date().toISOString(),
      group_kind: f.group_kind.value,
      transport: f.transport.value,
      reason: f.reason.value,
      origin_country: text(f.origin_country).toUpperCase(),
      origin_place: text(f.origin_place),
      destination: text(f.destination),
      consent_given: f.consent_given.checked,
      consent_giver: f.consent_giver.value,
      consent_given_by: text(f.consent_given_by),
      consent_method: f.consent_method.value,
      members: Array.prototype.map.call(membersBox.children, readMember)
    };
  }

  function fillForm(payload) {
    var f = form.elements;
    ["crossing_point", "direction", "group_kind", "transport", "reason", "origin_country",
      "origin_place", "destination", "consent_giver", "consent_given_by", "consent_method"
    ].forEach(function (name) { f[name].value = payload[name] || ""; });
    f.consent_given.checked = payload.consent_given;
    membersBox.replaceChildren();
    payload.members.forEach(function (member) { addMember(member); });
  }

  function resetForm() {
    var point = pointSelect.value;
    var direction = form.elements.direction.value;
    form.reset();
    pointSelect.value = point;
    form.elements.direction.value = direction;
    membersBox.replaceChildren();
    addMember();
    editing = null;
    cancelButton.hidden = true;
    showProblems({});
  }

  /* ---- Checks: the server's rules that need nothing but the page ---- */

  function lastDay(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }

  function iso(year, month, day) {
    return String(year).padStart(4, "0") + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  }

  function birthProblem(dob, age) {
    var now = new Date();
    var today = iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
    if (dob && age !== null) { return ["age_estimate", M.need_one]; }
    if (dob) {
      var match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(dob);
      if (!match) { return ["date_of_birth", M.bad_format]; }
      var year = Number(match[1]);
      var month = match[2] ? Number(match[2]) : null;
      var day = match[3] ? Number(match[3]) : null;
      if (year < 1 || (month !== null && (month < 1 || month > 12)) ||
          (day !== null && (day < 1 || day > lastDay(year, month)))) {
        return ["date_of_birth", fmt(M.not_a_date, dob)];
      }
      if (iso(year, month || 1, day || 1) > today) { return ["date_of_birth", M.birth_in_future]; }
      var latest = iso(year, month || 12, day || lastDay(year, month || 12));
      if (latest < String(now.getFullYear() - config.max_age - 1).padStart(4, "0") + today.slice(4)) {
        return ["date_of_birth", M.too_old];
      }
    } else if (age !== null && !(Number.isInteger(age) && age >= 0 && age <= config.max_age)) {
      return ["age_estimate", M.age_range];
    }
    return null;
  }

  function check(payload) {
    var problems = {};
    var add = function (path, message) { (problems[path] = problems[path] || []).push(message); };
    var choice = function (path, value, values) {
      if (value && values.indexOf(value) === -1) { add(path, fmt(M.not_a_choice, value, values.join(", "))); }
    };
    if (!payload.crossing_point) { add("crossing_point", M.required); }
    if (payload.origin_country && config.countries.indexOf(payload.origin_country) === -1) {
      add("origin_country", fmt(M.unknown_country, payload.origin_country));
    }
    if (!payload.consent_given) {
      if (!config.legal_basis) { add("consent_given", M.consent_required); }
    } else {
      choice("consent_giver", payload.consent_giver, config.choices.consent_giver);
      choice("consent_method", payload.consent_method, config.choices.consent_method);
      if (payload.consent_giver === "other" && !payload.consent_given_by) { add("consent_given_by", M.giver_name_required); }
      if (payload.consent_giver === "self" && payload.consent_given_by) { add("consent_given_by", M.name_for_self); }
    }
    var members = payload.members;
    if (!members.length) { add("members", M.no_members); return problems; }
    if (members.length > config.max_members) { add("members", M.too_many); return problems; }
    var heads = [];
    members.forEach(function (member, index) {
      var at = "members." + index + ".";
      if (!member.relationship) { add(at + "relationship", M.required); }
      choice(at + "relationship", member.relationship, config.choices.relationship);
      if (member.relationship === "head") { heads.push(index); }
      if (!member.given_name && !member.family_name) { add(at + "given_name", M.no_name); }
      choice(at + "sex", member.sex, config.choices.sex);
      var birth = birthProblem(member.date_of_birth, member.age_estimate);
      if (birth) { add(at + birth[0], birth[1]); }
      if (member.nationality && config.countries.indexOf(member.nationality) === -1) {
        add(at + "nationality", fmt(M.unknown_country, member.nationality));
      }
    });
    if (!heads.length) { add("members", M.no_head); }
    heads.slice(1).forEach(function (index) { add("members." + index + ".relationship", M.two_heads); });
    return problems;
  }

  /* Where a field path (members.2.sex) is on the page, and what it is called there. */
  function fieldOf(path) {
    var parts = path.split(".");
    if (parts[0] === "members" && parts.length > 2) {
      var row = membersBox.children[Number(parts[1])];
      return row ? row.querySelector('[data-field="' + parts[2] + '"]') : null;
    }
    return form.querySelector('[data-path="' + parts[0] + '"]');
  }

  function labelOf(path) {
    var parts = path.split(".");
    var shown = template.content.querySelector('[data-field="' + parts[2] + '"] label');
    if (parts[0] === "members" && parts.length > 2) {
      var person = template.content.querySelector("legend").firstChild.textContent.trim();
      return person + " " + (Number(parts[1]) + 1) + " · " + (shown ? shown.textContent : parts[2]);
    }
    var field = form.querySelector('[data-path="' + parts[0] + '"]');
    var name = field && field.querySelector("label, legend");
    return name ? name.textContent.trim() : path;
  }

  function showProblems(problems) {
    form.querySelectorAll(".field-error").forEach(function (node) { node.classList.remove("field-error"); });
    form.querySelectorAll("[data-problem]").forEach(function (node) { node.remove(); });
    var paths = Object.keys(problems);
    summary.hidden = paths.length === 0;
    summary.replaceChildren(el("h2", {}, [M.problems]));
    if (!paths.length) { return; }
    var list = el("ul");
    paths.forEach(function (path) {
      var field = fieldOf(path);
      var messages = problems[path];
      if (field) {
        field.classList.add("field-error");
        field.append(el("ul", { class: "errorlist", "data-problem": "" }, messages.map(function (m) {
          return el("li", { dir: "auto" }, [m]);
        })));
      }
      messages.forEach(function (m) {
        list.append(el("li", {}, [path === "members" ? m : labelOf(path) + ": ", path === "members" ? "" : el("bdi", {}, [m])]));
      });
    });
    summary.append(list);
    summary.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var payload = readForm();
    var problems = check(payload);
    showProblems(problems);
    if (Object.keys(problems).length) { return; }
    // No key yet (never opened with a network), or no WebCrypto (not HTTPS): nothing is kept.
    if (!keys.publicKey || !subtle) { say(M.no_key); return; }
    var was = editing;
    var record = {
      id: payload.id,
      payload: payload,
      created_at: was ? was.created_at : new Date().toISOString(),
      attempts: 0,
      state: "waiting",
      message: "",
      problems: []
    };
    putRecord(record).then(function () {
      records = records.filter(function (r) { return r.id !== record.id; }).concat([record]);
      resetForm();
      say(was ? M.corrected : M.saved);
      render();
      if (navigator.onLine) { sync(); }
    });
  });

  document.getElementById("add-member").addEventListener("click", function () {
    addMember().elements.relationship.focus();
  });
  cancelButton.addEventListener("click", resetForm);

  /* ---- The list of what is not on the server yet ---- */

  function names(payload) {
    return payload.members.map(function (m) { return [m.given_name, m.family_name].filter(Boolean).join(" "); }).join(", ");
  }

  function at(when) {
    return new Date(when).toLocaleString(document.documentElement.lang, {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
    });
  }

  function button(label, action) {
    var node = el("button", { type: "button", class: "secondary small" }, [label]);
    node.addEventListener("click", action);
    return node;
  }

  function item(record) {
    var state = record.state;
    var node = el("li", { "data-record": record.id, "data-state": state, class: "offline-record" }, [
      record.locked ? el("strong", { "data-locked": "" }, [M.locked_record]) : el("strong", {}, [names(record.payload)]), " · ",
      el("time", { datetime: record.created_at }, [at(record.created_at)]), " ",
      el("span", { class: "badge state-" + state }, [M["state_" + state]])
    ]);
    if (record.locked) { return node; }  // not this page's to open: no action on it
    if (record.message) { node.append(el("p", { class: "offline-message", dir: "auto" }, [record.message])); }
    if (record.problems && record.problems.length) {
      node.append(el("ul", { class: "errorlist" }, record.problems.map(function (p) {
        return el("li", { "data-field": p.field }, [labelOf(p.field) + ": ", el("bdi", {}, [p.message])]);
      })));
    }
    if (state === "conflict") {
      node.append(el("p", { class: "offline-actions" }, [button(M.send_as_new, function () { sendAsNew(record); }), " ", button(M.delete, function () { forget(record); })]));
    } else if (state === "refused") {
      node.append(el("p", { class: "offline-actions" }, [button(M.correct, function () { correct(record); }), " ", button(M.delete, function () { forget(record); })]));
    }
    return node;
  }

  function render() {
    var locked = records.filter(function (r) { return r.locked; }).length;
    lockedBox.hidden = locked === 0;
    lockedBox.textContent = locked ? fmt(unlocked ? M.foreign : M.locked, locked) : "";
    // Locked until the network is back: a note; locked with another key: an alert.
    lockedBox.className = unlocked ? "offline-alert" : "muted";
    countBox.textContent = String(records.length);
    queueList.replaceChildren.apply(queueList, records.map(item).concat(sent.map(item)));
  }

  function say(message) { statusBox.textContent = message; }

  function sendAsNew(record) {
    var renewed = Object.assign({}, record, { state: "waiting", message: "", problems: [] });
    renewed.id = crypto.randomUUID();
    renewed.payload = Object.assign({}, record.payload, { id: renewed.id });
    replaceRecord(record.id, renewed).then(function () {
      records = records.map(function (r) { return r.id === record.id ? renewed : r; });
      render();
      sync();
    });
  }

  function forget(record) {
    if (!window.confirm(M.confirm_delete)) { return; }
    deleteRecord(record.id).then(function () {
      records = records.filter(function (r) { return r.id !== record.id; });
      render();
    });
  }

  function correct(record) {
    editing = record;
    fillForm(record.payload);
    cancelButton.hidden = false;
    var problems = {};
    record.problems.forEach(function (p) { (problems[p.field] = problems[p.field] || []).push(p.message); });
    showProblems(problems);
  }

  /* ---- Sending ---- */

  function csrfToken() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function loginNeeded() {
    var link = el("a", { href: config.login }, [M.login_again]);
    alertBox.replaceChildren(link);
    alertBox.hidden = false;
  }

  function keep(record, state, message, problems) {
    record.state = state;
    record.message = message || "";
    record.problems = problems || [];
    return putRecord(record);
  }

  function answered(record, status, body) {
    if (status === 200 || status === 201) {
      return deleteRecord(record.id).then(function () {
        records = records.filter(function (r) { return r.id !== record.id; });
        sent.unshift(Object.assign({}, record, { state: "sent", message: "", problems: [] }));
        return true;
      });
    }
    if (status === 409) {
      return keep(record, "conflict", M.conflict + " (" + (body.message || "") + ")").then(function () { return true; });
    }
    if (status === 422) {
      var problems = (body.errors || []).map(function (e) {
        return { field: String(e.field).replace(/^body\.?/, ""), message: e.message };
      });
      return keep(record, "refused", body.message, problems).then(function () { return true; });
    }
    if (status === 401) {
      return keep(record, "waiting").then(function () { loginNeeded(); return false; });
    }
    if (status === 403) {
      // Two-factor or an ended session, or a refusal of this registration (not your point).
      return fetch(config.me, { credentials: "same-origin" }).then(function (me) {
        if (me.ok) { return keep(record, "refused", body.message).then(function () { return true; }); }
        return keep(record, "waiting").then(function () { loginNeeded(); return false; });
      });
    }
    return keep(record, "waiting", fmt(M.server_error, status)).then(function () { return false; });
  }

  function send(record) {
    record.state = "sending";
    record.attempts = (record.attempts || 0) + 1;
    return putRecord(record).then(function () {
      render();
      return fetch(config.registrations, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(record.payload)
      });
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return answered(record, response.status, body);
      });
    }, function () {
      say(M.offline);
      return keep(record, "waiting").then(function () { return false; });
    });
  }

  function sendNext() {
    // A locked record is not this page's to send: another user's, or its key is gone.
    var next = records.find(function (r) { return !r.locked && (r.state === "waiting" || r.state === "sending"); });
    if (!next) {
      say(records.length ? "" : M.all_sent);
      return Promise.resolve();
    }
    return send(next).then(function (goOn) { return goOn ? sendNext() : undefined; });
  }

  /* One tab of the desk sends at a time (Web Locks), from what is stored now: another tab
     may have sent or kept records since this one read them. A record sent twice all the
     same is answered 200 and counted once by the server. */
  function sendStored() {
    var run = function () { return loadRecords().then(sendNext); };
    if (!navigator.locks) { return run(); }
    return navigator.locks.request("hbm-offline-desk-sync", { ifAvailable: true }, function (lock) {
      return lock ? run() : undefined;
    });
  }

  function sync() {
    if (!db) { return Promise.resolve(); }  // still opening: it syncs once open
    if (syncing) { return syncing; }
    alertBox.hidden = true;
    say(M.sending);
    root.setAttribute("data-syncing", "");
    syncing = unlock().then(function (ok) {
      if (!ok) { say(navigator.onLine ? "" : M.offline); return undefined; }
      return loadRecords().then(sendStored);
    }).finally(function () {
      syncing = null;
      root.removeAttribute("data-syncing");
      render();
    });
    return syncing;
  }

  /* ---- Namesake hints ---- */

  function tokens(name) {
    var plain = name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return plain ? plain.split(" ").filter(function (t) { return t.length > 1; }) : [];
  }

  function oneEditApart(a, b) {
    if (Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) { i += 1; }
    var j = 0;
    while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) { j += 1; }
    return Math.max(a.length, b.length) - i - j <= 1;
  }

  function near(a, b) {
    return a === b || (Math.min(a.length, b.length) >= 4 && oneEditApart(a, b));
  }

  function alike(typed, known) {
    return typed.every(function (t) { return known.some(function (k) { return near(t, k); }); });
  }

  function queued(point) {
    var found = [];
    records.forEach(function (record) {
      if (record.locked || record.payload.crossing_point !== point) { return; }
      record.payload.members.forEach(function (m) {
        var name = [m.given_name, m.family_name].filter(Boolean).join(" ");
        var year = m.date_of_birth ? m.date_of_birth.slice(0, 4) : (m.age_estimate === null ? "" : "~" + (new Date(record.created_at).getFullYear() - m.age_estimate));
        found.push({ name: name, tokens: tokens(name), year_of_birth: year, sex: m.sex, registered_on: record.created_at.slice(0, 10), queued: true });
      });
    });
    return found;
  }

  function showHints(row) {
    var box = row.querySelector("[data-hints]");
    var typed = tokens(text(row.elements.given_name) + " " + text(row.elements.family_name));
    var found = typed.length < 2 ? [] : namesakes.concat(queued(pointSelect.value)).filter(function (known) {
      return alike(typed, known.tokens);
    }).slice(0, HINTS_SHOWN);
    if (!found.length) { box.replaceChildren(); return; }
    box.replaceChildren(el("p", { class: "muted" }, [M.namesakes]), el("ul", {}, found.map(function (known) {
      var facts = [known.year_of_birth, known.sex, known.registered_on].filter(Boolean).join(" · ");
      return el("li", { "data-namesake": "" }, [el("strong", {}, [known.name]), " · " + facts + (known.queued ? " · " + M.in_queue : "")]);
    })));
  }

  function loadNamesakes(point) {
    var transaction = db.transaction(["namesakes", "meta"]);
    return Promise.all([
      done(transaction.objectStore("namesakes").index("point").getAll(IDBKeyRange.only(point))),
      done(transaction.objectStore("meta").get("namesakes:" + point))
    ]).then(function (found) {
      var row = found[0][0];
      return (row && row.sealed ? unseal(row.sealed, "namesakes:" + point) : Promise.resolve(null)).then(function (people) {
        namesakes = (people || []).map(function (p) { return Object.assign({ tokens: tokens(p.name) }, p); });
        if (!found[1]) { hintsStatus.textContent = M.hints_none; return; }
        hintsStatus.textContent = row && !people ? M.hints_locked : fmt(M.hints_from, found[1].count, at(found[1].fetched_at));
      });
    });
  }

  function fetchPages(url, pages, rows) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (response) {
      if (response.status === 401 || response.status === 403) { loginNeeded(); return null; }
      if (!response.ok) { return null; }
      return response.json().then(function (body) {
        rows = rows.concat(body.results);
        return body.next && pages > 1 ? fetchPages(body.next, pages - 1, rows) : rows;
      });
    });
  }

  function refreshNamesakes() {
    var point = pointSelect.value;
    if (!db) { return Promise.resolve(); }
    if (!point || !navigator.onLine) { return loadNamesakes(point); }
    var url = config.recent + "?crossing_point=" + encodeURIComponent(point) + "&days=" + config.recent_days + "&page_size=" + HINT_PAGE_SIZE;
    return fetchPages(url, HINT_PAGES, []).then(function (rows) {
      if (rows === null) { return undefined; }
      var people = rows.map(function (row) {
        return { name: row.name, year_of_birth: row.year_of_birth, sex: row.sex, registered_on: row.registered_on };
      });
      // The point's hints are kept as one sealed record.
      return seal(people, "namesakes:" + point).then(function (sealed) {
        var transaction = db.transaction(["namesakes", "meta"], "readwrite");
        var kept = transaction.objectStore("namesakes");
        kept.index("point").openCursor(IDBKeyRange.only(point)).onsuccess = function (event) {
          var cursor = event.target.result;
          if (cursor) { cursor.delete(); cursor.continue(); return; }
          kept.add({ point: point, sealed: sealed });
        };
        transaction.objectStore("meta").put({ key: "namesakes:" + point, fetched_at: new Date().toISOString(), count: rows.length });
        return committed(transaction);
      });
    }).catch(function () { return undefined; }).then(function () { return loadNamesakes(point); });
  }

  pointSelect.addEventListener("change", function () { refreshNamesakes(); });

  /* ---- Start ---- */

  // Ask the browser not to evict the stored registrations when space runs short.
  if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.worker, { scope: config.scope });
  }
  window.addEventListener("online", function () { say(M.online); sync().then(refreshNamesakes); });
  window.addEventListener("offline", function () { say(M.offline); });
  document.getElementById("send-now").addEventListener("click", function () { sync(); });

  addMember();
  openDb(DB_PREFIX + config.user).then(function (opened) {
    db = opened;
    // Logging out deletes this database (app.js): let it.
    db.onversionchange = function () { db.close(); };
    return loadKeys().then(loadRecords);
  }).then(function () {
    render();
    root.setAttribute("data-ready", "");
    say(navigator.onLine ? M.online : M.offline);
    tidyOtherUsers();
    return navigator.onLine ? sync().then(refreshNamesakes) : loadNamesakes(pointSelect.value);
  });
  window.setInterval(function () { if (navigator.onLine) { sync(); } }, SYNC_EVERY_MS);
  window.setInterval(function () { if (navigator.onLine) { refreshNamesakes(); } }, HINTS_EVERY_MS);
})();

/* Behaviour every page shares, bound from data attributes: the Content-Security-Policy allows
   no inline handlers. */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // The main menu folds behind its button on a narrow screen (see app.css).
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("mainnav");
  if (toggle && nav) {
    var narrow = window.matchMedia("(max-width: 40rem)");
    var fold = function (folded) {
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
      if (folded) { nav.setAttribute("data-folded", ""); } else { nav.removeAttribute("data-folded"); }
    };
    toggle.hidden = false;
    fold(true);
    toggle.addEventListener("click", function () { fold(nav.hasAttribute("data-folded") === false); });
    narrow.addEventListener("change", function () { fold(true); });
  }

  // Logging out clears what the offline desk keeps on this device (ADR 0127): its
  // registrations, namesake hints, kept pages and service worker. Unsent registrations are
  // named first; a second "Log out" deletes them too.
  var logout = document.querySelector("form[data-logout]");
  var PREFIX = "hbm-offline-desk-";
  var opened = function (request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  };
  var offlineStores = function () {
    if (!window.indexedDB || !indexedDB.databases) { return Promise.resolve([]); }
    return indexedDB.databases().then(function (all) {
      return all.map(function (info) { return info.name || ""; }).filter(function (name) {
        return name.indexOf(PREFIX) === 0;
      });
    });
  };
  var unsent = function (names) {
    return Promise.all(names.map(function (name) {
      return opened(indexedDB.open(name)).then(function (db) {
        if (!db.objectStoreNames.contains("queue")) { db.close(); return 0; }
        return opened(db.transaction("queue").objectStore("queue").count()).then(function (n) {
          db.close();
          return n;
        });
      });
    })).then(function (counts) { return counts.reduce(function (a, b) { return a + b; }, 0); });
  };
  var clearDevice = function (names) {
    var work = names.map(function (name) { return opened(indexedDB.deleteDatabase(name)); });
    if (window.caches) {
      work.push(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key.indexOf(PREFIX) === 0; })
          .map(function (key) { return caches.delete(key); }));
      }));
    }
    if (navigator.serviceWorker) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(work);
  };
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.hasAttribute("data-cleared")) { return; }
      event.preventDefault();
      var leave = function () { logout.setAttribute("data-cleared", ""); logout.submit(); };
      offlineStores().then(function (names) {
        return unsent(names).then(function (waiting) {
          if (waiting && !logout.hasAttribute("data-warned")) {
            logout.setAttribute("data-warned", "");
            var warning = document.createElement("p");
            warning.className = "offline-alert";
            warning.setAttribute("role", "alert");
            warning.textContent = waiting + " · " + logout.getAttribute("data-unsent-warning");
            document.getElementById("main").prepend(warning);
            return;
          }
          return clearDevice(names).then(leave);
        });
      }).catch(leave);
    });
  }
})();

/* Wegweiser: small, optional enhancements. Every page works without this file.
   - personal checklist (stored only in this browser, localStorage key "ww-progress")
   - read a step aloud (only when the device has a voice for the page's language)
   - save guides for offline use (service worker + Cache API)
   - search in the reader's language (index loaded only on the search page, on first use) */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="assets/ww/wegweiser.js"]');
  var root = new URL("../../", script.src);
  var KEY = "ww-progress";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function kb(bytes) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }

  /* --- service worker ------------------------------------------------------------------------ */
  if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname }).catch(function () {});
  }

  /* --- checklist ------------------------------------------------------------------------------ */
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(data) {
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { /* private mode: keep in memory */ }
  }
  var box = document.querySelector(".ww-progress");
  if (box) {
    var guide = box.getAttribute("data-guide");
    var links = Array.prototype.slice.call(document.querySelectorAll(".ww-steps a[href^='#']"));
    var ids = links.map(function (a) { return a.getAttribute("href").slice(1); });
    var status = el("p", { "class": "ww-progress__status", role: "status", "aria-live": "polite" });
    var bar = el("progress", { "class": "ww-progress__bar", max: String(ids.length), value: "0", "aria-hidden": "true" });
    var clear = el("button", { type: "button", "class": "ww-button ww-progress__clear" }, box.getAttribute("data-clear"));
    box.appendChild(status); box.appendChild(bar); box.appendChild(clear);
    box.hidden = false;
    var boxes = {};
    var update = function () {
      var data = load(), mine = data[guide] || {};
      var done = ids.filter(function (id) { return mine[id]; }).length;
      status.textContent = fill(box.getAttribute("data-progress"), { done: done, total: ids.length });
      bar.value = done;
      ids.forEach(function (id, i) {
        if (boxes[id]) boxes[id].checked = !!mine[id];
        links[i].parentNode.classList.toggle("ww-steps__item--done", !!mine[id]);
      });
      clear.hidden = done === 0;
    };
    ids.forEach(function (id) {
      var heading = document.getElementById(id);
      if (!heading) return;
      var wrap = el("p", { "class": "ww-done" });
      var label = el("label", { "class": "ww-done__label" });
      var input = el("input", { type: "checkbox", "class": "ww-done__box", "aria-describedby": id });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + box.getAttribute("data-done")));
      wrap.appendChild(label);
      heading.parentNode.insertBefore(wrap, heading.nextSibling);
      boxes[id] = input;
      input.addEventListener("change", function () {
        var data = load();
        data[guide] = data[guide] || {};
        if (input.checked) data[guide][id] = true; else delete data[guide][id];
        if (!Object.keys(data[guide]).length) delete data[guide];
        save(data);
        update();
      });
    });
    clear.addEventListener("click", function () {
      var data = load();
      delete data[guide];
      save(data);
      update();
      status.focus && status.focus();
    });
    window.addEventListener("storage", update);
    update();
  }

  /* --- read aloud ------------------------------------------------------------------------------ */
  if (box && "speechSynthesis" in window) {
    var lang = document.documentElement.lang;
    var buttons = [];
    var speaking = null;
    var voiceFor = function () {
      return window.speechSynthesis.getVoices().filter(function (v) { return v.lang && v.lang.toLowerCase().indexOf(lang) === 0; })[0];
    };
    var stepText = function (heading) {
      var parts = [heading.textContent], node = heading.nextElementSibling;
      while (node && node.tagName !== "H2" && !node.classList.contains("ww-end")) {
        if (!node.classList.contains("ww-done") && !node.classList.contains("ww-read")) parts.push(node.textContent);
        node = node.nextElementSibling;
      }
      return parts.join(". ").replace(/\s+/g, " ");
    };
    var setup = function () {
      var voice = voiceFor();
      if (!voice || buttons.length) return;
      document.querySelectorAll(".ww-steps a[href^='#']").forEach(function (a) {
        var heading = document.getElementById(a.getAttribute("href").slice(1));
        if (!heading) return;
        var button = el("button", { type: "button", "class": "ww-button ww-read", "aria-pressed": "false" }, box.getAttribute("data-read"));
        button.addEventListener("click", function () {
          window.speechSynthesis.cancel();
          buttons.forEach(function (b) { b.textContent = box.getAttribute("data-read"); b.setAttribute("aria-pressed", "false"); });
          if (speaking === button) { speaking = null; return; }
          var u = new SpeechSynthesisUtterance(stepText(heading));
          u.lang = voice.lang; u.voice = voice;
          u.onend = function () { button.textContent = box.getAttribute("data-read"); button.setAttribute("aria-pressed", "false"); speaking = null; };
          speaking = button;
          button.textContent = box.getAttribute("data-stop");
          button.setAttribute("aria-pressed", "true");
          window.speechSynthesis.speak(u);
        });
        var done = heading.nextElementSibling;
        (done && done.classList.contains("ww-done") ? done : heading).insertAdjacentElement("afterend", button);
        buttons.push(button);
      });
    };
    setup();
    window.speechSynthesis.addEventListener && window.speechSynthesis.addEventListener("voiceschanged", setup);
  }

  /* --- save for offline use ---------------------------------------------------------------- */
  var offline = document.querySelector("[data-offline-guide]");
  if (offline && "caches" in window && "serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    var manifestUrl = new URL("../offline.json", location.href);
    fetch(manifestUrl).then(function (r) { return r.json(); }).then(function (manifest) {
      var slug = offline.getAttribute("data-offline-guide");
      var all = manifest.guides, mine = all.filter(function (g) { return g.slug === slug; });
      var urls = function (list) {
        var out = [];
        list.forEach(function (g) { g.urls.forEach(function (u) { out.push(new URL(u, manifestUrl).href); }); });
        return out;
      };
      var size = function (list) { return list.reduce(function (s, g) { return s + g.bytes; }, 0); };
      var message = el("span", { role: "status", "aria-live": "polite", "class": "ww-offline__status" });
      [[mine, offline.getAttribute("data-label")], [all, offline.getAttribute("data-label-all")]].forEach(function (pair) {
        var button = el("button", { type: "button", "class": "ww-button" }, fill(pair[1], { size: kb(size(pair[0])) }));
        button.addEventListener("click", function () {
          caches.open("ww-saved").then(function (cache) { return cache.addAll(urls(pair[0])); }).then(function () {
            message.textContent = offline.getAttribute("data-saved");
          }, function () { message.textContent = offline.getAttribute("data-failed"); });
        });
        offline.appendChild(button);
        offline.appendChild(document.createTextNode(" "));
      });
      offline.appendChild(message);
      offline.hidden = false;
    }).catch(function () {});
  }

  /* --- search -------------------------------------------------------------------------------- */
  var form = document.querySelector("form.ww-search");
  if (form) {
    var input = form.querySelector("input");
    var list = document.querySelector(".ww-search__results");
    var info = document.querySelector(".ww-search__status");
    var indexUrl = new URL(form.getAttribute("data-index"), location.href);
    var index = null;
    var norm = function (s) {
      return s.normalize("NFKC").toLowerCase().replace(/ي|ى/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, " ").replace(/ё/g, "е");
    };
    var getIndex = function () {
      if (!index) index = fetch(indexUrl).then(function (r) { return r.json(); }).then(function (docs) {
        docs.forEach(function (d) { d.n = norm(d.t + " " + d.x); d.nt = norm(d.t); });
        return docs;
      });
      return index;
    };
    var run = function () {
      var q = norm(input.value.trim());
      list.textContent = "";
      if (!q) { info.textContent = ""; return; }
      var terms = q.split(/\s+/);
      getIndex().then(function (docs) {
        var hits = docs.filter(function (d) { return terms.every(function (t) { return d.n.indexOf(t) >= 0; }); });
        hits.sort(function (a, b) { return (terms.every(function (t) { return b.nt.indexOf(t) >= 0; }) ? 1 : 0) - (terms.every(function (t) { return a.nt.indexOf(t) >= 0; }) ? 1 : 0); });
        hits.slice(0, 30).forEach(function (d) {
          var li = el("li"), a = el("a", { href: new URL(d.u, indexUrl).href }, d.t);
          li.appendChild(a);
          li.appendChild(el("p", {}, d.x.slice(0, 160) + (d.x.length > 160 ? "…" : "")));
          list.appendChild(li);
        });
        info.textContent = hits.length ? fill(info.getAttribute("data-count"), { n: hits.length }) : info.getAttribute("data-none");
      });
    };
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); });
    input.addEventListener("focus", getIndex, { once: true });
    var timer;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    var initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; run(); }
  }
})();

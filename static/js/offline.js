/* Registers the service worker (static/sw.js, served at /sw.js), lists the purchases it keeps while
 * the phone is offline (the "Menunggu dikirim" box, templates/pwa/_waiting.html), asks it to send
 * them when the browser comes back online, and gives each purchase form loaded from the worker's
 * cache a fresh client_ref and today's date. Everything here is extra: without it the forms work. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  var day = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "long", year: "numeric" });
  function dateLabel(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return parts ? day.format(new Date(+parts[1], parts[2] - 1, +parts[3])) : (iso || "");
  }
  function amountLabel(text) {
    return /^\d[\d.]*$/.test(text) ? "Rp" + text : text;
  }

  function show(items) {
    var box = document.getElementById("menunggu");
    if (!box) return;
    var list = box.querySelector("[data-antrean]");
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "entry";
      var head = document.createElement("div");
      head.className = "entry-head";
      var strong = document.createElement("strong");
      strong.textContent = amountLabel(item.amount);
      var badge = document.createElement("span");
      badge.className = "badge " + (item.state === "ditolak" ? "badge-disputed" : "badge-reported");
      badge.textContent = item.state === "ditolak" ? "Ditolak server" : "Menunggu dikirim";
      head.append(strong, " ", badge);
      var what = document.createElement("div");
      what.textContent = (item.shop || "Toko") + " · " + dateLabel(item.date);
      li.append(head, what);
      if (item.state === "ditolak") {
        var why = document.createElement("div");
        why.className = "muted";
        why.textContent = "Tidak tercatat: " + (item.reason || "periksa lalu catat ulang.");
        li.append(why);
      }
      list.append(li);
    });
    box.hidden = items.length === 0;
    box.querySelector("[data-hapus]").hidden = !items.some(function (i) { return i.state === "ditolak"; });
  }

  function refresh() {
    if (document.getElementById("menunggu")) ask("daftar").then(show);
  }
  function send() { ask("kirim").then(refresh); }

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "antrean") return;
    refresh();
    var status = document.querySelector("#menunggu [data-status]");
    if (status && event.data.sent) {
      status.textContent = event.data.sent + " belanja tertunda sudah terkirim. Muat ulang halaman untuk melihatnya di riwayat.";
    }
  });
  window.addEventListener("online", send);

  function freshForm() {
    var form = document.querySelector("form[data-offline-form]");
    if (!form) return;
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    form.elements.client_ref.value = "sw-" + Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    var now = new Date();
    var today = [now.getFullYear(), String(now.getMonth() + 1).padStart(2, "0"), String(now.getDate()).padStart(2, "0")].join("-");
    var date = form.elements.purchased_on;
    if (date && form.dataset.today && today > form.dataset.today) {  // a form kept from an earlier day
      if (date.value === form.dataset.today) date.value = today;
      date.max = today;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    freshForm();
    refresh();
    var box = document.getElementById("menunggu");
    if (!box) return;
    box.querySelector("[data-kirim]").addEventListener("click", send);
    box.querySelector("[data-hapus]").addEventListener("click", function () { ask("hapus-ditolak").then(refresh); });
    if (navigator.onLine) send();
  });
})();

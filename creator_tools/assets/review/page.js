(function () {
  "use strict";
  // Everything from files and plans arrives as JSON and is put on the page as text only.
  var D = JSON.parse(document.getElementById("review-data").textContent);
  var DUR = D.source.duration || 0;
  var E = D.edit;
  var base = E ? E.plan : null;
  var TB = E ? E.timebase[0] / E.timebase[1] : 1;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = String(v);
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function clone(x) { return JSON.parse(JSON.stringify(x)); }
  function fmt(t) {
    t = Math.max(0, t || 0);
    var m = Math.floor(t / 60), s = t - 60 * m;
    return m + ":" + (s < 10 ? "0" : "") + s.toFixed(1);
  }
  function span(a, b) { return fmt(a) + " to " + fmt(b) + " (" + (b - a).toFixed(1) + " s)"; }
  function pct(x) { return (DUR > 0 ? x / DUR * 100 : 0).toFixed(4) + "%"; }
  function quiet(promise) { if (promise && promise.catch) promise.catch(function () {}); }

  // -- videos --------------------------------------------------------------------------
  var original = null, edited = null, active = null;
  function video(href, label, frame, ratio) {
    var v = el("video", { src: href, preload: "metadata", controls: true, playsinline: true,
                          "aria-label": label });
    if (ratio) {
      frame.style.aspectRatio = String(ratio);
      frame.style.setProperty("--ratio", ratio.toFixed(4));
    }
    frame.insertBefore(v, frame.firstChild);
    v.addEventListener("play", function () { active = v; loop(); });
    v.addEventListener("click", function () { active = v; });
    return v;
  }
  var srcRatio = D.source.width && D.source.height ? D.source.width / D.source.height : null;
  original = video(D.source.href, "Original video", $("original-frame"), srcRatio);
  active = original;
  $("original-name").textContent = D.source.name;
  if (D.edited && base) {
    edited = video(D.edited.href, "Edited video", $("edited-frame"),
                   base.output.width / base.output.height);
    $("edited-name").textContent = D.edited.name;
  } else if (base) {
    var what = E.file ? "creator render " + E.file + " -o VIDEO.mp4"
                      : "creator edit " + D.source.name;
    $("edited-frame").appendChild(el("div", { class: "placeholder" }, [
      el("p", { text: "Not rendered yet. Make it with:" }), el("code", { text: what })]));
  } else {
    $("edited-player").hidden = true;
    document.querySelector(".videos").style.gridTemplateColumns = "minmax(0, 1fr)";
  }

  // -- the edit: segments as the page's changes make them ------------------------------
  var N = base ? base.sources.filter(function (s) { return s.id === "main"; })[0].duration : 0;
  var editable = !!base && base.segments.every(function (s) { return s.source === "main"; });
  var joints = {};
  if (base) {
    base.segments.forEach(function (a) {
      base.segments.forEach(function (b) { if (a.end === b.start) joints[a.end] = true; });
    });
  }
  var removedMarks = Array.prototype.slice.call(
    document.querySelectorAll('#timeline .mark[data-kind="removed"]'));
  var state = { restored: {}, cuts: [], look: null, music: null, tags: [], caption: "",
                words: {} };
  var cutSeq = 0;
  var segsNow = base ? base.segments : [];

  function inBase(t) {
    return base.segments.some(function (s) { return s.start <= t && t < s.end; });
  }
  function gapRestored(t) {
    return removedMarks.some(function (m) {
      return state.restored[m.dataset.id] && +m.dataset.tickStart <= t && t < +m.dataset.tickEnd;
    });
  }
  function segments() {
    if (!editable) return clone(base.segments);
    var bounds = {};
    bounds[0] = true; bounds[N] = true;
    base.segments.forEach(function (s) { bounds[s.start] = true; bounds[s.end] = true; });
    state.cuts.forEach(function (c) { bounds[c.start] = true; bounds[c.end] = true; });
    var b = Object.keys(bounds).map(Number).sort(function (x, y) { return x - y; });
    var out = [];
    for (var i = 0; i + 1 < b.length; i++) {
      var a = b[i], z = b[i + 1];
      var kept = inBase(a) || gapRestored(a);
      if (kept && state.cuts.some(function (c) { return c.start <= a && z <= c.end; })) {
        kept = false;
      }
      if (!kept) continue;
      var last = out[out.length - 1];
      if (last && last.end === a && !joints[a]) last.end = z;
      else out.push({ start: a, end: z, source: "main" });
    }
    return out;
  }
  function lengthOf(segs) {
    return segs.reduce(function (n, s) { return n + s.end - s.start; }, 0) * TB;
  }
  function removedAt(t) {  // seconds of the original that the edit as changed leaves out
    if (!base) return null;
    var k = t / TB;
    for (var i = 0; i < segsNow.length; i++) {
      if (segsNow[i].start <= k && k < segsNow[i].end) return null;
      if (k < segsNow[i].start) return segsNow[i].start * TB;
    }
    return DUR;
  }
  function outputTime(t) {  // where the rendered video (the plan as written) shows it
    if (!base) return null;
    var k = Math.round(t / TB), acc = 0;
    for (var i = 0; i < base.segments.length; i++) {
      var s = base.segments[i];
      if (s.start <= k && k < s.end) return (acc + k - s.start) * TB;
      acc += s.end - s.start;
    }
    return null;
  }

  // -- playback --------------------------------------------------------------------------
  var stopAt = null, looping = false;
  function seek(t) {
    t = Math.max(0, Math.min(DUR, t));
    original.currentTime = t;
    if (edited) {
      var o = outputTime(t);
      if (o !== null) edited.currentTime = o;
    }
    tick(t);
  }
  function playing(v) { return v && !v.paused && !v.ended; }
  function togglePlay() {
    var v = active || original;
    if (playing(v)) v.pause();
    else quiet(v.play());
  }
  function tick(t) {
    if (t === undefined) t = original.currentTime;
    $("clock").textContent = fmt(t) + " / " + fmt(DUR);
    placePlayhead(t);
    placeCrop(t);
    $("play").textContent = playing(active) ? "Pause" : "Play";
  }
  function loop() {
    if (looping) return;
    looping = true;
    (function frame() {
      var t = original.currentTime;
      if (playing(original)) {
        if (stopAt !== null && t >= stopAt) { original.pause(); stopAt = null; }
        else if ($("skip-removed").checked && base) {
          var next = removedAt(t);
          if (next !== null) {
            if (next >= DUR - 0.01) original.pause();
            else original.currentTime = next + 0.001;
          }
        }
      }
      tick();
      if (playing(original) || playing(edited)) requestAnimationFrame(frame);
      else looping = false;
    })();
  }
  original.addEventListener("timeupdate", function () { if (!looping) tick(); });
  original.addEventListener("seeked", function () { tick(); });
  original.addEventListener("pause", function () { tick(); });
  $("play").addEventListener("click", togglePlay);
  $("prev-shot").addEventListener("click", function () { stepShot(-1); });
  $("next-shot").addEventListener("click", function () { stepShot(1); });

  // -- crop window -----------------------------------------------------------------------
  var crop = E && E.crop && srcRatio ? E.crop : null;
  function cropCentre(t) {  // [x, y, zoom]: linear between keyframes, zoom held from each
    var k = crop.keyframes;
    if (!k.length) return [0.5, 0.5, 1];
    if (t <= k[0][0]) return [k[0][1], k[0][2], k[0][3] || 1];
    for (var i = 1; i < k.length; i++) {
      if (t <= k[i][0]) {
        var f = (t - k[i - 1][0]) / (k[i][0] - k[i - 1][0] || 1);
        return [k[i - 1][1] + f * (k[i][1] - k[i - 1][1]),
                k[i - 1][2] + f * (k[i][2] - k[i - 1][2]), k[i - 1][3] || 1];
      }
    }
    var last = k[k.length - 1];
    return [last[1], last[2], last[3] || 1];
  }
  function cropBox(t) {  // [left, top, width, height] as fractions of the picture
    var c = cropCentre(t), w = crop.w / c[2], h = crop.h / c[2];
    var x = Math.min(Math.max(c[0] - w / 2, 0), 1 - w);
    var y = Math.min(Math.max(c[1] - h / 2, 0), 1 - h);
    return [x, y, w, h];
  }
  function placeCrop(t) {
    var box = $("crop-window");
    box.hidden = !crop || !$("show-crop").checked;
    if (box.hidden) return;
    var b = cropBox(t);
    box.style.left = (b[0] * 100).toFixed(3) + "%";
    box.style.top = (b[1] * 100).toFixed(3) + "%";
    box.style.width = (b[2] * 100).toFixed(3) + "%";
    box.style.height = (b[3] * 100).toFixed(3) + "%";
  }
  if (!crop) $("crop-toggle").hidden = true;
  $("show-crop").addEventListener("change", function () { tick(); });

  // -- timeline --------------------------------------------------------------------------
  var timeline = $("timeline");
  var allMarks = Array.prototype.slice.call(timeline.querySelectorAll(".mark"));
  function place(m) {
    var s = +m.dataset.start, e = +m.dataset.end;
    m.style.left = pct(s);
    if (e > s) m.style.width = pct(e - s);
    else m.classList.add("point");
  }
  allMarks.forEach(function (m) {
    place(m);
    if (m.dataset.kind === "shot" && m.dataset.index % 2) m.classList.add("alt");
  });
  removedMarks.forEach(function (m) {
    m.dataset.state = "removed";
    m.setAttribute("aria-pressed", "false");
  });

  var ZOOMS = [1, 2, 4, 8, 16, 32, 64];
  var zoom = 0;
  function setZoom(z) {
    var t = original.currentTime;
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, z));
    timeline.style.setProperty("--zoom", ZOOMS[zoom]);
    $("zoom-level").textContent = ZOOMS[zoom] + "\u00d7";
    drawRuler();
    placePlayhead(t);
    var scroller = $("tl-scroll"), head = $("playhead");
    scroller.scrollLeft = Math.max(0, head.offsetLeft - scroller.clientWidth / 2);
  }
  $("zoom-in").addEventListener("click", function () { setZoom(zoom + 1); });
  $("zoom-out").addEventListener("click", function () { setZoom(zoom - 1); });

  function trackBox() {
    var t = timeline.querySelector(".track");
    return { left: t.offsetLeft, width: t.offsetWidth };
  }
  function placePlayhead(t) {
    var box = trackBox();
    $("playhead").style.left = (box.left + (DUR > 0 ? t / DUR : 0) * box.width).toFixed(1) + "px";
  }
  function drawRuler() {
    var ruler = $("ruler"), width = trackBox().width;
    clear(ruler);
    if (!(DUR > 0) || !width) return;
    var steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
    var step = steps.filter(function (s) { return s / DUR * width >= 64; })[0] || 3600;
    for (var t = 0; t < DUR - step * 0.3; t += step) {
      var tickEl = el("span", { class: "tick", text: fmt(t).replace(/\.0$/, "") });
      tickEl.style.left = pct(t);
      ruler.appendChild(tickEl);
    }
  }

  function svg(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function drawLoudness() {
    var lv = D.levels, box = $("loudness");
    if (!lv || !lv.audio_db || !lv.audio_db.length || !(DUR > 0)) {
      box.parentNode.hidden = true;
      return;
    }
    var s = svg("svg", { viewBox: "0 0 1000 100", preserveAspectRatio: "none",
                         role: "img", "aria-label": "Loudness of the original over time" });
    var pts = ["0,100"];
    lv.audio_db.forEach(function (db, i) {
      var x = Math.min(1000, (i + 0.5) / lv.rate / DUR * 1000);
      var y = Math.min(100, Math.max(0, -db / 60 * 100));
      pts.push(x.toFixed(2) + "," + y.toFixed(1));
    });
    pts.push("1000,100");
    s.appendChild(svg("polygon", { points: pts.join(" "), fill: "rgba(140,184,255,.35)",
                                   stroke: "#8cb8ff", "stroke-width": "1",
                                   "vector-effect": "non-scaling-stroke" }));
    box.appendChild(s);
  }
  function drawCropPath() {
    if (!crop || !(DUR > 0)) return;
    var box = $("crop-path");
    box.parentNode.hidden = false;
    var s = svg("svg", { viewBox: "0 0 1000 100", preserveAspectRatio: "none", role: "img",
                         "aria-label": "The crop window's position over time" });
    var top = [], bottom = [], n = 400;
    for (var i = 0; i <= n; i++) {
      var t = i / n * DUR, b = cropBox(t), px = (i / n * 1000).toFixed(1);
      top.push(px + "," + (b[0] * 100).toFixed(2));
      bottom.unshift(px + "," + ((b[0] + b[2]) * 100).toFixed(2));
    }
    s.appendChild(svg("polygon", { points: top.concat(bottom).join(" "),
                                   fill: "rgba(255,216,102,.3)", stroke: "#ffd866",
                                   "stroke-width": "1", "vector-effect": "non-scaling-stroke" }));
    if (D.track && D.track.length) {
      s.appendChild(svg("polyline", {
        points: D.track.map(function (p) {
          return (p[0] / DUR * 1000).toFixed(1) + "," + (p[1] * 100).toFixed(1);
        }).join(" "),
        fill: "none", stroke: "#eceef1", "stroke-width": "1.5",
        "vector-effect": "non-scaling-stroke" }));
    }
    box.appendChild(s);
  }

  var LEGEND = [["shot", "var(--shot-a)"], ["cut", "var(--cut)"], ["speech", "var(--speech)"],
                ["silence", "var(--silence)"], ["dead air", "var(--dead)"],
                ["removed by the edit", "var(--removed)"], ["beat", "var(--beat)"],
                ["hook window", "var(--hook)"], ["advice", "var(--advice)"]];
  LEGEND.forEach(function (it) {
    if (!base && it[0] === "removed by the edit") return;
    var sw = el("i");
    sw.style.background = it[1];
    $("legend").appendChild(el("li", {}, [sw, it[0]]));
  });
  if (crop) {
    var sw = el("i");
    sw.style.background = "rgba(255,216,102,.5)";
    $("legend").appendChild(el("li", {}, [sw, "crop window (white: the subject)"]));
  }

  // -- selecting, seeking, putting back -------------------------------------------------
  var selected = null;
  var KIND_NAMES = { shot: "Shot", speech: "Speech", silence: "Silence", removed: "Removed",
                     cut: "Cut", beat: "Beat", hook: "Hook window", advice: "Advice" };
  function select(m) {
    if (selected) selected.classList.remove("selected");
    selected = m;
    if (m) m.classList.add("selected");
    showDetail(m);
  }
  function cutFor(m) {
    return state.cuts.filter(function (c) {
      return c.from === m;
    })[0] || null;
  }
  function showDetail(m) {
    var box = $("detail");
    clear(box);
    if (!m) return;
    var s = +m.dataset.start, e = +m.dataset.end, kind = m.dataset.kind;
    var head = KIND_NAMES[kind] || kind;
    if (kind === "silence" && m.dataset.deadAir === "true") head = "Dead air";
    if (kind === "removed") {
      head = m.dataset.state === "restored" ? "Put back (click the range to take it out again)"
                                             : "Removed by the edit (click the range to put it back)";
    }
    box.appendChild(el("strong", { text: head }));
    box.appendChild(el("p", { text: m.getAttribute("title") || "" }));
    if (e > s && kind !== "removed") box.appendChild(el("p", { class: "muted", text: span(s, e) }));
    var row = el("div", { class: "row" });
    var playBtn = el("button", { type: "button", text: "Play from " + fmt(s) });
    playBtn.addEventListener("click", function () { seek(s); active = original; quiet(original.play()); });
    row.appendChild(playBtn);
    if (editable && (kind === "silence" || kind === "speech" || kind === "shot") && e > s) {
      var c = cutFor(m);
      var b = el("button", { type: "button", text: c ? "Keep it" : "Cut this range" });
      b.addEventListener("click", function () {
        if (cutFor(m)) uncut(cutFor(m));
        else addCut(m);
        showDetail(m);
      });
      row.appendChild(b);
    }
    box.appendChild(row);
  }
  function addCut(m) {
    var a = Math.max(0, Math.min(N, Math.round(+m.dataset.start / TB)));
    var z = Math.max(0, Math.min(N, Math.round(+m.dataset.end / TB)));
    if (z <= a) return;
    var id = "c" + (cutSeq++);
    var label = "cut here " + fmt(a * TB) + " to " + fmt(z * TB) + " (" +
                ((z - a) * TB).toFixed(1) + " s)";
    var node = el("button", { type: "button", class: "mark", "data-kind": "removed",
                              "data-origin": "page", "data-start": (a * TB).toFixed(3),
                              "data-end": (z * TB).toFixed(3), "data-tick-start": a,
                              "data-tick-end": z, "data-id": id, "data-state": "removed",
                              title: label, "aria-label": label });
    place(node);
    var lane = timeline.querySelector('.lane[data-lane="edit"] .track');
    var none = lane.querySelector(".none");
    if (none) none.parentNode.removeChild(none);
    lane.appendChild(node);
    state.cuts.push({ id: id, start: a, end: z, from: m, el: node, label: label });
    changed();
  }
  function uncut(c) {
    state.cuts = state.cuts.filter(function (x) { return x !== c; });
    if (c.el.parentNode) c.el.parentNode.removeChild(c.el);
    if (selected === c.el) select(c.from);
    changed();
  }
  function toggleRemoved(m) {
    if (m.dataset.origin === "page") {
      var c = state.cuts.filter(function (x) { return x.el === m; })[0];
      if (c) uncut(c);
      return;
    }
    var on = !state.restored[m.dataset.id];
    state.restored[m.dataset.id] = on;
    m.dataset.state = on ? "restored" : "removed";
    m.setAttribute("aria-pressed", on ? "true" : "false");
    changed();
  }
  timeline.addEventListener("click", function (ev) {
    var m = ev.target.closest(".mark, .cand");
    if (m && m.classList.contains("cand")) {
      playClip(D.clips[+m.dataset.index]);
      return;
    }
    if (m) {
      seek(+m.dataset.start);
      if (m.dataset.kind === "removed" && editable) toggleRemoved(m);
      select(m.parentNode ? m : null);
      return;
    }
    var track = ev.target.closest(".track");
    if (track && DUR > 0) {
      var r = track.getBoundingClientRect();
      seek((ev.clientX - r.left) / r.width * DUR);
    }
  });

  function shotMarks() {
    return allMarks.filter(function (m) { return m.dataset.kind === "shot"; });
  }
  function stepShot(dir) {
    var t = original.currentTime, shots = D.shots;
    if (!shots.length) return;
    var i;
    if (dir > 0) {
      for (i = 0; i < shots.length && shots[i][0] <= t + 0.05; i++);
      if (i >= shots.length) return;
    } else {
      for (i = shots.length - 1; i > 0 && shots[i][0] >= t - 0.3; i--);
    }
    seek(shots[i][0]);
    var m = shotMarks()[i];
    if (m) select(m);
  }

  // -- keyboard --------------------------------------------------------------------------
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var t = ev.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || tag === "VIDEO" ||
        (t && t.isContentEditable)) return;
    if (ev.key === " " || ev.key === "Spacebar") {
      ev.preventDefault();
      togglePlay();
    } else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      ev.preventDefault();
      stepShot(ev.key === "ArrowRight" ? 1 : -1);
    }
  });

  // -- filmstrip -------------------------------------------------------------------------
  (function filmstrip() {
    var items = (D.thumbs && D.thumbs.items) || [];
    if (!items.length || !D.shots.length) return;
    $("filmstrip-section").hidden = false;
    var box = $("filmstrip"), folder = D.thumbs.folder;
    D.shots.forEach(function (shot, i) {
      var mine = items.filter(function (it) {
        return it[0] >= shot[0] - 0.001 && (it[0] < shot[1] || i === D.shots.length - 1);
      });
      var label = el("button", { type: "button", text: "Shot " + (i + 1) + " \u00b7 " +
                                 fmt(shot[0]) + "\u2013" + fmt(shot[1]) });
      label.addEventListener("click", function () { seek(shot[0]); select(shotMarks()[i]); });
      var imgs = el("div", { class: "imgs" });
      mine.forEach(function (it) {
        var b = el("button", { type: "button", "aria-label": "Play from " + fmt(it[0]),
                               title: fmt(it[0]) }, [
          el("img", { src: folder + "/" + encodeURIComponent(it[1]), alt: "", loading: "lazy",
                      decoding: "async" })]);
        b.addEventListener("click", function () { seek(it[0]); });
        imgs.appendChild(b);
      });
      box.appendChild(el("div", { class: "strip" }, [label, imgs]));
    });
  })();

  // -- clip candidates -------------------------------------------------------------------
  function playClip(c) {
    seek(c.start);
    stopAt = c.end;
    active = original;
    quiet(original.play());
  }
  (function clips() {
    if (!D.clips) return;
    $("clips-section").hidden = false;
    var lane = timeline.querySelector('.lane[data-lane="clips"]');
    lane.hidden = false;
    D.clips.forEach(function (c, i) {
      var b = el("button", { type: "button", class: "cand", "data-index": i,
                             "data-start": c.start.toFixed(3), "data-end": c.end.toFixed(3),
                             title: "#" + c.rank + " " + c.title, text: "#" + c.rank });
      b.style.left = pct(c.start);
      b.style.width = pct(c.end - c.start);
      $("clip-lane").appendChild(b);
      var parts = el("div", { class: "parts" });
      c.parts.forEach(function (p) {
        var v = p[1], bar = el("div", { class: "bar" }), fill = el("i");
        if (typeof v === "number") {  // a z-score part (NAME_z) counts as 0.5 + z / 4
          var f = /_z$/.test(p[0]) ? 0.5 + v / 4 : (v <= 1 ? v : v / 100);
          fill.style.width = (Math.max(0, Math.min(1, f)) * 100).toFixed(1) + "%";
          bar.appendChild(fill);
        }
        parts.appendChild(el("span", { text: p[0] }));
        parts.appendChild(bar);
        parts.appendChild(el("span", { text: typeof v === "number" ? String(+v.toFixed(3)) : v }));
      });
      var play = el("button", { type: "button", class: "primary",
                                text: "\u25b6 Play " + fmt(c.start) + "\u2013" + fmt(c.end) });
      play.addEventListener("click", function () { playClip(c); });
      var li = el("li", { class: "clip", "data-start": c.start.toFixed(3),
                          "data-end": c.end.toFixed(3), "data-rank": c.rank }, [
        el("h3", { text: "#" + c.rank + " " + (c.title || "untitled") }),
        el("p", { class: "muted", text: span(c.start, c.end) +
                  (c.score === null ? "" : " \u00b7 score " + (+c.score.toFixed(3))) }),
        c.hook ? el("p", { text: "Hook: " + c.hook }) : null,
        play,
        c.parts.length ? parts : null,
        c.reasons.length ? el("ul", {}, c.reasons.map(function (r) {
          return el("li", { text: r });
        })) : null,
        c.transcript ? el("details", {}, [el("summary", { text: "Transcript" }),
                                          el("p", { class: "transcript", text: c.transcript })])
                     : null]);
      $("clips").appendChild(li);
    });
  })();

  // -- changes: look, music, hashtags, caption, words -----------------------------------
  var choices = E ? E.choices : null;
  var lookBy = {}, musicBy = {}, tagOrder = [], words = base ? base.captions.words : [];
  function option(name, value, title, reasons, checked, disabled, note) {
    var input = el("input", { type: "radio", name: name, value: value, checked: checked,
                              disabled: disabled });
    var text = el("span", {}, [el("strong", { text: title }), note ? " " + note : null,
                               el("span", { class: "why", text: reasons.join("; ") })]);
    var label = el("label", { class: "option" + (disabled ? " unavailable" : "") },
                   [input, text]);
    input.addEventListener("change", function () {
      if (input.checked) { state[name] = value; changed(); }
    });
    return label;
  }
  function setupChoices() {
    if (!base || !choices) return;
    $("changes-section").hidden = false;
    choices.looks.forEach(function (o) {
      lookBy[o.key] = o;
      if (o.current) state.look = o.key;
      $("looks").appendChild(option("look", o.key, o.name, o.reasons, o.current, false,
                                    o.current ? "(in the plan)" : null));
    });
    choices.music.forEach(function (o) {
      musicBy[o.key] = o;
      if (o.current) state.music = o.key;
      var note = o.current ? "(in the plan)" : (o.music || o.key === "none" ? null : "(add in the app)");
      $("music").appendChild(option("music", o.key, o.title, o.reasons, o.current,
                                    !o.music && o.key !== "none", note));
    });
    state.tags = base.captions.hashtags.slice();
    choices.hashtags.forEach(function (t) {
      tagOrder.push(t.tag);
      var input = el("input", { type: "checkbox", value: t.tag, checked: t.in_plan });
      input.addEventListener("change", function () {
        state.tags = tagOrder.filter(function (x) {
          return $("tags").querySelector('input[value="' + CSS.escape(x) + '"]').checked;
        });
        changed();
      });
      $("tags").appendChild(el("label", { class: "tag" }, [input, el("span", {}, [
        el("strong", { text: t.tag }),
        el("span", { class: "why", text: (t.kind ? t.kind + ": " : "") + t.reason })])]));
    });
    choices.tag_sets.forEach(function (set) {
      var b = el("button", { type: "button", text: set.name + " (" + set.tags.length + ")" });
      b.addEventListener("click", function () { setTags(set.tags); });
      $("tag-sets").appendChild(b);
    });
    state.caption = base.captions.text;
    $("caption-text").value = base.captions.text;
    $("caption-text").addEventListener("input", function () {
      state.caption = $("caption-text").value;
      changed();
    });
    if (words.length) {
      $("words-box").hidden = false;
      words.forEach(function (w, i) {
        var input = el("input", { type: "text", value: w.text, size: Math.max(3, w.text.length + 1),
                                  "aria-label": "word " + (i + 1) + " at " + fmt(w.start * TB),
                                  "data-index": i, spellcheck: "true" });
        input.addEventListener("input", function () {
          var v = input.value.trim();
          if (v && v !== w.text) state.words[i] = v;
          else delete state.words[i];
          input.classList.toggle("changed", i in state.words);
          changed();
        });
        input.addEventListener("focus", function () { seek(w.start * TB); });
        $("words").appendChild(input);
      });
    }
    $("command").textContent = E.command;
  }
  function setTags(list) {
    Array.prototype.forEach.call($("tags").querySelectorAll("input"), function (input) {
      input.checked = list.indexOf(input.value) >= 0;
    });
    state.tags = tagOrder.filter(function (x) { return list.indexOf(x) >= 0; });
    changed();
  }

  function planNow() {
    var p = clone(base);
    p.segments = segments();
    var lk = lookBy[state.look];
    if (lk && !lk.current) p.look = clone(lk.look);
    var mu = musicBy[state.music];
    if (mu && !mu.current) {
      var bed = mu.music ? clone(mu.music) : null;
      if (bed && base.audio.music) {  // keep the level and ducking the plan had
        ["gain_db", "fade_in", "fade_out", "duck", "duck_db"].forEach(function (k) {
          bed[k] = base.audio.music[k];
        });
      }
      p.audio.music = bed;
    }
    var same = state.tags.length === base.captions.hashtags.length &&
      state.tags.every(function (t, i) { return t === base.captions.hashtags[i]; });
    if (!same) p.captions.hashtags = state.tags.slice();
    p.captions.text = state.caption;
    Object.keys(state.words).forEach(function (i) { p.captions.words[i].text = state.words[i]; });
    return p;
  }
  function planText() { return JSON.stringify(planNow(), null, 2) + "\n"; }

  function describe() {
    var out = [];
    removedMarks.forEach(function (m) {
      if (state.restored[m.dataset.id]) {
        out.push("put back " + span(+m.dataset.start, +m.dataset.end));
      }
    });
    state.cuts.forEach(function (c) { out.push(c.label); });
    var lk = lookBy[state.look];
    if (lk && !lk.current) out.push("look: " + lk.name);
    var mu = musicBy[state.music];
    if (mu && !mu.current) out.push("music: " + mu.title);
    var before = base.captions.hashtags.join(" "), now = state.tags.join(" ");
    if (before !== now) out.push("hashtags: " + (now || "none"));
    if (state.caption !== base.captions.text) out.push("caption: " + state.caption);
    Object.keys(state.words).forEach(function (i) {
      out.push("word " + (+i + 1) + ": " + words[i].text + " \u2192 " + state.words[i]);
    });
    return out;
  }
  function changed() {
    if (!base) return;
    segsNow = segments();
    var list = $("change-list");
    clear(list);
    var items = describe();
    if (!items.length) list.appendChild(el("li", { class: "muted", text: "none yet" }));
    items.forEach(function (t) { list.appendChild(el("li", { text: t })); });
    var empty = !segsNow.length;
    if (empty) list.appendChild(el("li", { text: "nothing is left to render: put a part back" }));
    $("download").disabled = empty;
    var caption = [state.caption.trim(), state.tags.join(" ")].filter(Boolean).join(" ");
    $("caption-line").textContent = caption || "(no caption)";
    summary();
  }
  function download() {
    var blob = new Blob([planText()], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: E.download });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.parentNode.removeChild(a); }, 1000);
  }
  $("download").addEventListener("click", download);
  $("reset").addEventListener("click", function () {
    state.cuts.slice().forEach(function (c) { uncut(c); });
    removedMarks.forEach(function (m) { if (state.restored[m.dataset.id]) toggleRemoved(m); });
    Array.prototype.forEach.call(document.querySelectorAll("#looks input, #music input"),
      function (input) {
        var o = (input.name === "look" ? lookBy : musicBy)[input.value];
        input.checked = !!(o && o.current);
        if (input.checked) state[input.name] = input.value;
      });
    setTags(base.captions.hashtags);
    $("caption-text").value = state.caption = base.captions.text;
    Array.prototype.forEach.call($("words").querySelectorAll("input"), function (input, i) {
      input.value = words[i].text;
      input.classList.remove("changed");
    });
    state.words = {};
    changed();
    showDetail(selected);
  });
  $("copy").addEventListener("click", function () {
    var done = function (msg) { $("copied").textContent = msg; };
    try {
      quiet(navigator.clipboard.writeText(E.command).then(function () { done("copied"); },
        function () { done("select the command and copy it"); }));
    } catch (err) {
      done("select the command and copy it");
    }
  });

  // -- facts -----------------------------------------------------------------------------
  function summary() {
    var parts = [fmt(DUR) + " original"];
    if (base) {
      var now = lengthOf(segsNow), was = lengthOf(base.segments);
      parts.push(fmt(was) + " edited" + (Math.abs(now - was) > 1e-6 ? " (now " + fmt(now) + ")" : ""));
    }
    parts.push(D.shots.length + " shot" + (D.shots.length === 1 ? "" : "s"));
    if (D.clips) parts.push(D.clips.length + " clip candidate" + (D.clips.length === 1 ? "" : "s"));
    if (E && E.file) parts.push("plan " + E.file);
    $("summary").textContent = parts.join(" \u00b7 ");
  }
  (function facts() {
    var h = D.hook;
    $("hook-score").textContent = "Score " + h.score + "/100 in the first 3 s.";
    h.reasons.forEach(function (r) { $("hook-reasons").appendChild(el("li", { text: r })); });
    if (!h.reasons.length) $("hook-reasons").appendChild(el("li", { class: "muted", text: "a strong start" }));
    D.advice.forEach(function (a) {
      var li = el("li", {}, [a.message + " "]);
      if (a.at !== null) {
        var b = el("button", { type: "button", text: fmt(a.at) });
        b.addEventListener("click", function () { seek(a.at); });
        li.appendChild(b);
      }
      $("advice").appendChild(li);
    });
    if (!D.advice.length) $("advice").appendChild(el("li", { class: "muted", text: "none" }));
    var l = D.loudness;
    $("loudness-facts").textContent = l && l.integrated_lufs !== null
      ? l.integrated_lufs + " LUFS integrated, true peak " + l.true_peak_dbtp + " dBTP" +
        (l.clipping ? ", clipping" : "") + (base ? "; the edit brings it to " +
        base.audio.target_lufs + " LUFS." : ".")
      : "No sound.";
    (base ? base.notes : []).forEach(function (n) { $("notes").appendChild(el("li", { text: n })); });
    if (!base || !base.notes.length) $("notes").appendChild(el("li", { class: "muted", text: "none" }));
    if (!base) $("timeline-hint").textContent = "Click a mark to play from it.";
    $("footer").textContent = "Made by " + D.tool + ". This page reads only the files beside " +
      "it and sends nothing anywhere.";
  })();

  setupChoices();
  drawLoudness();
  drawCropPath();
  changed();
  summary();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { drawRuler(); tick(); }, 100);
  });
  drawRuler();
  tick(0);

  // For scripts and tests: the plan as the page's changes make it.
  window.reviewPage = { plan: planNow, planText: planText, seek: seek, segments: segments };
})();

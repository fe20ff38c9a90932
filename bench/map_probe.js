// Injected by bench/map_bench.py before the page's own scripts: when the map element (.cp-map)
// first gets a final data-state, and, while recording, every frame's interval and the long animation
// frames Chromium reports. Times are performance.now(): milliseconds since navigation start.
(() => {
  const FINAL = ["ready", "no-webgl", "error"];
  const probe = { state: null, stateAt: null, recording: false, since: 0, intervals: [], loaf: [] };
  window.__mapBench = probe;

  const look = (element) => {
    const state = element.getAttribute("data-state");
    if (probe.state === null && element.classList.contains("cp-map") && FINAL.includes(state)) {
      probe.state = state;
      probe.stateAt = performance.now();
    }
  };
  new MutationObserver((records) => records.forEach((record) => look(record.target)))
    .observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  // A state already in the HTML sets no attribute afterwards.
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll(".cp-map").forEach(look));

  if (PerformanceObserver.supportedEntryTypes.includes("long-animation-frame")) {
    // With the scripts that took longest in each (where the time went: file, function, what called it).
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => probe.loaf.push({
      start: entry.startTime, duration: entry.duration, blocking: entry.blockingDuration,
      scripts: [...entry.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3).map((script) => ({
        duration: script.duration, invoker: script.invoker, source: script.sourceURL,
        function: script.sourceFunctionName, at: script.sourceCharPosition,
      })),
    }))).observe({ type: "long-animation-frame", buffered: true });
  } else {
    probe.loaf = null;
  }

  // The loop runs only while recording, so that it does not make frames the page would not make; a
  // new recording starts a new loop (the last one's may still be waiting for its frame).
  let loop = 0;
  probe.start = () => {
    const mine = ++loop;
    let last = null;
    const tick = (time) => {
      if (mine !== loop || !probe.recording) return;
      if (last !== null) probe.intervals.push(time - last);
      last = time;
      requestAnimationFrame(tick);
    };
    Object.assign(probe, { recording: true, since: performance.now(), intervals: [] });
    requestAnimationFrame(tick);
  };
  probe.stop = () => {
    probe.recording = false;
    const since = probe.since;
    return {
      intervals: probe.intervals,
      loaf: probe.loaf && probe.loaf.filter((entry) => entry.start >= since),
    };
  };
})();

// The dashboard: sign-in, then one view per hash route, each built from the public API and kept
// live by the server's WebSockets. Text from the server only ever goes in as text, never as HTML.
import { Problem, call, del, download, get, key, post, setKey, stream } from "./api.js";

const ROLES = ["viewer", "submitter", "operator", "admin"];
let me = null;
let cleanup = [];

/** Makes an element: h("a", {href: "#/"}, "text", child…); attributes starting with "on" listen. */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.substring(2), value);
    } else if (name === "class") {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? "" : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

function may(role) {
  return me && ROLES.indexOf(me.role) >= ROLES.indexOf(role);
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : "";
}

function state(name) {
  return h("span", { class: "state state-" + String(name).toLowerCase() }, name);
}

function notice(text, kind) {
  const box = document.getElementById("notice") || h("p", { id: "notice", role: "status" });
  box.className = kind === "error" ? "error" : "ok";
  box.textContent = text;
  document.getElementById("view").prepend(box);
}

async function act(what, action) {
  try {
    await action();
    notice(what + ": done", "ok");
  } catch (e) {
    notice(what + ": " + e.message, "error");
  }
}

// ---- sign-in ----

async function signIn(value) {
  setKey(value);
  try {
    me = await get("/me");
  } catch (e) {
    setKey(null);
    me = null;
    throw e.status === 401 ? new Error("That key is not valid: check it and try again.") : e;
  }
}

function showSignIn(message) {
  document.getElementById("nav").hidden = true;
  document.getElementById("sign-out").hidden = true;
  document.getElementById("who").textContent = "";
  document.getElementById("view").replaceChildren();
  document.getElementById("sign-in").hidden = false;
  document.getElementById("sign-in-error").textContent = message || "";
  document.getElementById("key").focus();
}

function showApp() {
  for (const admin of document.querySelectorAll("[data-role=admin]")) {
    admin.hidden = !may("admin");
  }
  document.getElementById("sign-in").hidden = true;
  document.getElementById("nav").hidden = false;
  document.getElementById("sign-out").hidden = false;
  document.getElementById("who").textContent = `${me.keyName} · ${me.tenant} · ${me.role}`;
  route();
}

// ---- views ----

async function overview(view) {
  // Read again every ten seconds while the page is open.
  const timer = setTimeout(() => location.hash.replace(/^#/, "") in { "": 1, "/": 1 } && route(), 10_000);
  cleanup.push(() => clearTimeout(timer));
  const [node, history, stats, pools] = await Promise.all([get("/node"), get("/node/history"), get("/jobs/stats"), get("/pools")]);
  const points = history.points;
  view.append(
    h("h1", {}, "Overview"),
    h("div", { class: "tiles" },
      tile("Running", stats.states.RUNNING + stats.states.STARTING, "running"),
      tile("Queued", stats.states.QUEUED, "queued"),
      tile("Failed, last hour", stats.failedLastHour, "failed-hour"),
      tile("Free slots on " + node.node, node.jobs.freeSlots, "free-slots"),
      tile("Capacity", Math.round(node.capacity * 100) + " %", "capacity")),
    h("h2", {}, "Jobs by state"),
    h("div", { class: "tiles small" }, Object.entries(stats.states).map(([name, count]) => tile(name, count, "state-" + name.toLowerCase()))),
    h("h2", {}, "Jobs ended per minute, last hour"),
    h("figure", {}, h("figcaption", {}, h("span", { class: "key-0" }, "succeeded"), " and ", h("span", { class: "key-1" }, "failed or timed out")), chart("ended", [
      { name: "succeeded", values: stats.minutes.map((m) => m.succeeded) },
      { name: "failed", values: stats.minutes.map((m) => m.failed) },
    ], stats.minutes.map((m) => m.minute))),
    h("h2", {}, `Node ${node.node}, last hour`),
    h("div", { class: "charts" },
      h("figure", {}, h("figcaption", {}, "CPU load (busy processors of " + node.cpu.count + ")"), chart("load", [{ name: "load", values: points.map((p) => p.load1) }], points.map((p) => p.at), node.cpu.count)),
      h("figure", {}, h("figcaption", {}, "Memory used (GiB)"), chart("memory", [{ name: "memory", values: points.map((p) => p.memoryUsedBytes / 2 ** 30) }], points.map((p) => p.at), points.length ? points[0].memoryTotalBytes / 2 ** 30 : 1)),
      h("figure", {}, h("figcaption", {}, "Disk free (GiB)"), chart("disk", [{ name: "disk", values: points.map((p) => p.diskFreeBytes / 2 ** 30) }], points.map((p) => p.at)))),
    h("h2", {}, "Warm pools"),
    pools.length === 0
      ? h("p", {}, "No pools.")
      : table(["Pool", "Image", "Warm", "Busy"], pools.map((p) => {
          const n = p.status.nodes[0] || {};
          return [p.name, p.spec.image, n.warm, n.busy];
        })));
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  children.forEach((child) => element.append(child));
  return element;
}

/** A line chart of one or more series over the same times; its numbers are also in its title. */
function chart(id, series, times, top) {
  const width = 600;
  const height = 140;
  const max = Math.max(top || 0, 1e-9, ...series.flatMap((s) => s.values));
  const n = Math.max(1, times.length - 1);
  const lines = series.map((s, k) => svg("polyline", {
    class: "series series-" + k,
    points: s.values.map((v, i) => `${((i / n) * width).toFixed(1)},${(height - (v / max) * (height - 10)).toFixed(1)}`).join(" "),
  }));
  const last = series.map((s) => `${s.name} ${Number(s.values.at(-1) ?? 0).toFixed(2)}`).join(", ");
  const label = `${series.map((s) => s.name).join(" and ")}: ${times.length} points, latest ${last}, highest ${Number(max).toFixed(2)}`;
  return svg("svg", { id: "chart-" + id, class: "chart", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", role: "img", "aria-label": label },
    svg("title", {}, label),
    svg("line", { class: "axis", x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }),
    ...lines);
}

function tile(label, value, id) {
  return h("div", { class: "tile", id: "tile-" + id }, h("span", { class: "label" }, label), h("span", { class: "value" }, value));
}

function table(heads, rows) {
  return h("div", { class: "scroll" }, h("table", {},
    h("thead", {}, h("tr", {}, heads.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell) => h("td", {}, cell)))))));
}

async function jobs(view, params) {
  const filters = {
    state: params.get("state") || "",
    namePrefix: params.get("namePrefix") || "",
    label: params.get("label") || "",
    tenant: params.get("tenant") || "",
  };
  const body = h("tbody", { id: "jobs-body" });
  const rows = new Map();
  const selected = new Set();
  let cursor = null;

  function row(job) {
    const box = h("input", { type: "checkbox", "aria-label": "Select job " + job.id, onchange: (e) => (e.target.checked ? selected.add(job.id) : selected.delete(job.id)) });
    const tr = h("tr", { "data-job": job.id },
      h("td", {}, box),
      h("td", {}, h("a", { href: "#/jobs/" + job.id }, job.name || job.id.substring(0, 8))),
      h("td", { class: "cell-state" }, state(job.state)),
      h("td", {}, job.attempt),
      h("td", {}, job.tenant),
      h("td", {}, when(job.createdAt)),
      h("td", { class: "cell-finished" }, when(job.finishedAt)));
    rows.set(job.id, tr);
    return tr;
  }

  function query(extra) {
    const q = new URLSearchParams({ limit: "50" });
    for (const [name, value] of Object.entries(filters)) {
      if (value) {
        q.set(name, value);
      }
    }
    if (extra) {
      q.set("cursor", extra);
    }
    return "/jobs?" + q;
  }

  async function more() {
    const page = await get(query(cursor));
    page.items.forEach((job) => body.append(row(job)));
    cursor = page.nextCursor || null;
    moreButton.hidden = !cursor;
  }

  const moreButton = h("button", { type: "button", onclick: more }, "More");
  const form = h("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const name of ["state", "namePrefix", "label", "tenant"]) {
        if (!form.elements[name]) {
          continue;
        }
        if (form.elements[name].value) {
          q.set(name, form.elements[name].value);
        }
      }
      location.hash = "#/jobs?" + q;
    } },
    h("label", {}, "State ", h("select", { name: "state" }, ["", "QUEUED", "STARTING", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"].map((s) => h("option", { value: s, selected: s === filters.state }, s || "any")))),
    h("label", {}, "Name starts with ", h("input", { name: "namePrefix", value: filters.namePrefix })),
    h("label", {}, "Label ", h("input", { name: "label", placeholder: "key=value", value: filters.label })),
    may("admin") ? h("label", {}, "Tenant ", h("input", { name: "tenant", value: filters.tenant })) : null,
    h("button", { type: "submit" }, "Filter"),
    h("label", {}, "Job id ", h("input", { name: "id", id: "job-id", onchange: (e) => e.target.value && (location.hash = "#/jobs/" + e.target.value.trim()) })));
  view.append(
    h("h1", {}, "Jobs"),
    form,
    may("submitter") ? h("button", { type: "button", id: "cancel-selected", onclick: () => act("Cancel", async () => {
        for (const id of selected) {
          await post(`/jobs/${id}/cancel`);
        }
      }) }, "Cancel selected") : null,
    h("div", { class: "scroll" }, h("table", { id: "jobs" },
      h("thead", {}, h("tr", {}, ["", "Job", "State", "Attempt", "Tenant", "Created", "Finished"].map((x) => h("th", { scope: "col" }, x)))),
      body)),
    moreButton);
  await more();
  const events = await stream("/ws/events", (m) => {
    if (m.type !== "job") {
      return;
    }
    const tr = rows.get(m.jobId);
    if (tr) {
      tr.querySelector(".cell-state").replaceChildren(state(m.to));
      // When the page showed which state: how live the page is can be measured from outside.
      tr.dataset.state = m.to;
      tr.dataset.shownAt = String(Date.now());
      tr.querySelector(".cell-finished").textContent = ["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"].includes(m.to) ? when(m.at) : "";
    } else if (!m.from && !filters.namePrefix && !filters.label && (!filters.tenant || filters.tenant === m.tenant) && (!filters.state || filters.state === m.to)) {
      body.prepend(row({ id: m.jobId, name: null, state: m.to, attempt: m.attempt, tenant: m.tenant, createdAt: m.at }));
      get("/jobs/" + m.jobId).then((job) => rows.get(job.id)?.querySelector("a")?.replaceChildren(job.name || job.id.substring(0, 8))).catch(() => {});
    }
  });
  cleanup.push(() => events.close());
}

async function job(view, id) {
  const j = await get(`/jobs/${id}`);
  const ended = ["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"].includes(j.state);
  const log = h("ol", { id: "log", class: "log" });
  const paused = h("input", { type: "checkbox", id: "pause" });
  const search = h("input", { id: "log-search", type: "search", "aria-label": "Search in the log", oninput: filterLog });
  const streamFilter = h("select", { id: "log-stream", "aria-label": "Stream", onchange: filterLog }, ["all", "stdout", "stderr"].map((s) => h("option", { value: s }, s)));
  const held = [];

  function filterLog() {
    for (const li of log.children) {
      const okText = !search.value || li.textContent.includes(search.value);
      const okStream = streamFilter.value === "all" || li.dataset.stream === streamFilter.value;
      li.hidden = !(okText && okStream);
    }
  }

  function append(line) {
    const li = h("li", { "data-stream": line.stream, class: line.stream }, line.text);
    if (paused.checked) {
      held.push(li);
      return;
    }
    log.append(li);
    filterLog();
  }

  paused.addEventListener("change", () => {
    if (!paused.checked) {
      held.splice(0).forEach((li) => log.append(li));
      filterLog();
    }
  });

  const actions = h("div", { class: "actions" },
    may("submitter") && !ended ? h("button", { type: "button", id: "cancel", onclick: () => act("Cancel", () => post(`/jobs/${id}/cancel`)) }, "Cancel") : null,
    may("submitter") && ended ? h("button", { type: "button", id: "delete", onclick: () => act("Delete", async () => { await del(`/jobs/${id}`); location.hash = "#/jobs"; }) }, "Delete") : null,
    may("submitter") && !(j.spec.secrets && Object.keys(j.spec.secrets).length) ? h("button", { type: "button", id: "run-again", onclick: () => act("Run again", async () => { const again = await post("/jobs", j.spec); location.hash = "#/jobs/" + again.id; }) }, "Run again") : null);

  const status = h("p", { id: "job-state" }, state(j.state), " ", j.reason || "");
  const timeline = h("ol", { class: "timeline", id: "timeline" }, j.history.map((t) => h("li", {}, when(t.at), " ", state(t.to), " ", t.reason || "")));
  view.append(
    h("h1", {}, "Job ", h("code", {}, j.name || j.id)),
    status,
    actions,
    h("h2", {}, "History"),
    timeline,
    h("h2", {}, "Log"),
    h("div", { class: "log-tools" },
      h("label", {}, paused, " Pause"), search, streamFilter,
      h("button", { type: "button", onclick: () => act("Download", () => download(`/jobs/${id}/logs`, id + ".log")) }, "Download")),
    log,
    h("h2", {}, "Outputs"),
    h("div", { id: "outputs" }),
    h("h2", {}, "Spec"),
    h("pre", { class: "spec" }, JSON.stringify(j.spec, null, 2)));
  const logs = await stream(`/ws/jobs/${id}/logs`, (m) => {
    if (m.type === "line") {
      append(m);
    } else if (m.type === "end") {
      status.replaceChildren(state(m.state), " ", m.reason || "");
      document.getElementById("cancel")?.remove();
      outputs(id);
    }
  });
  cleanup.push(() => logs.close());
  const transitions = await stream(`/ws/events?job=${encodeURIComponent(id)}`, (m) => {
    if (m.type === "job" && m.jobId === id) {
      timeline.append(h("li", {}, when(m.at), " ", state(m.to), " ", m.reason || ""));
      status.replaceChildren(state(m.to), " ", m.reason || "");
    }
  });
  cleanup.push(() => transitions.close());
  if (ended) {
    outputs(id);
  }
}

async function outputs(id) {
  const box = document.getElementById("outputs");
  if (!box) {
    return;
  }
  try {
    const files = await get(`/jobs/${id}/files`);
    box.replaceChildren(files.length === 0 ? h("p", {}, "None.") : table(["File", "Bytes", ""], files.map((f) => [f.path, f.size, h("button", { type: "button", onclick: () => act("Download", () => download(`/jobs/${id}/files/${f.path}`, f.path.split("/").pop())) }, "Download")])));
  } catch (e) {
    box.replaceChildren(h("p", {}, e.message));
  }
}

async function batches(view) {
  const list = await get("/batches");
  const bars = new Map();
  view.append(h("h1", {}, "Batches"), list.length === 0 ? h("p", {}, "No batches.") : h("ul", { class: "batches" }, list.map((b) => {
    const bar = progressBar(b.progress);
    bars.set(b.id, bar);
    return h("li", { "data-batch": b.id }, h("a", { href: "#/batches/" + b.id }, b.name || b.id), " ", state(b.state), bar);
  })));
  const events = await stream("/ws/events", (m) => {
    if (m.type === "batch" && bars.has(m.batchId)) {
      bars.get(m.batchId).replaceWith(bars.set(m.batchId, progressBar(m.progress)).get(m.batchId));
    }
  });
  cleanup.push(() => events.close());
}

function progressBar(p) {
  const done = p.succeeded + p.failed + p.skipped;
  const percent = p.total === 0 ? 100 : Math.round((done / p.total) * 100);
  return h("div", { class: "progress" },
    h("progress", { max: p.total || 1, value: done, "aria-label": "Progress " + percent + " %" }),
    h("span", { class: "progress-text" }, `${percent} % · ${p.succeeded} succeeded, ${p.failed} failed, ${p.skipped} skipped, ${p.running} running, ${p.left} left`,
      p.secondsLeft ? ` · about ${p.secondsLeft} s left` : ""));
}

async function batch(view, id) {
  const [b, items] = await Promise.all([get("/batches/" + id), get(`/batches/${id}/items`)]);
  let bar = progressBar(b.progress);
  const stopped = ["STOPPED", "FAILED"].includes(b.state);
  view.append(
    h("h1", {}, "Batch ", h("code", {}, b.name || b.id)),
    h("p", { id: "batch-state" }, state(b.state), ` parallelism ${b.parallelism}, a checkpoint every ${b.checkpointEvery} items`),
    bar,
    h("div", { class: "actions" },
      may("submitter") && !stopped && b.state !== "COMPLETED" ? h("button", { type: "button", id: "stop", onclick: () => act("Stop", () => post(`/batches/${id}/stop`)) }, "Stop") : null,
      may("submitter") && stopped ? h("button", { type: "button", id: "restart", onclick: () => act("Restart", () => post(`/batches/${id}/restart`)) }, "Restart") : null,
      h("button", { type: "button", onclick: () => act("Download", () => download(`/batches/${id}/output`, id + ".zip")) }, "Download outputs")),
    h("h2", {}, "Items"),
    table(["Item", "State", "Job", "Runs", "Exit code", "Reason"], items.map((i) => [i.index, state(i.state), i.jobId ? h("a", { href: "#/jobs/" + i.jobId }, i.jobId.substring(0, 8)) : "", i.runs, i.exitCode ?? "", i.reason || ""])));
  const events = await stream("/ws/events", (m) => {
    if (m.type === "batch" && m.batchId === id) {
      const next = progressBar(m.progress);
      bar.replaceWith(next);
      bar = next;
    }
  });
  cleanup.push(() => events.close());
}

async function webhooks(view) {
  const list = await get("/webhooks");
  const deliveries = h("div", { id: "deliveries" });
  view.append(h("h1", {}, "Webhooks"), list.length === 0 ? h("p", {}, "No webhooks.") : table(["URL", "Events", "Created", ""], list.map((w) => [w.url, (w.events || []).join(", "), when(w.createdAt), h("button", { type: "button", onclick: async () => {
      const items = await get(`/webhooks/${w.id}/deliveries`);
      deliveries.replaceChildren(h("h2", {}, "Deliveries to " + w.url), table(["Event", "Job", "Status", "Tries", "Last answer", "Latency", "Made", "Delivered"], items.map((d) => [d.eventType, d.jobId, d.status, d.attempts, d.lastStatusCode ?? "", d.lastLatencyMs === null || d.lastLatencyMs === undefined ? "" : d.lastLatencyMs + " ms", when(d.createdAt), when(d.deliveredAt)])));
    } }, "Deliveries")])), deliveries);
}

async function audit(view) {
  const entries = await get("/audit?limit=200");
  view.append(h("h1", {}, "Audit"), table(["At", "Actor", "Tenant", "Action", "Target", "Outcome", "From"], entries.map((e) => [when(e.at), e.actorName, e.tenant, e.action, e.target || "", e.outcome, e.clientAddress || ""])));
}

async function access(view) {
  const [keys, tenants] = await Promise.all([get("/keys"), get("/tenants")]);
  view.append(
    h("h1", {}, "Keys and tenants"),
    h("h2", {}, "Tenants"),
    table(["Tenant", "Name", "Running at most", "Queued at most"], tenants.map((t) => [t.id, t.name, t.maxRunning, t.maxQueued])),
    h("h2", {}, "Keys"),
    table(["Key", "Tenant", "Role", "Created", "Revoked"], keys.map((k) => [k.name, k.tenant, k.role, when(k.createdAt), when(k.revokedAt)])));
}

async function sandboxes(view) {
  const list = await get("/sandboxes");
  view.append(h("h1", {}, "Sandboxes"), list.length === 0 ? h("p", {}, "No sandboxes.") : table(["Sandbox", "State", "Image", "Start", "Created", "Execs", "Ended"], list.map((s) => [s.id.substring(0, 8), state(s.state), s.spec.pool ? "pool " + s.spec.pool : s.spec.image, s.start, when(s.createdAt), s.execCount, s.endReason || ""])));
}

async function pools(view) {
  const list = await get("/pools");
  view.append(h("h1", {}, "Pools"), list.length === 0 ? h("p", {}, "No pools.") : table(["Pool", "Image", "Size", "Warm", "Busy", "Starting", "Hits", "Misses"], list.map((p) => {
    const n = p.status.nodes[0] || {};
    return [p.name, p.spec.image, p.spec.size, n.warm, n.busy, n.starting, n.hits, n.misses];
  })));
}

// ---- routing ----

async function route() {
  cleanup.splice(0).forEach((close) => close());
  delete document.body.dataset.live;
  const view = document.getElementById("view");
  view.replaceChildren();
  const [path, search] = (location.hash.substring(1) || "/").split("?");
  const params = new URLSearchParams(search || "");
  const parts = path.split("/").filter(Boolean);
  try {
    if (parts.length === 0) {
      await overview(view);
    } else if (parts[0] === "jobs" && parts[1]) {
      await job(view, decodeURIComponent(parts[1]));
    } else if (parts[0] === "jobs") {
      await jobs(view, params);
    } else if (parts[0] === "batches" && parts[1]) {
      await batch(view, decodeURIComponent(parts[1]));
    } else if (parts[0] === "batches") {
      await batches(view);
    } else if (parts[0] === "webhooks") {
      await webhooks(view);
    } else if (parts[0] === "audit" && may("admin")) {
      await audit(view);
    } else if (parts[0] === "access" && may("admin")) {
      await access(view);
    } else if (parts[0] === "sandboxes") {
      await sandboxes(view);
    } else if (parts[0] === "pools") {
      await pools(view);
    } else {
      view.append(h("h1", {}, "Not found"));
    }
  } catch (e) {
    if (e instanceof Problem && e.status === 401) {
      setKey(null);
      showSignIn("The key is no longer valid.");
      return;
    }
    notice(e.message, "error");
  }
  document.getElementById("main").focus();
}

document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = document.getElementById("key");
  try {
    await signIn(field.value.trim());
    field.value = "";
    showApp();
  } catch (e) {
    showSignIn(e.message);
  }
});

document.getElementById("sign-out").addEventListener("click", () => {
  setKey(null);
  me = null;
  cleanup.splice(0).forEach((close) => close());
  showSignIn();
});

window.addEventListener("hashchange", () => me && route());

if (key()) {
  signIn(key()).then(showApp, () => showSignIn());
} else {
  showSignIn();
}

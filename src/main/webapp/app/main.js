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
  document.getElementById("sign-in").hidden = true;
  document.getElementById("nav").hidden = false;
  document.getElementById("sign-out").hidden = false;
  document.getElementById("who").textContent = `${me.keyName} · ${me.tenant} · ${me.role}`;
  route();
}

// ---- views ----

async function overview(view) {
  const [node, pools] = await Promise.all([get("/node"), get("/pools")]);
  view.append(
    h("h1", {}, "Overview"),
    h("div", { class: "tiles" },
      tile("Running", node.jobs.running, "running"),
      tile("Queued", node.jobs.queued, "queued"),
      tile("Free slots", node.jobs.freeSlots, "free-slots"),
      tile("CPU load (1 min)", node.cpu.load1.toFixed(2), "load"),
      tile("Memory used", Math.round((1 - node.memory.availableBytes / node.memory.totalBytes) * 100) + " %", "memory"),
      tile("Disk free", Math.round(node.disk.freeBytes / 2 ** 30) + " GiB", "disk")),
    h("h2", {}, "Warm pools"),
    pools.length === 0
      ? h("p", {}, "No pools.")
      : table(["Pool", "Image", "Warm", "Busy"], pools.map((p) => {
          const n = p.status.nodes[0] || {};
          return [p.name, p.spec.image, n.warm, n.busy];
        })));
}

function tile(label, value, id) {
  return h("div", { class: "tile", id: "tile-" + id }, h("span", { class: "label" }, label), h("span", { class: "value" }, value));
}

function table(heads, rows) {
  return h("table", {},
    h("thead", {}, h("tr", {}, heads.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell) => h("td", {}, cell))))));
}

async function jobs(view, params) {
  const filters = {
    state: params.get("state") || "",
    namePrefix: params.get("namePrefix") || "",
    label: params.get("label") || "",
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
      for (const name of ["state", "namePrefix", "label"]) {
        if (form.elements[name].value) {
          q.set(name, form.elements[name].value);
        }
      }
      location.hash = "#/jobs?" + q;
    } },
    h("label", {}, "State ", h("select", { name: "state" }, ["", "QUEUED", "STARTING", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"].map((s) => h("option", { value: s, selected: s === filters.state }, s || "any")))),
    h("label", {}, "Name starts with ", h("input", { name: "namePrefix", value: filters.namePrefix })),
    h("label", {}, "Label ", h("input", { name: "label", placeholder: "key=value", value: filters.label })),
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
    h("table", { id: "jobs" },
      h("thead", {}, h("tr", {}, ["", "Job", "State", "Attempt", "Tenant", "Created", "Finished"].map((x) => h("th", { scope: "col" }, x)))),
      body),
    moreButton);
  await more();
  const events = await stream("/ws/events", (m) => {
    if (m.type !== "job") {
      return;
    }
    const tr = rows.get(m.jobId);
    if (tr) {
      tr.querySelector(".cell-state").replaceChildren(state(m.to));
      tr.querySelector(".cell-finished").textContent = ["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"].includes(m.to) ? when(m.at) : "";
    } else if (!m.from && !filters.namePrefix && !filters.label && (!filters.state || filters.state === m.to)) {
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
  view.append(
    h("h1", {}, "Job ", h("code", {}, j.name || j.id)),
    status,
    actions,
    h("h2", {}, "History"),
    h("ol", { class: "timeline" }, j.history.map((t) => h("li", {}, when(t.at), " ", state(t.to), " ", t.reason || ""))),
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
    return h("li", { "data-batch": b.id }, h("strong", {}, b.name || b.id), " ", state(b.state), bar);
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
    } else if (parts[0] === "batches") {
      await batches(view);
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

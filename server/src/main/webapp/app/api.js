// The public API and its WebSockets, as the signed-in key sees them.

const KEY = "stevedore.key";

export function key() {
  return sessionStorage.getItem(KEY);
}

export function setKey(value) {
  if (value) {
    sessionStorage.setItem(KEY, value);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** An error the server answered with: its problem document's detail, or its title. */
export class Problem extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || "HTTP " + status);
    this.status = status;
    this.problem = problem;
  }
}

/** Calls the API; answers the parsed JSON (or null for 204), throws a Problem otherwise. */
export async function call(method, path, body) {
  const headers = { Authorization: "Bearer " + key(), Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch("/api/v1" + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Problem(response.status, parsed);
  }
  return parsed;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body === undefined ? {} : body);
export const del = (path) => call("DELETE", path);

/** Downloads a file the API serves, with the key in a header (never in a URL). */
export async function download(path, name) {
  const response = await fetch("/api/v1" + path, { headers: { Authorization: "Bearer " + key() } });
  if (!response.ok) {
    throw new Problem(response.status, await response.json().catch(() => null));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Opens a WebSocket of the server with a fresh ticket (the key never goes into a URL) and calls
 * onMessage with each message parsed. Answers a handle whose close() ends it for good.
 */
export async function stream(path, onMessage, onClose) {
  const { ticket } = await post("/tickets");
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const separator = path.includes("?") ? "&" : "?";
  const socket = new WebSocket(`${scheme}//${location.host}${path}${separator}ticket=${encodeURIComponent(ticket)}`);
  let closedByUs = false;
  // Tests and people can tell when the page is live.
  socket.addEventListener("open", () => (document.body.dataset.live = "true"));
  socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
  socket.addEventListener("close", (event) => {
    if (!closedByUs && onClose) {
      onClose(event);
    }
  });
  return {
    close() {
      closedByUs = true;
      socket.close();
    },
  };
}

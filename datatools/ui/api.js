// The local server's JSON API. The per-launch token goes with every call in the
// X-DataTools-Token header. It reaches the page in the address's #fragment (never sent over
// the wire), or — when DataTools started the browser, whose command line every local user can
// read — as a one-time launch code that connect() trades for the token once.

const TOKEN_KEY = "datatools-token";

export let token = sessionStorage.getItem(TOKEN_KEY) || "";

// Read the token or launch code from the address, then clear the address; call before api().
export async function connect() {
  const found = location.hash.match(/(token|launch)=([A-Za-z0-9_-]+)/);
  if (!found) return;
  history.replaceState(null, "", location.pathname);
  let value = found[2];
  if (found[1] === "launch") value = (await api("POST", "/api/launch", { code: value })).token;
  sessionStorage.setItem(TOKEN_KEY, value);
  token = value;
}

export class ApiError extends Error {
  constructor(status, code, message, params) {
    super(message);
    this.status = status;
    this.code = code;
    this.params = params || {};
  }
}

export async function api(method, path, body) {
  const options = { method, headers: { "X-DataTools-Token": token } };
  if (body instanceof Blob) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new ApiError(0, "server_gone", "DataTools stopped. Close this window and start it again.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = data.error || {};
    throw new ApiError(response.status, error.code || "internal", error.message || "", error.params);
  }
  return data;
}

// The result written as Save writes it (the review kept on the server included), as a download.
export function downloadUrl(jobId, format, language, bom = false, escapeFormulas = false) {
  const query = new URLSearchParams({ token });
  if (format) query.set("format", format);
  if (bom) query.set("bom", "1");
  if (escapeFormulas) query.set("escape_formulas", "1");
  if (language) query.set("language", language);
  return `/api/jobs/${encodeURIComponent(jobId)}/download?${query}`;
}

// The local server's JSON API. The per-launch token arrives in the address's #fragment (never
// sent over the wire by the browser) and goes with every call in the X-DataTools-Token header.

const TOKEN_KEY = "datatools-token";

function readToken() {
  const match = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export const token = readToken();

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

export function downloadUrl(jobId, review) {
  const query = new URLSearchParams({ token });
  if (review) query.set("review", JSON.stringify(review));
  return `/api/jobs/${encodeURIComponent(jobId)}/download?${query}`;
}

// The window's state, in one place: what the server said (`server`: tools, license, language
// list, from GET /api/state), the screen shown, and the tool in use (`tool`: its id, definition,
// input specs, previews, the finished job and the save under way).
export const state = {
  server: null,
  screen: "home",
  tool: null,
};

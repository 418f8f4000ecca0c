/* global window */
// Where the figures come from. The local cloud serves them at `api` beside the page; `npm run deploy`
// writes this file with the bigscreen function's HTTP access path.
window.BIGSCREEN_API = window.BIGSCREEN_API || 'api';
